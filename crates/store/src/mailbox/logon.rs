//! The properties of a Logon object (MS-OXCSTOR 2.2.2): the store's own
//! ([`MessageStore::store_properties`]) plus those that depend on who logged on and on the
//! server's settings —
//! PidTagUserEntryId and PR_USER_NAME of the logged-on user (for a delegate, the delegate, not
//! the mailbox owner), and on a private mailbox the size limits of MS-OXCSTOR 2.2.2.1.1:
//! PidTagExtendedRuleSizeLimit (bytes), PidTagMaximumSubmitMessageSize,
//! PidTagProhibitReceiveQuota, PidTagProhibitSendQuota and PidTagStorageQuotaLimit (KiB; -1 for
//! no limit; the site's settings, or the owner's own quotas, `oxmapi admin user quota`). All of them
//! are read-only (MS-OXCSTOR 2.2.2.1.1: R3055001, R3055011; they are in the store's computed
//! list, so RopSetProperties / RopDeleteProperties refuse them with MAPI_E_COMPUTED).

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::delivery::user_entry_id;
use super::{MessageStore, StoreKind};
use crate::directory::User;
use crate::error::StoreResult;
use crate::settings::MailboxLimits;

/// Who logged on to a store and under which limits.
#[derive(Clone, Copy, Debug)]
pub struct LogonContext<'a> {
    /// The logged-on user (the session's, which is the owner's only on a home logon).
    pub user: &'a User,
    /// The server's mailbox limits when the logon was made.
    pub limits: MailboxLimits,
}

impl MessageStore {
    /// Every property of a logon on this store by `ctx.user` (see the module comment), sorted by
    /// property id.
    pub fn logon_properties(&self, ctx: &LogonContext<'_>) -> StoreResult<Vec<TaggedValue>> {
        let mut values = self.store_properties()?;
        let mut put = |tag: oxmapi_core::tag::PropTag, value: PropValue| {
            values.retain(|v| v.tag.id() != tag.id());
            values.push(TaggedValue::new(tag, value));
        };
        put(PR_USER_ENTRYID, PropValue::Binary(user_entry_id(&ctx.user.legacy_dn)));
        put(PR_USER_NAME, PropValue::String8(ctx.user.name.as_bytes().to_vec()));
        if self.kind == StoreKind::Private {
            let l = ctx.limits;
            for (tag, limit) in [
                (PR_EXTENDED_RULE_SIZE_LIMIT, l.extended_rule_size),
                (PR_MAX_SUBMIT_MESSAGE_SIZE, l.max_submit_kb),
                (PR_PROHIBIT_RECEIVE_QUOTA, l.receive_quota_kb),
                (PR_PROHIBIT_SEND_QUOTA, l.send_quota_kb),
                (PR_STORAGE_QUOTA_LIMIT, l.storage_warning_kb),
            ] {
                put(tag, PropValue::I32(MailboxLimits::property_value(limit)));
            }
        }
        values.sort_by_key(|v| v.tag.id());
        Ok(values)
    }

    /// The mailbox's size in bytes (PidTagMessageSizeExtended of the store, MS-OXCSTOR
    /// 2.2.2.1.1.10), the size the quotas are compared with.
    pub fn mailbox_size(&self) -> StoreResult<u64> {
        Ok(match self.store_property(PR_MESSAGE_SIZE_EXTENDED)? {
            Some(PropValue::I64(n)) => n.max(0) as u64,
            _ => 0,
        })
    }
}
