//! The wake-ups of the change log: a connection of its own that `LISTEN`s on [`CHANNEL`]. A
//! wake-up only says "mailbox N has new rows"; the rows themselves are read by
//! [`MessageStore::catch_up`](crate::mailbox::MessageStore::catch_up), so a wake-up that is lost
//! (a dropped connection, a node that was down) costs latency, not changes.

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use super::CHANNEL;
use crate::db::PgDatabase;
use crate::error::{StoreError, StoreResult};

/// A listening connection (outside the pool).
pub struct ChangeListener {
    client: postgres::Client,
}

impl std::fmt::Debug for ChangeListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeListener").finish_non_exhaustive()
    }
}

fn failed(e: postgres::Error) -> StoreError {
    StoreError::Database(crate::db::pg::pg_error(&e))
}

impl ChangeListener {
    /// Opens a dedicated connection and starts listening.
    pub(crate) fn open(pool: &PgDatabase) -> StoreResult<ChangeListener> {
        let mut client = pool.pool().dedicated()?;
        client.batch_execute(&format!("LISTEN {CHANNEL}")).map_err(failed)?;
        Ok(ChangeListener { client })
    }

    /// Waits up to `timeout` for wake-ups and returns the mailbox numbers they name (each once,
    /// in arrival order; empty when none came). An error means the connection is gone: open a
    /// new listener (and catch up every store, since wake-ups were missed meanwhile).
    pub fn wait(&mut self, timeout: Duration) -> StoreResult<Vec<i64>> {
        let mut out: Vec<i64> = Vec::new();
        let mut add = |payload: &str| {
            if let Ok(m) = payload.parse::<i64>() {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        };
        {
            let mut notes = self.client.notifications();
            let first = notes.timeout_iter(timeout).next().map_err(failed)?;
            if let Some(n) = first {
                add(n.payload());
                // Whatever else already arrived, without waiting.
                let mut more = notes.iter();
                while let Some(n) = more.next().map_err(failed)? {
                    add(n.payload());
                }
            }
        }
        if self.client.is_closed() {
            return Err(StoreError::Database(crate::db::Error::Postgres {
                code: None,
                kind: crate::db::ErrorKind::Unavailable,
                message: "the change-log listener's connection closed".into(),
            }));
        }
        Ok(out)
    }
}
