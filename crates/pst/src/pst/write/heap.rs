//! Building a heap-on-node ([MS-PST] 2.3.1): items allocated into pages of at most
//! [`MAX_BLOCK_DATA`] bytes, each page one data block of the node. Page 0 starts with the
//! HNHDR (2.3.1.2), pages 8, 136, 264, … with an HNBITMAPHDR (2.3.1.4), the others with an
//! HNPAGEHDR (2.3.1.3); each page ends with its HNPAGEMAP (2.3.1.5). A heap id (HID, 2.3.1.1)
//! is `hidIndex` (1-based, bits 5–15) in page `hidBlockIndex` (bits 16–31).
//!
//! [`LtpNode`] adds what an HNID ([MS-PST] 2.3.3.2) may name besides a heap item: a subnode of
//! type NID_TYPE_LTP holding a value too large for the heap.

use super::{MAX_BLOCK_DATA, NodeContent};

/// The largest heap item ([MS-PST] 2.3.1.1): larger values go to subnodes.
pub const MAX_HEAP_ITEM: usize = 3580;
/// NID_TYPE_LTP: the subnode type of a value too large for the heap ([MS-PST] 2.2.2.1).
pub const NID_TYPE_LTP: u32 = 0x1F;
/// `bSig` of an HNHDR.
const HN_SIGNATURE: u8 = 0xEC;
/// Length of the HNHDR at the start of page 0.
const HNHDR_LEN: usize = 12;
/// Length of the HNPAGEHDR of an ordinary page.
const HNPAGEHDR_LEN: usize = 2;
/// Length of the HNBITMAPHDR (ibHnpm and 128 four-bit fill levels).
const HNBITMAPHDR_LEN: usize = 66;
/// Page 8 is the first with an HNBITMAPHDR; then every 128th.
const FIRST_BITMAP_PAGE: usize = 8;
/// Pages one HNBITMAPHDR describes.
const BITMAP_SPAN: usize = 128;
/// The most items of one page: `hidIndex` has 11 bits.
const MAX_PAGE_ITEMS: usize = 0x7FF;
/// The most pages of a heap: `hidBlockIndex` has 16 bits.
pub const MAX_HEAP_PAGES: usize = 0x1_0000;
/// How many of the last pages an allocation tries before it opens a new page (first fit over
/// a bounded window keeps allocation O(1)).
const FIT_WINDOW: usize = 16;

/// One page being filled: its header's length, its items' bytes after the header, and where
/// each item starts.
#[derive(Clone, Debug)]
struct Page {
    header_len: usize,
    data: Vec<u8>,
    starts: Vec<u16>,
}

impl Page {
    fn new(index: usize) -> Page {
        let header_len = match index {
            0 => HNHDR_LEN,
            i if i >= FIRST_BITMAP_PAGE && (i - FIRST_BITMAP_PAGE) % BITMAP_SPAN == 0 => HNBITMAPHDR_LEN,
            _ => HNPAGEHDR_LEN,
        };
        Page { header_len, data: Vec::new(), starts: Vec::new() }
    }

    /// Bytes of the page with `items` items of `data` bytes: header, items, a pad byte to
    /// align the page map, the page map (cAlloc, cFree, rgibAlloc[cAlloc + 1]).
    fn len_with(&self, data: usize, items: usize) -> usize {
        let end = self.header_len + data;
        end + end % 2 + 4 + 2 * (items + 1)
    }

    fn fits(&self, n: usize) -> bool {
        self.starts.len() < MAX_PAGE_ITEMS
            && self.len_with(self.data.len() + n, self.starts.len() + 1) <= MAX_BLOCK_DATA
    }

    fn len(&self) -> usize {
        self.len_with(self.data.len(), self.starts.len())
    }
}

/// A heap-on-node being built.
#[derive(Clone, Debug)]
pub struct HeapBuilder {
    client_sig: u8,
    user_root: u32,
    pages: Vec<Page>,
}

/// The HID of item `index` (from 0) of page `page`.
fn hid(page: usize, index: usize) -> u32 {
    ((page as u32) << 16) | (((index + 1) as u32) << 5)
}

impl HeapBuilder {
    /// An empty heap whose HNHDR carries `client_sig` (0xBC property context, 0x7C table
    /// context, 0xB5 plain BTH).
    pub fn new(client_sig: u8) -> HeapBuilder {
        HeapBuilder { client_sig, user_root: 0, pages: vec![Page::new(0)] }
    }

    /// Allocates an item holding `data` and returns its HID. Items are at most
    /// [`MAX_HEAP_ITEM`] bytes: callers put larger values in subnodes ([`LtpNode::hnid`]);
    /// longer data is cut there (a caller's bug, never the file's).
    pub fn alloc(&mut self, data: &[u8]) -> u32 {
        debug_assert!(data.len() <= MAX_HEAP_ITEM, "a heap item of {} bytes", data.len());
        let data = &data[..data.len().min(MAX_HEAP_ITEM)];
        let from = self.pages.len().saturating_sub(FIT_WINDOW);
        let at = match (from..self.pages.len()).find(|&p| self.pages[p].fits(data.len())) {
            Some(p) => p,
            None => {
                self.pages.push(Page::new(self.pages.len()));
                self.pages.len() - 1
            }
        };
        let page = &mut self.pages[at];
        page.starts.push((page.header_len + page.data.len()) as u16);
        page.data.extend_from_slice(data);
        hid(at, page.starts.len() - 1)
    }

    /// Replaces the bytes of item `hid` with `data` of the same length (a structure allocated
    /// before the HIDs it names were known). Returns false, changing nothing, when `hid` is
    /// not an item of this length.
    pub fn set(&mut self, hid: u32, data: &[u8]) -> bool {
        let Some((page, index)) = self.locate(hid) else { return false };
        let p = &mut self.pages[page];
        let start = p.starts[index] as usize - p.header_len;
        let end = p.starts.get(index + 1).map_or(p.data.len(), |&s| s as usize - p.header_len);
        if end - start != data.len() {
            return false;
        }
        p.data[start..end].copy_from_slice(data);
        true
    }

    /// The bytes of item `hid`, if it is one.
    pub fn get(&self, hid: u32) -> Option<&[u8]> {
        let (page, index) = self.locate(hid)?;
        let p = &self.pages[page];
        let start = p.starts[index] as usize - p.header_len;
        let end = p.starts.get(index + 1).map_or(p.data.len(), |&s| s as usize - p.header_len);
        Some(&p.data[start..end])
    }

    fn locate(&self, hid: u32) -> Option<(usize, usize)> {
        let (page, index) = ((hid >> 16) as usize, ((hid >> 5) & 0x7FF) as usize);
        let p = self.pages.get(page)?;
        (hid & 0x1F == 0 && index >= 1 && index <= p.starts.len()).then_some((page, index - 1))
    }

    /// Sets `hidUserRoot`: the item the client structure starts at (BTH header, TCINFO).
    pub fn set_user_root(&mut self, hid: u32) {
        self.user_root = hid;
    }

    /// Number of pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// True when a new page would be past [`MAX_HEAP_PAGES`]: callers then put values in
    /// subnodes ([`LtpNode::hnid`] does).
    pub fn is_full(&self) -> bool {
        self.pages.len() >= MAX_HEAP_PAGES - 1
    }

    /// The pages as data blocks, headers, fill levels and page maps written.
    pub fn finish(self) -> Vec<Vec<u8>> {
        let levels: Vec<u8> = self.pages.iter().map(|p| fill_level(MAX_BLOCK_DATA - p.len())).collect();
        let mut out = Vec::with_capacity(self.pages.len());
        for (i, p) in self.pages.iter().enumerate() {
            let map_at = p.header_len + p.data.len() + (p.header_len + p.data.len()) % 2;
            let mut b = Vec::with_capacity(p.len());
            b.extend_from_slice(&(map_at as u16).to_le_bytes());
            if i == 0 {
                b.push(HN_SIGNATURE);
                b.push(self.client_sig);
                b.extend_from_slice(&self.user_root.to_le_bytes());
                b.extend_from_slice(&pack_levels(&levels, 0, 8));
            } else if p.header_len == HNBITMAPHDR_LEN {
                b.extend_from_slice(&pack_levels(&levels, i, BITMAP_SPAN));
            }
            b.extend_from_slice(&p.data);
            b.resize(map_at, 0);
            b.extend_from_slice(&(p.starts.len() as u16).to_le_bytes());
            b.extend_from_slice(&0u16.to_le_bytes());
            for s in &p.starts {
                b.extend_from_slice(&s.to_le_bytes());
            }
            b.extend_from_slice(&((p.header_len + p.data.len()) as u16).to_le_bytes());
            out.push(b);
        }
        out
    }
}

/// The fill level of a page with `free` bytes free ([MS-PST] 2.3.1.2 `rgbFillLevel`):
/// 0 for at least 3584 bytes free, then 2560, 2048, 1792, 1536, 1280, 1024, 768, 512, 256,
/// 128, 64, 32, 16, 8, and 15 for less than 8.
fn fill_level(free: usize) -> u8 {
    const FLOORS: [usize; 15] = [3584, 2560, 2048, 1792, 1536, 1280, 1024, 768, 512, 256, 128, 64, 32, 16, 8];
    FLOORS.iter().position(|&f| free >= f).unwrap_or(15) as u8
}

/// `count` four-bit fill levels from page `first`, two a byte, the first in the low nibble;
/// pages past the end are FILL_LEVEL_EMPTY (0).
fn pack_levels(levels: &[u8], first: usize, count: usize) -> Vec<u8> {
    (0..count / 2)
        .map(|k| {
            let lo = levels.get(first + 2 * k).copied().unwrap_or(0);
            let hi = levels.get(first + 2 * k + 1).copied().unwrap_or(0);
            lo | (hi << 4)
        })
        .collect()
}

/// A node being built on a heap: the heap, and the subnodes its HNIDs name (values over
/// [`MAX_HEAP_ITEM`] bytes, numbered NID_TYPE_LTP with a counter local to the node, and
/// objects the caller adds).
#[derive(Clone, Debug)]
pub struct LtpNode {
    /// The heap.
    pub heap: HeapBuilder,
    subnodes: Vec<(u32, NodeContent)>,
    next_ltp: u32,
}

impl LtpNode {
    /// A node whose heap carries `client_sig`.
    pub fn new(client_sig: u8) -> LtpNode {
        LtpNode { heap: HeapBuilder::new(client_sig), subnodes: Vec::new(), next_ltp: 1 }
    }

    /// Stores a value and returns its HNID: 0 for an empty value (the empty item, as Outlook
    /// writes it), a heap item up to [`MAX_HEAP_ITEM`] bytes, else (or when the heap is
    /// full) a new NID_TYPE_LTP subnode whose data is the value cut into blocks
    /// ([MS-PST] 2.3.3.2).
    pub fn hnid(&mut self, bytes: &[u8]) -> u32 {
        if bytes.is_empty() {
            0
        } else if bytes.len() <= MAX_HEAP_ITEM && !self.heap.is_full() {
            self.heap.alloc(bytes)
        } else {
            self.ltp_subnode(NodeContent::raw(bytes))
        }
    }

    /// Adds a subnode numbered NID_TYPE_LTP with the node's counter and returns its id.
    pub fn ltp_subnode(&mut self, content: NodeContent) -> u32 {
        let nid = (self.next_ltp << 5) | NID_TYPE_LTP;
        self.next_ltp += 1;
        self.subnodes.push((nid, content));
        nid
    }

    /// Adds a subnode the caller numbered (an attachment object, a nested table). Subnodes
    /// numbered later by the node's own counter never take its id.
    pub fn add_subnode(&mut self, nid: u32, content: NodeContent) {
        self.reserve(nid);
        self.subnodes.push((nid, content));
    }

    /// Keeps the node's NID_TYPE_LTP counter past `nid` (a subnode the caller numbers).
    pub fn reserve(&mut self, nid: u32) {
        if nid & 0x1F == NID_TYPE_LTP {
            self.next_ltp = self.next_ltp.max((nid >> 5).saturating_add(1));
        }
    }

    /// The node: the heap's pages as its blocks, its subnodes sorted by id (a later subnode
    /// with the id of an earlier one replaces it).
    pub fn finish(self) -> NodeContent {
        let mut subnodes = self.subnodes;
        subnodes.reverse();
        subnodes.sort_by_key(|(nid, _)| *nid);
        subnodes.dedup_by_key(|(nid, _)| *nid);
        NodeContent { blocks: self.heap.finish(), subnodes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pst::heap::Heap;
    use crate::pst::ndb::Ndb;

    #[test]
    fn items_read_back_through_the_reader_across_many_pages() {
        let mut h = HeapBuilder::new(0xB5);
        let mut items = Vec::new();
        for i in 0..3000usize {
            let data: Vec<u8> = (0..(i * 37) % 900).map(|k| (k + i) as u8).collect();
            items.push((h.alloc(&data), data));
        }
        h.set_user_root(items[5].0);
        assert!(h.page_count() > 136, "{} pages", h.page_count());
        let blocks = h.finish();
        assert!(blocks.iter().all(|b| b.len() <= MAX_BLOCK_DATA));
        let ndb = Ndb::from_nodes(&[(0x21, NodeContent { blocks, subnodes: vec![] })]);
        let n = ndb.node(0x21).unwrap();
        let heap = Heap::open(&ndb, n.data, n.sub).unwrap();
        assert_eq!((heap.client_sig, heap.user_root), (0xB5, items[5].0));
        for (hid, data) in &items {
            assert_eq!(heap.item(*hid).unwrap(), data.as_slice());
        }
    }

    #[test]
    fn page_headers_and_fill_levels_follow_the_layout() {
        let mut h = HeapBuilder::new(0xBC);
        for _ in 0..(9 * 3) {
            h.alloc(&[1u8; 3000]);
        }
        let blocks = h.finish();
        // Two 3000-byte items a page: 14 pages; page 8 has an HNBITMAPHDR.
        assert_eq!(blocks.len(), 14);
        assert_eq!(u16::from_le_bytes([blocks[8][0], blocks[8][1]]) as usize, HNBITMAPHDR_LEN + 6000);
        assert_eq!(u16::from_le_bytes([blocks[1][0], blocks[1][1]]) as usize, HNPAGEHDR_LEN + 6000);
        // 8176 - 6012 - 10 bytes free: level 2 (2048–2560) in the low nibble of page 0.
        assert_eq!(fill_level(MAX_BLOCK_DATA - 6012 - 10), 2);
        assert_eq!(blocks[0][8] & 0x0F, fill_level(MAX_BLOCK_DATA - 6012 - 10));
        assert_eq!(fill_level(5000), 0);
        assert_eq!(fill_level(7), 15);
        assert_eq!(fill_level(100), 11);
    }

    #[test]
    fn a_page_holds_at_most_2047_items() {
        let mut h = HeapBuilder::new(0xBC);
        let hids: Vec<u32> = (0..3000).map(|i| h.alloc(&[i as u8])).collect();
        assert_eq!(hids[2046], (2047 << 5), "the last item of page 0");
        assert_eq!(hids[2047], (1 << 16) | (1 << 5), "the first of page 1");
        let blocks = h.finish();
        let ndb = Ndb::from_nodes(&[(0x21, NodeContent { blocks, subnodes: vec![] })]);
        let n = ndb.node(0x21).unwrap();
        let heap = Heap::open(&ndb, n.data, n.sub).unwrap();
        for (i, hid) in hids.iter().enumerate() {
            assert_eq!(heap.item(*hid).unwrap(), [i as u8]);
        }
    }

    #[test]
    fn set_replaces_an_item_of_the_same_length_only() {
        let mut h = HeapBuilder::new(0xBC);
        let a = h.alloc(&[0; 8]);
        let b = h.alloc(&[1; 3]);
        assert!(h.set(a, &[9; 8]));
        assert!(!h.set(a, &[9; 7]));
        assert!(!h.set(0x1234_5660, &[0; 8]));
        assert_eq!(h.get(a), Some(&[9u8; 8][..]));
        assert_eq!(h.get(b), Some(&[1u8; 3][..]));
    }

    #[test]
    fn a_full_heap_sends_small_values_to_subnodes() {
        let mut n = LtpNode::new(0x7C);
        n.heap.pages.resize(MAX_HEAP_PAGES - 1, Page::new(1));
        assert!(n.heap.is_full());
        assert_eq!(n.hnid(&[1, 2, 3]) & 0x1F, NID_TYPE_LTP);
    }

    #[test]
    fn large_values_go_to_ltp_subnodes() {
        let mut n = LtpNode::new(0xBC);
        assert_eq!(n.hnid(&[]), 0);
        let small = n.hnid(&[1; MAX_HEAP_ITEM]);
        assert_eq!(small & 0x1F, 0);
        let big = n.hnid(&[2; MAX_HEAP_ITEM + 1]);
        assert_eq!(big & 0x1F, NID_TYPE_LTP);
        let c = n.finish();
        assert_eq!(c.subnodes.len(), 1);
        assert_eq!(c.subnodes[0].1.data_len(), MAX_HEAP_ITEM + 1);
    }
}
