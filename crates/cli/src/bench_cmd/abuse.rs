//! `oxmapi bench abuse`: unauthenticated denial of service against a server it starts, while a
//! real client logs on (issue 14 "Done when"). It holds N half-open connections (each sent part
//! of a request head and then nothing) and sends R requests without credentials, each with its
//! own made-up `X-RequestType`; meanwhile the bench user logs on and lists its Inbox through the
//! client library. It prints the logon latency (under abuse, and unloaded for comparison) and
//! the server's resident memory: idle, peak and after.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::PR_SUBJECT;
use oxmapi_wire::describe::Node;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::load::StatusSampler;
use super::rng::Rng;
use super::{BenchSession, ChildServer, cores, fail, ms, new_data_dir, rss_kib};

/// Options of `oxmapi bench abuse`.
#[derive(clap::Args)]
pub struct BenchAbuseArgs {
    /// Half-open unauthenticated connections opened (and held) against the server.
    #[arg(long, default_value_t = 5000)]
    pub connections: usize,
    /// Unauthenticated requests sent, each with its own random X-RequestType.
    #[arg(long, default_value_t = 20_000)]
    pub request_types: usize,
}

/// Connections that send the unauthenticated requests, each one request at a time.
const FLOOD_CONNECTIONS: usize = 8;
/// Tasks that open the half-open connections.
const OPENERS: usize = 16;
/// The Done-when bounds of issue 14.
const LOGON_BOUND: Duration = Duration::from_secs(2);
const RSS_BOUND_KIB: u64 = 50 * 1024;

/// Logs the bench user on and lists the first rows of its Inbox; returns how long it took.
fn logon_and_list_inbox(url: &str) -> Result<(Duration, usize), MapiError> {
    let started = Instant::now();
    let s = BenchSession::logon(url)?;
    let row =
        s.session.msg_stores_table().into_iter().find(|r| r.default_store).ok_or_else(|| fail("no store"))?;
    let store = s.session.open_msg_store(&row.entry_id)?;
    let (inbox, _) = store.receive_folder("IPM.Note")?;
    let mut table = store.open_folder(inbox)?.contents_table(false)?;
    table.set_columns(&[PR_SUBJECT])?;
    let rows = table.query_rows(50, true)?;
    Ok((started.elapsed(), rows.len()))
}

/// Opens `n` connections that each send part of a request head and stop.
async fn open_half(addr: &str, n: usize) -> (Vec<TcpStream>, usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..OPENERS {
        let addr = addr.to_string();
        let share = n / OPENERS + usize::from(i < n % OPENERS);
        tasks.spawn(async move {
            let (mut held, mut failed) = (Vec::with_capacity(share), 0usize);
            for _ in 0..share {
                match TcpStream::connect(&addr).await {
                    Ok(mut s) => {
                        let _ = s.write_all(b"POST /mapi/emsmdb/ HTTP/1.1\r\nHost: x\r\nX-Slow: ").await;
                        held.push(s);
                    }
                    Err(_) => failed += 1,
                }
            }
            (held, failed)
        });
    }
    let (mut all, mut failed) = (Vec::with_capacity(n), 0);
    while let Some(Ok((held, f))) = tasks.join_next().await {
        all.extend(held);
        failed += f;
    }
    (all, failed)
}

/// Reads one HTTP response (head and Content-Length body) from `s`; returns its status.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> Option<u16> {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let status = head.split_whitespace().nth(1)?.parse().ok()?;
            let length: usize = head
                .lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = s.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
                buf.extend_from_slice(&chunk[..n]);
            }
            buf.drain(..end + 4 + length);
            return Some(status);
        }
        let n = s.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Sends `n` unauthenticated POSTs with random X-RequestType values on kept-alive connections
/// (reconnecting when the server closes one); returns (answered 401, other outcomes).
async fn flood(addr: String, n: usize, seed: u64, sent: Arc<AtomicUsize>) -> (usize, usize) {
    let mut rng = Rng(seed | 1);
    let (mut refused, mut other) = (0, 0);
    let mut conn: Option<TcpStream> = None;
    let mut buf = Vec::new();
    for _ in 0..n {
        let s = match &mut conn {
            Some(s) => s,
            None => match TcpStream::connect(&addr).await {
                Ok(s) => {
                    buf.clear();
                    conn.insert(s)
                }
                Err(_) => {
                    other += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let req = format!(
            "POST /mapi/emsmdb/ HTTP/1.1\r\nHost: x\r\nX-RequestType: t{:016x}\r\n\
             Content-Type: application/mapi-http\r\nContent-Length: 0\r\n\r\n",
            rng.next()
        );
        let status = match s.write_all(req.as_bytes()).await {
            Ok(()) => read_response(s, &mut buf).await,
            Err(_) => None,
        };
        sent.fetch_add(1, Ordering::Relaxed);
        match status {
            Some(401) => refused += 1,
            Some(_) => other += 1,
            None => {
                other += 1;
                conn = None;
            }
        }
    }
    (refused, other)
}

/// GET on the server; the body, empty on failure.
async fn get(addr: &str, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr).await else { return String::new() };
    let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).await.is_err() {
        return String::new();
    }
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out);
    text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
}

/// The value of an unlabelled (or fully spelt) series in a Prometheus text exposition.
fn series(metrics: &str, name: &str) -> Node {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|v| Node::Int(v as i128))
        .unwrap_or(Node::Null)
}

fn mib(kib: u64) -> Node {
    Node::Float((kib as f64 / 1024.0 * 10.0).round() / 10.0)
}

/// Runs `oxmapi bench abuse`.
pub fn run(args: &BenchAbuseArgs) -> Result<Node, MapiError> {
    let nofile = oxmapi_server::http::fdlimit::raise_to_hard_limit().unwrap_or(1024);
    let needed = (args.connections + FLOOD_CONNECTIONS + 64) as u64;
    if nofile < needed {
        return Err(fail(format!(
            "--connections {} needs about {needed} descriptors in this process; the limit is {nofile} \
             (raise `ulimit -Hn`)",
            args.connections
        )));
    }
    let (dir, _) = new_data_dir(8)?;
    let server = ChildServer::start(dir.path())?;
    let pid = server.pid();
    let addr = server.url.trim_start_matches("http://").to_string();
    std::thread::sleep(Duration::from_millis(300));
    let rss_idle = rss_kib(pid).unwrap_or(0);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| fail(e.to_string()))?;
    let metrics_before = rt.block_on(get(&addr, "/metrics")).len();
    let (unloaded, _) = logon_and_list_inbox(&server.url)?;
    let rss_after_logon = rss_kib(pid).unwrap_or(0);

    let sampler = StatusSampler::start(pid);
    let started = Instant::now();
    let (half_open, open_failed) = rt.block_on(open_half(&addr, args.connections));
    let opened_in = started.elapsed();
    let sent = Arc::new(AtomicUsize::new(0));
    let seed = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7);
    let floods: Vec<_> = (0..FLOOD_CONNECTIONS)
        .map(|i| {
            let share = args.request_types / FLOOD_CONNECTIONS
                + usize::from(i < args.request_types % FLOOD_CONNECTIONS);
            rt.spawn(flood(addr.clone(), share, seed.wrapping_add(i as u64 * 0x9E37_79B9), sent.clone()))
        })
        .collect();
    // The real client logs on while the requests pour in (once a tenth of them are answered)
    // and the half-open connections hang.
    let deadline = Instant::now() + Duration::from_secs(30);
    while sent.load(Ordering::Relaxed) < args.request_types / 10 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    let sent_before = sent.load(Ordering::Relaxed);
    let under_abuse = logon_and_list_inbox(&server.url);
    let during_logon = sent.load(Ordering::Relaxed) - sent_before;
    let (refused, other) = rt.block_on(async {
        let mut total = (0, 0);
        for f in floods {
            if let Ok((r, o)) = f.await {
                total = (total.0 + r, total.1 + o);
            }
        }
        total
    });
    let flood_took = started.elapsed();
    let metrics_text = rt.block_on(get(&addr, "/metrics"));
    let rss_peak = sampler.finish().rss_kib.max(rss_after_logon).max(rss_idle);
    drop(half_open);
    std::thread::sleep(Duration::from_secs(1));
    let rss_after = rss_kib(pid).unwrap_or(0);
    let (logon, rows) = under_abuse?;
    let growth = rss_peak.saturating_sub(rss_idle);
    Ok(Node::map([
        ("server", Node::str(server.url.clone())),
        ("cores", cores()),
        ("half_open_connections", Node::Int(args.connections as i128)),
        ("half_open_failed_to_open", Node::Int(open_failed as i128)),
        ("half_open_opened_ms", ms(opened_in)),
        ("unauthenticated_requests", Node::Int(args.request_types as i128)),
        ("unauthenticated_answered_401", Node::Int(refused as i128)),
        ("unauthenticated_other_outcomes", Node::Int(other as i128)),
        ("unauthenticated_requests_during_logon", Node::Int(during_logon as i128)),
        ("abuse_ms", ms(flood_took)),
        ("logon_and_inbox_ms_unloaded", ms(unloaded)),
        ("logon_and_inbox_ms_under_abuse", ms(logon)),
        ("inbox_rows", Node::Int(rows as i128)),
        ("rss_idle_mib", mib(rss_idle)),
        ("rss_after_first_logon_mib", mib(rss_after_logon)),
        ("rss_peak_mib", mib(rss_peak)),
        ("rss_after_mib", mib(rss_after)),
        ("rss_growth_mib", mib(growth)),
        ("metrics_bytes_before", Node::Int(metrics_before as i128)),
        ("metrics_bytes_after", Node::Int(metrics_text.len() as i128)),
        (
            "server_closed_connections",
            Node::map([
                ("evicted", series(&metrics_text, r#"oxmapi_connections_closed_total{reason="evicted"}"#)),
                (
                    "unauthenticated_idle",
                    series(
                        &metrics_text,
                        r#"oxmapi_connections_closed_total{reason="unauthenticated_idle"}"#,
                    ),
                ),
                (
                    "header_timeout",
                    series(&metrics_text, r#"oxmapi_connections_closed_total{reason="header_timeout"}"#),
                ),
                ("refused", series(&metrics_text, r#"oxmapi_connections_closed_total{reason="refused"}"#)),
            ]),
        ),
        ("logon_within_2s", Node::Bool(logon < LOGON_BOUND)),
        ("rss_within_50mb_of_idle", Node::Bool(growth < RSS_BOUND_KIB)),
    ]))
}
