//! Recipients of an open message (MS-OXCMSG 3.2.5.4–3.2.5.6: RopRemoveAllRecipients,
//! RopModifyRecipients, RopReadRecipients) and the conversion between the wire RecipientRow
//! (MS-OXCDATA 2.8.3) and the store's recipient property lists.
//!
//! A RecipientRow carries the common properties in fixed fields (address type, e-mail address,
//! display names, responsibility, rich-info) selected by `RecipientFlags`, and any others as a
//! PropertyRow over the message object's `RecipientColumns` (the conversion itself is
//! `oxmapi_wire::rop::recipients`, shared with the client).

use oxmapi_core::ErrorCode;
use oxmapi_core::catalogue::tags::PR_EMAIL_ADDRESS;
use oxmapi_core::consts::recipient_type as rt;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::mailbox::RecipientRow as StoreRecipient;
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcmsg::{
    ModifyRecipientRow, ModifyRecipientsRequest, ReadRecipientRow, ReadRecipientsRequest,
    ReadRecipientsResponse, RecipientRow, RemoveAllRecipientsRequest,
};
use oxmapi_wire::rop::recipients::{is_standard, row_from_properties, row_to_properties};
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{Slots, lock};
use super::oxcmsg::{DEFAULT_CODE_PAGE, message_in, message_mut};
use super::oxcstor::store_code;
use super::{RopResult, RopSession};

/// `RecipientType` bits of the wire rows (MS-OXCROPS 2.2.6.5.1.1) for the PR_RECIPIENT_TYPE
/// flags MAPI_P1 and MAPI_SUBMITTED.
const WIRE_P1: u8 = 0x10;
const WIRE_SUBMITTED: u8 = 0x80;
const WIRE_TYPE_MASK: u8 = 0x0F;
/// Most rows one RopOpenMessage / RopReadRecipients response carries (`RowCount` is a byte).
pub(crate) const MAX_ROWS: usize = 0xFF;
/// Bytes of a ReadRecipientRow before its RecipientRow (RowId, RecipientType, CodePageId,
/// Reserved, RecipientRowSize).
const READ_ROW_HEADER: usize = 11;
/// Bytes of a RopReadRecipients response before its rows (RopId, InputHandleIndex,
/// ReturnValue, RowCount).
const READ_RESPONSE_HEADER: usize = 7;

/// The wire `RecipientType` byte of a PR_RECIPIENT_TYPE value.
pub(crate) fn wire_type(t: u32) -> u8 {
    let mut b = (t & u32::from(WIRE_TYPE_MASK)) as u8;
    if t & rt::MAPI_P1 != 0 {
        b |= WIRE_P1;
    }
    if t & rt::MAPI_SUBMITTED != 0 {
        b |= WIRE_SUBMITTED;
    }
    b
}

/// The PR_RECIPIENT_TYPE value of a wire `RecipientType` byte.
fn store_type(b: u8) -> u32 {
    let mut t = u32::from(b & WIRE_TYPE_MASK);
    if b & WIRE_P1 != 0 {
        t |= rt::MAPI_P1;
    }
    if b & WIRE_SUBMITTED != 0 {
        t |= rt::MAPI_SUBMITTED;
    }
    t
}

/// The recipient columns of a message as opened: every property of its recipients that no
/// fixed RecipientRow field carries, in property id order.
pub(crate) fn initial_columns<'a>(rows: impl Iterator<Item = &'a StoreRecipient>) -> Vec<PropTag> {
    let mut out: Vec<PropTag> = Vec::new();
    for r in rows {
        for p in &r.props {
            if !is_standard(p.tag) && !out.iter().any(|t| t.id() == p.tag.id()) {
                out.push(p.tag);
            }
        }
    }
    out.sort_by_key(|t| t.id());
    out
}

/// A stored recipient as a wire RecipientRow over `columns` (Unicode strings). The row covers
/// the columns up to the last one the recipient has (`RecipientColumnCount`), so a client that
/// knows only the columns announced before later RopModifyRecipients calls can still read it.
pub(crate) fn to_wire(r: &StoreRecipient, columns: &[PropTag]) -> RecipientRow {
    let has = |c: &PropTag| r.props.iter().any(|p| p.tag.id() == c.id());
    let used = columns.iter().rposition(has).map_or(0, |i| i + 1);
    row_from_properties(&r.props, &columns[..used])
}

/// A wire ModifyRecipientRow as a store recipient (without a row: no properties, which deletes
/// the recipient). An X500 DN that leaves out the first `AddressPrefixUsed` characters it shares
/// with `owner_dn` gets them back.
fn from_wire(
    m: &ModifyRecipientRow,
    columns: &[PropTag],
    owner_dn: &str,
) -> Result<StoreRecipient, ErrorCode> {
    let mut props = Vec::new();
    if let Some(w) = &m.recipient_row {
        if usize::from(w.column_count) > columns.len() {
            return Err(codes::MAPI_E_INVALID_PARAMETER);
        }
        props = row_to_properties(w, columns).map_err(|e| {
            tracing::debug!(error = %e, "undecodable RecipientRow");
            codes::MAPI_E_INVALID_PARAMETER
        })?;
        let used = usize::from(w.address_prefix_used.unwrap_or(0));
        if let (true, Some(dn)) = (used > 0, &w.x500_dn) {
            let prefix: String = owner_dn.chars().take(used).collect();
            props.retain(|p| p.tag.id() != PR_EMAIL_ADDRESS.id());
            props.push(TaggedValue::new(PR_EMAIL_ADDRESS, PropValue::Unicode(format!("{prefix}{dn}"))));
        }
    }
    Ok(StoreRecipient { row_id: m.row_id, recipient_type: store_type(m.recipient_type), props })
}

/// RopRemoveAllRecipients (MS-OXCMSG 3.2.5.4): succeeds on a message without recipients;
/// the change reaches the store with the message's save.
pub fn remove_all_recipients(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &RemoveAllRecipientsRequest,
) -> RopResult {
    let m = message_in(rs, slots, q.input_handle_index)?;
    if !m.writable {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    m.logon.store.remove_all_recipients(&mut lock(&m.draft));
    Ok(RopResponse::RemoveAllRecipients(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopModifyRecipients (MS-OXCMSG 3.2.5.5): adds, replaces (same `RowId`) or, with an empty
/// row, removes recipients; nothing changes when a row is invalid. The request's columns join
/// the message object's `RecipientColumns`.
pub fn modify_recipients(rs: &mut RopSession, slots: &mut Slots, q: &ModifyRecipientsRequest) -> RopResult {
    let m = message_mut(rs, slots, q.input_handle_index)?;
    if !m.writable {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    let owner_dn = m.logon.owner.as_ref().map(|o| o.legacy_dn.clone()).unwrap_or_default();
    let rows = q
        .recipient_rows
        .iter()
        .map(|r| from_wire(r, &q.recipient_columns, &owner_dn))
        .collect::<Result<Vec<_>, _>>()?;
    m.logon.store.modify_recipients(&mut lock(&m.draft), rows).map_err(store_code)?;
    for c in &q.recipient_columns {
        if !m.recipient_columns.contains(c) && !is_standard(*c) {
            m.recipient_columns.push(*c);
        }
    }
    Ok(RopResponse::ModifyRecipients(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopReadRecipients (MS-OXCMSG 3.2.5.6): the recipients from `RowId` on, as many as fit in
/// `room` bytes; ecNotFound when there are none, ecBufferTooSmall when not even one fits.
pub fn read_recipients(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &ReadRecipientsRequest,
    room: usize,
) -> RopResult {
    let m = message_in(rs, slots, q.input_handle_index)?;
    let rows = m.logon.store.read_recipients(&lock(&m.draft), q.row_id);
    if rows.is_empty() {
        return Err(codes::MAPI_E_NOT_FOUND);
    }
    let mut used = READ_RESPONSE_HEADER;
    let mut out = Vec::new();
    for r in rows.iter().take(MAX_ROWS) {
        let row = ReadRecipientRow {
            row_id: r.row_id,
            recipient_type: wire_type(r.recipient_type),
            code_page_id: DEFAULT_CODE_PAGE,
            reserved: 0,
            recipient_row: to_wire(r, &m.recipient_columns),
        };
        let size = READ_ROW_HEADER + encoded_len(&row.recipient_row);
        if used + size > room {
            break;
        }
        used += size;
        out.push(row);
    }
    if out.is_empty() {
        return Err(codes::EC_BUFFER_TOO_SMALL);
    }
    Ok(RopResponse::ReadRecipients(Outcome::ok(
        q.input_handle_index,
        ReadRecipientsResponse { recipient_rows: out },
    )))
}

/// Encoded size of a RecipientRow.
pub(crate) fn encoded_len(row: &RecipientRow) -> usize {
    let mut w = oxmapi_core::codec::Writer::new();
    row.encode(&mut w);
    w.len()
}
