//! Store ROPs (MS-OXCSTOR 3.2.5): RopLogon, receive folders, store state and long-term IDs.

use std::sync::Arc;

use oxmapi_core::catalogue::tags::PR_OOF_STATE;
use oxmapi_core::consts::{logon_response_flags, logon_rop_flags, open_flags};
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::value::PropValue;
use oxmapi_core::{ErrorCode, MapiError};
use oxmapi_store::StoreError;
use oxmapi_store::settings::MailboxLimits;
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcstor::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{LogonObject, ServerObject, Slots};
use super::{Env, RopResult, RopSession, object};

/// Maps a store failure to the ReturnValue of a ROP.
pub(crate) fn store_code(e: StoreError) -> ErrorCode {
    tracing::debug!(error = %e, "store operation failed");
    MapiError::from(e).code
}

/// The logon object in slot `index`.
pub(crate) fn logon_in(rs: &RopSession, slots: &Slots, index: u8) -> Result<Arc<LogonObject>, ErrorCode> {
    match object(rs, slots, index)? {
        ServerObject::Logon(l) => Ok(l.clone()),
        _ => Err(codes::MAPI_E_NO_SUPPORT),
    }
}

fn logon_time() -> LogonTime {
    let secs = oxmapi_core::time::FileTime::now().unix_seconds();
    let (y, m, d, h, mi, s) = oxmapi_core::time::civil_from_unix(secs);
    // 1970-01-01 was a Thursday (day 4).
    let dow = (secs.div_euclid(86_400) + 4).rem_euclid(7);
    LogonTime {
        seconds: s as u8,
        minutes: mi as u8,
        hour: h as u8,
        day_of_week: dow as u8,
        day: d as u8,
        month: m as u8,
        year: y as u16,
    }
}

/// RopLogon (MS-OXCSTOR 3.2.5.1): a private logon opens the mailbox named by `Essdn` — the
/// session's own, another one the user holds a full-access grant on (or any, for an
/// administrator connected with admin privilege who asks for it in `OpenFlags`), or another one
/// where some folder's permission list gives the user a right (a logon limited by those lists,
/// [`super::access`]; a user with no right anywhere in the mailbox is refused with ecLoginPerm,
/// MS-OXCSTOR 3.2.5.1.1, as gromox refuses a mailbox without any permission); a public logon
/// opens the public folder store when one is enabled.
pub fn logon(env: &Env<'_>, rs: &mut RopSession, slots: &mut Slots, q: &LogonRequest) -> RopResult {
    let private = q.logon_flags & logon_rop_flags::PRIVATE != 0;
    let (obj, body) = if private { private_logon(env, q)? } else { public_logon(env, q)? };
    let handle = rs.handles.insert(ServerObject::Logon(Arc::new(obj)))?;
    if let Err(e) = slots.set(q.output_handle_index, handle) {
        rs.handles.release(handle);
        return Err(e);
    }
    rs.request_ctx.set_public(q.logon_id, !private);
    Ok(RopResponse::Logon(Outcome::ok(q.output_handle_index, body)))
}

fn private_logon(env: &Env<'_>, q: &LogonRequest) -> Result<(LogonObject, LogonResponse), ErrorCode> {
    let me = &env.session.user;
    let dn = q.essdn.as_deref().unwrap_or("");
    if dn.is_empty() {
        return Err(codes::EC_UNKNOWN_USER);
    }
    let dir = env.state.directory().map_err(store_code)?;
    let target = dir.user_by_dn(dn).map_err(store_code)?.ok_or(codes::EC_UNKNOWN_USER)?;
    let delegate = target.id != me.id;
    let mut admin_privilege = false;
    let mut by_rights = false;
    if delegate {
        // The session's user as the directory holds it now (a right withdrawn since Connect
        // counts; MS-OXCSTOR 3.2.5.1.1: no right to the mailbox is ecLoginPerm).
        let now = dir.user_by_id(me.id).map_err(store_code)?.filter(|u| u.enabled);
        let admin = now.as_ref().is_some_and(|u| u.admin)
            && env.session.connect_flags & oxmapi_core::consts::connect_flags::CONNECT_USE_ADMIN_PRIVILEGE
                != 0
            && q.open_flags & open_flags::USE_ADMIN_PRIVILEGE != 0;
        let granted = now.is_some() && dir.has_full_access(&target.name, &me.name).map_err(store_code)?;
        if now.is_none() {
            return Err(codes::EC_LOGIN_PERM);
        }
        admin_privilege = admin && !granted;
        by_rights = !admin && !granted;
    }
    if !target.enabled {
        return Err(codes::EC_MAILBOX_DISABLED);
    }
    let store = env.state.stores.private(&env.state.data, &target).map_err(store_code)?;
    if by_rights {
        super::access::admit_logon(&store, me)?;
    }
    let mut response_flags = if by_rights {
        // MS-OXCSTOR 2.2.1.1.3: OwnerRight only for a user with owner permission on the mailbox.
        logon_response_flags::RESERVED
    } else if delegate {
        logon_response_flags::RESERVED | logon_response_flags::OWNER_RIGHT
    } else {
        logon_response_flags::RESERVED
            | logon_response_flags::OWNER_RIGHT
            | logon_response_flags::SEND_AS_RIGHT
    };
    // OOF 0x10: "The Out of Office (OOF) state is set on the mailbox" (MS-OXCSTOR 2.2.1.1.3,
    // MS-OXCSTOR_R128/_R129), i.e. PidTagOutOfOfficeState on the mailbox is TRUE.
    if matches!(store.store_property(PR_OOF_STATE).map_err(store_code)?, Some(PropValue::Bool(true))) {
        response_flags |= logon_response_flags::OOF;
    }
    let body = LogonResponse::Private(LogonPrivate {
        logon_flags: q.logon_flags
            & (logon_rop_flags::PRIVATE | logon_rop_flags::UNDERCOVER | logon_rop_flags::GHOSTED),
        folder_ids: store.logon_folder_ids(),
        response_flags,
        mailbox_guid: store.mailbox_guid(),
        repl_id: store.replica_id(),
        repl_guid: store.replica_guid(),
        logon_time: logon_time(),
        gwart_time: 0,
        store_state: store.store_state(),
    });
    let limits = dir.mailbox_limits_for(&target).map_err(store_code)?;
    if !delegate {
        // PR_LAST_LOGON_TIME of the mailbox table (`oxmapi_store::directory::logons`); the
        // logon stands when the record cannot be written.
        let now = oxmapi_core::time::FileTime::now().unix_seconds();
        if let Err(e) = dir.record_logon(me.id, now) {
            tracing::warn!(error = %e, user = %me.name, "recording the logon time failed");
        }
    }
    let obj = LogonObject {
        logon_id: q.logon_id,
        store,
        private: true,
        owner: Some(target),
        delegate,
        user: me.clone(),
        limits,
        admin_privilege,
        by_rights,
        revoked: Default::default(),
        per_user_upload: Default::default(),
    };
    Ok((obj, body))
}

fn public_logon(env: &Env<'_>, q: &LogonRequest) -> Result<(LogonObject, LogonResponse), ErrorCode> {
    let store =
        env.state.stores.public(&env.state.data).map_err(store_code)?.ok_or(codes::MAPI_E_LOGON_FAILED)?;
    // Administrator as the directory holds the user now, not as at Connect.
    let dir = env.state.directory().map_err(store_code)?;
    let admin =
        dir.user_by_id(env.session.user.id).map_err(store_code)?.is_some_and(|u| u.enabled && u.admin);
    let body = LogonResponse::Public(LogonPublic {
        logon_flags: q.logon_flags & !logon_rop_flags::PRIVATE,
        folder_ids: store.logon_folder_ids(),
        repl_id: store.replica_id(),
        repl_guid: store.replica_guid(),
        per_user_guid: Guid::default(),
    });
    let obj = LogonObject {
        logon_id: q.logon_id,
        store,
        private: false,
        owner: None,
        delegate: false,
        user: env.session.user.clone(),
        limits: MailboxLimits::UNLIMITED,
        admin_privilege: false,
        // Every user's public logon is limited by the folders' permission lists (MS-OXCPERM
        // 3.2.4.1); an administrator may do everything, as on another user's mailbox.
        by_rights: !admin,
        revoked: Default::default(),
        per_user_upload: Default::default(),
    };
    Ok((obj, body))
}

/// RopGetReceiveFolder (MS-OXCSTOR 3.2.5.2).
pub fn get_receive_folder(rs: &RopSession, slots: &Slots, q: &GetReceiveFolderRequest) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    let (folder_id, explicit_message_class) =
        logon.store.receive_folder(&q.message_class).map_err(store_code)?;
    Ok(RopResponse::GetReceiveFolder(Outcome::ok(
        q.input_handle_index,
        GetReceiveFolderResponse { folder_id, explicit_message_class },
    )))
}

/// RopSetReceiveFolder (MS-OXCSTOR 3.2.5.3).
pub fn set_receive_folder(rs: &RopSession, slots: &Slots, q: &SetReceiveFolderRequest) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    logon.store.set_receive_folder(&q.message_class, q.folder_id).map_err(store_code)?;
    Ok(RopResponse::SetReceiveFolder(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopGetReceiveFolderTable (MS-OXCSTOR 3.2.5.4): every row of the receive folder table —
/// PidTagFolderId, PidTagMessageClass, PidTagLastModificationTime (2.2.1.4.2). A public folders
/// logon has no receive folders: ecNotSupported, as for RopGetReceiveFolder.
pub fn get_receive_folder_table(
    rs: &RopSession,
    slots: &Slots,
    q: &GetReceiveFolderTableRequest,
) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    let rows = logon
        .store
        .receive_folder_table()
        .map_err(store_code)?
        .into_iter()
        .map(|e| ReceiveFolderRow {
            folder_id: e.fid,
            message_class: e.message_class,
            last_modification_time: e.last_modified.0,
        })
        .collect();
    Ok(RopResponse::GetReceiveFolderTable(Outcome::ok(
        q.input_handle_index,
        GetReceiveFolderTableResponse { rows },
    )))
}

/// RopGetOwningServers (MS-OXCSTOR 3.2.5.6 and 2.2.1.6): the servers holding a replica of a
/// public folder — this server, the only one, and cheap to reach. Against a private mailbox the
/// server "can fail the operation" (MS-OXCSTOR_R892; Exchange does): ecNotSupported. A FID that
/// is no folder of the public store is ecNotFound.
pub fn get_owning_servers(
    env: &Env<'_>,
    rs: &RopSession,
    slots: &Slots,
    q: &GetOwningServersRequest,
) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    if !logon.store.folder_exists(q.folder_id).map_err(store_code)? {
        return Err(codes::MAPI_E_NOT_FOUND);
    }
    let server = format!(
        "{}/cn=Configuration/cn=Servers/cn={}",
        crate::nspi::entry::org_prefix(&env.session.user.legacy_dn),
        env.state.server_name
    );
    Ok(RopResponse::GetOwningServers(Outcome::ok(
        q.input_handle_index,
        ServerList { cheap_count: 1, servers: vec![server] },
    )))
}

/// RopPublicFolderIsGhosted (MS-OXCSTOR 3.2.5.7): against a private mailbox IsGhosted is FALSE
/// with no replica data (MS-OXCSTOR_R917, _R1237); in the public store this server holds every
/// folder's only replica, so IsGhosted is FALSE too (_R930, _R1239) — for a FID that names a
/// folder of the store, else ecNotFound (_R1236).
pub fn public_folder_is_ghosted(
    rs: &RopSession,
    slots: &Slots,
    q: &PublicFolderIsGhostedRequest,
) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private && !logon.store.folder_exists(q.folder_id).map_err(store_code)? {
        return Err(codes::MAPI_E_NOT_FOUND);
    }
    Ok(RopResponse::PublicFolderIsGhosted(Outcome::ok(q.input_handle_index, Ghosted { servers: None })))
}

/// RopGetStoreState (MS-OXCSTOR 3.2.5.5): the STORE_HAS_SEARCHES bit of a private mailbox; on
/// a public folders logon it is ecNotSupported (MS-OXCSTOR_R888, Microsoft's
/// MSOXCSTOR_S02_TC01 on a public logon).
pub fn get_store_state(rs: &RopSession, slots: &Slots, q: &GetStoreStateRequest) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    Ok(RopResponse::GetStoreState(Outcome::ok(
        q.input_handle_index,
        GetStoreStateResponse { store_state: logon.store.store_state() },
    )))
}

/// RopLongTermIdFromId (MS-OXCSTOR 3.2.5.8).
pub fn long_term_id_from_id(rs: &RopSession, slots: &Slots, q: &LongTermIdFromIdRequest) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    let long_term_id = logon.store.long_term_id(q.object_id).map_err(store_code)?;
    Ok(RopResponse::LongTermIdFromId(Outcome::ok(
        q.input_handle_index,
        LongTermIdFromIdResponse { long_term_id },
    )))
}

/// RopIdFromLongTermId (MS-OXCSTOR 3.2.5.9): a replica GUID the store has not seen is
/// registered under a new replica id; when none is left the answer is ecParameterOverflow.
pub fn id_from_long_term_id(rs: &RopSession, slots: &Slots, q: &IdFromLongTermIdRequest) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    let object_id = logon.store.id_from_long_term_id(&q.long_term_id).map_err(|e| match e {
        StoreError::Full(_) => codes::EC_PARAMETER_OVERFLOW,
        e => store_code(e),
    })?;
    Ok(RopResponse::IdFromLongTermId(Outcome::ok(
        q.input_handle_index,
        IdFromLongTermIdResponse { object_id },
    )))
}
