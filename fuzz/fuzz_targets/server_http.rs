//! The server's HTTP front end as an attacker meets it: the fuzzed bytes are everything a client
//! sends on one connection to a real `oxmapi serve` running in this process on 127.0.0.1 —
//! request heads (hyper's parser, then our routing, header reading, cookies, authentication
//! with Basic/NTLM/Negotiate tokens, Autodiscover, MAPI/HTTP request types and bodies). When the
//! first byte is odd, a valid `Authorization` line is inserted after the request line, so that
//! the fuzzer also reaches the authenticated handlers. The server must answer or close; a
//! panic in any of its tasks aborts the process.
#![no_main]
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;

fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                let dir = tempfile::tempdir().unwrap().keep();
                let data = oxmapi_store::Site::open(&dir).unwrap();
                data.add_user(&oxmapi_store::NewUser {
                    name: "alice".into(),
                    display_name: Some("Alice".into()),
                    email: Some("alice@example.test".into()),
                    password: "Secret-1".into(),
                    ..Default::default()
                })
                .unwrap();
                let cfg = oxmapi_server::ServerConfig::new(dir, "127.0.0.1:0".parse().unwrap());
                let server = oxmapi_server::Server::start(cfg).await.unwrap();
                tx.send(server.addr).unwrap();
                std::future::pending::<()>().await;
            });
        });
        rx.recv().unwrap()
    })
}

fuzz_target!(init: ignore_sigpipe(), |data: &[u8]| {
    let addr = server();
    let mut bytes = data.to_vec();
    if data.first().is_some_and(|b| b & 1 == 1)
        && let Some(end) = bytes.windows(2).position(|w| w == b"\r\n")
    {
        // alice:Secret-1
        let line = b"\r\nAuthorization: Basic YWxpY2U6U2VjcmV0LTE=";
        bytes.splice(end..end, line.iter().copied());
    }
    let Ok(mut s) = TcpStream::connect(addr) else { return };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = s.write_all(&bytes);
    let _ = s.shutdown(Shutdown::Write);
    let mut sink = [0u8; 65536];
    let mut total = 0usize;
    while let Ok(n) = s.read(&mut sink) {
        if n == 0 {
            break;
        }
        total += n;
        assert!(total < 64 << 20, "a response of more than 64 MiB to {} request bytes", data.len());
    }
});

/// libFuzzer's `main` is not Rust's, so SIGPIPE keeps its default action (end the process)
/// here; a write to a socket the peer closed must be an error, as in every Rust program.
fn ignore_sigpipe() {
    // SAFETY: setting a signal's disposition to SIG_IGN at start, before any thread runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}
