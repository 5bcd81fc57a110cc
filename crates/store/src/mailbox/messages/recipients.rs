//! Recipients of an open message (MS-OXCMSG 2.2.3.5 RopModifyRecipients, 2.2.3.6
//! RopReadRecipients, 2.2.3.4 RopRemoveAllRecipients).
//!
//! A recipient is a row id, a recipient type (MAPI_TO, MAPI_CC, MAPI_BCC with the MAPI_P1 /
//! MAPI_SUBMITTED flags) and a property list; the server turns the wire RecipientRow
//! (MS-OXCDATA 2.8.3) into properties and back. Stored as one row per recipient, the properties
//! encoded as a TaggedPropertyValue list (MS-OXCDATA 2.11.4, 32-bit counts).

use oxmapi_core::catalogue::tags::{PR_RECIPIENT_TYPE, PR_ROWID};
use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::ptype::PropType;
use oxmapi_core::value::TaggedValue;
use oxmapi_wire::cdata::{Form, read_tagged_values, write_tagged_values};

use super::draft::MessageDraft;
use crate::error::{StoreError, StoreResult};
use crate::mailbox::MessageStore;

/// Largest encoded property list of one recipient row.
const MAX_ROW_BYTES: usize = 64 * 1024;

/// One recipient of a message.
#[derive(Clone, Debug, PartialEq)]
pub struct RecipientRow {
    /// `RowId` (PR_ROWID).
    pub row_id: u32,
    /// `RecipientType` (PR_RECIPIENT_TYPE): MAPI_TO 1, MAPI_CC 2, MAPI_BCC 3, possibly with
    /// MAPI_P1 (0x10000000) or MAPI_SUBMITTED (0x80000000).
    pub recipient_type: u32,
    /// The other properties: PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_ADDRTYPE, PR_SMTP_ADDRESS,
    /// PR_ENTRYID, PR_SEARCH_KEY, PR_DISPLAY_TYPE … (PR_ROWID and PR_RECIPIENT_TYPE are the
    /// fields above and are dropped from this list).
    pub props: Vec<TaggedValue>,
}

/// Encodes a recipient's properties for the `recipients.props` column.
pub(crate) fn encode_props(props: &[TaggedValue]) -> Vec<u8> {
    let mut w = Writer::new();
    w.u32(props.len() as u32);
    write_tagged_values(&mut w, props, Form::Extended);
    w.into_vec()
}

/// Decodes a `recipients.props` column.
pub(crate) fn decode_props(bytes: &[u8]) -> StoreResult<Vec<TaggedValue>> {
    let corrupt =
        |e: oxmapi_core::codec::DecodeError| StoreError::Corrupt(format!("stored recipient row: {e}"));
    let mut r = Reader::new(bytes);
    let n = r.u32("recipient property count").map_err(corrupt)?;
    let props = read_tagged_values(&mut r, n as usize, Form::Extended).map_err(corrupt)?;
    r.finish("recipient row").map_err(corrupt)?;
    Ok(props)
}

fn check_row(row: &RecipientRow) -> StoreResult<Vec<TaggedValue>> {
    let mut props = Vec::with_capacity(row.props.len());
    for p in &row.props {
        if p.tag.id() == PR_ROWID.id() || p.tag.id() == PR_RECIPIENT_TYPE.id() {
            continue;
        }
        if p.tag.id() == 0
            || matches!(p.value.prop_type(), PropType::Null | PropType::ErrorCode | PropType::Object)
        {
            return Err(StoreError::InvalidParameter(format!(
                "recipient row {}: property {} cannot be stored",
                row.row_id, p.tag
            )));
        }
        props.retain(|q: &TaggedValue| q.tag.id() != p.tag.id());
        props.push(TaggedValue::new(p.tag, p.value.clone()));
    }
    if encode_props(&props).len() > MAX_ROW_BYTES {
        return Err(StoreError::InvalidParameter(format!(
            "recipient row {} is larger than {MAX_ROW_BYTES} bytes",
            row.row_id
        )));
    }
    Ok(props)
}

impl MessageStore {
    /// RopModifyRecipients (MS-OXCMSG 2.2.3.5): each row replaces the recipient with its row id,
    /// or adds it; a row without properties deletes the recipient. Nothing changes when a row is
    /// invalid. The change reaches the store with the message's save.
    pub fn modify_recipients(&self, draft: &mut MessageDraft, rows: Vec<RecipientRow>) -> StoreResult<()> {
        let mut checked = Vec::with_capacity(rows.len());
        for row in &rows {
            checked.push(check_row(row)?);
        }
        for (row, props) in rows.into_iter().zip(checked) {
            if props.is_empty() {
                draft.recipients.remove(&row.row_id);
            } else {
                draft.recipients.insert(
                    row.row_id,
                    RecipientRow { row_id: row.row_id, recipient_type: row.recipient_type, props },
                );
            }
        }
        draft.dirty = true;
        Ok(())
    }

    /// RopRemoveAllRecipients (MS-OXCMSG 2.2.3.4).
    pub fn remove_all_recipients(&self, draft: &mut MessageDraft) {
        draft.recipients.clear();
        draft.dirty = true;
    }

    /// RopReadRecipients (MS-OXCMSG 2.2.3.6): the rows whose row id is at least `start_row_id`,
    /// in row id order (the server stops when its buffer is full).
    pub fn read_recipients(&self, draft: &MessageDraft, start_row_id: u32) -> Vec<RecipientRow> {
        draft.recipients.range(start_row_id..).map(|(_, r)| r.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::catalogue::tags::{PR_DISPLAY_NAME, PR_ENTRYID};
    use oxmapi_core::value::PropValue;

    #[test]
    fn props_round_trip_and_garbage_is_an_error() {
        let props = vec![
            TaggedValue::new(PR_DISPLAY_NAME, PropValue::Unicode("Grüße 日本".into())),
            TaggedValue::new(PR_ENTRYID, PropValue::Binary(vec![1, 2, 3])),
        ];
        let b = encode_props(&props);
        assert_eq!(decode_props(&b).unwrap(), props);
        assert!(decode_props(&b[..b.len() - 1]).is_err());
        assert!(decode_props(&[0xFF, 0xFF, 0xFF, 0x7F]).is_err());
    }
}
