//! The live event stream over a real websocket client (tokio-tungstenite).

use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::browser::COOKIE;
use crate::helpers::{check_in, spawn_app_with, TestApp};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn app() -> TestApp {
    spawn_app_with(|s| s.allowed_host_domains = Some("example.com".into())).await
}

/// Opens the stream with a session cookie, or the app's token when `cookie` is None.
pub async fn connect(app: &TestApp, cookie: Option<&str>, since: Option<i64>) -> Socket {
    try_connect(app, cookie, since, None)
        .await
        .expect("upgrade accepted")
}

async fn try_connect(
    app: &TestApp,
    cookie: Option<&str>,
    since: Option<i64>,
    origin: Option<&str>,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let since = since.map(|s| format!("?since={s}")).unwrap_or_default();
    let url = format!(
        "{}/api/v1/events{since}",
        app.address.replacen("http", "ws", 1)
    );
    let mut request = url.into_client_request().unwrap();
    let headers = request.headers_mut();
    match cookie {
        Some(cookie) => headers.insert("cookie", format!("{COOKIE}={cookie}").parse().unwrap()),
        None => headers.insert(
            "authorization",
            format!("Bearer {}", app.token).parse().unwrap(),
        ),
    };
    if let Some(origin) = origin {
        headers.insert("origin", origin.parse().unwrap());
    }
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(socket, _)| socket)
}

/// The next event message, or None if nothing arrives within `wait`.
pub async fn next_event(socket: &mut Socket, wait: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()??
            .ok()?;
        if let Message::Text(text) = message {
            return Some(serde_json::from_str(&text).unwrap());
        }
    }
}

#[tokio::test]
async fn a_check_in_reaches_its_host_within_a_second_and_no_other_host() {
    let app = app().await;
    let (location_id, _) = app.location_and_host().await;
    let (host_a, a_id) = app.host_account("Host Alpha", location_id).await;
    let (host_b, _) = app.host_account("Host Bravo", location_id).await;
    let mut a = connect(&app, host_a.browser.cookie.as_deref(), None).await;
    let mut b = connect(&app, host_b.browser.cookie.as_deref(), None).await;

    let started = tokio::time::Instant::now();
    let visit_id = check_in(&app, a_id, 1).await;

    let event = next_event(&mut a, Duration::from_secs(1))
        .await
        .expect("event within 1 s");
    println!("event after {:?}", started.elapsed());
    assert_eq!(event["kind"], "visit_checked_in");
    assert_eq!(event["data"]["visit"]["id"], visit_id);
    assert_eq!(event["data"]["visit"]["name"], "Guest 1");
    assert!(event["seq"].as_i64().unwrap() > 0);
    assert!(
        next_event(&mut b, Duration::from_millis(1500))
            .await
            .is_none(),
        "host B saw host A's guest"
    );
}

#[tokio::test]
async fn a_client_that_reconnects_with_since_gets_exactly_what_it_missed_in_order() {
    let app = app().await;
    let (_, host_id) = app.location_and_host().await;
    let mut socket = connect(&app, None, None).await;
    check_in(&app, host_id, 0).await;
    let first = next_event(&mut socket, Duration::from_secs(2))
        .await
        .unwrap();
    let last_seen = first["seq"].as_i64().unwrap();
    drop(socket);

    let mut missed = Vec::new();
    for n in 1..=10 {
        missed.push(check_in(&app, host_id, n).await);
    }
    let mut socket = connect(&app, None, Some(last_seen)).await;
    let mut got = Vec::new();
    while let Some(event) = next_event(&mut socket, Duration::from_millis(800)).await {
        assert_eq!(event["kind"], "visit_checked_in");
        got.push((
            event["seq"].as_i64().unwrap(),
            event["data"]["visit"]["id"].as_i64().unwrap(),
        ));
    }
    assert_eq!(got.iter().map(|(_, id)| *id).collect::<Vec<_>>(), missed);
    assert!(
        got.windows(2).all(|w| w[0].0 < w[1].0),
        "in sequence order: {got:?}"
    );
    assert!(got[0].0 > last_seen);
}

#[tokio::test]
async fn an_anonymous_upgrade_a_foreign_origin_and_a_visitor_are_refused() {
    let app = app().await;
    let status = |e: tokio_tungstenite::tungstenite::Error| match e {
        tokio_tungstenite::tungstenite::Error::Http(response) => response.status().as_u16(),
        other => panic!("not an HTTP refusal: {other}"),
    };
    let mut anonymous = app.browser();
    anonymous.cookie = Some("forged".into());
    let refused = try_connect(&app, anonymous.cookie.as_deref(), None, None)
        .await
        .err()
        .unwrap();
    assert_eq!(status(refused), 401);
    let refused = try_connect(&app, None, None, Some("https://evil.example"))
        .await
        .err()
        .unwrap();
    assert_eq!(status(refused), 403);
    let visitor = app.sign_up("visitor", "Val Visitor", None).await;
    let refused = try_connect(&app, visitor.browser.cookie.as_deref(), None, None)
        .await
        .err()
        .unwrap();
    assert_eq!(status(refused), 403);
    // Our own origin is fine.
    let own = app.address.clone();
    assert!(try_connect(&app, None, None, Some(&own)).await.is_ok());
}

#[tokio::test]
async fn a_check_in_on_one_instance_reaches_a_socket_on_another() {
    // Two instances on one database (a shared SQLite file works as well).
    let first = app().await;
    let url = first.database.url.clone();
    let second = spawn_app_with(|s| s.database_url = secrecy::SecretString::from(url)).await;
    let (_, host_id) = first.location_and_host().await;
    let mut socket = connect(&second, None, None).await;

    let started = tokio::time::Instant::now();
    let visit_id = check_in(&first, host_id, 1).await;

    let event = next_event(&mut socket, Duration::from_secs(1))
        .await
        .expect("within 1 s");
    println!("cross-instance event after {:?}", started.elapsed());
    assert_eq!(event["data"]["visit"]["id"], visit_id);
}

/// An instance on `addr` over `database_url` that stops when the sender is dropped
/// or fired; the handle finishes once it has shut down.
async fn stoppable_instance(
    database_url: &str,
    addr: std::net::SocketAddr,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let mut settings = frontdesk::settings::Settings::defaults().unwrap();
    settings.addr = addr;
    settings.database_url = secrecy::SecretString::from(database_url.to_string());
    let app = frontdesk::startup::Application::build(&settings)
        .await
        .expect("the instance starts");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        let _ = app
            .run_until(async move {
                let _ = stopped.await;
            })
            .await;
    });
    (stop, handle)
}

#[tokio::test]
async fn a_client_reconnects_after_a_server_restart_and_misses_nothing() {
    // Instance A takes the check-ins; the client follows instance B, which restarts.
    let a = app().await;
    let (_, host_id) = a.location_and_host().await;
    let addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap()
    };
    let (stop, running) = stoppable_instance(&a.database.url, addr).await;
    let b = TestApp {
        address: format!("http://{addr}"),
        db: a.db.clone(),
        database: crate::helpers::TestDatabase::shared(&a.database.url),
        client: a.client.clone(),
        token: a.token.clone(),
    };
    let mut socket = connect(&b, None, None).await;
    check_in(&a, host_id, 0).await;
    let last_seen = next_event(&mut socket, Duration::from_secs(2))
        .await
        .unwrap()["seq"]
        .as_i64()
        .unwrap();

    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("the instance shuts down with a socket open")
        .unwrap();
    assert!(
        next_event(&mut socket, Duration::from_secs(2))
            .await
            .is_none(),
        "the socket ends with the server"
    );
    let mut missed = Vec::new();
    for n in 1..=3 {
        missed.push(check_in(&a, host_id, n).await);
    }
    let (_stop_again, _running_again) = stoppable_instance(&a.database.url, addr).await;

    // The client's side of the protocol: reconnect, resuming after the last seq seen.
    let mut socket = connect(&b, None, Some(last_seen)).await;
    let mut got = Vec::new();
    while let Some(event) = next_event(&mut socket, Duration::from_millis(800)).await {
        got.push(event["data"]["visit"]["id"].as_i64().unwrap());
    }
    assert_eq!(got, missed);
}

/// The close code the socket ends with within `wait`, if it ends.
async fn closed_with(socket: &mut Socket, wait: Duration) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return None,
            Ok(None) | Ok(Some(Err(_))) => return Some(1006),
            Ok(Some(Ok(Message::Close(frame)))) => {
                return Some(frame.map_or(1005, |f| u16::from(f.code)))
            }
            Ok(Some(Ok(_))) => {}
        }
    }
}

#[tokio::test]
async fn a_socket_closes_within_a_second_of_log_out_deactivation_or_a_password_change_elsewhere() {
    let app = app().await;
    let (location_id, _) = app.location_and_host().await;
    let second =
        spawn_app_with(|s| s.database_url = secrecy::SecretString::from(app.database.url.clone()))
            .await;

    // Log-out: on the other instance too.
    let (mut host, _) = app.host_account("Lou Logout", location_id).await;
    let mut here = connect(&app, host.browser.cookie.as_deref(), None).await;
    let mut there = connect(&second, host.browser.cookie.as_deref(), None).await;
    assert_eq!(
        closed_with(&mut here, Duration::from_millis(1500)).await,
        None
    );
    let out = host.browser.post_form("/api/log_out", &[]).await;
    assert!(out.status().is_success() || out.status().is_redirection());
    let started = tokio::time::Instant::now();
    assert_eq!(
        closed_with(&mut here, Duration::from_secs(2)).await,
        Some(4401)
    );
    assert_eq!(
        closed_with(&mut there, Duration::from_secs(2)).await,
        Some(4401)
    );
    println!("closed {:?} after log-out", started.elapsed());

    // Deactivation by an admin.
    let (host, host_id) = app.host_account("Dee Deactivated", location_id).await;
    let mut socket = connect(&app, host.browser.cookie.as_deref(), None).await;
    let response = app
        .api(
            reqwest::Method::PATCH,
            &format!("/api/v1/hosts/{host_id}"),
            Some(serde_json::json!({"active": false})),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        closed_with(&mut socket, Duration::from_secs(2)).await,
        Some(4401)
    );

    // A password change ends the other sessions' sockets, not the changer's own.
    let (mut host, _) = app.host_account("Pat Password", location_id).await;
    let mut elsewhere = crate::browser::Browser::new(&app);
    elsewhere
        .log_in("host", &host.email, crate::browser::PASSWORD)
        .await;
    let mut other = connect(&app, elsewhere.cookie.as_deref(), None).await;
    let mut own = connect(&app, host.browser.cookie.as_deref(), None).await;
    let changed = host
        .browser
        .post_form(
            "/api/change_password",
            &[
                ("current", crate::browser::PASSWORD),
                ("new", "a brand new passphrase"),
            ],
        )
        .await;
    assert!(changed.status().is_success() || changed.status().is_redirection());
    assert_eq!(
        closed_with(&mut other, Duration::from_secs(2)).await,
        Some(4401)
    );
    assert_eq!(
        closed_with(&mut own, Duration::from_millis(1500)).await,
        None
    );
}

#[tokio::test]
async fn a_password_reset_through_an_e_mailed_link_closes_every_socket_of_the_account() {
    let app = app().await;
    let (location_id, _) = app.location_and_host().await;
    let (host, _) = app.host_account("Rae Reset", location_id).await;
    let mut socket = connect(&app, host.browser.cookie.as_deref(), None).await;
    let asked = app
        .browser()
        .post_form(
            "/api/forgot_password",
            &[("door", "host"), ("email", &host.email)],
        )
        .await;
    assert!(asked.status().is_success());
    assert_eq!(
        closed_with(&mut socket, Duration::from_millis(1500)).await,
        None,
        "asking for a link changes nothing"
    );
    let token = app
        .link_sent_to(&host.email, "/account/password")
        .await
        .expect("a reset link");
    let set = app
        .browser()
        .post_form(
            "/api/set_password",
            &[("token", &token), ("password", "a brand new passphrase")],
        )
        .await;
    assert!(set.status().is_success());
    assert_eq!(
        closed_with(&mut socket, Duration::from_secs(2)).await,
        Some(4401)
    );
}

#[tokio::test]
async fn a_socket_closes_when_its_session_expires_or_its_token_is_revoked() {
    let app = app().await;
    let (location_id, _) = app.location_and_host().await;
    let (host, _) = app.host_account("Ida Idle", location_id).await;
    let mut socket = connect(&app, host.browser.cookie.as_deref(), None).await;
    let mut by_token = connect(&app, None, None).await;
    use sea_orm::ConnectionTrait;
    app.db
        .execute(sea_orm::Statement::from_sql_and_values(
            app.db.get_database_backend(),
            "UPDATE sessions SET expires_at = $1",
            [(chrono::Utc::now() - chrono::Duration::seconds(1)).into()],
        ))
        .await
        .unwrap();
    app.db
        .execute_unprepared("UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP")
        .await
        .unwrap();
    assert_eq!(
        closed_with(&mut socket, Duration::from_secs(2)).await,
        Some(4401)
    );
    assert_eq!(
        closed_with(&mut by_token, Duration::from_secs(2)).await,
        Some(4401)
    );
}

#[tokio::test]
async fn one_account_may_hold_twenty_sockets_and_the_twenty_first_is_refused() {
    let app = app().await;
    let mut open = Vec::new();
    for _ in 0..20 {
        open.push(connect(&app, None, None).await);
    }
    let refused = try_connect(&app, None, None, None).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 429)
        }
        other => panic!("the 21st socket was not refused: {:?}", other.map(|_| ())),
    }
    // Closing one makes room.
    drop(open.pop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(try_connect(&app, None, None, None).await.is_ok());
}
