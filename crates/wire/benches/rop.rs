//! ROP buffer throughput: decode + encode of a RopQueryRows response with 50 rows of 10 columns
//! (the shape of an Outlook contents-table page), and of the matching request buffer.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::{PropertyRow, RowValue};
use oxmapi_wire::rop::oxctabl::{QueryRowsResponse, rows};
use oxmapi_wire::rop::{self, Outcome, RopBuffer, RopResponse};

/// Ten typical contents-table columns.
pub const COLUMNS: [PropTag; 10] = [
    PropTag(0x0FFF_0102), // PR_ENTRYID
    PropTag(0x0037_001F), // PR_SUBJECT_W
    PropTag(0x0C1A_001F), // PR_SENDER_NAME_W
    PropTag(0x0E06_0040), // PR_MESSAGE_DELIVERY_TIME
    PropTag(0x0E08_0003), // PR_MESSAGE_SIZE
    PropTag(0x0E07_0003), // PR_MESSAGE_FLAGS
    PropTag(0x001A_001F), // PR_MESSAGE_CLASS_W
    PropTag(0x0E1B_000B), // PR_HASATTACH
    PropTag(0x0017_0003), // PR_IMPORTANCE
    PropTag(0x0E04_001F), // PR_DISPLAY_TO_W
];

fn page() -> Vec<u8> {
    let rs: Vec<PropertyRow> = (0..50u32)
        .map(|i| {
            PropertyRow::new(vec![
                RowValue::Value(PropValue::Binary((0..70).map(|b| (b as u32 * 7 + i) as u8).collect())),
                RowValue::Value(PropValue::Unicode(format!(
                    "Re: quarterly planning, item {i} — draft for review"
                ))),
                RowValue::Value(PropValue::Unicode(format!("Sender Number {i}"))),
                RowValue::Value(PropValue::SysTime(FileTime(
                    133_400_000_000_000_000 + i as u64 * 600_000_000,
                ))),
                RowValue::Value(PropValue::I32(2048 + i as i32 * 13)),
                RowValue::Value(PropValue::I32(if i % 3 == 0 { 1 } else { 0 })),
                RowValue::Value(PropValue::Unicode("IPM.Note".into())),
                RowValue::Value(PropValue::Bool(i % 5 == 0)),
                RowValue::Value(PropValue::I32(1)),
                RowValue::Value(PropValue::Unicode("Alice Example; Bob Example".into())),
            ])
        })
        .collect();
    let resp = RopResponse::QueryRows(Outcome::ok(
        1,
        QueryRowsResponse { origin: 1, row_count: 50, rows: rows(&COLUMNS, rs) },
    ));
    RopBuffer { rops: rop::encode_responses(&[resp]), handles: vec![0x0000_0042, 0x0000_0043] }.encode()
}

fn bench(c: &mut Criterion) {
    let buf = page();
    let mut g = c.benchmark_group("rop_query_rows_50x10");
    g.throughput(Throughput::Bytes(buf.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| {
            let rb = RopBuffer::decode(black_box(&buf)).unwrap();
            rop::decode_responses(&rb.rops, |_, _, _| Some(COLUMNS.to_vec())).unwrap()
        })
    });
    let rb = RopBuffer::decode(&buf).unwrap();
    let decoded = rop::decode_responses(&rb.rops, |_, _, _| Some(COLUMNS.to_vec())).unwrap();
    g.bench_function("encode", |b| {
        b.iter(|| {
            RopBuffer { rops: rop::encode_responses(black_box(&decoded)), handles: rb.handles.clone() }
                .encode()
        })
    });
    g.bench_function("decode+encode", |b| {
        b.iter(|| {
            let rb = RopBuffer::decode(black_box(&buf)).unwrap();
            let d = rop::decode_responses(&rb.rops, |_, _, _| Some(COLUMNS.to_vec())).unwrap();
            RopBuffer { rops: rop::encode_responses(&d), handles: rb.handles }.encode()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
