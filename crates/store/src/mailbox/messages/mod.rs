//! Messages, recipients, attachments, embedded messages and property streams of a message store
//! (MS-OXCMSG; streams MS-OXCPRPT 2.2.14–2.2.20; message moves and deletes MS-OXCFOLD).
//!
//! Life of a message:
//! * [`MessageStore::create_message`] (RopCreateMessage) or [`MessageStore::open_message`]
//!   (RopOpenMessage) gives a [`MessageDraft`]: the message as the client changes it, in memory
//!   except for large values, which stay in blobs of the store file.
//! * Properties ([`MessageStore::get_properties`], [`MessageStore::set_properties`],
//!   [`MessageStore::delete_properties`]), recipients ([`MessageStore::modify_recipients`]),
//!   attachments ([`MessageStore::create_attachment`] … [`MessageStore::save_attachment`]),
//!   embedded messages ([`MessageStore::open_embedded`], [`MessageStore::save_embedded`]) and
//!   streams ([`MessageStore::open_stream`], [`StoreStream::io`],
//!   [`MessageStore::commit_stream`]) change the draft only.
//! * [`MessageStore::save_message`] (RopSaveChangesMessage) writes it in one transaction and
//!   computes PR_LAST_MODIFICATION_TIME, the change number, PR_MESSAGE_SIZE, PR_HASATTACH,
//!   PR_DISPLAY_TO/CC/BCC, the subject parts …; [`MessageStore::discard_message`] frees what
//!   an abandoned draft wrote.
//! * Saved messages are listed ([`MessageStore::contents`], [`MessageStore::contents_rows`]),
//!   moved, copied and deleted ([`MessageStore::move_copy_messages`],
//!   [`MessageStore::delete_messages`]) and marked read ([`MessageStore::set_read_flag`],
//!   [`MessageStore::set_read_flags`]) directly in the store.
//!
//! Durability: every call that changes saved messages is one SQLite transaction committed with
//! `synchronous=FULL` (`Durability::Full` of `MessageStore::write`, which also publishes the
//! change events of the commit): the WAL is synced before the call returns, so an acknowledged
//! save survives `kill -9` and a power loss. Writes into pending blobs (streams) run with the
//! file's default `NORMAL`: they need not survive a crash, and the next FULL commit syncs them
//! with it.

mod attachments;
mod blobs;
mod computed;
mod contents;
mod copy;
mod copy_props;
mod draft;
mod load;
mod new_mail;
mod prefilter;
mod props;
mod recipients;
mod save;
pub mod sort_keys;
mod status;
mod streams;
mod transfer;

#[cfg(test)]
mod tests;

use oxmapi_core::ids::ObjectId;

pub use attachments::attach_method;
pub use contents::{ContentsRow, TABLE_VALUE_BYTES};
pub use copy::read_flags;
pub use copy_props::{CopyOutcome, SubObjects};
pub use draft::{AttachmentDraft, MessageDraft, Object, ObjectMut};
pub use prefilter::{ContentsFilter, FilterValue, contents_prefilter};
pub use props::write_refusal;
pub use recipients::RecipientRow;
pub use streams::{StoreStream, StreamIo, StreamMode};
pub use transfer::{AttachmentContent, MessageContent};

// For write transactions (commit.rs) and folder operations that copy messages (folders.rs).
pub(crate) use blobs::sweep_orphans;
pub(crate) use copy::{Loc, copy_message_rows};
pub(crate) use save::saved_into;
// For local delivery (mailbox/delivery).
pub(crate) use load::live_folder;
pub(crate) use transfer::import_message;
// For the schema v5 upgrade (MessageStore::open).
pub(crate) use sort_keys::backfill_sort_keys;
// For the represented-sender check of a submission (mailbox/representing).
pub(crate) use draft::{DraftValue, PropSet};

use super::LOCAL_REPLICA_ID;
use crate::error::{StoreError, StoreResult};

/// String and binary values whose stream form is longer than this (32 KiB) are stored as blobs,
/// not in property rows; so are the values written through streams beyond this size.
pub const INLINE_LIMIT: usize = 32 * 1024;

/// The global counter of a local FID or MID; NotFound for other replicas and zero.
pub(crate) fn local_counter(id: ObjectId, what: &str) -> StoreResult<u64> {
    if id.replica_id != LOCAL_REPLICA_ID || id.global_counter == 0 {
        return Err(StoreError::NotFound(format!("no {what} {id} in this store")));
    }
    Ok(id.global_counter)
}

/// A new workspace id: the owner of the pending blobs of one open message tree.
pub(crate) fn new_workspace() -> i64 {
    (rand::random::<u64>() >> 1) as i64
}
