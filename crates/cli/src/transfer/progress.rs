//! The progress of an import or export: a bar with items/s and ETA on a terminal (stderr),
//! nothing otherwise (scripts and `--json` read the closing summary).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often the bar is redrawn at most (per second).
const REDRAWS_PER_SECOND: u8 = 8;

/// A progress bar that draws only when stderr is a terminal.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar for `total` items (more may be added with [`Progress::add_total`]).
    pub fn new(total: u64, what: &str) -> Progress {
        let bar = if std::io::stderr().is_terminal() {
            let b = ProgressBar::with_draw_target(
                Some(total),
                ProgressDrawTarget::stderr_with_hz(REDRAWS_PER_SECOND),
            );
            let style = ProgressStyle::with_template(
                "{prefix} [{bar:30}] {pos}/{len} {per_sec} ETA {eta} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("#>-");
            b.set_style(style);
            b.set_prefix(what.to_string());
            b
        } else {
            ProgressBar::hidden()
        };
        Progress { bar }
    }

    /// More items to come (a PST or mbox opened).
    pub fn add_total(&self, n: u64) {
        self.bar.inc_length(n);
    }

    /// One item done; `label` names it.
    pub fn step(&self, label: &str) {
        self.bar.set_message(label.to_string());
        self.bar.inc(1);
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
