//! Deferred action messages (MS-OXORULE 2.2.6, 3.2.5.3): RopUpdateDeferredActionMessages
//! rewrites the original-message entry ID of the DAMs in the Deferred Action folder.

use oxmapi_core::catalogue::tags::{PR_DAM_BACK_PATCHED, PR_DAM_ORIGINAL_ENTRYID};
use oxmapi_core::value::{PropValue, TaggedValue};

use super::MessageStore;
use crate::error::{StoreError, StoreResult};
use crate::mailbox::{SpecialFolder, StoreKind};

impl MessageStore {
    /// RopUpdateDeferredActionMessages (MS-OXORULE 3.2.5.3): every DAM of the Deferred Action
    /// folder whose PidTagDamOriginalEntryId is `server_eid` gets `client_eid` instead and
    /// PidTagDamBackPatched TRUE (gromox `rop_updatedeferredactionmessages` does the same).
    /// Returns how many were updated. Public folder stores have no Deferred Action folder
    /// (NotSupported, ecNotSupported).
    pub fn update_deferred_action_messages(
        &self,
        server_eid: &[u8],
        client_eid: &[u8],
    ) -> StoreResult<usize> {
        if self.kind != StoreKind::Private {
            return Err(StoreError::NotSupported(
                "public folder stores have no Deferred Action folder".into(),
            ));
        }
        let Some(fid) = self.special_folder(SpecialFolder::DeferredAction) else { return Ok(0) };
        let mut updated = 0;
        for associated in [false, true] {
            for mid in self.contents(fid, associated)? {
                let original = self.message_property(mid, PR_DAM_ORIGINAL_ENTRYID)?;
                if !matches!(&original, Some(PropValue::Binary(b)) if b == server_eid) {
                    continue;
                }
                let mut draft = self.open_message(fid, mid)?;
                self.set_properties(
                    &mut draft,
                    &[
                        TaggedValue {
                            tag: PR_DAM_ORIGINAL_ENTRYID,
                            value: PropValue::Binary(client_eid.to_vec()),
                        },
                        TaggedValue { tag: PR_DAM_BACK_PATCHED, value: PropValue::Bool(true) },
                    ],
                )?;
                self.save_message(&mut draft, true)?;
                updated += 1;
            }
        }
        Ok(updated)
    }
}
