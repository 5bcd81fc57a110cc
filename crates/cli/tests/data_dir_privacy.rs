//! A data directory made by `oxmapi admin` (issue 14 item 11): private directories whatever the
//! umask, and user names that are not path components. The `oxmapi` binary runs as a child
//! process.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

const OX: &str = env!("CARGO_BIN_EXE_oxmapi");

/// `oxmapi ARGS` under `umask MASK` (set by the shell that execs it).
fn oxmapi_with_umask(mask: &str, cwd: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {mask} && exec \"$0\" \"$@\""))
        .arg(OX)
        .args(args)
        .current_dir(cwd)
        .env("OXMAPI_HOME", cwd.join("home"))
        .output()
        .expect("running oxmapi")
}

/// Every directory under `root` (itself included) with its mode bits.
fn directories(root: &Path) -> Vec<(String, u32)> {
    let mut out =
        vec![(root.display().to_string(), std::fs::metadata(root).unwrap().permissions().mode() & 0o777)];
    for e in std::fs::read_dir(root).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(directories(&p));
        }
    }
    out
}

/// Under `umask 000`, `admin user add` left the data directory and `mailboxes/` 0777 (files
/// inside were 0600). Every directory oxmapi creates is 0700 now, whatever the umask.
#[test]
fn a_data_directory_made_under_umask_000_is_private() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("pw"), "Secret-1\n").unwrap();
    let args = ["admin", "--data", "site/data", "user", "add", "zed", "--password-file", "pw"];
    let out = oxmapi_with_umask("000", t.path(), &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dirs = directories(&t.path().join("site"));
    assert!(dirs.len() >= 3, "{dirs:?}");
    assert!(dirs.iter().all(|(_, mode)| *mode == 0o700), "{dirs:?}");
}

/// `.` and `..` were accepted as user names; they are refused, the message and the hint state
/// the rule (the hint used to talk about RopLogon).
#[test]
fn dot_and_dot_dot_are_refused_as_user_names() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("pw"), "Secret-1\n").unwrap();
    for name in [".", ".."] {
        let out = oxmapi_with_umask(
            "022",
            t.path(),
            &["admin", "--data", "d", "user", "add", name, "--password-file", "pw"],
        );
        assert!(!out.status.success(), "{name:?} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("MAPI_E_INVALID_PARAMETER (0x80070057): invalid user name"), "{err}");
        assert!(err.contains("hint: a user name has 1 to 64 characters"), "{err}");
        assert!(!err.contains("RopLogon"), "{err}");
    }
    let out = oxmapi_with_umask("022", t.path(), &["admin", "--data", "d", "user", "list"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("name: ."), "no such user was made");
}
