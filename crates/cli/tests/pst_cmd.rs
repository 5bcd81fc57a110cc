//! `oxmapi pst info` and `oxmapi pst check` on the shared test PSTs (CLI.md keys).

mod common;

use common::{ox_json as ox, testfile};

#[test]
fn pst_info_reports_format_encryption_and_counts() {
    let Some(f) = testfile("pstsdk/sample2.pst") else { return };
    let (ok, j, text) = ox(&["--json", "pst", "info", f.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert_eq!(j["format"], "ansi");
    assert_eq!(j["encryption"], "permute");
    assert_eq!(j["items"], 1);
    assert_eq!(j["folders"], 6);
    assert_eq!(j["size"], 271_360);
    assert!(j["skipped"].as_array().unwrap().is_empty());
    let Some(f) = testfile("Aspose.Email-for-.NET/Outlook.pst") else { return };
    let (ok, j, _) = ox(&["--json", "pst", "info", f.to_str().unwrap()]);
    assert!(ok);
    assert_eq!((j["format"].as_str(), j["items"].as_u64()), (Some("unicode"), Some(17)));
}

#[test]
fn pst_info_refuses_a_file_with_a_bad_header_crc() {
    let Some(f) = testfile("Aspose.Email-for-.NET/AddingBulkMessagesWithImprovedPerformance.pst") else {
        return;
    };
    let (ok, j, text) = ox(&["--json", "pst", "info", f.to_str().unwrap()]);
    assert!(!ok);
    assert_eq!(j["error"]["name"], "MAPI_E_CORRUPT_DATA", "{text}");
    assert!(text.contains("CRC"), "{text}");
}

#[test]
fn pst_check_passes_a_sound_file_and_names_a_damaged_message() {
    let Some(f) = testfile("pstsdk/sample1.pst") else { return };
    let (ok, j, text) = ox(&["--json", "pst", "check", f.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert_eq!((j["status"].as_str(), j["opened"].as_u64()), (Some("ok"), Some(1)));

    // Damage the message's heap: find its block through the library, flip a byte of a copy.
    let mut bytes = std::fs::read(&f).unwrap();
    let pst = oxmapi_pst::pst::PstFile::open(&f).unwrap();
    let (folders, _) = pst.folders();
    let nid = folders.iter().flat_map(|x| pst.contents(x.nid).unwrap()).next().unwrap().id;
    let at = pst.block_offset(pst.node_entry(nid).unwrap().data).unwrap() as usize;
    bytes[at + 2] ^= 0xff;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("damaged.pst");
    std::fs::write(&copy, bytes).unwrap();
    let (ok, j, text) = ox(&["--json", "pst", "check", copy.to_str().unwrap()]);
    assert!(!ok, "{text}");
    assert_eq!(j["error"]["name"], "MAPI_E_CORRUPT_DATA");
    assert!(text.contains(&format!("0x{nid:x}")), "{text}");
}

/// `pst check` sorts the allocation check by each issue's severity: a stale density list is a
/// note (readers rebuild it; `--repair` rewrites it) and the check passes; space in use that the
/// AMap marks free is a problem and fails it.
#[test]
fn pst_check_notes_a_torn_density_list_and_fails_on_used_space_marked_free() {
    let Some(f) = testfile("pstsdk/sample1.pst") else { return };
    let dir = tempfile::tempdir().unwrap();
    let sound = std::fs::read(&f).unwrap();
    let copy = dir.path().join("a.pst");
    let path = copy.to_str().unwrap();

    let mut torn = sound.clone();
    torn[0x4200 + 8] ^= 0x5a; // inside the density list page: its CRC no longer matches
    std::fs::write(&copy, &torn).unwrap();
    let (ok, j, text) = ox(&["--json", "pst", "check", path]);
    assert!(ok, "{text}");
    assert_eq!(j["allocation"].as_array().unwrap().len(), 0, "{text}");
    let notes = j["allocation_notes"].as_array().unwrap();
    assert!(notes.len() == 1 && notes[0].as_str().unwrap().starts_with("density list:"), "{text}");
    let (ok, j, text) = ox(&["--json", "pst", "check", "--repair", path]);
    assert!(ok, "{text}");
    assert!(!j["repaired"].as_array().unwrap().is_empty(), "{text}");
    assert_eq!(j["allocation_notes"].as_array().unwrap().len(), 0, "the repair rewrote it: {text}");

    // A byte of the first AMap past its own page that marks 8 used units: cleared.
    let mut marked_free = sound;
    let at = (0x4401..0x4400 + 496).find(|&i| marked_free[i] == 0xff).unwrap();
    marked_free[at] = 0;
    std::fs::write(&copy, &marked_free).unwrap();
    let (ok, j, text) = ox(&["--json", "pst", "check", path]);
    assert!(!ok, "{text}");
    assert_eq!(j["error"]["name"], "MAPI_E_CORRUPT_DATA");
    assert!(text.contains("bytes in use are marked free in the AMap"), "{text}");
}
