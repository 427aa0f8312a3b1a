//! What the dashboards list: each visit with its own host's and location's names and
//! its check-in time in that location's time zone, for the visits the reader may see.

use serde_json::Value;

use crate::browser::spawn_app_with_admin;
use crate::helpers::check_in;

fn row_of<'a>(rows: &'a Value, guest: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["guest_name"] == guest)
        .unwrap_or_else(|| panic!("no row for {guest} in {rows}"))
}

#[tokio::test]
async fn each_listed_visit_shows_its_own_host_location_and_local_time() {
    let (app, mut admin) = spawn_app_with_admin(|s| {
        s.allowed_host_domains = Some("example.com".into());
    })
    .await;
    // Grace Hopper at "HQ" (Asia/Kolkata), Ada at a Sydney office.
    let (_, grace) = app.location_and_host().await;
    let sydney = app.new_location("Sydney Office", "Australia/Sydney").await;
    let (mut ada, ada_host) = app.host_account("Ada Lovelace", sydney).await;
    check_in(&app, grace, 1).await;
    check_in(&app, ada_host, 2).await;

    let all: Value = admin
        .post_form("/api/admin_entries", &[("query[status]", "")])
        .await
        .json()
        .await
        .unwrap();
    let at_hq = row_of(&all, "Guest 1");
    assert_eq!(at_hq["host_name"], "Grace Hopper");
    assert_eq!(at_hq["location_name"], "HQ");
    assert!(
        at_hq["checked_in_at"].as_str().unwrap().ends_with("IST"),
        "{at_hq}"
    );
    let in_sydney = row_of(&all, "Guest 2");
    assert_eq!(in_sydney["host_name"], "Ada Lovelace");
    assert_eq!(in_sydney["location_name"], "Sydney Office");
    let time = in_sydney["checked_in_at"].as_str().unwrap();
    assert!(time.ends_with("AEDT") || time.ends_with("AEST"), "{time}");

    let mine: Value = ada
        .browser
        .post_form("/api/my_visits", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(row_of(&mine, "Guest 2"), in_sydney);
    let page = ada.browser.get("/host").await.text().await.unwrap();
    assert!(
        page.contains("Sydney Office") && page.contains("Guest 2"),
        "{page}"
    );
    assert!(
        !page.contains("Guest 1"),
        "another host's guest is not listed"
    );
}
