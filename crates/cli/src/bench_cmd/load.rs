//! What the benches watch and add beside their load: the server's resident memory and thread
//! count sampled from `/proc/PID/status` ([`StatusSampler`]), and a CPU hog ([`CpuHog`]) that
//! keeps the machine busy the way other work on a shared host does.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often [`StatusSampler`] reads `/proc/PID/status`.
pub const SAMPLE_INTERVAL: Duration = Duration::from_millis(5);

/// One reading of `/proc/PID/status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProcStatus {
    /// `VmRSS` in KiB.
    pub rss_kib: u64,
    /// `Threads`.
    pub threads: u64,
}

impl ProcStatus {
    /// Reads the process's status; `None` once it is gone.
    pub fn read(pid: u32) -> Option<ProcStatus> {
        let text = std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).ok()?;
        ProcStatus::parse(&text)
    }

    /// Parses the text of `/proc/PID/status` (the `VmRSS:` and `Threads:` lines).
    pub fn parse(text: &str) -> Option<ProcStatus> {
        let field = |name: &str| -> Option<u64> {
            text.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse().ok()
        };
        Some(ProcStatus { rss_kib: field("VmRSS:")?, threads: field("Threads:").unwrap_or(0) })
    }
}

/// Samples a process's status every [`SAMPLE_INTERVAL`] on its own thread until finished and
/// keeps the peaks.
pub struct StatusSampler {
    stop: Arc<AtomicBool>,
    peak_rss: Arc<AtomicU64>,
    peak_threads: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl StatusSampler {
    /// Starts sampling `pid`.
    pub fn start(pid: u32) -> StatusSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak_rss = Arc::new(AtomicU64::new(0));
        let peak_threads = Arc::new(AtomicU64::new(0));
        let (s, r, t) = (stop.clone(), peak_rss.clone(), peak_threads.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Some(st) = ProcStatus::read(pid) {
                    r.fetch_max(st.rss_kib, Ordering::Relaxed);
                    t.fetch_max(st.threads, Ordering::Relaxed);
                }
                std::thread::sleep(SAMPLE_INTERVAL);
            }
        });
        StatusSampler { stop, peak_rss, peak_threads, thread: Some(thread) }
    }

    /// Stops sampling; the peaks seen.
    pub fn finish(mut self) -> ProcStatus {
        self.halt();
        ProcStatus {
            rss_kib: self.peak_rss.load(Ordering::Relaxed),
            threads: self.peak_threads.load(Ordering::Relaxed),
        }
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for StatusSampler {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Busy threads in the bench process, each spinning on arithmetic at normal priority until
/// the hog is dropped: the scheduler shares the cores between them, the load generator and the
/// server, as on a host that is busy with other work (builds, other services).
pub struct CpuHog {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl CpuHog {
    /// Starts `n` busy threads (none for 0).
    pub fn start(n: usize) -> CpuHog {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..n)
            .filter_map(|i| {
                let stop = stop.clone();
                std::thread::Builder::new().name(format!("bench-hog-{i}")).spawn(move || spin(&stop)).ok()
            })
            .collect();
        CpuHog { stop, threads }
    }

    /// Busy threads running.
    pub fn threads(&self) -> usize {
        self.threads.len()
    }
}

impl Drop for CpuHog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Spins until `stop`, checking it every few thousand iterations.
fn spin(stop: &AtomicBool) {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    while !stop.load(Ordering::Relaxed) {
        for _ in 0..4096 {
            x = black_box(x.rotate_left(7) ^ x.wrapping_mul(0x2545_F491_4F6C_DD1D));
        }
    }
    black_box(x);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_status_reads_rss_and_threads() {
        let text = "Name:\toxmapi\nVmPeak:\t  9000 kB\nVmRSS:\t   12345 kB\nThreads:\t7\n";
        assert_eq!(ProcStatus::parse(text), Some(ProcStatus { rss_kib: 12345, threads: 7 }));
        assert_eq!(ProcStatus::parse("Name:\tx\n"), None);
        let own = ProcStatus::read(std::process::id()).expect("own /proc status");
        assert!(own.rss_kib > 0 && own.threads >= 1);
    }

    /// Threads of this process named `bench-hog-…`, once there are `want` of them (a thread
    /// names itself as it starts) or 5 s passed.
    fn hog_threads(want: usize) -> usize {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let n = std::fs::read_dir("/proc/self/task")
                .unwrap()
                .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
                .filter(|name| name.starts_with("bench-hog-"))
                .count();
            if n == want || std::time::Instant::now() > deadline {
                return n;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn the_hog_runs_its_threads_and_stops_when_dropped() {
        let hog = CpuHog::start(2);
        assert_eq!(hog.threads(), 2);
        assert_eq!(hog_threads(2), 2);
        drop(hog);
        assert_eq!(hog_threads(0), 0);
        assert_eq!(CpuHog::start(0).threads(), 0);
    }

    #[test]
    fn the_sampler_keeps_the_peak() {
        let s = StatusSampler::start(std::process::id());
        std::thread::sleep(SAMPLE_INTERVAL * 4);
        let peak = s.finish();
        assert!(peak.rss_kib > 0 && peak.threads >= 2, "{peak:?}");
    }
}
