//! A browser-like client: one session cookie, kept by hand so tests can replay an
//! old one, and an `Origin` header like a same-site form post.

use crate::helpers::{spawn_app_with, TestApp};

pub const COOKIE: &str = "frontdesk_session";
pub const PASSWORD: &str = "correct horse battery";

#[derive(Clone)]
pub struct Browser {
    pub address: String,
    pub cookie: Option<String>,
    /// The cookie naming this browser for the errors of its forms posted without JS.
    form_cookie: Option<String>,
    client: reqwest::Client,
}

const FORM_COOKIE: &str = "frontdesk_form";

/// The value of our session cookie in a response's Set-Cookie headers, if set.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    set_cookie(response, COOKIE)
}

fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self::at(&app.address)
    }

    /// A browser for a server this test started some other way (the binary).
    pub fn at(address: &str) -> Self {
        Self {
            address: address.to_string(),
            cookie: None,
            form_cookie: None,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
        }
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let cookies: Vec<String> = [(COOKIE, &self.cookie), (FORM_COOKIE, &self.form_cookie)]
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={v}")))
            .collect();
        match cookies.is_empty() {
            true => request,
            false => request.header(reqwest::header::COOKIE, cookies.join("; ")),
        }
    }

    /// Forgets every cookie but the session's: another browser of the same person.
    pub fn without_form_cookie(&self) -> Self {
        Self {
            form_cookie: None,
            ..self.clone()
        }
    }

    /// Sends with the session cookie and keeps a newly set one (an emptied one means
    /// "logged out").
    async fn send(&mut self, request: reqwest::RequestBuilder) -> reqwest::Response {
        let response = self
            .with_cookie(request)
            .send()
            .await
            .expect("request reaches the app");
        if let Some(cookie) = session_cookie(&response) {
            self.cookie = (!cookie.is_empty()).then_some(cookie);
        }
        if let Some(cookie) = set_cookie(&response, FORM_COOKIE) {
            self.form_cookie = Some(cookie);
        }
        response
    }

    /// A page load, as a browser asks for it (HTML).
    pub async fn get(&mut self, path: &str) -> reqwest::Response {
        let request = self
            .client
            .get(format!("{}{}", self.address, path))
            .header(reqwest::header::ACCEPT, "text/html");
        self.send(request).await
    }

    /// A form post, as a page of this site sends it (same-origin).
    pub async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_from(path, form, &self.address.clone()).await
    }

    pub async fn post_form_from(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        origin: &str,
    ) -> reqwest::Response {
        let request = self.form_request(path, form, origin);
        self.send(request).await
    }

    fn form_request(
        &self,
        path: &str,
        form: &[(&str, &str)],
        origin: &str,
    ) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{}", self.address, path))
            .header(reqwest::header::ORIGIN, origin)
            .form(form)
    }

    /// A form post as a browser without JS sends it from the page at `from`: it
    /// wants HTML, so the server answers with a redirect.
    pub async fn post_form_without_js(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        from: &str,
    ) -> reqwest::Response {
        let request = self
            .form_request(path, form, &self.address)
            .header(reqwest::header::ACCEPT, "text/html")
            .header(reqwest::header::REFERER, format!("{}{from}", self.address));
        self.send(request).await
    }

    /// A JSON API call with the session cookie (no token), same-origin.
    pub async fn api(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, format!("{}{}", self.address, path))
            .header(reqwest::header::ORIGIN, self.address.clone());
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    /// The status of listing visits: 200 while the session is logged in, 401 after.
    pub async fn visits_status(&mut self) -> reqwest::StatusCode {
        self.api(reqwest::Method::GET, "/api/v1/visits", None)
            .await
            .status()
    }

    pub async fn log_in(&mut self, door: &str, email: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/api/log_in",
            &[("door", door), ("email", email), ("password", password)],
        )
        .await
    }
}

/// An account made through the sign-up door, then logged in (unless it waits for
/// approval); its address is not confirmed yet.
pub struct Account {
    pub email: String,
    pub browser: Browser,
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        Browser::new(self)
    }

    /// Signs up `name` through `door` (`visitor`, or `host` with a location).
    pub async fn sign_up(&self, door: &str, name: &str, location_id: Option<i64>) -> Account {
        let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
        let location = location_id.map(|id| id.to_string()).unwrap_or_default();
        let mut browser = self.browser();
        let response = browser
            .post_form(
                "/api/sign_up",
                &[
                    ("door", door),
                    ("name", name),
                    ("email", &email),
                    ("phone", "+1 415 555 0100"),
                    ("password", PASSWORD),
                    ("location_id", &location),
                ],
            )
            .await;
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "sign-up of {name} failed: {} {}",
            response.status(),
            response.text().await.unwrap_or_default()
        );
        assert!(browser.cookie.is_none(), "a sign-up logs nobody in");
        browser.log_in(door, &email, PASSWORD).await;
        Account { email, browser }
    }

    /// The secret of the newest link e-mailed to `email` that opens `page`
    /// (`/account/confirm`, `/account/password`), read from the outbox.
    /// Waits up to 5 s: some links are made after the request is answered.
    pub async fn link_sent_to(&self, email: &str, page: &str) -> Option<String> {
        use app::ssr::entities::notification;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let start = std::time::Instant::now();
        loop {
            let sent = notification::Entity::find()
                .filter(notification::Column::Recipient.eq(email))
                .order_by_desc(notification::Column::Id)
                .all(&self.db)
                .await
                .expect("the outbox reads");
            let found = sent.iter().find_map(|n| token_in(&n.body, page));
            if found.is_some() || start.elapsed() > std::time::Duration::from_secs(5) {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Follows the confirmation link e-mailed to `email` (an account with `PASSWORD`).
    pub async fn confirm_address(&self, email: &str) -> reqwest::Response {
        let token = self
            .link_sent_to(email, "/account/confirm")
            .await
            .expect("a confirmation link was e-mailed");
        let response = self
            .browser()
            .post_form(
                "/api/confirm_email",
                &[("token", &token), ("password", PASSWORD)],
            )
            .await;
        assert!(
            response.status().is_success(),
            "confirming {email}: {}",
            response.status()
        );
        response
    }

    /// A host account signed up through the host door, active by the allowed domain,
    /// with its address confirmed (so guests can pick it).
    pub async fn host_account(&self, name: &str, location_id: i64) -> (Account, i64) {
        let account = self.sign_up("host", name, Some(location_id)).await;
        self.confirm_address(&account.email).await;
        let hosts: serde_json::Value = self.get_json("/api/v1/hosts").await.json().await.unwrap();
        let host_id = hosts["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["email"] == account.email.as_str())
            .map(|h| h["id"].as_i64().unwrap())
            .expect("the host exists");
        (account, host_id)
    }
}

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "an admin passphrase";

/// The app with a first admin (logged in, returned) and settings changed by `configure`.
pub async fn spawn_app_with_admin(
    configure: impl FnOnce(&mut frontdesk::settings::Settings),
) -> (TestApp, Browser) {
    let app = spawn_app_with(|s| {
        s.admin_email = Some(ADMIN_EMAIL.into());
        s.admin_password = Some(ADMIN_PASSWORD.to_string().into());
        configure(s);
    })
    .await;
    let mut admin = app.browser();
    admin.log_in("host", ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert!(admin.cookie.is_some(), "the admin logs in");
    (app, admin)
}

/// The secret after `{page}?token=` in a message's text, if there is one.
pub fn token_in(text: &str, page: &str) -> Option<String> {
    let marker = format!("{page}?token=");
    let start = text.find(&marker)? + marker.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!token.is_empty()).then_some(token)
}
