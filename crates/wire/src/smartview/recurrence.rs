//! Recurrence blobs: RecurrencePattern (PidLidTaskRecurrence, MS-OXOCAL 2.2.1.44.1) and
//! AppointmentRecurrencePattern (PidLidAppointmentRecur, 2.2.1.44.2) with its ExceptionInfo
//! (2.2.1.44.3) and ExtendedException (2.2.1.44.4) blocks.

use oxmapi_core::codec::{DecodeResult, Reader};

use super::common::{count, enumerated, flags, hex32, hexn, int, minutes_1601, utf16_units};
use super::flags::{
    CALENDAR_TYPE, CHANGE_HIGHLIGHT, DAYS_OF_WEEK, END_TYPE, FIRST_DOW, OVERRIDE_FLAGS, PATTERN_TYPE,
    RECUR_FREQUENCY,
};
use crate::describe::Node;

/// WriterVersion2 from which ExtendedException has a ChangeHighlight (MS-OXOCAL 2.2.1.44.4).
const WRITER_VERSION2_CHANGE_HIGHLIGHT: u32 = 0x3009;

const ARO_SUBJECT: u16 = 0x0001;
const ARO_MEETINGTYPE: u16 = 0x0002;
const ARO_REMINDERDELTA: u16 = 0x0004;
const ARO_REMINDER: u16 = 0x0008;
const ARO_LOCATION: u16 = 0x0010;
const ARO_BUSYSTATUS: u16 = 0x0020;
const ARO_ATTACHMENT: u16 = 0x0040;
const ARO_SUBTYPE: u16 = 0x0080;
const ARO_APPTCOLOR: u16 = 0x0100;

fn dates(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Node> {
    let n = r.u32(what)?;
    let n = count(r, n as u64, 4, what)?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(minutes_1601(r.u32(what)?));
    }
    Ok(Node::List(v))
}

/// Reads a RecurrencePattern.
fn recurrence_pattern(r: &mut Reader<'_>) -> DecodeResult<Node> {
    let reader_version = r.u16("ReaderVersion")?;
    let writer_version = r.u16("WriterVersion")?;
    let frequency = r.u16("RecurFrequency")?;
    let pattern_type = r.u16("PatternType")?;
    let calendar_type = r.u16("CalendarType")?;
    let first_date_time = r.u32("FirstDateTime")?;
    let period = r.u32("Period")?;
    let sliding = r.u32("SlidingFlag")?;
    let specific = match pattern_type {
        0x0000 => Node::Null,
        0x0001 => Node::map([("days", flags(r.u32("WeekRecurrencePattern")?, 4, DAYS_OF_WEEK))]),
        0x0002 | 0x0003 | 0x000A | 0x000C => Node::map([("day", int(r.u32("Day")?))]),
        0x0004 | 0x000B => Node::map([
            ("days", flags(r.u32("MonthNth days")?, 4, DAYS_OF_WEEK)),
            ("n", int(r.u32("MonthNth N")?)),
        ]),
        other => return Err(r.invalid("PatternType", format!("0x{other:04X} is not defined"))),
    };
    let end_type = r.u32("EndType")?;
    let occurrences = r.u32("OccurrenceCount")?;
    let first_dow = r.u32("FirstDOW")?;
    let deleted = dates(r, "DeletedInstanceDates")?;
    let modified = dates(r, "ModifiedInstanceDates")?;
    let start = r.u32("StartDate")?;
    let end = r.u32("EndDate")?;
    Ok(Node::map([
        ("reader_version", hexn(reader_version as u64, 2)),
        ("writer_version", hexn(writer_version as u64, 2)),
        ("recur_frequency", enumerated(frequency as u32, RECUR_FREQUENCY)),
        ("pattern_type", enumerated(pattern_type as u32, PATTERN_TYPE)),
        ("calendar_type", enumerated(calendar_type as u32, CALENDAR_TYPE)),
        ("first_date_time", int(first_date_time)),
        ("period", int(period)),
        ("sliding_flag", int(sliding)),
        ("pattern_type_specific", specific),
        ("end_type", enumerated(end_type, END_TYPE)),
        ("occurrence_count", int(occurrences)),
        ("first_dow", enumerated(first_dow, FIRST_DOW)),
        ("deleted_instance_dates", deleted),
        ("modified_instance_dates", modified),
        ("start_date", minutes_1601(start)),
        ("end_date", minutes_1601(end)),
    ]))
}

/// PidLidTaskRecurrence (and the first part of PidLidAppointmentRecur): a RecurrencePattern
/// filling the value.
pub fn task_recurrence(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let n = recurrence_pattern(&mut r)?;
    r.finish("RecurrencePattern")?;
    Ok(n)
}

/// An 8-bit counted string of an ExceptionInfo: a length, the length again, the bytes.
fn ansi_pair(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Node> {
    let _len = r.u16(what)?;
    let len2 = r.u16(what)? as usize;
    Ok(Node::str(super::common::ansi(r.take(len2, what)?)))
}

/// One ExceptionInfo; returns its node and its OverrideFlags.
fn exception_info(r: &mut Reader<'_>) -> DecodeResult<(Node, u16)> {
    let start = r.u32("StartDateTime")?;
    let end = r.u32("EndDateTime")?;
    let original = r.u32("OriginalStartDate")?;
    let f = r.u16("OverrideFlags")?;
    let mut n = Node::map([
        ("start_date_time", minutes_1601(start)),
        ("end_date_time", minutes_1601(end)),
        ("original_start_date", minutes_1601(original)),
        ("override_flags", flags(f as u32, 2, OVERRIDE_FLAGS)),
    ]);
    if f & ARO_SUBJECT != 0 {
        n = n.with("subject", ansi_pair(r, "Subject")?);
    }
    if f & ARO_MEETINGTYPE != 0 {
        n = n.with("meeting_type", hex32(r.u32("MeetingType")?));
    }
    if f & ARO_REMINDERDELTA != 0 {
        n = n.with("reminder_delta", int(r.u32("ReminderDelta")?));
    }
    if f & ARO_REMINDER != 0 {
        n = n.with("reminder_set", int(r.u32("ReminderSet")?));
    }
    if f & ARO_LOCATION != 0 {
        n = n.with("location", ansi_pair(r, "Location")?);
    }
    if f & ARO_BUSYSTATUS != 0 {
        n = n.with("busy_status", int(r.u32("BusyStatus")?));
    }
    if f & ARO_ATTACHMENT != 0 {
        n = n.with("attachment", int(r.u32("Attachment")?));
    }
    if f & ARO_SUBTYPE != 0 {
        n = n.with("sub_type", int(r.u32("SubType")?));
    }
    if f & ARO_APPTCOLOR != 0 {
        n = n.with("appointment_color", int(r.u32("AppointmentColor")?));
    }
    Ok((n, f))
}

fn reserved_block(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Node> {
    let n = r.u32(what)? as usize;
    Ok(Node::hex(r.take(n, what)?))
}

/// One ExtendedException, for an exception with OverrideFlags `f`.
fn extended_exception(r: &mut Reader<'_>, writer_version2: u32, f: u16) -> DecodeResult<Node> {
    let mut n = Node::map::<&str>([]);
    if writer_version2 >= WRITER_VERSION2_CHANGE_HIGHLIGHT {
        let size = r.u32("ChangeHighlightSize")? as usize;
        let body = r.take(size, "ChangeHighlight")?;
        let mut cr = Reader::new(body);
        let value = cr.u32("ChangeHighlightValue")?;
        n = n
            .with("change_highlight", flags(value, 4, CHANGE_HIGHLIGHT))
            .with("change_highlight_reserved", Node::hex(cr.take_rest()));
    }
    n = n.with("reserved_block_ee1", reserved_block(r, "ReservedBlockEE1Size")?);
    if f & (ARO_SUBJECT | ARO_LOCATION) != 0 {
        n = n
            .with("start_date_time", minutes_1601(r.u32("StartDateTime")?))
            .with("end_date_time", minutes_1601(r.u32("EndDateTime")?))
            .with("original_start_date", minutes_1601(r.u32("OriginalStartDate")?));
        if f & ARO_SUBJECT != 0 {
            let len = r.u16("WideCharSubjectLength")? as usize;
            n = n.with("subject", Node::str(utf16_units(r, len, "WideCharSubject")?));
        }
        if f & ARO_LOCATION != 0 {
            let len = r.u16("WideCharLocationLength")? as usize;
            n = n.with("location", Node::str(utf16_units(r, len, "WideCharLocation")?));
        }
        n = n.with("reserved_block_ee2", reserved_block(r, "ReservedBlockEE2Size")?);
    }
    Ok(n)
}

/// PidLidAppointmentRecur: a RecurrencePattern, ReaderVersion2, WriterVersion2,
/// StartTimeOffset, EndTimeOffset (minutes after midnight), ExceptionCount, the
/// ExceptionInfos, ReservedBlock1, the ExtendedExceptions, ReservedBlock2.
pub fn appointment_recurrence(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let pattern = recurrence_pattern(&mut r)?;
    let reader_version2 = r.u32("ReaderVersion2")?;
    let writer_version2 = r.u32("WriterVersion2")?;
    let start_offset = r.u32("StartTimeOffset")?;
    let end_offset = r.u32("EndTimeOffset")?;
    let n = r.u16("ExceptionCount")?;
    let n = count(&r, n as u64, 14, "ExceptionCount")?;
    let mut infos = Vec::with_capacity(n);
    let mut override_flags = Vec::with_capacity(n);
    for _ in 0..n {
        let (node, f) = exception_info(&mut r)?;
        infos.push(node);
        override_flags.push(f);
    }
    let rb1 = reserved_block(&mut r, "ReservedBlock1Size")?;
    let mut extended = Vec::with_capacity(n);
    for f in override_flags {
        extended.push(extended_exception(&mut r, writer_version2, f)?);
    }
    let rb2 = reserved_block(&mut r, "ReservedBlock2Size")?;
    r.finish("AppointmentRecurrencePattern")?;
    let offset = |m: u32| {
        Node::map([("minutes", int(m)), ("time", Node::str(format!("{:02}:{:02}", m / 60, m % 60)))])
    };
    Ok(Node::map([
        ("recurrence_pattern", pattern),
        ("reader_version2", hex32(reader_version2)),
        ("writer_version2", hex32(writer_version2)),
        ("start_time_offset", offset(start_offset)),
        ("end_time_offset", offset(end_offset)),
        ("exception_count", int(n as u32)),
        ("exceptions", Node::List(infos)),
        ("reserved_block1", rb1),
        ("extended_exceptions", Node::List(extended)),
        ("reserved_block2", rb2),
    ]))
}

/// One ExceptionInfo block on its own (MS-OXOCAL 2.2.1.44.3), as cut from a
/// PidLidAppointmentRecur value.
pub fn exception_info_kind(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let (n, _) = exception_info(&mut r)?;
    r.finish("ExceptionInfo")?;
    Ok(n)
}
