//! Checking in on one's own phone from the lobby poster's daily link: as a visitor
//! with a confirmed address (one tap, linked to the account) or as a guest.

use std::time::Duration;

use app::ssr::entities::location;
use mail_parser::MessageParser;
use sea_orm::EntityTrait;
use serde_json::Value;

use crate::accounts::error_message;
use crate::browser::{spawn_app_with_admin, Account, Browser};
use crate::helpers::TestApp;
use crate::kiosk::paired_tablet;
use crate::live::{connect, next_event};
use crate::notifications::{settled_deliveries, twilio};
use crate::servers::{SmtpServer, TwilioContractMock};

async fn app_with(
    configure: impl FnOnce(&mut frontdesk::settings::Settings),
) -> (TestApp, Browser) {
    spawn_app_with_admin(|s| {
        s.allowed_host_domains = Some("example.com".into());
        configure(s);
    })
    .await
}

/// Today's code of a location, from the poster the admin prints.
async fn todays_code(admin: &mut Browser, location_id: i64) -> String {
    let response = admin
        .post_form(
            "/api/arrival_poster",
            &[("location_id", &location_id.to_string())],
        )
        .await;
    assert_eq!(response.status(), 200);
    let poster: Value = response.json().await.unwrap();
    let url = poster["url"].as_str().unwrap();
    let code = poster["code"].as_str().unwrap().to_string();
    assert!(
        url.ends_with(&format!("/arrive/{location_id}/{code}")),
        "{url}"
    );
    code
}

/// A visitor account, logged in, with its address confirmed.
async fn confirmed_visitor(app: &TestApp, name: &str) -> Account {
    let visitor = app.sign_up("visitor", name, None).await;
    app.confirm_address(&visitor.email).await;
    visitor
}

async fn arrive(
    browser: &mut Browser,
    location_id: i64,
    code: &str,
    host_id: i64,
    guest: &[(&str, &str)],
) -> reqwest::Response {
    let (location_id, host_id) = (location_id.to_string(), host_id.to_string());
    let mut form = vec![
        ("location_id", &location_id[..]),
        ("code", code),
        ("host_id", &host_id[..]),
    ];
    form.extend_from_slice(guest);
    browser.post_form("/api/arrival_check_in", &form).await
}

const GUEST: &[(&str, &str)] = &[
    ("name", "Gita Guest"),
    ("email", "gita@example.org"),
    ("phone", "+44 20 7946 0958"),
];

async fn my_visits(browser: &mut Browser) -> Vec<Value> {
    let response = browser.post_form("/api/my_visits", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Where a check-in sent the browser: the guest's own check-out page.
fn receipt_path(response: &reqwest::Response) -> String {
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a check-in redirects")
        .to_string();
    assert!(
        location.starts_with("/checkout/") && location.ends_with("?arrived=1"),
        "{location}"
    );
    location
}

#[tokio::test]
async fn a_confirmed_visitor_checks_in_with_one_tap_the_host_hears_live_by_mail_and_sms_and_the_dashboard_follows(
) {
    let mail = SmtpServer::start();
    let sms = TwilioContractMock::start();
    let (app, mut admin) = app_with(|s| {
        s.smtp_url = Some(secrecy::SecretString::from(mail.url()));
        s.mail_from = Some("Frontdesk <frontdesk@example.com>".into());
        twilio(s, sms.base_url());
    })
    .await;
    let location_id = app.new_location("HQ", "Asia/Kolkata").await;
    let (host, host_id) = app.host_account("Hana Host", location_id).await;
    let mut socket = connect(&app, host.browser.cookie.as_deref(), None).await;
    let mut visitor = confirmed_visitor(&app, "Vera Visitor").await;
    let code = todays_code(&mut admin, location_id).await;

    let page: Value = visitor
        .browser
        .post_form(
            "/api/open_arrival",
            &[
                ("location_id", &location_id.to_string()),
                ("code", &code),
                ("search", "han"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["location_name"], "HQ");
    assert_eq!(page["arriver"]["Account"]["name"], "Vera Visitor");
    assert_eq!(page["hosts"][0]["id"], host_id);

    let response = arrive(&mut visitor.browser, location_id, &code, host_id, &[]).await;
    receipt_path(&response);
    let event = next_event(&mut socket, Duration::from_secs(1))
        .await
        .expect("the host's dashboard hears within a second");
    assert_eq!(event["kind"], "visit_checked_in");
    assert_eq!(event["data"]["visit"]["name"], "Vera Visitor");
    assert_eq!(event["data"]["visit"]["email"], visitor.email.as_str());
    assert_eq!(event["data"]["visit"]["source"], "arrival");
    let visit_id = event["data"]["visit"]["id"].as_i64().unwrap();

    let deliveries = settled_deliveries(&app, visit_id, Duration::from_secs(15)).await;
    let mut channels: Vec<_> = deliveries
        .iter()
        .map(|d| {
            (
                d["channel"].as_str().unwrap(),
                d["status"].as_str().unwrap(),
            )
        })
        .collect();
    channels.sort();
    assert_eq!(channels, [("email", "sent"), ("sms", "sent")]);
    let to_host = mail
        .messages()
        .iter()
        .filter_map(|m| {
            MessageParser::default()
                .parse(m)
                .map(|p| p.subject().unwrap_or_default().to_string())
        })
        .any(|s| s == "Vera Visitor is here to see you");
    assert!(to_host, "the host's e-mail arrived");

    let running = my_visits(&mut visitor.browser).await;
    assert_eq!(running.len(), 1);
    assert_eq!(running[0]["running"], true);
    assert_eq!(running[0]["host_name"], "Hana Host");
    let out = visitor
        .browser
        .post_form("/api/check_out_visit", &[("id", &visit_id.to_string())])
        .await;
    assert!(out.status().is_success(), "{}", out.status());
    let past = my_visits(&mut visitor.browser).await;
    assert_eq!(past[0]["running"], false);
    let overview: Value = visitor
        .browser
        .post_form("/api/visitor_overview", &[])
        .await
        .json()
        .await
        .unwrap();
    let week = overview["week"].as_array().unwrap();
    assert_eq!(week.len(), 7);
    assert_eq!(week[6]["count"], 1, "today counts the visit: {week:?}");
    assert_eq!(overview["hosts"][0]["id"], host_id);
    assert_eq!(overview["hosts"][0]["location_id"], location_id);
}

#[tokio::test]
async fn yesterdays_code_after_the_grace_period_another_locations_code_and_made_up_codes_are_refused_and_write_nothing(
) {
    let (app, mut admin) = app_with(|s| s.arrival_grace_minutes = 0).await;
    let (here, host_id) = app.location_and_host().await;
    let elsewhere = app.new_location("Annex", "Europe/London").await;
    let todays = todays_code(&mut admin, here).await;
    let annex_code = todays_code(&mut admin, elsewhere).await;
    let yesterdays = code_days_ago(&app, here, 1).await;
    assert_ne!(yesterdays, todays);
    let before = app.row_counts().await;

    let mut guest = app.browser();
    for (code, says) in [
        (yesterdays.as_str(), "was for"),
        (annex_code.as_str(), "not valid"),
        ("abcdefgh", "not valid"),
        ("not a code at all!", "not valid"),
        ("", "not valid"),
    ] {
        let response = arrive(&mut guest, here, code, host_id, GUEST).await;
        assert!(
            response.status().is_client_error(),
            "{code}: {}",
            response.status()
        );
        let message = error_message(response).await;
        assert!(message.contains(says), "{code}: {message}");
        let page = guest
            .post_form(
                "/api/open_arrival",
                &[("location_id", &here.to_string()), ("code", code)],
            )
            .await;
        assert!(
            page.status().is_client_error(),
            "{code}: page {}",
            page.status()
        );
    }
    let unknown = arrive(&mut guest, 999_999, &todays, host_id, GUEST).await;
    assert!(error_message(unknown).await.contains("not valid"));
    assert_eq!(
        app.row_counts().await,
        before,
        "a refused code wrote nothing"
    );
}

/// The code of `days` ago at a location, as its poster showed it then.
async fn code_days_ago(app: &TestApp, location_id: i64, days: i64) -> String {
    let place = location::Entity::find_by_id(location_id as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let zone: chrono_tz::Tz = place.time_zone.parse().unwrap();
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let secret = place.arrival_secret.expect("the poster made a secret");
    app::ssr::services::arrival_codes::code_on(&secret, today - chrono::Duration::days(days))
        .unwrap()
}

#[tokio::test]
async fn yesterdays_code_still_works_within_the_grace_period() {
    let (app, mut admin) = app_with(|s| s.arrival_grace_minutes = 24 * 60).await;
    let (here, host_id) = app.location_and_host().await;
    todays_code(&mut admin, here).await;
    let yesterdays = code_days_ago(&app, here, 1).await;
    let two_days_ago = code_days_ago(&app, here, 2).await;
    let mut guest = app.browser();
    let late = arrive(&mut guest, here, &two_days_ago, host_id, GUEST).await;
    assert!(error_message(late).await.contains("was for"));
    receipt_path(&arrive(&mut guest, here, &yesterdays, host_id, GUEST).await);
}

#[tokio::test]
async fn a_kiosk_visit_with_a_visitors_confirmed_address_is_on_their_dashboard_and_one_with_an_unconfirmed_address_only_once_confirmed(
) {
    let (app, mut admin) = app_with(|_| {}).await;
    let (here, host_id) = app.location_and_host().await;
    let mut confirmed = confirmed_visitor(&app, "Cora Confirmed").await;
    let mut unconfirmed = app.sign_up("visitor", "Uma Unconfirmed", None).await;
    let mut tablet = paired_tablet(&app, &mut admin, here).await;
    for (email, phone) in [
        (confirmed.email.as_str(), "+1 415 555 0111"),
        (unconfirmed.email.as_str(), "+1 415 555 0122"),
    ] {
        let host = host_id.to_string();
        let form = [
            ("name", "Typed At Kiosk"),
            ("email", email),
            ("phone", phone),
            ("host_id", &host),
        ];
        let response = tablet.post("/api/kiosk_check_in", &form).await;
        assert!(response.status().is_success(), "{}", response.status());
    }

    let mine = my_visits(&mut confirmed.browser).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    let id = mine[0]["id"].as_i64().unwrap();
    let details: Value = confirmed
        .browser
        .post_form("/api/visit_details", &[("id", &id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(details["email"], confirmed.email.as_str());
    assert_eq!(
        details["phone"], "",
        "the typist's number is not shown to the account"
    );
    let api: Value = app
        .get_json(&format!("/api/v1/visits/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["source"], "kiosk");

    assert!(my_visits(&mut unconfirmed.browser).await.is_empty());
    app.confirm_address(&unconfirmed.email).await;
    let claimed = my_visits(&mut unconfirmed.browser).await;
    assert_eq!(
        claimed.len(),
        1,
        "confirming the address brings its visits along"
    );
    assert_eq!(claimed[0]["running"], true);
}

#[tokio::test]
async fn a_visit_made_before_the_account_stays_nobodys_and_a_guest_typing_a_visitors_address_shows_them_no_phone(
) {
    let (app, mut admin) = app_with(|_| {}).await;
    let (here, host_id) = app.location_and_host().await;
    let code = todays_code(&mut admin, here).await;
    // Someone used the address before its present holder made an account.
    let earlier = [
        ("name", "Former Holder"),
        ("email", "nell.new@example.com"),
        ("phone", "+44 20 7946 0111"),
    ];
    let mut stranger = app.browser();
    receipt_path(&arrive(&mut stranger, here, &code, host_id, &earlier).await);
    let mut nell = confirmed_visitor(&app, "Nell New").await;
    assert!(
        my_visits(&mut nell.browser).await.is_empty(),
        "an older visit with the address is not the new holder's"
    );

    // A guest on the poster page types Cora's confirmed address with their own number.
    let elsewhere = app.new_location("Annex", "Europe/London").await;
    let there = app.new_host("Ada Annex", elsewhere).await;
    let code = todays_code(&mut admin, elsewhere).await;
    let cora = confirmed_visitor(&app, "Cora Confirmed").await;
    let typed = [
        ("name", "Typist"),
        ("email", cora.email.as_str()),
        ("phone", "+44 20 7946 0222"),
    ];
    receipt_path(&arrive(&mut stranger, elsewhere, &code, there, &typed).await);
    let mut cora = cora;
    let mine = my_visits(&mut cora.browser).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    let id = mine[0]["id"].as_i64().unwrap().to_string();
    let details: Value = cora
        .browser
        .post_form("/api/visit_details", &[("id", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(details["row"]["guest_name"], "Typist");
    assert_eq!(
        details["phone"], "",
        "the typist's number is not Cora's to see"
    );
}

#[tokio::test]
async fn a_visitor_has_one_running_visit_per_location_and_a_guest_without_an_account_is_checked_in_unlinked(
) {
    let (app, mut admin) = app_with(|_| {}).await;
    let (here, host_id) = app.location_and_host().await;
    let elsewhere = app.new_location("Annex", "Europe/London").await;
    let other_host = app
        .post_json(
            "/api/v1/hosts",
            serde_json::json!({"name": "Otto Annex", "email": "otto@example.com", "phone": "+44 20 7946 0000", "location_id": elsewhere}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let code = todays_code(&mut admin, here).await;
    let mut visitor = confirmed_visitor(&app, "Rita Repeat").await;

    let not_here = arrive(&mut visitor.browser, here, &code, other_host, &[]).await;
    assert_eq!(not_here.status(), 422);
    assert!(error_message(not_here).await.contains("not a host here"));
    let first = arrive(&mut visitor.browser, here, &code, host_id, &[]).await;
    receipt_path(&first);
    let before = app.row_counts().await;
    let again = arrive(&mut visitor.browser, here, &code, host_id, &[]).await;
    assert!(again.status().is_client_error());
    assert!(error_message(again).await.contains("already checked in"));
    assert_eq!(app.row_counts().await, before);

    let mut guest = app.browser();
    let response = arrive(&mut guest, here, &code, host_id, GUEST).await;
    let receipt = receipt_path(&response);
    let page = guest.get(&receipt).await.text().await.unwrap();
    assert!(page.contains("You are checked in."), "{page}");
    assert!(page.contains("Grace Hopper knows you are here"), "{page}");
    let visits: Value = app
        .get_json("/api/v1/visits?status=running")
        .await
        .json()
        .await
        .unwrap();
    let made: Vec<_> = visits["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["source"] == "arrival")
        .collect();
    assert_eq!(made.len(), 2);
    let gita = made
        .iter()
        .find(|v| v["name"] == "Gita Guest")
        .expect("the guest's visit");
    assert_eq!(
        gita["phone"], "+442079460958",
        "a foreign number kept its country"
    );
    assert_eq!(
        my_visits(&mut visitor.browser).await.len(),
        1,
        "the guest's visit is nobody's"
    );
}

#[tokio::test]
async fn the_host_search_needs_two_letters_shows_at_most_ten_and_only_hosts_of_that_location() {
    let (app, mut admin) = app_with(|_| {}).await;
    let (here, grace) = app.location_and_host().await;
    let elsewhere = app.new_location("Annex", "Europe/London").await;
    for n in 0..12 {
        let host = serde_json::json!({"name": format!("Sam Here {n:02}"), "email": format!("sam{n}@example.com"),
                                      "phone": "+1 415 555 2671", "location_id": here});
        assert_eq!(app.post_json("/api/v1/hosts", host).await.status(), 201);
    }
    let annex = serde_json::json!({"name": "Sam Annex", "email": "sam.annex@example.com",
                                   "phone": "+1 415 555 2672", "location_id": elsewhere});
    assert_eq!(app.post_json("/api/v1/hosts", annex).await.status(), 201);
    let code = todays_code(&mut admin, here).await;
    let mut guest = app.browser();
    assert!(
        search(&mut guest, here, &code, "s").await.is_empty(),
        "one letter finds nobody"
    );
    let found = search(&mut guest, here, &code, "SAM").await;
    assert_eq!(found.len(), 10);
    assert!(found.iter().all(|n| n.starts_with("Sam Here")), "{found:?}");
    assert_eq!(
        search(&mut guest, here, &code, "here 11").await,
        ["Sam Here 11"]
    );
    assert!(search(&mut guest, here, &code, "nobody").await.is_empty());
    // "Check in again" names a host by id: only for a visitor's own account.
    let (id, grace) = (here.to_string(), grace.to_string());
    let form = [
        ("location_id", &id[..]),
        ("code", &code[..]),
        ("host", &grace[..]),
    ];
    let by_id: Value = guest
        .post_form("/api/open_arrival", &form)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_id["hosts"], serde_json::json!([]), "{by_id}");
    // Nor for a fresh account: only a host the visitor has visited before.
    let mut visitor = confirmed_visitor(&app, "Ivo Again").await;
    let fresh = open_arrival(&mut visitor.browser, &form).await;
    assert_eq!(fresh["hosts"], serde_json::json!([]), "{fresh}");
    let overview: Value = visitor
        .browser
        .post_form("/api/visitor_overview", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview["hosts"], serde_json::json!([]), "{overview}");
    let grace_id: i64 = grace.parse().unwrap();
    receipt_path(&arrive(&mut visitor.browser, here, &code, grace_id, &[]).await);
    let again = open_arrival(&mut visitor.browser, &form).await;
    assert_eq!(again["chosen"], grace_id, "{again}");
    let overview: Value = visitor
        .browser
        .post_form("/api/visitor_overview", &[])
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = overview["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["Grace Hopper"],
        "only the host visited, not the twelve others"
    );
}

async fn open_arrival(browser: &mut Browser, form: &[(&str, &str)]) -> Value {
    let response = browser.post_form("/api/open_arrival", form).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The names the arrival page's type-ahead finds for `text`.
async fn search(guest: &mut Browser, location_id: i64, code: &str, text: &str) -> Vec<String> {
    let id = location_id.to_string();
    let form = [("location_id", &id[..]), ("code", code), ("search", text)];
    let found: Vec<Value> = guest
        .post_form("/api/arrival_hosts", &form)
        .await
        .json()
        .await
        .unwrap();
    found
        .iter()
        .map(|h| h["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn rotating_the_code_stops_todays_link_at_once_and_the_new_poster_works() {
    let (app, mut admin) = app_with(|_| {}).await;
    let (here, host_id) = app.location_and_host().await;
    let old = todays_code(&mut admin, here).await;
    let rotated = admin
        .post_form(
            "/api/rotate_arrival_code",
            &[("location_id", &here.to_string())],
        )
        .await;
    assert!(rotated.status().is_success(), "{}", rotated.status());
    let new = todays_code(&mut admin, here).await;
    assert_ne!(old, new);
    let mut guest = app.browser();
    let stale = arrive(&mut guest, here, &old, host_id, GUEST).await;
    assert!(error_message(stale).await.contains("not valid"));
    receipt_path(&arrive(&mut guest, here, &new, host_id, GUEST).await);

    let mut visitor = confirmed_visitor(&app, "Nosy Visitor").await;
    let refused = visitor
        .browser
        .post_form("/api/arrival_poster", &[("location_id", &here.to_string())])
        .await;
    assert_eq!(refused.status(), 403, "only admins see the poster");
    let refused = visitor
        .browser
        .post_form(
            "/api/rotate_arrival_code",
            &[("location_id", &here.to_string())],
        )
        .await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn without_javascript_find_reloads_the_page_with_the_hosts_and_checking_in_lands_on_the_receipt(
) {
    let (app, mut admin) = app_with(|_| {}).await;
    let (here, host_id) = app.location_and_host().await;
    let code = todays_code(&mut admin, here).await;
    let mut guest = app.browser();
    let path = format!("/arrive/{here}/{code}");
    let page = guest
        .get(&format!("{path}?search=gra"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Check in at HQ"), "{page}");
    assert!(page.contains(">Find<"), "a Find button without JS");
    assert!(page.contains(&format!("value=\"{host_id}\"")) && page.contains("Grace Hopper"));
    let wrong = guest
        .get(&format!("/arrive/{here}/abcdefgh"))
        .await
        .text()
        .await
        .unwrap();
    assert!(wrong.contains("not valid"), "{wrong}");
    assert!(
        wrong.contains("data-testid=\"arrival-code\""),
        "the code form: {wrong}"
    );

    let (location_id, host) = (here.to_string(), host_id.to_string());
    let mut form = vec![
        ("location_id", &location_id[..]),
        ("code", &code[..]),
        ("host_id", &host[..]),
    ];
    form.extend_from_slice(GUEST);
    let response = guest
        .post_form_without_js("/api/arrival_check_in", &form, &path)
        .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let receipt = receipt_path(&response);
    let page = guest.get(&receipt).await.text().await.unwrap();
    assert!(page.contains("You are checked in."), "{page}");

    let bad = [
        ("location_id", &location_id[..]),
        ("code", &code[..]),
        ("host_id", &host[..]),
        ("name", "X"),
        ("email", "not-an-address"),
        ("phone", "1"),
    ];
    let refused = guest
        .post_form_without_js("/api/arrival_check_in", &bad, &path)
        .await;
    assert!(refused.status().is_redirection(), "{}", refused.status());
    let back = refused.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(back.starts_with(&path), "back to the page: {back}");
}
