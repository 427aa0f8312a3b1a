//! What a slow or greedy client gets: headers dribbled too slowly, a body that never
//! comes, more connections than allowed. Raw TCP, so nothing is polite on our behalf.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{spawn_app_with, TestApp};

async fn app() -> TestApp {
    spawn_app_with(|s| {
        s.header_read_timeout_secs = 1;
        s.request_timeout_secs = 1;
        s.max_connections = 8;
    })
    .await
}

async fn open(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .expect("connects")
}

/// What the server sends until it closes the connection, or `None` if it is still
/// open after `wait`.
async fn until_closed(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&seen).into_owned()),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn headers_dribbled_slower_than_the_header_timeout_are_cut_off() {
    let app = app().await;
    let mut slow = open(&app).await;
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = tokio::time::Instant::now();
    // One header line every 300 ms would take forever; the server stops waiting.
    let mut closed = None;
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if slow.write_all(b"X-Slow: 1\r\n").await.is_err() {
            closed = Some(String::new());
            break;
        }
        if let Some(seen) = until_closed(&mut slow, Duration::from_millis(1)).await {
            closed = Some(seen);
            break;
        }
    }
    let closed = match closed {
        Some(seen) => seen,
        None => until_closed(&mut slow, Duration::from_secs(1))
            .await
            .expect("closed"),
    };
    assert!(!closed.contains("200 OK"), "{closed}");
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    // An idle keep-alive connection is let go as well.
    let mut idle = open(&app).await;
    assert!(until_closed(&mut idle, Duration::from_secs(3))
        .await
        .is_some());
}

#[tokio::test]
async fn a_body_that_never_comes_gets_408_after_the_request_timeout() {
    let app = app().await;
    let mut stream = open(&app).await;
    stream
        .write_all(
            b"POST /api/log_in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ndoor=",
        )
        .await
        .unwrap();
    let answer = until_closed(&mut stream, Duration::from_secs(3))
        .await
        .unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn connections_over_the_cap_are_closed_at_once_and_room_comes_back() {
    let app = app().await;
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(open(&app).await);
    }
    // Accepted by the OS, closed by us without an answer.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut extra = open(&app).await;
    let _ = extra
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let seen = until_closed(&mut extra, Duration::from_millis(500)).await;
    assert_eq!(
        seen.as_deref(),
        Some(""),
        "the ninth connection is closed unanswered"
    );
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.get("/health").await.status(), 200);
}

#[tokio::test]
async fn a_chunked_body_over_64_kib_gets_413_like_an_announced_one() {
    let app = app().await;
    for path in ["/api/log_in", "/api/v1/visits"] {
        let mut stream = open(&app).await;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let chunk = format!("email={}", "a".repeat(70 * 1024));
        let _ = stream
            .write_all(format!("{:x}\r\n{chunk}\r\n0\r\n\r\n", chunk.len()).as_bytes())
            .await;
        let answer = until_closed(&mut stream, Duration::from_secs(3))
            .await
            .unwrap_or_default();
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
    }
}
