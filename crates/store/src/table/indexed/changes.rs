//! Row-level table notifications of an index-backed view (MS-OXCNOTIF 2.2.1.4.1.2
//! TableRowAdded / TableRowDeleted / TableRowModified, 3.1.4.3): the view is not held, so the
//! caller says which messages changed and whether each was in the view before; each is looked
//! up now. Deletions come first, then additions and modifications in view order, each naming
//! the row now before it (one keyset query backward), as `Table::apply` reports them.

use super::keyset::{Pos, cmp_keys};
use super::scan::row_id;
use super::{IndexedTable, TableError};
use crate::table::{RowChange, RowEvent};

impl IndexedTable {
    /// The row changes of the messages `touched` — `(row id, was in the view)` — or `None`
    /// when the view has a restriction (whether a row was in the view is then unknown to the
    /// caller; it sends TableChanged, which MS-OXCNOTIF allows).
    pub fn row_changes(&mut self, touched: &[(u64, bool)]) -> Result<Option<Vec<RowChange>>, TableError> {
        if self.restriction.is_some() {
            return Ok(None);
        }
        self.changed();
        let keys = self.keys.clone()?;
        let mut out = Vec::new();
        let mut present = Vec::new();
        for &(id, was) in touched {
            match self.key_in_view(id)? {
                Some(key) if !present.iter().any(|(k, _): &(super::Key, bool)| k.mid == key.mid) => {
                    present.push((key, was));
                }
                None if was && !out.iter().any(|c: &RowChange| c.id == id) => {
                    out.push(RowChange { event: RowEvent::Deleted, id, instance: 0, after: None, row: None });
                }
                _ => {}
            }
        }
        present.sort_by(|a, b| cmp_keys(&keys, &a.0, &b.0));
        for (key, was) in present {
            let before = self.walk(&Pos::Row(key.clone()), false, false, 1)?;
            let row = self.project(std::slice::from_ref(&key))?.pop();
            out.push(RowChange {
                event: if was { RowEvent::Modified } else { RowEvent::Added },
                id: row_id(key.mid),
                instance: 0,
                after: before.first().map(|k| (row_id(k.mid), 0)),
                row,
            });
        }
        Ok(Some(out))
    }
}
