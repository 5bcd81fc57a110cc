//! NSPI response bodies (MS-OXCMAPIHTTP 2.2.5.x.2; field order per protocol-facts §1.9). Each
//! `*Success` holds the fields after `StatusCode` = 0: `ErrorCode`, the request type's fields and
//! the auxiliary buffer; each `*Response` is the [`Response`] over it, which also carries the
//! common failure body.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::tag::PropTag;

use super::fields::*;
use super::types::{AddressBookPropertyValueList, ColumnsAndRows, Stat};
use super::{Response, SuccessBody};

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.1.2 Bind success fields.
    success BindSuccess ("Bind response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `ServerGuid`.
        server_guid: Guid => GuidW,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.1.2 Bind response body.
pub type BindResponse = Response<BindSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.2.2 Unbind success fields.
    success UnbindSuccess ("Unbind response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.2.2 Unbind response body.
pub type UnbindResponse = Response<UnbindSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.3.2 CompareMIds success fields, in the specification's order
    /// (`ErrorCode` before `Result`; gromox writes them the other way round, protocol-facts §7.2).
    success CompareMIdsSuccess ("CompareMIds response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `Result`: negative, zero or positive as MinimalId1 sorts before, with or after
        /// MinimalId2.
        result: i32 => I32,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.3.2 CompareMIds response body.
pub type CompareMIdsResponse = Response<CompareMIdsSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.4.2 DNToMId success fields.
    success DnToMIdSuccess ("DNToMId response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `HasMinimalIds` + `MinimalIdCount` + `MinimalIds` (0 for names not found).
        minimal_ids: Option<Vec<u32>> => Opt<Mids>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.4.2 DNToMId response body.
pub type DnToMIdResponse = Response<DnToMIdSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.5.2 GetMatches success fields.
    success GetMatchesSuccess ("GetMatches response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasMinimalIds` + `MinimalIdCount` + `MinimalIds`.
        minimal_ids: Option<Vec<u32>> => Opt<Mids>,
        /// `HasColumnsAndRows` + `Columns` + `RowCount` + `RowData`.
        columns_and_rows: Option<ColumnsAndRows> => Opt<ColsRows>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.5.2 GetMatches response body.
pub type GetMatchesResponse = Response<GetMatchesSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.6.2 GetPropList success fields.
    success GetPropListSuccess ("GetPropList response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `HasPropertyTags` + `PropertyTags`.
        property_tags: Option<Vec<PropTag>> => Opt<Tags>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.6.2 GetPropList response body.
pub type GetPropListResponse = Response<GetPropListSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.7.2 GetProps success fields.
    success GetPropsSuccess ("GetProps response body") {
        /// `ErrorCode` (0, or ErrorsReturned 0x00040380 when some values are errors).
        error_code: u32 => U32,
        /// `CodePage`.
        code_page: u32 => U32,
        /// `HasPropertyValues` + `PropertyValues`.
        property_values: Option<AddressBookPropertyValueList> => Opt<ValueList>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.7.2 GetProps response body.
pub type GetPropsResponse = Response<GetPropsSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.8.2 GetSpecialTable success fields.
    success GetSpecialTableSuccess ("GetSpecialTable response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `CodePage`.
        code_page: u32 => U32,
        /// `HasVersion` + `Version` of the hierarchy table.
        version: Option<u32> => Opt<U32>,
        /// `HasRows` + `RowCount` + `Rows` (one AddressBookPropertyValueList per row).
        rows: Option<Vec<AddressBookPropertyValueList>> => Opt<ValueLists>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.8.2 GetSpecialTable response body.
pub type GetSpecialTableResponse = Response<GetSpecialTableSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.9.2 GetTemplateInfo success fields.
    success GetTemplateInfoSuccess ("GetTemplateInfo response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `CodePage`.
        code_page: u32 => U32,
        /// `HasRow` + `Row`.
        row: Option<AddressBookPropertyValueList> => Opt<ValueList>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.9.2 GetTemplateInfo response body.
pub type GetTemplateInfoResponse = Response<GetTemplateInfoSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.10.2 ModLinkAtt success fields.
    success ModLinkAttSuccess ("ModLinkAtt response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.10.2 ModLinkAtt response body.
pub type ModLinkAttResponse = Response<ModLinkAttSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.11.2 ModProps success fields.
    success ModPropsSuccess ("ModProps response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.11.2 ModProps response body.
pub type ModPropsResponse = Response<ModPropsSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.12.2 QueryRows success fields.
    success QueryRowsSuccess ("QueryRows response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasColumnsAndRows` + `Columns` + `RowCount` + `RowData`.
        columns_and_rows: Option<ColumnsAndRows> => Opt<ColsRows>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.12.2 QueryRows response body.
pub type QueryRowsResponse = Response<QueryRowsSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.13.2 QueryColumns success fields.
    success QueryColumnsSuccess ("QueryColumns response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `HasColumns` + `Columns`.
        columns: Option<Vec<PropTag>> => Opt<Tags>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.13.2 QueryColumns response body.
pub type QueryColumnsResponse = Response<QueryColumnsSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.14.2 ResolveNames success fields.
    success ResolveNamesSuccess ("ResolveNames response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `CodePage`.
        code_page: u32 => U32,
        /// `HasMinimalIds` + `MinimalIdCount` + `MinimalIds` (`MID_UNRESOLVED`, `MID_AMBIGUOUS`
        /// or the MId per name).
        minimal_ids: Option<Vec<u32>> => Opt<Mids>,
        /// `HasRowsAndColumns` + `Columns` + `RowCount` + `RowData` (rows of resolved names).
        rows_and_columns: Option<ColumnsAndRows> => Opt<ColsRows>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.14.2 ResolveNames response body.
pub type ResolveNamesResponse = Response<ResolveNamesSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.15.2 ResortRestriction success fields.
    success ResortRestrictionSuccess ("ResortRestriction response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasMinimalIds` + `MinimalIdCount` + `MinimalIds`.
        minimal_ids: Option<Vec<u32>> => Opt<Mids>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.15.2 ResortRestriction response body.
pub type ResortRestrictionResponse = Response<ResortRestrictionSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.16.2 SeekEntries success fields.
    success SeekEntriesSuccess ("SeekEntries response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasColumnsAndRows` + `Columns` + `RowCount` + `RowData`.
        columns_and_rows: Option<ColumnsAndRows> => Opt<ColsRows>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.16.2 SeekEntries response body.
pub type SeekEntriesResponse = Response<SeekEntriesSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.17.2 UpdateStat success fields.
    success UpdateStatSuccess ("UpdateStat response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasDelta` + `Delta`.
        delta: Option<i32> => Opt<I32>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.17.2 UpdateStat response body.
pub type UpdateStatResponse = Response<UpdateStatSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.18.2 GetMailboxUrl success fields.
    success GetMailboxUrlSuccess ("GetMailboxUrl response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `ServerUrl`: the mailbox (EMSMDB) endpoint URL, UTF-16LE NUL-terminated.
        server_url: String => Utf16,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.18.2 GetMailboxUrl response body.
pub type GetMailboxUrlResponse = Response<GetMailboxUrlSuccess>;

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.19.2 GetAddressBookUrl success fields.
    success GetAddressBookUrlSuccess ("GetAddressBookUrl response body") {
        /// `ErrorCode`.
        error_code: u32 => U32,
        /// `ServerUrl`: the address-book (NSPI) endpoint URL, UTF-16LE NUL-terminated.
        server_url: String => Utf16,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
/// MS-OXCMAPIHTTP 2.2.5.19.2 GetAddressBookUrl response body.
pub type GetAddressBookUrlResponse = Response<GetAddressBookUrlSuccess>;
