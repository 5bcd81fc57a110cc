//! Test helpers of the messaging layer: sample messages with every part a message can have,
//! and a comparison of a message written with the one the reader gives back (named
//! properties compared by name, the properties the writer computes left aside).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_LONG_FILENAME, PR_ATTACH_METHOD, PR_ATTACH_SIZE, PR_BODY, PR_DISPLAY_BCC,
    PR_DISPLAY_CC, PR_DISPLAY_NAME, PR_DISPLAY_TO, PR_EMAIL_ADDRESS, PR_MESSAGE_CLASS, PR_MESSAGE_FLAGS,
    PR_MESSAGE_SIZE, PR_RECIPIENT_TYPE, PR_SUBJECT,
};
use oxmapi_core::consts::attach_method;
use oxmapi_core::guid::{Guid, PS_PUBLIC_STRINGS};
use oxmapi_core::named::PropertyName;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::template::{LTP_ROW_ID, LTP_ROW_VER};
use crate::item::{Attachment, FIRST_NAMED_ID, Item, Message};

/// A fresh path under the temporary directory (removed by the caller's guard).
pub fn temp_path(what: &str) -> TempFile {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let p = std::env::temp_dir().join(format!("oxmapi-pstw-{}-{n}-{what}", std::process::id()));
    let _ = std::fs::remove_file(&p);
    let _ = std::fs::remove_dir_all(&p);
    TempFile(p)
}

/// A path removed (file or directory) when dropped.
pub struct TempFile(pub PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(s: &str) -> PropValue {
    PropValue::Unicode(s.to_string())
}

/// A recipient row.
pub fn recipient(kind: i32, name: &str, addr: &str) -> PropBag {
    PropBag::new()
        .with(PR_RECIPIENT_TYPE, PropValue::I32(kind))
        .with(PR_DISPLAY_NAME, text(name))
        .with(PR_EMAIL_ADDRESS, text(addr))
        .with(PropTag(0x3002_001F), text("SMTP"))
}

/// An attachment by value.
pub fn file_attachment(name: &str, data: Vec<u8>) -> Attachment {
    Attachment {
        props: PropBag::new()
            .with(PR_ATTACH_METHOD, PropValue::I32(attach_method::BY_VALUE))
            .with(PR_ATTACH_LONG_FILENAME, text(name))
            .with(PR_ATTACH_DATA_BIN, PropValue::Binary(data)),
        ..Attachment::default()
    }
}

/// A small mail message: subject, body, one recipient.
pub fn simple_message(subject: &str, body: &str, to: &str) -> Message {
    let props = PropBag::new()
        .with(PR_MESSAGE_CLASS, text("IPM.Note"))
        .with(PR_SUBJECT, text(subject))
        .with(PR_BODY, text(body))
        .with(PR_MESSAGE_FLAGS, PropValue::I32(1));
    Message {
        item: Item { props, recipients: vec![recipient(1, to, to)], attachments: Vec::new() },
        names: BTreeMap::new(),
    }
}

/// A message with everything: recipients of every kind, an attachment by value large enough
/// for subnodes, an OLE storage, an embedded message with an attachment of its own, and named
/// properties (numeric and string, in the message, a recipient and the embedded message).
pub fn rich_message(tag: &str) -> Message {
    let mut m = simple_message(&format!("rich {tag}"), &"body line\r\n".repeat(900), "to@example.test");
    let kw = m.id_of(&PropertyName::string(PS_PUBLIC_STRINGS, "Keywords"));
    let num = m.id_of(&PropertyName::id(
        Guid::from_fields(0x0006_2008, 0, 0, [0xC0, 0, 0, 0, 0, 0, 0, 0x46]),
        0x8580,
    ));
    let custom = m.id_of(&PropertyName::string(Guid::from_fields(0xDEAD_BEEF, 1, 2, [9; 8]), tag));
    m.item
        .props
        .set(PropTag(((kw as u32) << 16) | 0x101F), PropValue::MvUnicode(vec!["a".into(), tag.into()]));
    m.item.props.set(PropTag(((num as u32) << 16) | 0x0003), PropValue::I32(42));
    m.item.recipients.push(recipient(2, "Carol", "carol@example.test"));
    m.item.recipients.push(recipient(3, "Bob", "bob@example.test"));
    m.item.recipients[1].set(PropTag(((custom as u32) << 16) | 0x001F), text("on a recipient"));
    let big: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
    m.item.attachments.push(file_attachment("big.bin", big));
    m.item.attachments.push(file_attachment("small.txt", b"hello".to_vec()));
    let mut inner = simple_message("inner", "inner body", "inner@example.test").item;
    inner.props.set(PropTag(((custom as u32) << 16) | 0x001F), text("inside"));
    inner.attachments.push(file_attachment("inner.txt", b"inner attachment".to_vec()));
    m.item.attachments.push(Attachment {
        props: PropBag::new()
            .with(PR_ATTACH_METHOD, PropValue::I32(attach_method::EMBEDDED_MSG))
            .with(PR_DISPLAY_NAME, text("inner")),
        embedded: Some(Box::new(inner)),
        storage: None,
    });
    m.item.attachments.push(Attachment {
        props: PropBag::new().with(PR_ATTACH_METHOD, PropValue::I32(attach_method::OLE)),
        embedded: None,
        storage: Some(vec![0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3]),
    });
    m
}

/// Properties the writer computes (sizes, display lists, flags it adds to) and the table
/// bookkeeping columns the reader returns.
const COMPUTED: &[PropTag] =
    &[PR_MESSAGE_SIZE, PR_ATTACH_SIZE, PR_DISPLAY_TO, PR_DISPLAY_CC, PR_DISPLAY_BCC, PR_MESSAGE_FLAGS];

/// A bag keyed by name for named properties and by tag for the others.
fn canon(bag: &PropBag, names: &BTreeMap<u16, PropertyName>) -> BTreeMap<String, PropValue> {
    bag.iter()
        .filter(|tv| !COMPUTED.iter().any(|c| c.id() == tv.tag.id()))
        .filter(|tv| tv.tag.id() != LTP_ROW_ID && tv.tag.id() != LTP_ROW_VER)
        .map(|tv| {
            let id = tv.tag.id();
            let key = if id >= FIRST_NAMED_ID {
                format!("{:?}/{:04x}", names.get(&id), tv.tag.raw_type())
            } else {
                format!("{:08x}", tv.tag.0)
            };
            (key, tv.value.clone())
        })
        .collect()
}

/// Asserts that `read` holds `written`'s tree: every property of every part, by name for
/// named ones, leaving aside what the writer computes.
pub fn assert_same_message(written: &Message, read: &Message) {
    assert_same_item(&written.item, &written.names, &read.item, &read.names, "message");
}

fn assert_same_item(
    w: &Item,
    wn: &BTreeMap<u16, PropertyName>,
    r: &Item,
    rn: &BTreeMap<u16, PropertyName>,
    at: &str,
) {
    assert_eq!(canon(&w.props, wn), canon(&r.props, rn), "{at}: properties");
    assert_eq!(w.recipients.len(), r.recipients.len(), "{at}: recipients");
    for (i, (a, b)) in w.recipients.iter().zip(&r.recipients).enumerate() {
        assert_eq!(canon(a, wn), canon(b, rn), "{at}: recipient {i}");
    }
    assert_eq!(w.attachments.len(), r.attachments.len(), "{at}: attachments");
    for (i, (a, b)) in w.attachments.iter().zip(&r.attachments).enumerate() {
        assert_eq!(canon(&a.props, wn), canon(&b.props, rn), "{at}: attachment {i}");
        assert_eq!(a.storage, b.storage, "{at}: attachment {i} storage");
        assert!(b.props.get(PR_ATTACH_SIZE).is_some(), "{at}: attachment {i} has PR_ATTACH_SIZE");
        match (&a.embedded, &b.embedded) {
            (Some(x), Some(y)) => assert_same_item(x, wn, y, rn, &format!("{at}/embedded {i}")),
            (None, None) => {}
            _ => panic!("{at}: attachment {i}: embedded message lost or invented"),
        }
    }
}
