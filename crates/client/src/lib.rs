//! oxmapi-client: the MAPI subsystem — profiles ([`profile`]), MAPILogonEx sessions
//! ([`session`]), the MSEMS service's providers over MAPI/HTTP ([`transport`]) and the objects
//! they return ([`msgstore`]).
//!
//! The API is synchronous and MAPI-shaped; network I/O runs on a private tokio runtime
//! ([`transport::block_on`]), so call it from ordinary threads (inside async code, use
//! `spawn_blocking`).
pub mod msgstore;
pub mod profile;
pub mod session;
pub mod transport;

pub use msgstore::MsgStore;
pub use session::{LogonOptions, LogonUi, Mapi, Session};
