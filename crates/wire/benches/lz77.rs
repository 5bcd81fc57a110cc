//! LZ77 (MS-XCA 2.3/2.4 Plain LZ77, MS-OXCRPC 3.1.4.1.1.2) throughput: our codec next to the
//! `rust-lzxpress` crate (library name `lzxpress`) on two 32 KB payloads:
//!
//! - `rop_query_rows`: a RopQueryRows response buffer (MS-OXCROPS 2.2.5.4) of contents-table
//!   rows — message IDs, UTF-16 subjects and sender names, FILETIMEs, sizes, flags and 70-byte
//!   message entry IDs — as an Execute response carries it;
//! - `english_text`: English-like prose (Zipf-distributed words, sentences, paragraphs).
//!
//! Run: `cargo bench -p oxmapi-wire --bench lz77 -- --warm-up-time 1 --measurement-time 3`.
//! Both decoders decode the same stream (ours, or the peer's own output when ours hits the
//! peer's end-marker bug, see tests/lz77_peer.rs).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use oxmapi_wire::lz77;

/// xorshift64 — deterministic inputs without extra crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Index in 0..n, skewed towards small values (roughly Zipf).
    fn zipf(&mut self, n: usize) -> usize {
        let a = self.below(n) + 1;
        let b = self.below(a);
        b.min(n - 1)
    }
}

const PAYLOAD: usize = 32 * 1024;

const FIRST: &[&str] = &["Anna", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jan"];
const LAST: &[&str] = &["Schmidt", "Miller", "Dubois", "Rossi", "Novak", "Jansen", "Kowalski", "Silva"];
const TOPICS: &[&str] = &[
    "Quarterly report",
    "Meeting notes",
    "Budget review",
    "Project Apollo status",
    "Travel request",
    "Invoice",
    "Team lunch",
    "Release planning",
    "Customer escalation",
    "Weekly update",
];

fn utf16z(out: &mut Vec<u8>, s: &str) {
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out.extend_from_slice(&[0, 0]);
}

/// A RopQueryRows response (RopId 0x15, InputHandleIndex, ReturnValue, Origin, RowCount, rows)
/// inside a ROP output buffer (RopSize + ROPs + handle table), filled to just under 32 KB.
/// Columns: PidTagMid, PidTagSubject, PidTagSenderName, PidTagMessageDeliveryTime,
/// PidTagMessageSize, PidTagMessageFlags, PidTagHasAttachments, PidTagEntryId.
fn rop_query_rows_response() -> Vec<u8> {
    let mut rng = Rng(0x5EED_0001);
    let store_guid: [u8; 16] = *b"\x2d\x7f\x1a\x4c\x9b\x03\x4e\x11\xa8\x6d\x10\x22\x33\x44\x55\x66";
    let provider_uid: [u8; 16] = *b"\x38\xa1\xbb\x10\x05\xe5\x10\x1a\xa1\xbb\x08\x00\x2b\x2a\x56\xc2";
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut count: u16 = 0;
    let mut counter: u64 = 0x0001_2A40;
    let mut time: u64 = 0x01DA_5000_0000_0000;
    loop {
        row.clear();
        counter += 1 + rng.below(3) as u64;
        time += 10_000_000 * (60 + rng.below(7200) as u64);
        let mut gc = [0u8; 6];
        gc.copy_from_slice(&counter.to_be_bytes()[2..]);
        row.push(0x00); // StandardPropertyRow
        // PidTagMid: ReplicaId 1 + 6-byte big-endian GlobalCounter.
        row.extend_from_slice(&1u16.to_le_bytes());
        row.extend_from_slice(&gc);
        let topic = TOPICS[rng.zipf(TOPICS.len())];
        let subject = match rng.below(4) {
            0 => format!("RE: {topic}"),
            1 => format!("FW: {topic} {}", 2020 + rng.below(6)),
            _ => format!("{topic} — week {}", 1 + rng.below(52)),
        };
        utf16z(&mut row, &subject);
        let sender = format!("{} {}", FIRST[rng.below(FIRST.len())], LAST[rng.below(LAST.len())]);
        utf16z(&mut row, &sender);
        row.extend_from_slice(&time.to_le_bytes());
        row.extend_from_slice(&(2_000 + rng.below(250_000) as u32).to_le_bytes());
        row.extend_from_slice(&(if rng.below(3) == 0 { 0x0000_0001u32 } else { 0x0000_0003 }).to_le_bytes());
        row.push(u8::from(rng.below(5) == 0));
        // PidTagEntryId: PtypBinary with u16 count, a 70-byte Message EntryID (MS-OXCDATA 2.2.4.3).
        row.extend_from_slice(&70u16.to_le_bytes());
        row.extend_from_slice(&[0; 4]);
        row.extend_from_slice(&provider_uid);
        row.extend_from_slice(&7u16.to_le_bytes()); // eitLTPrivateFolder-style type
        row.extend_from_slice(&store_guid);
        row.extend_from_slice(&[0x00, 0x00, 0x00, 0x00, 0x00, 0x01 + rng.below(8) as u8]);
        row.extend_from_slice(&[0, 0]);
        row.extend_from_slice(&store_guid);
        row.extend_from_slice(&gc);
        row.extend_from_slice(&[0, 0]);
        // RopSize(2) + header(9) + rows + handle table(4).
        if 2 + 9 + rows.len() + row.len() + 4 > PAYLOAD {
            break;
        }
        rows.extend_from_slice(&row);
        count += 1;
    }
    let mut buf = Vec::with_capacity(PAYLOAD);
    let rop_size = (2 + 9 + rows.len()) as u16;
    buf.extend_from_slice(&rop_size.to_le_bytes());
    buf.push(0x15); // RopQueryRows
    buf.push(0x01); // InputHandleIndex
    buf.extend_from_slice(&0u32.to_le_bytes()); // ReturnValue
    buf.push(0x01); // Origin BOOKMARK_CURRENT
    buf.extend_from_slice(&count.to_le_bytes());
    buf.extend_from_slice(&rows);
    buf.extend_from_slice(&0x0000_0042u32.to_le_bytes()); // handle table
    buf
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "had",
    "they",
    "you",
    "were",
    "their",
    "one",
    "all",
    "we",
    "can",
    "her",
    "has",
    "there",
    "been",
    "if",
    "more",
    "when",
    "will",
    "would",
    "who",
    "so",
    "no",
    "she",
    "other",
    "its",
    "may",
    "these",
    "what",
    "them",
    "than",
    "some",
    "him",
    "time",
    "into",
    "only",
    "do",
    "could",
    "new",
    "about",
    "two",
    "first",
    "then",
    "also",
    "any",
    "like",
    "my",
    "should",
    "our",
    "over",
    "such",
    "after",
    "most",
    "made",
    "between",
    "before",
    "through",
    "where",
    "people",
    "years",
    "well",
    "because",
    "each",
    "those",
    "work",
    "under",
    "state",
    "government",
    "without",
    "world",
    "house",
    "during",
    "however",
    "company",
    "number",
    "system",
    "meeting",
    "project",
    "report",
    "message",
    "customer",
    "schedule",
    "morning",
    "question",
    "office",
    "development",
    "information",
    "important",
    "different",
    "following",
    "available",
    "experience",
    "understand",
    "community",
    "particular",
    "something",
    "therefore",
    "especially",
    "yesterday",
    "colleagues",
    "attached",
    "document",
    "please",
    "review",
    "thanks",
    "regards",
    "tomorrow",
    "weekend",
];

/// English-like prose: Zipf-distributed words, sentences of 4–22 words with commas, paragraphs.
fn english_text() -> Vec<u8> {
    let mut rng = Rng(0x5EED_0002);
    let mut s = String::with_capacity(PAYLOAD + 64);
    while s.len() < PAYLOAD {
        let sentences = 2 + rng.below(5);
        for _ in 0..sentences {
            let words = 4 + rng.below(19);
            for i in 0..words {
                let w = WORDS[rng.zipf(WORDS.len())];
                if i == 0 {
                    let mut c = w.chars();
                    if let Some(f) = c.next() {
                        s.extend(f.to_uppercase());
                        s.push_str(c.as_str());
                    }
                } else {
                    s.push_str(w);
                }
                if i + 1 < words {
                    s.push_str(if rng.below(9) == 0 { ", " } else { " " });
                }
            }
            s.push_str(if rng.below(10) == 0 { "? " } else { ". " });
        }
        s.push_str("\r\n\r\n");
    }
    s.truncate(PAYLOAD);
    s.into_bytes()
}

fn bench_lz77(c: &mut Criterion) {
    for (name, data) in [("rop_query_rows", rop_query_rows_response()), ("english_text", english_text())] {
        let ours = lz77::compress(&data);
        let peer = lzxpress::data::compress(&data).unwrap_or_default();
        let peer_ok = lzxpress::data::decompress(&peer).is_ok_and(|d| d == data);
        eprintln!(
            "{name}: {} bytes; oxmapi -> {} bytes; rust-lzxpress -> {} bytes (decodes back: {peer_ok})",
            data.len(),
            ours.len(),
            peer.len()
        );
        assert_eq!(lz77::decompress(&ours, data.len()).unwrap(), data);
        // The stream both decoders are timed on.
        let stream = if lzxpress::data::decompress(&ours).is_ok() { ours } else { peer };
        assert_eq!(lzxpress::data::decompress(&stream).unwrap(), data);

        let mut g = c.benchmark_group(format!("lz77_compress/{name}"));
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function("oxmapi", |b| b.iter(|| lz77::compress(black_box(&data))));
        // The peer's exhaustive search takes tens of milliseconds per 32 KB.
        g.sample_size(10);
        g.bench_function("rust-lzxpress", |b| b.iter(|| lzxpress::data::compress(black_box(&data))));
        g.finish();

        let mut g = c.benchmark_group(format!("lz77_decompress/{name}"));
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function("oxmapi", |b| b.iter(|| lz77::decompress(black_box(&stream), data.len())));
        g.bench_function("rust-lzxpress", |b| b.iter(|| lzxpress::data::decompress(black_box(&stream))));
        g.finish();
    }
}

criterion_group!(benches, bench_lz77);
criterion_main!(benches);
