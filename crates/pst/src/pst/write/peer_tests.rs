//! Tests of [`PstWriter`] against the independent readers: libpff (pypff) and libpst
//! (readpst) open the files written and see exactly the folders, messages, subjects,
//! recipients and attachment bytes written; every PST/OST of the test data copied through the
//! writer (as `pst convert` does) is read whole. Each test skips with a printed reason when a
//! reader or the test data is missing.

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::value::PropValue;

use super::PstWriter;
use super::store_tests::{assert_checks_clean, folder, outlook_file};
use super::testkit::{rich_message, simple_message, temp_path};
use crate::pst::PstFile;
use crate::pst::crypt::CryptMethod;

/// What pypff (libpff) sees walking from the root folder: one line per folder with its
/// message count, one per message with its subject and attachment digests.
const PYPFF_INVENTORY: &str = r#"
import hashlib, pypff, sys
f = pypff.file(); f.open(sys.argv[1])
def walk(folder, path):
    print("folder\t%s\t%d" % (path, folder.number_of_sub_messages))
    for i in range(folder.number_of_sub_messages):
        m = folder.get_sub_message(i)
        digests = []
        for a in range(getattr(m, "number_of_attachments", 0)):
            att = m.get_attachment(a)
            size = att.get_size()
            if size:
                digests.append(hashlib.sha256(att.read_buffer(size)).hexdigest())
        print("message\t%s\t%s\t%s" % (path, getattr(m, "subject", None) or "", ",".join(sorted(digests))))
    for i in range(folder.number_of_sub_folders):
        sub = folder.get_sub_folder(i)
        walk(sub, path + "/" + (sub.name or ""))
walk(f.get_root_folder(), "")
"#;

/// How many search folders (NID type 0x03) pypff finds in the hierarchy tables it walks.
const PYPFF_SEARCH_FOLDERS: &str = r#"
import pypff, sys
f = pypff.file(); f.open(sys.argv[1])
found, stack = 0, [(f.get_root_folder(), 0)]
while stack:
    folder, depth = stack.pop()
    for i in range(folder.number_of_sub_folders):
        sub = folder.get_sub_folder(i)
        if sub.identifier & 0x1F == 0x03:
            found += 1
        elif depth < 64:
            stack.append((sub, depth + 1))
print(found)
"#;

/// What readpst (libpst) writes: one line per .eml with its folder, subject, To and the
/// digests of its attachments.
const READPST_INVENTORY: &str = r#"
import email, email.policy, glob, hashlib, os, sys
root = sys.argv[1]
for p in sorted(glob.glob(root + "/**/*.eml", recursive=True)):
    m = email.message_from_binary_file(open(p, "rb"), policy=email.policy.default)
    digests = sorted(hashlib.sha256(a.get_payload(decode=True) or b"").hexdigest() for a in m.iter_attachments())
    folder = os.path.relpath(os.path.dirname(p), root)
    print("eml\t%s\t%s\t%s\t%s" % (folder, m["subject"], m["to"], ",".join(digests)))
"#;

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs a command; `None` (with the reason printed) when the program is not installed.
fn run(program: &str, args: &[&str]) -> Option<String> {
    match std::process::Command::new(program).args(args).output() {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => panic!("{program} {args:?} failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            println!("SKIPPED: {program} is not available ({e})");
            None
        }
    }
}

#[test]
fn pypff_and_readpst_see_exactly_the_folders_messages_and_attachments_written() {
    let p = temp_path("peers.pst");
    let attachment = b"attachment bytes for the peers\n".repeat(300);
    let digest = sha256_hex(&attachment);
    let mut w = PstWriter::create(&p.0, CryptMethod::Permute, "Peers").unwrap();
    let projects = w.create_folder(w.ipm_subtree(), &folder("Projects")).unwrap();
    let sub = w.create_folder(projects, &folder("Sub")).unwrap();
    let mut nids = Vec::new();
    for i in 1..=40 {
        let mut m =
            simple_message(&format!("pst item {i}"), &format!("body {i}"), &format!("bob{i}@example.test"));
        m.item.attachments.push(super::testkit::file_attachment("hostname", attachment.clone()));
        nids.push(w.add_message(projects, &m, false).unwrap());
    }
    w.add_message(sub, &rich_message("sub"), false).unwrap();
    w.commit().unwrap();
    w.delete_message(nids[0]).unwrap();
    w.commit().unwrap();
    drop(w);
    assert_checks_clean(&p.0);

    let python_ok = std::process::Command::new("python3")
        .args(["-c", "import pypff"])
        .status()
        .is_ok_and(|s| s.success());
    if python_ok {
        let out = run("python3", &["-c", PYPFF_INVENTORY, p.0.to_str().unwrap()]).unwrap();
        println!("pypff:\n{out}");
        let messages: Vec<&str> = out.lines().filter(|l| l.starts_with("message\t")).collect();
        assert_eq!(messages.len(), 40, "{out}");
        assert!(out.contains("folder\t/Top of Personal Folders/Projects\t39"), "{out}");
        assert!(out.contains("folder\t/Top of Personal Folders/Projects/Sub\t1"), "{out}");
        assert!(!out.contains("\tpst item 1\t"), "the deleted message is gone: {out}");
        for i in 2..=40 {
            let line = format!("message\t/Top of Personal Folders/Projects\tpst item {i}\t{digest}");
            assert!(messages.contains(&line.as_str()), "{line} in {out}");
        }
        assert!(out.contains("\trich sub\t"), "{out}");
    } else {
        println!("SKIPPED: pypff is not installed (pip install libpff-python)");
    }

    let dir = temp_path("readpst");
    std::fs::create_dir_all(&dir.0).unwrap();
    let readpst =
        run("readpst", &["-j", "0", "-q", "-r", "-e", "-o", dir.0.to_str().unwrap(), p.0.to_str().unwrap()]);
    if readpst.is_some() {
        let out = run("python3", &["-c", READPST_INVENTORY, dir.0.to_str().unwrap()]).unwrap();
        println!("readpst:\n{out}");
        let emls: Vec<&str> = out.lines().collect();
        assert_eq!(emls.len(), 40, "{out}");
        for i in 2..=40 {
            let want = format!("\tpst item {i}\tbob{i}@example.test\t{digest}");
            assert!(emls.iter().any(|l| l.ends_with(&want) && l.contains("Projects")), "{want} in {out}");
        }
        let rich = emls.iter().find(|l| l.contains("\trich sub\t")).expect("the rich message");
        assert!(rich.contains("to@example.test"), "{rich}");
        assert!(rich.contains(&sha256_hex(b"hello")), "{rich}");
    }
}

/// The PST and OST files of the test data up to this size are copied through the writer.
const COPY_LIMIT: u64 = 16 << 20;

/// Copies `src` into a new file at `dst` with [`super::copy::copy_store`] (what `pst convert`
/// does); returns the subjects of the (non-associated) messages the reader reads from `src`.
fn copy_through_the_writer(src: &std::path::Path, dst: &std::path::Path) -> Vec<String> {
    let pst = PstFile::open(src).unwrap();
    let mut w = PstWriter::create(dst, CryptMethod::Permute, "Copy").unwrap();
    let mut existing = std::collections::HashMap::new();
    let opts = super::copy::CopyOptions::default();
    let report = super::copy::copy_store(&pst, &mut w, &mut existing, &opts, None, &mut |_| {}).unwrap();
    w.commit().unwrap();
    let mut subjects = Vec::new();
    for f in pst.folders().0 {
        for r in pst.contents(f.nid).unwrap() {
            let Ok(m) = pst.message(r.id) else { continue };
            subjects.push(match m.item.props.get(oxmapi_core::catalogue::tags::PR_SUBJECT) {
                Some(PropValue::Unicode(s)) => s.clone(),
                _ => String::new(),
            });
        }
    }
    assert_eq!(report.items, subjects.len(), "items copied from {}", src.display());
    subjects.sort();
    subjects
}

#[test]
fn every_test_data_store_copied_through_the_writer_is_read_whole_by_the_reader_and_pypff() {
    let Some(data) = outlook_file().and_then(|p| p.parent()?.parent().map(|d| d.to_path_buf())) else {
        println!("SKIPPED: no test data");
        return;
    };
    let python_ok = std::process::Command::new("python3")
        .args(["-c", "import pypff"])
        .status()
        .is_ok_and(|s| s.success());
    if !python_ok {
        println!("SKIPPED (pypff part): pypff is not installed (pip install libpff-python)");
    }
    let mut files = Vec::new();
    let mut stack = vec![data];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            if p.is_dir() {
                stack.push(p);
            } else if matches!(ext.as_deref(), Some("pst" | "ost"))
                && e.metadata().unwrap().len() <= COPY_LIMIT
            {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut copied = 0;
    for src in &files {
        if PstFile::open(src).is_err() {
            continue;
        }
        let dst = temp_path("copy.pst");
        let subjects = copy_through_the_writer(src, &dst.0);
        assert_checks_clean(&dst.0);
        copied += 1;
        if !python_ok {
            continue;
        }
        let out = run("python3", &["-c", PYPFF_INVENTORY, dst.0.to_str().unwrap()]).unwrap();
        let seen: Vec<String> = out
            .lines()
            .filter_map(|l| l.strip_prefix("message\t"))
            .map(|l| l.split('\t').nth(1).unwrap_or("").to_string())
            .collect();
        // pypff gives some item kinds (free/busy data, …) as a bare item without a subject.
        assert_eq!(seen.len(), subjects.len(), "pypff's item count on the copy of {}", src.display());
        // The search folders came along ([MS-PST] 2.4.8.6; a copy used to have only its own
        // spam search folder).
        let searches =
            |p: &std::path::Path| run("python3", &["-c", PYPFF_SEARCH_FOLDERS, p.to_str().unwrap()]);
        assert_eq!(
            searches(&dst.0),
            searches(src),
            "pypff's search folders in the copy of {}",
            src.display()
        );
        let mut left = subjects.clone();
        for s in seen.iter().filter(|s| !s.is_empty()) {
            let at = left.iter().position(|x| x == s);
            assert!(at.is_some(), "pypff sees {s:?} in the copy of {}, not written", src.display());
            left.remove(at.unwrap_or(0));
        }
    }
    println!("{copied} files copied");
    assert!(copied > 10);
}

/// The number of .eml files readpst writes for `pst` (with `-j 0`: its default parallel jobs race
/// and now and then leave a message out); `None` when readpst is missing or
/// refuses the file.
fn readpst_count(pst: &std::path::Path) -> Option<usize> {
    let dir = temp_path("readpst-count");
    std::fs::create_dir_all(&dir.0).ok()?;
    let o = std::process::Command::new("readpst")
        .args(["-j", "0", "-q", "-r", "-e", "-o", dir.0.to_str()?, pst.to_str()?])
        .output()
        .ok()?;
    if !o.status.success() {
        return None;
    }
    let mut n = 0;
    let mut stack = vec![dir.0.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()?.flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else if e.path().extension().is_some_and(|x| x == "eml") {
                n += 1;
            }
        }
    }
    Some(n)
}

#[test]
fn readpst_writes_as_many_messages_from_each_copy_as_from_its_source() {
    let Some(data) = outlook_file().and_then(|p| p.parent()?.parent().map(|d| d.to_path_buf())) else {
        println!("SKIPPED: no test data");
        return;
    };
    if std::process::Command::new("readpst").arg("-V").output().is_err() {
        println!("SKIPPED: readpst is not installed (apt-get install pst-utils)");
        return;
    }
    let mut compared = 0;
    for name in [
        "pstsdk/sample1.pst",
        "pstsdk/test_unicode.pst",
        "pstsdk/submessage.pst",
        "Aspose.Email-for-.NET/Outlook.pst",
    ] {
        let src = data.join(name);
        let Some(want) = readpst_count(&src) else { continue };
        let dst = temp_path("readpst-copy.pst");
        copy_through_the_writer(&src, &dst.0);
        assert_eq!(readpst_count(&dst.0), Some(want), "readpst on the copy of {name}");
        println!("{name}: readpst writes {want} messages from the source and from the copy");
        compared += 1;
    }
    assert!(compared > 0);
}

#[test]
fn a_store_whose_messages_use_no_named_property_opens_in_pypff() {
    let p = temp_path("nonames.pst");
    let mut w = PstWriter::create(&p.0, CryptMethod::Permute, "Plain").unwrap();
    let f = w.create_folder(w.ipm_subtree(), &folder("Plain")).unwrap();
    w.add_message(f, &simple_message("plain", "b", "t@example.test"), false).unwrap();
    w.commit().unwrap();
    drop(w);
    let python_ok = std::process::Command::new("python3")
        .args(["-c", "import pypff"])
        .status()
        .is_ok_and(|s| s.success());
    if !python_ok {
        println!("SKIPPED: pypff is not installed (pip install libpff-python)");
        return;
    }
    // libpff refuses a file whose name-to-id map has no entry ("missing name to id map entries
    // data"): a new store's map is never empty.
    let out = run("python3", &["-c", PYPFF_INVENTORY, p.0.to_str().unwrap()]).unwrap();
    assert!(out.contains("message\t/Top of Personal Folders/Plain\tplain\t"), "{out}");
}
