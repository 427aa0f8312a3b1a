use std::time::Duration;

use app::ssr::services::outbox::Outcome;
use chrono::Utc;

const BASE: Duration = Duration::from_secs(5);
const CAP: Duration = Duration::from_secs(3600);

/// Exponential backoff with full jitter: attempt n waits a random time up to
/// min(cap, base * 2^(n-1)), so retries from many rows spread out.
pub fn delay(attempt: i32) -> Duration {
    let exp = BASE
        .saturating_mul(1u32 << attempt.clamp(1, 20).saturating_sub(1))
        .min(CAP);
    let mut bytes = [0u8; 4];
    let fraction = match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX),
        Err(_) => 0.5,
    };
    // Never less than a second: a zero wait would hammer a server that is down.
    exp.mul_f64(fraction).max(Duration::from_secs(1))
}

pub fn retry(attempt: i32, error: String) -> Outcome {
    let wait = chrono::Duration::from_std(delay(attempt)).unwrap_or(chrono::Duration::seconds(5));
    Outcome::Retry {
        error,
        at: Utc::now() + wait,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_with_attempts_and_stay_under_the_cap() {
        for attempt in 1..40 {
            let d = delay(attempt);
            assert!(d >= Duration::from_secs(1) && d <= CAP, "{attempt}: {d:?}");
        }
        let early: Duration = (0..200).map(|_| delay(1)).max().unwrap();
        let late: Duration = (0..200).map(|_| delay(8)).max().unwrap();
        assert!(early <= BASE && late > BASE * 16, "{early:?} {late:?}");
    }
}
