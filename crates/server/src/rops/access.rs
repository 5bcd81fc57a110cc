//! The access gate of logons limited by folder permissions (MS-OXCPERM 2.2.7, 3.2.4.1): a
//! delegate logon made without a full-access grant ([`LogonObject::by_rights`]) may do in each
//! folder what the folder's permission list gives its user, nothing more.
//!
//! Every request on such a logon passes [`refused`] before it runs (beside the revocation check
//! of [`super::revoked`]): the rights are read from the store on every request, so a permission
//! removed or lowered applies to the very next ROP of an open logon — the same "at once" the
//! directory's authorisation generation gives full-access grants ([`crate::authz`]), without
//! a generation: the list lives in the mailbox, and one indexed read per ROP is the check.
//! A refusal is ecAccessDenied (0x80070005, MAPI_E_NO_ACCESS), as MS-OXCPERM R181 and R2007
//! name it and as gromox answers RopOpenFolder on a folder without visibility.
//!
//! What each right allows (MS-OXCPERM 2.2.7):
//! - FolderVisible (implied by ReadAny and FolderOwner): open the folder, read its properties,
//!   hierarchy table and permission list, see it in its parent's hierarchy table
//!   ([`visible_rows`]). The mailbox root and the IPM subtree count as visible to a logon
//!   the store admitted (one with a right on some folder, [`admit_logon`]), so that a client
//!   can walk to the folders shared with it; their hierarchy tables list only visible folders.
//! - ReadAny: contents table, open and read any message (R143/R144); without it only the
//!   user's own messages.
//! - Create: create messages (R140/R141). EditOwned/EditAny: change the user's own / any
//!   message (R131, R124). DeleteOwned/DeleteAny (R127, R121). CreateSubFolder (R118).
//! - FolderOwner: change the folder's properties and permission list (R115, R180/R181), delete
//!   it, empty it (with DeleteAny), set its search criteria.
//!
//! A message's creator is PidTagCreatorEntryId, which the server stamps on every message such a
//! logon saves for the first time and which such a logon may not write; a message without it
//! belongs to the mailbox owner.

use std::sync::Arc;

use oxmapi_core::ErrorCode;
use oxmapi_core::catalogue::tags::{PR_CREATOR_ENTRYID, PR_RIGHTS};
use oxmapi_core::entryid::EntryId;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::MessageStore;
use oxmapi_store::mailbox::SpecialFolder;
use oxmapi_store::mailbox::permissions::rights::*;
use oxmapi_store::mailbox::permissions::{Member, PermissionChange};
use oxmapi_store::table::SourceRow;
use oxmapi_wire::rop::request::RopRequest;

use super::RopSession;
use super::handles::{LogonObject, MessageObject, ServerObject, Slots, TableSource, lock};
use super::oxcstor::store_code;

/// RopLogon of a user without a full-access grant to `store`'s mailbox: admitted when some
/// folder's permission list gives the user a right beyond free/busy (else ecLoginPerm,
/// MS-OXCSTOR 3.2.5.1.1).
pub fn admit_logon(store: &MessageStore, user: &oxmapi_store::User) -> Result<(), ErrorCode> {
    if store.rights_of(&user.mailbox_guid).map_err(store_code)?.any() {
        Ok(())
    } else {
        Err(codes::EC_LOGIN_PERM)
    }
}

/// The rights of `logon` on folder `fid`: everything for the owner, a full-access delegate or
/// an administrator; else the folder's permission list ([`oxmapi_store::MessageStore::member_rights`]),
/// with FolderVisible on the root and the IPM subtree.
pub fn folder_rights(logon: &LogonObject, fid: ObjectId) -> Result<u32, ErrorCode> {
    if !logon.by_rights {
        return Ok(ALL);
    }
    let r = logon.store.member_rights(fid, &logon.user.mailbox_guid).map_err(store_code)?;
    Ok(r | granted_anyway(logon, fid))
}

/// The rights a logon limited by folder permissions has on a special folder whatever its
/// permission list says: FolderVisible on a mailbox's root and IPM subtree (to walk to the
/// folders shared with it); in the public store [`PUBLIC_TOP_RIGHTS`] on the IPM subtree and
/// [`PUBLIC_SYSTEM_RIGHTS`] on the other folders the store is created with.
fn granted_anyway(logon: &LogonObject, fid: ObjectId) -> u32 {
    match (logon.private, logon.store.special_folder_kind(fid)) {
        (_, None) => 0,
        (false, Some(SpecialFolder::IpmSubtree)) => PUBLIC_TOP_RIGHTS,
        (false, Some(_)) => PUBLIC_SYSTEM_RIGHTS,
        (true, Some(SpecialFolder::Root | SpecialFolder::IpmSubtree)) => FOLDER_VISIBLE,
        (true, Some(_)) => 0,
    }
}

/// What every user may do in the public store's own folders besides the IPM subtree (its root,
/// NON_IPM_SUBTREE, EFORMS REGISTRY, the free/busy and offline address book folders): see and
/// read them, as clients read forms, free/busy and the address book there; only an
/// administrator changes them.
pub const PUBLIC_SYSTEM_RIGHTS: u32 = READ_ANY | FOLDER_VISIBLE;

/// What every user may do at the top of the public folders (their IPM subtree) besides what
/// its permission list gives: see and read it (`oxmapi --public ls /`) and create top-level
/// public folders, which then belong to their creator ([`creator_owns`]); not create items
/// there.
pub const PUBLIC_TOP_RIGHTS: u32 = PUBLIC_SYSTEM_RIGHTS | CREATE_SUBFOLDER;

/// The Default entry of a new public folder: Outlook's "Reviewer" (ReadAny | FolderVisible,
/// MS-OXCPERM 2.2.7), so that everyone may read it until its owner says otherwise.
pub const PUBLIC_DEFAULT_RIGHTS: u32 = READ_ANY | FOLDER_VISIBLE;

/// The rows of a hierarchy table `logon` may see: all of them, or for a logon limited by
/// folder permissions those of the folders with FolderVisible (MS-OXCPERM R103).
pub fn visible_rows(logon: &LogonObject, rows: Vec<SourceRow>) -> Result<Vec<SourceRow>, ErrorCode> {
    if !logon.by_rights {
        return Ok(rows);
    }
    let all = logon.store.rights_of(&logon.user.mailbox_guid).map_err(store_code)?;
    let rights = |fid: ObjectId| all.on(fid) | granted_anyway(logon, fid);
    Ok(rows.into_iter().filter(|r| rights(ObjectId::from_u64(r.id)) & FOLDER_VISIBLE != 0).collect())
}

/// A folder created through a logon limited by folder permissions (CreateSubFolder on its
/// parent) belongs to its creator: the user gets Outlook's Owner rights on it (everything but
/// free/busy), as Exchange and gromox give a delegate on the folders it creates. A separate
/// transaction after the creation; should it fail, the ROP fails and the mailbox owner can set
/// the list.
///
/// A new public folder also gets its Default entry, [`PUBLIC_DEFAULT_RIGHTS`] (the issue's
/// "a default of reviewer for everyone"), whoever creates it.
pub fn creator_owns(logon: &LogonObject, fid: ObjectId) -> Result<(), ErrorCode> {
    let mut changes = Vec::new();
    if !logon.private {
        changes.push(PermissionChange::Add(Member::Default, PUBLIC_DEFAULT_RIGHTS));
    }
    if logon.by_rights {
        changes.push(PermissionChange::Add(Member::User(logon.user.mailbox_guid), OWNER));
    }
    if changes.is_empty() {
        return Ok(());
    }
    logon.store.modify_permissions(fid, false, false, &changes).map_err(store_code)
}

/// Adds PidTagRights, the logon's own rights on folder `fid` (MS-OXCFOLD 2.2.2.2.2.8: the
/// PidTagMemberRights flags without the free/busy ones), to the folder's properties, in
/// property id order.
pub fn add_rights(
    logon: &LogonObject,
    fid: ObjectId,
    values: &mut Vec<TaggedValue>,
) -> Result<(), ErrorCode> {
    let r = folder_rights(logon, fid)? & OWNER;
    let at = values.partition_point(|v| v.tag.id() < PR_RIGHTS.id());
    values.retain(|v| v.tag.id() != PR_RIGHTS.id());
    values.insert(at.min(values.len()), TaggedValue::new(PR_RIGHTS, PropValue::I32(r as i32)));
    Ok(())
}

/// True while `logon` may still see the rows of a table of `source`: the table notifications
/// of a subscribed hierarchy or contents table stop carrying rows the moment the right to
/// read them is gone ([`crate::notify`]), as the table's ROPs do.
pub fn may_watch(logon: &LogonObject, source: &TableSource) -> bool {
    let (fid, needed) = match source {
        _ if !logon.by_rights => return true,
        TableSource::Hierarchy { fid, .. } => (*fid, FOLDER_VISIBLE),
        TableSource::Contents { fid, .. } => (*fid, READ_ANY),
        _ => return true,
    };
    folder_rights(logon, fid).is_ok_and(|r| r & needed == needed)
}

/// ecAccessDenied unless `logon` has every right of `needed` on `fid`.
fn need(logon: &LogonObject, fid: ObjectId, needed: u32) -> Result<(), ErrorCode> {
    if !logon.by_rights {
        return Ok(());
    }
    if folder_rights(logon, fid)? & needed == needed { Ok(()) } else { Err(codes::MAPI_E_NO_ACCESS) }
}

/// A message as a permission check sees it: its folder and whether it is new (created through
/// this logon and not saved yet) or saved with this MID.
struct Item {
    fid: ObjectId,
    mid: Option<ObjectId>,
}

fn item_of_message(m: &MessageObject) -> Option<Item> {
    if m.parent_attachment.is_none() {
        let d = lock(&m.draft);
        return Some(Item { fid: d.folder_id()?, mid: if d.is_saved() { d.mid() } else { None } });
    }
    Some(Item { fid: m.workspace.folder?, mid: m.workspace.saved_mid })
}

fn item_of(obj: &ServerObject) -> Option<Item> {
    match obj {
        ServerObject::Message(m) => item_of_message(m),
        ServerObject::Attachment(a) => Some(Item { fid: a.workspace.folder?, mid: a.workspace.saved_mid }),
        ServerObject::Stream(s) => Some(Item { fid: s.workspace.folder?, mid: s.workspace.saved_mid }),
        _ => None,
    }
}

/// True when the saved message `mid` was created by `logon`'s user (its PidTagCreatorEntryId
/// names the user).
fn own(logon: &LogonObject, mid: ObjectId) -> Result<bool, ErrorCode> {
    let creator = logon.store.message_property(mid, PR_CREATOR_ENTRYID).map_err(store_code)?;
    Ok(match creator {
        Some(PropValue::Binary(b)) => match EntryId::parse(&b) {
            Ok(EntryId::AbPermanent(ab)) => ab.dn.eq_ignore_ascii_case(&logon.user.legacy_dn),
            _ => false,
        },
        _ => false,
    })
}

/// Read access to a message: ReadAny, or the user's own (or new) message (R143/R144).
fn read_item(logon: &LogonObject, item: &Item) -> Result<(), ErrorCode> {
    if !logon.by_rights {
        return Ok(());
    }
    let r = folder_rights(logon, item.fid)?;
    match item.mid {
        _ if r & READ_ANY != 0 => Ok(()),
        None => Ok(()),
        Some(mid) if own(logon, mid)? => Ok(()),
        Some(_) => Err(codes::MAPI_E_NO_ACCESS),
    }
}

/// Write access to a message: Create for a new one (R140); EditAny, or EditOwned for the
/// user's own (R124, R131).
fn edit_item(logon: &LogonObject, item: &Item) -> Result<(), ErrorCode> {
    if !logon.by_rights {
        return Ok(());
    }
    let r = folder_rights(logon, item.fid)?;
    match item.mid {
        None if r & CREATE != 0 => Ok(()),
        Some(_) if r & EDIT_ANY != 0 => Ok(()),
        Some(mid) if r & EDIT_OWNED != 0 && own(logon, mid)? => Ok(()),
        _ => Err(codes::MAPI_E_NO_ACCESS),
    }
}

/// Delete access to messages of `fid`: DeleteAny, or DeleteOwned when all are the user's own
/// (R121, R127).
fn delete_items(logon: &LogonObject, fid: ObjectId, mids: &[ObjectId]) -> Result<(), ErrorCode> {
    if !logon.by_rights {
        return Ok(());
    }
    let r = folder_rights(logon, fid)?;
    if r & DELETE_ANY != 0 {
        return Ok(());
    }
    if r & DELETE_OWNED != 0 {
        for mid in mids {
            if !own(logon, *mid)? {
                return Err(codes::MAPI_E_NO_ACCESS);
            }
        }
        return Ok(());
    }
    Err(codes::MAPI_E_NO_ACCESS)
}

/// The messages of `mids` in folder `fid` that `logon` may delete, and whether some were left
/// out: all of them with DeleteAny (or for an unlimited logon); with DeleteOwned only the
/// user's own — the others stay and RopDeleteMessages answers PartialCompletion (MS-OXCFOLD
/// 3.2.5.11, R1147). The gate has refused the request already when neither right is there.
pub fn deletable(
    logon: &LogonObject,
    fid: ObjectId,
    mids: &[ObjectId],
) -> Result<(Vec<ObjectId>, bool), ErrorCode> {
    if !logon.by_rights || folder_rights(logon, fid)? & DELETE_ANY != 0 {
        return Ok((mids.to_vec(), false));
    }
    let mut mine = Vec::with_capacity(mids.len());
    for mid in mids {
        if own(logon, *mid).unwrap_or(false) {
            mine.push(*mid);
        }
    }
    let skipped = mine.len() < mids.len();
    Ok((mine, skipped))
}

/// Read access to an object: a folder needs FolderVisible; a hierarchy or permissions table
/// FolderVisible on its folder, a contents table ReadAny (R2007 for the permissions table); a
/// message, attachment, stream or attachment table read access to its message.
fn read(logon: &LogonObject, obj: &ServerObject) -> Result<(), ErrorCode> {
    if !logon.by_rights {
        return Ok(());
    }
    match obj {
        ServerObject::Logon(_) | ServerObject::Subscription(_) => Ok(()),
        ServerObject::Folder(f) => need(logon, f.fid, FOLDER_VISIBLE),
        ServerObject::Table(t) => match &t.source {
            TableSource::Hierarchy { fid, .. } | TableSource::Permissions { fid } => {
                need(logon, *fid, FOLDER_VISIBLE)
            }
            TableSource::Contents { fid, .. } => need(logon, *fid, READ_ANY),
            // A folder's rules are its owner's (gromox answers ecAccessDenied without
            // frightsOwner).
            TableSource::Rules { fid } => need(logon, *fid, FOLDER_OWNER),
            TableSource::Attachments { message } => {
                let d = lock(message);
                match d.folder_id() {
                    Some(fid) => {
                        read_item(logon, &Item { fid, mid: if d.is_saved() { d.mid() } else { None } })
                    }
                    None => Ok(()),
                }
            }
        },
        other => match item_of(other) {
            Some(item) => read_item(logon, &item),
            None => Err(codes::MAPI_E_NO_ACCESS),
        },
    }
}

/// Write access to an object: a folder needs FolderOwner, a message (attachment, stream) edit
/// access to its message; the store object is the owner's.
fn write(logon: &LogonObject, obj: &ServerObject) -> Result<(), ErrorCode> {
    if !logon.by_rights {
        return Ok(());
    }
    match obj {
        ServerObject::Logon(_) => Err(codes::MAPI_E_NO_ACCESS),
        ServerObject::Folder(f) => need(logon, f.fid, FOLDER_OWNER),
        ServerObject::Table(_) | ServerObject::Subscription(_) => Ok(()),
        other => match item_of(other) {
            Some(item) => edit_item(logon, &item),
            None => Err(codes::MAPI_E_NO_ACCESS),
        },
    }
}

/// The folder id of a folder object (or of the store object: its root).
fn folder_id(obj: &ServerObject) -> Option<ObjectId> {
    match obj {
        ServerObject::Folder(f) => Some(f.fid),
        ServerObject::Logon(l) => l.store.logon_folder_ids().first().copied(),
        _ => None,
    }
}

/// The refusal of `req` by the permission lists, if any (module documentation). Every check
/// is made with the logon of the object it concerns — a copy from one's own mailbox into a
/// folder of someone else's is checked against the destination's lists — and passes at once
/// for the logons of the owner, of full-access delegates and of administrators. A request whose
/// objects cannot be found is left to its handler (which fails it). `raw` starts with the
/// request (`RopId, LogonId, InputHandleIndex…`).
pub fn refused(rs: &RopSession, slots: &Slots, req: &RopRequest, raw: &[u8]) -> Option<ErrorCode> {
    if matches!(req, RopRequest::Logon(_) | RopRequest::Release(_)) {
        return None;
    }
    let gate = Gate { rs, slots };
    let input = raw.get(2).copied().unwrap_or(0);
    gate.check(req, input).err()
}

/// The objects of one request.
struct Gate<'a> {
    rs: &'a RopSession,
    slots: &'a Slots,
}

impl Gate<'_> {
    fn at(&self, index: u8) -> Option<&ServerObject> {
        self.slots.handle(index).ok().and_then(|h| self.rs.handles.get(h))
    }

    /// The folder object (or store object: its root) in slot `index` with its logon.
    fn folder(&self, index: u8) -> Option<(&Arc<LogonObject>, ObjectId)> {
        let o = self.at(index)?;
        Some((o.logon(), folder_id(o)?))
    }

    /// `needed` on the folder in slot `index`.
    fn need_on(&self, index: u8, needed: u32) -> Result<(), ErrorCode> {
        match self.folder(index) {
            Some((logon, fid)) => need(logon, fid, needed),
            None => Ok(()),
        }
    }

    /// One of the rights of `any` on the folder in slot `index`.
    fn need_any(&self, index: u8, any: u32) -> Result<(), ErrorCode> {
        match self.folder(index) {
            Some((logon, fid)) if logon.by_rights && folder_rights(logon, fid)? & any == 0 => {
                Err(codes::MAPI_E_NO_ACCESS)
            }
            _ => Ok(()),
        }
    }

    /// `needed` on folder `fid` of the store of the object in slot `index`.
    fn need_in(&self, index: u8, fid: ObjectId, needed: u32) -> Result<(), ErrorCode> {
        match self.at(index) {
            Some(o) => need(o.logon(), fid, needed),
            None => Ok(()),
        }
    }

    fn read_at(&self, index: u8) -> Result<(), ErrorCode> {
        self.at(index).map_or(Ok(()), |o| read(o.logon(), o))
    }

    fn write_at(&self, index: u8) -> Result<(), ErrorCode> {
        self.at(index).map_or(Ok(()), |o| write(o.logon(), o))
    }

    /// True when the object in slot `index` belongs to a logon limited by folder permissions.
    fn limited(&self, index: u8) -> bool {
        self.at(index).is_some_and(|o| o.logon().by_rights)
    }

    fn check(&self, req: &RopRequest, input: u8) -> Result<(), ErrorCode> {
        use RopRequest as Q;
        match req {
            Q::OpenFolder(q) => self.need_in(q.input_handle_index, q.folder_id, FOLDER_VISIBLE),
            Q::CreateFolder(q) => self.need_on(q.input_handle_index, CREATE_SUBFOLDER),
            Q::DeleteFolder(q) => self.need_in(q.input_handle_index, q.folder_id, FOLDER_OWNER),
            Q::MoveFolder(q) => {
                self.need_in(q.source_handle_index, q.folder_id, FOLDER_OWNER)?;
                self.need_on(q.dest_handle_index, CREATE_SUBFOLDER)
            }
            Q::CopyFolder(q) => {
                self.need_in(q.source_handle_index, q.folder_id, FOLDER_VISIBLE | READ_ANY)?;
                self.need_on(q.dest_handle_index, CREATE_SUBFOLDER)
            }
            Q::EmptyFolder(q) | Q::HardDeleteMessagesAndSubfolders(q) => {
                self.need_on(q.input_handle_index, DELETE_ANY | FOLDER_OWNER)
            }
            Q::GetHierarchyTable(q) => self.need_on(q.input_handle_index, FOLDER_VISIBLE),
            Q::GetContentsTable(q) => self.need_on(q.input_handle_index, READ_ANY),
            // Whether the list may be read is checked by the table's ROPs (R2007).
            Q::GetPermissionsTable(_) => Ok(()),
            Q::ModifyPermissions(q) => self.need_on(q.input_handle_index, FOLDER_OWNER),
            // Server-side rules are the folder owner's, as in gromox (frightsOwner).
            Q::GetRulesTable(q) => self.need_on(q.input_handle_index, FOLDER_OWNER),
            Q::ModifyRules(q) => self.need_on(q.input_handle_index, FOLDER_OWNER),
            Q::UpdateDeferredActionMessages(q) => {
                if self.limited(q.input_handle_index) {
                    Err(codes::MAPI_E_NO_ACCESS)
                } else {
                    Ok(())
                }
            }
            Q::CreateMessage(q) => self.need_in(q.input_handle_index, q.folder_id, CREATE),
            Q::OpenMessage(q) => match self.at(q.input_handle_index) {
                Some(o) => read_item(o.logon(), &Item { fid: q.folder_id, mid: Some(q.message_id) }),
                None => Ok(()),
            },
            // With DeleteOwned only, the handler deletes the user's own and answers
            // PartialCompletion for the others ([`deletable`]).
            Q::DeleteMessages(q) | Q::HardDeleteMessages(q) => {
                self.need_any(q.input_handle_index, DELETE_ANY | DELETE_OWNED)
            }
            Q::MoveCopyMessages(q) => {
                if let Some((logon, source)) = self.folder(q.source_handle_index) {
                    if q.want_copy != 0 {
                        for mid in &q.message_ids {
                            read_item(logon, &Item { fid: source, mid: Some(*mid) })?;
                        }
                    } else {
                        delete_items(logon, source, &q.message_ids)?;
                    }
                }
                self.need_on(q.dest_handle_index, CREATE)
            }
            Q::SetReadFlags(q) => self.need_on(q.input_handle_index, READ_ANY),
            Q::SetMessageReadFlag(q) => self.read_at(q.input_handle_index),
            Q::SaveChangesMessage(q) => {
                self.write_at(q.input_handle_index)?;
                if let Some(o) = self.at(q.input_handle_index) {
                    stamp_creator(o.logon(), o);
                }
                Ok(())
            }
            Q::SetProperties(q) | Q::SetPropertiesNoReplicate(q) => {
                let creator = q.property_values.iter().any(|v| v.tag.id() == PR_CREATOR_ENTRYID.id());
                if creator && self.limited(q.input_handle_index) {
                    return Err(codes::MAPI_E_NO_ACCESS);
                }
                self.write_at(q.input_handle_index)
            }
            Q::DeleteProperties(_)
            | Q::DeletePropertiesNoReplicate(_)
            | Q::ModifyRecipients(_)
            | Q::RemoveAllRecipients(_)
            | Q::CreateAttachment(_)
            | Q::DeleteAttachment(_)
            | Q::SaveChangesAttachment(_)
            | Q::WriteStream(_)
            | Q::WriteStreamExtended(_)
            | Q::WriteAndCommitStream(_)
            | Q::SetStreamSize(_)
            | Q::CommitStream(_)
            | Q::SetSearchCriteria(_) => self.write_at(input),
            Q::OpenStream(q) if q.open_mode_flags != 0 => self.write_at(input),
            Q::OpenAttachment(q) if q.open_attachment_flags & 0x03 != 0 => self.write_at(input),
            Q::OpenEmbeddedMessage(q) if q.open_mode_flags & 0x03 != 0 => self.write_at(input),
            Q::CopyTo(q) => self.copy(q.source_handle_index, q.dest_handle_index),
            Q::CopyProperties(q) => self.copy(q.source_handle_index, q.dest_handle_index),
            Q::CopyToStream(q) => self.copy(q.source_handle_index, q.dest_handle_index),
            // A public folders logon has no receive folders: the ROP answers ecNotSupported
            // (MS-OXCSTOR 3.2.5.3), whoever asks.
            Q::SetReceiveFolder(_) if self.at(input).is_some_and(|o| !o.logon().private) => Ok(()),
            // Nor a spooler queue (MS-OXOMSG; gromox rop_setspooler): ecNotSupported too.
            Q::SetSpooler(_) | Q::SpoolerLockMessage(_)
                if self.at(input).is_some_and(|o| !o.logon().private) =>
            {
                Ok(())
            }
            // Sending from, and the store-wide settings of, someone else's mailbox are the
            // owner's (and full-access delegates').
            Q::SubmitMessage(_)
            | Q::AbortSubmit(_)
            | Q::SetReceiveFolder(_)
            | Q::TransportNewMail(_)
            | Q::SetSpooler(_)
            | Q::SpoolerLockMessage(_)
            | Q::TransportSend(_) => {
                if self.limited(input) {
                    Err(codes::MAPI_E_NO_ACCESS)
                } else {
                    Ok(())
                }
            }
            Q::RegisterNotification(q) => match (q.want_whole_store, q.scope) {
                (0, Some((fid, _))) => self.need_in(q.input_handle_index, fid, FOLDER_VISIBLE),
                _ if self.limited(q.input_handle_index) => Err(codes::MAPI_E_NO_ACCESS),
                _ => Ok(()),
            },
            Q::GetNamesFromPropertyIds(_)
            | Q::GetPropertyIdsFromNames(_)
            | Q::QueryNamedProperties(_)
            | Q::GetReceiveFolder(_)
            | Q::GetReceiveFolderTable(_)
            | Q::GetStoreState(_)
            | Q::LongTermIdFromId(_)
            | Q::IdFromLongTermId(_)
            | Q::GetOwningServers(_)
            | Q::PublicFolderIsGhosted(_)
            | Q::GetPerUserLongTermIds(_)
            | Q::GetPerUserGuid(_)
            | Q::GetAddressTypes(_)
            | Q::GetTransportFolder(_)
            | Q::OptionsData(_) => Ok(()),
            // A private mailbox's per-user data is its owner's cache; on a public logon the rows
            // are the user's own.
            Q::ReadPerUserInformation(_) | Q::WritePerUserInformation(_) => {
                if self.limited(input) && self.at(input).is_some_and(|o| o.logon().private) {
                    Err(codes::MAPI_E_NO_ACCESS)
                } else {
                    Ok(())
                }
            }
            // Table ROPs, property reads, recipient and attachment reads, stream reads: read
            // access to the object they work on.
            _ => self.read_at(input),
        }
    }

    fn copy(&self, source: u8, dest: u8) -> Result<(), ErrorCode> {
        self.read_at(source)?;
        self.write_at(dest)
    }
}

/// Stamps PidTagCreatorEntryId (the user's AB entry ID) on a top-level message a logon limited
/// by folder permissions is about to save for the first time, so that EditOwned and DeleteOwned
/// know it as the user's. A failure leaves the message unstamped (then it counts as the
/// mailbox owner's: the safe side).
fn stamp_creator(logon: &LogonObject, obj: &ServerObject) {
    let ServerObject::Message(m) = obj else { return };
    if !logon.by_rights || m.parent_attachment.is_some() {
        return;
    }
    let mut d = lock(&m.draft);
    if d.is_saved() {
        return;
    }
    let eid = super::oxcperm::user_entry_id(&logon.user.legacy_dn);
    let value = TaggedValue::new(PR_CREATOR_ENTRYID, PropValue::Binary(eid));
    if let Err(e) = logon.store.set_properties(&mut *d, &[value]) {
        tracing::warn!(error = %e, "stamping the creator of a delegate's message failed");
    }
}
