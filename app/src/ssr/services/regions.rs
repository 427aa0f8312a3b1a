//! Which country a phone number typed without a country code belongs to: that of
//! the location it is typed at (or for), else `FRONTDESK_DEFAULT_REGION`. One
//! office abroad must not turn its guests' local numbers into US ones.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use crate::ssr::domain::Region;
use crate::ssr::entities::{host, location};

/// The region of `location`: its country, or `fallback` where it has none.
pub fn region_of(location: &location::Model, fallback: Region) -> Region {
    (location.country.as_deref())
        .and_then(|code| Region::parse(code).ok())
        .unwrap_or(fallback)
}

/// The region of the location with this id (`fallback` for an unknown one, which
/// the operation itself then refuses).
pub async fn region_at(
    db: &impl ConnectionTrait,
    location_id: i32,
    fallback: Region,
) -> Result<Region, DbErr> {
    let found = location::Entity::find_by_id(location_id).one(db).await?;
    Ok(found.map_or(fallback, |l| region_of(&l, fallback)))
}

/// The region of the location a host works at: where their guests are.
pub async fn region_of_host(
    db: &impl ConnectionTrait,
    host_id: i32,
    fallback: Region,
) -> Result<Region, DbErr> {
    let found = host::Entity::find_by_id(host_id)
        .find_also_related(location::Entity)
        .one(db)
        .await?;
    Ok(match found {
        Some((_, Some(l))) => region_of(&l, fallback),
        _ => fallback,
    })
}
