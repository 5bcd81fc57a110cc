//! What a bench reads about a process from `/proc` (Linux): CPU time, peak RSS, open
//! descriptors and the descriptor limit. `None` where `/proc` is not there.

use std::path::PathBuf;
use std::time::Duration;

fn proc_dir(pid: Option<u32>) -> PathBuf {
    match pid {
        Some(p) => PathBuf::from("/proc").join(p.to_string()),
        None => PathBuf::from("/proc/self"),
    }
}

/// User + system CPU time of process `pid` (`None`: this process) so far.
pub fn cpu_time(pid: Option<u32>) -> Option<Duration> {
    let stat = std::fs::read_to_string(proc_dir(pid).join("stat")).ok()?;
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 (utime) and 15 (stime) of proc(5); `rest` starts at field 3.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let hz = if hz > 0 { hz as u64 } else { 100 };
    Some(Duration::from_micros(ticks * 1_000_000 / hz))
}

/// The peak resident set (`VmHWM`) of process `pid` (`None`: this process) in KiB; `None` once
/// it has exited. Unlike `ru_maxrss` it starts afresh at exec(2).
pub fn peak_rss_kib(pid: Option<u32>) -> Option<u64> {
    let status = std::fs::read_to_string(proc_dir(pid).join("status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// Descriptors process `pid` has open (`None`: this process): sockets and the rest.
pub fn open_fds(pid: Option<u32>) -> Option<Fds> {
    let mut fds = Fds::default();
    for e in std::fs::read_dir(proc_dir(pid).join("fd")).ok()?.flatten() {
        match std::fs::read_link(e.path()) {
            Ok(t) if t.to_string_lossy().starts_with("socket:") => fds.sockets += 1,
            _ => fds.other += 1,
        }
    }
    Some(fds)
}

/// Open descriptors by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fds {
    /// Sockets (connections and listeners).
    pub sockets: usize,
    /// Files, pipes and the rest.
    pub other: usize,
}

impl Fds {
    /// All of them.
    pub fn total(&self) -> usize {
        self.sockets + self.other
    }
}

/// The soft and hard "Max open files" of process `pid` (`None`: this process).
pub fn fd_limits(pid: Option<u32>) -> Option<(u64, u64)> {
    let limits = std::fs::read_to_string(proc_dir(pid).join("limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let mut n = line["Max open files".len()..].split_whitespace();
    let soft = n.next()?.parse().ok()?;
    let hard = n.next()?.parse().ok()?;
    Some((soft, hard))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_readable() {
        if !std::path::Path::new("/proc/self/stat").exists() {
            return;
        }
        assert!(cpu_time(None).is_some());
        assert!(peak_rss_kib(None).unwrap() > 0);
        assert!(open_fds(None).unwrap().total() >= 3);
        let (soft, hard) = fd_limits(None).unwrap();
        assert!(soft <= hard);
    }
}
