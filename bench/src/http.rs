//! P2 (check-in throughput against a bare baseline), P3 (the host dashboard) and
//! P6 (`/health` during a log-in storm).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::stats::Samples;
use crate::target::{guest, Target, PASSWORD};

/// `clients` loops sending `request(i)` back to back for `secs`: (ok count, latencies).
async fn closed_loop<F>(clients: usize, secs: u64, request: F) -> (usize, Samples)
where
    F: Fn(usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let next = Arc::new(AtomicUsize::new(0));
    let end = Instant::now() + Duration::from_secs(secs);
    let loops: Vec<_> = (0..clients)
        .map(|_| {
            let request = request.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let (mut ok, mut samples) = (0, Samples::default());
                while Instant::now() < end {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let sent = Instant::now();
                    if request(i)
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success())
                    {
                        ok += 1;
                    }
                    samples.push(sent.elapsed());
                }
                (ok, samples)
            })
        })
        .collect();
    let (mut ok, mut all) = (0, Samples::default());
    for l in loops {
        if let Ok((n, s)) = l.await {
            ok += n;
            all.extend(s);
        }
    }
    (ok, all)
}

/// Check-ins per second through Frontdesk's API with 32 clients.
pub async fn check_ins(t: &Target, host_id: i64, clients: usize, secs: u64) -> f64 {
    let (client, url, token) = (
        t.client.clone(),
        format!("{}/api/v1/visits", t.base),
        t.token.clone(),
    );
    let (ok, _) = closed_loop(clients, secs, move |i| {
        client
            .post(&url)
            .bearer_auth(&token)
            .json(&guest(i, host_id))
    })
    .await;
    ok as f64 / secs as f64
}

/// The same, against the bare baseline (`crate::baseline`).
pub async fn baseline_check_ins(base: &str, clients: usize, secs: u64) -> f64 {
    let client = reqwest::Client::new();
    let url = format!("{base}/check-in");
    let (ok, _) = closed_loop(clients, secs, move |i| client.post(&url).json(&guest(i, 0))).await;
    ok as f64 / secs as f64
}

/// A server-rendered page (as `cookie`'s account, if any): (requests/s, latencies).
pub async fn page(
    t: &Target,
    path: &str,
    cookie: Option<&str>,
    clients: usize,
    secs: u64,
) -> (f64, Samples) {
    let client = t.client.clone();
    let url = format!("{}{path}", t.base);
    let cookie = cookie
        .map(|c| format!("frontdesk_session={c}"))
        .unwrap_or_default();
    let (ok, samples) = closed_loop(clients, secs, move |_| {
        client
            .get(&url)
            .header("accept", "text/html")
            .header("cookie", &cookie)
    })
    .await;
    (ok as f64 / secs as f64, samples)
}

/// `/health` probed every 10 ms for `secs`, while `logins_per_sec` log-ins run
/// (0 for the quiet baseline). Probes are scheduled, not chained: a stalled server
/// shows as latency, not as fewer probes.
pub async fn health_during_logins(
    t: &Target,
    email: &str,
    logins_per_sec: u32,
    secs: u64,
) -> Samples {
    let start = Instant::now() + Duration::from_millis(100);
    let mut tasks = Vec::new();
    if logins_per_sec > 0 {
        let every = Duration::from_secs_f64(1.0 / f64::from(logins_per_sec));
        for k in 0..(u64::from(logins_per_sec) * secs) as u32 {
            let (client, url) = (t.client.clone(), format!("{}/api/log_in", t.base));
            let email = email.to_string();
            tokio::spawn(async move {
                tokio::time::sleep_until(start + every * k).await;
                let _ = client
                    .post(url)
                    .form(&[("door", "host"), ("email", &email), ("password", PASSWORD)])
                    .send()
                    .await;
            });
        }
    }
    let probe = Duration::from_millis(10);
    for k in 0..(secs * 100) as u32 {
        let (client, url) = (t.client.clone(), format!("{}/health", t.base));
        let at = start + probe * k;
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(at).await;
            let _ = client.get(url).send().await;
            at.elapsed()
        }));
    }
    let mut samples = Samples::default();
    for task in tasks {
        if let Ok(d) = task.await {
            samples.push(d);
        }
    }
    samples
}
