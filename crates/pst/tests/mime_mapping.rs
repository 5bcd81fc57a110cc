//! MIME ↔ Message mappings of [MS-OXCMAIL]: header fields to properties, bodies, inline
//! images, RFC 2231 names, embedded messages, charsets, S/MIME kept opaque, TNEF merged, and
//! the reverse direction including RTF-only bodies.

#[path = "support/tnef_build.rs"]
mod tnef_build;

use base64::Engine;
use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::entryid::EntryId;
use oxmapi_core::guid::PS_INTERNET_HEADERS;
use oxmapi_core::named::PropertyName;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::Message;
use oxmapi_pst::mime::{read_eml, write_eml};
use oxmapi_pst::rtf;
use tnef_build::*;

fn uni(s: &str) -> PropValue {
    PropValue::Unicode(s.into())
}

fn s(m: &Message, tag: PropTag) -> String {
    match m.item.props.get(tag) {
        Some(PropValue::Unicode(s)) => s.clone(),
        other => panic!("{tag:?}: {other:?}"),
    }
}

fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

const HEADERS: &str = "Received: from a by b; Tue, 02 Jan 2024 10:00:05 +0000
From: \"Ann Author\" <ann@example.com>
Sender: sec@example.com
Reply-To: Rep <rep@example.com>, other@example.com
To: Bob <bob@example.com>, carol@example.com
Cc: =?utf-8?q?D=C3=A9d=C3=A9?= <dede@example.com>
Bcc: eve@example.com
Subject: RE: Quarterly numbers
Date: Tue, 02 Jan 2024 10:00:00 +0000
Message-ID: <m1@example.com>
In-Reply-To: <m0@example.com>
References: <a@example.com>
 <m0@example.com>
Importance: high
Sensitivity: Company-Confidential
Disposition-Notification-To: Ann <ann@example.com>
Thread-Topic: Quarterly numbers
Thread-Index: AQHaBbcd
Content-Language: en-US
X-Mailer: test mailer 1.0
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Body line
";

#[test]
fn header_fields_become_properties() {
    let m = read_eml(&crlf(HEADERS)).unwrap();
    assert_eq!(s(&m, PR_SENT_REPRESENTING_EMAIL_ADDRESS), "ann@example.com");
    assert_eq!(s(&m, PR_SENT_REPRESENTING_NAME), "Ann Author");
    assert_eq!(s(&m, PR_SENDER_EMAIL_ADDRESS), "sec@example.com");
    assert_eq!(s(&m, PR_SENDER_ADDRTYPE), "SMTP");
    let Some(PropValue::Binary(eid)) = m.item.props.get(PR_SENT_REPRESENTING_ENTRYID) else { panic!() };
    match EntryId::parse(eid).unwrap() {
        EntryId::OneOff(o) => {
            assert_eq!((o.address_type.as_str(), o.email_address.as_str()), ("SMTP", "ann@example.com"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s(&m, PR_REPLY_RECIPIENT_NAMES), "Rep; other@example.com");
    assert_eq!(s(&m, PR_SUBJECT_PREFIX), "RE: ");
    assert_eq!(s(&m, PR_NORMALIZED_SUBJECT), "Quarterly numbers");
    assert_eq!(s(&m, PR_INTERNET_MESSAGE_ID), "<m1@example.com>");
    assert_eq!(s(&m, PR_IN_REPLY_TO_ID), "<m0@example.com>");
    assert_eq!(s(&m, PR_INTERNET_REFERENCES), "<a@example.com> <m0@example.com>");
    assert_eq!(m.item.props.get(PR_IMPORTANCE), Some(&PropValue::I32(2)));
    assert_eq!(m.item.props.get(PR_SENSITIVITY), Some(&PropValue::I32(3)));
    assert_eq!(m.item.props.get(PR_READ_RECEIPT_REQUESTED), Some(&PropValue::Bool(true)));
    assert_eq!(s(&m, PR_READ_RECEIPT_EMAIL_ADDRESS), "ann@example.com");
    assert_eq!(s(&m, PR_CONVERSATION_TOPIC), "Quarterly numbers");
    assert_eq!(
        m.item.props.get(PR_CONVERSATION_INDEX),
        Some(&PropValue::Binary(vec![0x01, 0x01, 0xda, 0x05, 0xb7, 0x1d]))
    );
    let Some(PropValue::SysTime(sent)) = m.item.props.get(PR_CLIENT_SUBMIT_TIME) else { panic!() };
    let Some(PropValue::SysTime(got)) = m.item.props.get(PR_MESSAGE_DELIVERY_TIME) else { panic!() };
    assert_eq!(got.unix_seconds() - sent.unix_seconds(), 5, "delivery time from Received");
    assert!(s(&m, PR_TRANSPORT_MESSAGE_HEADERS).contains("X-Mailer: test mailer 1.0"));
    let lang =
        m.names.iter().find(|(_, n)| **n == PropertyName::string(PS_INTERNET_HEADERS, "content-language"));
    assert_eq!(m.item.props.get(PropTag::new(*lang.unwrap().0, PropType::String)), Some(&uni("en-US")));
    let kinds: Vec<(i32, String)> = m
        .item
        .recipients
        .iter()
        .map(|r| match (r.get(PR_RECIPIENT_TYPE), r.get(PR_DISPLAY_NAME)) {
            (Some(PropValue::I32(k)), Some(PropValue::Unicode(n))) => (*k, n.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (1, "Bob".into()),
            (1, "carol@example.com".into()),
            (2, "Dédé".into()),
            (3, "eve@example.com".into())
        ]
    );
    assert_eq!(s(&m, PR_BODY).trim_end(), "Body line");
}

#[test]
fn header_fields_are_written_back() {
    let m = read_eml(&crlf(HEADERS)).unwrap();
    let out = String::from_utf8(write_eml(&m).unwrap()).unwrap();
    for want in [
        "From: \"Ann Author\" <ann@example.com>",
        "Sender: <sec@example.com>",
        "Subject: RE: Quarterly numbers",
        "Message-ID: <m1@example.com>",
        "In-Reply-To: <m0@example.com>",
        "References: <a@example.com> <m0@example.com>",
        "Importance: high",
        "Sensitivity: Company-Confidential",
        "Thread-Index: AQHaBbcd",
        "X-Mailer: test mailer 1.0",
        "Content-Language: en-US",
        "Bcc: <eve@example.com>",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let again = read_eml(out.as_bytes()).unwrap();
    assert_eq!(again.item.recipients.len(), 4);
    assert_eq!(s(&again, PR_REPLY_RECIPIENT_NAMES), "Rep; other@example.com");
    assert_eq!(again.item.props.get(PR_CLIENT_SUBMIT_TIME), m.item.props.get(PR_CLIENT_SUBMIT_TIME));
}

#[test]
fn a_subject_with_a_line_break_cannot_add_a_header_field() {
    let mut m = read_eml(&crlf(HEADERS)).unwrap();
    m.item.props.set(PR_SUBJECT, uni("hi\r\nBcc: victim@example.com"));
    m.item.props.set(PR_IN_REPLY_TO_ID, uni("<x>\r\nX-Evil: 1"));
    let out = String::from_utf8(write_eml(&m).unwrap()).unwrap();
    assert!(!out.contains("\r\nBcc: victim"), "{out}");
    assert!(!out.contains("\r\nX-Evil"), "{out}");
}

const RELATED: &str = "From: a@example.com
To: b@example.com
Subject: pics
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"M\"

--M
Content-Type: multipart/alternative; boundary=\"A\"

--A
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

caf=E9
--A
Content-Type: multipart/related; boundary=\"R\"

--R
Content-Type: text/html; charset=utf-8

<p>caf\u{e9} <img src=\"cid:img1@x\"></p>
--R
Content-Type: image/png
Content-ID: <img1@x>
Content-Disposition: inline
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--R--
--A--
--M
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*0*=utf-8''%E2%82%AC%20rep; filename*1*=ort.pdf
Content-Transfer-Encoding: base64

JVBERi0=
--M
Content-Type: message/rfc822
Content-Disposition: attachment

From: inner@example.com
Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=
Content-Type: text/plain; charset=iso-2022-jp

\u{1b}$B$3$s$K$A$O\u{1b}(B
--M--
";

#[test]
fn bodies_inline_images_names_and_embedded_messages() {
    let m = read_eml(&crlf(RELATED)).unwrap();
    assert_eq!(s(&m, PR_BODY).trim_end(), "café");
    let Some(PropValue::Binary(html)) = m.item.props.get(PR_HTML) else { panic!() };
    assert!(String::from_utf8_lossy(html).contains("café"));
    assert_eq!(m.item.attachments.len(), 3);
    let img = &m.item.attachments[0].props;
    assert_eq!(img.get(PR_ATTACH_CONTENT_ID), Some(&uni("img1@x")));
    assert_eq!(img.get(PR_ATTACHMENT_HIDDEN), Some(&PropValue::Bool(true)));
    assert_eq!(img.get(PR_ATTACH_MIME_TAG), Some(&uni("image/png")));
    let pdf = &m.item.attachments[1].props;
    assert_eq!(
        pdf.get(PR_ATTACH_LONG_FILENAME),
        Some(&uni("€ report.pdf")),
        "RFC 2231 continuation + charset"
    );
    assert_eq!(pdf.get(PR_ATTACH_DATA_BIN), Some(&PropValue::Binary(b"%PDF-".to_vec())));
    let emb = &m.item.attachments[2];
    assert_eq!(emb.props.get(PR_ATTACH_METHOD), Some(&PropValue::I32(5)));
    let inner = emb.embedded.as_ref().unwrap();
    assert_eq!(inner.props.get(PR_SUBJECT), Some(&uni("こんにちは")), "ISO-2022-JP encoded word");
    assert_eq!(
        inner.props.get(PR_BODY).map(|v| match v {
            PropValue::Unicode(t) => t.trim_end().to_string(),
            _ => String::new(),
        }),
        Some("こんにちは".into()),
        "ISO-2022-JP body"
    );
    assert_eq!(m.item.props.get(PR_HASATTACH), Some(&PropValue::Bool(true)));

    // And back: related with the Content-ID, the RFC 2231 name, message/rfc822.
    let out = String::from_utf8(write_eml(&m).unwrap()).unwrap();
    assert!(out.contains("multipart/related"), "{out}");
    assert!(out.contains("Content-ID: <img1@x>"), "{out}");
    assert!(out.contains("filename*=utf-8''%E2%82%AC%20report.pdf"), "{out}");
    assert!(out.contains("Content-Type: message/rfc822"), "{out}");
    let again = read_eml(out.as_bytes()).unwrap();
    assert_eq!(again.item.attachments.len(), 3);
    assert_eq!(again.item.attachments[1].props.get(PR_ATTACH_LONG_FILENAME), Some(&uni("€ report.pdf")));
    let inner2 = again.item.attachments[2].embedded.as_ref().unwrap();
    assert_eq!(inner2.props.get(PR_SUBJECT), Some(&uni("こんにちは")));
}

const SIGNED: &str = "From: a@example.com
To: b@example.com
Subject: signed
MIME-Version: 1.0
Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;
 boundary=\"S\"

--S
Content-Type: text/plain

signed text
--S
Content-Type: application/pkcs7-signature; name=smime.p7s
Content-Transfer-Encoding: base64

MIAGCSqGSIb3DQEHAqCAMIACAQEx
--S--
";

#[test]
fn a_signed_message_is_kept_opaque_and_written_back_intact() {
    let src = crlf(SIGNED);
    let m = read_eml(&src).unwrap();
    assert_eq!(s(&m, PR_MESSAGE_CLASS), "IPM.Note.SMIME.MultipartSigned");
    assert_eq!(m.item.attachments.len(), 1);
    let a = &m.item.attachments[0].props;
    assert_eq!(a.get(PR_ATTACH_MIME_TAG), Some(&uni("multipart/signed")));
    let out = write_eml(&m).unwrap();
    // The signed entity (from the boundary on) is byte for byte the original.
    let body_of = |b: &[u8]| {
        let at = b.windows(5).position(|w| w == b"--S\r\n").unwrap();
        b[at..].to_vec()
    };
    assert_eq!(body_of(&out), body_of(&src));
    let again = read_eml(&out).unwrap();
    assert_eq!(s(&again, PR_MESSAGE_CLASS), "IPM.Note.SMIME.MultipartSigned");
    assert_eq!(s(&again, PR_SUBJECT), "signed");
}

#[test]
fn an_encrypted_message_is_kept_opaque() {
    let src = crlf(
        "From: a@example.com\nSubject: secret\nMIME-Version: 1.0\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\nContent-Transfer-Encoding: base64\n\nAAECAw==\n",
    );
    let m = read_eml(&src).unwrap();
    assert_eq!(s(&m, PR_MESSAGE_CLASS), "IPM.Note.SMIME");
    assert_eq!(
        m.item.attachments[0].props.get(PR_ATTACH_DATA_BIN),
        Some(&PropValue::Binary(vec![0, 1, 2, 3]))
    );
    let again = read_eml(&write_eml(&m).unwrap()).unwrap();
    assert_eq!(
        again.item.attachments[0].props.get(PR_ATTACH_DATA_BIN),
        Some(&PropValue::Binary(vec![0, 1, 2, 3]))
    );
}

const ENCAPSULATED: &str = "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 {\\*\\htmltag19 <html><body>}\\htmlrtf {\\b\\htmlrtf0 Bold\\htmlrtf }\\htmlrtf0 {\\*\\htmltag27 </body></html>}}";

#[test]
fn a_winmail_dat_is_merged_and_its_rtf_becomes_html() {
    let compressed = rtf::compress(ENCAPSULATED.as_bytes()).unwrap();
    let props =
        Props::default().unicode(PR_SUBJECT.id(), "from tnef").binary(PR_RTF_COMPRESSED.id(), &compressed);
    let t = Tnef::new()
        .attr(1, ATT_MSG_PROPS, &props.bytes())
        .attr(2, ATT_ATTACH_REND_DATA, &[0; 14])
        .attr(2, ATT_ATTACH_TITLE, b"a.txt\0")
        .attr(2, ATT_ATTACH_DATA, b"inside");
    let b64 = base64::engine::general_purpose::STANDARD.encode(&t.0);
    let src = crlf(&format!(
        "From: a@example.com\nSubject: mime\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"T\"\n\n--T\nContent-Type: text/plain\n\nplain\n--T\nContent-Type: application/ms-tnef; name=winmail.dat\nContent-Disposition: attachment; filename=winmail.dat\nContent-Transfer-Encoding: base64\n\n{b64}\n--T--\n"
    ));
    let m = read_eml(&src).unwrap();
    assert_eq!(s(&m, PR_SUBJECT), "from tnef");
    assert_eq!(m.item.attachments.len(), 1, "winmail.dat replaced by what it holds");
    assert_eq!(
        m.item.attachments[0].props.get(PR_ATTACH_DATA_BIN),
        Some(&PropValue::Binary(b"inside".to_vec()))
    );
    let out = String::from_utf8(write_eml(&m).unwrap()).unwrap();
    assert!(out.contains("text/html"), "{out}");
    let again = read_eml(out.as_bytes()).unwrap();
    let Some(PropValue::Binary(html)) = again.item.props.get(PR_HTML) else { panic!("{out}") };
    assert_eq!(String::from_utf8_lossy(html).trim_end(), "<html><body>Bold</body></html>");
}

#[test]
fn an_rtf_only_message_is_written_as_its_plain_text() {
    let mut m = Message::default();
    m.item.props.set(PR_SUBJECT, uni("rtf"));
    let r = b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard Hello \\b world\\b0\\par}";
    m.item.props.set(PR_RTF_COMPRESSED, PropValue::Binary(rtf::compress(r).unwrap()));
    let again = read_eml(&write_eml(&m).unwrap()).unwrap();
    assert_eq!(s(&again, PR_BODY).trim_end(), "Hello world");
}

#[test]
fn garbage_is_refused_or_read_without_panic() {
    assert!(read_eml(b"").is_err());
    let _ = read_eml(b"\xff\xfe\x00garbage");
    let _ = read_eml(b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x--");
}

#[test]
fn html_keeps_its_charset_bytes_and_code_page() {
    let mut src = crlf(
        "From: a@example.com\nSubject: h\nMIME-Version: 1.0\nContent-Type: text/html; charset=windows-1252\n\n<meta charset=windows-1252><p>caf",
    );
    src.extend_from_slice(b"\xe9</p>\r\n");
    let m = read_eml(&src).unwrap();
    assert_eq!(m.item.props.get(PR_INTERNET_CPID), Some(&PropValue::I32(1252)));
    let Some(PropValue::Binary(html)) = m.item.props.get(PR_HTML) else { panic!() };
    assert!(html.windows(5).any(|w| w == b"caf\xe9<"), "{html:?}");
    let again = read_eml(&write_eml(&m).unwrap()).unwrap();
    let Some(PropValue::Binary(html)) = again.item.props.get(PR_HTML) else { panic!() };
    assert!(String::from_utf8_lossy(html).contains("café"));
}

/// Found by the `mime_message` fuzz target: mail-parser's accessors index the first part,
/// and an attached message/rfc822 with no content has none.
#[test]
fn an_empty_attached_message_does_not_panic() {
    for src in [
        "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=M\r\n\r\n--M\r\nContent-Type: message/rfc822\r\n\r\n--M--\r\n",
        "From: a@example.com\r\nContent-Type: message/rfc822\r\n\r\n",
    ] {
        if let Ok(m) = read_eml(src.as_bytes()) {
            let _ = read_eml(&write_eml(&m).unwrap());
        }
    }
    let crash =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mime_fuzz_empty_nested.eml")).unwrap();
    let _ = read_eml(&crash);
}

/// A multipart/alternative whose text and HTML parts nest in an order mail-parser 0.11.1
/// indexed wrongly (`text_body[html_parts..]`, a panic: found by the `mime_message` fuzz
/// target; fixed in 0.11.9, which the workspace now pins): the reader answers, it never panics.
#[test]
fn a_message_that_made_the_mime_parser_panic_is_read() {
    let bytes = include_bytes!("data/mail-parser-0.11.1-alternative-panic.eml");
    let _ = oxmapi_pst::mime::read_eml(bytes);
}
