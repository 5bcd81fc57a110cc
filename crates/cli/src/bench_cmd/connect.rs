//! `oxmapi bench connect`: the end-to-end benchmark of the MAPI/HTTP front end. It starts
//! `oxmapi serve` as a child process on a temporary data directory, then for each concurrency
//! level measures Connect + RopLogon latency and Execute round trips per second of
//! RopGetPropertiesSpecific on the store, the server's resident memory before, at the peak of
//! and a settling time after each level's load — optionally with a CPU hog beside it
//! ([`CpuHog`]) — and its resident memory per idle session.
//!
//! With `--nodes N` (on PostgreSQL, [`super::nodes`]) N servers share the site and the sessions
//! are spread round-robin over them; the memory figures are then the largest of the nodes' (the
//! goals hold per process), with each node's beside them.

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
use super::nodes::{Nodes, require_site_for, round_robin};
use super::{PASSWORD, USER, cores, fail, ms, new_data_dir, percentile};

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
    /// `oxmapi serve --node-id` processes on one PostgreSQL site (more than 1 needs
    /// OXMAPI_BENCH_DATABASE); the sessions are spread round-robin over them.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub nodes: usize,
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
    /// Every node's base URL; session `i` goes to node [`round_robin`]`(i)`.
    urls: Vec<String>,
    dn: String,
}

/// One benchmark session: Connect + RopLogon, then RopGetPropertiesSpecific on the logon.
struct Sess {
    client: EmsmdbClient,
    handle: u32,
}

const TAGS: [PropTag; 3] = [PropTag(0x3001_001F), PropTag(0x340D_0003), PropTag(0x661C_001F)];

impl Bench {
    /// Session `i`: Connect + RopLogon on its node; the time both took.
    async fn open(&self, i: usize) -> Result<(Sess, Duration), String> {
        let url = &self.urls[round_robin(i, self.urls.len())];
        let http = MapiHttp::new(
            Endpoint::new(format!("{url}/mapi/emsmdb/")),
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
    for i in 0..n {
        let b = bench.clone();
        tasks.push(tokio::spawn(async move { b.open(i).await }));
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

/// Every node's `/proc` status, or why one cannot be read.
fn read_all(pids: &[u32]) -> Result<Vec<ProcStatus>, String> {
    pids.iter()
        .map(|&p| ProcStatus::read(p).ok_or_else(|| format!("cannot read /proc status of node pid {p}")))
        .collect()
}

/// A level's load with the servers' memory around it: the readings before, the peaks while the
/// load ran and for `settle` after it, and the readings once settled. The figures are the
/// largest node's; with several nodes each node's are listed too.
async fn level_with_memory(
    bench: &std::sync::Arc<Bench>,
    pids: &[u32],
    idle: &[ProcStatus],
    n: usize,
    seconds: u64,
    settle: Duration,
) -> Result<Node, String> {
    let before = read_all(pids)?;
    let samplers: Vec<StatusSampler> = pids.iter().map(|&p| StatusSampler::start(p)).collect();
    let load = level(bench, n, seconds).await?;
    tokio::time::sleep(settle).await;
    let peak: Vec<ProcStatus> = samplers.into_iter().map(StatusSampler::finish).collect();
    let after = read_all(pids)?;
    let peak_rss: Vec<u64> =
        (0..pids.len()).map(|i| peak[i].rss_kib.max(before[i].rss_kib).max(after[i].rss_kib)).collect();
    let growth: Vec<u64> =
        (0..pids.len()).map(|i| after[i].rss_kib.saturating_sub(idle[i].rss_kib)).collect();
    let most = |f: &dyn Fn(usize) -> u64| (0..pids.len()).map(f).max().unwrap_or(0);
    let peak_max = most(&|i| peak_rss[i]);
    let growth_max = most(&|i| growth[i]);
    let Node::Map(mut fields) = load else { return Err("level figures are not a map".into()) };
    fields.extend([
        ("server_rss_before_kib".to_string(), Node::Int(most(&|i| before[i].rss_kib) as i128)),
        ("server_rss_peak_kib".to_string(), Node::Int(peak_max as i128)),
        ("server_rss_after_settle_kib".to_string(), Node::Int(most(&|i| after[i].rss_kib) as i128)),
        ("server_rss_after_minus_idle_kib".to_string(), Node::Int(growth_max as i128)),
        ("server_threads_before".to_string(), Node::Int(most(&|i| before[i].threads) as i128)),
        (
            "server_threads_peak".to_string(),
            Node::Int(most(&|i| peak[i].threads.max(before[i].threads)) as i128),
        ),
        ("server_threads_after_settle".to_string(), Node::Int(most(&|i| after[i].threads) as i128)),
        ("peak_under_64mb".to_string(), Node::Bool(peak_max < PEAK_GOAL_KIB)),
        ("settled_within_10mb_of_idle".to_string(), Node::Bool(growth_max <= SETTLED_GOAL_KIB)),
    ]);
    if pids.len() > 1 {
        let per_node = (0..pids.len())
            .map(|i| {
                Node::map([
                    ("node", Node::Int(i as i128 + 1)),
                    ("rss_before_kib", Node::Int(before[i].rss_kib as i128)),
                    ("rss_peak_kib", Node::Int(peak_rss[i] as i128)),
                    ("rss_after_settle_kib", Node::Int(after[i].rss_kib as i128)),
                ])
            })
            .collect();
        fields.push(("per_node".to_string(), Node::List(per_node)));
    }
    Ok(Node::Map(fields))
}

/// Memory per idle session: `n` sessions opened round-robin over the nodes and held; the
/// growth of all nodes together divided by `n`.
async fn idle_memory(bench: &std::sync::Arc<Bench>, pids: &[u32], n: usize) -> Result<Node, String> {
    // Warm every node (allocator, caches) with one session first.
    for i in 0..pids.len() {
        let (mut warm, _) = bench.open(i).await?;
        let _ = warm.client.disconnect().await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let total = |s: Vec<ProcStatus>| s.iter().map(|s| s.rss_kib).sum::<u64>();
    let before = total(read_all(pids)?);
    let mut held = Vec::new();
    for i in 0..n {
        held.push(bench.open(i).await?.0);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = total(read_all(pids)?);
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
    require_site_for(args.nodes, "--nodes")?;
    let max = args.sessions.iter().copied().max().unwrap_or(1).max(args.idle) + 8 * args.nodes;
    let (dir, user) = new_data_dir(max)?;
    let nodes = Nodes::start(dir.path(), args.nodes)?;
    let pids = nodes.pids();
    let bench = std::sync::Arc::new(Bench { urls: nodes.urls(), dn: user.legacy_dn });
    let rt =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| fail(e.to_string()))?;
    let hog_threads = args.hog_threads();
    let settle = Duration::from_secs(args.settle);
    let result: Result<Node, String> = rt.block_on(async {
        // Warm every node (allocator, caches, the argon2id check) with one session, start the
        // hog and let both settle before the idle reading.
        for i in 0..pids.len() {
            let (mut warm, _) = bench.open(i).await?;
            let _ = warm.client.disconnect().await;
        }
        let hog = CpuHog::start(hog_threads);
        let hog_running = hog.threads();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let idle = read_all(&pids)?;
        let mut levels = Vec::new();
        for &n in &args.sessions {
            progress!(
                "bench: {n} concurrent session(s){} for {} s, then {} s to settle{}",
                if pids.len() > 1 { format!(" over {} nodes", pids.len()) } else { String::new() },
                args.seconds,
                args.settle,
                if hog_threads > 0 {
                    format!(", {hog_threads} busy thread(s) beside")
                } else {
                    String::new()
                }
            );
            levels.push(level_with_memory(&bench, &pids, &idle, n, args.seconds, settle).await?);
        }
        drop(hog);
        let mut out = vec![
            ("server", Node::str(bench.urls[0].clone())),
            ("nodes", Node::Int(pids.len() as i128)),
            ("machine_cores", cores()),
            ("hog_threads", Node::Int(hog_running as i128)),
            ("settle_seconds", Node::Int(args.settle as i128)),
            ("server_rss_idle_kib", Node::Int(idle.iter().map(|s| s.rss_kib).max().unwrap_or(0) as i128)),
            ("server_threads_idle", Node::Int(idle.iter().map(|s| s.threads).max().unwrap_or(0) as i128)),
            ("levels", Node::List(levels)),
        ];
        if pids.len() > 1 {
            out.push(("server_rss_idle_per_node", super::nodes::rss_per_node(&idle)));
        }
        if args.idle > 0 {
            out.push(("memory", idle_memory(&bench, &pids, args.idle).await?));
        }
        Ok(Node::map(out))
    });
    drop(nodes);
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
