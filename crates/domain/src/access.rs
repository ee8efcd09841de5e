//! The access policy: who may do what to which case, and to whom an
//! administrator's powers extend. The store builds a [`Caller`] from the
//! signed-in person's memberships and asks these functions; what a caller
//! may not read does not exist for them (404, never 403).
//!
//! | relation to the case                                    | read | reply / close | take / ask / answer | assign / visit |
//! |---------------------------------------------------------|:----:|:-------------:|:-------------------:|:--------------:|
//! | **creator** (the requester who filed it)                |  ✔   |       ✔       |                     |                |
//! | **site colleague**: requester at the same site, sharing on |  ✔   |               |                     |                |
//! | **team expert**: expert of the team it is addressed to  |  ✔   |               |          ✔          |                |
//! | **centre coordinator**: coordinator of that centre (or of that team) | ✔ |     |                     |       ✔        |
//!
//! Nobody else has any relation to a case: an organisation admin manages
//! people, a regional admin sees the directory and statistics — neither
//! reads clinical content through those roles.

use uuid::Uuid;

use crate::directory::Role;

/// Something one can do to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseAction {
    /// See the case and its patient.
    Read,
    /// Answer an expert's question, add documents.
    Reply,
    /// Close the case once the advice is read.
    Close,
    /// Take the case from the team queue.
    Take,
    /// Ask the requester for more information.
    Ask,
    /// Give the advice.
    Answer,
    /// Give the case to an expert of the team.
    Assign,
    /// Propose an in-person visit.
    ProposeVisit,
}

/// How a person is related to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// They filed it.
    Creator,
    /// A requester at the same site, which shares its cases.
    SiteColleague,
    /// An expert of the team it is addressed to.
    TeamExpert,
    /// A coordinator of the centre (or of the team) it is addressed to.
    CentreCoordinator,
}

use CaseAction as A;

/// The table above, as data.
pub const CASE_POLICY: &[(Relation, &[CaseAction])] = &[
    (Relation::Creator, &[A::Read, A::Reply, A::Close]),
    (Relation::SiteColleague, &[A::Read]),
    (Relation::TeamExpert, &[A::Read, A::Take, A::Ask, A::Answer]),
    (
        Relation::CentreCoordinator,
        &[A::Read, A::Assign, A::ProposeVisit],
    ),
];

/// Who a case involves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseParties {
    /// The requester who filed it.
    pub requester_id: Uuid,
    /// The requesting site.
    pub site_id: Uuid,
    /// The team it is addressed to.
    pub team_id: Uuid,
    /// The resource centre of that team.
    pub centre_id: Uuid,
    /// False while it is a draft: only its creator knows of it.
    pub submitted: bool,
}

/// One role of the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerRole {
    /// The role.
    pub role: Role,
    /// In which organisation.
    pub organization_id: Uuid,
    /// In which team, for experts and team coordinators.
    pub team_id: Option<Uuid>,
    /// Whether that organisation shares its cases among its requesters.
    pub sharing_enabled: bool,
}

/// A signed-in person (by session, token or operator command), with every
/// role they hold. Built by the store; never from client input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Who.
    pub person_id: Uuid,
    /// Their roles.
    pub roles: Vec<CallerRole>,
}

impl Caller {
    /// Every relation the caller has to a case.
    pub fn relations_to(&self, case: &CaseParties) -> Vec<Relation> {
        let mut relations = Vec::new();
        if case.requester_id == self.person_id {
            relations.push(Relation::Creator);
        }
        if !case.submitted {
            return relations;
        }
        for r in &self.roles {
            let relation = match r.role {
                Role::Requester if r.sharing_enabled && r.organization_id == case.site_id => {
                    Some(Relation::SiteColleague)
                }
                Role::Expert if r.team_id == Some(case.team_id) => Some(Relation::TeamExpert),
                Role::Coordinator
                    if r.organization_id == case.centre_id
                        && r.team_id.is_none_or(|team| team == case.team_id) =>
                {
                    Some(Relation::CentreCoordinator)
                }
                _ => None,
            };
            if let Some(relation) = relation.filter(|rel| !relations.contains(rel)) {
                relations.push(relation);
            }
        }
        relations
    }

    /// True when the table allows `action` on `case`.
    pub fn may(&self, action: CaseAction, case: &CaseParties) -> bool {
        let relations = self.relations_to(case);
        CASE_POLICY
            .iter()
            .any(|(relation, actions)| relations.contains(relation) && actions.contains(&action))
    }

    /// The organisation the caller acts for on this case (for the audit trail).
    pub fn acting_for(&self, case: &CaseParties) -> Option<Uuid> {
        match self.relations_to(case).first()? {
            Relation::Creator | Relation::SiteColleague => Some(case.site_id),
            Relation::TeamExpert | Relation::CentreCoordinator => Some(case.centre_id),
        }
    }

    /// The organisation to record when no case is involved: the first one.
    pub fn home_organization(&self) -> Option<Uuid> {
        self.roles.first().map(|r| r.organization_id)
    }

    fn organizations_with(&self, roles: &[Role]) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self
            .roles
            .iter()
            .filter(|r| roles.contains(&r.role))
            .map(|r| r.organization_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The organisations whose people this caller manages (organisation admin).
    pub fn administered_organizations(&self) -> Vec<Uuid> {
        self.organizations_with(&[Role::OrgAdmin])
    }

    /// True when the caller may reset the second factor of, or deactivate,
    /// someone who belongs to `target_organizations`.
    pub fn may_manage(&self, target_organizations: &[Uuid]) -> bool {
        let mine = self.administered_organizations();
        target_organizations.iter().any(|org| mine.contains(org))
    }

    /// The organisations whose audit trail the caller may browse
    /// (coordinators and organisation admins, their own organisation only).
    pub fn audited_organizations(&self) -> Vec<Uuid> {
        self.organizations_with(&[Role::Coordinator, Role::OrgAdmin])
    }

    /// True when the caller attaches files to requests (photos, documents,
    /// replies with photos), and so may upload: requesters only.
    pub fn may_upload(&self) -> bool {
        self.roles.iter().any(|r| r.role == Role::Requester)
    }

    /// True for a regional admin (directory and statistics, no clinical content).
    pub fn is_regional_admin(&self) -> bool {
        self.roles.iter().any(|r| r.role == Role::RegionalAdmin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    const SITE: u128 = 10;
    const OTHER_SITE: u128 = 11;
    const CENTRE: u128 = 20;
    const TEAM: u128 = 21;
    const OTHER_TEAM: u128 = 22;

    fn case() -> CaseParties {
        CaseParties {
            requester_id: id(1),
            site_id: id(SITE),
            team_id: id(TEAM),
            centre_id: id(CENTRE),
            submitted: true,
        }
    }

    fn caller(person: u128, role: Role, org: u128, team: Option<u128>, sharing: bool) -> Caller {
        Caller {
            person_id: id(person),
            roles: vec![CallerRole {
                role,
                organization_id: id(org),
                team_id: team.map(id),
                sharing_enabled: sharing,
            }],
        }
    }

    #[test]
    fn the_table() {
        let case = case();
        let creator = caller(1, Role::Requester, SITE, None, false);
        assert!(creator.may(A::Read, &case) && creator.may(A::Close, &case));
        assert!(!creator.may(A::Answer, &case));
        assert_eq!(creator.acting_for(&case), Some(id(SITE)));

        let colleague = caller(2, Role::Requester, SITE, None, false);
        assert!(!colleague.may(A::Read, &case), "no sharing, no access");
        let sharing_colleague = caller(2, Role::Requester, SITE, None, true);
        assert!(sharing_colleague.may(A::Read, &case) && !sharing_colleague.may(A::Close, &case));
        let elsewhere = caller(3, Role::Requester, OTHER_SITE, None, true);
        assert!(!elsewhere.may(A::Read, &case));

        let expert = caller(4, Role::Expert, CENTRE, Some(TEAM), false);
        assert!(expert.may(A::Read, &case) && expert.may(A::Answer, &case));
        assert!(!expert.may(A::Assign, &case));
        assert_eq!(expert.acting_for(&case), Some(id(CENTRE)));
        let other_team = caller(5, Role::Expert, CENTRE, Some(OTHER_TEAM), false);
        assert!(!other_team.may(A::Read, &case));

        let coordinator = caller(6, Role::Coordinator, CENTRE, None, false);
        assert!(coordinator.may(A::Read, &case) && coordinator.may(A::Assign, &case));
        let team_coordinator = caller(7, Role::Coordinator, CENTRE, Some(OTHER_TEAM), false);
        assert!(!team_coordinator.may(A::Read, &case));

        for role in [Role::OrgAdmin, Role::RegionalAdmin] {
            for org in [SITE, CENTRE] {
                let admin = caller(8, role, org, None, true);
                assert!(
                    !admin.may(A::Read, &case),
                    "{role:?} never reads clinical content"
                );
            }
        }
    }

    #[test]
    fn a_draft_is_its_creators_alone() {
        let draft = CaseParties {
            submitted: false,
            ..case()
        };
        assert!(caller(1, Role::Requester, SITE, None, false).may(A::Read, &draft));
        assert!(!caller(4, Role::Expert, CENTRE, Some(TEAM), false).may(A::Read, &draft));
        assert!(!caller(6, Role::Coordinator, CENTRE, None, false).may(A::Read, &draft));
        assert!(!caller(2, Role::Requester, SITE, None, true).may(A::Read, &draft));
    }

    #[test]
    fn admins_manage_their_organisation_only() {
        let admin = caller(8, Role::OrgAdmin, SITE, None, false);
        assert!(admin.may_manage(&[id(SITE)]));
        assert!(admin.may_manage(&[id(OTHER_SITE), id(SITE)]));
        assert!(!admin.may_manage(&[id(OTHER_SITE)]));
        let coordinator = caller(6, Role::Coordinator, CENTRE, None, false);
        assert!(!coordinator.may_manage(&[id(CENTRE)]));
        assert_eq!(coordinator.audited_organizations(), vec![id(CENTRE)]);
        assert!(
            caller(9, Role::RegionalAdmin, 30, None, false)
                .audited_organizations()
                .is_empty()
        );
    }
}
