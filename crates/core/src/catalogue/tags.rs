//! Property tag declarations: each line defines a `PR_*` constant and a catalogue entry.
//! Sources: MS-OXPROPS (canonical names and ids), protocol-facts §6.
#![allow(missing_docs)]

use super::TagEntry;
use crate::tag::PropTag;

macro_rules! tags {
    ($( $pr:ident = $value:literal, $canonical:literal; )*) => {
        $( pub const $pr: PropTag = PropTag($value); )*
        /// Every declared tag.
        pub static ENTRIES: &[TagEntry] = &[
            $( TagEntry { tag: PropTag($value), pr_name: stringify!($pr), canonical: $canonical }, )*
        ];
    };
}

tags! {
    PR_SUBJECT = 0x0037001F, "PidTagSubject";
    PR_PROFILE_CONNECT_FLAGS = 0x66040003, "PidTagProfileConnectFlags";
    PR_STORE_SUPPORT_MASK = 0x340D0003, "PidTagStoreSupportMask";
}
