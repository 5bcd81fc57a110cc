//! The walk every reader does in `oxmapi bench pst`, here with our own reader
//! (`oxmapi_pst::pst`): open the file, walk the folder tree, open every message of every
//! contents table whole (every property, recipient and attachment, embedded messages
//! included) — sequentially, or on several threads sharing one [`PstFile`].

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use oxmapi_core::bag::PropBag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::Item;
use oxmapi_pst::pst::PstFile;

/// What one walk of one file found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Walk {
    /// Folders below the root (search folders included), as the peers count them.
    pub folders: u64,
    /// Messages opened whole.
    pub items: u64,
    /// Folders and messages that could not be read.
    pub errors: u64,
    /// Bytes of string and binary property values read (attachment data included).
    pub bytes: u64,
    /// From opening the file to the last message read.
    pub elapsed: Duration,
}

/// Messages a thread takes from the shared queue at a time in a parallel walk.
const CHUNK: usize = 16;

// The parallel walk shares one open file between threads.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<PstFile>();
};

/// Walks `path` with our reader on `threads` threads (1: sequentially).
pub fn walk(path: &Path, threads: usize) -> Result<Walk, String> {
    let start = Instant::now();
    let pst = PstFile::open(path).map_err(|e| e.to_string())?;
    let (folders, skipped) = pst.folders();
    let search = skipped.iter().filter(|s| !s.damaged).count();
    let mut w = Walk {
        folders: (folders.len().saturating_sub(1) + search) as u64,
        errors: skipped.iter().filter(|s| s.damaged).count() as u64,
        ..Walk::default()
    };
    let mut nids = Vec::new();
    for f in &folders {
        match pst.contents(f.nid) {
            Ok(rows) => nids.extend(rows.into_iter().map(|r| r.id)),
            Err(_) => w.errors += 1,
        }
    }
    let next = AtomicUsize::new(0);
    let part = || {
        let mut p = Walk::default();
        loop {
            let at = next.fetch_add(CHUNK, Ordering::Relaxed);
            let Some(chunk) = nids.get(at..(at + CHUNK).min(nids.len())) else { break };
            if chunk.is_empty() {
                break;
            }
            for &nid in chunk {
                match pst.message(nid) {
                    Ok(m) => {
                        p.items += 1;
                        p.bytes += item_bytes(&m.item);
                    }
                    Err(_) => p.errors += 1,
                }
            }
        }
        p
    };
    let parts: Vec<Walk> = if threads <= 1 {
        vec![part()]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(part)).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
        })
    };
    for p in parts {
        w.items += p.items;
        w.errors += p.errors;
        w.bytes += p.bytes;
    }
    w.elapsed = start.elapsed();
    Ok(w)
}

/// The string and binary bytes of a message, its recipients and attachments.
fn item_bytes(item: &Item) -> u64 {
    let mut n = bag_bytes(&item.props);
    n += item.recipients.iter().map(bag_bytes).sum::<u64>();
    for a in &item.attachments {
        n += bag_bytes(&a.props);
        n += a.storage.as_ref().map_or(0, |s| s.len() as u64);
        n += a.embedded.as_deref().map_or(0, item_bytes);
    }
    n
}

fn bag_bytes(bag: &PropBag) -> u64 {
    bag.iter()
        .map(|tv| match &tv.value {
            PropValue::Binary(b) | PropValue::String8(b) | PropValue::ServerId(b) => b.len() as u64,
            PropValue::Unicode(s) => s.len() as u64,
            PropValue::MvBinary(v) | PropValue::MvString8(v) => v.iter().map(|b| b.len() as u64).sum(),
            PropValue::MvUnicode(v) => v.iter().map(|s| s.len() as u64).sum(),
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Option<std::path::PathBuf> {
        let p =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/pst_to_eml/threeItems.pst");
        p.exists().then_some(p)
    }

    #[test]
    fn the_parallel_walk_finds_what_the_sequential_one_finds() {
        let Some(p) = sample() else { return };
        let one = walk(&p, 1).unwrap();
        let two = walk(&p, 2).unwrap();
        assert_eq!((one.folders, one.items, one.errors, one.bytes), (8, 4, 0, one.bytes));
        assert_eq!((two.folders, two.items, two.errors, two.bytes), (one.folders, one.items, 0, one.bytes));
        assert!(one.bytes > 0);
    }
}
