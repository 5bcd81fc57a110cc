//! PSETID_Address {00062004-0000-0000-C000-000000000046}: contacts and personal distribution
//! lists (MS-OXPROPS section 2, defined in MS-OXOCNTC 2.2). LIDs and types from MS-OXPROPS,
//! cross-checked against MFCMAPI's and OpenChange's named-property tables.

use super::{NameKey, NameRef, NamedEntry};
use crate::guid::PSETID_ADDRESS as A;
use crate::ptype::PropType;

named_entries! {
    [A, "Contact Properties"]
    PidLidFileUnder = Id(0x8005), String;
    PidLidFileUnderId = Id(0x8006), Integer32;
    PidLidContactItemData = Id(0x8007), MultipleInteger32;
    PidLidDepartment = Id(0x8010), String;
    PidLidHasPicture = Id(0x8015), Boolean;
    PidLidHomeAddress = Id(0x801A), String;
    PidLidWorkAddress = Id(0x801B), String;
    PidLidOtherAddress = Id(0x801C), String;
    PidLidPostalAddressId = Id(0x8022), Integer32;
    PidLidContactCharacterSet = Id(0x8023), Integer32;
    PidLidAutoLog = Id(0x8025), Boolean;
    PidLidFileUnderList = Id(0x8026), MultipleInteger32;
    PidLidAddressBookProviderEmailList = Id(0x8028), MultipleInteger32;
    PidLidAddressBookProviderArrayType = Id(0x8029), Integer32;
    PidLidHtml = Id(0x802B), String;
    PidLidYomiFirstName = Id(0x802C), String;
    PidLidYomiLastName = Id(0x802D), String;
    PidLidYomiCompanyName = Id(0x802E), String;
    PidLidBusinessCardDisplayDefinition = Id(0x8040), Binary;
    PidLidBusinessCardCardPicture = Id(0x8041), Binary;
    PidLidWorkAddressStreet = Id(0x8045), String;
    PidLidWorkAddressCity = Id(0x8046), String;
    PidLidWorkAddressState = Id(0x8047), String;
    PidLidWorkAddressPostalCode = Id(0x8048), String;
    PidLidWorkAddressCountry = Id(0x8049), String;
    PidLidWorkAddressPostOfficeBox = Id(0x804A), String;
    PidLidDistributionListChecksum = Id(0x804C), Integer32;
    PidLidBirthdayEventEntryId = Id(0x804D), Binary;
    PidLidAnniversaryEventEntryId = Id(0x804E), Binary;
    PidLidContactUserField1 = Id(0x804F), String;
    PidLidContactUserField2 = Id(0x8050), String;
    PidLidContactUserField3 = Id(0x8051), String;
    PidLidContactUserField4 = Id(0x8052), String;
    PidLidDistributionListName = Id(0x8053), String;
    PidLidDistributionListOneOffMembers = Id(0x8054), MultipleBinary;
    PidLidDistributionListMembers = Id(0x8055), MultipleBinary;
    PidLidInstantMessagingAddress = Id(0x8062), String;
    PidLidDistributionListStream = Id(0x8064), Binary;
    PidLidEmail1DisplayName = Id(0x8080), String;
    PidLidEmail1AddressType = Id(0x8082), String;
    PidLidEmail1EmailAddress = Id(0x8083), String;
    PidLidEmail1OriginalDisplayName = Id(0x8084), String;
    PidLidEmail1OriginalEntryId = Id(0x8085), Binary;
    PidLidEmail2DisplayName = Id(0x8090), String;
    PidLidEmail2AddressType = Id(0x8092), String;
    PidLidEmail2EmailAddress = Id(0x8093), String;
    PidLidEmail2OriginalDisplayName = Id(0x8094), String;
    PidLidEmail2OriginalEntryId = Id(0x8095), Binary;
    PidLidEmail3DisplayName = Id(0x80A0), String;
    PidLidEmail3AddressType = Id(0x80A2), String;
    PidLidEmail3EmailAddress = Id(0x80A3), String;
    PidLidEmail3OriginalDisplayName = Id(0x80A4), String;
    PidLidEmail3OriginalEntryId = Id(0x80A5), Binary;
    PidLidFax1AddressType = Id(0x80B2), String;
    PidLidFax1EmailAddress = Id(0x80B3), String;
    PidLidFax1OriginalDisplayName = Id(0x80B4), String;
    PidLidFax1OriginalEntryId = Id(0x80B5), Binary;
    PidLidFax2AddressType = Id(0x80C2), String;
    PidLidFax2EmailAddress = Id(0x80C3), String;
    PidLidFax2OriginalDisplayName = Id(0x80C4), String;
    PidLidFax2OriginalEntryId = Id(0x80C5), Binary;
    PidLidFax3AddressType = Id(0x80D2), String;
    PidLidFax3EmailAddress = Id(0x80D3), String;
    PidLidFax3OriginalDisplayName = Id(0x80D4), String;
    PidLidFax3OriginalEntryId = Id(0x80D5), Binary;
    PidLidFreeBusyLocation = Id(0x80D8), String;
    PidLidHomeAddressCountryCode = Id(0x80DA), String;
    PidLidWorkAddressCountryCode = Id(0x80DB), String;
    PidLidOtherAddressCountryCode = Id(0x80DC), String;
    PidLidAddressCountryCode = Id(0x80DD), String;
    PidLidBirthdayLocal = Id(0x80DE), Time;
    PidLidWeddingAnniversaryLocal = Id(0x80DF), Time;
    PidLidIsContactLinked = Id(0x80E0), Boolean;
    PidLidContactLinkedGlobalAddressListEntryId = Id(0x80E2), Binary;
    PidLidContactLinkSMTPAddressCache = Id(0x80E3), MultipleString;
    PidLidContactLinkLinkRejectHistory = Id(0x80E5), MultipleBinary;
    PidLidContactLinkGlobalAddressListLinkState = Id(0x80E6), Integer32;
    PidLidContactLinkGlobalAddressListLinkId = Id(0x80E8), Guid;
}
