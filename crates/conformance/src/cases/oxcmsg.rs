//! MS-OXCMSG: the message and attachment object protocol. Ported from Microsoft's MS-OXCMSG
//! suite (ExchangeMAPI/Source/MS-OXCMSG/TestSuite: S01_CreateAndSaveMessage,
//! S02_SetMessageStatus, S03_SetMessageFlags, S04_MessageObjectProperties, S05_OpenMessage,
//! S06_ReloadCachedInformation, S07_RopRecipient, S08_RopAttachment, S09_RopEmbeddedMessage);
//! requirement numbers are the ones those tests capture. Messages are created only inside the
//! suite's own folder.

use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_METHOD, PR_ATTACH_NUM, PR_ATTACH_SIZE, PR_CHANGE_KEY, PR_CONTENT_UNREAD,
    PR_DISPLAY_NAME, PR_HASATTACH, PR_IMPORTANCE, PR_LAST_MODIFICATION_TIME, PR_MESSAGE_CLASS,
    PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_MID, PR_MSG_STATUS, PR_NORMALIZED_SUBJECT, PR_READ,
    PR_RENDERING_POSITION, PR_SENSITIVITY, PR_SUBJECT_PREFIX,
};
use oxmapi_core::consts::message_flags::{
    MSGFLAG_ASSOCIATED, MSGFLAG_HASATTACH, MSGFLAG_READ, MSGFLAG_UNSENT,
};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::rop::RopResponse;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcmsg::{ModifyRecipientRow, TypedString};

use crate::body;
use crate::case::{Case, CaseResult, Protocol, Verdict, ensure, eq, expect_failure, expect_rv, fail};
use crate::context::Ctx;
use crate::rops;
use crate::rops::save_flags::{FORCE_SAVE, KEEP_OPEN_READ_WRITE};
use crate::rops_oxcfold::{ec, prop, prop_bool, prop_i32, props, rows_of, table_count, table_flags};
use crate::rops_oxcmsg::*;

const P: Protocol = Protocol::OxcMsg;

/// ecObjectModified (MS-OXCMSG 3.2.5.3): another transaction committed the message first.
const EC_OBJECT_MODIFIED: u32 = 0x8004_0109;
/// NotImplemented: what Exchange 2010 and later (and gromox) answer to the ROPs they leave out.
const EC_NOT_IMPLEMENTED: u32 = 0x8004_0FFF;

/// The cases of this module.
pub const CASES: &[Case] = &[
    // --- RopCreateMessage / RopSaveChangesMessage / RopOpenMessage (S01, S05) ---
    Case {
        name: "oxcmsg_message_not_committed_before_save",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.2",
        requirements: &["MS-OXCMSG_R339"],
        needs: &[],
        run: not_committed_before_save,
    },
    Case {
        name: "oxcmsg_create_message_response_has_no_message_id",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.2.2",
        requirements: &["MS-OXCMSG_R991"],
        needs: &[],
        run: create_has_no_mid,
    },
    Case {
        name: "oxcmsg_saved_message_listed_and_opened_by_mid",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.3.2, 3.2.5.3",
        requirements: &[
            "MS-OXCMSG_R251",
            "MS-OXCMSG_R372",
            "MS-OXCMSG_R647",
            "MS-OXCMSG_R687",
            "MS-OXCMSG_R700",
            "MS-OXCMSG_R728",
        ],
        needs: &[],
        run: saved_message_listed,
    },
    Case {
        name: "oxcmsg_create_fai_message",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.2.1, 2.2.1.6",
        requirements: &[
            "MS-OXCMSG 2.2.3.2.1 (AssociatedFlag creates an FAI message)",
            "MS-OXCMSG 2.2.1.6 (mfFAI 0x40)",
        ],
        needs: &[],
        run: create_fai_message,
    },
    Case {
        name: "oxcmsg_new_message_initial_properties",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.2",
        requirements: &[
            "MS-OXCMSG 3.2.5.2 (initial PidTagMessageClass, PidTagImportance, PidTagSensitivity, PidTagMessageFlags, PidTagHasAttachments)",
        ],
        needs: &[],
        run: new_message_initial_properties,
    },
    Case {
        name: "oxcmsg_open_message_nonexistent",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.1",
        requirements: &["MS-OXCMSG 3.2.5.1 (ecNotFound for a MID that does not exist)"],
        needs: &[],
        run: open_message_nonexistent,
    },
    Case {
        name: "oxcmsg_open_message_response_subject",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.1.2",
        requirements: &["MS-OXCMSG_R321", "MS-OXCMSG 2.2.3.1.2 (SubjectPrefix and NormalizedSubject)"],
        needs: &[],
        run: open_message_subject,
    },
    Case {
        name: "oxcmsg_open_message_response_recipients",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.1.2",
        requirements: &["MS-OXCMSG 2.2.3.1.2 (RecipientCount and RecipientRows)"],
        needs: &[],
        run: open_message_recipients,
    },
    Case {
        name: "oxcmsg_open_message_ignores_undefined_mode_bits",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.1.1",
        requirements: &["MS-OXCMSG 2.2.3.1.1 (OpenModeFlags bits other than the listed ones are ignored)"],
        needs: &[],
        run: open_message_undefined_bits,
    },
    Case {
        name: "oxcmsg_open_twice_separate_transactions",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.3",
        requirements: &["MS-OXCMSG_R703", "MS-OXCMSG_R704"],
        needs: &[],
        run: separate_transactions,
    },
    Case {
        name: "oxcmsg_force_save_overwrites",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.3.1",
        requirements: &["MS-OXCMSG_R724"],
        needs: &[],
        run: force_save_overwrites,
    },
    Case {
        name: "oxcmsg_save_after_other_commit_not_committed",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.3",
        requirements: &["MS-OXCMSG_R704", "MS-OXCMSG_R1053", "MS-OXCMSG_R1643", "MS-OXCMSG_R1916"],
        needs: &[],
        run: save_after_other_commit,
    },
    Case {
        name: "oxcmsg_save_keep_open_read_write",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.3.1",
        requirements: &["MS-OXCMSG 2.2.3.3.1 (KeepOpenReadWrite keeps the message open for writing)"],
        needs: &[],
        run: keep_open_read_write,
    },
    Case {
        name: "oxcmsg_read_only_message_not_saved",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.1.1, 3.2.5.3",
        requirements: &["MS-OXCMSG 2.2.3.1.1 (ReadOnly opens the message read-only)"],
        needs: &[],
        run: read_only_not_saved,
    },
    Case {
        name: "oxcmsg_save_changes_message_on_folder_object",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.3",
        requirements: &["MS-OXCMSG 2.2.3.3 (the InputHandleIndex references a Message object)"],
        needs: &[],
        run: save_on_folder,
    },
    Case {
        name: "oxcmsg_invalid_input_handle_null_object",
        protocol: P,
        section: "MS-OXCROPS 3.2.5.1 (an input handle that refers to no object fails with ecNullObject)",
        requirements: &["MS-OXCROPS 3.2.5.1 (ecNullObject 0x000004B9)"],
        needs: &[],
        run: invalid_handle_null_object,
    },
    Case {
        name: "oxcmsg_reload_cached_information",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.7",
        requirements: &["MS-OXCMSG 2.2.3.7 (the response is that of RopOpenMessage)"],
        needs: &[],
        run: reload_case,
    },
    // --- properties computed by the server (S04) ---
    Case {
        name: "oxcmsg_message_size_computed",
        protocol: P,
        section: "MS-OXCMSG 2.2.1.7",
        requirements: &["MS-OXCMSG 2.2.1.7 (PidTagMessageSize: the size the message consumes on the server)"],
        needs: &[],
        run: message_size_computed,
    },
    Case {
        name: "oxcmsg_message_size_read_only",
        protocol: P,
        section: "MS-OXCMSG 2.2.1.7",
        requirements: &["MS-OXCMSG 2.2.1.7 (PidTagMessageSize is read-only for the client)"],
        needs: &[],
        run: message_size_read_only,
    },
    Case {
        name: "oxcmsg_has_attachments_computed",
        protocol: P,
        section: "MS-OXCMSG 2.2.1.2, 2.2.1.6",
        requirements: &["MS-OXCMSG 2.2.1.2 (PidTagHasAttachments)", "MS-OXCMSG 2.2.1.6 (mfHasAttach 0x10)"],
        needs: &[],
        run: has_attachments_computed,
    },
    Case {
        name: "oxcmsg_message_flags_read_only_after_save",
        protocol: P,
        section: "MS-OXCMSG 2.2.1.6",
        requirements: &["MS-OXCMSG 2.2.1.6 (after the first RopSaveChangesMessage the flags are read-only)"],
        needs: &[],
        run: message_flags_read_only,
    },
    // --- recipients (S07) ---
    Case {
        name: "oxcmsg_modify_and_read_recipients",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.5, 2.2.3.6; MS-OXCDATA 2.8.3.1",
        requirements: &["MS-OXCMSG 2.2.3.5 (RopModifyRecipients)", "MS-OXCMSG 2.2.3.6 (RopReadRecipients)"],
        needs: &[],
        run: modify_and_read_recipients,
    },
    Case {
        name: "oxcmsg_read_recipients_from_row_id",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.6.1",
        requirements: &["MS-OXCMSG 2.2.3.6.1 (RowId: the first row to read)"],
        needs: &[],
        run: read_recipients_from_row,
    },
    Case {
        name: "oxcmsg_remove_all_recipients_without_recipients",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.4",
        requirements: &["MS-OXCMSG_R1491"],
        needs: &[],
        run: remove_all_without_recipients,
    },
    Case {
        name: "oxcmsg_remove_all_recipients",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.4, 3.2.5.4",
        requirements: &["MS-OXCMSG_R381"],
        needs: &[],
        run: remove_all_case,
    },
    Case {
        name: "oxcmsg_remove_all_recipients_other_handle_unaffected",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.4",
        requirements: &[
            "MS-OXCMSG 3.2.5.4 (recipient changes not visible on other Message object handles before saving)",
        ],
        needs: &[],
        run: remove_all_other_handle,
    },
    Case {
        name: "oxcmsg_remove_all_recipients_on_folder_object",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.4",
        requirements: &[
            "MS-OXCMSG 3.2.5.4 (ecNullObject when InputHandleIndex does not refer to a Message object)",
        ],
        needs: &[],
        run: remove_all_on_folder,
    },
    Case {
        name: "oxcmsg_read_recipients_without_recipients",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.6",
        requirements: &["MS-OXCMSG 3.2.5.6 (ecNotFound when the message has no recipients)"],
        needs: &[],
        run: read_recipients_none,
    },
    Case {
        name: "oxcmsg_read_recipients_row_id_beyond_last",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.6",
        requirements: &["MS-OXCMSG 3.2.5.6 (ecNotFound: recipient row RowId does not exist)"],
        needs: &[],
        run: read_recipients_beyond,
    },
    Case {
        name: "oxcmsg_read_recipients_on_folder_object",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.6",
        requirements: &[
            "MS-OXCMSG 3.2.5.6 (ecNullObject when InputHandleIndex does not refer to a Message object)",
        ],
        needs: &[],
        run: read_recipients_on_folder,
    },
    Case {
        name: "oxcmsg_modify_recipients_removes_row",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.5.1; MS-OXCROPS 2.2.6.5.1.1",
        requirements: &[
            "MS-OXCROPS 2.2.6.5.1.1 (a ModifyRecipientRow with RecipientRowSize 0 removes the row)",
        ],
        needs: &[],
        run: modify_recipients_removes_row,
    },
    Case {
        name: "oxcmsg_recipients_need_save",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.3",
        requirements: &["MS-OXCMSG_R704"],
        needs: &[],
        run: recipients_need_save,
    },
    // --- read flags (S03) ---
    Case {
        name: "oxcmsg_set_read_flags",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.10",
        requirements: &[
            "MS-OXCMSG_R795",
            "MS-OXCMSG_R815",
            "MS-OXCMSG_R822",
            "MS-OXCMSG_R1145",
            "MS-OXCMSG_R2045",
        ],
        needs: &[],
        run: set_read_flags_case,
    },
    Case {
        name: "oxcmsg_set_read_flags_unread_count",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.10; MS-OXCFOLD 2.2.2.2.1",
        requirements: &["MS-OXCMSG_R795", "MS-OXCFOLD 2.2.2.2.1 (PidTagContentUnreadCount)"],
        needs: &[],
        run: set_read_flags_unread_count,
    },
    Case {
        name: "oxcmsg_set_message_read_flag_marks_read",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.11",
        requirements: &["MS-OXCMSG_R1841", "MS-OXCMSG_R835", "MS-OXCMSG_R537"],
        needs: &[],
        run: set_message_read_flag_marks_read,
    },
    Case {
        name: "oxcmsg_set_message_read_flag_clear",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.11.1",
        requirements: &["MS-OXCMSG 2.2.3.11.1 (rfClearReadFlag clears mfRead)"],
        needs: &[],
        run: set_message_read_flag_clear,
    },
    Case {
        name: "oxcmsg_set_message_read_flag_unchanged",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.11.2",
        requirements: &["MS-OXCMSG 2.2.3.11.2 (ReadStatusChanged zero when the status did not change)"],
        needs: &[],
        run: set_message_read_flag_unchanged,
    },
    // --- message status (S02) ---
    Case {
        name: "oxcmsg_set_and_get_message_status",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.8, 2.2.3.9",
        requirements: &[
            "MS-OXCMSG_R55",
            "MS-OXCMSG_R421",
            "MS-OXCMSG_R549",
            "MS-OXCMSG_R773",
            "MS-OXCMSG_R786",
            "MS-OXCMSG_R2028",
        ],
        needs: &[],
        run: set_and_get_message_status,
    },
    Case {
        name: "oxcmsg_get_message_status_on_message_object",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.9",
        requirements: &[
            "MS-OXCMSG 3.2.5.9 (ecNullObject when InputHandleIndex does not refer to a Folder object)",
        ],
        needs: &[],
        run: get_message_status_on_message,
    },
    Case {
        name: "oxcmsg_set_message_status_returns_previous",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.8.2",
        requirements: &["MS-OXCMSG_R784"],
        needs: &[],
        run: set_message_status_previous,
    },
    Case {
        name: "oxcmsg_set_message_status_mask",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.8",
        requirements: &["MS-OXCMSG_R416", "MS-OXCMSG_R1500", "MS-OXCMSG_R2029"],
        needs: &[],
        run: set_message_status_mask,
    },
    Case {
        name: "oxcmsg_set_message_status_keeps_change_key",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.8",
        requirements: &["MS-OXCMSG_R1501"],
        needs: &[],
        run: set_message_status_keeps_change_key,
    },
    // --- attachments (S08) ---
    Case {
        name: "oxcmsg_create_open_save_attachment",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.12, 2.2.3.13, 2.2.3.15",
        requirements: &["MS-OXCMSG_R853", "MS-OXCMSG_R861", "MS-OXCMSG_R918", "MS-OXCMSG_R919"],
        needs: &[],
        run: create_open_save_attachment,
    },
    Case {
        name: "oxcmsg_create_attachment_initial_properties",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.13",
        requirements: &["MS-OXCMSG 3.2.5.13 (PidTagAttachNumber and PidTagRenderingPosition initialized)"],
        needs: &[],
        run: create_attachment_initial_properties,
    },
    Case {
        name: "oxcmsg_create_attachment_on_folder_object",
        protocol: P,
        section: "MS-OXCMSG 3.2.5.13",
        requirements: &[
            "MS-OXCMSG 3.2.5.13 (ecNullObject when InputHandleIndex does not refer to a Message object)",
        ],
        needs: &[],
        run: create_attachment_on_folder,
    },
    Case {
        name: "oxcmsg_attachment_table",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.17, 2.2.2.6",
        requirements: &[
            "MS-OXCMSG 2.2.3.17 (RopGetAttachmentTable)",
            "MS-OXCMSG 2.2.2.6 (PidTagAttachNumber)",
        ],
        needs: &[],
        run: attachment_table_case,
    },
    Case {
        name: "oxcmsg_delete_attachment",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.14",
        requirements: &["MS-OXCMSG 2.2.3.14 (RopDeleteAttachment)"],
        needs: &[],
        run: delete_attachment_case,
    },
    Case {
        name: "oxcmsg_attachment_data_and_size",
        protocol: P,
        section: "MS-OXCMSG 2.2.2, 2.2.2.5",
        requirements: &["MS-OXCMSG 2.2.2 (PidTagAttachDataBinary)", "MS-OXCMSG 2.2.2.5 (PidTagAttachSize)"],
        needs: &[],
        run: attachment_data_and_size,
    },
    Case {
        name: "oxcmsg_attachment_needs_message_save",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.15, 3.2.5.3",
        requirements: &["MS-OXCMSG_R704"],
        needs: &[],
        run: attachment_needs_message_save,
    },
    Case {
        name: "oxcmsg_open_attachment_nonexistent",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.12",
        requirements: &["MS-OXCMSG 2.2.3.12.1 (AttachmentID identifies an existing attachment)"],
        needs: &[],
        run: open_attachment_nonexistent,
    },
    // --- embedded messages (S09) ---
    Case {
        name: "oxcmsg_embedded_message_create_and_reopen",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.16",
        requirements: &["MS-OXCMSG_R596", "MS-OXCMSG_R881", "MS-OXCMSG_R913"],
        needs: &[],
        run: embedded_create_and_reopen,
    },
    Case {
        name: "oxcmsg_embedded_message_open_modes",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.16.1",
        requirements: &["MS-OXCMSG_R911", "MS-OXCMSG_R912"],
        needs: &[],
        run: embedded_open_modes,
    },
    // --- RopGetValidAttachments (MS-OXCMSG 2.2.3.18) ---
    Case {
        name: "oxcmsg_get_valid_attachments_lists_saved_attachments",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.18, MS-OXCROPS 2.2.6.18",
        requirements: &[
            "MS-OXCMSG 2.2.3.18 (the IDs of all attachments that have previously been saved and have been assigned a valid numeric identifier)",
        ],
        needs: &[],
        run: valid_attachments_saved,
    },
    Case {
        name: "oxcmsg_get_valid_attachments_of_a_message_without_attachments",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.18, MS-OXCROPS 2.2.6.18.2",
        requirements: &["MS-OXCROPS 2.2.6.18.2 (AttachmentIdCount: the number of IDs that follow)"],
        needs: &[],
        run: valid_attachments_none,
    },
    Case {
        name: "oxcmsg_get_valid_attachments_on_a_folder_fails",
        protocol: P,
        section: "MS-OXCMSG 2.2.3.18",
        requirements: &["MS-OXCMSG 2.2.3.18 (InputHandleIndex references a Message object)"],
        needs: &[],
        run: valid_attachments_on_folder,
    },
];

type R<T> = Result<T, Verdict>;

/// A new folder for the case with one saved message: (FID, folder handle, MID, message handle).
fn with_message(ctx: &mut Ctx, name: &str) -> R<(ObjectId, u32, ObjectId, u32)> {
    let (fid, folder) = ctx.new_folder(name)?;
    let (mid, msg) = saved_message(ctx, folder, fid, false, name)?;
    Ok((fid, folder, mid, msg))
}

/// Opens `mid` read/write: the handle and the response.
fn open_rw(
    ctx: &mut Ctx,
    folder: u32,
    fid: ObjectId,
    mid: ObjectId,
) -> R<(u32, oxmapi_wire::rop::response::RopResponse)> {
    let one = open_message(ctx, folder, fid, mid, open_mode::READ_WRITE)?;
    expect_rv("RopOpenMessage", &one.resp, 0)?;
    let h = one.out.ok_or_else(|| fail("an output handle from RopOpenMessage", "none"))?;
    Ok((h, one.resp))
}

/// PidTagMessageFlags of `handle`.
fn flags(ctx: &mut Ctx, handle: u32) -> R<u32> {
    Ok(prop_i32(ctx, handle, PR_MESSAGE_FLAGS)? as u32)
}

/// PidTagMessageFlags of `mid`, read through a fresh open.
fn flags_of(ctx: &mut Ctx, folder: u32, fid: ObjectId, mid: ObjectId) -> R<u32> {
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    flags(ctx, h)
}

fn add_recipients(ctx: &mut Ctx, msg: u32, rows: Vec<ModifyRecipientRow>) -> CaseResult {
    let one = ctx.rop(&[msg], modify_recipients(0, RECIPIENT_COLUMNS, rows))?;
    expect_rv("RopModifyRecipients", &one.resp, 0)
}

fn two_recipients() -> Vec<ModifyRecipientRow> {
    vec![
        smtp_recipient(0, 1, "Recipient One", "one@example.test"),
        smtp_recipient(1, 2, "Recipient Two", "two@example.test"),
    ]
}

fn recipient_count(ctx: &mut Ctx, folder: u32, fid: ObjectId, mid: ObjectId) -> R<u16> {
    let (_, resp) = open_rw(ctx, folder, fid, mid)?;
    Ok(body!(resp, OpenMessage)?.recipient_count)
}

fn not_committed_before_save(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcmsg-commit")?;
    let before = table_count(ctx, folder, true, 0)?;
    let msg = new_message(ctx, folder, fid, false)?;
    set_ok(ctx, msg, vec![text(PR_SUBJECT_W, "conformance")])?;
    let unsaved = table_count(ctx, folder, true, 0)?;
    eq("contents rows before RopSaveChangesMessage", before, unsaved)?;
    save_ok(ctx, msg)?;
    eq("contents rows after RopSaveChangesMessage", before + 1, table_count(ctx, folder, true, 0)?)
}

fn create_has_no_mid(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcmsg-create-mid")?;
    let one = ctx.rop(&[folder], rops::create_message(0, 1, fid, false))?;
    eq("HasMessageId/MessageId", None, body!(one.resp, CreateMessage)?.message_id)
}

fn saved_message_listed(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcmsg-saved")?;
    let (mid, _) = saved_message(ctx, folder, fid, false, "listed")?;
    let one = ctx.rop(&[folder], rops::contents_table(0, 1, 0))?;
    let table = one.out.ok_or_else(|| fail("a contents table", "none"))?;
    let rows = rows_of(ctx, table, &[PR_MID], 10)?;
    let mids: Vec<_> =
        rows.iter().filter_map(|r| r.values.first().and_then(|v| v.value()).cloned()).collect();
    eq("PidTagMid of the contents rows", vec![PropValue::I64(mid.to_u64() as i64)], mids)?;
    // RopOpenMessage through the Logon object (MS-OXCMSG 2.2.3.1: a Store or a Folder object).
    let one = ctx.on_logon(rops::open_message(0, 1, fid, mid, open_mode::READ_ONLY))?;
    expect_rv("RopOpenMessage of the saved MID on the Logon object", &one.resp, 0)
}

fn create_fai_message(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcmsg-fai")?;
    let (_, msg) = saved_message(ctx, folder, fid, true, "fai")?;
    eq("FAI contents rows", 1, table_count(ctx, folder, true, table_flags::ASSOCIATED)?)?;
    eq("normal contents rows", 0, table_count(ctx, folder, true, 0)?)?;
    let f = flags(ctx, msg)?;
    ensure(f & MSGFLAG_ASSOCIATED != 0, "PidTagMessageFlags with mfFAI (0x40)", format!("0x{f:08X}"))
}

fn new_message_initial_properties(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcmsg-initial")?;
    let msg = new_message(ctx, folder, fid, false)?;
    let cells =
        props(ctx, msg, &[PR_MESSAGE_CLASS, PR_IMPORTANCE, PR_SENSITIVITY, PR_HASATTACH, PR_MESSAGE_FLAGS])?;
    let v: Vec<Option<PropValue>> = cells.iter().map(|c| c.value().cloned()).collect();
    eq("PidTagMessageClass", Some(PropValue::Unicode("IPM.Note".into())), v[0].clone())?;
    eq("PidTagImportance", Some(PropValue::I32(1)), v[1].clone())?;
    eq("PidTagSensitivity", Some(PropValue::I32(0)), v[2].clone())?;
    eq("PidTagHasAttachments", Some(PropValue::Bool(false)), v[3].clone())?;
    match v[4] {
        Some(PropValue::I32(f)) => ensure(
            f as u32 & MSGFLAG_UNSENT != 0,
            "PidTagMessageFlags with mfUnsent (0x08)",
            format!("0x{:08X}", f as u32),
        ),
        ref other => Err(fail("PidTagMessageFlags", format!("{other:?}"))),
    }
}

fn open_message_nonexistent(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcmsg-open-missing")?;
    let one = open_message(ctx, folder, fid, crate::rops_oxcfold::nonexistent_id(), open_mode::READ_ONLY)?;
    expect_rv("RopOpenMessage of a MID that does not exist", &one.resp, ec::NOT_FOUND)
}

fn open_message_subject(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcmsg-open-subject")?;
    let msg = new_message(ctx, folder, fid, false)?;
    set_ok(
        ctx,
        msg,
        vec![text(PR_SUBJECT_PREFIX, "RE: "), text(PR_NORMALIZED_SUBJECT, "quarterly figures")],
    )?;
    let mid = save_ok(ctx, msg)?;
    let (_, resp) = open_rw(ctx, folder, fid, mid)?;
    let b = body!(resp, OpenMessage)?;
    eq("SubjectPrefix", Some("RE: "), b.subject_prefix.text())?;
    eq("NormalizedSubject", Some("quarterly figures"), b.normalized_subject.text())
}

fn open_message_recipients(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-open-recipients")?;
    add_recipients(ctx, msg, two_recipients())?;
    save_ok(ctx, msg)?;
    let (_, resp) = open_rw(ctx, folder, fid, mid)?;
    let b = body!(resp, OpenMessage)?;
    eq("RecipientCount", 2, b.recipient_count)?;
    let types: Vec<u8> = b.recipient_rows.iter().map(|r| r.recipient_type & 0x0F).collect();
    eq("RecipientType of the RecipientRows", vec![1, 2], types)?;
    let names: Vec<Option<String>> =
        b.recipient_rows.iter().map(|r| r.recipient_row.display_name.clone()).collect();
    eq(
        "DisplayName of the RecipientRows",
        vec![Some("Recipient One".to_string()), Some("Recipient Two".to_string())],
        names,
    )
}

fn open_message_undefined_bits(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-open-bits")?;
    let one = open_message(ctx, folder, fid, mid, 0x08)?;
    expect_rv("RopOpenMessage with OpenModeFlags 0x08", &one.resp, 0)
}

fn separate_transactions(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-transactions")?;
    let (first, _) = open_rw(ctx, folder, fid, mid)?;
    let (second, _) = open_rw(ctx, folder, fid, mid)?;
    ensure(first != second, "two different handles for two opens", format!("0x{first:08X} twice"))?;
    set_ok(ctx, first, vec![TaggedValue { tag: PR_SENSITIVITY, value: PropValue::I32(2) }])?;
    // Not committed yet: invisible to the other transaction and to a new one.
    let (third, _) = open_rw(ctx, folder, fid, mid)?;
    ensure(
        prop(ctx, third, PR_SENSITIVITY)? != Some(PropValue::I32(2)),
        "PidTagSensitivity unchanged before RopSaveChangesMessage",
        "the uncommitted value",
    )?;
    save_ok(ctx, first)?;
    let (fourth, _) = open_rw(ctx, folder, fid, mid)?;
    eq(
        "PidTagSensitivity after RopSaveChangesMessage",
        Some(PropValue::I32(2)),
        prop(ctx, fourth, PR_SENSITIVITY)?,
    )
}

fn force_save_overwrites(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-force-save")?;
    let (first, _) = open_rw(ctx, folder, fid, mid)?;
    let (second, _) = open_rw(ctx, folder, fid, mid)?;
    set_ok(ctx, first, vec![TaggedValue { tag: PR_SENSITIVITY, value: PropValue::I32(1) }])?;
    set_ok(ctx, second, vec![TaggedValue { tag: PR_SENSITIVITY, value: PropValue::I32(2) }])?;
    save_ok(ctx, first)?;
    let resp = save(ctx, second, FORCE_SAVE)?;
    expect_rv("RopSaveChangesMessage with ForceSave", &resp, 0)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    eq("PidTagSensitivity after ForceSave", Some(PropValue::I32(2)), prop(ctx, h, PR_SENSITIVITY)?)
}

fn keep_open_read_write(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-keep-open")?;
    set_ok(ctx, msg, vec![text(PR_SUBJECT_W, "second save")])?;
    let resp = save(ctx, msg, KEEP_OPEN_READ_WRITE)?;
    eq("MessageId of the second save", mid, body!(resp, SaveChangesMessage)?.message_id)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    eq("PidTagSubject", Some(PropValue::Unicode("second save".into())), prop(ctx, h, PR_SUBJECT_W)?)
}

fn read_only_not_saved(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-read-only")?;
    let one = open_message(ctx, folder, fid, mid, open_mode::READ_ONLY)?;
    expect_rv("RopOpenMessage ReadOnly", &one.resp, 0)?;
    let h = one.out.ok_or_else(|| fail("a Message handle", "none"))?;
    // The spec names no error code: either RopSetProperties or RopSaveChangesMessage fails.
    let set = ctx.rop(&[h], rops::set_props(0, vec![text(PR_SUBJECT_W, "never")]))?;
    if crate::case::rv(&set.resp) == 0 {
        let resp = save(ctx, h, KEEP_OPEN_READ_WRITE)?;
        expect_failure("RopSaveChangesMessage of a message opened ReadOnly", &resp)?;
    }
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    ensure(
        prop(ctx, h, PR_SUBJECT_W)? != Some(PropValue::Unicode("never".into())),
        "the stored subject unchanged",
        "the subject set through the read-only handle",
    )
}

fn save_after_other_commit(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-save-conflict")?;
    let (first, _) = open_rw(ctx, folder, fid, mid)?;
    let (second, _) = open_rw(ctx, folder, fid, mid)?;
    set_ok(ctx, first, vec![TaggedValue { tag: PR_SENSITIVITY, value: PropValue::I32(1) }])?;
    set_ok(ctx, second, vec![TaggedValue { tag: PR_SENSITIVITY, value: PropValue::I32(2) }])?;
    save_ok(ctx, first)?;
    // ecObjectModified, or (<25>, Exchange 2010 and later) Success without committing.
    let resp = save(ctx, second, KEEP_OPEN_READ_WRITE)?;
    crate::case::expect_rv_in("RopSaveChangesMessage on the second handle", &resp, &[0, EC_OBJECT_MODIFIED])?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    eq("PidTagSensitivity (the first commit kept)", Some(PropValue::I32(1)), prop(ctx, h, PR_SENSITIVITY)?)
}

fn save_on_folder(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcmsg-save-folder")?;
    let resp = save(ctx, folder, KEEP_OPEN_READ_WRITE)?;
    expect_failure("RopSaveChangesMessage on a Folder object", &resp)
}

fn invalid_handle_null_object(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.rop(&[UNUSED_HANDLE], attachment_table(0, 1))?;
    expect_rv("RopGetAttachmentTable on the handle 0xFFFFFFFF", &one.resp, ec::NULL_OBJECT)
}

fn reload_case(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-reload")?;
    add_recipients(ctx, msg, two_recipients())?;
    save_ok(ctx, msg)?;
    let (h, opened) = open_rw(ctx, folder, fid, mid)?;
    let opened = body!(opened, OpenMessage)?.clone();
    let one = ctx.rop(&[h], reload_cached_information(0))?;
    let reloaded = body!(one.resp, ReloadCachedInformation)?;
    eq("NormalizedSubject", opened.normalized_subject.clone(), reloaded.normalized_subject.clone())?;
    eq("SubjectPrefix", opened.subject_prefix.clone(), reloaded.subject_prefix.clone())?;
    eq("RecipientCount", opened.recipient_count, reloaded.recipient_count)?;
    eq("RecipientCount value", 2, reloaded.recipient_count)
}

fn message_size(ctx: &mut Ctx, h: u32) -> R<i32> {
    prop_i32(ctx, h, PR_MESSAGE_SIZE)
}

fn message_size_computed(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-size")?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    let small = message_size(ctx, h)?;
    ensure(small > 0, "PidTagMessageSize > 0", small)?;
    set_ok(ctx, msg, vec![text(PR_BODY_W, &"x".repeat(4000))])?;
    save_ok(ctx, msg)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    let big = message_size(ctx, h)?;
    ensure(
        big >= small + 4000,
        format!("PidTagMessageSize ≥ {} after a 4000-character body", small + 4000),
        big,
    )
}

fn message_size_read_only(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-size-ro")?;
    let bogus = 7_777_777;
    let _ = ctx.rop(
        &[msg],
        rops::set_props(0, vec![TaggedValue { tag: PR_MESSAGE_SIZE, value: PropValue::I32(bogus) }]),
    )?;
    let _ = save(ctx, msg, KEEP_OPEN_READ_WRITE)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    let size = message_size(ctx, h)?;
    ensure(size != bogus, "PidTagMessageSize computed by the server", format!("the client's value {size}"))
}

fn has_attachments_computed(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-hasattach")?;
    eq("PidTagHasAttachments without attachments", false, prop_bool(ctx, msg, PR_HASATTACH)?)?;
    saved_attachment(ctx, msg, vec![])?;
    save_ok(ctx, msg)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    eq("PidTagHasAttachments with an attachment", true, prop_bool(ctx, h, PR_HASATTACH)?)?;
    let f = flags(ctx, h)?;
    ensure(f & MSGFLAG_HASATTACH != 0, "PidTagMessageFlags with mfHasAttach (0x10)", format!("0x{f:08X}"))
}

fn message_flags_read_only(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-flags-ro")?;
    let before = flags(ctx, msg)?;
    let _ = ctx.rop(
        &[msg],
        rops::set_props(0, vec![TaggedValue { tag: PR_MESSAGE_FLAGS, value: PropValue::I32(0) }]),
    )?;
    let _ = save(ctx, msg, KEEP_OPEN_READ_WRITE)?;
    let after = flags_of(ctx, folder, fid, mid)?;
    eq("mfUnsent after setting PidTagMessageFlags to 0", before & MSGFLAG_UNSENT, after & MSGFLAG_UNSENT)
}

fn modify_and_read_recipients(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, msg) = with_message(ctx, "oxcmsg-recipients")?;
    add_recipients(ctx, msg, two_recipients())?;
    let one = ctx.rop(&[msg], read_recipients(0, 0))?;
    let rows = &body!(one.resp, ReadRecipients)?.recipient_rows;
    eq("RowIds", vec![0, 1], rows.iter().map(|r| r.row_id).collect::<Vec<_>>())?;
    eq("RecipientTypes", vec![1, 2], rows.iter().map(|r| r.recipient_type & 0x0F).collect::<Vec<_>>())?;
    eq(
        "DisplayNames",
        vec![Some("Recipient One".to_string()), Some("Recipient Two".to_string())],
        rows.iter().map(|r| r.recipient_row.display_name.clone()).collect::<Vec<_>>(),
    )?;
    for (r, email) in rows.iter().zip(["one@example.test", "two@example.test"]) {
        let row = &r.recipient_row;
        if row.flags & 0x0007 == 0x0003 {
            eq("EmailAddress of an SMTP RecipientRow", Some(email.to_string()), row.email_address.clone())?;
        }
    }
    Ok(())
}

fn read_recipients_from_row(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, msg) = with_message(ctx, "oxcmsg-recipients-from")?;
    add_recipients(ctx, msg, two_recipients())?;
    let one = ctx.rop(&[msg], read_recipients(0, 1))?;
    let rows = &body!(one.resp, ReadRecipients)?.recipient_rows;
    eq("RowIds read from RowId 1", vec![1], rows.iter().map(|r| r.row_id).collect::<Vec<_>>())
}

fn remove_all_without_recipients(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, msg) = with_message(ctx, "oxcmsg-remove-none")?;
    let one = ctx.rop(&[msg], remove_all_recipients(0))?;
    expect_rv("RopRemoveAllRecipients on a message without recipients", &one.resp, 0)
}

fn remove_all_case(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-remove-all")?;
    add_recipients(ctx, msg, two_recipients())?;
    save_ok(ctx, msg)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    let one = ctx.rop(&[h], remove_all_recipients(0))?;
    expect_rv("RopRemoveAllRecipients", &one.resp, 0)?;
    // R381: the removed rows are no longer returned on this handle; without recipients
    // RopReadRecipients fails with ecNotFound (MS-OXCMSG 3.2.5.6).
    let one = ctx.rop(&[h], read_recipients(0, 0))?;
    expect_rv("RopReadRecipients after RopRemoveAllRecipients", &one.resp, ec::NOT_FOUND)?;
    save_ok(ctx, h)?;
    eq("RecipientCount after saving", 0, recipient_count(ctx, folder, fid, mid)?)
}

fn remove_all_other_handle(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-remove-other-handle")?;
    add_recipients(ctx, msg, two_recipients())?;
    save_ok(ctx, msg)?;
    let (a, _) = open_rw(ctx, folder, fid, mid)?;
    let (b, _) = open_rw(ctx, folder, fid, mid)?;
    let one = ctx.rop(&[a], remove_all_recipients(0))?;
    expect_rv("RopRemoveAllRecipients", &one.resp, 0)?;
    let one = ctx.rop(&[b], read_recipients(0, 0))?;
    let rows = &body!(one.resp, ReadRecipients)?.recipient_rows;
    eq("recipient rows on the other handle", 2, rows.len())
}

fn remove_all_on_folder(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcmsg-remove-on-folder")?;
    let one = ctx.rop(&[folder], remove_all_recipients(0))?;
    expect_rv("RopRemoveAllRecipients on a Folder object", &one.resp, ec::NULL_OBJECT)
}

fn read_recipients_none(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, msg) = with_message(ctx, "oxcmsg-read-none")?;
    let one = ctx.rop(&[msg], read_recipients(0, 0))?;
    expect_rv("RopReadRecipients on a message without recipients", &one.resp, ec::NOT_FOUND)
}

fn read_recipients_beyond(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, msg) = with_message(ctx, "oxcmsg-read-beyond")?;
    add_recipients(ctx, msg, two_recipients())?;
    let one = ctx.rop(&[msg], read_recipients(0, 5))?;
    expect_rv("RopReadRecipients from RowId 5 of two recipients", &one.resp, ec::NOT_FOUND)
}

fn read_recipients_on_folder(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcmsg-read-on-folder")?;
    let one = ctx.rop(&[folder], read_recipients(0, 0))?;
    expect_rv("RopReadRecipients on a Folder object", &one.resp, ec::NULL_OBJECT)
}

fn modify_recipients_removes_row(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-remove-row")?;
    add_recipients(ctx, msg, two_recipients())?;
    add_recipients(ctx, msg, vec![ModifyRecipientRow { row_id: 0, recipient_type: 1, recipient_row: None }])?;
    save_ok(ctx, msg)?;
    let (_, resp) = open_rw(ctx, folder, fid, mid)?;
    let b = body!(resp, OpenMessage)?;
    eq("RecipientCount", 1, b.recipient_count)?;
    eq(
        "the remaining DisplayName",
        vec![Some("Recipient Two".to_string())],
        b.recipient_rows.iter().map(|r| r.recipient_row.display_name.clone()).collect::<Vec<_>>(),
    )
}

fn recipients_need_save(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-recipients-unsaved")?;
    add_recipients(ctx, msg, two_recipients())?;
    eq("RecipientCount of a fresh open before saving", 0, recipient_count(ctx, folder, fid, mid)?)
}

fn set_read_flags_case(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-read-flags")?;
    let one = ctx.rop(&[folder], set_read_flags(0, read_flags::DEFAULT, &[mid]))?;
    eq("PartialCompletion", 0, body!(one.resp, SetReadFlags)?.partial_completion)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    let f = flags(ctx, h)?;
    ensure(f & MSGFLAG_READ != 0, "mfRead set by rfDefault", format!("PidTagMessageFlags 0x{f:08X}"))?;
    eq("PidTagRead after rfDefault", true, prop_bool(ctx, h, PR_READ)?)?;
    let one = ctx.rop(&[folder], set_read_flags(0, read_flags::CLEAR_READ_FLAG, &[mid]))?;
    eq("PartialCompletion", 0, body!(one.resp, SetReadFlags)?.partial_completion)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    let f = flags(ctx, h)?;
    ensure(
        f & MSGFLAG_READ == 0,
        "mfRead cleared by rfClearReadFlag",
        format!("PidTagMessageFlags 0x{f:08X}"),
    )?;
    eq("PidTagRead after rfClearReadFlag", false, prop_bool(ctx, h, PR_READ)?)
}

fn set_read_flags_unread_count(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcmsg-unread-count")?;
    let (m1, _) = saved_message(ctx, folder, fid, false, "one")?;
    let (m2, _) = saved_message(ctx, folder, fid, false, "two")?;
    let one = ctx.rop(&[folder], set_read_flags(0, read_flags::CLEAR_READ_FLAG, &[m1, m2]))?;
    eq("PartialCompletion", 0, body!(one.resp, SetReadFlags)?.partial_completion)?;
    let h = ctx.open_folder(fid)?;
    eq("PidTagContentUnreadCount with both unread", 2, prop_i32(ctx, h, PR_CONTENT_UNREAD)?)?;
    let one = ctx.rop(&[folder], set_read_flags(0, read_flags::SUPPRESS_RECEIPT, &[m1]))?;
    eq("PartialCompletion", 0, body!(one.resp, SetReadFlags)?.partial_completion)?;
    let h = ctx.open_folder(fid)?;
    eq("PidTagContentUnreadCount after marking one read", 1, prop_i32(ctx, h, PR_CONTENT_UNREAD)?)
}

/// RopSetMessageReadFlag on `msg` (folder `folder` as the response object): ReadStatusChanged.
fn read_flag(ctx: &mut Ctx, folder: u32, msg: u32, flags: u8) -> R<u8> {
    let one = ctx.rop(&[folder, msg], set_message_read_flag(0, 1, flags))?;
    Ok(body!(one.resp, SetMessageReadFlag)?.read_status_changed)
}

fn set_message_read_flag_marks_read(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-read-flag")?;
    let one = ctx.rop(&[folder], set_read_flags(0, read_flags::CLEAR_READ_FLAG, &[mid]))?;
    body!(one.resp, SetReadFlags)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    // Microsoft's MSOXCMSG_S03_TC05_RopSetMessageReadFlagsNotInPublicFolderMode: on a private
    // logon ReadStatusChanged is 0x00 ("the logon is not in public folder mode", R1841) even
    // though the flag changes (R835), so no LogonId/ClientData follow.
    let changed = read_flag(ctx, folder, h, read_flags::DEFAULT)?;
    eq("ReadStatusChanged on a private logon (unread → read)", 0, changed)?;
    let f = flags_of(ctx, folder, fid, mid)?;
    ensure(f & MSGFLAG_READ != 0, "mfRead set", format!("PidTagMessageFlags 0x{f:08X}"))
}

fn set_message_read_flag_clear(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-read-flag-clear")?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    read_flag(ctx, folder, h, read_flags::DEFAULT)?;
    read_flag(ctx, folder, h, read_flags::CLEAR_READ_FLAG)?;
    let f = flags_of(ctx, folder, fid, mid)?;
    ensure(f & MSGFLAG_READ == 0, "mfRead cleared", format!("PidTagMessageFlags 0x{f:08X}"))
}

fn set_message_read_flag_unchanged(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-read-flag-same")?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    read_flag(ctx, folder, h, read_flags::DEFAULT)?;
    let changed = read_flag(ctx, folder, h, read_flags::DEFAULT)?;
    eq("ReadStatusChanged when marking a read message read", 0, changed)
}

/// PidTagMessageStatus through RopGetMessageStatus. "The response buffers for
/// RopGetMessageStatus are the same as those for RopSetMessageStatus" (MS-OXCROPS 2.2.6.9):
/// Exchange answers with RopId 0x20, as Microsoft's MSOXCMSG_S02_TC01 reads it (it casts the
/// answer to RopSetMessageStatusResponse); a response tagged 0x1F is accepted too.
fn status(ctx: &mut Ctx, folder: u32, mid: ObjectId) -> R<u32> {
    let one = ctx.rop(&[folder], get_message_status(0, mid))?;
    match &one.resp {
        RopResponse::SetMessageStatus(_) => Ok(body!(one.resp, SetMessageStatus)?.message_status_flags),
        _ => Ok(body!(one.resp, GetMessageStatus)?.message_status_flags),
    }
}

fn set_status(ctx: &mut Ctx, folder: u32, mid: ObjectId, flags: u32) -> R<u32> {
    let mask = status::IN_CONFLICT | status::REMOTE_DOWNLOAD | status::REMOTE_DELETE;
    let one = ctx.rop(&[folder], set_message_status(0, mid, flags, mask))?;
    Ok(body!(one.resp, SetMessageStatus)?.message_status_flags)
}

fn set_and_get_message_status(ctx: &mut Ctx) -> CaseResult {
    // R421: the ROPs go to the folder; the Message object need not be open.
    let (_, folder, mid, _) = with_message(ctx, "oxcmsg-status")?;
    set_status(ctx, folder, mid, status::REMOTE_DOWNLOAD)?;
    eq("MessageStatusFlags", status::REMOTE_DOWNLOAD, status(ctx, folder, mid)?)
}

fn get_message_status_on_message(ctx: &mut Ctx) -> CaseResult {
    let (_, _, mid, msg) = with_message(ctx, "oxcmsg-status-on-message")?;
    let one = ctx.rop(&[msg], get_message_status(0, mid))?;
    expect_rv("RopGetMessageStatus on a Message object", &one.resp, ec::NULL_OBJECT)
}

fn set_message_status_previous(ctx: &mut Ctx) -> CaseResult {
    let (_, folder, mid, _) = with_message(ctx, "oxcmsg-status-previous")?;
    set_status(ctx, folder, mid, status::REMOTE_DOWNLOAD)?;
    let previous = set_status(ctx, folder, mid, status::IN_CONFLICT)?;
    eq(
        "MessageStatusFlags returned by RopSetMessageStatus (the previous flags)",
        status::REMOTE_DOWNLOAD,
        previous,
    )
}

fn set_message_status_mask(ctx: &mut Ctx) -> CaseResult {
    let (_, folder, mid, _) = with_message(ctx, "oxcmsg-status-mask")?;
    set_status(ctx, folder, mid, status::REMOTE_DOWNLOAD | status::REMOTE_DELETE)?;
    set_status(ctx, folder, mid, status::IN_CONFLICT)?;
    eq("MessageStatusFlags (bits in the mask replaced)", status::IN_CONFLICT, status(ctx, folder, mid)?)?;
    // A bit outside the mask is kept.
    let one = ctx.rop(&[folder], set_message_status(0, mid, status::REMOTE_DELETE, status::REMOTE_DELETE))?;
    body!(one.resp, SetMessageStatus)?;
    let one = ctx.rop(&[folder], set_message_status(0, mid, 0, status::REMOTE_DOWNLOAD))?;
    body!(one.resp, SetMessageStatus)?;
    eq(
        "MessageStatusFlags (bits outside the mask kept)",
        status::IN_CONFLICT | status::REMOTE_DELETE,
        status(ctx, folder, mid)?,
    )
}

fn set_message_status_keeps_change_key(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, _) = with_message(ctx, "oxcmsg-status-ck")?;
    let tags = [PR_CHANGE_KEY, PR_LAST_MODIFICATION_TIME, PR_MSG_STATUS];
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    let before = props(ctx, h, &tags)?;
    set_status(ctx, folder, mid, status::REMOTE_DOWNLOAD)?;
    let (h, _) = open_rw(ctx, folder, fid, mid)?;
    let after = props(ctx, h, &tags)?;
    eq("PidTagChangeKey", before[0].clone(), after[0].clone())?;
    eq("PidTagLastModificationTime", before[1].clone(), after[1].clone())?;
    eq("PidTagMessageStatus", Some(PropValue::I32(status::REMOTE_DOWNLOAD as i32)), after[2].value().cloned())
}

fn open_attachment_h(ctx: &mut Ctx, msg: u32, mode: u8, id: u32) -> R<u32> {
    let one = ctx.rop(&[msg], open_attachment(0, 1, mode, id))?;
    expect_rv("RopOpenAttachment", &one.resp, 0)?;
    one.out.ok_or_else(|| fail("an Attachment handle", "none"))
}

fn create_open_save_attachment(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-attachment")?;
    let (id, _) = saved_attachment(ctx, msg, vec![])?;
    save_ok(ctx, msg)?;
    let (m, _) = open_rw(ctx, folder, fid, mid)?;
    let att = open_attachment_h(ctx, m, open_mode::READ_WRITE, id)?;
    set_ok(ctx, att, vec![text(PR_DISPLAY_NAME, "Test")])?;
    let one = ctx.rop(&[att], save_attachment(0, 0, KEEP_OPEN_READ_WRITE))?;
    expect_rv("RopSaveChangesAttachment", &one.resp, 0)?;
    let att = open_attachment_h(ctx, m, open_mode::BEST_ACCESS, id)?;
    set_ok(ctx, att, vec![text(PR_DISPLAY_NAME, "TestForBestAccess")])?;
    let one = ctx.rop(&[att], save_attachment(0, 0, KEEP_OPEN_READ_WRITE))?;
    expect_rv("RopSaveChangesAttachment (BestAccess)", &one.resp, 0)?;
    save_ok(ctx, m)?;
    let (m, _) = open_rw(ctx, folder, fid, mid)?;
    let att = open_attachment_h(ctx, m, open_mode::READ_ONLY, id)?;
    eq(
        "PidTagDisplayName",
        Some(PropValue::Unicode("TestForBestAccess".into())),
        prop(ctx, att, PR_DISPLAY_NAME)?,
    )
}

fn create_attachment_initial_properties(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, msg) = with_message(ctx, "oxcmsg-attachment-initial")?;
    let one = ctx.rop(&[msg], create_attachment(0, 1))?;
    let id = body!(one.resp, CreateAttachment)?.attachment_id;
    let att = one.out.ok_or_else(|| fail("an Attachment handle", "none"))?;
    let cells = props(ctx, att, &[PR_ATTACH_NUM, PR_RENDERING_POSITION])?;
    eq("PidTagAttachNumber", Some(PropValue::I32(id as i32)), cells[0].value().cloned())?;
    eq("PidTagRenderingPosition", Some(PropValue::I32(-1)), cells[1].value().cloned())
}

fn create_attachment_on_folder(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcmsg-attachment-on-folder")?;
    let one = ctx.rop(&[folder], create_attachment(0, 1))?;
    expect_rv("RopCreateAttachment on a Folder object", &one.resp, ec::NULL_OBJECT)
}

fn attachment_numbers(ctx: &mut Ctx, msg: u32) -> R<Vec<Option<PropValue>>> {
    let one = ctx.rop(&[msg], attachment_table(0, 1))?;
    expect_rv("RopGetAttachmentTable", &one.resp, 0)?;
    let table = one.out.ok_or_else(|| fail("an attachment table handle", "none"))?;
    let rows = rows_of(ctx, table, &[PR_ATTACH_NUM], 50)?;
    Ok(rows.iter().map(|r| r.values.first().and_then(|v| v.value()).cloned()).collect())
}

fn attachment_table_case(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-attachment-table")?;
    let (a, _) = saved_attachment(ctx, msg, vec![])?;
    let (b, _) = saved_attachment(ctx, msg, vec![])?;
    ensure(a != b, "two different AttachmentIDs", format!("{a} twice"))?;
    save_ok(ctx, msg)?;
    let (m, _) = open_rw(ctx, folder, fid, mid)?;
    let mut nums = attachment_numbers(ctx, m)?;
    nums.sort_by_key(|v| match v {
        Some(PropValue::I32(n)) => *n as i64,
        _ => i64::MAX,
    });
    eq(
        "PidTagAttachNumber of the attachment rows",
        vec![Some(PropValue::I32(a as i32)), Some(PropValue::I32(b as i32))],
        nums,
    )
}

fn delete_attachment_case(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-delete-attachment")?;
    let (a, _) = saved_attachment(ctx, msg, vec![])?;
    let (b, _) = saved_attachment(ctx, msg, vec![])?;
    save_ok(ctx, msg)?;
    let (m, _) = open_rw(ctx, folder, fid, mid)?;
    let one = ctx.rop(&[m], delete_attachment(0, a))?;
    expect_rv("RopDeleteAttachment", &one.resp, 0)?;
    save_ok(ctx, m)?;
    let (m, _) = open_rw(ctx, folder, fid, mid)?;
    eq(
        "PidTagAttachNumber of the remaining rows",
        vec![Some(PropValue::I32(b as i32))],
        attachment_numbers(ctx, m)?,
    )?;
    let one = ctx.rop(&[m], open_attachment(0, 1, open_mode::READ_ONLY, a))?;
    expect_failure("RopOpenAttachment of the deleted attachment", &one.resp)
}

fn attachment_data_and_size(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-attachment-data")?;
    let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    let (id, _) = saved_attachment(
        ctx,
        msg,
        vec![
            TaggedValue { tag: PR_ATTACH_METHOD, value: PropValue::I32(1) },
            TaggedValue { tag: PR_ATTACH_DATA_BIN, value: PropValue::Binary(data.clone()) },
        ],
    )?;
    save_ok(ctx, msg)?;
    let (m, _) = open_rw(ctx, folder, fid, mid)?;
    let att = open_attachment_h(ctx, m, open_mode::READ_ONLY, id)?;
    eq("PidTagAttachDataBinary", Some(PropValue::Binary(data)), prop(ctx, att, PR_ATTACH_DATA_BIN)?)?;
    let size = prop_i32(ctx, att, PR_ATTACH_SIZE)?;
    ensure(size >= 1000, "PidTagAttachSize ≥ the 1000 data bytes", size)
}

fn attachment_needs_message_save(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, msg) = with_message(ctx, "oxcmsg-attachment-unsaved")?;
    saved_attachment(ctx, msg, vec![])?;
    let (m, _) = open_rw(ctx, folder, fid, mid)?;
    eq("attachment rows of a fresh open before RopSaveChangesMessage", 0, attachment_numbers(ctx, m)?.len())
}

fn open_attachment_nonexistent(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, msg) = with_message(ctx, "oxcmsg-attachment-missing")?;
    let one = ctx.rop(&[msg], open_attachment(0, 1, open_mode::READ_ONLY, 4711))?;
    expect_failure("RopOpenAttachment of an AttachmentID that does not exist", &one.resp)
}

/// A saved message with a saved embedded-message attachment whose embedded message has
/// `subject`: (FID, folder, MID, AttachmentID).
fn with_embedded(ctx: &mut Ctx, name: &str, subject: &str) -> R<(ObjectId, u32, ObjectId, u32)> {
    let (fid, folder, mid, msg) = with_message(ctx, name)?;
    let one = ctx.rop(&[msg], create_attachment(0, 1))?;
    let id = body!(one.resp, CreateAttachment)?.attachment_id;
    let att = one.out.ok_or_else(|| fail("an Attachment handle", "none"))?;
    set_ok(
        ctx,
        att,
        vec![TaggedValue { tag: PR_ATTACH_METHOD, value: PropValue::I32(AF_EMBEDDED_MESSAGE) }],
    )?;
    let one = ctx.rop(&[att], open_embedded_message(0, 1, open_mode::CREATE))?;
    body!(one.resp, OpenEmbeddedMessage)?;
    let embedded = one.out.ok_or_else(|| fail("an embedded Message handle", "none"))?;
    set_ok(ctx, embedded, vec![text(PR_SUBJECT_W, subject)])?;
    save_ok(ctx, embedded)?;
    let one = ctx.rop(&[att], save_attachment(0, 0, KEEP_OPEN_READ_WRITE))?;
    expect_rv("RopSaveChangesAttachment", &one.resp, 0)?;
    save_ok(ctx, msg)?;
    Ok((fid, folder, mid, id))
}

fn embedded_create_and_reopen(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, id) = with_embedded(ctx, "oxcmsg-embedded", "inner subject")?;
    let (m, _) = open_rw(ctx, folder, fid, mid)?;
    let att = open_attachment_h(ctx, m, open_mode::READ_ONLY, id)?;
    eq("PidTagAttachMethod", AF_EMBEDDED_MESSAGE, prop_i32(ctx, att, PR_ATTACH_METHOD)?)?;
    let one = ctx.rop(&[att], open_embedded_message(0, 1, open_mode::READ_ONLY))?;
    let b = body!(one.resp, OpenEmbeddedMessage)?;
    let subject = match &b.message.normalized_subject {
        TypedString::Absent => None,
        t => t.text().map(str::to_string),
    };
    eq("NormalizedSubject of the embedded message", Some("inner subject".to_string()), subject)?;
    let embedded = one.out.ok_or_else(|| fail("an embedded Message handle", "none"))?;
    eq(
        "PidTagSubject of the embedded message",
        Some(PropValue::Unicode("inner subject".into())),
        prop(ctx, embedded, PR_SUBJECT_W)?,
    )
}

fn embedded_open_modes(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder, mid, id) = with_embedded(ctx, "oxcmsg-embedded-modes", "modes")?;
    let (m, _) = open_rw(ctx, folder, fid, mid)?;
    let att = open_attachment_h(ctx, m, open_mode::READ_WRITE, id)?;
    let one = ctx.rop(&[att], open_embedded_message(0, 1, open_mode::READ_ONLY))?;
    body!(one.resp, OpenEmbeddedMessage)?;
    let ro = one.out.ok_or_else(|| fail("an embedded Message handle", "none"))?;
    let rows = vec![smtp_recipient(0, 1, "Recipient One", "one@example.test")];
    let one = ctx.rop(&[ro], modify_recipients(0, RECIPIENT_COLUMNS, rows.clone()))?;
    expect_failure("RopModifyRecipients on an embedded message opened ReadOnly", &one.resp)?;
    let one = ctx.rop(&[att], open_embedded_message(0, 1, open_mode::READ_WRITE))?;
    body!(one.resp, OpenEmbeddedMessage)?;
    let rw = one.out.ok_or_else(|| fail("an embedded Message handle", "none"))?;
    let one = ctx.rop(&[rw], modify_recipients(0, RECIPIENT_COLUMNS, rows))?;
    expect_rv("RopModifyRecipients on an embedded message opened ReadWrite", &one.resp, 0)
}

/// AttachmentIdArray of RopGetValidAttachments on `msg`; `None` when the server does not
/// implement the ROP (MS-OXCMSG <18>: Exchange 2010 and later answer NotImplemented, as gromox
/// does).
fn valid_attachment_ids(ctx: &mut Ctx, msg: u32) -> R<Option<Vec<u32>>> {
    let one = ctx.rop(&[msg], get_valid_attachments(0))?;
    if [ec::NOT_SUPPORTED, EC_NOT_IMPLEMENTED].contains(&crate::case::rv(&one.resp)) {
        return Ok(None);
    }
    expect_rv("RopGetValidAttachments", &one.resp, 0)?;
    Ok(Some(body!(one.resp, GetValidAttachments)?.attachment_ids.clone()))
}

fn valid_attachments_saved(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, msg) = with_message(ctx, "oxcmsg-valid-attachments")?;
    let (a, _) = saved_attachment(ctx, msg, vec![])?;
    let (b, _) = saved_attachment(ctx, msg, vec![])?;
    // Created and never saved: no valid identifier yet.
    let one = ctx.rop(&[msg], create_attachment(0, 1))?;
    expect_rv("RopCreateAttachment", &one.resp, 0)?;
    let Some(mut ids) = valid_attachment_ids(ctx, msg)? else { return Ok(()) };
    ids.sort_unstable();
    let mut want = vec![a, b];
    want.sort_unstable();
    eq("AttachmentIdArray", want, ids)
}

fn valid_attachments_none(ctx: &mut Ctx) -> CaseResult {
    let (_, _, _, msg) = with_message(ctx, "oxcmsg-valid-attachments-none")?;
    match valid_attachment_ids(ctx, msg)? {
        Some(ids) => eq("AttachmentIdArray", Vec::<u32>::new(), ids),
        None => Ok(()),
    }
}

fn valid_attachments_on_folder(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcmsg-valid-attachments-folder")?;
    let one = ctx.rop(&[folder], get_valid_attachments(0))?;
    expect_failure("RopGetValidAttachments on a Folder object", &one.resp)
}
