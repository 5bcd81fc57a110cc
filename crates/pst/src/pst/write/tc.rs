//! Building a table context ([MS-PST] 2.3.4): a heap (`bClientSig` 0x7C) whose user root is
//! the TCINFO (2.3.4.1: `bType`, `cCols`, `rgib[4]`, `hidRowIndex`, `hnidRows`, `hidIndex` 0,
//! then the TCOLDESCs sorted by tag), the RowIndex BTH (2.3.4.3: 4-byte row id to 4-byte row
//! index in a Unicode file) and the row matrix (2.3.4.4).
//!
//! Row layout: PidTagLtpRowId at 0 and PidTagLtpRowVer at 4, then the 8-byte cells, the
//! 4-byte cells (variable-size values as HNIDs), the 2-byte cells, the 1-byte cells and the
//! cell existence bitmap (bit `iBit` is `0x80 >> (iBit % 8)` of byte `iBit / 8`); `iBit`s
//! follow the cells' order. The matrix is a heap item when it fits one, else a NID_TYPE_LTP
//! subnode whose blocks each hold as many whole rows as fit (rows never span blocks; every
//! block but the last is zero-padded to the full block).

use std::collections::{HashMap, HashSet};

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::bth::{build_bth_at, reserve_bth_header};
use super::heap::{LtpNode, MAX_HEAP_ITEM};
use super::value::{encode_value, storable, type_code};
use super::{MAX_BLOCK_DATA, NodeContent};
use crate::pst::ltp::Row;
use crate::pst::value::{PT_OBJECT, decode, fixed_size};

/// `bClientSig` of a table context and `bType` of its TCINFO.
pub const TC_SIGNATURE: u8 = 0x7C;
/// PidTagLtpRowId: the row id column, always at offset 0.
pub const PR_LTP_ROW_ID: PropTag = PropTag(0x67F2_0003);
/// PidTagLtpRowVer: the row version column, always at offset 4.
pub const PR_LTP_ROW_VER: PropTag = PropTag(0x67F3_0003);
/// The most columns of a TC (`cCols` is one byte), the two row columns included.
pub const MAX_COLUMNS: usize = 255;
/// Length of the TCINFO before its TCOLDESCs.
const TCINFO_LEN: usize = 22;
/// `cbKey` and `cbEnt` of the RowIndex BTH in a Unicode file.
const ROW_INDEX_KEY_LEN: u8 = 4;
const ROW_INDEX_DATA_LEN: u8 = 4;

/// A column: its tag, cell offset and size, and existence bit.
#[derive(Clone, Copy, Debug)]
struct Column {
    tag: PropTag,
    offset: usize,
    size: usize,
    bit: usize,
}

/// The cell size of a column type, `None` for a type without a stored form here.
fn cell_size(ty: u16) -> Option<usize> {
    if ty == PT_OBJECT {
        return Some(4);
    }
    match fixed_size(ty) {
        Some(n) => Some(n.max(1)),
        None if decode(ty, &[0u8; 16]).is_ok() => Some(4),
        None => None,
    }
}

/// The row layout: (columns in cell order with offsets and bits, rgib[4]).
fn layout(columns: &[PropTag]) -> (Vec<Column>, [usize; 4]) {
    let mut seen = HashSet::new();
    let mut user: Vec<(PropTag, usize)> = columns
        .iter()
        .filter(|t| t.id() != PR_LTP_ROW_ID.id() && t.id() != PR_LTP_ROW_VER.id())
        .filter_map(|t| cell_size(t.raw_type()).map(|s| (*t, s)))
        .filter(|(t, _)| seen.insert(t.id()))
        .take(MAX_COLUMNS - 2)
        .collect();
    // 8-byte cells first, then 4-, 2- and 1-byte ones (stable: callers' order within a size).
    user.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    let mut cols = vec![
        Column { tag: PR_LTP_ROW_ID, offset: 0, size: 4, bit: 0 },
        Column { tag: PR_LTP_ROW_VER, offset: 4, size: 4, bit: 1 },
    ];
    let mut rgib = [8usize; 4];
    let mut at = 8;
    for (tag, size) in user {
        let group = match size {
            8 | 4 => 0,
            2 => 1,
            _ => 2,
        };
        cols.push(Column { tag, offset: at, size, bit: cols.len() });
        at += size;
        for g in rgib.iter_mut().skip(group) {
            *g = at;
        }
    }
    rgib[3] = rgib[2] + cols.len().div_ceil(8);
    (cols, rgib)
}

/// A row's cells as [`build_tc`] lays them out: the fixed part (row id, row version, the
/// fixed-size cells and the cell existence bitmap; a variable-size cell left 0) and the
/// variable-size values, each with the offset of the 4-byte HNID cell that will point at it.
#[derive(Clone, Debug)]
struct EncodedRow {
    fixed: Vec<u8>,
    vars: Vec<(usize, Vec<u8>)>,
}

/// The encoded rows of one table, by row id, kept between builds of a table whose columns do
/// not change (a folder's contents table is built again at every commit that adds a message:
/// only the new and changed rows are encoded again). Whoever changes or removes a row says so
/// with [`TcCache::forget`].
#[derive(Debug, Default)]
pub struct TcCache {
    rows: HashMap<u32, EncodedRow>,
}

impl TcCache {
    /// Forgets row `id` (it changed or went away).
    pub fn forget(&mut self, id: u32) {
        self.rows.remove(&id);
    }
}

/// Encodes one row for the layout `cols`/`rgib` (see [`build_tc`] for what a cell holds).
fn encode_row(cols: &[Column], rgib: &[usize; 4], row: &Row) -> EncodedRow {
    let mut fixed = vec![0u8; rgib[3]];
    let mut vars = Vec::new();
    let version = match row.props.get(PR_LTP_ROW_VER) {
        Some(PropValue::I32(v)) => *v as u32,
        _ => 0,
    };
    for c in cols {
        let bytes = match c.tag {
            PR_LTP_ROW_ID => row.id.to_le_bytes().to_vec(),
            PR_LTP_ROW_VER => version.to_le_bytes().to_vec(),
            tag => {
                let Some(v) = row.props.get(tag) else { continue };
                if type_code(v) != tag.raw_type() || !storable(v) {
                    continue;
                }
                match v {
                    PropValue::Object(nid) => nid.to_le_bytes().to_vec(),
                    v if fixed_size(tag.raw_type()).is_some() => encode_value(v),
                    v => {
                        vars.push((c.offset, encode_value(v)));
                        Vec::new()
                    }
                }
            }
        };
        let n = bytes.len().min(c.size);
        fixed[c.offset..c.offset + n].copy_from_slice(&bytes[..n]);
        fixed[rgib[2] + c.bit / 8] |= 0x80 >> (c.bit % 8);
    }
    EncodedRow { fixed, vars }
}

/// Builds the table context of `rows` with `columns` (PidTagLtpRowId and PidTagLtpRowVer are
/// always added; columns of a type with no stored form, repeated ids and columns past
/// [`MAX_COLUMNS`] are left out). Each row's `id` is its PidTagLtpRowId; its
/// PidTagLtpRowVer is the row's own 0x67F30003 value, else 0. A cell exists where the row
/// holds a value of the column's type. A row whose id an earlier row has is left out (the row
/// index maps each id to one row).
pub fn build_tc(columns: &[PropTag], rows: &[Row]) -> NodeContent {
    build_tc_cached(columns, rows, &mut TcCache::default())
}

/// [`build_tc`], taking the rows `cache` holds encoded from it and adding the others to it.
/// The cache must have been filled for the same `columns`.
pub fn build_tc_cached(columns: &[PropTag], rows: &[Row], cache: &mut TcCache) -> NodeContent {
    let (cols, rgib) = layout(columns);
    let row_len = rgib[3];
    let mut node = LtpNode::new(TC_SIGNATURE);
    // The RowIndex header first and the TCINFO next (HIDs 0x20 and 0x40, as Outlook places
    // them: readers such as pst-extractor take HID 0x20 as the BTHHEADER of every PC and TC).
    let row_index = reserve_bth_header(&mut node.heap);
    let info_hid = node.heap.alloc(&vec![0; TCINFO_LEN + 8 * cols.len()]);
    let mut seen = HashSet::with_capacity(rows.len());
    let mut matrix = Vec::with_capacity(rows.len() * row_len);
    let mut index = Vec::with_capacity(rows.len());
    for row in rows.iter().filter(|r| seen.insert(r.id)) {
        let start = matrix.len();
        let enc = cache.rows.entry(row.id).or_insert_with(|| encode_row(&cols, &rgib, row));
        matrix.extend_from_slice(&enc.fixed);
        for (offset, value) in &enc.vars {
            let hnid = node.hnid(value);
            matrix[start + offset..start + offset + 4].copy_from_slice(&hnid.to_le_bytes());
        }
        index.push((row.id.to_le_bytes().to_vec(), (index.len() as u32).to_le_bytes().to_vec()));
    }
    build_bth_at(&mut node.heap, row_index, ROW_INDEX_KEY_LEN, ROW_INDEX_DATA_LEN, &index);
    let rows_hnid = if matrix.is_empty() {
        0
    } else if matrix.len() <= MAX_HEAP_ITEM && !node.heap.is_full() {
        node.heap.alloc(&matrix)
    } else {
        // Whole rows a block; every block but the last padded to the full block.
        let chunk = MAX_BLOCK_DATA / row_len * row_len;
        let count = matrix.len().div_ceil(chunk);
        let blocks = matrix
            .chunks(chunk)
            .enumerate()
            .map(|(i, c)| {
                let mut b = c.to_vec();
                if i + 1 < count {
                    b.resize(MAX_BLOCK_DATA, 0);
                }
                b
            })
            .collect();
        node.ltp_subnode(NodeContent { blocks, subnodes: Vec::new() })
    };
    let mut info = vec![TC_SIGNATURE, cols.len() as u8];
    for r in rgib {
        info.extend_from_slice(&(r as u16).to_le_bytes());
    }
    info.extend_from_slice(&row_index.to_le_bytes());
    info.extend_from_slice(&rows_hnid.to_le_bytes());
    info.extend_from_slice(&0u32.to_le_bytes());
    let mut sorted = cols.clone();
    sorted.sort_by_key(|c| c.tag.0);
    for c in sorted {
        info.extend_from_slice(&c.tag.0.to_le_bytes());
        info.extend_from_slice(&(c.offset as u16).to_le_bytes());
        info.push(c.size as u8);
        info.push(c.bit as u8);
    }
    node.heap.set(info_hid, &info);
    node.heap.set_user_root(info_hid);
    node.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pst::heap::Heap;
    use crate::pst::ltp::table_context;
    use crate::pst::ndb::Ndb;
    use oxmapi_core::bag::PropBag;

    /// Lays the table into an in-memory NDB and reads it back with the reader, the two row
    /// columns taken out of each row's cells (the reader returns them as cells).
    pub(crate) fn read_back(c: NodeContent) -> Vec<Row> {
        let ndb = Ndb::from_nodes(&[(0x12E, c)]);
        let n = ndb.node(0x12E).unwrap();
        let heap = Heap::open(&ndb, n.data, n.sub).unwrap();
        let (rows, problems) = table_context(&heap).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        rows.into_iter()
            .map(|mut r| {
                assert_eq!(r.props.remove(PR_LTP_ROW_ID), Some(PropValue::I32(r.id as i32)));
                assert!(r.props.remove(PR_LTP_ROW_VER).is_some());
                r
            })
            .collect()
    }

    fn row(id: u32, props: PropBag) -> Row {
        Row { id, props }
    }

    #[test]
    /// pst-extractor reads HID 0x20 of every table as a BTHHEADER and, where it is not one,
    /// reads past the heap forever: the RowIndex header must be HID 0x20 and the TCINFO (the
    /// user root) HID 0x40, as in Outlook's files.
    fn a_tc_whose_hid_0x20_is_not_the_row_index_header_hangs_pst_extractor() {
        let cols = [PropTag(0x3001_001F)];
        let rows = [row(5, PropBag::new().with(PropTag(0x3001_001F), PropValue::Unicode("x".into())))];
        let c = build_tc(&cols, &rows);
        // HNHDR: bSig, bClientSig, hidUserRoot = the TCINFO at 0x40.
        assert_eq!(&c.blocks[0][2..8], &[0xEC, 0x7C, 0x40, 0, 0, 0]);
        // HID 0x20 (right after the 12-byte HNHDR) is the RowIndex BTHHEADER: 0xB5, cbKey 4, cbEnt 4.
        assert_eq!(&c.blocks[0][12..15], &[0xB5, 4, 4]);
        // The TCINFO follows it: bType 0x7C, and its hidRowIndex names HID 0x20.
        assert_eq!(c.blocks[0][20], 0x7C);
        assert_eq!(&c.blocks[0][20 + 10..20 + 14], &[0x20, 0, 0, 0]);
    }

    #[test]
    fn an_empty_table_reads_back_empty() {
        let cols = [PropTag(0x3001_001F), PropTag(0x3602_0003)];
        assert!(read_back(build_tc(&cols, &[])).is_empty());
    }

    #[test]
    fn rows_with_mixed_cells_and_missing_ones_read_back() {
        let cols = [
            PropTag(0x3001_001F),
            PropTag(0x3602_0003),
            PropTag(0x360A_000B),
            PropTag(0x0E06_0040),
            PropTag(0x0017_0002),
            PropTag(0x0FFF_0102),
            PropTag(0x3701_000D),
        ];
        let rows = vec![
            row(
                0x8022,
                PropBag::new()
                    .with(PropTag(0x3001_001F), PropValue::Unicode("Inbox".into()))
                    .with(PropTag(0x3602_0003), PropValue::I32(12))
                    .with(PropTag(0x360A_000B), PropValue::Bool(true))
                    .with(PropTag(0x0E06_0040), PropValue::SysTime(oxmapi_core::time::FileTime(77)))
                    .with(PropTag(0x0017_0002), PropValue::I16(-3))
                    .with(PropTag(0x0FFF_0102), PropValue::Binary(vec![5; 9000]))
                    .with(PropTag(0x3701_000D), PropValue::Object(0x8025)),
            ),
            row(0x8042, PropBag::new().with(PropTag(0x3001_001F), PropValue::Unicode(String::new()))),
            row(0x8062, PropBag::new()),
        ];
        let got = read_back(build_tc(&cols, &rows));
        assert_eq!(got, rows);
    }

    #[test]
    fn a_large_matrix_goes_to_a_subnode_of_whole_rows() {
        let cols = [PropTag(0x0E07_0003), PropTag(0x0037_001F)];
        let rows: Vec<Row> = (0..5000u32)
            .map(|i| {
                let mut p = PropBag::new().with(PropTag(0x0E07_0003), PropValue::I32(i as i32));
                if i % 3 != 0 {
                    p.set(PropTag(0x0037_001F), PropValue::Unicode(format!("subject {i}")));
                }
                row(0x200024 + 32 * i, p)
            })
            .collect();
        let c = build_tc(&cols, &rows);
        // 17-byte rows: 480 a block, 11 blocks, all but the last padded.
        let m = &c.subnodes.iter().find(|(n, _)| n & 0x1F == 0x1F).unwrap().1;
        assert_eq!(m.blocks.len(), 11);
        assert!(m.blocks[..10].iter().all(|b| b.len() == MAX_BLOCK_DATA));
        assert_eq!(m.blocks[10].len(), (5000 - 4800) * 17);
        assert_eq!(read_back(c), rows);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

        /// A table built from a cache of encoded rows, after rows were added, changed and
        /// removed (each change told to the cache), is byte for byte the table built afresh.
        #[test]
        fn a_cached_build_equals_a_fresh_one(
            start in proptest::collection::vec((0u32..60, proptest::option::of("[a-z]{0,40}"), proptest::option::of(0i32..9)), 0..80),
            edits in proptest::collection::vec((0u8..3, 0u32..60, "[a-z]{0,4000}"), 0..30),
        ) {
            let cols = [PropTag(0x0037_001F), PropTag(0x0E07_0003), PropTag(0x0E08_0003)];
            let make = |id: u32, subject: Option<&str>, flags: Option<i32>| {
                let mut p = PropBag::new().with(PropTag(0x0E08_0003), PropValue::I32(id as i32 * 7));
                if let Some(s) = subject {
                    p.set(PropTag(0x0037_001F), PropValue::Unicode(s.to_string()));
                }
                if let Some(f) = flags {
                    p.set(PropTag(0x0E07_0003), PropValue::I32(f));
                }
                row(0x200024 + 32 * id, p)
            };
            let mut rows: Vec<Row> = start.iter().map(|(i, s, f)| make(*i, s.as_deref(), *f)).collect();
            let mut cache = TcCache::default();
            proptest::prop_assert_eq!(build_tc_cached(&cols, &rows, &mut cache), build_tc(&cols, &rows));
            for (kind, id, text) in edits {
                let rid = 0x200024 + 32 * id;
                match kind {
                    0 => rows.push(make(id, Some(&text), None)),
                    1 => rows.retain(|r| r.id != rid),
                    _ => rows.iter_mut().filter(|r| r.id == rid).for_each(|r| {
                        r.props.set(PropTag(0x0037_001F), PropValue::Unicode(text.clone()))
                    }),
                }
                cache.forget(rid);
                proptest::prop_assert_eq!(build_tc_cached(&cols, &rows, &mut cache), build_tc(&cols, &rows));
            }
        }
    }

    #[test]
    fn duplicate_ids_and_unknown_column_types_are_left_out() {
        let cols = [PropTag(0x3001_001F), PropTag(0x3002_0000), PropTag(0x3001_001E)];
        let rows = vec![
            row(1, PropBag::new().with(PropTag(0x3001_001F), PropValue::Unicode("a".into()))),
            row(1, PropBag::new().with(PropTag(0x3001_001F), PropValue::Unicode("b".into()))),
        ];
        let got = read_back(build_tc(&cols, &rows));
        assert_eq!(got, rows[..1]);
    }
}
