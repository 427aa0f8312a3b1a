//! The CSV export of the entries log.

use crate::browser::spawn_app_with_admin;
use crate::helpers::spawn_app;
use serde_json::{json, Value};

const BOM: &[u8] = b"\xEF\xBB\xBF";

async fn csv_of(
    app: &crate::helpers::TestApp,
    query: &str,
) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.get_json(&format!("/api/v1/visits.csv?{query}")).await;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap().to_vec();
    assert!(
        status.is_success(),
        "{status}: {}",
        String::from_utf8_lossy(&body)
    );
    (headers, body)
}

fn records(body: &[u8]) -> Vec<csv::StringRecord> {
    let text = body
        .strip_prefix(BOM)
        .expect("starts with a UTF-8 byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text)
        .records()
        .map(|r| r.expect("valid CSV"))
        .collect()
}

#[tokio::test]
async fn the_csv_export_has_one_row_per_visit_with_all_columns_quoted_per_rfc_4180() {
    let app = spawn_app().await;
    let (_, host_id) = app.location_and_host().await;
    let names = ["Zoë \"Z\" Ng", "Smith, John", "=HYPERLINK(\"x\")"];
    let mut ids = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let response = app
            .post_json(
                "/api/v1/visits",
                json!({"name": name, "email": format!("g{n}@example.org"),
                       "phone": format!("+1 415 555 {:04}", 2000 + n), "host_id": host_id}),
            )
            .await;
        assert_eq!(response.status(), 201);
        ids.push(
            response.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let response = app
        .post_json(&format!("/api/v1/visits/{}/checkout", ids[0]), json!({}))
        .await;
    assert_eq!(response.status(), 200);

    let (headers, body) = csv_of(&app, "").await;
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(body.ends_with(b"\r\n"), "RFC 4180 lines end in CRLF");
    let rows = records(&body);
    assert_eq!(rows.len(), 4, "a header and one row per visit");
    assert_eq!(rows[0].len(), 12);
    assert_eq!(&rows[0][0], "visit_id");
    // The quoted fields come back exactly (the reader undoes RFC 4180 quoting).
    let by_id = |id: i64| {
        rows.iter()
            .find(|r| r[0] == id.to_string())
            .unwrap()
            .clone()
    };
    let zoe = by_id(ids[0]);
    assert_eq!(&zoe[1], "Zoë \"Z\" Ng");
    assert_eq!(&zoe[4], "Grace Hopper");
    assert_eq!(&zoe[6], "HQ");
    assert_eq!(&zoe[7], "Asia/Kolkata");
    assert!(
        zoe[8].ends_with("+05:30"),
        "local time with offset: {}",
        &zoe[8]
    );
    assert!(!zoe[9].is_empty());
    assert_eq!(&zoe[11], "past");
    assert_eq!(&by_id(ids[1])[1], "Smith, John");
    assert_eq!(
        &by_id(ids[2])[1],
        "'=HYPERLINK(\"x\")",
        "formulas are defused"
    );
    assert_eq!(&by_id(ids[2])[11], "running");
    assert!(String::from_utf8_lossy(&body).contains("\"Smith, John\""));
}

#[tokio::test]
async fn the_csv_export_applies_the_entry_filters() {
    let app = spawn_app().await;
    let (location_id, host_id) = app.location_and_host().await;
    for n in 1..=3 {
        crate::helpers::check_in(&app, host_id, n).await;
    }
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Kolkata)
        .date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let q = |from: chrono::NaiveDate, to: chrono::NaiveDate| {
        format!("location_id={location_id}&from={from}&to={to}")
    };
    assert_eq!(records(&csv_of(&app, &q(today, today)).await.1).len(), 4);
    assert_eq!(
        records(&csv_of(&app, &q(tomorrow, tomorrow)).await.1).len(),
        1,
        "header only"
    );
    assert_eq!(records(&csv_of(&app, "status=past").await.1).len(), 1);
    assert_eq!(
        records(
            &csv_of(&app, &format!("host_id={host_id}&status=running"))
                .await
                .1
        )
        .len(),
        4
    );

    for (query, field) in [
        ("from=29.11.2026", "from"),
        ("status=gone", "status"),
        ("host_id=x", "host_id"),
        // Beyond year 9999 SQLite would compare the days as text, wrongly.
        ("to=9999-12-31", "to"),
        ("from=%2B10000-01-01", "from"),
        ("from=0001-01-01", "from"),
    ] {
        let response = app.get_json(&format!("/api/v1/visits.csv?{query}")).await;
        assert_eq!(response.status(), 422, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    let response = app
        .get_json(&format!("/api/v1/visits.csv?from={tomorrow}&to={today}"))
        .await;
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn only_admins_and_tokens_may_export() {
    let (app, mut admin) =
        spawn_app_with_admin(|s| s.allowed_host_domains = Some("example.com".into())).await;
    let (location_id, _) = app.location_and_host().await;
    let (host, _) = app.host_account("Hal Host", location_id).await;
    let mut host = host.browser;
    let get = reqwest::Method::GET;
    assert_eq!(
        host.api(get.clone(), "/api/v1/visits.csv", None)
            .await
            .status(),
        403
    );
    let mut anonymous = app.browser();
    assert_eq!(
        anonymous
            .api(get.clone(), "/api/v1/visits.csv", None)
            .await
            .status(),
        401
    );
    // The admin console's link: the admin's session cookie is enough.
    assert_eq!(
        admin.api(get, "/api/v1/visits.csv", None).await.status(),
        200
    );
}

#[tokio::test]
async fn the_entries_page_says_when_it_lists_only_the_newest_and_the_csv_has_all() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (_, host_id) = app.location_and_host().await;
    for n in 0..201 {
        crate::helpers::check_in(&app, host_id, n).await;
    }
    let page = admin.get("/admin/entries").await.text().await.unwrap();
    assert!(page.contains("Showing the newest 200 entries"), "{page}");
    assert_eq!(page.matches("href=\"/visits/").count(), 200);
    assert_eq!(
        records(&csv_of(&app, "").await.1).len(),
        202,
        "header and all 201"
    );
}
