//! NSPI request bodies (MS-OXCMAPIHTTP 2.2.5.x.1; field order per protocol-facts §1.9). Each
//! ends with `AuxiliaryBufferSize` + `AuxiliaryBuffer`; `decode` rejects trailing bytes.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;

use super::fields::*;
use super::types::{AddressBookPropertyValueList, AddressBookTaggedPropertyValue, NspiPropertyName, Stat};

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.1.1 Bind request body.
    request BindRequest ("Bind request body") {
        /// `Flags`: only [`F_ANONYMOUS_LOGIN`](super::F_ANONYMOUS_LOGIN) is honoured.
        flags: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.2.1 Unbind request body.
    request UnbindRequest ("Unbind request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.3.1 CompareMIds request body.
    request CompareMIdsRequest ("CompareMIds request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `MinimalId1`.
        minimal_id1: u32 => U32,
        /// `MinimalId2`.
        minimal_id2: u32 => U32,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.4.1 DNToMId request body.
    request DnToMIdRequest ("DNToMId request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `HasNames` + `Names` (StringArray_r: legacy DNs).
        names: Option<Vec<String>> => Opt<AsciiArray>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.5.1 GetMatches request body.
    request GetMatchesRequest ("GetMatches request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasMinimalIds` + `MinimalIdCount` + `MinimalIds`.
        minimal_ids: Option<Vec<u32>> => Opt<Mids>,
        /// `InterfaceOptionFlags` (reserved).
        interface_option_flags: u32 => U32,
        /// `HasFilter` + `Filter` (restriction with 32-bit counts).
        filter: Option<Restriction> => Opt<RestrictionW>,
        /// `HasPropertyName` + `PropertyNameGuid` + `PropertyNameId`.
        property_name: Option<NspiPropertyName> => Opt<PropNameW>,
        /// `RowCount`: the most rows to return.
        row_count: u32 => U32,
        /// `HasColumns` + `Columns`.
        columns: Option<Vec<PropTag>> => Opt<Tags>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.6.1 GetPropList request body.
    request GetPropListRequest ("GetPropList request body") {
        /// `Flags` ([`F_SKIP_OBJECTS`](super::F_SKIP_OBJECTS)).
        flags: u32 => U32,
        /// `MinimalId` of the object.
        minimal_id: u32 => U32,
        /// `CodePage`.
        code_page: u32 => U32,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.7.1 GetProps request body.
    request GetPropsRequest ("GetProps request body") {
        /// `Flags` ([`F_SKIP_OBJECTS`](super::F_SKIP_OBJECTS), [`F_EPH_ID`](super::F_EPH_ID)).
        flags: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasPropertyTags` + `PropertyTags`.
        property_tags: Option<Vec<PropTag>> => Opt<Tags>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.8.1 GetSpecialTable request body.
    request GetSpecialTableRequest ("GetSpecialTable request body") {
        /// `Flags` ([`NSPI_ADDRESS_CREATION_TEMPLATES`](super::NSPI_ADDRESS_CREATION_TEMPLATES),
        /// [`NSPI_UNICODE_STRINGS`](super::NSPI_UNICODE_STRINGS)).
        flags: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasVersion` + `Version` of the hierarchy table the client holds.
        version: Option<u32> => Opt<U32>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.9.1 GetTemplateInfo request body.
    request GetTemplateInfoRequest ("GetTemplateInfo request body") {
        /// `Flags` (`TI_*`).
        flags: u32 => U32,
        /// `DisplayType` (`DT_*`).
        display_type: u32 => U32,
        /// `HasTemplateDn` + `TemplateDn` (ASCII, NUL-terminated).
        template_dn: Option<String> => Opt<Ascii>,
        /// `CodePage`.
        code_page: u32 => U32,
        /// `LocaleId`.
        locale_id: u32 => U32,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.10.1 ModLinkAtt request body.
    request ModLinkAttRequest ("ModLinkAtt request body") {
        /// `Flags` ([`F_DELETE`](super::F_DELETE)).
        flags: u32 => U32,
        /// `PropertyTag` of the link attribute.
        property_tag: PropTag => TagW,
        /// `MinimalId` of the row to modify.
        minimal_id: u32 => U32,
        /// `HasEntryIds` + `EntryIdCount` + `EntryIds` (each a u32 size and the bytes).
        entry_ids: Option<Vec<Vec<u8>>> => Opt<EntryIds>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.11.1 ModProps request body.
    request ModPropsRequest ("ModProps request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasPropertyTagsToRemove` + `PropertyTagsToRemove`.
        property_tags_to_remove: Option<Vec<PropTag>> => Opt<Tags>,
        /// `HasPropertyValues` + `PropertyValues`.
        property_values: Option<AddressBookPropertyValueList> => Opt<ValueList>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.12.1 QueryRows request body.
    request QueryRowsRequest ("QueryRows request body") {
        /// `Flags` ([`F_SKIP_OBJECTS`](super::F_SKIP_OBJECTS), [`F_EPH_ID`](super::F_EPH_ID)).
        flags: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `ExplicitTableCount` + `ExplicitTable` (MIds; no `Has*` byte).
        explicit_table: Vec<u32> => Mids,
        /// `RowCount`: the most rows to return.
        row_count: u32 => U32,
        /// `HasColumns` + `Columns`.
        columns: Option<Vec<PropTag>> => Opt<Tags>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.13.1 QueryColumns request body.
    request QueryColumnsRequest ("QueryColumns request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `MapiFlags` ([`NSPI_UNICODE_PROPTYPES`](super::NSPI_UNICODE_PROPTYPES)).
        mapi_flags: u32 => U32,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.14.1 ResolveNames request body.
    request ResolveNamesRequest ("ResolveNames request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasPropertyTags` + `PropertyTags`: the columns of the returned rows.
        property_tags: Option<Vec<PropTag>> => Opt<Tags>,
        /// `HasNames` + `Names` (WStringArray_r).
        names: Option<Vec<String>> => Opt<Utf16Array>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.15.1 ResortRestriction request body.
    request ResortRestrictionRequest ("ResortRestriction request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasMinimalIds` + `MinimalIdCount` + `MinimalIds`.
        minimal_ids: Option<Vec<u32>> => Opt<Mids>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.16.1 SeekEntries request body.
    request SeekEntriesRequest ("SeekEntries request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `HasTarget` + `Target` (AddressBookTaggedPropertyValue).
        target: Option<AddressBookTaggedPropertyValue> => Opt<TaggedW>,
        /// `HasExplicitTable` + `ExplicitTableCount` + `ExplicitTable`.
        explicit_table: Option<Vec<u32>> => Opt<Mids>,
        /// `HasColumns` + `Columns`.
        columns: Option<Vec<PropTag>> => Opt<Tags>,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.17.1 UpdateStat request body.
    request UpdateStatRequest ("UpdateStat request body") {
        /// `Reserved` (0).
        reserved: u32 => U32,
        /// `HasState` + `State`.
        state: Option<Stat> => Opt<StatW>,
        /// `DeltaRequested` (u8 boolean; true is written 0xFF).
        delta_requested: bool => Bool8,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.18.1 GetMailboxUrl request body.
    request GetMailboxUrlRequest ("GetMailboxUrl request body") {
        /// `Flags` (0).
        flags: u32 => U32,
        /// `ServerDn` (UTF-16LE, NUL-terminated).
        server_dn: String => Utf16,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}

nspi_body! {
    /// MS-OXCMAPIHTTP 2.2.5.19.1 GetAddressBookUrl request body.
    request GetAddressBookUrlRequest ("GetAddressBookUrl request body") {
        /// `Flags` (0).
        flags: u32 => U32,
        /// `UserDn` (UTF-16LE, NUL-terminated).
        user_dn: String => Utf16,
        /// `AuxiliaryBuffer`.
        auxiliary_buffer: Vec<u8> => Aux,
    }
}
