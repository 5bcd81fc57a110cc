//! Submission and transport ROPs (MS-OXOMSG 3.2.5; MS-OXCROPS 2.2.7): RopSubmitMessage queues
//! a message for the server's delivery worker ([`crate::delivery`]), RopAbortSubmit takes it
//! back while the worker has not started on it, RopGetAddressTypes lists the address types the
//! server delivers to, RopGetTransportFolder names the Outbox and RopTransportNewMail announces
//! a message the client placed itself as new mail.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::address_type;
use oxmapi_core::error::codes;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::SpecialFolder;
use oxmapi_store::mailbox::{AbortOutcome, SendRights, SubmitRefusal};
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcmsg::{SaveChangesMessageRequest, SaveChangesMessageResponse};
use oxmapi_wire::rop::oxomsg::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{Slots, lock};
use super::oxcfold::folder_in;
use super::oxcmsg::{message_mut, save_flags};
use super::oxcstor::store_code;
use super::{Env, RopResult, RopSession, object};

/// The session user's rights to send for others, read from the directory now (a grant
/// withdrawn a moment ago no longer counts).
fn send_rights(env: &Env<'_>) -> Result<SendRights, oxmapi_core::error::ErrorCode> {
    let dir = env.state.directory().map_err(store_code)?;
    dir.send_rights(&env.session.user).map_err(store_code)
}

/// RopSubmitMessage (MS-OXOMSG 3.2.5.1): saves the open message (a draft with unsaved changes
/// is saved first, as IMessage::SubmitMessage does), stamps the session's user as sender, sets
/// MSGFLAG_SUBMITTED and queues it durably in the mailbox; the delivery worker is woken and
/// delivers within milliseconds. Errors: read-only message → ecAccessDenied; embedded, FAI or
/// public-folder message → MAPI_E_NO_SUPPORT; no recipients → MAPI_E_NO_RECIPIENTS; already
/// queued → MAPI_E_SUBMITTED; a mailbox at or over the send quota the logon announced
/// (PidTagProhibitSendQuota) → ecQuotaExceeded; a message larger than PidTagMaximumSubmitMessageSize
/// → ecMaxSubmissionExceeded (MS-OXCDATA 2.4.2), as gromox's rop_submitmessage does; a
/// PR_SENT_REPRESENTING_* property naming anyone but the session's user or an owner who gave
/// them the Send As or Send on Behalf right (checked against the directory at this moment) →
/// ecSendAsDenied (0x000004DC, MS-OXCDATA 2.4.2 "SendAsDenied"), the code in Exchange's report
/// "You can't send a message on behalf of this user unless you have permission to do so" —
/// nothing is queued.
///
/// RopSubmitMessage and RopTransportSend ([`transport_send`]) are the ROPs that queue a message,
/// both through [`submit`]; a queued message cannot be saved again until RopAbortSubmit.
pub fn submit_message(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &SubmitMessageRequest,
) -> RopResult {
    submit(env, rs, slots, q.input_handle_index, q.submit_flags)?;
    Ok(RopResponse::SubmitMessage(Outcome::ok(q.input_handle_index, Empty)))
}

/// The submission path every sending ROP takes (RopSubmitMessage, RopTransportSend): the open
/// message in slot `handle` is saved and queued by [`MessageStore::submit_message_as`] with the
/// Send As / Send on Behalf rights the directory gives the session's user now and the limits
/// the logon announced, and the delivery worker is woken. The refusals map to the MAPI codes
/// [`submit_message`] lists. Answers the message's properties `tags` as they were queued
/// (those it has).
///
/// [`MessageStore::submit_message_as`]: oxmapi_store::mailbox::MessageStore::submit_message_as
fn submit(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    handle: u8,
    submit_flags: u8,
) -> Result<Vec<TaggedValue>, oxmapi_core::error::ErrorCode> {
    let m = message_mut(rs, slots, handle)?;
    if m.parent_attachment.is_some() {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    if !m.writable {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    let store = m.logon.store.clone();
    let limits = m.logon.limits;
    let rights = send_rights(env)?;
    let mut draft = lock(&m.draft);
    let queued = store.submit_message_as(&mut draft, submit_flags, &rights, &limits).map_err(store_code)?;
    match queued {
        Ok(sub) => {
            tracing::debug!(mailbox = %store.mailbox_guid(), submission = sub.id, "message submitted");
            env.state.delivery.wake(store.mailbox_guid());
            let values = store.get_properties_specific(&*draft, SENT_PROPS, 0x7800).map_err(store_code)?;
            Ok(values.into_iter().filter(|v| !matches!(v.value, PropValue::Error(_))).collect())
        }
        Err(SubmitRefusal::NoRecipients) => Err(codes::MAPI_E_NO_RECIPIENTS),
        Err(SubmitRefusal::AlreadySubmitted) => Err(codes::MAPI_E_SUBMITTED),
        Err(SubmitRefusal::NotSendable | SubmitRefusal::NotPrivate) => Err(codes::MAPI_E_NO_SUPPORT),
        Err(SubmitRefusal::QuotaExceeded) => Err(codes::EC_QUOTA_EXCEEDED),
        Err(SubmitRefusal::TooBig) => Err(codes::EC_MAX_SUBMISSION_EXCEEDED),
        Err(SubmitRefusal::NotOwnIdentity(tag)) => {
            tracing::info!(
                user = %env.session.user.name,
                property = %tag,
                "submission refused: the message names another user as the one it is sent on behalf of"
            );
            Err(codes::EC_SEND_AS_DENIED)
        }
    }
}

/// What RopTransportSend answers of the message it sent: who sent it, on whose behalf, and
/// when — the properties the submission stamped (as gromox's rop_transportsend answers them).
const SENT_PROPS: &[oxmapi_core::tag::PropTag] = &[
    PR_SENDER_NAME,
    PR_SENDER_ENTRYID,
    PR_SENDER_SEARCH_KEY,
    PR_SENT_REPRESENTING_NAME,
    PR_SENT_REPRESENTING_ENTRYID,
    PR_SENT_REPRESENTING_SEARCH_KEY,
    PR_CLIENT_SUBMIT_TIME,
];

/// RopSaveChangesMessage directly followed, in the same ROP buffer, by RopSubmitMessage on the
/// same message (how IMessage::SubmitMessage goes on the wire: save, then submit): both commit
/// in the one transaction of the submission ([`MessageStore::submit_message`] saves the open
/// message first), so a server that dies between them cannot leave a message saved in the
/// Outbox that the client believes was handed to the transport. Answers both responses, exactly
/// as running them one after the other would have: the save's MID, then the submission.
///
/// `None` when the pair is anything else than a plain save and a successful submission —
/// ForceSave or KeepOpenReadOnly (after which the submission is ecAccessDenied), an embedded or
/// read-only message, a refusal or an error: then nothing was committed, the open message is as
/// it was, and the caller runs the two ROPs one after the other.
///
/// [`MessageStore::submit_message`]: oxmapi_store::mailbox::MessageStore::submit_message
pub fn save_and_submit(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    save: &SaveChangesMessageRequest,
    submit: &SubmitMessageRequest,
) -> Option<(RopResult, RopResult)> {
    let plain =
        save.save_flags & save_flags::FORCE_SAVE == 0 && !save_flags::keeps_read_only(save.save_flags);
    if !plain || save.logon_id != submit.logon_id || save.input_handle_index != submit.input_handle_index {
        return None;
    }
    let m = message_mut(rs, slots, save.input_handle_index).ok()?;
    if m.parent_attachment.is_some() || !m.writable {
        return None;
    }
    let store = m.logon.store.clone();
    let rights = send_rights(env).ok()?;
    let mut draft = lock(&m.draft);
    let before = draft.clone();
    match store.submit_message_as(&mut draft, submit.submit_flags, &rights, &m.logon.limits) {
        Ok(Ok(sub)) => {
            let message_id = sub.mid;
            tracing::debug!(mailbox = %store.mailbox_guid(), submission = sub.id, "message saved and submitted");
            env.state.delivery.wake(store.mailbox_guid());
            let saved =
                SaveChangesMessageResponse { input_handle_index: save.input_handle_index, message_id };
            Some((
                Ok(RopResponse::SaveChangesMessage(Outcome::ok(save.response_handle_index, saved))),
                Ok(RopResponse::SubmitMessage(Outcome::ok(submit.input_handle_index, Empty))),
            ))
        }
        Ok(Err(_)) | Err(_) => {
            *draft = before;
            None
        }
    }
}

/// RopAbortSubmit (MS-OXOMSG 3.2.5.2): removes the submission of `MessageId` when the delivery
/// worker has not started on it and clears MSGFLAG_SUBMITTED. A message that is not queued
/// (never submitted, or already sent) is ecNotInQueue (MAPI_E_NOT_IN_QUEUE); one being
/// delivered is ecUnableToAbort (MAPI_E_UNABLE_TO_ABORT).
pub fn abort_submit(rs: &mut RopSession, slots: &mut Slots, q: &AbortSubmitRequest) -> RopResult {
    let (logon, _) = folder_in(rs, slots, q.input_handle_index)?;
    match logon.store.abort_submit(q.message_id).map_err(store_code)? {
        AbortOutcome::Aborted => Ok(RopResponse::AbortSubmit(Outcome::ok(q.input_handle_index, Empty))),
        AbortOutcome::NotInQueue => Err(codes::MAPI_E_NOT_IN_QUEUE),
        AbortOutcome::UnableToAbort => Err(codes::MAPI_E_UNABLE_TO_ABORT),
    }
}

/// RopGetAddressTypes (MS-OXOMSG 3.2.5.3): the address types the server delivers to, "EX" and
/// "SMTP".
pub fn get_address_types(rs: &mut RopSession, slots: &mut Slots, q: &TransportHandleRequest) -> RopResult {
    object(rs, slots, q.input_handle_index)?;
    let address_types = address_type::SUPPORTED.iter().map(|s| s.to_string()).collect();
    Ok(RopResponse::GetAddressTypes(Outcome::ok(
        q.input_handle_index,
        GetAddressTypesResponse { address_types },
    )))
}

/// RopGetTransportFolder (MS-OXOMSG 3.2.5.7): the folder the client puts outgoing messages in,
/// the Outbox (MAPI_E_NO_SUPPORT on the public folder store, which has none).
pub fn get_transport_folder(rs: &mut RopSession, slots: &mut Slots, q: &TransportHandleRequest) -> RopResult {
    let logon = object(rs, slots, q.input_handle_index)?.logon().clone();
    let folder_id = logon.store.special_folder(SpecialFolder::Outbox).ok_or(codes::MAPI_E_NO_SUPPORT)?;
    Ok(RopResponse::GetTransportFolder(Outcome::ok(
        q.input_handle_index,
        GetTransportFolderResponse { folder_id },
    )))
}

/// RopTransportNewMail (MS-OXCROPS 2.2.7.7, MS-OXOMSG 2.2.5.5): informs the server of new mail
/// that the client placed in `FolderId` itself; the server announces it to every subscriber as
/// fnevNewMail with the message class and flags the request gives (IMsgStore::NotifyNewMail:
/// "send a new mail notification to all registered clients"). The message must be a live
/// message of that folder (ecNotFound otherwise). The input object is the Logon object, as gromox
/// (exch/emsmdb/oxomsg.cpp) and Microsoft's MS-OXCNOTIF suite send it.
pub fn transport_new_mail(rs: &RopSession, slots: &Slots, q: &TransportNewMailRequest) -> RopResult {
    let logon = super::oxcstor::logon_in(rs, slots, q.input_handle_index)?;
    logon
        .store
        .announce_new_mail(q.folder_id, q.message_id, q.message_flags, &q.message_class)
        .map_err(store_code)?;
    Ok(RopResponse::TransportNewMail(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopSetSpooler (MS-OXOMSG 2.2.5.1; MS-OXCROPS 2.2.7.4): the client announces that it
/// will act as the mail spooler. This server is the transport of every mailbox it holds (its
/// delivery worker sends what is queued), so there is nothing to hand over: the ROP succeeds on
/// a private mailbox logon, as in gromox (rop_setspooler) and Microsoft's MS-OXCROPS suite
/// (S05_TC05 expects success), and is ecNotSupported on a public folders logon, which has no
/// outgoing queue. The input object is the logon.
pub fn set_spooler(rs: &RopSession, slots: &Slots, q: &TransportHandleRequest) -> RopResult {
    let logon = super::oxcstor::logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    Ok(RopResponse::SetSpooler(Outcome::ok(q.input_handle_index, Empty)))
}

/// `LockState` of RopSpoolerLockMessage (MS-OXOMSG 2.2.5.3.1).
pub mod lock_state {
    /// lstLock: the spooler starts on the message.
    pub const LOCK: u8 = 0x00;
    /// lstUnlock: the spooler gives the message back.
    pub const UNLOCK: u8 = 0x01;
    /// lstFinished: the spooler is done with the message.
    pub const FINISHED: u8 = 0x02;
}

/// RopSpoolerLockMessage (MS-OXOMSG 2.2.5.3, 3.2.5.3; MS-OXCROPS 2.2.7.5): a client acting as
/// spooler locks, unlocks or finishes a message of the spooler queue. The message must be
/// queued for sending in this mailbox (submitted and not yet sent): one that is not — never
/// submitted, already sent, taken back, or not a message of this mailbox — is
/// MAPI_E_NOT_IN_QUEUE (0x80040601), as gromox answers lstFinished for a message not in its
/// spooler queue; a `LockState` other than the three is ecInvalidParam. Private logons only
/// (ecNotSupported on public folders). The server's own delivery worker sends every queued
/// message, so a lock changes nothing in how it is sent: the ROP confirms the state of the
/// queue, it never takes a message out of it without sending it (a client cannot mark a
/// message sent that the server did not send).
pub fn spooler_lock_message(rs: &RopSession, slots: &Slots, q: &SpoolerLockMessageRequest) -> RopResult {
    let logon = super::oxcstor::logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    if !matches!(q.lock_state, lock_state::LOCK | lock_state::UNLOCK | lock_state::FINISHED) {
        return Err(codes::MAPI_E_INVALID_PARAMETER);
    }
    let queued = logon.store.pending_submissions().map_err(store_code)?.iter().any(|s| s.mid == q.message_id);
    if !queued {
        return Err(codes::MAPI_E_NOT_IN_QUEUE);
    }
    Ok(RopResponse::SpoolerLockMessage(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopTransportSend (MS-OXOMSG 2.2.5.4; MS-OXCROPS 2.2.7.6): sends the open message "as the
/// client's own transport". The input object is the message, as Microsoft's MS-OXCROPS suite
/// sends it (S05_TC07: RopTransportSend on the saved message's handle) and as gromox reads it
/// (rop_transportsend takes a message_object), although MS-OXOMSG 2.2.5.4.1 calls the handle a
/// Logon object; a handle that is not an open message fails (an empty slot ecNullObject,
/// MS-OXCROPS_R457302). It takes exactly RopSubmitMessage's path ([`submit`]):
/// saved and queued in one transaction, the Send As / Send on Behalf decision on
/// PR_SENT_REPRESENTING_* against the directory now (a forged one is ecSendAsDenied and nothing
/// is queued), the send quota and the submission size limit, MSGFLAG_SUBMITTED, the deferred
/// send time, and PR_DELETE_AFTER_SUBMIT / PR_SENTMAIL_ENTRYID honoured by the delivery worker
/// when it has sent it; the worker is woken at once. Answers the sender, sent-representing and
/// submit-time properties the submission stamped (NoPropertiesReturned 0), as gromox's
/// rop_transportsend does. A message already queued: MAPI_E_SUBMITTED.
pub fn transport_send(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &TransportHandleRequest,
) -> RopResult {
    let values = submit(env, rs, slots, q.input_handle_index, 0)?;
    Ok(RopResponse::TransportSend(Outcome::ok(
        q.input_handle_index,
        TransportSendResponse { property_values: Some(values) },
    )))
}

/// RopOptionsData (MS-OXOMSG 2.2.4.4; MS-OXCROPS 2.2.7.9): the transport options data of an
/// address type the server supports ("EX" and "SMTP", case-insensitively, those
/// RopGetAddressTypes lists). The server registers no option pages and no help file, so the
/// answer is `Reserved` 0x01, empty OptionsInfo and HelpFile (HelpFileName absent, MS-OXCROPS
/// R2589), as gromox's rop_optionsdata answers (which sends 300 zero bytes of options instead);
/// an address type the server does not deliver to has no options: ecNotFound. Any object of a
/// logon may be the input, as for RopGetAddressTypes.
pub fn options_data(rs: &RopSession, slots: &Slots, q: &OptionsDataRequest) -> RopResult {
    object(rs, slots, q.input_handle_index)?;
    if !address_type::SUPPORTED.iter().any(|t| t.eq_ignore_ascii_case(&q.address_type)) {
        return Err(codes::MAPI_E_NOT_FOUND);
    }
    Ok(RopResponse::OptionsData(Outcome::ok(
        q.input_handle_index,
        OptionsDataResponse {
            reserved: 1,
            options_info: Vec::new(),
            help_file: Vec::new(),
            help_file_name: None,
        },
    )))
}
