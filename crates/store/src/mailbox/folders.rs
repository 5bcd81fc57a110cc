//! Folder operations (MS-OXCFOLD 3.2.5): RopCreateFolder (3.2.5.2), RopDeleteFolder (3.2.5.3),
//! RopMoveFolder (3.2.5.7), RopCopyFolder (3.2.5.8), RopEmptyFolder (3.2.5.9) and
//! RopHardDeleteMessagesAndSubfolders (3.2.5.10), plus lookups by display name and path and the
//! rows of a hierarchy table (RopGetHierarchyTable, 3.2.5.13).
//!
//! Display names of sibling folders are unique, compared case-insensitively (Unicode lowercase).
//! Soft-deleted folders and messages are invisible here: they neither collide with new names nor
//! count as contents. Soft-deleting a folder marks its whole subtree and the messages in it.
//! Every write runs in one immediate SQLite transaction that commits before the call returns and
//! then announces what it did (MS-OXCNOTIF 2.2.1.4.1.2): fnevObjectCreated for a new folder,
//! fnevObjectDeleted for each folder and message a delete or an empty removes, fnevObjectMoved /
//! fnevObjectCopied for a moved or copied folder (one event for its whole subtree), and the new
//! counts of an emptied folder.

use crate::db::{Conn, OptionalExt, params};
use oxmapi_core::catalogue::tags::{
    PR_COMMENT, PR_CONTAINER_CLASS, PR_DELETED_ON, PR_DEPTH, PR_DISPLAY_NAME, PR_LAST_MODIFICATION_TIME,
    PR_SUBFOLDERS,
};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::commit::Durability;
use super::counts::group_counts;
use super::create::put_folder_prop;
use super::events::StoreEvent;
use super::ids::allocate;
use super::messages::{Loc, copy_message_rows};
use super::{LOCAL_REPLICA_ID, MessageStore};
use crate::constants::folder_type::FOLDER_SEARCH;
use crate::error::{StoreError, StoreResult};
use crate::propvalue;

/// PidTagFolderChildCount / PR_FOLDER_CHILD_COUNT (0x66380003): the number of subfolders
/// [MS-OXPROPS 2.697; MS-OXCFOLD 2.2.2.2.1.12]. Belongs in the core catalogue.
pub(crate) const PR_FOLDER_CHILD_COUNT: PropTag = PropTag(0x6638_0003);

/// `FolderType` of RopCreateFolder (MS-OXCFOLD 2.2.1.2.1): the folder types a client may create.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum FolderType {
    /// FOLDER_GENERIC (1): an ordinary folder.
    Generic = 1,
    /// FOLDER_SEARCH (2): a search folder.
    Search = 2,
}

impl TryFrom<u8> for FolderType {
    type Error = StoreError;
    fn try_from(v: u8) -> StoreResult<FolderType> {
        match v {
            1 => Ok(FolderType::Generic),
            2 => Ok(FolderType::Search),
            _ => Err(StoreError::InvalidParameter(format!(
                "folder type {v} cannot be created (1 = FOLDER_GENERIC, 2 = FOLDER_SEARCH)"
            ))),
        }
    }
}

/// `DeleteFolderFlags` of RopDeleteFolder (MS-OXCFOLD 2.2.1.3.1).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Debug)]
pub struct DeleteFolderFlags {
    /// DEL_MESSAGES (0x01): delete the messages too (else a folder with messages is refused).
    pub del_messages: bool,
    /// DEL_FOLDERS (0x04): delete the subfolders too (else a folder with subfolders is refused).
    pub del_folders: bool,
    /// DELETE_HARD_DELETE (0x10): remove the rows instead of soft deleting them.
    pub hard_delete: bool,
}

impl DeleteFolderFlags {
    /// DEL_MESSAGES.
    pub const DEL_MESSAGES: u8 = 0x01;
    /// DEL_FOLDERS.
    pub const DEL_FOLDERS: u8 = 0x04;
    /// DELETE_HARD_DELETE.
    pub const DELETE_HARD_DELETE: u8 = 0x10;

    /// The flags of a request byte; other bits are ignored.
    pub fn from_bits(bits: u8) -> DeleteFolderFlags {
        DeleteFolderFlags {
            del_messages: bits & Self::DEL_MESSAGES != 0,
            del_folders: bits & Self::DEL_FOLDERS != 0,
            hard_delete: bits & Self::DELETE_HARD_DELETE != 0,
        }
    }
}

/// One row of a hierarchy table (MS-OXCFOLD 3.2.5.13): a folder, its place in the walk and its
/// counts. [`MessageStore::hierarchy_row_properties`] gives the row's full property set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HierarchyRow {
    /// The folder.
    pub fid: ObjectId,
    /// Its parent.
    pub parent: ObjectId,
    /// PR_DEPTH: 1 for children of the folder the table belongs to, 2 for grandchildren …
    /// (relative to that folder, which would be depth 0).
    pub depth: u32,
    /// PR_DISPLAY_NAME (empty when unset).
    pub display_name: String,
    /// PR_CONTENT_COUNT: normal messages.
    pub content_count: u32,
    /// PR_CONTENT_UNREAD: normal messages not read.
    pub unread_count: u32,
    /// PR_ASSOC_CONTENT_COUNT: FAI messages.
    pub assoc_count: u32,
    /// PR_FOLDER_CHILD_COUNT: subfolders (PR_SUBFOLDERS is `child_count > 0`).
    pub child_count: u32,
    /// The folder is soft-deleted (a row of a SoftDeletes hierarchy table).
    pub soft_deleted: bool,
}

/// A folder row that is not soft-deleted.
struct Live {
    fid: i64,
    parent: Option<i64>,
    folder_type: u32,
    special: bool,
}

/// The folders of the subtree rooted at `?1` (itself included, soft-deleted ones too). (`?1` is
/// cast: PostgreSQL would type a bare parameter in a select list as text.)
const SUBTREE: &str = "WITH RECURSIVE sub(fid) AS (SELECT CAST(?1 AS BIGINT) UNION ALL \
     SELECT f.fid FROM folders f JOIN sub ON f.parent_fid = sub.fid) SELECT fid FROM sub";

/// The live folders of the live subtree rooted at `?1`.
const LIVE_SUBTREE: &str = "WITH RECURSIVE sub(fid) AS (SELECT CAST(?1 AS BIGINT) UNION ALL \
     SELECT f.fid FROM folders f JOIN sub ON f.parent_fid = sub.fid WHERE f.soft_deleted = 0) \
     SELECT fid FROM sub";

fn now() -> i64 {
    FileTime::now().0 as i64
}

fn oid(counter: i64) -> ObjectId {
    ObjectId::new(LOCAL_REPLICA_ID, counter as u64)
}

fn not_found(fid: ObjectId) -> StoreError {
    StoreError::NotFound(format!("no folder {fid} in this store"))
}

/// MAPI_E_HAS_MESSAGES (0x8004060A).
fn has_messages(what: &str) -> StoreError {
    StoreError::HasMessages(format!("{what} has messages; set DEL_MESSAGES to delete them with it"))
}

/// MAPI_E_HAS_FOLDERS (0x80040609).
fn has_folders(what: &str) -> StoreError {
    StoreError::HasFolders(format!("{what} has subfolders; set DEL_FOLDERS to delete them with it"))
}

/// MAPI_E_FOLDER_CYCLE (0x8004060B). StoreError has no variant for it yet.
fn folder_cycle(fid: ObjectId, dst: ObjectId) -> StoreError {
    StoreError::InvalidParameter(format!(
        "folder {dst} is {fid} or lies inside it (MAPI_E_FOLDER_CYCLE): a folder cannot be moved or \
         copied into its own subtree"
    ))
}

fn live_folder(conn: &Conn, fid: ObjectId) -> StoreResult<Live> {
    if fid.replica_id != LOCAL_REPLICA_ID || fid.global_counter == 0 {
        return Err(not_found(fid));
    }
    let f = fid.global_counter as i64;
    conn.query_row(
        "SELECT parent_fid, folder_type, special FROM folders WHERE fid = ?1 AND soft_deleted = 0",
        [f],
        |r| {
            Ok(Live {
                fid: f,
                parent: r.get(0)?,
                folder_type: r.get(1)?,
                special: r.get::<_, Option<i64>>(2)?.is_some(),
            })
        },
    )
    .optional()?
    .ok_or_else(|| not_found(fid))
}

/// `fid`, which must be a live subfolder of the live folder `parent`.
fn child_of(conn: &Conn, parent: ObjectId, fid: ObjectId) -> StoreResult<Live> {
    let p = live_folder(conn, parent)?;
    let f = live_folder(conn, fid)?;
    if f.parent != Some(p.fid) {
        return Err(StoreError::NotFound(format!("folder {fid} is not a subfolder of {parent}")));
    }
    Ok(f)
}

/// Search folders hold no subfolders (NotSupported).
fn check_not_search(l: &Live) -> StoreResult<()> {
    match l.folder_type {
        FOLDER_SEARCH => Err(StoreError::NotSupported(format!(
            "folder {} is a search folder and cannot have subfolders",
            oid(l.fid)
        ))),
        _ => Ok(()),
    }
}

/// Special folders stay where they are (AccessDenied).
fn check_not_special(l: &Live, verb: &str) -> StoreResult<()> {
    if l.special {
        return Err(StoreError::AccessDenied(format!(
            "folder {} is a special folder and cannot be {verb}",
            oid(l.fid)
        )));
    }
    Ok(())
}

fn check_name(name: &str) -> StoreResult<()> {
    if name.is_empty() {
        return Err(StoreError::InvalidParameter("a folder name cannot be empty".into()));
    }
    if name.contains('\0') {
        return Err(StoreError::InvalidParameter(format!("folder name {name:?} contains a NUL character")));
    }
    Ok(())
}

/// Display names compare case-insensitively, Unicode-aware.
fn same_name(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// The live subfolders of `parent` with their display names, in creation order.
fn named_children(conn: &Conn, parent: i64) -> StoreResult<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT f.fid, p.proptype, p.value FROM folders f LEFT JOIN folder_properties p \
         ON p.fid = f.fid AND p.propid = ?2 WHERE f.parent_fid = ?1 AND f.soft_deleted = 0 ORDER BY f.fid",
    )?;
    let mut rows = stmt.query(params![parent, PR_DISPLAY_NAME.id()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push((r.get(0)?, name_of(r.get(1)?, r.get_ref(2)?)?));
    }
    Ok(out)
}

fn name_of(proptype: Option<i64>, v: crate::db::ValueRef<'_>) -> StoreResult<String> {
    let Some(t) = proptype else { return Ok(String::new()) };
    let tv = propvalue::from_row(PR_DISPLAY_NAME.id() as i64, t, v)?;
    Ok(tv.value.as_text().map(|s| s.into_owned()).unwrap_or_default())
}

fn find_child(conn: &Conn, parent: i64, name: &str, except: Option<i64>) -> StoreResult<Option<i64>> {
    Ok(named_children(conn, parent)?
        .into_iter()
        .find(|(f, n)| Some(*f) != except && same_name(n, name))
        .map(|(f, _)| f))
}

fn display_name(conn: &Conn, f: i64) -> StoreResult<String> {
    let row: Option<(i64, crate::db::Value)> = conn
        .query_row(
            "SELECT proptype, value FROM folder_properties WHERE fid = ?1 AND propid = ?2",
            params![f, PR_DISPLAY_NAME.id()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((t, v)) => name_of(Some(t), (&v).into()),
        None => Ok(String::new()),
    }
}

/// Checks that no sibling of `except` under `parent` is called `name` (MAPI_E_COLLISION). Also
/// meant for properties.rs: writing PR_DISPLAY_NAME must not duplicate a sibling's name.
pub(crate) fn check_sibling_name(
    conn: &Conn,
    parent: i64,
    name: &str,
    except: Option<i64>,
) -> StoreResult<()> {
    match find_child(conn, parent, name, except)? {
        Some(_) => Err(StoreError::Collision(format!(
            "a folder named {name:?} already exists in folder {}",
            oid(parent)
        ))),
        None => Ok(()),
    }
}

/// Inserts a folder row with a new FID and change number.
fn insert_folder(conn: &Conn, parent: i64, folder_type: u32, now: i64) -> StoreResult<i64> {
    let fid = allocate(conn, 1)? as i64;
    let cn = allocate(conn, 1)? as i64;
    conn.execute(
        "INSERT INTO folders (fid, parent_fid, folder_type, change_number, created, modified) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![fid, parent, folder_type, cn, now],
    )?;
    Ok(fid)
}

/// Gives a folder a new change number and modification time.
fn touch(conn: &Conn, f: i64, now: i64) -> StoreResult<()> {
    let cn = allocate(conn, 1)? as i64;
    conn.execute("UPDATE folders SET change_number = ?1, modified = ?2 WHERE fid = ?3", params![cn, now, f])?;
    Ok(())
}

fn count(conn: &Conn, sql: &str, f: i64) -> StoreResult<i64> {
    Ok(conn.query_row(sql, [f], |r| r.get(0))?)
}

/// Refuses to remove a subtree holding a special folder or a receive folder.
fn check_removable(conn: &Conn, f: i64) -> StoreResult<()> {
    let special: Option<i64> = conn
        .query_row(
            &format!("SELECT fid FROM folders WHERE special IS NOT NULL AND fid IN ({SUBTREE})"),
            [f],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(s) = special {
        return Err(StoreError::AccessDenied(format!(
            "folder {} is a special folder and cannot be deleted",
            oid(s)
        )));
    }
    let class: Option<(String, i64)> = conn
        .query_row(
            &format!("SELECT message_class, fid FROM receive_folders WHERE fid IN ({SUBTREE})"),
            [f],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((class, s)) = class {
        return Err(StoreError::AccessDenied(format!(
            "folder {} is the receive folder of message class {class:?}; set another receive folder first",
            oid(s)
        )));
    }
    Ok(())
}

/// fnevObjectDeleted for each live folder of the live subtree rooted at `f` and each live message
/// in them: a folder's messages before the folder, subfolders before their parents.
fn subtree_deleted(conn: &Conn, f: i64) -> StoreResult<Vec<StoreEvent>> {
    let folders: Vec<(i64, Option<i64>)> = conn
        .prepare(
            "WITH RECURSIVE sub(fid, parent, depth) AS (\
               SELECT fid, parent_fid, 0 FROM folders WHERE fid = ?1 AND soft_deleted = 0 UNION ALL \
               SELECT f.fid, f.parent_fid, sub.depth + 1 FROM folders f JOIN sub ON f.parent_fid = sub.fid \
               WHERE f.soft_deleted = 0) \
             SELECT fid, parent FROM sub ORDER BY depth DESC, fid",
        )?
        .query_map([f], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut events = Vec::new();
    for (folder, parent) in folders {
        events.extend(messages_deleted(conn, folder, "")?);
        events.push(StoreEvent::Deleted {
            fid: oid(folder),
            mid: None,
            parent_fid: oid(parent.unwrap_or(folder)),
            associated: false,
        });
    }
    Ok(events)
}

/// fnevObjectDeleted for each live message of folder `f` matching the SQL condition `and`.
fn messages_deleted(conn: &Conn, f: i64, and: &str) -> StoreResult<Vec<StoreEvent>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT mid, associated FROM messages WHERE fid = ?1 AND soft_deleted = 0{and} ORDER BY mid"
    ))?;
    let mids = stmt.query_map([f], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?)))?;
    mids.map(|m| {
        let (m, associated) = m?;
        Ok(StoreEvent::Deleted { fid: oid(f), mid: Some(oid(m)), parent_fid: oid(f), associated })
    })
    .collect()
}

/// Deletes the subtree rooted at `f` (itself included): hard removes the rows (folder and message
/// properties go by ON DELETE CASCADE), soft marks folders and messages soft-deleted. Returns the
/// deletion events of the live objects removed ([`subtree_deleted`]).
fn remove_subtree(conn: &Conn, f: i64, hard: bool, now: i64) -> StoreResult<Vec<StoreEvent>> {
    let events = subtree_deleted(conn, f)?;
    if hard {
        conn.execute(&format!("DELETE FROM messages WHERE fid IN ({SUBTREE})"), [f])?;
        conn.execute(&format!("DELETE FROM folders WHERE fid IN ({SUBTREE})"), [f])?;
    } else {
        conn.execute(
            &format!("UPDATE messages SET soft_deleted = 1 WHERE soft_deleted = 0 AND fid IN ({SUBTREE})"),
            [f],
        )?;
        conn.execute(
            &format!("UPDATE folders SET soft_deleted = 1, modified = ?2 WHERE fid IN ({SUBTREE})"),
            params![f, now],
        )?;
    }
    Ok(events)
}

/// Copies the live top-level messages of folder `src` (normal and FAI) into `dst` with new MIDs
/// and change numbers, with everything below them (messages module's deep copy).
fn copy_messages(conn: &Conn, src: i64, dst: i64, now: i64) -> StoreResult<()> {
    let mids: Vec<i64> = conn
        .prepare("SELECT mid FROM messages WHERE fid = ?1 AND soft_deleted = 0 ORDER BY mid")?
        .query_map([src], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for mid in mids {
        copy_message_rows(conn, mid as u64, Loc::Folder(dst as u64), now as u64)?;
    }
    Ok(())
}

/// Copies folder `src` under `dst_parent` (properties, messages and, when `recursive`, the live
/// subtree), naming the copy `name`. Returns the new FID.
fn copy_tree(conn: &Conn, src: &Live, dst_parent: i64, name: &str, recursive: bool) -> StoreResult<i64> {
    let now = now();
    let mut stack = vec![(src.fid, src.folder_type, dst_parent)];
    let mut top = None;
    while let Some((from, ty, under)) = stack.pop() {
        let new = insert_folder(conn, under, ty, now)?;
        conn.execute(
            "INSERT INTO folder_properties (fid, propid, proptype, value) \
             SELECT ?1, propid, proptype, value FROM folder_properties WHERE fid = ?2",
            params![new, from],
        )?;
        copy_messages(conn, from, new, now)?;
        if top.is_none() {
            top = Some(new);
            put_folder_prop(conn, new as u64, PR_DISPLAY_NAME, &PropValue::Unicode(name.into()))?;
            if !recursive {
                break;
            }
        }
        let mut stmt = conn
            .prepare("SELECT fid, folder_type FROM folders WHERE parent_fid = ?1 AND soft_deleted = 0 ORDER BY fid DESC")?;
        let kids = stmt.query_map([from], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?)))?;
        for k in kids {
            let (f, t) = k?;
            stack.push((f, t, new));
        }
    }
    top.ok_or_else(|| StoreError::Failed("folder copy produced nothing".into()))
}

impl MessageStore {
    /// RopCreateFolder (MS-OXCFOLD 3.2.5.2): creates folder `name` under `parent` with
    /// PR_DISPLAY_NAME, PR_COMMENT and PR_CONTAINER_CLASS (the last two only when given), a new
    /// FID, change number and creation time. A sibling with the same name (case-insensitively) is
    /// a [`StoreError::Collision`] (MAPI_E_COLLISION), unless `open_existing`, which returns that
    /// folder and `true`. A missing parent is NotFound; an empty name InvalidParameter; a search
    /// folder cannot have subfolders (NotSupported).
    pub fn create_folder(
        &self,
        parent: ObjectId,
        name: &str,
        comment: Option<&str>,
        container_class: Option<&str>,
        folder_type: FolderType,
        open_existing: bool,
    ) -> StoreResult<(ObjectId, bool)> {
        check_name(name)?;
        self.write(Durability::Normal, |tx| {
            let p = live_folder(tx, parent)?;
            check_not_search(&p)?;
            if let Some(existing) = find_child(tx, p.fid, name, None)? {
                if open_existing {
                    return Ok((oid(existing), true));
                }
                return Err(StoreError::Collision(format!(
                    "a folder named {name:?} already exists in folder {parent}"
                )));
            }
            let f = insert_folder(tx, p.fid, folder_type as u32, now())?;
            put_folder_prop(tx, f as u64, PR_DISPLAY_NAME, &PropValue::Unicode(name.into()))?;
            if let Some(c) = comment {
                put_folder_prop(tx, f as u64, PR_COMMENT, &PropValue::Unicode(c.into()))?;
            }
            if let Some(c) = container_class {
                put_folder_prop(tx, f as u64, PR_CONTAINER_CLASS, &PropValue::Unicode(c.into()))?;
            }
            self.record(StoreEvent::Created {
                fid: oid(f),
                mid: None,
                parent_fid: oid(p.fid),
                tags: Vec::new(),
                associated: false,
            });
            Ok((oid(f), false))
        })
    }

    /// RopDeleteFolder (MS-OXCFOLD 3.2.5.3): deletes subfolder `fid` of `parent`. Messages in the
    /// folder or its subtree need DEL_MESSAGES (else MAPI_E_HAS_MESSAGES), subfolders need
    /// DEL_FOLDERS (else MAPI_E_HAS_FOLDERS); special folders and receive folders cannot be
    /// deleted (AccessDenied); `fid` not a subfolder of `parent` is NotFound. All or nothing: the
    /// result (PartialCompletion) is always `false`.
    pub fn delete_folder(
        &self,
        parent: ObjectId,
        fid: ObjectId,
        flags: DeleteFolderFlags,
    ) -> StoreResult<bool> {
        self.write(Durability::Full, |tx| {
            let f = child_of(tx, parent, fid)?;
            check_not_special(&f, "deleted")?;
            let what = format!("folder {fid}");
            let live =
                |associated| group_counts(tx, f.fid as u64, associated, false).map(|c| u64::from(c.total));
            if !flags.del_messages && live(false)? + live(true)? > 0 {
                return Err(has_messages(&what));
            }
            if count(tx, "SELECT count(*) FROM folders WHERE parent_fid = ?1 AND soft_deleted = 0", f.fid)?
                > 0
            {
                if !flags.del_folders {
                    return Err(has_folders(&what));
                }
                let sql = format!(
                    "SELECT coalesce(sum(total), 0) FROM folder_counts WHERE soft_deleted = 0 \
                     AND fid IN ({LIVE_SUBTREE})"
                );
                if !flags.del_messages && count(tx, &sql, f.fid)? > 0 {
                    return Err(has_messages(&format!("a subfolder of {what}")));
                }
            }
            check_removable(tx, f.fid)?;
            let now = now();
            for event in remove_subtree(tx, f.fid, flags.hard_delete, now)? {
                self.record(event);
            }
            touch(tx, f.parent.unwrap_or(f.fid), now)?;
            Ok(false)
        })
    }

    /// RopEmptyFolder (MS-OXCFOLD 3.2.5.9; `hard` = RopHardDeleteMessagesAndSubfolders,
    /// 3.2.5.10): deletes the folder's normal messages, its FAI messages when `include_associated`,
    /// and all its subfolders, but not the folder. Special and receive folders among the
    /// subfolders are left in place and make the result (PartialCompletion) `true`. The Root
    /// folder and search folders cannot be emptied (NotSupported, ecNotSupported: MS-OXCFOLD
    /// 3.2.5.9 and its product note <16>, MS-OXCFOLD_R124802 and _R124901).
    pub fn empty_folder(&self, fid: ObjectId, include_associated: bool, hard: bool) -> StoreResult<bool> {
        self.write(Durability::Full, |tx| {
            let f = live_folder(tx, fid)?;
            if f.parent.is_none() {
                return Err(StoreError::NotSupported(format!(
                    "folder {fid} is the Root folder and cannot be emptied"
                )));
            }
            if f.folder_type == FOLDER_SEARCH {
                return Err(StoreError::NotSupported(format!(
                    "folder {fid} is a search folder and cannot be emptied"
                )));
            }
            let assoc = if include_associated { "" } else { " AND associated = 0" };
            self.watch_counts(tx, f.fid as u64)?;
            for event in messages_deleted(tx, f.fid, assoc)? {
                self.record(event);
            }
            if hard {
                tx.execute(&format!("DELETE FROM messages WHERE fid = ?1{assoc}"), [f.fid])?;
            } else {
                tx.execute(
                    &format!(
                        "UPDATE messages SET soft_deleted = 1 WHERE fid = ?1 AND soft_deleted = 0{assoc}"
                    ),
                    [f.fid],
                )?;
            }
            let mut partial = false;
            let now = now();
            let kids: Vec<i64> = tx
                .prepare("SELECT fid FROM folders WHERE parent_fid = ?1 AND (soft_deleted = 0 OR ?2)")?
                .query_map(params![f.fid, hard], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for k in kids {
                match check_removable(tx, k) {
                    Ok(()) => {
                        for event in remove_subtree(tx, k, hard, now)? {
                            self.record(event);
                        }
                    }
                    Err(StoreError::AccessDenied(_)) => partial = true,
                    Err(e) => return Err(e),
                }
            }
            touch(tx, f.fid, now)?;
            Ok(partial)
        })
    }

    /// RopMoveFolder (MS-OXCFOLD 3.2.5.7): moves subfolder `fid` of `src_parent` under
    /// `dst_parent`, renamed to `new_name` (empty keeps its name). A sibling of that name in the
    /// destination is a Collision; a destination inside the folder's own subtree is refused
    /// (MAPI_E_FOLDER_CYCLE); special folders cannot be moved (AccessDenied).
    pub fn move_folder(
        &self,
        src_parent: ObjectId,
        fid: ObjectId,
        dst_parent: ObjectId,
        new_name: &str,
    ) -> StoreResult<()> {
        self.write(Durability::Normal, |tx| {
            let f = child_of(tx, src_parent, fid)?;
            let dst = live_folder(tx, dst_parent)?;
            check_not_special(&f, "moved")?;
            check_not_search(&dst)?;
            let mut up = Some(dst.fid);
            while let Some(a) = up {
                if a == f.fid {
                    return Err(folder_cycle(fid, dst_parent));
                }
                up = tx
                    .query_row("SELECT parent_fid FROM folders WHERE fid = ?1", [a], |r| r.get(0))
                    .optional()?
                    .flatten();
            }
            let name = if new_name.is_empty() { display_name(tx, f.fid)? } else { new_name.to_string() };
            check_name(&name)?;
            check_sibling_name(tx, dst.fid, &name, Some(f.fid))?;
            let now = now();
            tx.execute("UPDATE folders SET parent_fid = ?1 WHERE fid = ?2", params![dst.fid, f.fid])?;
            put_folder_prop(tx, f.fid as u64, PR_DISPLAY_NAME, &PropValue::Unicode(name))?;
            touch(tx, f.fid, now)?;
            self.record(StoreEvent::MovedOrCopied {
                copy: false,
                fid,
                mid: None,
                parent_fid: oid(dst.fid),
                old_fid: fid,
                old_mid: None,
                old_parent_fid: oid(f.parent.unwrap_or(f.fid)),
                associated: false,
            });
            Ok(())
        })
    }

    /// RopCopyFolder (MS-OXCFOLD 3.2.5.8): copies subfolder `fid` of `src_parent` under
    /// `dst_parent` as `new_name` (empty keeps its name): its properties, its messages (new MIDs)
    /// and, when `recursive`, its subfolders (new FIDs). The copy is an ordinary folder even when
    /// the source is a special folder. A name collision in the destination is a Collision; a
    /// recursive copy into the folder's own subtree is refused (MAPI_E_FOLDER_CYCLE). Returns the
    /// FID of the copy.
    pub fn copy_folder(
        &self,
        src_parent: ObjectId,
        fid: ObjectId,
        dst_parent: ObjectId,
        new_name: &str,
        recursive: bool,
    ) -> StoreResult<ObjectId> {
        self.write(Durability::Full, |tx| {
            let f = child_of(tx, src_parent, fid)?;
            let dst = live_folder(tx, dst_parent)?;
            check_not_search(&dst)?;
            if recursive {
                let inside: Option<i64> = tx
                    .query_row(
                        &format!("SELECT fid FROM ({SUBTREE}) AS subtree WHERE fid = ?2"),
                        params![f.fid, dst.fid],
                        |r| r.get(0),
                    )
                    .optional()?;
                if inside.is_some() {
                    return Err(folder_cycle(fid, dst_parent));
                }
            }
            let name = if new_name.is_empty() { display_name(tx, f.fid)? } else { new_name.to_string() };
            check_name(&name)?;
            check_sibling_name(tx, dst.fid, &name, None)?;
            let new = copy_tree(tx, &f, dst.fid, &name, recursive)?;
            self.record(StoreEvent::MovedOrCopied {
                copy: true,
                fid: oid(new),
                mid: None,
                parent_fid: oid(dst.fid),
                old_fid: fid,
                old_mid: None,
                old_parent_fid: oid(f.parent.unwrap_or(f.fid)),
                associated: false,
            });
            Ok(oid(new))
        })
    }

    /// The live subfolder of `parent` whose display name is `name` (case-insensitively).
    pub fn folder_by_name(&self, parent: ObjectId, name: &str) -> StoreResult<Option<ObjectId>> {
        let conn = self.lock()?;
        let p = live_folder(&conn, parent)?;
        Ok(find_child(&conn, p.fid, name, None)?.map(oid))
    }

    /// The folder a slash-separated path names, starting at `root` ("/Inbox/Projects"; empty
    /// components are skipped, so "" and "/" name `root`). Components compare case-insensitively;
    /// `\/` and `\\` stand for a slash and a backslash inside a name. A missing component is
    /// NotFound, naming it and the path up to it.
    pub fn resolve_path(&self, root: ObjectId, path: &str) -> StoreResult<ObjectId> {
        let conn = self.lock()?;
        let mut at = live_folder(&conn, root)?.fid;
        let mut walked = String::new();
        for part in split_path(path) {
            at = find_child(&conn, at, &part, None)?.ok_or_else(|| {
                StoreError::NotFound(format!(
                    "no folder named {part:?} in {}",
                    if walked.is_empty() { "/" } else { &walked }
                ))
            })?;
            walked.push('/');
            walked.push_str(&part.replace('\\', "\\\\").replace('/', "\\/"));
        }
        Ok(oid(at))
    }

    /// The rows of the hierarchy table of `fid` (MS-OXCFOLD 3.2.5.13): its live subfolders in
    /// creation order, or with `depth` (CONVENIENT_DEPTH) its whole live subtree in pre-order.
    pub fn hierarchy(&self, fid: ObjectId, depth: bool) -> StoreResult<Vec<HierarchyRow>> {
        self.hierarchy_of(fid, depth, false)
    }

    /// The rows of a hierarchy table with the SoftDeletes flag (MS-OXCFOLD 2.2.1.13.1: "the
    /// hierarchy table lists only the folders that are soft deleted", MS-OXCFOLD_R806): the
    /// soft-deleted subfolders of `fid`, or with `depth` every soft-deleted folder below it.
    pub fn soft_deleted_hierarchy(&self, fid: ObjectId, depth: bool) -> StoreResult<Vec<HierarchyRow>> {
        self.hierarchy_of(fid, depth, true)
    }

    /// The walk behind [`MessageStore::hierarchy`] and [`MessageStore::soft_deleted_hierarchy`]:
    /// rows whose soft-deleted state is `deleted`, descending (with `depth`) through live
    /// folders only for the live table and through every folder for the soft-deleted one.
    fn hierarchy_of(&self, fid: ObjectId, depth: bool, deleted: bool) -> StoreResult<Vec<HierarchyRow>> {
        let conn = self.lock()?;
        let root = live_folder(&conn, fid)?;
        let mut stmt = conn.prepare(
            "SELECT f.fid, \
               (SELECT count(*) FROM folders c WHERE c.parent_fid = f.fid AND c.soft_deleted = 0), \
               p.proptype, p.value, f.soft_deleted, \
               (SELECT count(*) FROM folders c WHERE c.parent_fid = f.fid) \
             FROM folders f LEFT JOIN folder_properties p ON p.fid = f.fid AND p.propid = ?2 \
             WHERE f.parent_fid = ?1 AND (f.soft_deleted = 0 OR ?3) ORDER BY f.fid",
        )?;
        // (row, folders below it of any state)
        let mut children = |parent: i64, level: u32| -> StoreResult<Vec<(HierarchyRow, u32)>> {
            let mut rows = stmt.query(params![parent, PR_DISPLAY_NAME.id(), deleted])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let n = |i: usize| r.get::<_, i64>(i).map(|v| v.clamp(0, u32::MAX as i64) as u32);
                let f: i64 = r.get(0)?;
                let content = group_counts(&conn, f as u64, false, false)?;
                let row = HierarchyRow {
                    fid: oid(f),
                    parent: oid(parent),
                    depth: level,
                    content_count: content.total,
                    unread_count: content.unread,
                    assoc_count: group_counts(&conn, f as u64, true, false)?.total,
                    child_count: n(1)?,
                    display_name: name_of(r.get(2)?, r.get_ref(3)?)?,
                    soft_deleted: r.get::<_, i64>(4)? != 0,
                };
                out.push((row, n(5)?));
            }
            Ok(out)
        };
        let mut out = Vec::new();
        let mut pending: Vec<(HierarchyRow, u32)> = children(root.fid, 1)?.into_iter().rev().collect();
        while let Some((row, below)) = pending.pop() {
            let descend = if deleted { below > 0 } else { row.child_count > 0 };
            if depth && descend {
                pending.extend(children(row.fid.global_counter as i64, row.depth + 1)?.into_iter().rev());
            }
            if row.soft_deleted == deleted {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// The properties of a hierarchy-table row: [`MessageStore::folder_properties`] plus the
    /// table-only PR_DEPTH and PR_FOLDER_CHILD_COUNT, with PR_SUBFOLDERS; sorted by property id.
    /// A soft-deleted folder also has PidTagDeletedOn, "the time when the folder was soft
    /// deleted" (MS-OXCFOLD 2.2.2.2.1.16, MS-OXCFOLD_R10348): its last modification, which the
    /// soft delete sets.
    pub fn hierarchy_row_properties(&self, row: &HierarchyRow) -> StoreResult<Vec<TaggedValue>> {
        let mut props = self.folder_properties_of(row.fid, row.soft_deleted)?;
        let deleted_on = row
            .soft_deleted
            .then(|| props.iter().find(|p| p.tag.id() == PR_LAST_MODIFICATION_TIME.id()))
            .flatten()
            .map(|p| TaggedValue::new(PR_DELETED_ON, p.value.clone()));
        let extra = [
            TaggedValue::new(PR_DEPTH, PropValue::I32(row.depth as i32)),
            TaggedValue::new(PR_FOLDER_CHILD_COUNT, PropValue::I32(row.child_count as i32)),
            TaggedValue::new(PR_SUBFOLDERS, PropValue::Bool(row.child_count > 0)),
        ]
        .into_iter()
        .chain(deleted_on);
        for tv in extra {
            props.retain(|p| p.tag.id() != tv.tag.id());
            props.push(tv);
        }
        props.sort_by_key(|p| p.tag.id());
        Ok(props)
    }
}

/// Splits a folder path at unescaped slashes, undoing `\/` and `\\`; empty parts are dropped.
fn split_path(path: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => cur.push(n),
                None => cur.push('\\'),
            },
            '/' => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    parts.retain(|p| !p.is_empty());
    parts
}

#[cfg(test)]
#[path = "folders_tests.rs"]
mod tests;
