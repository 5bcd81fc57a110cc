//! Entry IDs and entry ID lists against MFCMAPI's SmartView samples (microsoft/mfcmapi,
//! UnitTest/SmartViewTestData; each test names its In and Out files).

use super::tests::{at, hex, i, s};
use crate::describe::Node;
use crate::smartview::parse;

/// MFCMAPI In/4-eid1.dat, Out/4-eid-out1.txt: a wrapped private store entry ID.
#[test]
fn entry_id_store() {
    let n = parse(
        "entryid-any",
        &hex(
            "0000000038A1BB1005E5101AA1BB08002B2A56C20000454D534D44422E444C4C00000000000000001B55FA20AA6611CD9BC800AA002FC45A0C000000424F4F4558324B37002F6F3D4669727374204F7267616E697A6174696F6E2F6F753D45786368616E67652041646D696E6973747261746976652047726F7570202846594449424F484632335350444C54292F636E3D526563697069656E74732F636E3D41646D696E6973747261746F7200",
        ),
    )
    .unwrap();
    assert_eq!(s(&n, "dll_name"), "EMSMDB.DLL");
    assert_eq!(s(&n, "wrapped_provider_uid.guid"), "{20FA551B-66AA-CD11-9BC8-00AA002FC45A}");
    assert_eq!(s(&n, "wrapped_type"), "0x0000000c");
    assert_eq!(s(&n, "server_name"), "BOOEX2K7");
    assert_eq!(
        s(&n, "mailbox_dn"),
        "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=Administrator"
    );
}

/// MFCMAPI In/8-fe1.txt, Out/8-fe-out1.txt: three contact address book entry IDs wrapping
/// message entry IDs, with 3 unparsed bytes each and their padding.
#[test]
fn flat_entry_list_mfcmapi() {
    let n = parse("flat-entry-list", &hex("030000005C0100006D00000000000000FE42AA0A18C71A10E8850B651C240000030000000400000000000000460000000000000096614EC66601D211A3B10008C728E7F10700831B4C2B03E7D1118FB200805F9F2EAC000000481F4F0000109588ED42DE85428287935E058A904C0016DE1CB80E0000000000007C006D00000000000000FE42AA0A18C71A10E8850B651C240000030000000400000000000000460000000000000096614EC66601D211A3B10008C728E7F10700831B4C2B03E7D1118FB200805F9F2EAC000000481F4F0000FB607ECAC549C44A9151DA03A7BC66B9001B181E8A1500000000000000006D00000000000000FE42AA0A18C71A10E8850B651C240000030000000400000000000000460000000000000096614EC66601D211A3B10008C728E7F10700831B4C2B03E7D1118FB200805F9F2EAC000000481F4F000020A7A751D553394AB9D41BB443250C470000004876C600000000001F3521")).unwrap();
    assert_eq!(i(&n, "count"), 3);
    assert_eq!(i(&n, "size"), 0x15C);
    assert_eq!(i(&n, "entries.0.size"), 0x6D);
    assert_eq!(s(&n, "entries.0.entry_id.contab.type.name"), "CONTAB_USER");
    assert_eq!(s(&n, "entries.0.entry_id.contab.index.name"), "EEI_EMAIL_1");
    let inner = at(&n, "entries.0.entry_id.contab.entry_id");
    assert_eq!(s(inner, "message_type.name"), "eitLTPrivateMessage");
    assert_eq!(s(inner, "folder_database_guid"), "{2B4C1B83-E703-11D1-8FB2-00805F9F2EAC}");
    assert_eq!(s(inner, "folder_global_counter"), "0x000000481f4f");
    assert_eq!(s(inner, "message_database_guid"), "{ED889510-DE42-4285-8287-935E058A904C}");
    assert_eq!(s(inner, "message_global_counter"), "0x0016de1cb80e");
    assert_eq!(s(&n, "entries.0.entry_id.contab.unparsed"), "000000");
    assert_eq!(s(&n, "entries.0.padding"), "007c00");
    assert_eq!(s(&n, "entries.2.entry_id.contab.entry_id.message_global_counter"), "0x0000004876c6");
    assert_eq!(s(&n, "entries.2.padding"), "1f3521");
}

/// MFCMAPI In/5-el1.txt, Out/5-el-out1.txt.
#[test]
fn entry_list_mfcmapi() {
    let n = parse(
        "entry-list",
        &hex("01000000486C10262E000000506C10260000000096614EC66601D211A3B10008C728E7F1010085FA5C86FCE6D111A3A60008C728E7F1000000019EBE0000"),
    )
    .unwrap();
    assert_eq!(i(&n, "count"), 1);
    assert_eq!(s(&n, "pad"), "0x26106c48");
    assert_eq!(i(&n, "entries.0.size"), 0x2E);
    assert_eq!(s(&n, "entries.0.entry_id.provider_uid"), "{C64E6196-0166-11D2-A3B1-0008C728E7F1}");
    assert_eq!(s(&n, "entries.0.entry_id.structure"), "Folder EntryID");
    assert_eq!(s(&n, "entries.0.entry_id.folder_type.name"), "eitLTPrivateFolder");
    assert_eq!(s(&n, "entries.0.entry_id.database_guid"), "{865CFA85-E6FC-11D1-A3A6-0008C728E7F1}");
    assert_eq!(s(&n, "entries.0.entry_id.global_counter"), "0x000000019ebe");
}

/// MFCMAPI In/1-aei2.txt, Out/1-aei-out2.txt: nine PersistData blocks; the first one's element
/// does not fit (ElementDataSize 0x2F in a 0x32 block) and is kept as bytes.
#[test]
fn additional_ren_entry_ids_ex_mfcmapi() {
    let n = parse("additional-ren-entryids-ex", &hex("0180320001002f000000000096614EC66601D211A3B10008C728E7F1010
04D7FE57B4C92944987F5B588C78CF72D00000265000100000380320001002E000000000096614EC66601D211A3B10008C728E7F101004D 7FE57B4C92944987F5B588C78CF72D00000265000200000580320001002E000000000096614EC66601D211A3B10008C728E7F101004D7FE57B4C92944987F5B588C78CF72D000002D8001300000280320001002E00 0000000096614EC66601D211A3B10008C728E7F101004423BFDC35888C4BACC4B3D80C10040600054F75036F00000480320001002E000000000096614EC66601D211A3B10008C728E7F101004423BFDC35888C4BAC C4B3D80C10040600054F75036E00000680320001002E000000000096614EC66601D211A3B10008C728E7F10100FB607ECAC549C44A9151DA03A7BC66B9001A0F59DE7B00000780320001002E000000000096614EC6 6601D211A3B10008C728E7F10100D094AF544E42F54A919C624F36579EA80023FB5D000200000880320001002E000000000096614EC66601D211A3B10008C728E7F10100109588ED42DE85428287935E058A904C00 1A0E620018000000000000")).unwrap();
    assert_eq!(i(&n, "count"), 9);
    assert_eq!(s(&n, "blocks.0.persist_id.name"), "RSF_PID_RSS_SUBSCRIPTION");
    assert!(matches!(at(&n, "blocks.0.elements.bytes"), Node::Str(_)));
    assert_eq!(i(&n, "blocks.1.persist_id.value"), 0x8003);
    assert_eq!(s(&n, "blocks.1.elements.0.element_id.name"), "RSF_ELID_ENTRYID");
    assert_eq!(i(&n, "blocks.1.elements.0.size"), 0x2E);
    assert_eq!(s(&n, "blocks.3.persist_id.name"), "RSF_PID_SEND_AND_TRACK");
    assert_eq!(s(&n, "blocks.4.persist_id.name"), "RSF_PID_TODO_SEARCH");
    assert_eq!(s(&n, "blocks.5.persist_id.name"), "RSF_PID_CONV_ACTIONS");
    assert_eq!(s(&n, "blocks.6.persist_id.name"), "RSF_PID_COMBINED_ACTIONS");
    assert_eq!(s(&n, "blocks.7.persist_id.name"), "RSF_PID_SUGGESTED_CONTACTS");
    assert_eq!(s(&n, "blocks.7.elements.0.data.global_counter"), "0x001a0e620018");
    assert_eq!(s(&n, "blocks.8.persist_id.name"), "PERSIST_SENTINEL");
}

/// MFCMAPI In/15-ReportTag1.txt, Out/15-ReportTag-out1.txt.
#[test]
fn report_tag_mfcmapi() {
    let n = parse("report-tag", &hex("504344464542303900010002000000000000000000000000002E0000000000000096614EC66601D211A3B10008C728E7F1010085FA5C86FCE6D111A3A60008C728E7F1000000019EC0000010000000E866555BC88F2E4AB665769B02770F900100000000")).unwrap();
    assert_eq!(s(&n, "cookie"), "PCDFEB09");
    // MFCMAPI prints the version's two 16-bit halves as 0x00010002; as the little-endian
    // 32-bit value of MS-OXOMSG 2.2.2.22 it is 0x00020001.
    assert_eq!(s(&n, "version"), "0x00020001");
    assert_eq!(at(&n, "store_entry_id"), &Node::Null);
    assert_eq!(s(&n, "search_folder_entry_id.global_counter"), "0x000000019ec0");
    assert_eq!(s(&n, "message_search_key"), "e866555bc88f2e4ab665769b02770f90");
    assert_eq!(s(&n, "ansi_text"), "");
}

/// Contact address book entry IDs wrapped in one another (muidContabDLL
/// {0AAA42FE-C718-101A-E885-0B651C240000}, as in MFCMAPI Out/8-fe-out1.txt) are opened one level
/// deep only: 2,000 nested wrappers decode without exhausting the stack.
#[test]
fn nested_contab_entry_ids_do_not_recurse() {
    let mut eid = hex("00000000 DCA740C8C042101AB4B908002B2FE182 01000000 00000000 2F6F00");
    for _ in 0..2000 {
        let mut outer = hex("00000000 FE42AA0A18C71A10E8850B651C240000 03000000 04000000 00000000");
        outer.extend((eid.len() as u32).to_le_bytes());
        outer.extend(&eid);
        eid = outer;
    }
    let n = parse("entryid-any", &eid).unwrap();
    assert_eq!(s(&n, "kind"), "contact_address_book");
    assert_eq!(s(&n, "contab.entry_id.kind"), "other");
}

/// MFCMAPI In/27-EidDecode1.txt decodes to In/26-EidEncode1.txt (the pair of its Decode and
/// Encode Entry ID tests): 00000000F9E2990483426D42858F0BBEBDFF277AA4002000, an entry ID of
/// provider {0499E2F9-4283-426D-858F-0BBEBDFF277A}.
#[test]
fn encoded_entry_id_mfcmapi() {
    let n = parse(
        "encoded-entryid",
        &hex("00AC00AC00AC00ACF9ACE2AC99AC04AC83AC42AC6DAC42AC85AC8FAC0BACBEACBDACFFAC27AC7AACA4AC00AC20AC00AC"),
    )
    .unwrap();
    assert_eq!(s(&n, "bytes"), "00000000f9e2990483426d42858f0bbebdff277aa4002000");
    assert_eq!(s(&n, "entry_id.provider_uid"), "{0499E2F9-4283-426D-858F-0BBEBDFF277A}");
    assert!(parse("encoded-entryid", &hex("00AC41")).is_err());
    assert!(parse("encoded-entryid", &hex("0041")).is_err());
}
