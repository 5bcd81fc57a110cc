//! Which properties of an item are written into a new message: the one place that leaves out
//! what a store computes or refuses on write.
//!
//! MS-OXCPRPT 3.2.5.3 (RopSetProperties): a server answers MAPI_E_COMPUTED for properties it
//! computes and MAPI_E_INVALID_TYPE for PtypNull, PtypErrorCode, PtypObject and
//! PtypUnspecified values. MS-OXCMSG 2.2.1 lists the message properties a server computes
//! (PidTagMessageSize 2.2.1.7, PidTagHasAttachments 2.2.1.2, the ids and keys of MS-OXCPRPT 2.2.1,
//! the change tracking of MS-OXCFXICS 2.2.1.2); MS-OXCMSG 2.2.2.5–2.2.2.7 the attachment ones
//! (PidTagAttachNumber, PidTagAttachSize, PidTagAttachDataObject, reached through
//! RopOpenEmbeddedMessage). Our server's lists are `is_computed_message` and
//! `is_computed_attachment` in crates/store/src/mailbox/messages/computed.rs; these are a
//! superset of them (other stores compute the same), plus the PST's own row bookkeeping.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

/// Message properties the store computes (MS-OXCMSG 2.2.1, MS-OXCPRPT 2.2.1, MS-OXCFXICS 2.2.1.2).
const COMPUTED_MESSAGE: &[PropTag] = &[
    PR_ENTRYID,
    PR_RECORD_KEY,
    PR_INSTANCE_KEY,
    PR_STORE_RECORD_KEY,
    PR_STORE_ENTRYID,
    PR_STORE_SUPPORT_MASK,
    PR_MAPPING_SIGNATURE,
    PR_OBJECT_TYPE,
    PR_MID,
    PR_FID,
    PR_PARENT_FID,
    PR_PARENT_ENTRYID,
    PR_PARENT_DISPLAY,
    PR_SOURCE_KEY,
    PR_PARENT_SOURCE_KEY,
    PR_CHANGE_KEY,
    PR_PREDECESSOR_CHANGE_LIST,
    PR_CHANGE_NUMBER,
    PR_LOCAL_COMMIT_TIME,
    PR_CREATION_TIME,
    PR_LAST_MODIFICATION_TIME,
    PR_MESSAGE_SIZE,
    PR_MESSAGE_SIZE_EXTENDED,
    PR_HASATTACH,
    PR_READ,
    PR_ACCESS,
    PR_ACCESS_LEVEL,
    PR_ASSOCIATED,
    PR_DISPLAY_TO,
    PR_DISPLAY_CC,
    PR_DISPLAY_BCC,
    PR_MESSAGE_RECIPIENTS,
    PR_MESSAGE_ATTACHMENTS,
    PR_INTERNET_ARTICLE_NUMBER,
];

/// Attachment properties the store computes (MS-OXCMSG 2.2.2.5–2.2.2.7). PR_ATTACH_DATA_OBJ
/// (PtypObject) is refused by its type; PR_ATTACH_DATA_BIN shares its id and is data.
const COMPUTED_ATTACHMENT: &[PropTag] = &[
    PR_ATTACH_NUM,
    PR_ATTACH_SIZE,
    PR_INSTANCE_KEY,
    PR_RECORD_KEY,
    PR_OBJECT_TYPE,
    PR_CREATION_TIME,
    PR_LAST_MODIFICATION_TIME,
];

/// The PST's table bookkeeping (PidTagLtpRowId 0x67F2, PidTagLtpRowVer 0x67F3 and the
/// rest of 0x67F0–0x67FF, [MS-PST] 2.3.4.4.1): meaningful only inside the file.
fn pst_internal(tag: PropTag) -> bool {
    (0x67F0..=0x67FF).contains(&tag.id())
}

/// True for values no store takes (MS-OXCPRPT 3.2.5.3: MAPI_E_INVALID_TYPE).
fn refused_type(value: &PropValue) -> bool {
    matches!(
        value.prop_type(),
        PropType::Null | PropType::ErrorCode | PropType::Object | PropType::Unspecified
    )
}

fn listed(list: &[PropTag], tag: PropTag) -> bool {
    list.iter().any(|t| t.id() == tag.id())
}

/// Whether a message property is written into a new message.
pub fn writable_message_property(tag: PropTag, value: &PropValue) -> bool {
    !listed(COMPUTED_MESSAGE, tag) && !pst_internal(tag) && !refused_type(value) && tag.id() != 0
}

/// Whether an attachment property is written into a new attachment.
pub fn writable_attachment_property(tag: PropTag, value: &PropValue) -> bool {
    !listed(COMPUTED_ATTACHMENT, tag) && !pst_internal(tag) && !refused_type(value) && tag.id() != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_computed_properties_are_left_out() {
        let bin = PropValue::Binary(vec![1]);
        assert!(!writable_message_property(PR_ENTRYID, &bin));
        assert!(!writable_message_property(PR_MESSAGE_SIZE, &PropValue::I32(3)));
        assert!(!writable_message_property(PR_SUBJECT, &PropValue::Error(0x8004_010F)));
        assert!(writable_message_property(PR_SUBJECT, &PropValue::Unicode("s".into())));
        assert!(writable_message_property(PR_MESSAGE_FLAGS, &PropValue::I32(1)));
        assert!(!writable_attachment_property(PR_ATTACH_NUM, &PropValue::I32(0)));
        assert!(writable_attachment_property(PR_ATTACH_DATA_BIN, &bin));
        assert!(!writable_attachment_property(PR_ATTACH_DATA_OBJ, &PropValue::Object(0)));
        assert!(!writable_message_property(PropTag(0x67F2_0003), &PropValue::I32(1)));
    }
}
