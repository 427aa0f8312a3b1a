//! A phone number typed without a country code is read in the country of the
//! location it is typed at (or for): at a kiosk, on the poster's page, by the API
//! and for a host; `FRONTDESK_DEFAULT_REGION` only where a location has no country.

use serde_json::{json, Value};

use crate::browser::spawn_app_with_admin;
use crate::helpers::{arrival_code, TestApp};
use crate::kiosk::paired_tablet;

async fn location_in(app: &TestApp, name: &str, time_zone: &str, country: Option<&str>) -> i64 {
    let mut body = json!({"name": name, "address": "1 Main St", "time_zone": time_zone});
    if let Some(country) = country {
        body["country"] = json!(country);
    }
    let response = app.post_json("/api/v1/locations", body).await;
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// A host at `location_id` whose own number is typed the local way; the host as stored.
async fn host_typed(app: &TestApp, name: &str, location_id: i64, phone: &str) -> Value {
    let first = name.split(' ').next().unwrap_or(name).to_lowercase();
    let body = json!({"name": name, "email": format!("{first}@example.com"),
                      "phone": phone, "location_id": location_id});
    let response = app.post_json("/api/v1/hosts", body).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn phone_of_visit_named(app: &TestApp, name: &str) -> String {
    let body: Value = app.get_json("/api/v1/visits").await.json().await.unwrap();
    let items = body["items"].as_array().cloned().unwrap_or_default();
    let visit = items
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no visit of {name}: {body}"));
    visit["phone"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_local_number_at_a_kiosk_is_read_in_its_locations_country() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let bengaluru = location_in(&app, "Bengaluru HQ", "Asia/Kolkata", Some("IN")).await;
    let sf = location_in(&app, "SF Office", "America/Los_Angeles", Some("US")).await;
    let ravi = host_typed(&app, "Ravi Kumar", bengaluru, "+91 98450 00001").await;
    let sam = host_typed(&app, "Sam Fisher", sf, "+1 415 555 0100").await;
    let mut india = paired_tablet(&app, &mut admin, bengaluru).await;
    let mut us = paired_tablet(&app, &mut admin, sf).await;

    let ravi_id = ravi["id"].to_string();
    let form = [
        ("name", "Anil Guest"),
        ("email", "anil@example.org"),
        ("phone", "98450 12345"),
        ("host_id", ravi_id.as_str()),
    ];
    let response = india.post("/api/kiosk_check_in", &form).await;
    assert!(response.status().is_redirection() || response.headers().contains_key("location"));
    assert_eq!(
        phone_of_visit_named(&app, "Anil Guest").await,
        "+919845012345"
    );

    let sam_id = sam["id"].to_string();
    let form = [
        ("name", "Una Guest"),
        ("email", "una@example.org"),
        ("phone", "(415) 555-0199"),
        ("host_id", sam_id.as_str()),
    ];
    us.post("/api/kiosk_check_in", &form).await;
    assert_eq!(
        phone_of_visit_named(&app, "Una Guest").await,
        "+14155550199"
    );

    // The same local number finds the returning guest and checks them out there.
    india
        .post("/api/kiosk_start", &[("phone", "098450 12345")])
        .await;
    let known = india.json("/api/kiosk_guest", &[]).await;
    assert_eq!(known["Confirm"]["first_name"], "Anil", "{known}");
    let out = india
        .post(
            "/api/kiosk_check_out",
            &[("contact", "98450 12345"), ("surname", "guest")],
        )
        .await;
    assert!(out
        .headers()
        .get("location")
        .is_some_and(|l| l == "/kiosk?bye=1"));
}

#[tokio::test]
async fn the_poster_page_the_api_and_new_hosts_read_local_numbers_in_the_locations_country() {
    let (app, mut admin) = spawn_app_with_admin(|s| {
        s.allowed_host_domains = Some("example.com".into());
    })
    .await;
    let bengaluru = location_in(&app, "Bengaluru HQ", "Asia/Kolkata", Some("IN")).await;
    let nowhere = location_in(&app, "Annex", "Asia/Kolkata", None).await;

    let ravi = host_typed(&app, "Ravi Kumar", bengaluru, "98450 00001").await;
    assert_eq!(ravi["phone"], "+919845000001", "{ravi}");
    // Without a country the server's default region (US) applies.
    let ada = host_typed(&app, "Ada Annex", nowhere, "(415) 555-0123").await;
    assert_eq!(ada["phone"], "+14155550123", "{ada}");

    let visit = json!({"name": "Api Guest", "email": "api@example.org",
                       "phone": "98450 12347", "host_id": ravi["id"]});
    let response = app.post_json("/api/v1/visits", visit).await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        phone_of_visit_named(&app, "Api Guest").await,
        "+919845012347"
    );

    let code = arrival_code(&app, bengaluru).await;
    let ravi_id = ravi["id"].to_string();
    let location_id = bengaluru.to_string();
    let form = [
        ("location_id", location_id.as_str()),
        ("code", code.as_str()),
        ("host_id", ravi_id.as_str()),
        ("name", "Poster Guest"),
        ("email", "poster@example.org"),
        ("phone", "98450 12348"),
    ];
    let response = admin.post_form("/api/arrival_check_in", &form).await;
    assert!(response.status().is_success() || response.status().is_redirection());
    assert_eq!(
        phone_of_visit_named(&app, "Poster Guest").await,
        "+919845012348"
    );

    // An admin moving a host abroad types the new number the local way there.
    let moved = app
        .api(
            reqwest::Method::PATCH,
            &format!("/api/v1/hosts/{}", ada["id"]),
            Some(json!({"location_id": bengaluru, "phone": "98450 00002"})),
        )
        .await;
    assert_eq!(moved.status(), 200);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["phone"], "+919845000002", "{moved}");
}

async fn country_of(app: &TestApp, location_id: i64) -> Value {
    let body: Value = app
        .get_json("/api/v1/locations")
        .await
        .json()
        .await
        .unwrap();
    let items = body["items"].as_array().cloned().unwrap_or_default();
    let found = items.iter().find(|l| l["id"].as_i64() == Some(location_id));
    found.map(|l| l["country"].clone()).unwrap_or(Value::Null)
}

#[tokio::test]
async fn an_admin_sets_a_locations_country_in_the_console_and_a_made_up_one_changes_nothing() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let form = [
        ("name", "Bengaluru HQ"),
        ("address", "1 MG Road"),
        ("time_zone", "Asia/Kolkata"),
        ("country", "IN"),
    ];
    let added = admin.post_form("/api/admin_add_location", &form).await;
    assert!(added.status().is_success(), "{}", added.status());
    let rows: Value = admin
        .post_form("/api/admin_locations", &[])
        .await
        .json()
        .await
        .unwrap();
    let id = rows[0]["id"].as_i64().unwrap();
    assert_eq!(rows[0]["country"], "IN", "{rows}");

    let before = app.row_counts().await;
    let made_up = [
        ("name", "Bengaluru HQ"),
        ("address", "1 MG Road"),
        ("time_zone", "Asia/Kolkata"),
        ("country", "XX"),
    ];
    let refused = admin.post_form("/api/admin_add_location", &made_up).await;
    assert_eq!(refused.status(), 422);
    let error: Value = refused.json().await.unwrap();
    assert!(
        error.to_string().contains("two-letter country code"),
        "{error}"
    );
    let id_text = id.to_string();
    let mut edit = vec![("id", id_text.as_str())];
    edit.extend_from_slice(&made_up);
    let refused = admin.post_form("/api/admin_edit_location", &edit).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        app.row_counts().await,
        before,
        "a refused country writes nothing"
    );
    assert_eq!(country_of(&app, id).await, "IN");

    edit[4] = ("country", "GB");
    edit.push(("active", "on"));
    let saved = admin.post_form("/api/admin_edit_location", &edit).await;
    assert!(saved.status().is_success(), "{}", saved.status());
    assert_eq!(country_of(&app, id).await, "GB");

    let patched = app
        .api(
            reqwest::Method::PATCH,
            &format!("/api/v1/locations/{id}"),
            Some(json!({"country": "US"})),
        )
        .await;
    assert_eq!(patched.status(), 200);
    assert_eq!(country_of(&app, id).await, "US");
}
