//! RopCopyProperties / RopCopyTo between drafts, and folder property writes and deletes.

use std::io::Write;

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::recipient_type::MAPI_TO;
use oxmapi_core::error::codes;
use oxmapi_core::value::PropValue;

use super::*;
use crate::mailbox::{CopyOutcome, SubObjects};
use crate::{RecipientRow, StoreError, StreamMode};

const PR_X_BIN: PropTag = PropTag(0x6701_0102);
const PR_X_TEXT: PropTag = PropTag(0x6702_001F);

#[test]
fn copy_properties_rules_and_large_values() {
    let f = fixture();
    let s = &f.store;
    let mut src = s.create_message(f.inbox, false).unwrap();
    s.set_properties(&mut src, &[tv(PR_SUBJECT, text("FW: source")), tv(PR_X_TEXT, text("a"))]).unwrap();
    // A 100 000-byte value written through a stream: a pending blob of the source's workspace.
    let mut st = s.open_stream(&src, PR_X_BIN, StreamMode::Create).unwrap();
    st.io(s).write_all(&vec![3; 100_000]).unwrap();
    s.commit_stream(&mut st, &mut src).unwrap();
    let mut dst = s.create_message(f.inbox, false).unwrap();
    s.set_properties(&mut dst, &[tv(PR_X_TEXT, text("b"))]).unwrap();

    let tags = [PR_SUBJECT, PR_X_TEXT, PR_BODY, PR_MESSAGE_SIZE, PR_X_BIN];
    let out = s.copy_properties(&src, &mut dst, &tags, true).unwrap();
    let errors: Vec<_> = out.problems.iter().map(|p| (p.index, p.error)).collect();
    assert_eq!(errors, vec![(2, codes::MAPI_E_NOT_FOUND), (3, codes::MAPI_E_COMPUTED)]);
    assert_eq!(out.copied, vec![PR_X_BIN, PR_SUBJECT]);
    assert_eq!(prop(s, &dst, PR_X_TEXT), Some(text("b")), "NoOverwrite keeps it");
    assert_eq!(prop(s, &dst, PR_SUBJECT), Some(text("FW: source")));

    // The copy owns its large value: the source's workspace can go.
    s.discard_message(&src).unwrap();
    let mid = s.save_message(&mut dst, false).unwrap();
    let dst = s.open_message(f.inbox, mid).unwrap();
    assert_eq!(prop(s, &dst, PR_X_BIN), Some(PropValue::Binary(vec![3; 100_000])));
    assert_eq!(prop(s, &dst, PR_NORMALIZED_SUBJECT), Some(text("source")));

    let mut other = s.create_message(f.inbox, false).unwrap();
    let att = s.create_attachment(&mut other).unwrap();
    assert!(matches!(
        s.copy_properties(&att, &mut other, &[PR_SUBJECT], false),
        Err(StoreError::NotSupported(_))
    ));
}

#[test]
fn copy_to_with_sub_objects_and_move() {
    let f = fixture();
    let s = &f.store;
    let mut src = s.create_message(f.inbox, false).unwrap();
    s.set_properties(
        &mut src,
        &[tv(PR_SUBJECT, text("s")), tv(PR_BODY, text("b")), tv(PR_X_TEXT, text("x"))],
    )
    .unwrap();
    s.modify_recipients(
        &mut src,
        vec![RecipientRow {
            row_id: 0,
            recipient_type: MAPI_TO,
            props: vec![tv(PR_DISPLAY_NAME, text("Bob"))],
        }],
    )
    .unwrap();
    let mut att = s.create_attachment(&mut src).unwrap();
    let mut inner = s.open_embedded(&mut att, true).unwrap();
    s.set_properties(&mut inner, &[tv(PR_SUBJECT, text("inner"))]).unwrap();
    s.save_embedded(&mut att, &mut inner).unwrap();
    s.save_attachment(&mut src, &mut att).unwrap();
    let src_mid = s.save_message(&mut src, false).unwrap();

    let mut dst = s.create_message(f.inbox, false).unwrap();
    let sub = SubObjects { wanted: true, no_overwrite: false };
    let out: CopyOutcome = s.copy_to(&src, &mut dst, &[PR_BODY], false, sub).unwrap();
    assert!(out.problems.is_empty());
    assert!(out.recipients && out.attachments && !out.embedded);
    assert_eq!(prop(s, &dst, PR_BODY), None, "excluded");
    let mid = s.save_message(&mut dst, false).unwrap();
    let dst = s.open_message(f.inbox, mid).unwrap();
    assert_eq!(prop(s, &dst, PR_DISPLAY_TO), Some(text("Bob")));
    let mut catt = s.open_attachment(&dst, 0).unwrap();
    let cinner = s.open_embedded(&mut catt, false).unwrap();
    assert_eq!(prop(s, &cinner, PR_SUBJECT), Some(text("inner")));
    // The source's embedded message is untouched by the copy's save.
    let src = s.open_message(f.inbox, src_mid).unwrap();
    let mut satt = s.open_attachment(&src, 0).unwrap();
    assert_ne!(s.open_embedded(&mut satt, false).unwrap().mid(), cinner.mid());

    // Move: the source loses the copied properties and sub-objects.
    let mut src = src;
    let mut dst2 = s.create_message(f.inbox, false).unwrap();
    let out = s.copy_to(&src, &mut dst2, &[PR_SUBJECT, PR_MESSAGE_ATTACHMENTS], false, sub).unwrap();
    assert!(out.recipients && !out.attachments);
    s.remove_copied(&mut src, &out).unwrap();
    assert_eq!(prop(s, &src, PR_X_TEXT), None);
    assert_eq!(prop(s, &src, PR_SUBJECT), Some(text("s")));
    assert_eq!(src.recipients().count(), 0);
    assert_eq!(src.attachment_numbers(), vec![0]);
}

#[test]
fn folder_writes_collide_and_delete() {
    let f = fixture();
    let s = &f.store;
    let (a, _) =
        s.create_folder(f.inbox, "A", None, None, crate::mailbox::FolderType::Generic, false).unwrap();
    let (b, _) =
        s.create_folder(f.inbox, "B", None, None, crate::mailbox::FolderType::Generic, false).unwrap();
    assert!(matches!(
        s.set_folder_properties(b, &[tv(PR_DISPLAY_NAME, text("a"))]),
        Err(StoreError::Collision(_))
    ));
    assert!(matches!(
        s.set_folder_properties(b, &[tv(PR_DISPLAY_NAME, text(""))]),
        Err(StoreError::InvalidParameter(_))
    ));
    s.set_folder_properties(b, &[tv(PR_DISPLAY_NAME, text("b")), tv(PR_COMMENT, text("c"))]).unwrap();
    s.set_folder_properties(a, &[tv(PR_DISPLAY_NAME, text("A"))]).unwrap();
    assert_eq!(s.folder_property(b, PR_DISPLAY_NAME).unwrap(), Some(text("b")));
    assert!(matches!(s.delete_folder_properties(b, &[PR_DISPLAY_NAME]), Err(StoreError::Computed(_))));
    assert!(matches!(s.delete_folder_properties(b, &[PR_FID]), Err(StoreError::Computed(_))));
    s.delete_folder_properties(b, &[PR_COMMENT, PR_X_TEXT]).unwrap();
    assert_eq!(s.folder_property(b, PR_COMMENT).unwrap(), None);
}
