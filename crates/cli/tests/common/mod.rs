//! Helpers shared by the CLI integration tests.

use std::path::{Path, PathBuf};
use std::process::{Child, Output};
use std::time::{Duration, Instant};

/// Waits (at most 30 s) for `oxmapi serve --port-file FILE` to write its port; the server's
/// base URL.
pub fn server_url(port_file: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let port = loop {
        if let Ok(p) = std::fs::read_to_string(port_file)
            && !p.trim().is_empty()
        {
            break p.trim().to_string();
        }
        assert!(Instant::now() < deadline, "the server did not start within 30 s");
        std::thread::sleep(Duration::from_millis(50));
    };
    format!("http://127.0.0.1:{port}")
}

/// The `oxmapi` binary under test.
pub const OX: &str = env!("CARGO_BIN_EXE_oxmapi");

/// `oxmapi ARGS` run in `dir`, with the client home `dir/client`, no password from the
/// environment, no logging and no standard input.
pub fn oxmapi(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(OX);
    c.args(args)
        .current_dir(dir)
        .env("OXMAPI_HOME", dir.join("client"))
        .env_remove("OXMAPI_PASSWORD")
        .env("RUST_LOG", "off")
        .stdin(std::process::Stdio::null());
    c
}

/// Starts `oxmapi serve` on a free loopback port for the data directory `data`; the child and
/// the server's base URL.
pub fn serve(data: &Path, port_file: &Path) -> (std::process::Child, String) {
    let child = std::process::Command::new(OX)
        .args(["serve", "--data", data.to_str().unwrap(), "--listen", "127.0.0.1:0", "--port-file"])
        .arg(port_file)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starting oxmapi serve");
    let url = server_url(port_file);
    (child, url)
}

/// A temporary site for one test: a directory holding the data directory, the client home and
/// password files, and maybe a running server (killed when the site is dropped).
pub struct Site {
    pub dir: tempfile::TempDir,
    pub server: Option<Child>,
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(mut s) = self.server.take() {
            let _ = s.kill();
            let _ = s.wait();
        }
    }
}

impl Site {
    /// An empty site, no server.
    pub fn new() -> Site {
        Site { dir: tempfile::tempdir().unwrap(), server: None }
    }

    /// `name` inside the site's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `oxmapi ARGS` with this site's client home; waits for it.
    pub fn run(&self, args: &[&str]) -> Output {
        oxmapi(self.dir.path(), args).output().expect("running oxmapi")
    }

    #[allow(dead_code)]
    /// `oxmapi --profile USER --password-file USER.pw ARGS`.
    pub fn as_user(&self, user: &str, args: &[&str]) -> Output {
        let pw = self.path(&format!("{user}.pw"));
        let mut all = vec!["--profile", user, "--password-file", pw.to_str().unwrap()];
        all.extend_from_slice(args);
        self.run(&all)
    }

    #[allow(dead_code)]
    /// Users alice and bob with profiles, and a running server.
    pub fn start() -> Site {
        let mut site = Site::new();
        let data = site.path("data");
        for (u, name) in [("alice", "Alice Archer"), ("bob", "Bob Baker")] {
            let pw = site.path(&format!("{u}.pw"));
            std::fs::write(&pw, format!("Secret-{u}")).unwrap();
            let out = site.run(&[
                "admin",
                "--data",
                data.to_str().unwrap(),
                "user",
                "add",
                u,
                "--display-name",
                name,
                "--password-file",
                pw.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        let (child, url) = serve(&data, &site.path("port"));
        site.server = Some(child);
        for u in ["alice", "bob"] {
            let out = site.run(&["profile", "create", u, "--server", &url, "--user", u]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        site
    }
}

/// A file of the shared test data (`../shared/testdata` beside the checkout), if it is there.
#[allow(dead_code)]
pub fn testfile(rel: &str) -> Option<PathBuf> {
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata");
    [beside, PathBuf::from("/work/shared/testdata")].into_iter().map(|d| d.join(rel)).find(|p| p.exists())
}

/// `oxmapi ARGS` with a throw-away client home: (success, stdout as JSON or Null, stdout and
/// stderr as text); a panic fails the test.
#[allow(dead_code)]
pub fn ox_json(args: &[&str]) -> (bool, serde_json::Value, String) {
    let out =
        std::process::Command::new(OX).args(args).env("OXMAPI_HOME", std::env::temp_dir()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (out.status.success(), json, stdout + &stderr)
}
