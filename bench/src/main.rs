//! `frontdesk-bench`: starts the release server on a fresh database and prints P1–P6
//! (see docs/performance.md). Loopback only; bounded in time (about 4 minutes with
//! the defaults).

mod baseline;
mod http;
mod live;
mod stats;
mod target;

use std::time::Duration;

use anyhow::Context;
use clap::Parser;

use stats::{ms, Row};
use target::Target;

#[derive(Parser)]
#[command(about = "Frontdesk benchmarks: P1-P6 against their targets")]
struct Options {
    /// P1: dashboards (websockets) connected.
    #[arg(long, default_value_t = 1000)]
    sockets: usize,
    /// P1: hosts the dashboards and check-ins are spread over.
    #[arg(long, default_value_t = 50)]
    hosts: usize,
    /// P1: check-ins per second.
    #[arg(long, default_value_t = 100)]
    rate: u32,
    /// P1: seconds of check-ins.
    #[arg(long, default_value_t = 30)]
    live_secs: u64,
    /// P2 and P3: seconds per closed-loop run.
    #[arg(long, default_value_t = 10)]
    secs: u64,
    /// P2 and P3: concurrent clients.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// P5: idle websockets opened.
    #[arg(long, default_value_t = 10_000)]
    idle_sockets: usize,
    /// P6: seconds of the log-in storm (50 log-ins/s).
    #[arg(long, default_value_t = 20)]
    storm_secs: u64,
}

/// Thousands of sockets need more descriptors than the default soft limit.
fn raise_fd_limit() {
    // SAFETY: plain libc calls on a local struct.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

fn compressed(bytes: &[u8]) -> anyhow::Result<(usize, usize)> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    let gzip = gz.finish()?.len();
    let mut br = Vec::new();
    brotli::BrotliCompress(
        &mut &bytes[..],
        &mut br,
        &brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        },
    )?;
    Ok((gzip, br.len()))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let o = Options::parse();
    raise_fd_limit();
    let started = std::time::Instant::now();
    let mut rows = Vec::new();

    // P4 first: it needs no server.
    let pkg = target::root().join("target/site/pkg");
    let wasm = std::fs::read(pkg.join("frontdesk.wasm")).context("build the site first")?;
    let js = std::fs::read(pkg.join("frontdesk.js"))?;
    let (wasm_gz, wasm_br) = compressed(&wasm)?;
    let (_, js_br) = compressed(&js)?;
    rows.push(Row {
        id: "P4",
        what: "release wasm raw / gzip / brotli; JS brotli".into(),
        measured: format!(
            "{} / {} / {} KB; JS {} KB",
            wasm.len() / 1000,
            wasm_gz / 1000,
            wasm_br / 1000,
            js_br / 1000
        ),
        target: "≤ 200 KB brotli",
        met: wasm_br <= 200_000,
    });

    let t = Target::start().await?;
    // The server's RSS after each phase: what the load leaves behind.
    let mut rss = vec![("start", t.rss_kib()?)];
    let location = t.location().await?;
    eprintln!("setting up {} hosts…", o.hosts);
    let mut hosts = Vec::new();
    for n in 0..o.hosts {
        hosts.push(t.host(n, location).await?);
    }

    eprintln!(
        "P1: {} sockets, {} check-ins/s for {} s…",
        o.sockets, o.rate, o.live_secs
    );
    let mut p1 = live::push_latency(&t, &hosts, o.sockets, o.rate, o.live_secs).await?;
    rss.push(("P1", t.rss_kib()?));
    let p99 = p1.latency.pct(99.0);
    rows.push(Row {
        id: "P1",
        what: format!(
            "push latency, {} dashboards, {} check-ins/s (API call p99 {})",
            o.sockets,
            o.rate,
            ms(p1.api.pct(99.0))
        ),
        measured: format!(
            "{}; {}/{} delivered",
            p1.latency.summary(),
            p1.received,
            p1.expected
        ),
        target: "p99 ≤ 25 ms",
        met: p99 <= Duration::from_millis(25) && p1.received == p1.expected,
    });

    eprintln!(
        "P2: check-in throughput, {} clients, {} s each…",
        o.clients, o.secs
    );
    let fd = http::check_ins(&t, hosts[0].1, o.clients, o.secs).await;
    let dir = tempfile::tempdir()?;
    let base = baseline::start(dir.path()).await?;
    rss.push(("P2", t.rss_kib()?));
    let bare = http::baseline_check_ins(&base, o.clients, o.secs).await;
    let ratio = if bare > 0.0 { fd / bare } else { 0.0 };
    rows.push(Row {
        id: "P2",
        what: "check-ins/s, Frontdesk vs bare axum+sea-orm writes".into(),
        measured: format!("{fd:.0} vs {bare:.0} /s = {:.0}%", ratio * 100.0),
        target: "≥ 50% of baseline",
        met: ratio >= 0.5,
    });

    eprintln!("P3: host dashboard with 50 entries…");
    let (cookie, host_id) = t.host(o.hosts, location).await?;
    for i in 0..50 {
        t.post_json("/api/v1/visits", target::guest(2_000_000 + i, host_id))
            .await?;
    }
    let (rps, mut p3) = http::page(&t, "/host", Some(&cookie), o.clients, o.secs).await;
    // Reference in the same run: a page with no data and no session (the SSR floor).
    let (floor, _) = http::page(&t, "/login", None, o.clients, o.secs).await;
    rss.push(("P3", t.rss_kib()?));
    rows.push(Row {
        id: "P3",
        what: format!(
            "GET /host (50 entries), {} connections (GET /login, no data: {floor:.0} req/s)",
            o.clients
        ),
        measured: format!(
            "{rps:.0} req/s = {:.0}% of /login, p99 {}",
            100.0 * rps / floor.max(1.0),
            ms(p3.pct(99.0))
        ),
        target: "≥ 3,000 req/s",
        met: rps >= 3000.0,
    });

    eprintln!("P5: {} idle sockets…", o.idle_sockets);
    let (before, after) = live::idle_memory(&t, o.idle_sockets).await?;
    let growth_mb = after.saturating_sub(before) as f64 / 1024.0;
    rows.push(Row {
        id: "P5",
        what: format!("server RSS growth, {} idle sockets", o.idle_sockets),
        measured: format!(
            "{:.0} → {:.0} MB: +{growth_mb:.1} MB",
            before as f64 / 1024.0,
            after as f64 / 1024.0
        ),
        target: "≤ 100 MB",
        met: growth_mb <= 100.0,
    });

    eprintln!("P6: log-in storm, 50/s for {} s…", o.storm_secs);
    let email = "host0@example.com";
    let mut quiet = http::health_during_logins(&t, email, 0, 5).await;
    let mut storm = http::health_during_logins(&t, email, 50, o.storm_secs).await;
    let p99 = storm.pct(99.0);
    rows.push(Row {
        id: "P6",
        what: "/health during 50 log-ins/s (quiet p99 for reference)".into(),
        measured: format!(
            "p99 {} (quiet {}), max {}",
            ms(p99),
            ms(quiet.pct(99.0)),
            ms(storm.pct(100.0))
        ),
        target: "p99 < 5 ms",
        met: p99 < Duration::from_millis(5),
    });

    rss.push(("P6", t.rss_kib()?));

    stats::print(&rows);
    let phases: Vec<String> = rss
        .iter()
        .map(|(phase, kib)| format!("{phase} {:.0} MB", *kib as f64 / 1024.0))
        .collect();
    println!("\nserver RSS after each phase: {}", phases.join(", "));
    println!(
        "\n(ran {:.0} s on {} cores)",
        started.elapsed().as_secs_f64(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    Ok(())
}
