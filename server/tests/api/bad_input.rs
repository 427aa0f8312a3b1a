//! Every bad input gets a 4xx naming the field, and changes nothing.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::spawn_app;

#[tokio::test]
async fn bad_check_ins_are_refused_with_the_field_named_and_nothing_written() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let good = json!({"name": "Ada", "email": "ada@example.com", "phone": "+14155550100", "host_id": host_id});
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let cases = [
        ("empty name", with("name", json!("  ")), 422, Some("name")),
        (
            "101-char name",
            with("name", json!("x".repeat(101))),
            422,
            Some("name"),
        ),
        (
            "bad email",
            with("email", json!("ada-at-example")),
            422,
            Some("email"),
        ),
        ("phone 12", with("phone", json!("12")), 422, Some("phone")),
        (
            "unknown host",
            with("host_id", json!(999_999)),
            422,
            Some("host_id"),
        ),
        (
            "host id of the wrong type",
            with("host_id", json!("one")),
            422,
            Some("host_id"),
        ),
        (
            "missing phone",
            json!({"name": "Ada", "email": "ada@example.com", "host_id": host_id}),
            422,
            Some("phone"),
        ),
        (
            "unknown field",
            with("nmae", json!("Ada")),
            422,
            Some("nmae"),
        ),
    ];
    let before = app.row_counts().await;
    for (case, body, status, field) in cases {
        let response = app.post_json("/api/v1/visits", body).await;
        assert_eq!(response.status().as_u16(), status, "{case}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["field"].as_str(), field, "{case}: {error}");
        assert!(
            !error["error"]["message"].as_str().unwrap().is_empty(),
            "{case}"
        );
        assert_eq!(
            app.row_counts().await,
            before,
            "{case} changed the database"
        );
    }
}

#[tokio::test]
async fn malformed_json_and_wrong_content_types_are_refused() {
    let app = spawn_app().await;
    let before = app.row_counts().await;
    let url = format!("{}/api/v1/visits", app.address);

    let malformed = app
        .client
        .post(&url)
        .bearer_auth(&app.token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(
        malformed.json::<Value>().await.unwrap()["error"]["code"],
        "malformed_json"
    );

    let form = app
        .client
        .post(&url)
        .bearer_auth(&app.token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=Ada")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 415);
    assert_eq!(
        form.json::<Value>().await.unwrap()["error"]["code"],
        "unsupported_media_type"
    );

    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn unknown_visits_are_404_for_reads_and_check_outs() {
    let app = spawn_app().await;
    let before = app.row_counts().await;

    assert_eq!(app.get_json("/api/v1/visits/424242").await.status(), 404);
    let checkout = app
        .post_json("/api/v1/visits/424242/checkout", json!({}))
        .await;
    assert_eq!(checkout.status(), 404);
    assert_eq!(
        checkout.json::<Value>().await.unwrap()["error"]["code"],
        "not_found"
    );
    assert_eq!(
        app.get_json("/api/v1/visits/not-a-number").await.status(),
        404
    );

    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn bad_locations_and_hosts_are_refused_with_the_field_named() {
    let app = spawn_app().await;
    let (location_id, host_id) = app.location_and_host().await;
    let before = app.row_counts().await;
    let cases = [
        (
            "/api/v1/locations",
            Method::POST,
            json!({"name": "", "address": "1 Main St", "time_zone": "UTC"}),
            422,
            "name",
        ),
        (
            "/api/v1/locations",
            Method::POST,
            json!({"name": "HQ", "address": "1 Main St", "time_zone": "Mars/Olympus"}),
            422,
            "time_zone",
        ),
        (
            "/api/v1/hosts",
            Method::POST,
            json!({"name": "Al", "email": "al@example.com", "phone": "+14155550111", "location_id": 987}),
            422,
            "location_id",
        ),
        (
            "/api/v1/hosts",
            Method::POST,
            json!({"name": "Al", "email": "GRACE@example.com", "phone": "+14155550111", "location_id": location_id}),
            409,
            "email",
        ),
        (
            "/api/v1/hosts",
            Method::POST,
            json!({"name": "Al", "email": "al@example.com", "phone": "12", "location_id": location_id}),
            422,
            "phone",
        ),
    ];
    for (path, method, body, status, field) in cases {
        let response = app.api(method, path, Some(body.clone())).await;
        assert_eq!(response.status().as_u16(), status, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{error}");
        assert_eq!(
            app.row_counts().await,
            before,
            "{body} changed the database"
        );
    }
    let patch = app
        .api(
            Method::PATCH,
            &format!("/api/v1/hosts/{host_id}"),
            Some(json!({"email": "nope"})),
        )
        .await;
    assert_eq!(patch.status(), 422);
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn requests_without_a_valid_token_are_401_and_change_nothing() {
    let app = spawn_app().await;
    let before = app.row_counts().await;
    let url = format!("{}/api/v1/locations", app.address);
    let body = json!({"name": "HQ", "address": "1 Main St", "time_zone": "UTC"});

    let anonymous = app.client.post(&url).json(&body).send().await.unwrap();
    let forged = app
        .client
        .post(&url)
        .bearer_auth("fdk_forged")
        .json(&body)
        .send()
        .await
        .unwrap();

    for response in [anonymous, forged] {
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.json::<Value>().await.unwrap()["error"]["code"],
            "unauthorized"
        );
    }
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn the_bearer_scheme_is_accepted_in_any_case() {
    let app = spawn_app().await;
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let response = app
            .client
            .get(format!("{}/api/v1/locations", app.address))
            .header("authorization", format!("{scheme} {}", app.token))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "scheme {scheme}");
    }
    let basic = app
        .client
        .get(format!("{}/api/v1/locations", app.address))
        .header("authorization", format!("Basic {}", app.token))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
}

#[tokio::test]
async fn a_body_over_64_kib_is_refused_with_413_before_anything_reads_it() {
    let app = spawn_app().await;
    let before = app.row_counts().await;
    let huge = "a".repeat(2 * 1024 * 1024);
    let mut browser = crate::browser::Browser::new(&app);
    let log_in = browser
        .post_form(
            "/api/log_in",
            &[("door", "visitor"), ("email", &huge), ("password", "x")],
        )
        .await;
    assert_eq!(log_in.status(), 413);
    let mut body = crate::helpers::guest(1);
    body["name"] = json!(huge);
    body["host_id"] = json!(1);
    let api = app.post_json("/api/v1/visits", body).await;
    assert_eq!(api.status(), 413);
    // Just under the limit still reaches the app (and is refused for what it says).
    let long = "a".repeat(60 * 1024);
    let near = browser
        .post_form(
            "/api/log_in",
            &[("door", "visitor"), ("email", &long), ("password", "x")],
        )
        .await;
    assert!(
        near.status().is_client_error() && near.status() != 413,
        "{}",
        near.status()
    );
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn server_function_fields_that_cannot_be_read_are_a_422_not_a_500() {
    let (app, mut admin) = crate::browser::spawn_app_with_admin(|_| {}).await;
    let before = app.row_counts().await;
    let mut anonymous = crate::browser::Browser::new(&app);
    let missing = anonymous
        .post_form("/api/log_in", &[("door", "visitor"), ("email", "a@b.co")])
        .await;
    assert_eq!(missing.status(), 422);
    for form in [
        vec![("id", "seven"), ("active", "true")],
        vec![("id", "1"), ("active", "maybe")],
        vec![("id", "1"), ("id", "2"), ("active", "true")],
    ] {
        let response = admin.post_form("/api/admin_set_host_active", &form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["Invalid"]["message"]
                .as_str()
                .unwrap()
                .contains("could not be read"),
            "{body}"
        );
    }
    assert_eq!(app.row_counts().await, before);
}
