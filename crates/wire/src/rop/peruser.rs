//! Per-user information ROPs (MS-OXCSTOR 2.2.1.7–2.2.1.10; MS-OXCROPS 2.2.3.9–2.2.3.12): the
//! read/unread state a public folder keeps per user, as long-term ids and raw blobs.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::LongTermId;

use super::codec::*;
use super::outcome::plain_response;

wire_struct! {
    /// RopGetPerUserLongTermIds request (MS-OXCROPS 2.2.3.9.1).
    pub struct GetPerUserLongTermIdsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the logon).
        input_handle_index: u8 => U8,
        /// `DatabaseGuid`.
        database_guid: Guid => GuidField,
    }
}
wire_struct! {
    /// RopGetPerUserGuid request (MS-OXCROPS 2.2.3.10.1).
    pub struct GetPerUserGuidRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the logon).
        input_handle_index: u8 => U8,
        /// `LongTermId` of the public folder.
        long_term_id: LongTermId => LongTerm,
    }
}
wire_struct! {
    /// RopReadPerUserInformation request (MS-OXCROPS 2.2.3.11.1).
    pub struct ReadPerUserInformationRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the logon).
        input_handle_index: u8 => U8,
        /// `FolderId` as a LongTermId.
        folder_id: LongTermId => LongTerm,
        /// `Reserved`.
        reserved: u8 => U8,
        /// `DataOffset`.
        data_offset: u32 => U32,
        /// `MaxDataSize`.
        max_data_size: u16 => U16,
    }
}

/// RopWritePerUserInformation request (MS-OXCROPS 2.2.3.12.1). `ReplGuid` is present only
/// when `DataOffset` is 0 and the logon is a private-mailbox logon, so decoding needs the
/// logon's kind (as gromox's `rop_ext_pull_writeperuserinformation_request` does).
#[derive(Clone, Debug, PartialEq)]
pub struct WritePerUserInformationRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `InputHandleIndex` (the logon).
    pub input_handle_index: u8,
    /// `FolderId` as a LongTermId.
    pub folder_id: LongTermId,
    /// `HasFinished`.
    pub has_finished: u8,
    /// `DataOffset`.
    pub data_offset: u32,
    /// `DataSize` + `Data`.
    pub data: Vec<u8>,
    /// `ReplGuid`.
    pub repl_guid: Option<Guid>,
}

impl WritePerUserInformationRequest {
    /// Reads the request; `private_logon` says whether the logon is a mailbox logon.
    pub fn decode_with(r: &mut Reader<'_>, private_logon: bool) -> DecodeResult<Self> {
        let logon_id = r.u8("LogonId")?;
        let input_handle_index = r.u8("InputHandleIndex")?;
        let folder_id = LongTerm::read(r, "FolderId")?;
        let has_finished = r.u8("HasFinished")?;
        let data_offset = r.u32("DataOffset")?;
        let data = Bytes16::read(r, "Data")?;
        let repl_guid = if data_offset == 0 && private_logon { Some(r.guid("ReplGuid")?) } else { None };
        Ok(WritePerUserInformationRequest {
            logon_id,
            input_handle_index,
            folder_id,
            has_finished,
            data_offset,
            data,
            repl_guid,
        })
    }
    /// Writes the request.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.logon_id);
        w.u8(self.input_handle_index);
        LongTerm::write(w, &self.folder_id);
        w.u8(self.has_finished);
        w.u32(self.data_offset);
        Bytes16::write(w, &self.data);
        if let Some(g) = &self.repl_guid {
            w.guid(g);
        }
    }
}
crate::describe_fields!(WritePerUserInformationRequest {
    logon_id,
    input_handle_index,
    folder_id,
    has_finished,
    data_offset,
    data,
    repl_guid
});

/// `LongTermIdCount u16` + LongTermIds.
pub struct LongTermIds16;
impl Codec<Vec<LongTermId>> for LongTermIds16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<LongTermId>> {
        let n = r.u16(what)?;
        let n = r.check_count(n as u64, 24, 0xFFFF, what)?;
        (0..n).map(|_| LongTerm::read(r, what)).collect()
    }
    fn write(w: &mut Writer, v: &Vec<LongTermId>) {
        w.u16(v.len() as u16);
        v.iter().for_each(|x| LongTerm::write(w, x));
    }
}

wire_struct! {
    /// RopGetPerUserLongTermIds response (MS-OXCROPS 2.2.3.9.2).
    pub struct GetPerUserLongTermIdsResponse {
        /// `LongTermIdCount` + `LongTermIds`.
        long_term_ids: Vec<LongTermId> => LongTermIds16,
    }
}
plain_response!(GetPerUserLongTermIdsResponse);
wire_struct! {
    /// RopGetPerUserGuid response (MS-OXCROPS 2.2.3.10.2).
    pub struct GetPerUserGuidResponse {
        /// `DatabaseGuid`.
        database_guid: Guid => GuidField,
    }
}
plain_response!(GetPerUserGuidResponse);
wire_struct! {
    /// RopReadPerUserInformation response (MS-OXCROPS 2.2.3.11.2).
    pub struct ReadPerUserInformationResponse {
        /// `HasFinished`.
        has_finished: u8 => U8,
        /// `DataSize` + `Data`.
        data: Vec<u8> => Bytes16,
    }
}
plain_response!(ReadPerUserInformationResponse);
