//! The database layer under the directory and the message stores: one API over two backends,
//! embedded SQLite (one file per mailbox, the default) and PostgreSQL (shared tables keyed by
//! mailbox, for sites with several `oxmapi serve` nodes). The store's SQL is written once; see
//! the design notes in `/work/i16-design.md` until they move into DESIGN.md.

pub mod error;
pub mod pg;
pub mod value;

pub use error::{Error, ErrorKind, Result};
pub use value::{FromSql, ToSql, Value, ValueRef};
