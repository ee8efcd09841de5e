//! Clients that open connections and never finish a request: each gets a
//! deadline for its headers, one address cannot hold every connection, and
//! `/healthz` keeps answering at once.

use std::time::{Duration, Instant};

use axum::{Router, routing::get};
use consilium::server::{ConnectionLimits, ServerSettings, serve};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

use crate::helpers::binary::{Server, http_get, sqlite_flags};

const HALF_A_REQUEST: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: consilium\r\nX-Slow: ";

async fn tiny_server(limits: ConnectionLimits) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let app = Router::new().route("/healthz", get(|| async { "ok" }));
    let settings = ServerSettings {
        limits,
        header_read_timeout: Duration::from_secs(10),
    };
    tokio::spawn(serve(listener, app, settings, std::future::pending()));
    addr
}

/// Time is paused: it jumps to the server's deadline as soon as everybody waits.
#[tokio::test(start_paused = true)]
async fn a_header_never_finished_is_cut_at_the_deadline() {
    let addr = tiny_server(ConnectionLimits {
        total: 100,
        per_address: 10,
    })
    .await;
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(HALF_A_REQUEST).await.unwrap();
    let started = tokio::time::Instant::now();
    let mut buffer = [0u8; 256];
    let read = tokio::time::timeout(Duration::from_secs(120), slow.read(&mut buffer)).await;
    let waited = started.elapsed();
    let ended = match read {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        Ok(Ok(n)) => String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 408"),
        Err(_) => false,
    };
    assert!(ended, "the connection was left open for {waited:?}");
    assert!(
        (Duration::from_secs(10)..Duration::from_secs(12)).contains(&waited),
        "cut after {waited:?}"
    );
}

#[tokio::test]
async fn one_address_holding_idle_connections_makes_room_for_a_request() {
    let addr = tiny_server(ConnectionLimits {
        total: 1000,
        per_address: 50,
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..200 {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream.write_all(HALF_A_REQUEST).await.unwrap();
        idle.push(stream);
    }
    let (status, body) = tokio::time::timeout(Duration::from_secs(1), http_get(&addr, "/healthz"))
        .await
        .expect("answered within a second");
    assert_eq!((status, body.as_str()), (200, "ok"));
    // The oldest idle ones were closed for the newcomers: 50 at most remain,
    // the latest (the probe made room by closing one more).
    for (i, stream) in idle.iter_mut().take(150).enumerate() {
        let mut byte = [0u8; 1];
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut byte)).await;
        assert!(
            matches!(read, Ok(Ok(0) | Err(_))),
            "idle connection {i} was left open"
        );
    }
}

/// The real binary, with many idle half-open connections (2,000 in CI;
/// `CONSILIUM_TEST_SLOW_CLIENTS` sets another count) from the same address
/// as the probe: `/healthz` still answers within a second.
#[tokio::test]
async fn healthz_answers_through_a_crowd_of_idle_connections() {
    let count: usize = std::env::var("CONSILIUM_TEST_SLOW_CLIENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&sqlite_flags(dir.path()), &[]).await;
    let mut idle = Vec::with_capacity(count);
    let opened = Instant::now();
    for _ in 0..count {
        let Ok(mut stream) = TcpStream::connect(&server.addr).await else {
            continue; // refused at the door: that is allowed too
        };
        let _ = stream.write_all(HALF_A_REQUEST).await;
        idle.push(stream);
    }
    let opening = opened.elapsed();
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let asked = Instant::now();
        let (status, _) =
            tokio::time::timeout(Duration::from_secs(5), http_get(&server.addr, "/healthz"))
                .await
                .expect("healthz answered");
        assert_eq!(status, 200);
        slowest = slowest.max(asked.elapsed());
    }
    println!("{count} idle connections opened in {opening:?}; slowest of 5 /healthz: {slowest:?}");
    assert!(
        slowest < Duration::from_secs(1),
        "/healthz took {slowest:?}"
    );
    drop(idle);
    assert!(server.stop().await.0);
}
