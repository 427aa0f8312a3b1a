//! P2's baseline: a bare axum + sea-orm handler that makes the same writes as a
//! check-in (visit, event, two outbox rows, one transaction, the same pool settings)
//! and nothing else: no auth, no validation, no host lookup, no audit, no rendering.

use std::net::SocketAddr;

use app::ssr::entities::visit;
use app::ssr::services::events::{self, EventTx, NewEvent};
use app::ssr::services::outbox::{self, Channel, Message};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use serde_json::{json, Value};

#[derive(Clone)]
struct Seeded {
    db: DatabaseConnection,
    host_id: i32,
    location_id: i32,
}

/// Serves the baseline on a free port over a fresh SQLite file in `dir`.
pub async fn start(dir: &std::path::Path) -> anyhow::Result<String> {
    use app::ssr::auth::caller::Actor;
    use app::ssr::domain::Region;
    use app::ssr::services::{hosts, locations};
    let url = format!("sqlite://{}", dir.join("baseline.db").display());
    let (db, _) = frontdesk::db::connect_and_migrate(&secrecy::SecretString::from(url)).await?;
    let actor = Actor("bench".into());
    let location = locations::create_location(
        &db,
        locations::NewLocation::parse("Baseline", "1 Loop St", "UTC")?,
        &actor,
    )
    .await?;
    let region = Region::parse("US").map_err(anyhow::Error::msg)?;
    let host = hosts::create_host(
        &db,
        hosts::NewHost::parse(
            "Host",
            "host@example.com",
            "+1 415 555 0100",
            location.id,
            region,
        )?,
        &actor,
        "http://127.0.0.1",
    )
    .await?;
    let state = Seeded {
        db,
        host_id: host.id,
        location_id: location.id,
    };
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route("/check-in", post(check_in))
        .with_state(state);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(format!("http://{addr}"))
}

async fn check_in(State(s): State<Seeded>, Json(guest): Json<Value>) -> StatusCode {
    match write(&s, &guest).await {
        Ok(()) => StatusCode::CREATED,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

async fn write(s: &Seeded, guest: &Value) -> anyhow::Result<()> {
    let text = |k: &str| guest[k].as_str().unwrap_or_default().to_string();
    let mut tx = EventTx::begin(&s.db).await?;
    let now = Utc::now();
    let v = visit::ActiveModel {
        guest_name: Set(text("name")),
        guest_email: Set(text("email")),
        guest_phone: Set(text("phone")),
        host_id: Set(s.host_id),
        location_id: Set(s.location_id),
        checked_in_at: Set(now),
        checked_out_at: Set(None),
        checked_out_by: Set(None),
        checkout_token: Set(app::ssr::services::random_secret()?),
        visitor_id: Set(None),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    for channel in [Channel::Email, Channel::Sms] {
        let message = Message {
            channel,
            recipient: "host@example.com".into(),
            subject: Some(format!("{} is here", v.guest_name)),
            body: format!("{} is here to see you.", v.guest_name),
            html: None,
        };
        outbox::enqueue(&*tx, Some(v.id), message, now).await?;
    }
    let event = NewEvent {
        kind: events::VISIT_CHECKED_IN,
        visit_id: Some(v.id),
        host_id: Some(s.host_id),
        location_id: Some(s.location_id),
        payload: json!({ "visit": { "id": v.id, "name": v.guest_name } }),
    };
    tx.append(event, now).await?;
    tx.commit().await?;
    Ok(())
}
