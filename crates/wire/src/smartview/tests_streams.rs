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
    // dwBitmask 0x90010000 = MAPI_UNICODE | MAPI_SEND_NO_RICH_INFO | OOP_DONT_LOOKUP
    assert_eq!(
        super::tests::names(&n, "rows.0.9.view.one_off_flags.names"),
        ["MAPI_UNICODE", "OOP_DONT_LOOKUP", "MAPI_SEND_NO_RICH_INFO"]
    );
    assert_eq!(s(&n, "rows.0.10.view.name"), "MAPI_MAILUSER");
    assert_eq!(s(&n, "rows.1.0.value"), "johndoe@contoso.com");
    assert_eq!(i(&n, "rows.1.22.value"), 16384);
    assert_eq!(s(&n, "extra_info"), "");
    assert_eq!(s(&n, "metadata2"), "504df47d72b6ca01");
}

/// MFCMAPI In/13-RecipRow1.txt, Out/13-RecipRow-out1.txt: one row of 31 properties.
#[test]
fn recipient_row_stream_mfcmapi() {
    let n = parse("recipient-row-stream", &hex("01000000 01000000 1F000000 00000000 0300150C010000000B000F0E00000A00F90F0F0104800300FE0F060000000201FF0F530000000000DCA740C8C042101AB4B908002B2FE18201000000000000002F4F3D4D4943524F534F46542F4F553D536F6D657468696E672F636E3D526563697069656E74732F636E3D736F6D656F6E6565656565001F00013020004D0069007300740065007200200053006F006D00650062006F006400790000001F00023006004500580000001F0003306E002F004F003D004D004900430052004F0053004F00460054002F004F0055003D0053006F006D006500770068006500720065002F0063006E003D0052006500630069007000690065006E00740073002F0063006E003D0073006F006D00650062006F0064007900790079007900000002010B303A0045583A2F4F3D4D4943524F534F46542F4F553D534F4D4557484552452F434E3D524543495049454E54532F434E3D534F4D45424F445959595900030000390000000003000539000000401F00FE392E006100610061006100610061006100610040006100610061006100610061006100610061002E0063006F006D0000001F00FF3920004D0069007300740065007200200053006F006D00650062006F006400790000001F00203A20004D0069007300740065007200200053006F006D00650062006F006400790000000B00403A01000201013D10008A0DB398E825D311907900805F31F8260300DE5F000000000300DF5F000000001F00E55F36007300690070003A0073006F006D0065006F006E00650040006500780061006D0070006C0065002E0063006F006D006D006D006D0000000300EB5F000000000300EF5F000000000300F25F000000000300F55F000000001F00F65F20004D0069007300740065007200200053006F006D00650062006F006400790000000201F75F530000000000DCA740C8C042101AB4B908002B2FE18201000000000000002F4F3D6D6963726F736F66742F4F553D736F6D6577686572652F636E3D526563697069656E74732F636E3D736F6D65626F6479797979000300FD5F000300000300FF5F000000001F0001602E0073006F006D0065006F006E00650040006500780061006D0070006C0065002E0063006F006D006D006D006D0000000201F60F0400001A006C030000306C001A001F00003A120073006F006D00650062006F00640079000000")).unwrap();
    assert_eq!((i(&n, "version"), i(&n, "row_count")), (1, 1));
    assert_eq!(len(&n, "rows.0.properties"), 31);
    let p = |k: &str| format!("rows.0.properties.{k}");
    assert_eq!(s(&n, &p("0.view.kind.name")), "MAPI_TO");
    assert_eq!(s(&n, &p("2.value.name")), "MAPI_E_NOT_FOUND");
    assert_eq!(s(&n, &p("4.view.dn")), "/O=MICROSOFT/OU=Something/cn=Recipients/cn=someoneeeee");
    assert_eq!(s(&n, &p("5.value")), "Mister Somebody");
    assert_eq!(s(&n, &p("8.view.address")), "/O=MICROSOFT/OU=SOMEWHERE/CN=RECIPIENTS/CN=SOMEBODYYYY");
    assert_eq!(s(&n, &p("10.view.flags.names.0")), "DTE_FLAG_ACL_CAPABLE");
    assert_eq!(s(&n, &p("11.value")), "aaaaaaaa@aaaaaaaaa.com");
    assert_eq!(s(&n, &p("15.value")), "8a0db398e825d311907900805f31f826");
    assert_eq!(s(&n, &p("18.value")), "sip:someone@example.commmm");
    assert_eq!(i(&n, &p("25.value")), 768);
    assert_eq!(i(&n, &p("29.value")), 1704044);
    assert_eq!(s(&n, &p("30.value")), "somebody");
}

/// MFCMAPI In/18-sf2.txt, Out/18-sf-out2.txt: SFST_TEXT | SFST_FILTERSTREAM | SFST_FOLDERLIST,
/// text "All Items", folder list "Mr That Guyzzzz" and one folder entry ID, 160 bytes of filter
/// stream.
#[test]
fn search_folder_definition_mfcmapi() {
    let n = parse("search-folder-definition", &hex("0410000052000000000000000941006C006C0020004900740065006D00730000000000010000000F4D0072002000540068006100740020004700750079007A007A007A007A003E0000000100000020A230122E00000028A230120000000096614EC66601D211A3B10008C728E7F1010085FA5C86FCE6D111A3A60008C728E7F1000000019EBB00000000000098000000000000000100CEFA01000000340000800000000000000000000000000200000000000000000000000000000000000000020000000000000000000000000000003C00008010000000000000000000000000000000000000000000000000000000000000000000000002000000000000000200000000000000080000001800008000000000EFBEADDEEFBEAD1100000000E4040000040000800000000000000000")).unwrap();
    assert_eq!(s(&n, "version"), "0x00001004");
    assert_eq!(super::tests::names(&n, "flags.names"), ["SFST_TEXT", "SFST_FILTERSTREAM", "SFST_FOLDERLIST"]);
    assert_eq!(s(&n, "text_search"), "All Items");
    assert_eq!(s(&n, "folder_list1"), "Mr That Guyzzzz");
    assert_eq!(i(&n, "folder_list2.count"), 1);
    assert_eq!(s(&n, "folder_list2.pad"), "0x1230a220");
    assert_eq!(s(&n, "folder_list2.entries.0.entry_id.global_counter"), "0x000000019ebb");
    assert_eq!(s(&n, "condition_bytes").len(), 160 * 2);
    assert!(s(&n, "condition_bytes").starts_with("98000000000000000100cefa"));
    assert_eq!(s(&n, "skip_bytes3"), "");
}
