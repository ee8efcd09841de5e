//! `consilium user list|create`.

use consilium_domain::{
    Email, NamePart, Rpps,
    directory::{Profession, Role, SpecialtyCode},
};
use consilium_store::{
    NewMembership, NewPerson, NewUser, OrgKey, Practitioner, Store, UserSummary,
};
use serde_json::json;

use crate::cli::UserCreateArgs;

/// Parses `user create`'s arguments; refuses bad input before any write.
pub fn parse(args: &UserCreateArgs) -> anyhow::Result<NewUser> {
    let practitioner = match (&args.profession, &args.rpps) {
        (Some(profession), Some(rpps)) => Some(Practitioner {
            profession: Profession::parse(profession)?,
            rpps: Rpps::parse(rpps)?,
        }),
        _ => None,
    };
    let organization = OrgKey::parse(&args.organization)?;
    let specialty = args
        .specialty
        .as_deref()
        .map(SpecialtyCode::parse)
        .transpose()?;
    let memberships = args
        .roles
        .iter()
        .map(|role| {
            Ok(NewMembership {
                organization: organization.clone(),
                role: Role::parse(role)?,
                specialty: specialty.clone(),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(NewUser {
        person: NewPerson {
            email: Email::parse(&args.email)?,
            given_names: NamePart::parse(&args.given_names)?,
            family_name: NamePart::parse(&args.family_name)?,
            practitioner,
        },
        memberships,
    })
}

/// Adds the user.
pub async fn create(store: &Store, new: &NewUser) -> anyhow::Result<()> {
    let clock = crate::startup::system_clock();
    let user = store.create_user(new, clock.now()).await?;
    println!(
        "utilisateur créé / user created: {} ({})",
        user.person.email, user.person.id
    );
    Ok(())
}

/// The JSON object `user list --json` prints for a user (a contract: DESIGN.md).
pub fn to_json(user: &UserSummary) -> serde_json::Value {
    let mut roles: Vec<&str> = user.memberships.iter().map(|m| m.role.code()).collect();
    roles.sort_unstable();
    roles.dedup();
    let mut organizations: Vec<&str> = user
        .memberships
        .iter()
        .map(|m| m.organization_name.as_str())
        .collect();
    organizations.dedup();
    let practitioner = user.person.practitioner.as_ref();
    json!({
        "email": user.person.email,
        "name": user.person.display_name(),
        "roles": roles,
        "organization": organizations.first(),
        "organizations": organizations,
        "profession": practitioner.map(|p| p.profession.code()),
        "rpps": practitioner.map(|p| p.rpps.as_str()),
        "active": user.person.active,
    })
}

/// Prints every user, as JSON lines or as a table.
pub async fn list(store: &Store, json: bool) -> anyhow::Result<()> {
    for user in store.users().await? {
        if json {
            println!("{}", to_json(&user));
        } else {
            let roles: Vec<&str> = user.memberships.iter().map(|m| m.role.code()).collect();
            let org = user
                .memberships
                .first()
                .map(|m| m.organization_name.as_str())
                .unwrap_or("");
            println!(
                "{:<34} {:<24} {:<28} {org}",
                user.person.email,
                user.person.display_name(),
                roles.join(",")
            );
        }
    }
    Ok(())
}
