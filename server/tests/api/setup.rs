//! First run: the setup link the binary prints while no admin exists, and its page.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, Statement};

use crate::browser::Browser;
use crate::helpers::{spawn_app, TestDatabase};

/// `frontdesk serve` on a fresh port, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    /// What it printed on stderr up to "listening".
    startup: Vec<String>,
    /// Every stderr line, also those after start-up.
    all: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(database_url: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("FRONTDESK_ADDR", "127.0.0.1:0")
        .env("FRONTDESK_LOG_FORMAT", "json")
        // Every request's log line too: none may carry the token.
        .env(
            "FRONTDESK_LOG",
            "debug,sqlx=warn,sea_orm=warn,hyper=info,h2=info",
        )
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("frontdesk starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut startup = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let address = loop {
        assert!(
            Instant::now() < deadline,
            "no 'listening' line: {startup:?}"
        );
        let line = lines.next().expect("the server is running").unwrap();
        startup.push(line.clone());
        if line.contains("Frontdesk is listening") {
            let log: serde_json::Value = serde_json::from_str(&line).unwrap();
            break format!("http://{}", log["addr"].as_str().unwrap());
        }
    };
    // Keep reading stderr, so the server never blocks on a full pipe.
    let all = std::sync::Arc::new(std::sync::Mutex::new(startup.clone()));
    let sink = all.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    Server {
        child,
        address,
        startup,
        all,
    }
}

fn setup_link(server: &Server) -> Option<String> {
    server.startup.iter().find_map(|line| {
        line.split_once("set up Frontdesk at ")
            .map(|(_, url)| url.to_string())
    })
}

fn form<'a>(token: &'a str, email: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("token", token),
        ("name", "Meena Iyer"),
        ("email", email),
        ("password", "a long first passphrase"),
        ("location_name", "Bengaluru HQ"),
        ("location_address", "1 MG Road, Bengaluru"),
        ("location_time_zone", "Asia/Kolkata"),
        ("country", "IN"),
    ]
}

async fn count(db_url: &str, table: &str) -> i64 {
    let db = Database::connect(db_url).await.unwrap();
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

#[tokio::test]
async fn a_first_start_prints_a_setup_link_whose_page_creates_the_admin_and_location_once() {
    let database = TestDatabase::fresh().await;
    let server = serve(&database.url);

    let link = setup_link(&server).expect("a setup link at start");
    let token = link
        .strip_prefix(&format!("{}/setup?token=", server.address))
        .expect("the link points at this server's /setup")
        .to_string();
    assert_eq!(token.len(), 43, "256 random bits, base64url: {token}");
    let mut browser = Browser::at(&server.address);

    // Without the token, or with a wrong one, the page is refused.
    for path in [
        "/setup".to_string(),
        format!("/setup?token={}x", &token[..20]),
    ] {
        let refused = browser.get(&path).await;
        assert_eq!(refused.status(), 403, "{path}");
        let html = refused.text().await.unwrap();
        assert!(html.contains("This setup link is not valid"), "{html}");
        assert!(!html.contains("setup-form"), "{html}");
    }
    let page = browser.get(&format!("/setup?token={token}")).await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()["cache-control"],
        "no-store",
        "the URL holds the token"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"data-testid="setup-form""#), "{html}");
    assert!(html.contains(r#"<option value="Asia/Kolkata">"#), "{html}");
    assert!(
        html.contains(r#"<option value="IN">India</option>"#),
        "{html}"
    );

    // A wrong token and bad input change nothing.
    let wrong = browser
        .post_form(
            "/api/complete_setup",
            &form("not-the-token", "meena@example.com"),
        )
        .await;
    assert_eq!(wrong.status(), 403);
    let mut bad = form(&token, "meena@example.com");
    bad[6].1 = "Asia/Bangalore";
    let invalid = browser.post_form("/api/complete_setup", &bad).await;
    assert_eq!(invalid.status(), 422);
    let error: serde_json::Value = invalid.json().await.unwrap();
    assert_eq!(error["Invalid"]["field"], "location_time_zone", "{error}");
    assert_eq!(count(&database.url, "users").await, 0);
    assert_eq!(count(&database.url, "locations").await, 0);

    let done = browser
        .post_form("/api/complete_setup", &form(&token, "Meena@Example.com"))
        .await;
    assert!(done.status().is_success(), "{}", done.status());
    assert!(done.headers().contains_key("serverfnredirect"));
    assert_eq!(done.headers()["location"], "/admin?welcome=1");
    let admin = browser.get("/admin?welcome=1").await;
    assert_eq!(admin.status(), 200, "the new admin is logged in");
    let html = admin.text().await.unwrap();
    assert!(html.contains(r#"data-testid="next-steps""#), "{html}");

    let mut again = Browser::at(&server.address);
    again
        .log_in("host", "meena@example.com", "a long first passphrase")
        .await;
    assert!(
        again.cookie.is_some(),
        "the admin logs in with the password set up"
    );
    let locations: serde_json::Value = again
        .api(reqwest::Method::GET, "/api/v1/locations", None)
        .await
        .json()
        .await
        .unwrap();
    let location = &locations["items"][0];
    assert_eq!(location["name"], "Bengaluru HQ");
    assert_eq!(location["time_zone"], "Asia/Kolkata");
    assert_eq!(location["country"], "IN");

    // Set up: the page and its form are gone, and so are the tokens.
    assert_eq!(
        browser.get(&format!("/setup?token={token}")).await.status(),
        404
    );
    let replay = Browser::at(&server.address)
        .post_form("/api/complete_setup", &form(&token, "other@example.com"))
        .await;
    assert_eq!(replay.status(), 404);
    assert_eq!(count(&database.url, "users").await, 1);
    assert_eq!(count(&database.url, "setup_tokens").await, 0);
    drop(server);

    let restarted = serve(&database.url);
    assert_eq!(setup_link(&restarted), None, "{:?}", restarted.startup);
}

#[tokio::test]
async fn no_secret_is_written_to_the_log_neither_the_setup_link_nor_a_check_out_link() {
    let database = TestDatabase::fresh().await;
    let mut server = serve(&database.url);
    let link = setup_link(&server).expect("a setup link");
    let token = link.rsplit('=').next().unwrap().to_string();
    let mut browser = Browser::at(&server.address);
    assert_eq!(
        browser.get(&format!("/setup?token={token}")).await.status(),
        200
    );
    let bad = form(&token, "not an address");
    assert_eq!(
        browser
            .post_form("/api/complete_setup", &bad)
            .await
            .status(),
        422
    );
    let done = browser
        .post_form("/api/complete_setup", &form(&token, "meena@example.com"))
        .await;
    assert!(done.status().is_success(), "{}", done.status());
    // Secrets in paths: a guest's check-out link, a kiosk's done screen.
    let secrets = ["Gu3stCheckoutS3cret", "K1oskD0neS3cret"];
    browser.get(&format!("/checkout/{}", secrets[0])).await;
    browser.get(&format!("/kiosk/done/{}", secrets[1])).await;
    let _ = server.child.kill();
    let _ = server.child.wait();
    std::thread::sleep(Duration::from_millis(200));

    let all = server.all.lock().unwrap().clone();
    assert!(
        all.iter().any(|l| l.contains("/setup")),
        "requests are logged: {all:?}"
    );
    assert!(
        all.iter().any(|l| l.contains("/checkout/:token")),
        "a check-out link's request is logged without its token: {all:?}"
    );
    let logged: Vec<_> = all
        .iter()
        .filter(|line| {
            line.starts_with('{')
                && (line.contains(&token) || secrets.iter().any(|s| line.contains(s)))
        })
        .collect();
    assert!(logged.is_empty(), "{logged:?}");
}

#[tokio::test]
async fn two_setups_at_once_make_exactly_one_admin() {
    let app = spawn_app().await;
    let first = app::ssr::services::setup::issue_token(&app.db)
        .await
        .unwrap()
        .unwrap();
    let second = app::ssr::services::setup::issue_token(&app.db)
        .await
        .unwrap()
        .unwrap();

    let mut a = Browser::at(&app.address);
    let mut b = Browser::at(&app.address);
    let mut c = Browser::at(&app.address);
    let form_a = form(&first, "a@example.com");
    let form_b = form(&first, "b@example.com");
    let form_c = form(&second, "c@example.com");
    let (ra, rb, rc) = tokio::join!(
        a.post_form("/api/complete_setup", &form_a),
        b.post_form("/api/complete_setup", &form_b),
        c.post_form("/api/complete_setup", &form_c),
    );
    let statuses = [
        ra.status().as_u16(),
        rb.status().as_u16(),
        rc.status().as_u16(),
    ];
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [200, 403, 404].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(count(&app.database.url, "users").await, 1);
    assert_eq!(count(&app.database.url, "locations").await, 1);
}

#[tokio::test]
async fn the_home_page_says_how_to_set_up_until_an_admin_exists() {
    let app = spawn_app().await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains(r#"data-testid="setup-pending""#), "{html}");

    let admin = crate::helpers::spawn_app_with(|s| {
        s.admin_email = Some("root@example.com".into());
        s.admin_password = Some("a long admin passphrase".to_string().into());
    })
    .await;
    let html = admin.get("/").await.text().await.unwrap();
    assert!(!html.contains("setup-pending"), "{html}");
}
