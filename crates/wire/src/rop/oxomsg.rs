//! Submission and transport ROPs (MS-OXOMSG 2.2.3; MS-OXCROPS 2.2.7).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::TaggedValue;

use super::codec::*;
use super::outcome::plain_response;

wire_struct! {
    /// RopSubmitMessage request (MS-OXCROPS 2.2.7.1.1).
    pub struct SubmitMessageRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `SubmitFlags` (None 0x00, PreProcess 0x01, NeedsSpooler 0x02).
        submit_flags: u8 => U8,
    }
}
wire_struct! {
    /// RopAbortSubmit request (MS-OXCROPS 2.2.7.2.1).
    pub struct AbortSubmitRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `FolderId`.
        folder_id: ObjectId => Fid,
        /// `MessageId`.
        message_id: ObjectId => Fid,
    }
}
wire_struct! {
    /// Requests with only `LogonId` and `InputHandleIndex` in this family (RopGetAddressTypes,
    /// RopSetSpooler, RopTransportSend, RopGetTransportFolder).
    pub struct TransportHandleRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
    }
}

/// RopGetAddressTypes response (MS-OXCROPS 2.2.7.3.2): `AddressTypeCount u16`,
/// `AddressTypeSize u16` (bytes of the strings), `AddressTypes` ASCIIZ[].
#[derive(Clone, Debug, PartialEq)]
pub struct GetAddressTypesResponse {
    /// `AddressTypes`.
    pub address_types: Vec<String>,
}

impl RopCodec for GetAddressTypesResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let n = r.u16("AddressTypeCount")?;
        let size = r.u16("AddressTypeSize")? as usize;
        let mut sub = Reader::new(r.take(size, "AddressTypes")?);
        let n = sub.check_count(n as u64, 1, 0xFFFF, "AddressTypeCount")?;
        let address_types = (0..n).map(|_| sub.asciiz("AddressTypes")).collect::<DecodeResult<_>>()?;
        sub.finish("AddressTypes")?;
        Ok(GetAddressTypesResponse { address_types })
    }
    fn encode(&self, w: &mut Writer) {
        w.u16(self.address_types.len() as u16);
        let at = w.placeholder_u16();
        let start = w.len();
        self.address_types.iter().for_each(|s| w.asciiz(s));
        w.patch_u16(at, (w.len() - start) as u16);
    }
}

wire_struct! {
    /// RopSpoolerLockMessage request (MS-OXCROPS 2.2.7.6.1).
    pub struct SpoolerLockMessageRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `MessageId`.
        message_id: ObjectId => Fid,
        /// `LockState` (lstLock 0, lstUnlock 1, lstFinished 2).
        lock_state: u8 => U8,
    }
}

/// RopTransportSend response (MS-OXCROPS 2.2.7.7.2).
#[derive(Clone, Debug, PartialEq)]
pub struct TransportSendResponse {
    /// `PropertyValues` when `NoPropertiesReturned` is 0.
    pub property_values: Option<Vec<TaggedValue>>,
}

impl RopCodec for TransportSendResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let none = r.u8("NoPropertiesReturned")?;
        Ok(TransportSendResponse {
            property_values: if none == 0 { Some(Tagged16::read(r, "PropertyValues")?) } else { None },
        })
    }
    fn encode(&self, w: &mut Writer) {
        match &self.property_values {
            Some(v) => {
                w.u8(0);
                Tagged16::write(w, v);
            }
            None => w.u8(1),
        }
    }
}

wire_struct! {
    /// RopTransportNewMail request (MS-OXCROPS 2.2.7.8.1).
    pub struct TransportNewMailRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `MessageId`.
        message_id: ObjectId => Fid,
        /// `FolderId`.
        folder_id: ObjectId => Fid,
        /// `MessageClass`.
        message_class: String => AsciiZ,
        /// `MessageFlags`.
        message_flags: u32 => U32,
    }
}
wire_struct! {
    /// RopGetTransportFolder response (MS-OXCROPS 2.2.7.9.2).
    pub struct GetTransportFolderResponse {
        /// `FolderId`.
        folder_id: ObjectId => Fid,
    }
}
wire_struct! {
    /// RopOptionsData request (MS-OXCROPS 2.2.7.10.1).
    pub struct OptionsDataRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `AddressType`.
        address_type: String => AsciiZ,
        /// `WantWin32`.
        want_win32: u8 => U8,
    }
}

/// RopOptionsData response (MS-OXCROPS 2.2.7.10.2).
#[derive(Clone, Debug, PartialEq)]
pub struct OptionsDataResponse {
    /// `Reserved`.
    pub reserved: u8,
    /// `OptionsInfo`.
    pub options_info: Vec<u8>,
    /// `HelpFile`.
    pub help_file: Vec<u8>,
    /// `HelpFileName`, present when `HelpFileSize` is nonzero.
    pub help_file_name: Option<String>,
}

impl RopCodec for OptionsDataResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let reserved = r.u8("Reserved")?;
        let options_info = Bytes16::read(r, "OptionsInfo")?;
        let help_file = Bytes16::read(r, "HelpFile")?;
        let help_file_name = if help_file.is_empty() { None } else { Some(r.asciiz("HelpFileName")?) };
        Ok(OptionsDataResponse { reserved, options_info, help_file, help_file_name })
    }
    fn encode(&self, w: &mut Writer) {
        w.u8(self.reserved);
        Bytes16::write(w, &self.options_info);
        Bytes16::write(w, &self.help_file);
        if !self.help_file.is_empty() {
            w.asciiz(self.help_file_name.as_deref().unwrap_or(""));
        }
    }
}

plain_response!(
    GetAddressTypesResponse,
    TransportSendResponse,
    GetTransportFolderResponse,
    OptionsDataResponse
);
