//! The RopModifyRecipients requests `put --to` and `send` make, read back by hand with the
//! layouts of MS-OXCROPS 2.2.6.5.1 and MS-OXCDATA 2.8.3.2 (the order gromox's
//! `EXT_PULL::g_modrcpt_row` / `g_recipient_row` / `g_proprow` read them), not with our decoder.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::codec::Writer;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::rop::request::RopRequest;

use super::{Recipient, RecipientType, SaveFlags, modify_request, save_request};

fn encode(recipients: &[Recipient]) -> Vec<u8> {
    let mut w = Writer::new();
    RopRequest::ModifyRecipients(modify_request(0, recipients)).encode(&mut w);
    w.into_vec()
}

fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect()
}

fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

/// MS-OXCDATA 2.8.3.2: the PropertyRow of a RecipientRow keeps its Flag byte even over no
/// columns (gromox: `g_recipient_row` ends with `g_proprow`, which reads the Flag; without it
/// gromox answers ecRpcFormat). Expected bytes written out from MS-OXCROPS 2.2.6.5.1 and
/// MS-OXCDATA 2.8.3.1/2.8.3.2.
#[test]
fn smtp_recipient_row_carries_its_property_row_flag() {
    let got = encode(&[Recipient::smtp(RecipientType::To, "Bob <b@x.t>")]);
    let mut row = vec![0x1B, 0x02]; // RecipientFlags: U | D | E | Type SMTP (0x0200|0x10|0x08|0x3)
    row.extend(utf16z("b@x.t")); // EmailAddress (E)
    row.extend(utf16z("Bob")); // DisplayName (D)
    row.extend([0x00, 0x00]); // RecipientColumnCount 0
    row.push(0x00); // RecipientProperties: StandardPropertyRow Flag, no values
    let mut want = vec![0x0E, 0x00, 0x00]; // RopId, LogonId, InputHandleIndex
    want.extend([0x00, 0x00]); // ColumnCount 0, no RecipientColumns
    want.extend([0x01, 0x00]); // RowCount 1
    want.extend([0x00, 0x00, 0x00, 0x00, 0x01]); // RowId 0, RecipientType To
    want.extend((row.len() as u16).to_le_bytes()); // RecipientRowSize
    want.extend(row);
    assert_eq!(got, want);
}

/// MS-OXCMSG 2.2.3.5.1: RecipientColumns MUST NOT include PidTagAddressType,
/// PidTagDisplayName, PidTagEmailAddress, PidTagEntryId, PidTagInstanceKey,
/// PidTagRecipientType, PidTagSearchKey, PidTagSendRichInfo or
/// PidTagTransmittableDisplayName (gromox answers 0x80070057). A resolved recipient, as the
/// address book hands it to `send`, has all of them.
#[test]
fn resolved_recipient_columns_leave_out_what_ms_oxcmsg_forbids() {
    let text = |s: &str| PropValue::Unicode(s.into());
    let bin = |b: &[u8]| PropValue::Binary(b.to_vec());
    let props = vec![
        TaggedValue { tag: PR_DISPLAY_NAME, value: text("Bob") },
        TaggedValue { tag: PR_TRANSMITABLE_DISPLAY_NAME, value: text("Bob") },
        TaggedValue { tag: PR_ADDRTYPE, value: text("SMTP") },
        TaggedValue { tag: PR_EMAIL_ADDRESS, value: text("b@x.t") },
        TaggedValue { tag: PR_ENTRYID, value: bin(&[0, 0, 0, 0, 1, 2]) },
        TaggedValue { tag: PR_INSTANCE_KEY, value: bin(&[9, 9, 9, 9]) },
        TaggedValue { tag: PR_SEARCH_KEY, value: bin(b"SMTP:B@X.T\0") },
        TaggedValue { tag: PR_RECORD_KEY, value: bin(&[0, 0, 0, 0, 1, 2]) },
        TaggedValue { tag: PR_SEND_RICH_INFO, value: PropValue::Bool(false) },
        TaggedValue { tag: PR_RECIPIENT_TYPE, value: PropValue::I32(1) },
        TaggedValue { tag: PR_SMTP_ADDRESS, value: text("b@x.t") },
    ];
    let got = encode(&[Recipient { row_id: 0, kind: RecipientType::To, props }]);
    assert_eq!(got[0], 0x0E, "RopId RopModifyRecipients");
    let count = u16_at(&got, 3);
    let columns: Vec<u32> =
        (0..count).map(|i| u32::from_le_bytes(got[5 + 4 * i..9 + 4 * i].try_into().unwrap())).collect();
    let forbidden = [
        PR_ADDRTYPE,
        PR_DISPLAY_NAME,
        PR_EMAIL_ADDRESS,
        PR_ENTRYID,
        PR_INSTANCE_KEY,
        PR_RECIPIENT_TYPE,
        PR_SEARCH_KEY,
        PR_SEND_RICH_INFO,
        PR_TRANSMITABLE_DISPLAY_NAME,
    ];
    for c in &columns {
        assert!(!forbidden.iter().any(|f| f.0 >> 16 == c >> 16), "column 0x{c:08X} is forbidden");
    }
    assert_eq!(columns, vec![PR_RECORD_KEY.0, PR_SMTP_ADDRESS.0]);
    // The one row: RowCount, RowId, RecipientType, RecipientRowSize, then the RecipientRow;
    // its property row (Flag, PtypBinary with a u16 count, PtypString) ends the row.
    let at = 5 + 4 * count;
    assert_eq!(u16_at(&got, at), 1);
    let size = u16_at(&got, at + 7);
    let row = &got[at + 9..];
    assert_eq!(row.len(), size);
    let mut tail = vec![0x02, 0x00, 0x00]; // RecipientColumnCount 2, Flag 0x00
    tail.extend([6, 0, 0, 0, 0, 0, 1, 2]);
    tail.extend(utf16z("b@x.t"));
    assert!(row.ends_with(&tail), "{row:02X?}");
}

/// MS-OXCMSG 4.8.1, the RopSaveChangesMessage request example: `0c 00 00 01 0a` — RopId 0x0C,
/// LogonId 0, ResponseHandleIndex 0 (the folder), InputHandleIndex 1 (the message), SaveFlags.
/// Same indices here, SaveFlags KeepOpenReadWrite (0x02).
#[test]
fn save_changes_message_names_the_folder_in_its_response_index() {
    let mut w = Writer::new();
    RopRequest::SaveChangesMessage(save_request(0, 0, 1, SaveFlags::KeepOpenReadWrite)).encode(&mut w);
    assert_eq!(w.as_slice(), [0x0C, 0x00, 0x00, 0x01, 0x02]);
}
