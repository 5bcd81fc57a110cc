//! Building a property context ([MS-PST] 2.3.3): a heap (`bClientSig` 0xBC) whose user root
//! is a BTH of 2-byte property ids to 6-byte records (`wPropType`, `dwValueHnid`). Values of
//! 4 bytes or less sit in the record itself; the others are heap items, or NID_TYPE_LTP
//! subnodes when larger than a heap item (2.3.3.3). A PtypObject value is an 8-byte heap item
//! (`nid`, `ulSize`) naming a subnode that holds the object (2.3.3.5).

use oxmapi_core::bag::PropBag;
use oxmapi_core::value::PropValue;

use super::NodeContent;
use super::bth::{build_bth_at, reserve_bth_header};
use super::heap::LtpNode;
use super::value::{encode_value, storable, type_code};
use crate::pst::value::fixed_size;

/// `bClientSig` of a property context.
pub const PC_SIGNATURE: u8 = 0xBC;
/// `cbKey` of a PC's BTH: the property id.
const PC_KEY_LEN: u8 = 2;
/// `cbEnt` of a PC's BTH: `wPropType` and `dwValueHnid`.
const PC_DATA_LEN: u8 = 6;

/// Builds the property context of `props`. `objects` are the subnodes that
/// `PropValue::Object(nid)` values name (an attachment's embedded message or OLE storage);
/// they become subnodes of the result, each object value an (nid, data size) item.
/// PtypRestriction values, which have no stored form, are left out.
pub fn build_pc(props: &PropBag, objects: Vec<(u32, NodeContent)>) -> NodeContent {
    let mut node = LtpNode::new(PC_SIGNATURE);
    objects.iter().for_each(|(nid, _)| node.reserve(*nid));
    // The BTH header first (HID 0x20, where Outlook puts it), the values after it.
    let root = reserve_bth_header(&mut node.heap);
    let mut records = Vec::with_capacity(props.len());
    for tv in props.iter().filter(|tv| storable(&tv.value)) {
        let ty = type_code(&tv.value);
        let value = match &tv.value {
            PropValue::Object(nid) => {
                let size = objects.iter().find(|(n, _)| n == nid).map_or(0, |(_, c)| c.data_len());
                let mut item = nid.to_le_bytes().to_vec();
                item.extend_from_slice(&(size as u32).to_le_bytes());
                node.heap.alloc(&item)
            }
            v => match fixed_size(ty) {
                Some(n) if n <= 4 => {
                    let mut inline = [0u8; 4];
                    let b = encode_value(v);
                    inline[..b.len().min(4)].copy_from_slice(&b[..b.len().min(4)]);
                    u32::from_le_bytes(inline)
                }
                _ => node.hnid(&encode_value(v)),
            },
        };
        let mut data = ty.to_le_bytes().to_vec();
        data.extend_from_slice(&value.to_le_bytes());
        records.push((tv.tag.id().to_le_bytes().to_vec(), data));
    }
    build_bth_at(&mut node.heap, root, PC_KEY_LEN, PC_DATA_LEN, &records);
    node.heap.set_user_root(root);
    for (nid, content) in objects {
        node.add_subnode(nid, content);
    }
    node.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pst::heap::Heap;
    use crate::pst::ltp::property_context;
    use crate::pst::ndb::Ndb;
    use oxmapi_core::tag::PropTag;

    /// Builds, lays into an in-memory NDB and reads back with the reader.
    pub(crate) fn read_back(c: NodeContent) -> (PropBag, Vec<String>) {
        let ndb = Ndb::from_nodes(&[(0x21, c)]);
        let n = ndb.node(0x21).unwrap();
        let heap = Heap::open(&ndb, n.data, n.sub).unwrap();
        property_context(&heap).unwrap()
    }

    #[test]
    fn small_large_and_huge_values_read_back() {
        let bag = PropBag::new()
            .with(PropTag(0x0037_001F), PropValue::Unicode("Subject".into()))
            .with(PropTag(0x0E07_0003), PropValue::I32(1))
            .with(PropTag(0x0057_000B), PropValue::Bool(true))
            .with(PropTag(0x0001_0001), PropValue::Null)
            .with(PropTag(0x0E06_0040), PropValue::SysTime(oxmapi_core::time::FileTime(5)))
            .with(PropTag(0x1000_001F), PropValue::Unicode("b".repeat(3000)))
            .with(PropTag(0x1009_0102), PropValue::Binary(vec![3; 20_000]))
            .with(PropTag(0x0002_0102), PropValue::Binary(vec![]))
            .with(PropTag(0x3701_0102), PropValue::Binary(vec![9; super::super::heap::MAX_HEAP_ITEM]));
        let c = build_pc(&bag, vec![]);
        assert_eq!(c.subnodes.len(), 2, "the 6000-byte string and the 20,000-byte binary");
        let (got, problems) = read_back(c);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(got, bag);
    }

    #[test]
    fn an_object_names_its_subnode() {
        let inner =
            build_pc(&PropBag::new().with(PropTag(0x0037_001F), PropValue::Unicode("x".into())), vec![]);
        let size = inner.data_len();
        let bag = PropBag::new().with(PropTag(0x3701_000D), PropValue::Object(0x8025));
        let c = build_pc(&bag, vec![(0x8025, inner.clone())]);
        assert_eq!(c.subnodes, vec![(0x8025, inner)]);
        let (got, _) = read_back(c.clone());
        assert_eq!(got, bag);
        // The item is (nid, ulSize).
        let ndb = Ndb::from_nodes(&[(0x21, c)]);
        let n = ndb.node(0x21).unwrap();
        let heap = Heap::open(&ndb, n.data, n.sub).unwrap();
        let (_, d) = &heap.bth_records(heap.user_root).unwrap()[0];
        let hid = u32::from_le_bytes([d[2], d[3], d[4], d[5]]);
        assert_eq!(heap.item(hid).unwrap(), [0x25, 0x80, 0, 0, size as u8, (size >> 8) as u8, 0, 0]);
    }

    #[test]
    fn a_thousand_properties_need_an_index_level() {
        let bag = (0..1000u16).fold(PropBag::new(), |b, i| {
            b.with(PropTag::from_parts(0x8000 + i, 0x0003), PropValue::I32(i as i32))
        });
        let c = build_pc(&bag, vec![]);
        let ndb = Ndb::from_nodes(&[(0x21, c.clone())]);
        let n = ndb.node(0x21).unwrap();
        let heap = Heap::open(&ndb, n.data, n.sub).unwrap();
        assert_eq!(heap.item(heap.user_root).unwrap()[3], 1, "bIdxLevels");
        assert_eq!(read_back(c).0, bag);
    }

    #[test]
    fn large_values_never_take_the_id_of_an_object() {
        let object = NodeContent::raw(b"an object the caller numbered like a large value");
        let bag = PropBag::new()
            .with(PropTag(0x3701_000D), PropValue::Object(0x3F))
            .with(PropTag(0x1000_0102), PropValue::Binary(vec![1; 5000]));
        let c = build_pc(&bag, vec![(0x3F, object.clone())]);
        assert_eq!(c.subnodes.len(), 2);
        assert!(c.subnodes.contains(&(0x3F, object)));
        assert_eq!(read_back(c).0, bag);
    }

    #[test]
    fn the_bth_header_is_the_first_item_as_outlook_places_it() {
        let bag = PropBag::new().with(PropTag(0x0037_001F), PropValue::Unicode("Subject".into()));
        let c = build_pc(&bag, vec![]);
        assert_eq!(&c.blocks[0][2..8], &[0xEC, 0xBC, 0x20, 0, 0, 0]);
    }

    #[test]
    fn an_empty_bag_is_an_empty_pc() {
        let (got, problems) = read_back(build_pc(&PropBag::new(), vec![]));
        assert!(got.is_empty() && problems.is_empty());
    }
}
