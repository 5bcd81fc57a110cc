//! Constants the store needs that the core catalogue does not carry (yet). Each one names its
//! source; when core gains them, these move there.

use oxmapi_core::tag::PropTag;

/// PidTagEformsRegistryEntryId / PR_EFORMS_REGISTRY_ENTRYID (0x66210102): entry ID of the
/// public store's EFORMS REGISTRY folder [mfcmapi core/mapi/extraPropTags.h; gromox mapitags.hpp].
pub const PR_EFORMS_REGISTRY_ENTRYID: PropTag = PropTag(0x6621_0102);

/// PR_FOLDER_TYPE values (MS-OXCFOLD 2.2.2.2.1.6, PidTagFolderType).
pub mod folder_type {
    /// FOLDER_ROOT: the root of a store's hierarchy.
    pub const FOLDER_ROOT: u32 = 0;
    /// FOLDER_GENERIC: an ordinary folder.
    pub const FOLDER_GENERIC: u32 = 1;
    /// FOLDER_SEARCH: a search folder.
    pub const FOLDER_SEARCH: u32 = 2;
}

/// PR_VALID_FOLDER_MASK bits (PidTagValidFolderMask, MS-OXPROPS 2.1057) [wine mapidefs.h].
pub mod valid_folder_mask {
    /// FOLDER_IPM_SUBTREE_VALID.
    pub const FOLDER_IPM_SUBTREE_VALID: u32 = 0x01;
    /// FOLDER_IPM_INBOX_VALID.
    pub const FOLDER_IPM_INBOX_VALID: u32 = 0x02;
    /// FOLDER_IPM_OUTBOX_VALID.
    pub const FOLDER_IPM_OUTBOX_VALID: u32 = 0x04;
    /// FOLDER_IPM_WASTEBASKET_VALID.
    pub const FOLDER_IPM_WASTEBASKET_VALID: u32 = 0x08;
    /// FOLDER_IPM_SENTMAIL_VALID.
    pub const FOLDER_IPM_SENTMAIL_VALID: u32 = 0x10;
    /// FOLDER_VIEWS_VALID.
    pub const FOLDER_VIEWS_VALID: u32 = 0x20;
    /// FOLDER_COMMON_VIEWS_VALID.
    pub const FOLDER_COMMON_VIEWS_VALID: u32 = 0x40;
    /// FOLDER_FINDER_VALID.
    pub const FOLDER_FINDER_VALID: u32 = 0x80;
}

/// RopGetStoreState `StoreState` flag: the mailbox has persisted search folders
/// (MS-OXCSTOR 2.2.1.5.2).
pub const STORE_HAS_SEARCHES: u32 = 0x0100_0000;
