//! Folder permission lists (MS-OXCPERM): who may do what in a folder of this store, kept in
//! `folder_permissions` (schema version 8, [`super::schema::V8`]).
//!
//! A list has the reserved entries Default (PidTagMemberId 0) and Anonymous (-1), always listed
//! (with no rights until set), and one entry per directory user the owner added, matched by the
//! user's mailbox GUID. The rights of a user on a folder ([`MessageStore::member_rights`]) are
//! those of the user's entry, else those of the Default entry (MS-OXCPERM 3.2.4.1, R175/R176);
//! the Anonymous entry is never applied (R2010: every client here authenticates). Who owns the
//! mailbox or holds a full-access grant is the server's business, not this list's.

use std::collections::HashMap;

use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;

use super::MessageStore;
use super::commit::Durability;
use crate::db::params;
use crate::error::{StoreError, StoreResult};

/// PidTagMemberRights flags (MS-OXCPERM 2.2.7).
pub mod rights {
    /// Read any message in the folder.
    pub const READ_ANY: u32 = 0x0000_0001;
    /// Create messages in the folder.
    pub const CREATE: u32 = 0x0000_0002;
    /// Modify the messages the user created.
    pub const EDIT_OWNED: u32 = 0x0000_0008;
    /// Delete the messages the user created.
    pub const DELETE_OWNED: u32 = 0x0000_0010;
    /// Modify any message.
    pub const EDIT_ANY: u32 = 0x0000_0020;
    /// Delete any message.
    pub const DELETE_ANY: u32 = 0x0000_0040;
    /// Create subfolders.
    pub const CREATE_SUBFOLDER: u32 = 0x0000_0080;
    /// Modify the folder's properties and its permission list.
    pub const FOLDER_OWNER: u32 = 0x0000_0100;
    /// Shown as the folder's contact (no meaning to the server, R3003).
    pub const FOLDER_CONTACT: u32 = 0x0000_0200;
    /// See the folder in the hierarchy, open it, read its permission list.
    pub const FOLDER_VISIBLE: u32 = 0x0000_0400;
    /// Free/busy without details (Calendar).
    pub const FREE_BUSY_SIMPLE: u32 = 0x0000_0800;
    /// Free/busy with details (Calendar).
    pub const FREE_BUSY_DETAILED: u32 = 0x0000_1000;
    /// The two free/busy flags, which ModifyPermissions changes only with IncludeFreeBusy and
    /// GetPermissionsTable reports only with IncludeFreeBusy (MS-OXCPERM 2.2.1.1, 2.2.2.1).
    pub const FREE_BUSY: u32 = FREE_BUSY_SIMPLE | FREE_BUSY_DETAILED;
    /// Every flag MS-OXCPERM defines; "the client and server MUST NOT set any other flags"
    /// (2.2.7, R1093): others are dropped.
    pub const ALL: u32 = 0x0000_1FFB;
    /// Everything but the free/busy flags: what the owner of a mailbox has on every folder.
    pub const OWNER: u32 = ALL & !FREE_BUSY;

    /// The rights a user is treated as having: FolderVisible comes with ReadAny and with
    /// FolderOwner (MS-OXCPERM 2.2.7, R104: a client setting either MUST set FolderVisible).
    pub const fn effective(r: u32) -> u32 {
        if r & (READ_ANY | FOLDER_OWNER) != 0 { r | FOLDER_VISIBLE } else { r }
    }
}

/// PidTagMemberId of the Default entry (MS-OXCPERM 2.2.5, R190).
pub const DEFAULT_MEMBER: i64 = 0;
/// PidTagMemberId of the Anonymous entry (0xFFFFFFFFFFFFFFFF, MS-OXCPERM 2.2.5, R189).
pub const ANONYMOUS_MEMBER: i64 = -1;
/// The largest permission list one folder may hold (entries besides Default and Anonymous): a
/// RopModifyPermissions that would make it longer fails with ecError
/// (MAPI_E_CALL_FAILED) naming the limit.
pub const MAX_MEMBERS_PER_FOLDER: usize = 1000;

/// Who an entry of a permission list is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Member {
    /// The Default entry: every authenticated user without an entry of their own.
    Default,
    /// The Anonymous entry (kept and listed, never applied: MS-OXCPERM R2010).
    Anonymous,
    /// A directory user, by mailbox GUID.
    User(Guid),
}

/// One entry of a folder's permission list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionEntry {
    /// PidTagMemberId.
    pub member_id: i64,
    /// Who.
    pub member: Member,
    /// PidTagMemberRights as stored.
    pub rights: u32,
}

/// One change of a RopModifyPermissions (MS-OXCPERM 2.2.2.1.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermissionChange {
    /// AddRow: the member gets these rights (an existing entry of the member is updated).
    Add(Member, u32),
    /// ModifyRow: the entry with this PidTagMemberId gets these rights.
    Modify(i64, u32),
    /// RemoveRow: the entry with this PidTagMemberId goes (Default and Anonymous go back to no
    /// rights).
    Remove(i64),
}

/// The effective rights of one user on every folder of a store that has an entry for the user
/// or for Default ([`MessageStore::rights_of`]).
#[derive(Clone, Debug, Default)]
pub struct FolderRights {
    by_folder: HashMap<u64, u32>,
}

impl FolderRights {
    /// The user's effective rights on folder `fid` (0 for a folder without entries).
    pub fn on(&self, fid: ObjectId) -> u32 {
        self.by_folder.get(&fid.global_counter).copied().unwrap_or(0)
    }

    /// True when the user has some right beyond free/busy on some folder.
    pub fn any(&self) -> bool {
        self.by_folder.values().any(|r| r & !rights::FREE_BUSY != 0)
    }
}

fn member_of(id: i64, guid: Option<Vec<u8>>) -> Member {
    match (id, guid) {
        (DEFAULT_MEMBER, _) => Member::Default,
        (ANONYMOUS_MEMBER, _) => Member::Anonymous,
        (_, Some(g)) => Member::User(Guid(g.try_into().unwrap_or([0; 16]))),
        (_, None) => Member::Anonymous,
    }
}

impl MessageStore {
    /// The permission list of folder `fid` (RopGetPermissionsTable, MS-OXCPERM 3.2.5.1):
    /// Default, then Anonymous, then the users in the order they were added.
    pub fn permissions(&self, fid: ObjectId) -> StoreResult<Vec<PermissionEntry>> {
        self.require_folder(fid)?;
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(
            "SELECT member_id, member_guid, rights FROM folder_permissions WHERE fid = ?1 ORDER BY member_id",
        )?;
        let stored = stmt
            .query_map([fid.global_counter as i64], |r| {
                let id: i64 = r.get(0)?;
                Ok(PermissionEntry {
                    member_id: id,
                    member: member_of(id, r.get(1)?),
                    rights: r.get::<_, i64>(2)? as u32,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let reserved = |id: i64, member: Member| {
            stored.iter().find(|e| e.member_id == id).cloned().unwrap_or(PermissionEntry {
                member_id: id,
                member,
                rights: 0,
            })
        };
        let mut out =
            vec![reserved(DEFAULT_MEMBER, Member::Default), reserved(ANONYMOUS_MEMBER, Member::Anonymous)];
        out.extend(stored.iter().filter(|e| e.member_id > 0).cloned());
        Ok(out)
    }

    /// RopModifyPermissions (MS-OXCPERM 3.2.5.2), in one transaction. `replace` (ReplaceRows):
    /// every entry but Default's is removed first (R1197) and only AddRow changes are allowed
    /// (R45; others fail with InvalidParameter, ecInvalidParam). Without `free_busy`
    /// (IncludeFreeBusy) an entry keeps the free/busy flags it had and the ones given are
    /// ignored (2.2.2.1, R40). Flags MS-OXCPERM does not define are dropped (R1093). A ModifyRow
    /// or RemoveRow naming a member not in the list is ignored (R1175).
    pub fn modify_permissions(
        &self,
        fid: ObjectId,
        replace: bool,
        free_busy: bool,
        changes: &[PermissionChange],
    ) -> StoreResult<()> {
        self.require_folder(fid)?;
        if replace && changes.iter().any(|c| !matches!(c, PermissionChange::Add(..))) {
            return Err(StoreError::InvalidParameter(
                "with ReplaceRows every PermissionData must be an AddRow (MS-OXCPERM 2.2.2.1)".into(),
            ));
        }
        let f = fid.global_counter as i64;
        self.write(Durability::Normal, |tx| {
            if replace {
                tx.execute("DELETE FROM folder_permissions WHERE fid = ?1 AND member_id <> 0", [f])?;
            }
            let current = |id: i64| -> StoreResult<Option<u32>> {
                use crate::db::OptionalExt;
                Ok(tx
                    .query_row(
                        "SELECT rights FROM folder_permissions WHERE fid = ?1 AND member_id = ?2",
                        [f, id],
                        |r| r.get::<_, i64>(0),
                    )
                    .optional()?
                    .map(|r| r as u32))
            };
            let merge = |old: Option<u32>, new: u32| {
                let new = new & rights::ALL;
                if free_busy { new } else { (new & !rights::FREE_BUSY) | (old.unwrap_or(0) & rights::FREE_BUSY) }
            };
            let set = |id: i64, guid: Option<[u8; 16]>, r: u32| -> StoreResult<()> {
                tx.execute(
                    "INSERT INTO folder_permissions (fid, member_id, member_guid, rights) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (/*mbx,*/ fid, member_id) DO UPDATE SET rights = ?4",
                    params![f, id, guid.map(|g| g.to_vec()), r as i64],
                )?;
                Ok(())
            };
            for change in changes {
                match change {
                    PermissionChange::Add(Member::Default, r) => set(DEFAULT_MEMBER, None, merge(current(DEFAULT_MEMBER)?, *r))?,
                    PermissionChange::Add(Member::Anonymous, r) => {
                        set(ANONYMOUS_MEMBER, None, merge(current(ANONYMOUS_MEMBER)?, *r))?
                    }
                    PermissionChange::Add(Member::User(g), r) => {
                        use crate::db::OptionalExt;
                        let existing: Option<i64> = tx
                            .query_row(
                                "SELECT member_id FROM folder_permissions WHERE fid = ?1 AND member_guid = ?2",
                                params![f, g.0.to_vec()],
                                |r| r.get(0),
                            )
                            .optional()?;
                        let id = match existing {
                            Some(id) => id,
                            None => {
                                let (count, max): (i64, i64) = tx.query_row(
                                    "SELECT count(*), coalesce(max(member_id), 0) FROM folder_permissions \
                                     WHERE fid = ?1 AND member_id > 0",
                                    [f],
                                    |r| Ok((r.get(0)?, r.get(1)?)),
                                )?;
                                if count as usize >= MAX_MEMBERS_PER_FOLDER {
                                    return Err(StoreError::Failed(format!(
                                        "a folder's permission list holds at most {MAX_MEMBERS_PER_FOLDER} users \
                                         (MAX_MEMBERS_PER_FOLDER); remove some before adding others"
                                    )));
                                }
                                max + 1
                            }
                        };
                        set(id, Some(g.0), merge(current(id)?, *r))?;
                    }
                    PermissionChange::Modify(id, r) => {
                        if let Some(old) = current(*id)? {
                            tx.execute(
                                "UPDATE folder_permissions SET rights = ?3 WHERE fid = ?1 AND member_id = ?2",
                                params![f, *id, merge(Some(old), *r) as i64],
                            )?;
                        } else if *id == DEFAULT_MEMBER || *id == ANONYMOUS_MEMBER {
                            set(*id, None, merge(None, *r))?;
                        }
                    }
                    PermissionChange::Remove(id) => {
                        tx.execute("DELETE FROM folder_permissions WHERE fid = ?1 AND member_id = ?2", [f, *id])?;
                    }
                }
            }
            Ok(())
        })
    }

    /// The rights of the user whose mailbox GUID is `user` on folder `fid` by its permission
    /// list: the user's entry, else the Default entry, else none (MS-OXCPERM 3.2.4.1), with the
    /// FolderVisible that ReadAny and FolderOwner imply ([`rights::effective`]). Read from the
    /// database on every call, so a change of the list applies to the next request.
    pub fn member_rights(&self, fid: ObjectId, user: &Guid) -> StoreResult<u32> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(
            "SELECT member_id, rights FROM folder_permissions WHERE fid = ?1 \
             AND (member_guid = ?2 OR member_id = 0) ORDER BY member_id DESC",
        )?;
        let mut rows = stmt.query(params![fid.global_counter as i64, user.0.to_vec()])?;
        let first = match rows.next()? {
            Some(r) => r.get::<_, i64>(1)? as u32,
            None => 0,
        };
        Ok(rights::effective(first))
    }

    /// The rights of the user whose mailbox GUID is `user` on every folder with an entry for
    /// the user or for Default (hierarchy tables and RopLogon of a user without a full-access
    /// grant).
    pub fn rights_of(&self, user: &Guid) -> StoreResult<FolderRights> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(
            "SELECT fid, member_id, rights FROM folder_permissions WHERE member_guid = ?1 OR member_id = 0",
        )?;
        let rows = stmt
            .query_map(params![user.0.to_vec()], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)?, r.get::<_, i64>(2)? as u32))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = FolderRights::default();
        // A user's own entry wins over Default's, whichever comes first.
        for (fid, member, r) in rows.iter().filter(|x| x.1 == DEFAULT_MEMBER) {
            let _ = member;
            out.by_folder.insert(*fid, rights::effective(*r));
        }
        for (fid, _, r) in rows.iter().filter(|x| x.1 != DEFAULT_MEMBER) {
            out.by_folder.insert(*fid, rights::effective(*r));
        }
        Ok(out)
    }

    fn require_folder(&self, fid: ObjectId) -> StoreResult<()> {
        if self.folder_exists(fid)? {
            Ok(())
        } else {
            Err(StoreError::NotFound(format!("no folder {fid} in this store")))
        }
    }
}
