//! Tests for the NSPI bodies: the D-NSPI-BIND vector, a hand-built ResolveNames response,
//! proptest round trips of every request and response type, and robustness against random,
//! mutated and truncated input.

use std::fmt::Debug;

use oxmapi_core::codec::DecodeError;
use oxmapi_core::guid::Guid;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use super::fields::*;
use super::*;
use crate::cdata::{PropertyRow, RowValue, has_value_byte};
use crate::strategies;

/// Generates valid values for the field a codec marker reads and writes.
pub(super) trait Gen<T> {
    fn strategy() -> BoxedStrategy<T>;
}

macro_rules! gen_impls {
    ($($marker:ty: $ty:ty = $strategy:expr;)*) => {
        $(impl Gen<$ty> for $marker {
            fn strategy() -> BoxedStrategy<$ty> {
                $strategy.boxed()
            }
        })*
    };
}

fn tag() -> impl Strategy<Value = PropTag> {
    any::<u32>().prop_map(PropTag)
}

fn ab_tagged_value() -> impl Strategy<Value = AddressBookTaggedPropertyValue> {
    (strategies::tagged_value(), any::<bool>()).prop_map(|(t, absent)| AddressBookTaggedPropertyValue {
        tag: t.tag,
        value: if absent && has_value_byte(t.value.prop_type()) { None } else { Some(t.value) },
    })
}

fn stat() -> impl Strategy<Value = Stat> {
    (any::<[u32; 3]>(), any::<i32>(), any::<[u32; 5]>()).prop_map(|(a, delta, b)| Stat {
        sort_type: a[0],
        container_id: a[1],
        current_rec: a[2],
        delta,
        num_pos: b[0],
        total_recs: b[1],
        code_page: b[2],
        template_locale: b[3],
        sort_locale: b[4],
    })
}

fn aux() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..24)
}

gen_impls! {
    U32: u32 = any::<u32>();
    I32: i32 = any::<i32>();
    Bool8: bool = any::<bool>();
    GuidW: Guid = strategies::guid();
    TagW: PropTag = tag();
    StatW: Stat = stat();
    Tags: Vec<PropTag> = vec(tag(), 0..6);
    Mids: Vec<u32> = vec(any::<u32>(), 0..6);
    RestrictionW: oxmapi_core::restriction::Restriction = strategies::restriction();
    PropNameW: NspiPropertyName =
        (strategies::guid(), any::<u32>()).prop_map(|(guid, id)| NspiPropertyName { guid, id });
    ColsRows: ColumnsAndRows = (strategies::columns_and_row(), 0..3usize)
        .prop_map(|((columns, row), n)| ColumnsAndRows { columns, row_data: vec![row; n] });
    TaggedW: AddressBookTaggedPropertyValue = ab_tagged_value();
    ValueList: AddressBookPropertyValueList = vec(ab_tagged_value(), 0..4);
    ValueLists: Vec<AddressBookPropertyValueList> = vec(vec(ab_tagged_value(), 0..3), 0..3);
    Ascii: String = strategies::ascii();
    Utf16: String = strategies::text();
    AsciiArray: Vec<String> = vec(strategies::ascii(), 0..4);
    Utf16Array: Vec<String> = vec(strategies::text(), 0..4);
    EntryIds: Vec<Vec<u8>> = vec(strategies::blob(), 0..4);
    Aux: Vec<u8> = aux();
}

impl<T: Debug + Clone + 'static, C: Gen<T>> Gen<Option<T>> for Opt<C> {
    fn strategy() -> BoxedStrategy<Option<T>> {
        proptest::option::of(C::strategy()).boxed()
    }
}

fn response<T: SuccessBody + Debug + Clone + 'static>(s: BoxedStrategy<T>) -> BoxedStrategy<Response<T>> {
    prop_oneof![
        3 => s.prop_map(Response::Success),
        1 => (1u32.., aux()).prop_map(|(status_code, auxiliary_buffer)| {
            Response::Failure(FailureResponse { status_code, auxiliary_buffer })
        }),
    ]
    .boxed()
}

/// Round trip through the dispatcher, then: every strict prefix and one extra byte fail, and a
/// one-byte mutation decodes to `Ok` or `Err` without panicking.
fn check_body<T: PartialEq + Debug>(
    v: &T,
    bytes: &[u8],
    decode: impl Fn(&[u8]) -> DecodeResult<T>,
    mutation: (usize, u8),
) -> Result<(), TestCaseError> {
    prop_assert_eq!(&decode(bytes).unwrap(), v);
    for n in 0..bytes.len() {
        prop_assert!(decode(&bytes[..n]).is_err(), "prefix of {} bytes decoded", n);
    }
    let mut longer = bytes.to_vec();
    longer.push(0);
    prop_assert!(decode(&longer).is_err());
    let mut mutated = bytes.to_vec();
    if !mutated.is_empty() {
        let i = mutation.0 % mutated.len();
        mutated[i] = mutation.1;
        let _ = decode(&mutated);
    }
    Ok(())
}

macro_rules! round_trips {
    ($($test:ident: $variant:ident, $req:ident, $succ:ident;)*) => {
        proptest! {
            $(
                #[test]
                fn $test(
                    req in $req::arbitrary(),
                    resp in response($succ::arbitrary()),
                    m1 in (any::<usize>(), any::<u8>()),
                    m2 in (any::<usize>(), any::<u8>()),
                ) {
                    let rt = RequestType::$variant;
                    prop_assert_eq!(req.encode(), NspiRequest::$variant(req.clone()).encode());
                    let req = NspiRequest::$variant(req);
                    prop_assert_eq!(req.request_type(), rt);
                    check_body(&req, &req.encode(), |b| NspiRequest::decode(rt.as_str(), b), m1)?;
                    let resp = NspiResponseBody::$variant(resp);
                    prop_assert_eq!(resp.request_type(), rt);
                    check_body(&resp, &resp.encode(), |b| NspiResponseBody::decode(rt.as_str(), b), m2)?;
                }
            )*
        }
    };
}

round_trips! {
    bind_round_trip: Bind, BindRequest, BindSuccess;
    unbind_round_trip: Unbind, UnbindRequest, UnbindSuccess;
    compare_mids_round_trip: CompareMIds, CompareMIdsRequest, CompareMIdsSuccess;
    dn_to_mid_round_trip: DnToMId, DnToMIdRequest, DnToMIdSuccess;
    get_matches_round_trip: GetMatches, GetMatchesRequest, GetMatchesSuccess;
    get_prop_list_round_trip: GetPropList, GetPropListRequest, GetPropListSuccess;
    get_props_round_trip: GetProps, GetPropsRequest, GetPropsSuccess;
    get_special_table_round_trip: GetSpecialTable, GetSpecialTableRequest, GetSpecialTableSuccess;
    get_template_info_round_trip: GetTemplateInfo, GetTemplateInfoRequest, GetTemplateInfoSuccess;
    mod_link_att_round_trip: ModLinkAtt, ModLinkAttRequest, ModLinkAttSuccess;
    mod_props_round_trip: ModProps, ModPropsRequest, ModPropsSuccess;
    query_rows_round_trip: QueryRows, QueryRowsRequest, QueryRowsSuccess;
    query_columns_round_trip: QueryColumns, QueryColumnsRequest, QueryColumnsSuccess;
    resolve_names_round_trip: ResolveNames, ResolveNamesRequest, ResolveNamesSuccess;
    resort_restriction_round_trip: ResortRestriction, ResortRestrictionRequest, ResortRestrictionSuccess;
    seek_entries_round_trip: SeekEntries, SeekEntriesRequest, SeekEntriesSuccess;
    update_stat_round_trip: UpdateStat, UpdateStatRequest, UpdateStatSuccess;
    get_mailbox_url_round_trip: GetMailboxUrl, GetMailboxUrlRequest, GetMailboxUrlSuccess;
    get_address_book_url_round_trip: GetAddressBookUrl, GetAddressBookUrlRequest, GetAddressBookUrlSuccess;
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..512), status_zero: bool) {
        let mut bytes = bytes;
        if status_zero && bytes.len() >= 4 {
            // Let response decoders get past StatusCode into the success fields.
            bytes[..4].fill(0);
        }
        for rt in NSPI_REQUEST_TYPES {
            let _ = NspiRequest::decode_typed(*rt, &bytes);
            let _ = NspiResponseBody::decode_typed(*rt, &bytes);
        }
    }
}

#[test]
fn every_nspi_request_type_dispatches() {
    assert_eq!(NSPI_REQUEST_TYPES.len(), 19);
    let failure = [0xF7, 0x06, 0, 0, 0, 0, 0, 0];
    for rt in NSPI_REQUEST_TYPES {
        let resp = NspiResponseBody::decode(rt.as_str(), &failure).unwrap();
        assert_eq!(resp.request_type(), *rt);
        assert_eq!(resp.status_code(), 0x6F7);
        assert_eq!(resp.encode(), failure);
    }
    assert!(NspiRequest::decode("Execute", &[0; 16]).is_err());
    assert!(NspiRequest::decode("PING", &[]).is_err());
    assert!(NspiResponseBody::decode("Frobnicate", &failure).is_err());
    let unbind = NspiRequest::decode("unbind", &[0; 8]).unwrap();
    assert_eq!(unbind, NspiRequest::Unbind(UnbindRequest { reserved: 0, auxiliary_buffer: vec![] }));
}

/// protocol-facts vectors.md D-NSPI-BIND.
const D_NSPI_BIND: [u8; 45] = [
    0x00, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe4, 0x04, 0x00, //
    0x00, 0x09, 0x04, 0x00, 0x00, 0x09, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

#[test]
fn d_nspi_bind_vector() {
    let expected = BindRequest {
        flags: 0,
        state: Some(Stat {
            code_page: 1252,
            template_locale: NSPI_DEFAULT_LOCALE,
            sort_locale: NSPI_DEFAULT_LOCALE,
            ..Stat::default()
        }),
        auxiliary_buffer: vec![],
    };
    assert_eq!(BindRequest::decode(&D_NSPI_BIND).unwrap(), expected);
    assert_eq!(expected.encode(), D_NSPI_BIND);
    assert_eq!(NspiRequest::decode("Bind", &D_NSPI_BIND).unwrap(), NspiRequest::Bind(expected));
    let mut trailing = D_NSPI_BIND.to_vec();
    trailing.push(0);
    assert!(matches!(
        BindRequest::decode(&trailing),
        Err(DecodeError::Trailing { offset: 45, count: 1, .. })
    ));
    // HasState 0x01 (as Microsoft's test adapter writes a .NET bool) also means present.
    let mut one = D_NSPI_BIND;
    one[4] = 0x01;
    assert_eq!(BindRequest::decode(&one).unwrap().state, BindRequest::decode(&D_NSPI_BIND).unwrap().state);
}

const PR_DISPLAY_NAME_W: PropTag = PropTag(0x3001_001F);
const PR_EMAIL_ADDRESS_W: PropTag = PropTag(0x3003_001F);

#[test]
fn resolve_names_response_by_hand() {
    #[rustfmt::skip]
    let body: Vec<u8> = [
        &[0, 0, 0, 0][..],               // StatusCode
        &[0, 0, 0, 0],                   // ErrorCode
        &[0xB0, 0x04, 0, 0],             // CodePage CP_WINUNICODE
        &[0xFF, 2, 0, 0, 0],             // HasMinimalIds, MinimalIdCount 2
        &[0x10, 0, 0, 0, 0x11, 0, 0, 0], // MinimalIds
        &[0xFF, 2, 0, 0, 0],             // HasRowsAndColumns, PropertyTagCount 2
        &[0x1F, 0, 0x01, 0x30],          // PR_DISPLAY_NAME_W
        &[0x1F, 0, 0x03, 0x30],          // PR_EMAIL_ADDRESS_W
        &[2, 0, 0, 0],                   // RowCount
        &[0x00],                         // row 1: Flags
        &[0xFF, b'A', 0, b'l', 0, 0, 0], //   HasValue, "Al"
        &[0xFF, b'a', 0, b'@', 0, b'x', 0, 0, 0], // HasValue, "a@x"
        &[0x00],                         // row 2: Flags
        &[0xFF, b'B', 0, b'o', 0, 0, 0], //   HasValue, "Bo"
        &[0x00],                         //   HasValue 0: no e-mail address
        &[0, 0, 0, 0],                   // AuxiliaryBufferSize
    ]
    .concat();
    let resp = ResolveNamesResponse::decode(&body).unwrap();
    let s = resp.success().unwrap();
    assert_eq!(s.error_code, 0);
    assert_eq!(s.code_page, CP_WINUNICODE);
    assert_eq!(s.minimal_ids, Some(vec![0x10, 0x11]));
    let cr = s.rows_and_columns.as_ref().unwrap();
    assert_eq!(cr.columns, [PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W]);
    let text = |s: &str| RowValue::Value(PropValue::Unicode(s.into()));
    assert_eq!(cr.row_data[0], PropertyRow { flagged: false, values: vec![text("Al"), text("a@x")] });
    assert_eq!(
        cr.row_data[1],
        PropertyRow {
            flagged: false,
            values: vec![text("Bo"), RowValue::NotFound { ty: PropType::String.code() }]
        }
    );
    assert!(s.auxiliary_buffer.is_empty());
    assert_eq!(resp.encode(), body);
    assert_eq!(NspiResponseBody::decode("ResolveNames", &body).unwrap().encode(), body);
}

#[test]
fn compare_mids_follows_the_spec_order() {
    let resp =
        CompareMIdsResponse::decode(&[0, 0, 0, 0, 5, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]).unwrap();
    let s = resp.success().unwrap();
    assert_eq!((s.error_code, s.result), (5, -1));
}

fn assert_refused(e: DecodeError) {
    assert!(matches!(e, DecodeError::TooLarge { .. } | DecodeError::Truncated { .. }), "{e:?}");
}

#[test]
fn huge_counts_fail_before_allocating() {
    let ff = [0xFF; 4];
    // QueryRows request: Flags, HasState 0, ExplicitTableCount 0xFFFFFFFF.
    let e = QueryRowsRequest::decode(&[&[0u8; 5][..], &ff].concat()).unwrap_err();
    assert!(matches!(e, DecodeError::TooLarge { offset: 9, value: 0xFFFF_FFFF, .. }), "{e:?}");
    // GetProps request: Flags, HasState 0, HasPropertyTags, PropertyTagCount 0xFFFFFFFF.
    assert_refused(GetPropsRequest::decode(&[&[0u8; 5][..], &[0xFF], &ff].concat()).unwrap_err());
    // QueryRows response: no state, 0 columns, RowCount 0xFFFFFFFF.
    let e = QueryRowsResponse::decode(&[&[0u8; 9][..], &[0xFF, 0, 0, 0, 0], &ff].concat()).unwrap_err();
    assert!(matches!(e, DecodeError::TooLarge { value: 0xFFFF_FFFF, .. }), "{e:?}");
    // Same with 100000 rows (within the cap) in a few bytes: refused against the input length.
    let e =
        QueryRowsResponse::decode(&[&[0u8; 9][..], &[0xFF, 0, 0, 0, 0], &100_000u32.to_le_bytes()].concat());
    assert!(matches!(e, Err(DecodeError::Truncated { .. })), "{e:?}");
    // GetProps response: PropertyValueCount 0xFFFFFFFF.
    assert_refused(GetPropsResponse::decode(&[&[0u8; 12][..], &[0xFF], &ff].concat()).unwrap_err());
    // GetSpecialTable response: RowCount 0xFFFFFFFF.
    assert_refused(GetSpecialTableResponse::decode(&[&[0u8; 13][..], &[0xFF], &ff].concat()).unwrap_err());
    // DNToMId request: Names count 0xFFFFFFFF; ResolveNames: WStringArray count 0xFFFFFFFF.
    assert_refused(DnToMIdRequest::decode(&[&[0u8; 4][..], &[0xFF], &ff].concat()).unwrap_err());
    assert_refused(ResolveNamesRequest::decode(&[&[0u8; 6][..], &[0xFF], &ff].concat()).unwrap_err());
    // ModLinkAtt: one EntryId claiming 0xFFFFFFFF bytes.
    let body = [&[0u8; 12][..], &[0xFF, 1, 0, 0, 0], &ff].concat();
    assert_refused(ModLinkAttRequest::decode(&body).unwrap_err());
    // An auxiliary buffer above 0x1008 bytes.
    let e = UnbindRequest::decode(&[&[0u8; 4][..], &0x1009u32.to_le_bytes()].concat()).unwrap_err();
    assert!(matches!(e, DecodeError::TooLarge { .. }), "{e:?}");
}

#[test]
fn absent_values_in_property_value_lists() {
    let list = vec![
        AddressBookTaggedPropertyValue { tag: PR_DISPLAY_NAME_W, value: None },
        AddressBookTaggedPropertyValue::new(PropTag(0x3900_0003), PropValue::I32(0)),
    ];
    let resp: GetPropsResponse = Response::Success(GetPropsSuccess {
        error_code: 0,
        code_page: CP_WINUNICODE,
        property_values: Some(list),
        auxiliary_buffer: vec![],
    });
    let bytes = resp.encode();
    assert_eq!(
        &bytes[12..],
        [0xFF, 2, 0, 0, 0, 0x1F, 0, 0x01, 0x30, 0x00, 0x03, 0, 0x00, 0x39, 0, 0, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(GetPropsResponse::decode(&bytes).unwrap(), resp);
}

fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect()
}

/// PR_EMS_AB_PROXY_ADDRESSES as a live gromox 3.10 sends it in a GetProps reply
/// (protocol-facts §7.x): `1f100f80 ff 01000000 ff "SMTP:…"` — the value's HasValue, the
/// count, then a HasValue (0xFF) before each element. gromox reads and writes multi-valued
/// strings and binaries this way (lib/mapi/ext_buffer.cpp `g_wstr_a`/`g_str_a`/`g_bin_a` in
/// EXT_FLAG_ABK mode), Microsoft's MAPI Inspector reads per-element HasValue for strings
/// (`MAPIStringAddressBook`) and Microsoft's MS-OXCMAPIHTTP test adapter skips it before binary
/// elements (`AddressBookPropertyValue.Parse`, PtypMultipleBinary). Both this form and the one
/// without per-element bytes decode; we encode gromox's.
#[test]
fn multi_valued_strings_and_binaries_carry_a_has_value_per_element() {
    let proxy = PropTag(0x800F_101F);
    let mut gromox = vec![0x1F, 0x10, 0x0F, 0x80, 0xFF, 0x01, 0x00, 0x00, 0x00, 0xFF];
    gromox.extend(utf16z("SMTP:bob@example.org"));
    let want =
        AddressBookTaggedPropertyValue::new(proxy, PropValue::MvUnicode(vec!["SMTP:bob@example.org".into()]));
    let mut r = oxmapi_core::codec::Reader::new(&gromox);
    assert_eq!(types::read_ab_tagged_value(&mut r).unwrap(), want);
    assert!(r.is_empty());
    let mut w = oxmapi_core::codec::Writer::new();
    types::write_ab_tagged_value(&mut w, &want);
    assert_eq!(w.as_slice(), gromox.as_slice(), "encoded as gromox and Microsoft's parsers read it");
    // Without the per-element bytes (what oxmapi sent before): still read.
    let mut plain = vec![0x1F, 0x10, 0x0F, 0x80, 0xFF, 0x01, 0x00, 0x00, 0x00];
    plain.extend(utf16z("SMTP:bob@example.org"));
    let mut r = oxmapi_core::codec::Reader::new(&plain);
    assert_eq!(types::read_ab_tagged_value(&mut r).unwrap(), want);
    assert!(r.is_empty());

    // PtypMultipleString8 and PtypMultipleBinary (counts u32 in MAPI/HTTP, MS-OXCDATA 2.11.1.1),
    // two elements each, both forms; an absent element (HasValue 0x00, as gromox writes a null
    // one) reads as empty.
    let s8 = PropTag(0x800F_101E);
    let mut with = vec![0x1E, 0x10, 0x0F, 0x80, 0xFF, 0x02, 0, 0, 0, 0xFF];
    with.extend(b"SMTP:a@b\0");
    with.push(0xFF);
    with.extend(b"X400:c\0");
    let mut without = vec![0x1E, 0x10, 0x0F, 0x80, 0xFF, 0x02, 0, 0, 0];
    without.extend(b"SMTP:a@b\0X400:c\0");
    let want = PropValue::MvString8(vec![b"SMTP:a@b".to_vec(), b"X400:c".to_vec()]);
    for bytes in [&with, &without] {
        let mut r = oxmapi_core::codec::Reader::new(bytes);
        assert_eq!(
            types::read_ab_tagged_value(&mut r).unwrap(),
            AddressBookTaggedPropertyValue::new(s8, want.clone())
        );
        assert!(r.is_empty());
    }
    let cert = PropTag(0x8C6A_1102); // PR_EMS_AB_X509_CERT
    let with = [0x02, 0x11, 0x6A, 0x8C, 0xFF, 0x02, 0, 0, 0, 0xFF, 0x02, 0, 0, 0, 0xAB, 0xCD, 0x00];
    let without = [0x02, 0x11, 0x6A, 0x8C, 0xFF, 0x02, 0, 0, 0, 0x02, 0, 0, 0, 0xAB, 0xCD, 0x00, 0, 0, 0];
    for (bytes, second) in [(&with[..], vec![]), (&without[..], vec![])] {
        let mut r = oxmapi_core::codec::Reader::new(bytes);
        let got = types::read_ab_tagged_value(&mut r).unwrap();
        assert_eq!(got.value, Some(PropValue::MvBinary(vec![vec![0xAB, 0xCD], second])));
        assert!(r.is_empty());
    }
    let mut w = oxmapi_core::codec::Writer::new();
    types::write_ab_tagged_value(
        &mut w,
        &AddressBookTaggedPropertyValue::new(cert, PropValue::MvBinary(vec![vec![0xAB, 0xCD]])),
    );
    assert_eq!(w.as_slice(), [0x02, 0x11, 0x6A, 0x8C, 0xFF, 0x01, 0, 0, 0, 0xFF, 0x02, 0, 0, 0, 0xAB, 0xCD]);
}

/// A whole GetMatches request body (MS-OXCMAPIHTTP 2.2.5.5.1) whose name filter comes in
/// gromox's form, `04 04 tag ff tag ff value` (protocol-facts §7.x), decodes to the same
/// request as the plain form we send.
#[test]
fn get_matches_accepts_the_name_filter_with_has_value_bytes() {
    use oxmapi_core::restriction::{RelOp, Restriction};
    use oxmapi_core::value::TaggedValue;
    let anr = PropTag(0x360C_001F);
    let q = GetMatchesRequest {
        reserved: 0,
        state: Some(Stat::default()),
        minimal_ids: None,
        interface_option_flags: 0,
        filter: Some(Restriction::Property {
            relop: RelOp::Eq,
            prop_tag: anr,
            value: TaggedValue { tag: anr, value: PropValue::Unicode("bob".into()) },
        }),
        property_name: None,
        row_count: 50,
        columns: Some(vec![PR_DISPLAY_NAME_W]),
        auxiliary_buffer: vec![],
    };
    let plain_body = q.encode();
    let mut plain = vec![0x04, 0x04];
    plain.extend(anr.0.to_le_bytes());
    plain.extend(anr.0.to_le_bytes());
    plain.extend(utf16z("bob"));
    let at = plain_body.windows(plain.len()).position(|w| w == plain).expect("plain filter in the body");
    let mut gromox = vec![0x04, 0x04];
    gromox.extend(anr.0.to_le_bytes());
    gromox.push(0xFF);
    gromox.extend(anr.0.to_le_bytes());
    gromox.push(0xFF);
    gromox.extend(utf16z("bob"));
    let mut body = plain_body[..at].to_vec();
    body.extend(gromox);
    body.extend_from_slice(&plain_body[at + plain.len()..]);
    assert_eq!(GetMatchesRequest::decode(&body).unwrap(), q);
    assert_eq!(GetMatchesRequest::decode(&plain_body).unwrap(), q);
}

/// Found by the `nspi_bodies` fuzz target (fuzz/README.md): a GetMatches response whose column
/// is PtypUnspecified with the MV-instance flag (0x80002000) carries each value's type in the
/// row (MS-OXCDATA 2.8.1); the decoder read it, but the encoder did not write it back, so the
/// re-encoded body no longer decoded ("unknown property type 0x00A1").
#[test]
fn an_unspecified_column_with_the_instance_flag_keeps_its_value_types() {
    let data: [u8; 71] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 3, 0, 0, 0, 0, 32, 0, 128, 1, 0, 0, 0, 2, 0, 0, 6, 4, 0, 0, 0, 0,
        1, 0, 161, 0, 0, 20, 32, 0, 0, 0, 0, 0, 6, 4, 0, 0, 0, 0, 1, 0, 161, 0, 0, 20, 32, 8, 40, 64, 0, 43,
        0, 0, 0, 0, 1, 0, 0, 0, 0,
    ];
    let r = NspiResponseBody::decode("GetMatches", &data).unwrap();
    let enc = r.encode();
    let again = NspiResponseBody::decode("GetMatches", &enc).expect("the re-encoded body decodes");
    assert_eq!(again, r);
    assert_eq!(again.encode(), enc);
}
