//! The cases, one module per protocol document. Each module exports `CASES`; [`all`] joins
//! them in the order the suite runs them.

use crate::case::Case;

pub mod oxcfold;
pub mod oxcmapihttp;
pub mod oxcmsg;
pub mod oxcnotif;
pub mod oxcperm;
pub mod oxcprpt;
pub mod oxcrops;
pub mod oxcrpc;
pub mod oxcstor;
pub mod oxcstor_per_user;
pub mod oxctabl;
pub mod oxnspi;
pub mod oxomsg;
pub mod oxorule;

/// Every case.
pub fn all() -> Vec<Case> {
    [
        oxcmapihttp::CASES,
        oxcrpc::CASES,
        oxcrops::CASES,
        oxcstor::CASES,
        oxcstor_per_user::CASES,
        oxcfold::CASES,
        oxcmsg::CASES,
        oxctabl::CASES,
        oxcprpt::CASES,
        oxcnotif::CASES,
        oxnspi::CASES,
        oxcperm::CASES,
        oxorule::CASES,
        oxomsg::CASES,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_every_case_cites_its_sources() {
        let all = super::all();
        let mut seen = HashSet::new();
        for c in &all {
            assert!(seen.insert(c.name), "duplicate case name {}", c.name);
            assert!(!c.section.is_empty(), "{} has no section", c.name);
            assert!(!c.requirements.is_empty(), "{} has no requirements", c.name);
            assert!(c.section.starts_with("MS-"), "{}: section {:?} names no document", c.name, c.section);
        }
    }
}
