//! Message and attachment ROPs (MS-OXCMSG 2.2.3; MS-OXCROPS 2.2.6) and the RecipientRow
//! structure (MS-OXCDATA 2.8.3).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;

use super::codec::*;
use super::outcome::{ResponseBody, ResponseContext, plain_response};
use crate::cdata::{self, Form, PropertyRow};

/// A TypedString (MS-OXCROPS 2.2.6.1.2.1): subject fields of RopOpenMessage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypedString {
    /// `StringType` 0x00: no string.
    Absent,
    /// 0x01: empty string.
    Empty,
    /// 0x02: 8-bit string.
    String8(String),
    /// 0x03: reduced Unicode, sent as 8-bit characters.
    ReducedUnicode(String),
    /// 0x04: UTF-16 string.
    Unicode(String),
}

impl TypedString {
    /// The text, if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            TypedString::Absent => None,
            TypedString::Empty => Some(""),
            TypedString::String8(s) | TypedString::ReducedUnicode(s) | TypedString::Unicode(s) => Some(s),
        }
    }
}

impl Codec<TypedString> for TypedString {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<TypedString> {
        Ok(match r.u8(what)? {
            0 => TypedString::Absent,
            1 => TypedString::Empty,
            2 => TypedString::String8(r.asciiz(what)?),
            3 => TypedString::ReducedUnicode(r.asciiz(what)?),
            4 => TypedString::Unicode(r.utf16z(what)?),
            other => return Err(r.invalid("StringType", format!("0x{other:02X}"))),
        })
    }
    fn write(w: &mut Writer, v: &TypedString) {
        match v {
            TypedString::Absent => w.u8(0),
            TypedString::Empty => w.u8(1),
            TypedString::String8(s) => {
                w.u8(2);
                w.asciiz(s)
            }
            TypedString::ReducedUnicode(s) => {
                w.u8(3);
                w.asciiz(s)
            }
            TypedString::Unicode(s) => {
                w.u8(4);
                w.utf16z(s)
            }
        }
    }
}

/// RecipientFlags bits (MS-OXCDATA 2.8.3.1).
pub mod recipient_flags {
    #![allow(missing_docs)]
    pub const TYPE_MASK: u16 = 0x0007;
    pub const TYPE_NONE: u16 = 0x0;
    pub const TYPE_X500DN: u16 = 0x1;
    pub const TYPE_MSMAIL: u16 = 0x2;
    pub const TYPE_SMTP: u16 = 0x3;
    pub const TYPE_FAX: u16 = 0x4;
    pub const TYPE_PROFESSIONAL_OFFICE_SYSTEM: u16 = 0x5;
    pub const TYPE_PERSONAL_DIST_LIST1: u16 = 0x6;
    pub const TYPE_PERSONAL_DIST_LIST2: u16 = 0x7;
    pub const E: u16 = 0x0008;
    pub const D: u16 = 0x0010;
    pub const T: u16 = 0x0020;
    pub const S: u16 = 0x0040;
    pub const R: u16 = 0x0080;
    pub const N: u16 = 0x0100;
    pub const U: u16 = 0x0200;
    pub const I: u16 = 0x0400;
    pub const O: u16 = 0x8000;
}

/// A RecipientRow (MS-OXCDATA 2.8.3.1). Which optional fields exist follows from `flags`; the
/// encoder writes a field when its flag condition holds (missing values as empty strings).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RecipientRow {
    /// `RecipientFlags`.
    pub flags: u16,
    /// `AddressPrefixUsed` (X500DN type).
    pub address_prefix_used: Option<u8>,
    /// `DisplayType` (X500DN type).
    pub display_type: Option<u8>,
    /// `X500DN` (X500DN type): the DN without the prefix.
    pub x500_dn: Option<String>,
    /// `EntryId` (personal distribution list types).
    pub entry_id: Option<Vec<u8>>,
    /// `SearchKey` (personal distribution list types).
    pub search_key: Option<Vec<u8>>,
    /// `AddressType` (Type none with the O flag).
    pub address_type: Option<String>,
    /// `EmailAddress` (E flag).
    pub email_address: Option<String>,
    /// `DisplayName` (D flag).
    pub display_name: Option<String>,
    /// `SimpleDisplayName` (I flag).
    pub simple_display_name: Option<String>,
    /// `TransmittableDisplayName` (T flag).
    pub transmittable_display_name: Option<String>,
    /// `RecipientColumnCount`: how many of the recipient columns `properties` covers.
    pub column_count: u16,
    /// `RecipientProperties`: a PropertyRow over the first `column_count` recipient columns,
    /// kept as bytes (decode with [`RecipientRow::properties`]); empty stands for the empty
    /// StandardPropertyRow (the encoder writes its `Flag` 0x00).
    pub properties: Vec<u8>,
}

impl RecipientRow {
    fn ty(&self) -> u16 {
        self.flags & recipient_flags::TYPE_MASK
    }

    /// Decodes `RecipientProperties` with the message's recipient columns. A row without
    /// columns and without even the PropertyRow's `Flag` byte (what older oxmapi clients sent;
    /// MS-OXCDATA 2.8.3.2 wants the Flag) is read as an empty row, for tolerance.
    pub fn properties(&self, columns: &[PropTag]) -> DecodeResult<PropertyRow> {
        let cols = &columns[..(self.column_count as usize).min(columns.len())];
        if cols.is_empty() && self.properties.is_empty() {
            return Ok(PropertyRow { flagged: false, values: Vec::new() });
        }
        let mut r = Reader::new(&self.properties);
        let row = cdata::read_row(&mut r, cols, Form::Rop)?;
        r.finish("RecipientProperties")?;
        Ok(row)
    }

    /// Sets `RecipientProperties` from a row over `columns`.
    pub fn set_properties(&mut self, row: &PropertyRow, columns: &[PropTag]) {
        let mut w = Writer::new();
        cdata::write_row(&mut w, row, columns, Form::Rop);
        self.column_count = columns.len() as u16;
        self.properties = w.into_vec();
    }

    /// Reads a RecipientRow filling exactly `r`.
    pub fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        use recipient_flags::*;
        let flags = r.u16("RecipientFlags")?;
        let unicode = flags & U != 0;
        let s = |r: &mut Reader<'_>, what| if unicode { r.utf16z(what) } else { r.asciiz(what) };
        let mut row = RecipientRow { flags, ..Default::default() };
        match flags & TYPE_MASK {
            TYPE_X500DN => {
                row.address_prefix_used = Some(r.u8("AddressPrefixUsed")?);
                row.display_type = Some(r.u8("DisplayType")?);
                row.x500_dn = Some(r.asciiz("X500DN")?);
            }
            TYPE_PERSONAL_DIST_LIST1 | TYPE_PERSONAL_DIST_LIST2 => {
                row.entry_id = Some(Bytes16::read(r, "EntryId")?);
                row.search_key = Some(Bytes16::read(r, "SearchKey")?);
            }
            _ => {}
        }
        if flags & TYPE_MASK == TYPE_NONE && flags & O != 0 {
            row.address_type = Some(r.asciiz("AddressType")?);
        }
        if flags & E != 0 {
            row.email_address = Some(s(r, "EmailAddress")?);
        }
        if flags & D != 0 {
            row.display_name = Some(s(r, "DisplayName")?);
        }
        if flags & I != 0 {
            row.simple_display_name = Some(s(r, "SimpleDisplayName")?);
        }
        if flags & T != 0 {
            row.transmittable_display_name = Some(s(r, "TransmittableDisplayName")?);
        }
        row.column_count = r.u16("RecipientColumnCount")?;
        row.properties = r.take_rest().to_vec();
        Ok(row)
    }

    /// Writes the RecipientRow.
    pub fn encode(&self, w: &mut Writer) {
        use recipient_flags::*;
        let unicode = self.flags & U != 0;
        let s = |w: &mut Writer, v: &Option<String>| {
            let v = v.as_deref().unwrap_or("");
            if unicode { w.utf16z(v) } else { w.asciiz(v) }
        };
        w.u16(self.flags);
        match self.ty() {
            TYPE_X500DN => {
                w.u8(self.address_prefix_used.unwrap_or(0));
                w.u8(self.display_type.unwrap_or(0));
                w.asciiz(self.x500_dn.as_deref().unwrap_or(""));
            }
            TYPE_PERSONAL_DIST_LIST1 | TYPE_PERSONAL_DIST_LIST2 => {
                Bytes16::write(w, self.entry_id.as_ref().unwrap_or(&Vec::new()));
                Bytes16::write(w, self.search_key.as_ref().unwrap_or(&Vec::new()));
            }
            _ => {}
        }
        if self.ty() == TYPE_NONE && self.flags & O != 0 {
            w.asciiz(self.address_type.as_deref().unwrap_or(""));
        }
        if self.flags & E != 0 {
            s(w, &self.email_address);
        }
        if self.flags & D != 0 {
            s(w, &self.display_name);
        }
        if self.flags & I != 0 {
            s(w, &self.simple_display_name);
        }
        if self.flags & T != 0 {
            s(w, &self.transmittable_display_name);
        }
        w.u16(self.column_count);
        if self.properties.is_empty() {
            // `RecipientProperties` is a PropertyRow (MS-OXCDATA 2.8.3.2, 2.8.1) and keeps its
            // `Flag` even over no columns: a StandardPropertyRow with no values. gromox's
            // g_recipient_row always reads it (else ecRpcFormat).
            w.u8(cdata::ROW_STANDARD);
        } else {
            w.bytes(&self.properties);
        }
    }
}

/// `RecipientRowSize u16` + RecipientRow.
struct SizedRecipientRow;
impl Codec<RecipientRow> for SizedRecipientRow {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<RecipientRow> {
        let size = r.u16(what)? as usize;
        let mut sub = Reader::new(r.take(size, what)?);
        RecipientRow::decode(&mut sub)
    }
    fn write(w: &mut Writer, v: &RecipientRow) {
        let at = w.placeholder_u16();
        let start = w.len();
        v.encode(w);
        w.patch_u16(at, (w.len() - start) as u16);
    }
}

wire_struct! {
    /// OpenRecipientRow (MS-OXCROPS 2.2.6.1.2.1).
    pub struct OpenRecipientRow {
        /// `RecipientType` (MAPI_TO 1, MAPI_CC 2, MAPI_BCC 3, with flag bits).
        recipient_type: u8 => U8,
        /// `CodePageId`.
        code_page_id: u16 => U16,
        /// `Reserved`.
        reserved: u16 => U16,
        /// `RecipientRowSize` + `RecipientRow`.
        recipient_row: RecipientRow => SizedRecipientRow,
    }
}

/// Rows with a u8 count.
struct RowsU8<T>(std::marker::PhantomData<T>);
impl<T: RopCodec> Codec<Vec<T>> for RowsU8<T> {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<T>> {
        let n = r.u8(what)? as usize;
        let n = r.check_count(n as u64, 7, 255, what)?;
        (0..n).map(|_| T::decode(r)).collect()
    }
    fn write(w: &mut Writer, v: &Vec<T>) {
        w.u8(v.len() as u8);
        v.iter().for_each(|x| x.encode(w));
    }
}

wire_struct! {
    /// RopOpenMessage request (MS-OXCROPS 2.2.6.1.1).
    pub struct OpenMessageRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `CodePageId`.
        code_page_id: u16 => U16,
        /// `FolderId`.
        folder_id: ObjectId => Fid,
        /// `OpenModeFlags` (ReadOnly 0, ReadWrite 1, Create 2, BestAccess 3, OpenSoftDeleted 4).
        open_mode_flags: u8 => U8,
        /// `MessageId`.
        message_id: ObjectId => Fid,
    }
}
wire_struct! {
    /// RopOpenMessage response (MS-OXCROPS 2.2.6.1.2); also RopReloadCachedInformation's.
    pub struct OpenMessageResponse {
        /// `HasNamedProperties`.
        has_named_properties: u8 => U8,
        /// `SubjectPrefix`.
        subject_prefix: TypedString => TypedString,
        /// `NormalizedSubject`.
        normalized_subject: TypedString => TypedString,
        /// `RecipientCount`.
        recipient_count: u16 => U16,
        /// `ColumnCount` + `RecipientColumns`.
        recipient_columns: Vec<PropTag> => Tags16,
        /// `RowCount` + `RecipientRows`.
        recipient_rows: Vec<OpenRecipientRow> => RowsU8<OpenRecipientRow>,
    }
}
wire_struct! {
    /// RopCreateMessage request (MS-OXCROPS 2.2.6.2.1).
    pub struct CreateMessageRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `CodePageId`.
        code_page_id: u16 => U16,
        /// `FolderId`.
        folder_id: ObjectId => Fid,
        /// `AssociatedFlag` (FAI message when nonzero).
        associated_flag: u8 => U8,
    }
}
wire_struct! {
    /// RopCreateMessage response (MS-OXCROPS 2.2.6.2.2).
    pub struct CreateMessageResponse {
        /// `HasMessageId` + `MessageId`.
        message_id: Option<ObjectId> => OptFid,
    }
}
wire_struct! {
    /// RopSaveChangesMessage request (MS-OXCROPS 2.2.6.3.1).
    pub struct SaveChangesMessageRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `ResponseHandleIndex`.
        response_handle_index: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `SaveFlags` (KeepOpenReadOnly 0x09, KeepOpenReadWrite 0x0A, ForceSave 0x0C).
        save_flags: u8 => U8,
    }
}
wire_struct! {
    /// RopSaveChangesMessage response (MS-OXCROPS 2.2.6.3.2).
    pub struct SaveChangesMessageResponse {
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `MessageId`.
        message_id: ObjectId => Fid,
    }
}
wire_struct! {
    /// RopRemoveAllRecipients request (MS-OXCROPS 2.2.6.4.1).
    pub struct RemoveAllRecipientsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `Reserved`.
        reserved: u32 => U32,
    }
}

/// A ModifyRecipientRow (MS-OXCROPS 2.2.6.5.1.1): `RecipientRowSize` 0 deletes the row.
#[derive(Clone, Debug, PartialEq)]
pub struct ModifyRecipientRow {
    /// `RowId`.
    pub row_id: u32,
    /// `RecipientType`.
    pub recipient_type: u8,
    /// The row; `None` removes the recipient with `row_id`.
    pub recipient_row: Option<RecipientRow>,
}

impl RopCodec for ModifyRecipientRow {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let row_id = r.u32("RowId")?;
        let recipient_type = r.u8("RecipientType")?;
        let size = r.u16("RecipientRowSize")? as usize;
        let recipient_row = if size == 0 {
            None
        } else {
            Some(RecipientRow::decode(&mut Reader::new(r.take(size, "RecipientRow")?))?)
        };
        Ok(ModifyRecipientRow { row_id, recipient_type, recipient_row })
    }
    fn encode(&self, w: &mut Writer) {
        w.u32(self.row_id);
        w.u8(self.recipient_type);
        match &self.recipient_row {
            None => w.u16(0),
            Some(row) => SizedRecipientRow::write(w, row),
        }
    }
}

/// Rows with a u16 count.
struct RowsU16<T>(std::marker::PhantomData<T>);
impl<T: RopCodec> Codec<Vec<T>> for RowsU16<T> {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<T>> {
        let n = r.u16(what)? as usize;
        let n = r.check_count(n as u64, 7, 0xFFFF, what)?;
        (0..n).map(|_| T::decode(r)).collect()
    }
    fn write(w: &mut Writer, v: &Vec<T>) {
        w.u16(v.len() as u16);
        v.iter().for_each(|x| x.encode(w));
    }
}

wire_struct! {
    /// RopModifyRecipients request (MS-OXCROPS 2.2.6.5.1).
    pub struct ModifyRecipientsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `ColumnCount` + `RecipientColumns`.
        recipient_columns: Vec<PropTag> => Tags16,
        /// `RowCount` + `RecipientRows`.
        recipient_rows: Vec<ModifyRecipientRow> => RowsU16<ModifyRecipientRow>,
    }
}
wire_struct! {
    /// RopReadRecipients request (MS-OXCROPS 2.2.6.6.1).
    pub struct ReadRecipientsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `RowId`: first row to read.
        row_id: u32 => U32,
        /// `Reserved`.
        reserved: u16 => U16,
    }
}
wire_struct! {
    /// ReadRecipientRow (MS-OXCROPS 2.2.6.6.2.1).
    pub struct ReadRecipientRow {
        /// `RowId`.
        row_id: u32 => U32,
        /// `RecipientType`.
        recipient_type: u8 => U8,
        /// `CodePageId`.
        code_page_id: u16 => U16,
        /// `Reserved`.
        reserved: u16 => U16,
        /// `RecipientRowSize` + `RecipientRow`.
        recipient_row: RecipientRow => SizedRecipientRow,
    }
}
wire_struct! {
    /// RopReadRecipients response (MS-OXCROPS 2.2.6.6.2).
    pub struct ReadRecipientsResponse {
        /// `RowCount` + `RecipientRows`.
        recipient_rows: Vec<ReadRecipientRow> => RowsU8<ReadRecipientRow>,
    }
}
wire_struct! {
    /// RopReloadCachedInformation request (MS-OXCROPS 2.2.6.7.1).
    pub struct ReloadCachedInformationRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `Reserved`.
        reserved: u16 => U16,
    }
}

/// RopSetMessageReadFlag request (MS-OXCROPS 2.2.6.11.1). `ClientData` is present only for
/// public-folder logons, which the request itself does not reveal: the decoder is told.
#[derive(Clone, Debug, PartialEq)]
pub struct SetMessageReadFlagRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `ResponseHandleIndex`.
    pub response_handle_index: u8,
    /// `InputHandleIndex`.
    pub input_handle_index: u8,
    /// `ReadFlags`.
    pub read_flags: u8,
    /// `ClientData` (public-folder logons).
    pub client_data: Option<[u8; 24]>,
}

impl SetMessageReadFlagRequest {
    /// Reads the request; `public_logon` says whether `ClientData` follows.
    pub fn decode_with(r: &mut Reader<'_>, public_logon: bool) -> DecodeResult<Self> {
        Ok(SetMessageReadFlagRequest {
            logon_id: r.u8("LogonId")?,
            response_handle_index: r.u8("ResponseHandleIndex")?,
            input_handle_index: r.u8("InputHandleIndex")?,
            read_flags: r.u8("ReadFlags")?,
            client_data: if public_logon { Some(r.array("ClientData")?) } else { None },
        })
    }
    /// Writes the request.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.logon_id);
        w.u8(self.response_handle_index);
        w.u8(self.input_handle_index);
        w.u8(self.read_flags);
        if let Some(c) = &self.client_data {
            w.bytes(c);
        }
    }
}

/// RopSetMessageReadFlag response (MS-OXCROPS 2.2.6.11.2).
#[derive(Clone, Debug, PartialEq)]
pub struct SetMessageReadFlagResponse {
    /// `ReadStatusChanged`.
    pub read_status_changed: u8,
    /// `LogonId` + `ClientData`, present when the status changed on a public-folder logon.
    pub client_data: Option<(u8, [u8; 24])>,
}

impl ResponseBody for SetMessageReadFlagResponse {
    fn decode_success(r: &mut Reader<'_>, ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        let read_status_changed = r.u8("ReadStatusChanged")?;
        // LogonId and ClientData follow only on a public logon (MS-OXCROPS 2.2.6.11.2).
        let client_data = if read_status_changed != 0 && ctx.public_logon {
            Some((r.u8("LogonId")?, r.array("ClientData")?))
        } else {
            None
        };
        Ok(SetMessageReadFlagResponse { read_status_changed, client_data })
    }
    fn encode_body(&self, w: &mut Writer) {
        w.u8(self.read_status_changed);
        if let Some((l, c)) = &self.client_data {
            w.u8(*l);
            w.bytes(c);
        }
    }
}

wire_struct! {
    /// RopSetReadFlags request (MS-OXCROPS 2.2.6.10.1).
    pub struct SetReadFlagsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `WantAsynchronous`.
        want_asynchronous: u8 => U8,
        /// `ReadFlags`.
        read_flags: u8 => U8,
        /// `MessageIds`.
        message_ids: Vec<ObjectId> => Ids16,
    }
}
wire_struct! {
    /// RopGetMessageStatus request (MS-OXCROPS 2.2.6.9.1).
    pub struct GetMessageStatusRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `MessageId`.
        message_id: ObjectId => Fid,
    }
}
wire_struct! {
    /// RopSetMessageStatus request (MS-OXCROPS 2.2.6.8.1).
    pub struct SetMessageStatusRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `MessageId`.
        message_id: ObjectId => Fid,
        /// `MessageStatusFlags`.
        message_status_flags: u32 => U32,
        /// `MessageStatusMask`.
        message_status_mask: u32 => U32,
    }
}
wire_struct! {
    /// RopGetMessageStatus / RopSetMessageStatus response (MS-OXCROPS 2.2.6.8.2).
    pub struct MessageStatusResponse {
        /// `MessageStatusFlags` (for RopSetMessageStatus: the previous flags).
        message_status_flags: u32 => U32,
    }
}
wire_struct! {
    /// RopGetAttachmentTable request (MS-OXCROPS 2.2.6.17.1).
    pub struct GetAttachmentTableRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `TableFlags` (Standard 0x00, Unicode 0x40).
        table_flags: u8 => U8,
    }
}
wire_struct! {
    /// RopOpenAttachment request (MS-OXCROPS 2.2.6.12.1).
    pub struct OpenAttachmentRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `OpenAttachmentFlags` (ReadOnly 0, ReadWrite 1, BestAccess 3).
        open_attachment_flags: u8 => U8,
        /// `AttachmentID`.
        attachment_id: u32 => U32,
    }
}
wire_struct! {
    /// RopCreateAttachment request (MS-OXCROPS 2.2.6.13.1).
    pub struct CreateAttachmentRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
    }
}
wire_struct! {
    /// RopCreateAttachment response (MS-OXCROPS 2.2.6.13.2).
    pub struct CreateAttachmentResponse {
        /// `AttachmentID`.
        attachment_id: u32 => U32,
    }
}
wire_struct! {
    /// RopDeleteAttachment request (MS-OXCROPS 2.2.6.14.1).
    pub struct DeleteAttachmentRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `AttachmentID`.
        attachment_id: u32 => U32,
    }
}
wire_struct! {
    /// RopSaveChangesAttachment request (MS-OXCROPS 2.2.6.15.1).
    pub struct SaveChangesAttachmentRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `ResponseHandleIndex`.
        response_handle_index: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `SaveFlags`.
        save_flags: u8 => U8,
    }
}
wire_struct! {
    /// RopOpenEmbeddedMessage request (MS-OXCROPS 2.2.6.16.1).
    pub struct OpenEmbeddedMessageRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `CodePageId`.
        code_page_id: u16 => U16,
        /// `OpenModeFlags` (ReadOnly 0, ReadWrite 1, Create 2).
        open_mode_flags: u8 => U8,
    }
}
wire_struct! {
    /// RopOpenEmbeddedMessage response (MS-OXCROPS 2.2.6.16.2): `Reserved`, `MessageId`, then the
    /// fields of a RopOpenMessage response.
    pub struct OpenEmbeddedMessageResponse {
        /// `Reserved`.
        reserved: u8 => U8,
        /// `MessageId`.
        message_id: ObjectId => Fid,
        /// `HasNamedProperties` through `RecipientRows`.
        message: OpenMessageResponse => Nested<OpenMessageResponse>,
    }
}
wire_struct! {
    /// RopGetValidAttachments request (MS-OXCROPS 2.2.6.18.1).
    pub struct GetValidAttachmentsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
    }
}

/// `Count u16` + u32 values.
struct U32s16;
impl Codec<Vec<u32>> for U32s16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<u32>> {
        let n = r.u16(what)?;
        let n = r.check_count(n as u64, 4, 0xFFFF, what)?;
        (0..n).map(|_| r.u32(what)).collect()
    }
    fn write(w: &mut Writer, v: &Vec<u32>) {
        w.u16(v.len() as u16);
        v.iter().for_each(|x| w.u32(*x));
    }
}

wire_struct! {
    /// RopGetValidAttachments response (MS-OXCROPS 2.2.6.18.2).
    pub struct GetValidAttachmentsResponse {
        /// `AttachmentIdCount` + `AttachmentIdArray`.
        attachment_ids: Vec<u32> => U32s16,
    }
}
plain_response!(
    OpenMessageResponse,
    CreateMessageResponse,
    SaveChangesMessageResponse,
    ReadRecipientsResponse,
    MessageStatusResponse,
    CreateAttachmentResponse,
    OpenEmbeddedMessageResponse,
    GetValidAttachmentsResponse
);
