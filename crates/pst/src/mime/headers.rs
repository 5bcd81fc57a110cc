//! RFC 5322 header fields → message properties ([MS-OXCMAIL] 2.2.3.2): originators,
//! subject with prefix, dates, message ids, importance/priority/sensitivity, read receipts,
//! conversation (Thread-Index/Thread-Topic), the transport headers, and the remaining
//! `X-` headers as PS_INTERNET_HEADERS named properties (2.1.3.2.3).

use mail_parser::{Address, HeaderName, HeaderValue, Message as Parsed};
use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::guid::{PS_INTERNET_HEADERS, PS_PUBLIC_STRINGS};
use oxmapi_core::named::PropertyName;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::address::{Mailbox, READ_RECEIPT, SENDER, SENT_REPRESENTING, flat_entry_list, recipient_row};
use crate::item::Message;

/// MAPI_TO, MAPI_CC, MAPI_BCC ([MS-OXOMSG] 2.2.3.1 PidTagRecipientType).
pub const MAPI_TO: i32 = 1;
pub const MAPI_CC: i32 = 2;
pub const MAPI_BCC: i32 = 3;

/// Every mailbox of an address header (groups flattened).
pub fn mailboxes(a: Option<&Address<'_>>) -> Vec<Mailbox> {
    a.map(|a| {
        a.iter()
            .filter_map(|x| x.address.as_deref().map(|addr| Mailbox::new(x.name.as_deref(), addr)))
            .filter(|m| !m.address.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// Splits a subject into PR_SUBJECT_PREFIX and PR_NORMALIZED_SUBJECT ([MS-OXCMSG] 2.2.1.9):
/// a prefix is one to three letters, a colon and a space ("RE: ", "FW: ", "AW: ").
pub fn split_subject(subject: &str) -> (&str, &str) {
    if let Some(colon) = subject.find(':') {
        let head = &subject[..colon];
        let n = head.chars().count();
        if (1..=3).contains(&n)
            && head.chars().all(char::is_alphabetic)
            && subject[colon + 1..].starts_with(' ')
        {
            return subject.split_at(colon + 2);
        }
    }
    ("", subject)
}

fn set_text(bag: &mut PropBag, tag: PropTag, s: &str) {
    bag.set(tag, PropValue::Unicode(s.to_string()));
}

/// The raw (unfolded, trimmed) text of the first header `name`.
fn raw(m: &Parsed<'_>, name: &str) -> Option<String> {
    let v = m.header_raw(name)?;
    let unfolded: String = v.replace("\r\n", "").replace('\n', "");
    let t = unfolded.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Sets the message properties the headers of `m` carry.
pub fn apply(names: &mut Message, props: &mut PropBag, recipients: &mut Vec<PropBag>, m: &Parsed<'_>) {
    originators(props, m);
    for (hdr, kind) in [(m.to(), MAPI_TO), (m.cc(), MAPI_CC), (m.bcc(), MAPI_BCC)] {
        let boxes = mailboxes(hdr);
        let display: Vec<&str> = boxes.iter().map(|b| b.name.as_str()).collect();
        let tag = match kind {
            MAPI_TO => PR_DISPLAY_TO,
            MAPI_CC => PR_DISPLAY_CC,
            _ => PR_DISPLAY_BCC,
        };
        set_text(props, tag, &display.join("; "));
        recipients.extend(boxes.iter().map(|b| recipient_row(b, kind)));
    }
    let subject = m.subject().unwrap_or("");
    let (prefix, normalized) = split_subject(subject);
    set_text(props, PR_SUBJECT, subject);
    set_text(props, PR_SUBJECT_PREFIX, prefix);
    set_text(props, PR_NORMALIZED_SUBJECT, normalized);
    dates(props, m);
    ids(props, m);
    flags(props, m);
    conversation(props, m, normalized);
    if let Some(end) = m.parts.first().map(|p| p.offset_body as usize) {
        let head = m.raw_message().get(..end).unwrap_or_default();
        set_text(props, PR_TRANSPORT_MESSAGE_HEADERS, String::from_utf8_lossy(head).trim_end());
    }
    other_headers(names, props, m);
}

fn originators(props: &mut PropBag, m: &Parsed<'_>) {
    let from = mailboxes(m.from());
    let sender = mailboxes(m.sender());
    if let Some(f) = from.first() {
        SENT_REPRESENTING.set(props, f);
    }
    // Without a Sender field the sender is the author ([MS-OXCMAIL] 2.2.3.2.1).
    if let Some(s) = sender.first().or(from.first()) {
        SENDER.set(props, s);
    }
    let reply = mailboxes(m.reply_to());
    if !reply.is_empty() {
        let names: Vec<&str> = reply.iter().map(|b| b.name.as_str()).collect();
        set_text(props, PR_REPLY_RECIPIENT_NAMES, &names.join("; "));
        props.set(PR_REPLY_RECIPIENT_ENTRIES, PropValue::Binary(flat_entry_list(&reply)));
    }
    // mail-parser keeps this field raw; read it as an address list of its own.
    if let Some(v) = raw(m, "Disposition-Notification-To") {
        let field = format!("From: {v}\r\n\r\n");
        let parsed = mail_parser::MessageParser::default().parse_headers(field.as_bytes());
        let parsed = parsed.filter(|p| !p.parts.is_empty());
        if let Some(r) = parsed.as_ref().and_then(|p| mailboxes(p.from()).into_iter().next()) {
            props.set(PR_READ_RECEIPT_REQUESTED, PropValue::Bool(true));
            READ_RECEIPT.set(props, &r);
        }
    }
}

fn dates(props: &mut PropBag, m: &Parsed<'_>) {
    let date = m.date().map(|d| FileTime::from_unix_seconds(d.to_timestamp()));
    if let Some(d) = date {
        props.set(PR_CLIENT_SUBMIT_TIME, PropValue::SysTime(d));
    }
    // The newest Received field (the first) dates the delivery ([MS-OXCMAIL] 2.2.3.2.6).
    let received = m.received().and_then(|r| r.date()).map(|d| FileTime::from_unix_seconds(d.to_timestamp()));
    if let Some(d) = received.or(date) {
        props.set(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(d));
    }
}

fn ids(props: &mut PropBag, m: &Parsed<'_>) {
    if let Some(id) = m.message_id() {
        set_text(props, PR_INTERNET_MESSAGE_ID, &format!("<{id}>"));
    }
    if let Some(v) = raw(m, "In-Reply-To") {
        set_text(props, PR_IN_REPLY_TO_ID, &v);
    }
    if let Some(v) = raw(m, "References") {
        let joined: Vec<&str> = v.split_whitespace().collect();
        set_text(props, PR_INTERNET_REFERENCES, &joined.join(" "));
    }
}

/// Importance, Priority, X-Priority and Sensitivity ([MS-OXCMAIL] 2.2.3.2.9–2.2.3.2.11).
fn flags(props: &mut PropBag, m: &Parsed<'_>) {
    let lower = |n: &str| raw(m, n).map(|v| v.to_ascii_lowercase());
    let importance = lower("Importance")
        .and_then(|v| match v.as_str() {
            "high" => Some(2),
            "normal" => Some(1),
            "low" => Some(0),
            _ => None,
        })
        .or_else(|| {
            lower("X-Priority").and_then(|v| match v.trim_start().chars().next() {
                Some('1' | '2') => Some(2),
                Some('3') => Some(1),
                Some('4' | '5') => Some(0),
                _ => None,
            })
        });
    let priority = lower("Priority").and_then(|v| match v.as_str() {
        "urgent" => Some(1),
        "normal" => Some(0),
        "non-urgent" => Some(-1),
        _ => None,
    });
    let importance = importance.or(priority.map(|p| p + 1));
    props.set(PR_IMPORTANCE, PropValue::I32(importance.unwrap_or(1)));
    props.set(PR_PRIORITY, PropValue::I32(priority.or(importance.map(|i| i - 1)).unwrap_or(0)));
    let sensitivity = lower("Sensitivity").and_then(|v| match v.as_str() {
        "personal" => Some(1),
        "private" => Some(2),
        "company-confidential" => Some(3),
        _ => None,
    });
    props.set(PR_SENSITIVITY, PropValue::I32(sensitivity.unwrap_or(0)));
}

fn conversation(props: &mut PropBag, m: &Parsed<'_>, normalized: &str) {
    let topic = raw(m, "Thread-Topic");
    set_text(props, PR_CONVERSATION_TOPIC, topic.as_deref().unwrap_or(normalized));
    if let Some(idx) = raw(m, "Thread-Index") {
        let compact: String = idx.split_whitespace().collect();
        if let Some(bytes) = mail_parser::decoders::base64::base64_decode(compact.as_bytes()) {
            props.set(PR_CONVERSATION_INDEX, PropValue::Binary(bytes));
        }
    }
}

/// Headers with no property of their own: X- headers and Content-Language as
/// PS_INTERNET_HEADERS named properties, Keywords as the Keywords categories
/// (PS_PUBLIC_STRINGS, [MS-OXCMAIL] 2.2.3.2.13).
fn other_headers(names: &mut Message, props: &mut PropBag, m: &Parsed<'_>) {
    let Some(root) = m.parts.first() else { return };
    for h in &root.headers {
        let name = h.name.as_str();
        let lower = name.to_ascii_lowercase();
        if !(lower.starts_with("x-") || lower == "content-language") || lower == "x-priority" {
            continue;
        }
        if let Some(v) = raw(m, name) {
            let id = names.id_of(&PropertyName::string(PS_INTERNET_HEADERS, lower));
            props.set(PropTag::new(id, PropType::String), PropValue::Unicode(v));
        }
    }
    if let Some(HeaderName::Keywords) =
        root.headers.iter().map(|h| &h.name).find(|n| **n == HeaderName::Keywords)
    {
        let words: Vec<String> = match m.keywords() {
            HeaderValue::TextList(l) => l.iter().map(|s| s.trim().to_string()).collect(),
            HeaderValue::Text(t) => t.split(',').map(|s| s.trim().to_string()).collect(),
            _ => Vec::new(),
        };
        let words: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
        if !words.is_empty() {
            let id = names.id_of(&PropertyName::string(PS_PUBLIC_STRINGS, "Keywords"));
            props.set(PropTag::new(id, PropType::MultipleString), PropValue::MvUnicode(words));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_prefixes() {
        assert_eq!(split_subject("RE: hello"), ("RE: ", "hello"));
        assert_eq!(split_subject("Fwd: x"), ("Fwd: ", "x"));
        assert_eq!(split_subject("Meeting: 10:00"), ("", "Meeting: 10:00"));
        assert_eq!(split_subject("12: x"), ("", "12: x"));
        assert_eq!(split_subject("RE:x"), ("", "RE:x"));
    }
}
