//! A recipient's properties ↔ its RecipientRow (MS-OXCDATA 2.8.3; MS-OXCMSG 2.2.1.x): the
//! standard properties travel in the row's flagged fields, every other property in the
//! `RecipientProperties` row over the message's recipient columns. Both ends use this: the
//! server for RopModifyRecipients / RopReadRecipients / RopOpenMessage, the client for the
//! reverse directions.

use oxmapi_core::catalogue::tags::{
    PR_ADDRTYPE, PR_DISPLAY_NAME, PR_DISPLAY_TYPE, PR_EMAIL_ADDRESS, PR_EMS_AB_DISPLAY_NAME_PRINTABLE,
    PR_ENTRYID, PR_INSTANCE_KEY, PR_RECIPIENT_TYPE, PR_RESPONSIBILITY, PR_SEARCH_KEY, PR_SEND_RICH_INFO,
    PR_TRANSMITABLE_DISPLAY_NAME,
};
use oxmapi_core::codec::DecodeResult;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::oxcmsg::{RecipientRow, recipient_flags as f};
use crate::cdata::{PropertyRow, RowValue};

/// Address types named by the RecipientFlags `Type` field (MS-OXCDATA 2.8.3.1).
const TYPED_ADDRESSES: &[(u16, &str)] = &[
    (f::TYPE_X500DN, "EX"),
    (f::TYPE_MSMAIL, "MSMAIL"),
    (f::TYPE_SMTP, "SMTP"),
    (f::TYPE_FAX, "FAX"),
    (f::TYPE_PROFESSIONAL_OFFICE_SYSTEM, "PROFS"),
];

/// The properties the row's fixed fields carry; never repeated in `RecipientProperties`.
pub const STANDARD_TAGS: &[PropTag] = &[
    PR_ADDRTYPE,
    PR_EMAIL_ADDRESS,
    PR_DISPLAY_NAME,
    PR_EMS_AB_DISPLAY_NAME_PRINTABLE,
    PR_TRANSMITABLE_DISPLAY_NAME,
    PR_DISPLAY_TYPE,
    PR_RESPONSIBILITY,
    PR_SEND_RICH_INFO,
    PR_RECIPIENT_TYPE,
];

/// True when `tag` is carried by the fixed fields (any string type).
pub fn is_standard(tag: PropTag) -> bool {
    STANDARD_TAGS.iter().any(|t| t.id() == tag.id())
}

/// The properties a client MUST NOT put in RopModifyRecipients' `RecipientColumns`
/// (MS-OXCMSG 2.2.3.5.1): PidTagAddressType, PidTagDisplayName, PidTagEmailAddress,
/// PidTagEntryId, PidTagInstanceKey, PidTagRecipientType, PidTagSearchKey, PidTagSendRichInfo,
/// PidTagTransmittableDisplayName. gromox answers 0x80070057 to any of them
/// (exch/emsmdb/oxcmsg.cpp rop_modifyrecipients).
pub const FORBIDDEN_MODIFY_COLUMNS: &[PropTag] = &[
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

/// The `RecipientColumns` of a RopModifyRecipients request for these recipients: every
/// property of any of them in first-seen order, except the ones the row's fixed fields carry
/// and the ones MS-OXCMSG 2.2.3.5.1 forbids ([`FORBIDDEN_MODIFY_COLUMNS`]; the server derives
/// PR_ENTRYID, PR_SEARCH_KEY and PR_INSTANCE_KEY itself).
pub fn modify_columns<'a>(recipients: impl IntoIterator<Item = &'a [TaggedValue]>) -> Vec<PropTag> {
    let mut columns: Vec<PropTag> = Vec::new();
    for p in recipients.into_iter().flatten() {
        let forbidden = FORBIDDEN_MODIFY_COLUMNS.iter().any(|t| t.id() == p.tag.id());
        if !is_standard(p.tag) && !forbidden && !columns.iter().any(|c| c.id() == p.tag.id()) {
            columns.push(p.tag);
        }
    }
    columns
}

fn text(v: &PropValue) -> Option<String> {
    match v {
        PropValue::Unicode(s) => Some(s.clone()),
        PropValue::String8(b) => Some(oxmapi_core::text::decode_cp1252(b)),
        _ => None,
    }
}

fn find(props: &[TaggedValue], tag: PropTag) -> Option<&PropValue> {
    props.iter().find(|p| p.tag.id() == tag.id()).map(|p| &p.value)
}

/// The recipient's properties from a RecipientRow: the standard ones from its fields, then
/// the `RecipientProperties` cells over `columns` (missing cells left out). PR_RECIPIENT_TYPE
/// is not in the row; the caller adds it from the ROP's `RecipientType`.
pub fn row_to_properties(row: &RecipientRow, columns: &[PropTag]) -> DecodeResult<Vec<TaggedValue>> {
    let mut out = Vec::new();
    let mut put = |tag: PropTag, value: PropValue| {
        if !out.iter().any(|p: &TaggedValue| p.tag.id() == tag.id()) {
            out.push(TaggedValue { tag: tag.with_type(value.prop_type()), value });
        }
    };
    let ty = row.flags & f::TYPE_MASK;
    if let Some((_, name)) = TYPED_ADDRESSES.iter().find(|(t, _)| *t == ty) {
        put(PR_ADDRTYPE, PropValue::Unicode(name.to_string()));
    } else if let Some(a) = &row.address_type {
        put(PR_ADDRTYPE, PropValue::Unicode(a.clone()));
    }
    if let Some(dn) = &row.x500_dn {
        put(PR_EMAIL_ADDRESS, PropValue::Unicode(dn.clone()));
    }
    if let Some(d) = row.display_type {
        put(PR_DISPLAY_TYPE, PropValue::I32(d as i32));
    }
    if let Some(e) = &row.entry_id {
        put(PR_ENTRYID, PropValue::Binary(e.clone()));
    }
    if let Some(k) = &row.search_key {
        put(PR_SEARCH_KEY, PropValue::Binary(k.clone()));
    }
    if let Some(e) = &row.email_address {
        put(PR_EMAIL_ADDRESS, PropValue::Unicode(e.clone()));
    }
    if let Some(d) = &row.display_name {
        put(PR_DISPLAY_NAME, PropValue::Unicode(d.clone()));
        if row.flags & f::S != 0 {
            put(PR_TRANSMITABLE_DISPLAY_NAME, PropValue::Unicode(d.clone()));
        }
    }
    if let Some(s) = &row.simple_display_name {
        put(PR_EMS_AB_DISPLAY_NAME_PRINTABLE, PropValue::Unicode(s.clone()));
    }
    if let Some(t) = &row.transmittable_display_name {
        put(PR_TRANSMITABLE_DISPLAY_NAME, PropValue::Unicode(t.clone()));
    }
    put(PR_RESPONSIBILITY, PropValue::Bool(row.flags & f::R != 0));
    put(PR_SEND_RICH_INFO, PropValue::Bool(row.flags & f::N == 0));
    if row.column_count > 0 {
        let cells = row.properties(columns)?;
        for (tag, cell) in columns.iter().zip(cells.values) {
            if let RowValue::Value(v) = cell {
                put(*tag, v);
            }
        }
    }
    Ok(out)
}

/// Adds PR_ENTRYID and PR_SEARCH_KEY to a recipient's properties when they are missing. A
/// client MUST NOT send them in RopModifyRecipients (MS-OXCMSG 2.2.3.5.1), so a server that
/// does not derive them returns recipients without them; they follow from the address: an
/// address book permanent entry ID (MS-OXCDATA 2.2.5.2) and `EX:DN` for an X500 DN, else a
/// one-off entry ID (MS-OXCDATA 2.2.5.1) and `ADDRTYPE:ADDRESS`; search keys are upper case
/// and NUL-terminated, as the address book hands them out.
pub fn complete_identity(props: &mut Vec<TaggedValue>) {
    let derived = derived_identity(props);
    props.extend(derived);
}

fn derived_identity(props: &[TaggedValue]) -> Vec<TaggedValue> {
    use oxmapi_core::entryid::{
        AbPermanentEntryId, EntryId, MAPI_ONE_OFF_NO_RICH_INFO, MAPI_ONE_OFF_UNICODE, OneOffEntryId,
    };
    let (Some(addrtype), Some(email)) =
        (find(props, PR_ADDRTYPE).and_then(text), find(props, PR_EMAIL_ADDRESS).and_then(text))
    else {
        return Vec::new();
    };
    if addrtype.is_empty() || email.is_empty() {
        return Vec::new();
    }
    let entry_id = if addrtype.eq_ignore_ascii_case("EX") {
        let display_type = match find(props, PR_DISPLAY_TYPE) {
            Some(PropValue::I32(d)) => *d as u32,
            _ => 0,
        };
        EntryId::AbPermanent(AbPermanentEntryId { flags: 0, version: 1, display_type, dn: email.clone() })
    } else {
        let display = find(props, PR_DISPLAY_NAME).and_then(text).unwrap_or_else(|| email.clone());
        let rich = !matches!(find(props, PR_SEND_RICH_INFO), Some(PropValue::Bool(false)));
        let mut one_off = OneOffEntryId::new(&display, &addrtype, &email);
        one_off.one_off_flags = MAPI_ONE_OFF_UNICODE | if rich { 0 } else { MAPI_ONE_OFF_NO_RICH_INFO };
        EntryId::OneOff(one_off)
    };
    let mut key = format!("{addrtype}:{email}").to_ascii_uppercase().into_bytes();
    key.push(0);
    let mut out = Vec::new();
    if find(props, PR_ENTRYID).is_none() {
        out.push(TaggedValue { tag: PR_ENTRYID, value: PropValue::Binary(entry_id.to_bytes()) });
    }
    if find(props, PR_SEARCH_KEY).is_none() {
        out.push(TaggedValue { tag: PR_SEARCH_KEY, value: PropValue::Binary(key) });
    }
    out
}

/// The RecipientRow for a recipient's properties: standard properties into the fixed fields
/// (Unicode strings), the values of `columns` into `RecipientProperties` (the caller picks the
/// columns: the union of the non-standard tags of all rows it sends).
pub fn row_from_properties(props: &[TaggedValue], columns: &[PropTag]) -> RecipientRow {
    let mut row = RecipientRow { flags: f::U, ..Default::default() };
    let addrtype = find(props, PR_ADDRTYPE).and_then(text);
    let email = find(props, PR_EMAIL_ADDRESS).and_then(text);
    match addrtype.as_deref().and_then(|a| TYPED_ADDRESSES.iter().find(|(_, n)| n.eq_ignore_ascii_case(a))) {
        Some(&(ty, _)) if ty == f::TYPE_X500DN => {
            row.flags |= ty;
            row.address_prefix_used = Some(0);
            row.display_type = Some(match find(props, PR_DISPLAY_TYPE) {
                Some(PropValue::I32(d)) => *d as u8,
                _ => 0,
            });
            row.x500_dn = Some(email.clone().unwrap_or_default());
        }
        Some(&(ty, _)) => row.flags |= ty,
        None => {
            if let Some(a) = addrtype {
                row.flags |= f::O;
                row.address_type = Some(a);
            }
        }
    }
    if row.flags & f::TYPE_MASK != f::TYPE_X500DN
        && let Some(e) = email
    {
        row.flags |= f::E;
        row.email_address = Some(e);
    }
    let display = find(props, PR_DISPLAY_NAME).and_then(text);
    let transmittable = find(props, PR_TRANSMITABLE_DISPLAY_NAME).and_then(text);
    if let Some(d) = &display {
        row.flags |= f::D;
        row.display_name = Some(d.clone());
    }
    match (&display, transmittable) {
        (Some(d), Some(t)) if *d == t => row.flags |= f::S,
        (_, Some(t)) => {
            row.flags |= f::T;
            row.transmittable_display_name = Some(t);
        }
        _ => {}
    }
    if let Some(s) = find(props, PR_EMS_AB_DISPLAY_NAME_PRINTABLE).and_then(text) {
        row.flags |= f::I;
        row.simple_display_name = Some(s);
    }
    if matches!(find(props, PR_RESPONSIBILITY), Some(PropValue::Bool(true))) {
        row.flags |= f::R;
    }
    if matches!(find(props, PR_SEND_RICH_INFO), Some(PropValue::Bool(false))) {
        row.flags |= f::N;
    }
    if !columns.is_empty() {
        let values = columns
            .iter()
            .map(|c| match find(props, *c) {
                Some(v) if c.prop_type().is_ok_and(|t| t == v.prop_type()) => RowValue::Value(v.clone()),
                _ => RowValue::NotFound { ty: c.raw_type() },
            })
            .collect();
        row.set_properties(&PropertyRow::new(values), columns);
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::catalogue::tags::PR_SUBJECT;

    fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
        TaggedValue { tag, value }
    }

    #[test]
    fn smtp_recipient_round_trips() {
        let extra = PropTag(0x3A00_001F); // PR_ACCOUNT
        let props = vec![
            tv(PR_ADDRTYPE, PropValue::Unicode("SMTP".into())),
            tv(PR_EMAIL_ADDRESS, PropValue::Unicode("bob@example.test".into())),
            tv(PR_DISPLAY_NAME, PropValue::Unicode("Bob Bäcker".into())),
            tv(extra, PropValue::Unicode("bob".into())),
        ];
        let row = row_from_properties(&props, &[extra, PR_SUBJECT]);
        assert_eq!(row.flags & f::TYPE_MASK, f::TYPE_SMTP);
        assert_ne!(row.flags & f::U, 0);
        let mut w = oxmapi_core::codec::Writer::new();
        row.encode(&mut w);
        let bytes = w.into_vec();
        let back = RecipientRow::decode(&mut oxmapi_core::codec::Reader::new(&bytes)).unwrap();
        let got = row_to_properties(&back, &[extra, PR_SUBJECT]).unwrap();
        for p in &props {
            assert!(got.contains(p), "{p:?} missing from {got:?}");
        }
        assert!(!got.iter().any(|p| p.tag.id() == PR_SUBJECT.id()), "missing cell stays missing");
    }

    #[test]
    fn exchange_and_custom_address_types() {
        let ex = vec![
            tv(PR_ADDRTYPE, PropValue::Unicode("EX".into())),
            tv(PR_EMAIL_ADDRESS, PropValue::Unicode("/o=Org/cn=Recipients/cn=bob".into())),
            tv(PR_DISPLAY_TYPE, PropValue::I32(0)),
        ];
        let row = row_from_properties(&ex, &[]);
        assert_eq!(row.flags & f::TYPE_MASK, f::TYPE_X500DN);
        let got = row_to_properties(&row, &[]).unwrap();
        assert!(got.contains(&ex[1]));
        let x = vec![tv(PR_ADDRTYPE, PropValue::Unicode("X400".into()))];
        let row = row_from_properties(&x, &[]);
        assert_ne!(row.flags & f::O, 0);
        assert!(row_to_properties(&row, &[]).unwrap().contains(&x[0]));
    }

    fn utf16z(s: &str) -> Vec<u8> {
        s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect()
    }

    /// A RopModifyRecipients request (MS-OXCROPS 2.2.6.5.1) with one SMTP row over one column
    /// (PR_SMTP_ADDRESS) written out by hand, in the spec's form (the RecipientRow's property
    /// row has its Flag, MS-OXCDATA 2.8.3.2; what gromox's `g_recipient_row` reads and what
    /// ruler and Microsoft's MS-OXCMSG adapter send), and a row without columns in both the
    /// spec's form and the old flagless form, which the decoder still accepts.
    #[test]
    fn modify_request_rows_decode_with_and_without_the_property_row_flag() {
        use super::super::oxcmsg::{ModifyRecipientRow, ModifyRecipientsRequest};
        use crate::rop::codec::RopCodec;
        let smtp = PropTag(0x39FE_001F); // PR_SMTP_ADDRESS
        let row = |columns: u16, props: &[u8]| {
            let mut b = vec![0x1B, 0x02]; // U | D | E | SMTP
            b.extend(utf16z("b@x.t"));
            b.extend(utf16z("Bob"));
            b.extend(columns.to_le_bytes());
            b.extend_from_slice(props);
            b
        };
        let mut with_column = vec![0x00]; // StandardPropertyRow
        with_column.extend(utf16z("b@x.t"));
        for (columns, props, extra) in [(1u16, with_column, true), (0, vec![0x00], false), (0, vec![], false)]
        {
            let row = row(columns, &props);
            let mut b = vec![0x00, 0x00]; // LogonId, InputHandleIndex
            b.extend([0x01, 0x00]);
            b.extend(smtp.0.to_le_bytes());
            b.extend([0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x02]); // RowCount, RowId 7, Cc
            b.extend((row.len() as u16).to_le_bytes());
            b.extend(row);
            let mut r = oxmapi_core::codec::Reader::new(&b);
            let q = ModifyRecipientsRequest::decode(&mut r).unwrap();
            assert!(r.is_empty());
            let ModifyRecipientRow { row_id, recipient_type, recipient_row } = &q.recipient_rows[0];
            assert_eq!((*row_id, *recipient_type), (7, 2));
            let got = row_to_properties(recipient_row.as_ref().unwrap(), &q.recipient_columns).unwrap();
            assert!(got.contains(&tv(PR_EMAIL_ADDRESS, PropValue::Unicode("b@x.t".into()))));
            assert!(got.contains(&tv(PR_DISPLAY_NAME, PropValue::Unicode("Bob".into()))));
            assert_eq!(got.iter().any(|p| p.tag == smtp), extra, "{got:?}");
            // Written back, the row always has its Flag.
            let mut w = oxmapi_core::codec::Writer::new();
            recipient_row.as_ref().unwrap().encode(&mut w);
            assert_eq!(w.as_slice()[w.len() - props.len().max(1)], 0x00);
        }
    }

    /// A recipient read without PR_ENTRYID / PR_SEARCH_KEY (a client MUST NOT send them,
    /// MS-OXCMSG 2.2.3.5.1) gets them derived. Expected entry IDs written out from MS-OXCDATA 2.2.5.2
    /// (Address Book EntryID: Flags, ProviderUID DCA740C8-C042-101A-B4B9-08002B2FE182, Version 1,
    /// Type, X500DN) and 2.2.5.1 (One-Off EntryID: Flags, ProviderUID
    /// 812B1FA4-BEA3-1019-9D6E-00DD010F5402, Version 0, flags U|NO_RICH_INFO, then the three
    /// UTF-16 strings).
    #[test]
    fn entry_id_and_search_key_are_derived_from_the_address() {
        let dn = "/o=Org/cn=Recipients/cn=bob";
        let ex = vec![
            tv(PR_ADDRTYPE, PropValue::Unicode("EX".into())),
            tv(PR_EMAIL_ADDRESS, PropValue::Unicode(dn.into())),
            tv(PR_DISPLAY_TYPE, PropValue::I32(0)),
        ];
        let mut got = row_to_properties(&row_from_properties(&ex, &[]), &[]).unwrap();
        complete_identity(&mut got);
        let mut want = vec![0, 0, 0, 0];
        want.extend([
            0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A, 0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82,
        ]);
        want.extend([1, 0, 0, 0, 0, 0, 0, 0]);
        want.extend(dn.as_bytes());
        want.push(0);
        assert!(got.contains(&tv(PR_ENTRYID, PropValue::Binary(want))), "{got:?}");
        let key = b"EX:/O=ORG/CN=RECIPIENTS/CN=BOB\0".to_vec();
        assert!(got.contains(&tv(PR_SEARCH_KEY, PropValue::Binary(key))));

        let smtp = vec![
            tv(PR_ADDRTYPE, PropValue::Unicode("SMTP".into())),
            tv(PR_EMAIL_ADDRESS, PropValue::Unicode("b@x.t".into())),
            tv(PR_DISPLAY_NAME, PropValue::Unicode("Bob".into())),
            tv(PR_SEND_RICH_INFO, PropValue::Bool(false)),
        ];
        let mut got = row_to_properties(&row_from_properties(&smtp, &[]), &[]).unwrap();
        complete_identity(&mut got);
        let mut want = vec![0, 0, 0, 0];
        want.extend([
            0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02,
        ]);
        want.extend([0x00, 0x00, 0x01, 0x80]);
        for s in ["Bob", "SMTP", "b@x.t"] {
            want.extend(s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes));
        }
        assert!(got.contains(&tv(PR_ENTRYID, PropValue::Binary(want))), "{got:?}");
        assert!(got.contains(&tv(PR_SEARCH_KEY, PropValue::Binary(b"SMTP:B@X.T\0".to_vec()))));

        // Values a row does carry (in its columns) are kept as they are.
        let own = PropValue::Binary(vec![1, 2, 3]);
        let row =
            row_from_properties(&[smtp.clone(), vec![tv(PR_ENTRYID, own.clone())]].concat(), &[PR_ENTRYID]);
        let mut got = row_to_properties(&row, &[PR_ENTRYID]).unwrap();
        complete_identity(&mut got);
        assert_eq!(got.iter().filter(|p| p.tag.id() == PR_ENTRYID.id()).count(), 1);
        assert!(got.contains(&tv(PR_ENTRYID, own)));
    }
}
