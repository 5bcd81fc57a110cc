//! Property views (decode_property, decode_named) against the flag names of the specs and
//! headers they cite, MFCMAPI's samples and the acceptance scenario's PCL.

use oxmapi_core::guid::{PSETID_APPOINTMENT, PSETID_MEETING};
use oxmapi_core::named::PropertyName;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::tests::{ARP1, at, hex, i, names, s};
use crate::describe::Node;
use crate::smartview::{decode_named, decode_property};

/// Flag and enum properties: MS-OXCMSG 2.2.1.6 (MSGFLAG_READ 0x1, MSGFLAG_UNSENT 0x8);
/// PR_PROFILE_CONNECT_FLAGS 0x8024 as a published profile-creation sample comments it
/// (CONNECT_NO_NOTIFICATIONS | CONNECT_USE_SEPARATE_CONNECTION | CONNECT_IGNORE_NO_PF), and 0x2
/// CONNECT_NO_RPC_ENCRYPTION (EDKMDB.H); PR_STORE_SUPPORT_MASK's STORE_UNICODE_OK 0x40000
/// (MS-OXCSTOR 2.2.2.1.1? mapidefs.h).
#[test]
fn flag_properties() {
    let n = decode_property(PropTag(0x0E07_0003), &PropValue::I32(0x9)).unwrap();
    assert_eq!(names(&n, "names"), ["MSGFLAG_READ", "MSGFLAG_UNSENT"]);
    let n = decode_property(PropTag(0x6604_0003), &PropValue::I32(0x8024)).unwrap();
    assert_eq!(
        names(&n, "names"),
        ["CONNECT_USE_SEPARATE_CONNECTION", "CONNECT_NO_NOTIFICATIONS", "CONNECT_IGNORE_NO_PF"]
    );
    let n = decode_property(PropTag(0x6604_0003), &PropValue::I32(0x2)).unwrap();
    assert_eq!(names(&n, "names"), ["CONNECT_NO_RPC_ENCRYPTION"]);
    let n = decode_property(PropTag(0x340D_0003), &PropValue::I32(0x40000)).unwrap();
    assert_eq!(names(&n, "names"), ["STORE_UNICODE_OK"]);
    let n = decode_property(PropTag(0x0C15_0003), &PropValue::I32(0x1000_0001)).unwrap();
    assert_eq!(s(&n, "kind.name"), "MAPI_TO");
    assert_eq!(names(&n, "flags.names"), ["MAPI_P1"]);
    let n = decode_property(PropTag(0x0026_0003), &PropValue::I32(-1)).unwrap();
    assert_eq!(s(&n, "name"), "PRIO_NONURGENT");
    assert!(decode_property(PropTag(0x0037_001F), &PropValue::Unicode("x".into())).is_none());
}

/// Binary and id properties: PidTagPredecessorChangeList (the acceptance PCL), PidTagMid
/// (MS-OXCDATA 2.2.1.2 layout), PR_ENTRYID (MFCMAPI In/4-eid1.dat), a time (MFCMAPI
/// Out/3-ci-out1.txt's FILETIME) and the named PidLidAppointmentRecur and PidLidGlobalObjectId
/// (MFCMAPI In/2-arp1.dat, In/10-goid1.txt).
#[test]
fn binary_and_named_properties() {
    let pcl = hex("16c0c515906d9eb24880a114ad3085010c000000000001");
    let n = decode_property(PropTag(0x65E3_0102), &PropValue::Binary(pcl)).unwrap();
    assert!(s(&n, "xids.0.xid.namespace_guid").contains("9015C5C0"));
    let mid = i64::from_le_bytes([0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x9E, 0xBE]);
    let n = decode_property(PropTag(0x674A_0014), &PropValue::I64(mid)).unwrap();
    assert_eq!(s(&n, "id"), "0001-000000019ebe");
    let n = decode_property(PropTag(0x0FFF_0102), &PropValue::Binary(hex("0000000038A1BB1005E5101AA1BB08002B2A56C20000454D534D44422E444C4C00000000000000001B55FA20AA6611CD9BC800AA002FC45A0C000000424F4F4558324B370000"))).unwrap();
    assert_eq!(s(&n, "server_name"), "BOOEX2K7");
    let n =
        decode_property(PropTag(0x3007_0040), &PropValue::SysTime(FileTime(0x01CA_E55B_20E5_0000))).unwrap();
    assert!(s(&n, "utc").starts_with("2010-04-26T16:11:29"));
    assert!(matches!(at(&n, "local"), Node::Str(_)));
    let recur = PropertyName::id(PSETID_APPOINTMENT, 0x8216);
    let n = decode_named(&recur, &PropValue::Binary(hex(ARP1))).unwrap();
    assert_eq!(i(&n, "exception_count"), 1);
    let goid = PropertyName::id(PSETID_MEETING, 0x0003);
    let b = hex(
        "040000008200E00074C5B7101A82E00800000000F0DB09F532E5CA01000000000000000010000000E73C73F73F1C3941BDD6450F640703F3",
    );
    let n = decode_named(&goid, &PropValue::Binary(b)).unwrap();
    assert_eq!(i(&n, "size"), 16);
}
