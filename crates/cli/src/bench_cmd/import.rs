//! `oxmapi bench import`: import throughput into a mailbox — `.eml` files per second and MB/s
//! through the same code as `oxmapi import` ([`crate::transfer::import_into`]: parse on one
//! thread, write through the client's message objects on the other), against a server this
//! bench starts on a temporary data directory. Then the same files again, which the resume
//! keys turn into skips: the rate of a resumed import that finds everything done.
//!
//! The files are the `.eml` files of `--dir` (e.g. the test data), or `--generate N`
//! synthetic messages with an attachment of `--attachment-kib` KiB of incompressible bytes.

use std::path::PathBuf;
use std::time::Instant;

use oxmapi_core::MapiError;
use oxmapi_wire::describe::Node;

use super::rng::Rng;
use super::{BenchSession, ChildServer, cores, fail, new_data_dir, rate, rss_kib};
use crate::transfer::{Summary, WriterStore, check_jobs, import_into};

/// `oxmapi bench import` options.
#[derive(clap::Args, Debug)]
pub struct BenchImportArgs {
    /// Import the .eml, .msg and .mbox files of this directory (walked) instead of generated ones.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Synthetic .eml files to generate when no --dir is given.
    #[arg(long, default_value_t = 500)]
    pub generate: usize,
    /// KiB of the attachment of each generated message (0: none).
    #[arg(long, default_value_t = 32)]
    pub attachment_kib: usize,
    /// Sessions writing in parallel (repeatable: one run per value), as `oxmapi import --jobs`.
    #[arg(long, default_values_t = [1usize, crate::transfer::DEFAULT_IMPORT_JOBS])]
    pub jobs: Vec<usize>,
}

/// The bench user's store on a session of its own (a parallel writer).
struct BenchWriter {
    store: oxmapi_client::MsgStore,
    _session: BenchSession,
}

impl WriterStore for BenchWriter {
    fn store(&self) -> &oxmapi_client::MsgStore {
        &self.store
    }
}

/// A synthetic Internet message with a text body and a base64 attachment of `att` random bytes.
fn synthetic(i: usize, att: usize, rng: &mut Rng) -> Vec<u8> {
    use base64::Engine;
    let mut s = format!(
        "From: Bench Sender <sender@example.test>\r\nTo: Bench <bench@example.test>\r\n\
         Subject: bench import message {i}\r\nMessage-ID: <bench-{i}@example.test>\r\n\
         Date: Mon, 7 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
    );
    let body = "A line of body text for the import bench.\r\n".repeat(20);
    if att == 0 {
        s.push_str(&format!("Content-Type: text/plain; charset=utf-8\r\n\r\n{body}"));
        return s.into_bytes();
    }
    let mut data = vec![0u8; att];
    rng.fill(&mut data);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&data);
    let lines: Vec<&str> = b64.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
    s.push_str(&format!(
        "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         {body}\r\n--b\r\nContent-Type: application/octet-stream\r\n\
         Content-Disposition: attachment; filename=\"data{i}.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
        lines.join("\r\n")
    ));
    s.into_bytes()
}

fn pass(
    node: &str,
    jobs: usize,
    summary: &Summary,
    files: u64,
    bytes: u64,
    seconds: std::time::Duration,
) -> Node {
    Node::map([
        ("pass", Node::str(node)),
        ("jobs", Node::Int(jobs as i128)),
        ("files", Node::Int(files as i128)),
        ("imported", Node::Int(summary.imported as i128)),
        ("skipped", Node::Int(summary.skipped as i128)),
        ("errors", Node::Int(summary.errors.len() as i128)),
        ("warnings", Node::List(summary.warnings.iter().map(|w| Node::str(w.as_str())).collect())),
        ("seconds", Node::Float((seconds.as_secs_f64() * 1000.0).round() / 1000.0)),
        ("files_per_s", rate(files as usize, seconds)),
        (
            "mb_per_s",
            Node::Float((bytes as f64 / 1e6 / seconds.as_secs_f64().max(1e-9) * 100.0).round() / 100.0),
        ),
    ])
}

/// Runs `oxmapi bench import`.
pub fn run(args: &BenchImportArgs) -> Result<Node, MapiError> {
    let work = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
    let source = match &args.dir {
        Some(d) => d.clone(),
        None => {
            if args.generate == 0 {
                return Err(fail("--generate must be positive (or give --dir)"));
            }
            let mut rng = Rng(0x1a2b_3c4d_5e6f_7788);
            for i in 0..args.generate {
                std::fs::write(
                    work.path().join(format!("{i:06}.eml")),
                    synthetic(i, args.attachment_kib * 1024, &mut rng),
                )
                .map_err(|e| fail(e.to_string()))?;
            }
            work.path().to_path_buf()
        }
    };
    let files = crate::transfer::expand_sources(std::slice::from_ref(&source));
    let bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let (dir, _) = new_data_dir(crate::transfer::MAX_IMPORT_JOBS + 2)?;
    let backend = dir.backend();
    let server = ChildServer::start(dir.path())?;
    let s = BenchSession::logon(&server.url)?;
    let store = s.default_store()?;
    let open_writer = || -> Result<Box<dyn WriterStore>, MapiError> {
        let session = BenchSession::logon(&server.url)?;
        Ok(Box::new(BenchWriter { store: session.default_store()?, _session: session }))
    };
    let mut passes = Vec::new();
    for &jobs in &args.jobs {
        check_jobs(jobs).map_err(|f| f.error)?;
        let folder = format!("Bench import {jobs}");
        for name in ["import", "again (all skipped)"] {
            progress!(
                "bench: {name} with {jobs} writer(s): {} files, {:.1} MB",
                files.len(),
                bytes as f64 / 1e6
            );
            let root = store.ipm_subtree()?.create_folder(&folder, None, true)?;
            let mut summary = Summary::default();
            let started = Instant::now();
            import_into(&store, root, &files, jobs, &open_writer, &mut summary)?;
            passes.push(pass(name, jobs, &summary, files.len() as u64, bytes, started.elapsed()));
        }
    }
    Ok(Node::map([
        ("bench", Node::str("import")),
        ("backend", Node::str(backend)),
        ("cores", cores()),
        ("source", Node::str(source.display().to_string())),
        ("files", Node::Int(files.len() as i128)),
        ("bytes", Node::Int(bytes as i128)),
        ("passes", Node::List(passes)),
        ("server_rss_kib", rss_kib(server.pid()).map_or(Node::Null, |k| Node::Int(k as i128))),
    ]))
}
