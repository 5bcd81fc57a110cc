//! MS-OXCPERM: folder permissions — RopGetPermissionsTable (2.2.1, 3.2.5.1), RopModifyPermissions
//! (2.2.2, 3.2.5.2), the permission list's properties (2.2.4–2.2.7) and what each right lets a
//! second user do in the first user's mailbox (2.2.7, 3.2.4.1). Requirement numbers are those of
//! Microsoft's MS-OXCPERM suite (ExchangeMAPI/Source/MS-OXCPERM/TestSuite: S01, S02, S03 and
//! MS-OXCPERM_RequirementSpecification.xml).
//!
//! Every case works on a folder of its own inside the suite's folder (removed at the end), so
//! the lists it changes go with it. The cases with a second user (`--user2`) give that user
//! rights on such a folder, log the second user on to the first user's mailbox and try what the
//! rights allow and what they do not; a second user with a full-access grant (RopLogon
//! answers OwnerRight) is not limited by folder permissions, and those cases skip.

use oxmapi_core::catalogue::tags::{
    PR_DISPLAY_NAME, PR_ENTRYID, PR_MEMBER_ID, PR_MEMBER_NAME, PR_MEMBER_RIGHTS,
    PR_NT_SECURITY_DESCRIPTOR_AS_XML, PR_SUBJECT,
};
use oxmapi_core::consts::logon_response_flags;
use oxmapi_core::entryid::{AbPermanentEntryId, EntryId};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::{PropertyRow, RowValue};
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcfold::{DeleteMessagesRequest, GetTableRequest};
use oxmapi_wire::rop::oxcperm::{ModifyPermissionsRequest, PermissionData};
use oxmapi_wire::rop::oxcprpt::OpenStreamRequest;
use oxmapi_wire::rop::oxcstor::LogonResponse;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::case::{Case, CaseResult, Need, Protocol, Verdict, code, ensure, eq, eq_code, expect_rv, fail};
use crate::context::Ctx;
use crate::rops;
use crate::session::{Emsmdb, Exec};

const P: Protocol = Protocol::OxcPerm;
const ACCESS_DENIED: u32 = 0x8007_0005;
/// ecNotImplemented as the MS-OXCPERM suite expects it (S03_TC02: 0x80040102).
const NOT_IMPLEMENTED: u32 = 0x8004_0102;

/// PidTagMemberRights flags (MS-OXCPERM 2.2.7).
mod r {
    pub const READ_ANY: i32 = 0x1;
    pub const CREATE: i32 = 0x2;
    pub const EDIT_OWNED: i32 = 0x8;
    pub const DELETE_OWNED: i32 = 0x10;
    pub const EDIT_ANY: i32 = 0x20;
    pub const DELETE_ANY: i32 = 0x40;
    pub const CREATE_SUBFOLDER: i32 = 0x80;
    pub const FOLDER_OWNER: i32 = 0x100;
    pub const FOLDER_CONTACT: i32 = 0x200;
    pub const FOLDER_VISIBLE: i32 = 0x400;
    pub const FREE_BUSY_SIMPLE: i32 = 0x800;
    pub const FREE_BUSY_DETAILED: i32 = 0x1000;
}

const fn case(
    name: &'static str,
    section: &'static str,
    requirements: &'static [&'static str],
    run: fn(&mut Ctx) -> CaseResult,
) -> Case {
    Case { name, protocol: P, section, requirements, needs: &[], run }
}

const fn case2(
    name: &'static str,
    section: &'static str,
    requirements: &'static [&'static str],
    run: fn(&mut Ctx) -> CaseResult,
) -> Case {
    Case { name, protocol: P, section, requirements, needs: &[Need::User2], run }
}

/// The cases of this module.
pub const CASES: &[Case] = &[
    case(
        "oxcperm_get_permissions_table_returns_a_table",
        "MS-OXCPERM 3.2.5.1",
        &["MS-OXCPERM_R9", "MS-OXCPERM_R2006", "MS-OXCPERM_R1164", "MS-OXCPERM_R28"],
        returns_a_table,
    ),
    case(
        "oxcperm_query_rows_returns_the_list",
        "MS-OXCPERM 3.1.4.1",
        &["MS-OXCPERM_R154", "MS-OXCPERM_R155", "MS-OXCPERM_R2014"],
        query_rows_returns_the_list,
    ),
    case(
        "oxcperm_default_entry_id_and_name",
        "MS-OXCPERM 2.2.5, 2.2.6",
        &["MS-OXCPERM_R190", "MS-OXCPERM_R1080"],
        default_entry,
    ),
    case(
        "oxcperm_anonymous_entry_id_and_name",
        "MS-OXCPERM 2.2.5, 2.2.6",
        &["MS-OXCPERM_R189", "MS-OXCPERM_R1079"],
        anonymous_entry,
    ),
    case(
        "oxcperm_reserved_entries_have_an_empty_entry_id",
        "MS-OXCPERM 2.2.4",
        &["MS-OXCPERM_R1070"],
        reserved_entry_ids,
    ),
    case(
        "oxcperm_member_id_is_ptypinteger64",
        "MS-OXCPERM 2.2.5",
        &["MS-OXCPERM_R1071", "MS-OXPROPS_R6904", "MS-OXPROPS_R6905"],
        member_id_type,
    ),
    case(
        "oxcperm_member_rights_is_ptypinteger32",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R1082", "MS-OXPROPS_R6918", "MS-OXPROPS_R6919"],
        member_rights_type,
    ),
    case(
        "oxcperm_member_name_is_ptypstring",
        "MS-OXCPERM 2.2.6",
        &["MS-OXCPERM_R1076", "MS-OXPROPS_R6911", "MS-OXPROPS_R6912"],
        member_name_type,
    ),
    case(
        "oxcperm_columns_come_in_the_requested_order",
        "MS-OXCDATA 2.8.1",
        &["MS-OXCDATA_R65"],
        columns_in_order,
    ),
    case(
        "oxcperm_modify_default_entry_by_member_id",
        "MS-OXCPERM 2.2.2.1.1",
        &["MS-OXCPERM_R52", "MS-OXCPERM_R1187", "MS-OXCPERM_R182"],
        modify_default,
    ),
    case(
        "oxcperm_modify_response_is_success",
        "MS-OXCPERM 2.2.2.2",
        &["MS-OXCPERM_R1170", "MS-OXCPERM_R65", "MS-OXCPERM_R66"],
        modify_response,
    ),
    case(
        "oxcperm_modify_or_remove_of_unknown_member_is_ignored",
        "MS-OXCPERM 3.2.5.2",
        &["MS-OXCPERM_R1175"],
        unknown_member_ignored,
    ),
    case(
        "oxcperm_security_descriptor_stream_not_implemented",
        "MS-OXCPERM 3.2.5.3",
        &["MS-OXCPERM_R183", "MS-OXCPERM_R152"],
        security_descriptor,
    ),
    case(
        "oxcperm_remove_default_entry_leaves_no_rights",
        "MS-OXCPERM 2.2.2.1.1",
        &["MS-OXCPERM_R186", "MS-OXCPERM_R190"],
        remove_default,
    ),
    case2(
        "oxcperm_add_row_adds_the_user",
        "MS-OXCPERM 2.2.2.1.1",
        &["MS-OXCPERM_R47", "MS-OXCPERM_R51"],
        add_row,
    ),
    case2(
        "oxcperm_user_entry_id_is_the_permanent_entry_id",
        "MS-OXCPERM 2.2.4",
        &["MS-OXCPERM_R1069", "MS-OXCPERM_R70"],
        user_entry_id,
    ),
    case2(
        "oxcperm_user_entry_has_a_readable_name",
        "MS-OXCPERM 2.2.6",
        &["MS-OXCPERM_R1081", "MS-OXCPERM_R81"],
        user_name,
    ),
    case2("oxcperm_member_ids_are_unique", "MS-OXCPERM 2.2.5", &["MS-OXCPERM_R74"], member_ids_unique),
    case2(
        "oxcperm_modify_row_changes_rights",
        "MS-OXCPERM 2.2.2.1.1",
        &["MS-OXCPERM_R1187", "MS-OXCPERM_R52", "MS-OXCPERM_R87"],
        modify_row_changes,
    ),
    case2(
        "oxcperm_remove_row_deletes_the_user",
        "MS-OXCPERM 2.2.2.1.1",
        &["MS-OXCPERM_R1188", "MS-OXCPERM_R186"],
        remove_row_deletes,
    ),
    case2(
        "oxcperm_replace_rows_keeps_the_default_entry",
        "MS-OXCPERM 2.2.2.1",
        &["MS-OXCPERM_R1197"],
        replace_rows,
    ),
    case2(
        "oxcperm_replace_rows_only_adds",
        "MS-OXCPERM 2.2.2.1",
        &["MS-OXCPERM_R45"],
        replace_rows_only_adds,
    ),
    case2(
        "oxcperm_undefined_rights_flags_are_not_set",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R1093"],
        undefined_flags,
    ),
    case2(
        "oxcperm_include_free_busy_reports_free_busy_flags",
        "MS-OXCPERM 2.2.1.1",
        &["MS-OXCPERM_R19", "MS-OXCPERM_R40"],
        include_free_busy,
    ),
    case2(
        "oxcperm_without_include_free_busy_free_busy_flags_are_kept",
        "MS-OXCPERM 2.2.2.1",
        &["MS-OXCPERM_R40", "MS-OXCPERM_R3001"],
        free_busy_kept,
    ),
    case2(
        "oxcperm_folder_visible_opens_the_folder",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R1120", "MS-OXCPERM_R173"],
        visible_opens,
    ),
    case2(
        "oxcperm_without_folder_visible_the_folder_does_not_open",
        "MS-OXCPERM 3.2.4.1",
        &["MS-OXCPERM_R1192"],
        invisible_refused,
    ),
    case2(
        "oxcperm_folder_visible_shows_the_folder_in_the_hierarchy",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R103"],
        hierarchy_shows_visible,
    ),
    case2("oxcperm_read_any_reads_others_messages", "MS-OXCPERM 2.2.7", &["MS-OXCPERM_R143"], read_any),
    case2(
        "oxcperm_without_read_any_others_messages_are_unreadable",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R144"],
        no_read_any,
    ),
    case2("oxcperm_create_creates_messages", "MS-OXCPERM 2.2.7", &["MS-OXCPERM_R140"], create),
    case2(
        "oxcperm_without_create_no_message_is_created",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R141"],
        no_create,
    ),
    case2("oxcperm_edit_owned_edits_own_messages", "MS-OXCPERM 2.2.7", &["MS-OXCPERM_R131"], edit_owned),
    case2(
        "oxcperm_without_edit_owned_own_messages_stay",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R132"],
        no_edit_owned,
    ),
    case2(
        "oxcperm_without_edit_any_others_messages_stay",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R125"],
        no_edit_any,
    ),
    case2("oxcperm_edit_any_edits_others_messages", "MS-OXCPERM 2.2.7", &["MS-OXCPERM_R124"], edit_any),
    case2(
        "oxcperm_delete_owned_deletes_own_messages",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R127"],
        delete_owned,
    ),
    case2(
        "oxcperm_without_delete_owned_own_messages_stay",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R128"],
        no_delete_owned,
    ),
    case2(
        "oxcperm_without_delete_any_others_messages_stay",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R122"],
        no_delete_any,
    ),
    case2("oxcperm_delete_any_deletes_others_messages", "MS-OXCPERM 2.2.7", &["MS-OXCPERM_R121"], delete_any),
    case2(
        "oxcperm_create_subfolder_creates_folders",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R118"],
        create_subfolder,
    ),
    case2(
        "oxcperm_without_create_subfolder_no_folder_is_created",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R119"],
        no_create_subfolder,
    ),
    case2(
        "oxcperm_modify_without_folder_owner_is_access_denied",
        "MS-OXCPERM 3.2.5.2",
        &["MS-OXCPERM_R180", "MS-OXCPERM_R181"],
        modify_denied,
    ),
    case2(
        "oxcperm_folder_owner_modifies_the_list",
        "MS-OXCPERM 2.2.7, 3.2.5.2",
        &["MS-OXCPERM_R115002", "MS-OXCPERM_R182"],
        owner_modifies,
    ),
    case2(
        "oxcperm_without_folder_owner_folder_properties_stay",
        "MS-OXCPERM 2.2.7",
        &["MS-OXCPERM_R116001"],
        no_owner_props,
    ),
    case2(
        "oxcperm_query_rows_without_visibility_is_access_denied",
        "MS-OXCPERM 3.2.5.1",
        &["MS-OXCPERM_R2007", "MS-OXCPERM_R177"],
        query_rows_denied,
    ),
    case2(
        "oxcperm_a_users_own_entry_applies",
        "MS-OXCPERM 3.2.4.1",
        &["MS-OXCPERM_R175", "MS-OXCPERM_R2016"],
        own_entry_applies,
    ),
    case2(
        "oxcperm_the_default_entry_applies_to_others",
        "MS-OXCPERM 3.2.4.1",
        &["MS-OXCPERM_R176", "MS-OXCPERM_R2016"],
        default_applies,
    ),
    case2(
        "oxcperm_a_removed_permission_applies_to_an_open_logon",
        "MS-OXCPERM 3.2.4.1",
        &["MS-OXCPERM_R1192", "MS-OXCPERM_R173"],
        removed_applies,
    ),
    case2(
        "oxcperm_pidtagrights_is_the_users_own_rights",
        "MS-OXCFOLD 2.2.2.2.2.8",
        &[
            "MS-OXCFOLD 2.2.2.2.2.8 (PidTagRights: the client's folder permissions, in the format of PidTagMemberRights)",
        ],
        pidtagrights,
    ),
    case(
        "oxcperm_public_folder_has_a_permission_list",
        "MS-OXCPERM 3.2.5.1",
        &["MS-OXCPERM_R189", "MS-OXCPERM_R190", "MS-OXCPERM_R2006"],
        public_folder_list,
    ),
];

/// A folder the case creates in the public store (under the public IPM subtree, on a public
/// logon of its own) has a permission list like a mailbox folder — the Default (0) and
/// Anonymous (-1) entries — and the folder is deleted again. A skip without public folders.
fn public_folder_list(ctx: &mut Ctx) -> CaseResult {
    let (mut e, handle, p) = super::oxcstor::public_logon(ctx)?;
    let name = format!("oxmapi-conformance-{:08x}", rand::random::<u32>());
    let reqs = [
        rops::open_folder(0, 1, p.folder_ids[1]),
        rops::create_folder(1, 2, &name, false),
        RopRequest::GetPermissionsTable(GetTableRequest {
            logon_id: 0,
            input_handle_index: 2,
            output_handle_index: 3,
            table_flags: 0,
        }),
        rops::set_columns(3, &[PR_MEMBER_ID, PR_MEMBER_NAME, PR_MEMBER_RIGHTS, PR_ENTRYID]),
        rops::query_rows(3, 0x1000, true),
    ];
    let exec = e.execute(&reqs, vec![handle, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE]);
    let created = exec.as_ref().ok().and_then(|x| match x.responses.get(1) {
        Some(RopResponse::CreateFolder(o)) => o.body.as_ref().map(|b| b.folder_id),
        _ => None,
    });
    if let (Some(fid), Ok(x)) = (created, &exec) {
        // Hard delete with its contents (DEL_FOLDERS | DEL_MESSAGES | DELETE_HARD_DELETE).
        let _ = e.execute(&[rops::delete_folder(1, fid, 0x15)], x.handles.clone());
    }
    let _ = e.disconnect();
    let exec = exec?;
    if exec.responses.len() < 5 {
        return Err(fail("five responses", exec.decode_error.clone().unwrap_or_default()));
    }
    expect_rv("RopCreateFolder in the public IPM subtree", &exec.responses[1], 0)?;
    let tail = Exec { responses: exec.responses[2..].to_vec(), ..exec };
    let entries = rows_of(&tail)?.iter().map(entry).collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).take(2).collect();
    eq("the first two PidTagMemberId values (Default, Anonymous)", vec![0, -1], ids)
}

// ---- the first user's side -------------------------------------------------------------------

/// A folder of the case's own: its FID and open handle.
fn folder(ctx: &mut Ctx, name: &str) -> Result<(ObjectId, u32), Verdict> {
    ctx.new_folder(name)
}

fn get_table(flags: u8) -> RopRequest {
    RopRequest::GetPermissionsTable(GetTableRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: 1,
        table_flags: flags,
    })
}

fn modify_request(input: u8, flags: u8, rows: Vec<PermissionData>) -> RopRequest {
    RopRequest::ModifyPermissions(ModifyPermissionsRequest {
        logon_id: 0,
        input_handle_index: input,
        modify_flags: flags,
        permissions_data: rows,
    })
}

fn ab_entry_id(dn: &str) -> Vec<u8> {
    EntryId::AbPermanent(AbPermanentEntryId { flags: 0, version: 1, display_type: 0, dn: dn.to_string() })
        .to_bytes()
}

/// AddRow (MS-OXCPERM 3.1.4.2): PidTagEntryId and PidTagMemberRights.
fn add(dn: &str, rights: i32) -> PermissionData {
    PermissionData {
        permission_data_flags: 0x01,
        property_values: vec![
            TaggedValue::new(PR_ENTRYID, PropValue::Binary(ab_entry_id(dn))),
            TaggedValue::new(PR_MEMBER_RIGHTS, PropValue::I32(rights)),
        ],
    }
}

/// ModifyRow (3.1.4.3): PidTagMemberId and PidTagMemberRights.
fn modify_row(id: i64, rights: i32) -> PermissionData {
    PermissionData {
        permission_data_flags: 0x02,
        property_values: vec![
            TaggedValue::new(PR_MEMBER_ID, PropValue::I64(id)),
            TaggedValue::new(PR_MEMBER_RIGHTS, PropValue::I32(rights)),
        ],
    }
}

/// RemoveRow (3.1.4.4): PidTagMemberId only.
fn remove_row(id: i64) -> PermissionData {
    PermissionData {
        permission_data_flags: 0x04,
        property_values: vec![TaggedValue::new(PR_MEMBER_ID, PropValue::I64(id))],
    }
}

/// RopModifyPermissions on the folder `h` by the first user: the response.
fn modify(ctx: &mut Ctx, h: u32, flags: u8, rows: Vec<PermissionData>) -> Result<RopResponse, Verdict> {
    Ok(ctx.rop(&[h], modify_request(0, flags, rows))?.resp)
}

fn modify_ok(ctx: &mut Ctx, h: u32, flags: u8, rows: Vec<PermissionData>) -> CaseResult {
    expect_rv("RopModifyPermissions", &modify(ctx, h, flags, rows)?, 0)
}

/// The permission list of folder `h` with `columns` (GetPermissionsTable, SetColumns,
/// QueryRows) as the first user sees it.
fn list_with(ctx: &mut Ctx, h: u32, flags: u8, columns: &[PropTag]) -> Result<Vec<PropertyRow>, Verdict> {
    let reqs = [get_table(flags), rops::set_columns(1, columns), rops::query_rows(1, 0x1000, true)];
    let exec = ctx.rops(&reqs, vec![h, UNUSED_HANDLE])?;
    rows_of(&exec)
}

fn rows_of(exec: &Exec) -> Result<Vec<PropertyRow>, Verdict> {
    if exec.responses.len() < 3 {
        return Err(fail(
            "three responses",
            exec.decode_error.clone().unwrap_or_else(|| format!("{}", exec.responses.len())),
        ));
    }
    expect_rv("RopGetPermissionsTable", &exec.responses[0], 0)?;
    expect_rv("RopSetColumns", &exec.responses[1], 0)?;
    let b = crate::body!(exec.responses[2], QueryRows)?;
    match &b.rows {
        oxmapi_wire::rop::outcome::Rows::Decoded { rows, .. } => Ok(rows.clone()),
        other => Err(fail("decoded rows", format!("{other:?}"))),
    }
}

/// One entry of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    id: i64,
    name: String,
    rights: i32,
    entry_id: Vec<u8>,
}

fn list(ctx: &mut Ctx, h: u32, flags: u8) -> Result<Vec<Entry>, Verdict> {
    let rows = list_with(ctx, h, flags, &[PR_MEMBER_ID, PR_MEMBER_NAME, PR_MEMBER_RIGHTS, PR_ENTRYID])?;
    rows.iter().map(entry).collect()
}

fn entry(row: &PropertyRow) -> Result<Entry, Verdict> {
    match &row.values[..] {
        [
            RowValue::Value(PropValue::I64(id)),
            RowValue::Value(name),
            RowValue::Value(PropValue::I32(rights)),
            RowValue::Value(PropValue::Binary(eid)),
        ] => Ok(Entry {
            id: *id,
            name: name.as_text().map(|s| s.into_owned()).unwrap_or_default(),
            rights: *rights,
            entry_id: eid.clone(),
        }),
        other => {
            Err(fail("a row of PtypInteger64, PtypString, PtypInteger32, PtypBinary", format!("{other:?}")))
        }
    }
}

fn dn_of(eid: &[u8]) -> Option<String> {
    match EntryId::parse(eid) {
        Ok(EntryId::AbPermanent(ab)) => Some(ab.dn),
        _ => None,
    }
}

/// The second user's entry in the list of `h`.
fn entry_of(ctx: &mut Ctx, h: u32, flags: u8, dn: &str) -> Result<Option<Entry>, Verdict> {
    Ok(list(ctx, h, flags)?
        .into_iter()
        .find(|e| dn_of(&e.entry_id).is_some_and(|d| d.eq_ignore_ascii_case(dn))))
}

fn me2_dn(ctx: &Ctx) -> Result<String, Verdict> {
    ctx.me2.as_ref().map(|m| m.dn.clone()).ok_or_else(|| Verdict::Skip("needs a second account".into()))
}

/// Gives the second user `rights` on folder `h`.
fn grant(ctx: &mut Ctx, h: u32, rights: i32) -> CaseResult {
    let dn = me2_dn(ctx)?;
    modify_ok(ctx, h, 0, vec![add(&dn, rights)])
}

/// A message the first user saves in `fid` (open as `h`): its MID.
fn message(ctx: &mut Ctx, h: u32, fid: ObjectId, subject: &str) -> Result<ObjectId, Verdict> {
    let reqs = [
        rops::create_message(0, 1, fid, false),
        rops::set_props(1, vec![TaggedValue::new(PR_SUBJECT, PropValue::Unicode(subject.into()))]),
        rops::save_message(1, 1, 0x02),
    ];
    let exec = ctx.rops(&reqs, vec![h, UNUSED_HANDLE])?;
    let b = crate::body!(exec.responses[2], SaveChangesMessage)?;
    Ok(b.message_id)
}

// ---- the second user's side ------------------------------------------------------------------

/// The second user logged on to the first user's mailbox.
struct Delegate {
    ems: Emsmdb,
    logon: u32,
}

impl Delegate {
    fn exec(&mut self, reqs: &[RopRequest], slots: usize) -> Result<Exec, Verdict> {
        let mut handles = vec![UNUSED_HANDLE; slots + 1];
        handles[0] = self.logon;
        let exec = self.ems.execute(reqs, handles)?;
        if exec.error_code != 0 {
            return Err(fail("Execute ErrorCode 0", code(exec.error_code)));
        }
        Ok(exec)
    }

    /// The first nonzero ReturnValue of the responses (0 when all succeeded).
    fn first_failure(exec: &Exec) -> u32 {
        exec.responses.iter().map(crate::case::rv).find(|c| *c != 0).unwrap_or(0)
    }

    fn open(&mut self, fid: ObjectId) -> Result<u32, Verdict> {
        let exec = self.exec(&[rops::open_folder(0, 1, fid)], 1)?;
        Ok(Self::first_failure(&exec))
    }

    /// Creates and saves a message in `fid`: the first failure, or the MID.
    fn create(&mut self, fid: ObjectId, subject: &str) -> Result<Result<ObjectId, u32>, Verdict> {
        let reqs = [
            rops::open_folder(0, 1, fid),
            rops::create_message(1, 2, fid, false),
            rops::set_props(2, vec![TaggedValue::new(PR_SUBJECT, PropValue::Unicode(subject.into()))]),
            rops::save_message(2, 2, 0x02),
            rops::release(2),
            rops::release(1),
        ];
        let exec = self.exec(&reqs, 2)?;
        match Self::first_failure(&exec) {
            0 => Ok(Ok(crate::body!(exec.responses[3], SaveChangesMessage)?.message_id)),
            c => Ok(Err(c)),
        }
    }

    fn edit(&mut self, fid: ObjectId, mid: ObjectId) -> Result<u32, Verdict> {
        let reqs = [
            rops::open_folder(0, 1, fid),
            rops::open_message(1, 2, fid, mid, 0x01),
            rops::set_props(2, vec![TaggedValue::new(PR_SUBJECT, PropValue::Unicode("changed".into()))]),
            rops::save_message(2, 2, 0x02),
            rops::release(2),
            rops::release(1),
        ];
        Ok(Self::first_failure(&self.exec(&reqs, 2)?))
    }

    fn read(&mut self, fid: ObjectId, mid: ObjectId) -> Result<u32, Verdict> {
        let reqs = [
            rops::open_folder(0, 1, fid),
            rops::open_message(1, 2, fid, mid, 0),
            rops::release(2),
            rops::release(1),
        ];
        Ok(Self::first_failure(&self.exec(&reqs, 2)?))
    }

    fn delete(&mut self, fid: ObjectId, mid: ObjectId) -> Result<u32, Verdict> {
        let del = RopRequest::HardDeleteMessages(DeleteMessagesRequest {
            logon_id: 0,
            input_handle_index: 1,
            want_asynchronous: 0,
            notify_non_read: 0,
            message_ids: vec![mid],
        });
        let exec = self.exec(&[rops::open_folder(0, 1, fid), del, rops::release(1)], 1)?;
        let code = Self::first_failure(&exec);
        if code != 0 {
            return Ok(code);
        }
        // A server may answer PartialCompletion instead of failing the whole request.
        let b = crate::body!(exec.responses[1], HardDeleteMessages)?;
        Ok(if b.partial_completion != 0 { ACCESS_DENIED } else { 0 })
    }

    fn create_folder(&mut self, fid: ObjectId, name: &str) -> Result<u32, Verdict> {
        let reqs = [
            rops::open_folder(0, 1, fid),
            rops::create_folder(1, 2, name, false),
            rops::release(2),
            rops::release(1),
        ];
        Ok(Self::first_failure(&self.exec(&reqs, 2)?))
    }

    fn modify(&mut self, fid: ObjectId, rows: Vec<PermissionData>) -> Result<u32, Verdict> {
        let exec =
            self.exec(&[rops::open_folder(0, 1, fid), modify_request(1, 0, rows), rops::release(1)], 1)?;
        Ok(Self::first_failure(&exec))
    }

    fn children(&mut self, fid: ObjectId) -> Result<Result<Vec<String>, u32>, Verdict> {
        let reqs = [
            rops::open_folder(0, 1, fid),
            rops::hierarchy_table(1, 2, 0x40),
            rops::set_columns(2, &[PR_DISPLAY_NAME]),
            rops::query_rows(2, 0x1000, true),
            rops::release(2),
            rops::release(1),
        ];
        let exec = self.exec(&reqs, 2)?;
        match Self::first_failure(&exec) {
            0 => {
                let b = crate::body!(exec.responses[3], QueryRows)?;
                let oxmapi_wire::rop::outcome::Rows::Decoded { rows, .. } = &b.rows else {
                    return Err(fail("decoded rows", "undecoded rows"));
                };
                Ok(Ok(rows
                    .iter()
                    .filter_map(|r| match r.values.first() {
                        Some(RowValue::Value(v)) => v.as_text().map(|s| s.into_owned()),
                        _ => None,
                    })
                    .collect()))
            }
            c => Ok(Err(c)),
        }
    }
}

impl Drop for Delegate {
    fn drop(&mut self) {
        let _ = self.ems.disconnect();
    }
}

/// Connects as the second user and logs on to the first user's mailbox. Skips when the second
/// user holds owner rights on the whole mailbox (OwnerRight in the RopLogon response).
fn delegate(ctx: &Ctx) -> Result<Delegate, Verdict> {
    let (Some(creds), Some(me2)) = (ctx.cfg.user2.clone(), ctx.me2.clone()) else {
        return Err(Verdict::Skip("needs a second account".into()));
    };
    let mut ems = ctx.emsmdb_as(creds);
    crate::context::connect_ok(&mut ems, &me2.dn)?;
    let exec = ems.execute(&[rops::logon_private(0, &ctx.me.dn)], vec![UNUSED_HANDLE])?;
    let Some(RopResponse::Logon(o)) = exec.responses.first() else {
        return Err(fail("a RopLogon response", format!("{:?}", exec.responses)));
    };
    match &o.body {
        Some(LogonResponse::Private(p)) if o.return_value == 0 => {
            if p.response_flags & logon_response_flags::OWNER_RIGHT != 0 {
                let _ = ems.disconnect();
                return Err(Verdict::Skip(
                    "the second user has owner rights on the first user's mailbox (a full-access grant): folder \
                     permissions do not limit it"
                        .into(),
                ));
            }
            Ok(Delegate { ems, logon: exec.handles[0] })
        }
        _ => Err(fail(
            "the second user's RopLogon to the first user's mailbox (with a right on one of its folders) to succeed",
            code(o.return_value),
        )),
    }
}

// ---- cases: the table ------------------------------------------------------------------------

fn returns_a_table(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-table")?;
    let one = ctx.rop(&[h], get_table(0))?;
    expect_rv("RopGetPermissionsTable", &one.resp, 0)?;
    ensure(one.out.is_some(), "an output handle to a Table object", "none")
}

fn query_rows_returns_the_list(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-rows")?;
    let entries = list(ctx, h, 0)?;
    ensure(
        entries.len() >= 2,
        "one row per entry: at least Default and Anonymous",
        format!("{} rows", entries.len()),
    )
}

fn default_entry(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-default")?;
    let e = list(ctx, h, 0)?
        .into_iter()
        .find(|e| e.id == 0)
        .ok_or_else(|| fail("an entry with PidTagMemberId 0", "none"))?;
    eq("PidTagMemberName of the Default entry", "", e.name.as_str())
}

fn anonymous_entry(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-anonymous")?;
    let e = list(ctx, h, 0)?
        .into_iter()
        .find(|e| e.id == -1)
        .ok_or_else(|| fail("an entry with PidTagMemberId 0xFFFFFFFFFFFFFFFF", "none"))?;
    eq("PidTagMemberName of the Anonymous entry", "Anonymous", e.name.as_str())
}

fn reserved_entry_ids(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-reserved-eid")?;
    for e in list(ctx, h, 0)?.iter().filter(|e| e.id == 0 || e.id == -1) {
        eq(&format!("PidTagEntryId length of member {}", e.id), 0, e.entry_id.len())?;
    }
    Ok(())
}

fn typed_column(ctx: &mut Ctx, name: &str, tag: PropTag, ok: fn(&PropValue) -> bool) -> CaseResult {
    let (_, h) = folder(ctx, name)?;
    let rows = list_with(ctx, h, 0, &[tag])?;
    for row in rows {
        match row.values.first() {
            Some(RowValue::Value(v)) if ok(v) => {}
            other => return Err(fail(format!("{tag:?} values of its type"), format!("{other:?}"))),
        }
    }
    Ok(())
}

fn member_id_type(ctx: &mut Ctx) -> CaseResult {
    typed_column(ctx, "perm-id-type", PR_MEMBER_ID, |v| matches!(v, PropValue::I64(_)))
}

fn member_rights_type(ctx: &mut Ctx) -> CaseResult {
    typed_column(ctx, "perm-rights-type", PR_MEMBER_RIGHTS, |v| matches!(v, PropValue::I32(_)))
}

fn member_name_type(ctx: &mut Ctx) -> CaseResult {
    typed_column(ctx, "perm-name-type", PR_MEMBER_NAME, |v| matches!(v, PropValue::Unicode(_)))
}

fn columns_in_order(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-order")?;
    let rows = list_with(ctx, h, 0, &[PR_MEMBER_RIGHTS, PR_MEMBER_ID])?;
    let row = rows.first().ok_or_else(|| fail("rows", "none"))?;
    match &row.values[..] {
        [RowValue::Value(PropValue::I32(_)), RowValue::Value(PropValue::I64(_))] => Ok(()),
        other => Err(fail("PidTagMemberRights then PidTagMemberId", format!("{other:?}"))),
    }
}

fn modify_default(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-modify-default")?;
    modify_ok(ctx, h, 0, vec![modify_row(0, r::FOLDER_VISIBLE)])?;
    let e =
        list(ctx, h, 0)?.into_iter().find(|e| e.id == 0).ok_or_else(|| fail("the Default entry", "none"))?;
    eq("rights of the Default entry", r::FOLDER_VISIBLE, e.rights)
}

fn modify_response(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-modify-response")?;
    let resp = modify(ctx, h, 0, vec![modify_row(0, 0)])?;
    ensure(
        matches!(resp, RopResponse::ModifyPermissions(_)),
        "a RopModifyPermissions response",
        format!("{:?}", resp.rop_id()),
    )?;
    expect_rv("RopModifyPermissions", &resp, 0)
}

fn unknown_member_ignored(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-unknown")?;
    let before = list(ctx, h, 0)?;
    modify_ok(ctx, h, 0, vec![modify_row(0x7FFF_FFF0, r::READ_ANY), remove_row(0x7FFF_FFF1)])?;
    eq("the list after changes to unknown members", before, list(ctx, h, 0)?)
}

fn security_descriptor(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-sd")?;
    let open = RopRequest::OpenStream(OpenStreamRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: 1,
        property_tag: PR_NT_SECURITY_DESCRIPTOR_AS_XML,
        open_mode_flags: 0,
    });
    let one = ctx.rop(&[h], open)?;
    expect_rv("RopOpenStream on PidTagSecurityDescriptorAsXml", &one.resp, NOT_IMPLEMENTED)
}

fn remove_default(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-remove-default")?;
    modify_ok(ctx, h, 0, vec![modify_row(0, r::READ_ANY | r::FOLDER_VISIBLE)])?;
    modify_ok(ctx, h, 0, vec![remove_row(0)])?;
    let e = list(ctx, h, 0)?.into_iter().find(|e| e.id == 0);
    ensure(
        e.as_ref().is_none_or(|e| e.rights == 0),
        "the Default entry gone or without rights",
        format!("{e:?}"),
    )
}

// ---- cases: changing the list ----------------------------------------------------------------

fn add_row(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-add")?;
    let dn = me2_dn(ctx)?;
    let before = list(ctx, h, 0)?.len();
    grant(ctx, h, r::READ_ANY | r::FOLDER_VISIBLE)?;
    let e = entry_of(ctx, h, 0, &dn)?.ok_or_else(|| fail("the added user in the list", "absent"))?;
    eq("rights of the added user", r::READ_ANY | r::FOLDER_VISIBLE, e.rights)?;
    eq("entries", before + 1, list(ctx, h, 0)?.len())
}

fn user_entry_id(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-user-eid")?;
    grant(ctx, h, r::FOLDER_VISIBLE)?;
    let dn = me2_dn(ctx)?;
    let e = list(ctx, h, 0)?
        .into_iter()
        .find(|e| e.id != 0 && e.id != -1)
        .ok_or_else(|| fail("a user entry", "none"))?;
    ensure(
        dn_of(&e.entry_id).is_some_and(|d| d.eq_ignore_ascii_case(&dn)),
        format!("a PermanentEntryID of {dn}"),
        format!("{:02X?}", e.entry_id),
    )
}

fn user_name(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-user-name")?;
    grant(ctx, h, r::FOLDER_VISIBLE)?;
    let dn = me2_dn(ctx)?;
    let e = entry_of(ctx, h, 0, &dn)?.ok_or_else(|| fail("the user entry", "none"))?;
    ensure(!e.name.is_empty(), "a user-readable PidTagMemberName", "an empty name")
}

fn member_ids_unique(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-unique-ids")?;
    grant(ctx, h, r::FOLDER_VISIBLE)?;
    let ids: Vec<i64> = list(ctx, h, 0)?.iter().map(|e| e.id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    eq("distinct PidTagMemberId values", ids.len(), sorted.len())
}

fn modify_row_case(ctx: &mut Ctx, name: &str) -> Result<(u32, i64, String), Verdict> {
    let (_, h) = folder(ctx, name)?;
    grant(ctx, h, r::FOLDER_VISIBLE)?;
    let dn = me2_dn(ctx)?;
    let e = entry_of(ctx, h, 0, &dn)?.ok_or_else(|| fail("the user entry", "none"))?;
    Ok((h, e.id, dn))
}

fn modify_row_changes(ctx: &mut Ctx) -> CaseResult {
    let (h, id, dn) = modify_row_case(ctx, "perm-modify-row")?;
    modify_ok(ctx, h, 0, vec![modify_row(id, r::READ_ANY | r::CREATE | r::FOLDER_VISIBLE)])?;
    let e = entry_of(ctx, h, 0, &dn)?.ok_or_else(|| fail("the user entry", "none"))?;
    eq("rights after ModifyRow", r::READ_ANY | r::CREATE | r::FOLDER_VISIBLE, e.rights)
}

fn remove_row_deletes(ctx: &mut Ctx) -> CaseResult {
    let (h, id, dn) = modify_row_case(ctx, "perm-remove-row")?;
    modify_ok(ctx, h, 0, vec![remove_row(id)])?;
    ensure(entry_of(ctx, h, 0, &dn)?.is_none(), "the user gone from the list", "still listed")
}

fn replace_rows(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-replace")?;
    let dn = me2_dn(ctx)?;
    let me = ctx.me.dn.clone();
    modify_ok(ctx, h, 0, vec![modify_row(0, r::FOLDER_VISIBLE), add(&dn, r::READ_ANY | r::FOLDER_VISIBLE)])?;
    // Replace the list by one entry (the first user, who is the owner anyway).
    modify_ok(ctx, h, 0x01, vec![add(&me, r::FOLDER_VISIBLE)])?;
    let entries = list(ctx, h, 0)?;
    let default = entries.iter().find(|e| e.id == 0).map(|e| e.rights);
    eq("the Default entry's rights after ReplaceRows", Some(r::FOLDER_VISIBLE), default)?;
    ensure(
        !entries.iter().any(|e| dn_of(&e.entry_id).is_some_and(|d| d.eq_ignore_ascii_case(&dn))),
        "the second user replaced",
        "still listed",
    )
}

fn replace_rows_only_adds(ctx: &mut Ctx) -> CaseResult {
    let (h, id, dn) = modify_row_case(ctx, "perm-replace-add-only")?;
    let resp = modify(ctx, h, 0x01, vec![modify_row(id, r::READ_ANY | r::FOLDER_VISIBLE)])?;
    let e = entry_of(ctx, h, 0, &dn)?;
    // Either the request is refused, or it replaced the list with nothing to add.
    ensure(
        crate::case::rv(&resp) != 0 || e.is_none(),
        "a ModifyRow with ReplaceRows refused or not applied",
        format!("ReturnValue {}, entry {e:?}", code(crate::case::rv(&resp))),
    )
}

fn undefined_flags(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-undefined-flags")?;
    let dn = me2_dn(ctx)?;
    let resp = modify(ctx, h, 0, vec![add(&dn, r::FOLDER_VISIBLE | 0x0010_0000)])?;
    if crate::case::rv(&resp) != 0 {
        return Ok(());
    }
    let e = entry_of(ctx, h, 0, &dn)?.ok_or_else(|| fail("the user entry", "none"))?;
    eq("undefined flag 0x00100000 in PidTagMemberRights", 0, e.rights & 0x0010_0000)
}

fn include_free_busy(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-free-busy")?;
    let dn = me2_dn(ctx)?;
    let fb = r::FREE_BUSY_SIMPLE | r::FREE_BUSY_DETAILED;
    modify_ok(ctx, h, 0x02, vec![add(&dn, r::FOLDER_VISIBLE | fb)])?;
    let e = entry_of(ctx, h, 0x02, &dn)?.ok_or_else(|| fail("the user entry", "none"))?;
    eq("free/busy flags with IncludeFreeBusy", fb, e.rights & fb)
}

fn free_busy_kept(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = folder(ctx, "perm-free-busy-kept")?;
    let dn = me2_dn(ctx)?;
    let fb = r::FREE_BUSY_SIMPLE | r::FREE_BUSY_DETAILED;
    modify_ok(ctx, h, 0x02, vec![add(&dn, r::FOLDER_VISIBLE | fb)])?;
    let id = entry_of(ctx, h, 0x02, &dn)?.ok_or_else(|| fail("the user entry", "none"))?.id;
    modify_ok(ctx, h, 0, vec![modify_row(id, r::READ_ANY | r::FOLDER_VISIBLE)])?;
    let e = entry_of(ctx, h, 0x02, &dn)?.ok_or_else(|| fail("the user entry", "none"))?;
    eq("rights after a ModifyRow without IncludeFreeBusy", r::READ_ANY | r::FOLDER_VISIBLE | fb, e.rights)
}

// ---- cases: what the rights allow ------------------------------------------------------------

/// A folder on which the second user has `rights`, a message of the first user in it, and the
/// second user's logon.
fn shared(ctx: &mut Ctx, name: &str, rights: i32) -> Result<(ObjectId, u32, ObjectId, Delegate), Verdict> {
    let (fid, h) = folder(ctx, name)?;
    let mid = message(ctx, h, fid, "the owner's")?;
    grant(ctx, h, rights)?;
    let d = delegate(ctx)?;
    Ok((fid, h, mid, d))
}

fn visible_opens(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, _, mut d) = shared(ctx, "perm-visible", r::FOLDER_VISIBLE)?;
    eq_code("RopOpenFolder with FolderVisible", 0, d.open(fid)?)
}

fn invisible_refused(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, mut d) = shared(ctx, "perm-invisible-a", r::FOLDER_VISIBLE)?;
    let (other, _) = folder(ctx, "perm-invisible-b")?;
    let c = d.open(other)?;
    ensure(c != 0, "RopOpenFolder without FolderVisible to fail (ecAccessDenied)", code(c))
}

fn hierarchy_shows_visible(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let (_, _, _, mut d) = shared(ctx, "perm-tree-a", r::FOLDER_VISIBLE)?;
    folder(ctx, "perm-tree-b")?;
    let sh = ctx.open_folder(scratch)?;
    grant(ctx, sh, r::FOLDER_VISIBLE)?;
    let seen = d.children(scratch);
    // Take the suite folder's entry back whatever happened.
    let dn = me2_dn(ctx)?;
    if let Some(e) = entry_of(ctx, sh, 0, &dn)? {
        modify_ok(ctx, sh, 0, vec![remove_row(e.id)])?;
    }
    let names = seen?.map_err(|c| fail("the hierarchy table of a visible folder", code(c)))?;
    ensure(
        names.iter().any(|n| n == "perm-tree-a") && !names.iter().any(|n| n == "perm-tree-b"),
        "perm-tree-a listed, perm-tree-b not",
        format!("{names:?}"),
    )
}

fn read_any(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, mid, mut d) = shared(ctx, "perm-read-any", r::READ_ANY | r::FOLDER_VISIBLE)?;
    eq_code("RopOpenMessage with ReadAny", 0, d.read(fid, mid)?)
}

fn no_read_any(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, mid, mut d) = shared(ctx, "perm-no-read-any", r::FOLDER_VISIBLE)?;
    let c = d.read(fid, mid)?;
    ensure(c != 0, "RopOpenMessage of another's message without ReadAny to fail", code(c))
}

fn create(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, _, mut d) = shared(ctx, "perm-create", r::CREATE | r::FOLDER_VISIBLE)?;
    d.create(fid, "the delegate's")?.map(|_| ()).map_err(|c| fail("a message created with Create", code(c)))
}

fn no_create(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, _, mut d) = shared(ctx, "perm-no-create", r::READ_ANY | r::FOLDER_VISIBLE)?;
    match d.create(fid, "planted")? {
        Ok(mid) => Err(fail("no message created without Create", format!("message {mid} saved"))),
        Err(_) => Ok(()),
    }
}

fn author(
    ctx: &mut Ctx,
    name: &str,
    rights: i32,
) -> Result<(ObjectId, ObjectId, ObjectId, Delegate), Verdict> {
    let (fid, h, mid, mut d) = shared(ctx, name, rights)?;
    let _ = h;
    let own =
        d.create(fid, "the delegate's")?.map_err(|c| fail("the delegate's message created", code(c)))?;
    Ok((fid, mid, own, d))
}

fn edit_owned(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, own, mut d) =
        author(ctx, "perm-edit-owned", r::READ_ANY | r::CREATE | r::EDIT_OWNED | r::FOLDER_VISIBLE)?;
    eq_code("changing one's own message with EditOwned", 0, d.edit(fid, own)?)
}

fn no_edit_owned(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, own, mut d) =
        author(ctx, "perm-no-edit-owned", r::READ_ANY | r::CREATE | r::FOLDER_VISIBLE)?;
    let c = d.edit(fid, own)?;
    ensure(c != 0, "changing one's own message without EditOwned to fail", code(c))
}

fn no_edit_any(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, mid, mut d) =
        shared(ctx, "perm-no-edit-any", r::READ_ANY | r::EDIT_OWNED | r::FOLDER_VISIBLE)?;
    let c = d.edit(fid, mid)?;
    ensure(c != 0, "changing another's message without EditAny to fail", code(c))
}

fn edit_any(ctx: &mut Ctx) -> CaseResult {
    let rights = r::READ_ANY | r::EDIT_OWNED | r::EDIT_ANY | r::FOLDER_VISIBLE;
    let (fid, _, mid, mut d) = shared(ctx, "perm-edit-any", rights)?;
    eq_code("changing another's message with EditAny", 0, d.edit(fid, mid)?)
}

fn delete_owned(ctx: &mut Ctx) -> CaseResult {
    let rights = r::READ_ANY | r::CREATE | r::DELETE_OWNED | r::FOLDER_VISIBLE;
    let (fid, _, own, mut d) = author(ctx, "perm-delete-owned", rights)?;
    eq_code("deleting one's own message with DeleteOwned", 0, d.delete(fid, own)?)
}

fn no_delete_owned(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, own, mut d) =
        author(ctx, "perm-no-delete-owned", r::READ_ANY | r::CREATE | r::FOLDER_VISIBLE)?;
    let c = d.delete(fid, own)?;
    ensure(c != 0, "deleting one's own message without DeleteOwned to fail", code(c))
}

fn no_delete_any(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, mid, mut d) =
        shared(ctx, "perm-no-delete-any", r::READ_ANY | r::DELETE_OWNED | r::FOLDER_VISIBLE)?;
    let c = d.delete(fid, mid)?;
    ensure(c != 0, "deleting another's message without DeleteAny to fail", code(c))
}

fn delete_any(ctx: &mut Ctx) -> CaseResult {
    let rights = r::READ_ANY | r::DELETE_OWNED | r::DELETE_ANY | r::FOLDER_VISIBLE;
    let (fid, _, mid, mut d) = shared(ctx, "perm-delete-any", rights)?;
    eq_code("deleting another's message with DeleteAny", 0, d.delete(fid, mid)?)
}

fn create_subfolder(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, _, mut d) = shared(ctx, "perm-subfolder", r::CREATE_SUBFOLDER | r::FOLDER_VISIBLE)?;
    eq_code("RopCreateFolder with CreateSubFolder", 0, d.create_folder(fid, "by the delegate")?)
}

fn no_create_subfolder(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, _, mut d) = shared(ctx, "perm-no-subfolder", r::READ_ANY | r::CREATE | r::FOLDER_VISIBLE)?;
    let c = d.create_folder(fid, "by the delegate")?;
    ensure(c != 0, "RopCreateFolder without CreateSubFolder to fail", code(c))
}

fn modify_denied(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, _, mut d) =
        shared(ctx, "perm-modify-denied", r::READ_ANY | r::FOLDER_VISIBLE | r::FOLDER_CONTACT)?;
    eq_code(
        "RopModifyPermissions without FolderOwner",
        ACCESS_DENIED,
        d.modify(fid, vec![modify_row(0, r::READ_ANY)])?,
    )
}

fn owner_modifies(ctx: &mut Ctx) -> CaseResult {
    let (fid, h, _, mut d) = shared(ctx, "perm-owner-modifies", r::FOLDER_OWNER | r::FOLDER_VISIBLE)?;
    eq_code(
        "RopModifyPermissions with FolderOwner",
        0,
        d.modify(fid, vec![modify_row(0, r::FOLDER_VISIBLE)])?,
    )?;
    let e = list(ctx, h, 0)?.into_iter().find(|e| e.id == 0).map(|e| e.rights);
    eq("the Default entry as the folder owner set it", Some(r::FOLDER_VISIBLE), e)
}

fn no_owner_props(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, _, mut d) = shared(ctx, "perm-no-owner-props", r::READ_ANY | r::FOLDER_VISIBLE)?;
    let reqs = [
        rops::open_folder(0, 1, fid),
        rops::set_props(1, vec![TaggedValue::new(PR_DISPLAY_NAME, PropValue::Unicode("renamed".into()))]),
        rops::release(1),
    ];
    let exec = d.exec(&reqs, 1)?;
    let c = Delegate::first_failure(&exec);
    let problems = match exec.responses.get(1) {
        Some(RopResponse::SetProperties(o)) => o.body.as_ref().is_some_and(|b| !b.problems.is_empty()),
        _ => false,
    };
    ensure(c != 0 || problems, "RopSetProperties on the folder without FolderOwner to fail", "it succeeded")
}

fn query_rows_denied(ctx: &mut Ctx) -> CaseResult {
    let (fid, h, _, mut d) = shared(ctx, "perm-query-denied", r::READ_ANY | r::FOLDER_VISIBLE)?;
    let exec = d.exec(
        &[rops::open_folder(0, 1, fid), {
            let RopRequest::GetPermissionsTable(mut q) = get_table(0) else { unreachable!() };
            q.input_handle_index = 1;
            q.output_handle_index = 2;
            RopRequest::GetPermissionsTable(q)
        }],
        2,
    )?;
    eq_code("RopGetPermissionsTable with FolderVisible", 0, Delegate::first_failure(&exec))?;
    let table = exec.handles[2];
    // Down to FolderContact only: the list is no longer visible.
    let dn = me2_dn(ctx)?;
    let id = entry_of(ctx, h, 0, &dn)?.ok_or_else(|| fail("the user entry", "none"))?.id;
    modify_ok(ctx, h, 0, vec![modify_row(id, r::FOLDER_CONTACT)])?;
    let exec = d.ems.execute(
        &[rops::set_columns(1, &[PR_MEMBER_ID]), rops::query_rows(1, 10, true)],
        vec![d.logon, table],
    )?;
    let resp = exec.responses.get(1).ok_or_else(|| fail("a RopQueryRows response", "none"))?;
    expect_rv("RopQueryRows without FolderVisible", resp, ACCESS_DENIED)
}

fn own_entry_applies(ctx: &mut Ctx) -> CaseResult {
    let (fid, h, _, mut d) = shared(ctx, "perm-own-entry", r::FOLDER_VISIBLE)?;
    modify_ok(ctx, h, 0, vec![modify_row(0, r::READ_ANY | r::FOLDER_VISIBLE)])?;
    let dn = me2_dn(ctx)?;
    let id = entry_of(ctx, h, 0, &dn)?.ok_or_else(|| fail("the user entry", "none"))?.id;
    // The user's own entry (no rights here) wins over Default's.
    modify_ok(ctx, h, 0, vec![modify_row(id, 0)])?;
    let c = d.open(fid)?;
    ensure(c != 0, "RopOpenFolder refused by the user's own entry despite Default's rights", code(c))
}

fn default_applies(ctx: &mut Ctx) -> CaseResult {
    // The second user needs a right somewhere to log on: a folder of its own.
    let (_, _, _, mut d) = shared(ctx, "perm-default-a", r::FOLDER_VISIBLE)?;
    let (fid, h) = folder(ctx, "perm-default-b")?;
    modify_ok(ctx, h, 0, vec![modify_row(0, r::READ_ANY | r::FOLDER_VISIBLE)])?;
    eq_code("RopOpenFolder by the Default entry's FolderVisible", 0, d.open(fid)?)
}

fn removed_applies(ctx: &mut Ctx) -> CaseResult {
    let (fid, h, _, mut d) = shared(ctx, "perm-removed", r::READ_ANY | r::FOLDER_VISIBLE)?;
    eq_code("RopOpenFolder while the permission is there", 0, d.open(fid)?)?;
    let dn = me2_dn(ctx)?;
    let id = entry_of(ctx, h, 0, &dn)?.ok_or_else(|| fail("the user entry", "none"))?.id;
    modify_ok(ctx, h, 0, vec![remove_row(id)])?;
    let c = d.open(fid)?;
    ensure(c != 0, "RopOpenFolder on the same logon to fail once the permission is removed", code(c))
}

fn pidtagrights(ctx: &mut Ctx) -> CaseResult {
    let (fid, _, _, mut d) = shared(ctx, "perm-pidtagrights", r::READ_ANY | r::CREATE | r::FOLDER_VISIBLE)?;
    let rights = PropTag::new(0x6639, oxmapi_core::ptype::PropType::Integer32);
    let exec = d.exec(&[rops::open_folder(0, 1, fid), rops::get_props(1, &[rights]), rops::release(1)], 1)?;
    let b = crate::body!(exec.responses[1], GetPropertiesSpecific)?;
    let oxmapi_wire::rop::outcome::Rows::Decoded { rows, .. } = &b.row else {
        return Err(fail("a decoded row", "undecoded"));
    };
    let got = rows.first().and_then(|r| r.values.first()).cloned();
    eq(
        "PidTagRights of the delegate",
        Some(RowValue::Value(PropValue::I32(r::READ_ANY | r::CREATE | r::FOLDER_VISIBLE))),
        got,
    )
}
