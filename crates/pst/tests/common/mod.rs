//! Where the shared test data is: `../shared/testdata` beside the repository (as CI lays it
//! out), else /work/shared/testdata.

use std::path::{Path, PathBuf};

/// The test data folder, if there is one.
pub fn testdata() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata");
    [beside, PathBuf::from("/work/shared/testdata")].into_iter().find(|p| p.join("SOURCES.md").exists())
}

/// A file of the test data, if present.
#[allow(dead_code)]
pub fn file(rel: &str) -> Option<PathBuf> {
    testdata().map(|d| d.join(rel)).filter(|p| p.exists())
}
