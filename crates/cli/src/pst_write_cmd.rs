//! `oxmapi pst convert IN OUT [--folder PATH]…`, `pst merge OUT IN…` and the writing half of
//! `pst check [--repair]` (CLI.md): Unicode PST files written by oxmapi's own writer
//! ([MS-PST] 2.2–2.4), from any file the reader opens.

use std::path::{Path, PathBuf};

use oxmapi_core::MapiError;
use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::PR_DISPLAY_NAME;
use oxmapi_core::error::codes;
use oxmapi_core::value::PropValue;
use oxmapi_pst::pst::crypt::CryptMethod;
use oxmapi_pst::pst::write::copy::{
    CopyOptions, CopyReport, Split, adopt_names, copy_store, existing_folders,
};
use oxmapi_pst::pst::write::{self, PstWriter};
use oxmapi_pst::pst::{Format, PstError, PstFile};
use oxmapi_wire::describe::Node;

use crate::failure::Failure;
use crate::pst_cmd::{open, skipped_node};

/// A writer's failure as a MAPI error naming the file.
fn write_failure(file: &Path, e: PstError) -> Failure {
    let code = match &e {
        PstError::Io(_) => codes::MAPI_E_DISK_ERROR,
        PstError::Header(_) => codes::MAPI_E_VERSION,
        PstError::Corrupt(_) => codes::MAPI_E_CORRUPT_DATA,
    };
    Failure::from(MapiError::new(code, format!("{}: {e}", file.display())))
}

/// The store's display name, else the file's stem.
fn display_name(src: &PstFile, path: &Path) -> String {
    match src.store_props().get(PR_DISPLAY_NAME) {
        Some(PropValue::Unicode(s)) if !s.is_empty() => s.clone(),
        Some(PropValue::String8(b)) if !b.is_empty() => oxmapi_pst::codepage::decode(b, src.codepage()),
        _ => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Personal Folders".into()),
    }
}

fn report_node(r: &CopyReport) -> Vec<(&'static str, Node)> {
    vec![
        ("folders_created", Node::Int(r.folders_created as i128)),
        ("items", Node::Int(r.items as i128)),
        ("associated", Node::Int(r.associated as i128)),
        ("skipped", Node::List(r.skipped.iter().map(skipped_node).collect())),
    ]
}

/// `pst convert IN OUT`: a new Unicode PST with every readable folder and message of IN.
pub fn convert(
    input: &Path,
    output: &Path,
    folders: &[String],
    split_size: Option<&str>,
) -> Result<Node, Failure> {
    let limit = split_size.map(parse_size).transpose()?;
    let src = open(input)?;
    if output.exists() {
        return Err(Failure::from(MapiError::new(
            codes::MAPI_E_COLLISION,
            format!("{} exists: convert writes a new file (use `pst merge` to add to one)", output.display()),
        )));
    }
    let started = std::time::Instant::now();
    let mut dst = PstWriter::create(output, CryptMethod::Permute, &display_name(&src, input))
        .map_err(|e| write_failure(output, e))?;
    let opts = CopyOptions { folders: folders.iter().map(|f| split_path(f)).collect() };
    let mut existing = Default::default();
    let mut files = vec![output.to_path_buf()];
    let name = display_name(&src, input);
    let copied = {
        let current = std::cell::RefCell::new(output.to_path_buf());
        let mut full = |_: &PstWriter| {
            limit.is_some_and(|l| std::fs::metadata(&*current.borrow()).is_ok_and(|m| m.len() >= l))
        };
        let mut next = || {
            let path = part_path(output, files.len() + 1);
            let mut w = PstWriter::create(&path, CryptMethod::Permute, &name)?;
            files.push(path.clone());
            adopt_names(&src, &mut w)?;
            *current.borrow_mut() = path;
            Ok(w)
        };
        let split = limit.map(|_| Split { full: &mut full, next: &mut next });
        adopt_names(&src, &mut dst)
            .and_then(|()| copy_store(&src, &mut dst, &mut existing, &opts, split, &mut |_| {}))
            .and_then(|r| dst.commit().map(|()| r))
    };
    let report = match copied {
        Ok(r) => r,
        Err(e) => {
            drop(dst);
            for f in &files {
                let _ = std::fs::remove_file(f);
            }
            return Err(write_failure(output, e));
        }
    };
    let mut fields = vec![
        ("from", Node::str(input.display().to_string())),
        ("to", Node::str(output.display().to_string())),
        ("source_format", Node::str(src.header().format.name())),
        ("files", Node::List(files.iter().map(|f| Node::str(f.display().to_string())).collect())),
    ];
    fields.extend(report_node(&report));
    fields.push(("seconds", Node::Float(started.elapsed().as_secs_f64())));
    Ok(Node::map(fields))
}

/// `pst merge OUT IN…`: every readable folder and message of each IN copied into OUT (created
/// when missing); folders are matched by path, so two Inboxes become one.
pub fn merge(output: &Path, inputs: &[PathBuf]) -> Result<Node, Failure> {
    let sources: Vec<PstFile> = inputs.iter().map(|p| open(p)).collect::<Result<_, _>>()?;
    let (mut dst, mut existing) = if output.exists() {
        let current = open(output)?;
        if current.header().format != Format::Unicode {
            return Err(Failure::from(MapiError::new(
                codes::MAPI_E_VERSION,
                format!(
                    "{} is an ANSI PST: merge into a new file (or `pst convert` it first)",
                    output.display()
                ),
            )));
        }
        let existing = existing_folders(&current);
        (PstWriter::open(output).map_err(|e| write_failure(output, e))?, existing)
    } else {
        let name = output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let w =
            PstWriter::create(output, CryptMethod::Permute, &name).map_err(|e| write_failure(output, e))?;
        (w, Default::default())
    };
    let mut total = CopyReport::default();
    let mut per_file = Vec::new();
    for (src, path) in sources.iter().zip(inputs) {
        let r = copy_store(src, &mut dst, &mut existing, &CopyOptions::default(), None, &mut |_| {})
            .and_then(|r| dst.commit().map(|()| r))
            .map_err(|e| write_failure(output, e))?;
        total.folders_created += r.folders_created;
        total.items += r.items;
        total.associated += r.associated;
        total.skipped.extend(r.skipped.iter().cloned());
        per_file.push(Node::map([
            ("file", Node::str(path.display().to_string())),
            ("items", Node::Int(r.items as i128)),
            ("associated", Node::Int(r.associated as i128)),
        ]));
    }
    let mut fields = vec![("to", Node::str(output.display().to_string())), ("sources", Node::List(per_file))];
    fields.extend(report_node(&total));
    Ok(Node::map(fields))
}

/// The name of part `n` (from 2) of a split conversion: `OUT-n.pst` beside `OUT.pst`.
fn part_path(output: &Path, n: usize) -> PathBuf {
    let stem = output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = output.extension().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "pst".into());
    output.with_file_name(format!("{stem}-{n}.{ext}"))
}

/// A size such as `2G`, `500M`, `64K` or a byte count.
fn parse_size(s: &str) -> Result<u64, Failure> {
    let t = s.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let mult: u64 = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => 0,
    };
    digits.parse::<u64>().ok().and_then(|n| n.checked_mul(mult)).filter(|n| *n >= MIN_SPLIT_SIZE).ok_or_else(
        || {
            Failure::bad_input(
                codes::MAPI_E_INVALID_PARAMETER,
                "--split-size",
                format!("{s:?} is not a size of at least 1M"),
                "a byte count or a number with K, M or G (for example 2G)",
            )
        },
    )
}

/// The smallest `--split-size`: a new PST is about 270 KB before it holds anything.
const MIN_SPLIT_SIZE: u64 = 1 << 20;

/// A folder path as the CLI takes it ("Top of Personal Folders/Inbox").
fn split_path(p: &str) -> Vec<String> {
    p.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// `pst check --repair`: rebuilds the allocation map and drops dangling references; says what it
/// changed.
pub fn repair(file: &Path) -> Result<Vec<String>, Failure> {
    let pst = open(file)?;
    if pst.header().format != Format::Unicode {
        return Err(Failure::from(MapiError::new(
            codes::MAPI_E_NO_SUPPORT,
            format!("{}: --repair writes Unicode PST files only (`pst convert` makes one)", file.display()),
        )));
    }
    drop(pst);
    write::repair(file).map_err(|e| write_failure(file, e))
}

/// The allocation map's disagreements with the B-trees, as (problems, notes) lines (a Unicode
/// file; an ANSI file or an OST is not checked: oxmapi never writes those). Which is which is
/// the issue's own [`write::Severity`]: leaks, a stale free-byte count and a stale density list
/// waste room or mislead an allocator but endanger nothing (notes, as in files Outlook and
/// other writers leave); space in use marked free, overlaps, damaged trailers and an AMap a
/// writer left invalid are problems (a later write could overwrite data).
pub fn allocation_problems(file: &Path, pst: &PstFile) -> Result<(Vec<String>, Vec<String>), Failure> {
    if pst.header().format != Format::Unicode || pst.header().is_ost() {
        return Ok((Vec::new(), Vec::new()));
    }
    let report = write::check_allocation(file).map_err(|e| write_failure(file, e))?;
    Ok((report.problem_lines(), report.note_lines()))
}
