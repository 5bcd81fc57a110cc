//! The ROPs a Personal Folders store executes in-process. The client's objects speak ROPs
//! (MS-OXCROPS); the MSEMS provider carries them to the server, this provider answers them
//! from the file: the same objects, tables, streams and named properties on both. What the
//! read-only provider does not do is answered with MAPI_E_NO_SUPPORT (writes come with PST
//! writing), notifications included: a PST store sends none (no STORE_NOTIFY_OK).

use std::sync::{Arc, Mutex};

use oxmapi_core::catalogue::tags::{PR_NORMALIZED_SUBJECT, PR_RECIPIENT_TYPE, PR_SUBJECT_PREFIX};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_core::{ErrorCode, PropTag};
use oxmapi_pst::item::Message;
use oxmapi_wire::cdata::PropertyRow;
use oxmapi_wire::rop::outcome::{Empty, Outcome, Rows};
use oxmapi_wire::rop::oxcfold::{GetTableResponse, OpenFolderResponse};
use oxmapi_wire::rop::oxcmsg::{
    OpenEmbeddedMessageResponse, OpenMessageResponse, OpenRecipientRow, ReadRecipientRow,
    ReadRecipientsResponse, TypedString,
};
use oxmapi_wire::rop::oxcprpt::{
    GetNamesFromPropertyIdsResponse, GetPropertiesAllResponse, GetPropertiesSpecificResponse,
    GetPropertyIdsFromNamesResponse, PropertyTagsResponse, ReadStreamResponse, SeekStreamResponse,
    StreamSizeResponse,
};
use oxmapi_wire::rop::oxcstor::Ghosted;
use oxmapi_wire::rop::oxctabl::{
    BookmarkResponse, FindRowResponse, QueryColumnsAllResponse, QueryPositionResponse, QueryRowsResponse,
    SeekRowBookmarkResponse, SeekRowResponse, TableStatusResponse,
};
use oxmapi_wire::rop::recipients::{modify_columns, row_from_properties};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use super::PstStore;
use super::ids::nid_of;
use super::objects::{Doc, Edit, Obj, attachment_props, item_at, lock};
use super::table::TableKind;
use super::values::{all, cell, lookup};

/// OpenModeFlags / OpenAttachmentFlags ReadWrite ([MS-OXCMSG] 2.2.3.1.1, 2.2.3.12.1).
pub(super) const OPEN_READ_WRITE: u8 = 0x01;
/// OpenModeFlags Create of RopOpenEmbeddedMessage ([MS-OXCMSG] 2.2.3.16.1).
const OPEN_CREATE: u8 = 0x02;
/// RopGetPropertyIdsFromNames Flags: create the names that have no id ([MS-OXCPRPT] 2.2.12.1).
const NAMED_CREATE: u8 = 0x02;
/// Table flag Depth ([MS-OXCFOLD] 2.2.1.13.1).
const TABLE_DEPTH: u8 = 0x04;
/// Table flag Associated ([MS-OXCFOLD] 2.2.1.14.1).
const TABLE_ASSOCIATED: u8 = 0x02;
/// RopReadStream ByteCount asking for MaximumByteCount ([MS-OXCPRPT] 2.2.14.1).
const READ_MAXIMUM: u16 = 0xBABE;
/// The most bytes one RopReadStream returns.
const READ_STREAM_LIMIT: usize = 0x10000;
/// The most recipient rows RopOpenMessage carries (RecipientRows is counted by one byte).
const OPEN_RECIPIENT_ROWS: usize = 0xFF;
/// Code page 1200 (UTF-16LE): the strings of every recipient row this provider returns.
const CP_UNICODE: u16 = 1200;
/// RopSetColumns, RopSortTable and RopRestrict: TableStatus TBLSTAT_COMPLETE.
const TBLSTAT_COMPLETE: u8 = 0;

type Answer = Result<RopResponse, ErrorCode>;

fn ok<T>(index: u8, body: T) -> Outcome<T> {
    Outcome { handle_index: index, return_value: 0, body: Some(body) }
}

fn status(index: u8) -> Outcome<TableStatusResponse> {
    ok(index, TableStatusResponse { table_status: TBLSTAT_COMPLETE })
}

impl PstStore {
    /// Runs one request against the handle table `handles`.
    pub(super) fn dispatch(&mut self, req: &RopRequest, handles: &mut [u32]) -> Answer {
        use RopRequest as Q;
        use RopResponse as R;
        match req {
            Q::OpenFolder(q) => {
                self.expect_container(handles, q.input_handle_index)?;
                let nid = nid_of(q.folder_id).ok_or(codes::MAPI_E_NOT_FOUND)?;
                if !matches!(nid & 0x1f, 0x02 | 0x03) || self.facts.file.node_entry(nid).is_none() {
                    return Err(codes::MAPI_E_NOT_FOUND);
                }
                self.facts.folder_props(nid).map_err(|_| codes::MAPI_E_CORRUPT_DATA)?;
                self.put(handles, q.output_handle_index, Obj::Folder { nid })?;
                Ok(R::OpenFolder(ok(
                    q.output_handle_index,
                    OpenFolderResponse { has_rules: 0, ghosted: Ghosted::default() },
                )))
            }
            Q::GetHierarchyTable(q) => {
                let nid = self.folder(handles, q.input_handle_index)?;
                let t = self.facts.hierarchy_table(nid, q.table_flags & TABLE_DEPTH != 0);
                Ok(R::GetHierarchyTable(self.put_table(handles, q.output_handle_index, t)?))
            }
            Q::GetContentsTable(q) => {
                let nid = self.folder(handles, q.input_handle_index)?;
                let t = self.facts.contents_table(nid, q.table_flags & TABLE_ASSOCIATED != 0);
                Ok(R::GetContentsTable(self.put_table(handles, q.output_handle_index, t)?))
            }
            Q::OpenMessage(q) => {
                self.expect_container(handles, q.input_handle_index)?;
                let nid = nid_of(q.message_id).ok_or(codes::MAPI_E_NOT_FOUND)?;
                let fid = nid_of(q.folder_id).ok_or(codes::MAPI_E_NOT_FOUND)?;
                // A normal message (NID_TYPE_NORMAL_MESSAGE) or an FAI message
                // (NID_TYPE_ASSOC_MESSAGE), [MS-PST] 2.2.2.1.
                if self.facts.file.node_entry(nid).is_none_or(|n| n.parent != fid && n.parent != 0)
                    || !matches!(nid & 0x1f, 0x04 | 0x08)
                {
                    return Err(codes::MAPI_E_NOT_FOUND);
                }
                let msg = self.facts.file.message(nid).map_err(|_| codes::MAPI_E_CORRUPT_DATA)?;
                let body = open_response(&msg, &[]);
                let edit = (q.open_mode_flags & OPEN_READ_WRITE != 0)
                    .then_some(Edit { associated: nid & 0x1f == 0x08 });
                let doc = Arc::new(Mutex::new(msg));
                self.put(
                    handles,
                    q.output_handle_index,
                    Obj::Message { doc, nid, fid, path: Vec::new(), edit },
                )?;
                Ok(R::OpenMessage(ok(q.output_handle_index, body)))
            }
            Q::ReadRecipients(q) => {
                let (doc, path) = self.message(handles, q.input_handle_index)?;
                let rows = recipients(&lock(&doc), &path);
                let columns = columns_of(&rows);
                let out: Vec<ReadRecipientRow> = rows
                    .iter()
                    .enumerate()
                    .skip(q.row_id as usize)
                    .take(OPEN_RECIPIENT_ROWS)
                    .map(|(i, r)| ReadRecipientRow {
                        row_id: i as u32,
                        recipient_type: recipient_type(r),
                        code_page_id: CP_UNICODE,
                        reserved: 0,
                        recipient_row: row_from_properties(r, &columns),
                    })
                    .collect();
                if out.is_empty() {
                    return Err(codes::MAPI_E_NOT_FOUND);
                }
                Ok(R::ReadRecipients(ok(
                    q.input_handle_index,
                    ReadRecipientsResponse { recipient_rows: out },
                )))
            }
            Q::GetAttachmentTable(q) => {
                let (doc, path) = self.message(handles, q.input_handle_index)?;
                let t = self.facts.attachment_table(&lock(&doc), &path);
                self.put(handles, q.output_handle_index, Obj::Table(t))?;
                Ok(R::GetAttachmentTable(ok(q.output_handle_index, Empty)))
            }
            Q::OpenAttachment(q) => {
                let (doc, path) = self.message(handles, q.input_handle_index)?;
                let index = q.attachment_id as usize;
                if item_at(&lock(&doc), &path).and_then(|i| i.attachments.get(index)).is_none() {
                    return Err(codes::MAPI_E_NOT_FOUND);
                }
                let writable = self.writable_message(handles, q.input_handle_index)
                    && q.open_attachment_flags & OPEN_READ_WRITE != 0;
                self.put(handles, q.output_handle_index, Obj::Attachment { doc, path, index, writable })?;
                Ok(R::OpenAttachment(ok(q.output_handle_index, Empty)))
            }
            Q::OpenEmbeddedMessage(q) => {
                let (doc, mut path, index, writable) = match self.get(handles, q.input_handle_index)? {
                    Obj::Attachment { doc, path, index, writable } => {
                        (doc.clone(), path.to_vec(), *index, *writable)
                    }
                    _ => return Err(codes::MAPI_E_NO_SUPPORT),
                };
                let create = q.open_mode_flags & OPEN_CREATE != 0;
                if create {
                    if !writable {
                        return Err(codes::MAPI_E_NO_ACCESS);
                    }
                    self.writable()?;
                    super::write::embed_new(&doc, &path, index)?;
                }
                path.push(index);
                let message = {
                    let msg = lock(&doc);
                    if item_at(&msg, &path).is_none() {
                        return Err(codes::MAPI_E_NOT_FOUND);
                    }
                    open_response(&msg, &path)
                };
                let edit = (writable && q.open_mode_flags & OPEN_READ_WRITE != 0 || create)
                    .then_some(Edit { associated: false });
                self.put(handles, q.output_handle_index, Obj::Message { doc, nid: 0, fid: 0, path, edit })?;
                let body = OpenEmbeddedMessageResponse { reserved: 0, message_id: ObjectId::ZERO, message };
                Ok(R::OpenEmbeddedMessage(ok(q.output_handle_index, body)))
            }
            Q::GetPropertiesSpecific(q) => {
                let bag = self.props_of(handles, q.input_handle_index)?;
                let cp = self.facts.file.codepage();
                let row = PropertyRow::new(q.property_tags.iter().map(|t| cell(&bag, *t, cp)).collect());
                let rows = Rows::Decoded { columns: q.property_tags.clone(), rows: vec![row] };
                Ok(R::GetPropertiesSpecific(ok(
                    q.input_handle_index,
                    GetPropertiesSpecificResponse { row: rows },
                )))
            }
            Q::GetPropertiesAll(q) => {
                let bag = self.props_of(handles, q.input_handle_index)?;
                let property_values = all(&bag, self.facts.file.codepage());
                Ok(R::GetPropertiesAll(ok(
                    q.input_handle_index,
                    GetPropertiesAllResponse { property_values },
                )))
            }
            Q::GetPropertiesList(q) => {
                let bag = self.props_of(handles, q.input_handle_index)?;
                Ok(R::GetPropertiesList(ok(
                    q.input_handle_index,
                    PropertyTagsResponse { property_tags: bag.tags() },
                )))
            }
            Q::OpenStream(q) => {
                if q.open_mode_flags != 0 {
                    return self.open_write_stream(q, handles);
                }
                let bag = self.props_of(handles, q.input_handle_index)?;
                let value = lookup(&bag, q.property_tag).ok_or(codes::MAPI_E_NOT_FOUND)?;
                let data = super::values::decoded(value, self.facts.file.codepage())
                    .stream_bytes()
                    .ok_or(codes::MAPI_E_NOT_FOUND)?;
                let stream_size = u32::try_from(data.len()).map_err(|_| codes::MAPI_E_TOO_BIG)?;
                self.put(handles, q.output_handle_index, Obj::Stream { data, position: 0, target: None })?;
                Ok(R::OpenStream(ok(q.output_handle_index, StreamSizeResponse { stream_size })))
            }
            Q::ReadStream(q) => {
                let Obj::Stream { data, position, .. } = self.get_mut(handles, q.input_handle_index)? else {
                    return Err(codes::MAPI_E_NO_SUPPORT);
                };
                let want = if q.byte_count == READ_MAXIMUM {
                    q.maximum_byte_count.unwrap_or(0) as usize
                } else {
                    q.byte_count as usize
                }
                .min(READ_STREAM_LIMIT);
                let start = (*position as usize).min(data.len());
                let end = start.saturating_add(want).min(data.len());
                *position = end as u64;
                let data = data[start..end].to_vec();
                Ok(R::ReadStream(ok(q.input_handle_index, ReadStreamResponse { data })))
            }
            Q::SeekStream(q) => {
                let Obj::Stream { data, position, .. } = self.get_mut(handles, q.input_handle_index)? else {
                    return Err(codes::MAPI_E_NO_SUPPORT);
                };
                let base = match q.origin {
                    0 => 0i64,
                    1 => *position as i64,
                    2 => data.len() as i64,
                    _ => return Err(codes::MAPI_E_INVALID_PARAMETER),
                };
                let to = base.checked_add(q.offset).filter(|p| *p >= 0).ok_or(codes::STG_E_SEEKERROR)?;
                *position = to as u64;
                Ok(R::SeekStream(ok(q.input_handle_index, SeekStreamResponse { new_position: to as u64 })))
            }
            Q::GetStreamSize(q) => {
                let Obj::Stream { data, .. } = self.get(handles, q.input_handle_index)? else {
                    return Err(codes::MAPI_E_NO_SUPPORT);
                };
                let stream_size = data.len() as u32;
                Ok(R::GetStreamSize(ok(q.input_handle_index, StreamSizeResponse { stream_size })))
            }
            Q::GetNamesFromPropertyIds(q) => {
                self.get(handles, q.input_handle_index)?;
                let names = self.named_map();
                let property_names = q.property_ids.iter().map(|id| names.get(id).cloned()).collect();
                Ok(R::GetNamesFromPropertyIds(ok(
                    q.input_handle_index,
                    GetNamesFromPropertyIdsResponse { property_names },
                )))
            }
            Q::GetPropertyIdsFromNames(q) => {
                self.get(handles, q.input_handle_index)?;
                let property_ids: Vec<u16> = if q.flags & NAMED_CREATE != 0 {
                    let names = &q.property_names;
                    self.with_writer(|w| Ok(names.iter().map(|n| w.named_id(n).unwrap_or(0)).collect()))?
                } else {
                    let names = self.named_map();
                    q.property_names
                        .iter()
                        .map(|n| names.iter().find(|(_, v)| *v == n).map_or(0, |(id, _)| *id))
                        .collect()
                };
                // Names the file does not map are 0 with ecWarnWithErrors ([MS-OXCPRPT]
                // 3.2.5.8); a read-only (ANSI) store creates none.
                let return_value =
                    if property_ids.contains(&0) { codes::MAPI_W_ERRORS_RETURNED.0 } else { 0 };
                let body = GetPropertyIdsFromNamesResponse { property_ids };
                Ok(R::GetPropertyIdsFromNames(Outcome {
                    handle_index: q.input_handle_index,
                    return_value,
                    body: Some(body),
                }))
            }
            other => self.write_rop(other, handles),
        }
    }

    /// The table ROPs ([MS-OXCTABL] 3.2.5).
    pub(super) fn table_rop(&mut self, req: &RopRequest, handles: &mut [u32]) -> Answer {
        use RopRequest as Q;
        use RopResponse as R;
        let slot = match req {
            Q::SetColumns(q) => q.input_handle_index,
            Q::SortTable(q) => q.input_handle_index,
            Q::Restrict(q) => q.input_handle_index,
            Q::QueryRows(q) => q.input_handle_index,
            Q::QueryPosition(q) => q.input_handle_index,
            Q::SeekRow(q) => q.input_handle_index,
            Q::SeekRowBookmark(q) => q.input_handle_index,
            Q::SeekRowFractional(q) => q.input_handle_index,
            Q::CreateBookmark(q) => q.input_handle_index,
            Q::FreeBookmark(q) => q.input_handle_index,
            Q::FindRow(q) => q.input_handle_index,
            Q::QueryColumnsAll(q) => q.input_handle_index,
            Q::GetStatus(q) => q.input_handle_index,
            _ => return Err(codes::MAPI_E_NO_SUPPORT),
        };
        if let Q::QueryRows(q) = req {
            self.complete_rows(handles, slot, q.row_count as usize, q.forward_read != 0)?;
        }
        if let Q::FindRow(_) = req {
            self.complete_rows(handles, slot, usize::MAX, true)?;
        }
        let Obj::Table(t) = self.get_mut(handles, slot)? else {
            return Err(codes::MAPI_E_NO_SUPPORT);
        };
        Ok(match req {
            Q::SetColumns(q) => {
                t.columns = q.property_tags.clone();
                R::SetColumns(status(slot))
            }
            Q::SortTable(q) => {
                t.sort(q.sort_orders.clone());
                R::SortTable(status(slot))
            }
            Q::Restrict(q) => {
                t.restrict(q.restriction.clone());
                R::Restrict(status(slot))
            }
            Q::GetStatus(_) => R::GetStatus(status(slot)),
            Q::QueryRows(q) => {
                let (rows, origin) = t.query(q.row_count as usize, q.forward_read != 0);
                let body = QueryRowsResponse {
                    origin,
                    row_count: rows.len() as u16,
                    rows: Rows::Decoded { columns: t.columns.clone(), rows },
                };
                R::QueryRows(ok(slot, body))
            }
            Q::QueryPosition(_) => {
                let (numerator, denominator) = t.position();
                R::QueryPosition(ok(slot, QueryPositionResponse { numerator, denominator }))
            }
            Q::SeekRow(q) => {
                let (rows_sought, less) =
                    t.seek(q.origin, q.row_count).ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
                R::SeekRow(ok(slot, SeekRowResponse { has_sought_less: less as u8, rows_sought }))
            }
            Q::SeekRowBookmark(q) => {
                let (rows_sought, less) =
                    t.seek_bookmark(&q.bookmark, q.row_count).ok_or(codes::MAPI_E_INVALID_BOOKMARK)?;
                R::SeekRowBookmark(ok(
                    slot,
                    SeekRowBookmarkResponse {
                        row_no_longer_visible: 0,
                        has_sought_less: less as u8,
                        rows_sought,
                    },
                ))
            }
            Q::SeekRowFractional(q) => {
                t.seek_fraction(q.numerator, q.denominator);
                R::SeekRowFractional(ok(slot, Empty))
            }
            Q::CreateBookmark(_) => {
                R::CreateBookmark(ok(slot, BookmarkResponse { bookmark: t.create_bookmark() }))
            }
            Q::FreeBookmark(q) => {
                if !t.free_bookmark(&q.bookmark) {
                    return Err(codes::MAPI_E_INVALID_BOOKMARK);
                }
                R::FreeBookmark(ok(slot, Empty))
            }
            Q::FindRow(q) => {
                let r = q.restriction.as_ref().ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
                let found = t
                    .find(r, q.origin, &q.bookmark, q.find_row_flags & 1 != 0)
                    .ok_or(codes::MAPI_E_INVALID_BOOKMARK)?;
                let row = found.ok_or(codes::MAPI_E_NOT_FOUND)?;
                let rows = Rows::Decoded { columns: t.columns.clone(), rows: vec![row] };
                R::FindRow(ok(slot, FindRowResponse { row_no_longer_visible: 0, row: Some(rows) }))
            }
            Q::QueryColumnsAll(_) => {
                R::QueryColumnsAll(ok(slot, QueryColumnsAllResponse { property_tags: t.all_columns() }))
            }
            _ => return Err(codes::MAPI_E_NO_SUPPORT),
        })
    }

    /// Puts a table just read into `slot`: the RopGetHierarchyTable / RopGetContentsTable answer
    /// with its row count (MAPI_E_CORRUPT_DATA when its table context is damaged).
    fn put_table(
        &mut self,
        handles: &mut [u32],
        slot: u8,
        table: Result<super::table::LocalTable, String>,
    ) -> Result<Outcome<GetTableResponse>, ErrorCode> {
        let t = table.map_err(|_| codes::MAPI_E_CORRUPT_DATA)?;
        let row_count = t.len() as u32;
        self.put(handles, slot, Obj::Table(t))?;
        Ok(ok(slot, GetTableResponse { row_count }))
    }

    /// Reads, from the messages themselves, the columns a contents table's rows lack (the
    /// table context of a PST carries only some of a message's properties).
    fn complete_rows(
        &mut self,
        handles: &[u32],
        slot: u8,
        count: usize,
        forward: bool,
    ) -> Result<(), ErrorCode> {
        let file = self.facts.file.clone();
        let Obj::Table(t) = self.get_mut(handles, slot)? else {
            return Err(codes::MAPI_E_NO_SUPPORT);
        };
        if t.kind != TableKind::Contents {
            return Ok(());
        }
        let (from, to) = t.window(count, forward);
        for (index, nid) in t.nids(from, to) {
            if t.lacks_columns(index)
                && let Ok(extra) = file.message_props(nid)
            {
                t.complete(index, extra);
            }
        }
        Ok(())
    }

    /// The properties of the object in `slot`.
    pub(super) fn props_of(&self, handles: &[u32], slot: u8) -> Result<oxmapi_core::bag::PropBag, ErrorCode> {
        Ok(match self.get(handles, slot)? {
            Obj::Logon => self.facts.store_props(),
            Obj::Folder { nid } => self.facts.folder_props(*nid).map_err(|_| codes::MAPI_E_CORRUPT_DATA)?,
            Obj::Message { doc, nid, fid, path, .. } => {
                self.facts.message_props(&lock(doc), *nid, *fid, path)
            }
            Obj::Attachment { doc, path, index, .. } => {
                attachment_props(&lock(doc), path, *index).ok_or(codes::MAPI_E_NOT_FOUND)?
            }
            Obj::Table(_) | Obj::Stream { .. } => return Err(codes::MAPI_E_NO_SUPPORT),
        })
    }

    pub(super) fn folder(&self, handles: &[u32], slot: u8) -> Result<u32, ErrorCode> {
        match self.get(handles, slot)? {
            Obj::Folder { nid } => Ok(*nid),
            _ => Err(codes::MAPI_E_NO_SUPPORT),
        }
    }

    fn expect_container(&self, handles: &[u32], slot: u8) -> Result<(), ErrorCode> {
        match self.get(handles, slot)? {
            Obj::Logon | Obj::Folder { .. } => Ok(()),
            _ => Err(codes::MAPI_E_NO_SUPPORT),
        }
    }

    pub(super) fn message(&self, handles: &[u32], slot: u8) -> Result<(Doc, Vec<usize>), ErrorCode> {
        match self.get(handles, slot)? {
            Obj::Message { doc, path, .. } => Ok((doc.clone(), path.clone())),
            _ => Err(codes::MAPI_E_NO_SUPPORT),
        }
    }

    /// True when the message in `slot` was opened or created to write.
    pub(super) fn writable_message(&self, handles: &[u32], slot: u8) -> bool {
        matches!(self.get(handles, slot), Ok(Obj::Message { edit: Some(_), .. }))
    }
}

/// The recipients of the item at `path` as tagged values.
fn recipients(msg: &Message, path: &[usize]) -> Vec<Vec<TaggedValue>> {
    item_at(msg, path)
        .map(|i| i.recipients.iter().map(|r| r.iter().cloned().collect()).collect())
        .unwrap_or_default()
}

fn columns_of(rows: &[Vec<TaggedValue>]) -> Vec<PropTag> {
    modify_columns(rows.iter().map(|r| r.as_slice()))
}

fn recipient_type(r: &[TaggedValue]) -> u8 {
    match r.iter().find(|v| v.tag.id() == PR_RECIPIENT_TYPE.id()).map(|v| &v.value) {
        Some(PropValue::I32(t)) => *t as u8,
        _ => 1,
    }
}

fn typed(v: Option<&PropValue>) -> TypedString {
    match v {
        Some(PropValue::Unicode(s)) if s.is_empty() => TypedString::Empty,
        Some(PropValue::Unicode(s)) => TypedString::Unicode(s.clone()),
        _ => TypedString::Absent,
    }
}

/// The RopOpenMessage response for the item at `path`: its subject parts and recipients.
fn open_response(msg: &Message, path: &[usize]) -> OpenMessageResponse {
    let rows = recipients(msg, path);
    let columns = columns_of(&rows);
    let props = item_at(msg, path).map(|i| i.props.clone()).unwrap_or_default();
    let recipient_rows = rows
        .iter()
        .take(OPEN_RECIPIENT_ROWS)
        .map(|r| OpenRecipientRow {
            recipient_type: recipient_type(r),
            code_page_id: CP_UNICODE,
            reserved: 0,
            recipient_row: row_from_properties(r, &columns),
        })
        .collect();
    OpenMessageResponse {
        has_named_properties: u8::from(!msg.names.is_empty()),
        subject_prefix: typed(lookup(&props, PR_SUBJECT_PREFIX)),
        normalized_subject: typed(lookup(&props, PR_NORMALIZED_SUBJECT)),
        recipient_count: rows.len().min(u16::MAX as usize) as u16,
        recipient_columns: columns,
        recipient_rows,
    }
}
