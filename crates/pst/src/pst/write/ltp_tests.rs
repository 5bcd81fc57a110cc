//! Round trips of the LTP builders through the reader: random property bags and tables
//! (proptest), contexts of Outlook-written files rebuilt and read back, and hostile input that
//! must never panic.

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::guid::Guid;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;
use proptest::prelude::*;

use super::NodeContent;
use super::pc::build_pc;
use super::tc::{PR_LTP_ROW_ID, PR_LTP_ROW_VER, build_tc};
use super::value::{storable, type_code};
use crate::pst::heap::Heap;
use crate::pst::ltp::{Row, property_context, table_context};
use crate::pst::ndb::{Le, Ndb};
use crate::pst::{PstError, PstFile};

/// Reads a built PC back with the reader.
fn read_pc(c: NodeContent) -> (PropBag, Vec<String>) {
    let ndb = Ndb::from_nodes(&[(0x21, c)]);
    let n = ndb.node(0x21).expect("node");
    let heap = Heap::open(&ndb, n.data, n.sub).expect("heap");
    property_context(&heap).expect("pc")
}

/// Reads a built TC back with the reader.
fn read_tc(c: NodeContent) -> (Vec<Row>, Vec<String>) {
    let ndb = Ndb::from_nodes(&[(0x12E, c)]);
    let n = ndb.node(0x12E).expect("node");
    let heap = Heap::open(&ndb, n.data, n.sub).expect("heap");
    table_context(&heap).expect("tc")
}

// ---- value strategies ----------------------------------------------------------------------

/// Sizes: mostly small, sometimes around the heap-item limit (3580) and past a block (8176).
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![8 => 0usize..48, 1 => 3570usize..3600, 1 => 8100usize..20_000]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    (size(), any::<u8>()).prop_map(|(n, seed)| (0..n).map(|i| (i as u8).wrapping_mul(31) ^ seed).collect())
}

/// No trailing NULs: the reader drops them from strings (as the format's readers do).
fn string8() -> impl Strategy<Value = Vec<u8>> {
    bytes().prop_map(|b| b.into_iter().map(|c| c.max(1)).collect())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[^\u{0}]{0,24}",
        1 => (size(), any::<char>()).prop_map(|(n, c)| {
            let c = if c == '\0' { 'x' } else { c };
            std::iter::repeat_n(c, n / 2).collect()
        }),
    ]
}

fn finite() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("finite", |f| f.is_finite())
}

fn finite32() -> impl Strategy<Value = f32> {
    any::<f32>().prop_filter("finite", |f| f.is_finite())
}

fn many<S: Strategy>(s: S) -> proptest::collection::VecStrategy<S> {
    proptest::collection::vec(s, 0..6)
}

/// Every type the reader decodes (PtypObject apart: it needs its subnode).
fn value() -> impl Strategy<Value = PropValue> {
    prop_oneof![
        Just(PropValue::Null),
        any::<i16>().prop_map(PropValue::I16),
        any::<i32>().prop_map(PropValue::I32),
        finite32().prop_map(PropValue::F32),
        finite().prop_map(PropValue::F64),
        any::<i64>().prop_map(PropValue::Currency),
        finite().prop_map(PropValue::AppTime),
        any::<u32>().prop_map(PropValue::Error),
        any::<bool>().prop_map(PropValue::Bool),
        any::<i64>().prop_map(PropValue::I64),
        string8().prop_map(PropValue::String8),
        text().prop_map(PropValue::Unicode),
        any::<u64>().prop_map(|t| PropValue::SysTime(FileTime(t))),
        any::<[u8; 16]>().prop_map(|g| PropValue::Guid(Guid(g))),
        bytes().prop_map(PropValue::ServerId),
        bytes().prop_map(PropValue::Binary),
        many(any::<i16>()).prop_map(PropValue::MvI16),
        many(any::<i32>()).prop_map(PropValue::MvI32),
        many(finite32()).prop_map(PropValue::MvF32),
        many(finite()).prop_map(PropValue::MvF64),
        many(any::<i64>()).prop_map(PropValue::MvCurrency),
        many(finite()).prop_map(PropValue::MvAppTime),
        many(any::<i64>()).prop_map(PropValue::MvI64),
        many(string8()).prop_map(PropValue::MvString8),
        many(text()).prop_map(PropValue::MvUnicode),
        many(any::<u64>().prop_map(FileTime)).prop_map(PropValue::MvSysTime),
        many(any::<[u8; 16]>().prop_map(Guid)).prop_map(PropValue::MvGuid),
        many(bytes()).prop_map(PropValue::MvBinary),
    ]
}

/// Anything, including what has no stored form or does not round-trip (NaN, NUL-ended
/// strings, restrictions, rule actions, objects naming no subnode).
fn hostile_value() -> impl Strategy<Value = PropValue> {
    prop_oneof![
        4 => value(),
        1 => any::<f64>().prop_map(PropValue::F64),
        1 => proptest::collection::vec(any::<u8>(), 0..10).prop_map(PropValue::String8),
        1 => any::<String>().prop_map(PropValue::Unicode),
        1 => Just(PropValue::Restriction(Box::new(Restriction::And(vec![])))),
        1 => bytes().prop_map(PropValue::RuleAction),
        1 => any::<u32>().prop_map(PropValue::Object),
    ]
}

fn bag_of(v: impl Strategy<Value = PropValue>, max: usize) -> impl Strategy<Value = PropBag> {
    proptest::collection::vec((any::<u16>(), v), 0..max).prop_map(|props| {
        props.into_iter().fold(PropBag::new(), |b, (id, v)| b.with(PropTag::from_parts(id, 0), v))
    })
}

// ---- tables from a seed --------------------------------------------------------------------

/// A small deterministic generator (xorshift), so that tables of thousands of rows cost
/// proptest one seed rather than thousands of generated values.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A value of type `ty` drawn from `rng` (sizes mostly small, sometimes large).
fn value_of(ty: u16, rng: &mut Rng) -> PropValue {
    let len = match rng.below(20) {
        0 => 3500 + rng.below(200) as usize,
        1 => 8000 + rng.below(9000) as usize,
        _ => rng.below(40) as usize,
    };
    let b: Vec<u8> = (0..len).map(|_| (rng.next() as u8).max(1)).collect();
    let n = rng.below(4) as usize;
    let x = rng.next();
    match ty {
        0x0001 => PropValue::Null,
        0x0002 => PropValue::I16(x as i16),
        0x0003 => PropValue::I32(x as i32),
        0x0005 => PropValue::F64((x % 1_000_000) as f64 / 7.0),
        0x000B => PropValue::Bool(x & 1 == 1),
        0x0014 => PropValue::I64(x as i64),
        0x0040 => PropValue::SysTime(FileTime(x)),
        0x001E => PropValue::String8(b),
        0x001F => PropValue::Unicode(b.iter().map(|&c| char::from(b'a' + c % 26)).collect()),
        0x0048 => PropValue::Guid(Guid([x as u8; 16])),
        0x000D => PropValue::Object(x as u32),
        0x0102 => PropValue::Binary(b),
        0x1003 => PropValue::MvI32((0..n).map(|i| (i as i32).wrapping_mul(x as i32)).collect()),
        0x101F => PropValue::MvUnicode((0..n).map(|i| format!("v{i}-{}", x % 1000)).collect()),
        _ => PropValue::MvBinary((0..n).map(|_| b.clone()).collect()),
    }
}

/// The column types of the random tables (PtypObject cells hold a node id).
const COLUMN_TYPES: [u16; 15] = [
    0x0001, 0x0002, 0x0003, 0x0005, 0x000B, 0x000D, 0x0014, 0x0040, 0x001E, 0x001F, 0x0048, 0x0102, 0x1003,
    0x101F, 0x1102,
];

/// Columns and rows drawn from `seed`: some cells missing, some of another type than their
/// column, some properties in no column.
fn table(seed: u64, cols: usize, rows: usize) -> (Vec<PropTag>, Vec<Row>) {
    let mut rng = Rng(seed | 1);
    let columns: Vec<PropTag> = (0..cols)
        .map(|i| {
            PropTag::from_parts(
                0x3000 + i as u16,
                COLUMN_TYPES[rng.below(COLUMN_TYPES.len() as u64) as usize],
            )
        })
        .collect();
    let rows = (0..rows)
        .map(|r| {
            let mut props = PropBag::new();
            for c in &columns {
                match rng.below(10) {
                    0..=2 => {}
                    3 => props.set(
                        *c,
                        value_of(COLUMN_TYPES[rng.below(COLUMN_TYPES.len() as u64) as usize], &mut rng),
                    ),
                    _ => props.set(*c, value_of(c.raw_type(), &mut rng)),
                }
            }
            if rng.below(5) == 0 {
                props.set(PropTag(0x7000_0003), PropValue::I32(1));
            }
            Row { id: (r as u32) << 5 | 4, props }
        })
        .collect();
    (columns, rows)
}

/// What the reader must give back for `rows` in a table of `columns`: each row's values
/// of its columns' types, plus the two row columns.
fn expected(columns: &[PropTag], rows: &[Row]) -> Vec<Row> {
    rows.iter()
        .map(|r| {
            let mut props = PropBag::new();
            for c in columns {
                if let Some(v) = r.props.get(*c).filter(|v| type_code(v) == c.raw_type() && storable(v)) {
                    props.set(*c, v.clone());
                }
            }
            props.set(PR_LTP_ROW_ID, PropValue::I32(r.id as i32));
            let ver = r.props.get(PR_LTP_ROW_VER).cloned().unwrap_or(PropValue::I32(0));
            props.set(PR_LTP_ROW_VER, ver);
            Row { id: r.id, props }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random bags of every type, empty and large values (heap items, subnodes of one and of
    /// several blocks), up to 600 properties (a BTH with an index level) read back equal.
    #[test]
    fn random_property_bags_read_back_equal(bag in bag_of(value(), 600)) {
        let (got, problems) = read_pc(build_pc(&bag, Vec::new()));
        prop_assert!(problems.is_empty(), "{:?}", problems);
        prop_assert_eq!(got, bag);
    }

    /// Random tables, 0 to 5,000 rows, mixed column types, missing and mistyped cells.
    #[test]
    fn random_tables_read_back_equal(
        seed in any::<u64>(),
        cols in 0usize..24,
        rows in prop_oneof![3 => 0usize..40, 1 => 0usize..5000],
    ) {
        let (columns, rows) = table(seed, cols, rows);
        let (got, problems) = read_tc(build_tc(&columns, &rows));
        prop_assert!(problems.is_empty(), "{:?}", problems);
        prop_assert_eq!(got, expected(&columns, &rows));
    }

    /// Whatever the bag holds, building never panics and what is built opens in the reader.
    #[test]
    fn hostile_bags_never_panic(bag in bag_of(hostile_value(), 40), cols in proptest::collection::vec(any::<u32>(), 0..300)) {
        let _ = read_pc(build_pc(&bag, vec![(0x25, NodeContent::raw(b"object"))]));
        let columns: Vec<PropTag> = cols.into_iter().map(PropTag).chain(bag.tags()).collect();
        let rows = vec![Row { id: 1, props: bag.clone() }, Row { id: 1, props: bag }];
        let (got, _) = read_tc(build_tc(&columns, &rows));
        prop_assert_eq!(got.len(), 1);
    }
}

// ---- Outlook-written contexts rebuilt ------------------------------------------------------

/// The column tags of the TC in `heap` (from its TCINFO).
fn columns_of(heap: &Heap) -> Result<Vec<PropTag>, PstError> {
    let info = heap.item(heap.user_root)?;
    let count = info.u8_at(1)? as usize;
    (0..count).map(|i| info.u32_at(22 + i * 8).map(PropTag)).collect()
}

/// Rebuilds every PC and TC of `path` — top-level nodes and subnodes (recipient and
/// attachment tables, attachments) — with the builders and checks that the reader gives the
/// same values. Returns how many PCs and TCs were compared.
fn rebuild_all(path: &str) -> (usize, usize) {
    let Ok(f) = PstFile::open(path) else { return (0, 0) };
    let ndb = &f.ndb;
    let (mut pcs, mut tcs) = (0, 0);
    let mut heaps = Vec::new();
    for ty in 0..32 {
        for nid in ndb.nodes_of_type(ty) {
            let n = ndb.node(nid).expect("node");
            heaps.push((nid, n.data, n.sub));
            for (sid, s) in ndb.subnodes(n.sub).unwrap_or_default() {
                heaps.push((sid, s.data, s.sub));
            }
        }
    }
    for (nid, data, sub) in heaps {
        let Ok(heap) = Heap::open(ndb, data, sub) else { continue };
        match heap.client_sig {
            0xBC => {
                let Ok((bag, problems)) = property_context(&heap) else { continue };
                let (got, again) = read_pc(build_pc(&bag, Vec::new()));
                assert_eq!(got, bag, "PC {nid:#x} of {path}");
                assert!(again.len() <= problems.len(), "PC {nid:#x}: {again:?}");
                pcs += 1;
            }
            0x7C => {
                let Ok((rows, _)) = table_context(&heap) else { continue };
                let columns = columns_of(&heap).expect("TCINFO");
                let (got, problems) = read_tc(build_tc(&columns, &rows));
                assert!(problems.is_empty(), "TC {nid:#x}: {problems:?}");
                assert_eq!(got, rows, "TC {nid:#x} of {path}");
                tcs += 1;
            }
            _ => {}
        }
    }
    (pcs, tcs)
}

/// Every PST and OST file under `dir`, recursively.
fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("pst") || x.eq_ignore_ascii_case("ost"))
        {
            out.push(p);
        }
    }
}

/// The contexts of test_unicode.pst (Outlook), then of every other PST and OST of the test
/// data (Outlook, Aspose, ANSI files), rebuilt and read back with the same values.
#[test]
fn outlook_contexts_rebuilt_read_back_the_same_values() {
    let unicode = "/work/shared/testdata/pstsdk/test_unicode.pst";
    if !std::path::Path::new(unicode).exists() {
        println!("skipped: {unicode} is missing");
        return;
    }
    let (pcs, tcs) = rebuild_all(unicode);
    assert!(pcs >= 5 && tcs >= 20, "{pcs} PCs, {tcs} TCs");
    let mut files = Vec::new();
    files_under(std::path::Path::new("/work/shared/testdata"), &mut files);
    files.sort();
    let (mut all_pcs, mut all_tcs) = (pcs, tcs);
    for f in files.iter().filter(|f| f.metadata().is_ok_and(|m| m.len() <= MAX_REBUILT_FILE)) {
        let (p, t) = rebuild_all(&f.to_string_lossy());
        all_pcs += p;
        all_tcs += t;
    }
    println!("{} files: {all_pcs} property contexts, {all_tcs} table contexts rebuilt", files.len() + 1);
}

/// Files larger than this are left out of the rebuild test (time).
const MAX_REBUILT_FILE: u64 = 8 << 20;
