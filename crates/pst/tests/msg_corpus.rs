//! Every MSG file of the shared test corpus (`shared/testdata`, see its SOURCES.md) read, its
//! subject checked against the one SOURCES.md records, and written back and read again
//! unchanged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::PR_SUBJECT;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Item, Message};
use oxmapi_pst::msg::{ReadOptions, read_msg, write_msg};

/// The corpus: `$OXMAPI_TESTDATA`, else `shared/testdata` beside the repository.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("OXMAPI_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata"));
    dir.is_dir().then_some(dir)
}

fn msg_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()).map(str::to_ascii_lowercase).as_deref(),
                Some("msg" | "oft")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// file (relative to the corpus) → the subject SOURCES.md records for it.
fn recorded_subjects(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("SOURCES.md")).unwrap_or_default();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split(" | ").collect();
        if cols.len() < 11 || !cols[0].starts_with("| `") {
            continue;
        }
        let file = cols[0].trim_start_matches("| `").trim_end_matches('`');
        if file.ends_with(".msg") || file.ends_with(".oft") {
            out.insert(file.to_string(), cols[7].replace("\\0", "\0"));
        }
    }
    out
}

fn subject(m: &Message) -> String {
    match m.item.props.get(PR_SUBJECT) {
        Some(PropValue::Unicode(s)) => s.clone(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

#[test]
fn every_msg_in_the_corpus_reads_with_the_recorded_subject() {
    let Some(dir) = corpus() else {
        eprintln!("shared/testdata not found: corpus test skipped");
        return;
    };
    let recorded = recorded_subjects(&dir);
    let files = msg_files(&dir);
    assert!(files.len() >= 100, "expected the corpus' MSG files, found {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(f).unwrap();
        match read_msg(&bytes, &ReadOptions::default()) {
            Ok(m) => {
                let s = subject(&m);
                eprintln!(
                    "ok   {rel}: {} props, {} recipients, {} attachments, {} names, subject {s:?}",
                    m.item.props.len(),
                    m.item.recipients.len(),
                    m.item.attachments.len(),
                    m.names.len()
                );
                if let Some(want) = recorded.get(&rel) {
                    let want = want.trim();
                    if !want.is_empty() && !want.starts_with("(full name)") && !s.trim().starts_with(want) {
                        failures.push(format!("{rel}: subject {s:?}, SOURCES.md has {want:?}"));
                    }
                }
            }
            Err(e) => {
                eprintln!("FAIL {rel}: {e}");
                failures.push(format!("{rel}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} files:\n{}", failures.len(), files.len(), failures.join("\n"));
}

/// The item with each OLE storage replaced by a listing of its streams (the copy's compound
/// file bytes need not be identical, its contents must be).
fn normalised(item: &Item) -> Item {
    let mut out = item.clone();
    for a in &mut out.attachments {
        if let Some(s) = &a.storage {
            a.storage = Some(storage_listing(s).into_bytes());
        }
        if let Some(e) = &a.embedded {
            a.embedded = Some(Box::new(normalised(e)));
        }
    }
    out
}

fn storage_listing(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).unwrap();
    let entries: Vec<(String, bool)> =
        cf.walk().map(|e| (e.path().to_string_lossy().into_owned(), e.is_stream())).collect();
    let mut out = String::new();
    for (path, is_stream) in entries {
        out.push_str(&path);
        if is_stream {
            let mut data = Vec::new();
            cf.open_stream(&path).unwrap().read_to_end(&mut data).unwrap();
            out.push_str(&format!(" {data:?}"));
        }
        out.push('\n');
    }
    out
}

#[test]
fn every_readable_msg_survives_msg_message_msg_message() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for f in msg_files(&dir) {
        let bytes = std::fs::read(&f).unwrap();
        let Ok(first) = read_msg(&bytes, &ReadOptions::default()) else { continue };
        let written = write_msg(&first).unwrap_or_else(|e| panic!("{}: write: {e}", f.display()));
        let second = read_msg(&written, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{}: reread: {e}", f.display()));
        assert_eq!(first.names, second.names, "{}: names", f.display());
        assert_eq!(normalised(&first.item), normalised(&second.item), "{}: item", f.display());
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} files checked");
}

#[test]
fn ansi_strings_stay_bytes_when_asked_and_round_trip_as_string8() {
    let Some(dir) = corpus() else { return };
    let bytes = std::fs::read(dir.join("msgreader-HiraokaHyperTools/nonUnicodeCP932.msg")).unwrap();
    let raw = read_msg(&bytes, &ReadOptions { keep_string8: true, ..Default::default() }).unwrap();
    let Some(PropValue::String8(subject)) = raw.item.props.get(PR_SUBJECT) else {
        panic!("no 8-bit subject")
    };
    assert_eq!(oxmapi_pst::codepage::decode(subject, 932), "日本語 Non Unicode タイトル");
    let again =
        read_msg(&write_msg(&raw).unwrap(), &ReadOptions { keep_string8: true, ..Default::default() })
            .unwrap();
    assert_eq!(normalised(&raw.item), normalised(&again.item));
}

#[test]
fn named_properties_come_back_by_name() {
    use oxmapi_core::guid::PS_PUBLIC_STRINGS;
    use oxmapi_core::named::PropertyName;
    use oxmapi_core::ptype::PropType;
    use oxmapi_core::tag::PropTag;
    let Some(dir) = corpus() else { return };
    let bytes = std::fs::read(dir.join("poi/keywords.msg")).unwrap();
    let mut m = read_msg(&bytes, &ReadOptions::default()).unwrap();
    let keywords = PropertyName::string(PS_PUBLIC_STRINGS, "Keywords");
    let id = m.names.iter().find(|(_, n)| **n == keywords).map(|(id, _)| *id).expect("Keywords is named");
    let value = m.item.props.get(PropTag::new(id, PropType::MultipleString)).cloned();
    eprintln!("Keywords = {value:?}");
    assert!(matches!(value, Some(PropValue::MvUnicode(ref v)) if !v.is_empty()));
    // Written and read again, the value is found under the same name (whatever its local id).
    let again = read_msg(&write_msg(&m).unwrap(), &ReadOptions::default()).unwrap();
    let id2 = again.names.iter().find(|(_, n)| **n == keywords).map(|(id, _)| *id).unwrap();
    assert_eq!(again.item.props.get(PropTag::new(id2, PropType::MultipleString)).cloned(), value);
    assert_eq!(m.id_of(&keywords), id);
}

/// The ANSI files whose PR_INTERNET_CPID names another charset than their 8-bit strings are in
/// (ISO-2022-JP on cp932, UTF-8 or 1251 on cp1252): decoded by the locale's code page.
#[test]
fn ansi_strings_follow_the_locale_where_pr_internet_cpid_misleads() {
    let Some(dir) = corpus() else { return };
    for (file, want) in [
        ("msgreader-HiraokaHyperTools/contactAnsi.msg", "コム ドット イグザンプル 殿"),
        ("msgreader-HiraokaHyperTools/nonUnicodeCP932.msg", "日本語 Non Unicode タイトル"),
        ("poi/ASCII_UTF-8_CP1252_LCID1031.msg", "Subject öäü Subject"),
        ("poi/ASCII_UTF-8_CP1252_LCID1031_HTML.msg", "Subject öäü Subject"),
        ("poi/HTMLBodyBinary_CP1251.msg", "Subject öäü Subject"),
        ("poi/HTMLBodyBinary_UTF-8.msg", "Subject öäü Subject"),
        ("poi/ASCII_CP1251_LCID1049.msg", "Subject автоматически Subject"),
        ("poi/chinese-traditional.msg", "Alfresco MSG format testing ( MSG 格式測試 )"),
    ] {
        let m = read_msg(&std::fs::read(dir.join(file)).unwrap(), &ReadOptions::default()).unwrap();
        assert_eq!(subject(&m), want, "{file}");
    }
}
