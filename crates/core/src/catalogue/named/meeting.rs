//! PSETID_Meeting {6ED8DA90-450B-101B-98DA-00AA003F1305} and PSETID_CalendarAssistant
//! {11000E07-B51B-40D6-AF21-CAA85EDAB1D0}: meeting objects and the calendar assistant's marks
//! (MS-OXPROPS section 2, defined in MS-OXOCAL 2.2). LIDs and types from MS-OXPROPS,
//! cross-checked against MFCMAPI's and OpenChange's tables.

use super::{NameKey, NameRef, NamedEntry};
use crate::guid::{PSETID_CALENDAR_ASSISTANT as CA, PSETID_MEETING as M};
use crate::ptype::PropType;

named_entries! {
    [M, "Meetings"]
    PidLidAttendeeCriticalChange = Id(0x0001), Time;
    PidLidWhere = Id(0x0002), String;
    PidLidGlobalObjectId = Id(0x0003), Binary;
    PidLidIsSilent = Id(0x0004), Boolean;
    PidLidIsRecurring = Id(0x0005), Boolean;
    PidLidRequiredAttendees = Id(0x0006), String;
    PidLidOptionalAttendees = Id(0x0007), String;
    PidLidResourceAttendees = Id(0x0008), String;
    PidLidDelegateMail = Id(0x0009), Boolean;
    PidLidIsException = Id(0x000A), Boolean;
    PidLidSingleInvite = Id(0x000B), Boolean;
    PidLidTimeZone = Id(0x000C), Integer32;
    PidLidStartRecurrenceDate = Id(0x000D), Integer32;
    PidLidStartRecurrenceTime = Id(0x000E), Integer32;
    PidLidEndRecurrenceDate = Id(0x000F), Integer32;
    PidLidEndRecurrenceTime = Id(0x0010), Integer32;
    PidLidDayInterval = Id(0x0011), Integer16;
    PidLidWeekInterval = Id(0x0012), Integer16;
    PidLidMonthInterval = Id(0x0013), Integer16;
    PidLidYearInterval = Id(0x0014), Integer16;
    PidLidMonthOfYearMask = Id(0x0017), Integer32;
    PidLidOldRecurrenceType = Id(0x0018), Integer16;
    PidLidOwnerCriticalChange = Id(0x001A), Time;
    PidLidCalendarType = Id(0x001C), Integer32;
    PidLidAllAttendeesList = Id(0x001D), String;
    PidLidCleanGlobalObjectId = Id(0x0023), Binary;
    PidLidAppointmentMessageClass = Id(0x0024), String;
    PidLidMeetingType = Id(0x0026), Integer32;
    PidLidOldLocation = Id(0x0028), String;
    PidLidOldWhenStartWhole = Id(0x0029), Time;
    PidLidOldWhenEndWhole = Id(0x002A), Time;

    [CA, "Calendar"]
    PidLidClientIntent = Id(0x0015), Integer32;
    PidLidServerProcessed = Id(0x85CC), Boolean;
    PidLidServerProcessingActions = Id(0x85CD), Integer32;
}
