//! SmartView calendar and task decoders against MFCMAPI's SmartView samples (microsoft/mfcmapi,
//! UnitTest/SmartViewTestData; each test names its In and Out files) and the layouts of
//! MS-OXOCAL.

use super::tests::{ARP1, at, hex, i, len, names, s};
use crate::describe::Node;
use crate::smartview::parse;

/// MFCMAPI In/10-goid1.txt, Out/10-goid-out1.txt: creation time 0x01CAE532:0xF509DBF0 is
/// 11:23:55.567 AM 4/26/2010.
#[test]
fn global_object_id_mfcmapi() {
    let n = parse(
        "global-object-id",
        &hex("040000008200E00074C5B7101A82E00800000000F0DB09F532E5CA01000000000000000010000000E73C73F73F1C3941BDD6450F640703F3"),
    )
    .unwrap();
    assert_eq!(at(&n, "is_outlook_id"), &Node::Bool(true));
    assert_eq!((i(&n, "year"), i(&n, "month"), i(&n, "day")), (0, 0, 0));
    assert!(s(&n, "creation_time.utc").starts_with("2010-04-26T11:23:55.567"), "{n:?}");
    assert_eq!(i(&n, "size"), 16);
    assert_eq!(s(&n, "data"), "e73c73f73f1c3941bdd6450f640703f3");
}

/// MFCMAPI In/2-arp1.dat, Out/2-arp-out1.txt.
#[test]
fn appointment_recurrence_mfcmapi() {
    let n = parse("recurrence", &hex(ARP1)).unwrap();
    let p = at(&n, "recurrence_pattern");
    assert_eq!(s(p, "reader_version"), "0x3004");
    assert_eq!(s(p, "recur_frequency.name"), "Weekly");
    assert_eq!(s(p, "pattern_type.name"), "Week");
    assert_eq!(s(p, "calendar_type.name"), "CAL_DEFAULT");
    assert_eq!(i(p, "first_date_time"), 8640);
    assert_eq!(i(p, "period"), 2);
    assert_eq!(names(p, "pattern_type_specific.days.names"), ["Th"]);
    assert_eq!(s(p, "end_type.name"), "EndAfterDate");
    assert_eq!(i(p, "occurrence_count"), 18);
    assert_eq!(s(p, "first_dow.name"), "Sunday");
    assert_eq!(len(p, "deleted_instance_dates"), 4);
    assert_eq!(s(p, "deleted_instance_dates.0.time"), "2011-02-17T00:00:00");
    assert_eq!(s(p, "deleted_instance_dates.3.time"), "2011-03-31T00:00:00");
    assert_eq!(s(p, "modified_instance_dates.0.time"), "2011-02-17T00:00:00");
    assert_eq!(i(p, "start_date.minutes"), 215544960);
    assert_eq!(s(p, "start_date.time"), "2010-10-28T00:00:00");
    assert_eq!(s(p, "end_date.time"), "2011-06-30T00:00:00");
    assert_eq!(s(&n, "reader_version2"), "0x00003006");
    assert_eq!(s(&n, "writer_version2"), "0x00003009");
    assert_eq!(s(&n, "start_time_offset.time"), "14:30");
    assert_eq!(i(&n, "end_time_offset.minutes"), 930);
    assert_eq!(i(&n, "exception_count"), 1);
    let e = at(&n, "exceptions.0");
    assert_eq!(s(e, "start_date_time.time"), "2011-02-17T14:30:00");
    assert_eq!(s(e, "end_date_time.time"), "2011-02-17T15:30:00");
    assert_eq!(names(e, "override_flags.names"), ["ARO_MEETINGTYPE", "ARO_SUBTYPE", "ARO_EXCEPTIONAL_BODY"]);
    assert_eq!(s(e, "meeting_type"), "0x00000001");
    assert_eq!(i(e, "sub_type"), 0);
    assert_eq!(names(&n, "extended_exceptions.0.change_highlight.names"), ["BIT_CH_BODY", "BIT_CH_CUSTOM"]);
}

/// MFCMAPI In/14-arp1.txt, Out/14-arp-out1.txt: the same RecurrencePattern alone.
#[test]
fn task_recurrence_mfcmapi() {
    let n = parse("task-recurrence", &hex("043004300B2001000000C021000002000000000000001000000021200000120000000000000004000000806ADB0C40B9DB0C0008DC0CC056DC0C01000000806ADB0C80F4D80CA056DE0C")).unwrap();
    assert_eq!(i(&n, "end_date.minutes"), 215897760);
    assert_eq!(s(&n, "deleted_instance_dates.1.time"), "2011-03-03T00:00:00");
    assert!(parse("task-recurrence", &hex(ARP1)).is_err(), "trailing bytes are refused");
}

/// MFCMAPI Out/22-tz-out1.txt (Eastern time: bias 300, daylight bias -60, standard time from
/// the first Sunday of November, daylight time from the second Sunday of March, at 2:00); the
/// input file is not published in text, so the 48 bytes are laid out per MS-OXOCAL 2.2.1.39.
#[test]
fn time_zone_struct() {
    let n = parse(
        "timezone",
        &hex("2C010000 00000000 C4FFFFFF 0000 0000 0B00 0000 0100 0200 0000 0000 0000 0000 0000 0300 0000 0200 0200 0000 0000 0000"),
    )
    .unwrap();
    assert_eq!((i(&n, "bias"), i(&n, "standard_bias"), i(&n, "daylight_bias")), (300, 0, -60));
    assert_eq!(
        (i(&n, "standard_date.month"), i(&n, "standard_date.day"), i(&n, "standard_date.hour")),
        (11, 1, 2)
    );
    assert_eq!((i(&n, "daylight_date.month"), i(&n, "daylight_date.day")), (3, 2));
}

/// MFCMAPI In/25-tzd1.dat, Out/23-tzd-out1.txt.
#[test]
fn time_zone_definition_mfcmapi() {
    let n = parse("timezone-definition", &hex("02013000020015004500610073007400650072006E0020005300740061006E0064006100720064002000540069006D006500020002013E000000D60700000000000000000000000000002C01000000000000C4FFFFFF00000A000000050002000000000000000000040000000100020000000000000002013E000200D70700000000000000000000000000002C01000000000000C4FFFFFF00000B0000000100020000000000000000000300000002000200000000000000")).unwrap();
    assert_eq!((i(&n, "major_version"), i(&n, "minor_version"), i(&n, "header_size")), (2, 1, 48));
    assert_eq!(s(&n, "key_name"), "Eastern Standard Time");
    assert_eq!(i(&n, "rule_count"), 2);
    assert_eq!(i(&n, "rules.0.year"), 2006);
    assert_eq!(s(&n, "rules.0.reserved"), "0x003e");
    assert_eq!((i(&n, "rules.0.standard_date.month"), i(&n, "rules.0.standard_date.day")), (10, 5));
    assert_eq!(names(&n, "rules.1.flags.names"), ["TZRULE_FLAG_EFFECTIVE_TZREG"]);
    assert_eq!(
        (i(&n, "rules.1.year"), i(&n, "rules.1.bias"), i(&n, "rules.1.daylight_bias")),
        (2007, 300, -60)
    );
    assert_eq!(i(&n, "rules.1.daylight_date.month"), 3);
}

/// MFCMAPI In/29-tombstone1.txt, Out/29-Tombstone-out1.txt: RecordsCount says 1, nine records
/// follow.
#[test]
fn tombstone_mfcmapi() {
    let n = parse("tombstone", &hex("CDAFDEBE 14000000 03000000 01000000 14000000 6080E50C809CE50C38000000040000008200E00074C5B7101A82E00800000000F0B4830BBD1CCD010000000000000000100000007BACC3A0BFEED8428646C15C94AE08F10F00416161616161612041616161616161EC9CE20C289DE20C38000000040000008200E00074C5B7101A82E00800000000F06D53A2B9CECC01000000000000000010000000AAFE001FB806904D9E0882DBA6C0B07A0F0041616161616161204161616161616120F2E00C5CF2E00C38000000040000008200E00074C5B7101A82E00800000000A066657ACF08CC01000000000000000010000000651A164824448C4DADD9877ADA3CF4B00F0041616161616161204161616161616120E3E00C40FFE00C38000000040000008200E00074C5B7101A82E0080000000070E339FBA891CC01000000000000000010000000FC929ECEBA3B1F4AB40DF3F487067F840F00416161616161612041616161616161D0F6E00C48F7E00C38000000040000008200E00074C5B7101A82E008000000002093C142DA77CC010000000000000000100000000B26EEC95274FA40AD816AA65F57E62A0F0041616161616161204161616161616165EADF0CB0EADF0C38000000040000008200E00074C5B7101A82E00800000000F0ADB1CA3852CC010000000000000000100000002F3AB5ECBCBC9D4C9E3454ACCDBE929B0F004161616161616120416161616161611EF5DF0C69F5DF0C38000000040000008200E00074C5B7101A82E00800000000803F38EB3852CC01000000000000000010000000748C9E7AAE3FF44EBE3C0E0B86DEBA830F00416161616161612041616161616161A054E00CDC54E00C38000000040000008200E00074C5B7101A82E00807DB0915A066657ACF08CC01000000000000000010000000651A164824448C4DADD9877ADA3CF4B00F004161616161616120416161616161614C4EE00C884EE00C38000000040000008200E00074C5B7101A82E00800000000207CF4427B74CC0100000000000000001000000066F68C0BB9A10745817C8975B9B52D610F00416161616161612041616161616161")).unwrap();
    assert_eq!(s(&n, "identifier"), "0xbedeafcd");
    assert_eq!((i(&n, "header_size"), i(&n, "version"), i(&n, "records_count")), (0x14, 3, 1));
    assert_eq!(i(&n, "records_read"), 9);
    assert_eq!(s(&n, "records.0.start_time.time"), "2012-05-21T00:00:00");
    assert_eq!(s(&n, "records.0.end_time.time"), "2012-05-26T00:00:00");
    assert_eq!(s(&n, "records.0.username"), "Aaaaaaa Aaaaaaa");
    assert_eq!(s(&n, "records.5.start_time.time"), "2011-09-09T18:45:00");
    assert_eq!(
        (i(&n, "records.7.global_object_id.year"), i(&n, "records.7.global_object_id.month")),
        (2011, 9)
    );
    assert_eq!(i(&n, "records.7.global_object_id.day"), 21);
}

/// MFCMAPI In/21-ta1.dat, Out/21-ta-out1.txt.
#[test]
fn task_assigners_mfcmapi() {
    let n = parse("task-assigners", &hex("010000007F0000005A00000000000000DCA740C8C042101AB4B908002B2FE18201000000000000002F4F3D534F4D454F4E4545452F4F553D534F4D45424F4459454C53452F434E3D524543495049454E54532F434E3D412D444455444530393931353133390044756465204775796C6100440075006400650020004700750079006C0061000000")).unwrap();
    assert_eq!(i(&n, "count"), 1);
    assert_eq!(s(&n, "assigners.0.entry_id.kind"), "addressbook-permanent");
    assert_eq!(s(&n, "assigners.0.display_name_ansi"), "Dude Guyla");
    assert_eq!(s(&n, "assigners.0.display_name"), "Dude Guyla");
}

/// The one exception of MFCMAPI In/2-arp1.dat on its own (Out/2-arp-out1.txt:
/// ExceptionInfo[0], 02:30 PM to 03:30 PM 2/17/2011, ARO_MEETINGTYPE | ARO_SUBTYPE |
/// ARO_EXCEPTIONAL_BODY, MeetingType 1, SubType 0).
#[test]
fn appointment_exception_mfcmapi() {
    let n =
        parse("appointment-exception", &hex("E66DDB0C 226EDB0C E66DDB0C 8202 01000000 00000000")).unwrap();
    assert_eq!(s(&n, "start_date_time.time"), "2011-02-17T14:30:00");
    assert_eq!(s(&n, "original_start_date.time"), "2011-02-17T14:30:00");
    assert_eq!(names(&n, "override_flags.names"), ["ARO_MEETINGTYPE", "ARO_SUBTYPE", "ARO_EXCEPTIONAL_BODY"]);
    assert_eq!(i(&n, "sub_type"), 0);
}
