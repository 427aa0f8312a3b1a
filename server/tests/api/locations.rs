use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::helpers::spawn_app;

#[tokio::test]
async fn locations_are_created_listed_and_edited() {
    let app = spawn_app().await;

    let created = app
        .post_json(
            "/api/v1/locations",
            json!({"name": " Bangalore ", "address": "12 MG Road", "time_zone": "Asia/Kolkata"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let location: Value = created.json().await.unwrap();
    assert_eq!(location["name"], "Bangalore");
    assert_eq!(location["active"], true);
    let id = location["id"].as_i64().unwrap();

    let edited = app
        .api(
            Method::PATCH,
            &format!("/api/v1/locations/{id}"),
            Some(json!({"address": "14 MG Road", "active": false})),
        )
        .await;
    assert_eq!(edited.status(), 200);

    let list: Value = app
        .get_json("/api/v1/locations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["address"], "14 MG Road");
    assert_eq!(list["items"][0]["active"], false);
    assert!(list["next"].is_null());
}

#[tokio::test]
async fn every_write_through_the_api_is_audited_with_the_token_that_made_it() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let visit: Value = app
        .post_json("/api/v1/visits", json!({"name": "Ada", "email": "ada@example.com", "phone": "+14155550100", "host_id": host_id}))
        .await
        .json()
        .await
        .unwrap();
    app.post_json(
        &format!("/api/v1/visits/{}/checkout", visit["id"]),
        json!({}),
    )
    .await;

    let rows = app
        .db
        .query_all(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT actor, action FROM audit_log ORDER BY id",
        ))
        .await
        .unwrap();
    let entries: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "actor").unwrap(),
                r.try_get("", "action").unwrap(),
            )
        })
        .collect();
    let actions: Vec<&str> = entries.iter().map(|(_, a)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "location.create",
            "host.create",
            "visit.check_in",
            "visit.check_out"
        ]
    );
    assert!(
        entries
            .iter()
            .all(|(actor, _)| actor == "api token \"tests\""),
        "{entries:?}"
    );
    // The visit records who checked it out.
    let closed: Value = app
        .get_json(&format!("/api/v1/visits/{}", visit["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["checked_out_by"], "api token \"tests\"");
}

#[tokio::test]
async fn unknown_locations_cannot_be_edited() {
    let app = spawn_app().await;
    let before = app.row_counts().await;

    let response = app
        .api(
            Method::PATCH,
            "/api/v1/locations/999",
            Some(json!({"name": "X"})),
        )
        .await;

    assert_eq!(response.status(), 404);
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn a_location_keeps_its_country_and_an_unknown_code_is_refused_by_field() {
    let app = crate::helpers::spawn_app().await;
    let body = |country: &str| serde_json::json!({"name": "Bengaluru HQ", "address": "1 MG Road", "time_zone": "Asia/Kolkata", "country": country});
    let created = app.post_json("/api/v1/locations", body("in")).await;
    assert_eq!(created.status(), 201);
    let location: serde_json::Value = created.json().await.unwrap();
    assert_eq!(location["country"], "IN");

    let refused = app.post_json("/api/v1/locations", body("India")).await;
    assert_eq!(refused.status(), 422);
    let error: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(error["error"]["field"], "country", "{error}");
}
