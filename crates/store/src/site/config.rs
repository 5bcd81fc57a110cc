//! `oxmapi.toml` in a data directory: which database the site lives in.
//!
//! The file is optional. Its one setting is `database = "postgres://user@host:port/db"`:
//! with it, the data directory only points at a PostgreSQL site. The format is the subset of
//! TOML this needs — blank lines, `#` comments, and `key = "string"` lines — read by a small
//! parser that refuses anything else with the line number, so a typo is never silently
//! ignored.

use std::path::Path;

use crate::error::{StoreError, StoreResult};

/// File name of a data directory's site configuration.
pub const SITE_CONFIG_FILE: &str = "oxmapi.toml";

/// What `oxmapi.toml` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteConfig {
    /// `database`: the PostgreSQL URL of the site.
    pub database: Option<String>,
}

impl SiteConfig {
    /// Reads `root/oxmapi.toml`; the default (a site of files) when there is none.
    pub fn read(root: &Path) -> StoreResult<SiteConfig> {
        let path = root.join(SITE_CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => SiteConfig::parse(&text)
                .map_err(|why| StoreError::InvalidParameter(format!("{}: {why}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SiteConfig::default()),
            Err(e) => Err(StoreError::io_at(&path, e)),
        }
    }

    /// Parses the text of an `oxmapi.toml`.
    pub fn parse(text: &str) -> Result<SiteConfig, String> {
        let mut config = SiteConfig::default();
        for (n, line) in text.lines().enumerate() {
            let n = n + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| format!("line {n}: expected key = \"value\", found {line:?}"))?;
            let (key, value) =
                (key.trim(), string_value(value.trim()).map_err(|why| format!("line {n}: {why}"))?);
            match key {
                "database" => {
                    if config.database.is_some() {
                        return Err(format!("line {n}: database is set twice"));
                    }
                    check_database_url(&value).map_err(|e| format!("line {n}: {e}"))?;
                    config.database = Some(value);
                }
                _ => return Err(format!("line {n}: unknown setting {key:?} (the only setting is database)")),
            }
        }
        Ok(config)
    }
}

/// The string of a `"…"` value (basic TOML string with `\"` and `\\` escapes), a trailing
/// `# comment` allowed.
fn string_value(v: &str) -> Result<String, String> {
    let rest =
        v.strip_prefix('"').ok_or_else(|| format!("the value must be a quoted string, found {v:?}"))?;
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let tail = rest[i + 1..].trim();
                if !tail.is_empty() && !tail.starts_with('#') {
                    return Err(format!("unexpected {tail:?} after the value"));
                }
                return Ok(out);
            }
            '\\' => match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                _ => return Err("only \\\" and \\\\ escapes are allowed".into()),
            },
            c => out.push(c),
        }
    }
    Err("the string has no closing quote".into())
}

/// Checks that `url` is a PostgreSQL URL.
pub(crate) fn check_database_url(url: &str) -> StoreResult<()> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(())
    } else {
        Err(StoreError::InvalidParameter(format!(
            "database {:?} is not a PostgreSQL URL (postgres://user@host:port/database)",
            crate::db::pg::redacted(url)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_line_names_the_site() {
        let c = SiteConfig::parse("# site\n\ndatabase = \"postgres://ox@db:5432/mail\"  # shared\n").unwrap();
        assert_eq!(c.database.as_deref(), Some("postgres://ox@db:5432/mail"));
        assert_eq!(SiteConfig::parse("").unwrap(), SiteConfig::default());
    }

    #[test]
    fn malformed_files_are_refused_with_the_line() {
        for (text, why) in [
            ("database = postgres://x", "quoted string"),
            ("database = \"postgres://x", "closing quote"),
            ("database = \"postgres://x\" extra", "after the value"),
            ("databse = \"postgres://x\"", "unknown setting"),
            ("database = \"sqlite:///x\"", "not a PostgreSQL URL"),
            ("database \"postgres://x\"", "expected key"),
            ("database = \"postgres://a\"\ndatabase = \"postgres://b\"", "line 2: database is set twice"),
        ] {
            let e = SiteConfig::parse(text).unwrap_err();
            assert!(e.contains(why) && e.starts_with("line "), "{text:?}: {e}");
        }
    }
}
