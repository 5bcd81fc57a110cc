//! The process's descriptor limit (RLIMIT_NOFILE): raised to its hard limit when the server
//! starts, and the source of the default connection cap (every connection holds one
//! descriptor).

/// Descriptors kept out of the connection cap: the listener, the stores' SQLite files (database,
/// WAL, shared memory per open store), logs, TLS files.
pub const FD_RESERVE: u64 = 256;
/// The connection cap is never derived below this, however low the descriptor limit.
pub const MIN_CONNECTIONS: usize = 16;
/// The connection cap is never derived above this (memory, not descriptors, is then the bound).
pub const MAX_DERIVED_CONNECTIONS: usize = 65_536;

/// Raises the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force (or
/// `None` where it cannot be read). A failure to raise leaves the old limit, which is returned.
/// Says what it did in one `info` log line (`descriptor limit`: the soft limit before and
/// after, and the hard limit), so that an operator sees how many connections the process can
/// hold (every waiting NotificationWait holds one, SECURITY.md "Limits").
#[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every target
pub fn raise_to_hard_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit/setrlimit only read and write the struct passed by pointer.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
                tracing::warn!("descriptor limit (RLIMIT_NOFILE) cannot be read");
                return None;
            }
            let before = lim.rlim_cur as u64;
            let hard = lim.rlim_max as u64;
            if lim.rlim_cur < lim.rlim_max {
                let raised = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    lim.rlim_cur = lim.rlim_max;
                    tracing::info!(
                        before,
                        soft = hard,
                        hard,
                        "descriptor limit (RLIMIT_NOFILE): soft limit raised to the hard limit"
                    );
                } else {
                    tracing::warn!(
                        soft = before,
                        hard,
                        "descriptor limit (RLIMIT_NOFILE): raising the soft limit was refused; it stays"
                    );
                }
            } else {
                tracing::info!(
                    soft = before,
                    hard,
                    "descriptor limit (RLIMIT_NOFILE): the soft limit is the hard limit"
                );
            }
        }
        Some(lim.rlim_cur as u64)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The hard RLIMIT_NOFILE (`None` where it cannot be read).
#[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every target
pub fn hard_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit only writes the struct passed by pointer.
        (unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0).then_some(lim.rlim_max as u64)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The soft RLIMIT_NOFILE in force (`None` where it cannot be read).
#[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every target
pub fn soft_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit only writes the struct passed by pointer.
        (unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0).then_some(lim.rlim_cur as u64)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The connection cap a descriptor limit allows: the limit less [`FD_RESERVE`] (less a quarter
/// of it for small limits), within [`MIN_CONNECTIONS`]..=[`MAX_DERIVED_CONNECTIONS`].
pub fn connections_for(nofile: Option<u64>) -> usize {
    let Some(n) = nofile else { return 4096 };
    let reserve = FD_RESERVE.min(n / 4);
    (n.saturating_sub(reserve).min(MAX_DERIVED_CONNECTIONS as u64) as usize).max(MIN_CONNECTIONS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_descriptors_for_the_stores() {
        assert_eq!(connections_for(Some(256)), 192);
        assert_eq!(connections_for(Some(1024)), 768);
        assert_eq!(connections_for(Some(1 << 20)), MAX_DERIVED_CONNECTIONS);
        assert_eq!(connections_for(Some(8)), MIN_CONNECTIONS);
        assert_eq!(connections_for(None), 4096);
    }

    #[test]
    fn raising_never_lowers_the_limit() {
        let before = soft_limit();
        let after = raise_to_hard_limit();
        assert!(after >= before);
    }
}
