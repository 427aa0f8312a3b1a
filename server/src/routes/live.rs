//! The live event stream: `GET /api/v1/events?since=SEQ` upgrades to a websocket.
//!
//! One task per instance watches the event log's newest sequence number and wakes the
//! sockets through a `watch` channel; each socket then reads what it may see from the
//! log, after the last sequence it sent. The log is the only source of data, so a
//! slow socket never skips an event (it reads the log from where it was), events from
//! other instances arrive the same way, and order is the log's commit order.

use std::sync::Arc;
use std::time::Duration;

use app::ssr::services::accounts::Scope;
use app::ssr::services::events;
use app::ssr::state::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::api::error::ApiError;
use super::api::ApiCaller;
use super::security::OriginPolicy;

/// How often the instance looks for events committed by other instances (the
/// latency bound across instances; commits in this process wake it at once).
const WATCH_EVERY: Duration = Duration::from_millis(100);
const PING_EVERY: Duration = Duration::from_secs(20);
/// Events read per query; a client far behind is caught up page by page.
const PAGE: u64 = 200;
/// Clients send nothing but pongs and close frames.
const MAX_MESSAGE: usize = 4 * 1024;

/// The newest committed sequence number, watched by every socket of this instance.
#[derive(Clone)]
pub struct LiveHub {
    latest: Arc<watch::Sender<i64>>,
    origin: Arc<OriginPolicy>,
}

impl LiveHub {
    /// Starts the watcher; it stops with `stop`.
    pub fn start(
        db: DatabaseConnection,
        origin: Arc<OriginPolicy>,
        stop: CancellationToken,
    ) -> Self {
        let latest = Arc::new(watch::Sender::new(0));
        let tx = latest.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(WATCH_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = events::next_commit() => {}
                    _ = every.tick() => {}
                }
                if tx.receiver_count() == 0 {
                    // Nobody follows: no query. A socket reads the log itself on connect.
                    continue;
                }
                match events::latest(&db).await {
                    Ok(seq) => {
                        tx.send_if_modified(|old| {
                            let newer = seq > *old;
                            *old = seq.max(*old);
                            newer
                        });
                    }
                    Err(error) => tracing::warn!(%error, "live: cannot read the event log"),
                }
            }
        });
        Self { latest, origin }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// The last sequence number the client saw; events after it are replayed.
    /// Without it, the stream starts with the next event.
    since: Option<i64>,
    /// Admins only: one location's events.
    location_id: Option<i32>,
}

pub async fn events(
    caller: ApiCaller,
    State(state): State<AppState>,
    axum::Extension(hub): axum::Extension<LiveHub>,
    headers: HeaderMap,
    query: axum::extract::Query<EventsQuery>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    // The upgrade is a GET, so the cross-site middleware does not see it: check here.
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    if let Some(origin) = text(header::ORIGIN) {
        if !hub.origin.allows(origin, text(header::HOST)) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "cross_site",
                "This page may not follow Frontdesk's live events.",
            ));
        }
    }
    if matches!(caller.scope, Scope::Visitor { .. }) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Live events are for hosts and admins.",
        ));
    }
    let location_id = match caller.scope {
        Scope::Admin => query.location_id,
        _ => None,
    };
    let db = state.db.clone();
    // Without `since`, only what happens from now on.
    let since = match query.since {
        Some(since) => since.max(0),
        None => events::latest(&db).await.map_err(ApiError::unexpected)?,
    };
    let scope = caller.scope;
    let latest = hub.latest.subscribe();
    Ok(upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .read_buffer_size(MAX_MESSAGE)
        .write_buffer_size(16 * 1024)
        .on_upgrade(move |socket| async move {
            if let Err(error) = follow(socket, db, scope, location_id, since, latest).await {
                tracing::debug!(%error, "live: socket closed");
            }
        }))
}

/// Sends what the caller may see after `since`, then every new event as it commits.
async fn follow(
    mut socket: WebSocket,
    db: DatabaseConnection,
    scope: Scope,
    location_id: Option<i32>,
    mut since: i64,
    mut latest: watch::Receiver<i64>,
) -> Result<(), anyhow::Error> {
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut awaiting_pong = false;
    loop {
        // Catch up from the log: replay on connect, new events after each wake-up.
        loop {
            let page = events::after(&db, since, scope, location_id, PAGE).await?;
            let full = page.len() as u64 == PAGE;
            for event in page {
                since = event.seq;
                let payload: serde_json::Value =
                    serde_json::from_str(&event.payload).unwrap_or(serde_json::Value::Null);
                let message = serde_json::json!({
                    "seq": event.seq,
                    "kind": event.kind,
                    "at": event.created_at,
                    "data": payload,
                });
                socket
                    .send(Message::Text(message.to_string().into()))
                    .await?;
            }
            if !full {
                break;
            }
        }
        tokio::select! {
            changed = latest.changed() => changed?,
            _ = ping.tick() => {
                if awaiting_pong {
                    // No pong for a whole interval: the peer is gone.
                    return Ok(());
                }
                socket.send(Message::Ping(Vec::new().into())).await?;
                awaiting_pong = true;
            }
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return Ok(()),
                Some(Ok(Message::Pong(_))) => awaiting_pong = false,
                Some(Ok(_)) => {}
            },
        }
    }
}
