//! The property-tag catalogue: canonical MS-OXPROPS names (`PidTagSubject`) and MAPI SDK names
//! (`PR_SUBJECT`, `PR_SUBJECT_W`, `PR_SUBJECT_A`) for the tags of messages, folders, stores,
//! recipients, attachments, contacts, calendar, address book and profiles, looked up both ways.
//!
//! Each tag is declared once in [`tags`]: that declaration defines the `PR_*` constant used
//! throughout oxmapi and the catalogue entry. Named properties (`PidLid*`, `PidName*`) are
//! catalogued in [`named`].

pub mod named;
pub mod tags;

use crate::ptype::PropType;
use crate::tag::PropTag;

/// One catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagEntry {
    /// The tag with its canonical type (Unicode for strings).
    pub tag: PropTag,
    /// The MAPI SDK name without `_W`/`_A` suffix (`PR_SUBJECT`).
    pub pr_name: &'static str,
    /// The canonical MS-OXPROPS name (`PidTagSubject`), or the best-known name where MS-OXPROPS
    /// has none (profile properties).
    pub canonical: &'static str,
}

/// Result of a look-up: the entry and the exact tag asked about (which may differ from the
/// entry's in its string width).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagMatch {
    /// The catalogue entry.
    pub entry: &'static TagEntry,
    /// The tag the caller meant (e.g. `0x0037001E` for `PR_SUBJECT_A`).
    pub tag: PropTag,
}

impl TagMatch {
    /// The PR_ name of the exact tag: `_A` / `_W` suffixed when the entry is a string property.
    pub fn pr_name(&self) -> String {
        let base = self.entry.pr_name;
        match self.tag.prop_type() {
            Ok(PropType::String8 | PropType::MultipleString8) if is_string(self.entry.tag) => {
                format!("{base}_A")
            }
            Ok(PropType::String | PropType::MultipleString)
                if is_string(self.entry.tag) && !is_string8(self.entry.tag) =>
            {
                format!("{base}_W")
            }
            _ => base.to_string(),
        }
    }
}

fn is_string(t: PropTag) -> bool {
    matches!(
        t.prop_type(),
        Ok(PropType::String | PropType::String8 | PropType::MultipleString | PropType::MultipleString8)
    )
}

fn is_string8(t: PropTag) -> bool {
    matches!(t.prop_type(), Ok(PropType::String8 | PropType::MultipleString8))
}

fn string_sibling(t: PropTag) -> Option<PropTag> {
    Some(match t.prop_type().ok()? {
        PropType::String => t.with_type(PropType::String8),
        PropType::String8 => t.with_type(PropType::String),
        PropType::MultipleString => t.with_type(PropType::MultipleString8),
        PropType::MultipleString8 => t.with_type(PropType::MultipleString),
        _ => return None,
    })
}

/// Every entry.
pub fn entries() -> &'static [TagEntry] {
    tags::ENTRIES
}

/// Looks up a tag by value: exact match first, then the other string width of the same id.
pub fn by_tag(tag: PropTag) -> Option<TagMatch> {
    let t = tag.without_mv_instance();
    if let Some(e) = tags::ENTRIES.iter().find(|e| e.tag == t) {
        return Some(TagMatch { entry: e, tag });
    }
    let sib = string_sibling(t)?;
    tags::ENTRIES.iter().find(|e| e.tag == sib).map(|e| TagMatch { entry: e, tag })
}

/// Entries sharing the id of `tag` (any type), for "did you mean" answers.
pub fn by_id(id: u16) -> impl Iterator<Item = &'static TagEntry> {
    tags::ENTRIES.iter().filter(move |e| e.tag.id() == id)
}

/// Looks up a tag by name: `PidTagSubject`, `PR_SUBJECT`, `PR_SUBJECT_W`, `PR_SUBJECT_A`
/// (case-insensitive), or by hex value (`0x0037001F`).
pub fn by_name(name: &str) -> Option<TagMatch> {
    let n = name.trim();
    if let Some(e) = tags::ENTRIES
        .iter()
        .find(|e| e.pr_name.eq_ignore_ascii_case(n) || e.canonical.eq_ignore_ascii_case(n))
    {
        return Some(TagMatch { entry: e, tag: e.tag });
    }
    let upper = n.to_ascii_uppercase();
    for (suffix, want8) in [("_W", false), ("_A", true)] {
        if let Some(base) = upper.strip_suffix(suffix) {
            if let Some(e) =
                tags::ENTRIES.iter().find(|e| e.pr_name.eq_ignore_ascii_case(base) && is_string(e.tag))
            {
                let tag =
                    if want8 == is_string8(e.tag) { e.tag } else { string_sibling(e.tag).unwrap_or(e.tag) };
                return Some(TagMatch { entry: e, tag });
            }
        }
    }
    PropTag::parse_hex(n).filter(|_| n.starts_with("0x") || n.starts_with("0X")).and_then(by_tag)
}

/// The best display name of a tag: the PR_ name if catalogued, else `0xXXXXXXXX`.
pub fn display_name(tag: PropTag) -> String {
    by_tag(tag).map(|m| m.pr_name()).unwrap_or_else(|| tag.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways() {
        let m = by_name("PR_PROFILE_CONNECT_FLAGS").unwrap();
        assert_eq!(m.tag, PropTag(0x6604_0003));
        let m = by_tag(PropTag(0x0037_001F)).unwrap();
        assert_eq!(m.entry.canonical, "PidTagSubject");
        assert_eq!(m.pr_name(), "PR_SUBJECT_W");
        assert_eq!(by_tag(PropTag(0x0037_001E)).unwrap().pr_name(), "PR_SUBJECT_A");
        assert_eq!(by_name("pr_subject_a").unwrap().tag, PropTag(0x0037_001E));
        assert_eq!(by_name("PidTagStoreSupportMask").unwrap().tag, PropTag(0x340D_0003));
        assert!(by_name("PR_NO_SUCH_THING").is_none());
    }

    #[test]
    fn names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for e in entries() {
            assert!(seen.insert(e.pr_name), "duplicate PR name {}", e.pr_name);
        }
    }
}
