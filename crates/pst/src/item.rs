//! A message as the file formats carry it: the one in-memory form that the PST reader
//! ([MS-PST] 2.4.5 Message Objects), the MSG reader and writer ([MS-OXMSG] 2.1) and the
//! MIME converters ([MS-OXCMAIL]) produce and consume, and that the client imports into a
//! store or exports from one.
//!
//! Property ids 0x8000 and up are *local* named-property ids: [`Message::names`] says which
//! [`PropertyName`] each stands for, for the whole tree (the message, its recipients, its
//! attachments and every embedded message — one map, as an MSG file's `__nameid_version1.0`
//! storage and a PST's name-to-id map are one per file). Whoever moves an item into a store
//! maps them to that store's ids by name.

use std::collections::BTreeMap;

use oxmapi_core::bag::PropBag;
use oxmapi_core::named::PropertyName;

/// The first property id of the named range ([MS-OXPROPS] 1.3.2; [MS-OXCDATA] 2.6.1).
pub const FIRST_NAMED_ID: u16 = 0x8000;

/// A message with its recipients and attachments (embedded messages nested in attachments).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item {
    /// The message's own properties (PR_MESSAGE_CLASS, PR_SUBJECT, PR_BODY, …).
    pub props: PropBag,
    /// One property bag per recipient row (PR_RECIPIENT_TYPE, PR_DISPLAY_NAME,
    /// PR_EMAIL_ADDRESS, PR_ADDRTYPE, PR_ENTRYID, …), in row order.
    pub recipients: Vec<PropBag>,
    /// The attachments, in PR_ATTACH_NUM order.
    pub attachments: Vec<Attachment>,
}

/// An attachment: its properties (PR_ATTACH_METHOD, PR_ATTACH_LONG_FILENAME,
/// PR_ATTACH_DATA_BIN, PR_ATTACH_CONTENT_ID, …) and, for ATTACH_EMBEDDED_MSG, the message it
/// holds (PR_ATTACH_DATA_OBJ).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attachment {
    /// The attachment's properties (without PR_ATTACH_DATA_OBJ for an embedded message).
    pub props: PropBag,
    /// The embedded message of an ATTACH_EMBEDDED_MSG attachment.
    pub embedded: Option<Box<Item>>,
    /// The PR_ATTACH_DATA_OBJ storage of an ATTACH_OLE (afStorage) attachment, kept opaque as
    /// the bytes of a compound file ([MS-CFB]) whose root holds that storage's streams and
    /// sub-storages (the form a PST gives it too, [MS-PST] 2.4.6.2).
    pub storage: Option<Vec<u8>>,
}

/// A top-level message and the names of the named properties its tree uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Message {
    /// The message.
    pub item: Item,
    /// Local property id (≥ [`FIRST_NAMED_ID`]) → its name.
    pub names: BTreeMap<u16, PropertyName>,
}

impl Message {
    /// The local id of `name`, adding it to [`Message::names`] when new.
    pub fn id_of(&mut self, name: &PropertyName) -> u16 {
        if let Some((id, _)) = self.names.iter().find(|(_, n)| *n == name) {
            return *id;
        }
        let id = self.names.keys().next_back().map_or(FIRST_NAMED_ID, |last| last + 1);
        self.names.insert(id, name.clone());
        id
    }

    /// The name of local id `id`, if it is a named property this message knows.
    pub fn name_of(&self, id: u16) -> Option<&PropertyName> {
        self.names.get(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::guid::Guid;

    #[test]
    fn names_get_one_local_id_each() {
        let mut m = Message::default();
        let a = PropertyName::id(Guid::default(), 0x8233);
        let b = PropertyName::string(Guid::default(), "Keywords");
        assert_eq!(m.id_of(&a), 0x8000);
        assert_eq!(m.id_of(&b), 0x8001);
        assert_eq!(m.id_of(&a), 0x8000);
        assert_eq!(m.name_of(0x8001), Some(&b));
        assert_eq!(m.name_of(0x8002), None);
    }
}
