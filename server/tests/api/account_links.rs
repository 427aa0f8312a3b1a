//! Accounts end to end, with the e-mails read off a real SMTP server: confirming an
//! address, invitations, password resets, sign-ups with a taken address, approvals,
//! and returning to the page that asked for a log-in.

use std::time::{Duration, Instant};

use mail_parser::MessageParser;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{json, Value};

use crate::accounts::error_message;
use crate::browser::{spawn_app_with_admin, token_in, Browser, ADMIN_EMAIL, PASSWORD};
use crate::helpers::{guest, TestApp};
use crate::kiosk::paired_tablet;
use crate::servers::SmtpServer;

const NEW_PASSWORD: &str = "violet tugboat orbit";

fn smtp(mail: &SmtpServer) -> impl FnOnce(&mut frontdesk::settings::Settings) + '_ {
    move |s| {
        s.smtp_url = Some(SecretString::from(mail.url()));
        s.mail_from = Some("Frontdesk <frontdesk@example.com>".into());
        s.allowed_host_domains = Some("example.com".into());
    }
}

/// The text of the first message to `to` whose subject contains `subject`, waiting
/// up to 15 s for the outbox worker to send it.
async fn mail_to(mail: &SmtpServer, to: &str, subject: &str) -> String {
    let start = Instant::now();
    loop {
        let found = mail.messages().iter().find_map(|raw| {
            let message = MessageParser::default().parse(raw)?;
            let addressed = message
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                == Some(to);
            let about = message.subject().is_some_and(|s| s.contains(subject));
            (addressed && about).then(|| message.body_text(0).unwrap_or_default().to_string())
        });
        if let Some(text) = found {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no e-mail \"{subject}\" to {to}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn messages_to(mail: &SmtpServer, to: &str) -> usize {
    mail.messages()
        .iter()
        .filter_map(|raw| MessageParser::default().parse(raw))
        .filter(|m| m.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some(to))
        .count()
}

async fn check_in_status(app: &TestApp, host_id: i64, n: usize) -> reqwest::StatusCode {
    let mut body = guest(n);
    body["host_id"] = json!(host_id);
    app.post_json("/api/v1/visits", body).await.status()
}

async fn kiosk_host_ids(tablet: &mut crate::kiosk::Tablet) -> Vec<i64> {
    let hosts = tablet.json("/api/kiosk_hosts", &[]).await;
    hosts
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_host_from_an_allowed_domain_cannot_be_picked_or_visited_until_they_follow_the_e_mailed_link(
) {
    let mail = SmtpServer::start();
    let (app, mut admin) = spawn_app_with_admin(smtp(&mail)).await;
    let location_id = app.new_location("HQ", "UTC").await;
    let mut tablet = paired_tablet(&app, &mut admin, location_id).await;
    let mut host = app.sign_up("host", "Cleo Confirm", Some(location_id)).await;
    assert!(
        host.browser.cookie.is_some(),
        "they may log in before confirming"
    );
    let hosts: Value = app.get_json("/api/v1/hosts").await.json().await.unwrap();
    let host_id = hosts["items"][0]["id"].as_i64().unwrap();
    assert_eq!(hosts["items"][0]["email_verified"], false);

    assert!(!kiosk_host_ids(&mut tablet).await.contains(&host_id));
    assert_eq!(check_in_status(&app, host_id, 1).await, 422);

    let text = mail_to(&mail, &host.email, "Confirm your e-mail address").await;
    let token = token_in(&text, "/account/confirm").expect("the e-mail holds the link");
    let page = host
        .browser
        .get(&format!("/account/confirm?token={token}"))
        .await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("data-testid=\"confirm-email\""));
    assert!(
        !kiosk_host_ids(&mut tablet).await.contains(&host_id),
        "opening the page changes nothing"
    );
    let mut stranger = app.browser();
    let wrong = stranger
        .post_form(
            "/api/confirm_email",
            &[("token", &token), ("password", "not the password")],
        )
        .await;
    assert_eq!(wrong.status(), 422, "the link alone does not confirm");
    let confirmed = stranger
        .post_form(
            "/api/confirm_email",
            &[("token", &token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(confirmed.status(), 200);

    assert!(kiosk_host_ids(&mut tablet).await.contains(&host_id));
    assert_eq!(check_in_status(&app, host_id, 2).await, 201);
    let again = stranger
        .post_form(
            "/api/confirm_email",
            &[("token", &token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status(), 409, "a link works once");
}

#[tokio::test]
async fn an_admin_added_host_is_picked_at_once_sets_a_password_through_the_invitation_and_the_link_then_fails(
) {
    let mail = SmtpServer::start();
    let (app, mut admin) = spawn_app_with_admin(smtp(&mail)).await;
    let location_id = app.new_location("HQ", "UTC").await;
    let mut tablet = paired_tablet(&app, &mut admin, location_id).await;
    let added = admin
        .post_form(
            "/api/admin_add_host",
            &[
                ("name", "Ines Invited"),
                ("email", "ines@elsewhere.example"),
                ("phone", "+44 20 7946 0958"),
                ("location_id", &location_id.to_string()),
            ],
        )
        .await;
    assert_eq!(added.status(), 200);
    let hosts: Value = app.get_json("/api/v1/hosts").await.json().await.unwrap();
    let host = &hosts["items"][0];
    assert_eq!(host["invited"], true);
    let host_id = host["id"].as_i64().unwrap();
    assert!(
        kiosk_host_ids(&mut tablet).await.contains(&host_id),
        "the admin vouches"
    );

    let text = mail_to(&mail, "ines@elsewhere.example", "You are a host").await;
    let token = token_in(&text, "/account/password").expect("the invitation holds the link");
    let mut ines = app.browser();
    let page = ines.get(&format!("/account/password?token={token}")).await;
    assert!(page.text().await.unwrap().contains("Welcome, Ines Invited"));
    let weak = ines
        .post_form(
            "/api/set_password",
            &[("token", &token), ("password", "ines invited")],
        )
        .await;
    assert_eq!(weak.status(), 422);
    let body: Value = weak.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "password", "{body}");
    let set = ines
        .post_form(
            "/api/set_password",
            &[("token", &token), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(set.status(), 200);
    assert_eq!(set.headers()["location"], "/host/login?password_set=1");

    ines.log_in("host", "ines@elsewhere.example", NEW_PASSWORD)
        .await;
    assert!(ines.cookie.is_some());
    assert_eq!(ines.get("/host").await.status(), 200);
    let reused = app
        .browser()
        .post_form(
            "/api/set_password",
            &[("token", &token), ("password", "another fine passphrase")],
        )
        .await;
    assert_eq!(reused.status(), 409);
    assert!(error_message(reused)
        .await
        .contains("expired or was already used"));
    let stale = app
        .browser()
        .get(&format!("/account/password?token={token}"))
        .await;
    assert!(stale
        .text()
        .await
        .unwrap()
        .contains("data-testid=\"link-stale\""));
    let resend = admin
        .post_form(
            "/api/admin_resend_invitation",
            &[("id", &host_id.to_string())],
        )
        .await;
    assert_eq!(
        resend.status(),
        409,
        "nothing to invite to once a password is set"
    );
}

#[tokio::test]
async fn a_resent_invitation_replaces_the_first_link() {
    let mail = SmtpServer::start();
    let (app, mut admin) = spawn_app_with_admin(smtp(&mail)).await;
    let (_, host_id) = app.location_and_host().await;
    let first = token_in(
        &mail_to(&mail, "grace@example.com", "You are a host").await,
        "/account/password",
    )
    .unwrap();
    let resend = admin
        .post_form(
            "/api/admin_resend_invitation",
            &[("id", &host_id.to_string())],
        )
        .await;
    assert_eq!(resend.status(), 200);
    let start = Instant::now();
    while messages_to(&mail, "grace@example.com") < 2 && start.elapsed() < Duration::from_secs(15) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let second = app
        .link_sent_to("grace@example.com", "/account/password")
        .await
        .unwrap();
    assert_ne!(first, second);
    let old = app
        .browser()
        .post_form(
            "/api/set_password",
            &[("token", &first), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(old.status(), 409);
    let new = app
        .browser()
        .post_form(
            "/api/set_password",
            &[("token", &second), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(new.status(), 200);
}

async fn forgot(app: &TestApp, email: &str) -> (reqwest::StatusCode, String, Vec<u8>) {
    let response = app
        .browser()
        .post_form(
            "/api/forgot_password",
            &[("door", "visitor"), ("email", email)],
        )
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_string();
    (
        response.status(),
        location,
        response.bytes().await.unwrap().to_vec(),
    )
}

#[tokio::test]
async fn a_reset_answers_a_known_and_an_unknown_address_alike_and_the_link_ends_the_old_password_and_sessions(
) {
    let mail = SmtpServer::start();
    let (app, _admin) = spawn_app_with_admin(smtp(&mail)).await;
    let mut visitor = app.sign_up("visitor", "Rita Reset", None).await;
    assert_eq!(visitor.browser.visits_status().await, 200);

    let known = forgot(&app, &visitor.email).await;
    let unknown = forgot(&app, "nobody.here@example.com").await;
    assert_eq!(known, unknown, "byte for byte the same answer");
    assert_eq!(known.1, "/visitor/forgot?sent=1");

    let text = mail_to(&mail, &visitor.email, "Reset your Frontdesk password").await;
    assert!(text.contains("30 minutes"), "{text}");
    let token = token_in(&text, "/account/password").unwrap();
    let set = app
        .browser()
        .post_form(
            "/api/set_password",
            &[("token", &token), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(set.status(), 200);
    assert_eq!(set.headers()["location"], "/visitor/login?password_set=1");

    assert_eq!(
        visitor.browser.visits_status().await,
        401,
        "old sessions end"
    );
    let mut old = app.browser();
    assert_eq!(
        old.log_in("visitor", &visitor.email, PASSWORD)
            .await
            .status(),
        409
    );
    let mut new = app.browser();
    new.log_in("visitor", &visitor.email, NEW_PASSWORD).await;
    assert!(new.cookie.is_some());
    let reused = app
        .browser()
        .post_form(
            "/api/set_password",
            &[("token", &token), ("password", "yet another passphrase")],
        )
        .await;
    assert_eq!(reused.status(), 409);
    assert_eq!(messages_to(&mail, "nobody.here@example.com"), 0);
}

#[tokio::test]
async fn a_password_change_makes_an_earlier_reset_link_useless() {
    let (app, _admin) = spawn_app_with_admin(|_| {}).await;
    let mut visitor = app.sign_up("visitor", "Carl Change", None).await;
    forgot(&app, &visitor.email).await;
    let token = app
        .link_sent_to(&visitor.email, "/account/password")
        .await
        .unwrap();
    let changed = visitor
        .browser
        .post_form(
            "/api/change_password",
            &[("current", PASSWORD), ("new", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(changed.status(), 200);
    let late = app
        .browser()
        .post_form(
            "/api/set_password",
            &[("token", &token), ("password", "an attacker's passphrase")],
        )
        .await;
    assert_eq!(late.status(), 409);
}

#[tokio::test]
async fn a_sign_up_with_a_taken_address_looks_like_success_and_e_mails_the_owner() {
    let mail = SmtpServer::start();
    let (app, _admin) = spawn_app_with_admin(smtp(&mail)).await;
    let owner = app.sign_up("visitor", "Olga Owner", None).await;
    let before = app.row_counts().await;

    let sign_up = |email: String| {
        let mut browser = app.browser();
        async move {
            let response = browser
                .post_form(
                    "/api/sign_up",
                    &[
                        ("door", "visitor"),
                        ("name", "Ivan Imposter"),
                        ("email", &email),
                        ("phone", "+1 415 555 0177"),
                        ("password", "imposter's own passphrase"),
                    ],
                )
                .await;
            let location = response.headers()["location"].to_str().unwrap().to_string();
            (
                response.status(),
                location,
                response.text().await.unwrap(),
                browser.cookie.is_some(),
            )
        }
    };
    let taken = sign_up(owner.email.clone()).await;
    let fresh = sign_up("ivan.new@example.com".into()).await;
    assert_eq!(taken, fresh, "the same answer either way");
    assert_eq!(taken.1, "/visitor/signup?sent=confirm");

    let text = mail_to(
        &mail,
        &owner.email,
        "Someone tried to sign up with your address",
    )
    .await;
    assert!(text.contains("/visitor/login"), "{text}");
    let users = |counts: &[(&str, i64)]| counts.iter().find(|(t, _)| *t == "users").unwrap().1;
    assert_eq!(
        users(&app.row_counts().await),
        users(&before) + 1,
        "only the fresh address"
    );
    let mut browser = app.browser();
    browser.log_in("visitor", &owner.email, PASSWORD).await;
    assert!(
        browser.cookie.is_some(),
        "the owner's password is untouched"
    );
}

#[tokio::test]
async fn admins_hear_of_a_waiting_host_and_rejecting_or_approving_e_mails_the_host() {
    let mail = SmtpServer::start();
    let (app, mut admin) = spawn_app_with_admin(|s| {
        smtp(&mail)(s);
        s.allowed_host_domains = None;
    })
    .await;
    let location_id = app.new_location("HQ", "UTC").await;
    let rejected = app.sign_up("host", "Rex Rejected", Some(location_id)).await;
    let approved = app.sign_up("host", "Amy Approved", Some(location_id)).await;
    mail_to(&mail, ADMIN_EMAIL, "Rex Rejected waits for your approval").await;
    mail_to(&mail, ADMIN_EMAIL, "Amy Approved waits for your approval").await;

    let response = admin.get("/admin/hosts").await;
    // Once seen empty under a loaded CI run: say what came instead of the page.
    let (status, headers) = (response.status(), response.headers().clone());
    let page = response.text().await.unwrap();
    assert!(
        page.contains(">Reject<") && page.contains(">Approve<"),
        "{status} {headers:?} {page}"
    );
    let hosts: Value = app.get_json("/api/v1/hosts").await.json().await.unwrap();
    let id_of = |email: &str| {
        hosts["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["email"] == email)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let reject = admin
        .post_form(
            "/api/admin_set_host_active",
            &[
                ("id", &id_of(&rejected.email)),
                ("active", "false"),
                ("reason", "Not on our staff list"),
            ],
        )
        .await;
    assert_eq!(reject.status(), 200);
    let approve = admin
        .post_form(
            "/api/admin_set_host_active",
            &[("id", &id_of(&approved.email)), ("active", "true")],
        )
        .await;
    assert_eq!(approve.status(), 200);

    let no = mail_to(&mail, &rejected.email, "was not approved").await;
    assert!(no.contains("Reason: Not on our staff list"), "{no}");
    mail_to(&mail, &approved.email, "is approved").await;
    let mut rex = app.browser();
    let refused = rex.log_in("host", &rejected.email, PASSWORD).await;
    assert_eq!(refused.status(), 409);
    let mut amy = app.browser();
    amy.log_in("host", &approved.email, PASSWORD).await;
    assert!(amy.cookie.is_some());
}

#[tokio::test]
async fn a_logged_out_host_opening_a_visit_link_lands_on_that_visit_after_logging_in() {
    let (app, _admin) =
        spawn_app_with_admin(|s| s.allowed_host_domains = Some("example.com".into())).await;
    let location_id = app.new_location("HQ", "UTC").await;
    let (host, host_id) = app.host_account("Hugo Host", location_id).await;
    let visit_id = crate::helpers::check_in(&app, host_id, 7).await;
    let path = format!("/visits/{visit_id}");

    let mut browser = Browser::new(&app);
    let page = browser.get(&path).await;
    assert_eq!(page.status(), 302);
    let login = page.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(login, format!("/login?next=%2Fvisits%2F{visit_id}"));
    let chooser = browser.get(&login).await.text().await.unwrap();
    assert!(
        chooser.contains(&format!("/host/login?next=%2Fvisits%2F{visit_id}")),
        "{chooser}"
    );

    let logged_in = browser
        .post_form(
            "/api/log_in",
            &[
                ("door", "host"),
                ("email", &host.email),
                ("password", PASSWORD),
                ("next", &path),
            ],
        )
        .await;
    assert_eq!(logged_in.headers()["location"], path.as_str());
    let visit = browser.get(&path).await;
    assert_eq!(visit.status(), 200);
    // Back after logging out must not show it from a cache.
    assert_eq!(visit.headers()["cache-control"], "no-store");

    for elsewhere in [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
    ] {
        let mut other = app.browser();
        let response = other
            .post_form(
                "/api/log_in",
                &[
                    ("door", "host"),
                    ("email", &host.email),
                    ("password", PASSWORD),
                    ("next", elsewhere),
                ],
            )
            .await;
        assert_eq!(response.headers()["location"], "/host", "{elsewhere}");
    }
}

#[tokio::test]
async fn a_new_e_mail_address_takes_effect_only_once_its_link_is_followed() {
    let (app, _admin) = spawn_app_with_admin(|_| {}).await;
    let mut visitor = app.sign_up("visitor", "Eve Email", None).await;
    let wrong = visitor
        .browser
        .post_form(
            "/api/change_email",
            &[("email", "eve.new@example.com"), ("current", "not it")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let asked = visitor
        .browser
        .post_form(
            "/api/change_email",
            &[("email", "eve.new@example.com"), ("current", PASSWORD)],
        )
        .await;
    assert_eq!(asked.status(), 200);
    assert!(app
        .link_sent_to(&visitor.email, "/account/confirm")
        .await
        .is_some());
    let mut still = app.browser();
    still.log_in("visitor", &visitor.email, PASSWORD).await;
    assert!(still.cookie.is_some(), "nothing changed yet");

    let done = app.confirm_address("eve.new@example.com").await;
    assert_eq!(done.status(), 200);
    let mut moved = app.browser();
    moved
        .log_in("visitor", "eve.new@example.com", PASSWORD)
        .await;
    assert!(moved.cookie.is_some());
    let me: Value = moved
        .api(Method::POST, "/api/me", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "eve.new@example.com");
    assert_eq!(me["email_verified"], true);
}

#[tokio::test]
async fn forgot_password_e_mails_one_address_at_most_five_times_an_hour_and_still_answers_the_same()
{
    let (app, _admin) = spawn_app_with_admin(|_| {}).await;
    let visitor = app.sign_up("visitor", "Mo Many", None).await;
    let first = forgot(&app, &visitor.email).await;
    for _ in 0..6 {
        assert_eq!(forgot(&app, &visitor.email).await, first);
    }
    use app::ssr::entities::notification;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    // The links are made after the answers: give them a moment, then count.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let resets = notification::Entity::find()
        .filter(notification::Column::Recipient.eq(visitor.email.as_str()))
        .filter(notification::Column::Subject.eq("Reset your Frontdesk password"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(resets, 5);
}

#[tokio::test]
async fn an_account_someone_made_with_another_person_s_address_cannot_be_confirmed_by_its_owner_for_them(
) {
    let mail = SmtpServer::start();
    let (app, _admin) = spawn_app_with_admin(smtp(&mail)).await;
    let location_id = app.new_location("HQ", "UTC").await;
    // The attacker signs up as a host with the victim's (allowed-domain) address.
    let mut attacker = app.browser();
    let signed_up = attacker
        .post_form(
            "/api/sign_up",
            &[
                ("door", "host"),
                ("name", "Vic Tim"),
                ("email", "vic@example.com"),
                ("phone", "+1 415 555 0166"),
                ("password", "the attacker's passphrase"),
                ("location_id", &location_id.to_string()),
            ],
        )
        .await;
    assert_eq!(signed_up.status(), 200);
    attacker
        .log_in("host", "vic@example.com", "the attacker's passphrase")
        .await;
    assert_eq!(attacker.get("/host").await.status(), 200);

    // The victim follows the link but does not know the password: nothing is confirmed.
    let text = mail_to(&mail, "vic@example.com", "Confirm your e-mail address").await;
    assert!(
        !text.contains("Vic Tim"),
        "no stranger's words in our e-mail: {text}"
    );
    let token = token_in(&text, "/account/confirm").unwrap();
    let mut victim = app.browser();
    let refused = victim
        .post_form(
            "/api/confirm_email",
            &[("token", &token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "password", "{body}");
    let hosts: Value = app.get_json("/api/v1/hosts").await.json().await.unwrap();
    assert_eq!(hosts["items"][0]["email_verified"], false);

    // The victim takes the account over instead: the attacker is out.
    victim
        .post_form(
            "/api/forgot_password",
            &[("door", "host"), ("email", "vic@example.com")],
        )
        .await;
    let reset = app
        .link_sent_to("vic@example.com", "/account/password")
        .await
        .unwrap();
    let set = victim
        .post_form(
            "/api/set_password",
            &[("token", &reset), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(set.status(), 200);
    assert_eq!(attacker.visits_status().await, 401);
}

#[tokio::test]
async fn a_host_who_moves_to_an_address_outside_the_allowed_domains_waits_for_an_admin_again() {
    let (app, _admin) =
        spawn_app_with_admin(|s| s.allowed_host_domains = Some("example.com".into())).await;
    let location_id = app.new_location("HQ", "UTC").await;
    let (mut host, host_id) = app.host_account("Mo Mover", location_id).await;
    let asked = host
        .browser
        .post_form(
            "/api/change_email",
            &[("email", "mo@elsewhere.example"), ("current", PASSWORD)],
        )
        .await;
    assert_eq!(asked.status(), 200);
    let done = app.confirm_address("mo@elsewhere.example").await;
    assert_eq!(
        done.headers()["location"],
        "/account/confirm?done=host&approval=1"
    );

    let entry: Value = app
        .get_json(&format!("/api/v1/hosts/{host_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (entry["pending"].clone(), entry["active"].clone()),
        (true.into(), false.into())
    );
    assert_eq!(
        host.browser.visits_status().await,
        401,
        "logged out until approved"
    );
    let mut again = app.browser();
    let refused = again.log_in("host", "mo@elsewhere.example", PASSWORD).await;
    assert!(error_message(refused)
        .await
        .contains("waiting for an admin"));
    use app::ssr::entities::notification;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let told = notification::Entity::find()
        .filter(notification::Column::Recipient.eq(ADMIN_EMAIL))
        .filter(notification::Column::Subject.eq("Mo Mover waits for your approval"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(told, 1);
}
