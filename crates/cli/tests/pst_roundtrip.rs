//! Round trip mailbox → PST → mailbox (issue 19, "Validation"): a mailbox with a folder tree
//! and varied items (recipients of every kind, a sender, attachments small and large, an
//! embedded message with an attachment of its own, a named property, read and unread items,
//! delivery times, an item in Deleted Items, an associated message) is exported whole to
//! A.pst (`export / --recursive --all`), A.pst is imported into a second, fresh mailbox, and
//! that mailbox is exported to B.pst. The four inventories (folders with item counts; per
//! item: class, subject, sender, recipients, body, attachment SHA-256 or embedded subject,
//! read flag, delivery time, the named property) must be equal: the mailboxes' read through
//! the CLI (`folders`, `show`, `props`, `attachment`), the files' through our PST reader;
//! A.pst also holds the associated message (import leaves those behind by design). Then every
//! peer reader (`scripts/pst-peers --expect`) must read A.pst and B.pst as the first mailbox
//! holds; that part is skipped, with the reason printed, only when a peer is missing.

mod common;

use std::path::{Path, PathBuf};

use common::Site;
use oxmapi_client::profile::ProfileStore;
use oxmapi_client::session::{LogonOptions, Mapi};
use oxmapi_client::store::SaveFlags;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_LONG_FILENAME, PR_ATTACH_METHOD, PR_BODY, PR_CLIENT_SUBMIT_TIME,
    PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_IPM_SUBTREE_ENTRYID, PR_MESSAGE_CLASS, PR_MESSAGE_DELIVERY_TIME,
    PR_MESSAGE_FLAGS, PR_RECIPIENT_TYPE, PR_SENDER_EMAIL_ADDRESS, PR_SENDER_NAME, PR_SUBJECT,
};
use oxmapi_core::consts::logon_flags::{MAPI_EXTENDED, MAPI_NEW_SESSION};
use oxmapi_core::guid::PS_PUBLIC_STRINGS;
use oxmapi_core::named::PropertyName;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_pst::item::{Attachment, Item, Message};
use oxmapi_pst::msg::{ReadOptions, read_msg, write_msg};
use oxmapi_pst::pst::PstFile;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The named property the rich message carries (PS_PUBLIC_STRINGS, a string).
const TAG_NAME: &str = "RoundTripTag";
/// MSGFLAG_READ ([MS-OXCMSG] 2.2.1.6).
const MSGFLAG_READ: i32 = 0x1;

/// One item as every side is compared.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    /// The folder's path under the IPM subtree ("/Inbox/Projects").
    folder: String,
    class: Option<String>,
    subject: Option<String>,
    sender: Option<String>,
    /// (PR_RECIPIENT_TYPE, address lower-cased), sorted.
    recipients: Vec<(i32, String)>,
    /// PR_BODY with CR LF as LF and the ends trimmed.
    body: Option<String>,
    /// "sha256:HEX" of each attachment's data, "embedded:SUBJECT" for an embedded message; sorted.
    attachments: Vec<String>,
    read: bool,
    /// PR_MESSAGE_DELIVERY_TIME, RFC 3339.
    delivered: Option<String>,
    /// The named property [`TAG_NAME`].
    tag: Option<String>,
}

/// Folders (path under the IPM subtree, item count; sorted, a duplicate path shows twice) and
/// items (sorted).
#[derive(Debug, PartialEq, Eq)]
struct Inventory {
    folders: Vec<(String, usize)>,
    items: Vec<Entry>,
}

fn sha(data: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(data))
}

fn body(s: Option<&str>) -> Option<String> {
    s.map(|b| b.replace("\r\n", "\n").trim().to_string()).filter(|b| !b.is_empty())
}

fn text(bag: &PropBag, tag: PropTag) -> Option<String> {
    match bag.get(tag) {
        Some(PropValue::Unicode(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// `oxmapi --json ARGS` as `user`; its JSON output.
fn json_as(site: &Site, user: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = site.as_user(user, &all);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{user}: oxmapi {args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

// ---------------------------------------------------------------- the first mailbox

/// A message file with everything `put` cannot make: a sender, To/Cc/Bcc, a named property,
/// times, the read flag as given, a binary attachment and an embedded message with its own
/// attachment.
fn rich_msg(subject: &str, read: bool, data: &[u8]) -> Vec<u8> {
    let mut m = Message::default();
    let id = m.id_of(&PropertyName::string(PS_PUBLIC_STRINGS, TAG_NAME));
    let when = PropValue::SysTime(FileTime::from_unix_seconds(1_765_000_000));
    m.item.props = PropBag::new()
        .with(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()))
        .with(PR_SUBJECT, PropValue::Unicode(subject.into()))
        .with(PR_BODY, PropValue::Unicode(format!("Body of {subject}\r\nsecond line ✓")))
        .with(PR_SENDER_NAME, PropValue::Unicode("Carol".into()))
        .with(PR_SENDER_EMAIL_ADDRESS, PropValue::Unicode("carol@example.test".into()))
        .with(PropTag(0x0C1E_001F), PropValue::Unicode("SMTP".into()))
        .with(PR_MESSAGE_FLAGS, PropValue::I32(if read { MSGFLAG_READ } else { 0 }))
        .with(PR_CLIENT_SUBMIT_TIME, when.clone())
        .with(PR_MESSAGE_DELIVERY_TIME, when)
        .with(PropTag::new(id, PropType::String), PropValue::Unicode(format!("tag of {subject}")));
    for (kind, name, addr) in [
        (1, "Alice", "alice@example.test"),
        (2, "Dave", "dave@example.test"),
        (3, "Erin", "erin@example.test"),
    ] {
        m.item.recipients.push(
            PropBag::new()
                .with(PR_RECIPIENT_TYPE, PropValue::I32(kind))
                .with(PR_DISPLAY_NAME, PropValue::Unicode(name.into()))
                .with(PR_EMAIL_ADDRESS, PropValue::Unicode(addr.into()))
                .with(PropTag(0x3002_001F), PropValue::Unicode("SMTP".into())),
        );
    }
    m.item.attachments.push(file_attachment("data.bin", data));
    let inner = Item {
        props: PropBag::new()
            .with(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()))
            .with(PR_SUBJECT, PropValue::Unicode(format!("inner of {subject}")))
            .with(PR_BODY, PropValue::Unicode("inner body".into())),
        attachments: vec![file_attachment("inner.txt", b"inner attachment")],
        ..Default::default()
    };
    m.item.attachments.push(Attachment {
        props: PropBag::new()
            .with(PR_ATTACH_METHOD, PropValue::I32(5))
            .with(PR_DISPLAY_NAME, PropValue::Unicode("inner".into())),
        embedded: Some(Box::new(inner)),
        ..Default::default()
    });
    write_msg(&m).unwrap()
}

fn file_attachment(name: &str, data: &[u8]) -> Attachment {
    Attachment {
        props: PropBag::new()
            .with(PR_ATTACH_METHOD, PropValue::I32(1))
            .with(PR_ATTACH_LONG_FILENAME, PropValue::Unicode(name.into()))
            .with(PR_ATTACH_DATA_BIN, PropValue::Binary(data.to_vec())),
        ..Default::default()
    }
}

/// Bytes no codec leaves alone, `len` of them.
fn binary(len: usize, seed: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251 + seed) as u8).collect()
}

/// Fills alice's mailbox: a folder tree, messages made with `put` (To, Cc, attachments of
/// 20 bytes to 300 KB, one without recipients or body), two imported message files (read and
/// unread, see [`rich_msg`]) and an item in Deleted Items.
fn fill(site: &Site) {
    let a = |args: &[&str]| json_as(site, "alice", args);
    for f in ["/Inbox/Projects", "/Inbox/Projects/Deep", "/Archive 2026"] {
        a(&["mkdir", f]);
    }
    let small = site.path("notes.txt");
    std::fs::write(&small, "twenty bytes of text").unwrap();
    let large = site.path("large.bin");
    std::fs::write(&large, binary(300_000, 3)).unwrap();
    let (small, large) = (small.to_str().unwrap(), large.to_str().unwrap());
    for i in 1..=2 {
        let subject = format!("project note {i}");
        a(&[
            "put",
            "/Inbox/Projects",
            "--subject",
            &subject,
            "--body",
            "first line\nsecond line",
            "--to",
            "bob@example.test",
            "--to",
            "Frank <frank@example.test>",
            "--cc",
            "carol@example.test",
            "--attach",
            small,
            "--attach",
            large,
        ]);
    }
    a(&["put", "/Inbox/Projects/Deep", "--subject", "no recipients, no body"]);
    a(&[
        "put",
        "/Archive 2026",
        "--subject",
        "ünïcode ✓ subject",
        "--body",
        "ünïcode body ✓",
        "--to",
        "bob@example.test",
    ]);
    a(&["put", "/Deleted Items", "--subject", "thrown away", "--body", "gone", "--attach", small]);
    for (name, folder, read, seed) in
        [("rich read", "/Inbox", true, 1), ("rich unread", "/Archive 2026", false, 2)]
    {
        let file = site.path(&format!("{}.msg", name.replace(' ', "-")));
        std::fs::write(&file, rich_msg(name, read, &binary(70_000, seed))).unwrap();
        let j = a(&["import", folder, file.to_str().unwrap()]);
        assert_eq!(j["imported"], 1, "{j}");
    }
}

/// A mailbox's inventory as the CLI shows it: `folders`, then per item `show` (recipients,
/// body, attachments), `props` (sender, flags, time, the named property) and `attachment N`
/// (the bytes; an embedded message is saved as a .msg file and read for its subject).
fn mailbox_inventory(site: &Site, user: &str) -> Inventory {
    let folders = json_as(site, user, &["folders"]);
    let mut inv = Inventory { folders: Vec::new(), items: Vec::new() };
    for f in folders.as_array().unwrap() {
        let path = f["path"].as_str().unwrap().to_string();
        let n = f["items"].as_u64().unwrap() as usize;
        inv.folders.push((path.clone(), n));
        for i in 1..=n {
            inv.items.push(mailbox_item(site, user, &path, &format!("{path}#{i}")));
        }
    }
    inv.folders.sort();
    inv.items.sort();
    inv
}

fn mailbox_item(site: &Site, user: &str, folder: &str, item: &str) -> Entry {
    let shown = json_as(site, user, &["show", item]);
    let props = json_as(site, user, &["props", item]);
    let prop = |canonical: &str| {
        props.as_array().unwrap().iter().find(|p| p["canonical"] == canonical).map(|p| p["value"].clone())
    };
    let kind = |t: &str| match t {
        "To" => 1,
        "Cc" => 2,
        "Bcc" => 3,
        other => panic!("recipient type {other}"),
    };
    let mut recipients: Vec<(i32, String)> = shown["recipients"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    (kind(r["type"].as_str().unwrap()), r["email"].as_str().unwrap_or("").to_lowercase())
                })
                .collect()
        })
        .unwrap_or_default();
    recipients.sort();
    // The CLI shows neither an embedded message nor a named property: for those the item goes
    // to a .msg file (export's reading path, an MSG writer and our MSG reader).
    let file = |ext: &str| site.path(&format!("{user}-{}.{ext}", item.replace(['/', '#', ' '], "_")));
    let msg_file = file("msg");
    let _ = std::fs::remove_file(&msg_file);
    json_as(site, user, &["export", item, "--to", msg_file.to_str().unwrap()]);
    let msg = read_msg(&std::fs::read(&msg_file).unwrap(), &ReadOptions::default()).unwrap();
    let mut attachments = Vec::new();
    for att in shown["attachments"].as_array().into_iter().flatten() {
        if att["PR_ATTACH_METHOD"] == 5 {
            let n = att["PR_ATTACH_NUM"].as_u64().unwrap() as usize;
            let inner = msg.item.attachments[n].embedded.as_ref().expect("the embedded message");
            attachments.push(format!("embedded:{}", text(&inner.props, PR_SUBJECT).unwrap_or_default()));
            continue;
        }
        let n = att["n"].as_u64().unwrap().to_string();
        let out = file("bin");
        let r = site.as_user(user, &["attachment", item, &n, "--out", out.to_str().unwrap()]);
        assert!(r.status.success(), "attachment {item} {n}: {}", String::from_utf8_lossy(&r.stderr));
        attachments.push(sha(&std::fs::read(&out).unwrap()));
    }
    attachments.sort();
    let flags = prop("PidTagMessageFlags").and_then(|v| v.as_i64()).unwrap_or(0) as i32;
    Entry {
        folder: folder.to_string(),
        class: prop("PidTagMessageClass").and_then(|v| v.as_str().map(str::to_string)),
        subject: prop("PidTagSubject").and_then(|v| v.as_str().map(str::to_string)).filter(|s| !s.is_empty()),
        sender: prop("PidTagSenderEmailAddress").and_then(|v| v.as_str().map(str::to_lowercase)),
        recipients,
        body: body(shown["body"].as_str()),
        attachments,
        read: flags & MSGFLAG_READ != 0,
        delivered: prop("PidTagMessageDeliveryTime").and_then(|v| v.as_str().map(str::to_string)),
        tag: named_tag(&msg.item.props, &msg.names),
    }
}

/// The value of the named property [`TAG_NAME`], found by its name.
fn named_tag(props: &PropBag, names: &std::collections::BTreeMap<u16, PropertyName>) -> Option<String> {
    let wanted = PropertyName::string(PS_PUBLIC_STRINGS, TAG_NAME);
    let id = names.iter().find(|(_, n)| **n == wanted).map(|(id, _)| *id)?;
    text(props, PropTag::new(id, PropType::String))
}

/// The associated (FAI) message `fill` cannot make through the CLI: made in alice's Inbox
/// through the client library ([MS-OXCFOLD] 2.2.1.6 RopCreateMessage with AssociatedFlag).
const FAI_CLASS: &str = "IPM.Configuration.RoundTrip";
const FAI_SUBJECT: &str = "hidden settings";

/// Makes one associated message in `user`'s Inbox; then (folder, class, subject) of each
/// associated message there, as the client library reads them.
fn make_fai(site: &Site, user: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let mapi = Mapi::with_profiles(ProfileStore::open(&site.path("client")).unwrap());
    let o = LogonOptions { password: Some(format!("Secret-{user}")), client_version: None };
    let s = mapi.logon_ex(None, Some(user), MAPI_EXTENDED | MAPI_NEW_SESSION, &o).unwrap();
    let row = s.msg_stores_table().into_iter().find(|r| r.default_store).unwrap();
    let store = s.open_msg_store(&row.entry_id).unwrap();
    let inbox = store.open_folder(store.receive_folder("IPM.Note").unwrap().0).unwrap();
    let mut m = inbox.create_message(true).unwrap();
    m.set_props(&[
        TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode(FAI_CLASS.into()) },
        TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(FAI_SUBJECT.into()) },
    ])
    .unwrap();
    m.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();
    let mut t = inbox.contents_table(true).unwrap();
    t.set_columns(&[PR_MESSAGE_CLASS, PR_SUBJECT]).unwrap();
    let mut out: Vec<_> = t
        .query_rows(usize::MAX, true)
        .unwrap()
        .iter()
        .map(|r| {
            let get = |tag| match r.get(tag) {
                Some(PropValue::Unicode(v)) => Some(v.clone()),
                _ => None,
            };
            ("/Inbox".to_string(), get(PR_MESSAGE_CLASS), get(PR_SUBJECT))
        })
        .collect();
    out.sort();
    out
}

/// (folder, class, subject) of each associated message under a PST's IPM subtree.
fn pst_fai(path: &Path) -> Vec<(String, Option<String>, Option<String>)> {
    let pst = PstFile::open(path).unwrap();
    let ipm = nid_of(pst.store_props().get(PR_IPM_SUBTREE_ENTRYID)).unwrap();
    let (folders, _) = pst.folders();
    let top = folders.iter().find(|f| f.nid == ipm).unwrap().path.clone();
    let mut out = Vec::new();
    for f in folders.iter().filter(|f| f.nid != ipm && f.path.starts_with(&top)) {
        for row in pst.associated(f.nid).unwrap() {
            let m = pst.message(row.id).unwrap();
            let rel = format!("/{}", f.path[top.len()..].join("/"));
            out.push((rel, text(&m.item.props, PR_MESSAGE_CLASS), text(&m.item.props, PR_SUBJECT)));
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------- a PST

/// The node id an entry ID names (its last 4 bytes, [MS-PST] 2.4.3.2).
fn nid_of(v: Option<&PropValue>) -> Option<u32> {
    match v {
        Some(PropValue::Binary(e)) if e.len() >= 24 => Some(u32::from_le_bytes([e[20], e[21], e[22], e[23]])),
        _ => None,
    }
}

/// A PST's inventory by our reader: the folders under the IPM subtree, their messages.
fn pst_inventory(path: &Path) -> Inventory {
    let pst = PstFile::open(path).unwrap();
    let ipm = nid_of(pst.store_props().get(PR_IPM_SUBTREE_ENTRYID)).expect("PR_IPM_SUBTREE_ENTRYID");
    let (folders, skipped) = pst.folders();
    assert!(skipped.iter().all(|s| !s.damaged), "{skipped:?}");
    let top = folders.iter().find(|f| f.nid == ipm).expect("the IPM subtree").path.clone();
    let mut inv = Inventory { folders: Vec::new(), items: Vec::new() };
    for f in folders.iter().filter(|f| f.nid != ipm && f.path.starts_with(&top)) {
        let rel = format!("/{}", f.path[top.len()..].join("/"));
        inv.folders.push((rel.clone(), f.items));
        for row in pst.contents(f.nid).unwrap() {
            let m = pst.message(row.id).unwrap();
            inv.items.push(pst_item(&rel, &m.item, &m.names));
        }
    }
    inv.folders.sort();
    inv.items.sort();
    inv
}

fn pst_item(folder: &str, item: &Item, names: &std::collections::BTreeMap<u16, PropertyName>) -> Entry {
    let p = &item.props;
    let mut recipients: Vec<(i32, String)> = item
        .recipients
        .iter()
        .map(|r| {
            let kind = match r.get(PR_RECIPIENT_TYPE) {
                Some(PropValue::I32(k)) => *k,
                _ => 0,
            };
            (kind, text(r, PR_EMAIL_ADDRESS).unwrap_or_default().to_lowercase())
        })
        .collect();
    recipients.sort();
    let mut attachments: Vec<String> = item
        .attachments
        .iter()
        .map(|a| match (&a.embedded, a.props.get(PR_ATTACH_DATA_BIN)) {
            (Some(e), _) => format!("embedded:{}", text(&e.props, PR_SUBJECT).unwrap_or_default()),
            (None, Some(PropValue::Binary(b))) => sha(b),
            (None, _) => sha(a.storage.as_deref().unwrap_or(&[])),
        })
        .collect();
    attachments.sort();
    Entry {
        folder: folder.to_string(),
        class: text(p, PR_MESSAGE_CLASS),
        subject: text(p, PR_SUBJECT),
        sender: text(p, PR_SENDER_EMAIL_ADDRESS).map(|s| s.to_lowercase()),
        recipients,
        body: body(text(p, PR_BODY).as_deref()),
        attachments,
        read: matches!(p.get(PR_MESSAGE_FLAGS), Some(PropValue::I32(f)) if f & MSGFLAG_READ != 0),
        delivered: match p.get(PR_MESSAGE_DELIVERY_TIME) {
            Some(PropValue::SysTime(t)) => Some(t.to_rfc3339()),
            _ => None,
        },
        tag: named_tag(p, names),
    }
}

// ---------------------------------------------------------------- the peers

/// `inv` as the bare inventory `scripts/pst-peers --expect` takes, for the PST `file`: the
/// folders of `inv` under the file's IPM subtree, plus the file's own folders outside it (the
/// root, the search root), which a mailbox does not have.
fn expect_json(inv: &Inventory, file: &Path) -> Value {
    let pst = PstFile::open(file).unwrap();
    let ipm = nid_of(pst.store_props().get(PR_IPM_SUBTREE_ENTRYID)).unwrap();
    let (folders, skipped) = pst.folders();
    let top = folders.iter().find(|f| f.nid == ipm).unwrap().path.clone();
    let under = |rel: &str| -> Vec<String> {
        top.iter().cloned().chain(rel.trim_start_matches('/').split('/').map(str::to_string)).collect()
    };
    let mut out_folders: Vec<Value> = folders
        .iter()
        .filter(|f| !f.path.starts_with(&top) || f.nid == ipm)
        .map(|f| json!({"path": f.path, "items": f.items}))
        .collect();
    out_folders.extend(inv.folders.iter().map(|(p, n)| json!({"path": under(p), "items": n})));
    let items: Vec<Value> = inv
        .items
        .iter()
        .map(|e| {
            let attachments: Vec<Value> = e
                .attachments
                .iter()
                .map(|a| match a.strip_prefix("embedded:") {
                    Some(s) => json!({"embedded": {"subject": s}}),
                    None => json!({"sha256": a.trim_start_matches("sha256:")}),
                })
                .collect();
            json!({
                "folder": under(&e.folder),
                "class": e.class,
                "subject": e.subject,
                "sender": e.sender,
                "recipients": e.recipients.iter().map(|(_, a)| a).collect::<Vec<_>>(),
                "body": e.body,
                "attachments": attachments,
            })
        })
        .collect();
    json!({
        "reader": "oxmapi",
        "ipm_subtree": top,
        "folders": out_folders,
        "search_folders": skipped.iter().filter(|s| !s.damaged).count(),
        "items": items,
        "errors": [],
    })
}

fn pst_peers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pst-peers")
}

/// Every peer reads `file` as `inv` says; `false` (with the reason printed) when a peer is
/// missing.
fn peers_agree(inv: &Inventory, file: &Path, expect: &Path) -> bool {
    std::fs::write(expect, serde_json::to_vec_pretty(&expect_json(inv, file)).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .arg(pst_peers())
        .arg(file)
        .arg("--expect")
        .arg(expect)
        .arg("--max-lines")
        .arg("0")
        .output()
        .expect("python3 scripts/pst-peers");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    match out.status.code() {
        Some(0) => true,
        Some(2) => {
            println!("SKIP: the peer readers' check of {}: a peer is missing:\n{said}", file.display());
            false
        }
        _ => panic!("the peers do not read {} as the mailbox holds:\n{said}", file.display()),
    }
}

// ---------------------------------------------------------------- the test

#[test]
fn a_mailbox_exported_to_pst_and_imported_into_a_new_mailbox_keeps_every_folder_and_item() {
    let site = Site::start();
    fill(&site);
    let fai = make_fai(&site, "alice");
    assert!(fai.contains(&("/Inbox".into(), Some(FAI_CLASS.into()), Some(FAI_SUBJECT.into()))), "{fai:?}");
    let first = mailbox_inventory(&site, "alice");
    assert_eq!(first.items.len(), 7, "{first:#?}");
    assert!(first.items.iter().any(|e| !e.read) && first.items.iter().any(|e| e.read), "{first:#?}");
    assert!(first.items.iter().any(|e| e.tag.is_some()), "the named property is in the mailbox: {first:#?}");

    let a = site.path("A.pst");
    let j = json_as(&site, "alice", &["export", "/", "--recursive", "--all", "--to", a.to_str().unwrap()]);
    assert_eq!(j["errors"], json!([]), "{j}");
    let in_a = pst_inventory(&a);
    // The mailbox's Deleted Items is the file's (PR_IPM_WASTEBASKET_ENTRYID), not a second
    // folder of that name beside it.
    let deleted: Vec<_> = in_a.folders.iter().filter(|(p, _)| p == "/Deleted Items").collect();
    assert_eq!(deleted, [&("/Deleted Items".to_string(), 1)], "{:?}", in_a.folders);
    assert_eq!(in_a, first, "A.pst (left) against the first mailbox (right)");

    // A finished export resumed adds nothing: the Deleted Items it used is found again.
    let export = ["export", "/", "--recursive", "--all", "--to", a.to_str().unwrap(), "--resume"];
    let j = json_as(&site, "alice", &export);
    assert_eq!(j["exported"], 0, "{j}");
    assert_eq!(pst_inventory(&a), in_a, "A.pst after a --resume (left) and before (right)");

    // `--all`: the associated messages too.
    assert_eq!(pst_fai(&a), fai, "associated messages of A.pst (left) and the mailbox (right)");

    // `import` leaves a PST's associated messages behind (they are folder settings, not mail:
    // transfer/source.rs), so the second mailbox and B.pst are compared on the rest.
    let j = json_as(&site, "bob", &["import", "/", a.to_str().unwrap()]);
    assert_eq!(j["errors"], json!([]), "{j}");
    let second = mailbox_inventory(&site, "bob");
    assert_eq!(second, first, "the second mailbox (left) against the first (right)");

    let b = site.path("B.pst");
    let j = json_as(&site, "bob", &["export", "/", "--recursive", "--all", "--to", b.to_str().unwrap()]);
    assert_eq!(j["errors"], json!([]), "{j}");
    assert_eq!(pst_inventory(&b), first, "B.pst (left) against the first mailbox (right)");

    for file in [&a, &b] {
        let check = json_as(&site, "alice", &["pst", "check", file.to_str().unwrap()]);
        assert_eq!(check["status"], "ok", "pst check {}: {check}", file.display());
        assert_eq!(check["allocation"], json!([]), "pst check {}: {check}", file.display());
    }
    for (file, expect) in [(&a, site.path("A.expect.json")), (&b, site.path("B.expect.json"))] {
        if !peers_agree(&first, file, &expect) {
            break;
        }
    }
}
