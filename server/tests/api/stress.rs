//! Every state-changing server function and API route, 32 requests of each at once:
//! none may answer 5xx, on SQLite (one writer at a time) as on PostgreSQL. Refusals
//! (409, 422, 429...) are fine: they are answers.

use futures::future::{join_all, BoxFuture};
use futures::FutureExt;
use reqwest::Method;
use serde_json::{json, Value};

use crate::browser::{spawn_app_with_admin, Browser, PASSWORD};
use crate::helpers::{guest, TestApp};

const AT_ONCE: usize = 32;

type Wave = (&'static str, Vec<BoxFuture<'static, u16>>);

fn form(
    browser: &Browser,
    path: &'static str,
    fields: Vec<(&'static str, String)>,
) -> BoxFuture<'static, u16> {
    let mut browser = browser.clone();
    async move {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        browser.post_form(path, &fields).await.status().as_u16()
    }
    .boxed()
}

/// A paired tablet: its kiosk cookie (a `Browser` keeps only the session cookie).
struct Tablet {
    address: String,
    client: reqwest::Client,
    cookie: String,
}

impl Tablet {
    async fn pair(app: &TestApp, code: &str) -> Self {
        let response = app
            .client
            .post(format!("{}/api/pair_kiosk", app.address))
            .header("origin", &app.address)
            .form(&[("code", code)])
            .send()
            .await
            .unwrap();
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("frontdesk_kiosk="))
            .and_then(|rest| rest.split(';').next())
            .expect("pairing sets the kiosk cookie")
            .to_string();
        Self {
            address: app.address.clone(),
            client: app.client.clone(),
            cookie,
        }
    }

    fn request(&self, path: &str, fields: &[(&str, String)]) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.address))
            .header("origin", &self.address)
            .header("cookie", format!("frontdesk_kiosk={}", self.cookie))
            .form(fields)
    }

    fn form(
        &self,
        path: &'static str,
        fields: Vec<(&'static str, String)>,
    ) -> BoxFuture<'static, u16> {
        let request = self.request(path, &fields);
        async move { request.send().await.map_or(0, |r| r.status().as_u16()) }.boxed()
    }
}

fn api(
    app: &TestApp,
    method: Method,
    path: String,
    body: Option<Value>,
) -> BoxFuture<'static, u16> {
    let request = app
        .client
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(&app.token);
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    async move { request.send().await.map_or(0, |r| r.status().as_u16()) }.boxed()
}

async fn json_of(browser: &mut Browser, path: &str, fields: &[(&str, &str)]) -> Value {
    browser.post_form(path, fields).await.json().await.unwrap()
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().expect("an id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_of_every_write_at_once_get_no_5xx() {
    let (app, mut admin) = spawn_app_with_admin(|s| {
        s.allowed_host_domains = Some("example.com".into());
        s.login_attempts_per_minute_per_ip = 100_000;
        s.login_attempts_per_minute_per_account = 100_000;
        s.signups_per_hour_per_ip = 100_000;
        s.pairings_per_minute_per_ip = 100_000;
        s.check_ins_per_minute_per_caller = 100_000;
        s.check_ins_per_hour_per_guest = 100_000;
    })
    .await;
    let (location_id, host_id) = app.location_and_host().await;
    let location = location_id.to_string();

    // What the waves act on, made one at a time: tablets to use, kiosks to pair and
    // kiosks to revoke.
    let mut codes = Vec::new();
    for (group, count) in [("Tablet", AT_ONCE), ("Spare", AT_ONCE), ("Old", AT_ONCE)] {
        for n in 0..count {
            let made = json_of(
                &mut admin,
                "/api/admin_add_kiosk",
                &[
                    ("location_id", &location),
                    ("name", &format!("{group} {n}")),
                ],
            )
            .await;
            if group != "Old" {
                codes.push(made["code"].as_str().unwrap().to_string());
            }
        }
    }
    let kiosk_ids = old_kiosks(&mut admin).await;
    let mut tablets = Vec::new();
    for code in codes.drain(..AT_ONCE) {
        tablets.push(Tablet::pair(&app, &code).await);
    }
    let mut api_visits = Vec::new();
    for n in 0..2 * AT_ONCE {
        api_visits.push(crate::helpers::check_in(&app, host_id, 100 + n).await);
    }
    let mut tokens = Vec::new();
    for (n, tablet) in tablets.iter().enumerate() {
        let fields = [
            ("name", format!("Walk In {n}")),
            ("email", format!("walkin{n}@example.org")),
            ("phone", format!("+1 415 555 {:04}", 3000 + n)),
            ("host_id", host_id.to_string()),
        ];
        let response = tablet
            .request("/api/kiosk_check_in", &fields)
            .send()
            .await
            .unwrap();
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let token = location
            .strip_prefix("/kiosk/done/")
            .expect("the done screen");
        tokens.push(token.to_string());
    }
    let mut visitors = Vec::new();
    for n in 0..AT_ONCE {
        visitors.push(
            app.sign_up("visitor", &format!("Stress Visitor {n}"), None)
                .await,
        );
    }
    let hosts: Vec<i64> = {
        let mut ids = Vec::new();
        for n in 0..AT_ONCE {
            let made: Value = app
                .post_json(
                    "/api/v1/hosts",
                    json!({"name": format!("Host {n}"), "email": format!("h{n}@example.com"),
                           "phone": "+1 415 555 0100", "location_id": location_id}),
                )
                .await
                .json()
                .await
                .unwrap();
            ids.push(id(&made));
        }
        ids
    };

    let n = 0..AT_ONCE;
    let host = host_id.to_string();
    let waves: Vec<Wave> = vec![
        ("POST /api/v1/visits", n.clone().map(|i| {
            let mut body = guest(500 + i);
            body["host_id"] = json!(host_id);
            api(&app, Method::POST, "/api/v1/visits".into(), Some(body))
        }).collect()),
        ("POST /api/v1/visits/{id}/checkout", api_visits[..AT_ONCE].iter().map(|v| {
            api(&app, Method::POST, format!("/api/v1/visits/{v}/checkout"), None)
        }).collect()),
        ("POST /api/v1/hosts", n.clone().map(|i| api(&app, Method::POST, "/api/v1/hosts".into(), Some(json!({
            "name": format!("New Host {i}"), "email": format!("new{i}@example.com"),
            "phone": "+1 415 555 0101", "location_id": location_id}))))
            .collect()),
        ("PATCH /api/v1/hosts/{id}", hosts.iter().map(|h| api(&app, Method::PATCH,
            format!("/api/v1/hosts/{h}"), Some(json!({"name": "Renamed", "active": false})))).collect()),
        ("POST /api/v1/locations", n.clone().map(|i| api(&app, Method::POST, "/api/v1/locations".into(),
            Some(json!({"name": format!("Site {i}"), "address": "1 Main St", "time_zone": "UTC"})))).collect()),
        ("PATCH /api/v1/locations/{id}", n.clone().map(|i| api(&app, Method::PATCH,
            format!("/api/v1/locations/{location_id}"), Some(json!({"address": format!("{i} Main St")})))).collect()),
        ("admin_add_location", n.clone().map(|i| form(&admin, "/api/admin_add_location", vec![
            ("name", format!("Annex {i}")), ("address", "2 Side St".into()), ("time_zone", "UTC".into())])).collect()),
        ("admin_edit_location", n.clone().map(|i| form(&admin, "/api/admin_edit_location", vec![
            ("id", location.clone()), ("name", "HQ".into()), ("address", format!("{i} High St")),
            ("time_zone", "UTC".into()), ("active", "on".into())])).collect()),
        ("admin_add_kiosk", n.clone().map(|i| form(&admin, "/api/admin_add_kiosk", vec![
            ("location_id", location.clone()), ("name", format!("Extra {i}"))])).collect()),
        ("admin_revoke_kiosk", kiosk_ids.iter().map(|k| form(&admin, "/api/admin_revoke_kiosk",
            vec![("id", k.to_string())])).collect()),
        ("admin_add_host", n.clone().map(|i| form(&admin, "/api/admin_add_host", vec![
            ("name", format!("Added {i}")), ("email", format!("added{i}@example.com")),
            ("phone", "+1 415 555 0102".into()), ("location_id", location.clone())])).collect()),
        ("admin_set_host_active", hosts.iter().map(|h| form(&admin, "/api/admin_set_host_active",
            vec![("id", h.to_string()), ("active", "true".into())])).collect()),
        ("pair_kiosk", codes.iter().map(|c| form(&app.browser(), "/api/pair_kiosk",
            vec![("code", c.clone())])).collect()),
        ("kiosk_check_in", tablets.iter().enumerate().map(|(i, t)| t.form("/api/kiosk_check_in", vec![
            ("name", format!("Second {i}")), ("email", format!("second{i}@example.org")),
            ("phone", format!("+1 415 555 {:04}", 5000 + i)), ("host_id", host.clone())])).collect()),
        ("kiosk_check_out", tablets.iter().enumerate().map(|(i, t)| t.form("/api/kiosk_check_out",
            vec![("contact", format!("second{i}@example.org")), ("surname", i.to_string())])).collect()),
        ("guest_check_out", tokens.iter().map(|t| form(&app.browser(), "/api/guest_check_out",
            vec![("token", t.clone())])).collect()),
        ("check_out_visit", api_visits[AT_ONCE..].iter().map(|v| form(&admin, "/api/check_out_visit",
            vec![("id", v.to_string())])).collect()),
        ("sign_up", n.clone().map(|i| form(&app.browser(), "/api/sign_up", vec![
            ("door", "visitor".into()), ("name", format!("New Visitor {i}")),
            ("email", format!("newvisitor{i}@example.com")), ("phone", "+1 415 555 0103".into()),
            ("password", PASSWORD.into()), ("location_id", String::new())])).collect()),
        ("log_in", visitors.iter().map(|v| form(&app.browser(), "/api/log_in", vec![
            ("door", "visitor".into()), ("email", v.email.clone()), ("password", PASSWORD.into())])).collect()),
        ("update_profile", visitors.iter().map(|v| form(&v.browser, "/api/update_profile", vec![
            ("name", "Renamed Visitor".into()), ("phone", "+44 20 7946 0958".into())])).collect()),
        ("change_password", visitors.iter().map(|v| form(&v.browser, "/api/change_password", vec![
            ("current", PASSWORD.into()), ("new", "another long passphrase".into())])).collect()),
        ("log_out", visitors.iter().map(|v| form(&v.browser, "/api/log_out", vec![])).collect()),
    ];
    let mut failures = Vec::new();
    for (name, requests) in waves {
        assert!(requests.len() >= AT_ONCE, "{name}: only {}", requests.len());
        let started = std::time::Instant::now();
        let statuses = join_all(requests).await;
        println!(
            "{name}: {:?} in {:?}",
            summary(&statuses),
            started.elapsed()
        );
        if statuses.iter().any(|s| *s >= 500 || *s == 0) {
            failures.push(format!("{name}: {:?}", summary(&statuses)));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The ids of the kiosks made to be revoked.
async fn old_kiosks(admin: &mut Browser) -> Vec<i64> {
    let list = json_of(admin, "/api/admin_kiosks", &[]).await;
    list.as_array()
        .unwrap()
        .iter()
        .filter(|k| k["name"].as_str().is_some_and(|n| n.starts_with("Old ")))
        .map(id)
        .collect()
}

/// Status → count.
fn summary(statuses: &[u16]) -> std::collections::BTreeMap<u16, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for s in statuses {
        *counts.entry(*s).or_insert(0) += 1;
    }
    counts
}
