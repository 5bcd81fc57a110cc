//! The delegate list of a mailbox (MS-OXODLGT 2.2.2 Delegate Information object, 3.1.4.1):
//! the message "LocalFreebusy" (class `IPM.Microsoft.ScheduleData.FreeBusy`) in the folder
//! "Freebusy Data" under the mailbox root, whose entry ID is the second value of the root
//! folder's PidTagFreeBusyEntryIds (MS-OXOSFLD 2.2.6; the fourth names the folder). It carries
//! one entry per delegate in parallel multi-valued properties: PidTagScheduleInfoDelegateNames
//! (display names), PidTagScheduleInfoDelegateEntryIds (address book entry IDs) and
//! PidTagDelegateFlags (0: the delegate does not see private items).
//!
//! oxmapi keeps it in step with the Send on Behalf grants of the directory (`oxmapi admin grant
//! send-on-behalf`), as Exchange keeps it in step with the `publicDelegates` attribute; gromox
//! reads the same object (its delegate check for RopSubmitMessage reads the owner's
//! `delegates.txt`, which Outlook's delegate dialog writes with the list).

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::folders::FolderType;
use super::{MessageStore, SpecialFolder};
use crate::error::{StoreError, StoreResult};

/// The folder of the Delegate Information object (MS-OXODLGT 2.2.2: "Freebusy Data").
pub const DELEGATE_DATA_FOLDER: &str = "Freebusy Data";
/// The Delegate Information object's PR_SUBJECT.
pub const DELEGATE_INFO_SUBJECT: &str = "LocalFreebusy";
/// The Delegate Information object's PR_MESSAGE_CLASS.
pub const DELEGATE_INFO_CLASS: &str = "IPM.Microsoft.ScheduleData.FreeBusy";

/// One delegate of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegate {
    /// PidTagDisplayName of the delegate's address book entry.
    pub display_name: String,
    /// PidTagEntryId of the delegate's address book entry.
    pub entry_id: Vec<u8>,
}

impl MessageStore {
    /// The Delegate Information object (folder, message), when it exists.
    fn delegate_info(&self) -> StoreResult<Option<(ObjectId, ObjectId)>> {
        let root = self
            .special_folder(SpecialFolder::Root)
            .ok_or_else(|| StoreError::Corrupt("no root folder".into()))?;
        let Some(PropValue::MvBinary(ids)) = self.folder_property(root, PR_FREEBUSY_ENTRYIDS)? else {
            return Ok(None);
        };
        Ok(ids
            .get(1)
            .and_then(|eid| self.message_ids_from_entry_id(eid).ok())
            .filter(|(fid, mid)| self.open_message(*fid, *mid).is_ok()))
    }

    /// The delegates of this mailbox's Delegate Information object (empty when there is none).
    pub fn delegate_list(&self) -> StoreResult<Vec<Delegate>> {
        let Some((_, mid)) = self.delegate_info()? else { return Ok(Vec::new()) };
        let names = match self.message_property(mid, PR_SCHDINFO_DELEGATE_NAMES)? {
            Some(PropValue::MvUnicode(v)) => v,
            _ => Vec::new(),
        };
        let ids = match self.message_property(mid, PR_SCHDINFO_DELEGATE_ENTRYIDS)? {
            Some(PropValue::MvBinary(v)) => v,
            _ => Vec::new(),
        };
        Ok(names
            .into_iter()
            .zip(ids)
            .map(|(display_name, entry_id)| Delegate { display_name, entry_id })
            .collect())
    }

    /// Writes `delegates` as the delegate list (MS-OXODLGT 3.1.4.1), creating the "Freebusy
    /// Data" folder, the Delegate Information object and the root folder's
    /// PidTagFreeBusyEntryIds when missing.
    pub fn set_delegate_list(&self, delegates: &[Delegate]) -> StoreResult<()> {
        let root = self
            .special_folder(SpecialFolder::Root)
            .ok_or_else(|| StoreError::Corrupt("no root folder".into()))?;
        let mut draft = match self.delegate_info()? {
            Some((fid, mid)) => self.open_message(fid, mid)?,
            None => {
                let (fid, _) =
                    self.create_folder(root, DELEGATE_DATA_FOLDER, None, None, FolderType::Generic, true)?;
                self.create_message(fid, false)?
            }
        };
        let values = [
            (PR_MESSAGE_CLASS, PropValue::Unicode(DELEGATE_INFO_CLASS.into())),
            (PR_SUBJECT, PropValue::Unicode(DELEGATE_INFO_SUBJECT.into())),
            (
                PR_SCHDINFO_DELEGATE_NAMES,
                PropValue::MvUnicode(delegates.iter().map(|d| d.display_name.clone()).collect()),
            ),
            (
                PR_SCHDINFO_DELEGATE_ENTRYIDS,
                PropValue::MvBinary(delegates.iter().map(|d| d.entry_id.clone()).collect()),
            ),
            (PR_DELEGATE_FLAGS, PropValue::MvI32(vec![0; delegates.len()])),
        ];
        for (tag, value) in values {
            draft.props.set(tag, value);
        }
        draft.dirty = true;
        let mid = self.save_message(&mut draft, true)?;
        let fid = draft
            .folder_id()
            .ok_or_else(|| StoreError::Corrupt("the delegate information object has no folder".into()))?;
        // PidTagFreeBusyEntryIds: [0] reserved, [1] the Delegate Information object, [2] the
        // user's free/busy message (none here), [3] the "Freebusy Data" folder.
        let mut ids = match self.folder_property(root, PR_FREEBUSY_ENTRYIDS)? {
            Some(PropValue::MvBinary(v)) => v,
            _ => Vec::new(),
        };
        ids.resize(4, Vec::new());
        ids[1] = self.message_entry_id(fid, mid);
        ids[3] = self.folder_entry_id(fid);
        self.set_folder_properties(root, &[TaggedValue::new(PR_FREEBUSY_ENTRYIDS, PropValue::MvBinary(ids))])
    }
}
