//! Phases 1 and 2 of `oxmapi bench contents`: messages created and saved through the client
//! library, small ones and ones with an attachment streamed in.

use std::io::Write;
use std::time::{Duration, Instant};

use oxmapi_client::store::{Folder, SaveFlags, StreamMode};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_LONG_FILENAME, PR_ATTACH_METHOD, PR_BODY, PR_MESSAGE_DELIVERY_TIME,
    PR_SUBJECT,
};
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;
use oxmapi_wire::describe::Node;

use super::super::rng::Rng;
use super::super::{fail, ms, percentile, rate};
use super::{BODY, SECOND, tv};

fn no_problems(p: Vec<oxmapi_wire::cdata::PropertyProblem>) -> Result<(), MapiError> {
    if p.is_empty() { Ok(()) } else { Err(fail(format!("SetProps reported problems: {p:?}"))) }
}

/// Summary of per-message latencies.
fn latencies(n: usize, total: Duration, mut lat: Vec<Duration>) -> Vec<(&'static str, Node)> {
    lat.sort();
    vec![
        ("messages", Node::Int(n as i128)),
        ("seconds", Node::Float((total.as_secs_f64() * 1000.0).round() / 1000.0)),
        ("messages_per_second", rate(n, total)),
        ("p50_ms", ms(percentile(&lat, 0.5))),
        ("p99_ms", ms(percentile(&lat, 0.99))),
    ]
}

/// Phase 1: small messages.
pub(super) fn small_messages(folder: &Folder, n: usize) -> Result<Node, MapiError> {
    let base = FileTime::now().0;
    let mut lat = Vec::with_capacity(n);
    let started = Instant::now();
    for i in 0..n {
        let t = Instant::now();
        let mut m = folder.create_message(false)?;
        no_problems(m.set_props(&[
            tv(PR_SUBJECT, PropValue::Unicode(format!("Small message {i}"))),
            tv(PR_BODY, PropValue::Unicode(BODY.into())),
            tv(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(base - i as u64 * SECOND))),
        ])?)?;
        m.save_changes(SaveFlags::KeepOpenReadOnly)?;
        lat.push(t.elapsed());
    }
    Ok(Node::map(latencies(n, started.elapsed(), lat)))
}

/// Phase 2: messages with one attachment streamed in.
pub(super) fn attachment_messages(folder: &Folder, n: usize, size: usize) -> Result<Node, MapiError> {
    let base = FileTime::now().0;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut data = vec![0u8; size];
    let mut lat = Vec::with_capacity(n);
    let mut total = Duration::ZERO;
    for i in 0..n {
        rng.fill(&mut data); // not timed
        let t = Instant::now();
        let mut m = folder.create_message(false)?;
        no_problems(m.set_props(&[
            tv(PR_SUBJECT, PropValue::Unicode(format!("Message {i} with an attachment"))),
            tv(PR_BODY, PropValue::Unicode(BODY.into())),
            tv(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(base - i as u64 * SECOND))),
        ])?)?;
        let a = m.create_attachment()?;
        no_problems(a.set_props(&[
            tv(PR_ATTACH_METHOD, PropValue::I32(1)),
            tv(PR_ATTACH_LONG_FILENAME, PropValue::Unicode(format!("data-{i}.bin"))),
        ])?)?;
        let mut st = a.open_stream(PR_ATTACH_DATA_BIN, StreamMode::Create)?;
        st.write_all(&data).map_err(|e| fail(format!("writing the attachment stream: {e}")))?;
        st.commit()?;
        drop(st);
        a.save_changes(SaveFlags::KeepOpenReadOnly)?;
        m.save_changes(SaveFlags::KeepOpenReadOnly)?;
        let d = t.elapsed();
        total += d;
        lat.push(d);
    }
    let mut out = latencies(n, total, lat);
    out.insert(1, ("attachment_bytes", Node::Int(size as i128)));
    let mb = (n * size) as f64 / 1e6 / total.as_secs_f64().max(1e-9);
    out.push(("attachment_mb_per_second", Node::Float((mb * 10.0).round() / 10.0)));
    Ok(Node::map(out))
}
