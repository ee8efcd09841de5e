//! The HTTP server: accepts connections within [`ConnectionLimits`], gives
//! each one a deadline for its request headers (idle keep-alives included),
//! and stops gracefully. `axum::serve` has neither a header deadline nor a
//! connection limit: twenty thousand sockets that never finish a header
//! used to starve `/healthz`.

mod registry;

use std::{
    future::Future,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    Router,
    body::Body,
    extract::{ConnectInfo, Request},
    response::Response,
};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::watch, task::JoinSet};
use tower::ServiceExt;

pub use registry::{ConnectionLimits, Registry};

/// How the server treats connections.
#[derive(Debug, Clone, Copy)]
pub struct ServerSettings {
    /// The connection limits.
    pub limits: ConnectionLimits,
    /// A client must send a request's headers within this time (the first
    /// request, and each one after on a kept-alive connection).
    pub header_read_timeout: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the
/// requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let registry = Registry::new(settings.limits);
    let (stop, stopping) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let mut connections = JoinSet::new();
    let mut stopping_accept = stopping.clone();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: keep serving the others.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            _ = stopping_accept.changed() => break,
        };
        let Some(connection) = registry.admit(peer.ip()) else {
            tracing::warn!(peer = %peer.ip(), "connection refused: every connection is busy");
            continue; // dropping the stream closes it
        };
        let service = per_connection(app.clone(), peer, connection.busy.clone());
        let (registry, stopping) = (registry.clone(), stopping.clone());
        connections.spawn(async move {
            run_connection(stream, service, &connection, settings, stopping).await;
            registry.release(&connection);
        });
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// The app as one connection sees it: each request carries the client's
/// address, and counts as in progress from its arrival until its response
/// body is sent (or it is abandoned).
fn per_connection(
    app: Router,
    peer: SocketAddr,
    busy: Arc<AtomicUsize>,
) -> TowerToHyperService<
    impl tower::Service<
        Request<Incoming>,
        Response = Response,
        Error = std::convert::Infallible,
        Future = impl Future<Output = Result<Response, std::convert::Infallible>> + Send,
    > + Clone,
> {
    TowerToHyperService::new(tower::service_fn(move |mut request: Request<Incoming>| {
        let guard = BusyGuard::new(busy.clone());
        request.extensions_mut().insert(ConnectInfo(peer));
        let app = app.clone();
        async move {
            let Ok(response) = app.oneshot(request).await;
            Ok(response.map(|body| {
                Body::new(Guarded {
                    body,
                    _guard: guard,
                })
            }))
        }
    }))
}

async fn run_connection<S>(
    stream: tokio::net::TcpStream,
    service: S,
    connection: &registry::Connection,
    settings: ServerSettings,
    mut stopping: watch::Receiver<bool>,
) where
    S: hyper::service::HttpService<Incoming, ResBody = Body> + Send,
    S::Future: Send + 'static,
{
    let _ = stream.set_nodelay(true);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout);
    let conn = builder
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::pin!(conn);
    let mut shutting_down = *stopping.borrow();
    if shutting_down {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended");
                }
                return;
            }
            // Closed for a newcomer: dropping the connection closes the socket.
            () = connection.evicted.notified() => return,
            _ = stopping.changed(), if !shutting_down => {
                shutting_down = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Counts a request in progress on its connection, until dropped.
struct BusyGuard(Arc<AtomicUsize>);

impl BusyGuard {
    fn new(busy: Arc<AtomicUsize>) -> Self {
        busy.fetch_add(1, Ordering::AcqRel);
        Self(busy)
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that holds its connection busy until it is sent (or dropped).
struct Guarded {
    body: Body,
    _guard: BusyGuard,
}

impl http_body::Body for Guarded {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}
