//! oxmapi-pst: PST, MSG and EML formats (read and write) and conversions, all meeting in one
//! in-memory form of a message ([`item`]).

pub mod codepage;
pub mod item;
pub mod mime;
pub mod msg;
pub mod pst;
pub mod rtf;
pub mod tnef;
