//! The dev mailbox page and the entry page that messages link to.

use std::time::Duration;

use reqwest::StatusCode;

use crate::browser::{spawn_app_with_admin, Browser, PASSWORD};
use crate::helpers::{check_in, TestApp};
use crate::notifications::{scripted_twilio, settled_deliveries, twilio, twilio_error};

async fn app_with_admin() -> (TestApp, Browser) {
    spawn_app_with_admin(|s| s.allowed_host_domains = Some("example.com".into())).await
}

/// Waits until the worker is done with every message of a check-in.
async fn until_sent(app: &TestApp, visit_id: i64) {
    settled_deliveries(app, visit_id, Duration::from_secs(10)).await;
}

#[tokio::test]
async fn admins_read_kept_messages_on_the_dev_mailbox_page_and_nobody_else_does() {
    let (app, mut admin) = app_with_admin().await;
    let (location_id, host_id) = app.location_and_host().await;
    let visit_id = check_in(&app, host_id, 1).await;
    until_sent(&app, visit_id).await;

    let page = admin.get("/dev/mailbox").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("email to grace@example.com"), "{html}");
    assert!(html.contains("sms to +14155552671"), "{html}");
    assert!(html.contains("Guest 1 is here to see you"), "{html}");
    // The host's invitation (an admin added them), then the check-in's e-mail and SMS.
    assert!(html.contains("You are a host on Frontdesk"), "{html}");
    assert_eq!(
        html.matches("not delivered (dev mailbox)").count(),
        3,
        "{html}"
    );

    let (host, _) = app.host_account("Other Host", location_id).await;
    let mut host = host.browser;
    assert_eq!(
        host.get("/dev/mailbox").await.status(),
        StatusCode::FORBIDDEN
    );
    let mut anonymous = app.browser();
    let response = anonymous.get("/dev/mailbox").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2Fdev%2Fmailbox"
    );
}

#[tokio::test]
async fn the_entry_page_shows_the_host_their_visit_with_delivery_status() {
    let (app, _) = app_with_admin().await;
    let (location_id, _) = app.location_and_host().await;
    let (_, host_id) = app.host_account("Hana Host", location_id).await;
    let visit_id = check_in(&app, host_id, 1).await;
    until_sent(&app, visit_id).await;

    let mut host = app.browser();
    host.log_in("host", "hana.host@example.com", PASSWORD).await;
    let page = host.get(&format!("/visits/{visit_id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1>Guest 1</h1>"), "{html}");
    assert_eq!(
        html.matches("data-testid=\"delivery-status\">sent<")
            .count(),
        2,
        "{html}"
    );

    // Another host's entry is not found, and an unknown one neither.
    let (other, _) = app.host_account("Otto Other", location_id).await;
    let mut other = other.browser;
    assert_eq!(
        other.get(&format!("/visits/{visit_id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        host.get("/visits/999999").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_message_that_failed_permanently_is_listed_for_admins_with_its_error() {
    let fake = scripted_twilio(vec![twilio_error(
        400,
        21211,
        "The 'To' number is not a valid phone number.",
    )])
    .await;
    let (app, mut admin) = spawn_app_with_admin(|s| twilio(s, fake.uri())).await;
    let (_, host_id) = app.location_and_host().await;
    let before = admin.get("/admin").await.text().await.unwrap();
    assert!(before.contains("None: every message went out"), "{before}");

    let visit_id = check_in(&app, host_id, 1).await;
    until_sent(&app, visit_id).await;

    let html = admin.get("/admin").await.text().await.unwrap();
    assert!(html.contains("data-testid=\"failed-messages\""), "{html}");
    assert!(html.contains("sms to +14155552671"), "{html}");
    assert!(html.contains("21211"), "{html}");
}
