//! The property context (PC, [MS-PST] 2.3.3) and the table context (TC, [MS-PST] 2.3.4) over a
//! heap-on-node. A property or column that cannot be read is left out and named in the
//! returned problem list; it never fails the whole object.

use oxmapi_core::bag::PropBag;
use oxmapi_core::value::PropValue;

use super::PstError;
use super::heap::Heap;
use super::ndb::Le;
use super::value::{PT_OBJECT, decode, fixed_size, tag};

/// `bClientSig` of a property context.
const PC_SIGNATURE: u8 = 0xBC;
/// `bClientSig` / `bType` of a table context.
const TC_SIGNATURE: u8 = 0x7C;

/// Reads the property context of a heap: each BTH record is a property id, its type and
/// either the value (4 bytes or less) or the HNID of the value ([MS-PST] 2.3.3.3).
/// PtypObject values become `PropValue::Object(nid)` (the subnode holding the object).
pub fn property_context(heap: &Heap) -> Result<(PropBag, Vec<String>), PstError> {
    if heap.client_sig != PC_SIGNATURE {
        return Err(PstError::Corrupt(format!(
            "not a property context (client signature {:#04x})",
            heap.client_sig
        )));
    }
    let mut bag = PropBag::new();
    let mut problems = Vec::new();
    for (k, d) in heap.bth_records(heap.user_root)? {
        let (id, ty, hnid) = match (k.u16_at(0), d.u16_at(0), d.u32_at(2)) {
            (Ok(i), Ok(t), Ok(h)) => (i, t, h),
            _ => {
                problems.push("a property record of the wrong size".into());
                continue;
            }
        };
        let value = match fixed_size(ty) {
            Some(n) if n <= 4 => decode(ty, &hnid.to_le_bytes()[..n.max(1)]),
            _ if ty == PT_OBJECT => heap.hnid(hnid).and_then(|b| b.u32_at(0)).map(PropValue::Object),
            _ => heap.hnid(hnid).and_then(|b| decode(ty, &b)),
        };
        match value {
            Ok(v) => bag.set(tag(id, ty), v),
            Err(e) => problems.push(format!("property {:#010x}: {e}", tag(id, ty).0)),
        }
    }
    Ok((bag, problems))
}

/// A column of a table context (TCOLDESC, [MS-PST] 2.3.4.2).
#[derive(Clone, Copy, Debug)]
struct Column {
    id: u16,
    ty: u16,
    offset: usize,
    size: usize,
    bit: usize,
}

/// A row of a table: its row id (the node id of the folder, message, recipient or
/// attachment it stands for) and its cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// dwRowID.
    pub id: u32,
    /// The cells that hold a value.
    pub props: PropBag,
}

/// Reads every row of the table context of a heap, in row-index order. A column whose type
/// this reader does not know (for example PT_UNSPECIFIED 0x0000 with 8 bytes, which some
/// writers emit) is left out of every row and reported once.
pub fn table_context(heap: &Heap) -> Result<(Vec<Row>, Vec<String>), PstError> {
    if heap.client_sig != TC_SIGNATURE {
        return Err(PstError::Corrupt(format!(
            "not a table context (client signature {:#04x})",
            heap.client_sig
        )));
    }
    let info = heap.item(heap.user_root)?;
    if info.u8_at(0)? != TC_SIGNATURE {
        return Err(PstError::Corrupt("no TCINFO".into()));
    }
    let cols = info.u8_at(1)? as usize;
    let ceb_at = info.u16_at(6)? as usize;
    let row_len = info.u16_at(8)? as usize;
    let row_index = info.u32_at(10)?;
    let rows_hnid = info.u32_at(14)?;
    let mut problems = Vec::new();
    let mut columns = Vec::with_capacity(cols);
    for i in 0..cols {
        let d = info.slice_at(22 + i * 8, 8)?;
        let t = d.u32_at(0)?;
        let c = Column {
            id: (t >> 16) as u16,
            ty: t as u16,
            offset: d.u16_at(4)? as usize,
            size: d.u8_at(6)? as usize,
            bit: d.u8_at(7)? as usize,
        };
        let known = c.ty == PT_OBJECT || decode(c.ty, &[0u8; 16]).is_ok();
        let fits = c.offset + c.size <= row_len && c.bit / 8 + ceb_at < row_len.max(1);
        let width_ok = match fixed_size(c.ty) {
            // Some writers (Aspose) give a 4-byte column 8 bytes: the value is its first bytes.
            Some(n) if n <= 8 => c.size >= n.max(1) && c.size <= 8,
            _ => c.size == 4,
        };
        if known && fits && width_ok && c.ty != 0 {
            columns.push(c);
        } else {
            problems.push(format!(
                "column {t:#010x} (offset {}, {} bytes) left out: unknown type or bad layout",
                c.offset, c.size
            ));
        }
    }
    // The row index maps each row id to its row in the matrix ([MS-PST] 2.3.4.3).
    let mut index: Vec<(u32, u32)> = Vec::new();
    for (k, d) in heap.bth_records(row_index)? {
        let id = k.u32_at(0)?;
        let at = if d.len() >= 4 { d.u32_at(0)? } else { d.u16_at(0)? as u32 };
        index.push((at, id));
    }
    index.sort_unstable();
    if index.is_empty() || row_len == 0 {
        return Ok((Vec::new(), problems));
    }
    // The row matrix: a heap item, or a subnode whose blocks each hold whole rows.
    let blocks: Vec<Vec<u8>> = if rows_hnid & 0x1f == 0 {
        vec![heap.item(rows_hnid)?.to_vec()]
    } else {
        let s = heap
            .subnodes
            .get(&rows_hnid)
            .ok_or_else(|| PstError::Corrupt(format!("row matrix subnode {rows_hnid:#x} is missing")))?;
        heap.ndb().data_blocks(s.data)?
    };
    let matrix: Vec<&[u8]> = blocks.iter().flat_map(|b| b.chunks_exact(row_len)).collect();
    let mut rows = Vec::with_capacity(index.len());
    for (at, id) in index {
        let Some(raw) = matrix.get(at as usize) else {
            problems.push(format!("row {id:#x} points past the row matrix"));
            continue;
        };
        let mut props = PropBag::new();
        for c in &columns {
            let present = raw.get(ceb_at + c.bit / 8).is_some_and(|b| b & (0x80 >> (c.bit % 8)) != 0);
            if !present {
                continue;
            }
            let cell = &raw[c.offset..c.offset + c.size];
            let value = match fixed_size(c.ty) {
                Some(n) if n <= 8 => decode(c.ty, &cell[..n.max(1).min(cell.len())]),
                _ if c.ty == PT_OBJECT => cell.u32_at(0).map(PropValue::Object),
                _ => cell.u32_at(0).and_then(|h| heap.hnid(h)).and_then(|b| decode(c.ty, &b)),
            };
            match value {
                Ok(v) => props.set(tag(c.id, c.ty), v),
                Err(e) => problems.push(format!("row {id:#x} column {:#06x}: {e}", c.id)),
            }
        }
        rows.push(Row { id, props });
    }
    Ok((rows, problems))
}
