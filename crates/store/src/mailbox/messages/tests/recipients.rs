use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::recipient_type::{MAPI_BCC, MAPI_CC, MAPI_TO};
use oxmapi_core::value::PropValue;

use super::*;
use crate::{RecipientRow, StoreError};

fn row(row_id: u32, ty: u32, name: &str, smtp: &str) -> RecipientRow {
    RecipientRow {
        row_id,
        recipient_type: ty,
        props: vec![
            tv(PR_DISPLAY_NAME, text(name)),
            tv(PR_EMAIL_ADDRESS, text(smtp)),
            tv(PR_ADDRTYPE, text("SMTP")),
            tv(PR_SMTP_ADDRESS, text(smtp)),
            tv(PR_ROWID, PropValue::I32(99)),
        ],
    }
}

#[test]
fn add_modify_delete_read() {
    let mut f = fixture();
    let s = &f.store;
    let mut d = s.create_message(f.inbox, false).unwrap();
    s.modify_recipients(
        &mut d,
        vec![
            row(0, MAPI_TO, "Bob Builder", "bob@example.test"),
            row(1, MAPI_CC, "Carol Ñandú", "carol@example.test"),
            row(2, MAPI_TO, "Dan", "dan@example.test"),
            row(3, MAPI_BCC, "Eve", "eve@example.test"),
        ],
    )
    .unwrap();
    assert_eq!(prop(s, &d, PR_DISPLAY_TO), Some(text("Bob Builder; Dan")));
    assert_eq!(prop(s, &d, PR_DISPLAY_CC), Some(text("Carol Ñandú")));
    assert_eq!(prop(s, &d, PR_DISPLAY_BCC), Some(text("Eve")));
    let mid = s.save_message(&mut d, false).unwrap();

    f.reopen();
    let s = &f.store;
    let mut d = s.open_message(f.inbox, mid).unwrap();
    let rows = s.read_recipients(&d, 0);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1].recipient_type, MAPI_CC);
    assert_eq!(rows[1].props[0], tv(PR_DISPLAY_NAME, text("Carol Ñandú")));
    assert!(rows[1].props.iter().all(|p| p.tag.id() != PR_ROWID.id()), "PR_ROWID is the row id field");
    assert_eq!(s.read_recipients(&d, 2).iter().map(|r| r.row_id).collect::<Vec<_>>(), vec![2, 3]);

    // Replace row 0, delete row 2 (no properties), add row 7.
    s.modify_recipients(
        &mut d,
        vec![
            row(0, MAPI_CC, "Bobby", "bob@example.test"),
            RecipientRow { row_id: 2, recipient_type: MAPI_TO, props: vec![] },
            row(7, MAPI_TO, "Zed", "zed@example.test"),
        ],
    )
    .unwrap();
    s.save_message(&mut d, false).unwrap();
    let d = s.open_message(f.inbox, mid).unwrap();
    let ids: Vec<u32> = s.read_recipients(&d, 0).iter().map(|r| r.row_id).collect();
    assert_eq!(ids, vec![0, 1, 3, 7]);
    assert_eq!(s.message_property(mid, PR_DISPLAY_TO).unwrap(), Some(text("Zed")));
    assert_eq!(s.message_property(mid, PR_DISPLAY_CC).unwrap(), Some(text("Bobby; Carol Ñandú")));
    let rows = s.contents_rows(f.inbox, false, &[PR_DISPLAY_TO, PR_DISPLAY_CC]).unwrap();
    assert_eq!(rows[0].values, vec![Some(text("Zed")), Some(text("Bobby; Carol Ñandú"))]);

    // An invalid row changes nothing.
    let mut d = d;
    let bad = RecipientRow {
        row_id: 9,
        recipient_type: MAPI_TO,
        props: vec![tv(PR_DISPLAY_NAME, text("x")), tv(PR_ENTRYID, PropValue::Error(1))],
    };
    assert!(matches!(
        s.modify_recipients(&mut d, vec![row(8, MAPI_TO, "ok", "ok@x"), bad]),
        Err(StoreError::InvalidParameter(_))
    ));
    assert_eq!(s.read_recipients(&d, 0).len(), 4);

    s.remove_all_recipients(&mut d);
    s.save_message(&mut d, false).unwrap();
    let d = s.open_message(f.inbox, mid).unwrap();
    assert!(s.read_recipients(&d, 0).is_empty());
    assert_eq!(prop(s, &d, PR_DISPLAY_TO), Some(text("")));
    assert_eq!(count(s, "SELECT count(*) FROM recipients"), 0);
}
