use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::*;
use crate::StoreError;

const SUBJECT: &str = "RE: Quarterly plan — Grüße 日本語 ✓";
const BODY: &str = "Body line one\nline two — ünïcödé 😀";

#[test]
fn create_save_reopen_with_computed_properties() {
    let mut f = fixture();
    let s = &f.store;
    let mut d = s.create_message(f.inbox, false).unwrap();
    assert_eq!(d.mid(), None, "RopCreateMessage: no MID before the save");
    assert!(!d.is_saved());
    // MS-OXCMSG 3.2.5.2 initial values.
    assert_eq!(prop(s, &d, PR_MESSAGE_CLASS), Some(text("IPM.Note")));
    assert_eq!(prop(s, &d, PR_IMPORTANCE), Some(PropValue::I32(1)));
    assert_eq!(prop(s, &d, PR_MESSAGE_FLAGS), Some(PropValue::I32(0x9)));
    assert_eq!(prop(s, &d, PR_DISPLAY_TO), Some(text("")));
    assert_eq!(prop(s, &d, PR_HASATTACH), Some(PropValue::Bool(false)));
    assert_eq!(prop(s, &d, PR_ACCESS), Some(PropValue::I32(3)));
    assert_eq!(prop(s, &d, PR_MID), None);
    let p = s.set_properties(&mut d, &[tv(PR_SUBJECT, text(SUBJECT)), tv(PR_BODY, text(BODY))]).unwrap();
    assert!(p.is_empty());
    let mid = s.save_message(&mut d, false).unwrap();
    assert_eq!(d.mid(), Some(mid));
    assert!(d.is_saved() && !d.is_modified());
    assert_eq!(s.contents(f.inbox, false).unwrap(), vec![mid]);

    f.reopen();
    let s = &f.store;
    let d = s.open_message(f.inbox, mid).unwrap();
    assert_eq!(prop(s, &d, PR_SUBJECT), Some(text(SUBJECT)));
    assert_eq!(prop(s, &d, PR_BODY), Some(text(BODY)));
    assert_eq!(prop(s, &d, PR_SUBJECT_PREFIX), Some(text("RE: ")));
    assert_eq!(prop(s, &d, PR_NORMALIZED_SUBJECT), Some(text("Quarterly plan — Grüße 日本語 ✓")));
    assert_eq!(prop(s, &d, PR_MID), Some(PropValue::I64(mid.to_u64() as i64)));
    assert_eq!(prop(s, &d, PR_FID), Some(PropValue::I64(f.inbox.to_u64() as i64)));
    // mfRead | mfUnsent | mfEverRead: the client did not set the read state (3.2.5.2).
    assert_eq!(prop(s, &d, PR_MESSAGE_FLAGS), Some(PropValue::I32(0x409)));
    assert_eq!(prop(s, &d, PR_READ), Some(PropValue::Bool(true)));
    assert_eq!(prop(s, &d, PR_ACCESS), Some(PropValue::I32(7)));
    let Some(PropValue::Binary(eid)) = prop(s, &d, PR_ENTRYID) else { panic!("no entry id") };
    assert_eq!(eid.len(), 70);
    assert_eq!(s.message_ids_from_entry_id(&eid).unwrap(), (f.inbox, mid));
    assert_eq!(prop(s, &d, PR_PARENT_ENTRYID), Some(PropValue::Binary(s.folder_entry_id(f.inbox))));
    assert_eq!(prop(s, &d, PR_SOURCE_KEY), Some(PropValue::Binary(s.source_key(mid).unwrap())));
    let Some(PropValue::Binary(ck)) = prop(s, &d, PR_CHANGE_KEY) else { panic!("no change key") };
    assert_eq!(ck.len(), 22);
    let Some(PropValue::Binary(pcl)) = prop(s, &d, PR_PREDECESSOR_CHANGE_LIST) else { panic!("no PCL") };
    assert_eq!(pcl, [&[22u8][..], &ck].concat());
    let Some(PropValue::I32(size)) = prop(s, &d, PR_MESSAGE_SIZE) else { panic!("no size") };
    assert!(size as usize > BODY.len(), "{size}");
    assert!(matches!(prop(s, &d, PR_MESSAGE_DELIVERY_TIME), Some(PropValue::SysTime(_))));
    let created = prop(s, &d, PR_CREATION_TIME).unwrap();
    let modified = prop(s, &d, PR_LAST_MODIFICATION_TIME).unwrap();

    // A second save: new change number and modification time, mfUnmodified cleared.
    let mut d = d;
    std::thread::sleep(std::time::Duration::from_millis(20));
    s.set_properties(&mut d, &[tv(PR_IMPORTANCE, PropValue::I32(2))]).unwrap();
    s.save_message(&mut d, false).unwrap();
    let d = s.open_message(f.inbox, mid).unwrap();
    assert_ne!(prop(s, &d, PR_CHANGE_KEY), Some(PropValue::Binary(ck)));
    assert_eq!(prop(s, &d, PR_CREATION_TIME).unwrap(), created);
    assert_ne!(prop(s, &d, PR_LAST_MODIFICATION_TIME).unwrap(), modified);
    assert_eq!(s.message_property(mid, PR_IMPORTANCE).unwrap(), Some(PropValue::I32(2)));
    assert!(s.integrity_check().unwrap());
}

#[test]
fn set_and_delete_properties_report_problems() {
    let f = fixture();
    let s = &f.store;
    let mut d = s.create_message(f.inbox, false).unwrap();
    let values = [
        tv(PR_SUBJECT, text("x")),
        tv(PR_MID, PropValue::I64(5)),
        tv(PR_ENTRYID, PropValue::Binary(vec![1])),
        tv(PR_DISPLAY_TO, text("nobody")),
        tv(PropTag(0x6700_0003), PropValue::I32(7)),
        TaggedValue { tag: PropTag(0x6701_000A), value: PropValue::Error(5) },
    ];
    let p = s.set_properties(&mut d, &values).unwrap();
    let got: Vec<(u16, u32)> = p.iter().map(|p| (p.index, p.error.0)).collect();
    assert_eq!(
        got,
        vec![
            (1, codes::MAPI_E_COMPUTED.0),
            (2, codes::MAPI_E_COMPUTED.0),
            (3, codes::MAPI_E_COMPUTED.0),
            (5, codes::MAPI_E_INVALID_TYPE.0)
        ]
    );
    assert_eq!(prop(s, &d, PropTag(0x6700_0003)), Some(PropValue::I32(7)));
    let p =
        s.delete_properties(&mut d, &[PropTag(0x6700_0003), PR_MESSAGE_SIZE, PropTag(0x6702_0003)]).unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].index, p[0].error), (1, codes::MAPI_E_COMPUTED));
    assert_eq!(prop(s, &d, PropTag(0x6700_0003)), None);

    // PR_MESSAGE_FLAGS: settable before the first save (an unread delivered message), ignored after.
    s.set_properties(&mut d, &[tv(PR_MESSAGE_FLAGS, PropValue::I32(mf::MSGFLAG_UNMODIFIED as i32))]).unwrap();
    let mid = s.save_message(&mut d, false).unwrap();
    assert_eq!(prop(s, &d, PR_READ), Some(PropValue::Bool(false)));
    assert_eq!(s.folder_property(f.inbox, PR_CONTENT_UNREAD).unwrap(), Some(PropValue::I32(1)));
    let mut d = s.open_message(f.inbox, mid).unwrap();
    s.set_properties(&mut d, &[tv(PR_MESSAGE_FLAGS, PropValue::I32(1))]).unwrap();
    s.save_message(&mut d, false).unwrap();
    // Unchanged read state; mfUnmodified cleared by the second save.
    assert_eq!(prop(s, &d, PR_MESSAGE_FLAGS), Some(PropValue::I32(0)));

    // Specific properties: requested types, conversions and NotFound.
    let got = s
        .get_properties_specific(
            &d,
            &[PropTag(0x0037_001E), PR_MESSAGE_SIZE_EXTENDED, PropTag(0x6703_0003)],
            1000,
        )
        .unwrap();
    assert_eq!(got[0], tv(PropTag(0x0037_001E), PropValue::String8(b"x".to_vec())));
    assert!(matches!(got[1].value, PropValue::I64(n) if n > 0));
    assert_eq!(got[2].tag, PropTag(0x6703_000A));
    assert_eq!(got[2].value, PropValue::Error(codes::MAPI_E_NOT_FOUND.0));
    let tags = s.property_tags(&d).unwrap();
    assert!(tags.contains(&PR_SUBJECT) && tags.contains(&PR_MID) && tags.contains(&PR_ENTRYID));
}

#[test]
fn large_values_set_in_memory_go_to_blobs() {
    let f = fixture();
    let s = &f.store;
    let body: String = "Grüße 日本 ".repeat(10_000);
    let mut d = s.create_message(f.inbox, false).unwrap();
    s.set_properties(&mut d, &[tv(PR_BODY, text(&body)), tv(PR_SUBJECT, text("big"))]).unwrap();
    let mid = s.save_message(&mut d, false).unwrap();
    assert_eq!(count(s, "SELECT count(*) FROM blobs WHERE pending = 0"), 1);
    let d = s.open_message(f.inbox, mid).unwrap();
    let small = s.get_properties(&d, 1000).unwrap();
    let b = small.iter().find(|t| t.tag.id() == PR_BODY.id()).unwrap();
    assert_eq!(b.value, PropValue::Error(codes::MAPI_E_NOT_ENOUGH_MEMORY.0));
    assert_eq!(b.tag, PropTag(0x1000_000A));
    assert_eq!(prop(s, &d, PR_BODY), Some(text(&body)));
    // Tables get the first 255 characters.
    let rows = s.contents_rows(f.inbox, false, &[PR_BODY, PR_SUBJECT]).unwrap();
    assert_eq!(rows[0].values[0], Some(text(&body.chars().take(255).collect::<String>())));
    // Replacing the value frees the blob.
    let mut d = d;
    s.set_properties(&mut d, &[tv(PR_BODY, text("short"))]).unwrap();
    s.save_message(&mut d, false).unwrap();
    assert_eq!(count(s, "SELECT count(*) FROM blobs"), 0);
    assert_eq!(count(s, "SELECT count(*) FROM blob_chunks"), 0);
}

#[test]
fn save_conflicts_and_missing_objects() {
    let f = fixture();
    let s = &f.store;
    let mid = put(s, f.inbox, "one");
    let mut a = s.open_message(f.inbox, mid).unwrap();
    let mut b = s.open_message(f.inbox, mid).unwrap();
    s.set_properties(&mut a, &[tv(PR_SUBJECT, text("from a"))]).unwrap();
    s.save_message(&mut a, false).unwrap();
    s.set_properties(&mut b, &[tv(PR_SUBJECT, text("from b"))]).unwrap();
    assert!(matches!(s.save_message(&mut b, false), Err(StoreError::ObjectChanged(_))));
    s.save_message(&mut b, true).unwrap();
    assert_eq!(s.message_property(mid, PR_SUBJECT).unwrap(), Some(text("from b")));
    assert!(s.delete_messages(f.inbox, &[mid], true).is_ok());
    assert!(matches!(s.save_message(&mut b, true), Err(StoreError::ObjectDeleted(_))));
    assert!(matches!(s.open_message(f.inbox, mid), Err(StoreError::NotFound(_))));
    assert!(matches!(s.create_message(ObjectId::new(1, 999_999), false), Err(StoreError::NotFound(_))));
    let other = f.folder(SpecialFolder::Drafts);
    let m2 = put(s, other, "elsewhere");
    assert!(matches!(s.open_message(f.inbox, m2), Err(StoreError::NotFound(_))));
    assert_eq!(s.message_folder(m2).unwrap(), other);
}
