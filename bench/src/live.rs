//! P1 (push latency over many dashboards) and P5 (memory of idle sockets).

use std::time::Duration;

use anyhow::Context;
use futures::StreamExt;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::stats::Samples;
use crate::target::{guest, Target};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Guests of P1 are numbered from here, apart from the other benchmarks' guests.
const FIRST_GUEST: usize = 1_000_000;

async fn connect(t: &Target, cookie: Option<&str>) -> anyhow::Result<Socket> {
    let url = format!("{}/api/v1/events", t.base.replacen("http", "ws", 1));
    let mut request = url.into_client_request()?;
    let header = match cookie {
        Some(cookie) => ("cookie", format!("frontdesk_session={cookie}")),
        None => ("authorization", format!("Bearer {}", t.token)),
    };
    request.headers_mut().insert(header.0, header.1.parse()?);
    let (socket, _) = tokio_tungstenite::connect_async(request).await?;
    Ok(socket)
}

/// Opens `n` sockets, `batch` at a time.
async fn open_many(
    t: &Target,
    n: usize,
    cookie_of: impl Fn(usize) -> Option<String>,
) -> anyhow::Result<Vec<Socket>> {
    let mut sockets = Vec::with_capacity(n);
    for start in (0..n).step_by(200) {
        let batch = (start..(start + 200).min(n)).map(|i| {
            let cookie = cookie_of(i);
            async move { connect(t, cookie.as_deref()).await }
        });
        for socket in futures::future::join_all(batch).await {
            sockets.push(socket.context("websocket upgrade")?);
        }
    }
    Ok(sockets)
}

pub struct LiveResult {
    pub latency: Samples,
    pub api: Samples,
    pub expected: usize,
    pub received: usize,
}

/// `sockets` dashboards spread over `hosts`; check-ins at `rate`/s for `secs` s on a
/// fixed schedule. Latency runs from each check-in's *scheduled* time to its receipt,
/// so a stalled server cannot hide its stall (no coordinated omission).
pub async fn push_latency(
    t: &Target,
    hosts: &[(String, i64)],
    sockets: usize,
    rate: u32,
    secs: u64,
) -> anyhow::Result<LiveResult> {
    let opened = open_many(t, sockets, |i| Some(hosts[i % hosts.len()].0.clone())).await?;
    let interval = Duration::from_secs_f64(1.0 / f64::from(rate));
    let total = (u64::from(rate) * secs) as usize;
    let start = Instant::now() + Duration::from_millis(500);
    let end = start + interval * total as u32 + Duration::from_secs(3);

    let listeners: Vec<_> = opened
        .into_iter()
        .map(|mut socket| {
            tokio::spawn(async move {
                let mut samples = Samples::default();
                while let Ok(Some(Ok(message))) = tokio::time::timeout_at(end, socket.next()).await
                {
                    let Message::Text(text) = message else {
                        continue;
                    };
                    let received = Instant::now();
                    let Ok(event) = serde_json::from_str::<serde_json::Value>(&text) else {
                        continue;
                    };
                    let index = event["data"]["visit"]["email"]
                        .as_str()
                        .and_then(|e| e.strip_prefix('g'))
                        .and_then(|e| e.split('@').next())
                        .and_then(|n| n.parse::<usize>().ok());
                    if let Some(i) = index.and_then(|i| i.checked_sub(FIRST_GUEST)) {
                        samples
                            .push(received.saturating_duration_since(start + interval * i as u32));
                    }
                }
                samples
            })
        })
        .collect();

    let senders: Vec<_> = (0..total)
        .map(|k| {
            let client = t.client.clone();
            let url = format!("{}/api/v1/visits", t.base);
            let token = t.token.clone();
            let body = guest(FIRST_GUEST + k, hosts[k % hosts.len()].1);
            let at = start + interval * k as u32;
            tokio::spawn(async move {
                tokio::time::sleep_until(at).await;
                let ok = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .is_ok_and(|r| r.status() == 201);
                (ok, at.elapsed())
            })
        })
        .collect();
    let mut api = Samples::default();
    let mut failed = 0;
    for s in senders {
        let (ok, took) = s.await?;
        api.push(took);
        failed += usize::from(!ok);
    }
    let mut latency = Samples::default();
    for l in listeners {
        latency.extend(l.await?);
    }
    if failed > 0 {
        eprintln!("P1: {failed} of {total} check-ins failed");
    }
    let per_host = sockets / hosts.len();
    Ok(LiveResult {
        received: latency.len(),
        expected: (total - failed) * per_host,
        latency,
        api,
    })
}

/// Server RSS before and after `n` idle authenticated sockets (KiB).
pub async fn idle_memory(t: &Target, n: usize) -> anyhow::Result<(u64, u64)> {
    let before = t.rss_kib()?;
    let sockets = open_many(t, n, |_| None).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = t.rss_kib()?;
    drop(sockets);
    Ok((before, after))
}
