//! `consilium user list|create`.

use anyhow::{Context, bail};
use consilium_domain::{
    Email, NamePart, Rpps,
    auth::{OpaqueToken, Password, TotpSecret, hash_password},
    directory::{Profession, Role, SpecialtyCode},
};
use consilium_store::{
    NewMembership, NewPerson, NewUser, OrgKey, Practitioner, Store, UserSummary,
};
use serde_json::json;

use crate::{
    cli::UserCreateArgs,
    demo::{DEMO_DOMAIN, DEMO_PASSWORD},
};

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

/// The first password: read from `--password-file`, or generated (and then printed).
pub fn first_password(args: &UserCreateArgs) -> anyhow::Result<(Password, bool)> {
    match &args.password_file {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("fichier illisible / cannot read {}", file.display()))?;
            let personal = [
                args.given_names.as_str(),
                args.family_name.as_str(),
                args.email.as_str(),
            ];
            let text = text.trim_end_matches(['\n', '\r']);
            Ok((Password::parse_for(text, &personal)?, false))
        }
        None => {
            let token = OpaqueToken::generate(&mut rand::rng(), "");
            let generated: String = token.expose().chars().take(20).collect();
            Ok((Password::parse(&generated)?, true))
        }
    }
}

/// Adds the user with their first password; they enrol a second factor at
/// first sign-in.
pub async fn create(
    store: &Store,
    new: &NewUser,
    (password, generated): &(Password, bool),
) -> anyhow::Result<()> {
    let now = crate::startup::system_clock().now();
    let hash = hash_password(password, &mut rand::rng())?;
    let user = store.create_user(new, Some(&hash), now).await?;
    println!(
        "utilisateur créé / user created: {} ({})",
        user.person.email, user.person.id
    );
    if *generated {
        println!(
            "mot de passe initial / first password: {}",
            password.expose()
        );
    }
    Ok(())
}

/// Prints the current TOTP code of a demo account.
pub async fn demo_code(store: &Store, email: &Email) -> anyhow::Result<()> {
    let Some(secret) = store.demo_totp_secret(email, DEMO_DOMAIN).await? else {
        bail!("{email} n'est pas un compte de démonstration / is not a demo account");
    };
    println!("{}", secret.code_at(crate::startup::system_clock().now())?);
    Ok(())
}

/// The JSON object `user list --json` prints for a user (a contract: DESIGN.md).
/// On a demo storage, demo accounts also carry `password` and `totp_secret`.
/// `finess` is the first organisation's, the key `user create --organization` takes.
pub fn to_json(
    user: &UserSummary,
    finess: Option<&str>,
    demo_secret: Option<&TotpSecret>,
) -> serde_json::Value {
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
    let mut object = json!({
        "email": user.person.email,
        "name": user.person.display_name(),
        "roles": roles,
        "organization": organizations.first(),
        "organization_finess": finess,
        "organizations": organizations,
        "profession": practitioner.map(|p| p.profession.code()),
        "rpps": practitioner.map(|p| p.rpps.as_str()),
        "active": user.person.active,
    });
    if let (Some(secret), Some(map)) = (demo_secret, object.as_object_mut()) {
        map.insert("password".into(), json!(DEMO_PASSWORD));
        map.insert("totp_secret".into(), json!(secret.to_base32()));
    }
    object
}

/// Prints every user, as JSON lines or as a table; each with the FINESS of
/// their organisation, which `user create --organization` takes back.
pub async fn list(store: &Store, json: bool) -> anyhow::Result<()> {
    let finess: std::collections::HashMap<_, _> = store
        .organizations()
        .await?
        .into_iter()
        .filter_map(|o| Some((o.id, o.finess?.to_string())))
        .collect();
    for user in store.users().await? {
        let first = user.memberships.first();
        let org_finess = first
            .and_then(|m| finess.get(&m.organization_id))
            .map(String::as_str);
        if json {
            let secret = store
                .demo_totp_secret(&user.person.email, DEMO_DOMAIN)
                .await?;
            super::print_line(to_json(&user, org_finess, secret.as_ref()))?;
        } else {
            let roles: Vec<&str> = user.memberships.iter().map(|m| m.role.code()).collect();
            let org = first.map(|m| m.organization_name.as_str()).unwrap_or("");
            let org_finess = org_finess.unwrap_or("-");
            super::print_line(format!(
                "{:<34} {:<24} {:<28} {org_finess:<10} {org}",
                user.person.email,
                user.person.display_name(),
                roles.join(",")
            ))?;
        }
    }
    Ok(())
}
