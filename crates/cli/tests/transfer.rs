//! `oxmapi import` and `oxmapi export` (CLI.md) against a real server: what goes in comes out
//! with the same subjects, addresses, named properties and attachment bytes, checked with
//! independent readers where there is one (Python's email and mailbox modules, our MSG reader
//! on the exported file).

mod common;

use std::path::{Path, PathBuf};

use common::Site;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_LONG_FILENAME, PR_ATTACH_METHOD, PR_DISPLAY_NAME, PR_EMAIL_ADDRESS,
    PR_MESSAGE_CLASS, PR_RECIPIENT_TYPE, PR_SUBJECT,
};
use oxmapi_core::guid::PS_PUBLIC_STRINGS;
use oxmapi_core::named::PropertyName;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Attachment, Item, Message};
use oxmapi_pst::msg::{ReadOptions, read_msg, write_msg};
use sha2::{Digest, Sha256};

fn json(site: &Site, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = site.as_user("alice", &all);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "oxmapi {args:?}: {text}{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Bytes that no text codec leaves alone (every byte value, and more than a ROP buffer holds).
fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 256) as u8).collect()
}

fn eml(subject: &str, body: &str, attachment: Option<&[u8]>) -> Vec<u8> {
    use base64::Engine;
    let head = format!(
        "From: Carol <carol@example.test>\r\nTo: Alice <alice@example.test>\r\nSubject: {subject}\r\n\
         Message-ID: <{}@example.test>\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n",
        subject.replace(' ', ".")
    );
    match attachment {
        None => format!("{head}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").into_bytes(),
        Some(data) => {
            let b64 = base64::engine::general_purpose::STANDARD.encode(data);
            let lines: Vec<&str> =
                b64.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap()).collect();
            format!(
                "{head}Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n\
                 Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n--b1\r\n\
                 Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1--\r\n",
                lines.join("\r\n")
            )
            .into_bytes()
        }
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn subjects(site: &Site, folder: &str) -> Vec<String> {
    let rows = json(site, &["ls", folder, "--columns", "PR_SUBJECT", "--limit", "1000"]);
    let mut s: Vec<String> =
        rows.as_array().unwrap().iter().map(|r| r["PR_SUBJECT"].as_str().unwrap_or("").to_string()).collect();
    s.sort();
    s
}

fn python(script: &str, args: &[&Path]) -> String {
    let out =
        std::process::Command::new("python3").arg("-c").arg(script).args(args).output().expect("python3");
    assert!(out.status.success(), "python: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_second_import_adds_nothing_and_a_damaged_file_is_reported_without_stopping_the_run() {
    let site = Site::start();
    let src = site.path("src");
    std::fs::create_dir_all(&src).unwrap();
    let big = binary(100_000);
    write(&src, "a.eml", &eml("first note", "one", None));
    write(&src, "b.eml", &eml("second note", "two", Some(&big)));
    let damaged = write(&src, "c.msg", b"this is not a compound file");
    write(&src, "d.eml", &eml("third note", "three", None));
    let s = src.to_str().unwrap();
    let missing = site.path("missing.eml");

    let j = json(&site, &["import", "/Inbox/Imported/Deep", s, missing.to_str().unwrap()]);
    assert_eq!(j["imported"], 3, "{j}");
    assert_eq!(j["skipped"], 0, "{j}");
    let errors = j["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{j}");
    assert_eq!(errors[0]["source"], damaged.to_str().unwrap(), "{j}");
    assert_eq!(errors[1]["source"], missing.to_str().unwrap(), "{j}");
    assert!(!errors[0]["error"].as_str().unwrap().is_empty());
    assert_eq!(subjects(&site, "/Inbox/Imported/Deep"), ["first note", "second note", "third note"]);

    let again = json(&site, &["import", "/Inbox/Imported/Deep", s]);
    assert_eq!(again["imported"], 0, "{again}");
    assert_eq!(again["skipped"], 3, "{again}");
    assert_eq!(subjects(&site, "/Inbox/Imported/Deep").len(), 3);

    // The large attachment came through the store intact.
    let out = site.path("att");
    let item = "/Inbox/Imported/Deep#2";
    let shown = json(&site, &["show", item]);
    let n =
        if shown["PR_SUBJECT"] == "second note" { item.to_string() } else { "/Inbox/Imported/Deep#1".into() };
    let r = site.as_user("alice", &["attachment", &n, "1", "--out", out.to_str().unwrap()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let got = std::fs::read(&out).unwrap();
    assert!(got == big, "attachment bytes: {} of {} came back", got.len(), big.len());
}

#[test]
fn an_exported_msg_keeps_recipients_named_properties_attachments_and_embedded_messages() {
    let site = Site::start();
    let keyword = PropertyName::string(PS_PUBLIC_STRINGS, "TransferTestTag");
    let mut m = Message::default();
    let local = m.id_of(&keyword);
    let data = binary(70_000);
    let inner = Item {
        props: PropBag::new()
            .with(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()))
            .with(PR_SUBJECT, PropValue::Unicode("the inner one".into())),
        ..Default::default()
    };
    m.item.props = PropBag::new()
        .with(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()))
        .with(PR_SUBJECT, PropValue::Unicode("outer with ünïcode".into()))
        .with(PropTag::new(local, PropType::String), PropValue::Unicode("kept by name".into()));
    m.item.recipients.push(
        PropBag::new()
            .with(PR_RECIPIENT_TYPE, PropValue::I32(2))
            .with(PR_DISPLAY_NAME, PropValue::Unicode("Bob".into()))
            .with(PR_EMAIL_ADDRESS, PropValue::Unicode("bob@example.test".into())),
    );
    m.item.attachments.push(Attachment {
        props: PropBag::new()
            .with(PR_ATTACH_METHOD, PropValue::I32(1))
            .with(PR_ATTACH_LONG_FILENAME, PropValue::Unicode("data.bin".into()))
            .with(PR_ATTACH_DATA_BIN, PropValue::Binary(data.clone())),
        ..Default::default()
    });
    m.item.attachments.push(Attachment {
        props: PropBag::new().with(PR_ATTACH_METHOD, PropValue::I32(5)),
        embedded: Some(Box::new(inner)),
        ..Default::default()
    });
    let file = site.path("in.msg");
    std::fs::write(&file, write_msg(&m).unwrap()).unwrap();
    let j = json(&site, &["import", "/Inbox", file.to_str().unwrap()]);
    assert_eq!(j["imported"], 1, "{j}");

    let out = site.path("out.msg");
    json(&site, &["export", "/Inbox#1", "--to", out.to_str().unwrap()]);
    let back = read_msg(&std::fs::read(&out).unwrap(), &ReadOptions::default()).unwrap();
    let p = &back.item.props;
    assert_eq!(p.get(PR_SUBJECT), Some(&PropValue::Unicode("outer with ünïcode".into())));
    let id = back.names.iter().find(|(_, n)| **n == keyword).map(|(id, _)| *id).expect("the named property");
    assert_eq!(p.get(PropTag::new(id, PropType::String)), Some(&PropValue::Unicode("kept by name".into())));
    assert_eq!(back.item.recipients.len(), 1);
    assert_eq!(
        back.item.recipients[0].get(PR_EMAIL_ADDRESS),
        Some(&PropValue::Unicode("bob@example.test".into()))
    );
    assert_eq!(back.item.attachments.len(), 2);
    let bytes =
        back.item.attachments[0].props.get(PR_ATTACH_DATA_BIN).and_then(PropValue::as_bytes).unwrap_or(&[]);
    assert!(bytes == data.as_slice(), "attachment bytes: {} of {} came back", bytes.len(), data.len());
    let e = back.item.attachments[1].embedded.as_ref().expect("the embedded message");
    assert_eq!(e.props.get(PR_SUBJECT), Some(&PropValue::Unicode("the inner one".into())));

    // The same message as an Internet message, read by Python's email module.
    let eml_out = site.path("out.eml");
    json(&site, &["export", "/Inbox#1", "--to", eml_out.to_str().unwrap()]);
    let seen = python(
        "import email, email.policy, hashlib, sys\n\
         m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n\
         print(m['subject'])\n\
         for a in m.iter_attachments():\n    print(a.get_filename(), hashlib.sha256(a.get_payload(decode=True) or b'').hexdigest())",
        &[&eml_out],
    );
    let sha = format!("{:x}", Sha256::digest(&data));
    assert!(seen.starts_with("outer with ünïcode"), "{seen}");
    assert!(seen.contains(&format!("data.bin {sha}")), "{seen}");
}

#[test]
fn a_folder_goes_to_mbox_one_message_per_item_and_comes_back() {
    let site = Site::start();
    let src = site.path("src");
    std::fs::create_dir_all(&src).unwrap();
    for i in 1..=4 {
        write(
            &src,
            &format!("{i}.eml"),
            &eml(&format!("note {i}"), "From the start of a line\n>From quoted", None),
        );
    }
    let j = json(&site, &["import", "/Kept Notes", src.to_str().unwrap()]);
    assert_eq!(j["imported"], 4, "{j}");
    assert_eq!(j["folders_created"], 1, "FOLDER is created when missing: {j}");

    let mbox = site.path("notes.mbox");
    let out = json(&site, &["export", "/Kept Notes", "--to", mbox.to_str().unwrap()]);
    assert_eq!(out["exported"], 4, "{out}");
    let seen =
        python("import mailbox, sys\nfor m in mailbox.mbox(sys.argv[1]): print(m['subject'])", &[&mbox]);
    let mut got: Vec<&str> = seen.lines().collect();
    got.sort();
    assert_eq!(got, ["note 1", "note 2", "note 3", "note 4"]);

    let back = json(&site, &["import", "/Back", mbox.to_str().unwrap()]);
    assert_eq!(back["imported"], 4, "{back}");
    assert_eq!(subjects(&site, "/Back"), ["note 1", "note 2", "note 3", "note 4"]);
    let body = json(&site, &["show", "/Back#1"]);
    assert!(body["body"].as_str().unwrap_or("").contains("From the start of a line"), "{body}");

    // A folder is not one message: refused cleanly. It goes to a new PST whole, and a PST that
    // exists is not written over.
    let refused =
        site.as_user("alice", &["--json", "export", "/Back", "--to", site.path("x.eml").to_str().unwrap()]);
    assert!(
        !refused.status.success()
            && String::from_utf8_lossy(&refused.stdout).contains("MAPI_E_INVALID_PARAMETER")
    );
    let pst = site.path("x.pst");
    let out = json(&site, &["export", "/Back", "--to", pst.to_str().unwrap()]);
    assert_eq!(out["exported"], 4, "{out}");
    assert_eq!(out["bytes"].as_u64(), Some(std::fs::metadata(&pst).unwrap().len()), "the PST's size: {out}");
    let info = json(&site, &["pst", "info", pst.to_str().unwrap()]);
    assert_eq!(info["items"], 4, "{info}");
    let refused = site.as_user("alice", &["--json", "export", "/Back", "--to", pst.to_str().unwrap()]);
    assert!(
        !refused.status.success() && String::from_utf8_lossy(&refused.stdout).contains("MAPI_E_COLLISION")
    );

    let dir = site.path("as-msg");
    let out = json(&site, &["export", "/Back", "--to", dir.to_str().unwrap(), "--format", "msg"]);
    assert_eq!(out["exported"], 4, "{out}");
    assert_eq!(
        std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().extension().unwrap() == "msg")
            .count(),
        4
    );
}

fn testfile(rel: &str) -> Option<PathBuf> {
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata");
    [beside, PathBuf::from("/work/shared/testdata")].into_iter().map(|d| d.join(rel)).find(|p| p.exists())
}

#[test]
fn a_pst_comes_in_whole_with_its_folder_tree() {
    let Some(pst) = testfile("Aspose.Email-for-.NET/Outlook.pst") else {
        eprintln!("skipped: the test PST is not here");
        return;
    };
    let site = Site::start();
    let p = pst.to_str().unwrap();
    let info = json(&site, &["pst", "info", p]);
    let j = json(&site, &["import", "/FromPst", p]);
    assert_eq!(j["imported"], info["items"], "{j}");
    assert_eq!(j["errors"].as_array().unwrap().len(), 0, "{j}");
    let folders = json(&site, &["folders"]);
    let under: Vec<&serde_json::Value> = folders
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("/FromPst/"))
        .collect();
    assert!(!under.is_empty(), "{folders}");
    let total: i64 = under.iter().map(|f| f["items"].as_i64().unwrap()).sum::<i64>()
        + folders.as_array().unwrap().iter().find(|f| f["path"] == "/FromPst").unwrap()["items"]
            .as_i64()
            .unwrap();
    assert_eq!(serde_json::json!(total), info["items"]);
    let again = json(&site, &["import", "/FromPst", p]);
    assert_eq!(again["imported"], 0, "{again}");
    assert_eq!(again["skipped"], info["items"], "{again}");
}

fn note(subject: &str) -> Message {
    let mut m = Message::default();
    m.item.props = PropBag::new()
        .with(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()))
        .with(PR_SUBJECT, PropValue::Unicode(subject.into()));
    m
}

fn import_msg(site: &Site, name: &str, m: &Message, folder: &str) -> serde_json::Value {
    let file = site.path(name);
    std::fs::write(&file, write_msg(m).unwrap()).unwrap();
    json(site, &["import", folder, file.to_str().unwrap()])
}

/// A damaged or padded file can give strings with a NUL inside; sent as they are, the
/// NUL-terminated wire form (MS-OXCDATA 2.11.1) ends early and the server answers ecRpcFormat.
#[test]
fn a_string_with_a_nul_inside_is_cut_there_not_refused_with_ecrpcformat() {
    let site = Site::start();
    let m = note("kept part\0padding from a damaged file");
    let j = import_msg(&site, "nul.msg", &m, "/Inbox");
    assert_eq!(j["imported"], 1, "{j}");
    assert_eq!(subjects(&site, "/Inbox"), ["kept part"]);
}

/// 300 recipients do not fit one RopModifyRecipients buffer: they go in several calls.
#[test]
fn three_hundred_recipients_are_imported_in_several_modify_recipients_calls() {
    let site = Site::start();
    let mut m = note("to many");
    for i in 0..300 {
        m.item.recipients.push(
            PropBag::new()
                .with(PR_RECIPIENT_TYPE, PropValue::I32(1))
                .with(PR_DISPLAY_NAME, PropValue::Unicode(format!("Recipient Number {i:03}")))
                .with(PR_EMAIL_ADDRESS, PropValue::Unicode(format!("recipient.number.{i:03}@example.test"))),
        );
    }
    let j = import_msg(&site, "many.msg", &m, "/Inbox");
    assert_eq!(j["imported"], 1, "{j}");
    let shown = json(&site, &["show", "/Inbox#1"]);
    let r = shown["recipients"].as_array().unwrap();
    assert_eq!(r.len(), 300, "{shown}");
    assert!(r.iter().any(|x| x.to_string().contains("recipient.number.299@example.test")), "{shown}");
}

/// A message whose properties together exceed one ROP response (RopGetPropertiesAll keeps
/// answering RopBufferTooSmall) is exported through the property list in small groups.
#[test]
fn a_message_too_large_for_one_get_properties_all_answer_is_still_exported() {
    let site = Site::start();
    let mut m = note("many large properties");
    let names: Vec<PropertyName> =
        (0..12).map(|i| PropertyName::string(PS_PUBLIC_STRINGS, format!("Large{i}"))).collect();
    for (i, n) in names.iter().enumerate() {
        let id = m.id_of(n);
        let text = format!("{i:02}").repeat(2500);
        m.item.props.set(PropTag::new(id, PropType::String), PropValue::Unicode(text));
    }
    let j = import_msg(&site, "large.msg", &m, "/Inbox");
    assert_eq!(j["imported"], 1, "{j}");
    let out = site.path("large-out.msg");
    let e = json(&site, &["export", "/Inbox#1", "--to", out.to_str().unwrap()]);
    assert_eq!(e["exported"], 1, "{e}");
    let back = read_msg(&std::fs::read(&out).unwrap(), &ReadOptions::default()).unwrap();
    for (i, n) in names.iter().enumerate() {
        let id =
            back.names.iter().find(|(_, x)| *x == n).map(|(id, _)| *id).unwrap_or_else(|| panic!("{n:?}"));
        let v = back.item.props.get(PropTag::new(id, PropType::String));
        assert_eq!(v, Some(&PropValue::Unicode(format!("{i:02}").repeat(2500))), "property {i}");
    }
}

/// Several sessions write at once; each file still lands exactly once, and a second run with
/// other writers skips them all. More writers than the limit are refused before anything runs.
#[test]
fn parallel_writers_import_every_file_once() {
    let site = Site::start();
    let src = site.path("src");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..24 {
        write(
            &src,
            &format!("{i:02}.eml"),
            &eml(&format!("parallel {i:02}"), "text", Some(&binary(5000 + i))),
        );
    }
    let s = src.to_str().unwrap();
    let j = json(&site, &["import", "/Par", s, "--jobs", "4"]);
    assert_eq!(j["imported"], 24, "{j}");
    assert_eq!(j["warnings"].as_array().unwrap().len(), 0, "{j}");
    let got = subjects(&site, "/Par");
    let want: Vec<String> = (0..24).map(|i| format!("parallel {i:02}")).collect();
    assert_eq!(got, want);
    let again = json(&site, &["import", "/Par", s, "--jobs", "3"]);
    assert_eq!((again["imported"].as_i64(), again["skipped"].as_i64()), (Some(0), Some(24)), "{again}");

    let out = site.as_user("alice", &["--json", "import", "/Par", s, "--jobs", "9"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("MAPI_E_INVALID_PARAMETER"), "{out:?}");
}
