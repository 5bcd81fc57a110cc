//! Building a BTree-on-heap ([MS-PST] 2.3.2): the BTHHEADER (`bType` 0xB5, `cbKey`,
//! `cbEnt`, `bIdxLevels`, `hidRoot`), leaf items of sorted (key, data) records and, when the
//! records do not fit one heap item, index levels of (key, HID) entries naming the first key
//! of each child.

use super::heap::{HeapBuilder, MAX_HEAP_ITEM};

/// `bType` of a BTHHEADER.
const BTH_SIGNATURE: u8 = 0xB5;
/// Length of a BTHHEADER.
const BTH_HEADER_LEN: usize = 8;
/// Length of the HID in an index entry.
const HID_LEN: usize = 4;

/// Builds a BTH of `records` in `heap` and returns the HID of its header. Records are sorted
/// by key (keys compare as little-endian unsigned integers, as the BTH orders them); keys and
/// data of another length than `key_len` / `data_len` are cut or zero-padded. Key lengths of
/// 0 are taken as 1 (a BTH key is never empty). No records: `hidRoot` 0.
pub fn build_bth(heap: &mut HeapBuilder, key_len: u8, data_len: u8, records: &[(Vec<u8>, Vec<u8>)]) -> u32 {
    // The header first, so that a plain BTH's header is the heap's first item.
    let header = reserve_bth_header(heap);
    build_bth_at(heap, header, key_len, data_len, records);
    header
}

/// Allocates the item a BTH header will fill (callers that want the header to be the heap's
/// first item, as Outlook places it, reserve it before allocating values).
pub fn reserve_bth_header(heap: &mut HeapBuilder) -> u32 {
    heap.alloc(&[0; BTH_HEADER_LEN])
}

/// [`build_bth`] with the header in `header`, an item from [`reserve_bth_header`].
pub fn build_bth_at(
    heap: &mut HeapBuilder,
    header: u32,
    key_len: u8,
    data_len: u8,
    records: &[(Vec<u8>, Vec<u8>)],
) {
    let (k, d) = (key_len.max(1) as usize, data_len as usize);
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by(|&a, &b| key_order(&records[a].0, &records[b].0, k));
    let fixed = |b: &[u8], n: usize| -> Vec<u8> {
        let mut v = b[..b.len().min(n)].to_vec();
        v.resize(n, 0);
        v
    };
    // Level 0: leaves of as many records as fit one item.
    let mut level: Vec<(Vec<u8>, u32)> = Vec::new();
    let per_leaf = (MAX_HEAP_ITEM / (k + d).max(1)).max(1);
    for chunk in order.chunks(per_leaf) {
        let mut item = Vec::with_capacity(chunk.len() * (k + d));
        for &i in chunk {
            item.extend_from_slice(&fixed(&records[i].0, k));
            item.extend_from_slice(&fixed(&records[i].1, d));
        }
        level.push((fixed(&records[chunk[0]].0, k), heap.alloc(&item)));
    }
    // Index levels until one item names all.
    let mut idx_levels = 0u8;
    let per_index = MAX_HEAP_ITEM / (k + HID_LEN);
    while level.len() > 1 {
        idx_levels += 1;
        level = level
            .chunks(per_index)
            .map(|chunk| {
                let mut item = Vec::with_capacity(chunk.len() * (k + HID_LEN));
                for (key, hid) in chunk {
                    item.extend_from_slice(key);
                    item.extend_from_slice(&hid.to_le_bytes());
                }
                (chunk[0].0.clone(), heap.alloc(&item))
            })
            .collect();
    }
    let root = level.first().map_or(0, |l| l.1);
    let mut h = vec![BTH_SIGNATURE, k as u8, data_len, idx_levels];
    h.extend_from_slice(&root.to_le_bytes());
    heap.set(header, &h);
}

/// Orders two keys as little-endian unsigned integers of `len` bytes (missing bytes 0).
fn key_order(a: &[u8], b: &[u8], len: usize) -> std::cmp::Ordering {
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    (0..len).rev().map(|i| at(a, i).cmp(&at(b, i))).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pst::heap::Heap;
    use crate::pst::ndb::Ndb;
    use crate::pst::write::NodeContent;

    fn read_back(heap: HeapBuilder, root: u32) -> Vec<(Vec<u8>, Vec<u8>)> {
        let ndb = Ndb::from_nodes(&[(0x21, NodeContent { blocks: heap.finish(), subnodes: vec![] })]);
        let n = ndb.node(0x21).unwrap();
        let h = Heap::open(&ndb, n.data, n.sub).unwrap();
        h.bth_records(root).unwrap()
    }

    #[test]
    fn an_empty_bth_has_no_root() {
        let mut heap = HeapBuilder::new(0xB5);
        let root = build_bth(&mut heap, 4, 4, &[]);
        assert_eq!(heap.get(root), Some(&[0xB5, 4, 4, 0, 0, 0, 0, 0][..]));
        assert!(read_back(heap, root).is_empty());
    }

    #[test]
    fn many_records_get_index_levels_and_read_back_sorted() {
        // 100,000 records of 8 + 8 bytes: 449 leaves of 223, a first index level of two items
        // (298 entries of 12 bytes each at most), a second of one.
        let records: Vec<(Vec<u8>, Vec<u8>)> = (0..100_000u64)
            .rev()
            .map(|i| ((i * 7).to_le_bytes().to_vec(), i.to_le_bytes().to_vec()))
            .collect();
        let mut heap = HeapBuilder::new(0xB5);
        let root = build_bth(&mut heap, 8, 8, &records);
        assert_eq!(heap.get(root).unwrap()[3], 2, "two index levels");
        let got = read_back(heap, root);
        let mut want = records.clone();
        want.reverse();
        assert_eq!(got, want);
    }

    #[test]
    fn keys_sort_as_little_endian_integers() {
        let records =
            vec![(vec![0x00, 0x02], vec![]), (vec![0xFF, 0x01], vec![]), (vec![0x01, 0x02], vec![])];
        let mut heap = HeapBuilder::new(0xB5);
        let root = build_bth(&mut heap, 2, 0, &records);
        let keys: Vec<Vec<u8>> = read_back(heap, root).into_iter().map(|r| r.0).collect();
        assert_eq!(keys, [vec![0xFF, 0x01], vec![0x00, 0x02], vec![0x01, 0x02]]);
    }
}
