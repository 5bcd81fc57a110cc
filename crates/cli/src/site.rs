//! Where a site's store lives (issue 16, design §5): a data directory of SQLite files, or a
//! PostgreSQL database named by `--database URL` (`oxmapi serve`, `oxmapi admin`) or `database`
//! in the serve configuration file.
//!
//! The database password never has to be on a command line: it comes from the URL only when
//! the user put it there, else from [`PASSWORD_ENV`], else from the file named by the
//! `database-password-file` configuration key (`~/.pgpass` is not read). It is kept apart from
//! the URL ([`DatabaseUrl`]), shown nowhere (every rendering of a URL goes through [`redact`]),
//! and put back into the URL only for the connection itself ([`DatabaseUrl::connection_url`]).
//! [`open_site`] is the one place where a [`StoreLocation`] becomes an open store.

use std::fmt;
use std::path::{Path, PathBuf};

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_store::Site;

/// The environment variable holding the database password (`oxmapi serve`, `oxmapi admin`).
pub const PASSWORD_ENV: &str = "OXMAPI_DATABASE_PASSWORD";

/// What replaces a password wherever a URL is shown.
const REDACTED: &str = "***";

/// URL schemes of a PostgreSQL database (libpq's connection URIs).
const SCHEMES: [&str; 2] = ["postgres://", "postgresql://"];

/// Where the store is.
#[derive(Debug)]
pub enum StoreLocation {
    /// A data directory (which may itself name a database in its `oxmapi.toml`).
    Dir(PathBuf),
    /// A PostgreSQL database.
    Database(DatabaseUrl),
}

impl fmt::Display for StoreLocation {
    /// `data DIR` or `database URL` with the password redacted (for logs and messages).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Dir(p) => write!(f, "data {}", p.display()),
            StoreLocation::Database(db) => write!(f, "database {db}"),
        }
    }
}

/// A password, shown as `***` by `Debug` so that it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The password itself (for the connection only).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Where the database password came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordSource {
    /// No password (trust, peer or certificate authentication).
    None,
    /// The URL (`postgres://user:PASSWORD@…` or `?password=`).
    Url,
    /// [`PASSWORD_ENV`].
    Environment,
    /// The `database-password-file` configuration key.
    File(PathBuf),
}

impl fmt::Display for PasswordSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordSource::None => f.write_str("no password"),
            PasswordSource::Url => f.write_str("password from the URL"),
            PasswordSource::Environment => write!(f, "password from {PASSWORD_ENV}"),
            PasswordSource::File(p) => write!(f, "password from {}", p.display()),
        }
    }
}

/// A validated PostgreSQL URL with its password held apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseUrl {
    /// The URL without any password.
    url: String,
    /// The password, if any.
    pub password: Option<Secret>,
    /// Where the password came from.
    pub source: PasswordSource,
}

impl fmt::Display for DatabaseUrl {
    /// The URL with `***` where the password goes, when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.password {
            Some(_) => f.write_str(&with_password(&self.url, REDACTED)),
            None => f.write_str(&self.url),
        }
    }
}

impl DatabaseUrl {
    /// The URL without the password (what may appear on a command line).
    pub fn without_password(&self) -> &str {
        &self.url
    }

    /// The URL with the password percent-encoded into it: for the database connection only,
    /// never to be shown.
    pub fn connection_url(&self) -> String {
        match &self.password {
            Some(p) => with_password(&self.url, &percent_encode(p.expose())),
            None => self.url.clone(),
        }
    }
}

fn invalid(message: String) -> MapiError {
    MapiError::new(codes::MAPI_E_INVALID_PARAMETER, message)
}

/// The parts of a `postgres://` URL: scheme (with `://`), user info, the rest (host, port,
/// path, query).
struct Parts<'a> {
    scheme: &'a str,
    userinfo: Option<&'a str>,
    rest: &'a str,
}

fn split(url: &str) -> Option<Parts<'_>> {
    let scheme = SCHEMES.iter().find(|s| url.len() >= s.len() && url[..s.len()].eq_ignore_ascii_case(s))?;
    let after = &url[scheme.len()..];
    let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (userinfo, rest) = match after[..authority_end].rfind('@') {
        Some(at) => (Some(&after[..at]), &after[at + 1..]),
        None => (None, after),
    };
    Some(Parts { scheme: &url[..scheme.len()], userinfo, rest })
}

/// `url` (which has no password) with `password` (already encoded) in its user info.
fn with_password(url: &str, password: &str) -> String {
    match split(url) {
        Some(p) => format!("{}{}:{password}@{}", p.scheme, p.userinfo.unwrap_or(""), p.rest),
        None => url.to_string(),
    }
}

/// `url` with every password replaced by `***` (the user info's and a `password=` query
/// parameter's); text that is not a PostgreSQL URL is returned as it is. For every URL shown
/// in a log line, a warning or an error message.
pub fn redact(url: &str) -> String {
    let Some(p) = split(url) else { return url.to_string() };
    let userinfo = match p.userinfo {
        Some(u) => match u.split_once(':') {
            Some((user, _)) => format!("{user}:{REDACTED}@"),
            None => format!("{u}@"),
        },
        None => String::new(),
    };
    let rest = match p.rest.split_once('?') {
        Some((head, query)) => {
            let q: Vec<String> = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}={REDACTED}"),
                    _ => kv.to_string(),
                })
                .collect();
            format!("{head}?{}", q.join("&"))
        }
        None => p.rest.to_string(),
    };
    format!("{}{userinfo}{rest}", p.scheme)
}

/// Parses and validates a database URL, taking the password out of it; without one there,
/// the password is `env_password` ([`PASSWORD_ENV`]), else the content of `password_file`
/// (one trailing newline ignored).
pub fn parse_database(
    url: &str,
    env_password: Option<String>,
    password_file: Option<&Path>,
) -> Result<DatabaseUrl, MapiError> {
    let url = url.trim();
    let shown = redact(url);
    let p = split(url).ok_or_else(|| {
        invalid(format!(
            "--database {shown:?}: expected a PostgreSQL URL, postgres://USER@HOST:PORT/DATABASE"
        ))
    })?;
    if p.rest.is_empty() && p.userinfo.is_none() {
        return Err(invalid(format!("--database {shown:?}: the URL names no server")));
    }
    let (user, mut password) = match p.userinfo {
        Some(u) => match u.split_once(':') {
            Some((user, pw)) => (Some(user), Some(percent_decode(pw, &shown)?)),
            None => (Some(u), None),
        },
        None => (None, None),
    };
    let rest = match p.rest.split_once('?') {
        Some((head, query)) => {
            let mut kept = Vec::new();
            for kv in query.split('&').filter(|kv| !kv.is_empty()) {
                match kv.split_once('=') {
                    Some((k, v)) if k.eq_ignore_ascii_case("password") => {
                        password = Some(percent_decode(v, &shown)?);
                    }
                    _ => kept.push(kv),
                }
            }
            if kept.is_empty() { head.to_string() } else { format!("{head}?{}", kept.join("&")) }
        }
        None => p.rest.to_string(),
    };
    let url = match user {
        Some(user) => format!("{}{user}@{rest}", p.scheme),
        None => format!("{}{rest}", p.scheme),
    };
    let (password, source) = match password {
        Some(pw) => (Some(pw), PasswordSource::Url),
        None => match env_password.filter(|p| !p.is_empty()) {
            Some(pw) => (Some(pw), PasswordSource::Environment),
            None => match password_file {
                Some(f) => (Some(read_password_file(f)?), PasswordSource::File(f.to_path_buf())),
                None => (None, PasswordSource::None),
            },
        },
    };
    Ok(DatabaseUrl { url, password: password.map(Secret), source })
}

/// The password in `path` (one trailing newline ignored); the file must not be empty.
fn read_password_file(path: &Path) -> Result<String, MapiError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        MapiError::new(codes::MAPI_E_NOT_FOUND, format!("database-password-file {}: {e}", path.display()))
    })?;
    let pw = text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&text);
    if pw.is_empty() {
        return Err(invalid(format!("database-password-file {} is empty", path.display())));
    }
    Ok(pw.to_string())
}

fn percent_decode(s: &str, shown: &str) -> Result<String, MapiError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(v) = hex else {
                return Err(invalid(format!("--database {shown:?}: a bad %-escape in the password")));
            };
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid(format!("--database {shown:?}: the password is not UTF-8")))
}

#[allow(dead_code)]
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// True when `url` (as the user typed it) carries a password.
pub fn has_password(url: &str) -> bool {
    redact(url) != url
}

/// The warning for a password given on the command line (visible to every local user in `ps`
/// and `/proc/PID/cmdline` while the process runs).
pub fn command_line_password_warning(url: &str) -> String {
    format!(
        "warning: the database password is on the command line ({}), where every local user can \
         read it (ps, /proc/PID/cmdline); give the URL without it and put the password in \
         {PASSWORD_ENV} or in a file named by database-password-file in the --config file",
        redact(url)
    )
}

/// Opens the store at `loc` — the one place where the CLI turns a location into a store: a data
/// directory (which may itself name a database in its `oxmapi.toml`), or a PostgreSQL database.
/// Call it outside any async runtime: the PostgreSQL driver is synchronous.
pub fn open_site(loc: &StoreLocation) -> Result<Site, MapiError> {
    match loc {
        StoreLocation::Dir(dir) => Ok(Site::open(dir)?),
        StoreLocation::Database(db) => Ok(Site::connect(&db.connection_url())?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_url_is_taken_out_and_wins() {
        let db =
            parse_database("postgres://ox:s3cr%40t@db.example:5432/site", Some("env".into()), None).unwrap();
        assert_eq!(db.without_password(), "postgres://ox@db.example:5432/site");
        assert_eq!(db.password.as_ref().map(Secret::expose), Some("s3cr@t"));
        assert_eq!(db.source, PasswordSource::Url);
        assert_eq!(db.to_string(), "postgres://ox:***@db.example:5432/site");
        assert_eq!(db.connection_url(), "postgres://ox:s3cr%40t@db.example:5432/site");
        assert_eq!(format!("{db:?}").matches("s3cr").count(), 0, "Debug hides it: {db:?}");
    }

    #[test]
    fn a_password_query_parameter_is_taken_out_too() {
        let db = parse_database("postgresql://ox@h/site?sslmode=require&password=pw", None, None).unwrap();
        assert_eq!(db.without_password(), "postgresql://ox@h/site?sslmode=require");
        assert_eq!(db.password.as_ref().map(Secret::expose), Some("pw"));
        assert_eq!(db.connection_url(), "postgresql://ox:pw@h/site?sslmode=require");
    }

    #[test]
    fn the_environment_comes_before_the_password_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "from-file\n").unwrap();
        let db = parse_database("postgres://ox@h/site", Some("from-env".into()), Some(&file)).unwrap();
        assert_eq!(
            (db.password.as_ref().map(Secret::expose), &db.source),
            (Some("from-env"), &PasswordSource::Environment)
        );
        let db = parse_database("postgres://ox@h/site", Some(String::new()), Some(&file)).unwrap();
        assert_eq!(db.password.as_ref().map(Secret::expose), Some("from-file"));
        assert_eq!(db.source, PasswordSource::File(file.clone()));
        let db = parse_database("postgres://ox@h/site", None, None).unwrap();
        assert_eq!((db.password, db.source), (None, PasswordSource::None));
        std::fs::write(&file, "\n").unwrap();
        assert!(
            parse_database("postgres://ox@h/site", None, Some(&file)).unwrap_err().message.contains("empty")
        );
        let missing =
            parse_database("postgres://ox@h/site", None, Some(&dir.path().join("nope"))).unwrap_err();
        assert_eq!(missing.code, codes::MAPI_E_NOT_FOUND);
    }

    #[test]
    fn a_url_that_is_not_postgresql_is_refused_without_showing_its_password() {
        for bad in ["mysql://u:hunter2@h/db", "hunter2", "postgres://", "postgres://u:%zz@h/db"] {
            let e = parse_database(bad, None, None).unwrap_err();
            assert_eq!(e.code, codes::MAPI_E_INVALID_PARAMETER, "{bad}");
            assert!(!e.message.contains("%zz"), "{}", e.message);
        }
        let e = parse_database("postgres://u:hunter2@h/db?password=%zz", None, None).unwrap_err();
        assert!(!e.message.contains("hunter2"), "{}", e.message);
    }

    #[test]
    fn redaction_hides_every_password() {
        assert_eq!(redact("postgres://user:secret@db:5432/site"), "postgres://user:***@db:5432/site");
        assert_eq!(redact("POSTGRESQL://user:a@b@db/site"), "POSTGRESQL://user:***@db/site");
        assert_eq!(
            redact("postgres://db/site?password=x&sslmode=require"),
            "postgres://db/site?password=***&sslmode=require"
        );
        assert_eq!(redact("postgres://user@db/site"), "postgres://user@db/site");
        assert_eq!(redact("/var/lib/oxmapi"), "/var/lib/oxmapi");
        assert!(has_password("postgres://u:p@h/d") && !has_password("postgres://u@h/d"));
        assert!(!command_line_password_warning("postgres://u:hunter2@h/d").contains("hunter2"));
    }

    #[test]
    fn an_unreachable_database_is_refused_with_a_clear_error_and_no_password() {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let db = parse_database("postgres://ox:hunter2@127.0.0.1:1/site", None, None).unwrap();
        let e = open_site(&StoreLocation::Database(db)).unwrap_err();
        assert!(!e.message.contains("hunter2"), "{}", e.message);
        assert!(e.message.contains("127.0.0.1:1"), "names the database: {}", e.message);
        let dir = tempfile::tempdir().unwrap();
        assert!(open_site(&StoreLocation::Dir(dir.path().join("data"))).is_ok());
    }
}
