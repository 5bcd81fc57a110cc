//! Schema of a message store file (`mailboxes/<guid>.sqlite`, `public.sqlite`), one migration
//! per version.
//!
//! Identifiers: every folder and message this store creates belongs to replica 1, so the `fid`,
//! `mid` and `change_number` columns hold the 48-bit global counter (MS-OXCDATA 2.2.1.1) and the
//! replica GUID comes from `replicas`. Property tables hold `(propid, proptype, value)` with one
//! value per property id; see `propvalue.rs` for the value encoding. Times are FILETIME integers.
//!
//! Version 1 made `messages` and `message_properties` so folder counts work. Version 2 adds the
//! message contents (MS-OXCMSG): see [`V2`] for the layout and the reasons behind it. Version 3
//! adds the submission queue and the delivery record (MS-OXOMSG): see [`V3`]. Version 4 adds
//! search folders (MS-OXCFOLD 2.2.1.4): see [`V4`]. Version 5 adds the denormalised sort keys
//! of index-backed contents tables (MS-OXCTABL 3.2.5.3): see [`V5`]. Version 6 adds per-folder
//! message counters kept by triggers, so counts cost O(log n) instead of O(folder): see [`V6`].
//! Version 7 makes a delivery worker's claim on a submission a lease, so the queue survives the
//! death of the node holding it: see [`V7`]. Version 8 adds the per-folder permission lists
//! (MS-OXCPERM): see [`V8`]. Version 9 adds server-side rules: see [`V9`]. Version 10 adds
//! the per-user read state of public folders (MS-OXCSTOR): see [`V10`].

use crate::sqlite::{FileKind, Migration};

/// `application_id` 'OXMS'. WAL with `synchronous=NORMAL`: every write commits before the call
/// returns and survives a crash of the process; a power loss can lose the last commits. Message
/// saves, deletes, moves, copies and read-flag changes run with `synchronous=FULL` for their
/// transaction (see `messages/mod.rs`), so an acknowledged message survives a power loss too.
pub(crate) const KIND: FileKind =
    FileKind { application_id: 0x4F58_4D53, name: "message store", synchronous: "NORMAL" };

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
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
    },
    Migration { version: 2, sql: V2 },
    Migration { version: 3, sql: V3 },
    Migration { version: 4, sql: V4 },
    Migration { version: 5, sql: V5 },
    Migration { version: 6, sql: V6 },
    Migration { version: 7, sql: V7 },
    Migration { version: 8, sql: V8 },
    Migration { version: 9, sql: V9 },
    Migration { version: 10, sql: V10 },
];

/// Schema version 2: message contents (MS-OXCMSG 2.2; streams MS-OXCPRPT 2.2.14–2.2.21).
///
/// * `messages` is rebuilt: `fid` becomes nullable and `parent_attach` names the attachment an
///   embedded message belongs to (exactly one of the two is set), so embedded messages share
///   the property, recipient and attachment tables of top-level ones and are deleted with their
///   attachment by cascade. `flags` keeps PR_MESSAGE_FLAGS (the `read` column mirrors
///   MSGFLAG_READ for PR_CONTENT_UNREAD); `delivery_time`, `normalized_subject` and
///   `message_class` are copies of PR_MESSAGE_DELIVERY_TIME, PR_NORMALIZED_SUBJECT and
///   PR_MESSAGE_CLASS maintained on every save, so contents tables sort and filter on indexed
///   columns without reading `message_properties` (`modified` is PR_LAST_MODIFICATION_TIME);
///   the indexes `(fid, associated, soft_deleted, delivery_time)` and `(…, modified)` serve the
///   folder lookups and the two common sorts.
///   A rebuild of a parent table drops its children's rows by cascade, so `message_properties`
///   is rebuilt first and renamed after (SQLite rewrites the foreign keys on rename).
/// * `recipients`: one row per recipient (MS-OXCMSG 2.2.3.5 `RowId`), the row's properties
///   encoded as one MS-OXCDATA 2.11.4 TaggedPropertyValue list (32-bit counts). Recipient rows
///   are always read and replaced whole (RopModifyRecipients replaces a row, RopReadRecipients
///   and RopOpenMessage return whole rows), so one blob per row is one B-tree lookup instead of
///   ~15, and the encoding is the one oxmapi-wire round-trips and fuzzes.
/// * `attachments` (MS-OXCMSG 2.2.2) with `attachment_properties` like `message_properties`.
/// * Large values: a string or binary value whose stream form (UTF-16LE for PtypString) is
///   larger than 32 KiB lives in `blobs`, split into `blob_chunks` of 64 KiB; the property row
///   then holds `blob_id` and a NULL `value`. Chunks can be read and written one at a time, grow
///   and shrink (RopSetStreamSize) and are copied inside SQLite, so a 25 MB attachment never
///   needs to be in memory. Blobs are immutable once referenced (`pending = 0`) and shared by
///   copies of a message; streams write into `pending` blobs owned by a `workspace` (one open
///   message and its attachments) that become permanent when the message is saved.
/// * Unreferenced blobs: deleting or replacing a property row that names a blob (directly or by
///   cascade, e.g. when a folder is deleted) records the blob in `blob_orphans` via triggers;
///   a sweep at the end of every message transaction (`Durability::Full`) deletes the orphans
///   nothing references any more, and pending blobs older than a day (drafts never released).
pub(crate) const V2: &str = r#"
-- `messages_v2` references `attachments`, which must exist before rows go in; it references
-- `messages` by name, which is the rebuilt table once renamed.
CREATE TABLE attachments (
    attach_id   INTEGER PRIMARY KEY,
    mid         INTEGER NOT NULL REFERENCES messages(mid) ON DELETE CASCADE,
    attach_num  INTEGER NOT NULL,                    -- PR_ATTACH_NUM
    attach_size INTEGER NOT NULL DEFAULT 0,          -- PR_ATTACH_SIZE
    created     INTEGER NOT NULL,
    modified    INTEGER NOT NULL,
    UNIQUE (mid, attach_num)
);
CREATE TABLE messages_v2 (
    mid                INTEGER PRIMARY KEY,
    fid                INTEGER REFERENCES folders(fid) ON DELETE CASCADE,
    parent_attach      INTEGER REFERENCES attachments(attach_id) ON DELETE CASCADE,
    associated         INTEGER NOT NULL DEFAULT 0,   -- FAI
    change_number      INTEGER NOT NULL,
    message_size       INTEGER NOT NULL DEFAULT 0,
    read               INTEGER NOT NULL DEFAULT 0,
    soft_deleted       INTEGER NOT NULL DEFAULT 0,
    created            INTEGER NOT NULL,             -- PR_CREATION_TIME
    modified           INTEGER NOT NULL,             -- PR_LAST_MODIFICATION_TIME
    flags              INTEGER NOT NULL DEFAULT 0,   -- PR_MESSAGE_FLAGS
    delivery_time      INTEGER,                      -- PR_MESSAGE_DELIVERY_TIME
    normalized_subject TEXT,                         -- PR_NORMALIZED_SUBJECT
    message_class      TEXT,                         -- PR_MESSAGE_CLASS
    CHECK ((fid IS NULL) <> (parent_attach IS NULL))
);
INSERT INTO messages_v2 (mid, fid, associated, change_number, message_size, read, soft_deleted, created,
                         modified, flags)
    SELECT mid, fid, associated, change_number, message_size, read, soft_deleted, created, modified,
           CASE WHEN read THEN 1 ELSE 0 END FROM messages;
CREATE TABLE message_properties_v2 (
    mid      INTEGER NOT NULL REFERENCES messages_v2(mid) ON DELETE CASCADE,
    propid   INTEGER NOT NULL,
    proptype INTEGER NOT NULL,
    value,
    blob_id  INTEGER,                                -- set for a large value (value is NULL)
    PRIMARY KEY (mid, propid)
) WITHOUT ROWID;
INSERT INTO message_properties_v2 (mid, propid, proptype, value)
    SELECT mid, propid, proptype, value FROM message_properties;
DROP TABLE message_properties;
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;
ALTER TABLE message_properties_v2 RENAME TO message_properties;
UPDATE messages SET
    delivery_time = (SELECT value FROM message_properties p WHERE p.mid = messages.mid AND p.propid = 3590),
    normalized_subject = (SELECT value FROM message_properties p WHERE p.mid = messages.mid AND p.propid = 3613),
    message_class = (SELECT value FROM message_properties p WHERE p.mid = messages.mid AND p.propid = 26);
-- (fid, associated, soft_deleted) lookups use the prefix of these two.
CREATE INDEX messages_by_delivery_time ON messages(fid, associated, soft_deleted, delivery_time);
CREATE INDEX messages_by_modified ON messages(fid, associated, soft_deleted, modified);
CREATE INDEX messages_by_parent_attach ON messages(parent_attach);
CREATE INDEX message_properties_blobs ON message_properties(blob_id) WHERE blob_id IS NOT NULL;

CREATE TABLE recipients (
    mid            INTEGER NOT NULL REFERENCES messages(mid) ON DELETE CASCADE,
    row_id         INTEGER NOT NULL,                 -- PR_ROWID
    recipient_type INTEGER NOT NULL,                 -- PR_RECIPIENT_TYPE
    props          BLOB NOT NULL,                    -- TaggedPropertyValue list
    PRIMARY KEY (mid, row_id)
) WITHOUT ROWID;

CREATE TABLE attachment_properties (
    attach_id INTEGER NOT NULL REFERENCES attachments(attach_id) ON DELETE CASCADE,
    propid    INTEGER NOT NULL,
    proptype  INTEGER NOT NULL,
    value,
    blob_id   INTEGER,
    PRIMARY KEY (attach_id, propid)
) WITHOUT ROWID;
CREATE INDEX attachment_properties_blobs ON attachment_properties(blob_id) WHERE blob_id IS NOT NULL;

CREATE TABLE blobs (
    blob_id   INTEGER PRIMARY KEY,
    size      INTEGER NOT NULL DEFAULT 0,
    pending   INTEGER NOT NULL DEFAULT 1,            -- 1 while only a draft or stream uses it
    workspace INTEGER,                               -- the draft that owns a pending blob
    created   INTEGER NOT NULL                       -- FILETIME
);
CREATE INDEX blobs_pending ON blobs(workspace) WHERE pending = 1;
CREATE TABLE blob_chunks (
    blob_id INTEGER NOT NULL REFERENCES blobs(blob_id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,                        -- bytes [seq * 65536, (seq + 1) * 65536)
    data    BLOB NOT NULL,
    PRIMARY KEY (blob_id, seq)
);
CREATE TABLE blob_orphans (blob_id INTEGER PRIMARY KEY);
CREATE TRIGGER message_properties_blob_deleted AFTER DELETE ON message_properties
    WHEN old.blob_id IS NOT NULL
    BEGIN INSERT OR IGNORE INTO blob_orphans (blob_id) VALUES (old.blob_id); END;
CREATE TRIGGER message_properties_blob_replaced AFTER UPDATE OF blob_id ON message_properties
    WHEN old.blob_id IS NOT NULL AND old.blob_id IS NOT new.blob_id
    BEGIN INSERT OR IGNORE INTO blob_orphans (blob_id) VALUES (old.blob_id); END;
CREATE TRIGGER attachment_properties_blob_deleted AFTER DELETE ON attachment_properties
    WHEN old.blob_id IS NOT NULL
    BEGIN INSERT OR IGNORE INTO blob_orphans (blob_id) VALUES (old.blob_id); END;
CREATE TRIGGER attachment_properties_blob_replaced AFTER UPDATE OF blob_id ON attachment_properties
    WHEN old.blob_id IS NOT NULL AND old.blob_id IS NOT new.blob_id
    BEGIN INSERT OR IGNORE INTO blob_orphans (blob_id) VALUES (old.blob_id); END;
"#;

/// Schema version 3: message submission and local delivery (MS-OXOMSG 3.2.5.1–3.2.5.2).
///
/// * `submissions`: the outgoing queue of this mailbox. RopSubmitMessage adds a row (and sets
///   MSGFLAG_SUBMITTED) in the same transaction; the server's delivery worker sets `claimed`
///   when it starts on it (from then on RopAbortSubmit answers ecUnableToAbort) and deletes the
///   row in the transaction that moves the original to Sent Items. `AUTOINCREMENT` keeps ids
///   unique for the life of the file: `(mailbox GUID, submission_id)` names a submission in
///   other mailboxes' `deliveries`, so an id must never be reused.
/// * `submission_progress`: which targets (a recipient mailbox GUID, or `ndr` for the sender's
///   non-delivery report) a submission has been delivered to, so a resumed worker skips them.
/// * `deliveries`: in a recipient's mailbox, which submissions were delivered here (written in
///   the delivery's own transaction), so a worker that crashed after delivering but before
///   recording its progress never delivers twice.
pub(crate) const V3: &str = r#"
CREATE TABLE submissions (
    submission_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mid           INTEGER NOT NULL UNIQUE REFERENCES messages(mid) ON DELETE CASCADE,
    submitted     INTEGER NOT NULL,                  -- FILETIME (PR_CLIENT_SUBMIT_TIME)
    submit_flags  INTEGER NOT NULL,                  -- RopSubmitMessage SubmitFlags
    claimed       INTEGER NOT NULL DEFAULT 0         -- the delivery worker started on it
);
CREATE TABLE submission_progress (
    submission_id INTEGER NOT NULL REFERENCES submissions(submission_id) ON DELETE CASCADE,
    target        TEXT NOT NULL,                     -- recipient mailbox GUID, or 'ndr'
    PRIMARY KEY (submission_id, target)
) WITHOUT ROWID;
CREATE TABLE deliveries (
    source_guid   BLOB NOT NULL CHECK (length(source_guid) = 16), -- the sender's mailbox GUID
    submission_id INTEGER NOT NULL,                  -- submissions.submission_id there
    kind          INTEGER NOT NULL,                  -- 0 the message, 1 a non-delivery report
    mid           INTEGER NOT NULL,                  -- what was delivered
    delivered     INTEGER NOT NULL,                  -- FILETIME
    PRIMARY KEY (source_guid, submission_id, kind)
) WITHOUT ROWID;
"#;

/// Schema version 4: search folders (MS-OXCFOLD 2.2.1.4 RopSetSearchCriteria, 3.2.5.4).
///
/// * `search_folders`: the criteria of a search folder (a `folders` row with `folder_type` 2)
///   once RopSetSearchCriteria gave it some: the restriction in its MS-OXCDATA 2.12 wire form
///   (ROP form, Unicode strings), the scope as the FolderIds of the request (8 bytes each,
///   little-endian, the wire order of MS-OXCDATA 2.2.1.1), and the state: `recursive`
///   (RECURSIVE_SEARCH), `static_search` (STATIC_SEARCH) and `running` (not stopped).
/// * `search_results`: the messages a static or stopped search found when it last ran; a
///   running dynamic search is evaluated when its contents are read and keeps no rows here.
///   The messages stay where they are: a row is a link, removed with its message or search
///   folder by cascade.
pub(crate) const V4: &str = r#"
CREATE TABLE search_folders (
    fid           INTEGER PRIMARY KEY REFERENCES folders(fid) ON DELETE CASCADE,
    restriction   BLOB NOT NULL,
    scope         BLOB NOT NULL,
    recursive     INTEGER NOT NULL,
    static_search INTEGER NOT NULL,
    running       INTEGER NOT NULL
);
CREATE TABLE search_results (
    fid INTEGER NOT NULL REFERENCES search_folders(fid) ON DELETE CASCADE,
    mid INTEGER NOT NULL REFERENCES messages(mid) ON DELETE CASCADE,
    PRIMARY KEY (fid, mid)
) WITHOUT ROWID;
CREATE INDEX search_results_by_mid ON search_results(mid);
"#;

/// Schema version 5: denormalised sort keys for index-backed contents tables (MS-OXCTABL
/// 3.2.5.3 RopSortTable, 3.2.5.4 RopRestrict; `messages/sort_keys.rs` says what they hold and
/// who keeps them up to date).
///
/// * `messages` gains the folded text keys `k_subject`, `k_normalized_subject`,
///   `k_sender_name`, `k_sent_representing_name`, `k_display_to`, `k_conversation_topic`,
///   `k_message_class` and the integer keys `importance`, `flag_status`, `client_submit_time`
///   (`delivery_time` of v2 is kept and now computed the same way).
/// * One index `(fid, associated, soft_deleted, key)` per sortable key (the rowid, the MID,
///   ends every index entry, so ties come out in MID order); `delivery_time` and `modified`
///   have theirs since v2. `messages_by_folder` `(fid, associated, soft_deleted)` lists a
///   folder in MID order (the unsorted view). Queries name their index (`INDEXED BY`): with
///   so many indexes sharing the folder prefix, SQLite may otherwise pick one that does not
///   give the view order and sort the whole folder.
/// * `pending_sort_keys` lists the messages that existed before the upgrade; opening the store
///   computes their keys in Rust (the folding is `char::to_lowercase`, which SQLite's `lower()`
///   is not) and empties it.
pub(crate) const V5: &str = r#"
ALTER TABLE messages ADD COLUMN k_subject TEXT;
ALTER TABLE messages ADD COLUMN k_normalized_subject TEXT;
ALTER TABLE messages ADD COLUMN k_sender_name TEXT;
ALTER TABLE messages ADD COLUMN k_sent_representing_name TEXT;
ALTER TABLE messages ADD COLUMN k_display_to TEXT;
ALTER TABLE messages ADD COLUMN k_conversation_topic TEXT;
ALTER TABLE messages ADD COLUMN k_message_class TEXT;
ALTER TABLE messages ADD COLUMN importance INTEGER;
ALTER TABLE messages ADD COLUMN flag_status INTEGER;
ALTER TABLE messages ADD COLUMN client_submit_time INTEGER;
CREATE INDEX messages_by_subject ON messages(fid, associated, soft_deleted, k_subject);
CREATE INDEX messages_by_normalized_subject ON messages(fid, associated, soft_deleted, k_normalized_subject);
CREATE INDEX messages_by_sender_name ON messages(fid, associated, soft_deleted, k_sender_name);
CREATE INDEX messages_by_sent_representing_name
    ON messages(fid, associated, soft_deleted, k_sent_representing_name);
CREATE INDEX messages_by_display_to ON messages(fid, associated, soft_deleted, k_display_to);
CREATE INDEX messages_by_conversation_topic ON messages(fid, associated, soft_deleted, k_conversation_topic);
CREATE INDEX messages_by_message_class ON messages(fid, associated, soft_deleted, k_message_class);
CREATE INDEX messages_by_importance ON messages(fid, associated, soft_deleted, importance);
CREATE INDEX messages_by_flag_status ON messages(fid, associated, soft_deleted, flag_status);
CREATE INDEX messages_by_client_submit_time ON messages(fid, associated, soft_deleted, client_submit_time);
CREATE INDEX messages_by_created ON messages(fid, associated, soft_deleted, created);
CREATE INDEX messages_by_size ON messages(fid, associated, soft_deleted, message_size);
CREATE INDEX messages_by_folder ON messages(fid, associated, soft_deleted);
CREATE TABLE pending_sort_keys (mid INTEGER PRIMARY KEY);
INSERT INTO pending_sort_keys (mid) SELECT mid FROM messages;
"#;

/// Schema version 6: per-folder message counters (PidTagContentCount, PidTagContentUnreadCount,
/// PidTagAssociatedContentCount, PidTagMessageSize of a folder, MS-OXCFOLD 2.2.2.2.1, and the
/// RowCount of RopGetContentsTable, MS-OXCFOLD 2.2.1.14), so a save, move or delete and a
/// contents-table open cost O(log n) instead of counting the folder.
///
/// * `folder_counts`: per `(fid, associated, soft_deleted)` of `messages` (top-level messages
///   only: embedded ones have no `fid`), the number of messages (`total`), of those with
///   `read = 0` (`unread`; `read` mirrors MSGFLAG_READ of `flags`, see [`V2`]) and the sum of
///   their `message_size` (`size`). It equals `SELECT count(*), sum(read = 0),
///   sum(message_size) … GROUP BY fid, associated, soft_deleted` at every commit; a group
///   whose messages all left keeps a row of zeros. No foreign key: a hard-deleted folder's
///   rows go with it by the `folders` trigger, in whatever order SQLite runs the cascade that
///   deletes its messages (their trigger only updates existing rows).
/// * Triggers on `messages` keep it exact: INSERT adds the new row to its group, DELETE takes
///   the old one from its group, and an UPDATE of a counted column takes the old row out and
///   puts the new one in. Writes never `INSERT OR REPLACE` messages (a REPLACE deletes without
///   firing delete triggers unless `recursive_triggers` is on).
/// * The migration backfills the counters from the messages already there.
pub(crate) const V6: &str = r#"
CREATE TABLE folder_counts (
    fid          INTEGER NOT NULL,
    associated   INTEGER NOT NULL,
    soft_deleted INTEGER NOT NULL,
    total        INTEGER NOT NULL DEFAULT 0,
    unread       INTEGER NOT NULL DEFAULT 0,
    size         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (fid, associated, soft_deleted)
) WITHOUT ROWID;
INSERT INTO folder_counts (fid, associated, soft_deleted, total, unread, size)
    SELECT fid, associated, soft_deleted, count(*), sum(read = 0), sum(message_size)
    FROM messages WHERE fid IS NOT NULL GROUP BY fid, associated, soft_deleted;
CREATE TRIGGER folder_counts_insert AFTER INSERT ON messages WHEN new.fid IS NOT NULL
BEGIN
    INSERT INTO folder_counts (fid, associated, soft_deleted, total, unread, size)
        VALUES (new.fid, new.associated, new.soft_deleted, 1, new.read = 0, new.message_size)
        ON CONFLICT (fid, associated, soft_deleted) DO UPDATE SET
            total = total + 1, unread = unread + excluded.unread, size = size + excluded.size;
END;
CREATE TRIGGER folder_counts_delete AFTER DELETE ON messages WHEN old.fid IS NOT NULL
BEGIN
    UPDATE folder_counts
        SET total = total - 1, unread = unread - (old.read = 0), size = size - old.message_size
        WHERE fid = old.fid AND associated = old.associated AND soft_deleted = old.soft_deleted;
END;
CREATE TRIGGER folder_counts_update
    AFTER UPDATE OF fid, associated, soft_deleted, read, message_size ON messages
    WHEN old.fid IS NOT new.fid OR old.associated IS NOT new.associated
        OR old.soft_deleted IS NOT new.soft_deleted OR old.read IS NOT new.read
        OR old.message_size IS NOT new.message_size
BEGIN
    UPDATE folder_counts
        SET total = total - 1, unread = unread - (old.read = 0), size = size - old.message_size
        WHERE old.fid IS NOT NULL
          AND fid = old.fid AND associated = old.associated AND soft_deleted = old.soft_deleted;
    INSERT INTO folder_counts (fid, associated, soft_deleted, total, unread, size)
        SELECT new.fid, new.associated, new.soft_deleted, 1, new.read = 0, new.message_size
        WHERE new.fid IS NOT NULL
        ON CONFLICT (fid, associated, soft_deleted) DO UPDATE SET
            total = total + 1, unread = unread + excluded.unread, size = size + excluded.size;
END;
CREATE TRIGGER folder_counts_folder_deleted AFTER DELETE ON folders
BEGIN
    DELETE FROM folder_counts WHERE fid = old.fid;
END;
"#;

/// Schema version 7: delivery leases (the claim on a queued submission is held for a time by one
/// node of the site, `mailbox::delivery::lease`).
///
/// * `submissions.claimed_by`: the node (`oxmapi serve --node-id`) whose delivery worker holds
///   the submission now; NULL when none does.
/// * `submissions.lease_until`: until when no other node may claim it, in milliseconds since the
///   Unix epoch on the database's clock: the holder's lease (renewed while it works), or the
///   pause after a failed run; NULL when it was never claimed. A node that dies holding a
///   submission leaves a lease that runs out, and another node resumes the submission then.
/// * `claimed` keeps its meaning (a worker started on it, RopAbortSubmit refuses).
pub(crate) const V7: &str = r#"
ALTER TABLE submissions ADD COLUMN claimed_by INTEGER;  -- the node holding the claim
ALTER TABLE submissions ADD COLUMN lease_until INTEGER; -- Unix ms, database clock
"#;

/// Schema version 8: the permission list of every folder (MS-OXCPERM 2.2.4–2.2.7, 3.2.4.1).
///
/// * One row per member the owner gave rights on a folder: `member_id` is PidTagMemberId
///   (MS-OXCPERM 2.2.5: 0 the Default entry, -1 (0xFFFFFFFFFFFFFFFF) the Anonymous entry, any
///   other value assigned by the store, unique within the folder's list), `member_guid` the
///   directory user's mailbox GUID (NULL exactly for the two reserved entries: a user is matched
///   by a GUID that is never reused, not by a directory row id that can be), `rights`
///   PidTagMemberRights (2.2.7).
/// * A folder without a row for Default or Anonymous lists them with no rights (0).
/// * Rows go with their folder (a hard-deleted folder's list is gone with it).
pub(crate) const V8: &str = r#"
CREATE TABLE folder_permissions (
    fid         INTEGER NOT NULL REFERENCES folders(fid) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL,
    member_guid BLOB CHECK (member_guid IS NULL OR length(member_guid) = 16),
    rights      INTEGER NOT NULL,
    PRIMARY KEY (fid, member_id),
    CHECK ((member_id IN (0, -1)) = (member_guid IS NULL))
) WITHOUT ROWID;
CREATE UNIQUE INDEX folder_permissions_by_member ON folder_permissions(fid, member_guid);
CREATE INDEX folder_permissions_of_member ON folder_permissions(member_guid);
"#;

/// Schema version 9: server-side rules (MS-OXORULE 2.2.1, `crate::mailbox::rules`) and the
/// out-of-office reply-once list (MS-OXORULE 3.2.5.1.2 OP_OOF_REPLY: one automatic reply per
/// sender while the mailbox is out of office).
///
/// * `rules`: one standard rule of a folder. `rule_id` is the counter part of PidTagRuleId
///   (replica 1), `sequence` PidTagRuleSequence, `state` PidTagRuleState, `props` every other
///   rule property as a TaggedPropertyValue list in the ROP form.
/// * `oof_replies`: the senders (lower-case SMTP or EX address) who were sent an automatic
///   reply in the current out-of-office period; emptied when out of office is turned on.
pub(crate) const V9: &str = r#"
CREATE TABLE rules (
    rule_id  INTEGER PRIMARY KEY,
    fid      INTEGER NOT NULL REFERENCES folders(fid) ON DELETE CASCADE,
    sequence INTEGER NOT NULL,
    state    INTEGER NOT NULL,
    props    BLOB NOT NULL
);
CREATE INDEX rules_by_folder ON rules (fid, sequence);
CREATE TABLE oof_replies (
    sender  TEXT PRIMARY KEY,
    replied INTEGER NOT NULL
) WITHOUT ROWID;
"#;

/// Schema version 10: the per-user read state of public folders (MS-OXCSTOR 2.2.1.12–2.2.1.13,
/// 3.2.5.12–3.2.5.13, `crate::mailbox::per_user`).
///
/// * One row per user and public folder: `user_guid` the mailbox GUID of the user the row is
///   for (in a private mailbox, the mailbox's own: "the per-user data table for the mailbox"),
///   `folder` the folder's LongTermId (24 bytes, MS-OXCDATA 2.2.1.3.1; a long-term id rather
///   than a folder id because in a private mailbox it names a folder of the public store),
///   `repl_guid` the REPLGUID the client gave (RopGetPerUserGuid, RopGetPerUserLongTermIds),
///   `data` the serialized IDSET with REPLGUID (MS-OXCFXICS 2.2.2.4.2) of the change numbers
///   the user has read, `modified` when it was last written (FILETIME).
pub(crate) const V10: &str = r#"
CREATE TABLE per_user_data (
    user_guid BLOB NOT NULL CHECK (length(user_guid) = 16),
    folder    BLOB NOT NULL CHECK (length(folder) = 24),
    repl_guid BLOB NOT NULL CHECK (length(repl_guid) = 16),
    data      BLOB NOT NULL,
    modified  INTEGER NOT NULL,
    PRIMARY KEY (user_guid, folder)
) WITHOUT ROWID;
CREATE INDEX per_user_data_by_repl_guid ON per_user_data (user_guid, repl_guid);
"#;
