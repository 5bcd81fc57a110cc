//! PSETID_Appointment {00062002-0000-0000-C000-000000000046}: appointments, meetings and
//! conferencing (MS-OXPROPS section 2, defined in MS-OXOCAL 2.2 and MS-OXOTASK 2.2). LIDs and
//! types from MS-OXPROPS, cross-checked against MFCMAPI's and OpenChange's tables.

use super::{NameKey, NameRef, NamedEntry};
use crate::guid::PSETID_APPOINTMENT as P;
use crate::ptype::PropType;

named_entries! {
    [P, "Calendar"]
    PidLidBusyStatus = Id(0x8205), Integer32;
    PidLidLocation = Id(0x8208), String;
    PidLidAppointmentStartWhole = Id(0x820D), Time;
    PidLidAppointmentEndWhole = Id(0x820E), Time;
    PidLidAppointmentStartTime = Id(0x820F), Time;
    PidLidAppointmentEndTime = Id(0x8210), Time;
    PidLidAppointmentEndDate = Id(0x8211), Time;
    PidLidAppointmentStartDate = Id(0x8212), Time;
    PidLidAppointmentDuration = Id(0x8213), Integer32;
    PidLidAppointmentColor = Id(0x8214), Integer32;
    PidLidAppointmentSubType = Id(0x8215), Boolean;
    PidLidAppointmentRecur = Id(0x8216), Binary;
    PidLidRecurring = Id(0x8223), Boolean;
    PidLidExceptionReplaceTime = Id(0x8228), Time;
    PidLidRecurrenceType = Id(0x8231), Integer32;
    PidLidRecurrencePattern = Id(0x8232), String;
    PidLidTimeZoneStruct = Id(0x8233), Binary;
    PidLidTimeZoneDescription = Id(0x8234), String;
    PidLidClipStart = Id(0x8235), Time;
    PidLidClipEnd = Id(0x8236), Time;
    PidLidAppointmentTimeZoneDefinitionStartDisplay = Id(0x825E), Binary;
    PidLidAppointmentTimeZoneDefinitionEndDisplay = Id(0x825F), Binary;
    PidLidAppointmentTimeZoneDefinitionRecur = Id(0x8260), Binary;
    PidLidInboundICalStream = Id(0x827A), Binary;
    PidLidSingleBodyICal = Id(0x827B), Boolean;

    [P, "Meetings"]
    PidLidAppointmentSequence = Id(0x8201), Integer32;
    PidLidAppointmentSequenceTime = Id(0x8202), Time;
    PidLidAppointmentLastSequence = Id(0x8203), Integer32;
    PidLidChangeHighlight = Id(0x8204), Integer32;
    PidLidFExceptionalBody = Id(0x8206), Boolean;
    PidLidAppointmentAuxiliaryFlags = Id(0x8207), Integer32;
    PidLidMeetingWorkspaceUrl = Id(0x8209), String;
    PidLidForwardInstance = Id(0x820A), Boolean;
    PidLidAppointmentStateFlags = Id(0x8217), Integer32;
    PidLidResponseStatus = Id(0x8218), Integer32;
    PidLidAppointmentReplyTime = Id(0x8220), Time;
    PidLidIntendedBusyStatus = Id(0x8224), Integer32;
    PidLidAppointmentUpdateTime = Id(0x8226), Time;
    PidLidFInvited = Id(0x8229), Boolean;
    PidLidFExceptionalAttendees = Id(0x822B), Boolean;
    PidLidOwnerName = Id(0x822E), String;
    PidLidFOthersAppointment = Id(0x822F), Boolean;
    PidLidAppointmentReplyName = Id(0x8230), String;
    PidLidOriginalStoreEntryId = Id(0x8237), Binary;
    PidLidAllAttendeesString = Id(0x8238), String;
    PidLidAutoFillLocation = Id(0x823A), Boolean;
    PidLidToAttendeesString = Id(0x823B), String;
    PidLidCcAttendeesString = Id(0x823C), String;
    PidLidAppointmentProposedStartWhole = Id(0x8250), Time;
    PidLidAppointmentProposedEndWhole = Id(0x8251), Time;
    PidLidAppointmentProposedDuration = Id(0x8256), Integer32;
    PidLidAppointmentCounterProposal = Id(0x8257), Boolean;
    PidLidAppointmentProposalNumber = Id(0x8259), Integer32;
    PidLidAppointmentNotAllowPropose = Id(0x825A), Boolean;
    PidLidAppointmentUnsendableRecipients = Id(0x825D), Binary;
    PidLidForwardNotificationRecipients = Id(0x8261), Binary;

    [P, "Conferencing"]
    PidLidSendMeetingAsIcal = Id(0x8200), Boolean;
    PidLidConferencingCheck = Id(0x8240), Boolean;
    PidLidConferencingType = Id(0x8241), Integer32;
    PidLidDirectory = Id(0x8242), String;
    PidLidOrganizerAlias = Id(0x8243), String;
    PidLidAutoStartCheck = Id(0x8244), Boolean;
    PidLidAutoStartWhen = Id(0x8245), Integer32;
    PidLidAllowExternalCheck = Id(0x8246), Boolean;
    PidLidCollaborateDoc = Id(0x8247), String;
    PidLidNetShowUrl = Id(0x8248), String;
    PidLidOnlinePassword = Id(0x8249), String;

    [P, "Tasks"]
    PidLidLinkedTaskItems = Id(0x820C), MultipleBinary;
}
