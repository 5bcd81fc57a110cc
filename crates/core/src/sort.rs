//! Sort orders (MS-OXCDATA 2.13) and their application to property bags.

use std::cmp::Ordering;

use crate::bag::PropertyBag;
use crate::restriction::compare_values;
use crate::tag::PropTag;

/// `Order` of a SortOrder (MS-OXCDATA 2.13.1).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum SortDirection {
    /// TABLE_SORT_ASCEND.
    Ascend = 0x00,
    /// TABLE_SORT_DESCEND.
    Descend = 0x01,
    /// TABLE_SORT_COMBINE: combine with the previous key (categories).
    Combine = 0x02,
    /// TABLE_SORT_MAXIMUM_CATEGORY: order categories by their maximum.
    MaximumCategory = 0x04,
    /// TABLE_SORT_MINIMUM_CATEGORY: order categories by their minimum.
    MinimumCategory = 0x08,
}

impl TryFrom<u8> for SortDirection {
    type Error = u8;
    fn try_from(v: u8) -> Result<Self, u8> {
        Ok(match v {
            0x00 => SortDirection::Ascend,
            0x01 => SortDirection::Descend,
            0x02 => SortDirection::Combine,
            0x04 => SortDirection::MaximumCategory,
            0x08 => SortDirection::MinimumCategory,
            other => return Err(other),
        })
    }
}

impl SortDirection {
    /// The MAPI name.
    pub fn name(self) -> &'static str {
        match self {
            SortDirection::Ascend => "TABLE_SORT_ASCEND",
            SortDirection::Descend => "TABLE_SORT_DESCEND",
            SortDirection::Combine => "TABLE_SORT_COMBINE",
            SortDirection::MaximumCategory => "TABLE_SORT_MAXIMUM_CATEGORY",
            SortDirection::MinimumCategory => "TABLE_SORT_MINIMUM_CATEGORY",
        }
    }
}

/// A SortOrder: `PropertyType u16, PropertyId u16, Order u8` (MS-OXCDATA 2.13.1).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct SortOrder {
    /// The column sorted on (may carry `MV_INSTANCE`).
    pub tag: PropTag,
    /// `Order`.
    pub direction: SortDirection,
}

/// A SortOrderSet (MS-OXCDATA 2.13.2): sort keys, of which the first `categorized_count` are
/// categories and the first `expanded_count` of those are expanded.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct SortOrderSet {
    /// `SortOrders`.
    pub orders: Vec<SortOrder>,
    /// `CategorizedCount`.
    pub categorized_count: u16,
    /// `ExpandedCount`.
    pub expanded_count: u16,
}

impl SortOrderSet {
    /// A plain (uncategorised) sort.
    pub fn plain(orders: Vec<SortOrder>) -> SortOrderSet {
        SortOrderSet { orders, categorized_count: 0, expanded_count: 0 }
    }

    /// True when the counts respect `ExpandedCount ≤ CategorizedCount ≤ SortOrderCount`.
    pub fn is_consistent(&self) -> bool {
        self.expanded_count <= self.categorized_count && self.categorized_count as usize <= self.orders.len()
    }

    /// Compares two objects by the sort keys. Missing values sort before present ones in
    /// ascending order (after them in descending order); incomparable values compare equal.
    pub fn compare(&self, a: &dyn PropertyBag, b: &dyn PropertyBag) -> Ordering {
        for o in &self.orders {
            let tag = o.tag.without_mv_instance();
            let ord = match (a.get(tag), b.get(tag)) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(x), Some(y)) => compare_values(x, y).unwrap_or(Ordering::Equal),
            };
            let ord = if o.direction == SortDirection::Descend { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bag::PropBag;
    use crate::value::PropValue;

    #[test]
    fn multi_key_sort() {
        let t1 = PropTag(0x0E06_0040);
        let t2 = PropTag(0x0037_001F);
        let mk = |t: u64, s: &str| {
            PropBag::new()
                .with(t1, PropValue::SysTime(crate::time::FileTime(t)))
                .with(t2, PropValue::Unicode(s.into()))
        };
        let mut rows = [mk(1, "b"), mk(2, "a"), mk(1, "A"), PropBag::new()];
        let set = SortOrderSet::plain(vec![
            SortOrder { tag: t1, direction: SortDirection::Descend },
            SortOrder { tag: t2, direction: SortDirection::Ascend },
        ]);
        rows.sort_by(|a, b| set.compare(a, b));
        let subjects: Vec<_> =
            rows.iter().map(|r| r.get(t2).and_then(|v| v.as_text()).map(|s| s.into_owned())).collect();
        assert_eq!(subjects, vec![Some("a".into()), Some("A".into()), Some("b".into()), None]);
        assert!(set.is_consistent());
    }
}
