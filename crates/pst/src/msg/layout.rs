//! Names and sizes of the MSG file's storages, streams and headers ([MS-OXMSG] 2.2, 2.4).

use oxmapi_core::tag::PropTag;

/// The property stream of every storage ([MS-OXMSG] 2.4).
pub const PROPERTIES_STREAM: &str = "__properties_version1.0";
/// The named property mapping storage ([MS-OXMSG] 2.2.3).
pub const NAMEID_STORAGE: &str = "__nameid_version1.0";
/// Prefix of a recipient storage ([MS-OXMSG] 2.2.1).
pub const RECIP_PREFIX: &str = "__recip_version1.0_#";
/// Prefix of an attachment storage ([MS-OXMSG] 2.2.2).
pub const ATTACH_PREFIX: &str = "__attach_version1.0_#";
/// Prefix of a property value stream ([MS-OXMSG] 2.1.3).
pub const SUBSTG_PREFIX: &str = "__substg1.0_";
/// PR_ATTACH_DATA_OBJ as PtypObject: the embedded-message or custom storage ([MS-OXMSG] 2.2.2.1).
pub const ATTACH_DATA_OBJ: PropTag = PropTag(0x3701_000D);
/// The property entry's Size for an embedded message or custom storage ([MS-OXMSG] 2.4.2.2).
pub const OBJECT_SIZE: u32 = 0xFFFF_FFFF;
/// PROPATTR_READABLE | PROPATTR_WRITABLE, the flags written on every entry ([MS-OXMSG] 2.4.2.1).
pub const ENTRY_FLAGS: u32 = 0x0000_0006;
/// Size of one property entry ([MS-OXMSG] 2.4.2).
pub const ENTRY_LEN: usize = 16;
/// The CLSID of an MSG file's root storage (Outlook's message class, {00020D0B-…-46}).
pub const MSG_ROOT_CLSID: [u8; 16] =
    [0x0B, 0x0D, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];

/// Which storage a property stream belongs to; it decides the header size ([MS-OXMSG] 2.4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamKind {
    /// The top-level message: 32-byte header.
    TopLevel,
    /// An embedded message: 24-byte header.
    Embedded,
    /// A recipient or attachment: 8-byte header.
    Child,
}

impl StreamKind {
    /// The header length.
    pub fn header_len(self) -> usize {
        match self {
            StreamKind::TopLevel => 32,
            StreamKind::Embedded => 24,
            StreamKind::Child => 8,
        }
    }
}

/// `__substg1.0_TTTTPPPP` of `tag`.
pub fn substg_name(tag: PropTag) -> String {
    format!("{SUBSTG_PREFIX}{:08X}", tag.0)
}

/// `__substg1.0_TTTTPPPP-XXXXXXXX`: value `index` of a variable-length multi-valued property
/// ([MS-OXMSG] 2.1.4.2).
pub fn mv_value_name(tag: PropTag, index: usize) -> String {
    format!("{SUBSTG_PREFIX}{:08X}-{index:08X}", tag.0)
}

/// `PREFIX` followed by `index` in 8 upper-case hex digits.
pub fn numbered(prefix: &str, index: usize) -> String {
    format!("{prefix}{index:08X}")
}

/// The property tag a `__substg1.0_TTTTPPPP` stream name stands for (no `-index` suffix).
pub fn tag_of_substg(name: &str) -> Option<PropTag> {
    let hex = name.strip_prefix(SUBSTG_PREFIX)?;
    if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok().map(PropTag)
}

/// Joins a storage path and a child name (cfb paths are `/`-separated from the root).
pub fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() || parent == "/" { format!("/{name}") } else { format!("{parent}/{name}") }
}
