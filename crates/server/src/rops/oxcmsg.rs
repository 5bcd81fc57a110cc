//! Message and attachment ROPs (MS-OXCMSG 3.2.5) and the contents table (MS-OXCFOLD 3.2.5.14).

use oxmapi_core::error::codes;
use oxmapi_wire::rop::oxcfold::GetTableRequest;
use oxmapi_wire::rop::oxcmsg::*;

use super::handles::Slots;
use super::{RopResult, RopSession};

macro_rules! not_yet {
    ($($name:ident: $req:ty),* $(,)?) => {
        $(
            /// Not implemented yet.
            pub fn $name(_rs: &mut RopSession, _slots: &mut Slots, _q: &$req) -> RopResult {
                Err(codes::MAPI_E_NO_SUPPORT)
            }
        )*
    };
}

not_yet! {
    get_contents_table: GetTableRequest,
    open_message: OpenMessageRequest,
    create_message: CreateMessageRequest,
    save_changes_message: SaveChangesMessageRequest,
    set_message_read_flag: SetMessageReadFlagRequest,
    set_read_flags: SetReadFlagsRequest,
    modify_recipients: ModifyRecipientsRequest,
    read_recipients: ReadRecipientsRequest,
    remove_all_recipients: RemoveAllRecipientsRequest,
    reload_cached_information: ReloadCachedInformationRequest,
    get_attachment_table: GetAttachmentTableRequest,
    open_attachment: OpenAttachmentRequest,
    create_attachment: CreateAttachmentRequest,
    delete_attachment: DeleteAttachmentRequest,
    save_changes_attachment: SaveChangesAttachmentRequest,
    open_embedded_message: OpenEmbeddedMessageRequest,
}

/// RopDeleteMessages / RopHardDeleteMessages (MS-OXCFOLD 3.2.5.11–3.2.5.12).
pub fn delete_messages(
    _rs: &mut RopSession,
    _slots: &mut Slots,
    _q: &oxmapi_wire::rop::oxcfold::DeleteMessagesRequest,
    _hard: bool,
) -> RopResult {
    Err(codes::MAPI_E_NO_SUPPORT)
}

/// RopMoveCopyMessages (MS-OXCFOLD 3.2.5.6).
pub fn move_copy_messages(
    _rs: &mut RopSession,
    _slots: &mut Slots,
    _q: &oxmapi_wire::rop::oxcfold::MoveCopyMessagesRequest,
) -> RopResult {
    Err(codes::MAPI_E_NO_SUPPORT)
}
