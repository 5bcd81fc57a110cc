//! The fixed shapes of a new store ([MS-PST] 2.4.4.2 Folder Template Tables, 2.7 Minimal PST):
//! the column sets of the hierarchy, contents, associated contents, search contents,
//! recipient and attachment tables, the special node ids, and the properties the special
//! folders start with. The column sets are the ones the specification lists for each table
//! (2.4.4.4.1, 2.4.4.5.1, 2.4.4.6.1, 2.4.8.6.2.1, 2.4.5.3.1, 2.4.6.1.1), which are also the
//! ones Outlook's template nodes 0x60D … 0x692 carry. PidTagLtpRowId (0x67F2) and
//! PidTagLtpRowVer (0x67F3) are not listed: every table context has them at offsets 0 and 4
//! ([MS-PST] 2.3.4.4), and the table builder adds them.

use oxmapi_core::tag::PropTag;

/// NID_SEARCH_MANAGEMENT_QUEUE: pending search updates ([MS-PST] 2.4.8.4.1).
pub const NID_SEARCH_MANAGEMENT_QUEUE: u32 = 0x1E1;
/// NID_SEARCH_ACTIVITY_LIST: search folders with an active search ([MS-PST] 2.4.8.4.2).
pub const NID_SEARCH_ACTIVITY_LIST: u32 = 0x201;
/// NID_SEARCH_DOMAIN_OBJECT: folders some search folder looks into ([MS-PST] 2.4.8.4.3).
pub const NID_SEARCH_DOMAIN_OBJECT: u32 = 0x261;
/// NID_HIERARCHY_TABLE_TEMPLATE.
pub const NID_HIERARCHY_TABLE_TEMPLATE: u32 = 0x60D;
/// NID_CONTENTS_TABLE_TEMPLATE.
pub const NID_CONTENTS_TABLE_TEMPLATE: u32 = 0x60E;
/// NID_ASSOC_CONTENTS_TABLE_TEMPLATE.
pub const NID_ASSOC_CONTENTS_TABLE_TEMPLATE: u32 = 0x60F;
/// NID_SEARCH_CONTENTS_TABLE_TEMPLATE.
pub const NID_SEARCH_CONTENTS_TABLE_TEMPLATE: u32 = 0x610;
/// NID_ATTACHMENT_TABLE: the attachment table template, and a message's attachment table
/// subnode.
pub const NID_ATTACHMENT_TABLE: u32 = 0x671;
/// NID_RECIPIENT_TABLE: the recipient table template, and a message's recipient table subnode.
pub const NID_RECIPIENT_TABLE: u32 = 0x692;
/// The spam search folder of a new store ([MS-PST] 2.7.3.4.4) and the nodes that go with it:
/// its search update queue, its search criteria object and its search contents table.
pub const NID_SPAM_SEARCH_FOLDER: u32 = 0x2223;

/// NID_TYPE_NORMAL_FOLDER ([MS-PST] 2.2.2.1).
pub const NID_TYPE_NORMAL_FOLDER: u8 = 0x02;
/// NID_TYPE_SEARCH_FOLDER.
pub const NID_TYPE_SEARCH_FOLDER: u8 = 0x03;
/// NID_TYPE_NORMAL_MESSAGE.
pub const NID_TYPE_NORMAL_MESSAGE: u8 = 0x04;
/// NID_TYPE_ATTACHMENT.
pub const NID_TYPE_ATTACHMENT: u8 = 0x05;
/// NID_TYPE_SEARCH_UPDATE_QUEUE.
pub const NID_TYPE_SEARCH_UPDATE_QUEUE: u8 = 0x06;
/// NID_TYPE_SEARCH_CRITERIA_OBJECT.
pub const NID_TYPE_SEARCH_CRITERIA_OBJECT: u8 = 0x07;
/// NID_TYPE_ASSOC_MESSAGE.
pub const NID_TYPE_ASSOC_MESSAGE: u8 = 0x08;
/// NID_TYPE_HIERARCHY_TABLE.
pub const NID_TYPE_HIERARCHY_TABLE: u8 = 0x0D;
/// NID_TYPE_CONTENTS_TABLE.
pub const NID_TYPE_CONTENTS_TABLE: u8 = 0x0E;
/// NID_TYPE_ASSOC_CONTENTS_TABLE.
pub const NID_TYPE_ASSOC_CONTENTS_TABLE: u8 = 0x0F;
/// NID_TYPE_SEARCH_CONTENTS_TABLE.
pub const NID_TYPE_SEARCH_CONTENTS_TABLE: u8 = 0x10;

/// The node id of type `ty` with the index of `nid` (a folder's tables share its index).
pub fn with_type(nid: u32, ty: u8) -> u32 {
    (nid & !0x1F) | ty as u32
}

/// The hierarchy table's columns ([MS-PST] 2.4.4.4.1): display name, counts, sub-folders flag,
/// container class, the PST's hidden counts, and the replication columns.
pub const HIERARCHY_COLUMNS: &[u32] = &[
    0x0E30_0102, // PidTagReplItemid
    0x0E33_0014, // PidTagReplChangenum
    0x0E34_0102, // PidTagReplVersionhistory
    0x0E38_0003, // PidTagReplFlags
    0x3001_001F, // PidTagDisplayName
    0x3602_0003, // PidTagContentCount
    0x3603_0003, // PidTagContentUnreadCount
    0x360A_000B, // PidTagSubfolders
    0x3613_001F, // PidTagContainerClass
    0x6635_0003, // PidTagPstHiddenCount
    0x6636_0003, // PidTagPstHiddenUnread
];

/// The contents table's columns ([MS-PST] 2.4.4.5.1).
pub const CONTENTS_COLUMNS: &[u32] = &[
    0x0017_0003, // PidTagImportance
    0x001A_001F, // PidTagMessageClass
    0x0036_0003, // PidTagSensitivity
    0x0037_001F, // PidTagSubject
    0x0039_0040, // PidTagClientSubmitTime
    0x0042_001F, // PidTagSentRepresentingName
    0x0057_000B, // PidTagMessageToMe
    0x0058_000B, // PidTagMessageCcMe
    0x0070_001F, // PidTagConversationTopic
    0x0071_0102, // PidTagConversationIndex
    0x0E03_001F, // PidTagDisplayCc
    0x0E04_001F, // PidTagDisplayTo
    0x0E06_0040, // PidTagMessageDeliveryTime
    0x0E07_0003, // PidTagMessageFlags
    0x0E08_0003, // PidTagMessageSize
    0x0E17_0003, // PidTagMessageStatus
    0x0E30_0102, // PidTagReplItemid
    0x0E33_0014, // PidTagReplChangenum
    0x0E34_0102, // PidTagReplVersionhistory
    0x0E38_0003, // PidTagReplFlags
    0x0E3C_0102, // PidTagReplCopiedfromVersionhistory
    0x0E3D_0102, // PidTagReplCopiedfromItemid
    0x1097_0003, // PidTagItemTemporaryFlags
    0x3008_0040, // PidTagLastModificationTime
    0x3013_0102, // PidTagChangeKey (as the template lists it)
    0x65C6_0003, // PidTagSecureSubmitFlags
];

/// The associated (FAI) contents table's columns ([MS-PST] 2.4.4.6.1).
pub const ASSOC_CONTENTS_COLUMNS: &[u32] = &[
    0x001A_001F, // PidTagMessageClass
    0x0E07_0003, // PidTagMessageFlags
    0x0E17_0003, // PidTagMessageStatus
    0x3001_001F, // PidTagDisplayName
    0x6800_001F, // PidTagOfflineAddressBookName
    0x6803_000B, // PidTagSendOutlookRecallReport
    0x6805_1003, // PidTagOfflineAddressBookTruncatedProperties
    0x682F_001F, // PidTagViewDescriptorName
    0x7003_0003, // PidTagViewDescriptorFlags
    0x7004_0102, // PidTagViewDescriptorLinkTo
    0x7005_0102, // PidTagViewDescriptorViewFolder
    0x7006_001F, // PidTagViewDescriptorName
    0x7007_0003, // PidTagViewDescriptorVersion
];

/// The search folder contents table's columns ([MS-PST] 2.4.8.6.2.1).
pub const SEARCH_CONTENTS_COLUMNS: &[u32] = &[
    0x0017_0003, // PidTagImportance
    0x001A_001F, // PidTagMessageClass
    0x0036_0003, // PidTagSensitivity
    0x0037_001F, // PidTagSubject
    0x0042_001F, // PidTagSentRepresentingName
    0x0057_000B, // PidTagMessageToMe
    0x0058_000B, // PidTagMessageCcMe
    0x0E03_001F, // PidTagDisplayCc
    0x0E04_001F, // PidTagDisplayTo
    0x0E05_001F, // PidTagParentDisplay
    0x0E06_0040, // PidTagMessageDeliveryTime
    0x0E07_0003, // PidTagMessageFlags
    0x0E08_0003, // PidTagMessageSize
    0x0E17_0003, // PidTagMessageStatus
    0x0E2A_000B, // PidTagExchangeRemoteHeader
    0x3008_0040, // PidTagLastModificationTime
    0x67F1_0003, // PidTagLtpParentNid
];

/// The recipient table's columns ([MS-PST] 2.4.5.3.1). A message's recipient table also has a
/// column for every other property its recipients carry: recipients have no object of their own.
pub const RECIPIENT_COLUMNS: &[u32] = &[
    0x0C15_0003, // PidTagRecipientType
    0x0E0F_000B, // PidTagResponsibility
    0x0FF9_0102, // PidTagRecordKey
    0x0FFE_0003, // PidTagObjectType
    0x0FFF_0102, // PidTagEntryId
    0x3001_001F, // PidTagDisplayName
    0x3002_001F, // PidTagAddressType
    0x3003_001F, // PidTagEmailAddress
    0x300B_0102, // PidTagSearchKey
    0x3900_0003, // PidTagDisplayType
    0x39FF_001F, // PidTag7BitDisplayName
    0x3A40_000B, // PidTagSendRichInfo
];

/// The attachment table's columns ([MS-PST] 2.4.6.1.1).
pub const ATTACHMENT_COLUMNS: &[u32] = &[
    0x0E20_0003, // PidTagAttachSize
    0x3704_001F, // PidTagAttachFilename
    0x3705_0003, // PidTagAttachMethod
    0x370B_0003, // PidTagRenderingPosition
];

/// A column list as tags.
pub fn columns(list: &[u32]) -> Vec<PropTag> {
    list.iter().map(|t| PropTag(*t)).collect()
}

/// PidTagLtpRowId: the row id column every table context carries ([MS-PST] 2.3.4.4).
pub const LTP_ROW_ID: u16 = 0x67F2;
/// PidTagLtpRowVer.
pub const LTP_ROW_VER: u16 = 0x67F3;

/// The display names of the folders a new store starts with ([MS-PST] 2.7.3).
pub mod names {
    /// The IPM subtree.
    pub const IPM_SUBTREE: &str = "Top of Personal Folders";
    /// The search root (PR_FINDER_ENTRYID).
    pub const SEARCH_ROOT: &str = "Search Root";
    /// The wastebasket.
    pub const DELETED_ITEMS: &str = "Deleted Items";
    /// The spam search folder.
    pub const SPAM_SEARCH_FOLDER: &str = "SPAM Search Folder 2";
}

/// PR_VALID_FOLDER_MASK bits ([MS-PST] 2.4.3.1): which special folders the store names.
pub mod valid_folder {
    /// FOLDER_IPM_SUBTREE_VALID.
    pub const IPM_SUBTREE: i32 = 0x01;
    /// FOLDER_IPM_WASTEBASKET_VALID.
    pub const WASTEBASKET: i32 = 0x08;
    /// FOLDER_FINDER_VALID.
    pub const FINDER: i32 = 0x80;
}
