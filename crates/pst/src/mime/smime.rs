//! S/MIME kept opaque ([MS-OXOSMIME] 2.1.3.1, 2.1.3.2): a clear-signed message
//! (multipart/signed) becomes IPM.Note.SMIME.MultipartSigned with one attachment holding the
//! signed MIME entity as it was sent (its Content-* header fields and body), so the signature
//! stays verifiable; an opaque-signed or encrypted one (application/pkcs7-mime) becomes
//! IPM.Note.SMIME with the PKCS #7 blob as its one attachment, smime.p7m. Writing reverses it.

use mail_parser::{Message as Parsed, MimeHeaders};
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::value::PropValue;

use super::read::ATTACH_BY_VALUE;
use crate::item::{Attachment, Item};

/// The class of a clear-signed message.
pub const CLASS_MULTIPART_SIGNED: &str = "IPM.Note.SMIME.MultipartSigned";
/// The class of an opaque-signed or encrypted message.
pub const CLASS_SMIME: &str = "IPM.Note.SMIME";
/// The attachment's MIME tag for a clear-signed message.
pub const MULTIPART_SIGNED: &str = "multipart/signed";
/// The attachment's MIME tag for an opaque message.
pub const PKCS7_MIME: &str = "application/pkcs7-mime";
/// The attachment's file name ([MS-OXOSMIME] 2.1.3.1.1).
const P7M_NAME: &str = "smime.p7m";

fn is_content_field(line: &str) -> bool {
    line.get(..8).is_some_and(|p| p.eq_ignore_ascii_case("content-"))
}

/// The Content-* fields of a header block (with their continuation lines).
fn content_fields(head: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    let mut keep = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with([' ', '\t']) {
            if keep {
                out.push_str(line);
            }
            continue;
        }
        keep = is_content_field(line);
        if keep {
            out.push_str(line);
        }
    }
    out.into_bytes()
}

fn opaque(item: &mut Item, class: &str, mime: &str, data: Vec<u8>) {
    item.props.set(PR_MESSAGE_CLASS, PropValue::Unicode(class.into()));
    let mut a = Attachment::default();
    a.props.set(PR_ATTACH_METHOD, PropValue::I32(ATTACH_BY_VALUE));
    a.props.set(PR_ATTACH_MIME_TAG, PropValue::Unicode(mime.into()));
    a.props.set(PR_ATTACH_LONG_FILENAME, PropValue::Unicode(P7M_NAME.into()));
    a.props.set(PR_ATTACH_FILENAME, PropValue::Unicode(P7M_NAME.into()));
    a.props.set(PR_DISPLAY_NAME, PropValue::Unicode(P7M_NAME.into()));
    a.props.set(PR_ATTACH_DATA_BIN, PropValue::Binary(data));
    a.props.set(PR_RENDERING_POSITION, PropValue::I32(-1));
    item.attachments.push(a);
    item.props.set(PR_HASATTACH, PropValue::Bool(true));
}

/// Turns an S/MIME message into its opaque MAPI form; false when `m` is not S/MIME.
pub(crate) fn read(item: &mut Item, m: &Parsed<'_>) -> bool {
    let Some(root) = m.parts.first() else { return false };
    if m.is_content_type("multipart", "signed") {
        let raw = m.raw_message();
        let head = raw.get(root.offset_header as usize..root.offset_body as usize).unwrap_or_default();
        let mut entity = content_fields(head);
        entity.extend_from_slice(b"\r\n");
        entity.extend_from_slice(raw.get(root.offset_body as usize..).unwrap_or_default());
        opaque(item, CLASS_MULTIPART_SIGNED, MULTIPART_SIGNED, entity);
        return true;
    }
    if m.is_content_type("application", "pkcs7-mime") || m.is_content_type("application", "x-pkcs7-mime") {
        opaque(item, CLASS_SMIME, PKCS7_MIME, root.contents().to_vec());
        return true;
    }
    false
}

/// The S/MIME attachment of an opaque message: its MIME tag and data.
pub(crate) fn opaque_part(props: &PropBag, attachments: &[Attachment]) -> Option<(String, Vec<u8>)> {
    let class = match props.get(PR_MESSAGE_CLASS) {
        Some(PropValue::Unicode(c)) => c.clone(),
        _ => return None,
    };
    if !class.to_ascii_uppercase().starts_with(&CLASS_SMIME.to_ascii_uppercase()) || attachments.len() != 1 {
        return None;
    }
    let a = &attachments[0].props;
    let tag = match a.get(PR_ATTACH_MIME_TAG) {
        Some(PropValue::Unicode(t)) => t.to_ascii_lowercase(),
        _ => PKCS7_MIME.to_string(),
    };
    match a.get(PR_ATTACH_DATA_BIN) {
        Some(PropValue::Binary(b)) => Some((tag, b.clone())),
        _ => None,
    }
}
