//! The progress of an import or export: a bar with items/s and ETA on a terminal (stderr),
//! nothing otherwise (scripts and `--json` read the closing summary).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

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
            let style =
                ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {rate} ETA {eta} {wide_msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.1} items/s", s.per_sec());
                    })
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
        if self.bar.is_hidden() {
            self.bar.inc(1);
            return;
        }
        let short = std::path::Path::new(label).file_name().map(|n| n.to_string_lossy().into_owned());
        self.bar.set_message(short.unwrap_or_else(|| label.to_string()));
        self.bar.inc(1);
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
