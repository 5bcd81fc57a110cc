//! oxmapi-pst: PST, MSG and EML formats (read and write) and conversions.
//!
//! Arrives with a later issue; this crate only reserves its place in the dependency graph.
