use std::io::{Read, Seek, SeekFrom, Write};

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::consts::recipient_type::MAPI_TO;
use oxmapi_core::value::PropValue;

use super::*;
use crate::mailbox::messages::attach_method::{AF_BY_VALUE, AF_EMBEDDED_MESSAGE};
use crate::{RecipientRow, StoreError, StreamMode};

const MB25: usize = 25 * 1024 * 1024;
const PIECE: usize = 32 * 1024;

/// Deterministic content, generated piece by piece so the test never holds the value.
fn piece(i: usize) -> Vec<u8> {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..PIECE)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn attachment_of_25_mb_through_streams() {
    let mut f = fixture();
    let s = &f.store;
    let mut msg = s.create_message(f.inbox, false).unwrap();
    s.set_properties(&mut msg, &[tv(PR_SUBJECT, text("with attachments"))]).unwrap();

    let mut small = s.create_attachment(&mut msg).unwrap();
    assert_eq!(small.attach_num(), 0);
    s.set_properties(
        &mut small,
        &[
            tv(PR_ATTACH_METHOD, PropValue::I32(AF_BY_VALUE)),
            tv(PR_ATTACH_LONG_FILENAME, text("small.txt")),
            tv(PR_ATTACH_DATA_BIN, PropValue::Binary(b"hello attachment\n".to_vec())),
        ],
    )
    .unwrap();
    s.save_attachment(&mut msg, &mut small).unwrap();

    let mut big = s.create_attachment(&mut msg).unwrap();
    assert_eq!(big.attach_num(), 1);
    s.set_properties(
        &mut big,
        &[tv(PR_ATTACH_METHOD, PropValue::I32(AF_BY_VALUE)), tv(PR_ATTACH_LONG_FILENAME, text("big.bin"))],
    )
    .unwrap();
    let mut stream = s.open_stream(&big, PR_ATTACH_DATA_BIN, StreamMode::Create).unwrap();
    {
        let mut io = stream.io(s);
        for i in 0..MB25 / PIECE {
            io.write_all(&piece(i)).unwrap();
        }
    }
    assert_eq!(stream.size(), MB25 as u64);
    // Not visible before the commit.
    assert!(s.get_properties(&big, 0).unwrap().iter().all(|t| t.tag.id() != PR_ATTACH_DATA_BIN.id()));
    s.commit_stream(&mut stream, &mut big).unwrap();
    s.save_attachment(&mut msg, &mut big).unwrap();
    assert_eq!(prop(s, &msg, PR_HASATTACH), Some(PropValue::Bool(true)));
    let mid = s.save_message(&mut msg, false).unwrap();
    s.discard_message(&msg).unwrap();
    drop(msg);
    assert_eq!(count(s, "SELECT count(*) FROM blobs WHERE pending = 1"), 0);

    f.reopen();
    let s = &f.store;
    let msg = s.open_message(f.inbox, mid).unwrap();
    let flags = prop(s, &msg, PR_MESSAGE_FLAGS).and_then(|v| v.as_i64()).unwrap() as u32;
    assert_ne!(flags & mf::MSGFLAG_HASATTACH, 0);
    let Some(PropValue::I32(size)) = prop(s, &msg, PR_MESSAGE_SIZE) else { panic!() };
    assert!(size as usize > MB25);
    let table = s.attachment_table(&msg).unwrap();
    assert_eq!(table.len(), 2);
    let get = |row: &Vec<TaggedValue>, tag: PropTag| {
        row.iter().find(|t| t.tag.id() == tag.id()).map(|t| t.value.clone())
    };
    assert_eq!(get(&table[0], PR_ATTACH_LONG_FILENAME), Some(text("small.txt")));
    assert_eq!(get(&table[1], PR_ATTACH_NUM), Some(PropValue::I32(1)));
    assert!(matches!(get(&table[1], PR_ATTACH_SIZE), Some(PropValue::I32(n)) if n as usize >= MB25));
    assert_eq!(get(&table[1], PR_ATTACH_DATA_BIN), None, "tables do not carry large values");
    assert_eq!(get(&table[0], PR_ATTACH_DATA_BIN), Some(PropValue::Binary(b"hello attachment\n".to_vec())));

    let att = s.open_attachment(&msg, 1).unwrap();
    let mut stream = s.open_stream(&att, PR_ATTACH_DATA_BIN, StreamMode::ReadOnly).unwrap();
    assert_eq!(stream.size(), MB25 as u64);
    let mut io = stream.io(s);
    let mut buf = vec![0u8; PIECE];
    for i in 0..MB25 / PIECE {
        io.read_exact(&mut buf).unwrap();
        assert!(buf == piece(i), "piece {i} differs");
    }
    assert_eq!(io.read(&mut buf).unwrap(), 0);
    // Seek and read across a chunk boundary.
    io.seek(SeekFrom::Start(64 * 1024 - 16)).unwrap();
    let mut b32 = [0u8; 32];
    io.read_exact(&mut b32).unwrap();
    assert_eq!(&b32[..16], &piece(1)[PIECE - 16..]);
    assert_eq!(&b32[16..], &piece(2)[..16]);
    assert!(matches!(
        s.open_stream(&att, PR_ATTACH_CONTENT_ID, StreamMode::ReadOnly),
        Err(StoreError::NotFound(_))
    ));

    // A copy shares the blob; deleting the original keeps it; deleting both frees it.
    let (partial, copies) =
        s.move_copy_messages(f.inbox, &[mid], f.folder(SpecialFolder::Drafts), true).unwrap();
    assert!(!partial);
    assert_eq!(count(s, "SELECT count(*) FROM blobs"), 1);
    s.delete_messages(f.inbox, &[mid], true).unwrap();
    assert_eq!(count(s, "SELECT count(*) FROM blobs"), 1);
    let copy = s.open_message(f.folder(SpecialFolder::Drafts), copies[0]).unwrap();
    let att = s.open_attachment(&copy, 1).unwrap();
    let stream = s.open_stream(&att, PR_ATTACH_DATA_BIN, StreamMode::ReadOnly).unwrap();
    assert_eq!(stream.size(), MB25 as u64);
    s.delete_messages(f.folder(SpecialFolder::Drafts), &copies, true).unwrap();
    assert_eq!(count(s, "SELECT count(*) FROM blobs"), 0);
    assert_eq!(count(s, "SELECT count(*) FROM blob_chunks"), 0);
    assert_eq!(count(s, "SELECT count(*) FROM attachments"), 0);
    assert!(s.integrity_check().unwrap());
}

#[test]
fn stream_commit_size_and_copy_on_write() {
    let f = fixture();
    let s = &f.store;
    let mut msg = s.create_message(f.inbox, false).unwrap();
    s.set_properties(&mut msg, &[tv(PR_BODY, text("short body"))]).unwrap();
    let mut st = s.open_stream(&msg, PR_BODY, StreamMode::ReadWrite).unwrap();
    assert_eq!(st.size(), 20, "UTF-16LE");
    {
        let mut io = st.io(s);
        io.seek(SeekFrom::End(0)).unwrap();
        io.write_all(&"— more".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>()).unwrap();
    }
    assert_eq!(prop(s, &msg, PR_BODY), Some(text("short body")), "uncommitted");
    s.commit_stream(&mut st, &mut msg).unwrap();
    assert_eq!(prop(s, &msg, PR_BODY), Some(text("short body— more")));

    // Grow past the inline limit: the committed value becomes a blob shared with the stream;
    // later writes copy it first, so the object keeps what was committed.
    s.set_stream_size(&mut st, 100_000).unwrap();
    assert_eq!(st.position(), 32);
    s.commit_stream(&mut st, &mut msg).unwrap();
    let committed = prop(s, &msg, PR_BODY).unwrap();
    let PropValue::Unicode(c) = &committed else { panic!() };
    assert_eq!(c, "short body— more", "trailing zeros are not characters");
    {
        let mut io = st.io(s);
        io.seek(SeekFrom::Start(0)).unwrap();
        io.write_all(&[b'X', 0]).unwrap();
    }
    assert_eq!(prop(s, &msg, PR_BODY).unwrap(), committed);
    s.set_stream_size(&mut st, 2).unwrap();
    s.commit_stream(&mut st, &mut msg).unwrap();
    assert_eq!(prop(s, &msg, PR_BODY), Some(text("X")));

    // A missing property needs Create; read-only streams cannot be written; other types cannot
    // be streams.
    assert!(matches!(s.open_stream(&msg, PR_HTML, StreamMode::ReadWrite), Err(StoreError::NotFound(_))));
    let mut ro = s.open_stream(&msg, PR_BODY, StreamMode::ReadOnly).unwrap();
    assert!(ro.io(s).write(b"a").is_err());
    assert!(matches!(
        s.open_stream(&msg, PR_IMPORTANCE, StreamMode::ReadOnly),
        Err(StoreError::NotSupported(_))
    ));
    assert!(matches!(
        s.open_stream(&msg, PR_MESSAGE_SIZE, StreamMode::ReadWrite),
        Err(StoreError::NotSupported(_))
    ));
    // String8 view of a Unicode value.
    let mut a = s.open_stream(&msg, PropTag(0x1000_001E), StreamMode::ReadOnly).unwrap();
    let mut out = Vec::new();
    a.io(s).read_to_end(&mut out).unwrap();
    assert_eq!(out, b"X");

    // Nothing was saved: discarding leaves no pending blobs.
    assert!(count(s, "SELECT count(*) FROM blobs WHERE pending = 1") > 0);
    s.discard_message(&msg).unwrap();
    assert_eq!(count(s, "SELECT count(*) FROM blobs"), 0);
}

#[test]
fn embedded_message_round_trip() {
    let mut f = fixture();
    let s = &f.store;
    let mut msg = s.create_message(f.inbox, false).unwrap();
    s.set_properties(&mut msg, &[tv(PR_SUBJECT, text("outer"))]).unwrap();
    let mut att = s.create_attachment(&mut msg).unwrap();
    assert!(matches!(s.open_embedded(&mut att, false), Err(StoreError::NotFound(_))));
    let mut inner = s.open_embedded(&mut att, true).unwrap();
    assert!(inner.is_embedded());
    let inner_mid = inner.mid().expect("embedded messages get a MID at creation");
    s.set_properties(
        &mut inner,
        &[tv(PR_SUBJECT, text("FW: inner — Grüße")), tv(PR_BODY, text("inner body"))],
    )
    .unwrap();
    s.modify_recipients(
        &mut inner,
        vec![RecipientRow {
            row_id: 0,
            recipient_type: MAPI_TO,
            props: vec![tv(PR_DISPLAY_NAME, text("Bob"))],
        }],
    )
    .unwrap();
    // A nested attachment inside the embedded message.
    let mut nested = s.create_attachment(&mut inner).unwrap();
    s.set_properties(&mut nested, &[tv(PR_ATTACH_DATA_BIN, PropValue::Binary(vec![7; 40_000]))]).unwrap();
    s.save_attachment(&mut inner, &mut nested).unwrap();
    assert!(matches!(s.save_message(&mut inner, false), Err(StoreError::InvalidParameter(_))));
    assert_eq!(s.save_embedded(&mut att, &mut inner).unwrap(), inner_mid);
    s.save_attachment(&mut msg, &mut att).unwrap();
    let mid = s.save_message(&mut msg, false).unwrap();
    assert_eq!(s.contents(f.inbox, false).unwrap(), vec![mid], "embedded messages are not folder contents");
    assert_eq!(s.folder_property(f.inbox, PR_CONTENT_COUNT).unwrap(), Some(PropValue::I32(1)));

    f.reopen();
    let s = &f.store;
    let mut msg = s.open_message(f.inbox, mid).unwrap();
    let mut att = s.open_attachment(&msg, 0).unwrap();
    assert!(att.has_embedded_message());
    assert_eq!(
        s.get_properties(&att, 100)
            .unwrap()
            .iter()
            .find(|t| t.tag.id() == PR_ATTACH_METHOD.id())
            .map(|t| &t.value),
        Some(&PropValue::I32(AF_EMBEDDED_MESSAGE))
    );
    let mut inner = s.open_embedded(&mut att, false).unwrap();
    assert_eq!(inner.mid(), Some(inner_mid));
    assert_eq!(prop(s, &inner, PR_SUBJECT), Some(text("FW: inner — Grüße")));
    assert_eq!(prop(s, &inner, PR_NORMALIZED_SUBJECT), Some(text("inner — Grüße")));
    assert_eq!(prop(s, &inner, PR_DISPLAY_TO), Some(text("Bob")));
    assert_eq!(prop(s, &inner, PR_ENTRYID), None, "embedded messages have no entry ID");
    let n = s.open_attachment(&inner, 0).unwrap();
    assert_eq!(
        s.get_properties(&n, usize::MAX).unwrap().iter().find(|t| t.tag.id() == 0x3701).unwrap().value,
        PropValue::Binary(vec![7; 40_000])
    );

    // Change the embedded message and save down the chain.
    s.set_properties(&mut inner, &[tv(PR_BODY, text("changed"))]).unwrap();
    s.save_embedded(&mut att, &mut inner).unwrap();
    s.save_attachment(&mut msg, &mut att).unwrap();
    s.save_message(&mut msg, false).unwrap();
    let msg = s.open_message(f.inbox, mid).unwrap();
    let mut att = s.open_attachment(&msg, 0).unwrap();
    let inner = s.open_embedded(&mut att, false).unwrap();
    assert_eq!(prop(s, &inner, PR_BODY), Some(text("changed")));
    assert_eq!(prop(s, &inner, PR_DISPLAY_TO), Some(text("Bob")));

    // Copying copies the embedded message too; deleting removes everything.
    let (_, copies) = s.move_copy_messages(f.inbox, &[mid], f.inbox, true).unwrap();
    let copy = s.open_message(f.inbox, copies[0]).unwrap();
    let mut catt = s.open_attachment(&copy, 0).unwrap();
    let cinner = s.open_embedded(&mut catt, false).unwrap();
    assert_ne!(cinner.mid(), Some(inner_mid));
    assert_eq!(prop(s, &cinner, PR_BODY), Some(text("changed")));
    let mut msg = msg;
    s.delete_attachment(&mut msg, 0).unwrap();
    assert!(matches!(s.delete_attachment(&mut msg, 0), Err(StoreError::NotFound(_))));
    s.save_message(&mut msg, false).unwrap();
    assert_eq!(prop(s, &msg, PR_HASATTACH), Some(PropValue::Bool(false)));
    s.delete_messages(f.inbox, &[mid, copies[0]], true).unwrap();
    for t in ["messages", "attachments", "attachment_properties", "recipients", "blobs", "message_properties"]
    {
        assert_eq!(count(s, &format!("SELECT count(*) FROM {t}")), 0, "{t}");
    }
}
