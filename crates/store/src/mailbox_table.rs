//! The administrator's mailbox table (IExchangeManageStore::GetMailboxTable; the row and its
//! encoding are [`oxmapi_wire::mapihttp::mailbox_table`]): one row per user of the directory,
//! with the mailbox's sizes and counts, the owner's last logon and logoff
//! ([`crate::directory::logons`]) and the quotas in effect ([`Directory::mailbox_limits_for`]).
//!
//! Cost: the directory is read once (users, logon times, site limits, per-user quotas); each
//! mailbox costs one grouped read of its per-folder counters (`folder_counts`, kept exact by
//! triggers; `mailbox/counts.rs`), O(folders) — no message is scanned.

use std::ops::Deref;

use oxmapi_wire::mapihttp::mailbox_table::{MailboxCounts, MailboxTableRow};

use crate::directory::{Directory, User};
use crate::error::StoreResult;
use crate::mailbox::MessageStore;
use crate::site::Site;

/// The counters of a whole store: live and soft-deleted, normal and associated messages,
/// summed over its folders' `folder_counts` rows.
pub fn mailbox_counts(store: &MessageStore) -> StoreResult<MailboxCounts> {
    let conn = store.lock()?;
    let mut st = conn.prepare_cached(
        "SELECT associated, soft_deleted, coalesce(sum(total), 0), coalesce(sum(size), 0) \
         FROM folder_counts GROUP BY associated, soft_deleted",
    )?;
    let groups = st.query_map([], |r| {
        Ok((r.get::<_, bool>(0)?, r.get::<_, bool>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
    })?;
    let clamp = |n: i64| n.clamp(0, u32::MAX as i64) as u32;
    let mut c = MailboxCounts::default();
    for g in groups {
        let (associated, deleted, total, size) = g?;
        match (associated, deleted) {
            (false, false) => c.content_count = clamp(total),
            (true, false) => c.assoc_content_count = clamp(total),
            (false, true) => c.deleted_msg_count = clamp(total),
            (true, true) => c.deleted_assoc_msg_count = clamp(total),
        }
        if deleted {
            c.deleted_size += size;
        } else {
            c.size += size;
        }
    }
    Ok(c)
}

/// The rows of every user of `dir`, sorted by account name; `open` opens a user's mailbox (the
/// server passes its cache of open stores). A mailbox that cannot be opened or read (its file is
/// missing) gives a row without counts, not a failure of the whole table.
pub fn mailbox_rows<S, F>(dir: &Directory, mut open: F) -> StoreResult<Vec<MailboxTableRow>>
where
    S: Deref<Target = MessageStore>,
    F: FnMut(&User) -> StoreResult<S>,
{
    let users = dir.users()?;
    let logons = dir.logon_times()?;
    let site_limits = dir.mailbox_limits()?;
    let quotas = dir.all_quotas()?;
    let mut rows = Vec::with_capacity(users.len());
    for user in &users {
        let own = quotas.get(&user.id).copied().unwrap_or_default();
        let limits = own.applied_to(site_limits);
        let counts = open(user).and_then(|s| mailbox_counts(&s)).ok();
        let times = logons.get(&user.id).copied().unwrap_or_default();
        rows.push(MailboxTableRow {
            display_name: user.display_name.clone(),
            legacy_dn: user.legacy_dn.clone(),
            account: user.name.clone(),
            smtp_address: user.smtp_address.clone(),
            mailbox_guid: user.mailbox_guid,
            counts,
            last_logon: times.last_logon,
            last_logoff: times.last_logoff,
            warning_kb: limits.storage_warning_kb,
            send_kb: limits.send_quota_kb,
            receive_kb: limits.receive_quota_kb,
        });
    }
    Ok(rows)
}

impl Site {
    /// The mailbox table of the site, each mailbox opened for the read and closed after it
    /// (`oxmapi admin mailboxes`, no server needed).
    pub fn mailbox_table(&self) -> StoreResult<Vec<MailboxTableRow>> {
        let dir = self.directory()?;
        mailbox_rows(&dir, |u| self.open_mailbox(u).map(Box::new))
    }
}
