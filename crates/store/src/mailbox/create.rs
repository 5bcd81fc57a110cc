//! Making a new store file: the store record, the replica map, the special-folder hierarchy
//! (MS-OXOSFLD 3.1.4.1), the special-folder entry-ID properties on the Root and the Inbox
//! (MS-OXOSFLD 2.2.2–2.2.4) and the initial receive folder table (MS-OXCSTOR 3.2.3).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::db::{Conn, params};
use oxmapi_core::catalogue::tags::{
    PR_ADDITIONAL_REN_ENTRYIDS, PR_CONTAINER_CLASS, PR_DISPLAY_NAME, PR_IPM_APPOINTMENT_ENTRYID,
    PR_IPM_CONTACT_ENTRYID, PR_IPM_DRAFTS_ENTRYID, PR_IPM_JOURNAL_ENTRYID, PR_IPM_NOTE_ENTRYID,
    PR_IPM_TASK_ENTRYID,
};
use oxmapi_core::guid::Guid;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::ids::{allocate, folder_entry_id_bytes};
use super::special::{
    ADDITIONAL_REN_FOLDERS, FolderSpec, PRIVATE_HIERARCHY, PUBLIC_HIERARCHY, SpecialFolder,
};
use super::{LOCAL_REPLICA_ID, StoreKind, StoreOwner, schema};
use crate::error::{StoreError, StoreResult};
use crate::{propvalue, sqlite};

/// Builds a complete store in a temporary file next to `path`, then links it into place. The
/// final name appears only once the store is complete, and never replaces an existing file.
pub(crate) fn create_file(
    path: &Path,
    kind: StoreKind,
    mailbox_guid: Guid,
    owner: Option<&StoreOwner>,
) -> StoreResult<()> {
    if path.exists() {
        return Err(StoreError::Collision(format!("store file {} already exists", path.display())));
    }
    let tmp = temp_path(path);
    let result = build(&tmp, kind, mailbox_guid, owner).and_then(|()| {
        std::fs::hard_link(&tmp, path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                StoreError::Collision(format!("store file {} already exists", path.display()))
            }
            _ => StoreError::io_at(path, e),
        })
    });
    let _ = std::fs::remove_file(&tmp);
    result
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("store");
    path.with_file_name(format!(".{name}.{}.creating", Guid::new_random().data1()))
}

fn build(tmp: &Path, kind: StoreKind, mailbox_guid: Guid, owner: Option<&StoreOwner>) -> StoreResult<()> {
    let conn = Conn::Sqlite(sqlite::open_scratch(tmp, schema::KIND, schema::MIGRATIONS)?);
    let tx = sqlite::write_tx(&conn)?;
    populate(&tx, kind, mailbox_guid, owner)?;
    tx.commit()?;
    drop(conn);
    Ok(())
}

/// Fills an empty store (in an open write transaction): the store record, replica 1, the ID
/// counter, the special folders with their entry-id properties and the default receive
/// folders. Both backends create stores with it (on PostgreSQL on a connection scoped to the
/// new mailbox).
pub(super) fn populate(
    tx: &Conn,
    kind: StoreKind,
    mailbox_guid: Guid,
    owner: Option<&StoreOwner>,
) -> StoreResult<()> {
    let now = FileTime::now().0 as i64;
    tx.execute(
        "INSERT INTO store (singleton, kind, mailbox_guid, owner_name, owner_display_name, owner_legacy_dn, \
         owner_smtp_address, created) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            kind.as_str(),
            mailbox_guid.0.to_vec(),
            owner.map(|o| &o.name),
            owner.map(|o| &o.display_name),
            owner.map(|o| &o.legacy_dn),
            owner.map(|o| &o.smtp_address),
            now
        ],
    )?;
    let replica_guid = Guid::new_random();
    tx.execute(
        "INSERT INTO replicas (replica_id, replica_guid) VALUES (?1, ?2)",
        params![LOCAL_REPLICA_ID, replica_guid.0.to_vec()],
    )?;
    tx.execute("INSERT INTO id_counter (singleton, next_counter) VALUES (1, 1)", [])?;

    let hierarchy = match kind {
        StoreKind::Private => PRIVATE_HIERARCHY,
        StoreKind::Public => PUBLIC_HIERARCHY,
    };
    let mut fids: BTreeMap<SpecialFolder, u64> = BTreeMap::new();
    for spec in hierarchy {
        let fid = create_folder(tx, spec, &fids, now)?;
        fids.insert(spec.which, fid);
    }
    if kind == StoreKind::Private {
        let eid = |f: SpecialFolder| folder_entry_id_bytes(kind, mailbox_guid, replica_guid, fids[&f]);
        let mut props: Vec<(PropTag, PropValue)> = [
            (PR_IPM_APPOINTMENT_ENTRYID, SpecialFolder::Calendar),
            (PR_IPM_CONTACT_ENTRYID, SpecialFolder::Contacts),
            (PR_IPM_JOURNAL_ENTRYID, SpecialFolder::Journal),
            (PR_IPM_NOTE_ENTRYID, SpecialFolder::Notes),
            (PR_IPM_TASK_ENTRYID, SpecialFolder::Tasks),
            (PR_IPM_DRAFTS_ENTRYID, SpecialFolder::Drafts),
        ]
        .into_iter()
        .map(|(tag, f)| (tag, PropValue::Binary(eid(f))))
        .collect();
        props.push((
            PR_ADDITIONAL_REN_ENTRYIDS,
            PropValue::MvBinary(ADDITIONAL_REN_FOLDERS.map(eid).to_vec()),
        ));
        for holder in [SpecialFolder::Root, SpecialFolder::Inbox] {
            for (tag, value) in &props {
                put_folder_prop(tx, fids[&holder], *tag, value)?;
            }
        }
        // The Calendar's Default entry: Exchange's "Availability only" (FreeBusySimple; gromox's
        // mkprivate gives the same, MS-OXCPERM 2.2.7 names the flag): anyone may read the
        // owner's free/busy times, nothing else — it grants no logon (`RightsOf::any`).
        tx.execute(
            "INSERT INTO folder_permissions (fid, member_id, member_guid, rights) VALUES (?1, ?2, NULL, ?3)",
            params![
                fids[&SpecialFolder::Calendar] as i64,
                super::permissions::DEFAULT_MEMBER,
                super::permissions::rights::FREE_BUSY_SIMPLE as i64
            ],
        )?;
        let inbox = fids[&SpecialFolder::Inbox] as i64;
        let root = fids[&SpecialFolder::Root] as i64;
        for (class, fid) in [("", inbox), ("IPM", inbox), ("REPORT.IPM", inbox), ("IPC", root)] {
            tx.execute(
                "INSERT INTO receive_folders (message_class, fid, modified) VALUES (?1, ?2, ?3)",
                params![class, fid, now],
            )?;
        }
    }
    Ok(())
}

fn create_folder(
    conn: &Conn,
    spec: &FolderSpec,
    fids: &BTreeMap<SpecialFolder, u64>,
    now: i64,
) -> StoreResult<u64> {
    let fid = allocate(conn, 1)?;
    let cn = allocate(conn, 1)?;
    let parent = spec.parent.map(|p| fids[&p] as i64);
    conn.execute(
        "INSERT INTO folders (fid, parent_fid, folder_type, special, change_number, created, modified) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![fid as i64, parent, spec.folder_type, spec.which.code(), cn as i64, now],
    )?;
    if !spec.name.is_empty() {
        put_folder_prop(conn, fid, PR_DISPLAY_NAME, &PropValue::Unicode(spec.name.into()))?;
    }
    if let Some(class) = spec.class {
        put_folder_prop(conn, fid, PR_CONTAINER_CLASS, &PropValue::Unicode(class.into()))?;
    }
    Ok(fid)
}

/// Stores one folder property (replacing any value with the same property id).
pub(crate) fn put_folder_prop(conn: &Conn, fid: u64, tag: PropTag, value: &PropValue) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO folder_properties (fid, propid, proptype, value) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (/*mbx,*/ fid, propid) DO UPDATE SET proptype = ?3, value = ?4",
        params![fid as i64, tag.id(), value.prop_type() as u16, propvalue::to_sql(value)],
    )?;
    Ok(())
}
