//! Property and stream ROPs (MS-OXCPRPT 2.2; MS-OXCROPS 2.2.8, 2.2.9).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::named::PropertyName;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;

use super::codec::*;
use super::outcome::{ResponseBody, ResponseContext, Rows, plain_response};
use super::oxcfold::EC_DST_NULL_OBJECT;
use crate::cdata::{self, PropertyProblem};

wire_struct! {
    /// RopGetPropertiesSpecific request (MS-OXCROPS 2.2.8.3.1).
    pub struct GetPropertiesSpecificRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `PropertySizeLimit`.
        property_size_limit: u16 => U16,
        /// `WantUnicode`.
        want_unicode: u16 => U16,
        /// `PropertyTagCount` + `PropertyTags`.
        property_tags: Vec<PropTag> => Tags16,
    }
}

/// RopGetPropertiesSpecific response (MS-OXCROPS 2.2.8.3.2): one PropertyRow over the requested
/// tags (the response context must carry them).
#[derive(Clone, Debug, PartialEq)]
pub struct GetPropertiesSpecificResponse {
    /// `RowData`.
    pub row: Rows,
}

impl ResponseBody for GetPropertiesSpecificResponse {
    fn decode_success(r: &mut Reader<'_>, ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        Ok(GetPropertiesSpecificResponse { row: Rows::read(r, 1, ctx)? })
    }
    fn encode_body(&self, w: &mut Writer) {
        self.row.write(w)
    }
}

wire_struct! {
    /// RopGetPropertiesAll request (MS-OXCROPS 2.2.8.4.1).
    pub struct GetPropertiesAllRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `PropertySizeLimit`.
        property_size_limit: u16 => U16,
        /// `WantUnicode`.
        want_unicode: u16 => U16,
    }
}
wire_struct! {
    /// RopGetPropertiesAll response (MS-OXCROPS 2.2.8.4.2).
    pub struct GetPropertiesAllResponse {
        /// `PropertyValueCount` + `PropertyValues`.
        property_values: Vec<TaggedValue> => Tagged16,
    }
}
wire_struct! {
    /// Requests carrying only `LogonId` and `InputHandleIndex` in this family (RopGetPropertiesList,
    /// RopCommitStream, RopGetStreamSize).
    pub struct HandleRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
    }
}
wire_struct! {
    /// Responses carrying a tag list (RopGetPropertiesList 2.2.8.5.2).
    pub struct PropertyTagsResponse {
        /// `PropertyTagCount` + `PropertyTags`.
        property_tags: Vec<PropTag> => Tags16,
    }
}
wire_struct! {
    /// RopSetProperties / RopSetPropertiesNoReplicate request (MS-OXCROPS 2.2.8.6.1, 2.2.8.7.1).
    pub struct SetPropertiesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `PropertyValueSize`, `PropertyValueCount` and `PropertyValues`.
        property_values: Vec<TaggedValue> => SizedTagged16,
    }
}
wire_struct! {
    /// Responses carrying PropertyProblems (RopSetProperties, RopDeleteProperties and their
    /// NoReplicate forms).
    pub struct ProblemsResponse {
        /// `PropertyProblemCount` + `PropertyProblems`.
        problems: Vec<PropertyProblem> => Problems,
    }
}
wire_struct! {
    /// RopDeleteProperties / RopDeletePropertiesNoReplicate request (MS-OXCROPS 2.2.8.8.1).
    pub struct DeletePropertiesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `PropertyTagCount` + `PropertyTags`.
        property_tags: Vec<PropTag> => Tags16,
    }
}
wire_struct! {
    /// RopCopyProperties request (MS-OXCROPS 2.2.8.11.1).
    pub struct CopyPropertiesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `SourceHandleIndex`.
        source_handle_index: u8 => U8,
        /// `DestHandleIndex`.
        dest_handle_index: u8 => U8,
        /// `WantAsynchronous`.
        want_asynchronous: u8 => U8,
        /// `CopyFlags` (Move 0x01, NoOverwrite 0x02).
        copy_flags: u8 => U8,
        /// `PropertyTagCount` + `PropertyTags`.
        property_tags: Vec<PropTag> => Tags16,
    }
}
wire_struct! {
    /// RopCopyTo request (MS-OXCROPS 2.2.8.12.1).
    pub struct CopyToRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `SourceHandleIndex`.
        source_handle_index: u8 => U8,
        /// `DestHandleIndex`.
        dest_handle_index: u8 => U8,
        /// `WantAsynchronous`.
        want_asynchronous: u8 => U8,
        /// `WantSubObjects`.
        want_sub_objects: u8 => U8,
        /// `CopyFlags`.
        copy_flags: u8 => U8,
        /// `ExcludedTagCount` + `ExcludedTags`.
        excluded_tags: Vec<PropTag> => Tags16,
    }
}

/// RopCopyProperties / RopCopyTo response: problems, or on ecDstNullObject the `DestHandleIndex`
/// (MS-OXCROPS 2.2.8.11.2, 2.2.8.12.2).
#[derive(Clone, Debug, PartialEq)]
pub enum CopyPropertiesResponse {
    /// Success: `PropertyProblemCount` + `PropertyProblems`.
    Problems(Vec<PropertyProblem>),
    /// ecDstNullObject: `DestHandleIndex`.
    NullDestination(u32),
}

impl ResponseBody for CopyPropertiesResponse {
    fn decode_success(r: &mut Reader<'_>, _ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        Ok(CopyPropertiesResponse::Problems(cdata::read_problems(r)?))
    }
    fn decode_failure(r: &mut Reader<'_>, rv: u32) -> DecodeResult<Option<Self>> {
        if rv == EC_DST_NULL_OBJECT {
            Ok(Some(CopyPropertiesResponse::NullDestination(r.u32("DestHandleIndex")?)))
        } else {
            Ok(None)
        }
    }
    fn encode_body(&self, w: &mut Writer) {
        match self {
            CopyPropertiesResponse::Problems(p) => cdata::write_problems(w, p),
            CopyPropertiesResponse::NullDestination(d) => w.u32(*d),
        }
    }
}

/// `PropertyNameCount u16` + PropertyNames (GetPropertyIdsFromNames) — names are required.
struct Names16;
impl Codec<Vec<PropertyName>> for Names16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<PropertyName>> {
        let n = r.u16(what)?;
        let n = r.check_count(n as u64, 17, 0xFFFF, what)?;
        (0..n).map(|_| cdata::read_property_name(r)).collect()
    }
    fn write(w: &mut Writer, v: &Vec<PropertyName>) {
        w.u16(v.len() as u16);
        v.iter().for_each(|n| cdata::write_property_name(w, Some(n)));
    }
}

/// `PropertyNameCount u16` + PropertyNames where `Kind 0xFF` means "no name".
struct OptNames16;
impl Codec<Vec<Option<PropertyName>>> for OptNames16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<Option<PropertyName>>> {
        let n = r.u16(what)?;
        let n = r.check_count(n as u64, 1, 0xFFFF, what)?;
        (0..n).map(|_| cdata::read_property_name_or_none(r)).collect()
    }
    fn write(w: &mut Writer, v: &Vec<Option<PropertyName>>) {
        w.u16(v.len() as u16);
        v.iter().for_each(|n| cdata::write_property_name(w, n.as_ref()));
    }
}

wire_struct! {
    /// RopGetPropertyIdsFromNames request (MS-OXCROPS 2.2.8.1.1).
    pub struct GetPropertyIdsFromNamesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `Flags` (Create 0x02).
        flags: u8 => U8,
        /// `PropertyNameCount` + `PropertyNames`.
        property_names: Vec<PropertyName> => Names16,
    }
}
wire_struct! {
    /// RopGetPropertyIdsFromNames response (MS-OXCROPS 2.2.8.1.2). The ids also follow a
    /// ReturnValue of ecWarnWithErrors (0x00040380, some names could not be mapped), as Exchange
    /// and gromox send it.
    pub struct GetPropertyIdsFromNamesResponse {
        /// `PropertyIdCount` + `PropertyIds` (0 where a name could not be mapped).
        property_ids: Vec<u16> => U16s16,
    }
}

/// `ecWarnWithErrors` / MAPI_W_ERRORS_RETURNED: success with per-item failures.
const EC_WARN_WITH_ERRORS: u32 = 0x0004_0380;

impl ResponseBody for GetPropertyIdsFromNamesResponse {
    fn decode_success(r: &mut Reader<'_>, _ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        <Self as RopCodec>::decode(r)
    }
    fn decode_failure(r: &mut Reader<'_>, rv: u32) -> DecodeResult<Option<Self>> {
        if rv == EC_WARN_WITH_ERRORS { Ok(Some(<Self as RopCodec>::decode(r)?)) } else { Ok(None) }
    }
    fn encode_body(&self, w: &mut Writer) {
        <Self as RopCodec>::encode(self, w)
    }
}
wire_struct! {
    /// RopGetNamesFromPropertyIds request (MS-OXCROPS 2.2.8.2.1).
    pub struct GetNamesFromPropertyIdsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `PropertyIdCount` + `PropertyIds`.
        property_ids: Vec<u16> => U16s16,
    }
}
wire_struct! {
    /// RopGetNamesFromPropertyIds response (MS-OXCROPS 2.2.8.2.2).
    pub struct GetNamesFromPropertyIdsResponse {
        /// `PropertyNameCount` + `PropertyNames` (`None` = Kind 0xFF, no name).
        property_names: Vec<Option<PropertyName>> => OptNames16,
    }
}

/// RopQueryNamedProperties request (MS-OXCROPS 2.2.8.10.1).
#[derive(Clone, Debug, PartialEq)]
pub struct QueryNamedPropertiesRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `InputHandleIndex`.
    pub input_handle_index: u8,
    /// `QueryFlags` (NoStrings 0x01, NoIds 0x02).
    pub query_flags: u8,
    /// `PropertyGuid` when `HasGuid` is nonzero.
    pub property_guid: Option<Guid>,
}

impl RopCodec for QueryNamedPropertiesRequest {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(QueryNamedPropertiesRequest {
            logon_id: r.u8("LogonId")?,
            input_handle_index: r.u8("InputHandleIndex")?,
            query_flags: r.u8("QueryFlags")?,
            property_guid: if r.u8("HasGuid")? != 0 { Some(r.guid("PropertyGuid")?) } else { None },
        })
    }
    fn encode(&self, w: &mut Writer) {
        w.u8(self.logon_id);
        w.u8(self.input_handle_index);
        w.u8(self.query_flags);
        w.u8(self.property_guid.is_some() as u8);
        if let Some(g) = &self.property_guid {
            w.guid(g);
        }
    }
}

/// RopQueryNamedProperties response (MS-OXCROPS 2.2.8.10.2): ids and their names, paired.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryNamedPropertiesResponse {
    /// `PropertyIds` with the matching `PropertyNames`.
    pub properties: Vec<(u16, PropertyName)>,
}

impl RopCodec for QueryNamedPropertiesResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let n = r.u16("IdCount")?;
        let n = r.check_count(n as u64, 19, 0xFFFF, "IdCount")?;
        let ids = (0..n).map(|_| r.u16("PropertyIds")).collect::<DecodeResult<Vec<_>>>()?;
        let mut properties = Vec::with_capacity(n);
        for id in ids {
            properties.push((id, cdata::read_property_name(r)?));
        }
        Ok(QueryNamedPropertiesResponse { properties })
    }
    fn encode(&self, w: &mut Writer) {
        w.u16(self.properties.len() as u16);
        self.properties.iter().for_each(|(id, _)| w.u16(*id));
        self.properties.iter().for_each(|(_, n)| cdata::write_property_name(w, Some(n)));
    }
}

wire_struct! {
    /// RopOpenStream request (MS-OXCROPS 2.2.9.1.1).
    pub struct OpenStreamRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `PropertyTag`.
        property_tag: PropTag => Tag,
        /// `OpenModeFlags` (ReadOnly 0, ReadWrite 1, Create 2).
        open_mode_flags: u8 => U8,
    }
}
wire_struct! {
    /// RopOpenStream / RopGetStreamSize response: `StreamSize` (MS-OXCROPS 2.2.9.1.2, 2.2.9.5.2).
    pub struct StreamSizeResponse {
        /// `StreamSize`.
        stream_size: u32 => U32,
    }
}

/// `ByteCount` value that announces `MaximumByteCount` (MS-OXCROPS 2.2.9.2.1).
pub const BABE: u16 = 0xBABE;
/// Largest `MaximumByteCount`; larger values fail the whole request (MS-OXCPRPT 3.2.5.17).
pub const MAX_READ_BYTE_COUNT: u32 = 0x8000_0000;

/// RopReadStream request (MS-OXCROPS 2.2.9.2.1).
#[derive(Clone, Debug, PartialEq)]
pub struct ReadStreamRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `InputHandleIndex`.
    pub input_handle_index: u8,
    /// `ByteCount` (0xBABE announces `MaximumByteCount`).
    pub byte_count: u16,
    /// `MaximumByteCount`, present when `ByteCount` is 0xBABE.
    pub maximum_byte_count: Option<u32>,
}

impl RopCodec for ReadStreamRequest {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let logon_id = r.u8("LogonId")?;
        let input_handle_index = r.u8("InputHandleIndex")?;
        let byte_count = r.u16("ByteCount")?;
        let maximum_byte_count = if byte_count == BABE {
            let m = r.u32("MaximumByteCount")?;
            if m > MAX_READ_BYTE_COUNT {
                return Err(r.invalid("MaximumByteCount", format!("0x{m:08X} exceeds 0x80000000")));
            }
            Some(m)
        } else {
            None
        };
        Ok(ReadStreamRequest { logon_id, input_handle_index, byte_count, maximum_byte_count })
    }
    fn encode(&self, w: &mut Writer) {
        w.u8(self.logon_id);
        w.u8(self.input_handle_index);
        match self.maximum_byte_count {
            Some(m) => {
                w.u16(BABE);
                w.u32(m);
            }
            None => w.u16(self.byte_count),
        }
    }
}

wire_struct! {
    /// RopReadStream response (MS-OXCROPS 2.2.9.2.2).
    pub struct ReadStreamResponse {
        /// `DataSize` + `Data`.
        data: Vec<u8> => Bytes16,
    }
}
wire_struct! {
    /// RopWriteStream / RopWriteStreamExtended / RopWriteAndCommitStream request (MS-OXCROPS 2.2.9.3.1).
    pub struct WriteStreamRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `DataSize` + `Data`.
        data: Vec<u8> => Bytes16,
    }
}
wire_struct! {
    /// RopWriteStream response (MS-OXCROPS 2.2.9.3.2).
    pub struct WriteStreamResponse {
        /// `WrittenSize`.
        written_size: u16 => U16,
    }
}
wire_struct! {
    /// RopWriteStreamExtended response (MS-OXCROPS 2.2.9.4.2).
    pub struct WriteStreamExtendedResponse {
        /// `WrittenSize`.
        written_size: u32 => U32,
    }
}
wire_struct! {
    /// RopSetStreamSize request (MS-OXCROPS 2.2.9.6.1).
    pub struct SetStreamSizeRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `StreamSize`.
        stream_size: u64 => U64,
    }
}
wire_struct! {
    /// RopSeekStream request (MS-OXCROPS 2.2.9.7.1).
    pub struct SeekStreamRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `Origin` (STREAM_SEEK_SET 0, CUR 1, END 2).
        origin: u8 => U8,
        /// `Offset`.
        offset: i64 => I64,
    }
}
wire_struct! {
    /// RopSeekStream response (MS-OXCROPS 2.2.9.7.2).
    pub struct SeekStreamResponse {
        /// `NewPosition`.
        new_position: u64 => U64,
    }
}
wire_struct! {
    /// RopCopyToStream request (MS-OXCROPS 2.2.9.8.1).
    pub struct CopyToStreamRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `SourceHandleIndex`.
        source_handle_index: u8 => U8,
        /// `DestHandleIndex`.
        dest_handle_index: u8 => U8,
        /// `ByteCount`.
        byte_count: u64 => U64,
    }
}

/// RopCopyToStream response (MS-OXCROPS 2.2.9.8.2); on ecDstNullObject `DestHandleIndex` comes
/// first.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyToStreamResponse {
    /// `DestHandleIndex` (null-destination failure only).
    pub dest_handle_index: Option<u32>,
    /// `ReadByteCount`.
    pub read_byte_count: u64,
    /// `WrittenByteCount`.
    pub written_byte_count: u64,
}

impl ResponseBody for CopyToStreamResponse {
    fn decode_success(r: &mut Reader<'_>, _ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        Ok(CopyToStreamResponse {
            dest_handle_index: None,
            read_byte_count: r.u64("ReadByteCount")?,
            written_byte_count: r.u64("WrittenByteCount")?,
        })
    }
    fn decode_failure(r: &mut Reader<'_>, rv: u32) -> DecodeResult<Option<Self>> {
        if rv != EC_DST_NULL_OBJECT {
            return Ok(None);
        }
        Ok(Some(CopyToStreamResponse {
            dest_handle_index: Some(r.u32("DestHandleIndex")?),
            read_byte_count: r.u64("ReadByteCount")?,
            written_byte_count: r.u64("WrittenByteCount")?,
        }))
    }
    fn encode_body(&self, w: &mut Writer) {
        if let Some(d) = self.dest_handle_index {
            w.u32(d);
        }
        w.u64(self.read_byte_count);
        w.u64(self.written_byte_count);
    }
}

wire_struct! {
    /// RopLockRegionStream / RopUnlockRegionStream request (MS-OXCROPS 2.2.9.9.1, 2.2.9.10.1).
    pub struct LockRegionStreamRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `RegionOffset`.
        region_offset: u64 => U64,
        /// `RegionSize`.
        region_size: u64 => U64,
        /// `LockFlags`.
        lock_flags: u32 => U32,
    }
}
wire_struct! {
    /// RopCloneStream request (MS-OXCROPS 2.2.9.12.1).
    pub struct CloneStreamRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
    }
}
plain_response!(
    GetPropertiesAllResponse,
    PropertyTagsResponse,
    ProblemsResponse,
    GetNamesFromPropertyIdsResponse,
    QueryNamedPropertiesResponse,
    StreamSizeResponse,
    ReadStreamResponse,
    WriteStreamResponse,
    WriteStreamExtendedResponse,
    SeekStreamResponse
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rop::response::RopResponse;

    #[test]
    fn property_ids_follow_a_warn_with_errors_return_value() {
        // RopGetPropertyIdsFromNames, ReturnValue ecWarnWithErrors, ids [0x8000, 0], then a
        // second response (RopCommitStream, success) that must still parse.
        let bytes =
            [0x56, 0x01, 0x80, 0x03, 0x04, 0x00, 0x02, 0x00, 0x00, 0x80, 0x00, 0x00, 0x5D, 0x02, 0, 0, 0, 0];
        let mut r = Reader::new(&bytes);
        let first = RopResponse::decode(&mut r, &ResponseContext::default()).unwrap();
        let RopResponse::GetPropertyIdsFromNames(o) = &first else { panic!("{first:?}") };
        assert_eq!(o.return_value, EC_WARN_WITH_ERRORS);
        assert_eq!(o.body.as_ref().unwrap().property_ids, vec![0x8000, 0]);
        let second = RopResponse::decode(&mut r, &ResponseContext::default()).unwrap();
        assert_eq!(second.status(), Some((2, 0)));
        let mut w = Writer::new();
        first.encode(&mut w);
        assert_eq!(w.into_vec(), bytes[..12]);
    }
}
