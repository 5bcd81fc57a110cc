//! `oxmapi bench pst-write`: the PST writer's throughput — small messages per second into a new
//! Unicode PST (a 1 KB body, a recipient; a commit every [`COMMIT_EVERY`], as `export` and
//! `pst convert` commit), MB/s for messages with large attachments, the file's bytes per
//! message, and `oxmapi pst convert` of given files (time, items/s, peak RSS of the child,
//! size of the result beside the source). With `--aspose-python`, Aspose.Email for .NET (the
//! one PST writer that runs here) writes the same small messages in the same run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use oxmapi_core::MapiError;
use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_LONG_FILENAME, PR_ATTACH_METHOD, PR_BODY, PR_DISPLAY_NAME,
    PR_EMAIL_ADDRESS, PR_MESSAGE_CLASS, PR_RECIPIENT_TYPE, PR_SUBJECT,
};
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Attachment, Message};
use oxmapi_pst::pst::crypt::CryptMethod;
use oxmapi_pst::pst::write::PstWriter;
use oxmapi_pst::pst::write::copy::COMMIT_EVERY;
use oxmapi_wire::describe::Node;

use super::fail;
use super::pst::peers::measure;
use super::rng::Rng;

/// `oxmapi bench pst-write` options.
#[derive(clap::Args, Debug)]
pub struct BenchPstWriteArgs {
    /// Small messages written into a new PST.
    #[arg(long, default_value_t = 20_000)]
    pub messages: usize,
    /// Bytes of each small message's body.
    #[arg(long, default_value_t = 1024)]
    pub body_bytes: usize,
    /// Messages with one large attachment each.
    #[arg(long, default_value_t = 16)]
    pub large: usize,
    /// MiB of each large attachment (random bytes).
    #[arg(long, default_value_t = 8)]
    pub attachment_mib: usize,
    /// A PST/OST to convert with `oxmapi pst convert` in a child process (repeatable).
    #[arg(long = "convert", value_name = "FILE")]
    pub convert: Vec<PathBuf>,
    /// The Python of a virtual environment with aspose-email-for-python-via-net: Aspose writes
    /// the same small messages (scripts/make-big-pst.sh installs one).
    #[arg(long, value_name = "PYTHON")]
    pub aspose_python: Option<PathBuf>,
}

fn small(i: usize, body: &str) -> Message {
    let mut m = Message::default();
    let p = &mut m.item.props;
    p.set(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()));
    p.set(PR_SUBJECT, PropValue::Unicode(format!("bench pst-write message {i}")));
    p.set(PR_BODY, PropValue::Unicode(body.to_string()));
    let r = PropBag::new()
        .with(PR_DISPLAY_NAME, PropValue::Unicode("Bench".into()))
        .with(PR_EMAIL_ADDRESS, PropValue::Unicode("bench@example.test".into()))
        .with(PR_RECIPIENT_TYPE, PropValue::I32(1));
    m.item.recipients.push(r);
    m
}

fn large(i: usize, data: &[u8]) -> Message {
    let mut m = small(i, "large attachment");
    let mut a = Attachment::default();
    a.props.set(PR_ATTACH_METHOD, PropValue::I32(1));
    a.props.set(PR_ATTACH_LONG_FILENAME, PropValue::Unicode(format!("data{i}.bin")));
    a.props.set(PR_ATTACH_DATA_BIN, PropValue::Binary(data.to_vec()));
    m.item.attachments.push(a);
    m
}

/// Writes `count` messages made by `make` into a new file; (seconds, file bytes).
fn write(path: &Path, count: usize, make: &dyn Fn(usize) -> Message) -> Result<(f64, u64), MapiError> {
    let err = |e: oxmapi_pst::pst::PstError| fail(format!("{}: {e}", path.display()));
    let start = Instant::now();
    let mut w = PstWriter::create(path, CryptMethod::Permute, "Bench").map_err(err)?;
    let folder = w
        .create_folder(
            w.ipm_subtree(),
            &PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode("Bench".into())),
        )
        .map_err(err)?;
    for i in 0..count {
        w.add_message(folder, &make(i), false).map_err(err)?;
        if (i + 1) % COMMIT_EVERY == 0 {
            w.commit().map_err(err)?;
        }
    }
    w.commit().map_err(err)?;
    drop(w);
    let secs = start.elapsed().as_secs_f64();
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok((secs, size))
}

fn per_s(n: f64, secs: f64) -> Node {
    Node::Float(if secs > 0.0 { (n / secs * 10.0).round() / 10.0 } else { 0.0 })
}

/// Runs the bench.
pub fn run(args: &BenchPstWriteArgs) -> Result<Node, MapiError> {
    let dir = tempfile::tempdir().map_err(|e| fail(format!("temporary directory: {e}")))?;
    let body: String = "0123456789abcdef".repeat(args.body_bytes / 16 + 1)[..args.body_bytes].to_string();
    let (secs, size) = write(&dir.path().join("small.pst"), args.messages, &|i| small(i, &body))?;
    let mut out = vec![(
        "small",
        Node::map([
            ("messages", Node::Int(args.messages as i128)),
            ("body_bytes", Node::Int(args.body_bytes as i128)),
            ("seconds", Node::Float(secs)),
            ("items_per_s", per_s(args.messages as f64, secs)),
            ("file_bytes", Node::Int(size as i128)),
            ("bytes_per_item", Node::Int((size / args.messages.max(1) as u64) as i128)),
        ]),
    )];
    let mut data = vec![0u8; args.attachment_mib << 20];
    Rng(0x9E37_79B9_7F4A_7C15).fill(&mut data);
    let (secs, size) = write(&dir.path().join("large.pst"), args.large, &|i| large(i, &data))?;
    let mb = (args.large * args.attachment_mib) as f64 * 1.048_576;
    out.push((
        "large",
        Node::map([
            ("messages", Node::Int(args.large as i128)),
            ("attachment_mib", Node::Int(args.attachment_mib as i128)),
            ("seconds", Node::Float(secs)),
            ("mb_per_s", per_s(mb, secs)),
            ("file_bytes", Node::Int(size as i128)),
        ]),
    ));
    if let Some(py) = &args.aspose_python {
        out.push(("aspose_small", aspose(py, dir.path(), args.messages, args.body_bytes)?));
    }
    let converts = args.convert.iter().map(|f| convert(f, dir.path())).collect::<Result<Vec<_>, _>>()?;
    out.push(("convert", Node::List(converts)));
    Ok(Node::map(out))
}

/// `oxmapi pst convert FILE` in a child: time, items/s, peak RSS, sizes.
fn convert(file: &Path, dir: &Path) -> Result<Node, MapiError> {
    let exe = std::env::current_exe().map_err(|e| fail(e.to_string()))?;
    let to = dir.join("converted.pst");
    let _ = std::fs::remove_file(&to);
    let mut cmd = Command::new(exe);
    cmd.args(["--json", "pst", "convert"]).arg(file).arg(&to);
    let m = measure(cmd).map_err(fail)?;
    if !m.success {
        return Err(fail(format!("pst convert {}: {}", file.display(), String::from_utf8_lossy(&m.stderr))));
    }
    let report: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap_or_default();
    let items = report["items"].as_u64().unwrap_or(0) + report["associated"].as_u64().unwrap_or(0);
    let secs = m.wall.as_secs_f64();
    let out_bytes = std::fs::metadata(&to).map(|x| x.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&to);
    Ok(Node::map([
        ("file", Node::str(file.display().to_string())),
        ("source_bytes", Node::Int(std::fs::metadata(file).map(|x| x.len()).unwrap_or(0) as i128)),
        ("items", Node::Int(items as i128)),
        ("seconds", Node::Float(secs)),
        ("items_per_s", per_s(items as f64, secs)),
        ("peak_rss_kib", m.peak_rss_kib.map_or(Node::Null, |k| Node::Int(k as i128))),
        ("out_bytes", Node::Int(out_bytes as i128)),
    ]))
}

/// Aspose.Email writing the same small messages (scripts/pst-peers.d/aspose_write.py).
fn aspose(python: &Path, dir: &Path, count: usize, body_bytes: usize) -> Result<Node, MapiError> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pst-peers.d/aspose_write.py");
    let to = dir.join("aspose.pst");
    let mut cmd = Command::new(python);
    cmd.env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .arg(script)
        .arg(&to)
        .arg(count.to_string())
        .arg(body_bytes.to_string());
    let m = measure(cmd).map_err(fail)?;
    if !m.success {
        return Err(fail(format!("aspose: {}", String::from_utf8_lossy(&m.stderr))));
    }
    // The script prints the seconds its write loop took (without the .NET start-up).
    let secs: f64 = String::from_utf8_lossy(&m.stdout).trim().parse().unwrap_or(m.wall.as_secs_f64());
    let size = std::fs::metadata(&to).map(|x| x.len()).unwrap_or(0);
    Ok(Node::map([
        ("messages", Node::Int(count as i128)),
        ("seconds", Node::Float(secs)),
        ("items_per_s", per_s(count as f64, secs)),
        ("file_bytes", Node::Int(size as i128)),
        ("peak_rss_kib", m.peak_rss_kib.map_or(Node::Null, |k| Node::Int(k as i128))),
    ]))
}
