//! `oxmapi pst info|check|convert|merge` (CLI.md): Personal Folders files read and written
//! directly, with no profile, server or network ([MS-PST]). The writing commands are in
//! [`crate::pst_write_cmd`].

use std::path::{Path, PathBuf};

use clap::Subcommand;
use oxmapi_core::MapiError;
use oxmapi_core::bag::PropertyBag;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::pst::{PstError, PstFile, Report, Skipped};
use oxmapi_wire::describe::Node;

use crate::failure::Failure;

/// `oxmapi pst …`.
#[derive(Subcommand)]
pub enum PstCommand {
    /// Header facts (format, encryption, sizes) and folder and item counts of a PST or OST.
    Info {
        /// The .pst or .ost file.
        file: PathBuf,
    },
    /// Read-only consistency check: opens every folder and every message (with recipients,
    /// attachments and embedded messages) and lists what is damaged; exits non-zero
    /// (MAPI_E_CORRUPT_DATA) when something had to be skipped.
    Check {
        /// Rebuild the allocation map from the B-trees (as Outlook does after a writer stopped
        /// mid-write) and drop references to missing blocks, before checking.
        #[arg(long)]
        repair: bool,
        /// The .pst or .ost file.
        file: PathBuf,
    },
    /// Re-writes any readable PST or OST (ANSI included) into a new Unicode PST, leaving out
    /// what `pst check` reports as damaged.
    Convert {
        /// The source .pst or .ost.
        input: PathBuf,
        /// The new Unicode .pst (must not exist).
        output: PathBuf,
        /// Only this folder and what is under it (a path such as "Top of Personal
        /// Folders/Inbox"); repeatable.
        #[arg(long = "folder")]
        folders: Vec<String>,
        /// Start a new file (OUT-2.pst, OUT-3.pst, …) when one reaches SIZE (e.g. 2G, 500M).
        #[arg(long, value_name = "SIZE")]
        split_size: Option<String>,
    },
    /// Copies the folders and messages of several PST/OST files into one Unicode PST
    /// (created when missing); folders of the same path become one.
    Merge {
        /// The target .pst.
        output: PathBuf,
        /// The source files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
}

/// Runs a `pst` command.
pub fn run(cmd: &PstCommand) -> Result<Node, Failure> {
    match cmd {
        PstCommand::Info { file } => {
            let pst = open(file)?;
            let report = pst.walk(false);
            Ok(summary(file, &pst, &report))
        }
        PstCommand::Check { file, repair } => {
            let repaired = if *repair { crate::pst_write_cmd::repair(file)? } else { Vec::new() };
            let pst = open(file)?;
            let report = pst.walk(true);
            let (allocation, notes) = crate::pst_write_cmd::allocation_problems(file, &pst)?;
            let list = |v: &[String]| Node::List(v.iter().map(|w| Node::str(w.as_str())).collect());
            let node = summary(file, &pst, &report)
                .with("opened", Node::Int(report.opened as i128))
                .with("warnings", list(&report.warnings))
                .with("allocation", list(&allocation))
                .with("allocation_notes", list(&notes))
                .with("repaired", list(&repaired));
            if !allocation.is_empty() {
                let text = crate::output::to_text(&node);
                return Err(Failure::with_hint(
                    MapiError::new(
                        codes::MAPI_E_CORRUPT_DATA,
                        format!(
                            "the allocation map of {} disagrees with its B-trees:\n{text}",
                            file.display()
                        ),
                    ),
                    "`oxmapi pst check --repair FILE` rebuilds it from the B-trees (no item is lost)",
                ));
            }
            if report.skipped.is_empty() {
                Ok(node.with("status", Node::str("ok")))
            } else {
                let text = crate::output::to_text(&node);
                Err(Failure::with_hint(
                    MapiError::new(
                        codes::MAPI_E_CORRUPT_DATA,
                        format!("{} damaged object(s) in {}:\n{text}", report.skipped.len(), file.display()),
                    ),
                    "the other items read fine; `oxmapi pst info --json` lists what was skipped",
                ))
            }
        }
        PstCommand::Convert { input, output, folders, split_size } => {
            crate::pst_write_cmd::convert(input, output, folders, split_size.as_deref())
        }
        PstCommand::Merge { output, inputs } => crate::pst_write_cmd::merge(output, inputs),
    }
}

/// Opens a file, mapping the reader's refusals to MAPI codes.
pub(crate) fn open(file: &Path) -> Result<PstFile, Failure> {
    PstFile::open(file).map_err(|e| match e {
        PstError::Io(io) => Failure::local_file("PST file", file, &io),
        other => Failure::with_hint(
            MapiError::new(codes::MAPI_E_CORRUPT_DATA, format!("{}: {other}", file.display())),
            "the file is not a PST/OST this reader can open (wrong format, bad header CRC or damaged B-trees)",
        ),
    })
}

pub(crate) fn skipped_node(s: &Skipped) -> Node {
    Node::map([("nid", Node::str(format!("0x{:x}", s.nid))), ("why", Node::str(s.why.as_str()))])
}

/// The header facts and the walk's counts, under the keys CLI.md names.
fn summary(file: &Path, pst: &PstFile, r: &Report) -> Node {
    let h = pst.header();
    let (nodes, blocks) = pst.btree_counts();
    let name = match pst.store_props().get(PropTag(0x3001_001F)) {
        Some(PropValue::Unicode(s)) => Node::str(s.as_str()),
        Some(PropValue::String8(b)) => Node::str(String::from_utf8_lossy(b)),
        _ => Node::Null,
    };
    Node::map([
        ("file", Node::str(file.display().to_string())),
        ("format", Node::str(h.format.name())),
        ("kind", Node::str(if h.is_ost() { "ost" } else { "pst" })),
        ("version", Node::Int(h.version as i128)),
        ("client_version", Node::Int(h.client_version as i128)),
        ("encryption", Node::str(h.crypt.name())),
        ("size", Node::Int(pst.size() as i128)),
        ("header_size", Node::Int(h.file_eof as i128)),
        ("free_bytes", Node::Int(h.amap_free as i128)),
        ("amap_valid", Node::Bool(h.amap_valid)),
        ("nodes", Node::Int(nodes as i128)),
        ("blocks", Node::Int(blocks as i128)),
        ("display_name", name),
        ("folders", Node::Int(r.folders as i128)),
        ("search_folders", Node::Int(r.search_folders as i128)),
        ("items", Node::Int(r.items as i128)),
        ("associated", Node::Int(r.associated as i128)),
        ("skipped", Node::List(r.skipped.iter().map(skipped_node).collect())),
    ])
}
