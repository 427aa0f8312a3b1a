//! Rate limits on log-in and sign-up (governor's GCRA, in memory per instance).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;

use axum::extract::ConnectInfo;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http::request::Parts;

/// How many attempts are allowed; settings, so tests and big sites can tune them.
#[derive(Debug, Clone, Copy)]
pub struct LimitsConfig {
    pub login_per_minute_per_ip: u32,
    pub login_per_minute_per_account: u32,
    pub signups_per_hour_per_ip: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            login_per_minute_per_ip: 30,
            login_per_minute_per_account: 10,
            signups_per_hour_per_ip: 20,
        }
    }
}

/// Refused for now; the caller may try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after_secs: u64,
}

pub struct RateLimits {
    login_ip: DefaultKeyedRateLimiter<IpAddr>,
    login_account: DefaultKeyedRateLimiter<String>,
    signup_ip: DefaultKeyedRateLimiter<IpAddr>,
}

fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl RateLimits {
    pub fn new(config: LimitsConfig) -> Self {
        Self {
            login_ip: RateLimiter::keyed(Quota::per_minute(at_least_one(
                config.login_per_minute_per_ip,
            ))),
            login_account: RateLimiter::keyed(Quota::per_minute(at_least_one(
                config.login_per_minute_per_account,
            ))),
            signup_ip: RateLimiter::keyed(Quota::per_hour(at_least_one(
                config.signups_per_hour_per_ip,
            ))),
        }
    }

    /// One log-in attempt from `ip` for `email`. Both budgets refill continuously,
    /// so nobody, including an attacker, can lock an account for longer than a minute.
    pub fn check_login(&self, ip: IpAddr, email: &str) -> Result<(), Throttled> {
        check(&self.login_ip, &ip)?;
        check(&self.login_account, &email.trim().to_lowercase())
    }

    pub fn check_signup(&self, ip: IpAddr) -> Result<(), Throttled> {
        check(&self.signup_ip, &ip)
    }

    /// Forgets keys whose budget is full again, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.login_ip.retain_recent();
        self.login_account.retain_recent();
        self.signup_ip.retain_recent();
    }
}

fn check<K: Clone + std::hash::Hash + Eq>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), Throttled> {
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        Throttled {
            // Rounded up: "try again in 0 s" would be a lie.
            retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
        }
    })
}

/// The client's address: the peer, or, behind a proxy that sets `header`, the last
/// address that proxy appended (earlier ones are whatever the client claimed).
pub fn client_ip(parts: &Parts, header: Option<&str>) -> IpAddr {
    let forwarded = header.and_then(|name| {
        parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
            .next_back()
    });
    forwarded.unwrap_or_else(|| {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_account: u32) -> RateLimits {
        RateLimits::new(LimitsConfig {
            login_per_minute_per_ip: 1000,
            login_per_minute_per_account: per_account,
            signups_per_hour_per_ip: 2,
        })
    }

    #[test]
    fn the_eleventh_login_for_one_account_within_a_minute_is_throttled() {
        let limits = limits(10);
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for _ in 0..10 {
            assert!(limits.check_login(ip, "ann@example.com").is_ok());
        }
        let throttled = limits.check_login(ip, " ANN@example.com").unwrap_err();
        assert!(
            (1..=6).contains(&throttled.retry_after_secs),
            "{throttled:?}"
        );
        // Another account is not affected.
        assert!(limits.check_login(ip, "bob@example.com").is_ok());
    }

    #[test]
    fn signups_are_limited_per_address() {
        let limits = limits(10);
        let one = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let two = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        assert!(limits.check_signup(one).is_ok());
        assert!(limits.check_signup(one).is_ok());
        assert!(limits.check_signup(one).is_err());
        assert!(limits.check_signup(two).is_ok());
    }

    #[test]
    fn the_forwarded_address_counts_only_when_configured_and_the_last_one_wins() {
        let request = http::Request::builder()
            .header("x-forwarded-for", "6.6.6.6, 10.1.2.3")
            .body(())
            .unwrap();
        let (mut parts, _) = request.into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 9))));
        assert_eq!(client_ip(&parts, None), IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(
            client_ip(&parts, Some("x-forwarded-for")),
            "10.1.2.3".parse::<IpAddr>().unwrap()
        );
    }
}
