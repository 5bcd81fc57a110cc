//! Schema of `directory.sqlite`, one migration per version.
//!
//! Text columns that identify users compare with `COLLATE NOCASE` (ASCII case folding), which is
//! how names, legacy DNs and SMTP addresses are matched.

use crate::sqlite::{FileKind, Migration};

/// `application_id` 'OXMD' and durability: directory writes are rare, so every commit is synced.
pub(crate) const KIND: FileKind =
    FileKind { application_id: 0x4F58_4D44, name: "directory", synchronous: "FULL" };

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    sql: r#"
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    smtp_address  TEXT NOT NULL UNIQUE COLLATE NOCASE,
    legacy_dn     TEXT NOT NULL UNIQUE COLLATE NOCASE,
    mailbox_guid  BLOB NOT NULL UNIQUE CHECK (length(mailbox_guid) = 16),
    password_hash TEXT NOT NULL,               -- argon2id PHC string
    nt_hash       BLOB NOT NULL CHECK (length(nt_hash) = 16), -- MD4(UTF-16LE(password)), for NTLMv2
    enabled       INTEGER NOT NULL DEFAULT 1,
    hidden        INTEGER NOT NULL DEFAULT 0,
    admin         INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL             -- Unix seconds
);
CREATE TABLE grants (
    owner_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    grantee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    access     TEXT NOT NULL,                  -- 'full-access'
    PRIMARY KEY (owner_id, grantee_id, access)
) WITHOUT ROWID;
CREATE INDEX grants_by_grantee ON grants(grantee_id);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"#,
}];
