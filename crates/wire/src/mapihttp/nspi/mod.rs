//! MAPI/HTTP address-book endpoint (NSPI) request and response bodies (MS-OXCMAPIHTTP 2.2.5;
//! protocol-facts §1.8–1.9): Bind (2.2.5.1), Unbind (2.2.5.2), CompareMIds (2.2.5.3), DNToMId
//! (2.2.5.4), GetMatches (2.2.5.5), GetPropList (2.2.5.6), GetProps (2.2.5.7), GetSpecialTable
//! (2.2.5.8), GetTemplateInfo (2.2.5.9), ModLinkAtt (2.2.5.10), ModProps (2.2.5.11), QueryRows
//! (2.2.5.12), QueryColumns (2.2.5.13), ResolveNames (2.2.5.14), ResortRestriction (2.2.5.15),
//! SeekEntries (2.2.5.16), UpdateStat (2.2.5.17), GetMailboxUrl (2.2.5.18) and
//! GetAddressBookUrl (2.2.5.19).
//!
//! Every request ends with `AuxiliaryBufferSize` + `AuxiliaryBuffer` and rejects trailing bytes.
//! Every response is a [`Response`]: a success body (`StatusCode` 0, `ErrorCode`, the fields,
//! the auxiliary buffer) or the common [`FailureResponse`]. Each optional group guarded by a
//! `Has*` byte is an `Option` (0 = absent, any other value = present, written 0xFF).
//! [`NspiRequest`] and [`NspiResponseBody`] dispatch on the `X-RequestType` spelling.

use oxmapi_core::codec::{DecodeError, DecodeResult};

pub use super::common::{FailureResponse, RequestType, Response, SuccessBody};

/// Declares one NSPI body as an ordered field list: the struct, its field codec, and either
/// whole-body `decode`/`encode` (`request`) or a [`SuccessBody`] impl (`success`). Under
/// `cfg(test)` it also builds a proptest strategy from the field codecs.
macro_rules! nspi_body {
    (
        $(#[$meta:meta])*
        $kind:ident $name:ident ($what:literal) {
            $( $(#[$fmeta:meta])* $field:ident: $ty:ty => $codec:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $name {
            fn read_fields(r: &mut Reader<'_>) -> DecodeResult<Self> {
                Ok($name { $( $field: <$codec as Wire<$ty>>::read(r, stringify!($field))?, )* })
            }

            fn write_fields(&self, w: &mut Writer) {
                $( <$codec as Wire<$ty>>::write(w, &self.$field); )*
            }

            #[cfg(test)]
            pub(crate) fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
                use proptest::strategy::Strategy;
                ( $( <$codec as super::tests::Gen<$ty>>::strategy(), )* )
                    .prop_map(|( $($field,)* )| $name { $($field,)* })
                    .boxed()
            }
        }

        $crate::describe_fields!($name { $($field),* });
        nspi_body!(@$kind $name $what);
    };
    (@request $name:ident $what:literal) => {
        impl $name {
            /// Decodes a whole request body; bytes after the auxiliary buffer are an error.
            pub fn decode(buf: &[u8]) -> DecodeResult<Self> {
                let mut r = Reader::new(buf);
                let v = Self::read_fields(&mut r)?;
                r.finish($what)?;
                Ok(v)
            }

            /// Encodes the request body.
            pub fn encode(&self) -> Vec<u8> {
                let mut w = Writer::new();
                self.write_fields(&mut w);
                w.into_vec()
            }
        }
    };
    (@success $name:ident $what:literal) => {
        impl SuccessBody for $name {
            const WHAT: &'static str = $what;

            fn decode_fields(r: &mut Reader<'_>) -> DecodeResult<Self> {
                Self::read_fields(r)
            }

            fn encode_fields(&self, w: &mut Writer) {
                self.write_fields(w)
            }
        }
    };
}

mod fields;
mod requests;
mod responses;
mod types;

pub use requests::*;
pub use responses::*;
pub use types::*;

/// STAT `SortType`: sort by PidTagDisplayName (MS-OXNSPI 2.2.1.4).
pub const SORT_TYPE_DISPLAY_NAME: u32 = 0x0000_0000;
/// STAT `SortType`: sort by PidTagAddressBookPhoneticDisplayName.
pub const SORT_TYPE_PHONETIC_DISPLAY_NAME: u32 = 0x0000_0003;
/// STAT `SortType`: display name, read-only (SortTypeDisplayName_RO).
pub const SORT_TYPE_DISPLAY_NAME_RO: u32 = 0x0000_03E8;
/// STAT `SortType`: display name, writable (SortTypeDisplayName_W).
pub const SORT_TYPE_DISPLAY_NAME_W: u32 = 0x0000_03E9;

/// Positional MId: the beginning of the table (MS-OXNSPI 2.2.1.8).
pub const MID_BEGINNING_OF_TABLE: u32 = 0x0;
/// Positional MId: the current row.
pub const MID_CURRENT: u32 = 0x1;
/// Positional MId: the end of the table.
pub const MID_END_OF_TABLE: u32 = 0x2;
/// Ambiguous name resolution result: no match (MS-OXNSPI 2.2.1.9).
pub const MID_UNRESOLVED: u32 = 0x0;
/// Ambiguous name resolution result: several matches.
pub const MID_AMBIGUOUS: u32 = 0x1;
/// Ambiguous name resolution result: exactly one match.
pub const MID_RESOLVED: u32 = 0x2;

/// Code page CP_TELETEX (MS-OXNSPI 2.2.1.5).
pub const CP_TELETEX: u32 = 0x0000_4F25;
/// Code page CP_WINUNICODE: strings are UTF-16.
pub const CP_WINUNICODE: u32 = 0x0000_04B0;
/// NSPI_DEFAULT_LOCALE (en-US, MS-OXNSPI 2.2.1.10).
pub const NSPI_DEFAULT_LOCALE: u32 = 0x0000_0409;

/// Retrieve flag fSkipObjects (MS-OXNSPI 2.2.1.13).
pub const F_SKIP_OBJECTS: u32 = 0x0000_0001;
/// Retrieve flag fEphID: return Ephemeral Entry IDs.
pub const F_EPH_ID: u32 = 0x0000_0002;
/// GetSpecialTable flag NspiAddressCreationTemplates (MS-OXNSPI 2.2.1.11).
pub const NSPI_ADDRESS_CREATION_TEMPLATES: u32 = 0x0000_0002;
/// GetSpecialTable flag NspiUnicodeStrings.
pub const NSPI_UNICODE_STRINGS: u32 = 0x0000_0004;
/// QueryColumns flag NspiUnicodeProptypes (MS-OXNSPI 2.2.1.12).
pub const NSPI_UNICODE_PROPTYPES: u32 = 0x8000_0000;
/// GetTemplateInfo flag TI_TEMPLATE (MS-OXNSPI 2.2.1.14).
pub const TI_TEMPLATE: u32 = 0x0000_0001;
/// GetTemplateInfo flag TI_SCRIPT.
pub const TI_SCRIPT: u32 = 0x0000_0004;
/// GetTemplateInfo flag TI_EMT.
pub const TI_EMT: u32 = 0x0000_0010;
/// GetTemplateInfo flag TI_HELPFILE_NAME.
pub const TI_HELPFILE_NAME: u32 = 0x0000_0020;
/// GetTemplateInfo flag TI_HELPFILE_CONTENTS.
pub const TI_HELPFILE_CONTENTS: u32 = 0x0000_0040;
/// ModLinkAtt flag fDelete: remove the links instead of adding them (MS-OXNSPI 2.2.1.15).
pub const F_DELETE: u32 = 0x0000_0001;
/// Bind flag fAnonymousLogin, the only Bind flag a server honours (MS-OXCMAPIHTTP 2.2.5.1.1).
pub const F_ANONYMOUS_LOGIN: u32 = 0x0000_0020;

fn request_type_error(request_type: &str) -> DecodeError {
    DecodeError::Invalid {
        offset: 0,
        what: "X-RequestType",
        detail: format!(
            "{:?} is not an NSPI request type",
            request_type.chars().take(64).collect::<String>()
        ),
    }
}

macro_rules! nspi_dispatch {
    ($($variant:ident: $req:ident, $resp:ident;)*) => {
        /// The `X-RequestType` values with an NSPI body, in MS-OXCMAPIHTTP 2.2.5 order.
        pub const NSPI_REQUEST_TYPES: &[RequestType] = &[$(RequestType::$variant),*];

        /// Any NSPI request body (MS-OXCMAPIHTTP 2.2.5.x.1).
        #[derive(Debug, Clone, PartialEq)]
        pub enum NspiRequest {
            $(
                #[doc = concat!("`", stringify!($variant), "` request.")]
                $variant($req),
            )*
        }

        impl NspiRequest {
            /// Decodes a request body for the `X-RequestType` spelling `request_type` (the exact
            /// spelling, e.g. `DNToMId`, or the same letters in another case).
            pub fn decode(request_type: &str, body: &[u8]) -> DecodeResult<Self> {
                let rt = request_type.parse::<RequestType>().map_err(|_| request_type_error(request_type))?;
                Self::decode_typed(rt, body)
            }

            /// Decodes a request body of type `rt`; non-NSPI types are an error.
            pub fn decode_typed(rt: RequestType, body: &[u8]) -> DecodeResult<Self> {
                match rt {
                    $(RequestType::$variant => $req::decode(body).map(NspiRequest::$variant),)*
                    other => Err(request_type_error(other.as_str())),
                }
            }

            /// The body as a description tree (for inspection tools).
            pub fn body_node(&self) -> $crate::describe::Node {
                use $crate::describe::Describe;
                match self { $( Self::$variant(x) => x.describe(""), )* }
            }

            /// The request type.
            pub fn request_type(&self) -> RequestType {
                match self {
                    $(NspiRequest::$variant(_) => RequestType::$variant,)*
                }
            }

            /// Encodes the body.
            pub fn encode(&self) -> Vec<u8> {
                match self {
                    $(NspiRequest::$variant(v) => v.encode(),)*
                }
            }
        }

        /// Any NSPI response body (MS-OXCMAPIHTTP 2.2.5.x.2), success or failure.
        #[derive(Debug, Clone, PartialEq)]
        pub enum NspiResponseBody {
            $(
                #[doc = concat!("`", stringify!($variant), "` response.")]
                $variant($resp),
            )*
        }

        impl NspiResponseBody {
            /// Decodes a response body for the `X-RequestType` spelling `request_type`.
            pub fn decode(request_type: &str, body: &[u8]) -> DecodeResult<Self> {
                let rt = request_type.parse::<RequestType>().map_err(|_| request_type_error(request_type))?;
                Self::decode_typed(rt, body)
            }

            /// Decodes a response body of type `rt`; non-NSPI types are an error.
            pub fn decode_typed(rt: RequestType, body: &[u8]) -> DecodeResult<Self> {
                match rt {
                    $(RequestType::$variant => $resp::decode(body).map(NspiResponseBody::$variant),)*
                    other => Err(request_type_error(other.as_str())),
                }
            }

            /// The body as a description tree (for inspection tools).
            pub fn body_node(&self) -> $crate::describe::Node {
                use $crate::describe::Describe;
                match self { $( Self::$variant(x) => x.describe(""), )* }
            }

            /// The request type.
            pub fn request_type(&self) -> RequestType {
                match self {
                    $(NspiResponseBody::$variant(_) => RequestType::$variant,)*
                }
            }

            /// `StatusCode`: 0 for a success body.
            pub fn status_code(&self) -> u32 {
                match self {
                    $(NspiResponseBody::$variant(v) => v.status_code(),)*
                }
            }

            /// Encodes the body.
            pub fn encode(&self) -> Vec<u8> {
                match self {
                    $(NspiResponseBody::$variant(v) => v.encode(),)*
                }
            }
        }
    };
}

nspi_dispatch! {
    Bind: BindRequest, BindResponse;
    Unbind: UnbindRequest, UnbindResponse;
    CompareMIds: CompareMIdsRequest, CompareMIdsResponse;
    DnToMId: DnToMIdRequest, DnToMIdResponse;
    GetMatches: GetMatchesRequest, GetMatchesResponse;
    GetPropList: GetPropListRequest, GetPropListResponse;
    GetProps: GetPropsRequest, GetPropsResponse;
    GetSpecialTable: GetSpecialTableRequest, GetSpecialTableResponse;
    GetTemplateInfo: GetTemplateInfoRequest, GetTemplateInfoResponse;
    ModLinkAtt: ModLinkAttRequest, ModLinkAttResponse;
    ModProps: ModPropsRequest, ModPropsResponse;
    QueryRows: QueryRowsRequest, QueryRowsResponse;
    QueryColumns: QueryColumnsRequest, QueryColumnsResponse;
    ResolveNames: ResolveNamesRequest, ResolveNamesResponse;
    ResortRestriction: ResortRestrictionRequest, ResortRestrictionResponse;
    SeekEntries: SeekEntriesRequest, SeekEntriesResponse;
    UpdateStat: UpdateStatRequest, UpdateStatResponse;
    GetMailboxUrl: GetMailboxUrlRequest, GetMailboxUrlResponse;
    GetAddressBookUrl: GetAddressBookUrlRequest, GetAddressBookUrlResponse;
}

#[cfg(test)]
mod tests;
