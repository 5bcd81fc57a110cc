//! `oxmapi bench connect`: the end-to-end benchmark of the MAPI/HTTP front end. It starts
//! `oxmapi serve` as a child process on a temporary data directory, then for each concurrency
//! level measures Connect + RopLogon latency and Execute round trips per second of
//! RopGetPropertiesSpecific on the store, the server's resident memory before, at the peak of
//! and a settling time after each level's load — optionally with a CPU hog beside it
//! ([`CpuHog`]) — and its resident memory per idle session.

use std::time::{Duration, Instant};

use oxmapi_client::transport::{
    Auth, ClientIdentity, Credentials, EmsmdbClient, Endpoint, MapiHttp, TlsOptions,
};
use oxmapi_core::MapiError;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::describe::Node;
use oxmapi_wire::mapihttp::emsmdb::MAX_ROP_OUT;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcprpt::GetPropertiesSpecificRequest;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use super::load::{CpuHog, ProcStatus, StatusSampler};
use super::{ChildServer, PASSWORD, USER, cores, fail, ms, new_data_dir, percentile, rss_kib};

/// Goal of issue 15 for the server's resident memory at the peak of a level's load.
pub const PEAK_GOAL_KIB: u64 = 64 * 1024;
/// Goal of issue 15 for the server's resident memory once a level's load has settled: at most
/// this much above its idle size.
pub const SETTLED_GOAL_KIB: u64 = 10 * 1024;

/// Options of `oxmapi bench connect`.
#[derive(clap::Args)]
pub struct BenchConnectArgs {
    /// Concurrency levels (sessions working at once).
    #[arg(long, value_delimiter = ',', default_value = "1,16,256")]
    pub sessions: Vec<usize>,
    /// Seconds of Execute load per level.
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Idle sessions opened to measure memory per session (0: skip).
    #[arg(long, default_value_t = 256)]
    pub idle: usize,
    /// Run a CPU hog beside the load: THREADS busy threads in the bench process (`--hog` alone:
    /// one per core), from before the idle reading until every level has settled.
    #[arg(long, value_name = "THREADS")]
    pub hog: Option<Option<usize>>,
    /// Seconds to wait after each level's load before reading the server's memory again.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub settle: u64,
}

impl BenchConnectArgs {
    /// Busy threads of the CPU hog: none without `--hog`, one per core for `--hog` alone.
    pub fn hog_threads(&self) -> usize {
        match self.hog {
            None => 0,
            Some(Some(n)) => n,
            Some(None) => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        }
    }
}

struct Bench {
    url: String,
    dn: String,
}

/// One benchmark session: Connect + RopLogon, then RopGetPropertiesSpecific on the logon.
struct Sess {
    client: EmsmdbClient,
    handle: u32,
}

const TAGS: [PropTag; 3] = [PropTag(0x3001_001F), PropTag(0x340D_0003), PropTag(0x661C_001F)];

impl Bench {
    async fn open(&self) -> Result<(Sess, Duration), String> {
        let http = MapiHttp::new(
            Endpoint::new(format!("{}/mapi/emsmdb/", self.url)),
            Credentials { user: USER.into(), domain: String::new(), password: PASSWORD.into() },
            Auth::Basic,
            TlsOptions::default(),
            ClientIdentity::new("Outlook/16.0.10000.1000"),
        );
        let mut client = EmsmdbClient::new(http);
        let t = Instant::now();
        super::connect_context(&mut client, &self.dn).await?;
        let logon = super::private_logon(&self.dn);
        let out = client.execute(&[logon], &[UNUSED_HANDLE], MAX_ROP_OUT).await.map_err(|e| e.to_string())?;
        match out.responses.first() {
            Some(RopResponse::Logon(o)) if o.return_value == 0 => {}
            other => return Err(format!("RopLogon failed: {other:?}")),
        }
        Ok((Sess { client, handle: out.handles[0] }, t.elapsed()))
    }
}

impl Sess {
    async fn get_props(&mut self) -> Result<(), String> {
        let q = RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
            logon_id: 0,
            input_handle_index: 0,
            property_size_limit: 0,
            want_unicode: 1,
            property_tags: TAGS.to_vec(),
        });
        let out = self.client.execute(&[q], &[self.handle], MAX_ROP_OUT).await.map_err(|e| e.to_string())?;
        match out.responses.first() {
            Some(RopResponse::GetPropertiesSpecific(o)) if o.return_value == 0 => Ok(()),
            other => Err(format!("RopGetPropertiesSpecific failed: {other:?}")),
        }
    }
}

async fn level(bench: &std::sync::Arc<Bench>, n: usize, seconds: u64) -> Result<Node, String> {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let b = bench.clone();
        tasks.push(tokio::spawn(async move { b.open().await }));
    }
    let mut sessions = Vec::new();
    let mut connect = Vec::new();
    for t in tasks {
        let (s, d) = t.await.map_err(|e| e.to_string())??;
        sessions.push(s);
        connect.push(d);
    }
    connect.sort();
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for mut s in sessions {
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < until {
                let t = Instant::now();
                s.get_props().await?;
                lat.push(t.elapsed());
            }
            let _ = s.client.disconnect().await;
            Ok::<_, String>(lat)
        }));
    }
    let started = Instant::now();
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.map_err(|e| e.to_string())??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    lat.sort();
    Ok(Node::map([
        ("sessions", Node::Int(n as i128)),
        ("connect_logon_p50_ms", ms(percentile(&connect, 0.5))),
        ("connect_logon_p99_ms", ms(percentile(&connect, 0.99))),
        ("execute_round_trips", Node::Int(lat.len() as i128)),
        ("execute_per_second", Node::Float((lat.len() as f64 / elapsed).round())),
        ("execute_p50_ms", ms(percentile(&lat, 0.5))),
        ("execute_p99_ms", ms(percentile(&lat, 0.99))),
    ]))
}

/// A level's load with the server's memory around it: the reading before, the peaks while the
/// load ran and for `settle` after it, and the reading once settled.
async fn level_with_memory(
    bench: &std::sync::Arc<Bench>,
    pid: u32,
    idle: ProcStatus,
    n: usize,
    seconds: u64,
    settle: Duration,
) -> Result<Node, String> {
    let before = ProcStatus::read(pid).ok_or("cannot read the server's /proc status")?;
    let sampler = StatusSampler::start(pid);
    let load = level(bench, n, seconds).await?;
    tokio::time::sleep(settle).await;
    let peak = sampler.finish();
    let after = ProcStatus::read(pid).ok_or("cannot read the server's /proc status")?;
    let peak_rss = peak.rss_kib.max(before.rss_kib).max(after.rss_kib);
    let settled_growth = after.rss_kib.saturating_sub(idle.rss_kib);
    let Node::Map(mut fields) = load else { return Err("level figures are not a map".into()) };
    fields.extend([
        ("server_rss_before_kib".to_string(), Node::Int(before.rss_kib as i128)),
        ("server_rss_peak_kib".to_string(), Node::Int(peak_rss as i128)),
        ("server_rss_after_settle_kib".to_string(), Node::Int(after.rss_kib as i128)),
        ("server_rss_after_minus_idle_kib".to_string(), Node::Int(settled_growth as i128)),
        ("server_threads_before".to_string(), Node::Int(before.threads as i128)),
        ("server_threads_peak".to_string(), Node::Int(peak.threads.max(before.threads) as i128)),
        ("server_threads_after_settle".to_string(), Node::Int(after.threads as i128)),
        ("peak_under_64mb".to_string(), Node::Bool(peak_rss < PEAK_GOAL_KIB)),
        ("settled_within_10mb_of_idle".to_string(), Node::Bool(settled_growth <= SETTLED_GOAL_KIB)),
    ]);
    Ok(Node::Map(fields))
}

async fn idle_memory(bench: &std::sync::Arc<Bench>, pid: u32, n: usize) -> Result<Node, String> {
    // Warm the server (allocator, caches) with one session first.
    let (mut warm, _) = bench.open().await?;
    let _ = warm.client.disconnect().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = rss_kib(pid).ok_or("cannot read the server's /proc status")?;
    let mut held = Vec::new();
    for _ in 0..n {
        held.push(bench.open().await?.0);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = rss_kib(pid).ok_or("cannot read the server's /proc status")?;
    for mut s in held {
        let _ = s.client.disconnect().await;
    }
    Ok(Node::map([
        ("idle_sessions", Node::Int(n as i128)),
        ("server_rss_before_kib", Node::Int(before as i128)),
        ("server_rss_after_kib", Node::Int(after as i128)),
        (
            "bytes_per_idle_session",
            Node::Int(((after.saturating_sub(before)) * 1024 / n.max(1) as u64) as i128),
        ),
    ]))
}

/// Runs `oxmapi bench connect`.
pub fn run(args: &BenchConnectArgs) -> Result<Node, MapiError> {
    let max = args.sessions.iter().copied().max().unwrap_or(1).max(args.idle) + 8;
    let (dir, user) = new_data_dir(max)?;
    let server = ChildServer::start(dir.path())?;
    let pid = server.pid();
    let bench = std::sync::Arc::new(Bench { url: server.url.clone(), dn: user.legacy_dn });
    let rt =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| fail(e.to_string()))?;
    let hog_threads = args.hog_threads();
    let settle = Duration::from_secs(args.settle);
    let result: Result<Node, String> = rt.block_on(async {
        // Warm the server (allocator, caches, the argon2id check) with one session, start the
        // hog and let both settle before the idle reading.
        let (mut warm, _) = bench.open().await?;
        let _ = warm.client.disconnect().await;
        let hog = CpuHog::start(hog_threads);
        let hog_running = hog.threads();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let idle = ProcStatus::read(pid).ok_or("cannot read the server's /proc status")?;
        let mut levels = Vec::new();
        for &n in &args.sessions {
            progress!(
                "bench: {n} concurrent session(s) for {} s, then {} s to settle{}",
                args.seconds,
                args.settle,
                if hog_threads > 0 {
                    format!(", {hog_threads} busy thread(s) beside")
                } else {
                    String::new()
                }
            );
            levels.push(level_with_memory(&bench, pid, idle, n, args.seconds, settle).await?);
        }
        drop(hog);
        let mut out = vec![
            ("server", Node::str(server.url.clone())),
            ("machine_cores", cores()),
            ("hog_threads", Node::Int(hog_running as i128)),
            ("settle_seconds", Node::Int(args.settle as i128)),
            ("server_rss_idle_kib", Node::Int(idle.rss_kib as i128)),
            ("server_threads_idle", Node::Int(idle.threads as i128)),
            ("levels", Node::List(levels)),
        ];
        if args.idle > 0 {
            out.push(("memory", idle_memory(&bench, pid, args.idle).await?));
        }
        Ok(Node::map(out))
    });
    drop(server);
    result.map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cmd {
        #[command(flatten)]
        args: BenchConnectArgs,
    }

    fn parse(argv: &[&str]) -> BenchConnectArgs {
        Cmd::try_parse_from(std::iter::once("connect").chain(argv.iter().copied())).unwrap().args
    }

    #[test]
    fn the_hog_is_off_one_thread_per_core_or_as_many_as_asked() {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let quiet = parse(&[]);
        assert_eq!((quiet.hog_threads(), quiet.settle), (0, 30));
        assert_eq!(parse(&["--hog"]).hog_threads(), cores);
        assert_eq!(parse(&["--hog", "--sessions", "16"]).hog_threads(), cores);
        let args = parse(&["--hog", "3", "--settle", "5", "--sessions", "16,256"]);
        assert_eq!((args.hog_threads(), args.settle, args.sessions), (3, 5, vec![16, 256]));
    }
}
