//! Schema of `directory.sqlite`, one migration per version.
//!
//! Text columns that identify users compare with `COLLATE NOCASE` (ASCII case folding), which is
//! how names, legacy DNs and SMTP addresses are matched.

use crate::sqlite::{FileKind, Migration};

/// `application_id` 'OXMD' and durability: directory writes are rare, so every commit is synced.
pub(crate) const KIND: FileKind =
    FileKind { application_id: 0x4F58_4D44, name: "directory", synchronous: "FULL" };

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
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
    },
    Migration { version: 2, sql: AUTHZ_GENERATION },
    Migration { version: 3, sql: SESSIONS },
    Migration { version: 4, sql: QUOTAS },
    Migration { version: 5, sql: MAILBOX_LOGONS },
];

/// Version 5: when each user last logged on to their own mailbox and when that session ended
/// (`super::logons`): PidTagLastLogonTime / PidTagLastLogoffTime of the administrator's mailbox
/// table (IExchangeManageStore::GetMailboxTable; edkmdb.h `pidAdminMin+0x12`, `+0x13`). Unix
/// seconds; a row appears at a user's first logon. Not counted in the authorisation generation.
const MAILBOX_LOGONS: &str = r#"
CREATE TABLE mailbox_logons (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    last_logon  INTEGER NOT NULL,
    last_logoff INTEGER
);
"#;

/// Version 4: per-user mailbox quotas (`super::quotas`, `oxmapi admin user quota`): a row
/// overrides the site's settings for one user. Each column is NULL (the site setting), -1 (no
/// limit) or a size in KiB — PidTagProhibitSendQuota, PidTagProhibitReceiveQuota and
/// PidTagStorageQuotaLimit (the warning level) of MS-OXCSTOR 2.2.2.1.1.
const QUOTAS: &str = r#"
CREATE TABLE quotas (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    send_kb    INTEGER CHECK (send_kb IS NULL OR send_kb >= -1),
    receive_kb INTEGER CHECK (receive_kb IS NULL OR receive_kb >= -1),
    warning_kb INTEGER CHECK (warning_kb IS NULL OR warning_kb >= -1)
);
"#;

/// Version 3: the server's live session contexts (`super::sessions`), so that `oxmapi admin
/// sessions ls|kill` works from another process. `killed` marks a context an administrator
/// ended; the running server ends it within its authorisation poll.
const SESSIONS: &str = r#"
CREATE TABLE sessions (
    id                 TEXT PRIMARY KEY,
    user               TEXT NOT NULL COLLATE NOCASE,
    endpoint           TEXT NOT NULL,           -- 'emsmdb' | 'nspi'
    client_application TEXT NOT NULL,
    client_version     TEXT NOT NULL,
    address            TEXT NOT NULL,
    created            INTEGER NOT NULL,        -- Unix seconds
    last_activity      INTEGER NOT NULL,        -- Unix seconds
    killed             INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user);
"#;

/// Version 2: the authorisation generation (`super::authz`). One row whose counter moves, in
/// the same transaction, with every change that can take a right away or change a credential:
/// a grant given or withdrawn, a user enabled, disabled, hidden, shown, made or unmade an
/// administrator, renamed, given a new password, or deleted. Triggers do the counting, so no
/// write path (the admin CLI, the server, a future one) can forget it.
const AUTHZ_GENERATION: &str = r#"
CREATE TABLE authz (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO authz (id, generation) VALUES (1, 1);
CREATE TRIGGER authz_user_changed AFTER UPDATE OF
    name, legacy_dn, smtp_address, mailbox_guid, password_hash, nt_hash, enabled, hidden, admin ON users
BEGIN UPDATE authz SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER authz_user_deleted AFTER DELETE ON users
BEGIN UPDATE authz SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER authz_grant_added AFTER INSERT ON grants
BEGIN UPDATE authz SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER authz_grant_removed AFTER DELETE ON grants
BEGIN UPDATE authz SET generation = generation + 1 WHERE id = 1; END;
"#;
