//! Property ROPs over real HTTP (MS-OXCPRPT 3.2.5): reads, writes and deletes on the logon,
//! folders, messages and attachments; named properties; RopCopyProperties and RopCopyTo. The
//! OpenChange mapitest OXCPRPT cases (SET-PROPS, DELETE-PROPS, PROPS-NOREPLICATE, COPY-PROPS,
//! COPYTO, NAME-ID, PSMAPI-NAME-ID) have counterparts here.

mod common;
mod propdrv;

use oxmapi_core::error::codes;
use oxmapi_core::guid::{Guid, PS_MAPI, PS_PUBLIC_STRINGS, PSETID_COMMON};
use oxmapi_core::named::PropertyName;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use propdrv::*;

const PR_STORE_SUPPORT_MASK: PropTag = PropTag(0x340D_0003);

fn set_props_norepl(index: u8, values: Vec<oxmapi_core::value::TaggedValue>) -> RopRequest {
    RopRequest::SetPropertiesNoReplicate(SetPropertiesRequest {
        logon_id: 0,
        input_handle_index: index,
        property_values: values,
    })
}

fn delete_props_norepl(index: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::DeletePropertiesNoReplicate(DeletePropertiesRequest {
        logon_id: 0,
        input_handle_index: index,
        property_tags: tags.to_vec(),
    })
}

fn copy_props(src: u8, dst: u8, flags: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::CopyProperties(CopyPropertiesRequest {
        logon_id: 0,
        source_handle_index: src,
        dest_handle_index: dst,
        want_asynchronous: 0,
        copy_flags: flags,
        property_tags: tags.to_vec(),
    })
}

fn copy_to(src: u8, dst: u8, flags: u8, sub_objects: bool, excluded: &[PropTag]) -> RopRequest {
    RopRequest::CopyTo(CopyToRequest {
        logon_id: 0,
        source_handle_index: src,
        dest_handle_index: dst,
        want_asynchronous: 0,
        want_sub_objects: sub_objects as u8,
        copy_flags: flags,
        excluded_tags: excluded.to_vec(),
    })
}

fn ids_from_names(index: u8, create: bool, names: Vec<PropertyName>) -> RopRequest {
    RopRequest::GetPropertyIdsFromNames(GetPropertyIdsFromNamesRequest {
        logon_id: 0,
        input_handle_index: index,
        flags: if create { 0x02 } else { 0x00 },
        property_names: names,
    })
}

fn ids(r: &RopResponse) -> (u32, Vec<u16>) {
    let RopResponse::GetPropertyIdsFromNames(o) = r else { panic!("{r:?}") };
    (o.return_value, o.body.as_ref().unwrap_or_else(|| panic!("{r:?}")).property_ids.clone())
}

#[tokio::test]
async fn logon_properties_set_get_delete() {
    let (_ts, mut c) = setup().await;
    let custom = PropTag(0x6710_001F);
    let reqs = [
        set_props(0, vec![tv(custom, text("mailbox note")), tv(PR_STORE_SUPPORT_MASK, PropValue::I32(1))]),
        get_props(0, &[custom, PR_STORE_SUPPORT_MASK]),
        delete_props(0, &[custom, PR_STORE_SUPPORT_MASK]),
        get_props(0, &[custom]),
    ];
    let (resp, _) = c.run(&reqs, 0).await;
    // The computed PR_STORE_SUPPORT_MASK is a problem, the other value is written at once.
    assert_eq!(problems(&resp[0]), vec![(1, PR_STORE_SUPPORT_MASK.0, codes::MAPI_E_COMPUTED.0)]);
    assert_eq!(cell(&resp[1], 0), Some(text("mailbox note")));
    assert_ne!(cell(&resp[1], 1), Some(PropValue::I32(1)));
    assert_eq!(problems(&resp[2]), vec![(1, PR_STORE_SUPPORT_MASK.0, codes::MAPI_E_COMPUTED.0)]);
    // A property that is not set is the error NotFound in a FlaggedPropertyRow (MS-OXCDATA 2.4.2).
    assert_eq!(row(&resp[3])[0], RowValue::Error { ty: 0x001F, code: codes::MAPI_E_NOT_FOUND.0 });
}

#[tokio::test]
async fn folder_set_get_delete_collision_and_noreplicate() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [open_folder(0, 1, inbox), create_folder(1, 2, "Alpha"), create_folder(1, 3, "Beta")];
    let (resp, handles) = c.run(&reqs, 3).await;
    assert_eq!(rv(&resp[2]), 0);
    let beta = handles[3];
    let h = c.table(&[beta]);
    let reqs = [
        // A sibling's name (any case), a computed property, a bad type, and a good value.
        set_props(
            1,
            vec![
                tv(PR_DISPLAY_NAME, text("ALPHA")),
                tv(PR_CONTENT_COUNT, PropValue::I32(9)),
                tv(PropTag(0x3004_000A), PropValue::Error(5)),
                tv(PR_X_TEXT, text("kept")),
            ],
        ),
        get_props(1, &[PR_DISPLAY_NAME, PR_X_TEXT]),
        set_props(1, vec![tv(PR_DISPLAY_NAME, text("Gamma")), tv(PR_COMMENT, text("c"))]),
        get_props(1, &[PR_DISPLAY_NAME, PR_COMMENT]),
        delete_props(1, &[PR_COMMENT, PR_DISPLAY_NAME, PropTag(0x6799_0003)]),
        get_props(1, &[PR_COMMENT, PR_DISPLAY_NAME]),
        set_props_norepl(1, vec![tv(PR_COMMENT, text("no replicate"))]),
        get_props(1, &[PR_COMMENT]),
        delete_props_norepl(1, &[PR_COMMENT]),
        get_props(1, &[PR_COMMENT]),
    ];
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert_eq!(
        problems(&resp[0]),
        vec![
            (0, PR_DISPLAY_NAME.0, codes::MAPI_E_COLLISION.0),
            (1, PR_CONTENT_COUNT.0, codes::MAPI_E_COMPUTED.0),
            (2, 0x3004_000A, codes::MAPI_E_INVALID_TYPE.0),
        ]
    );
    assert_eq!(cell(&resp[1], 0), Some(text("Beta")));
    assert_eq!(cell(&resp[1], 1), Some(text("kept")));
    assert!(problems(&resp[2]).is_empty());
    assert_eq!((cell(&resp[3], 0), cell(&resp[3], 1)), (Some(text("Gamma")), Some(text("c"))));
    // A folder keeps its name; a missing property is no problem.
    assert_eq!(problems(&resp[4]), vec![(1, PR_DISPLAY_NAME.0, codes::MAPI_E_COMPUTED.0)]);
    assert_eq!((cell(&resp[5], 0), cell(&resp[5], 1)), (None, Some(text("Gamma"))));
    let RopResponse::SetPropertiesNoReplicate(o) = &resp[6] else { panic!("{:?}", resp[6]) };
    assert!(o.body.as_ref().unwrap().problems.is_empty());
    assert_eq!(cell(&resp[7], 0), Some(text("no replicate")));
    assert!(matches!(&resp[8], RopResponse::DeletePropertiesNoReplicate(o) if o.return_value == 0));
    assert_eq!(cell(&resp[9], 0), None);
    // Persisted at once: a second handle on the folder sees the rename.
    let (resp, _) = c.run(&[open_folder(0, 1, inbox), get_list(1)], 1).await;
    let RopResponse::GetPropertiesList(o) = &resp[1] else { panic!() };
    assert!(o.body.as_ref().unwrap().property_tags.iter().any(|t| t.id() == PR_DISPLAY_NAME.id()));
}

#[tokio::test]
async fn message_and_attachment_properties() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [
        create_message(0, 1, inbox),
        set_props(
            1,
            vec![
                tv(PR_SUBJECT, text("Hello")),
                tv(PR_X_BIN, PropValue::Binary(vec![1, 2, 3])),
                tv(PR_MESSAGE_SIZE, PropValue::I32(1)),
                tv(PropTag(0x0000_0003), PropValue::I32(1)),
            ],
        ),
        // Visible at once through the same handle, before any save.
        get_props(1, &[PR_SUBJECT, PR_X_BIN, PropTag(0x0037_0000)]),
        get_all(1),
        get_list(1),
        create_attachment(1, 2),
        set_props(
            2,
            vec![
                tv(PR_ATTACH_LONG_FILENAME, text("a.txt")),
                tv(PR_ATTACH_DATA_BIN, PropValue::Binary(b"abc".to_vec())),
            ],
        ),
        get_props(2, &[PR_ATTACH_LONG_FILENAME, PR_ATTACH_DATA_BIN]),
        delete_props(2, &[PR_ATTACH_LONG_FILENAME]),
        get_props(2, &[PR_ATTACH_LONG_FILENAME]),
        save_attachment(2, 1),
        delete_props(1, &[PR_X_BIN, PR_MESSAGE_SIZE]),
        save_message(1, KEEP_OPEN_READ_WRITE),
    ];
    let (resp, _) = c.run(&reqs, 2).await;
    assert_eq!(
        problems(&resp[1]),
        vec![
            (2, PR_MESSAGE_SIZE.0, codes::MAPI_E_COMPUTED.0),
            (3, 0x0000_0003, codes::MAPI_E_INVALID_PARAMETER.0),
        ]
    );
    assert_eq!(cell(&resp[2], 0), Some(text("Hello")));
    assert_eq!(cell(&resp[2], 1), Some(PropValue::Binary(vec![1, 2, 3])));
    assert_eq!(cell(&resp[2], 2), Some(text("Hello")));
    let RopResponse::GetPropertiesAll(o) = &resp[3] else { panic!() };
    assert!(o.body.as_ref().unwrap().property_values.iter().any(|v| v.tag == PR_SUBJECT));
    let RopResponse::GetPropertiesList(o) = &resp[4] else { panic!() };
    assert!(o.body.as_ref().unwrap().property_tags.contains(&PR_X_BIN));
    assert_eq!(rv(&resp[5]), 0, "{:?}", resp[5]);
    assert!(problems(&resp[6]).is_empty());
    assert_eq!(cell(&resp[7], 0), Some(text("a.txt")));
    assert_eq!(cell(&resp[7], 1), Some(PropValue::Binary(b"abc".to_vec())));
    assert!(problems(&resp[8]).is_empty());
    assert_eq!(cell(&resp[9], 0), None);
    assert_eq!(rv(&resp[10]), 0);
    assert_eq!(problems(&resp[11]), vec![(1, PR_MESSAGE_SIZE.0, codes::MAPI_E_COMPUTED.0)]);
    let mid = saved_mid(&resp[12]);
    // Reopened read-only: reads work, writes are ecAccessDenied.
    let reqs = [
        open_message(0, 1, inbox, mid, 0x00),
        get_props(1, &[PR_SUBJECT, PR_X_BIN]),
        set_props(1, vec![tv(PR_SUBJECT, text("x"))]),
        delete_props(1, &[PR_SUBJECT]),
        open_attachment(1, 2, 0, 0x00),
        get_props(2, &[PR_ATTACH_LONG_FILENAME, PR_ATTACH_DATA_BIN]),
        set_props(2, vec![tv(PR_ATTACH_LONG_FILENAME, text("b"))]),
    ];
    let (resp, _) = c.run(&reqs, 2).await;
    assert_eq!(rv(&resp[0]), 0, "{:?}", resp[0]);
    assert_eq!((cell(&resp[1], 0), cell(&resp[1], 1)), (Some(text("Hello")), None));
    assert_eq!(rv(&resp[2]), codes::MAPI_E_NO_ACCESS.0);
    assert_eq!(rv(&resp[3]), codes::MAPI_E_NO_ACCESS.0);
    assert_eq!(rv(&resp[4]), 0, "{:?}", resp[4]);
    assert_eq!((cell(&resp[5], 0), cell(&resp[5], 1)), (None, Some(PropValue::Binary(b"abc".to_vec()))));
    assert_eq!(rv(&resp[6]), codes::MAPI_E_NO_ACCESS.0);
}

#[tokio::test]
async fn large_values_read_as_not_enough_memory() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let oom = 0x8007_000E;
    let limited = RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
        logon_id: 0,
        input_handle_index: 1,
        property_size_limit: 4,
        want_unicode: 1,
        property_tags: vec![PR_SUBJECT, PR_IMPORTANCE],
    });
    let reqs = [
        create_message(0, 1, inbox),
        set_props(
            1,
            vec![
                tv(PR_X_BIN, PropValue::Binary(vec![1; 31_000])),
                tv(PR_SUBJECT, text("longer than four bytes")),
                tv(PR_IMPORTANCE, PropValue::I32(2)),
            ],
        ),
        get_props(1, &[PR_X_BIN, PR_SUBJECT]),
        limited,
        get_all(1),
    ];
    let (resp, _) = c.run(&reqs, 1).await;
    assert_eq!(row(&resp[2])[0], RowValue::Error { ty: 0x0102, code: oom });
    assert_eq!(cell(&resp[2], 1), Some(text("longer than four bytes")));
    assert_eq!(row(&resp[3])[0], RowValue::Error { ty: 0x001F, code: oom });
    assert_eq!(cell(&resp[3], 1), Some(PropValue::I32(2)));
    let RopResponse::GetPropertiesAll(o) = &resp[4] else { panic!() };
    let all = &o.body.as_ref().unwrap().property_values;
    let bin = all.iter().find(|v| v.tag.id() == PR_X_BIN.id()).unwrap();
    assert_eq!((bin.tag, &bin.value), (PropTag(0x6701_000A), &PropValue::Error(oom)));
}

#[tokio::test]
async fn bad_handles_and_objects() {
    let (_ts, mut c) = setup().await;
    let h = c.table(&[UNUSED_HANDLE, 0x0BAD_0BAD]);
    let reqs = [
        get_props(1, &[PR_SUBJECT]),
        get_props(2, &[PR_SUBJECT]),
        get_props(9, &[PR_SUBJECT]),
        set_props(1, vec![tv(PR_SUBJECT, text("x"))]),
        delete_props(2, &[PR_SUBJECT]),
        get_all(1),
        get_list(2),
        ids_from_names(1, true, vec![PropertyName::id(PSETID_COMMON, 0x8501)]),
    ];
    let (resp, _) = c.m.rops(&reqs, h).await;
    for r in &resp {
        assert_eq!(rv(r), codes::EC_NULL_OBJECT.0, "{r:?}");
    }
}

#[tokio::test]
async fn named_properties_create_lookup_round_trip() {
    let (_ts, mut c) = setup().await;
    let guid = Guid([0x41; 16]);
    let by_lid = PropertyName::id(PSETID_COMMON, 0x8501);
    let by_name = PropertyName::string(PS_PUBLIC_STRINGS, "Keywords-Test");
    let other = PropertyName::string(guid, "X-Custom");
    let names = vec![by_lid.clone(), by_name.clone(), other.clone()];
    let reqs = [
        ids_from_names(0, false, names.clone()),
        ids_from_names(0, true, names.clone()),
        ids_from_names(0, false, names.clone()),
        // PS_MAPI: an MNID_ID below 0x8000 is that property id; a string is never mapped.
        ids_from_names(0, true, vec![PropertyName::id(PS_MAPI, 0x0037), PropertyName::string(PS_MAPI, "x")]),
    ];
    let (resp, _) = c.run(&reqs, 0).await;
    assert_eq!(ids(&resp[0]), (codes::MAPI_W_ERRORS_RETURNED.0, vec![0, 0, 0]));
    let (code, created) = ids(&resp[1]);
    assert_eq!(code, 0);
    assert!(created.iter().all(|id| *id >= 0x8000), "{created:?}");
    assert_eq!(ids(&resp[2]), (0, created.clone()));
    assert_eq!(ids(&resp[3]), (codes::MAPI_W_ERRORS_RETURNED.0, vec![0x0037, 0]));

    // The same map from a folder and a message; names back from ids; the list of all ids.
    let inbox = c.inbox;
    let reqs = [
        open_folder(0, 1, inbox),
        ids_from_names(1, false, vec![by_name.clone()]),
        create_message(0, 2, inbox),
        ids_from_names(2, false, vec![other.clone()]),
        RopRequest::GetNamesFromPropertyIds(GetNamesFromPropertyIdsRequest {
            logon_id: 0,
            input_handle_index: 2,
            property_ids: vec![created[0], created[1], created[2], 0x3001, 0xFFF0],
        }),
        ids_from_names(0, false, vec![]),
        // A value under the named property id round-trips on the message.
        set_props(2, vec![tv(PropTag::new(created[1], oxmapi_core::ptype::PropType::String), text("kw"))]),
        get_props(2, &[PropTag::from_parts(created[1], 0x001F)]),
    ];
    let (resp, _) = c.run(&reqs, 2).await;
    assert_eq!(ids(&resp[1]), (0, vec![created[1]]));
    assert_eq!(ids(&resp[3]), (0, vec![created[2]]));
    let RopResponse::GetNamesFromPropertyIds(o) = &resp[4] else { panic!("{:?}", resp[4]) };
    let got = &o.body.as_ref().unwrap().property_names;
    assert_eq!(got[..3], [Some(by_lid.clone()), Some(by_name.clone()), Some(other.clone())]);
    assert_eq!(got[3], Some(PropertyName::id(PS_MAPI, 0x3001)));
    assert_eq!(got[4], None);
    assert_eq!(ids(&resp[5]), (0, created.clone()));
    assert!(problems(&resp[6]).is_empty());
    assert_eq!(cell(&resp[7], 0), Some(text("kw")));

    // RopQueryNamedProperties: all, NoStrings, NoIds, one property set.
    let query = |flags: u8, g: Option<Guid>| {
        RopRequest::QueryNamedProperties(QueryNamedPropertiesRequest {
            logon_id: 0,
            input_handle_index: 0,
            query_flags: flags,
            property_guid: g,
        })
    };
    let reqs =
        [query(0, None), query(0x01, None), query(0x02, None), query(0, Some(guid)), query(0x03, None)];
    let (resp, _) = c.run(&reqs, 0).await;
    let listed = |r: &RopResponse| {
        let RopResponse::QueryNamedProperties(o) = r else { panic!("{r:?}") };
        o.body.as_ref().unwrap().properties.clone()
    };
    assert_eq!(listed(&resp[0]).len(), 3);
    assert_eq!(listed(&resp[1]), vec![(created[0], by_lid)]);
    assert_eq!(listed(&resp[2]), vec![(created[1], by_name), (created[2], other.clone())]);
    assert_eq!(listed(&resp[3]), vec![(created[2], other)]);
    assert!(listed(&resp[4]).is_empty());
}

fn open_stream(input: u8, out: u8, tag: PropTag, mode: u8) -> RopRequest {
    RopRequest::OpenStream(OpenStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        property_tag: tag,
        open_mode_flags: mode,
    })
}

fn write_stream(index: u8, data: Vec<u8>) -> RopRequest {
    RopRequest::WriteStream(WriteStreamRequest { logon_id: 0, input_handle_index: index, data })
}

#[tokio::test]
async fn copy_properties_between_messages() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    // The source's PR_X_BIN is a 40 000-byte value written through a stream (a pending blob).
    let reqs = [
        create_message(0, 1, inbox),
        set_props(1, vec![tv(PR_SUBJECT, text("source")), tv(PR_X_TEXT, text("from source"))]),
        open_stream(1, 4, PR_X_BIN, 0x02),
        write_stream(4, vec![7; 20_000]),
    ];
    let (resp, handles) = c.run(&reqs, 4).await;
    assert_eq!(rv(&resp[3]), 0, "{:?}", resp[3]);
    let reqs = [write_stream(4, vec![7; 20_000]), release(4)];
    let (resp, handles) = c.m.rops(&reqs, handles).await;
    assert_eq!(rv(&resp[0]), 0);
    let reqs = [
        create_message(0, 2, inbox),
        set_props(2, vec![tv(PR_X_TEXT, text("destination's"))]),
        // NoOverwrite keeps PR_X_TEXT; a property the source lacks is a NotFound problem.
        copy_props(1, 2, 0x02, &[PR_SUBJECT, PR_X_TEXT, PR_BODY]),
        get_props(2, &[PR_SUBJECT, PR_X_TEXT]),
        // Plain copy overwrites (the large value too).
        copy_props(1, 2, 0x00, &[PR_X_TEXT, PR_X_BIN]),
        get_props(2, &[PR_X_TEXT]),
        // Move takes the properties from the source.
        copy_props(1, 2, 0x01, &[PR_SUBJECT]),
        get_props(1, &[PR_SUBJECT, PR_X_TEXT]),
        // Move with NoOverwrite, and undefined bits, are invalid.
        copy_props(1, 2, 0x03, &[PR_X_TEXT]),
        copy_props(1, 2, 0x10, &[PR_X_TEXT]),
        // Different kinds of object; an empty destination slot.
        copy_props(1, 0, 0x00, &[PR_X_TEXT]),
        copy_props(1, 3, 0x00, &[PR_X_TEXT]),
        save_message(2, KEEP_OPEN_READ_WRITE),
        // The source goes away unsaved (its pending blobs with it).
        release(1),
    ];
    let (resp, _) = c.m.rops(&reqs, handles).await;
    assert_eq!(problems(&resp[2]), vec![(2, PR_BODY.0, codes::MAPI_E_NOT_FOUND.0)]);
    assert_eq!((cell(&resp[3], 0), cell(&resp[3], 1)), (Some(text("source")), Some(text("destination's"))));
    assert!(problems(&resp[4]).is_empty());
    assert_eq!(cell(&resp[5], 0), Some(text("from source")));
    assert!(problems(&resp[6]).is_empty());
    assert_eq!((cell(&resp[7], 0), cell(&resp[7], 1)), (None, Some(text("from source"))));
    assert_eq!(rv(&resp[8]), codes::MAPI_E_INVALID_PARAMETER.0);
    assert_eq!(rv(&resp[9]), codes::MAPI_E_INVALID_PARAMETER.0);
    assert_eq!(rv(&resp[10]), codes::MAPI_E_NO_SUPPORT.0);
    let RopResponse::CopyProperties(o) = &resp[11] else { panic!() };
    assert_eq!((o.handle_index, o.return_value), (1, codes::EC_DST_NULL_OBJECT.0));
    assert_eq!(o.body, Some(CopyPropertiesResponse::NullDestination(3)));
    let mid = saved_mid(&resp[12]);
    // The copied large value was saved with the destination.
    let reqs =
        [open_message(0, 1, inbox, mid, 0), get_props(1, &[PR_SUBJECT]), open_stream(1, 2, PR_X_BIN, 0)];
    let (resp, _) = c.run(&reqs, 2).await;
    assert_eq!(cell(&resp[1], 0), Some(text("source")));
    let RopResponse::OpenStream(o) = &resp[2] else { panic!("{:?}", resp[2]) };
    assert_eq!(o.body.as_ref().map(|b| b.stream_size), Some(40_000));
}

#[tokio::test]
async fn copy_to_messages_with_exclusions_and_sub_objects() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [
        create_message(0, 1, inbox),
        set_props(
            1,
            vec![
                tv(PR_SUBJECT, text("all of it")),
                tv(PR_BODY, text("body")),
                tv(PR_IMPORTANCE, PropValue::I32(2)),
            ],
        ),
        create_attachment(1, 2),
        set_props(2, vec![tv(PR_ATTACH_LONG_FILENAME, text("report.pdf"))]),
        save_attachment(2, 1),
        create_message(0, 3, inbox),
        // Excluding PR_BODY, without sub-objects.
        copy_to(1, 3, 0x00, false, &[PR_BODY]),
        get_props(3, &[PR_SUBJECT, PR_BODY, PR_IMPORTANCE]),
        open_attachment(3, 4, 0, 0),
        // With sub-objects: the attachment comes along.
        copy_to(1, 3, 0x02, true, &[PR_BODY]),
        open_attachment(3, 4, 0, 0),
        get_props(4, &[PR_ATTACH_LONG_FILENAME]),
        copy_to(1, 5, 0x00, false, &[]),
        copy_to(1, 1, 0x00, true, &[]),
    ];
    let (resp, handles) = c.run(&reqs, 5).await;
    assert!(problems(&resp[6]).is_empty());
    assert_eq!(
        (cell(&resp[7], 0), cell(&resp[7], 1), cell(&resp[7], 2)),
        (Some(text("all of it")), None, Some(PropValue::I32(2)))
    );
    assert_eq!(rv(&resp[8]), codes::MAPI_E_NOT_FOUND.0, "{:?}", resp[8]);
    assert!(problems(&resp[9]).is_empty());
    assert_eq!(rv(&resp[10]), 0, "{:?}", resp[10]);
    assert_eq!(cell(&resp[11], 0), Some(text("report.pdf")));
    let RopResponse::CopyTo(o) = &resp[12] else { panic!() };
    assert_eq!(
        (o.return_value, o.body.clone()),
        (codes::EC_DST_NULL_OBJECT.0, Some(CopyPropertiesResponse::NullDestination(5)))
    );
    assert_eq!(rv(&resp[13]), codes::MAPI_E_NO_SUPPORT.0);

    // Move: the source loses what was copied (PR_SUBJECT is excluded and stays).
    let reqs = [
        copy_to(1, 3, 0x01, false, &[PR_SUBJECT]),
        get_props(1, &[PR_SUBJECT, PR_BODY, PR_IMPORTANCE]),
        get_props(3, &[PR_BODY]),
    ];
    let (resp, _) = c.m.rops(&reqs, handles).await;
    assert!(problems(&resp[0]).is_empty());
    assert_eq!(
        (cell(&resp[1], 0), cell(&resp[1], 1), cell(&resp[1], 2)),
        (Some(text("all of it")), None, None)
    );
    assert_eq!(cell(&resp[2], 0), Some(text("body")));
}

#[tokio::test]
async fn copy_between_attachments() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let abc = PropValue::Binary(b"abc".to_vec());
    let reqs = [
        create_message(0, 1, inbox),
        create_attachment(1, 2),
        set_props(2, vec![tv(PR_ATTACH_LONG_FILENAME, text("one")), tv(PR_ATTACH_DATA_BIN, abc.clone())]),
        create_attachment(1, 3),
        set_props(3, vec![tv(PR_ATTACH_LONG_FILENAME, text("two"))]),
        copy_props(2, 3, 0x02, &[PR_ATTACH_LONG_FILENAME, PR_ATTACH_DATA_BIN]),
        get_props(3, &[PR_ATTACH_LONG_FILENAME, PR_ATTACH_DATA_BIN]),
        copy_to(2, 3, 0x00, true, &[PR_ATTACH_DATA_BIN]),
        get_props(3, &[PR_ATTACH_LONG_FILENAME]),
        copy_to(2, 3, 0x01, false, &[PR_ATTACH_LONG_FILENAME]),
        get_props(2, &[PR_ATTACH_LONG_FILENAME, PR_ATTACH_DATA_BIN]),
        copy_props(2, 1, 0x00, &[PR_ATTACH_LONG_FILENAME]),
        copy_to(1, 2, 0x00, false, &[]),
    ];
    let (resp, _) = c.run(&reqs, 3).await;
    assert!(problems(&resp[5]).is_empty());
    assert_eq!((cell(&resp[6], 0), cell(&resp[6], 1)), (Some(text("two")), Some(abc.clone())));
    assert!(problems(&resp[7]).is_empty());
    assert_eq!(cell(&resp[8], 0), Some(text("one")));
    assert!(problems(&resp[9]).is_empty());
    assert_eq!((cell(&resp[10], 0), cell(&resp[10], 1)), (Some(text("one")), None));
    assert_eq!(rv(&resp[11]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[12]), codes::MAPI_E_NO_SUPPORT.0);
}

#[tokio::test]
async fn copy_between_folders() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [
        open_folder(0, 1, inbox),
        create_folder(1, 2, "Source"),
        create_folder(1, 3, "Target"),
        set_props(2, vec![tv(PR_COMMENT, text("source comment")), tv(PR_X_TEXT, text("x"))]),
        create_folder(2, 4, "Child"),
        copy_props(2, 3, 0x00, &[PR_COMMENT, PR_BODY, PR_DISPLAY_NAME]),
        get_props(3, &[PR_COMMENT, PR_DISPLAY_NAME]),
        copy_props(2, 3, 0x01, &[PR_X_TEXT]),
        get_props(2, &[PR_X_TEXT]),
        get_props(3, &[PR_X_TEXT]),
    ];
    let (resp, handles) = c.run(&reqs, 4).await;
    let source = created_folder(&resp[1]);
    assert_eq!(rv(&resp[4]), 0);
    // PR_DISPLAY_NAME "Source" collides with the sibling of that name.
    assert_eq!(
        problems(&resp[5]),
        vec![(1, PR_BODY.0, codes::MAPI_E_NOT_FOUND.0), (2, PR_DISPLAY_NAME.0, codes::MAPI_E_COLLISION.0)]
    );
    assert_eq!((cell(&resp[6], 0), cell(&resp[6], 1)), (Some(text("source comment")), Some(text("Target"))));
    assert!(problems(&resp[7]).is_empty());
    assert_eq!((cell(&resp[8], 0), cell(&resp[9], 0)), (None, Some(text("x"))));
    let (src_h, dst_h, child_h) = (handles[2], handles[3], handles[4]);

    // CopyTo with sub-objects: a message and the subfolder arrive in the target.
    saved_message(&mut c, source, vec![tv(PR_SUBJECT, text("in source"))]).await;
    let h = c.table(&[src_h, dst_h, child_h]);
    let reqs = [
        copy_to(1, 2, 0x00, true, &[PR_COMMENT]),
        get_props(2, &[PR_CONTENT_COUNT, PR_COMMENT]),
        get_props(1, &[PR_CONTENT_COUNT]),
        // Again: the subfolder name now collides; into its own subfolder: a cycle.
        copy_to(1, 2, 0x00, true, &[]),
        copy_to(1, 3, 0x00, true, &[]),
        copy_to(1, 1, 0x00, true, &[]),
    ];
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert!(problems(&resp[0]).is_empty());
    assert_eq!(cell(&resp[1], 0), Some(PropValue::I32(1)));
    assert_eq!(cell(&resp[2], 0), Some(PropValue::I32(1)));
    assert_eq!(rv(&resp[3]), codes::MAPI_E_COLLISION.0);
    assert_eq!(rv(&resp[4]), codes::MAPI_E_FOLDER_CYCLE.0);
    assert_eq!(rv(&resp[5]), codes::MAPI_E_FOLDER_CYCLE.0);
}
