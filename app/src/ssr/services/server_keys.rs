//! Random keys shared by every instance, kept in the database: the first instance
//! that asks makes one; the others read it.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::ssr::entities::server_key;

/// The key named `name`, made now if no instance made it before.
pub async fn shared_key(db: &impl ConnectionTrait, name: &str) -> Result<[u8; 32], anyhow::Error> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| anyhow::anyhow!("no randomness from the OS: {e}"))?;
    // Two instances starting at once: one insert wins, both read the winner.
    server_key::Entity::insert(server_key::ActiveModel {
        name: Set(name.to_string()),
        value: Set(hex::encode(fresh)),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(server_key::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .do_nothing()
    .exec(db)
    .await?;
    let stored = server_key::Entity::find_by_id(name.to_string())
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the server key {name} vanished"))?;
    let mut key = [0u8; 32];
    hex::decode_to_slice(&stored.value, &mut key)
        .map_err(|e| anyhow::anyhow!("the server key {name} is not 32 bytes of hex: {e}"))?;
    Ok(key)
}
