//! oxmapi-client: the MAPI subsystem — profiles, MAPILogonEx sessions, providers and the MSEMS
//! service over MAPI/HTTP.
//!
//! The client arrives with the "Connect and log on" issue; this crate only reserves its place
//! in the dependency graph.
