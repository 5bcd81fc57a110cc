//! Accept failures (EMFILE/ENFILE when descriptors run out, ECONNABORTED…): the accept loop
//! backs off instead of spinning, and warns at most once per [`WARN_INTERVAL`] with the number
//! of failures since the last warning, instead of one line per failure.

use std::time::{Duration, Instant};

/// Least time between two accept-failure warnings.
pub const WARN_INTERVAL: Duration = Duration::from_secs(10);
/// First pause after a failed accept; doubled on each further failure in a row.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(10);
/// Longest pause after a failed accept.
pub const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// What to do after a failed accept.
#[derive(Debug, PartialEq, Eq)]
pub struct AfterFailure {
    /// Failures to report now (the one just seen and those suppressed since the last warning);
    /// `None`: stay quiet.
    pub warn: Option<u64>,
    /// How long to pause before accepting again.
    pub pause: Duration,
}

/// Accept failures in a row, and when they were last reported.
#[derive(Debug, Default)]
pub struct AcceptFailures {
    in_a_row: u32,
    unreported: u64,
    last_warning: Option<Instant>,
}

impl AcceptFailures {
    /// Records a failure at `now`.
    pub fn failed(&mut self, now: Instant) -> AfterFailure {
        self.unreported += 1;
        let pause = FIRST_BACKOFF.saturating_mul(1u32 << self.in_a_row.min(10)).min(MAX_BACKOFF);
        self.in_a_row = self.in_a_row.saturating_add(1);
        let due = self.last_warning.is_none_or(|t| now.duration_since(t) >= WARN_INTERVAL);
        let warn = due.then(|| {
            self.last_warning = Some(now);
            std::mem::take(&mut self.unreported)
        });
        AfterFailure { warn, pause }
    }

    /// Records a successful accept; returns the failures not yet reported, if any.
    pub fn succeeded(&mut self) -> Option<u64> {
        self.in_a_row = 0;
        (self.unreported > 0).then(|| std::mem::take(&mut self.unreported))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_failures_while_descriptors_are_exhausted_warn_once_per_interval_with_a_count() {
        let mut f = AcceptFailures::default();
        let t0 = Instant::now();
        let first = f.failed(t0);
        assert_eq!(first.warn, Some(1));
        assert_eq!(first.pause, FIRST_BACKOFF);
        // 500 more failures within the interval: no warning, and the pause grows to the cap.
        let mut last = first;
        for i in 1..=500u64 {
            last = f.failed(t0 + Duration::from_millis(i));
            assert_eq!(last.warn, None);
        }
        assert_eq!(last.pause, MAX_BACKOFF);
        let later = f.failed(t0 + WARN_INTERVAL + Duration::from_millis(1));
        assert_eq!(later.warn, Some(501));
        f.failed(t0 + WARN_INTERVAL + Duration::from_millis(2));
        assert_eq!(f.succeeded(), Some(1));
        assert_eq!(f.succeeded(), None);
        assert_eq!(f.failed(t0 + WARN_INTERVAL * 3).pause, FIRST_BACKOFF);
    }
}
