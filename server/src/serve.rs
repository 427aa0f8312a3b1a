//! The accept loop, with the limits `axum::serve` does not offer: how long a client
//! may take to send its headers (also how long an idle keep-alive connection stays
//! open), and how many connections are open at once. A connection over the cap is
//! closed at once; the rest finish their requests when the server stops.
//! (The time a request may take in all is a layer: `routes::router`.)

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::Service as _;

#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// A client that has not sent a whole request head in this time is cut off.
    pub header_read: Duration,
    /// A request not answered in this time gets 408 (a layer in `routes::router`).
    pub request: Duration,
    pub max_connections: usize,
}

/// How long in-flight requests may take to finish once the server stops.
const DRAIN: Duration = Duration::from_secs(10);

pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: HttpLimits,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let draining = CancellationToken::new();
    let connections = TaskTracker::new();
    // HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a proxy in front
    // ends; and sniffing for HTTP/2 would wait, without a timeout, for a client
    // that sends nothing at all.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tracing::warn!(
                max = limits.max_connections,
                "connection limit reached; closing a new connection"
            );
            drop(stream);
            continue;
        };
        let Ok(service) = make_service.call(peer).await;
        let hyper_service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            service.clone().call(request)
        });
        let connection = builder
            .serve_connection(TokioIo::new(stream), hyper_service)
            .with_upgrades();
        let draining = draining.clone();
        connections.spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                _ = draining.cancelled() => {
                    // Finish the request in hand, then close (idle ones close now).
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = ended {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    draining.cancel();
    connections.close();
    if tokio::time::timeout(DRAIN, connections.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            "some connections were still open {} s after the stop",
            DRAIN.as_secs()
        );
    }
    Ok(())
}
