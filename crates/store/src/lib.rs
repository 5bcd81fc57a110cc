//! oxmapi-store: the directory (users, grants, settings) and the mailbox and public-folder
//! stores behind traits, with the embedded SQLite implementation.
//!
//! The storage layer arrives with the "Connect and log on" issue; this crate only reserves its
//! place in the dependency graph (`core ← store ← server`).
