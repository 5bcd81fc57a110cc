//! SortOrder and SortOrderSet (MS-OXCDATA 2.13).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;

/// Reads a SortOrder: `PropertyType u16, PropertyId u16, Order u8`.
pub fn read_sort_order(r: &mut Reader<'_>) -> DecodeResult<SortOrder> {
    let tag = PropTag(r.u32("SortOrder tag")?);
    let o = r.u8("Order")?;
    let direction = SortDirection::try_from(o).map_err(|v| r.invalid("Order", format!("0x{v:02X}")))?;
    Ok(SortOrder { tag, direction })
}

/// Writes a SortOrder.
pub fn write_sort_order(w: &mut Writer, s: &SortOrder) {
    w.u32(s.tag.0);
    w.u8(s.direction as u8);
}

/// Reads a SortOrderSet: `SortOrderCount u16, CategorizedCount u16, ExpandedCount u16, SortOrders`.
pub fn read_sort_order_set(r: &mut Reader<'_>) -> DecodeResult<SortOrderSet> {
    let n = r.u16("SortOrderCount")?;
    let categorized_count = r.u16("CategorizedCount")?;
    let expanded_count = r.u16("ExpandedCount")?;
    read_sort_orders_counted(r, n, categorized_count, expanded_count)
}

/// Reads `n` SortOrders after the three counts were read (RopSortTable lays them out that way).
pub fn read_sort_orders_counted(
    r: &mut Reader<'_>,
    n: u16,
    categorized_count: u16,
    expanded_count: u16,
) -> DecodeResult<SortOrderSet> {
    let n = r.check_count(n as u64, 5, 0xFFFF, "SortOrderCount")?;
    let orders = (0..n).map(|_| read_sort_order(r)).collect::<DecodeResult<Vec<_>>>()?;
    let set = SortOrderSet { orders, categorized_count, expanded_count };
    if !set.is_consistent() {
        return Err(r.invalid("SortOrderSet", "ExpandedCount ≤ CategorizedCount ≤ SortOrderCount violated"));
    }
    Ok(set)
}

/// Writes a SortOrderSet.
pub fn write_sort_order_set(w: &mut Writer, s: &SortOrderSet) {
    w.u16(s.orders.len() as u16);
    w.u16(s.categorized_count);
    w.u16(s.expanded_count);
    s.orders.iter().for_each(|o| write_sort_order(w, o));
}
