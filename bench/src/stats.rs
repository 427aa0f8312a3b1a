//! Latency samples and the table the harness prints.

use std::time::Duration;

#[derive(Default, Clone)]
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The `p`-th percentile (0..=100), nearest rank.
    pub fn pct(&mut self, p: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        self.0.sort_unstable();
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    pub fn summary(&mut self) -> String {
        format!(
            "p50 {} / p99 {} / max {}",
            ms(self.pct(50.0)),
            ms(self.pct(99.0)),
            ms(self.pct(100.0))
        )
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// One line of the result table.
pub struct Row {
    pub id: &'static str,
    pub what: String,
    pub measured: String,
    pub target: &'static str,
    pub met: bool,
}

pub fn print(rows: &[Row]) {
    println!();
    println!("| | measure | measured | target | met |");
    println!("|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            r.id,
            r.what,
            r.measured,
            r.target,
            if r.met { "yes" } else { "NO" }
        );
    }
}
