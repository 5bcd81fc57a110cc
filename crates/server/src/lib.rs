//! oxmapi-server: `oxmapi serve` — MAPI over HTTP (EMSMDB and NSPI endpoints), authentication,
//! session contexts, ROP execution, the notification hub and delivery.
//!
//! The server arrives with the "Connect and log on" issue; this crate only reserves its place
//! in the dependency graph.
