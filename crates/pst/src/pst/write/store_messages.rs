//! The messages of a [`PstWriter`] ([MS-PST] 2.4.5): added (encoded by [`super::message`]),
//! replaced, moved, copied and deleted, each with its row in its folder's contents (or
//! associated contents) table and its search update descriptor.

use oxmapi_core::bag::PropBag;

use super::folder::Table;
use super::folder::summary;
use super::message::encode_message;
use super::search::{SUDT_MSG_ADD, SUDT_MSG_DEL, SUDT_MSG_MOD, SUDT_MSG_MOV};
use super::template::{NID_TYPE_ASSOC_MESSAGE, NID_TYPE_NORMAL_MESSAGE};
use super::{NodeContent, PstWriter};
use crate::item::Message;
use crate::pst::PstError;
use crate::pst::ltp::Row;
use crate::pst::ndb::Ndb;

/// The content of a node or subnode from its data and subnode trees. Subnode trees nest once
/// per embedded message, so the depth is bounded like the reader's.
fn content_of(ndb: &Ndb, data: u64, sub: u64, depth: usize) -> Result<NodeContent, PstError> {
    if depth > crate::pst::message::MAX_EMBED_DEPTH * 2 + 2 {
        return Err(PstError::Corrupt("subnodes nested deeper than any message the writer makes".into()));
    }
    let blocks = ndb.data_blocks(data)?;
    let mut subnodes = Vec::new();
    let mut subs: Vec<_> = ndb.subnodes(sub)?.into_iter().collect();
    subs.sort_by_key(|(id, _)| *id);
    for (id, s) in subs {
        subnodes.push((id, content_of(ndb, s.data, s.sub, depth + 1)?));
    }
    Ok(NodeContent { blocks, subnodes })
}

impl PstWriter {
    /// Writes a message into `folder` (its associated contents when `associated`): the message
    /// node with its recipients, attachments and embedded messages, named properties mapped
    /// into the file's map, and the folder's contents row. Returns the message's node id.
    pub fn add_message(&mut self, folder: u32, msg: &Message, associated: bool) -> Result<u32, PstError> {
        self.folder_mut(folder)?;
        let enc = encode_message(msg, &mut self.names)?;
        let ty = if associated { NID_TYPE_ASSOC_MESSAGE } else { NID_TYPE_NORMAL_MESSAGE };
        let nid = self.fresh_nid(ty);
        self.ndb.put_node(nid, folder, &enc.content)?;
        let t = if associated { Table::Associated } else { Table::Contents };
        let row = Row { id: nid, props: summary(&enc.props, t.columns()) };
        self.folder_mut(folder)?.add_row(t, row);
        self.search.record(SUDT_MSG_ADD, &[folder], &[folder, nid]);
        Ok(nid)
    }

    /// The folder a message is in, and whether it is an associated message.
    pub(super) fn message_home(&self, nid: u32) -> Result<(u32, Table), PstError> {
        let t = match (nid & 0x1F) as u8 {
            NID_TYPE_NORMAL_MESSAGE => Table::Contents,
            NID_TYPE_ASSOC_MESSAGE => Table::Associated,
            _ => {
                return Err(PstError::Corrupt(format!(
                    "node {nid:#x} is not a message (MAPI_E_INVALID_PARAMETER)"
                )));
            }
        };
        let n = self.ndb.node(nid).ok_or_else(|| {
            PstError::Corrupt(format!("message {nid:#x} is not in the file (MAPI_E_NOT_FOUND)"))
        })?;
        Ok((n.parent, t))
    }

    /// Replaces message `nid` whole (same node id, same folder).
    pub fn replace_message(&mut self, nid: u32, msg: &Message) -> Result<(), PstError> {
        let (folder, t) = self.message_home(nid)?;
        self.folder_mut(folder)?;
        let enc = encode_message(msg, &mut self.names)?;
        self.ndb.put_node(nid, folder, &enc.content)?;
        self.folder_mut(folder)?.put_row(t, Row { id: nid, props: summary(&enc.props, t.columns()) });
        self.search.record(SUDT_MSG_MOD, &[folder], &[folder, nid]);
        Ok(())
    }

    /// Moves message `nid` into folder `to` (same node id, same kind: an associated message
    /// stays associated); its node is re-put under the new parent as it is stored.
    pub fn move_message(&mut self, nid: u32, to: u32) -> Result<(), PstError> {
        let (from, t) = self.message_home(nid)?;
        if from == to {
            return Ok(());
        }
        self.folder_mut(to)?;
        let content = self.stored_content(nid)?;
        self.ndb.put_node(nid, to, &content)?;
        let row = self.folder_mut(from)?.take_row(t, nid).unwrap_or(Row { id: nid, props: PropBag::new() });
        self.folder_mut(to)?.add_row(t, row);
        self.search.record(SUDT_MSG_MOV, &[from, to], &[to, nid, from]);
        Ok(())
    }

    /// Copies message `nid` into folder `to`; returns the copy's node id.
    pub fn copy_message(&mut self, nid: u32, to: u32) -> Result<u32, PstError> {
        let (from, t) = self.message_home(nid)?;
        self.folder_mut(to)?;
        let content = self.stored_content(nid)?;
        let row = self.folder_mut(from)?.rows(t).iter().find(|r| r.id == nid).cloned();
        let copy = self.fresh_nid((nid & 0x1F) as u8);
        self.ndb.put_node(copy, to, &content)?;
        let props = row.map(|r| r.props).unwrap_or_default();
        self.folder_mut(to)?.add_row(t, Row { id: copy, props });
        self.search.record(SUDT_MSG_ADD, &[to], &[to, copy]);
        Ok(copy)
    }

    /// A node as stored (its data blocks and its subnodes, recursively), to put elsewhere.
    pub(super) fn stored_content(&self, nid: u32) -> Result<NodeContent, PstError> {
        let n = self.ndb.node(nid).ok_or_else(|| {
            PstError::Corrupt(format!("node {nid:#x} is not in the file (MAPI_E_NOT_FOUND)"))
        })?;
        content_of(self.ndb.reader(), n.data, n.sub, 0)
    }

    /// Deletes message `nid`.
    pub fn delete_message(&mut self, nid: u32) -> Result<(), PstError> {
        let (folder, t) = self.message_home(nid)?;
        self.ndb.delete_node(nid)?;
        self.folder_mut(folder)?.remove_row(t, nid);
        self.search.record(SUDT_MSG_DEL, &[folder], &[folder, nid]);
        Ok(())
    }
}
