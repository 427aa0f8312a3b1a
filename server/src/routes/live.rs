//! The live event stream: `GET /api/v1/events?since=SEQ` upgrades to a websocket.
//!
//! One task per instance (the hub) reads each new event from the event log once and
//! broadcasts it; every socket sends the ones its caller may see. A socket replays
//! from the log on connect, and again whenever it falls behind the broadcast, so a
//! slow socket never skips an event. Events from other instances reach the hub the
//! same way as local ones (it reads the shared log), and order is commit order.
//!
//! Every second a socket checks again what let it in (the session, or the API
//! token): it closes with 4401 within a second of a log-out, a deactivation, a
//! password change elsewhere or expiry, on whichever instance it runs. One account
//! holds at most `MAX_SOCKETS_PER_ACCOUNT` sockets on an instance.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::ssr::auth::caller::Scope;
use app::ssr::services::events;
use app::ssr::state::AppState;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use super::api::auth::Authority;
use super::api::error::{ApiError, ErrorBody};
use super::api::extract::ApiQuery;
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
/// How often a socket checks that its caller is still logged in (or its token live).
const RECHECK_EVERY: Duration = Duration::from_secs(1);
pub const MAX_SOCKETS_PER_ACCOUNT: usize = 20;
/// Close code for "no longer authorised" (4000–4999 are the application's).
const CLOSE_UNAUTHORIZED: u16 = 4401;

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
    /// Open sockets per account (or token) on this instance.
    open: Arc<Mutex<HashMap<String, usize>>>,
}

/// One account's place among its open sockets; given back when dropped.
struct Slot {
    open: Arc<Mutex<HashMap<String, usize>>>,
    key: String,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.open.lock() {
            if let Some(n) = open.get_mut(&self.key) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.remove(&self.key);
                }
            }
        }
    }
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
            open: Arc::default(),
        }
    }

    /// A place for one more socket of `authority`'s account, if it has fewer open.
    fn admit(&self, authority: &Authority) -> Option<Slot> {
        let key = match authority {
            Authority::Session { user_id, .. } => format!("user {user_id}"),
            Authority::Token(id) => format!("token {id}"),
        };
        let mut open = self.open.lock().ok()?;
        let n = open.entry(key.clone()).or_insert(0);
        if *n >= MAX_SOCKETS_PER_ACCOUNT {
            return None;
        }
        *n += 1;
        Some(Slot {
            open: self.open.clone(),
            key,
        })
    }
}

/// What a socket needs to check its caller again.
struct Grant {
    authority: Authority,
    absolute: Duration,
    _slot: Slot,
}

impl Grant {
    async fn holds(&self, db: &DatabaseConnection) -> Result<bool, anyhow::Error> {
        match &self.authority {
            Authority::Session { id, .. } => {
                app::ssr::auth::session::still_logged_in(db, id, self.absolute).await
            }
            Authority::Token(id) => Ok(app::ssr::services::tokens::is_live(db, *id).await?),
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// The last sequence number the client saw; events after it are replayed.
    /// Without it, the stream starts with the next event.
    since: Option<i64>,
    /// Admins only: one location's events.
    location_id: Option<i32>,
}

/// A websocket of live events for hosts (their own visits) and admins (all, or one
/// location's). Each message is `{"seq", "kind", "at", "data"}`; reconnect with
/// `since` = the last `seq` seen to miss nothing. Closes with 4401 when the log-in
/// or token that opened it ends, with 1012 when the server restarts.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", operation_id = "follow_events", params(EventsQuery),
    responses(
        (status = 101, description = "Switched to the websocket protocol"),
        (status = 426, body = ErrorBody, description = "Not a websocket upgrade request"),
        (status = 429, body = ErrorBody, description = "This account has too many live connections open")),
    security(("bearer" = [])))]
pub async fn events(
    caller: ApiCaller,
    State(state): State<AppState>,
    axum::Extension(hub): axum::Extension<LiveHub>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<EventsQuery>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let upgrade = upgrade.map_err(|_| {
        ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            "not_a_websocket",
            "Open this with a websocket client (Connection: upgrade, Upgrade: websocket).",
        )
    })?;
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
    let Some(slot) = hub.admit(&caller.authority) else {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_sockets",
            format!("This account already follows live events on {MAX_SOCKETS_PER_ACCOUNT} connections; close some first."),
        ));
    };
    let grant = Grant {
        authority: caller.authority.clone(),
        absolute: state.config.sessions.absolute,
        _slot: slot,
    };
    // Subscribed before the replay: whatever commits during it is in the broadcast.
    let broadcast = hub.events.subscribe();
    let stop = hub.stop.clone();
    Ok(upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .read_buffer_size(MAX_MESSAGE)
        .write_buffer_size(16 * 1024)
        .on_upgrade(move |socket| async move {
            let stream = Stream {
                db,
                scope,
                location_id,
                grant,
            };
            if let Err(error) = follow(socket, stream, since, broadcast, stop).await {
                tracing::debug!(%error, "live: socket closed");
            }
        }))
}

/// One socket's caller: what they may see, and what let them in.
struct Stream {
    db: DatabaseConnection,
    scope: Scope,
    location_id: Option<i32>,
    grant: Grant,
}

/// Sends what the caller may see after `since` from the log, then from the broadcast.
async fn follow(
    mut socket: WebSocket,
    stream: Stream,
    mut since: i64,
    mut broadcast: broadcast::Receiver<Arc<Live>>,
    stop: CancellationToken,
) -> Result<(), anyhow::Error> {
    let Stream {
        db,
        scope,
        location_id,
        grant,
    } = stream;
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut recheck = tokio::time::interval(RECHECK_EVERY);
    recheck.tick().await;
    let mut awaiting_pong = false;
    replay(&mut socket, &db, scope, location_id, &mut since).await?;
    loop {
        tokio::select! {
            _ = recheck.tick() => {
                if !grant.holds(&db).await? {
                    let close = axum::extract::ws::CloseFrame {
                        code: CLOSE_UNAUTHORIZED,
                        reason: "logged out".into(),
                    };
                    let _ = socket.send(Message::Close(Some(close))).await;
                    return Ok(());
                }
            }
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
