//! TNEF
