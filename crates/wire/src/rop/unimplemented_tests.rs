//! Request codecs of the ROP families the server does not implement (rules, permissions,
//! FastTransfer, ICS, per-user information): bytes as independent implementations send them,
//! and round trips of generated requests.

use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::LongTermId;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use proptest::prelude::*;

use super::oxcfxics::*;
use super::oxcperm::*;
use super::oxorule::*;
use super::peruser::*;
use super::*;
use crate::strategies::{blob, guid, restriction, tagged_value};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16().chain([0]).flat_map(|u| u.to_le_bytes()).collect()
}

fn one(bytes: &[u8], ctx: &RequestContext) -> RopRequest {
    let reqs = decode_requests(bytes, ctx).unwrap();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    assert_eq!(encode_requests(&reqs), bytes, "re-encoding gives the same bytes");
    reqs.into_iter().next().unwrap()
}

/// sensepost/ruler `mapi/mapi.go` `ExecuteMailRuleDelete`: `ModRuleData{0x41, LogonID, 0x00,
/// 0x00, uint16(1), RuleData{RuleDataFlags: 0x04, PropertyValueCount: 1, PropertyValues:
/// [PidTagRuleId = ruleid]}}` with ruler's LogonID 0x09 (MS-OXORULE 2.2.1.3: ROW_REMOVE 0x04
/// carries only PidTagRuleId).
#[test]
fn ruler_modify_rules_remove() {
    let b = hex("41 09 00 00 01 00 04 01 00 14 00 74 66 01 00 00 00 00 00 3F 56");
    let RopRequest::ModifyRules(m) = one(&b, &RequestContext::default()) else { panic!() };
    assert_eq!((m.logon_id, m.input_handle_index, m.modify_rules_flag), (9, 0, 0));
    assert_eq!(m.rules_data.len(), 1);
    assert_eq!(m.rules_data[0].rule_data_flags, 0x04);
    assert_eq!(
        m.rules_data[0].property_values,
        vec![TaggedValue { tag: PropTag(0x6674_0014), value: PropValue::I64(0x563F_0000_0000_0001) }]
    );
}

/// sensepost/ruler `mapi/mapi.go` `ExecuteMailRuleAdd`: a ROW_ADD RuleData with ruler's
/// property values — PidTagRuleName, PidTagRuleSequence 10, PidTagRuleState 1 (enabled),
/// PidTagRuleCondition as ruler's `RuleCondition{0x03, {01 00 01 00}, {1F 00 37 00 1F 00 37
/// 00}, trigger}` (a RES_CONTENT on PidTagSubject, MS-OXCDATA 2.12.4), PidTagRuleActions with one
/// DEFER (0x05) action block, PidTagRuleProvider "RuleOrganizer", PidTagRuleLevel 0 and ruler's
/// 16-byte PidTagRuleProviderData.
#[test]
fn ruler_modify_rules_add() {
    let mut b = hex("41 09 00 00 01 00 01 08 00");
    b.extend(hex("1F 00 82 66"));
    b.extend(utf16z("r"));
    b.extend(hex("03 00 76 66 0A 00 00 00"));
    b.extend(hex("03 00 77 66 01 00 00 00"));
    b.extend(hex("FD 00 79 66 03 01 00 01 00 1F 00 37 00 1F 00 37 00"));
    b.extend(utf16z("hi"));
    b.extend(hex("FE 00 80 66 01 00 09 00 05 00 00 00 00 00 00 00 00"));
    b.extend(hex("1F 00 81 66"));
    b.extend(utf16z("RuleOrganizer"));
    b.extend(hex("03 00 83 66 00 00 00 00"));
    b.extend(hex("02 01 84 66 10 00 00 00 14 00 01 00 00 00 28 7d d2 27 14 c4 e4 40"));
    let RopRequest::ModifyRules(m) = one(&b, &RequestContext::default()) else { panic!() };
    let rule = &m.rules_data[0];
    assert_eq!(rule.rule_data_flags, 0x01);
    assert_eq!(rule.property_values.len(), 8);
    assert_eq!(rule.property_values[0].value, PropValue::Unicode("r".into()));
    let PropValue::Restriction(cond) = &rule.property_values[3].value else { panic!() };
    let Restriction::Content { fuzzy_level_low, fuzzy_level_high, prop_tag, value } = cond.as_ref() else {
        panic!("{cond:?}")
    };
    assert_eq!((*fuzzy_level_low, *fuzzy_level_high, *prop_tag), (1, 1, PropTag(0x0037_001F)));
    assert_eq!(value.value, PropValue::Unicode("hi".into()));
    assert_eq!(rule.property_values[6].value, PropValue::I32(0));
}

/// sensepost/ruler `mapi/mapi.go` `SetPropertyFast`: `RopFastTransferDestinationConfigure
/// {RopID 0x53, LogonID, InputHandle 0x01, OutputHandle 0x02, SourceOperation 0x01, CopyFlags
/// 0x01}` then `RopFastTransferDestinationPutBuffer{RopID 0x54, LogonID, InputHandle 0x02,
/// TransferDataSize, TransferData}`.
#[test]
fn ruler_fast_transfer_upload() {
    let b = hex("53 09 01 02 01 01 54 09 02 03 00 AA BB CC");
    let reqs = decode_requests(&b, &RequestContext::default()).unwrap();
    assert_eq!(
        reqs[0],
        RopRequest::FastTransferDestinationConfigure(FastTransferDestinationConfigureRequest {
            logon_id: 9,
            input_handle_index: 1,
            output_handle_index: 2,
            source_operation: 1,
            copy_flags: 1,
        })
    );
    let RopRequest::FastTransferDestinationPutBuffer(p) = &reqs[1] else { panic!() };
    assert_eq!((p.input_handle_index, p.transfer_data.as_slice()), (2, &[0xAA, 0xBB, 0xCC][..]));
    assert_eq!(encode_requests(&reqs), b);
}

/// Layouts as grommunio/gromox `exch/emsmdb/rop_ext.cpp` pulls them (after its generic RopId,
/// LogonId, InputHandleIndex): `rop_ext_pull_tellversion_request` (3 × u16),
/// `…_fasttransfersourcegetbuffer_request` (u16, and a u16 maximum only after 0xBABE),
/// `…_syncimportreadstatechanges_request` (u16 size, then {sbin MessageId, u8 MarkAsRead} up
/// to that size), `…_setlocalreplicamidsetdeleted_request` (u16 size, u32 count, LongTermId
/// ranges), `…_syncimportmessagemove_request` (five u32-sized blobs),
/// `…_writeperuserinformation_request` (ReplGuid only at offset 0 on a private logon).
#[test]
fn gromox_layouts() {
    let ctx = RequestContext::default();
    let RopRequest::TellVersion(t) = one(&hex("86 00 01 0F 00 01 00 E8 03"), &ctx) else { panic!() };
    assert_eq!((t.version_major, t.version_minor, t.version_build), (15, 1, 1000));

    let RopRequest::FastTransferSourceGetBuffer(g) = one(&hex("4E 00 03 BE BA 00 80"), &ctx) else {
        panic!()
    };
    assert_eq!((g.buffer_size, g.maximum_buffer_size), (0xBABE, Some(0x8000)));
    let RopRequest::FastTransferSourceGetBuffer(g) = one(&hex("4E 00 03 00 10"), &ctx) else { panic!() };
    assert_eq!((g.buffer_size, g.maximum_buffer_size), (0x1000, None));

    let b = hex("80 00 01 0B 00 02 00 11 22 01 03 00 AA BB CC 00");
    let RopRequest::SynchronizationImportReadStateChanges(s) = one(&b, &ctx) else { panic!() };
    assert_eq!(
        s.message_read_states,
        vec![
            MessageReadState { message_id: vec![0x11, 0x22], mark_as_read: 1 },
            MessageReadState { message_id: vec![0xAA, 0xBB, 0xCC], mark_as_read: 0 },
        ]
    );

    let mut b = hex("93 00 02 34 00 01 00 00 00");
    b.extend([0x11; 24]);
    b.extend([0x22; 24]);
    let RopRequest::SetLocalReplicaMidsetDeleted(m) = one(&b, &ctx) else { panic!() };
    assert_eq!(m.long_term_id_ranges.len(), 1);
    assert_eq!(m.long_term_id_ranges[0].max_long_term_id, LongTermId::from_bytes(&[0x22; 24]));

    let b = hex("78 00 01 01 00 00 00 AA 02 00 00 00 BB BB 00 00 00 00 01 00 00 00 CC 01 00 00 00 DD");
    let RopRequest::SynchronizationImportMessageMove(m) = one(&b, &ctx) else { panic!() };
    assert_eq!(m.source_message_id, vec![0xBB, 0xBB]);
    assert!(m.predecessor_change_list.is_empty());
    assert_eq!(m.change_number, vec![0xDD]);

    // WritePerUserInformation at offset 0: a private logon sends ReplGuid, a public one not.
    let mut private = hex("64 05 00");
    private.extend([0x33; 24]);
    private.extend(hex("01 00 00 00 00 02 00 AB CD"));
    let public_len = private.len();
    private.extend([0x44; 16]);
    let RopRequest::WritePerUserInformation(w) = one(&private, &ctx) else { panic!() };
    assert_eq!((w.data.as_slice(), w.repl_guid), (&[0xAB, 0xCD][..], Some(Guid([0x44; 16]))));
    let mut public_ctx = RequestContext::default();
    public_ctx.set_public(5, true);
    let RopRequest::WritePerUserInformation(w) = one(&private[..public_len], &public_ctx) else { panic!() };
    assert_eq!(w.repl_guid, None);
}

fn round_trip(x: &RopRequest, ctx: &RequestContext) -> Result<(), TestCaseError> {
    let mut w = Writer::new();
    x.encode(&mut w);
    let bytes = w.into_vec();
    let mut r = Reader::new(&bytes);
    let y = RopRequest::decode(&mut r, ctx).map_err(|e| TestCaseError::fail(format!("{e}")))?;
    prop_assert!(r.is_empty());
    prop_assert_eq!(&y, x);
    Ok(())
}

fn values() -> impl Strategy<Value = Vec<TaggedValue>> {
    proptest::collection::vec(tagged_value(), 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn rules_and_permissions_round_trip(
        rules in proptest::collection::vec((any::<u8>(), values()), 0..3),
        flag in any::<u8>(), a in blob(), b in blob(),
    ) {
        let ctx = RequestContext::default();
        round_trip(&RopRequest::ModifyRules(ModifyRulesRequest {
            logon_id: 1, input_handle_index: 2, modify_rules_flag: flag,
            rules_data: rules.iter().map(|(f, v)| RuleData { rule_data_flags: *f, property_values: v.clone() }).collect(),
        }), &ctx)?;
        round_trip(&RopRequest::ModifyPermissions(ModifyPermissionsRequest {
            logon_id: 1, input_handle_index: 2, modify_flags: flag,
            permissions_data: rules.iter().map(|(f, v)| PermissionData { permission_data_flags: *f, property_values: v.clone() }).collect(),
        }), &ctx)?;
        round_trip(&RopRequest::UpdateDeferredActionMessages(UpdateDeferredActionMessagesRequest {
            logon_id: 0, input_handle_index: 0, server_entry_id: a, client_entry_id: b,
        }), &ctx)?;
    }

    #[test]
    fn synchronization_round_trip(
        res in proptest::option::of(restriction()), v1 in values(), v2 in values(),
        blobs in proptest::collection::vec(blob(), 5), tags in proptest::collection::vec(any::<u32>(), 0..4),
        states in proptest::collection::vec((blob(), any::<u8>()), 0..4), n in any::<u32>(),
    ) {
        let ctx = RequestContext::default();
        let tags: Vec<PropTag> = tags.into_iter().map(PropTag).collect();
        for x in [
            RopRequest::SynchronizationConfigure(SynchronizationConfigureRequest {
                logon_id: 0, input_handle_index: 1, output_handle_index: 2, synchronization_type: 1,
                send_options: 0, synchronization_flags: 0x1234, restriction: res,
                synchronization_extra_flags: n, property_tags: tags.clone(),
            }),
            RopRequest::SynchronizationImportMessageChange(SynchronizationImportMessageChangeRequest {
                logon_id: 0, input_handle_index: 1, output_handle_index: 2, import_flag: 0x40, property_values: v1.clone(),
            }),
            RopRequest::SynchronizationImportHierarchyChange(SynchronizationImportHierarchyChangeRequest {
                logon_id: 0, input_handle_index: 1, hierarchy_values: v1.clone(), property_values: v2.clone(),
            }),
            RopRequest::SynchronizationImportDeletes(SynchronizationImportDeletesRequest {
                logon_id: 0, input_handle_index: 1, import_delete_flags: 2, property_values: v2,
            }),
            RopRequest::SynchronizationImportMessageMove(SynchronizationImportMessageMoveRequest {
                logon_id: 0, input_handle_index: 1, source_folder_id: blobs[0].clone(), source_message_id: blobs[1].clone(),
                predecessor_change_list: blobs[2].clone(), destination_message_id: blobs[3].clone(), change_number: blobs[4].clone(),
            }),
            RopRequest::SynchronizationImportReadStateChanges(SynchronizationImportReadStateChangesRequest {
                logon_id: 0, input_handle_index: 1,
                message_read_states: states.iter().map(|(m, r)| MessageReadState { message_id: m.clone(), mark_as_read: *r }).collect(),
            }),
            RopRequest::SynchronizationUploadStateStreamBegin(SynchronizationUploadStateStreamBeginRequest {
                logon_id: 0, input_handle_index: 1, state_property: PropTag(n), transfer_buffer_size: n,
            }),
            RopRequest::SynchronizationUploadStateStreamContinue(SynchronizationUploadStateStreamContinueRequest {
                logon_id: 0, input_handle_index: 1, stream_data: blobs[0].clone(),
            }),
            RopRequest::FastTransferSourceCopyTo(FastTransferSourceCopyToRequest {
                logon_id: 0, input_handle_index: 1, output_handle_index: 2, level: 0, copy_flags: n, send_options: 3, property_tags: tags.clone(),
            }),
            RopRequest::FastTransferSourceCopyProperties(FastTransferSourceCopyPropertiesRequest {
                logon_id: 0, input_handle_index: 1, output_handle_index: 2, level: 1, copy_flags: 2, send_options: 3, property_tags: tags,
            }),
            RopRequest::FastTransferDestinationPutBufferExtended(FastTransferDestinationPutBufferRequest {
                logon_id: 0, input_handle_index: 1, transfer_data: blobs[1].clone(),
            }),
            RopRequest::GetLocalReplicaIds(GetLocalReplicaIdsRequest { logon_id: 0, input_handle_index: 0, id_count: n }),
        ] {
            round_trip(&x, &ctx)?;
        }
    }

    #[test]
    fn per_user_round_trip(g in guid(), lt in any::<[u8; 24]>(), data in blob(), offset in prop_oneof![Just(0u32), any::<u32>()], public in any::<bool>()) {
        let mut ctx = RequestContext::default();
        ctx.set_public(7, public);
        let folder_id = LongTermId::from_bytes(&lt);
        let repl_guid = (offset == 0 && !public).then_some(g);
        for x in [
            RopRequest::GetPerUserLongTermIds(GetPerUserLongTermIdsRequest { logon_id: 7, input_handle_index: 0, database_guid: g }),
            RopRequest::GetPerUserGuid(GetPerUserGuidRequest { logon_id: 7, input_handle_index: 0, long_term_id: folder_id }),
            RopRequest::ReadPerUserInformation(ReadPerUserInformationRequest {
                logon_id: 7, input_handle_index: 0, folder_id, reserved: 0, data_offset: offset, max_data_size: 0x1000,
            }),
            RopRequest::WritePerUserInformation(WritePerUserInformationRequest {
                logon_id: 7, input_handle_index: 0, folder_id, has_finished: 1, data_offset: offset, data: data.clone(), repl_guid,
            }),
            RopRequest::SetLocalReplicaMidsetDeleted(SetLocalReplicaMidsetDeletedRequest {
                logon_id: 7, input_handle_index: 0,
                long_term_id_ranges: vec![LongTermIdRange { min_long_term_id: folder_id, max_long_term_id: folder_id }],
            }),
        ] {
            round_trip(&x, &ctx)?;
        }
    }
}

/// Every RopId MS-OXCROPS defines for requests has a request codec: nothing a client sends can
/// make the whole buffer fail for want of a decoder (a malformed request still fails).
#[test]
fn every_request_rop_has_a_codec() {
    let server_only = [RopId::Notify, RopId::Pending, RopId::Backoff, RopId::BufferTooSmall];
    for &id in RopId::ALL {
        let mut b = vec![id as u8];
        b.extend([0u8; 200]);
        match RopRequest::decode(&mut Reader::new(&b), &RequestContext::default()) {
            Ok(q) => assert_eq!(q.rop_id(), id),
            Err(e) => {
                let no_codec = e.to_string().contains("has no request codec");
                assert_eq!(no_codec, server_only.contains(&id), "{id}: {e}");
            }
        }
    }
}

/// Microsoft's MAPI Inspector (`RopFastTransferDestinationPutBufferResponse.Parse`, MS-OXCFXICS
/// 2.2.3.1.2.2.2) reads TransferStatus, InProgressCount, TotalStepCount, Reserved and
/// BufferUsedSize after ReturnValue whatever its value; a failure response therefore carries
/// them, and the next response starts after them.
#[test]
fn put_buffer_failure_response_keeps_its_fields() {
    let b = hex("54 02 02 01 04 80 00 00 00 00 00 00 00 00 00 12 01 00 00 00 00 00");
    let rs = decode_responses(&b, |_, _, _| None).unwrap();
    assert_eq!(rs.len(), 2, "{rs:?}");
    let RopResponse::FastTransferDestinationPutBuffer(o) = &rs[0] else { panic!("{rs:?}") };
    assert_eq!((o.handle_index, o.return_value), (2, 0x8004_0102));
    assert_eq!(o.body.as_ref().map(|b| b.buffer_used_size), Some(0));
    assert_eq!(rs[1].rop_id(), RopId::SetColumns);
    assert_eq!(encode_responses(&rs), b);
    // The extended form has 4-byte counts (MS-OXCFXICS 2.2.3.1.2.3.2).
    let b = hex("9D 02 02 01 04 80 00 00 00 00 00 00 00 00 00 00 00 00 00");
    let rs = decode_responses(&b, |_, _, _| None).unwrap();
    assert!(matches!(&rs[0], RopResponse::FastTransferDestinationPutBufferExtended(o) if o.body.is_some()));
    assert_eq!(encode_responses(&rs), b);
}
