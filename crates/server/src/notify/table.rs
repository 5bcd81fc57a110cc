//! Table notifications of open hierarchy and contents tables (MS-OXCNOTIF 3.1.4.3,
//! 2.2.1.4.1.2): every such table gets a [`TableTracker`], which resolves the raw store events
//! the hub queued for it into TableRowAdded / TableRowDeleted / TableRowModified against the
//! rows the table holds, and moves the table's rows along, so that a RopQueryRows after the
//! notifications sees what they announced.
//!
//! The table's rows, columns, sort order and restriction (the [`Parked`] core of its
//! [`TableObject`]) live in the tracker between ROPs, where the queue can reach them when it
//! resolves at the end of an Execute; a table ROP takes them back into the object while it runs
//! ([`TableTracker::unpark`] / [`TableTracker::park`]). ROPs and the end of an Execute of one
//! session context never overlap, so the core is always where it is needed.
//!
//! An index-backed contents table ([`TableEngine::Indexed`]) holds no rows: its tracker tells
//! it which messages the events touched and whether each was in the view before them, and the
//! engine reads where each is now ([`rows::changes`]); a restricted one gets TableChanged.
//!
//! Row-level notifications need a table *view* (a RopQueryRows, RopFindRow, RopSeekRow*,
//! RopQueryPosition or RopQueryColumnsAll since the table was opened or reset) and rows that
//! are current; otherwise — and when the events overflowed, the restriction holds a
//! CountRestriction, the folder is gone or a row does not fit a notification — the table gets
//! one TableChanged and reloads on its next ROP.

use std::sync::{Arc, Mutex, MutexGuard};

use oxmapi_store::mailbox::ContentsFilter;
use oxmapi_wire::rop::oxcnotif::NotificationData;

use super::data;
use super::queue::{Batch, TableResolver};
use super::rows;
use crate::notify::Registration;
use crate::rops::handles::{LogonObject, STALE, TableObject, TableSource};
use crate::rops::table_engine::TableEngine;

/// The notification side of a [`TableObject`] (its `notifications`).
pub struct TableWatch {
    /// The hub subscription; dropping it ends the notifications.
    pub registration: Registration,
    /// Where the table's core lives between ROPs.
    pub tracker: Arc<TableTracker>,
    /// A table view exists (MS-OXCNOTIF 3.1.4.3); RopResetTable clears it.
    pub view: bool,
}

/// The parts of a [`TableObject`] that change with its rows.
pub struct Parked {
    pub(crate) table: TableEngine,
    pub(crate) loaded: Vec<u16>,
    pub(crate) generation: u64,
    pub(crate) filter: Option<ContentsFilter>,
    pub(crate) view: bool,
}

/// A hierarchy or contents table as its notifications see it.
pub struct TableTracker {
    pub(crate) logon: Arc<LogonObject>,
    pub(crate) source: TableSource,
    pub(crate) unicode: bool,
    parked: Mutex<Option<Parked>>,
}

impl TableTracker {
    /// The tracker of table `t` (its core stays in `t` until [`TableTracker::park`]).
    pub fn new(t: &TableObject) -> TableTracker {
        TableTracker {
            logon: t.logon.clone(),
            source: t.source.clone(),
            unicode: t.unicode,
            parked: Mutex::new(None),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Parked>> {
        self.parked.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Moves the core of `t` into the tracker (after a ROP).
    pub fn park(&self, t: &mut TableObject) {
        let view = t.notifications.as_ref().is_some_and(|w| w.view);
        *self.slot() = Some(Parked {
            table: std::mem::take(&mut t.table),
            loaded: std::mem::take(&mut t.loaded),
            generation: t.generation,
            filter: t.filter.take(),
            view,
        });
    }

    /// Moves the core back into `t` (before a ROP).
    pub fn unpark(&self, t: &mut TableObject) {
        if let Some(p) = self.slot().take() {
            t.table = p.table;
            t.loaded = p.loaded;
            t.generation = p.generation;
            t.filter = p.filter;
            if let Some(w) = t.notifications.as_mut() {
                w.view = p.view;
            }
        }
    }

    /// Resolves `batch` on the parked core; `generation` is the store's generation read before
    /// the batch was taken (every change up to it is in the batch).
    fn resolve_parked(&self, p: &mut Parked, batch: Batch, generation: Option<u64>) -> Vec<NotificationData> {
        let current = p.generation != STALE;
        if batch.events.is_empty() && !batch.overflowed {
            // Nothing happened to this table: its rows are as current as the store.
            if let (true, Some(g)) = (current, generation) {
                p.generation = g;
            }
            return Vec::new();
        }
        let row_level = p.view && current && !batch.overflowed;
        let changes = if row_level { rows::changes(self, p, &batch.events) } else { None };
        let notes = changes.and_then(|c| rows::notes(self, p.table.columns(), c));
        match (notes, generation) {
            (Some(notes), Some(g)) => {
                p.generation = g;
                notes
            }
            _ => {
                p.generation = STALE;
                vec![data::table_changed()]
            }
        }
    }
}

impl TableResolver for TableTracker {
    fn resolve(&self, take: &mut dyn FnMut() -> Batch) -> Option<Vec<NotificationData>> {
        let mut slot = self.slot();
        // Not parked: a ROP is working on the table; its events wait.
        let p = slot.as_mut()?;
        let generation = self.logon.store.generation().ok();
        let batch = take();
        Some(self.resolve_parked(p, batch, generation))
    }
}
