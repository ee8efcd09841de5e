//! `consilium org list|create`.

use consilium_domain::{Finess, NamePart, directory::OrganizationKind};
use consilium_store::{NewOrganization, Store};
use serde_json::json;

use crate::cli::OrgCreateArgs;

/// Parses `org create`'s arguments; refuses bad input before any write.
pub fn parse(args: &OrgCreateArgs) -> anyhow::Result<NewOrganization> {
    Ok(NewOrganization {
        kind: OrganizationKind::parse(&args.kind)?,
        name: NamePart::parse(&args.name)?,
        finess: args.finess.as_deref().map(Finess::parse).transpose()?,
        city: args.city.as_deref().map(NamePart::parse).transpose()?,
    })
}

/// Adds the organisation.
pub async fn create(store: &Store, new: &NewOrganization) -> anyhow::Result<()> {
    let clock = crate::startup::system_clock();
    let org = store.create_organization(new, clock.now()).await?;
    println!(
        "organisation créée / organisation created: {} ({})",
        org.name, org.id
    );
    Ok(())
}

/// Prints every organisation, as JSON lines or as a table.
pub async fn list(store: &Store, json: bool) -> anyhow::Result<()> {
    for org in store.organizations().await? {
        let finess = org.finess.as_ref().map(|f| f.as_str()).unwrap_or("");
        if json {
            let line = json!({
                "id": org.id,
                "name": org.name,
                "kind": org.kind.code(),
                "finess": org.finess,
                "city": org.city,
            });
            super::print_line(line)?;
        } else {
            super::print_line(format!(
                "{:<10} {:<20} {}",
                finess,
                org.kind.code(),
                org.name
            ))?;
        }
    }
    Ok(())
}
