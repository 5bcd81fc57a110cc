//! PSETID_Common {00062008-0000-0000-C000-000000000046}: properties shared by every kind of
//! item — reminders, flags, recurrence helpers, contact links, classification, conversation
//! actions (MS-OXPROPS section 2; defined in MS-OXCMSG, MS-OXORMDR, MS-OXOFLAG, MS-OXOCAL and
//! others). LIDs and types from MS-OXPROPS, cross-checked against MFCMAPI's and OpenChange's
//! tables.

use super::{NameKey, NameRef, NamedEntry};
use crate::guid::PSETID_COMMON as C;
use crate::ptype::PropType;

named_entries! {
    [C, "Calendar"]
    PidLidDayOfMonth = Id(0x1000), Integer32;
    PidLidICalendarDayOfWeekMask = Id(0x1001), Integer32;
    PidLidOccurrences = Id(0x1005), Integer32;
    PidLidMonthOfYear = Id(0x1006), Integer32;
    PidLidNoEndDateFlag = Id(0x100B), Boolean;
    PidLidRecurrenceDuration = Id(0x100D), Integer32;

    [C, "Reminders"]
    PidLidReminderDelta = Id(0x8501), Integer32;
    PidLidReminderTime = Id(0x8502), Time;
    PidLidReminderSet = Id(0x8503), Boolean;
    PidLidReminderTimeTime = Id(0x8504), Time;
    PidLidReminderTimeDate = Id(0x8505), Time;
    PidLidReminderOverride = Id(0x851C), Boolean;
    PidLidReminderType = Id(0x851D), Integer32;
    PidLidReminderPlaySound = Id(0x851E), Boolean;
    PidLidReminderFileParameter = Id(0x851F), String;
    PidLidReminderSignalTime = Id(0x8560), Time;

    [C, "General Message Properties"]
    PidLidPrivate = Id(0x8506), Boolean;
    PidLidSideEffects = Id(0x8510), Integer32;
    PidLidRemoteStatus = Id(0x8511), Integer32;
    PidLidSmartNoAttach = Id(0x8514), Boolean;
    PidLidCommonStart = Id(0x8516), Time;
    PidLidCommonEnd = Id(0x8517), Time;
    PidLidAutoProcessState = Id(0x851A), Integer32;
    PidLidVerbStream = Id(0x8520), Binary;
    PidLidVerbResponse = Id(0x8524), String;
    PidLidMileage = Id(0x8534), String;
    PidLidBilling = Id(0x8535), String;
    PidLidCompanies = Id(0x8539), MultipleString;
    PidLidContacts = Id(0x853A), MultipleString;
    PidLidRecallTime = Id(0x8549), Time;
    PidLidCurrentVersion = Id(0x8552), Integer32;
    PidLidCurrentVersionName = Id(0x8554), String;
    PidLidImapDeleted = Id(0x8570), Integer32;
    PidLidHeaderItem = Id(0x8578), Integer32;
    PidLidInternetAccountName = Id(0x8580), String;
    PidLidInternetAccountStamp = Id(0x8581), String;
    PidLidUseTnef = Id(0x8582), Boolean;
    PidLidSpamOriginalFolder = Id(0x859C), Binary;
    PidLidIsInterpersonalFax = Id(0x859B), Boolean;
    PidLidClassified = Id(0x85B5), Boolean;
    PidLidClassification = Id(0x85B6), String;
    PidLidClassificationDescription = Id(0x85B7), String;
    PidLidClassificationGuid = Id(0x85B8), String;
    PidLidClassificationKeep = Id(0x85BA), Boolean;
    PidLidAgingDontAgeMe = Id(0x850E), Boolean;
    PidLidInfoPathFormName = Id(0x85B1), String;
    PidLidPendingStateForSiteMailboxDocument = Id(0x85E0), Integer32;

    [C, "Run-time configuration"]
    PidLidPropertyDefinitionStream = Id(0x8540), Binary;
    PidLidImageAttachmentsCompressionLevel = Id(0x8593), Integer32;
    PidLidFShouldTNEF = Id(0x85A5), Boolean;

    [C, "Meetings"]
    PidLidPromptSendUpdate = Id(0x8045), Boolean;
    PidLidNonSendableTo = Id(0x8536), String;
    PidLidNonSendableCc = Id(0x8537), String;
    PidLidNonSendableBcc = Id(0x8538), String;
    PidLidNonSendToTrackStatus = Id(0x8543), MultipleInteger32;
    PidLidNonSendCcTrackStatus = Id(0x8544), MultipleInteger32;
    PidLidNonSendBccTrackStatus = Id(0x8545), MultipleInteger32;

    [C, "Tasks"]
    PidLidTaskMode = Id(0x8518), Integer32;
    PidLidTaskGlobalId = Id(0x8519), Binary;
    PidLidToDoOrdinalDate = Id(0x85A0), Time;
    PidLidToDoSubOrdinal = Id(0x85A1), String;
    PidLidToDoTitle = Id(0x85A4), String;
    PidLidValidFlagStringProof = Id(0x85BF), Time;
    PidLidFlagString = Id(0x85C0), Integer32;

    [C, "Flagging"]
    PidLidFlagRequest = Id(0x8530), String;

    [C, "Contact Properties"]
    PidLidContactLinkSearchKey = Id(0x8584), Binary;
    PidLidContactLinkEntry = Id(0x8585), Binary;
    PidLidContactLinkName = Id(0x8586), String;
    PidLidReferenceEntryId = Id(0x85BD), Binary;

    [C, "Conversation Actions"]
    PidLidConversationActionMoveFolderEid = Id(0x85C6), Binary;
    PidLidConversationActionMoveStoreEid = Id(0x85C7), Binary;
    PidLidConversationActionMaxDeliveryTime = Id(0x85C8), Time;
    PidLidConversationProcessed = Id(0x85C9), Integer32;
    PidLidConversationActionLastAppliedTime = Id(0x85CA), Time;
    PidLidConversationActionVersion = Id(0x85CB), Integer32;
}
