//! The write transactions of a message store and the change events they publish (the store side
//! of MS-OXCNOTIF: notifications are sent for changes that happened, 3.2.5).
//!
//! Every write of a [`MessageStore`] runs through [`MessageStore::write`]: it takes the
//! connection lock, runs the caller's closure in a write transaction (SQLite: BEGIN IMMEDIATE,
//! which takes the file's write lock; PostgreSQL: BEGIN, then the mailbox's row in
//! `store.mailboxes` is locked by bumping its generation, which serialises the writers of one
//! mailbox across nodes as the file lock does across processes), and after a
//! successful commit — still holding the lock, so sinks see transactions in commit order — hands
//! the events the closure recorded ([`MessageStore::record`]) to the store's event sink. When the
//! closure or the commit fails, the transaction rolls back and its events are dropped.
//!
//! Folder message counts are announced apart: a closure calls [`MessageStore::watch_counts`]
//! before it changes a folder's messages, and when the closure is done the transaction records
//! one fnevObjectModified with PidTagContentCount and PidTagContentUnreadCount for each watched
//! folder that still exists and whose counts changed, after the object events.

use std::sync::{MutexGuard, PoisonError};

use crate::db::{Conn, OptionalExt, Tx, TxKind};
use oxmapi_core::catalogue::tags::{PR_CONTENT_COUNT, PR_CONTENT_UNREAD};
use oxmapi_core::ids::ObjectId;

use super::counts::content_counts;
use super::events::StoreEvent;
use super::messages::sweep_orphans;
use super::{LOCAL_REPLICA_ID, MessageStore, schema};
use crate::error::StoreResult;
use crate::sqlite;

/// How a write transaction commits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Durability {
    /// With the file's default `synchronous` (NORMAL): folder changes, pending blobs, counters.
    Normal,
    /// With `synchronous=FULL`, after sweeping unreferenced blobs: every transaction that changes
    /// saved messages, so that an acknowledged change survives a power loss.
    Full,
}

/// What the transaction running now will publish.
#[derive(Default)]
pub(crate) struct Pending {
    events: Vec<StoreEvent>,
    /// Folders (counters) whose counts the transaction may change, with the counts they had
    /// before, in the order they were first watched.
    counts: Vec<(u64, (u32, u32))>,
}

impl MessageStore {
    /// Runs `f` in a write transaction (BEGIN IMMEDIATE) under the connection lock and commits
    /// it; then publishes the events `f` recorded, with the count changes of the folders it
    /// watched. On any error the transaction rolls back and nothing is published.
    pub(crate) fn write<T>(
        &self,
        durability: Durability,
        f: impl FnOnce(&Tx<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let conn = self.lock()?;
        // Left by a transaction that panicked: it rolled back, so its events never happened.
        self.discard();
        let full = durability == Durability::Full;
        if full {
            sqlite::set_synchronous(&conn, "FULL")?;
        }
        let result = self.begin_write(&conn).and_then(|tx| {
            let value = f(&tx)?;
            self.record_counts(&tx)?;
            if full {
                sweep_orphans(&tx)?;
            }
            let logged = self.log_pending(&tx)?;
            tx.commit()?;
            Ok((value, logged))
        });
        let result = match result {
            Ok((value, logged)) => {
                if let Some(seq) = logged {
                    self.logged(seq);
                }
                self.publish();
                Ok(value)
            }
            Err(e) => {
                self.discard();
                Err(e)
            }
        };
        if full {
            let reset = sqlite::set_synchronous(&conn, schema::KIND.synchronous);
            let value = result?;
            reset?;
            return Ok(value);
        }
        result
    }

    /// Begins a write transaction; on PostgreSQL it first bumps the mailbox's generation, which
    /// locks the mailbox's row until the commit (the writers of one mailbox take turns, on every
    /// node) and moves [`MessageStore::generation`] for every reader; then, holding that lock,
    /// it replays the other nodes' changes not yet announced here (`change_log`), so that they
    /// reach the sink before this transaction's own and every sink sees commit order.
    fn begin_write<'c>(&self, conn: &'c Conn) -> StoreResult<Tx<'c>> {
        let tx = conn.transaction(TxKind::Write)?;
        if let Some((_, Some(mbx))) = self.db.postgres() {
            tx.execute("UPDATE store.mailboxes SET generation = generation + 1 WHERE mbx = ?1", [mbx])?;
            self.replay(&tx)?;
        }
        Ok(tx)
    }

    fn pending(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records an event of the transaction running now (call only inside
    /// [`MessageStore::write`]); it is published after the commit, or dropped on rollback.
    pub(crate) fn record(&self, event: StoreEvent) {
        self.pending().events.push(event);
    }

    /// Notes the message counts of folder `f` (a counter) before the transaction running now
    /// changes its messages; the first call per folder and transaction counts.
    pub(crate) fn watch_counts(&self, conn: &Conn, f: u64) -> StoreResult<()> {
        if self.pending().counts.iter().any(|(w, _)| *w == f) {
            return Ok(());
        }
        let before = content_counts(conn, f)?;
        self.pending().counts.push((f, before));
        Ok(())
    }

    /// Records a counts event for each watched folder that still exists and whose counts
    /// changed.
    fn record_counts(&self, conn: &Conn) -> StoreResult<()> {
        let watched = std::mem::take(&mut self.pending().counts);
        for (f, before) in watched {
            let live: Option<i64> = conn
                .query_row("SELECT 1 FROM folders WHERE fid = ?1 AND soft_deleted = 0", [f as i64], |r| {
                    r.get(0)
                })
                .optional()?;
            if live.is_none() {
                continue;
            }
            let after = content_counts(conn, f)?;
            if after != before {
                self.record(StoreEvent::Modified {
                    fid: ObjectId::new(LOCAL_REPLICA_ID, f),
                    mid: None,
                    tags: vec![PR_CONTENT_COUNT, PR_CONTENT_UNREAD],
                    counts: Some(after),
                    associated: false,
                });
            }
        }
        Ok(())
    }

    /// Hands the recorded events to the sink (right after a successful commit, still holding the
    /// connection lock so that events leave in commit order).
    fn publish(&self) {
        let events = std::mem::take(&mut *self.pending()).events;
        self.emit(&events);
    }

    /// Hands committed events to the sink (the caller holds the connection lock).
    pub(crate) fn emit(&self, events: &[StoreEvent]) {
        if events.is_empty() {
            return;
        }
        if let Some(sink) = self.sink.read().unwrap_or_else(PoisonError::into_inner).as_ref() {
            sink(events);
        }
    }

    /// The events recorded so far in the running transaction as a change-log row, `None` when
    /// there are none.
    pub(crate) fn pending_encoded(&self) -> Option<Vec<u8>> {
        let p = self.pending();
        (!p.events.is_empty()).then(|| super::change_log::encode(&p.events))
    }

    /// Drops the recorded events (the transaction rolled back).
    fn discard(&self) {
        *self.pending() = Pending::default();
    }
}
