//! The string-named (MNID_STRING) sets and PS_PUBLIC_STRINGS: document properties
//! (MS-OXODOC 2.2), the WebDAV calendar names (MS-XWDCAL), Internet headers promoted to
//! properties (MS-OXCMAIL, MS-OXSHARE), unified messaging (MS-OXOUM) and attachment marks
//! (MS-OXPROPS section 2). Names and types from MS-OXPROPS, cross-checked against
//! OpenChange's table (whose PidNameKeywords type and calendar names MS-OXPROPS corrects).

use super::{NameKey, NameRef, NamedEntry};
use crate::guid::{
    PS_INTERNET_HEADERS as H, PS_PUBLIC_STRINGS as PS, PSETID_ATTACHMENT as AT, PSETID_MESSAGING as MSG,
    PSETID_UNIFIED_MESSAGING as UM,
};
use crate::ptype::PropType;

named_entries! {
    [PS, "Common"]
    // MS-OXPROPS lists the LID in decimal terms: 9000 = 0x2328 (not 0x9000).
    PidLidCategories = Id(0x2328), MultipleString;
    PidNameKeywords = Str("Keywords"), MultipleString;
    PidNameApplicationName = Str("AppName"), String;
    PidNameAuthor = Str("Author"), String;
    PidNameByteCount = Str("ByteCount"), Integer32;
    PidNameCategory = Str("Category"), String;
    PidNameCharacterCount = Str("CharCount"), Integer32;
    PidNameComments = Str("Comments"), String;
    PidNameCompany = Str("Company"), String;
    PidNameCreateDateTimeReadOnly = Str("CreateDtmRo"), Time;
    PidNameEditTime = Str("EditTime"), String;
    PidNameHiddenCount = Str("HiddenCount"), Integer32;
    PidNameLastAuthor = Str("LastAuthor"), String;
    PidNameLastPrinted = Str("LastPrinted"), Time;
    PidNameLastSaveDateTime = Str("LastSaveDtm"), Time;
    PidNameLineCount = Str("LineCount"), Integer32;
    PidNameManager = Str("Manager"), String;
    PidNameMultimediaClipCount = Str("MMClipCount"), Integer32;
    PidNameNoteCount = Str("NoteCount"), Integer32;
    PidNamePageCount = Str("PageCount"), Integer32;
    PidNameParagraphCount = Str("ParCount"), Integer32;
    PidNamePresentationFormat = Str("PresFormat"), String;
    PidNameSecurity = Str("Security"), Integer32;
    PidNameSlideCount = Str("SlideCount"), Integer32;
    PidNameSubject = Str("Subject"), String;
    PidNameTemplate = Str("Template"), String;
    PidNameTitle = Str("Title"), String;
    PidNameWordCount = Str("WordCount"), Integer32;
    PidNameRightsManagementLicense = Str("DRMLicense"), MultipleBinary;
    PidNameExchangeJunkEmailMoveStamp = Str("http://schemas.microsoft.com/exchange/junkemailmovestamp"), Integer32;
    PidNamePhishingStamp = Str("http://schemas.microsoft.com/outlook/phishingstamp"), Integer32;
    PidNameOMSAccountGuid = Str("OMSAccountGuid"), String;
    PidNameOMSMobileModel = Str("OMSMobileModel"), String;
    PidNameOMSScheduleTime = Str("OMSScheduleTime"), Time;
    PidNameOMSServiceType = Str("OMSServiceType"), Integer32;
    PidNameOMSSourceType = Str("OMSSourceType"), Integer32;
    PidNameCalendarAttendeeRole = Str("urn:schemas:calendar:attendeerole"), Integer32;
    PidNameCalendarBusystatus = Str("urn:schemas:calendar:busystatus"), String;
    PidNameCalendarContact = Str("urn:schemas:calendar:contact"), String;
    PidNameCalendarContactUrl = Str("urn:schemas:calendar:contacturl"), String;
    PidNameCalendarCreated = Str("urn:schemas:calendar:created"), Time;
    PidNameCalendarDescriptionUrl = Str("urn:schemas:calendar:descriptionurl"), String;
    PidNameCalendarDuration = Str("urn:schemas:calendar:duration"), Integer32;
    PidNameCalendarExceptionDate = Str("urn:schemas:calendar:exdate"), MultipleTime;
    PidNameCalendarExceptionRule = Str("urn:schemas:calendar:exrule"), MultipleString;
    PidNameCalendarGeoLatitude = Str("urn:schemas:calendar:geolatitude"), Floating64;
    PidNameCalendarGeoLongitude = Str("urn:schemas:calendar:geolongitude"), Floating64;
    PidNameCalendarInstanceType = Str("urn:schemas:calendar:instancetype"), Integer32;
    PidNameCalendarIsOrganizer = Str("urn:schemas:calendar:isorganizer"), Boolean;
    PidNameCalendarLastModified = Str("urn:schemas:calendar:lastmodified"), Time;
    PidNameCalendarLocationUrl = Str("urn:schemas:calendar:locationurl"), String;
    PidNameCalendarMeetingStatus = Str("urn:schemas:calendar:meetingstatus"), String;
    PidNameCalendarMethod = Str("urn:schemas:calendar:method"), String;
    PidNameCalendarProductId = Str("urn:schemas:calendar:prodid"), String;
    PidNameCalendarRecurrenceIdRange = Str("urn:schemas:calendar:recurrenceidrange"), String;
    PidNameCalendarReminderOffset = Str("urn:schemas:calendar:reminderoffset"), Integer32;
    PidNameCalendarResources = Str("urn:schemas:calendar:resources"), String;
    PidNameCalendarRsvp = Str("urn:schemas:calendar:rsvp"), Boolean;
    PidNameCalendarSequence = Str("urn:schemas:calendar:sequence"), Integer32;
    PidNameCalendarTimeZone = Str("urn:schemas:calendar:timezone"), String;
    PidNameCalendarTimeZoneId = Str("urn:schemas:calendar:timezoneid"), Integer32;
    PidNameCalendarTransparent = Str("urn:schemas:calendar:transparent"), String;
    PidNameCalendarUid = Str("urn:schemas:calendar:uid"), String;
    PidNameCalendarVersion = Str("urn:schemas:calendar:version"), String;

    [H, "Email"]
    PidNameAcceptLanguage = Str("Accept-Language"), String;
    PidNameContentBase = Str("Content-Base"), String;
    PidNameContentClass = Str("Content-Class"), String;
    PidNameContentType = Str("Content-Type"), String;
    PidNameCrossReference = Str("Xref"), String;

    [H, "Sharing"]
    PidNameXSharingBrowseUrl = Str("X-Sharing-Browse-Url"), String;
    PidNameXSharingCapabilities = Str("X-Sharing-Capabilities"), String;
    PidNameXSharingConfigUrl = Str("X-Sharing-Config-Url"), String;
    PidNameXSharingFlavor = Str("X-Sharing-Flavor"), String;
    PidNameXSharingInstanceGuid = Str("X-Sharing-Instance-Guid"), String;
    PidNameXSharingLocalType = Str("X-Sharing-Local-Type"), String;
    PidNameXSharingProviderGuid = Str("X-Sharing-Provider-Guid"), String;
    PidNameXSharingProviderName = Str("X-Sharing-Provider-Name"), String;
    PidNameXSharingProviderUrl = Str("X-Sharing-Provider-Url"), String;
    PidNameXSharingRemoteName = Str("X-Sharing-Remote-Name"), String;
    PidNameXSharingRemotePath = Str("X-Sharing-Remote-Path"), String;
    PidNameXSharingRemoteStoreUid = Str("X-Sharing-Remote-Store-Uid"), String;
    PidNameXSharingRemoteType = Str("X-Sharing-Remote-Type"), String;
    PidNameXSharingRemoteUid = Str("X-Sharing-Remote-Uid"), String;

    [UM, "Unified Messaging"]
    PidNameAudioNotes = Str("UMAudioNotes"), String;
    PidNameAutomaticSpeechRecognitionData = Str("AsrData"), Binary;

    [MSG, "Secure Messaging Properties"]
    PidNameOriginalSpamConfidenceLevel = Str("OriginalScl"), Integer32;

    [AT, "Message Attachment Properties"]
    PidNameAttachmentMacContentType = Str("AttachmentMacContentType"), String;
    PidNameAttachmentMacInfo = Str("AttachmentMacInfo"), Binary;
}
