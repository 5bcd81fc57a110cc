//! oxmapi-client: the MAPI subsystem — profiles ([`profile`]), MAPILogonEx sessions
//! ([`session`]), the MSEMS service's providers over MAPI/HTTP ([`transport`]) and the objects
//! they return ([`store`], [`ab`]).
//!
//! The API is synchronous and MAPI-shaped; network I/O runs on a private tokio runtime
//! ([`transport::block_on`]), so call it from ordinary threads (inside async code, use
//! `spawn_blocking`).
pub mod ab;
pub mod item_io;
pub mod notify;
pub mod profile;
pub mod session;
pub mod store;
pub mod transport;

pub use ab::AddressBook;
pub use session::{LogonOptions, LogonUi, Mapi, Session};
pub use store::MsgStore;
