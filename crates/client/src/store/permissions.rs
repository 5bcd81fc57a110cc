//! Folder permissions (MS-OXCPERM 3.1.4), the IExchangeModifyTable of a folder's ACL: the
//! permission list through RopGetPermissionsTable, changes through RopModifyPermissions, the
//! rights flags (PidTagMemberRights, 2.2.7) by name, and Outlook's permission roles.

use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{PR_ENTRYID, PR_MEMBER_ID, PR_MEMBER_NAME, PR_MEMBER_RIGHTS};
use oxmapi_core::error::codes;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::rop::oxcfold::GetTableRequest;
use oxmapi_wire::rop::oxcperm::{ModifyPermissionsRequest, PermissionData};
use oxmapi_wire::rop::request::RopRequest;

use super::batch::expect_rop;
use super::folder::Folder;
use super::table::Table;
use crate::profile::MapiResult;

/// PidTagMemberId of the Default entry (MS-OXCPERM 2.2.5).
pub const DEFAULT_MEMBER: i64 = 0;
/// PidTagMemberId of the Anonymous entry (0xFFFFFFFFFFFFFFFF).
pub const ANONYMOUS_MEMBER: i64 = -1;
/// TableFlags / ModifyFlags IncludeFreeBusy (MS-OXCPERM 2.2.1.1, 2.2.2.1).
pub const INCLUDE_FREE_BUSY: u8 = 0x02;
/// ModifyFlags ReplaceRows.
pub const REPLACE_ROWS: u8 = 0x01;

/// The PidTagMemberRights flags by name (MS-OXCPERM 2.2.7), in flag order.
pub const RIGHTS: &[(&str, u32)] = &[
    ("read-any", 0x0001),
    ("create", 0x0002),
    ("edit-owned", 0x0008),
    ("delete-owned", 0x0010),
    ("edit-any", 0x0020),
    ("delete-any", 0x0040),
    ("create-subfolder", 0x0080),
    ("folder-owner", 0x0100),
    ("folder-contact", 0x0200),
    ("folder-visible", 0x0400),
    ("free-busy-simple", 0x0800),
    ("free-busy-detailed", 0x1000),
];

/// The free/busy flags, which a change sets only with IncludeFreeBusy.
pub const FREE_BUSY: u32 = 0x1800;

/// Outlook's permission roles (the Permissions tab of a folder's properties) and the rights
/// each stands for; "none" is no right at all.
pub const ROLES: &[(&str, u32)] = &[
    ("owner", 0x07FB),
    ("publishing-editor", 0x04FB),
    ("editor", 0x047B),
    ("publishing-author", 0x049B),
    ("author", 0x041B),
    ("nonediting-author", 0x0413),
    ("reviewer", 0x0401),
    ("contributor", 0x0402),
    ("none", 0x0000),
];

fn squash(s: &str) -> String {
    s.chars().filter(|c| *c != '-' && *c != '_' && !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Parses ROLE (one of [`ROLES`]) or RIGHTS: a comma list of right names ([`RIGHTS`], also in
/// the specification's spelling, `ReadAny`), or a number (`0x41B`).
pub fn parse_rights(text: &str) -> Result<u32, String> {
    let t = squash(text);
    if let Some((_, r)) = ROLES.iter().find(|(n, _)| squash(n) == t) {
        return Ok(*r);
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return u32::from_str_radix(hex, 16).map_err(|e| format!("{text:?}: {e}"));
    }
    if let Ok(n) = t.parse::<u32>() {
        return Ok(n);
    }
    let mut out = 0;
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let p = squash(part);
        let (_, r) = RIGHTS.iter().find(|(n, _)| squash(n) == p).ok_or_else(|| {
            format!(
                "{part:?} is neither a role ({}) nor a right ({})",
                ROLES.iter().map(|r| r.0).collect::<Vec<_>>().join(", "),
                RIGHTS.iter().map(|r| r.0).collect::<Vec<_>>().join(", ")
            )
        })?;
        out |= r;
    }
    Ok(out)
}

/// The names of the rights in `rights`.
pub fn right_names(rights: u32) -> Vec<&'static str> {
    RIGHTS.iter().filter(|(_, f)| rights & f != 0).map(|(n, _)| *n).collect()
}

/// The role whose rights are exactly `rights` (free/busy flags aside), if any.
pub fn role_of(rights: u32) -> Option<&'static str> {
    ROLES.iter().find(|(_, r)| *r == rights & !FREE_BUSY).map(|(n, _)| *n)
}

/// One entry of a folder's permission list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permission {
    /// PidTagMemberId (0 Default, -1 Anonymous).
    pub member_id: i64,
    /// PidTagMemberName ("" for Default).
    pub name: String,
    /// PidTagMemberRights.
    pub rights: u32,
    /// PidTagEntryId: the user's address book entry ID (empty for Default and Anonymous).
    pub entry_id: Vec<u8>,
}

/// One change of RopModifyPermissions (MS-OXCPERM 3.1.4.2–3.1.4.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermissionChange {
    /// AddRow: the user with this address book entry ID gets `rights`.
    Add {
        /// The user's AB entry ID (PidTagEntryId).
        entry_id: Vec<u8>,
        /// PidTagMemberRights.
        rights: u32,
    },
    /// ModifyRow: the entry with this member id gets `rights`.
    Modify {
        /// PidTagMemberId.
        member_id: i64,
        /// PidTagMemberRights.
        rights: u32,
    },
    /// RemoveRow: the entry with this member id goes.
    Remove {
        /// PidTagMemberId.
        member_id: i64,
    },
}

impl PermissionChange {
    fn data(&self) -> PermissionData {
        let id = |m: i64| TaggedValue::new(PR_MEMBER_ID, PropValue::I64(m));
        let rights = |r: u32| TaggedValue::new(PR_MEMBER_RIGHTS, PropValue::I32(r as i32));
        let (permission_data_flags, property_values) = match self {
            PermissionChange::Add { entry_id, rights: r } => {
                (0x01, vec![TaggedValue::new(PR_ENTRYID, PropValue::Binary(entry_id.clone())), rights(*r)])
            }
            PermissionChange::Modify { member_id, rights: r } => (0x02, vec![id(*member_id), rights(*r)]),
            PermissionChange::Remove { member_id } => (0x04, vec![id(*member_id)]),
        };
        PermissionData { permission_data_flags, property_values }
    }
}

impl Folder {
    /// RopGetPermissionsTable (MS-OXCPERM 3.1.4.1); `include_free_busy` asks for the free/busy
    /// flags too.
    pub fn permissions_table(&self, include_free_busy: bool) -> MapiResult<Table> {
        let logon_id = self.obj.logon_id();
        let mut out = 0;
        let mut c = self.obj.call(|b, slot| {
            out = b.output();
            Ok(b.push(RopRequest::GetPermissionsTable(GetTableRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index: out,
                table_flags: if include_free_busy { INCLUDE_FREE_BUSY } else { 0 },
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, GetPermissionsTable)?;
        Ok(Table::new(self.obj.child(&c, out)?, 0))
    }

    /// The folder's permission list (RopGetPermissionsTable, RopSetColumns, RopQueryRows).
    pub fn permissions(&self, include_free_busy: bool) -> MapiResult<Vec<Permission>> {
        let mut t = self.permissions_table(include_free_busy)?;
        t.set_columns(&[PR_MEMBER_ID, PR_MEMBER_NAME, PR_MEMBER_RIGHTS, PR_ENTRYID])?;
        let rows = t.query_rows(usize::MAX, true)?;
        rows.iter()
            .map(|r| {
                let member_id = match r.get(PR_MEMBER_ID) {
                    Some(PropValue::I64(i)) => *i,
                    _ => {
                        return Err(MapiError::new(
                            codes::MAPI_E_CORRUPT_DATA,
                            "a permission row without PidTagMemberId",
                        ));
                    }
                };
                Ok(Permission {
                    member_id,
                    name: r
                        .get(PR_MEMBER_NAME)
                        .and_then(|v| v.as_text())
                        .map(|s| s.into_owned())
                        .unwrap_or_default(),
                    rights: match r.get(PR_MEMBER_RIGHTS) {
                        Some(PropValue::I32(x)) => *x as u32,
                        _ => 0,
                    },
                    entry_id: match r.get(PR_ENTRYID) {
                        Some(PropValue::Binary(b)) => b.clone(),
                        _ => Vec::new(),
                    },
                })
            })
            .collect()
    }

    /// RopModifyPermissions (MS-OXCPERM 3.1.4.2–3.1.4.4): `flags` ReplaceRows / IncludeFreeBusy.
    pub fn modify_permissions(&self, flags: u8, changes: &[PermissionChange]) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::ModifyPermissions(ModifyPermissionsRequest {
                logon_id,
                input_handle_index: slot,
                modify_flags: flags,
                permissions_data: changes.iter().map(PermissionChange::data).collect(),
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, ModifyPermissions)?;
        Ok(())
    }
}
