//! `--database`, `--node-id` and the database password (issue 16, design §5) with the `oxmapi`
//! binary as a child process: a password given on the serve command line is moved into
//! OXMAPI_DATABASE_PASSWORD by a restart and shown nowhere; the configuration file names the
//! database, its password file and the node; every admin command takes `--database`; and a
//! database nothing answers at is refused with a clear MAPI_E_DISK_ERROR naming it (without its
//! password).

#[allow(dead_code)]
mod common;

use std::process::Output;

use common::{oxmapi, server_url};

/// A port nothing listens on (the discard service).
const NOWHERE: &str = "127.0.0.1:9";

/// Standard output and error, without the log's colour escapes.
fn text(out: &Output) -> String {
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let mut plain = String::with_capacity(all.len());
    let mut chars = all.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            plain.push(c);
        }
    }
    plain
}

fn serve(dir: &std::path::Path, args: &[&str]) -> Output {
    let mut all = vec!["serve", "--listen", "127.0.0.1:0"];
    all.extend_from_slice(args);
    let mut c = oxmapi(dir, &all);
    c.env("RUST_LOG", "info").env_remove("OXMAPI_DATABASE_PASSWORD");
    c.output().unwrap()
}

#[test]
fn a_password_on_the_serve_command_line_is_moved_to_the_environment_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://ox:hunter2@{NOWHERE}/site");
    let out = serve(dir.path(), &["--database", &url]);
    let all = text(&out);
    assert!(!out.status.success());
    assert!(!all.contains("hunter2"), "the password is shown: {all}");
    assert!(all.contains("warning: the database password is on the command line"), "{all}");
    assert!(all.contains("OXMAPI_DATABASE_PASSWORD"), "{all}");
    // The restarted process found the password in the environment, not in its arguments.
    assert!(all.contains("restarting with the password moved to OXMAPI_DATABASE_PASSWORD"), "{all}");
    assert!(all.contains("password from OXMAPI_DATABASE_PASSWORD"), "{all}");
    assert!(all.contains(&format!("postgres://ox:***@{NOWHERE}/site")), "{all}");
    // The `--database=URL` form too.
    let out = serve(dir.path(), &[&format!("--database={url}")]);
    let all = text(&out);
    assert!(!all.contains("hunter2") && all.contains("password from OXMAPI_DATABASE_PASSWORD"), "{all}");
}

#[test]
fn an_unreachable_database_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = serve(dir.path(), &["--database", &format!("postgres://ox@{NOWHERE}/site")]);
    let all = text(&out);
    assert!(!out.status.success());
    assert!(all.contains("MAPI_E_DISK_ERROR") && all.contains("cannot connect to postgres://"), "{all}");
    assert!(!all.contains("warning: the database password"), "no password, no warning: {all}");
    assert!(!dir.path().join("oxmapi-data").join("directory.sqlite").exists(), "no data directory store");
}

#[test]
fn the_config_file_names_the_database_its_password_file_and_the_node() {
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("db-password");
    std::fs::write(&pw, "hunter2\n").unwrap();
    let cfg = dir.path().join("serve.conf");
    std::fs::write(
        &cfg,
        format!(
            "database = \"postgres://ox@{NOWHERE}/site\"\ndatabase-password-file = {}\nnode-id = 7\n",
            pw.display()
        ),
    )
    .unwrap();
    let out = serve(dir.path(), &["--config", cfg.to_str().unwrap()]);
    let all = text(&out);
    assert!(!all.contains("hunter2"), "{all}");
    assert!(all.contains(&format!("password from {}", pw.display())), "{all}");
    assert!(all.contains("node=7"), "{all}");
    assert!(all.contains(&format!("postgres://ox:***@{NOWHERE}/site")), "{all}");
    assert!(all.contains("cannot connect to postgres://"), "{all}");

    std::fs::write(&cfg, "node-id = 65536\n").unwrap();
    let all = text(&serve(dir.path(), &["--config", cfg.to_str().unwrap()]));
    assert!(all.contains("node-id: expected a number from 0 to 65535"), "{all}");
}

#[test]
fn a_node_id_out_of_range_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = serve(dir.path(), &["--node-id", "65536"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn a_server_on_a_data_directory_names_its_node() {
    let dir = tempfile::tempdir().unwrap();
    let (port, log) = (dir.path().join("port"), dir.path().join("serve.log"));
    let data = dir.path().join("data");
    let mut child = oxmapi(
        dir.path(),
        &["serve", "--data", data.to_str().unwrap(), "--node-id", "5", "--listen", "127.0.0.1:0"],
    )
    .arg("--port-file")
    .arg(&port)
    .stderr(std::fs::File::create(&log).unwrap())
    .spawn()
    .unwrap();
    let _url = server_url(&port);
    let _ = child.kill();
    let _ = child.wait();
    let all = std::fs::read_to_string(&log).unwrap();
    assert!(all.contains(&format!("(data {}, node 5)", data.display())), "{all}");
}

#[test]
fn every_admin_command_takes_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://ox@{NOWHERE}/site");
    for cmd in [
        &["user", "list"][..],
        &["get"],
        &["set", "organization", "x"],
        &["sessions", "ls"],
        &["public-folders", "status"],
        &["grant", "full-access", "--mailbox", "a", "--to", "b"],
    ] {
        let mut args = vec!["admin", "--database", &url];
        args.extend_from_slice(cmd);
        let out = oxmapi(dir.path(), &args).env_remove("OXMAPI_DATABASE_PASSWORD").output().unwrap();
        let all = text(&out);
        assert!(all.contains("cannot connect to postgres://"), "{cmd:?}: {all}");
    }
    let out =
        oxmapi(dir.path(), &["admin", "--database", &format!("postgres://ox:hunter2@{NOWHERE}/s"), "get"])
            .output()
            .unwrap();
    let all = text(&out);
    assert!(
        all.contains("warning: the database password is on the command line") && !all.contains("hunter2"),
        "{all}"
    );
    assert!(!dir.path().join("oxmapi-data").exists(), "--database never falls back to ./oxmapi-data");
}

#[test]
fn admin_refuses_data_and_database_together() {
    let dir = tempfile::tempdir().unwrap();
    let out = oxmapi(dir.path(), &["admin", "--data", "d", "--database", "postgres://ox@h/s", "get"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}
