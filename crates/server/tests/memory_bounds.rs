//! Memory that stays bounded (issue 15 item 2), on real sockets: the cap on a connection's read
//! buffer (request heads) and the allocator's memory release after requests.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::TestServer;
use oxmapi_server::http::MAX_REQUEST_HEAD;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends a MAPI/HTTP POST head with one extra header of `filler` bytes and returns what the
/// server answers until it closes the connection or 5 s pass.
async fn post_with_header_of(addr: std::net::SocketAddr, filler: usize) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /mapi/emsmdb/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/mapi-http\r\n\
         X-RequestType: Connect\r\nX-Filler: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        "a".repeat(filler)
    );
    // The server may stop reading (and close) before the whole head is written.
    let _ = s.write_all(head.as_bytes()).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// A client (or an attacker holding half-open connections) could make each connection's read
/// buffer grow to hyper's default of ~400 KB with one long header. The buffer is now capped at
/// MAX_REQUEST_HEAD: a longer head gets HTTP 431 and the connection is closed; a head of
/// ordinary size (an NTLM token and cookies: a few KB) is still read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_head_longer_than_the_cap_gets_431_and_no_more_memory() {
    let ts = TestServer::start().await;
    let huge = post_with_header_of(ts.server.addr, 3 * MAX_REQUEST_HEAD).await;
    assert!(huge.starts_with("HTTP/1.1 431"), "{}", huge.lines().next().unwrap_or(""));
    let ordinary = post_with_header_of(ts.server.addr, 16 * 1024).await;
    assert!(ordinary.starts_with("HTTP/1.1 401"), "{}", ordinary.lines().next().unwrap_or(""));
}

static RELEASES: AtomicUsize = AtomicUsize::new(0);

fn count_release() {
    RELEASES.fetch_add(1, Ordering::SeqCst);
}

/// The binary's allocator hook (`ServerConfig::release_memory`, glibc's malloc_trim in
/// `oxmapi serve`) runs after requests were answered — so that memory freed after a burst goes
/// back to the system — and stops running once the server is quiet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_allocator_releases_memory_after_requests_and_rests_when_quiet() {
    let ts = TestServer::start_with(tempfile::tempdir().unwrap(), |c| c.release_memory = Some(count_release))
        .await;
    let server = &ts.server;
    let interval = oxmapi_server::config::MEMORY_RELEASE_INTERVAL;

    tokio::time::sleep(interval + interval / 2).await;
    assert_eq!(RELEASES.load(Ordering::SeqCst), 0, "no request, nothing to release");

    let answer = post_with_header_of(server.addr, 0).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    let deadline = tokio::time::Instant::now() + interval * 5;
    while RELEASES.load(Ordering::SeqCst) == 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(RELEASES.load(Ordering::SeqCst) >= 1, "released after the request");

    // Quiet: at most the one release after the activity, then none.
    tokio::time::sleep(interval * 3).await;
    let settled = RELEASES.load(Ordering::SeqCst);
    assert!(settled <= 2, "{settled}");
    tokio::time::sleep(interval * 2).await;
    assert_eq!(RELEASES.load(Ordering::SeqCst), settled, "no release while quiet");
}
