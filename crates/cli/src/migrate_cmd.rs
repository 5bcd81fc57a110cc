//! `oxmapi admin migrate`: copies a whole site between backends (a data directory of SQLite
//! files into a PostgreSQL database, or a database into a new data directory), with a progress
//! bar, resumable, with verified row counts (the work is `oxmapi_store::migrate`).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use oxmapi_core::MapiError;
use oxmapi_store::Site;
use oxmapi_store::migrate::{self, Progress, Summary, Tally};
use oxmapi_wire::describe::Node;

use crate::admin_cmd::AdminArgs;
use crate::site::{
    PASSWORD_ENV, StoreLocation, command_line_password_warning, has_password, open_site, parse_database,
};

/// How often the progress bar is redrawn at most.
const REDRAW_EVERY: Duration = Duration::from_millis(100);
/// Width of the bar in characters.
const BAR_WIDTH: usize = 30;

/// `oxmapi admin migrate`.
#[derive(Args, Debug)]
pub struct MigrateArgs {
    /// The data directory to copy (default: `admin --data`, ./oxmapi-data).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The database to copy instead (postgres://USER@HOST:PORT/DATABASE; password from
    /// OXMAPI_DATABASE_PASSWORD).
    #[arg(long, value_name = "URL", conflicts_with = "data")]
    pub database: Option<String>,
    /// Where to copy it: an empty PostgreSQL database (postgres://…; password from the URL or
    /// OXMAPI_DATABASE_PASSWORD) or a new data directory. Rerunning with the same source and
    /// target resumes an interrupted migration.
    #[arg(long, value_name = "URL|DIR")]
    pub to: String,
}

fn location(url: &str) -> Result<StoreLocation, MapiError> {
    if has_password(url) {
        eprintln!("{}", command_line_password_warning(url));
    }
    Ok(StoreLocation::Database(parse_database(url, std::env::var(PASSWORD_ENV).ok(), None)?))
}

fn is_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.starts_with("postgres://") || l.starts_with("postgresql://")
}

/// Runs the migration and describes it. Progress goes to stderr: a bar on a terminal, else
/// one line per mailbox (none with `--json`, whose summary is the whole report).
pub fn run(admin: &AdminArgs, args: &MigrateArgs, json: bool) -> Result<Node, MapiError> {
    let source = match (&args.database, &args.data) {
        (Some(url), _) => location(url)?,
        (None, Some(dir)) => StoreLocation::Dir(dir.clone()),
        (None, None) => admin.location()?,
    };
    if let StoreLocation::Dir(dir) = &source
        && !dir.join(oxmapi_store::site::DIRECTORY_FILE).exists()
        && !dir.join(oxmapi_store::site::SITE_CONFIG_FILE).exists()
    {
        return Err(MapiError::new(
            oxmapi_core::error::codes::MAPI_E_NOT_FOUND,
            format!(
                "{} is not a data directory (no {}, no {}): name the site to copy with --data DIR or --database URL",
                dir.display(),
                oxmapi_store::site::DIRECTORY_FILE,
                oxmapi_store::site::SITE_CONFIG_FILE
            ),
        ));
    }
    let target =
        if is_url(&args.to) { location(&args.to)? } else { StoreLocation::Dir(PathBuf::from(&args.to)) };
    let source_site = open_site(&source)?;
    let target_site: Site = open_site(&target)?;
    let mut bar = Bar::new(std::io::stderr().is_terminal(), json);
    let result = migrate::migrate(&source_site, &target_site, &migrate::Options::default(), &mut bar);
    bar.finish();
    Ok(summary_node(&result?))
}

/// A failed migration with advice for it (the error table's advice for these codes is about
/// folders and messages).
pub fn failure(e: MapiError) -> crate::failure::Failure {
    use oxmapi_core::error::codes;
    let hint = match e.code {
        codes::MAPI_E_COLLISION => {
            "nothing was copied: stop the server on the source and the target, or give an empty target \
             (createdb NAME, or a directory that does not exist yet)"
        }
        codes::MAPI_E_CORRUPT_DATA => {
            "what differs was not recorded as done: rerun the same command to copy it again; if it differs \
             again, check the source with the server stopped"
        }
        codes::MAPI_E_NOT_FOUND => "give the data directory the server runs on (oxmapi serve --data DIR)",
        _ => "what was finished is recorded in the target: rerun the same command to resume",
    };
    crate::failure::Failure::with_hint(e, hint)
}

fn summary_node(s: &Summary) -> Node {
    let secs = s.seconds.max(1e-9);
    let boxes = s
        .mailboxes
        .iter()
        .map(|m| {
            Node::map([
                ("name", Node::str(&m.label)),
                ("guid", Node::str(&m.guid)),
                ("kind", Node::str(&m.kind)),
                ("status", Node::str(if m.copied { "copied" } else { "already done" })),
                ("rows", Node::Int(m.tally.rows as i128)),
                ("bytes", Node::Int(m.tally.bytes as i128)),
            ])
        })
        .collect();
    let tables = Node::Map(s.tables.iter().map(|(k, v)| (k.clone(), Node::Int(*v as i128))).collect());
    Node::map([
        ("source", Node::str(&s.source)),
        ("target", Node::str(&s.target)),
        ("verified", Node::Bool(true)),
        ("mailboxes", Node::List(boxes)),
        ("rows", Node::Int(s.copied.rows as i128)),
        ("bytes", Node::Int(s.copied.bytes as i128)),
        ("seconds", Node::Float((s.seconds * 1000.0).round() / 1000.0)),
        ("rows_per_second", Node::Int((s.copied.rows as f64 / secs) as i128)),
        ("megabytes_per_second", Node::Float(((s.copied.bytes as f64 / secs / 1e6) * 100.0).round() / 100.0)),
        ("tables", tables),
        ("left_behind", Node::List(s.left_behind.iter().map(Node::str).collect())),
    ])
}

/// The progress report on stderr: a bar redrawn in place on a terminal, plain lines otherwise.
struct Bar {
    tty: bool,
    /// Plain lines are left out (`--json`).
    quiet: bool,
    mailboxes: usize,
    total: u64,
    done: u64,
    bytes: u64,
    piece: String,
    drawn: Option<Instant>,
}

impl Bar {
    fn new(tty: bool, json: bool) -> Bar {
        Bar {
            tty,
            quiet: json && !tty,
            mailboxes: 0,
            total: 0,
            done: 0,
            bytes: 0,
            piece: String::new(),
            drawn: None,
        }
    }

    fn draw(&mut self, force: bool) {
        if !self.tty || (!force && self.drawn.is_some_and(|t| t.elapsed() < REDRAW_EVERY)) {
            return;
        }
        self.drawn = Some(Instant::now());
        let frac = if self.total == 0 { 1.0 } else { (self.done as f64 / self.total as f64).min(1.0) };
        let filled = (frac * BAR_WIDTH as f64) as usize;
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[K[{}{}] {:3.0}% {} rows of {}, {:.1} MB  {}",
            "#".repeat(filled),
            "-".repeat(BAR_WIDTH - filled),
            frac * 100.0,
            self.done,
            self.total,
            self.bytes as f64 / 1e6,
            self.piece
        );
        let _ = err.flush();
    }

    fn finish(&mut self) {
        if self.tty && self.drawn.is_some() {
            self.draw(true);
            eprintln!();
        }
    }
}

impl Progress for Bar {
    fn planned(&mut self, mailboxes: usize, rows: u64) {
        self.mailboxes = mailboxes;
        self.total = rows;
        if !self.tty && !self.quiet {
            eprintln!("migrate: the directory and {mailboxes} mailboxes, {rows} rows");
        }
    }

    fn piece(&mut self, index: usize, label: &str, already_done: bool) {
        self.piece = match index {
            0 => "directory".to_string(),
            i => format!("mailbox {i}/{} {label}", self.mailboxes),
        };
        if !self.tty && !self.quiet {
            let what = if already_done { "done by an earlier run" } else { "copying" };
            eprintln!("migrate: {}: {what}", self.piece);
        }
        self.draw(true);
    }

    fn rows(&mut self, t: Tally) {
        self.done += t.rows;
        self.bytes += t.bytes;
        self.draw(false);
    }

    fn verifying(&mut self) {
        self.piece = "checking the row counts".into();
        if !self.tty && !self.quiet {
            eprintln!("migrate: checking the row counts of every table");
        }
        self.draw(true);
    }
}
