//! SmartView decoders against published samples. Most inputs and expected decodings are
//! MFCMAPI's SmartView unit test data (microsoft/mfcmapi, UnitTest/SmartViewTestData/In/*.dat
//! or *.txt and Out/*-out*.txt); each test names its files. Others come from the
//! specification's text, cited where used.

use proptest::prelude::*;

use super::{KINDS, parse};
use crate::describe::Node;

pub(super) fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

/// The node at a path of map keys and list indexes.
pub(super) fn at<'a>(n: &'a Node, path: &str) -> &'a Node {
    path.split('.').fold(n, |n, k| match n {
        Node::Map(m) => &m.iter().find(|(key, _)| key == k).unwrap_or_else(|| panic!("no {k} in {n:?}")).1,
        Node::List(v) => &v[k.parse::<usize>().unwrap_or_else(|_| panic!("{k} is not an index in {n:?}"))],
        other => panic!("{k}: not a map or list: {other:?}"),
    })
}

pub(super) fn s<'a>(n: &'a Node, path: &str) -> &'a str {
    match at(n, path) {
        Node::Str(s) => s,
        other => panic!("{path}: not text: {other:?}"),
    }
}

pub(super) fn i(n: &Node, path: &str) -> i128 {
    match at(n, path) {
        Node::Int(v) => *v,
        other => panic!("{path}: not an integer: {other:?}"),
    }
}

pub(super) fn names(n: &Node, path: &str) -> Vec<String> {
    match at(n, path) {
        Node::List(v) => {
            v.iter().map(|x| if let Node::Str(s) = x { s.clone() } else { panic!("{x:?}") }).collect()
        }
        other => panic!("{path}: not a list: {other:?}"),
    }
}

pub(super) fn len(n: &Node, path: &str) -> usize {
    match at(n, path) {
        Node::List(v) => v.len(),
        other => panic!("{path}: not a list: {other:?}"),
    }
}

/// The acceptance scenario's PCL (issue 20): one SizedXid of 0x16 bytes, whose GUID is
/// {9015C5C0-9E6D-48B2-80A1-14AD3085010C} in MS-DTYP 2.3.4.2 byte order and whose LocalId is
/// the 6 bytes 000000000001 (MS-OXCFXICS 2.2.2.3, 2.2.2.4).
#[test]
fn pcl_acceptance() {
    let n = parse("pcl", &hex("16c0c515906d9eb24880a114ad3085010c000000000001")).unwrap();
    assert_eq!(i(&n, "count"), 1);
    assert_eq!(i(&n, "xids.0.xid_size"), 0x16);
    assert_eq!(s(&n, "xids.0.xid.namespace_guid"), "{9015C5C0-9E6D-48B2-80A1-14AD3085010C}");
    assert_eq!(s(&n, "xids.0.xid.local_id"), "000000000001");
}

/// MFCMAPI Out/30-PCL-out1.txt: Count 1, XidSize 0x14, NamespaceGuid
/// {9D8647F2-3674-4FE6-A4CC-56F8B4809280}, LocalId 00000006 (the input file is not published
/// in text; its bytes are laid out from the output per MS-OXCFXICS 2.2.2.3).
#[test]
fn pcl_mfcmapi() {
    let n = parse("pcl", &hex("14 f247869d 7436 e64f a4cc56f8b4809280 00000006")).unwrap();
    assert_eq!(i(&n, "xids.0.xid_size"), 20);
    assert_eq!(s(&n, "xids.0.xid.namespace_guid"), "{9D8647F2-3674-4FE6-A4CC-56F8B4809280}");
    assert_eq!(s(&n, "xids.0.xid.local_id"), "00000006");
    // a size outside 17..=24 is refused (MS-OXCFXICS 2.2.2.2)
    assert!(parse("pcl", &hex("10 f247869d7436e64fa4cc56f8b4809280")).is_err());
}

/// MFCMAPI In/32-XID1.dat, Out/32-XID-out1.txt.
#[test]
fn xid_mfcmapi() {
    let b = hex("14583767B6346D41A95E06FFF0D886A800000004C755");
    let n = parse("xid", &b).unwrap();
    assert_eq!(s(&n, "namespace_guid"), "{67375814-34B6-416D-A95E-06FFF0D886A8}");
    assert_eq!(s(&n, "local_id"), "00000004c755");
    // The same 22 bytes read as a GID (MS-OXCFXICS 2.2.1.2.5: a source key is an XID whose
    // LocalId is a 6-byte global counter).
    let g = parse("gid", &b).unwrap();
    assert_eq!(s(&g, "database_guid"), "{67375814-34B6-416D-A95E-06FFF0D886A8}");
    assert_eq!(s(&g, "global_counter"), "0x00000004c755");
}

/// MS-OXCDATA 2.2.1.1: a Folder ID is ReplicaId (2 bytes, little-endian) then GlobalCounter
/// (6 bytes, big-endian); the counter is MFCMAPI Out/5-el-out1.txt's folder (000000019EBE).
#[test]
fn fid_and_long_term_id() {
    let n = parse("fid", &hex("0100 000000019EBE")).unwrap();
    assert_eq!(s(&n, "id"), "0001-000000019ebe");
    assert_eq!(s(&n, "replica_id"), "0x0001");
    assert_eq!(s(&n, "global_counter"), "0x000000019ebe");
    assert!(parse("mid", &hex("0100")).is_err());
    // MS-OXCDATA 2.2.1.3.1 LongTermID: DatabaseGuid, GlobalCounter, Pad; the database GUID of
    // the same folder, {865CFA85-E6FC-11D1-A3A6-0008C728E7F1} (Out/5-el-out1.txt).
    let l = parse("long-term-id", &hex("85FA5C86FCE6D111A3A60008C728E7F1 000000019EBE 0000")).unwrap();
    assert_eq!(s(&l, "database_guid"), "{865CFA85-E6FC-11D1-A3A6-0008C728E7F1}");
    assert_eq!(s(&l, "global_counter"), "000000019ebe");
}

/// MS-OXPROPS 1.3.2: PSETID_Appointment is {00062002-0000-0000-C000-000000000046}.
#[test]
fn guid_well_known() {
    let n = parse("guid", &hex("02200600 0000 0000 C000000000000046")).unwrap();
    assert_eq!(s(&n, "guid"), "{00062002-0000-0000-C000-000000000046}");
    assert!(s(&n, "name").contains("Appointment"), "{n:?}");
}

/// MFCMAPI Out/3-ci-out1.txt: FILETIME Low 0x20E50000 High 0x01CAE55B is 04:11:29.014 PM
/// 4/26/2010 (UTC).
#[test]
fn filetime_utc_and_local() {
    let n = parse("filetime", &0x01CA_E55B_20E5_0000u64.to_le_bytes()).unwrap();
    assert!(s(&n, "utc").starts_with("2010-04-26T16:11:29.014"), "{n:?}");
    assert!(s(&n, "local").starts_with("2010-04-26T"), "{n:?}");
    assert_eq!(s(&n, "filetime"), "0x01cae55b20e50000");
}

/// MS-OXCPRPT 2.2.1.9 / MS-OXOABK 2.2.3.? : a recipient's search key is the address type, a
/// colon and the address, upper case, with a NUL; a message's is 16 bytes (the search key of
/// MFCMAPI Out/15-ReportTag-out1.txt).
#[test]
fn search_key_forms() {
    let n = parse("searchkey", b"SMTP:ALICE@EXAMPLE.COM\0").unwrap();
    assert_eq!(s(&n, "address_type"), "SMTP");
    assert_eq!(s(&n, "address"), "ALICE@EXAMPLE.COM");
    let n = parse("searchkey", &hex("E866555BC88F2E4AB665769B02770F90")).unwrap();
    assert_eq!(s(&n, "form"), "guid");
}

/// MFCMAPI In/3-ci1.txt, Out/3-ci-out1.txt.
#[test]
fn conversation_index_mfcmapi() {
    let n =
        parse("conversation-index", &hex("01CAE55B20E5FEE284D557D84277BAB585FBD4BB2BE900006F3E90")).unwrap();
    assert_eq!(s(&n, "reserved"), "0x01");
    assert!(s(&n, "time.utc").starts_with("2010-04-26T16:11:29.014"), "{n:?}");
    assert_eq!(s(&n, "guid"), "{FEE284D5-57D8-4277-BAB5-85FBD4BB2BE9}");
    assert_eq!(i(&n, "response_levels.0.delta_code"), 0);
    assert_eq!(s(&n, "response_levels.0.time_delta"), "0x00006f3e");
    assert_eq!(i(&n, "response_levels.0.random"), 9);
    assert_eq!(i(&n, "response_levels.0.response_level"), 0);
}

pub(super) const ARP1: &str = "043004300B2001000000C021000002000000000000001000000021200000120000000000000004000000806ADB0C40B9DB0C0008DC0CC056DC0C01000000806ADB0C80F4D80CA056DE0C063000000930000066030000A20300000100E66DDB0C226EDB0CE66DDB0C820201000000000000000000000004000000800100000000000000000000";

/// MFCMAPI In/20-SID3.dat, Out/20-sid-out3.txt: NT AUTHORITY\SYSTEM, S-1-5-18 (SDDL alias SY,
/// MS-DTYP 2.4.2.4).
#[test]
fn sid_mfcmapi() {
    let n = parse("sid", &hex("010100000000000512000000")).unwrap();
    assert_eq!(s(&n, "sid"), "S-1-5-18");
    assert_eq!(s(&n, "alias"), "SY");
}

/// MFCMAPI In/19-sd1.txt, Out/19-sd-out1.txt: a folder's PR_NT_SECURITY_DESCRIPTOR with the
/// transfer header (version 3) and six ACEs.
#[test]
fn security_descriptor_mfcmapi() {
    let n = parse("security-descriptor", &hex("080003000000000001000780F40000000001000000000000140000000200E0000600000000092400A9081200010500000000000515000000271A6C07352F372AAD20FA5B019301000109240016071F00010500000000000515000000271A6C07352F372AAD20FA5B0193010001092400BF0F1F00010500000000000515000000271A6C07352F372AAD20FA5BAA830B0000022400A9081200010500000000000515000000271A6C07352F372AAD20FA5B019301000102240016C90D00010500000000000515000000271A6C07352F372AAD20FA5B0193010001022400BFC91F00010500000000000515000000271A6C07352F372AAD20FA5BAA830B0001010000000000051200000001020000000000052000000020020000")).unwrap();
    assert_eq!(s(&n, "version"), "SECURITY_DESCRIPTOR_TRANSFER_VERSION");
    assert_eq!(s(&n, "security_information"), "0x00000000");
    let d = at(&n, "descriptor");
    assert_eq!(i(d, "dacl.ace_count"), 6);
    let a0 = at(d, "dacl.aces.0");
    assert_eq!(s(a0, "sid.sid"), "S-1-5-21-124525095-708259637-1543119021-103169");
    assert_eq!(s(a0, "type.name"), "ACCESS_ALLOWED_ACE_TYPE");
    assert_eq!(names(a0, "flags.names"), ["OBJECT_INHERIT_ACE", "INHERIT_ONLY_ACE"]);
    assert_eq!(s(a0, "mask.value"), "0x001208a9");
    assert_eq!(
        names(a0, "mask.names"),
        [
            "fsdrightReadBody",
            "fsdrightReadProperty",
            "fsdrightExecute",
            "fsdrightReadAttributes",
            "fsdrightViewItem",
            "fsdrightReadControl",
            "fsdrightSynchronize"
        ]
    );
    assert_eq!(s(d, "dacl.aces.1.type.name"), "ACCESS_DENIED_ACE_TYPE");
    assert_eq!(s(d, "dacl.aces.1.mask.value"), "0x001f0716");
    assert_eq!(s(d, "dacl.aces.2.sid.sid"), "S-1-5-21-124525095-708259637-1543119021-754602");
    assert_eq!(names(d, "dacl.aces.3.flags.names"), ["CONTAINER_INHERIT_ACE"]);
    // owner S-1-5-18 and group S-1-5-32-544 (MS-DTYP 2.4.2.4: SY, BA), ACEs in SDDL (2.5.1)
    assert_eq!(s(d, "owner.sid"), "S-1-5-18");
    assert_eq!(s(d, "group.alias"), "BA");
    assert!(
        s(d, "sddl").starts_with(
            "O:SYG:BAD:(A;OIIO;0x1208a9;;;S-1-5-21-124525095-708259637-1543119021-103169)(D;OIIO;0x1f0716;;;"
        ),
        "{}",
        s(d, "sddl")
    );
}

/// MFCMAPI Out/16-res-out1.txt: a ContentRestriction, FL_PHRASE_MATCH | FL_IGNORECASE |
/// FL_SUBSTRING (0x00010021) on PR_SUBJECT_W, value "Test". MFCMAPI's input file is its own
/// in-memory layout; the bytes here are the same restriction in the ROP form of PidTagRuleCondition
/// (MS-OXCDATA 2.12.4: RestrictType 0x03, FuzzyLevelLow, FuzzyLevelHigh, PropertyTag,
/// TaggedValue).
#[test]
fn rule_condition_content() {
    let n = parse("rule-condition", &hex("03 2100 0100 1F003700 1F003700 5400650073007400 0000")).unwrap();
    assert_eq!(s(&n, "type"), "ContentRestriction");
    assert_eq!(s(&n, "fuzzy_level_low"), "0x0021");
    assert_eq!(s(&n, "fuzzy_level_high"), "0x0001");
    assert_eq!(s(&n, "property.tag"), "0x0037001f");
    assert_eq!(s(&n, "value.value"), "Test");
}

/// sensepost/ruler `mapi/mapi.go` ExecuteMailRuleAdd: one OP_DEFER_ACTION block with no data
/// (MS-OXORULE 2.2.5).
#[test]
fn rule_action_ruler() {
    let n = parse("rule-action", &hex("01 00 09 00 05 00 00 00 00 00 00 00 00")).unwrap();
    assert_eq!(i(&n, "action_count"), 1);
    assert_eq!(s(&n, "actions.0.action_type.name"), "OP_DEFER_ACTION");
}

/// MFCMAPI In/7-exrule1.txt, Out/7-exrule-out1.txt.
#[test]
fn extended_rule_condition_mfcmapi() {
    let n = parse("extended-rule-condition", &hex("0000000200000001020000000100000000000200000001020000000002000000080300764004020300764003007640FFFFFFFF01000000000201020000000100000000090D00120E01000000000201030000000100000000090D00120E01000000000100000000")).unwrap();
    assert_eq!(len(&n, "named_properties"), 0);
    let r = at(&n, "restriction");
    assert_eq!(s(r, "type"), "AndRestriction");
    assert_eq!(s(r, "restrictions.0.type"), "OrRestriction");
    let inner = at(r, "restrictions.0.restrictions.1.restrictions.0.restrictions.0");
    assert_eq!(s(inner, "restrictions.0.type"), "ExistRestriction");
    assert_eq!(s(inner, "restrictions.0.property.tag"), "0x40760003");
    assert_eq!(s(inner, "restrictions.1.relop"), "RELOP_GT");
    assert_eq!(i(inner, "restrictions.1.value.value"), -1);
    assert_eq!(s(r, "restrictions.1.type"), "NotRestriction");
    assert_eq!(len(r, "restrictions.1.restriction.restrictions"), 3);
    assert_eq!(s(r, "restrictions.1.restriction.restrictions.1.subobject.tag"), "0x0e12000d");
}

/// MFCMAPI In/34-EXRULEACTION1.dat: one named property (PS_PUBLIC_STRINGS,
/// "http://schemas.microsoft.com/exchange/junkemailmovestamp", id 0x837E), RuleVersion 1, and
/// one OP_MOVE whose folder is in another store (MS-OXORULE 2.2.4.1.9, 2.2.4.2, 2.2.5.1.2.1).
#[test]
fn extended_rule_action_mfcmapi() {
    let n = parse("extended-rule-action", &hex("01007E8384000000012903020000000000C0000000000000467268007400740070003A002F002F0073006300680065006D00610073002E006D006900630072006F0073006F00660074002E0063006F006D002F00650078006300680061006E00670065002F006A0075006E006B0065006D00610069006C006D006F00760065007300740061006D007000000001000000020000004F000000010000000000000000100000006A07EF6249312049B80C4C3EE1CF26982E00000000000000C31A1BB1FC55D34693186631C218FEB60100CDC2D035C80A7848AA532A41B8AAE17F00000000012200001100000009000000000000000003007E830ADC7B37")).unwrap();
    assert_eq!(s(&n, "named_properties.0.prop_id"), "0x837e");
    assert_eq!(
        s(&n, "named_properties.0.name.name"),
        "http://schemas.microsoft.com/exchange/junkemailmovestamp"
    );
    assert_eq!(i(&n, "rule_version"), 1);
    let a = at(&n, "rule_action");
    assert_eq!(i(a, "action_count"), 2);
    assert_eq!(s(a, "actions.0.action_type.name"), "OP_MOVE");
    assert_eq!(s(a, "actions.1.action_type.name"), "OP_TAG");
}

/// MFCMAPI Out/6-eff-out1.txt: ExtendedFlags 0x00100000 and an unknown subproperty 6 of four
/// bytes 03000000 (laid out per MS-OXOCFG 2.2.7.1: Id, Cb, Data).
#[test]
fn extended_folder_flags() {
    let n = parse("extended-folder-flags", &hex("01 04 00001000 06 04 03000000")).unwrap();
    assert_eq!(i(&n, "count"), 2);
    assert_eq!(s(&n, "subproperties.0.id.name"), "ExtendedFlags");
    assert_eq!(s(&n, "subproperties.0.data"), "0x00100000");
    assert_eq!(at(&n, "subproperties.1.id.name"), &Node::Null);
    assert_eq!(s(&n, "subproperties.1.data"), "03000000");
}

/// MFCMAPI In/24-WebView1.txt, Out/24-WebView-out1.txt.
#[test]
fn webview_mfcmapi() {
    let n = parse("webview-info", &hex("020000000100000001000000000000000000000000000000000000000000000000000000000000003200000068007400740070003A002F002F007700770077002E006D006900630072006F0073006F00660074002E0063006F006D000000")).unwrap();
    assert_eq!(i(&n, "count"), 1);
    assert_eq!(s(&n, "views.0.version"), "0x00000002");
    assert_eq!(s(&n, "views.0.type.name"), "WEBVIEWURL");
    assert_eq!(names(&n, "views.0.flags.names"), ["WEBVIEW_FLAGS_SHOWBYDEFAULT"]);
    assert_eq!(i(&n, "views.0.data_size"), 0x32);
    assert_eq!(s(&n, "views.0.url"), "http://www.microsoft.com");
}

/// MFCMAPI In/12-propdef3.txt, Out/12-propdef-out3.txt.
#[test]
fn property_definition_stream_mfcmapi() {
    let n = parse("property-definition-stream", &hex("0301080000004D0000000500000000000B0063006F006D0062006F006E0075006D006200650072000B636F6D626F6E756D626572155B4E756D65726F5D202F5B70657263656E746F5D2000000001000000170000000B63006F006D0062006F006E0075006D006200650072000000000045000000050000000000050066006C00610072006B0005666C61726B00023E32094E6F7420226269672200010000000B0000000566006C00610072006B000000000045000000080000000000040066006F006F006B0004666F6F6B0000000000000000090000000466006F006F006B0000000000000000000800348500000000074D696C65616765000C226D696C73646764737372220000000000000F000000074D0069006C006500610067006500000000004100000005000000000006004E0075006D00650072006F00064E756D65726F023332000000010000000D000000064E0075006D00650072006F00000000004D0000000500000000000800700065007200630065006E0074006F000870657263656E746F00000000010000001100000008700065007200630065006E0074006F0000000000440000000800370000000000075375626A6563740D2253477A64786866676B757922000000000000000F000000075300750062006A00650063007400000000004C0000000800040E0000000002546F08227364677364672207226473616667220622736164672200FFFFFFFF050000000254006F0000000000")).unwrap();
    assert_eq!(s(&n, "version.name"), "PropDefV2");
    assert_eq!(i(&n, "field_count"), 8);
    let f0 = at(&n, "fields.0");
    assert_eq!(
        names(f0, "flags.names"),
        ["PDO_IS_CUSTOM", "PDO_PRINT_SAVEAS", "PDO_CALC_AUTO", "PDO_PRINT_SAVEAS_DEF"]
    );
    assert_eq!(s(f0, "vt"), "0x0005");
    assert_eq!(s(f0, "nmid_name"), "combonumber");
    assert_eq!(s(f0, "formula"), "[Numero] /[percento] ");
    assert_eq!(s(f0, "internal_type"), "0x00000001");
    assert_eq!(s(f0, "name_unicode"), "combonumber");
    assert_eq!(s(&n, "fields.1.validation_text"), "Not \"big\"");
    assert_eq!(s(&n, "fields.3.dispid"), "0x00008534");
    assert_eq!(s(&n, "fields.3.name"), "Mileage");
    assert_eq!(s(&n, "fields.7.name"), "To");
    assert_eq!(s(&n, "fields.7.validation_rule"), "\"dsafg\"");
    assert_eq!(s(&n, "fields.7.internal_type"), "0xffffffff");
}

#[test]
fn unknown_kind_is_an_error() {
    assert!(parse("no-such-kind", &[]).is_err());
    assert!(KINDS.len() >= 25);
}

proptest! {
    /// Every decoder answers Ok or Err on any bytes, without panicking.
    #[test]
    fn every_kind_survives_random_bytes(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        for (k, _) in KINDS {
            let _ = parse(k, &b);
        }
    }

    /// The same, on random bytes behind a valid prefix (so that the decoders get past their
    /// headers).
    #[test]
    fn every_kind_survives_mutated_samples(idx in 0usize..4, cut in 0usize..200, flip in any::<u8>(), at_ in 0usize..200) {
        let samples = [hex(ARP1), hex("16c0c515906d9eb24880a114ad3085010c000000000001"), hex("080003000000000001000780F4000000"), hex("0301080000004D0000000500000000000B00")];
        let mut b = samples[idx].clone();
        if !b.is_empty() {
            let p = at_ % b.len();
            b[p] ^= flip;
            b.truncate(cut.min(b.len()));
        }
        for (k, _) in KINDS {
            let _ = parse(k, &b);
        }
    }
}

/// MS-DTYP 2.5.1.4 "SDDL String to Binary Security Descriptor Examples": the binary form of
/// O:BAG:BAD:P(A;CIOI;GRGX;;;BU)(A;CIOI;GA;;;BA)(A;CIOI;GA;;;SY)(A;CIOI;GA;;;CO)S:P(AU;FA;GR;;;WD)
/// (a bare self-relative descriptor; the ACE flags come out as OICI, the same two flags).
#[test]
fn security_descriptor_ms_dtyp_example() {
    let n = parse(
        "security-descriptor",
        &hex("01 00 14 b0 90 00 00 00 a0 00 00 00 14 00 00 00
              30 00 00 00 02 00 1c 00 01 00 00 00 02 80 14 00
              00 00 00 80 01 01 00 00 00 00 00 01 00 00 00 00
              02 00 60 00 04 00 00 00 00 03 18 00 00 00 00 a0
              01 02 00 00 00 00 00 05 20 00 00 00 21 02 00 00
              00 03 18 00 00 00 00 10 01 02 00 00 00 00 00 05
              20 00 00 00 20 02 00 00 00 03 14 00 00 00 00 10
              01 01 00 00 00 00 00 05 12 00 00 00 00 03 14 00
              00 00 00 10 01 01 00 00 00 00 00 03 00 00 00 00
              01 02 00 00 00 00 00 05 20 00 00 00 20 02 00 00
              01 02 00 00 00 00 00 05 20 00 00 00 20 02 00 00"),
    )
    .unwrap();
    assert_eq!(
        s(&n, "sddl"),
        "O:BAG:BAD:P(A;OICI;GRGX;;;BU)(A;OICI;GA;;;BA)(A;OICI;GA;;;SY)(A;OICI;GA;;;CO)S:P(AU;FA;GR;;;WD)"
    );
    assert_eq!(i(&n, "dacl.ace_count"), 4);
    assert_eq!(s(&n, "sacl.aces.0.type.name"), "SYSTEM_AUDIT_ACE_TYPE");
    assert_eq!(s(&n, "sacl.aces.0.sid.sid"), "S-1-1-0");
}

/// MFCMAPI In/31-FreeBusySID2.txt, Out/31-FreeBusySID-out2.txt: a free/busy descriptor whose
/// ACEs grant fsdrightFreeBusySimple | fsdrightFreeBusyDetailed (0x3) and
/// fsdrightFreeBusySimple (0x1) to Everyone (S-1-1-0).
#[test]
fn freebusy_security_descriptor_mfcmapi() {
    let n = parse("freebusy-security-descriptor", &hex("0800030000000000010004801400000020000000000000002C00000001010000000000051200000001010000000000051200000002004000020000000002240003000000010500000000000515000000EFA475449104D8672FCB86C2AF8B30000002140001000000010100000000000100000000")).unwrap();
    let d = at(&n, "descriptor");
    assert_eq!(s(d, "dacl.aces.0.sid.sid"), "S-1-5-21-1148560623-1742210193-3263613743-3181487");
    assert_eq!(names(d, "dacl.aces.0.flags.names"), ["CONTAINER_INHERIT_ACE"]);
    assert_eq!(names(d, "dacl.aces.0.mask.names"), ["fsdrightFreeBusySimple", "fsdrightFreeBusyDetailed"]);
    assert_eq!(s(d, "dacl.aces.1.sid.alias"), "WD");
    assert_eq!(names(d, "dacl.aces.1.mask.names"), ["fsdrightFreeBusySimple"]);
}
