//! Schema of a message store file (`mailboxes/<guid>.sqlite`, `public.sqlite`), one migration
//! per version.
//!
//! Identifiers: every folder and message this store creates belongs to replica 1, so the `fid`,
//! `mid` and `change_number` columns hold the 48-bit global counter (MS-OXCDATA 2.2.1.1) and the
//! replica GUID comes from `replicas`. Property tables hold `(propid, proptype, value)` with one
//! value per property id; see `propvalue.rs` for the value encoding. Times are FILETIME integers.
//!
//! `messages` and `message_properties` are in place so folder counts work; recipients,
//! attachments and streams arrive with their own migration.

use crate::sqlite::{FileKind, Migration};

/// `application_id` 'OXMS'. WAL with `synchronous=NORMAL`: every write commits before the call
/// returns and survives a crash of the process; a power loss can lose the last commits.
pub(crate) const KIND: FileKind =
    FileKind { application_id: 0x4F58_4D53, name: "message store", synchronous: "NORMAL" };

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    sql: r#"
CREATE TABLE store (
    singleton          INTEGER PRIMARY KEY CHECK (singleton = 1),
    kind               TEXT NOT NULL CHECK (kind IN ('private', 'public')),
    mailbox_guid       BLOB NOT NULL CHECK (length(mailbox_guid) = 16),
    owner_name         TEXT,
    owner_display_name TEXT,
    owner_legacy_dn    TEXT,
    owner_smtp_address TEXT,
    created            INTEGER NOT NULL         -- FILETIME
);
-- REPLID <-> REPLGUID map (MS-OXCSTOR 3.2.5.8-3.2.5.9); replica 1 is this store's own database.
CREATE TABLE replicas (
    replica_id   INTEGER PRIMARY KEY CHECK (replica_id BETWEEN 1 AND 65535),
    replica_guid BLOB NOT NULL UNIQUE CHECK (length(replica_guid) = 16)
);
-- Next free global counter of replica 1, shared by FIDs, MIDs and change numbers.
CREATE TABLE id_counter (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    next_counter INTEGER NOT NULL CHECK (next_counter >= 1)
);
CREATE TABLE store_properties (
    propid   INTEGER PRIMARY KEY,
    proptype INTEGER NOT NULL,
    value
);
CREATE TABLE folders (
    fid           INTEGER PRIMARY KEY,
    parent_fid    INTEGER REFERENCES folders(fid),
    folder_type   INTEGER NOT NULL,             -- PR_FOLDER_TYPE
    special       INTEGER UNIQUE,               -- SpecialFolder code
    change_number INTEGER NOT NULL,
    created       INTEGER NOT NULL,
    modified      INTEGER NOT NULL,
    soft_deleted  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX folders_by_parent ON folders(parent_fid);
CREATE TABLE folder_properties (
    fid      INTEGER NOT NULL REFERENCES folders(fid) ON DELETE CASCADE,
    propid   INTEGER NOT NULL,
    proptype INTEGER NOT NULL,
    value,
    PRIMARY KEY (fid, propid)
) WITHOUT ROWID;
CREATE TABLE messages (
    mid           INTEGER PRIMARY KEY,
    fid           INTEGER NOT NULL REFERENCES folders(fid) ON DELETE CASCADE,
    associated    INTEGER NOT NULL DEFAULT 0,   -- FAI
    change_number INTEGER NOT NULL,
    message_size  INTEGER NOT NULL DEFAULT 0,
    read          INTEGER NOT NULL DEFAULT 0,
    soft_deleted  INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL,
    modified      INTEGER NOT NULL
);
CREATE INDEX messages_by_folder ON messages(fid, associated, soft_deleted);
CREATE TABLE message_properties (
    mid      INTEGER NOT NULL REFERENCES messages(mid) ON DELETE CASCADE,
    propid   INTEGER NOT NULL,
    proptype INTEGER NOT NULL,
    value,
    PRIMARY KEY (mid, propid)
) WITHOUT ROWID;
-- Named property map (MS-OXCPRPT 3.2.5.8): ids 0x8000-0xFFFE.
CREATE TABLE named_properties (
    propid INTEGER PRIMARY KEY CHECK (propid BETWEEN 32768 AND 65534),
    guid   BLOB NOT NULL CHECK (length(guid) = 16),
    kind   INTEGER NOT NULL CHECK (kind IN (0, 1)), -- 0 MNID_ID, 1 MNID_STRING
    lid    INTEGER,
    name   TEXT,
    UNIQUE (guid, lid),
    UNIQUE (guid, name)
);
-- Receive folder table (MS-OXCSTOR 3.2.5.3).
CREATE TABLE receive_folders (
    message_class TEXT PRIMARY KEY COLLATE NOCASE,
    fid           INTEGER NOT NULL REFERENCES folders(fid),
    modified      INTEGER NOT NULL
) WITHOUT ROWID;
"#,
}];
