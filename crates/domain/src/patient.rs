//! A patient's identity as the INS rules describe it.

pub use crate::directory::UnknownCode;
use crate::directory::coded_enum;

coded_enum!(
    /// The vigilance status of an identity (référentiel national d'identitovigilance).
    IdentityStatus {
        /// Entered without a proof of identity.
        Provisoire = "provisoire", "Identité provisoire";
        /// Retrieved from the national teleservice, not checked against a document.
        Recuperee = "recuperee", "Identité récupérée";
        /// Checked against an identity document.
        Validee = "validee", "Identité validée";
        /// Retrieved and checked: the only status whose INS may be shared (DMP).
        Qualifiee = "qualifiee", "Identité qualifiée";
    }
);

impl IdentityStatus {
    /// Only a qualified identity's INS may be shared with the national record.
    pub fn may_share_ins(self) -> bool {
        self == Self::Qualifiee
    }
}

coded_enum!(
    /// Administrative sex, as the INS records it (FHIR administrative gender).
    Sex {
        /// Féminin.
        Female = "female", "Féminin";
        /// Masculin.
        Male = "male", "Masculin";
        /// Indéterminé.
        Other = "other", "Indéterminé";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_qualified_identities_share_their_ins() {
        let sharing: Vec<_> = IdentityStatus::ALL
            .iter()
            .filter(|s| s.may_share_ins())
            .collect();
        assert_eq!(sharing, [&IdentityStatus::Qualifiee]);
        assert_eq!(
            IdentityStatus::parse("validee").unwrap().label_fr(),
            "Identité validée"
        );
    }
}
