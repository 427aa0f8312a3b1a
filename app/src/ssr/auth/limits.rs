//! Rate limits (governor's GCRA, in memory per instance): log-ins and every other
//! password check, sign-ups, kiosk pairing, check-ins.
//!
//! Memory stays bounded: keys are fixed-size digests of a normalised, length-capped
//! value (never the raw typed text), IPv6 addresses count per /64 (one machine
//! gets a whole /64), idle keys are forgotten every minute, and a limiter that still
//! holds `MAX_KEYS` keys refuses new ones rather than grow.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;

use axum::extract::ConnectInfo;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use http::request::Parts;
use sha2::{Digest as _, Sha256};

/// How many attempts are allowed; settings, so tests and big sites can tune them.
#[derive(Debug, Clone, Copy)]
pub struct LimitsConfig {
    pub login_per_minute_per_ip: u32,
    /// Password checks per account: log-ins and password changes alike.
    pub login_per_minute_per_account: u32,
    pub signups_per_hour_per_ip: u32,
    pub pairings_per_minute_per_ip: u32,
    /// All pairing attempts together, far above one address's budget.
    pub pairings_per_minute: u32,
    /// Per kiosk or per logged-in account (API tokens are not limited).
    pub check_ins_per_minute_per_caller: u32,
    /// Per guest e-mail address and per guest phone number.
    pub check_ins_per_hour_per_guest: u32,
    /// E-mails about an account to one address: reset links, "someone tried to
    /// sign up with your address", links sent again. Bounds mail-bombing anyone.
    pub account_mails_per_hour_per_address: u32,
    /// Requests to the lobby poster's page (opening, host searches, check-ins) per
    /// client address: bounds guessing codes and listing hosts. A whole lobby may
    /// share one address (office Wi-Fi), so it is generous.
    pub arrivals_per_minute_per_ip: u32,
    /// Guests looked up at one kiosk (a number typed, a confirmation, a check-out
    /// by number or address): a guest takes half a minute, a script many a second.
    pub lookups_per_minute_per_kiosk: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            login_per_minute_per_ip: 30,
            login_per_minute_per_account: 10,
            signups_per_hour_per_ip: 20,
            pairings_per_minute_per_ip: 10,
            pairings_per_minute: 300,
            check_ins_per_minute_per_caller: 20,
            check_ins_per_hour_per_guest: 10,
            account_mails_per_hour_per_address: 5,
            arrivals_per_minute_per_ip: 300,
            lookups_per_minute_per_kiosk: 10,
        }
    }
}

/// How many clients' budgets of account e-mails one address gets in all.
const ACCOUNT_MAIL_CLIENTS: u32 = 6;

/// The most keys one limiter holds: a few MB at most.
const MAX_KEYS: usize = 100_000;

/// Keys longer than this are cut before hashing: e-mail addresses end at 254.
const MAX_KEY_CHARS: usize = 320;

/// Refused for now; the caller may try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after_secs: u64,
}

type Key = [u8; 16];

pub struct RateLimits {
    login_ip: DefaultKeyedRateLimiter<IpAddr>,
    password_account: DefaultKeyedRateLimiter<Key>,
    signup_ip: DefaultKeyedRateLimiter<IpAddr>,
    pairing_ip: DefaultKeyedRateLimiter<IpAddr>,
    pairing_all: DefaultDirectRateLimiter,
    check_in_caller: DefaultKeyedRateLimiter<Key>,
    check_in_guest: DefaultKeyedRateLimiter<Key>,
    account_mail: DefaultKeyedRateLimiter<Key>,
    account_mail_all: DefaultKeyedRateLimiter<Key>,
    arrival_ip: DefaultKeyedRateLimiter<IpAddr>,
    lookup_kiosk: DefaultKeyedRateLimiter<i32>,
}

fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

fn per_minute<K: Clone + std::hash::Hash + Eq>(n: u32) -> DefaultKeyedRateLimiter<K> {
    RateLimiter::keyed(Quota::per_minute(at_least_one(n)))
}

fn per_hour<K: Clone + std::hash::Hash + Eq>(n: u32) -> DefaultKeyedRateLimiter<K> {
    RateLimiter::keyed(Quota::per_hour(at_least_one(n)))
}

impl RateLimits {
    pub fn new(config: LimitsConfig) -> Self {
        Self {
            login_ip: per_minute(config.login_per_minute_per_ip),
            password_account: per_minute(config.login_per_minute_per_account),
            signup_ip: per_hour(config.signups_per_hour_per_ip),
            pairing_ip: per_minute(config.pairings_per_minute_per_ip),
            pairing_all: RateLimiter::direct(Quota::per_minute(at_least_one(
                config.pairings_per_minute,
            ))),
            check_in_caller: per_minute(config.check_ins_per_minute_per_caller),
            check_in_guest: per_hour(config.check_ins_per_hour_per_guest),
            account_mail: per_hour(config.account_mails_per_hour_per_address),
            account_mail_all: per_hour(
                config
                    .account_mails_per_hour_per_address
                    .saturating_mul(ACCOUNT_MAIL_CLIENTS),
            ),
            arrival_ip: per_minute(config.arrivals_per_minute_per_ip),
            lookup_kiosk: per_minute(config.lookups_per_minute_per_kiosk),
        }
    }

    /// One log-in attempt from `ip` for `email`. Both budgets refill continuously,
    /// so nobody, including an attacker, can lock an account for longer than a minute.
    pub fn check_login(&self, ip: IpAddr, email: &str) -> Result<(), Throttled> {
        check(&self.login_ip, &network(ip))?;
        self.check_password(email)
    }

    /// One password check for the account `email` (a password change, say).
    pub fn check_password(&self, email: &str) -> Result<(), Throttled> {
        check(&self.password_account, &key(email))
    }

    pub fn check_signup(&self, ip: IpAddr) -> Result<(), Throttled> {
        check(&self.signup_ip, &network(ip))
    }

    /// One pairing attempt from `ip`: a tablet typing wrong codes blocks itself,
    /// not every other tablet.
    pub fn check_pairing(&self, ip: IpAddr) -> Result<(), Throttled> {
        check(&self.pairing_ip, &network(ip))?;
        self.pairing_all
            .check()
            .map_err(|not_until| throttled(&not_until))
    }

    /// One check-in by `caller` (a kiosk or an account, by a stable name) for a guest
    /// with these contact details.
    pub fn check_check_in(&self, caller: &str, email: &str, phone: &str) -> Result<(), Throttled> {
        check(&self.check_in_caller, &key(caller))?;
        check(&self.check_in_guest, &key(&format!("email {email}")))?;
        check(&self.check_in_guest, &key(&format!("phone {phone}")))
    }

    /// A request that e-mails a link to an address (forgot password): counted per
    /// client address with the log-ins, which it resembles.
    pub fn check_link_request(&self, ip: IpAddr) -> Result<(), Throttled> {
        check(&self.login_ip, &network(ip))
    }

    /// One e-mail about an account to `address`, asked for from `ip`. Keyed by the
    /// address as typed, never by whether it has an account, so being refused
    /// reveals nothing. Counted per asking client, so a stranger who uses up their
    /// share does not stop the owner's own reset; and per address overall (six
    /// clients' worth), so many clients together still cannot mail-bomb it.
    pub fn check_account_mail(&self, address: &str, ip: IpAddr) -> Result<(), Throttled> {
        check(
            &self.account_mail,
            &key(&format!("{} {address}", network(ip))),
        )?;
        check(&self.account_mail_all, &key(address))
    }

    /// One request to the arrival page from `ip`.
    pub fn check_arrival(&self, ip: IpAddr) -> Result<(), Throttled> {
        check(&self.arrival_ip, &network(ip))
    }

    /// One guest look-up at kiosk `kiosk_id`.
    pub fn check_lookup(&self, kiosk_id: i32) -> Result<(), Throttled> {
        check(&self.lookup_kiosk, &kiosk_id)
    }

    /// Forgets keys whose budget is full again, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.login_ip.retain_recent();
        self.password_account.retain_recent();
        self.signup_ip.retain_recent();
        self.pairing_ip.retain_recent();
        self.check_in_caller.retain_recent();
        self.check_in_guest.retain_recent();
        self.account_mail.retain_recent();
        self.account_mail_all.retain_recent();
        self.arrival_ip.retain_recent();
        self.lookup_kiosk.retain_recent();
    }
}

/// A fixed-size key for any text: trimmed, lower-cased, cut to `MAX_KEY_CHARS`.
fn key(text: &str) -> Key {
    let normalised: String = text
        .trim()
        .chars()
        .take(MAX_KEY_CHARS)
        .flat_map(char::to_lowercase)
        .collect();
    let digest = Sha256::digest(normalised.as_bytes());
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// The address as counted: IPv4 as is, IPv6 by its /64 network (one client may
/// hold a whole /64).
pub fn network(ip: IpAddr) -> IpAddr {
    // A dual-stack listener sees IPv4 clients as `::ffff:a.b.c.d`: one /64 for all.
    match ip.to_canonical() {
        v4 @ IpAddr::V4(_) => v4,
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
    }
}

fn check<K: Clone + std::hash::Hash + Eq>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), Throttled> {
    if limiter.len() >= MAX_KEYS {
        limiter.retain_recent();
        if limiter.len() >= MAX_KEYS {
            return Err(Throttled {
                retry_after_secs: 60,
            });
        }
    }
    limiter
        .check_key(key)
        .map_err(|not_until| throttled(&not_until))
}

fn throttled(not_until: &governor::NotUntil<governor::clock::QuantaInstant>) -> Throttled {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    Throttled {
        // Rounded up: "try again in 0 s" would be a lie.
        retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
    }
}

/// The client's address: the peer, or, behind a proxy that sets `header`, the last
/// address that proxy appended (earlier ones are whatever the client claimed). Only
/// the last one counts: skipping one that does not parse would let the client's own
/// claim through.
pub fn client_ip(parts: &Parts, header: Option<&str>) -> IpAddr {
    let forwarded = header.and_then(|name| {
        parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .and_then(|ip| ip.trim().parse::<IpAddr>().ok())
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
            pairings_per_minute_per_ip: 3,
            pairings_per_minute: 5,
            check_ins_per_minute_per_caller: 3,
            check_ins_per_hour_per_guest: 2,
            account_mails_per_hour_per_address: 2,
            arrivals_per_minute_per_ip: 4,
            lookups_per_minute_per_kiosk: 2,
        })
    }

    #[test]
    fn one_address_uses_up_its_arrival_page_budget_without_touching_another_s() {
        let limits = limits(10);
        let lobby: IpAddr = "203.0.113.7".parse().unwrap();
        for _ in 0..4 {
            assert!(limits.check_arrival(lobby).is_ok());
        }
        assert!(limits.check_arrival(lobby).is_err());
        assert!(limits.check_arrival("203.0.113.8".parse().unwrap()).is_ok());
    }

    #[test]
    fn a_two_megabyte_email_costs_sixteen_bytes_of_key_and_counts_as_its_first_320_chars() {
        let huge = "a".repeat(2 * 1024 * 1024);
        assert_eq!(key(&huge), key(&"A".repeat(MAX_KEY_CHARS)));
        assert_ne!(key("ann@example.com"), key("bob@example.com"));
        assert_eq!(key(" Ann@Example.com "), key("ann@example.com"));
    }

    #[test]
    fn pairing_is_limited_per_address_under_a_global_ceiling() {
        let limits = limits(10);
        let one = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let two = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        for _ in 0..3 {
            assert!(limits.check_pairing(one).is_ok());
        }
        assert!(
            limits.check_pairing(one).is_err(),
            "the fourth from one address"
        );
        assert!(
            limits.check_pairing(two).is_ok(),
            "another tablet still pairs"
        );
        assert!(limits.check_pairing(two).is_ok());
        let three = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 3));
        assert!(
            limits.check_pairing(three).is_err(),
            "above the global ceiling"
        );
    }

    #[test]
    fn ipv4_clients_seen_through_a_dual_stack_listener_count_one_by_one() {
        let limits = limits(10);
        let one: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        let two: IpAddr = "::ffff:203.0.113.8".parse().unwrap();
        assert_eq!(network(one), "203.0.113.7".parse::<IpAddr>().unwrap());
        assert!(limits.check_signup(one).is_ok());
        assert!(limits.check_signup(one).is_ok());
        assert!(limits.check_signup(one).is_err());
        assert!(limits.check_signup(two).is_ok(), "not the same /64");
    }

    fn request_from(peer: &str, forwarded: &str) -> Parts {
        let (mut parts, _) = http::Request::builder()
            .header("x-forwarded-for", forwarded)
            .body(())
            .unwrap()
            .into_parts();
        parts
            .extensions
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        parts
    }

    #[test]
    fn only_the_address_the_proxy_appended_counts_and_an_unreadable_one_falls_back_to_the_peer() {
        let header = Some("x-forwarded-for");
        let parts = request_from("10.0.0.1:5000", "198.51.100.9, 203.0.113.7");
        assert_eq!(
            client_ip(&parts, header),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
        // A proxy writing `ip:port` (unreadable here) must not hand over the client's claim.
        let parts = request_from("10.0.0.1:5000", "198.51.100.9, 203.0.113.7:4711");
        assert_eq!(
            client_ip(&parts, header),
            "10.0.0.1".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            client_ip(&parts, None),
            "10.0.0.1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn ipv6_addresses_count_per_64_network() {
        let limits = limits(10);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limits.check_signup(a).is_ok());
        assert!(limits.check_signup(b).is_ok());
        assert!(limits.check_signup(a).is_err(), "same /64");
        assert!(limits.check_signup(other).is_ok());
    }

    #[test]
    fn check_ins_are_limited_per_caller_and_per_guest_contact() {
        let limits = limits(10);
        assert!(limits.check_check_in("kiosk 1", "a@x.org", "+1").is_ok());
        assert!(limits.check_check_in("kiosk 1", "b@x.org", "+2").is_ok());
        assert!(limits.check_check_in("kiosk 2", "A@x.org", "+3").is_ok());
        // The same address a third time within the hour, from anywhere.
        assert!(limits.check_check_in("kiosk 3", "a@x.org", "+4").is_err());
        assert!(limits.check_check_in("kiosk 1", "c@x.org", "+5").is_ok());
        assert!(
            limits.check_check_in("kiosk 1", "d@x.org", "+6").is_err(),
            "the kiosk's fourth within a minute"
        );
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

    #[test]
    fn a_stranger_using_up_an_address_s_mails_leaves_the_owner_theirs() {
        let limits = limits(10); // 2 account e-mails an hour per client, 12 in all
        let stranger = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9));
        let owner = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));
        assert!(limits
            .check_account_mail("ann@example.com", stranger)
            .is_ok());
        assert!(limits
            .check_account_mail("ANN@example.com ", stranger)
            .is_ok());
        assert!(limits
            .check_account_mail("ann@example.com", stranger)
            .is_err());
        assert!(limits.check_account_mail("ann@example.com", owner).is_ok());
        for n in 0..12u8 {
            let other = IpAddr::V4(Ipv4Addr::new(192, 0, 2, n));
            let _ = limits.check_account_mail("ann@example.com", other);
        }
        let late = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 200));
        assert!(
            limits.check_account_mail("ann@example.com", late).is_err(),
            "the address's overall ceiling"
        );
    }
}
