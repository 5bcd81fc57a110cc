//! Search update descriptors ([MS-PST] 2.4.8.1): what a change to the store must tell the
//! search folders. A SUD is queued into the search management queue (NID 0x1E1) when a folder
//! it concerns is in the search domain object (NID 0x261, the folders some search folder
//! looks into — 2.4.8.1 rule 3); this writer does no desktop indexing (rule 1), so changes
//! outside the search domain queue nothing, as the specification requires ("the SUD is not
//! queued"). A search folder the writer adds (a copied one) is always queued, as
//! SUDT_SRCH_ADD (rule 2), goes into the search activity list (NID 0x201) when its source had
//! it there, and the folders its criteria look into join the search domain object (2.4.8.4).

use std::collections::HashSet;

use super::NdbWriter;
use super::NodeContent;
use super::template::{NID_SEARCH_ACTIVITY_LIST, NID_SEARCH_DOMAIN_OBJECT, NID_SEARCH_MANAGEMENT_QUEUE};
use crate::pst::PstError;

/// SUDT_MSG_ADD ([MS-PST] 2.4.8.1.1).
pub const SUDT_MSG_ADD: u16 = 0x0001;
/// SUDT_MSG_MOD.
pub const SUDT_MSG_MOD: u16 = 0x0002;
/// SUDT_MSG_DEL.
pub const SUDT_MSG_DEL: u16 = 0x0003;
/// SUDT_MSG_MOV.
pub const SUDT_MSG_MOV: u16 = 0x0004;
/// SUDT_FLD_ADD.
pub const SUDT_FLD_ADD: u16 = 0x0005;
/// SUDT_FLD_MOD.
pub const SUDT_FLD_MOD: u16 = 0x0006;
/// SUDT_FLD_DEL.
pub const SUDT_FLD_DEL: u16 = 0x0007;
/// SUDT_FLD_MOV.
pub const SUDT_FLD_MOV: u16 = 0x0008;
/// SUDT_SRCH_ADD: a search folder was added (SUDData: its NID).
pub const SUDT_SRCH_ADD: u16 = 0x0009;
/// SUDT_SRCH_DEL: a search folder was deleted (SUDData: its NID).
pub const SUDT_SRCH_DEL: u16 = 0x000B;
/// A SUD is 20 bytes: wFlags, wSUDType and 16 bytes of SUDData.
const SUD_LEN: usize = 20;

/// The search domain and the SUDs queued since the last commit, with the search activity
/// list and search domain entries to add at the next commit.
#[derive(Debug, Default)]
pub struct SearchQueue {
    domain: HashSet<u32>,
    pending: Vec<u8>,
    /// NIDs to append to the search domain object.
    domain_added: Vec<u32>,
    /// Search folders to append to the search activity list.
    activity_added: Vec<u32>,
    /// Search folders to take out of the search activity list.
    activity_removed: Vec<u32>,
}

/// The NIDs of an array node (the search activity list, the search domain object).
fn nids(data: &[u8]) -> Vec<u32> {
    data.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

impl SearchQueue {
    /// The queue of a file: reads its search domain object (an array of folder NIDs).
    pub fn load(ndb: &NdbWriter) -> SearchQueue {
        let reader = ndb.reader();
        let domain = reader
            .node(NID_SEARCH_DOMAIN_OBJECT)
            .and_then(|n| reader.data(n.data).ok())
            .map(|d| nids(&d).into_iter().collect())
            .unwrap_or_default();
        SearchQueue { domain, ..SearchQueue::default() }
    }

    /// Adds folders to the search domain (changes to them queue SUDs from now on; the
    /// search domain object gets them at the next commit).
    pub fn extend_domain(&mut self, folders: &[u32]) {
        for f in folders {
            if self.domain.insert(*f) {
                self.domain_added.push(*f);
            }
        }
    }

    /// A search folder was added: SUDT_SRCH_ADD is queued whatever the domain (2.4.8.1 rule
    /// 2), and the folder goes into the search activity list when its search is `active`.
    pub fn search_added(&mut self, nid: u32, active: bool) {
        self.push(SUDT_SRCH_ADD, &[nid]);
        if active {
            self.activity_added.push(nid);
        }
    }

    /// A search folder was deleted: SUDT_SRCH_DEL is queued (2.4.8.1 rule 2) and the folder
    /// leaves the search activity list.
    pub fn search_removed(&mut self, nid: u32) {
        self.push(SUDT_SRCH_DEL, &[nid]);
        self.activity_added.retain(|n| *n != nid);
        self.activity_removed.push(nid);
    }

    /// Queues a SUD of `kind` with `data` (NIDs, then zero padding) when one of `folders` is
    /// in the search domain.
    pub fn record(&mut self, kind: u16, folders: &[u32], data: &[u32]) {
        if folders.iter().any(|f| self.domain.contains(f)) {
            self.push(kind, data);
        }
    }

    /// Queues a SUD of `kind` with `data`.
    fn push(&mut self, kind: u16, data: &[u32]) {
        let mut sud = [0u8; SUD_LEN];
        sud[2..4].copy_from_slice(&kind.to_le_bytes());
        for (i, v) in data.iter().take(4).enumerate() {
            sud[4 + i * 4..8 + i * 4].copy_from_slice(&v.to_le_bytes());
        }
        self.pending.extend_from_slice(&sud);
    }

    /// Appends the queued SUDs to the search management queue node, and the new entries to
    /// the search activity list and the search domain object.
    pub fn flush(&mut self, ndb: &mut NdbWriter) -> Result<(), PstError> {
        if !self.pending.is_empty() {
            let mut queue = match ndb.node(NID_SEARCH_MANAGEMENT_QUEUE) {
                Some(n) => ndb.reader().data(n.data)?,
                None => Vec::new(),
            };
            queue.append(&mut self.pending);
            ndb.put_node(NID_SEARCH_MANAGEMENT_QUEUE, 0, &NodeContent::raw(&queue))?;
        }
        let lists = [
            (NID_SEARCH_ACTIVITY_LIST, &mut self.activity_added, &mut self.activity_removed),
            (NID_SEARCH_DOMAIN_OBJECT, &mut self.domain_added, &mut Vec::new()),
        ];
        for (nid, added, removed) in lists {
            if added.is_empty() && removed.is_empty() {
                continue;
            }
            let mut list = match ndb.node(nid) {
                Some(n) => nids(&ndb.reader().data(n.data)?),
                None => Vec::new(),
            };
            list.retain(|n| !removed.contains(n));
            removed.clear();
            for a in added.drain(..) {
                if !list.contains(&a) {
                    list.push(a);
                }
            }
            let bytes: Vec<u8> = list.iter().flat_map(|n| n.to_le_bytes()).collect();
            ndb.put_node(nid, 0, &NodeContent::raw(&bytes))?;
        }
        Ok(())
    }

    /// The bytes queued and not yet written (tests).
    #[cfg(test)]
    pub fn pending(&self) -> &[u8] {
        &self.pending
    }

    /// Puts `nid` into the search domain (tests).
    #[cfg(test)]
    pub fn watch(&mut self, nid: u32) {
        self.domain.insert(nid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_outside_the_search_domain_queues_nothing() {
        let mut q = SearchQueue::default();
        q.record(SUDT_MSG_ADD, &[0x8022], &[0x8022, 0x200024]);
        assert!(q.pending().is_empty());
        q.watch(0x8022);
        q.record(SUDT_MSG_ADD, &[0x8022], &[0x8022, 0x200024]);
        assert_eq!(q.pending().len(), SUD_LEN);
        assert_eq!(&q.pending()[2..12], &[1, 0, 0x22, 0x80, 0, 0, 0x24, 0, 0x20, 0]);
    }
}
