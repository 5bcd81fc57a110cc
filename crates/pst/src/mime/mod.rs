//! Internet mail (MIME, RFC 5322/2045) ↔ [`Message`](crate::item::Message), per [MS-OXCMAIL]:
//! [`read_eml`] (on mail-parser) and [`write_eml`] (on mail-builder).

pub mod address;
pub(crate) mod adopt;
pub mod headers;
mod read;
pub mod smime;
mod write;

pub use read::read_eml;
pub use write::write_eml;

/// How deep message/rfc822 parts may nest, on reading and writing (16). mail-parser stops
/// decoding nested messages on its own limit before this; deeper embedded items in a
/// [`Message`](crate::item::Message) are refused with [`MimeError::TooDeep`].
pub const MAX_MIME_DEPTH: usize = 16;

/// Why a message could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MimeError {
    /// The bytes hold no header fields at all: not an Internet message.
    NotMime,
    /// Embedded messages nest deeper than [`MAX_MIME_DEPTH`].
    TooDeep,
    /// The builder failed to write (it writes to memory, so this is not expected).
    Write(String),
}

impl std::fmt::Display for MimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MimeError::NotMime => write!(f, "not an Internet message (no header fields)"),
            MimeError::TooDeep => write!(f, "embedded messages nest deeper than {MAX_MIME_DEPTH}"),
            MimeError::Write(e) => write!(f, "writing MIME failed: {e}"),
        }
    }
}

impl std::error::Error for MimeError {}
