//! Check-in under concurrency, through the API, on SQLite and PostgreSQL alike.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::helpers::{guest, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_check_ins_give_200_visits_events_and_400_messages() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let events_before = app
        .row_counts()
        .await
        .into_iter()
        .find(|(t, _)| *t == "events")
        .unwrap()
        .1;

    let requests = (0..200).map(|n| {
        let mut body = guest(n);
        body["host_id"] = json!(host_id);
        app.post_json("/api/v1/visits", body)
    });
    let statuses: Vec<u16> = futures::future::join_all(requests)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();

    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let counts = app.row_counts().await;
    assert!(counts.contains(&("visits", 200)), "{counts:?}");
    // 400 about the visits, and the host's invitation (an admin added them).
    assert!(counts.contains(&("notifications", 401)), "{counts:?}");
    let rows = app
        .db
        .query_all(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT seq FROM events WHERE kind = 'visit_checked_in' ORDER BY seq",
        ))
        .await
        .unwrap();
    let seqs: Vec<i64> = rows.iter().map(|r| r.try_get("", "seq").unwrap()).collect();
    assert_eq!(seqs.len(), 200);
    assert_eq!(seqs.iter().collect::<HashSet<_>>().len(), 200);
    // Gapless and increasing after the set-up's events: commit order is sequence order.
    assert_eq!(
        seqs,
        ((events_before + 1)..=(events_before + 200)).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_check_ins_of_one_guest_give_one_visit_and_49_conflicts() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let mut body = guest(7);
    body["host_id"] = json!(host_id);

    let responses =
        futures::future::join_all((0..50).map(|_| app.post_json("/api/v1/visits", body.clone())))
            .await;

    let created = responses.iter().filter(|r| r.status() == 201).count();
    let conflicts = responses.iter().filter(|r| r.status() == 409).count();
    assert_eq!((created, conflicts), (1, 49));
    for response in responses.into_iter().filter(|r| r.status() == 409) {
        let error: Value = response.json().await.unwrap();
        assert!(error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already checked in"));
    }
    let counts = app.row_counts().await;
    assert!(
        // The visit's e-mail and SMS, and the host's invitation.
        counts.contains(&("visits", 1)) && counts.contains(&("notifications", 3)),
        "{counts:?}"
    );
}
