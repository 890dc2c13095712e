//! The HTTP server: hyper's HTTP/1.1 with a timer, so a request's head must arrive within
//! `header_timeout` and an idle keep-alive connection closes after it, and with caps on open
//! connections overall and per client address (`limits::Admission`). Axum's own `serve` has
//! neither. Browsers speak HTTP/2 only over TLS, which a proxy in front ends; plain HTTP/1.1 is
//! what reaches the server.

use app::backend::limits::{Admission, LimitsConfig};
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::time::Duration;
use tower::Service;

/// How long a trusted proxy's connection may stay idle: longer than the usual proxies' own idle
/// timeouts (AWS load balancers 60 s, nginx's keep-alive 60 s).
const PROXY_IDLE_TIMEOUT: Duration = Duration::from_secs(75);

/// How long in-flight requests may take to finish once shutdown begins.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until `shutdown` resolves; then it stops accepting connections
/// and lets in-flight requests finish, for at most [`SHUTDOWN_GRACE`]. (Event streams end as soon
/// as `shutdown` resolves, when the caller tells the hub, see `main`.)
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: &LimitsConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let connections = &limits.connections;
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(connections.header_timeout);
    // A trusted proxy keeps idle connections open for its own reuse (an AWS load balancer for
    // 60 s): closing them first would make it send requests into closed sockets (502s).
    let mut proxy_builder = builder.clone();
    proxy_builder.header_read_timeout(PROXY_IDLE_TIMEOUT.max(connections.header_timeout));
    let admission = Admission::new(connections);
    // The peer address feeds the per-client rate limits (`ConnectInfo`).
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::error!(error = %err, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let trusted = limits.trusts(peer.ip());
        let Some(ticket) = admission.admit(peer.ip(), trusted) else {
            continue; // dropping the socket closes it
        };
        // Without TCP_NODELAY, responses written in several pieces (files, streamed pages) stall
        // ~40 ms on Nagle's algorithm and delayed ACKs (measured: 1.1k → 19.8k req/s).
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::warn!(error = %err, "could not set TCP_NODELAY");
        }
        let Ok(service) = make_service.call(peer).await;
        let connection = if trusted { &proxy_builder } else { &builder }
            .serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, %peer, "connection ended with an error");
            }
            drop(ticket);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => Ok(()),
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("requests still running after the shutdown grace period: stopping anyway");
            Ok(())
        }
    }
}
