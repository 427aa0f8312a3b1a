//! The headers every response carries, and a CSP whose nonce matches the page's scripts.

use crate::helpers::{spawn_app, spawn_app_with};

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn pages_carry_a_csp_whose_nonce_is_on_every_inline_script() {
    let app = spawn_app().await;
    let first = app.get("/visitor/login").await;
    let csp = header(&first, "content-security-policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {csp}"))
        .to_string();
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = first.text().await.unwrap();
    let scripts = html.matches("<script").count();
    assert!(scripts > 0, "{html}");
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every inline script carries this response's nonce: {html}"
    );

    // A fresh nonce per response.
    let second = app.get("/visitor/login").await;
    assert_ne!(header(&second, "content-security-policy"), csp);
}

#[tokio::test]
async fn every_response_says_nosniff_no_framing_and_a_referrer_policy() {
    let app = spawn_app().await;
    for path in ["/", "/api/v1/openapi.json", "/health", "/no-such-page"] {
        let response = app.get(path).await;
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert!(
            header(&response, "content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(
            header(&response, "referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none(),
            "{path}: http"
        );
    }
}

#[tokio::test]
async fn behind_https_cookies_are_secure_and_hsts_is_sent() {
    let app = spawn_app_with(|s| s.public_url = Some("https://desk.example.com".into())).await;
    let response = app.get("/").await;
    assert!(header(&response, "strict-transport-security").starts_with("max-age="));

    // The cookie of a log-in: HttpOnly, SameSite=Lax, Secure.
    let post = |path: &str, form: &[(&str, &str)]| {
        app.client
            .post(format!("{}{path}", app.address))
            .header("origin", "https://desk.example.com")
            .form(form)
            .send()
    };
    let signed_up = post(
        "/api/sign_up",
        &[
            ("door", "visitor"),
            ("name", "Sue Secure"),
            ("email", "sue@example.com"),
            ("phone", "+1 415 555 0100"),
            ("password", "correct horse battery"),
        ],
    )
    .await
    .unwrap();
    assert!(signed_up.status().is_success(), "{}", signed_up.status());
    let credentials = [
        ("door", "visitor"),
        ("email", "sue@example.com"),
        ("password", "correct horse battery"),
    ];
    let response = post("/api/log_in", &credentials).await.unwrap();
    let cookie = header(&response, "set-cookie");
    for part in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(part), "{part} missing: {cookie}");
    }
}
