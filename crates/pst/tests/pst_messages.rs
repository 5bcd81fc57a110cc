//! What the reader makes of particular test files: strings, recipients, attachments,
//! embedded messages, named properties and ANSI code pages.

mod common;

use common::file;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::Message;
use oxmapi_pst::pst::PstFile;

/// Every message of a file, in folder order.
fn messages(rel: &str) -> Option<Vec<Message>> {
    let pst = PstFile::open(file(rel)?).unwrap();
    let (folders, _) = pst.folders();
    let mut out = Vec::new();
    for f in folders {
        for row in pst.contents(f.nid).unwrap() {
            out.push(pst.message(row.id).unwrap());
        }
    }
    Some(out)
}

fn text(bag: &PropBag, tag: u32) -> Option<String> {
    match bag.get(PropTag(tag)) {
        Some(PropValue::Unicode(s)) => Some(s.clone()),
        other => panic!("{tag:#x}: {other:?}"),
    }
}

const PR_SUBJECT: u32 = 0x0037_001F;
const PR_DISPLAY_NAME: u32 = 0x3001_001F;

#[test]
fn ansi_and_unicode_samples_read_the_same_subject() {
    let (Some(u), Some(a)) = (messages("pstsdk/sample1.pst"), messages("pstsdk/sample2.pst")) else {
        return;
    };
    assert_eq!(text(&u[0].item.props, PR_SUBJECT).as_deref(), Some("Here is a sample message"));
    assert_eq!(text(&a[0].item.props, PR_SUBJECT), text(&u[0].item.props, PR_SUBJECT));
}

#[test]
fn an_ansi_contact_in_code_page_932_reads_like_its_unicode_twin() {
    let (Some(u), Some(a)) =
        (messages("pst_to_eml/contacts.pst"), messages("pst_to_eml/contacts97-2002.pst"))
    else {
        return;
    };
    let (u, a) = (&u[0].item.props, &a[0].item.props);
    let name = text(a, PR_DISPLAY_NAME).unwrap();
    assert_eq!(Some(name.clone()), text(u, PR_DISPLAY_NAME));
    assert!(name.chars().any(|c| c as u32 > 0x3000), "not Japanese: {name}");
    for t in u.iter() {
        if let PropValue::Unicode(s) = &t.value {
            if t.tag.0 >> 16 < 0x8000 {
                if let Some(PropValue::Unicode(other)) = a.get(t.tag) {
                    assert_eq!(s, other, "{:#x}", t.tag.0);
                }
            }
        }
    }
}

#[test]
fn two_hundred_recipients_are_all_read() {
    let Some(m) = messages("ruby-msg/200 recipients.pst") else { return };
    assert_eq!(m[0].item.recipients.len(), 200);
    assert!(m[0].item.recipients.iter().all(|r| r.get(PropTag(PR_DISPLAY_NAME)).is_some()));
}

#[test]
fn embedded_messages_nest_three_levels() {
    let Some(m) = messages("pst_to_eml/msgInMsgInMsg.pst") else { return };
    let mut depth = 0;
    let mut item = &m[0].item;
    while let Some(e) = item.attachments.iter().find_map(|a| a.embedded.as_deref()) {
        depth += 1;
        item = e;
    }
    assert_eq!(depth, 2, "outer message > embedded > embedded");
}

#[test]
fn attachments_carry_their_data() {
    let Some(m) = messages("ruby-msg/attachAndInline.pst") else { return };
    let atts = &m[0].item.attachments;
    assert_eq!(atts.len(), 2);
    for a in atts {
        match a.props.get(PropTag(0x3701_0102)) {
            Some(PropValue::Binary(b)) => assert!(!b.is_empty()),
            other => panic!("no attachment data: {other:?}"),
        }
    }
}

#[test]
fn named_properties_are_mapped_by_name() {
    let Some(m) = messages("pst_to_eml/contacts.pst") else { return };
    let ids: Vec<u16> =
        m[0].item.props.iter().map(|t| (t.tag.0 >> 16) as u16).filter(|i| *i >= 0x8000).collect();
    assert!(!ids.is_empty());
    for id in ids {
        assert!(m[0].name_of(id).is_some(), "{id:#x} has no name");
    }
}

/// Re-encodes every data block of a permute-encoded file with the cyclic cipher
/// (NDB_CRYPT_CYCLIC, [MS-PST] 5.2) and marks the header so: no test file uses it.
fn to_cyclic(bytes: &[u8], pst: &PstFile, ansi: bool) -> Vec<u8> {
    use oxmapi_pst::pst::crypt::{CryptMethod, encode};
    let mut out = bytes.to_vec();
    for (bid, ib, cb) in pst.block_table() {
        if bid & 2 != 0 {
            continue;
        }
        let (at, len) = (ib as usize, cb as usize);
        let block = &mut out[at..at + len];
        CryptMethod::Permute.decode(block, bid);
        encode(CryptMethod::Cyclic, block, bid);
    }
    out[if ansi { 461 } else { 513 }] = 2;
    oxmapi_pst::pst::header::fix_header_crcs(&mut out);
    out
}

#[test]
fn a_cyclic_encrypted_file_reads_like_its_permuted_original() {
    for (rel, ansi) in [("pst_to_eml/msgInMsgInMsg.pst", false), ("pst_to_eml/contacts97-2002.pst", true)] {
        let Some(path) = file(rel) else { return };
        let bytes = std::fs::read(&path).unwrap();
        let original = PstFile::from_bytes(bytes.clone()).unwrap();
        let cyclic = PstFile::from_bytes(to_cyclic(&bytes, &original, ansi)).unwrap();
        assert_eq!(cyclic.header().crypt.name(), "cyclic");
        let (a, b) = (original.walk(true), cyclic.walk(true));
        assert_eq!(a, b);
        assert!(b.opened > 0 && b.skipped.is_empty());
        let (fa, _) = original.folders();
        let msg = |p: &PstFile| {
            let nid = fa.iter().flat_map(|f| p.contents(f.nid).unwrap()).next().unwrap().id;
            p.message(nid).unwrap()
        };
        assert_eq!(msg(&original), msg(&cyclic));
    }
}

#[test]
fn a_four_byte_column_written_in_eight_bytes_is_read() {
    // Test_part1.pst (Aspose) gives PR_ROWID 8 bytes in its recipient tables; outlook-pst
    // refuses those messages ("Invalid TCOLDESC cbData").
    let Some(ms) = messages("Aspose.Email-for-.NET/Test_part1.pst") else { return };
    let rows: Vec<&PropBag> = ms.iter().flat_map(|m| m.item.recipients.iter()).collect();
    assert!(rows.len() >= 30, "{} recipient rows", rows.len());
    for r in rows {
        assert!(matches!(r.get(PropTag(0x3000_0003)), Some(PropValue::I32(_))), "{r:?}");
    }
}
