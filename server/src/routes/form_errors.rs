//! A form posted without JS that fails comes back to its page with the error in the
//! URL (`?__path=&__err=`, leptos' convention), and the page shows it. Anyone could
//! craft such a link to show their own words on our log-in page, so the server signs
//! what it puts there, for the one browser that posted the form (a random value in
//! a cookie of its own), and pages show only errors signed for that browser in the
//! last ten minutes: a link made by posting a form with words of one's choosing
//! shows nothing to anyone else. The redirect goes only to this site, whatever the
//! `Referer` said.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::Response;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use url::Url;

use super::security::OriginPolicy;

const ERR: &str = "__err";
const PATH: &str = "__path";
const SIG: &str = "__sig";
/// The cookie naming the browser a signed error is for.
pub const BROWSER_COOKIE: &str = "frontdesk_form";
/// How long a signed error stays shown (a reload, Back and forth).
const LIFETIME_SECS: u64 = 600;

pub struct FormErrors {
    /// Keyed once; cloned for each signature.
    keyed: Hmac<Sha256>,
    policy: Arc<OriginPolicy>,
}

impl FormErrors {
    pub fn new(
        key: &[u8; 32],
        policy: Arc<OriginPolicy>,
    ) -> Result<Self, hmac::digest::InvalidLength> {
        Ok(Self {
            keyed: Hmac::<Sha256>::new_from_slice(key)?,
            policy,
        })
    }

    fn mac(&self, at: u64, browser: &str, path: &str, err: &str) -> Hmac<Sha256> {
        let mut mac = self.keyed.clone();
        mac.update(format!("{at}\n{browser}\n{path}\n{err}").as_bytes());
        mac
    }

    fn sign(&self, at: u64, browser: &str, path: &str, err: &str) -> String {
        format!(
            "{at}.{}",
            hex::encode(self.mac(at, browser, path, err).finalize().into_bytes())
        )
    }

    fn verify(&self, now: u64, browser: &str, path: &str, err: &str, sig: &str) -> bool {
        let Some((at, tag)) = sig.split_once('.') else {
            return false;
        };
        let (Ok(at), Ok(tag)) = (at.parse::<u64>(), hex::decode(tag)) else {
            return false;
        };
        at <= now
            && now - at <= LIFETIME_SECS
            && self.mac(at, browser, path, err).verify_slice(&tag).is_ok()
    }

    /// A redirect after a form post: to this site only, its error signed for `browser`.
    fn redirect(&self, location: &str, host: Option<&str>, now: u64, browser: &str) -> String {
        let Ok(base) = Url::parse(&self.policy.public_origin) else {
            return "/".into();
        };
        let Ok(mut url) = base.join(location) else {
            return "/".into();
        };
        if !self
            .policy
            .allows(&url.origin().ascii_serialization(), host)
        {
            return "/".into();
        }
        // "//evil.example" would be another site to the browser.
        if url.path().starts_with("//") {
            return "/".into();
        }
        let pairs = query_pairs(url.query().unwrap_or_default());
        // The error server_fn just appended is the last one; any earlier came with
        // the page the form was on (perhaps a crafted link) and is dropped.
        let last = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).cloned();
        if let (Some(path), Some(err)) = (last(PATH), last(ERR)) {
            let sig = self.sign(now, browser, &path.1, &err.1);
            let rest = pairs
                .iter()
                .filter(|(k, _)| ![ERR, PATH, SIG].contains(&k.as_str()));
            url.query_pairs_mut()
                .clear()
                .extend_pairs(rest)
                .extend_pairs([path, err, (SIG.to_string(), sig)]);
        }
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// A page's URI without an error this browser did not get from us.
    fn checked(&self, uri: &Uri, now: u64, browser: Option<&str>) -> Option<Uri> {
        let query = uri.query()?;
        let pairs = query_pairs(query);
        let value = |name| value(&pairs, name);
        let count = |name: &str| pairs.iter().filter(|(k, _)| k == name).count();
        if count(ERR) == 0 && count(PATH) == 0 {
            return None;
        }
        // One of each, or none shown (which of two would the page show?).
        let single = [ERR, PATH, SIG].iter().all(|name| count(name) == 1);
        if let (true, Some(path), Some(err), Some(sig), Some(browser)) =
            (single, value(PATH), value(ERR), value(SIG), browser)
        {
            if self.verify(now, browser, path, err, sig) {
                return None;
            }
        }
        let kept: Vec<_> = pairs
            .iter()
            .filter(|(k, _)| ![ERR, PATH, SIG].contains(&k.as_str()))
            .collect();
        let rest = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .finish();
        let rebuilt = match rest.is_empty() {
            true => uri.path().to_string(),
            false => format!("{}?{rest}", uri.path()),
        };
        rebuilt.parse().ok()
    }
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The value of our browser cookie in a request, if it has one.
fn browser_of(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(BROWSER_COOKIE)?.strip_prefix('='))
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn random_browser() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(hex::encode(bytes))
}

pub async fn sign_form_errors(
    State(errors): State<Arc<FormErrors>>,
    mut request: Request,
    next: Next,
) -> Response {
    let now = now();
    let browser = browser_of(request.headers());
    if request.method() == Method::GET {
        if let Some(uri) = errors.checked(request.uri(), now, browser.as_deref()) {
            *request.uri_mut() = uri;
        }
        return next.run(request).await;
    }
    let posted = request.method() == Method::POST;
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut response = next.run(request).await;
    if !posted {
        return response;
    }
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return response;
    };
    let fresh = match browser {
        Some(_) => None,
        None => random_browser(),
    };
    let Some(signer) = browser.as_deref().or(fresh.as_deref()) else {
        return response;
    };
    let location = errors.redirect(&location, host.as_deref(), now, signer);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    if let Some(fresh) = fresh.filter(|_| location.contains("__sig=")) {
        let secure = if errors.policy.https { "; Secure" } else { "" };
        let cookie = format!(
            "{BROWSER_COOKIE}={fresh}; Path=/; Max-Age={LIFETIME_SECS}; HttpOnly; SameSite=Lax{secure}"
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors() -> FormErrors {
        let policy = OriginPolicy::from_public_url("https://desk.example.com");
        FormErrors::new(&[7; 32], Arc::new(policy)).unwrap()
    }

    const FAILED: &str = "https://desk.example.com/host/login?__path=%2Fapi%2Flog_in&__err=e30";

    #[test]
    fn a_signed_error_passes_for_ten_minutes_in_its_own_browser_only() {
        let errors = errors();
        let back = errors.redirect(FAILED, None, 1_000, "b1");
        assert!(
            back.starts_with("/host/login?__path=%2Fapi%2Flog_in&__err=e30&__sig=1000."),
            "{back}"
        );
        let uri: Uri = back.parse().unwrap();
        let check =
            |uri: &Uri, now, browser| errors.checked(uri, now, browser).map(|u| u.to_string());
        assert_eq!(check(&uri, 1_000 + LIFETIME_SECS, Some("b1")), None, "kept");
        assert_eq!(
            check(&uri, 1_001 + LIFETIME_SECS, Some("b1")).as_deref(),
            Some("/host/login"),
            "too old"
        );
        // A link made in one browser, opened in another (or with no cookie).
        assert_eq!(
            check(&uri, 1_000, Some("b2")).as_deref(),
            Some("/host/login")
        );
        assert_eq!(check(&uri, 1_000, None).as_deref(), Some("/host/login"));
        let changed: Uri = back.replace("__err=e30", "__err=e31").parse().unwrap();
        assert_eq!(
            check(&changed, 1_000, Some("b1")).as_deref(),
            Some("/host/login")
        );
        let forged: Uri = "/host/login?x=1&__path=%2Fapi%2Flog_in&__err=e30"
            .parse()
            .unwrap();
        assert_eq!(
            check(&forged, 1_000, Some("b1")).as_deref(),
            Some("/host/login?x=1")
        );
    }

    #[test]
    fn an_error_the_page_came_with_is_dropped_and_only_the_new_one_signed() {
        let errors = errors();
        let crafted = format!("{FAILED}&__path=%2Fapi%2Flog_in&__err=bmV3");
        let back = errors.redirect(&crafted, None, 1_000, "b1");
        assert!(!back.contains("e30"), "{back}");
        assert!(back.contains("__err=bmV3&__sig="), "{back}");
        let uri: Uri = back.parse().unwrap();
        assert_eq!(errors.checked(&uri, 1_000, Some("b1")), None, "shown");
        // Two errors in one URL: neither is shown.
        let doubled: Uri = format!("{back}&__err=e30").parse().unwrap();
        assert!(errors.checked(&doubled, 1_000, Some("b1")).is_some());
    }

    #[test]
    fn a_redirect_goes_only_to_this_site() {
        let errors = errors();
        let to = |location| errors.redirect(location, None, 1, "b");
        assert_eq!(to("https://evil.example.net/x?__err=e30&__path=p"), "/");
        assert_eq!(to("//evil.example.net/x"), "/");
        assert_eq!(to("https://desk.example.com//evil.example/"), "/");
        assert_eq!(to("https://desk.example.com/\\evil.example/"), "/");
        assert_eq!(to("/kiosk"), "/kiosk");
        assert_eq!(
            to("https://desk.example.com/settings?saved=1"),
            "/settings?saved=1"
        );
    }
}
