//! Internet mail (MIME, RFC 5322/2045) ↔ [`Message`](crate::item::Message), per [MS-OXCMAIL].

pub(crate) mod charset;
