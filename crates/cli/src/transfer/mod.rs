//! Moving mail between files and a store (CLI.md "import", "export"; issue 18 item 5):
//! `import` reads `.eml`, `.msg`, `.mbox`, `.pst` / `.ost` files into a folder, `export`
//! writes messages and folders to `.msg`, `.eml`, mbox or a directory. The conversion between a
//! stored message and the file formats' in-memory form is the client's
//! [`oxmapi_client::item_io`].

mod export;
mod import;
mod mbox;
mod progress;
mod pst_sink;
mod source;
mod writers;

pub use export::{DEFAULT_COMMIT_EVERY, ExportArgs, Format, export_cmd};
pub use import::{DEFAULT_IMPORT_JOBS, MAX_IMPORT_JOBS, Summary, check_jobs, import_cmd, import_into};
pub use source::expand as expand_sources;
pub use writers::WriterStore;
