//! Forms are plain HTML posting to server functions. Without JS the browser follows
//! a redirect; with JS (`components::enhance`) the page asks for JSON and follows
//! the `serverfnredirect` header. Both must land on the same confirmation.

use reqwest::header::LOCATION;

use crate::browser::{Account, Browser};
use crate::helpers::{spawn_app, TestApp};

const PROFILE: [(&str, &str); 2] = [("name", "Nora New"), ("phone", "+44 20 7946 0958")];

async fn visitor(app: &TestApp) -> Browser {
    let Account { browser, .. } = app.sign_up("visitor", "Nora Name", None).await;
    browser
}

fn location(response: &reqwest::Response) -> String {
    response.headers()[LOCATION].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_saved_profile_redirects_to_the_settings_page_that_says_so_with_js_and_without() {
    let app = spawn_app().await;
    let mut browser = visitor(&app).await;

    let without_js = browser
        .post_form_without_js("/api/update_profile", &PROFILE, "/settings")
        .await;
    assert!(
        without_js.status().is_redirection(),
        "{}",
        without_js.status()
    );
    assert_eq!(location(&without_js), "/settings?saved=profile");

    let with_js = browser.post_form("/api/update_profile", &PROFILE).await;
    assert_eq!(with_js.status(), 200);
    assert!(with_js.headers().contains_key("serverfnredirect"));
    assert_eq!(location(&with_js), "/settings?saved=profile");

    let page = browser
        .get("/settings?saved=profile")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Profile saved."), "{page}");
    let plain = browser.get("/settings").await.text().await.unwrap();
    assert!(!plain.contains("Profile saved."), "{plain}");
}

#[tokio::test]
async fn a_refused_form_without_js_comes_back_to_its_page_with_the_error_shown() {
    let app = spawn_app().await;
    let mut browser = visitor(&app).await;

    let refused = browser
        .post_form_without_js(
            "/api/change_password",
            &[
                ("current", "not it at all"),
                ("new", "a brand new passphrase"),
            ],
            "/settings",
        )
        .await;
    assert!(refused.status().is_redirection(), "{}", refused.status());
    let back = location(&refused);
    let path = back
        .strip_prefix(&browser.address)
        .unwrap_or(&back)
        .to_string();
    assert!(path.starts_with("/settings?"), "{path}");

    let page = browser.get(&path).await.text().await.unwrap();
    assert!(page.contains("role=\"alert\""), "{page}");
    assert!(page.contains("current password"), "{page}");
    assert!(!page.contains("Password changed."), "{page}");
}

#[tokio::test]
async fn a_host_waiting_for_approval_lands_on_a_page_that_says_what_happens_next_instead_of_the_form(
) {
    let app = spawn_app().await; // no allowed domains: every host waits
    let location_id = app.new_location("HQ", "UTC").await;
    let mut browser = app.browser();

    let pending = browser
        .post_form(
            "/api/sign_up",
            &[
                ("door", "host"),
                ("name", "Pat Pending"),
                ("email", "pat@elsewhere.example"),
                ("phone", "+1 415 555 0101"),
                ("password", "correct horse battery"),
                ("location_id", &location_id.to_string()),
            ],
        )
        .await;
    assert_eq!(pending.status(), 200);
    assert_eq!(location(&pending), "/host/signup?sent=approval");
    assert!(browser.cookie.is_none(), "a pending host is not logged in");

    let page = browser
        .get("/host/signup?sent=approval")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"check-your-email\""), "{page}");
    assert!(page.contains("An admin also approves"), "{page}");
    assert!(
        !page.contains("data-testid=\"host-signup\""),
        "no form again: {page}"
    );
}

/// `{"Refused":"Your account is locked. Call +1 555 0100 now."}` as leptos puts an
/// error in a URL (URL-safe base64 of its JSON).
const FORGED: &str =
    "eyJSZWZ1c2VkIjoiWW91ciBhY2NvdW50IGlzIGxvY2tlZC4gQ2FsbCArMSA1NTUgMDEwMCBub3cuIn0=";

#[tokio::test]
async fn a_crafted_link_cannot_put_its_own_words_on_our_log_in_page() {
    let app = spawn_app().await;
    let mut browser = app.browser();
    for sig in ["", "&__sig=1.00", "&__sig=99999999999.abcd"] {
        let page = browser
            .get(&format!(
                "/host/login?__path=%2Fapi%2Flog_in&__err={FORGED}{sig}"
            ))
            .await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(!page.contains("Call +1 555 0100"), "{sig}: {page}");
        assert!(!page.contains("role=\"alert\""), "{sig}: {page}");
    }

    // Our own error from the same form still comes back, signed.
    let refused = browser
        .post_form_without_js(
            "/api/log_in",
            &[
                ("door", "host"),
                ("email", "nobody@example.com"),
                ("password", "wrong one"),
            ],
            "/host/login",
        )
        .await;
    let back = location(&refused);
    assert!(
        back.starts_with("/host/login?") && back.contains("__sig="),
        "{back}"
    );
    let page = browser.get(&back).await.text().await.unwrap();
    assert!(page.contains("role=\"alert\""), "{page}");
    // Sent to someone else, the same signed link shows nothing: an attacker could
    // otherwise put their words in a field, post, and pass the link on.
    let elsewhere = browser
        .without_form_cookie()
        .get(&back)
        .await
        .text()
        .await
        .unwrap();
    assert!(!elsewhere.contains("role=\"alert\""), "{elsewhere}");
    // Its signature covers its words: swapped for ours, nothing is shown.
    let err = back
        .split("__err=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let swapped = back.replace(err, FORGED);
    let page = browser.get(&swapped).await.text().await.unwrap();
    assert!(!page.contains("Call +1 555 0100"), "{page}");
}

#[tokio::test]
async fn a_form_posted_without_js_is_sent_back_only_to_this_site() {
    let app = spawn_app().await;
    let mut browser = visitor(&app).await;
    let request = browser
        .post_form_without_js(
            "/api/change_password",
            &[("current", "not it"), ("new", "a brand new passphrase")],
            "/settings",
        )
        .await;
    assert!(location(&request).starts_with("/settings?"));
    // A client claiming to come from elsewhere (a browser never would) lands home.
    let elsewhere = app
        .client
        .post(format!("{}/api/log_in", app.address))
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::REFERER, "https://evil.example.net/phish")
        .form(&[("door", "host"), ("email", "a@b.co"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert!(
        elsewhere.status().is_redirection(),
        "{}",
        elsewhere.status()
    );
    assert_eq!(location(&elsewhere), "/");
}
