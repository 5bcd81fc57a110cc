//! Moving mail between files and a store (CLI.md "import", "export"; issue 18 item 5):
//! `import` reads `.eml`, `.msg`, `.mbox`, `.pst` / `.ost` files into a folder, `export`
//! writes messages and folders to `.msg`, `.eml`, mbox, a directory or a PST (resumable), and
//! `cp|mv --recursive` copies folder trees, also between stores. The conversion between a
//! stored message and the file formats' in-memory form is the client's
//! [`oxmapi_client::item_io`].

mod export;
mod folder_copy;
mod import;
mod mbox;
mod progress;
mod pst_sink;
mod source;
mod writers;

pub use export::{DEFAULT_COMMIT_EVERY, ExportArgs, Format, export_cmd};
pub use folder_copy::{FolderCopyArgs, copy_folder_cmd};
pub use import::{DEFAULT_IMPORT_JOBS, MAX_IMPORT_JOBS, Summary, check_jobs, import_cmd, import_into};
pub use source::expand as expand_sources;
pub use writers::WriterStore;
