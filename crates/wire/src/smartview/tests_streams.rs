//! SmartView stream decoders (verb stream, folder user fields, nickname cache) against the
//! specification's example (MS-OXOMSG 4.5) and MFCMAPI's SmartView samples (microsoft/mfcmapi,
//! UnitTest/SmartViewTestData; each test names its In and Out files).

use super::tests::{hex, i, len, s};
use crate::smartview::parse;

/// MS-OXOMSG 4.5 "Sending a Message with Voting Options": the PidLidVerbStream of a message
/// with Yes, No and Maybe voting options (section 2.2.1.74).
#[test]
fn verb_stream_spec_example() {
    let n = parse(
        "verb-stream",
        &hex("02 01 03 00 00 00 04 00 00 00 03 59 65 73 08 49
              50 4D 2E 4E 6F 74 65 00 03 59 65 73 00 00 00 00
              00 00 00 00 00 01 00 00 00 02 00 00 00 02 00 00
              00 01 00 00 00 FF FF FF FF 04 00 00 00 02 4E 6F
              08 49 50 4D 2E 4E 6F 74 65 00 02 4E 6F 00 00 00
              00 00 00 00 00 00 01 00 00 00 02 00 00 00 02 00
              00 00 02 00 00 00 FF FF FF FF 04 00 00 00 05 4D
              61 79 62 65 08 49 50 4D 2E 4E 6F 74 65 00 05 4D
              61 79 62 65 00 00 00 00 00 00 00 00 00 01 00 00
              00 02 00 00 00 02 00 00 00 03 00 00 00 FF FF FF
              FF 04 01 03 59 00 65 00 73 00 03 59 00 65 00 73
              00 02 4E 00 6F 00 02 4E 00 6F 00 05 4D 00 61 00
              79 00 62 00 65 00 05 4D 00 61 00 79 00 62 00 65
              00"),
    )
    .unwrap();
    assert_eq!(s(&n, "version"), "0x0102");
    assert_eq!(i(&n, "count"), 3);
    assert_eq!(s(&n, "verbs.0.verb_type"), "0x00000004");
    assert_eq!(s(&n, "verbs.0.display_name"), "Yes");
    assert_eq!(s(&n, "verbs.0.message_class"), "IPM.Note");
    assert_eq!(s(&n, "verbs.0.internal1"), "");
    assert_eq!(s(&n, "verbs.0.send_behavior"), "0x00000002");
    assert_eq!(i(&n, "verbs.0.id.value"), 1);
    assert_eq!(s(&n, "verbs.0.internal6"), "0xffffffff");
    assert_eq!(i(&n, "verbs.2.id.value"), 3);
    assert_eq!(s(&n, "version2"), "0x0104");
    assert_eq!(s(&n, "extra.2.display_name"), "Maybe");
    assert_eq!(s(&n, "extra.1.display_name_repeat"), "No");
}

/// MFCMAPI In/28-VerbStream2.dat, Out/28-VerbStream-out2.txt: Reply, Reply to All, Forward,
/// Reply to Folder.
#[test]
fn verb_stream_mfcmapi() {
    let n = parse("verb-stream", &hex("02010400000000000000055265706C790849504D2E4E6F7465074D6573736167650252450500000000000000000100000000000000020000006600000002000000010000000C5265706C7920746F20416C6C0849504D2E4E6F7465074D65737361676502524505000000000000000001000000000000000200000067000000030000000200000007466F72776172640849504D2E4E6F7465074D6573736167650246570500000000000000000100000000000000020000006800000004000000030000000F5265706C7920746F20466F6C6465720849504D2E506F737404506F7374000500000000000000000100000000000000020000006C000000080000000401055200650070006C00790002520045000C5200650070006C007900200074006F00200041006C006C0002520045000746006F007200770061007200640002460057000F5200650070006C007900200074006F00200046006F006C0064006500720000")).unwrap();
    assert_eq!(i(&n, "count"), 4);
    assert_eq!(s(&n, "verbs.0.display_name"), "Reply");
    assert_eq!(s(&n, "verbs.0.internal1"), "Message");
    assert_eq!(s(&n, "verbs.0.display_name_repeat"), "RE");
    assert_eq!(s(&n, "verbs.0.id.name"), "NOTEIVERB_REPLYTOSENDER");
    assert_eq!(s(&n, "verbs.1.id.name"), "NOTEIVERB_REPLYTOALL");
    assert_eq!(s(&n, "verbs.2.display_name_repeat"), "FW");
    assert_eq!(s(&n, "verbs.3.message_class"), "IPM.Post");
    assert_eq!(s(&n, "verbs.3.id.name"), "NOTEIVERB_REPLYTOFOLDER");
    assert_eq!(s(&n, "verbs.3.internal6"), "0x00000008");
    assert_eq!(s(&n, "extra.1.display_name"), "Reply to All");
    assert_eq!(s(&n, "extra.3.display_name_repeat"), "");
}

/// MFCMAPI In/9-fuf1.txt, Out/9-fuf-out1.txt.
#[test]
fn folder_user_fields_mfcmapi() {
    let n = parse("folder-user-fields", &hex("02000000010000000A00546578744669656C64312903020000000000C00000000000004607000080000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002000000010000000A0054006500780074004600690065006C00640031002903020000000000C000000000000046070000800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")).unwrap();
    assert_eq!(len(&n, "ansi"), 2);
    assert_eq!(s(&n, "ansi.0.type.name"), "ftString");
    assert_eq!(s(&n, "ansi.0.name"), "TextField1");
    assert_eq!(s(&n, "ansi.0.property_set.guid"), "{00020329-0000-0000-C000-000000000046}");
    assert_eq!(s(&n, "ansi.0.capabilities.value"), "0x80000007");
    assert_eq!(s(&n, "ansi.1.type.name"), "ftNull");
    assert_eq!(s(&n, "ansi.1.property_set"), "{00000000-0000-0000-0000-000000000000}");
    assert_eq!(len(&n, "unicode"), 2);
    assert_eq!(s(&n, "unicode.0.name"), "TextField1");
    assert_eq!(s(&n, "unicode.0.formula"), "");
}

/// MFCMAPI In/25-NickName2.txt, Out/25-NickName-out2.txt: two rows of 23 properties.
#[test]
fn nickname_cache_mfcmapi() {
    let n = parse("nickname-cache", &hex(include_str!("tests_nickname2.hex"))).unwrap();
    assert_eq!((i(&n, "major_version"), i(&n, "minor_version"), i(&n, "row_count")), (10, 1, 2));
    assert_eq!(len(&n, "rows.0"), 23);
    assert_eq!(s(&n, "rows.0.0.tag"), "0x6001001f");
    assert_eq!(s(&n, "rows.0.0.value"), "janesmith@contoso.org");
    assert_eq!(s(&n, "rows.0.1.view.kind.name"), "MAPI_TO");
    assert_eq!(s(&n, "rows.0.2.value.name"), "MAPI_E_NOT_FOUND");
    assert_eq!(s(&n, "rows.0.7.view.address"), "JANESMITH@CONTOSO.ORG");
    assert_eq!(s(&n, "rows.0.9.view.kind"), "one-off");
    assert_eq!(s(&n, "rows.0.9.view.email_address"), "janesmith@contoso.org");
    assert_eq!(s(&n, "rows.0.10.view.name"), "MAPI_MAILUSER");
    assert_eq!(s(&n, "rows.1.0.value"), "johndoe@contoso.com");
    assert_eq!(i(&n, "rows.1.22.value"), 16384);
    assert_eq!(s(&n, "extra_info"), "");
    assert_eq!(s(&n, "metadata2"), "504df47d72b6ca01");
}
