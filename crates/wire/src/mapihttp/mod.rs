//! MAPI/HTTP bodies (MS-OXCMAPIHTTP 2.2.4 EMSMDB, 2.2.5 NSPI) and the response stream (2.2.7).

pub mod common;
pub mod emsmdb;
pub mod mailbox_table;
pub mod nspi;
pub mod stream;
