//! Writing PST files from the command line: a new file as a store of the profile (`profile
//! add-service … --create`, then `--store NAME mkdir|put|rm`), messages copied between the
//! mailbox and the PST (`cp|mv --to-store`), `export … --to X.pst`, `pst convert` (with
//! `--split-size`), `pst merge` and `pst check --repair`. Counts are judged by the reader of a
//! fresh process (`pst info`) and, where it is installed, by libpff (pypff), not by the store
//! that wrote them.

mod common;

use std::process::Output;

use common::{Site, testfile};

fn ok(out: &Output) -> serde_json::Value {
    let err = String::from_utf8_lossy(&out.stderr);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && !err.contains("panicked"), "{err}{text}");
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

fn refused(out: &Output, code: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains(code) && !err.contains("panicked"), "{err}");
}

/// Items of a file as `pst info` (the reader, in a process of its own) counts them.
fn items(site: &Site, file: &std::path::Path) -> i64 {
    ok(&site.run(&["--json", "pst", "info", file.to_str().unwrap()]))["items"].as_i64().unwrap()
}

/// Messages pypff (libpff) finds walking from the root folder; `None` when pypff is missing.
fn pypff_items(file: &std::path::Path) -> Option<usize> {
    let script = "import pypff,sys\nf=pypff.file();f.open(sys.argv[1])\n\
                  def w(x):\n  return x.number_of_sub_messages+sum(w(x.get_sub_folder(i)) for i in range(x.number_of_sub_folders))\n\
                  print(w(f.get_root_folder()))";
    let out = std::process::Command::new("python3").args(["-c", script]).arg(file).output().ok()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named") {
            eprintln!("skipped the pypff check: pypff is not installed (scripts/install-pst-peers.sh)");
            return None;
        }
        panic!("pypff cannot read {}: {err}", file.display());
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// A new PST `new.pst` added to alice's profile as the store `name`.
fn new_pst(site: &Site, name: &str) -> std::path::PathBuf {
    let file = site.path("new.pst");
    add_pst(site, &file, name, true);
    file
}

/// `file` added to alice's profile as the PST store `name` (made new with `create`).
fn add_pst(site: &Site, file: &std::path::Path, name: &str, create: bool) {
    let mut args = vec!["profile", "add-service", "alice", "MSUPST", "--path", file.to_str().unwrap()];
    if create {
        args.push("--create");
    }
    args.extend(["--display-name", name]);
    ok(&site.run(&args));
}

/// A site with no server whose profile `alice` has a new PST "NewArchive".
fn site_with_new_pst() -> (Site, std::path::PathBuf) {
    let site = Site::new();
    std::fs::write(site.path("alice.pw"), "Secret-alice").unwrap();
    ok(&site.run(&["profile", "create", "alice", "--server", "http://127.0.0.1:9", "--user", "alice"]));
    let file = new_pst(&site, "NewArchive");
    (site, file)
}

#[test]
fn a_new_pst_takes_folders_and_messages_that_other_readers_see() {
    let (site, file) = site_with_new_pst();
    let p = file.to_str().unwrap();
    refused(
        &site.run(&["profile", "add-service", "alice", "MSUPST", "--path", p, "--create"]),
        "MAPI_E_COLLISION",
    );
    let ansi = site.path("ansi.pst");
    refused(
        &site.run(&[
            "profile",
            "add-service",
            "alice",
            "MSPST",
            "--path",
            ansi.to_str().unwrap(),
            "--create",
        ]),
        "MAPI_E_NO_SUPPORT",
    );
    assert!(!ansi.exists(), "a refused --create leaves no file");
    let s = ["--store", "NewArchive"];
    ok(&site.as_user("alice", &[&s[..], &["mkdir", "/Projects"]].concat()));
    let attach = site.path("a.bin");
    std::fs::write(&attach, vec![0x5au8; 20_000]).unwrap();
    for i in 0..3 {
        let subject = format!("pst item {i}");
        let args = [
            "put",
            "/Projects",
            "--subject",
            &subject,
            "--to",
            "bob@example.test",
            "--attach",
            attach.to_str().unwrap(),
        ];
        ok(&site.as_user("alice", &[&s[..], &args[..]].concat()));
    }
    let listed = ok(&site.as_user("alice", &[&s[..], &["--json", "ls", "/Projects"]].concat()));
    assert_eq!(listed.as_array().unwrap().len(), 3);
    ok(&site.as_user("alice", &[&s[..], &["rm", "/Projects#1"]].concat()));
    assert_eq!(items(&site, &file), 2);
    ok(&site.run(&["pst", "check", p]));
    if let Some(n) = pypff_items(&file) {
        assert_eq!(n, 2, "pypff sees what was written");
    }
}

#[test]
fn messages_move_between_the_mailbox_and_a_pst() {
    let site = Site::start();
    let file = new_pst(&site, "Saved");
    ok(&site.as_user("alice", &["put", "/Inbox", "--subject", "from the mailbox", "--body", "text"]));
    ok(&site.as_user("alice", &["--store", "Saved", "mkdir", "/Kept"]));
    ok(&site.as_user("alice", &["cp", "/Inbox#1", "/Kept", "--to-store", "Saved"]));
    let kept = ok(&site.as_user("alice", &["--store", "Saved", "--json", "ls", "/Kept"]));
    assert_eq!(kept[0]["PR_SUBJECT"], "from the mailbox", "{kept}");
    ok(&site.as_user("alice", &["--store", "Saved", "mv", "/Kept#1", "/Inbox", "--to-store", "Mailbox"]));
    let inbox = ok(&site.as_user("alice", &["--json", "ls", "/Inbox"]));
    assert_eq!(inbox.as_array().unwrap().len(), 2, "the original and the one moved back: {inbox}");
    assert_eq!(items(&site, &file), 0, "moved out of the PST");
    // A folder exported whole.
    let out = site.path("inbox.pst");
    ok(&site.as_user("alice", &["export", "/Inbox", "--to", out.to_str().unwrap()]));
    assert_eq!(items(&site, &out), 2);
    refused(&site.as_user("alice", &["export", "/Inbox", "--to", out.to_str().unwrap()]), "MAPI_E_COLLISION");
}

#[test]
fn convert_split_merge_and_repair() {
    let (Some(ansi), Some(outlook)) =
        (testfile("pstsdk/sample2.pst"), testfile("Aspose.Email-for-.NET/Outlook.pst"))
    else {
        eprintln!("skipped: the shared test data is not there");
        return;
    };
    let site = Site::new();
    let conv = site.path("conv.pst");
    let report = ok(&site.run(&["--json", "pst", "convert", ansi.to_str().unwrap(), conv.to_str().unwrap()]));
    assert_eq!(report["source_format"], "ansi");
    let info = ok(&site.run(&["--json", "pst", "info", conv.to_str().unwrap()]));
    assert_eq!(
        (info["format"].as_str(), info["items"].as_i64()),
        (Some("unicode"), Some(items(&site, &ansi)))
    );
    refused(
        &site.run(&["pst", "convert", ansi.to_str().unwrap(), conv.to_str().unwrap()]),
        "MAPI_E_COLLISION",
    );

    // Outlook.pst (17 items with attachments) split into 1 MB files: every item in one of them.
    let split = site.path("split.pst");
    let report = ok(&site.run(&[
        "--json",
        "pst",
        "convert",
        outlook.to_str().unwrap(),
        split.to_str().unwrap(),
        "--split-size",
        "1M",
    ]));
    let files: Vec<String> =
        report["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
    let total: i64 = files.iter().map(|f| items(&site, std::path::Path::new(f))).sum();
    assert_eq!(total, items(&site, &outlook), "{report}");

    let merged = site.path("merged.pst");
    ok(&site.run(&[
        "pst",
        "merge",
        merged.to_str().unwrap(),
        conv.to_str().unwrap(),
        split.to_str().unwrap(),
    ]));
    assert_eq!(items(&site, &merged), items(&site, &conv) + items(&site, &split));
    if let Some(n) = pypff_items(&merged) {
        assert_eq!(n as i64, items(&site, &merged));
    }

    // A writer that stopped mid-commit leaves fAMapValid cleared: check says so, --repair mends.
    let mut bytes = std::fs::read(&merged).unwrap();
    bytes[180 + 68] = 0;
    oxmapi_pst::pst::header::fix_header_crcs(&mut bytes);
    std::fs::write(&merged, &bytes).unwrap();
    refused(&site.run(&["pst", "check", merged.to_str().unwrap()]), "MAPI_E_CORRUPT_DATA");
    ok(&site.run(&["pst", "check", "--repair", merged.to_str().unwrap()]));
    ok(&site.run(&["pst", "check", merged.to_str().unwrap()]));
}

/// An mbox of `n` small messages whose subjects are `{prefix} NNN`.
fn mbox(site: &Site, name: &str, prefix: &str, n: usize) -> std::path::PathBuf {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "From sender@example.test Mon Dec  7 10:00:00 2026\nFrom: Sender <sender@example.test>\n\
             To: Alice <alice@example.test>\nSubject: {prefix} {i:03}\nMessage-ID: <{prefix}.{i}@example.test>\n\
             Date: Mon, 7 Dec 2026 10:00:00 +0000\n\nbody {i}\n\n"
        ));
    }
    let p = site.path(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Every message of a PST, as (folder path, subject), read by the reader of this process;
/// `None` while the file cannot be read (a writer is in the middle of a commit).
fn pst_subjects(file: &std::path::Path) -> Option<Vec<(String, String)>> {
    use oxmapi_core::bag::PropertyBag;
    let pst = oxmapi_pst::pst::PstFile::open(file).ok()?;
    let mut out = Vec::new();
    for f in pst.folders().0 {
        for row in pst.contents(f.nid).ok()? {
            let props = pst.message_props(row.id).ok()?;
            let subject = match props.get(oxmapi_core::catalogue::tags::PR_SUBJECT) {
                Some(oxmapi_core::value::PropValue::Unicode(s)) => s.clone(),
                _ => String::new(),
            };
            out.push((f.path.join("/"), subject));
        }
    }
    out.sort();
    Some(out)
}

/// An export SIGKILLed after some of its commits, then run again with `--resume`, holds every
/// source message exactly once, in folders that were reused, not made twice; a resume of a
/// finished export adds nothing; a file that is not an export of this FOLDER is refused.
#[test]
fn an_export_killed_part_way_resumes_without_losing_or_duplicating_a_message() {
    let site = Site::start();
    let (top, sub) = (240, 40);
    ok(&site.as_user("alice", &["import", "/Big", mbox(&site, "big.mbox", "big", top).to_str().unwrap()]));
    ok(&site
        .as_user("alice", &["import", "/Big/Sub", mbox(&site, "sub.mbox", "sub", sub).to_str().unwrap()]));
    let out = site.path("big.pst");
    let o = out.to_str().unwrap();
    let export = ["export", "/Big", "--recursive", "--to", o, "--commit-every", "10"];
    // Killed once at least three commits are in the file.
    let mut child = export_until_committed(&site, &out, &["--recursive"]);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let cut = pst_subjects(&out).expect("the killed export's file reads");
    assert!(cut.len() >= 30 && cut.len() < top + sub, "{} of {} written at the kill", cut.len(), top + sub);

    let refused_again = site.as_user("alice", &export);
    refused(&refused_again, "MAPI_E_COLLISION");
    assert!(
        String::from_utf8_lossy(&refused_again.stderr).contains("--resume"),
        "the refusal names --resume"
    );

    let resumed = ok(&site.as_user("alice", &[&["--json"][..], &export[..], &["--resume"][..]].concat()));
    assert_eq!(resumed["skipped"].as_u64(), Some(cut.len() as u64), "{resumed}");
    assert_eq!(resumed["exported"].as_u64(), Some((top + sub - cut.len()) as u64), "{resumed}");
    let mut want: Vec<(String, String)> =
        (0..top).map(|i| ("Big".to_string(), format!("big {i:03}"))).collect();
    want.extend((0..sub).map(|i| ("Big/Sub".to_string(), format!("sub {i:03}"))));
    // The folder path from the reader starts at the IPM subtree.
    let got: Vec<(String, String)> = pst_subjects(&out)
        .unwrap()
        .into_iter()
        .map(|(p, s)| (p.split_once('/').map_or(p.clone(), |(_, rest)| rest.to_string()), s))
        .collect();
    assert_eq!(got, want, "every message once, in its folder");
    let info = ok(&site.run(&["--json", "pst", "info", o]));
    assert_eq!(info["items"].as_u64(), Some((top + sub) as u64), "{info}");
    ok(&site.run(&["pst", "check", o]));

    let again = ok(&site.as_user("alice", &[&["--json"][..], &export[..], &["--resume"][..]].concat()));
    assert_eq!((again["exported"].as_u64(), again["skipped"].as_u64()), (Some(0), Some((top + sub) as u64)));
    assert_eq!(items(&site, &out), (top + sub) as i64, "a finished export resumed adds nothing");

    // Another FOLDER (or a file no export wrote) is refused, and the file is left as it was.
    let before = std::fs::read(&out).unwrap();
    refused(&site.as_user("alice", &["export", "/Inbox", "--to", o, "--resume"]), "MAPI_E_COLLISION");
    assert!(std::fs::read(&out).unwrap() == before, "a refused --resume leaves the file alone");
    if let Some(n) = pypff_items(&out) {
        assert_eq!(n, top + sub, "pypff sees every message once");
    }

    // The whole mailbox (its IPM subtree keyed) and one message resume the same way.
    for (source, file) in [("/", "all.pst"), ("/Big#1", "one.pst")] {
        let f = site.path(file);
        let args = ["--json", "export", source, "--recursive", "--to", f.to_str().unwrap()];
        let first = ok(&site.as_user("alice", &args));
        let again = ok(&site.as_user("alice", &[&args[..], &["--resume"][..]].concat()));
        assert_eq!(
            (again["exported"].as_u64(), &again["skipped"]),
            (Some(0), &first["exported"]),
            "{source}: {again}"
        );
        assert_eq!(items(&site, &f) as u64, first["exported"].as_u64().unwrap(), "{source}");
    }
    refused(
        &site
            .as_user("alice", &["export", "/Big", "--to", site.path("x.mbox").to_str().unwrap(), "--resume"]),
        "MAPI_E_INVALID_PARAMETER",
    );
}

/// The folder of a PST whose path ends with `tail`, as the reader of this process sees it.
fn pst_folder(file: &std::path::Path, tail: &[&str]) -> Option<oxmapi_pst::pst::FolderInfo> {
    let pst = oxmapi_pst::pst::PstFile::open(file).unwrap();
    pst.folders()
        .0
        .into_iter()
        .find(|f| f.path.len() >= tail.len() && f.path[f.path.len() - tail.len()..] == *tail)
}

/// A property of a folder or message as `props` prints it (`name`: its canonical name).
fn prop(site: &Site, store: Option<&str>, target: &str, name: &str) -> serde_json::Value {
    let mut args = vec!["--json", "props", target];
    if let Some(s) = store {
        args.splice(0..0, ["--store", s]);
    }
    let all = ok(&site.as_user("alice", &args));
    all.as_array()
        .unwrap()
        .iter()
        .find(|p| p["canonical"] == name)
        .map(|p| p["value"].clone())
        .unwrap_or_default()
}

/// `cp|mv --recursive FOLDER DEST --to-store NAME`: PST → mailbox (Outlook's Inbox with its
/// sub-folder and its two FAI messages), mailbox → PST (the same tree back into a new PST),
/// and PST → PST as a move, which takes the folder out of its source once it is copied.
#[test]
fn folder_trees_are_copied_between_a_mailbox_and_psts_with_their_fai_messages() {
    let Some(outlook) = testfile("Aspose.Email-for-.NET/Outlook.pst") else {
        eprintln!("skipped: the shared test data is not there");
        return;
    };
    let site = Site::start();
    let old = site.path("old.pst");
    std::fs::copy(&outlook, &old).unwrap();
    add_pst(&site, &old, "Old", false);
    let new = new_pst(&site, "New");

    // PST → mailbox.
    ok(&site.as_user("alice", &["mkdir", "/Archive"]));
    let j = ok(&site.as_user(
        "alice",
        &["--store", "Old", "--json", "cp", "--recursive", "/Inbox", "/Archive", "--to-store", "Mailbox"],
    ));
    assert_eq!(
        (j["folders"].as_i64(), j["messages"].as_i64(), j["associated"].as_i64()),
        (Some(2), Some(8), Some(2)),
        "{j}"
    );
    assert_eq!(ok(&site.as_user("alice", &["--json", "ls", "/Archive/Inbox"])).as_array().unwrap().len(), 8);
    assert_eq!(prop(&site, None, "/Archive/Inbox", "PidTagAssociatedContentCount"), 2);
    assert_eq!(prop(&site, None, "/Archive/Inbox/SubInbox", "PidTagContainerClass"), "IPF.Note");
    let again = site.as_user(
        "alice",
        &["--store", "Old", "cp", "--recursive", "/Inbox", "/Archive", "--to-store", "Mailbox"],
    );
    refused(&again, "MAPI_E_COLLISION");

    // Mailbox → PST: the same tree, FAI messages included.
    let j =
        ok(&site
            .as_user("alice", &["--json", "cp", "--recursive", "/Archive/Inbox", "/", "--to-store", "New"]));
    assert_eq!((j["messages"].as_i64(), j["associated"].as_i64()), (Some(8), Some(2)), "{j}");
    let inbox = pst_folder(&new, &["Inbox"]).expect("Inbox in the new PST");
    assert_eq!((inbox.items, inbox.associated), (8, 2));
    assert!(pst_folder(&new, &["Inbox", "SubInbox"]).is_some());

    // PST → PST, moved: the calendar (one item, four FAI messages) leaves Old.
    let j = ok(&site.as_user(
        "alice",
        &["--store", "Old", "--json", "mv", "--recursive", "/Calendar", "/", "--to-store", "New"],
    ));
    assert_eq!((j["messages"].as_i64(), j["associated"].as_i64()), (Some(1), Some(4)), "{j}");
    let cal = pst_folder(&new, &["Calendar"]).expect("Calendar in the new PST");
    assert_eq!((cal.items, cal.associated, cal.container_class.as_deref()), (1, 4, Some("IPF.Appointment")));
    assert!(pst_folder(&old, &["Calendar"]).is_none(), "moved out of Old");
    for f in [&old, &new] {
        ok(&site.run(&["pst", "check", f.to_str().unwrap()]));
    }
    if let Some(n) = pypff_items(&new) {
        assert_eq!(n, 9, "pypff sees the copied messages");
    }
}

/// Within one store `cp|mv --recursive` is the store's RopCopyFolder / RopMoveFolder (the
/// mailbox and a PST); across stores a tree deeper than the target takes is copied in part:
/// MAPI_W_PARTIAL_COMPLETION names the folder that failed, and the move keeps its source.
#[test]
fn folder_trees_move_within_a_store_and_a_partial_copy_keeps_the_source_of_a_move() {
    let site = Site::start();
    let file = new_pst(&site, "Saved");
    let sub = mbox(&site, "sub.mbox", "sub", 2);
    ok(&site.as_user("alice", &["import", "/Tree", mbox(&site, "top.mbox", "top", 3).to_str().unwrap()]));
    ok(&site.as_user("alice", &["import", "/Tree/Sub", sub.to_str().unwrap()]));
    ok(&site.as_user("alice", &["mv", "--recursive", "/Tree", "/Inbox"]));
    refused(&site.as_user("alice", &["ls", "/Tree"]), "MAPI_E_NOT_FOUND");
    ok(&site.as_user("alice", &["cp", "--recursive", "/Inbox/Tree", "/"]));
    for (f, n) in [("/Tree", 3), ("/Tree/Sub", 2), ("/Inbox/Tree", 3), ("/Inbox/Tree/Sub", 2)] {
        assert_eq!(ok(&site.as_user("alice", &["--json", "ls", f])).as_array().unwrap().len(), n, "{f}");
    }
    // The same within a PST.
    ok(&site.as_user("alice", &["cp", "--recursive", "/Tree", "/", "--to-store", "Saved"]));
    ok(&site.as_user("alice", &["--store", "Saved", "mkdir", "/Kept"]));
    ok(&site.as_user("alice", &["--store", "Saved", "cp", "--recursive", "/Tree", "/Kept"]));
    ok(&site.as_user("alice", &["--store", "Saved", "mv", "--recursive", "/Kept", "/Tree"]));
    // --to-store naming the folder's own store is still a copy by the store, which refuses a
    // folder copied into itself (a copy by reading would recurse into its own copy).
    for store in ["Mailbox", "Saved"] {
        let args = ["--store", store, "cp", "--recursive", "/Tree", "/Tree/Sub", "--to-store", store];
        let out = site.as_user("alice", &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains("RopCopyFolder"), "{store}: {err}");
    }
    let moved = pst_folder(&file, &["Tree", "Kept", "Tree", "Sub"]).expect("/Tree/Kept/Tree/Sub in the PST");
    assert_eq!(moved.items, 2);
    assert_eq!(items(&site, &file), 10);

    // Deeper than a PST nests folders: the move copies what fits, names what failed, keeps /Deep.
    let deep: String = (0..70).map(|i| format!("/d{i}")).collect();
    let deep = format!("/Deep{deep}");
    ok(&site.as_user("alice", &["import", &deep, sub.to_str().unwrap()]));
    let out = site.as_user("alice", &["mv", "--recursive", "/Deep", "/", "--to-store", "Saved"]);
    refused(&out, "MAPI_W_PARTIAL_COMPLETION");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/d6") && err.contains("source folder was kept"), "{err}");
    assert_eq!(ok(&site.as_user("alice", &["--json", "ls", &deep])).as_array().unwrap().len(), 2, "kept");
    ok(&site.run(&["pst", "check", file.to_str().unwrap()]));
}

/// Spawns an export of `/Big` to `out` (committing every 10 messages; `more` arguments) and
/// waits until the file holds at least 30 messages; the running child.
fn export_until_committed(site: &Site, out: &std::path::Path, more: &[&str]) -> std::process::Child {
    let pw = site.path("alice.pw");
    let args = ["--profile", "alice", "--password-file", pw.to_str().unwrap()];
    let export = ["export", "/Big", "--to", out.to_str().unwrap(), "--commit-every", "10"];
    let mut child = common::oxmapi(site.dir.path(), &[&args[..], &export[..], more].concat())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while pst_subjects(out).is_none_or(|s| s.len() < 30) {
        assert!(child.try_wait().unwrap().is_none(), "the export ended before it could be interrupted");
        assert!(std::time::Instant::now() < deadline, "no commit within 120 s");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child
}

/// The server goes away in the middle of an export of one folder: the export stops (it does
/// not list every remaining message as failed and exit 0), says to run it again with --resume, and once the
/// server is back the resumed export completes with every message once.
#[test]
fn an_export_whose_server_goes_away_stops_and_resumes_when_it_is_back() {
    let mut site = Site::start();
    let total = 240;
    ok(&site.as_user("alice", &["import", "/Big", mbox(&site, "big.mbox", "big", total).to_str().unwrap()]));
    let port = std::fs::read_to_string(site.path("port")).unwrap();
    let out = site.path("big.pst");
    let child = export_until_committed(&site, &out, &[]);
    let mut server = site.server.take().unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let done = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert!(!done.status.success() && err.contains("--resume") && !err.contains("panicked"), "{err}");
    let kept = pst_subjects(&out).expect("the interrupted export's file reads").len();
    assert!(kept >= 30 && kept < total, "{kept} of {total} committed");

    // The server back on the same port.
    let data = site.path("data");
    let port_file = site.path("port2");
    let child = std::process::Command::new(common::OX)
        .args(["serve", "--data", data.to_str().unwrap(), "--listen", &format!("127.0.0.1:{}", port.trim())])
        .arg("--port-file")
        .arg(&port_file)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    site.server = Some(child);
    common::server_url(&port_file);
    let o = out.to_str().unwrap();
    let resumed = ok(&site.as_user("alice", &["--json", "export", "/Big", "--to", o, "--resume"]));
    assert_eq!(resumed["skipped"].as_u64(), Some(kept as u64), "{resumed}");
    let got: Vec<String> = pst_subjects(&out).unwrap().into_iter().map(|(_, s)| s).collect();
    let want: Vec<String> = (0..total).map(|i| format!("big {i:03}")).collect();
    assert_eq!(got, want, "every message once");
}
