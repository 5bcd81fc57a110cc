//! Special folders (MS-OXOSFLD) and the hierarchy a new store starts with, plus the 13
//! `FolderIds` of the RopLogon response (MS-OXCSTOR 2.2.1.1.3 private, 2.2.1.1.4 public).

use crate::constants::folder_type::{FOLDER_GENERIC, FOLDER_ROOT};

/// A special folder. The discriminant is stored in the `folders.special` column and never changes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[repr(u16)]
pub enum SpecialFolder {
    /// The root of the store's hierarchy (private "Root", public root).
    Root = 1,
    /// Deferred Action: messages with deferred rule actions.
    DeferredAction = 2,
    /// Spooler Queue: messages waiting for the spooler.
    SpoolerQueue = 3,
    /// The IPM subtree ("Top of Information Store"; public "IPM_SUBTREE").
    IpmSubtree = 4,
    /// Inbox.
    Inbox = 5,
    /// Outbox.
    Outbox = 6,
    /// Sent Items.
    SentItems = 7,
    /// Deleted Items (the wastebasket).
    DeletedItems = 8,
    /// Common Views.
    CommonViews = 9,
    /// Schedule.
    Schedule = 10,
    /// Finder: the root of search folders.
    Finder = 11,
    /// Views (personal views).
    Views = 12,
    /// Shortcuts.
    Shortcuts = 13,
    /// Drafts.
    Drafts = 14,
    /// Calendar.
    Calendar = 15,
    /// Contacts.
    Contacts = 16,
    /// Tasks.
    Tasks = 17,
    /// Notes.
    Notes = 18,
    /// Journal.
    Journal = 19,
    /// Junk E-mail.
    JunkEmail = 20,
    /// Sync Issues.
    SyncIssues = 21,
    /// Sync Issues/Conflicts.
    Conflicts = 22,
    /// Sync Issues/Local Failures.
    LocalFailures = 23,
    /// Sync Issues/Server Failures.
    ServerFailures = 24,
    /// Public store: NON_IPM_SUBTREE.
    NonIpmSubtree = 40,
    /// Public store: EFORMS REGISTRY.
    EFormsRegistry = 41,
    /// Public store: free/busy folder (SCHEDULE+ FREE BUSY).
    FreeBusy = 42,
    /// Public store: OFFLINE ADDRESS BOOK.
    OfflineAddressBook = 43,
    /// Public store: localized EFORMS REGISTRY (not created; logon slot 6 is zero).
    LocalizedEFormsRegistry = 44,
    /// Public store: local site free/busy folder (not created; logon slot 7 is zero).
    LocalFreeBusy = 45,
    /// Public store: local site offline address book (not created; logon slot 8 is zero).
    LocalOfflineAddressBook = 46,
    /// Public store: NNTP article index (not created; logon slot 9 is zero).
    NntpArticleIndex = 47,
}

impl SpecialFolder {
    /// Every special folder.
    pub const ALL: &'static [SpecialFolder] = &[
        Self::Root,
        Self::DeferredAction,
        Self::SpoolerQueue,
        Self::IpmSubtree,
        Self::Inbox,
        Self::Outbox,
        Self::SentItems,
        Self::DeletedItems,
        Self::CommonViews,
        Self::Schedule,
        Self::Finder,
        Self::Views,
        Self::Shortcuts,
        Self::Drafts,
        Self::Calendar,
        Self::Contacts,
        Self::Tasks,
        Self::Notes,
        Self::Journal,
        Self::JunkEmail,
        Self::SyncIssues,
        Self::Conflicts,
        Self::LocalFailures,
        Self::ServerFailures,
        Self::NonIpmSubtree,
        Self::EFormsRegistry,
        Self::FreeBusy,
        Self::OfflineAddressBook,
        Self::LocalizedEFormsRegistry,
        Self::LocalFreeBusy,
        Self::LocalOfflineAddressBook,
        Self::NntpArticleIndex,
    ];

    /// The stored code.
    pub fn code(self) -> u16 {
        self as u16
    }

    /// The folder for a stored code.
    pub fn from_code(code: u16) -> Option<SpecialFolder> {
        Self::ALL.iter().copied().find(|f| f.code() == code)
    }
}

/// RopLogon `FolderIds` of a private mailbox, in order (MS-OXCSTOR 2.2.1.1.3).
pub const PRIVATE_LOGON_FOLDERS: [SpecialFolder; 13] = [
    SpecialFolder::Root,
    SpecialFolder::DeferredAction,
    SpecialFolder::SpoolerQueue,
    SpecialFolder::IpmSubtree,
    SpecialFolder::Inbox,
    SpecialFolder::Outbox,
    SpecialFolder::SentItems,
    SpecialFolder::DeletedItems,
    SpecialFolder::CommonViews,
    SpecialFolder::Schedule,
    SpecialFolder::Finder,
    SpecialFolder::Views,
    SpecialFolder::Shortcuts,
];

/// RopLogon `FolderIds` of the public folder store, in order (MS-OXCSTOR 2.2.1.1.4); `None`
/// slots are unused and sent as zero.
pub const PUBLIC_LOGON_FOLDERS: [Option<SpecialFolder>; 13] = [
    Some(SpecialFolder::Root),
    Some(SpecialFolder::IpmSubtree),
    Some(SpecialFolder::NonIpmSubtree),
    Some(SpecialFolder::EFormsRegistry),
    Some(SpecialFolder::FreeBusy),
    Some(SpecialFolder::OfflineAddressBook),
    Some(SpecialFolder::LocalizedEFormsRegistry),
    Some(SpecialFolder::LocalFreeBusy),
    Some(SpecialFolder::LocalOfflineAddressBook),
    Some(SpecialFolder::NntpArticleIndex),
    None,
    None,
    None,
];

/// One folder of a new store's hierarchy.
#[derive(Debug)]
pub(crate) struct FolderSpec {
    pub which: SpecialFolder,
    /// `None` for the root.
    pub parent: Option<SpecialFolder>,
    /// PR_DISPLAY_NAME; empty = not set (the root).
    pub name: &'static str,
    /// PR_CONTAINER_CLASS, if any.
    pub class: Option<&'static str>,
    /// PR_FOLDER_TYPE.
    pub folder_type: u32,
}

const fn spec(
    which: SpecialFolder,
    parent: SpecialFolder,
    name: &'static str,
    class: Option<&'static str>,
) -> FolderSpec {
    FolderSpec { which, parent: Some(parent), name, class, folder_type: FOLDER_GENERIC }
}

const ROOT: FolderSpec =
    FolderSpec { which: SpecialFolder::Root, parent: None, name: "", class: None, folder_type: FOLDER_ROOT };

const NOTE: Option<&str> = Some("IPF.Note");

/// The hierarchy of a new private mailbox, parents before children: the 13 logon folders first
/// (so their FIDs ascend in RopLogon order), then the other MS-OXOSFLD special folders under the
/// IPM subtree.
pub(crate) const PRIVATE_HIERARCHY: &[FolderSpec] = {
    use SpecialFolder as S;
    &[
        ROOT,
        spec(S::DeferredAction, S::Root, "Deferred Action", None),
        spec(S::SpoolerQueue, S::Root, "Spooler Queue", None),
        spec(S::IpmSubtree, S::Root, "Top of Information Store", None),
        spec(S::Inbox, S::IpmSubtree, "Inbox", NOTE),
        spec(S::Outbox, S::IpmSubtree, "Outbox", NOTE),
        spec(S::SentItems, S::IpmSubtree, "Sent Items", NOTE),
        spec(S::DeletedItems, S::IpmSubtree, "Deleted Items", NOTE),
        spec(S::CommonViews, S::Root, "Common Views", None),
        spec(S::Schedule, S::Root, "Schedule", None),
        spec(S::Finder, S::Root, "Finder", None),
        spec(S::Views, S::Root, "Views", None),
        spec(S::Shortcuts, S::Root, "Shortcuts", None),
        spec(S::Drafts, S::IpmSubtree, "Drafts", NOTE),
        spec(S::Calendar, S::IpmSubtree, "Calendar", Some("IPF.Appointment")),
        spec(S::Contacts, S::IpmSubtree, "Contacts", Some("IPF.Contact")),
        spec(S::Tasks, S::IpmSubtree, "Tasks", Some("IPF.Task")),
        spec(S::Notes, S::IpmSubtree, "Notes", Some("IPF.StickyNote")),
        spec(S::Journal, S::IpmSubtree, "Journal", Some("IPF.Journal")),
        spec(S::JunkEmail, S::IpmSubtree, "Junk E-mail", NOTE),
        spec(S::SyncIssues, S::IpmSubtree, "Sync Issues", NOTE),
        spec(S::Conflicts, S::SyncIssues, "Conflicts", NOTE),
        spec(S::LocalFailures, S::SyncIssues, "Local Failures", NOTE),
        spec(S::ServerFailures, S::SyncIssues, "Server Failures", NOTE),
    ]
};

/// The hierarchy of a new public folder store, parents before children.
pub(crate) const PUBLIC_HIERARCHY: &[FolderSpec] = {
    use SpecialFolder as S;
    &[
        ROOT,
        spec(S::IpmSubtree, S::Root, "IPM_SUBTREE", None),
        spec(S::NonIpmSubtree, S::Root, "NON_IPM_SUBTREE", None),
        spec(S::EFormsRegistry, S::NonIpmSubtree, "EFORMS REGISTRY", None),
        spec(S::FreeBusy, S::NonIpmSubtree, "SCHEDULE+ FREE BUSY", None),
        spec(S::OfflineAddressBook, S::NonIpmSubtree, "OFFLINE ADDRESS BOOK", None),
    ]
};

/// PR_ADDITIONAL_REN_ENTRYIDS order (MS-OXOSFLD 2.2.4): Conflicts, Sync Issues, Local Failures,
/// Server Failures, Junk E-mail.
pub(crate) const ADDITIONAL_REN_FOLDERS: [SpecialFolder; 5] = [
    SpecialFolder::Conflicts,
    SpecialFolder::SyncIssues,
    SpecialFolder::LocalFailures,
    SpecialFolder::ServerFailures,
    SpecialFolder::JunkEmail,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_hierarchies_are_parent_first() {
        for f in SpecialFolder::ALL {
            assert_eq!(SpecialFolder::from_code(f.code()), Some(*f));
        }
        for h in [PRIVATE_HIERARCHY, PUBLIC_HIERARCHY] {
            for (i, s) in h.iter().enumerate() {
                if let Some(p) = s.parent {
                    assert!(h[..i].iter().any(|x| x.which == p), "{:?} before its parent", s.which);
                }
            }
        }
        for (i, f) in PRIVATE_LOGON_FOLDERS.iter().enumerate() {
            assert_eq!(PRIVATE_HIERARCHY[i].which, *f);
        }
    }
}
