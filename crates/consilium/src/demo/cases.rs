//! The demo requests: what each one is, and what has happened to it.
//! They are filed and moved by [`super::filing`] through the same use
//! cases as any request, at times relative to the first start, so that the
//! queue has running deadlines, the pages have photos and answers, and the
//! history is the one a real request has.

use consilium_domain::{directory::SpecialtyCode, expertise::Visit};

/// An answer to a question of the form.
#[derive(Debug, Clone, Copy)]
pub(super) enum DemoAnswer {
    /// Free text (or an open choice answered in words).
    Text(&'static str),
    /// Option codes.
    Codes(&'static [&'static str]),
}

/// A file attached to the request.
#[derive(Debug, Clone, Copy)]
pub(super) enum DemoFile {
    /// A photo of the lesion: overview, close-up or a blurred take.
    Overview,
    CloseUp,
    Blurred,
    /// An ECG strip.
    Ecg,
}

/// Something that happened after filing, `hours` after it.
#[derive(Debug, Clone, Copy)]
pub(super) enum DemoStep {
    /// The expert (e-mail local part) takes it.
    Take(&'static str, i64),
    /// The expert starts working on it.
    Start(&'static str, i64),
    /// The expert asks the requester a question.
    Ask(&'static str, i64, &'static str),
    /// The expert gives the advice.
    Advise {
        expert: &'static str,
        hours: i64,
        hypothesis: &'static str,
        icd10: &'static str,
        management: &'static str,
        visit: Visit,
    },
    /// The requester closes it after reading the advice.
    Close(i64),
}

/// One demo request.
#[derive(Debug, Clone, Copy)]
pub(super) struct DemoRequest {
    /// Its label, for the idempotency key (seeding twice files nothing twice).
    pub label: &'static str,
    /// The patient's NIR (their INS key is computed).
    pub nir: &'static str,
    /// The requester's e-mail local part.
    pub requester: &'static str,
    /// The resource centre's FINESS body.
    pub centre: &'static str,
    /// The specialty asked.
    pub specialty: &'static str,
    /// Marked urgent.
    pub urgent: bool,
    /// Filed this many hours before the demo's first start.
    pub filed_hours_ago: i64,
    /// The answers, by question.
    pub answers: &'static [(&'static str, DemoAnswer)],
    /// The files, with the body site they show.
    pub files: &'static [(DemoFile, &'static str)],
    /// What happened since.
    pub steps: &'static [DemoStep],
}

use DemoAnswer::{Codes, Text};

const NONE: DemoAnswer = Codes(&["none"]);

/// Filed in this order, so their references are TE-<year>-0001 to 0006.
pub(super) const REQUESTS: &[DemoRequest] = &[
    DemoRequest {
        label: "moreau-naevus",
        nir: "2460721231045",
        requester: "claire.martin",
        centre: "21990001",
        specialty: SpecialtyCode::DERMATOLOGY,
        urgent: false,
        filed_hours_ago: 20,
        answers: &[
            (
                "question",
                Text("Nævus du dos modifié depuis l'été : exérèse à prévoir ?"),
            ),
            (
                "history",
                Text("HTA, carcinome basocellulaire du nez opéré en 2019"),
            ),
            ("treatments", Text("Ramipril 5 mg")),
            ("allergies", NONE),
            ("body_site", Text("Dos, région scapulaire gauche")),
            ("duration", Codes(&["6-12m"])),
            ("evolution", Codes(&["changing"])),
            ("symptoms", Codes(&["colour-change", "size-change"])),
            ("phototype", Codes(&["II"])),
            ("skin_cancer_history", Codes(&["personal"])),
        ],
        files: &[
            (DemoFile::Overview, "Dos, région scapulaire gauche"),
            (DemoFile::CloseUp, "Dos, région scapulaire gauche"),
            (DemoFile::Blurred, "Dos, région scapulaire gauche"),
        ],
        steps: &[],
    },
    DemoRequest {
        label: "vuillemin-plaque",
        nir: "1580925462118",
        requester: "pierre.roche",
        centre: "25990001",
        specialty: SpecialtyCode::DERMATOLOGY,
        urgent: false,
        filed_hours_ago: 30,
        answers: &[
            (
                "question",
                Text("Plaque squameuse du cuir chevelu résistante aux soins : psoriasis ?"),
            ),
            ("history", Text("Diabète de type 2")),
            ("treatments", Text("Metformine 1 g × 2")),
            ("allergies", Text("Pénicilline")),
            ("body_site", Text("Cuir chevelu, vertex")),
            ("duration", Codes(&["1-6m"])),
            ("evolution", Codes(&["growing"])),
            ("symptoms", Codes(&["itch"])),
            ("phototype", Codes(&["III"])),
            ("skin_cancer_history", Codes(&["none"])),
        ],
        files: &[(DemoFile::Overview, "Cuir chevelu, vertex")],
        steps: &[
            DemoStep::Take("lucie.perrin", 4),
            DemoStep::Start("lucie.perrin", 5),
        ],
    },
    DemoRequest {
        label: "lefevre-ulcere",
        nir: "2710371270033",
        requester: "laurent.besson",
        centre: "71990001",
        specialty: SpecialtyCode::DERMATOLOGY,
        urgent: false,
        filed_hours_ago: 46,
        answers: &[
            (
                "question",
                Text("Ulcération de jambe qui ne cicatrise pas : biopsie ?"),
            ),
            ("history", Text("Insuffisance veineuse")),
            ("treatments", NONE),
            ("allergies", NONE),
            ("body_site", Text("Jambe droite, face interne")),
            ("duration", Codes(&["gt-1y"])),
            ("evolution", Codes(&["stable"])),
            ("symptoms", Codes(&["bleeding", "pain"])),
            ("phototype", Codes(&["III"])),
            ("skin_cancer_history", Codes(&["none"])),
        ],
        files: &[(DemoFile::Overview, "Jambe droite, face interne")],
        steps: &[
            DemoStep::Take("julien.morel", 6),
            DemoStep::Ask(
                "julien.morel",
                7,
                "Pouvez-vous envoyer une photo de près, avec une règle pour l'échelle ?",
            ),
        ],
    },
    DemoRequest {
        label: "rousseau-erysipele",
        nir: "1850558194027",
        requester: "hugo.menard",
        centre: "21990001",
        specialty: SpecialtyCode::INFECTIOLOGY,
        urgent: false,
        filed_hours_ago: 12 * 24,
        answers: &[
            (
                "question",
                Text("Grosse jambe rouge fébrile depuis 48 h : antibiothérapie ?"),
            ),
            ("history", NONE),
            ("treatments", NONE),
            ("allergies", NONE),
            ("fever", Codes(&["ge-38.5"])),
            ("recent_antibiotics", NONE),
        ],
        files: &[(DemoFile::Overview, "Jambe gauche")],
        steps: &[
            DemoStep::Take("karim.benali", 2),
            DemoStep::Advise {
                expert: "karim.benali",
                hours: 3,
                hypothesis: "Érysipèle de jambe, sans signe de gravité",
                icd10: "A46",
                management: "Amoxicilline 50 mg/kg/j en trois prises pendant 7 jours ; repos jambe surélevée ; revoir à 72 h.",
                visit: Visit::No,
            },
            DemoStep::Close(30),
        ],
    },
    DemoRequest {
        label: "bailly-lesion",
        nir: "2350121425009",
        requester: "agnes.collin",
        centre: "21990001",
        specialty: SpecialtyCode::DERMATOLOGY,
        urgent: true,
        filed_hours_ago: 3,
        answers: &[
            (
                "question",
                Text("Lésion bourgeonnante de la tempe qui saigne, chez une résidente de 91 ans"),
            ),
            ("history", Text("Démence vasculaire, fibrillation atriale")),
            ("treatments", Text("Apixaban 2,5 mg × 2")),
            ("allergies", NONE),
            ("body_site", Text("Tempe droite")),
            ("duration", Codes(&["lt-1m"])),
            ("evolution", Codes(&["new"])),
            ("symptoms", Codes(&["bleeding"])),
            ("phototype", Codes(&["II"])),
            ("skin_cancer_history", Codes(&["none"])),
        ],
        files: &[
            (DemoFile::Overview, "Tempe droite"),
            (DemoFile::CloseUp, "Tempe droite"),
        ],
        steps: &[],
    },
    DemoRequest {
        label: "prost-palpitations",
        nir: "1400870550061",
        requester: "olivier.thiebaut",
        centre: "90990001",
        specialty: SpecialtyCode::CARDIOLOGY,
        urgent: false,
        filed_hours_ago: 60,
        answers: &[
            (
                "question",
                Text("Palpitations récentes, ECG ci-joint : anticoagulation ?"),
            ),
            ("history", Text("HTA")),
            ("treatments", Text("Amlodipine 5 mg")),
            ("allergies", NONE),
            ("symptoms", Codes(&["palpitations"])),
        ],
        files: &[(DemoFile::Ecg, "")],
        steps: &[
            DemoStep::Take("eric.schmitt", 20),
            DemoStep::Start("eric.schmitt", 21),
        ],
    },
];
