//! TNEF (`application/ms-tnef`, winmail.dat) reading per [MS-OXTNEF]: the attribute stream
//! (2.1.3.1), its legacy attributes, and the MAPI property lists of attMsgProps,
//! attRecipTable and attAttachment (2.1.3.4), with embedded messages (a PR_ATTACH_DATA_OBJ
//! holding IID_IMessage and a nested TNEF stream, 2.1.3.4.1).
//!
//! Bounded by its input: counts are never used to reserve memory, every value is read from
//! the bytes that are there, and nesting stops at [`MAX_TNEF_DEPTH`].

mod props;
mod reader;
mod stream;

pub use stream::{MAX_TNEF_DEPTH, TnefError, read};

/// The TNEF signature, the stream's first four bytes ([MS-OXTNEF] 2.1.3.1).
pub const TNEF_SIGNATURE: u32 = 0x223E_9F78;
