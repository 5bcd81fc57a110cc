//! Writing and following the change log of a mailbox on PostgreSQL (see the parent module).
//!
//! * A write transaction with events inserts one row (`node` = this process's node, `events`
//!   encoded) after its last change, and `pg_notify(CHANNEL, mbx)` — both commit or roll back
//!   with it, so the wake-up is sent exactly when the change is visible.
//! * A store keeps a cursor: the highest `seq` of its mailbox it has seen. Opening starts it at
//!   the log's end; [`MessageStore::catch_up`] (and every write, right after it took the
//!   mailbox's row lock, so that other nodes' changes reach the sink before this store's own)
//!   reads the rows past it, skips those of its own node (announced at commit already) and hands
//!   the others' events to the event sink as if they had been committed here.
//! * When rows past the cursor were swept before the store read them (the mailbox's
//!   `log_swept` is above the cursor) or a row cannot be decoded, the store calls its gap sink
//!   ([`MessageStore::set_gap_sink`]): the server then tells every subscription of the mailbox
//!   to reread.

use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

use crate::db::{Conn, OptionalExt, PgDatabase};
use crate::error::StoreResult;
use crate::mailbox::MessageStore;
use crate::mailbox::events::GapSink;

/// The PostgreSQL notification channel a write wakes the other nodes on; the payload is the
/// mailbox number (`store.mailboxes.mbx`) as text.
pub const CHANNEL: &str = "oxmapi_changes";

/// How long change-log rows are kept: a node that has not read a mailbox's rows within this
/// time (its catch-up timer runs every second) has its subscriptions of that mailbox told to
/// reread instead.
pub const RETENTION: Duration = Duration::from_secs(15 * 60);

/// How often a node sweeps rows older than [`RETENTION`].
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(60);

/// The most rows one catch-up query reads (it loops until it has read them all).
pub const REPLAY_BATCH: i64 = 512;

/// The node of a process that is none, as a value no row's `node` has (0..=65535).
const NO_NODE: i64 = -1;

/// A store's place in its mailbox's change log.
#[derive(Default)]
pub(crate) struct Follower {
    /// This process's node (`None`: no node, every row is replayed).
    node: Option<u16>,
    /// The highest `seq` seen (changed only under the store's lock).
    cursor: Mutex<i64>,
    /// Told when rows were missed.
    gap: RwLock<Option<GapSink>>,
}

impl Follower {
    /// A follower for this process's node.
    pub(crate) fn new(node: Option<u16>) -> Follower {
        Follower { node, ..Default::default() }
    }

    fn cursor(&self) -> i64 {
        *self.cursor.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_cursor(&self, seq: i64) {
        let mut c = self.cursor.lock().unwrap_or_else(PoisonError::into_inner);
        *c = (*c).max(seq);
    }

    fn node_value(&self) -> i64 {
        self.node.map_or(NO_NODE, i64::from)
    }
}

impl MessageStore {
    /// The mailbox number of a store in a PostgreSQL site (`store.mailboxes.mbx`, the payload
    /// of its change-log wake-ups); `None` on SQLite.
    pub fn mailbox_number(&self) -> Option<i64> {
        self.db.postgres().and_then(|(_, mbx)| mbx)
    }

    /// Sets what is called when this store missed change-log rows (they were swept before it
    /// read them, or could not be read): its subscribers must reread. Called under the store's
    /// lock, before the events that follow the gap; it must not call back into the store.
    pub fn set_gap_sink(&self, sink: Option<GapSink>) {
        *self.follow.gap.write().unwrap_or_else(PoisonError::into_inner) = sink;
    }

    /// Replays to the event sink the changes other nodes (or processes that are no node)
    /// committed to this mailbox since this store last looked, in commit order, each once;
    /// returns how many change-log rows it read. Nothing to do on SQLite (a file's writers are
    /// this process's stores, which announce their own changes). The server calls it on every
    /// wake-up of the mailbox and on a timer.
    pub fn catch_up(&self) -> StoreResult<usize> {
        if self.mailbox_number().is_none() {
            return Ok(0);
        }
        let conn = self.lock()?;
        self.replay(&conn)
    }

    /// Starts the cursor at the end of the log (a store opened now announces what is committed
    /// from now on).
    pub(crate) fn start_following(&self, conn: &Conn) -> StoreResult<()> {
        let Some(mbx) = self.mailbox_number() else { return Ok(()) };
        let end: i64 = conn.query_row(
            "SELECT greatest(m.log_swept, coalesce((SELECT max(seq) FROM change_log), 0)) \
             FROM store.mailboxes m WHERE m.mbx = ?1",
            [mbx],
            |r| r.get(0),
        )?;
        self.follow.set_cursor(end);
        Ok(())
    }

    /// Reads the rows past the cursor and publishes them (see [`MessageStore::catch_up`]); the
    /// caller holds the store's lock.
    pub(crate) fn replay(&self, conn: &Conn) -> StoreResult<usize> {
        let Some(mbx) = self.mailbox_number() else { return Ok(0) };
        let node = self.follow.node_value();
        let mut read = 0;
        loop {
            let cursor = self.follow.cursor();
            // One statement, one snapshot: `log_swept` and the rows agree.
            let mut stmt = conn.prepare_cached(
                "SELECT m.log_swept, l.seq, CASE WHEN l.node IS NOT DISTINCT FROM ?3 THEN NULL ELSE l.events END \
                 FROM store.mailboxes m LEFT JOIN change_log l ON l.seq > ?2 \
                 WHERE m.mbx = ?1 ORDER BY l.seq LIMIT ?4",
            )?;
            let rows: Vec<(i64, Option<i64>, Option<Vec<u8>>)> = stmt
                .query_map(crate::params![mbx, cursor, node, REPLAY_BATCH], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<Result<_, _>>()?;
            let swept = rows.first().map_or(0, |r| r.0);
            if swept > cursor {
                self.gap();
                self.follow.set_cursor(swept);
            }
            let mut n = 0;
            for (_, seq, events) in rows {
                let Some(seq) = seq else { continue };
                n += 1;
                self.follow.set_cursor(seq);
                let Some(bytes) = events else { continue };
                match super::decode(&bytes) {
                    Ok(events) => self.emit(&events),
                    Err(_) => self.gap(),
                }
            }
            read += n;
            if (n as i64) < REPLAY_BATCH {
                return Ok(read);
            }
        }
    }

    /// Writes the events the transaction running now recorded as a change-log row and wakes
    /// the other nodes (in the transaction: both happen only if it commits); returns the row's
    /// `seq`, `None` on SQLite or when there is nothing to announce.
    pub(crate) fn log_pending(&self, conn: &Conn) -> StoreResult<Option<i64>> {
        let Some(mbx) = self.mailbox_number() else { return Ok(None) };
        let Some(bytes) = self.pending_encoded() else { return Ok(None) };
        let node = self.follow.node.map(i64::from);
        let seq: i64 = conn.query_row(
            "INSERT INTO change_log (node, events) VALUES (?1, ?2) RETURNING seq",
            crate::params![node, bytes],
            |r| r.get(0),
        )?;
        conn.query_row("SELECT pg_notify(?1, ?2)", crate::params![CHANNEL, mbx.to_string()], |_| Ok(()))
            .optional()?;
        Ok(Some(seq))
    }

    /// The mailbox number and the change-log cursor of a store in a PostgreSQL site (for
    /// [`behind`]); `None` on SQLite.
    pub fn log_cursor(&self) -> Option<(i64, i64)> {
        self.mailbox_number().map(|m| (m, self.follow.cursor()))
    }

    /// After a commit that wrote change-log row `seq`: the store has seen it.
    pub(crate) fn logged(&self, seq: i64) {
        self.follow.set_cursor(seq);
    }

    fn gap(&self) {
        if let Some(sink) = self.follow.gap.read().unwrap_or_else(PoisonError::into_inner).as_ref() {
            sink();
        }
    }
}

/// Deletes the change-log rows of every mailbox older than `older_than`, recording per mailbox
/// the highest `seq` deleted (`store.mailboxes.log_swept`, in the same statement), so a store
/// whose cursor is below it knows it missed rows. Returns how many rows went.
pub fn sweep(pool: &PgDatabase, older_than: Duration) -> StoreResult<u64> {
    let conn = crate::mailbox::unscoped_conn(pool)?;
    let n: i64 = conn.query_row(
        "WITH gone AS (DELETE FROM store.change_log WHERE committed < now() - make_interval(secs => ?1) \
                       RETURNING mbx, seq), \
              tops AS (SELECT mbx, max(seq) AS top, count(*) AS n FROM gone GROUP BY mbx), \
              moved AS (UPDATE store.mailboxes m SET log_swept = t.top FROM tops t \
                        WHERE m.mbx = t.mbx AND m.log_swept < t.top RETURNING 1) \
         SELECT CAST(coalesce(sum(n), 0) AS bigint) FROM tops",
        [older_than.as_secs_f64()],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// Of the mailboxes `cursors` names (mailbox number, a store's cursor:
/// [`MessageStore::log_cursor`]), those with change-log rows past the cursor or rows swept past
/// it — the stores that have something to catch up — in one query, so that a node's catch-up
/// timer costs one statement however many stores it has open.
pub fn behind(pool: &PgDatabase, cursors: &[(i64, i64)]) -> StoreResult<Vec<i64>> {
    if cursors.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = cursors.iter().map(|(m, c)| format!("{m}:{c}")).collect();
    let conn = crate::mailbox::unscoped_conn(pool)?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.mbx FROM (SELECT CAST(split_part(x, ':', 1) AS bigint) AS mbx, \
                                   CAST(split_part(x, ':', 2) AS bigint) AS cur \
                            FROM unnest(string_to_array(?1, ',')) AS x) c \
         JOIN store.mailboxes m ON m.mbx = c.mbx \
         WHERE m.log_swept > c.cur \
            OR EXISTS (SELECT 1 FROM store.change_log l WHERE l.mbx = c.mbx AND l.seq > c.cur)",
    )?;
    let rows = stmt.query_map([list.join(",")], |r| r.get::<_, i64>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
