//! Rich Text Format bodies: PR_RTF_COMPRESSED ([MS-OXRTFCP], on the `compressed-rtf` crate,
//! with the size checks it lacks done first), HTML de-encapsulated from RTF ([MS-OXRTFEX]
//! 2.1.3.2) and plain text from RTF.

mod compressed;
mod lex;
mod walk;

pub use compressed::{RtfError, compress, decompress};
pub use walk::{html_from_rtf, is_encapsulated_html, text_from_rtf};

/// The most bytes a decompressed RTF body may have (64 MiB); a PR_RTF_COMPRESSED header
/// asking for more is refused with [`RtfError::TooLarge`].
pub const MAX_RTF_SIZE: usize = 64 << 20;
