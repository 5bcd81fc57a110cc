//! Store ROPs (MS-OXCSTOR 2.2.1; MS-OXCROPS 2.2.3): logon, receive folders, store state and
//! long-term IDs.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::consts::logon_rop_flags;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;

use super::codec::*;
use super::outcome::{ResponseBody, ResponseContext, plain_response};

/// Number of FIDs in a RopLogon response (MS-OXCSTOR 2.2.1.1.3).
pub const LOGON_FOLDER_COUNT: usize = 13;
/// ReturnValue of a redirect logon response: ecWrongServer.
pub const EC_WRONG_SERVER: u32 = 0x0000_0478;

/// RopLogon request (MS-OXCROPS 2.2.3.1.1).
#[derive(Clone, Debug, PartialEq)]
pub struct LogonRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `OutputHandleIndex`.
    pub output_handle_index: u8,
    /// `LogonFlags` (Private 0x01 …).
    pub logon_flags: u8,
    /// `OpenFlags` (OPENSTORE_*).
    pub open_flags: u32,
    /// `StoreState` (ignored, 0).
    pub store_state: u32,
    /// `Essdn`: the mailbox's legacy DN; `None` when `EssdnSize` is 0.
    pub essdn: Option<String>,
}

impl RopCodec for LogonRequest {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let logon_id = r.u8("LogonId")?;
        let output_handle_index = r.u8("OutputHandleIndex")?;
        let logon_flags = r.u8("LogonFlags")?;
        let open_flags = r.u32("OpenFlags")?;
        let store_state = r.u32("StoreState")?;
        let size = r.u16("EssdnSize")? as usize;
        let essdn = if size == 0 {
            None
        } else {
            let b = r.take(size, "Essdn")?;
            let mut sub = Reader::new(b);
            let s = sub.asciiz("Essdn")?;
            sub.finish("Essdn")?;
            Some(s)
        };
        Ok(LogonRequest { logon_id, output_handle_index, logon_flags, open_flags, store_state, essdn })
    }
    fn encode(&self, w: &mut Writer) {
        w.u8(self.logon_id);
        w.u8(self.output_handle_index);
        w.u8(self.logon_flags);
        w.u32(self.open_flags);
        w.u32(self.store_state);
        match &self.essdn {
            None => w.u16(0),
            Some(s) => {
                let bytes = oxmapi_core::text::encode_cp1252(s);
                w.u16(bytes.len() as u16 + 1);
                w.asciiz_bytes(&bytes);
            }
        }
    }
}

/// `LogonTime` of a private logon response (MS-OXCROPS 2.2.3.1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LogonTime {
    /// Seconds.
    pub seconds: u8,
    /// Minutes.
    pub minutes: u8,
    /// Hour.
    pub hour: u8,
    /// Day of week, 0 = Sunday.
    pub day_of_week: u8,
    /// Day of month.
    pub day: u8,
    /// Month, 1 = January.
    pub month: u8,
    /// Year.
    pub year: u16,
}

/// Private-mailbox RopLogon success body (MS-OXCROPS 2.2.3.1.2).
#[derive(Clone, Debug, PartialEq)]
pub struct LogonPrivate {
    /// `LogonFlags` (Private set).
    pub logon_flags: u8,
    /// `FolderIds`: root, deferred action, spooler queue, IPM subtree, inbox, outbox, sent
    /// items, deleted items, common views, schedule, finder, views, shortcuts.
    pub folder_ids: [ObjectId; LOGON_FOLDER_COUNT],
    /// `ResponseFlags` (Reserved 0x01 | OwnerRight 0x02 | SendAsRight 0x04 | OOF 0x10).
    pub response_flags: u8,
    /// `MailboxGuid`.
    pub mailbox_guid: Guid,
    /// `ReplId`.
    pub repl_id: u16,
    /// `ReplGuid`.
    pub repl_guid: Guid,
    /// `LogonTime`.
    pub logon_time: LogonTime,
    /// `GwartTime`.
    pub gwart_time: u64,
    /// `StoreState`.
    pub store_state: u32,
}

/// Public-folder RopLogon success body (MS-OXCROPS 2.2.3.1.3).
#[derive(Clone, Debug, PartialEq)]
pub struct LogonPublic {
    /// `LogonFlags` (Private clear).
    pub logon_flags: u8,
    /// `FolderIds`: public root, IPM subtree, non-IPM subtree, EForms registry, free/busy, OAB,
    /// localized EForms, local free/busy, local OAB, NNTP index, 3 unused.
    pub folder_ids: [ObjectId; LOGON_FOLDER_COUNT],
    /// `ReplId`.
    pub repl_id: u16,
    /// `ReplGuid`.
    pub repl_guid: Guid,
    /// `PerUserGuid`.
    pub per_user_guid: Guid,
}

/// RopLogon response body.
#[derive(Clone, Debug, PartialEq)]
pub enum LogonResponse {
    /// Mailbox logon.
    Private(LogonPrivate),
    /// Public folder logon.
    Public(LogonPublic),
    /// ReturnValue ecWrongServer: the mailbox lives on `server_name` (MS-OXCROPS 2.2.3.1.4).
    Redirect {
        /// `LogonFlags`.
        logon_flags: u8,
        /// `ServerName`.
        server_name: String,
    },
}

fn read_folder_ids(r: &mut Reader<'_>) -> DecodeResult<[ObjectId; LOGON_FOLDER_COUNT]> {
    let mut ids = [ObjectId::ZERO; LOGON_FOLDER_COUNT];
    for id in &mut ids {
        *id = r.object_id("FolderIds")?;
    }
    Ok(ids)
}

impl ResponseBody for LogonResponse {
    fn decode_success(r: &mut Reader<'_>, _ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        let logon_flags = r.u8("LogonFlags")?;
        let folder_ids = read_folder_ids(r)?;
        if logon_flags & logon_rop_flags::PRIVATE != 0 {
            Ok(LogonResponse::Private(LogonPrivate {
                logon_flags,
                folder_ids,
                response_flags: r.u8("ResponseFlags")?,
                mailbox_guid: r.guid("MailboxGuid")?,
                repl_id: r.u16("ReplId")?,
                repl_guid: r.guid("ReplGuid")?,
                logon_time: LogonTime {
                    seconds: r.u8("Seconds")?,
                    minutes: r.u8("Minutes")?,
                    hour: r.u8("Hour")?,
                    day_of_week: r.u8("DayOfWeek")?,
                    day: r.u8("Day")?,
                    month: r.u8("Month")?,
                    year: r.u16("Year")?,
                },
                gwart_time: r.u64("GwartTime")?,
                store_state: r.u32("StoreState")?,
            }))
        } else {
            Ok(LogonResponse::Public(LogonPublic {
                logon_flags,
                folder_ids,
                repl_id: r.u16("ReplId")?,
                repl_guid: r.guid("ReplGuid")?,
                per_user_guid: r.guid("PerUserGuid")?,
            }))
        }
    }

    fn decode_failure(r: &mut Reader<'_>, return_value: u32) -> DecodeResult<Option<Self>> {
        if return_value != EC_WRONG_SERVER {
            return Ok(None);
        }
        let logon_flags = r.u8("LogonFlags")?;
        let size = r.u8("ServerNameSize")? as usize;
        let b = r.take(size, "ServerName")?;
        let mut sub = Reader::new(b);
        let server_name = sub.asciiz("ServerName")?;
        sub.finish("ServerName")?;
        Ok(Some(LogonResponse::Redirect { logon_flags, server_name }))
    }

    fn encode_body(&self, w: &mut Writer) {
        match self {
            LogonResponse::Private(p) => {
                w.u8(p.logon_flags);
                p.folder_ids.iter().for_each(|f| w.object_id(*f));
                w.u8(p.response_flags);
                w.guid(&p.mailbox_guid);
                w.u16(p.repl_id);
                w.guid(&p.repl_guid);
                let t = &p.logon_time;
                for b in [t.seconds, t.minutes, t.hour, t.day_of_week, t.day, t.month] {
                    w.u8(b);
                }
                w.u16(t.year);
                w.u64(p.gwart_time);
                w.u32(p.store_state);
            }
            LogonResponse::Public(p) => {
                w.u8(p.logon_flags);
                p.folder_ids.iter().for_each(|f| w.object_id(*f));
                w.u16(p.repl_id);
                w.guid(&p.repl_guid);
                w.guid(&p.per_user_guid);
            }
            LogonResponse::Redirect { logon_flags, server_name } => {
                w.u8(*logon_flags);
                let bytes = oxmapi_core::text::encode_cp1252(server_name);
                w.u8((bytes.len() + 1).min(255) as u8);
                w.asciiz_bytes(&bytes[..bytes.len().min(254)]);
            }
        }
    }
}

wire_struct! {
    /// RopGetReceiveFolder request (MS-OXCROPS 2.2.3.2.1).
    pub struct GetReceiveFolderRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `MessageClass`.
        message_class: String => AsciiZ,
    }
}
wire_struct! {
    /// RopGetReceiveFolder response (MS-OXCROPS 2.2.3.2.2).
    pub struct GetReceiveFolderResponse {
        /// `FolderId`.
        folder_id: ObjectId => Fid,
        /// `ExplicitMessageClass`.
        explicit_message_class: String => AsciiZ,
    }
}
wire_struct! {
    /// RopSetReceiveFolder request (MS-OXCROPS 2.2.3.3.1).
    pub struct SetReceiveFolderRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `FolderId`.
        folder_id: ObjectId => Fid,
        /// `MessageClass`.
        message_class: String => AsciiZ,
    }
}
wire_struct! {
    /// RopGetReceiveFolderTable request (MS-OXCROPS 2.2.3.4.1).
    pub struct GetReceiveFolderTableRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
    }
}
wire_struct! {
    /// RopGetStoreState request (MS-OXCROPS 2.2.3.5.1).
    pub struct GetStoreStateRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
    }
}
wire_struct! {
    /// RopGetStoreState response (MS-OXCROPS 2.2.3.5.2).
    pub struct GetStoreStateResponse {
        /// `StoreState` (0x01000000 STORE_HAS_SEARCHES or 0).
        store_state: u32 => U32,
    }
}
wire_struct! {
    /// RopGetOwningServers request (MS-OXCROPS 2.2.3.6.1).
    pub struct GetOwningServersRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `FolderId`.
        folder_id: ObjectId => Fid,
    }
}
wire_struct! {
    /// RopPublicFolderIsGhosted request (MS-OXCROPS 2.2.3.7.1).
    pub struct PublicFolderIsGhostedRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `FolderId`.
        folder_id: ObjectId => Fid,
    }
}
wire_struct! {
    /// RopLongTermIdFromId request (MS-OXCROPS 2.2.3.8.1).
    pub struct LongTermIdFromIdRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `ObjectId`.
        object_id: ObjectId => Fid,
    }
}
wire_struct! {
    /// RopLongTermIdFromId response (MS-OXCROPS 2.2.3.8.2).
    pub struct LongTermIdFromIdResponse {
        /// `LongTermId`.
        long_term_id: oxmapi_core::ids::LongTermId => LongTerm,
    }
}
wire_struct! {
    /// RopIdFromLongTermId request (MS-OXCROPS 2.2.3.9.1).
    pub struct IdFromLongTermIdRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `LongTermId`.
        long_term_id: oxmapi_core::ids::LongTermId => LongTerm,
    }
}
wire_struct! {
    /// RopIdFromLongTermId response (MS-OXCROPS 2.2.3.9.2).
    pub struct IdFromLongTermIdResponse {
        /// `ObjectId`.
        object_id: ObjectId => Fid,
    }
}
plain_response!(
    GetReceiveFolderResponse,
    GetStoreStateResponse,
    LongTermIdFromIdResponse,
    IdFromLongTermIdResponse
);

/// A list of servers: `Count u16, CheapCount u16, Servers ASCIIZ[Count]` (used by
/// RopGetOwningServers, RopPublicFolderIsGhosted, RopOpenFolder, RopCreateFolder).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ServerList {
    /// `CheapServerCount`: how many of the first servers are cheap to reach.
    pub cheap_count: u16,
    /// `Servers`.
    pub servers: Vec<String>,
}

impl RopCodec for ServerList {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let n = r.u16("ServerCount")?;
        let cheap_count = r.u16("CheapServerCount")?;
        let n = r.check_count(n as u64, 1, 0xFFFF, "ServerCount")?;
        let servers = (0..n).map(|_| r.asciiz("Servers")).collect::<DecodeResult<_>>()?;
        Ok(ServerList { cheap_count, servers })
    }
    fn encode(&self, w: &mut Writer) {
        w.u16(self.servers.len() as u16);
        w.u16(self.cheap_count);
        self.servers.iter().for_each(|s| w.asciiz(s));
    }
}
plain_response!(ServerList);

/// RopPublicFolderIsGhosted response: `IsGhosted u8` and, when ghosted, the servers
/// (MS-OXCROPS 2.2.3.7.2). The same shape follows `HasRules` in RopOpenFolder.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Ghosted {
    /// The replica servers when `IsGhosted` is nonzero.
    pub servers: Option<ServerList>,
}

impl RopCodec for Ghosted {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let g = r.u8("IsGhosted")?;
        Ok(Ghosted { servers: if g != 0 { Some(ServerList::decode(r)?) } else { None } })
    }
    fn encode(&self, w: &mut Writer) {
        w.u8(self.servers.is_some() as u8);
        if let Some(s) = &self.servers {
            s.encode(w);
        }
    }
}
plain_response!(Ghosted);

/// One row of the receive folder table: the `PidTagFolderId` (PtypInteger64),
/// `PidTagMessageClass` (PtypString8) and `PidTagLastModificationTime` (PtypTime) columns, in
/// that order and no others (MS-OXCSTOR 2.2.1.4.2).
#[derive(Clone, Debug, PartialEq)]
pub struct ReceiveFolderRow {
    /// PidTagFolderId.
    pub folder_id: ObjectId,
    /// PidTagMessageClass ("" is the default entry).
    pub message_class: String,
    /// PidTagLastModificationTime (FILETIME).
    pub last_modification_time: u64,
}

/// RopGetReceiveFolderTable response (MS-OXCROPS 2.2.3.4.2, MS-OXCSTOR 2.2.1.4.2): `RowCount`
/// then the rows, each a StandardPropertyRow (flag 0x00, then the values) or a
/// FlaggedPropertyRow (flag 0x01, then a flag byte before each value; MS-OXCDATA 2.8.1). The
/// encoder writes StandardPropertyRows: every column of every entry has a value.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct GetReceiveFolderTableResponse {
    /// The rows.
    pub rows: Vec<ReceiveFolderRow>,
}

impl RopCodec for GetReceiveFolderTableResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let n = r.u32("RowCount")?;
        let n = r.check_count(n as u64, 10, u32::MAX as u64, "RowCount")?;
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let flagged = match r.u8("PropertyRow Flag")? {
                0x00 => false,
                0x01 => true,
                v => return Err(r.invalid("PropertyRow Flag", format!("0x{v:02X} is neither 0x00 nor 0x01"))),
            };
            // A FlaggedPropertyRow value flag other than 0x00 means the value is missing or an
            // error code; the table has no such columns, so anything but 0x00 is malformed.
            let value_flag = |r: &mut Reader<'_>| -> DecodeResult<()> {
                if flagged && r.u8("PropertyValue Flag")? != 0 {
                    return Err(r.invalid("PropertyValue Flag", "a receive folder table value is missing"));
                }
                Ok(())
            };
            value_flag(r)?;
            let folder_id = r.object_id("PidTagFolderId")?;
            value_flag(r)?;
            let message_class = r.asciiz("PidTagMessageClass")?;
            value_flag(r)?;
            let last_modification_time = r.u64("PidTagLastModificationTime")?;
            rows.push(ReceiveFolderRow { folder_id, message_class, last_modification_time });
        }
        Ok(GetReceiveFolderTableResponse { rows })
    }
    fn encode(&self, w: &mut Writer) {
        w.u32(self.rows.len() as u32);
        for row in &self.rows {
            w.u8(0x00);
            w.object_id(row.folder_id);
            w.asciiz(&row.message_class);
            w.u64(row.last_modification_time);
        }
    }
}
plain_response!(GetReceiveFolderTableResponse);
