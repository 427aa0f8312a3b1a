//! Live dashboards: while a page is open in a browser with JS, its live island
//! follows `/api/v1/events` and re-reads its data whenever something it may see
//! changes.
//! The server sends only events the account may see, so any event means "re-read".
//! Without JS nothing here runs and the page is as fresh as its last load.

use std::future::Future;

use leptos::prelude::*;

use crate::components::form::use_hydrated;
use crate::error::AppError;

/// Where the socket stands, for the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveState {
    Connecting,
    Live,
    /// Lost; retrying with backoff. The page still shows what it last read.
    Reconnecting,
}

/// Bumps whenever the page should re-read: on every event and after every
/// (re)connect, which also closes the gap between the page's load and the socket.
#[derive(Clone, Copy)]
pub struct Live {
    pub changes: ReadSignal<u64>,
    pub state: ReadSignal<LiveState>,
}

/// Follows the event stream for as long as the calling component lives.
pub fn use_live() -> Live {
    let (changes, set_changes) = signal(0u64);
    let (state, set_state) = signal(LiveState::Connecting);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| client::follow(set_changes, set_state));
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_changes, set_state);
    Live { changes, state }
}

/// An island's data that follows the event stream: it starts from what the server
/// rendered (`first`) and is read again with `fetch` after every change.
pub fn use_live_data<T, F, Fut>(
    first: Result<T, AppError>,
    fetch: F,
) -> (Live, ReadSignal<Result<T, AppError>>)
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let live = use_live();
    (live, use_reread(first, move || live.changes.track(), fetch))
}

/// An island's data: what the server rendered (`first`), read again with `fetch`
/// whenever a signal that `trigger` tracks changes. Only the latest read is shown,
/// however the answers arrive.
pub fn use_reread<T, F, Fut>(
    first: Result<T, AppError>,
    trigger: impl Fn() + 'static,
    fetch: F,
) -> ReadSignal<Result<T, AppError>>
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let (data, set_data) = signal(first);
    let (asked, set_asked) = signal(0u64);
    Effect::new(move |ran: Option<()>| {
        trigger();
        // The first run is the page as the server rendered it.
        if ran.is_some() {
            let n = asked.get_untracked() + 1;
            set_asked.set(n);
            let read = fetch();
            leptos::task::spawn_local(async move {
                let answer = read.await;
                if asked.get_untracked() == n {
                    set_data.set(answer);
                }
            });
        }
    });
    data
}

/// A live page's heading with the live badge beside it.
#[component]
pub fn LiveHeading(title: &'static str, live: Live) -> impl IntoView {
    view! {
        <div class="page-head">
            <h1>{title}</h1>
            <LiveIndicator live/>
        </div>
    }
}

/// A small "Live" / "Reconnecting…" badge; nothing without JS.
#[component]
pub fn LiveIndicator(live: Live) -> impl IntoView {
    let hydrated = use_hydrated();
    let label = move || match live.state.get() {
        LiveState::Connecting => "Connecting…",
        LiveState::Live => "Live",
        LiveState::Reconnecting => "Reconnecting…",
    };
    let class = move || match live.state.get() {
        LiveState::Live => "live live-on",
        _ => "live live-off",
    };
    view! {
        <Show when=move || hydrated.get()>
            <span class=class role="status" data-testid="live-state">{label}</span>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use leptos::prelude::*;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{CloseEvent, MessageEvent, WebSocket};

    use super::LiveState;

    const FIRST_RETRY_MS: f64 = 500.0;
    const MAX_RETRY_MS: f64 = 30_000.0;

    struct Follower {
        socket: Option<WebSocket>,
        /// The last sequence number seen: a reconnect resumes after it.
        since: Option<f64>,
        attempt: i32,
        stopped: bool,
        timer: Option<TimeoutHandle>,
        // Kept alive as long as the socket uses them.
        handlers: Vec<Box<dyn std::any::Any>>,
    }

    fn url(since: Option<f64>) -> Option<String> {
        let location = window().location();
        let scheme = match location.protocol().ok()?.as_str() {
            "https:" => "wss",
            _ => "ws",
        };
        let host = location.host().ok()?;
        Some(match since {
            Some(seq) => format!("{scheme}://{host}/api/v1/events?since={seq}"),
            None => format!("{scheme}://{host}/api/v1/events"),
        })
    }

    pub fn follow(changes: WriteSignal<u64>, state: WriteSignal<LiveState>) {
        let follower = Rc::new(RefCell::new(Follower {
            socket: None,
            since: None,
            attempt: 0,
            stopped: false,
            timer: None,
            handlers: Vec::new(),
        }));
        connect(follower.clone(), changes, state);
        let on_leave = send_wrapper::SendWrapper::new(follower);
        on_cleanup(move || {
            let mut f = on_leave.borrow_mut();
            f.stopped = true;
            if let Some(timer) = f.timer.take() {
                timer.clear();
            }
            if let Some(socket) = f.socket.take() {
                // Unhook first: a close event must not reach a dropped handler.
                socket.set_onopen(None);
                socket.set_onmessage(None);
                socket.set_onclose(None);
                let _ = socket.close();
            }
            f.handlers.clear();
        });
    }

    fn connect(
        follower: Rc<RefCell<Follower>>,
        changes: WriteSignal<u64>,
        state: WriteSignal<LiveState>,
    ) {
        let since = follower.borrow().since;
        let Some(socket) = url(since).and_then(|u| WebSocket::new(&u).ok()) else {
            retry(follower, changes, state);
            return;
        };
        let opened = Rc::new(Cell::new(false));
        let on_open = {
            let follower = follower.clone();
            let opened = opened.clone();
            Closure::<dyn FnMut()>::new(move || {
                opened.set(true);
                follower.borrow_mut().attempt = 0;
                state.set(LiveState::Live);
                changes.update(|n| *n += 1);
            })
        };
        let on_message = {
            let follower = follower.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let seq = event
                    .data()
                    .as_string()
                    .and_then(|text| js_sys::JSON::parse(&text).ok())
                    .and_then(|json| js_sys::Reflect::get(&json, &"seq".into()).ok())
                    .and_then(|seq| seq.as_f64());
                if let Some(seq) = seq {
                    follower.borrow_mut().since = Some(seq);
                }
                changes.update(|n| *n += 1);
            })
        };
        let on_close = {
            let follower = follower.clone();
            Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
                if follower.borrow().stopped {
                    return;
                }
                state.set(LiveState::Reconnecting);
                retry(follower.clone(), changes, state);
            })
        };
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let mut f = follower.borrow_mut();
        f.socket = Some(socket);
        f.handlers = vec![Box::new(on_open), Box::new(on_message), Box::new(on_close)];
    }

    /// Exponential backoff with full jitter: many dashboards that lost the same
    /// server do not all come back in the same instant.
    fn retry(
        follower: Rc<RefCell<Follower>>,
        changes: WriteSignal<u64>,
        state: WriteSignal<LiveState>,
    ) {
        let attempt = {
            let mut f = follower.borrow_mut();
            f.attempt += 1;
            f.attempt
        };
        let ceiling = (FIRST_RETRY_MS * 2f64.powi(attempt - 1)).min(MAX_RETRY_MS);
        let delay = ceiling * (0.5 + js_sys::Math::random() / 2.0);
        let next = follower.clone();
        let timer = set_timeout_with_handle(
            move || {
                if !next.borrow().stopped {
                    connect(next, changes, state);
                }
            },
            std::time::Duration::from_millis(delay as u64),
        )
        .ok();
        follower.borrow_mut().timer = timer;
    }
}
