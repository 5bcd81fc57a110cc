//! The server's log when it is not written to a terminal (a file, a pipe, the journal): plain
//! text without colour codes, and the start-up line said once — as a log line when the log
//! shows INFO, plainly when logging is off.

mod common;

use std::process::{Command, Stdio};

use common::{OX, server_url};

/// Starts `oxmapi serve` with its standard error in a file and RUST_LOG as given, waits until
/// it listens, stops it; what it wrote to standard error.
fn serve_log(rust_log: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let err = dir.path().join("err.log");
    let port = dir.path().join("port");
    let mut child = Command::new(OX)
        .args(["serve", "--data", dir.path().join("data").to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .arg("--port-file")
        .arg(&port)
        .env("RUST_LOG", rust_log)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    server_url(&port);
    // The start-up line is written right after the port file.
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::read_to_string(&err).unwrap()
}

#[test]
fn the_log_in_a_file_has_no_colour_codes_and_says_it_listens_once() {
    let log = serve_log("info");
    assert!(!log.contains('\u{1b}'), "no ANSI escape in a log that is not a terminal:\n{log}");
    assert_eq!(log.matches("listening").count(), 1, "{log}");
    assert!(log.contains(" INFO "), "{log}");
    let quiet = serve_log("off");
    assert_eq!(
        quiet.lines().filter(|l| l.starts_with("oxmapi serve: listening on http://127.0.0.1:")).count(),
        1,
        "{quiet}"
    );
}
