//! ROP codec tests: the specification vectors, round trips for every request and response
//! type, and robustness against arbitrary bytes.

use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use proptest::prelude::*;

use super::oxcstor::LogonRequest;
use super::*;
use crate::cdata::{PropertyRow, RowValue};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn requests(bytes: &[u8]) -> Vec<RopRequest> {
    decode_requests(bytes, &RequestContext::default()).unwrap()
}

#[test]
fn v_rops_1_two_releases() {
    let b = hex("08 00 01 00 00 01 00 01 6F 00 00 00 6E 00 00 00");
    let buf = RopBuffer::decode(&b).unwrap();
    assert_eq!(buf.handles, vec![0x6F, 0x6E]);
    let reqs = requests(&buf.rops);
    assert_eq!(reqs.len(), 2);
    assert!(matches!(&reqs[0], RopRequest::Release(r) if r.input_handle_index == 0));
    assert!(matches!(&reqs[1], RopRequest::Release(r) if r.input_handle_index == 1));
    let again = RopBuffer { rops: encode_requests(&reqs), handles: buf.handles.clone() }.encode();
    assert_eq!(again, b);
}

#[test]
fn v_prpt_1_set_properties() {
    let b = hex(
        "0A 00 00 24 00 02 00 1F 00 3D 00 00 00 1F 00 1D 0E 48 00 65 00 6C 00 6C 00 6F 00 20 00 57 00 6F 00 72 00 6C 00 64 00 00 00",
    );
    let reqs = requests(&b);
    let RopRequest::SetProperties(sp) = &reqs[0] else { panic!("{reqs:?}") };
    assert_eq!(sp.property_values.len(), 2);
    assert_eq!(sp.property_values[0].tag, PropTag(0x003D001F));
    assert_eq!(sp.property_values[0].value, PropValue::Unicode(String::new()));
    assert_eq!(sp.property_values[1].tag, PropTag(0x0E1D001F));
    assert_eq!(sp.property_values[1].value, PropValue::Unicode("Hello World".into()));
    assert_eq!(encode_requests(&reqs), b);
}

#[test]
fn v_tabl_1_query_rows_request() {
    let b = hex("15 00 00 00 01 32 00");
    let reqs = requests(&b);
    let RopRequest::QueryRows(q) = &reqs[0] else { panic!() };
    assert_eq!((q.query_rows_flags, q.forward_read, q.row_count), (0, 1, 50));
    assert_eq!(encode_requests(&reqs), b);
}

fn responses(bytes: &[u8], cols: Option<Vec<PropTag>>) -> Vec<RopResponse> {
    decode_responses(bytes, |_, _, _| cols.clone()).unwrap()
}

#[test]
fn v_tabl_2_and_v_rule_1_2_status_responses() {
    for (b, id) in [
        (hex("13 01 00 00 00 00 00"), RopId::SortTable),
        (hex("3f 01 00 00 00 00"), RopId::GetRulesTable),
        (hex("12 01 00 00 00 00 00"), RopId::SetColumns),
    ] {
        let rs = responses(&b, None);
        assert_eq!(rs[0].rop_id(), id);
        assert_eq!(rs[0].status(), Some((1, 0)));
        assert_eq!(encode_responses(&rs), b);
    }
}

#[test]
fn v_rule_3_query_rows_response_with_columns() {
    let b =
        hex("15 01 00 00 00 00 02 01 00 00 01 00 00 00 01 3f f8 56 10 00 01 00 00 00 01 00 00 00 55 55 55 55
         d1 44 e3 40 50 00 72 00 6f 00 6a 00 65 00 63 00 74 00 20 00 58 00 00 00");
    let cols = vec![PropTag(0x6674_0014), PropTag(0x6684_0102), PropTag(0x6682_001F)];
    let rs = responses(&b, Some(cols));
    let RopResponse::QueryRows(o) = &rs[0] else { panic!() };
    let q = o.body.as_ref().unwrap();
    assert_eq!((o.handle_index, q.origin, q.row_count), (1, 2, 1));
    let Rows::Decoded { rows, .. } = &q.rows else { panic!() };
    assert_eq!(rows[0].values[2], RowValue::Value(PropValue::Unicode("Project X".into())));
    let RowValue::Value(PropValue::I64(rule_id)) = rows[0].values[0] else { panic!() };
    assert_eq!(rule_id as u64, 0x56F8_3F01_0000_0001);
    assert_eq!(encode_responses(&rs), b);
    // Without the columns the rows stay raw, and still re-encode exactly.
    let raw = responses(&b, None);
    assert_eq!(encode_responses(&raw), b);
}

#[test]
fn d_mh_exec_logon_and_v_dlgt_2_flags() {
    let payload = hex("5d00 fe00 0001 0c04 0001 0000 0000 4d00");
    let essdn = "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=janedow";
    let mut b = payload;
    b.extend_from_slice(essdn.as_bytes());
    b.push(0);
    b.extend_from_slice(&[0xff; 4]);
    let buf = RopBuffer::decode(&b).unwrap();
    assert_eq!(buf.handles, vec![0xFFFF_FFFF]);
    let reqs = requests(&buf.rops);
    let RopRequest::Logon(l) = &reqs[0] else { panic!() };
    assert_eq!(
        l,
        &LogonRequest {
            logon_id: 0,
            output_handle_index: 0,
            logon_flags: 1,
            open_flags: 0x0100_040C,
            store_state: 0,
            essdn: Some(essdn.into())
        }
    );
    assert_eq!(RopBuffer { rops: encode_requests(&reqs), handles: buf.handles }.encode(), b);
}

#[test]
fn d_comp_payload_three_get_properties_specific() {
    let b =
        hex("65 00 07 00 00 00 00 01 00 06 00 1f 00 37 00 1f 00 1d 0e 1f 00 3d 00 03 00 07 0e 40 00 06 0e 1f
         00 1a 00 07 00 00 00 00 01 00 06 00 1f 00 37 00 1f 00 1d 0e 1f 00 3d 00 03 00 07 0e 40 00 06 0e
         1f 00 1a 00 07 00 00 00 00 01 00 06 00 1f 00 37 00 1f 00 1d 0e 1f 00 3d 00 03 00 07 0e 40 00 06
         0e 1f 00 1a 00 00 00 00 00");
    let buf = RopBuffer::decode(&b).unwrap();
    let reqs = requests(&buf.rops);
    assert_eq!(reqs.len(), 3);
    for q in &reqs {
        let RopRequest::GetPropertiesSpecific(g) = q else { panic!() };
        assert_eq!(g.want_unicode, 1);
        assert_eq!(g.property_tags[0], PropTag(0x0037001F));
        assert_eq!(g.property_tags.len(), 6);
    }
    assert_eq!(buf.handles, vec![0]);
}

#[test]
fn v_rpc_1_extended_buffer_header() {
    // MS-OXCRPC 4.2: Version 0, Flags Last, Size = SizeActual = 0x152, then RopSize 0x142.
    let b = hex("00 00 04 00 52 01 52 01 42 01");
    let mut r = Reader::new(&b);
    let h = crate::rpc_ext::RpcHeaderExt::decode(&mut r).unwrap();
    assert_eq!((h.version, h.flags, h.size, h.size_actual), (0, 0x0004, 0x152, 0x152));
    assert!(h.is_last() && !h.is_compressed() && !h.is_xor_magic());
    assert_eq!(r.u16("RopSize").unwrap(), 0x142);
    // 8 (header) + 2 (RopSize) + 320 (ROPs) + 16 (4 handles) = cbIn 0x15A.
    assert_eq!(8 + 2 + 320 + 16, 0x15A);
    assert_eq!(h.size as usize, 2 + 320 + 16);
}

#[test]
fn truncated_and_reserved_are_errors() {
    assert!(RopBuffer::decode(&hex("08 00 01 00 00")).is_err());
    assert!(decode_requests(&hex("00 00 00"), &RequestContext::default()).is_err());
    assert!(decode_requests(&hex("02 00 00 01 02 03"), &RequestContext::default()).is_err());
}

#[test]
fn set_message_read_flag_needs_the_logon_kind() {
    let private = hex("11 05 00 01 01");
    let reqs = requests(&private);
    assert!(matches!(&reqs[0], RopRequest::SetMessageReadFlag(r) if r.client_data.is_none()));
    let mut ctx = RequestContext::default();
    ctx.set_public(5, true);
    let mut public = private.clone();
    public.extend_from_slice(&[7; 24]);
    let reqs = decode_requests(&public, &ctx).unwrap();
    assert!(matches!(&reqs[0], RopRequest::SetMessageReadFlag(r) if r.client_data == Some([7; 24])));
    assert_eq!(encode_requests(&reqs), public);
}

#[test]
fn set_message_read_flag_response_reads_client_data_only_on_public_logons() {
    // ReadStatusChanged = 1, then (private) the next response: a 30-byte RopSetColumns-like
    // buffer must not be swallowed as LogonId + ClientData.
    let mut bytes = hex("11 00 00 00 00 00 01");
    let next = hex("12 01 00 00 00 00 00");
    for _ in 0..4 {
        bytes.extend_from_slice(&next);
    }
    let private = decode_responses(&bytes, |_, _, _| None).unwrap();
    assert_eq!(private.len(), 5, "{private:?}");
    let mut public = hex("11 00 00 00 00 00 01 05");
    public.extend_from_slice(&[9; 24]);
    let got =
        decode_responses_with(&public, |_, _, _| ResponseHint { columns: None, public_logon: true }).unwrap();
    let RopResponse::SetMessageReadFlag(o) = &got[0] else { panic!("{got:?}") };
    assert_eq!(o.body.as_ref().unwrap().client_data, Some((5, [9; 24])));
}

/// Bytes biased towards zero, so counts are small and most random buffers decode.
fn zero_biased(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(prop_oneof![3 => Just(0u8), 1 => 1u8..4, 1 => any::<u8>()], 0..max)
}

fn supported_ids() -> Vec<u8> {
    RopId::ALL.iter().map(|&i| i as u8).collect()
}

const COLUMNS: [PropTag; 4] =
    [PropTag(0x0037_001F), PropTag(0x0E08_0003), PropTag(0x0000_0000), PropTag(0x0FFF_0102)];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// decode(encode(x)) == x for requests drawn from everything the decoder accepts.
    #[test]
    fn every_request_round_trips(id in proptest::sample::select(supported_ids()), tail in zero_biased(120), public in any::<bool>()) {
        let mut bytes = vec![id];
        bytes.extend_from_slice(&tail);
        let mut ctx = RequestContext::default();
        ctx.set_public(0, public);
        let mut r = Reader::new(&bytes);
        if let Ok(x) = RopRequest::decode(&mut r, &ctx) {
            let mut w = Writer::new();
            x.encode(&mut w);
            let enc = w.into_vec();
            let y = RopRequest::decode(&mut Reader::new(&enc), &ctx).unwrap();
            prop_assert_eq!(y, x);
        }
    }

    /// decode(encode(x)) == x for responses, success and failure, with and without columns.
    #[test]
    fn every_response_round_trips(id in proptest::sample::select(supported_ids()), tail in zero_biased(160), cols in any::<bool>()) {
        let mut bytes = vec![id];
        bytes.extend_from_slice(&tail);
        let c = if cols { Some(&COLUMNS[..]) } else { None };
        let ctx = ResponseContext { columns: c, ..Default::default() };
        let mut r = Reader::new(&bytes);
        if let Ok(x) = RopResponse::decode(&mut r, &ctx) {
            let mut w = Writer::new();
            x.encode(&mut w);
            let enc = w.into_vec();
            let mut r2 = Reader::new(&enc);
            let y = RopResponse::decode(&mut r2, &ctx).unwrap();
            prop_assert!(r2.is_empty());
            prop_assert_eq!(y, x);
        }
    }

    /// Rows of any shape survive a RopQueryRows response.
    #[test]
    fn query_rows_with_generated_rows((cols, row) in crate::strategies::columns_and_row(), n in 0usize..4) {
        let rows: Vec<PropertyRow> = std::iter::repeat_n(row, n).collect();
        let resp = RopResponse::QueryRows(Outcome::ok(3, oxctabl::QueryRowsResponse {
            origin: 1, row_count: n as u16, rows: oxctabl::rows(&cols, rows) }));
        let bytes = encode_responses(std::slice::from_ref(&resp));
        let back = decode_responses(&bytes, |_, _, _| Some(cols.clone())).unwrap();
        let (RopResponse::QueryRows(a), RopResponse::QueryRows(b)) = (&back[0], &resp) else { panic!() };
        let (Rows::Decoded { rows: ra, .. }, Rows::Decoded { rows: rb, .. }) = (&a.body.as_ref().unwrap().rows, &b.body.as_ref().unwrap().rows) else { panic!() };
        prop_assert_eq!(ra.iter().map(|r| &r.values).collect::<Vec<_>>(), rb.iter().map(|r| &r.values).collect::<Vec<_>>());
    }

    /// Arbitrary bytes never panic any buffer-level decoder.
    #[test]
    fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = RopBuffer::decode(&bytes);
        let _ = decode_requests(&bytes, &RequestContext::default());
        let _ = decode_responses(&bytes, |_, _, _| Some(COLUMNS.to_vec()));
        let _ = decode_responses(&bytes, |_, _, _| None);
        let _ = oxcnotif::NotificationData::decode(&mut Reader::new(&bytes));
    }

    /// Truncating a valid request is an error, never a wrong value.
    #[test]
    fn truncation_is_detected(id in proptest::sample::select(supported_ids()), tail in zero_biased(80)) {
        let mut bytes = vec![id];
        bytes.extend_from_slice(&tail);
        let ctx = RequestContext::default();
        if let Ok(x) = RopRequest::decode(&mut Reader::new(&bytes), &ctx) {
            let enc = encode_requests(std::slice::from_ref(&x));
            for cut in 0..enc.len() {
                let mut r = Reader::new(&enc[..cut]);
                match RopRequest::decode(&mut r, &ctx) {
                    Err(_) => {}
                    // A shorter prefix may itself be a complete, different request only when
                    // the tail was optional data; it must then not equal the original.
                    Ok(y) => prop_assert_ne!(y, x.clone()),
                }
            }
        }
    }
}

/// Every RopId with a codec decodes at least one generated buffer (so the round-trip properties
/// above really exercise every ROP).
#[test]
fn round_trip_generators_cover_every_rop() {
    let ctx = RequestContext::default();
    let rctx = ResponseContext { columns: Some(&COLUMNS), ..Default::default() };
    let mut covered_req = std::collections::BTreeSet::new();
    let mut covered_resp = std::collections::BTreeSet::new();
    for &id in RopId::ALL {
        for len in [0usize, 1, 2, 4, 6, 8, 10, 12, 16, 20, 24, 30, 40, 60, 100, 150, 200] {
            let mut b = vec![id as u8];
            b.extend(std::iter::repeat_n(0u8, len));
            if RopRequest::decode(&mut Reader::new(&b), &ctx).is_ok() {
                covered_req.insert(id);
            }
            if RopResponse::decode(&mut Reader::new(&b), &rctx).is_ok() {
                covered_resp.insert(id);
            }
        }
    }
    assert!(covered_req.len() >= 95, "requests covered: {}", covered_req.len());
    assert!(covered_resp.len() >= 95, "responses covered: {}", covered_resp.len());
    for must in [
        RopId::Logon,
        RopId::QueryRows,
        RopId::GetPropertiesSpecific,
        RopId::ModifyRecipients,
        RopId::OpenMessage,
        RopId::RegisterNotification,
        RopId::ReadStream,
        RopId::SortTable,
        RopId::FindRow,
    ] {
        assert!(covered_req.contains(&must), "{must}");
    }
    for must in [
        RopId::Logon,
        RopId::Notify,
        RopId::Pending,
        RopId::BufferTooSmall,
        RopId::Backoff,
        RopId::QueryRows,
        RopId::ReadRecipients,
    ] {
        assert!(covered_resp.contains(&must), "{must}");
    }
}

/// RopEmptyFolder and RopMoveFolder keep `PartialCompletion` after a failing ReturnValue
/// (MS-OXCROPS 2.2.4.9.2, 2.2.4.7.2; the Microsoft test adapter's RopEmptyFolderResponse and
/// RopMoveFolderResponse read it for every ReturnValue but ecDstNullObject), so the next
/// response starts after it; a failure that ends the buffer without it is still read.
#[test]
fn partial_completion_follows_failures() {
    // RopEmptyFolder ecNotSupported, PartialCompletion 0; RopMoveFolder ecNotFound,
    // PartialCompletion 0; RopEmptyFolder ecNotSupported ending the buffer.
    let bytes = hex("58 00 02 01 04 80 00  35 01 0F 01 04 80 00  58 00 02 01 04 80");
    let r = responses(&bytes, None);
    assert_eq!(r.len(), 3);
    let RopResponse::EmptyFolder(o) = &r[0] else { panic!("{r:?}") };
    assert_eq!((o.return_value, o.body.as_ref().map(|b| b.partial_completion)), (0x8004_0102, Some(0)));
    let RopResponse::MoveFolder(o) = &r[1] else { panic!("{r:?}") };
    assert_eq!((o.handle_index, o.return_value), (1, 0x8004_010F));
    assert_eq!(o.body.as_ref().map(|b| (b.dest_handle_index, b.partial_completion)), Some((None, 0)));
    let RopResponse::EmptyFolder(o) = &r[2] else { panic!("{r:?}") };
    assert_eq!((o.return_value, o.body.clone()), (0x8004_0102, None));
}

/// RopGetReceiveFolderTable response (MS-OXCROPS 2.2.3.4.2, MS-OXCSTOR 2.2.1.4.2): RowCount,
/// then rows of PidTagFolderId, PidTagMessageClass (PtypString8) and
/// PidTagLastModificationTime, as StandardPropertyRows (flag 0x00) or FlaggedPropertyRows
/// (flag 0x01, a 0x00 flag before each value).
#[test]
fn receive_folder_table_rows_standard_and_flagged() {
    let bytes = hex("68 00 00 00 00 00 02 00 00 00 \
         00 01 00 00 00 00 00 00 05 49 50 4D 00 00 80 3E D5 DE B1 9D 01 \
         01 00 01 00 00 00 00 00 00 06 00 00 00 00 80 3E D5 DE B1 9D 01");
    let r = responses(&bytes, None);
    let RopResponse::GetReceiveFolderTable(o) = &r[0] else { panic!("{r:?}") };
    let rows = &o.body.as_ref().unwrap().rows;
    assert_eq!(rows.len(), 2);
    let fid = |last: u8| oxmapi_core::ids::ObjectId::from_bytes([1, 0, 0, 0, 0, 0, 0, last]);
    assert_eq!((rows[0].folder_id, rows[0].message_class.as_str()), (fid(5), "IPM"));
    assert_eq!(rows[0].last_modification_time, 0x019D_B1DE_D53E_8000);
    assert_eq!((rows[1].folder_id, rows[1].message_class.as_str()), (fid(6), ""));
    let mut w = oxmapi_core::codec::Writer::new();
    r[0].encode(&mut w);
    assert_eq!(&w.into_vec()[..31], &bytes[..31], "the encoder writes StandardPropertyRows");
}
