//! The live event stream: `GET /api/v1/events?since=SEQ` upgrades to a websocket.
//!
//! One task per instance (the hub) reads each new event from the event log once and
//! broadcasts it; every socket sends the ones its caller may see. A socket replays
//! from the log on connect, and again whenever it falls behind the broadcast, so a
//! slow socket never skips an event. Events from other instances reach the hub the
//! same way as local ones (it reads the shared log), and order is commit order.

use std::sync::Arc;
use std::time::Duration;

use app::ssr::auth::caller::Scope;
use app::ssr::services::events;
use app::ssr::state::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use tokio::sync::broadcast;
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
/// Events the broadcast holds for slow sockets; one further behind replays from the log.
const BROADCAST: usize = 1024;

/// An event as read from the log, with its message rendered once for every socket.
struct Live {
    event: app::ssr::entities::event::Model,
    message: String,
}

fn live(event: app::ssr::entities::event::Model) -> Live {
    let payload: serde_json::Value =
        serde_json::from_str(&event.payload).unwrap_or(serde_json::Value::Null);
    let message = serde_json::json!({
        "seq": event.seq,
        "kind": event.kind,
        "at": event.created_at,
        "data": payload,
    })
    .to_string();
    Live { event, message }
}

/// The instance's reader of the event log and its broadcast.
#[derive(Clone)]
pub struct LiveHub {
    events: broadcast::Sender<Arc<Live>>,
    origin: Arc<OriginPolicy>,
    /// Ends every socket when the server stops (clients then reconnect elsewhere).
    stop: CancellationToken,
}

impl LiveHub {
    /// Starts the watcher; it stops with `stop`.
    pub fn start(
        db: DatabaseConnection,
        origin: Arc<OriginPolicy>,
        stop: CancellationToken,
    ) -> Self {
        let (events, _) = broadcast::channel(BROADCAST);
        let tx = events.clone();
        let stopping = stop.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(WATCH_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut last = 0;
            loop {
                tokio::select! {
                    _ = stopping.cancelled() => return,
                    _ = events::next_commit() => {}
                    _ = every.tick() => {}
                }
                if let Err(error) = read_new(&db, &tx, &mut last).await {
                    tracing::warn!(%error, "live: cannot read the event log");
                }
            }
        });
        Self {
            events,
            origin,
            stop,
        }
    }
}

/// Broadcasts the events after `last`. With no socket listening it only moves `last`
/// to the newest event: a socket that subscribes later replays the log itself from
/// its own position, and `last` was read before the check, so nothing falls between.
async fn read_new(
    db: &DatabaseConnection,
    tx: &broadcast::Sender<Arc<Live>>,
    last: &mut i64,
) -> Result<(), sea_orm::DbErr> {
    let newest = events::latest(db).await?;
    if tx.receiver_count() == 0 {
        *last = newest.max(*last);
        return Ok(());
    }
    while newest > *last {
        let page = events::after(db, *last, Scope::Admin, None, PAGE).await?;
        let Some(end) = page.last().map(|e| e.seq) else {
            break;
        };
        for event in page {
            let _ = tx.send(Arc::new(live(event)));
        }
        *last = end;
    }
    Ok(())
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
    if matches!(caller.scope, Scope::Visitor { .. } | Scope::Kiosk { .. }) {
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
    // Subscribed before the replay: whatever commits during it is in the broadcast.
    let broadcast = hub.events.subscribe();
    let stop = hub.stop.clone();
    Ok(upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .read_buffer_size(MAX_MESSAGE)
        .write_buffer_size(16 * 1024)
        .on_upgrade(move |socket| async move {
            if let Err(error) = follow(socket, db, scope, location_id, since, broadcast, stop).await
            {
                tracing::debug!(%error, "live: socket closed");
            }
        }))
}

/// Sends what the caller may see after `since` from the log, then from the broadcast.
async fn follow(
    mut socket: WebSocket,
    db: DatabaseConnection,
    scope: Scope,
    location_id: Option<i32>,
    mut since: i64,
    mut broadcast: broadcast::Receiver<Arc<Live>>,
    stop: CancellationToken,
) -> Result<(), anyhow::Error> {
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut awaiting_pong = false;
    replay(&mut socket, &db, scope, location_id, &mut since).await?;
    loop {
        tokio::select! {
            _ = stop.cancelled() => {
                // 1012 "service restart": the client reconnects and resumes.
                let close = axum::extract::ws::CloseFrame { code: 1012, reason: "restarting".into() };
                let _ = socket.send(Message::Close(Some(close))).await;
                return Ok(());
            }
            received = broadcast.recv() => match received {
                Ok(live) if live.event.seq > since => {
                    if events::visible(&live.event, scope, location_id) {
                        socket.send(Message::Text(live.message.clone().into())).await?;
                    }
                    since = live.event.seq;
                }
                Ok(_) => {}
                // Fell behind the broadcast: catch up from the log, never skip.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    replay(&mut socket, &db, scope, location_id, &mut since).await?;
                }
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            },
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

/// Sends what the caller may see after `since` from the event log, page by page.
async fn replay(
    socket: &mut WebSocket,
    db: &DatabaseConnection,
    scope: Scope,
    location_id: Option<i32>,
    since: &mut i64,
) -> Result<(), anyhow::Error> {
    loop {
        let page = events::after(db, *since, scope, location_id, PAGE).await?;
        let full = page.len() as u64 == PAGE;
        for event in page {
            *since = event.seq;
            let live = live(event);
            socket.send(Message::Text(live.message.into())).await?;
        }
        if !full {
            return Ok(());
        }
    }
}
