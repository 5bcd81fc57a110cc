//! Permission ROPs (MS-OXCPERM 3.2.5): RopGetPermissionsTable and RopModifyPermissions on a
//! folder of a private mailbox, over the store's permission lists
//! ([`oxmapi_store::mailbox::permissions`]).
//!
//! Checked against Microsoft's MS-OXCPERM test suite (OfficeDev/Interop-TestSuites
//! ExchangeMAPI/Source/MS-OXCPERM: S01 R19/R2014, S02 R47/R1187/R1188/R1197, S03
//! R1093/R183/R2007) and its requirement list.

use oxmapi_core::ErrorCode;
use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::{PR_ENTRYID, PR_MEMBER_ID, PR_MEMBER_NAME, PR_MEMBER_RIGHTS};
use oxmapi_core::consts::display_type;
use oxmapi_core::entryid::{AbPermanentEntryId, EntryId};
use oxmapi_core::error::codes;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::Directory;
use oxmapi_store::mailbox::permissions::{
    ANONYMOUS_MEMBER, DEFAULT_MEMBER, Member, PermissionChange, PermissionEntry, rights,
};
use oxmapi_store::table::SourceRow;
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcfold::GetTableRequest;
use oxmapi_wire::rop::oxcperm::{ModifyPermissionsRequest, PermissionData};
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{ServerObject, Slots, TableObject, TableSource};
use super::oxcfold::{folder_only, new_object};
use super::oxcstor::store_code;
use super::{Env, RopResult, RopSession};

/// TableFlags IncludeFreeBusy of RopGetPermissionsTable (MS-OXCPERM 2.2.1.1, R18).
pub const TABLE_INCLUDE_FREE_BUSY: u8 = 0x02;
/// ModifyFlags ReplaceRows (MS-OXCPERM 2.2.2.1, R44).
pub const MODIFY_REPLACE_ROWS: u8 = 0x01;
/// ModifyFlags IncludeFreeBusy (MS-OXCPERM 2.2.2.1, R39).
pub const MODIFY_INCLUDE_FREE_BUSY: u8 = 0x02;
/// PermissionDataFlags AddRow, ModifyRow, RemoveRow (MS-OXCPERM 2.2.2.1.1).
pub const ROW_ADD: u8 = 0x01;
/// ModifyRow.
pub const ROW_MODIFY: u8 = 0x02;
/// RemoveRow.
pub const ROW_REMOVE: u8 = 0x04;
/// PidTagMemberName of the Anonymous entry (MS-OXCPERM 2.2.6, R1079); Default's is "" (R1080).
pub const ANONYMOUS_NAME: &str = "Anonymous";

/// The AB PermanentEntryID of a directory user (MS-OXNSPI 2.3.9.3), PidTagEntryId of the
/// user's row (MS-OXCPERM 2.2.4, R1069).
pub(crate) fn user_entry_id(legacy_dn: &str) -> Vec<u8> {
    EntryId::AbPermanent(AbPermanentEntryId {
        flags: 0,
        version: 1,
        display_type: display_type::DT_MAILUSER,
        dn: legacy_dn.to_string(),
    })
    .to_bytes()
}

/// The row of one entry: PidTagMemberId, PidTagMemberName, PidTagMemberRights (the free/busy
/// flags only with IncludeFreeBusy, R19) and PidTagEntryId (empty for the reserved entries,
/// R1070). A user no longer in the directory is listed by GUID, with no entry ID.
fn entry_row(dir: &Directory, e: &PermissionEntry, free_busy: bool) -> Result<SourceRow, ErrorCode> {
    let (name, entry_id) = match e.member {
        Member::Default => (String::new(), Vec::new()),
        Member::Anonymous => (ANONYMOUS_NAME.to_string(), Vec::new()),
        Member::User(g) => match dir.user_by_mailbox_guid(&g).map_err(store_code)? {
            Some(u) => (u.display_name.clone(), user_entry_id(&u.legacy_dn)),
            None => (format!("(deleted user {g})"), Vec::new()),
        },
    };
    let shown = if free_busy { e.rights } else { e.rights & !rights::FREE_BUSY };
    let mut bag = PropBag::new();
    bag.set(PR_MEMBER_ID, PropValue::I64(e.member_id));
    bag.set(PR_MEMBER_NAME, PropValue::Unicode(name));
    bag.set(PR_MEMBER_RIGHTS, PropValue::I32(shown as i32));
    bag.set(PR_ENTRYID, PropValue::Binary(entry_id));
    Ok(SourceRow { id: e.member_id as u64, props: bag })
}

/// RopGetPermissionsTable (MS-OXCPERM 3.2.5.1, MS-OXCROPS 2.2.10.2) on a Folder object: a table
/// of the folder's permission list as it is now. Whether the user may read it (FolderVisible,
/// R177) is checked by every table ROP on it, so a user without it gets ecAccessDenied at
/// RopQueryRows (R2007), as Exchange answers.
pub fn get_permissions_table(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &GetTableRequest,
) -> RopResult {
    let (logon, fid) = folder_only(rs, slots, q.input_handle_index)?;
    let free_busy = q.table_flags & TABLE_INCLUDE_FREE_BUSY != 0;
    let entries = logon.store.permissions(fid).map_err(store_code)?;
    let dir = env.state.directory().map_err(store_code)?;
    let rows = entries.iter().map(|e| entry_row(&dir, e, free_busy)).collect::<Result<Vec<_>, _>>()?;
    let table = TableObject::loaded(logon, TableSource::Permissions { fid }, rows, true, 0);
    new_object(rs, slots, q.output_handle_index, ServerObject::Table(Box::new(table)))?;
    Ok(RopResponse::GetPermissionsTable(Outcome::ok(q.output_handle_index, Empty)))
}

/// RopModifyPermissions (MS-OXCPERM 3.2.5.2, MS-OXCROPS 2.2.10.1) on a Folder object. Only a
/// user with FolderOwner on the folder (the mailbox owner, a full-access delegate) gets here
/// (R180/R181, the access gate). AddRow names the user by PidTagEntryId (an AB entry ID whose
/// DN the directory knows; an empty one with PidTagMemberId 0 or -1 names Default or
/// Anonymous); ModifyRow and RemoveRow by PidTagMemberId. An AddRow without PidTagMemberRights,
/// an entry ID the directory does not know, or flags other than one of the three row flags are
/// ecInvalidParam (MAPI_E_INVALID_PARAMETER) and nothing changes; ReplaceRows with anything but
/// AddRow too (R45).
pub fn modify_permissions(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &ModifyPermissionsRequest,
) -> RopResult {
    let (logon, fid) = folder_only(rs, slots, q.input_handle_index)?;
    let dir = env.state.directory().map_err(store_code)?;
    let changes = q.permissions_data.iter().map(|d| change_of(&dir, d)).collect::<Result<Vec<_>, _>>()?;
    logon
        .store
        .modify_permissions(
            fid,
            q.modify_flags & MODIFY_REPLACE_ROWS != 0,
            q.modify_flags & MODIFY_INCLUDE_FREE_BUSY != 0,
            &changes,
        )
        .map_err(store_code)?;
    Ok(RopResponse::ModifyPermissions(Outcome::ok(q.input_handle_index, Empty)))
}

fn value(values: &[TaggedValue], tag: oxmapi_core::tag::PropTag) -> Option<&PropValue> {
    values.iter().find(|v| v.tag.id() == tag.id()).map(|v| &v.value)
}

/// One PermissionData as a store change.
fn change_of(dir: &Directory, d: &PermissionData) -> Result<PermissionChange, ErrorCode> {
    let values = &d.property_values;
    let member_id = match value(values, PR_MEMBER_ID) {
        Some(PropValue::I64(i)) => Some(*i),
        Some(_) => return Err(codes::MAPI_E_INVALID_PARAMETER),
        None => None,
    };
    let member_rights = match value(values, PR_MEMBER_RIGHTS) {
        Some(PropValue::I32(r)) => Some(*r as u32),
        Some(_) => return Err(codes::MAPI_E_INVALID_PARAMETER),
        None => None,
    };
    match d.permission_data_flags {
        ROW_ADD => {
            let r = member_rights.ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
            let eid = match value(values, PR_ENTRYID) {
                Some(PropValue::Binary(b)) => b.as_slice(),
                Some(_) => return Err(codes::MAPI_E_INVALID_PARAMETER),
                None => &[],
            };
            if eid.is_empty() {
                return match member_id {
                    Some(DEFAULT_MEMBER) | None => Ok(PermissionChange::Add(Member::Default, r)),
                    Some(ANONYMOUS_MEMBER) => Ok(PermissionChange::Add(Member::Anonymous, r)),
                    Some(_) => Err(codes::MAPI_E_INVALID_PARAMETER),
                };
            }
            let Ok(EntryId::AbPermanent(ab)) = EntryId::parse(eid) else {
                return Err(codes::MAPI_E_INVALID_PARAMETER);
            };
            let user = dir.user_by_dn(&ab.dn).map_err(store_code)?.ok_or(codes::MAPI_E_NOT_FOUND)?;
            Ok(PermissionChange::Add(Member::User(user.mailbox_guid), r))
        }
        ROW_MODIFY => Ok(PermissionChange::Modify(
            member_id.ok_or(codes::MAPI_E_INVALID_PARAMETER)?,
            member_rights.ok_or(codes::MAPI_E_INVALID_PARAMETER)?,
        )),
        ROW_REMOVE => Ok(PermissionChange::Remove(member_id.ok_or(codes::MAPI_E_INVALID_PARAMETER)?)),
        _ => Err(codes::MAPI_E_INVALID_PARAMETER),
    }
}
