//! The limits of MSG reading, in one place. Each refusal is a [`super::MsgError::Limit`]
//! naming what was counted and the limit.

/// Largest MSG file [`super::read_msg_file`] reads (bytes).
pub const MAX_MSG_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Stream bytes a read may load, as a multiple of the input's size (plus
/// [`READ_BUDGET_SLACK`]): a hostile file whose streams share sectors cannot make the reader
/// allocate more than this.
pub const READ_BUDGET_FACTOR: u64 = 4;

/// Stream bytes a read may load beyond [`READ_BUDGET_FACTOR`] × input size.
pub const READ_BUDGET_SLACK: u64 = 1024 * 1024;

/// Deepest nesting of embedded messages (attachment → message → attachment …).
pub const MAX_EMBEDDING_DEPTH: usize = 32;

/// Most recipient storages of one message ([MS-OXMSG] 2.2.1: at most 2048).
pub const MAX_RECIPIENTS: usize = 2048;

/// Most attachment storages of one message ([MS-OXMSG] 2.2.2: at most 2048).
pub const MAX_ATTACHMENTS: usize = 2048;

/// Most storages and streams copied into one OLE attachment's opaque storage.
pub const MAX_OLE_ENTRIES: usize = 4096;
