//! Copying a whole site between backends (`oxmapi admin migrate`, issue 16): a data directory
//! of SQLite files into a PostgreSQL database, or a database into a new data directory.
//!
//! The copy is made table by table through the database layer, not through MAPI objects, so
//! every id is kept (folder and message ids, change numbers, attachment, blob and submission
//! ids): clients' cached entry IDs stay valid. Order: the directory's tables, then each mailbox
//! and the public store, every one in its own transaction(s) ([`mailbox`] for the order of its
//! tables), then the identity sequences of a PostgreSQL target are moved past the copied ids.
//!
//! * Resumable ([`resume`]): each finished piece is recorded in the target; a rerun skips it
//!   and copies an unfinished one again from scratch.
//! * Verified: each piece's row counts per table are compared before it is recorded as done,
//!   and all of them again at the end; a difference is `MAPI_E_CORRUPT_DATA` naming the piece,
//!   the table and both counts.
//! * Safe: a target holding another site's data is refused (`MAPI_E_COLLISION`), and so is a
//!   source or target a server is running on (as far as can be seen: a files site's
//!   `directory.sqlite` open in another process, another oxmapi connection to a database).
//! * Bounded memory: rows are read and written in pages ([`copy::PAGE_BYTES`]).
//!
//! Tables are found in each side's schema ([`plan`]): columns and tables added by a later
//! schema come along by name; tables or columns only the source has are left behind and named
//! in the summary.

mod copy;
mod endpoint;
mod mailbox;
pub mod plan;
pub mod resume;

use std::collections::BTreeMap;
use std::time::Instant;

pub use copy::{PAGE_BYTES, PAGE_ROWS, Tally};

use crate::Site;
use crate::db::{Backend, Conn, TxKind};
use crate::error::{StoreError, StoreResult};
use endpoint::{MailboxRef, Side};
use plan::{Scope, Table};

/// Options of a migration.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Test hook: fail with an error in the middle of the mailbox after this many mailboxes
    /// were copied in this run (after some of its tables were written), as a crash would.
    #[doc(hidden)]
    pub fail_after_mailboxes: Option<usize>,
}

/// What a migration tells as it goes (progress bars, logs).
pub trait Progress {
    /// The work: `mailboxes` mailboxes (the public store included) and `rows` rows in all.
    fn planned(&mut self, _mailboxes: usize, _rows: u64) {}
    /// Starts on a piece: `index` (0 the directory, 1.. the mailboxes) and a label.
    fn piece(&mut self, _index: usize, _label: &str, _already_done: bool) {}
    /// Rows were written (or, for a piece already done, counted as done).
    fn rows(&mut self, _tally: Tally) {}
    /// The final check runs.
    fn verifying(&mut self) {}
}

/// No progress reports.
pub struct Quiet;
impl Progress for Quiet {}

/// One mailbox in the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxSummary {
    /// Its GUID.
    pub guid: String,
    /// `private` or `public`.
    pub kind: String,
    /// Its owner's account name (or `public`).
    pub label: String,
    /// Copied in this run (false: done by an earlier run).
    pub copied: bool,
    /// Rows and bytes copied in this run.
    pub tally: Tally,
}

/// The outcome of a migration.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The source (directory path or database URL without password).
    pub source: String,
    /// The target.
    pub target: String,
    /// The mailboxes.
    pub mailboxes: Vec<MailboxSummary>,
    /// Rows in the target per table (`directory.users`, `mailbox.messages` summed over the
    /// mailboxes), all verified equal to the source's.
    pub tables: BTreeMap<String, u64>,
    /// Rows and bytes copied in this run.
    pub copied: Tally,
    /// Tables and columns only the source has, not copied.
    pub left_behind: Vec<String>,
    /// Seconds the run took.
    pub seconds: f64,
}

/// Copies the site `source` into `target` (see the module documentation).
pub fn migrate(
    source: &Site,
    target: &Site,
    options: &Options,
    progress: &mut dyn Progress,
) -> StoreResult<Summary> {
    let started = Instant::now();
    let source_id = source.stable_identity()?;
    if source_id == target.stable_identity()? {
        return Err(StoreError::InvalidParameter(format!(
            "the source and the target are the same site ({})",
            source.describe()
        )));
    }
    let (src, dst) = (Side::of(source)?, Side::of(target)?);
    resume::check_not_running(&src, &format!("the source {}", source.describe()))?;
    resume::check_not_running(&dst, &format!("the target {}", target.describe()))?;

    let src_dir = src.directory()?;
    let dst_dir = dst.directory()?;
    resume::ensure(&dst_dir)?;
    let done = resume::done(&dst_dir)?;
    let where_ = format!("the target {}", target.describe());
    resume::check_target(&dst_dir, &dst, &where_, &source_id, &done)?;

    let (dir_tables, mut left_behind) = plan_scope(Scope::Directory, &src_dir, &dst_dir)?;
    let (mbx_tables, more) = plan_scope(Scope::Mailbox, &src_dir, &dst_dir)?;
    left_behind.extend(more);
    left_behind.sort();
    left_behind.dedup();

    // What is there to copy: the counts serve the progress bar and the final check.
    let boxes = src.mailboxes()?;
    let dir_counts = mailbox::counts(&src_dir, &dir_tables)?;
    let mut box_counts = Vec::with_capacity(boxes.len());
    for m in &boxes {
        let conn = src.read(m)?;
        let tx = conn.transaction(TxKind::Read)?;
        box_counts.push(mailbox::counts(&tx, &mbx_tables)?);
    }
    let total: u64 =
        dir_counts.values().sum::<u64>() + box_counts.iter().flat_map(|c| c.values()).sum::<u64>();
    progress.planned(boxes.len(), total);

    let mut copied = Tally::default();
    // The directory, in one transaction with its progress row.
    let already = done.contains_key(resume::DIRECTORY_ITEM);
    progress.piece(0, "directory", already);
    if already {
        progress.rows(Tally { rows: dir_counts.values().sum(), bytes: 0 });
    } else {
        let rtx = src_dir.transaction(TxKind::Read)?;
        let wtx = dst_dir.transaction(TxKind::Write)?;
        let c = mailbox::copy_scope(&rtx, &wtx, &dir_tables, &mut |t| progress.rows(t))?;
        mailbox::compare("the directory", &dir_counts, &mailbox::counts(&wtx, &dir_tables)?)?;
        let t = sum(&c);
        resume::mark(&wtx, resume::DIRECTORY_ITEM, &source_id, t.rows, t.bytes)?;
        wtx.commit()?;
        copied.add(t);
    }

    let mut summaries = Vec::new();
    let mut copied_now = 0usize;
    for (i, (m, counts)) in boxes.iter().zip(&box_counts).enumerate() {
        let item = resume::mailbox_item(&m.guid);
        let already = done.contains_key(&item);
        progress.piece(i + 1, &m.label, already);
        let mut tally = Tally::default();
        if already {
            progress.rows(Tally { rows: counts.values().sum(), bytes: 0 });
        } else {
            let fail_now = options.fail_after_mailboxes == Some(copied_now);
            tally =
                copy_mailbox(&src, &dst, &dst_dir, m, &mbx_tables, counts, &source_id, fail_now, progress)?;
            copied.add(tally);
            copied_now += 1;
        }
        summaries.push(MailboxSummary {
            guid: m.guid.to_string(),
            kind: m.kind.clone(),
            label: m.label.clone(),
            copied: !already,
            tally,
        });
    }
    if let Some(db) = target.pg_database() {
        db.pool().advance_identities()?;
    }

    // The final check, over every piece (those of earlier runs too).
    progress.verifying();
    let mut tables = BTreeMap::new();
    let target_dir_counts = mailbox::counts(&dst_dir, &dir_tables)?;
    mailbox::compare("the directory", &dir_counts, &target_dir_counts)?;
    for (t, n) in target_dir_counts {
        *tables.entry(format!("directory.{t}")).or_insert(0) += n;
    }
    for (m, counts) in boxes.iter().zip(&box_counts) {
        let what = format!("mailbox {} ({})", m.guid, m.label);
        let conn = dst.read_copy(m)?.ok_or_else(|| {
            StoreError::Corrupt(format!("migration check failed: {what} is missing in the target"))
        })?;
        let got = mailbox::counts(&conn, &mbx_tables)?;
        mailbox::compare(&what, counts, &got)?;
        for (t, n) in got {
            *tables.entry(format!("mailbox.{t}")).or_insert(0) += n;
        }
    }
    Ok(Summary {
        source: source.describe(),
        target: target.describe(),
        mailboxes: summaries,
        tables,
        copied,
        left_behind,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn sum(c: &mailbox::Copied) -> Tally {
    let mut t = Tally::default();
    c.values().for_each(|x| t.add(*x));
    t
}

/// The tables of a scope both sides have (read through each side's directory connection).
fn plan_scope(scope: Scope, src_dir: &Conn, dst_dir: &Conn) -> StoreResult<(Vec<Table>, Vec<String>)> {
    let migrations = match scope {
        Scope::Directory => crate::directory::schema::MIGRATIONS,
        Scope::Mailbox => crate::mailbox::schema::MIGRATIONS,
    };
    let s = plan::tables(src_dir, scope, migrations)?;
    let t = plan::tables(dst_dir, scope, migrations)?;
    plan::common(scope, s, &t)
}

/// Copies one mailbox in one transaction on each side, checks its counts and records it done.
#[allow(clippy::too_many_arguments)]
fn copy_mailbox(
    src: &Side,
    dst: &Side,
    dst_dir: &Conn,
    m: &MailboxRef,
    tables: &[Table],
    counts: &BTreeMap<String, u64>,
    source_id: &str,
    fail_now: bool,
    progress: &mut dyn Progress,
) -> StoreResult<Tally> {
    let what = format!("mailbox {} ({})", m.guid, m.label);
    let src_conn = src.read(m)?;
    let rtx = src_conn.transaction(TxKind::Read)?;
    let new = dst.begin(m)?;
    let tally = {
        let wtx = new.conn.transaction(TxKind::Write)?;
        dst.register(&wtx, m)?;
        let mut pages = 0u32;
        let c = mailbox::copy_scope(&rtx, &wtx, tables, &mut |t| {
            pages += 1;
            progress.rows(t)
        })?;
        if fail_now {
            return Err(StoreError::Failed(format!(
                "test hook: the migration stopped in the middle of {what}"
            )));
        }
        mailbox::compare(&what, counts, &mailbox::counts(&wtx, tables)?)?;
        high_water::carry(&rtx, &wtx)?;
        let t = sum(&c);
        if dst.backend() == Backend::Postgres {
            resume::mark(&wtx, &resume::mailbox_item(&m.guid), source_id, t.rows, t.bytes)?;
        }
        wtx.commit()?;
        t
    };
    dst.finish(new)?;
    if dst.backend() == Backend::Sqlite {
        resume::mark(dst_dir, &resume::mailbox_item(&m.guid), source_id, tally.rows, tally.bytes)?;
    }
    Ok(tally)
}

mod high_water;

#[cfg(test)]
mod tests;
