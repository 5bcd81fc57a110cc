//! MSG files ([MS-OXMSG]): one message (with its recipients, attachments, embedded messages and
//! named-property map) in a compound file ([MS-CFB]), read into and written from the shared
//! [`Message`].
//!
//! Layout ([MS-OXMSG] 2.2): the root storage holds the property stream
//! `__properties_version1.0` (2.4), one `__substg1.0_TTTTPPPP` stream per variable-length or
//! multi-valued property (2.1.3, 2.1.4), the named-property mapping storage
//! `__nameid_version1.0` (2.2.3), and one storage per recipient (`__recip_version1.0_#XXXXXXXX`,
//! 2.2.1) and attachment (`__attach_version1.0_#XXXXXXXX`, 2.2.2). An embedded message is the
//! attachment's `__substg1.0_3701000D` storage laid out like the root (2.2.2.1); an OLE
//! (afStorage) attachment's storage of the same name is kept as it is, as a compound file of its
//! own ([`crate::item::Attachment::storage`]).
//!
//! Reading decodes PtypString8 values by the message's code page ([`crate::codepage`]) unless
//! told to keep the bytes; writing keeps every value's type (a message read from an ANSI file
//! is written as a Unicode one, since its strings were decoded). Reading is bounded by the
//! input ([`limits`]) and never panics.

mod layout;
pub mod limits;
pub(crate) mod nameid;
mod propstream;
mod reader;
mod repair;
mod storage;
mod values;
mod writer;

use crate::codepage::CP_WINDOWS_1252;
use crate::item::Message;

pub use reader::read_msg;
pub use writer::write_msg;

/// How to read an MSG file.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// The code page of 8-bit strings when the message names none (neither
    /// PR_MESSAGE_CODEPAGE nor PR_MESSAGE_LOCALE_ID; see [`crate::codepage`]).
    pub default_codepage: u32,
    /// Keep PtypString8 values as their bytes instead of decoding them to PtypString.
    pub keep_string8: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { default_codepage: CP_WINDOWS_1252, keep_string8: false }
    }
}

/// Why an MSG file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum MsgError {
    /// The bytes are not a compound file, or its structure is broken.
    #[error("not a readable compound file (MS-CFB): {0}")]
    Cfb(String),
    /// The compound file is not an MSG file, or a required part is malformed.
    #[error("malformed MSG file (MS-OXMSG): {0}")]
    Malformed(String),
    /// A limit of [`limits`] was reached.
    #[error("MSG file refused: {what} exceeds the limit of {limit} (oxmapi_pst::msg::limits)")]
    Limit {
        /// What was counted.
        what: &'static str,
        /// The limit.
        limit: u64,
    },
    /// The message holds a value the MSG format cannot carry.
    #[error("cannot write property 0x{0:08X} to an MSG file: its type has no MSG form")]
    Unwritable(u32),
}

impl From<std::io::Error> for MsgError {
    fn from(e: std::io::Error) -> Self {
        MsgError::Cfb(e.to_string())
    }
}

/// Reads the MSG file at `path` (at most [`limits::MAX_MSG_FILE_BYTES`]).
pub fn read_msg_file(path: &std::path::Path, opts: &ReadOptions) -> Result<Message, MsgError> {
    use std::io::Read;
    let f = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    f.take(limits::MAX_MSG_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limits::MAX_MSG_FILE_BYTES {
        return Err(MsgError::Limit { what: "file size", limit: limits::MAX_MSG_FILE_BYTES });
    }
    read_msg(&bytes, opts)
}
