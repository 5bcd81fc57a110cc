//! [`Message`] → MIME ([MS-OXCMAIL] 2.1 and 2.2, the MAPI-to-MIME direction) on mail-builder:
//! originator and recipient fields from the address properties, the other header fields
//! from the properties [`super::headers`] reads, and the body: PR_BODY and PR_HTML as
//! multipart/alternative, inline attachments the HTML references in multipart/related, the
//! others in multipart/mixed (embedded messages as message/rfc822). Without PR_HTML, HTML
//! de-encapsulated from PR_RTF_COMPRESSED ([MS-OXRTFEX]) is used, and without either body, the
//! plain text of the RTF. S/MIME messages are written back as the opaque entity they hold.

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine;
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::{BodyPart, MimePart};
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::guid::{PS_INTERNET_HEADERS, PS_PUBLIC_STRINGS};
use oxmapi_core::named::{NameId, PropertyName};
use oxmapi_core::value::PropValue;

use super::address::{
    Mailbox, READ_RECEIPT, SENDER, SENT_REPRESENTING, parse_flat_entry_list, recipient_mailbox,
};
use super::headers::{MAPI_BCC, MAPI_CC, MAPI_TO};
use super::read::{ATTACH_EMBEDDED_MSG, CP_UTF8};
use super::{MAX_MIME_DEPTH, MimeError, smime};
use crate::codepage;
use crate::item::{Attachment, Item, Message};
use crate::rtf;

/// Writes `msg` as an Internet message (.eml bytes).
pub fn write_eml(msg: &Message) -> Result<Vec<u8>, MimeError> {
    write_item(&msg.item, &msg.names, 0)
}

fn write_item(item: &Item, names: &BTreeMap<u16, PropertyName>, depth: usize) -> Result<Vec<u8>, MimeError> {
    if depth > MAX_MIME_DEPTH {
        return Err(MimeError::TooDeep);
    }
    let p = &item.props;
    let mut b = header_fields(MessageBuilder::new(), item, names);
    if let Some((tag, data)) = smime::opaque_part(p, &item.attachments) {
        let part = if tag == smime::MULTIPART_SIGNED {
            MimePart::raw(BodyPart::Binary(data.into()))
        } else {
            MimePart {
                headers: vec![
                    (
                        "Content-Type".into(),
                        Raw::new(format!("{tag}; smime-type=enveloped-data; name=smime.p7m")).into(),
                    ),
                    ("Content-Disposition".into(), Raw::new("attachment; filename=smime.p7m").into()),
                ],
                contents: BodyPart::Binary(data.into()),
            }
        };
        b = b.body(part);
    } else {
        b = b.body(body_tree(item, names, depth)?);
    }
    b.write_to_vec().map_err(|e| MimeError::Write(e.to_string()))
}

/// A header value with CR and LF removed (no field can smuggle another).
fn clean(s: &str) -> String {
    s.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

fn text(p: &PropBag, tag: oxmapi_core::tag::PropTag) -> Option<String> {
    match p.get(tag)? {
        PropValue::Unicode(s) => Some(s.clone()),
        PropValue::String8(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

fn int(p: &PropBag, tag: oxmapi_core::tag::PropTag) -> Option<i32> {
    match p.get(tag)? {
        PropValue::I32(v) => Some(*v),
        _ => None,
    }
}

fn address(m: &Mailbox) -> Address<'static> {
    let name = (m.name != m.address).then(|| clean(&m.name));
    Address::new_address(name, clean(&m.address))
}

fn list(boxes: &[Mailbox]) -> Address<'static> {
    Address::new_list(boxes.iter().map(address).collect())
}

fn header_fields<'x>(
    mut b: MessageBuilder<'x>,
    item: &Item,
    names: &BTreeMap<u16, PropertyName>,
) -> MessageBuilder<'x> {
    let p = &item.props;
    let from = SENT_REPRESENTING.get(p).or_else(|| SENDER.get(p));
    if let Some(f) = &from {
        b = b.from(address(f));
    }
    if let Some(s) =
        SENDER.get(p).filter(|s| from.as_ref().is_none_or(|f| !f.address.eq_ignore_ascii_case(&s.address)))
    {
        b = b.sender(address(&s));
    }
    if let Some(PropValue::Binary(e)) = p.get(PR_REPLY_RECIPIENT_ENTRIES) {
        let reply = parse_flat_entry_list(e);
        if !reply.is_empty() {
            b = b.reply_to(list(&reply));
        }
    }
    for kind in [MAPI_TO, MAPI_CC, MAPI_BCC] {
        let boxes: Vec<Mailbox> = item
            .recipients
            .iter()
            .filter(|r| int(r, PR_RECIPIENT_TYPE).map(|t| t & 0xF) == Some(kind))
            .filter_map(recipient_mailbox)
            .collect();
        if boxes.is_empty() {
            continue;
        }
        b = match kind {
            MAPI_TO => b.to(list(&boxes)),
            MAPI_CC => b.cc(list(&boxes)),
            _ => b.bcc(list(&boxes)),
        };
    }
    let subject = text(p, PR_SUBJECT).or_else(|| {
        let n = text(p, PR_NORMALIZED_SUBJECT)?;
        Some(format!("{}{n}", text(p, PR_SUBJECT_PREFIX).unwrap_or_default()))
    });
    if let Some(s) = subject {
        b = b.subject(Text::new(clean(&s)));
    }
    let time = |tag| match p.get(tag) {
        Some(PropValue::SysTime(t)) => Some(t.unix_seconds()),
        _ => None,
    };
    if let Some(t) = time(PR_CLIENT_SUBMIT_TIME).or_else(|| time(PR_MESSAGE_DELIVERY_TIME)) {
        b = b.date(Date::new(t));
    }
    if let Some(id) = text(p, PR_INTERNET_MESSAGE_ID) {
        b = b.message_id(MessageId::new(clean(id.trim().trim_start_matches('<').trim_end_matches('>'))));
    }
    for (tag, field) in [(PR_IN_REPLY_TO_ID, "In-Reply-To"), (PR_INTERNET_REFERENCES, "References")] {
        if let Some(v) = text(p, tag) {
            b = b.header(field, Raw::new(clean(&v)));
        }
    }
    match int(p, PR_IMPORTANCE) {
        Some(2) => b = b.header("Importance", Raw::new("high")),
        Some(0) => b = b.header("Importance", Raw::new("low")),
        _ => {}
    }
    match int(p, PR_PRIORITY) {
        Some(1) => b = b.header("Priority", Raw::new("urgent")),
        Some(-1) => b = b.header("Priority", Raw::new("non-urgent")),
        _ => {}
    }
    let sensitivity = match int(p, PR_SENSITIVITY) {
        Some(1) => Some("Personal"),
        Some(2) => Some("Private"),
        Some(3) => Some("Company-Confidential"),
        _ => None,
    };
    if let Some(s) = sensitivity {
        b = b.header("Sensitivity", Raw::new(s));
    }
    if p.get(PR_READ_RECEIPT_REQUESTED) == Some(&PropValue::Bool(true)) {
        if let Some(r) = READ_RECEIPT.get(p).or(from) {
            b = b.header("Disposition-Notification-To", address(&r));
        }
    }
    if let Some(t) = text(p, PR_CONVERSATION_TOPIC) {
        b = b.header("Thread-Topic", Text::new(clean(&t)));
    }
    if let Some(PropValue::Binary(ix)) = p.get(PR_CONVERSATION_INDEX) {
        b = b.header("Thread-Index", Raw::new(base64::engine::general_purpose::STANDARD.encode(ix)));
    }
    named_fields(b, p, names)
}

/// PS_INTERNET_HEADERS named properties back to their fields, Keywords to `Keywords`.
fn named_fields<'x>(
    mut b: MessageBuilder<'x>,
    p: &PropBag,
    names: &BTreeMap<u16, PropertyName>,
) -> MessageBuilder<'x> {
    for tv in p.iter() {
        let Some(name) = names.get(&tv.tag.id()) else { continue };
        let NameId::String(field) = &name.name else { continue };
        match (&tv.value, name.guid) {
            (PropValue::Unicode(v), g) if g == PS_INTERNET_HEADERS => {
                let valid = !field.is_empty() && field.bytes().all(|c| c.is_ascii_graphic() && c != b':');
                if valid {
                    b = b.header(header_case(field), Raw::new(clean(v)));
                }
            }
            (PropValue::MvUnicode(words), g) if g == PS_PUBLIC_STRINGS && field == "Keywords" => {
                let words: Vec<String> = words.iter().map(|w| clean(w)).collect();
                b = b.header("Keywords", Text::new(words.join(", ")));
            }
            _ => {}
        }
    }
    b
}

/// `x-mailer` → `X-Mailer`.
fn header_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut up = true;
    for c in field.chars() {
        out.push(if up { c.to_ascii_uppercase() } else { c });
        up = c == '-';
    }
    out
}

/// The text and HTML bodies of `p`, falling back on PR_RTF_COMPRESSED.
fn bodies(p: &PropBag) -> (Option<String>, Option<String>) {
    let body = text(p, PR_BODY);
    let cpid = int(p, PR_INTERNET_CPID).unwrap_or(CP_UTF8) as u32;
    let mut html = match p.get(PR_HTML) {
        Some(PropValue::Binary(h)) | Some(PropValue::String8(h)) => Some(codepage::decode(h, cpid)),
        Some(PropValue::Unicode(h)) => Some(h.clone()),
        _ => None,
    }
    .filter(|h| !h.is_empty());
    let mut body = body;
    if html.is_none() {
        if let Some(PropValue::Binary(c)) = p.get(PR_RTF_COMPRESSED) {
            if let Ok(r) = rtf::decompress(c) {
                html = rtf::html_from_rtf(&r);
                if html.is_none() && body.is_none() {
                    body = Some(rtf::text_from_rtf(&r)).filter(|t| !t.trim().is_empty());
                }
            }
        }
    }
    (body, html)
}

/// `name="…"`, or the RFC 2231 form `name*=utf-8''…` for names plain quoting cannot carry.
fn param(key: &str, value: &str) -> String {
    if value.bytes().all(|c| (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\') {
        format!("{key}=\"{value}\"")
    } else {
        let mut enc = String::new();
        for b in value.bytes() {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                enc.push(b as char);
            } else {
                enc.push_str(&format!("%{b:02X}"));
            }
        }
        format!("{key}*=utf-8''{enc}")
    }
}

fn is_hidden_inline(a: &Attachment) -> bool {
    a.props.get(PR_ATTACHMENT_HIDDEN) == Some(&PropValue::Bool(true))
        && text(&a.props, PR_ATTACH_CONTENT_ID).is_some()
}

fn body_tree<'x>(
    item: &Item,
    names: &BTreeMap<u16, PropertyName>,
    depth: usize,
) -> Result<MimePart<'x>, MimeError> {
    let (body, html) = bodies(&item.props);
    let (inline, other): (Vec<&Attachment>, Vec<&Attachment>) =
        item.attachments.iter().partition(|a| html.is_some() && is_hidden_inline(a));
    let html_part = match html {
        Some(h) => {
            let h = MimePart::new("text/html", BodyPart::Text(Cow::Owned(h)));
            if inline.is_empty() {
                Some(h)
            } else {
                let mut parts = vec![h];
                for a in &inline {
                    parts.push(attachment_part(a, names, depth)?);
                }
                Some(MimePart::new("multipart/related", parts))
            }
        }
        None => None,
    };
    let text_part = body.map(|t| MimePart::new("text/plain", BodyPart::Text(Cow::Owned(t))));
    let main = match (text_part, html_part) {
        (Some(t), Some(h)) => MimePart::new("multipart/alternative", vec![t, h]),
        (Some(t), None) => t,
        (None, Some(h)) => h,
        (None, None) => MimePart::new("text/plain", BodyPart::Text(Cow::Borrowed(""))),
    };
    if other.is_empty() {
        return Ok(main);
    }
    let mut parts = vec![main];
    for a in other {
        parts.push(attachment_part(a, names, depth)?);
    }
    Ok(MimePart::new("multipart/mixed", parts))
}

fn attachment_part<'x>(
    a: &Attachment,
    names: &BTreeMap<u16, PropertyName>,
    depth: usize,
) -> Result<MimePart<'x>, MimeError> {
    let p = &a.props;
    let name = text(p, PR_ATTACH_LONG_FILENAME)
        .or_else(|| text(p, PR_ATTACH_FILENAME))
        .or_else(|| text(p, PR_DISPLAY_NAME));
    let mut headers: Vec<(Cow<'x, str>, mail_builder::headers::HeaderType<'x>)> = Vec::new();
    let (ctype, data) = match (&a.embedded, int(p, PR_ATTACH_METHOD)) {
        (Some(e), Some(ATTACH_EMBEDDED_MSG)) | (Some(e), None) => {
            headers.push(("Content-Transfer-Encoding".into(), Raw::new("8bit").into()));
            ("message/rfc822".to_string(), write_item(e, names, depth + 1)?)
        }
        _ => {
            let data = match p.get(PR_ATTACH_DATA_BIN) {
                Some(PropValue::Binary(d)) => d.clone(),
                _ => Vec::new(),
            };
            let tag = text(p, PR_ATTACH_MIME_TAG)
                .map(|t| clean(&t))
                .filter(|t| t.contains('/') && !t.contains(';'))
                .unwrap_or_else(|| "application/octet-stream".into());
            (tag, data)
        }
    };
    let hidden = is_hidden_inline(a);
    let (ct, cd) = match &name {
        Some(n) => (
            format!("{ctype}; {}", param("name", &clean(n))),
            format!("{}; {}", if hidden { "inline" } else { "attachment" }, param("filename", &clean(n))),
        ),
        None => (ctype, if hidden { "inline".into() } else { "attachment".into() }),
    };
    headers.insert(0, ("Content-Type".into(), Raw::new(ct).into()));
    headers.push(("Content-Disposition".into(), Raw::new(cd).into()));
    if let Some(cid) = text(p, PR_ATTACH_CONTENT_ID) {
        headers.push(("Content-ID".into(), MessageId::new(clean(&cid)).into()));
    }
    if let Some(loc) = text(p, PR_ATTACH_CONTENT_LOCATION) {
        headers.push(("Content-Location".into(), Raw::new(clean(&loc)).into()));
    }
    Ok(MimePart { headers, contents: BodyPart::Binary(data.into()) })
}
