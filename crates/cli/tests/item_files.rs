//! `oxmapi show|props|attachment FILE.msg` read the file directly, with no profile or server
//! (CLI.md: "ITEM may be the path of a .msg or .eml file").

use std::process::Command;

use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_LONG_FILENAME, PR_ATTACH_METHOD, PR_DISPLAY_NAME, PR_EMAIL_ADDRESS,
    PR_MESSAGE_CODEPAGE, PR_RECIPIENT_TYPE, PR_SUBJECT,
};
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Attachment, Message};
use oxmapi_pst::msg::write_msg;

fn oxmapi(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_oxmapi"))
        .args(args)
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn show_props_and_attachment_read_an_msg_file_without_a_logon() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = Message::default();
    m.item.props = PropBag::new()
        .with(PR_SUBJECT, PropValue::String8(vec![0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]))
        .with(PR_MESSAGE_CODEPAGE, PropValue::I32(1251));
    m.item.recipients.push(
        PropBag::new()
            .with(PR_RECIPIENT_TYPE, PropValue::I32(2))
            .with(PR_DISPLAY_NAME, PropValue::Unicode("Bob".into()))
            .with(PR_EMAIL_ADDRESS, PropValue::Unicode("bob@example.test".into())),
    );
    m.item.attachments.push(Attachment {
        props: PropBag::new()
            .with(PR_ATTACH_METHOD, PropValue::I32(1))
            .with(PR_ATTACH_LONG_FILENAME, PropValue::Unicode("a.txt".into()))
            .with(PR_ATTACH_DATA_BIN, PropValue::Binary(b"attached".to_vec())),
        ..Default::default()
    });
    let file = dir.path().join("m.msg");
    std::fs::write(&file, write_msg(&m).unwrap()).unwrap();
    let f = file.to_str().unwrap();

    let (ok, out) = oxmapi(&["--json", "show", f]);
    assert!(ok, "{out}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["PR_SUBJECT"], "Привет", "the 8-bit subject decoded by PR_MESSAGE_CODEPAGE: {out}");
    assert_eq!(j["recipients"][0]["type"], "Cc");
    assert_eq!(j["attachments"][0]["PR_ATTACH_LONG_FILENAME"], "a.txt");

    let (ok, out) = oxmapi(&["--json", "props", f]);
    assert!(ok && out.contains("PR_MESSAGE_CODEPAGE"), "{out}");

    let saved = dir.path().join("att");
    let (ok, out) = oxmapi(&["attachment", f, "1", "--out", saved.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert_eq!(std::fs::read(&saved).unwrap(), b"attached");

    let (ok, out) = oxmapi(&["attachment", f, "2", "--out", saved.to_str().unwrap()]);
    assert!(!ok && out.contains("no number 2"), "{out}");
}

/// An Internet message as ITEM ([MS-OXCMAIL]): its headers become the properties `show`
/// prints, and `attachment` saves the decoded bytes of a base64 part.
#[test]
fn show_and_attachment_read_an_eml_file_without_a_logon() {
    let dir = tempfile::tempdir().unwrap();
    let eml = concat!(
        "From: Alice Archer <alice@example.test>\r\n",
        "To: Bob Baker <bob@example.test>\r\n",
        "Subject: Quarterly figures\r\n",
        "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n",
        "MIME-Version: 1.0\r\n",
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n",
        "\r\n",
        "--b1\r\n",
        "Content-Type: text/plain; charset=utf-8\r\n",
        "\r\n",
        "See attached.\r\n",
        "--b1\r\n",
        "Content-Type: application/octet-stream\r\n",
        "Content-Disposition: attachment; filename=\"q3.bin\"\r\n",
        "Content-Transfer-Encoding: base64\r\n",
        "\r\n",
        "AAECAwQFBgc=\r\n",
        "--b1--\r\n",
    );
    let file = dir.path().join("m.eml");
    std::fs::write(&file, eml).unwrap();
    let f = file.to_str().unwrap();

    let (ok, out) = oxmapi(&["--json", "show", f]);
    assert!(ok, "{out}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["PR_SUBJECT"], "Quarterly figures", "{out}");
    assert_eq!(j["recipients"][0]["type"], "To", "{out}");
    assert_eq!(j["attachments"][0]["PR_ATTACH_LONG_FILENAME"], "q3.bin", "{out}");

    let saved = dir.path().join("q3.out");
    let (ok, out) = oxmapi(&["attachment", f, "1", "--out", saved.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert_eq!(std::fs::read(&saved).unwrap(), [0, 1, 2, 3, 4, 5, 6, 7]);

    let (ok, out) = oxmapi(&["show", dir.path().join("missing.eml").to_str().unwrap()]);
    assert!(!ok, "a file that is not there is not an item file: {out}");
}
