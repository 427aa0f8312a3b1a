//! The lobby tablet: pairing, check-in and check-out at its own location only,
//! returning guests, revocation, and the guest's self-check-out link.

use crate::browser::{spawn_app_with_admin, Browser};
use crate::helpers::{check_in, TestApp};
use sea_orm::ConnectionTrait;
use serde_json::Value;

const KIOSK_COOKIE: &str = "frontdesk_kiosk";

/// A tablet: its own kiosk cookie, its browser's other cookies (the session that
/// holds a check-in under way), same-origin form posts like the kiosk pages send.
pub struct Tablet {
    address: String,
    client: reqwest::Client,
    cookie: Option<String>,
    others: std::collections::BTreeMap<String, String>,
    /// The client address a trusted proxy would report (`X-Forwarded-For`).
    forwarded_for: Option<&'static str>,
}

impl Tablet {
    /// Another browser with this tablet's kiosk cookie only (no session of its own yet).
    pub fn other_browser(&self) -> Self {
        Self {
            others: Default::default(),
            ..Self::clone_of(self)
        }
    }

    fn clone_of(other: &Self) -> Self {
        Self {
            address: other.address.clone(),
            client: other.client.clone(),
            cookie: other.cookie.clone(),
            others: other.others.clone(),
            forwarded_for: other.forwarded_for,
        }
    }

    pub fn new(app: &TestApp) -> Self {
        Self {
            address: app.address.clone(),
            client: app.client.clone(),
            cookie: None,
            others: Default::default(),
            forwarded_for: None,
        }
    }

    fn at(app: &TestApp, address: &'static str) -> Self {
        Self {
            forwarded_for: Some(address),
            ..Self::new(app)
        }
    }

    fn cookies(&self) -> String {
        let kiosk = self.cookie.iter().map(|c| format!("{KIOSK_COOKIE}={c}"));
        let others = self
            .others
            .iter()
            .map(|(name, value)| format!("{name}={value}"));
        kiosk.chain(others).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(&mut self, response: &reqwest::Response) {
        for set in response.headers().get_all(reqwest::header::SET_COOKIE) {
            let Some((name, rest)) = set.to_str().ok().and_then(|v| v.split_once('=')) else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or_default().to_string();
            if name == KIOSK_COOKIE {
                self.cookie = Some(value);
            } else {
                self.others.insert(name.to_string(), value);
            }
        }
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}{path}", self.address))
            .header(reqwest::header::ORIGIN, self.address.clone())
            .header(reqwest::header::COOKIE, self.cookies())
            .form(form);
        if let Some(address) = self.forwarded_for {
            request = request.header("x-forwarded-for", address);
        }
        let response = request.send().await.expect("request reaches the app");
        self.keep_cookies(&response);
        response
    }

    /// A page, as the tablet's browser opens it.
    pub async fn get(&mut self, path: &str) -> reqwest::Response {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .header(reqwest::header::COOKIE, self.cookies())
            .send()
            .await
            .expect("request reaches the app");
        self.keep_cookies(&response);
        response
    }

    /// A server function's answer, as JSON.
    pub async fn json(&mut self, path: &str, form: &[(&str, &str)]) -> Value {
        self.post(path, form)
            .await
            .json()
            .await
            .expect("a JSON answer")
    }
}

/// The admin creates a kiosk for `location_id`; returns its pairing code.
async fn pairing_code(admin: &mut Browser, location_id: i64) -> String {
    let response = admin
        .post_form(
            "/api/admin_add_kiosk",
            &[
                ("location_id", &location_id.to_string()),
                ("name", "Main entrance"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["code"].as_str().expect("a pairing code").to_string()
}

pub async fn paired_tablet(app: &TestApp, admin: &mut Browser, location_id: i64) -> Tablet {
    let code = pairing_code(admin, location_id).await;
    let mut tablet = Tablet::new(app);
    // Typed in lower case with a space: still the code.
    let typed = format!("{} {}", &code[..5].to_lowercase(), &code[5..]);
    let response = tablet.post("/api/pair_kiosk", &[("code", &typed)]).await;
    assert!(
        response.status().is_success(),
        "pairing answered {}",
        response.status()
    );
    assert!(tablet.cookie.is_some(), "pairing sets the kiosk cookie");
    tablet
}

pub fn guest_form(host_id: i64) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Zoë Ng".into()),
        ("email", "zoe@example.org".into()),
        ("phone", "+1 415 555 0199".into()),
        ("host_id", host_id.to_string()),
    ]
}

pub async fn kiosk_check_in(tablet: &mut Tablet, host_id: i64) -> reqwest::Response {
    let form = guest_form(host_id);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    tablet.post("/api/kiosk_check_in", &form).await
}

/// The token from the done screen the check-in sends the tablet to.
pub fn done_token(response: &reqwest::Response) -> String {
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("check-in redirects to the done screen");
    location
        .strip_prefix("/kiosk/done/")
        .unwrap_or_else(|| panic!("unexpected redirect {location}"))
        .to_string()
}

pub async fn visits(app: &TestApp) -> Vec<Value> {
    let body: Value = app.get_json("/api/v1/visits").await.json().await.unwrap();
    body["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_paired_kiosk_checks_a_guest_in_with_a_host_of_its_location_and_out_again() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_id, host_id) = app.location_and_host().await;
    let mut tablet = paired_tablet(&app, &mut admin, location_id).await;

    let hosts: Value = tablet
        .post("/api/kiosk_hosts", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hosts[0]["id"].as_i64(), Some(host_id), "{hosts}");

    let response = kiosk_check_in(&mut tablet, host_id).await;
    let token = done_token(&response);
    let list = visits(&app).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["host_id"].as_i64(), Some(host_id));
    assert_eq!(list[0]["status"], "running");

    let receipt: Value = tablet
        .post("/api/kiosk_receipt", &[("token", &token)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(receipt["guest_name"], "Zoë Ng");
    assert_eq!(receipt["host_name"], "Grace Hopper");
    assert!(receipt["checkout_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/checkout/{token}")));
    assert!(
        receipt["qr"]["path"].as_str().unwrap().starts_with('M'),
        "{receipt}"
    );

    // Checking out at the kiosk by e-mail and surname, in another case.
    let response = tablet
        .post(
            "/api/kiosk_check_out",
            &[("contact", "ZOE@example.org"), ("surname", "NG")],
        )
        .await;
    assert!(
        response.status().is_success(),
        "check-out answered {}",
        response.status()
    );
    let list = visits(&app).await;
    assert_eq!(list[0]["status"], "checked_out");
    assert_eq!(list[0]["checked_out_by"], "kiosk \"Main entrance\"");
}

#[tokio::test]
async fn a_kiosk_refuses_hosts_of_other_locations_and_bad_input_changing_nothing() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (_, host_id) = app.location_and_host().await;
    let other: Value = app
        .post_json(
            "/api/v1/locations",
            serde_json::json!({"name": "Annex", "address": "2 Side St", "time_zone": "UTC"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut tablet = paired_tablet(&app, &mut admin, other["id"].as_i64().unwrap()).await;
    let before = app.row_counts().await;

    let response = kiosk_check_in(&mut tablet, host_id).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "host_id", "{body}");

    let mut form = guest_form(host_id);
    form[1].1 = "not an address".into();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = tablet.post("/api/kiosk_check_in", &form).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "email", "{body}");

    let response = tablet
        .post(
            "/api/kiosk_check_in",
            &[
                ("name", "A"),
                ("email", "a@example.org"),
                ("phone", "+14155550100"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422, "no host picked");
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn a_pairing_code_works_once_and_a_revoked_kiosk_is_refused_at_once() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_id, _) = app.location_and_host().await;
    let code = pairing_code(&mut admin, location_id).await;
    let mut tablet = Tablet::new(&app);
    assert!(tablet
        .post("/api/pair_kiosk", &[("code", &code)])
        .await
        .status()
        .is_success());

    let mut thief = Tablet::new(&app);
    let response = thief.post("/api/pair_kiosk", &[("code", &code)]).await;
    assert_eq!(response.status(), 422);
    assert!(thief.cookie.is_none());
    let mut nobody = Tablet::new(&app);
    assert_eq!(nobody.post("/api/kiosk_hosts", &[]).await.status(), 409);

    let kiosks: Value = admin
        .post_form("/api/admin_kiosks", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kiosks[0]["state"], "paired", "{kiosks}");
    let id = kiosks[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(tablet.post("/api/kiosk_hosts", &[]).await.status(), 200);
    let response = admin
        .post_form("/api/admin_revoke_kiosk", &[("id", &id)])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(tablet.post("/api/kiosk_hosts", &[]).await.status(), 409);
    let kiosks: Value = admin
        .post_form("/api/admin_kiosks", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kiosks[0]["state"], "revoked");
}

#[tokio::test]
async fn an_unpaired_tablet_is_sent_to_the_pairing_screen() {
    let (app, _) = spawn_app_with_admin(|_| {}).await;
    let mut browser = app.browser();
    let response = browser.get("/kiosk/check-in/details?phone=1").await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/kiosk/pair");
    let page = browser.get("/kiosk").await.text().await.unwrap();
    assert!(page.contains("This tablet is not paired"), "{page}");
}

#[tokio::test]
async fn the_pairing_link_opens_the_pairing_screen_with_its_code_filled_in() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_id, _) = app.location_and_host().await;
    let code = pairing_code(&mut admin, location_id).await;
    let mut browser = app.browser();
    let page = browser
        .get(&format!("/kiosk/pair?code={code}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("value=\"{code}\"")), "{page}");
    // Whatever a link carries is text in the field, never markup.
    let page = browser
        .get("/kiosk/pair?code=%22%3E%3Cb%3Ex")
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("\"><b>x"), "{page}");
}

/// A guest checked in at a new tablet of `location_id`; their check-out link's
/// secret, from the done screen (the database holds only its hash).
async fn kiosk_visit_token(
    app: &TestApp,
    admin: &mut Browser,
    location_id: i64,
    host_id: i64,
) -> String {
    let mut tablet = paired_tablet(app, admin, location_id).await;
    done_token(&kiosk_check_in(&mut tablet, host_id).await)
}

async fn page(guest: &mut Browser, path: &str) -> String {
    guest.get(path).await.text().await.unwrap()
}

#[tokio::test]
async fn the_self_check_out_link_works_once_then_says_only_that_it_has_expired() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_id, host_id) = app.location_and_host().await;
    let token = kiosk_visit_token(&app, &mut admin, location_id, host_id).await;
    let mut guest = app.browser();

    // The database keeps only the hash: the stored value is no link.
    let stored = visits_column(&app, "checkout_token").await;
    assert_eq!(stored, app::ssr::services::secret_hash(&token));
    let copied = page(&mut guest, &format!("/checkout/{stored}")).await;
    assert!(!copied.contains("Zoë Ng"), "{copied}");

    // Opening the link (or a link preview fetching it) checks nobody out.
    let open = page(&mut guest, &format!("/checkout/{token}")).await;
    assert!(
        open.contains("Check me out") && open.contains("Zoë Ng"),
        "{open}"
    );
    assert_eq!(visits(&app).await[0]["status"], "running");

    let response = guest
        .post_form("/api/guest_check_out", &[("token", &token)])
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        visits(&app).await[0]["checked_out_by"],
        "guest (self check-out)"
    );
    let thanks = page(&mut guest, &format!("/checkout/{token}?done=1")).await;
    assert!(thanks.contains("Thank you for visiting"), "{thanks}");
    let events_before = app.row_counts().await;

    let again = guest
        .post_form("/api/guest_check_out", &[("token", &token)])
        .await;
    assert_eq!(again.status(), 409);
    let body: Value = again.json().await.unwrap();
    assert!(
        body["Refused"].as_str().unwrap().contains("has expired"),
        "{body}"
    );
    assert_eq!(
        app.row_counts().await,
        events_before,
        "a second check-out changes nothing"
    );
    let used = page(&mut guest, &format!("/checkout/{token}")).await;
    assert!(used.contains("This link has expired"), "{used}");
    assert!(
        !used.contains("Zoë Ng")
            && !used.contains("Grace Hopper")
            && !used.contains("Check me out"),
        "a used link shows nothing of the visit: {used}"
    );

    let wrong = guest
        .post_form("/api/guest_check_out", &[("token", "nope")])
        .await;
    assert_eq!(wrong.status(), 404);
}

#[tokio::test]
async fn the_done_screen_is_kept_out_of_caches_and_opened_again_later_shows_nothing_of_the_guest() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_id, host_id) = app.location_and_host().await;
    let mut tablet = paired_tablet(&app, &mut admin, location_id).await;
    let token = done_token(&kiosk_check_in(&mut tablet, host_id).await);

    let done = tablet.get(&format!("/kiosk/done/{token}")).await;
    assert_eq!(done.headers()[reqwest::header::CACHE_CONTROL], "no-store");
    let text = done.text().await.unwrap();
    assert!(text.contains("Thank you, Zoë Ng!"), "{text}");
    // Another browser with the kiosk's cookie (a copied link) does not see it.
    let elsewhere = tablet
        .other_browser()
        .get(&format!("/kiosk/done/{token}"))
        .await;
    assert!(elsewhere.text().await.unwrap().contains("done-closed"));

    // The next guest goes Back (or through the history) two minutes later.
    checked_in_ago(&app, chrono::Duration::minutes(2)).await;
    let later = tablet.get(&format!("/kiosk/done/{token}")).await;
    assert_eq!(later.headers()[reqwest::header::CACHE_CONTROL], "no-store");
    let text = later.text().await.unwrap();
    assert!(text.contains("done-closed"), "{text}");
    for private in ["Zoë", "Grace Hopper", token.as_str(), "/checkout/"] {
        assert!(!text.contains(private), "{private} shown again: {text}");
    }
    let receipt = tablet
        .post("/api/kiosk_receipt", &[("token", &token)])
        .await;
    assert_eq!(receipt.status(), 404);
    assert_eq!(
        visits(&app).await[0]["status"],
        "running",
        "the visit itself goes on"
    );
}

#[tokio::test]
async fn a_check_out_link_older_than_a_day_has_expired_and_checks_nobody_out() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_id, host_id) = app.location_and_host().await;
    let token = kiosk_visit_token(&app, &mut admin, location_id, host_id).await;
    checked_in_ago(&app, chrono::Duration::hours(25)).await;
    let mut guest = app.browser();
    let old = page(&mut guest, &format!("/checkout/{token}")).await;
    assert!(
        old.contains("This link has expired") && !old.contains("Zoë Ng"),
        "{old}"
    );
    let before = app.row_counts().await;
    let response = guest
        .post_form("/api/guest_check_out", &[("token", &token)])
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(visits(&app).await[0]["status"], "running");
    assert_eq!(app.row_counts().await, before);
}

/// Moves every visit's check-in back by `ago`, as time passing would.
async fn checked_in_ago(app: &TestApp, ago: chrono::Duration) {
    app.db
        .execute(sea_orm::Statement::from_sql_and_values(
            app.db.get_database_backend(),
            "UPDATE visits SET checked_in_at = $1",
            [(chrono::Utc::now() - ago).into()],
        ))
        .await
        .unwrap();
}

/// One column of the only visit, as stored.
async fn visits_column(app: &TestApp, column: &str) -> String {
    let row = app
        .db
        .query_one(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT {column} FROM visits"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<String>("", column).unwrap()
}

#[tokio::test]
async fn a_kiosk_of_one_location_can_neither_read_nor_check_out_a_visit_of_another() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_a, host_a) = app.location_and_host().await;
    let location_b = app.new_location("Annex", "UTC").await;
    let host_b: Value = app
        .post_json(
            "/api/v1/hosts",
            serde_json::json!({"name": "Ada Lovelace", "email": "ada@example.com",
                               "phone": "+1 415 555 2672", "location_id": location_b}),
        )
        .await
        .json()
        .await
        .unwrap();
    let host_b = host_b["id"].as_i64().unwrap();
    let visit_b = check_in(&app, host_b, 7).await;
    let token_b = kiosk_visit_token(&app, &mut admin, location_b, host_b).await;
    let mut tablet = paired_tablet(&app, &mut admin, location_a).await;
    let before = app.row_counts().await;

    // Prefill: the guest of B is a stranger here; nothing of theirs is shown.
    tablet
        .post("/api/kiosk_start", &[("phone", "+1 415 555 1007")])
        .await;
    let prefill = tablet.json("/api/kiosk_guest", &[]).await;
    assert_eq!(prefill["Details"]["returning"], false, "{prefill}");
    assert_eq!(prefill["Details"]["name"], "", "{prefill}");
    assert_eq!(prefill["Details"]["email"], "", "{prefill}");

    // The done screen of B's visit, by its token: not found.
    let response = tablet
        .post("/api/kiosk_receipt", &[("token", &token_b)])
        .await;
    assert_eq!(response.status(), 404);

    // Checking B's guest out by phone or e-mail: nobody like that is checked in here.
    for contact in ["+1 415 555 1007", "guest7@example.com"] {
        let response = tablet
            .post(
                "/api/kiosk_check_out",
                &[("contact", contact), ("surname", "7")],
            )
            .await;
        assert_eq!(response.status(), 422, "check-out by {contact}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["Invalid"]["field"], "contact", "{body}");
    }

    // B's host is neither listed nor accepted.
    let hosts = tablet.json("/api/kiosk_hosts", &[]).await;
    let ids: Vec<i64> = hosts
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["id"].as_i64())
        .collect();
    assert_eq!(ids, vec![host_a], "{hosts}");
    let response = kiosk_check_in(&mut tablet, host_b).await;
    assert_eq!(response.status(), 422);

    // The server functions of logged-in people are not the kiosk's to use.
    let id = visit_b.to_string();
    for (path, form) in [
        ("/api/visit_details", vec![("id", id.as_str())]),
        ("/api/check_out_visit", vec![("id", id.as_str())]),
        ("/api/my_visits", vec![]),
        ("/api/admin_on_site", vec![]),
        ("/api/admin_entries", vec![("query[status]", "")]),
    ] {
        let response = tablet.post(path, &form).await;
        assert_eq!(response.status(), 401, "{path} with only a kiosk cookie");
    }

    assert_eq!(app.row_counts().await, before, "nothing changed");
    let list = visits(&app).await;
    assert_eq!(list.len(), 2, "B's two visits");
    assert!(
        list.iter().all(|v| v["status"] == "running"),
        "B's visits are still running: {list:?}"
    );
}

#[tokio::test]
async fn wrong_pairing_codes_block_only_the_address_that_typed_them() {
    let (app, mut admin) =
        spawn_app_with_admin(|s| s.client_ip_header = Some("x-forwarded-for".into())).await;
    let (location_id, _) = app.location_and_host().await;
    let code = pairing_code(&mut admin, location_id).await;
    let mut guesser = Tablet::at(&app, "203.0.113.7");
    for _ in 0..10 {
        let response = guesser
            .post("/api/pair_kiosk", &[("code", "WRONGCODE1")])
            .await;
        assert_eq!(response.status(), 422);
    }
    let blocked = guesser.post("/api/pair_kiosk", &[("code", &code)]).await;
    assert_eq!(blocked.status(), 429, "the eleventh try from that address");
    let body: Value = blocked.json().await.unwrap();
    assert!(body["TooManyAttempts"].as_u64().is_some(), "{body}");
    // The lobby tablet elsewhere pairs at once.
    let mut lobby = Tablet::at(&app, "198.51.100.20");
    let paired = lobby.post("/api/pair_kiosk", &[("code", &code)]).await;
    assert!(paired.status().is_success(), "{}", paired.status());
}

#[tokio::test]
async fn a_kiosk_checks_in_at_most_twenty_guests_a_minute_then_says_when_to_try_again() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_id, host_id) = app.location_and_host().await;
    let mut tablet = paired_tablet(&app, &mut admin, location_id).await;
    let host = host_id.to_string();
    let guest = |n: usize| {
        vec![
            ("name", format!("Rush {n}")),
            ("email", format!("rush{n}@example.org")),
            ("phone", format!("+1 415 555 {:04}", 6000 + n)),
            ("host_id", host.clone()),
        ]
    };
    for n in 0..20 {
        let form = guest(n);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = tablet.post("/api/kiosk_check_in", &form).await;
        assert!(
            response.headers().contains_key("location"),
            "guest {n}: {}",
            response.status()
        );
    }
    let before = app.row_counts().await;
    let form = guest(20);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = tablet.post("/api/kiosk_check_in", &form).await;
    assert_eq!(response.status(), 429);
    let body: Value = response.json().await.unwrap();
    let wait = body["TooManyAttempts"].as_u64().expect("seconds to wait");
    assert!((1..=3).contains(&wait), "{body}");
    assert_eq!(
        app.row_counts().await,
        before,
        "nothing written, nobody messaged"
    );
}
