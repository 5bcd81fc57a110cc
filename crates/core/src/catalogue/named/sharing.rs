//! PSETID_Sharing {00062040-0000-0000-C000-000000000046}: sharing messages and sharing
//! bindings (MS-OXPROPS section 2, defined in MS-OXSHARE 2.2). LIDs and types from
//! MS-OXPROPS, cross-checked against MFCMAPI's and OpenChange's tables.

use super::{NameKey, NameRef, NamedEntry};
use crate::guid::PSETID_SHARING as S;
use crate::ptype::PropType;

named_entries! {
    [S, "Sharing"]
    PidLidSharingStatus = Id(0x8A00), Integer32;
    PidLidSharingProviderGuid = Id(0x8A01), Binary;
    PidLidSharingProviderName = Id(0x8A02), String;
    PidLidSharingProviderUrl = Id(0x8A03), String;
    PidLidSharingRemotePath = Id(0x8A04), String;
    PidLidSharingRemoteName = Id(0x8A05), String;
    PidLidSharingRemoteUid = Id(0x8A06), String;
    PidLidSharingInitiatorName = Id(0x8A07), String;
    PidLidSharingInitiatorSmtp = Id(0x8A08), String;
    PidLidSharingInitiatorEntryId = Id(0x8A09), Binary;
    PidLidSharingFlags = Id(0x8A0A), Integer32;
    PidLidSharingProviderExtension = Id(0x8A0B), String;
    PidLidSharingRemoteUser = Id(0x8A0C), String;
    PidLidSharingRemotePass = Id(0x8A0D), String;
    PidLidSharingLocalPath = Id(0x8A0E), String;
    PidLidSharingLocalName = Id(0x8A0F), String;
    PidLidSharingLocalUid = Id(0x8A10), String;
    PidLidSharingFilter = Id(0x8A13), Binary;
    PidLidSharingLocalType = Id(0x8A14), String;
    PidLidSharingFolderEntryId = Id(0x8A15), Binary;
    PidLidSharingCapabilities = Id(0x8A17), Integer32;
    PidLidSharingFlavor = Id(0x8A18), Integer32;
    PidLidSharingAnonymity = Id(0x8A19), Integer32;
    PidLidSharingReciprocation = Id(0x8A1A), Integer32;
    PidLidSharingPermissions = Id(0x8A1B), Integer32;
    PidLidSharingInstanceGuid = Id(0x8A1C), Binary;
    PidLidSharingRemoteType = Id(0x8A1D), String;
    PidLidSharingParticipants = Id(0x8A1E), String;
    PidLidSharingLastSyncTime = Id(0x8A1F), Time;
    PidLidSharingExtensionXml = Id(0x8A21), String;
    PidLidSharingRemoteLastModificationTime = Id(0x8A22), Time;
    PidLidSharingLocalLastModificationTime = Id(0x8A23), Time;
    PidLidSharingConfigurationUrl = Id(0x8A24), String;
    PidLidSharingStart = Id(0x8A25), Time;
    PidLidSharingStop = Id(0x8A26), Time;
    PidLidSharingResponseType = Id(0x8A27), Integer32;
    PidLidSharingResponseTime = Id(0x8A28), Time;
    PidLidSharingOriginalMessageEntryId = Id(0x8A29), Binary;
    PidLidSharingSyncInterval = Id(0x8A2A), Integer32;
    PidLidSharingDetail = Id(0x8A2B), Integer32;
    PidLidSharingTimeToLive = Id(0x8A2C), Integer32;
    PidLidSharingBindingEntryId = Id(0x8A2D), Binary;
    PidLidSharingIndexEntryId = Id(0x8A2E), Binary;
    PidLidSharingRemoteComment = Id(0x8A2F), String;
    PidLidSharingWorkingHoursStart = Id(0x8A40), Time;
    PidLidSharingWorkingHoursEnd = Id(0x8A41), Time;
    PidLidSharingWorkingHoursDays = Id(0x8A42), Integer32;
    PidLidSharingWorkingHoursTimeZone = Id(0x8A43), Binary;
    PidLidSharingDataRangeStart = Id(0x8A44), Time;
    PidLidSharingDataRangeEnd = Id(0x8A45), Time;
    PidLidSharingRangeStart = Id(0x8A46), Integer32;
    PidLidSharingRangeEnd = Id(0x8A47), Integer32;
    PidLidSharingRemoteStoreUid = Id(0x8A48), String;
    PidLidSharingLocalStoreUid = Id(0x8A49), String;
    PidLidSharingRemoteByteSize = Id(0x8A4B), Integer32;
    PidLidSharingRemoteCrc = Id(0x8A4C), Integer32;
    PidLidSharingLocalComment = Id(0x8A4D), String;
    PidLidSharingRoamLog = Id(0x8A4E), Integer32;
    PidLidSharingRemoteMessageCount = Id(0x8A4F), Integer32;
    PidLidSharingBrowseUrl = Id(0x8A51), String;
    PidLidSharingLastAutoSyncTime = Id(0x8A55), Time;
    PidLidSharingTimeToLiveAuto = Id(0x8A56), Integer32;
    PidLidSharingRemoteVersion = Id(0x8A5B), String;
    PidLidSharingParentBindingEntryId = Id(0x8A5C), Binary;
    PidLidSharingSyncFlags = Id(0x8A60), Integer32;
}
