//! What a round trip must keep of a message ([`Fingerprint`]): what a person moving mail sees
//! of it, compared between the first reading and the reading of the file written back.

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_FILENAME, PR_ATTACH_LONG_FILENAME, PR_BODY, PR_DISPLAY_NAME,
    PR_EMAIL_ADDRESS, PR_HTML, PR_INTERNET_CPID, PR_RECIPIENT_TYPE, PR_RTF_COMPRESSED,
    PR_SENDER_EMAIL_ADDRESS, PR_SENT_REPRESENTING_EMAIL_ADDRESS, PR_SMTP_ADDRESS, PR_SUBJECT,
};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Item, Message};
use oxmapi_pst::{codepage, rtf};
use sha2::{Digest, Sha256};

/// What a round trip must keep of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// PR_SUBJECT.
    pub subject: Option<String>,
    /// The sender's and the recipients' addresses: (kind, address), sorted. Kind is `from`
    /// (PR_SENT_REPRESENTING_EMAIL_ADDRESS), `sender` (PR_SENDER_EMAIL_ADDRESS) or the
    /// recipient type (1 To, 2 Cc, 3 Bcc); the address is PR_SMTP_ADDRESS, else
    /// PR_EMAIL_ADDRESS, else PR_DISPLAY_NAME, lower-cased.
    pub addresses: Vec<(String, String)>,
    /// The body text ([`bodies`]), line ends as LF, trailing white space dropped.
    pub text: Option<String>,
    /// The HTML body ([`bodies`]), normalised the same way.
    pub html: Option<String>,
    /// Per attachment, sorted: its name (long file name, else file name, else display name)
    /// and the SHA-256 of PR_ATTACH_DATA_BIN (an embedded message: `embedded:` and its
    /// subject).
    pub attachments: Vec<(String, String)>,
}

/// The fields of [`Fingerprint`], as the table names them.
pub const FIELDS: [&str; 5] = ["subject", "addresses", "text", "html", "attachments"];

fn text_of(bag: &PropBag, tag: PropTag, cp: u32) -> Option<String> {
    match bag.get(tag)? {
        PropValue::Unicode(s) => Some(s.clone()),
        PropValue::String8(b) => Some(codepage::decode(b, cp)),
        _ => None,
    }
}

/// Line ends as LF, trailing white space dropped; an empty body is no body.
fn normalized(s: &str) -> Option<String> {
    Some(s.replace("\r\n", "\n").trim_end().to_string()).filter(|s| !s.is_empty())
}

/// The text and HTML bodies as a reader of the message sees them: PR_BODY and PR_HTML (its
/// bytes in PR_INTERNET_CPID, else UTF-8), else what PR_RTF_COMPRESSED holds — HTML
/// encapsulated in RTF ([MS-OXRTFEX]), or the RTF's plain text when there is no HTML — as the
/// MIME writer renders them ([MS-OXCMAIL] 2.1.3.1.4).
fn bodies(p: &PropBag, cp: u32) -> (Option<String>, Option<String>) {
    let mut text = text_of(p, PR_BODY, cp).and_then(|s| normalized(&s));
    let mut html = match p.get(PR_HTML) {
        Some(PropValue::Binary(b)) => {
            let html_cp = match p.get(PR_INTERNET_CPID) {
                Some(PropValue::I32(c)) => *c as u32,
                _ => codepage::CP_UTF8,
            };
            Some(codepage::decode(b, html_cp))
        }
        Some(PropValue::Unicode(s)) => Some(s.clone()),
        Some(PropValue::String8(b)) => Some(codepage::decode(b, cp)),
        _ => None,
    }
    .and_then(|s| normalized(&s));
    if html.is_none() {
        if let Some(rtf) = match p.get(PR_RTF_COMPRESSED) {
            Some(PropValue::Binary(c)) => rtf::decompress(c).ok(),
            _ => None,
        } {
            html = rtf::html_from_rtf(&rtf).and_then(|s| normalized(&s));
            if html.is_none() && text.is_none() {
                text = normalized(&rtf::text_from_rtf(&rtf));
            }
        }
    }
    (text, html)
}

impl Fingerprint {
    /// The fingerprint of a message.
    pub fn of(m: &Message) -> Fingerprint {
        Fingerprint::of_item(&m.item)
    }

    fn of_item(item: &Item) -> Fingerprint {
        let p = &item.props;
        let cp = codepage::string8_codepage(p, codepage::CP_WINDOWS_1252);
        let mut addresses = Vec::new();
        for (kind, tag) in [("from", PR_SENT_REPRESENTING_EMAIL_ADDRESS), ("sender", PR_SENDER_EMAIL_ADDRESS)]
        {
            if let Some(a) = text_of(p, tag, cp).filter(|a| !a.is_empty()) {
                addresses.push((kind.to_string(), a.to_lowercase()));
            }
        }
        for r in &item.recipients {
            let kind = match r.get(PR_RECIPIENT_TYPE) {
                Some(PropValue::I32(t)) => (t & 0xff).to_string(),
                _ => "?".into(),
            };
            let address = [PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS, PR_DISPLAY_NAME]
                .into_iter()
                .find_map(|t| text_of(r, t, cp).filter(|a| !a.is_empty()))
                .unwrap_or_default();
            addresses.push((kind, address.to_lowercase()));
        }
        addresses.sort();
        let (text, html) = bodies(p, cp);
        let mut attachments: Vec<(String, String)> = item
            .attachments
            .iter()
            .map(|a| {
                let name = [PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME, PR_DISPLAY_NAME]
                    .into_iter()
                    .find_map(|t| text_of(&a.props, t, cp).filter(|n| !n.is_empty()))
                    .unwrap_or_default();
                let data = match (&a.embedded, a.props.get(PR_ATTACH_DATA_BIN)) {
                    (Some(e), _) => {
                        format!("embedded:{}", text_of(&e.props, PR_SUBJECT, cp).unwrap_or_default())
                    }
                    (None, Some(PropValue::Binary(b))) => hex(&Sha256::digest(b)),
                    (None, _) => "-".into(),
                };
                (name, data)
            })
            .collect();
        // MIME puts inline images in multipart/related beside the other attachments: the
        // order of attachments is not kept, their names and bytes are.
        attachments.sort();
        Fingerprint { subject: text_of(p, PR_SUBJECT, cp), addresses, text, html, attachments }
    }

    /// The fields in which `other` differs from this one: (field, this value, other value),
    /// the values shown in Rust's debug form and cut to [`SHOWN`] characters.
    pub fn changed(&self, other: &Fingerprint) -> Vec<Difference> {
        fn diff<T: PartialEq + std::fmt::Debug>(field: &'static str, a: &T, b: &T) -> Option<Difference> {
            let cut = |v: &T| format!("{v:?}").chars().take(SHOWN).collect::<String>();
            (a != b).then(|| Difference { field, before: cut(a), after: cut(b) })
        }
        [
            diff(FIELDS[0], &self.subject, &other.subject),
            diff(FIELDS[1], &self.addresses, &other.addresses),
            diff(FIELDS[2], &self.text, &other.text),
            diff(FIELDS[3], &self.html, &other.html),
            diff(FIELDS[4], &self.attachments, &other.attachments),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// How much of a differing value the output shows.
pub const SHOWN: usize = 300;

/// A field a round trip changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// One of [`FIELDS`].
    pub field: &'static str,
    /// Its value as first read (cut to [`SHOWN`] characters).
    pub before: String,
    /// Its value after the round trip.
    pub after: String,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Fingerprint {
    /// What there was to compare, for the table: addresses, attachments, bodies.
    pub fn summary(&self) -> String {
        let bodies = match (&self.text, &self.html) {
            (Some(_), Some(_)) => "text+html",
            (Some(_), None) => "text",
            (None, Some(_)) => "html",
            (None, None) => "-",
        };
        format!("{:>3} addr {:>3} att {bodies:<9}", self.addresses.len(), self.attachments.len())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use oxmapi_pst::item::Attachment;

    use super::*;

    fn bag(values: Vec<(PropTag, PropValue)>) -> PropBag {
        let mut b = PropBag::new();
        for (tag, value) in values {
            b.set(tag, value);
        }
        b
    }

    /// A message with a subject, a body, a recipient and an attachment holding `data`.
    pub(in crate::bench_cmd::roundtrip) fn message(data: &[u8]) -> Message {
        let mut m = Message::default();
        m.item.props = bag(vec![
            (PR_SUBJECT, PropValue::Unicode("hello".into())),
            (PR_BODY, PropValue::Unicode("text\r\n".into())),
        ]);
        m.item.recipients.push(bag(vec![
            (PR_RECIPIENT_TYPE, PropValue::I32(1)),
            (PR_SMTP_ADDRESS, PropValue::Unicode("Bob@Example.com".into())),
        ]));
        m.item.attachments.push(Attachment {
            props: bag(vec![
                (PR_ATTACH_LONG_FILENAME, PropValue::Unicode("a.bin".into())),
                (PR_ATTACH_DATA_BIN, PropValue::Binary(data.to_vec())),
            ]),
            ..Attachment::default()
        });
        m
    }

    #[test]
    fn a_changed_attachment_byte_recipient_or_body_is_a_difference() {
        let a = Fingerprint::of(&message(b"abc"));
        assert!(a.changed(&Fingerprint::of(&message(b"abc"))).is_empty());
        let fields = |m: &Message| a.changed(&Fingerprint::of(m)).iter().map(|d| d.field).collect::<Vec<_>>();
        assert_eq!(fields(&message(b"abd")), ["attachments"]);
        let mut m = message(b"abc");
        m.item.recipients[0] = bag(vec![
            (PR_RECIPIENT_TYPE, PropValue::I32(2)),
            (PR_SMTP_ADDRESS, PropValue::Unicode("bob@example.com".into())),
        ]);
        assert_eq!(fields(&m), ["addresses"]);
        let mut m = message(b"abc");
        m.item.props.set(PR_BODY, PropValue::Unicode("other".into()));
        assert_eq!(fields(&m), ["text"]);
        // Line ends and an absent vs empty body are not differences.
        let mut m = message(b"abc");
        m.item.props.set(PR_BODY, PropValue::Unicode("text\n".into()));
        assert!(a.changed(&Fingerprint::of(&m)).is_empty());
    }
}
