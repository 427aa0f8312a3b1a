use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::helpers::{guest, spawn_app};

fn with_host(mut guest: Value, host_id: i64) -> Value {
    guest["host_id"] = json!(host_id);
    guest
}

#[tokio::test]
async fn checking_in_records_the_visit_an_event_and_the_hosts_email_and_sms() {
    let app = spawn_app().await;
    let (location_id, host_id) = app.location_and_host().await;

    let response = app
        .post_json(
            "/api/v1/visits",
            json!({"name": " Ada Lovelace ", "email": "Ada@Example.com",
                                             "phone": "(415) 555-0199", "host_id": host_id}),
        )
        .await;

    assert_eq!(response.status(), 201);
    let visit: Value = response.json().await.unwrap();
    assert_eq!(visit["name"], "Ada Lovelace");
    assert_eq!(visit["email"], "ada@example.com");
    assert_eq!(visit["phone"], "+14155550199");
    assert_eq!(visit["status"], "running");
    assert_eq!(visit["location_id"], location_id);
    assert!(visit["checked_out_at"].is_null());
    let channels: Vec<_> = visit["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["channel"].clone())
        .collect();
    assert_eq!(channels, vec![json!("email"), json!("sms")]);
    assert!(visit["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["status"] == "queued"));
    let sms_to = &visit["notifications"][1]["recipient"];
    assert_eq!(sms_to, "+14155552671");

    let counts = app.row_counts().await;
    assert!(
        // The visit's e-mail and SMS, and the host's invitation.
        counts.contains(&("visits", 1)) && counts.contains(&("notifications", 3)),
        "{counts:?}"
    );
}

#[tokio::test]
async fn checking_out_closes_the_visit_and_queues_the_guests_summary() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let visit: Value = app
        .post_json("/api/v1/visits", with_host(guest(1), host_id))
        .await
        .json()
        .await
        .unwrap();
    let id = visit["id"].as_i64().unwrap();

    let response = app
        .post_json(&format!("/api/v1/visits/{id}/checkout"), json!({}))
        .await;

    assert_eq!(response.status(), 200);
    let closed: Value = response.json().await.unwrap();
    assert_eq!(closed["status"], "checked_out");
    assert!(closed["checked_out_at"].is_string());
    let summary = app
        .db
        .query_one(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT recipient, subject, body FROM notifications WHERE visit_id = {id} ORDER BY id DESC"),
        ))
        .await
        .unwrap()
        .unwrap();
    let body: String = summary.try_get("", "body").unwrap();
    assert_eq!(
        summary.try_get::<String>("", "recipient").unwrap(),
        "guest1@example.com"
    );
    for expected in [
        "Name: Guest 1",
        "Phone: +14155551001",
        "Check-in time: ",
        "Check-out time: ",
        "Host name: Grace Hopper",
        "Address visited: 1 Main St, Springfield",
        "IST",
    ] {
        assert!(body.contains(expected), "{expected} missing in {body}");
    }

    let fetched: Value = app
        .get_json(&format!("/api/v1/visits/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["notifications"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn checking_out_twice_is_a_conflict_that_changes_nothing() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let visit: Value = app
        .post_json("/api/v1/visits", with_host(guest(1), host_id))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/visits/{}/checkout", visit["id"]);
    assert_eq!(app.post_json(&path, json!({})).await.status(), 200);
    let before = app.row_counts().await;

    let again = app.post_json(&path, json!({})).await;

    assert_eq!(again.status(), 409);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"]["code"], "conflict");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("already checked out"));
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn a_guest_already_checked_in_at_the_location_gets_a_409() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    assert_eq!(
        app.post_json("/api/v1/visits", with_host(guest(1), host_id))
            .await
            .status(),
        201
    );
    let before = app.row_counts().await;

    let mut same_phone = with_host(guest(2), host_id);
    same_phone["phone"] = guest(1)["phone"].clone();
    let response = app.post_json("/api/v1/visits", same_phone).await;

    assert_eq!(response.status(), 409);
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn a_deactivated_host_cannot_be_picked() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let patched = app
        .api(
            Method::PATCH,
            &format!("/api/v1/hosts/{host_id}"),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(patched.status(), 200);
    let before = app.row_counts().await;

    let response = app
        .post_json("/api/v1/visits", with_host(guest(1), host_id))
        .await;

    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "host_id");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Grace Hopper"));
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn running_and_past_visits_are_listed_newest_first_with_a_cursor() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let v: Value = app
            .post_json("/api/v1/visits", with_host(guest(n), host_id))
            .await
            .json()
            .await
            .unwrap();
        ids.push(v["id"].as_i64().unwrap());
    }
    app.post_json(&format!("/api/v1/visits/{}/checkout", ids[0]), json!({}))
        .await;

    let running: Value = app
        .get_json("/api/v1/visits?status=running&limit=3")
        .await
        .json()
        .await
        .unwrap();
    let page1: Vec<i64> = running["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert_eq!(page1, vec![ids[4], ids[3], ids[2]]);
    let cursor = running["next"].as_i64().unwrap();
    let rest: Value = app
        .get_json(&format!(
            "/api/v1/visits?status=running&limit=3&cursor={cursor}"
        ))
        .await
        .json()
        .await
        .unwrap();
    let page2: Vec<i64> = rest["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert_eq!(page2, vec![ids[1]]);
    assert!(rest["next"].is_null());

    let past: Value = app
        .get_json(&format!("/api/v1/visits?status=past&host_id={host_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(past["items"].as_array().unwrap().len(), 1);
    assert_eq!(past["items"][0]["id"], ids[0]);
}

#[tokio::test]
async fn the_guests_self_check_out_token_works_once_and_wrong_tokens_are_refused() {
    use app::ssr::auth::caller::{Actor, Caller};
    use app::ssr::domain::Region;
    use app::ssr::services::visits::{
        check_in, check_out, CheckOutError, NewVisit, VisitRef, VisitSource,
    };
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let new = NewVisit::parse(
        "Guest 1",
        "guest1@example.com",
        "+1 415 555 1001",
        host_id as i32,
        Region::parse("US").unwrap(),
        VisitSource::Api,
    )
    .unwrap();
    let (visit, token) = check_in(&app.db, new, &app.address, &Caller::api_token("tests"))
        .await
        .unwrap();

    let wrong = check_out(&app.db, VisitRef::Token("not-the-token"), &Actor::guest()).await;
    assert!(
        matches!(wrong, Err(CheckOutError::UnknownToken)),
        "{wrong:?}"
    );
    let stored = app::ssr::services::secret_hash(&token);
    let by_hash = check_out(&app.db, VisitRef::Token(&stored), &Actor::guest()).await;
    assert!(
        matches!(by_hash, Err(CheckOutError::UnknownToken)),
        "the stored hash is not a link: {by_hash:?}"
    );
    let closed = check_out(&app.db, VisitRef::Token(&token), &Actor::guest())
        .await
        .unwrap();
    assert_eq!(closed.id, visit.id);
    assert_eq!(
        closed.checked_out_by.as_deref(),
        Some("guest (self check-out)")
    );
    let before = app.row_counts().await;
    let again = check_out(&app.db, VisitRef::Token(&token), &Actor::guest()).await;
    assert!(
        matches!(again, Err(CheckOutError::LinkExpired)),
        "{again:?}"
    );
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn check_out_links_made_before_hashing_keep_working_after_the_migration() {
    use migration::MigratorTrait;
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    crate::helpers::check_in(&app, host_id, 1).await;
    // As an older version stored it: the secret in clear (before migration 016,
    // which hashes the links, and every later one).
    let since_hashing = migration::Migrator::migrations().len() as u32 - 15;
    migration::Migrator::down(&app.db, Some(since_hashing))
        .await
        .unwrap();
    app.db
        .execute_unprepared("UPDATE visits SET checkout_token = 'an-old-clear-secret'")
        .await
        .unwrap();
    migration::Migrator::up(&app.db, None).await.unwrap();
    let link = app::ssr::services::guests::own_visit(&app.db, "an-old-clear-secret")
        .await
        .unwrap();
    assert!(
        matches!(link, Some(app::types::GuestLink::Open(_))),
        "{link:?}"
    );
}
