//! Between guests at one tablet: a number typed shows nobody's details until its
//! guest confirms who they are, look-ups are limited per kiosk, and once the
//! tablet is back at the welcome screen nothing of the last guest can be shown.

use serde_json::Value;

use crate::browser::spawn_app_with_admin;
use crate::helpers::TestApp;
use crate::kiosk::{done_token, kiosk_check_in, paired_tablet, visits, Tablet};

/// A paired tablet back at its welcome screen after one guest (Zoë Ng,
/// +1 415 555 0199) checked in with host `host_id`, who is still here.
async fn a_tablet_after_one_guest() -> (TestApp, Tablet, i64) {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_id, host_id) = app.location_and_host().await;
    let mut tablet = paired_tablet(&app, &mut admin, location_id).await;
    kiosk_check_in(&mut tablet, host_id).await;
    tablet.get("/kiosk").await;
    (app, tablet, host_id)
}

async fn start(tablet: &mut Tablet, phone: &str) -> reqwest::Response {
    tablet.post("/api/kiosk_start", &[("phone", phone)]).await
}

async fn step(tablet: &mut Tablet) -> Value {
    tablet.json("/api/kiosk_guest", &[]).await
}

async fn confirm(tablet: &mut Tablet, answer: &str) -> reqwest::Response {
    tablet
        .post("/api/kiosk_confirm", &[("answer", answer)])
        .await
}

async fn check_out(tablet: &mut Tablet, contact: &str, surname: &str) -> reqwest::Response {
    tablet
        .post(
            "/api/kiosk_check_out",
            &[("contact", contact), ("surname", surname)],
        )
        .await
}

fn redirects_to(response: &reqwest::Response, path: &str) -> bool {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .is_some_and(|l| l == path)
}

#[tokio::test]
async fn a_returning_guests_number_shows_only_a_first_name_and_a_masked_address_until_they_confirm()
{
    let (app, mut tablet, _) = a_tablet_after_one_guest().await;

    // The same number typed another way.
    let started = start(&mut tablet, "+1 (415) 555-0199").await;
    assert!(
        redirects_to(&started, "/kiosk/check-in/details"),
        "{}",
        started.status()
    );
    let hint = step(&mut tablet).await;
    assert_eq!(hint["Confirm"]["first_name"], "Zoë", "{hint}");
    assert_eq!(hint["Confirm"]["email_hint"], "z•••@e•••.org", "{hint}");
    let shown = hint.to_string();
    for private in ["Ng", "zoe@", "example.org", "0199"] {
        assert!(
            !shown.contains(private),
            "{private} shown before confirming: {shown}"
        );
    }
    let page = tablet
        .get("/kiosk/check-in/details")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Welcome back, Zoë!"), "{page}");
    assert!(
        !page.contains("zoe@example.org") && !page.contains("Zoë Ng"),
        "{page}"
    );

    let wrong = confirm(&mut tablet, "Zoë").await;
    assert_eq!(
        wrong.status(),
        422,
        "the first name was shown, so it proves nothing"
    );
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "answer", "{body}");
    assert!(step(&mut tablet).await.get("Confirm").is_some());

    let right = confirm(&mut tablet, " ng ").await;
    assert!(
        redirects_to(&right, "/kiosk/check-in/details"),
        "{}",
        right.status()
    );
    // Still checked in from before: offered check-out, with one tap.
    let here = step(&mut tablet).await;
    assert_eq!(here["AlreadyHere"]["first_name"], "Zoë", "{here}");
    let left = tablet.post("/api/kiosk_leave", &[]).await;
    assert!(redirects_to(&left, "/kiosk?bye=1"), "{}", left.status());
    assert_eq!(visits(&app).await[0]["status"], "checked_out");
    assert_eq!(step(&mut tablet).await, "NotStarted");

    // Next time: confirmed, the details are filled in.
    start(&mut tablet, "+1 415 555 0199").await;
    confirm(&mut tablet, "zoe@EXAMPLE.org").await;
    let details = step(&mut tablet).await;
    assert_eq!(details["Details"]["name"], "Zoë Ng", "{details}");
    assert_eq!(details["Details"]["email"], "zoe@example.org");
    assert_eq!(details["Details"]["returning"], true);
}

#[tokio::test]
async fn one_tap_check_out_needs_a_confirmed_guest_of_this_tablet() {
    let (app, mut tablet, _) = a_tablet_after_one_guest().await;
    start(&mut tablet, "+1 415 555 0199").await;
    // Not confirmed yet, or another browser: nobody is checked out.
    tablet.post("/api/kiosk_leave", &[]).await;
    confirm(&mut tablet, "Ng").await;
    tablet.other_browser().post("/api/kiosk_leave", &[]).await;
    assert_eq!(visits(&app).await[0]["status"], "running");
}

#[tokio::test]
async fn three_wrong_answers_leave_the_returning_guests_details_out_of_reach() {
    let (_app, mut tablet, _) = a_tablet_after_one_guest().await;

    start(&mut tablet, "+1 415 555 0199").await;
    assert_eq!(confirm(&mut tablet, "Smith").await.status(), 422);
    assert_eq!(
        confirm(&mut tablet, "smith@example.org").await.status(),
        422
    );
    let third = confirm(&mut tablet, "Jones").await;
    assert!(
        redirects_to(&third, "/kiosk/check-in/details"),
        "{}",
        third.status()
    );
    // Now a new guest's empty form, with only the number as typed; the right
    // answer no longer helps.
    confirm(&mut tablet, "Ng").await;
    let details = step(&mut tablet).await;
    assert_eq!(details["Details"]["name"], "", "{details}");
    assert_eq!(details["Details"]["phone"], "+1 415 555 0199");
    assert_eq!(details["Details"]["returning"], false);
}

#[tokio::test]
async fn not_me_and_an_unknown_number_start_an_empty_form_with_the_number_as_typed() {
    let (_app, mut tablet, _) = a_tablet_after_one_guest().await;

    start(&mut tablet, "+1 415 555 0199").await;
    let not_me = tablet
        .post("/api/kiosk_confirm", &[("answer", ""), ("not_me", "1")])
        .await;
    assert!(redirects_to(&not_me, "/kiosk/check-in/details"));
    assert_eq!(step(&mut tablet).await["Details"]["name"], "");

    start(&mut tablet, "+1 415 555 0100").await;
    let details = step(&mut tablet).await;
    assert_eq!(details["Details"]["returning"], false, "{details}");
    assert_eq!(details["Details"]["phone"], "+1 415 555 0100");

    let bad = start(&mut tablet, "12").await;
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "phone", "{body}");
}

#[tokio::test]
async fn once_the_tablet_is_back_at_the_welcome_screen_nothing_of_the_last_guest_can_be_shown() {
    let (_app, mut tablet, host_id) = a_tablet_after_one_guest().await;
    start(&mut tablet, "+1 415 555 0199").await;
    confirm(&mut tablet, "Ng").await;
    // A confirmed check-in under way belongs to this browser's session only.
    assert_eq!(step(&mut tablet.other_browser()).await, "NotStarted");

    let token = done_token(&kiosk_check_out_then_in(&mut tablet, host_id).await);
    assert_eq!(
        step(&mut tablet).await,
        "NotStarted",
        "the check-in is over"
    );
    let done = tablet
        .get(&format!("/kiosk/done/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(done.contains("Thank you, Zoë Ng!"));

    tablet.get("/kiosk").await;
    // The next guest goes Back at once: the done screen and the details are gone.
    let done = tablet
        .get(&format!("/kiosk/done/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(done.contains("done-closed"), "{done}");
    let details = tablet
        .get("/kiosk/check-in/details")
        .await
        .text()
        .await
        .unwrap();
    assert!(details.contains("not-started"), "{details}");
    for text in [done, details] {
        for private in ["Zoë", "zoe@", "0199", token.as_str()] {
            assert!(!text.contains(private), "{private} shown again: {text}");
        }
    }
}

/// Checks the first visit out at the kiosk, then checks the same guest in again.
async fn kiosk_check_out_then_in(tablet: &mut Tablet, host_id: i64) -> reqwest::Response {
    let out = check_out(tablet, "+14155550199", "Ng").await;
    assert!(redirects_to(&out, "/kiosk?bye=1"), "{}", out.status());
    kiosk_check_in(tablet, host_id).await
}

#[tokio::test]
async fn checking_out_by_number_needs_the_surname_and_a_wrong_one_checks_nobody_out() {
    let (app, mut admin) = spawn_app_with_admin(|_| {}).await;
    let (location_id, host_id) = app.location_and_host().await;
    let mut tablet = paired_tablet(&app, &mut admin, location_id).await;
    kiosk_check_in(&mut tablet, host_id).await;

    let without = check_out(&mut tablet, "(415) 555-0199", " ").await;
    assert_eq!(without.status(), 422);
    let body: Value = without.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "surname", "{body}");

    let wrong = check_out(&mut tablet, "(415) 555-0199", "Zoë").await;
    assert_eq!(wrong.status(), 422);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "contact", "{body}");
    // The same words as for nobody at all: a wrong surname tells nothing.
    let nobody = check_out(&mut tablet, "(415) 555-0100", "Ng").await;
    let nobody: Value = nobody.json().await.unwrap();
    assert_eq!(nobody, body);
    assert_eq!(visits(&app).await[0]["status"], "running");

    let right = check_out(&mut tablet, "(415) 555-0199", "ng").await;
    assert!(redirects_to(&right, "/kiosk?bye=1"), "{}", right.status());
    assert_eq!(visits(&app).await[0]["status"], "checked_out");
}

#[tokio::test]
async fn guest_look_ups_are_limited_per_kiosk_and_one_kiosk_using_its_budget_leaves_the_others_theirs(
) {
    let (app, mut admin) = spawn_app_with_admin(|s| s.kiosk_lookups_per_minute = 3).await;
    let (location_id, _) = app.location_and_host().await;
    let mut tablet = paired_tablet(&app, &mut admin, location_id).await;
    let mut other = paired_tablet(&app, &mut admin, location_id).await;

    for n in 0..3 {
        let response = start(&mut tablet, &format!("+1 415 555 01{n:02}")).await;
        assert!(
            redirects_to(&response, "/kiosk/check-in/details"),
            "look-up {n}"
        );
    }
    let refused = start(&mut tablet, "+1 415 555 0150").await;
    assert_eq!(refused.status(), 429);
    let body: Value = refused.json().await.unwrap();
    assert!(body["TooManyAttempts"].as_u64().is_some(), "{body}");
    let out = check_out(&mut tablet, "+1 415 555 0150", "X").await;
    assert_eq!(out.status(), 429, "check-outs by number share the budget");

    let response = start(&mut other, "+1 415 555 0150").await;
    assert!(redirects_to(&response, "/kiosk/check-in/details"));
}
