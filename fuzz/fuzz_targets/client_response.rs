//! The client against a hostile server: the fuzzed bytes are the whole HTTP response a server on
//! 127.0.0.1 sends to every request of the client (hyper's response parser, then our
//! authentication choice and NTLM challenge handling, cookies, X-ResponseCode, the
//! PROCESSING/PENDING/DONE stream, the response bodies of Autodiscover, Connect, Execute,
//! NotificationWait and NSPI Bind). Every call must end — with a result or an error — within
//! its deadline, and never panic.
#![no_main]
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use oxmapi_client::transport::{
    Auth, ClientIdentity, Credentials, EmsmdbClient, Endpoint, MapiHttp, NspiClient, TlsOptions, autodiscover,
    block_on,
};
use oxmapi_wire::mapihttp::emsmdb::ConnectRequest;
use oxmapi_wire::mapihttp::nspi::Stat;

/// Answers every request with `answer`, then closes the connection.
fn fake_server(answer: Arc<Mutex<Vec<u8>>>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming().flatten() {
            let _ = c.set_read_timeout(Some(Duration::from_secs(1)));
            let mut r = BufReader::new(c);
            let mut len = 0usize;
            let mut line = String::new();
            while r.read_line(&mut line).is_ok_and(|n| n > 0) {
                if line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0u8; len.min(1 << 20)];
            let _ = r.read_exact(&mut body);
            let bytes = answer.lock().unwrap().clone();
            let mut c = r.into_inner();
            let _ = c.write_all(&bytes);
        }
    });
    port
}

fn answer() -> (&'static Arc<Mutex<Vec<u8>>>, u16) {
    static SERVER: std::sync::OnceLock<(Arc<Mutex<Vec<u8>>>, u16)> = std::sync::OnceLock::new();
    let s = SERVER.get_or_init(|| {
        let a = Arc::new(Mutex::new(Vec::new()));
        let port = fake_server(a.clone());
        (a, port)
    });
    (&s.0, s.1)
}

fn transport(url: String) -> MapiHttp {
    let creds = Credentials { user: "alice".into(), domain: String::new(), password: "Secret-1".into() };
    let mut http =
        MapiHttp::new(Endpoint::new(url), creds, Auth::Auto, TlsOptions::default(), ClientIdentity::new("Outlook/16.0.0.0"));
    http.set_request_timeout(Duration::from_secs(2));
    http
}

fuzz_target!(init: ignore_sigpipe(), |data: &[u8]| {
    let (slot, port) = answer();
    *slot.lock().unwrap() = data.to_vec();
    let base = format!("http://127.0.0.1:{port}");
    block_on(async {
        let creds = Credentials { user: "alice".into(), domain: String::new(), password: "Secret-1".into() };
        let _ = tokio::time::timeout(
            Duration::from_secs(5),
            autodiscover(&base, &creds, Auth::Auto, &TlsOptions::default(), "alice@example.test"),
        )
        .await
        .expect("Autodiscover ends within its deadline");
        let mut ems = EmsmdbClient::new(transport(format!("{base}/mapi/emsmdb/")));
        let connect = ConnectRequest {
            user_dn: "/o=x/ou=y/cn=Recipients/cn=alice".into(),
            flags: 0,
            default_code_page: 1252,
            lcid_sort: 1033,
            lcid_string: 1033,
            auxiliary_buffer: Vec::new(),
        };
        let within = Duration::from_secs(5);
        let _ = tokio::time::timeout(within, ems.connect(&connect)).await.expect("Connect ends");
        let _ = tokio::time::timeout(within, ems.execute(&[], &[], 0x8000)).await.expect("Execute ends");
        let mut nspi = NspiClient::new(transport(format!("{base}/mapi/nspi/")));
        let _ = tokio::time::timeout(within, nspi.bind(0, Stat::default())).await.expect("Bind ends");
    });
});

/// libFuzzer's `main` is not Rust's, so SIGPIPE keeps its default action (end the process)
/// here; a write to a socket the peer closed must be an error, as in every Rust program.
fn ignore_sigpipe() {
    // SAFETY: setting a signal's disposition to SIG_IGN at start, before any thread runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}
