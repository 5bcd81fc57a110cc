//! MIME → [`Message`] ([MS-OXCMAIL] 2.4 and 2.5): headers (see [`super::headers`]), bodies
//! (text/plain → PR_BODY, text/html → PR_HTML, whichever multipart/alternative or related
//! holds them), attachments (RFC 2231 names decoded by mail-parser; message/rfc822 as an
//! embedded message; inline images referenced by the HTML with PR_ATTACH_CONTENT_ID and
//! hidden), S/MIME kept opaque ([MS-OXOSMIME] 2.1.3.1/2.1.3.2) and application/ms-tnef merged
//! ([MS-OXCMAIL] 2.1.3.4, [MS-OXTNEF]).

use mail_parser::{MessageParser, MessagePart, MimeHeaders, PartType};
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::value::PropValue;

use super::adopt::adopt;
use super::{MAX_MIME_DEPTH, MimeError, smime};
use crate::codepage::codepage_of_charset;
use crate::item::{Attachment, Item, Message};
use crate::tnef;

/// PR_ATTACH_METHOD values ([MS-OXCMSG] 2.2.2.9).
pub(crate) use oxmapi_core::consts::attach_method::{
    BY_VALUE as ATTACH_BY_VALUE, EMBEDDED_MSG as ATTACH_EMBEDDED_MSG,
};
/// PR_ATTACH_FLAGS ATT_MHTML_REF: referenced by the HTML body ([MS-OXCMSG] 2.2.2.18).
pub(crate) const ATT_MHTML_REF: i32 = 0x4;
/// PR_MESSAGE_FLAGS MSGFLAG_HASATTACH ([MS-OXCMSG] 2.2.1.6).
const MSGFLAG_HASATTACH: i32 = 0x10;
/// UTF-8, the code page of every text this reader stores (PR_INTERNET_CPID).
pub(crate) const CP_UTF8: i32 = 65001;

/// Reads an Internet message (an .eml file) into a [`Message`].
pub fn read_eml(bytes: &[u8]) -> Result<Message, MimeError> {
    let mut msg = Message::default();
    msg.item = read_item(&mut msg, bytes, 0)?;
    Ok(msg)
}

/// Reads `bytes` as one item whose named properties go into `names`.
pub(crate) fn read_item(names: &mut Message, bytes: &[u8], depth: usize) -> Result<Item, MimeError> {
    if depth > MAX_MIME_DEPTH {
        return Err(MimeError::TooDeep);
    }
    let parsed = MessageParser::default().parse(bytes).ok_or(MimeError::NotMime)?;
    convert(names, &parsed, depth)
}

fn convert(names: &mut Message, m: &mail_parser::Message<'_>, depth: usize) -> Result<Item, MimeError> {
    let mut item = Item::default();
    if m.parts.is_empty() {
        // mail-parser's accessors index the first part: an attached message with no content
        // has none, and becomes an empty note.
        item.props.set(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()));
        return Ok(item);
    }
    super::headers::apply(names, &mut item.props, &mut item.recipients, m);
    item.props.set(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()));
    item.props.set(PR_INTERNET_CPID, PropValue::I32(CP_UTF8));
    if smime::read(&mut item, m) {
        return Ok(item);
    }
    bodies(&mut item.props, m);
    let html = match item.props.get(PR_HTML) {
        Some(PropValue::Binary(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => String::new(),
    };
    for &id in &m.attachments {
        let Some(part) = m.parts.get(id as usize) else { continue };
        if part.is_content_type("application", "ms-tnef") && merge_tnef(names, &mut item, part.contents()) {
            continue;
        }
        item.attachments.push(attachment(names, m, part, &html, depth)?);
    }
    let visible =
        item.attachments.iter().any(|a| a.props.get(PR_ATTACHMENT_HIDDEN) != Some(&PropValue::Bool(true)));
    item.props.set(PR_HASATTACH, PropValue::Bool(visible));
    if visible {
        item.props.set(PR_MESSAGE_FLAGS, PropValue::I32(MSGFLAG_HASATTACH));
    }
    Ok(item)
}

/// PR_BODY from the text/plain body parts, PR_HTML from the text/html ones (joined when a
/// message has several, as mail-parser lists them in reading order).
fn bodies(props: &mut PropBag, m: &mail_parser::Message<'_>) {
    let text: Vec<&str> = m
        .text_body
        .iter()
        .filter_map(|&i| match &m.parts.get(i as usize)?.body {
            PartType::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let html: Vec<&str> = m
        .html_body
        .iter()
        .filter_map(|&i| match &m.parts.get(i as usize)?.body {
            PartType::Html(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if !text.is_empty() {
        props.set(PR_BODY, PropValue::Unicode(text.join("\r\n")));
    }
    if !html.is_empty() {
        props.set(PR_HTML, PropValue::Binary(html.join("\r\n").into_bytes()));
    }
    // One HTML part in a charset with a code page: keep its bytes as sent, with that code
    // page in PR_INTERNET_CPID ([MS-OXCMAIL] 2.4.3.1), so a <meta charset> inside stays true.
    if let [only] = m.html_body.as_slice() {
        let Some(part) = m.parts.get(*only as usize) else { return };
        let cp = part.content_type().and_then(|c| c.attribute("charset")).and_then(codepage_of_charset);
        if let (Some(cp), PartType::Html(_)) = (cp, &part.body) {
            props.set(PR_HTML, PropValue::Binary(raw_bytes(m, part)));
            props.set(PR_INTERNET_CPID, PropValue::I32(cp as i32));
        }
    }
}

/// The decoded bytes of a leaf part as they were sent: decoded from the raw body by its own
/// Content-Transfer-Encoding field, so text parts keep their charset (not mail-parser's
/// UTF-8 rendering) and a part mail-parser left undecoded (it does so for some inline parts
/// of multipart/related) still yields its bytes. Falls back on mail-parser's decoding.
fn raw_bytes(m: &mail_parser::Message<'_>, part: &MessagePart<'_>) -> Vec<u8> {
    let raw = m.raw_message().get(part.offset_body as usize..part.offset_end as usize);
    let cte = part.content_transfer_encoding().map(|c| c.trim().to_ascii_lowercase());
    let decoded = match (raw, cte.as_deref()) {
        (Some(raw), Some("base64")) => mail_parser::decoders::base64::base64_decode(raw),
        (Some(raw), Some("quoted-printable")) => {
            mail_parser::decoders::quoted_printable::quoted_printable_decode(raw)
        }
        (Some(raw), _) if matches!(part.body, PartType::Text(_) | PartType::Html(_)) => Some(raw.to_vec()),
        _ => None,
    };
    decoded.unwrap_or_else(|| part.contents().to_vec())
}

fn attachment(
    names: &mut Message,
    m: &mail_parser::Message<'_>,
    part: &MessagePart<'_>,
    html: &str,
    depth: usize,
) -> Result<Attachment, MimeError> {
    let mut a = Attachment::default();
    let p = &mut a.props;
    let ct = part.content_type();
    let mime = ct.map(|c| match c.subtype() {
        Some(s) => format!("{}/{}", c.ctype(), s),
        None => c.ctype().to_string(),
    });
    if let Some(t) = &mime {
        p.set(PR_ATTACH_MIME_TAG, PropValue::Unicode(t.to_ascii_lowercase()));
    }
    let mut name = part.attachment_name().map(str::to_string);
    if let PartType::Message(inner) = &part.body {
        // message/rfc822 → an embedded message ([MS-OXCMAIL] 2.4.3.2).
        let item = convert_nested(names, inner, depth)?;
        if name.is_none() {
            name = subject_of(inner).map(|s| format!("{s}.eml"));
        }
        p.set(PR_ATTACH_METHOD, PropValue::I32(ATTACH_EMBEDDED_MSG));
        if let Some(s) = subject_of(inner) {
            p.set(PR_DISPLAY_NAME, PropValue::Unicode(s.to_string()));
        }
        a.embedded = Some(Box::new(item));
    } else {
        p.set(PR_ATTACH_METHOD, PropValue::I32(ATTACH_BY_VALUE));
        p.set(PR_ATTACH_DATA_BIN, PropValue::Binary(raw_bytes(m, part)));
    }
    if let Some(n) = &name {
        p.set(PR_ATTACH_LONG_FILENAME, PropValue::Unicode(n.clone()));
        p.set(PR_ATTACH_FILENAME, PropValue::Unicode(n.clone()));
        if !p.tags().contains(&PR_DISPLAY_NAME) {
            p.set(PR_DISPLAY_NAME, PropValue::Unicode(n.clone()));
        }
        if let Some(dot) = n.rfind('.') {
            p.set(PR_ATTACH_EXTENSION, PropValue::Unicode(n[dot..].to_string()));
        }
    }
    if let Some(loc) = part.content_location() {
        p.set(PR_ATTACH_CONTENT_LOCATION, PropValue::Unicode(loc.to_string()));
    }
    if let Some(cid) = part.content_id() {
        let cid = cid.trim().trim_start_matches('<').trim_end_matches('>').to_string();
        let inline = part.content_disposition().is_none_or(|d| d.is_inline());
        // Inline parts the HTML shows (cid: references) are hidden ([MS-OXCMAIL] 2.2.3.3.4).
        if inline && !cid.is_empty() && html.contains(&format!("cid:{cid}")) {
            p.set(PR_ATTACHMENT_HIDDEN, PropValue::Bool(true));
            p.set(PR_ATTACH_FLAGS, PropValue::I32(ATT_MHTML_REF));
        }
        p.set(PR_ATTACH_CONTENT_ID, PropValue::Unicode(cid));
    }
    p.set(PR_RENDERING_POSITION, PropValue::I32(-1));
    Ok(a)
}

/// The subject of a nested message (mail-parser's accessor indexes a first part that an
/// empty message lacks).
fn subject_of<'a>(m: &'a mail_parser::Message<'_>) -> Option<&'a str> {
    if m.parts.is_empty() { None } else { m.subject() }
}

fn convert_nested(
    names: &mut Message,
    inner: &mail_parser::Message<'_>,
    depth: usize,
) -> Result<Item, MimeError> {
    if depth + 1 > MAX_MIME_DEPTH {
        return Err(MimeError::TooDeep);
    }
    convert(names, inner, depth + 1)
}

/// Merges a winmail.dat into `item`: its message properties override the MIME ones (it is
/// the sender's own MAPI view, [MS-OXCMAIL] 2.1.3.4.2) and its attachments are added. A
/// stream that does not read is left as an ordinary attachment (returns false).
fn merge_tnef(names: &mut Message, item: &mut Item, data: &[u8]) -> bool {
    let Ok(t) = tnef::read(data) else { return false };
    let t = adopt(names, t);
    for tv in t.props.iter() {
        item.props.set(tv.tag, tv.value.clone());
    }
    if item.recipients.is_empty() {
        item.recipients = t.recipients;
    }
    item.attachments.extend(t.attachments);
    true
}
