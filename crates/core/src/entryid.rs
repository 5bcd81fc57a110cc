//! Entry IDs (MS-OXCDATA 2.2.4 – 2.2.5, MS-OXNSPI 2.2.9): parse and build every format a MAPI
//! client meets on Exchange: folder, message, store object, address book (permanent and
//! ephemeral) and one-off entry IDs. Anything else is kept as an opaque provider entry ID.

use crate::codec::{DecodeError, DecodeResult, Reader, Writer};
use crate::guid::{
    GUID_NSPI, Guid, MAPI_ONE_OFF_UID, MUID_STORE_WRAP, STORE_PRIVATE_PROVIDER_UID, STORE_PUBLIC_PROVIDER_UID,
};
use crate::ids::{counter_from_be, counter_to_be};

/// Entry ID type codes of folder and message entry IDs (MS-OXCDATA 2.2.4.1, 2.2.4.2).
pub mod eit {
    /// eitLTPrivateFolder.
    pub const PRIVATE_FOLDER: u16 = 0x0001;
    /// eitLTPublicFolder.
    pub const PUBLIC_FOLDER: u16 = 0x0003;
    /// eitLTWackyFolder: a public folder mapped into a private store.
    pub const WACKY_FOLDER: u16 = 0x0005;
    /// eitLTPrivateMessage.
    pub const PRIVATE_MESSAGE: u16 = 0x0007;
    /// eitLTPublicMessage.
    pub const PUBLIC_MESSAGE: u16 = 0x0009;
    /// eitLTWackyMessage.
    pub const WACKY_MESSAGE: u16 = 0x000B;
    /// eitLTPublicFolderByName.
    pub const PUBLIC_FOLDER_BY_NAME: u16 = 0x000C;

    /// The MS-OXCDATA name of a type code.
    pub fn name(v: u16) -> &'static str {
        match v {
            PRIVATE_FOLDER => "eitLTPrivateFolder",
            PUBLIC_FOLDER => "eitLTPublicFolder",
            WACKY_FOLDER => "eitLTWackyFolder",
            PRIVATE_MESSAGE => "eitLTPrivateMessage",
            PUBLIC_MESSAGE => "eitLTPublicMessage",
            WACKY_MESSAGE => "eitLTWackyMessage",
            PUBLIC_FOLDER_BY_NAME => "eitLTPublicFolderByName",
            _ => "unknown",
        }
    }
}

/// One-off entry ID flag: strings are Unicode (MS-OXCDATA 2.2.5.1).
pub const MAPI_ONE_OFF_UNICODE: u16 = 0x8000;
/// One-off entry ID flag: the recipient cannot receive rich (TNEF) content.
pub const MAPI_ONE_OFF_NO_RICH_INFO: u16 = 0x0001;
/// `IDType` of an ephemeral address book entry ID (MS-OXNSPI 2.2.9.2).
pub const EPHEMERAL_ID_TYPE: u8 = 0x87;
/// `WrappedType` of a private mailbox store entry ID (OPENSTORE_HOME_LOGON | OPENSTORE_TAKE_OWNERSHIP).
pub const STORE_WRAPPED_TYPE_PRIVATE: u32 = 0x0000_000C;
/// `WrappedType` of a public folder store entry ID (OPENSTORE_HOME_LOGON | OPENSTORE_PUBLIC).
pub const STORE_WRAPPED_TYPE_PUBLIC: u32 = 0x0000_0006;
/// `DLLFileName` of an Exchange store entry ID, padded to 14 bytes.
pub const STORE_DLL_NAME: &str = "emsmdb.dll";
const STORE_DLL_FIELD: usize = 14;

/// A FID or MID in long-term form inside an entry ID: database GUID + 48-bit counter.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct LongTermRef {
    /// `DatabaseGuid`.
    pub database_guid: Guid,
    /// `GlobalCounter`.
    pub global_counter: u64,
}

/// Folder EntryID (MS-OXCDATA 2.2.4.1), 46 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct FolderEntryId {
    /// `Flags` (abFlags), 0 for long-term IDs.
    pub flags: u32,
    /// `ProviderUID`: the store's GUID (PR_STORE_RECORD_KEY).
    pub provider_uid: Guid,
    /// `FolderType`: an [`eit`] folder code.
    pub folder_type: u16,
    /// `DatabaseGuid` + `GlobalCounter` of the folder.
    pub folder: LongTermRef,
}

/// Message EntryID (MS-OXCDATA 2.2.4.2), 70 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct MessageEntryId {
    /// `Flags`.
    pub flags: u32,
    /// `ProviderUID`: the store's GUID.
    pub provider_uid: Guid,
    /// `MessageType`: an [`eit`] message code.
    pub message_type: u16,
    /// The parent folder.
    pub folder: LongTermRef,
    /// The message.
    pub message: LongTermRef,
}

/// Store object EntryID (MS-OXCDATA 2.2.4.3): identifies a mailbox or public folder store.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct StoreEntryId {
    /// `Flags`.
    pub flags: u32,
    /// `Version` (0).
    pub version: u8,
    /// `Flag` (0).
    pub flag: u8,
    /// `DLLFileName` ("emsmdb.dll").
    pub dll_name: String,
    /// `WrappedFlags` (0).
    pub wrapped_flags: u32,
    /// `WrappedProviderUID`: private or public store provider.
    pub wrapped_provider_uid: Guid,
    /// `WrappedType`: 0x0C private, 0x06 public.
    pub wrapped_type: u32,
    /// `ServerShortname`.
    pub server_name: String,
    /// `MailboxDN` (private stores only).
    pub mailbox_dn: Option<String>,
    /// Bytes after the documented fields (Exchange 2013+ extensions), kept verbatim.
    pub extension: Vec<u8>,
}

impl StoreEntryId {
    /// A private mailbox store entry ID.
    pub fn private(server_name: &str, mailbox_dn: &str) -> StoreEntryId {
        StoreEntryId {
            flags: 0,
            version: 0,
            flag: 0,
            dll_name: STORE_DLL_NAME.into(),
            wrapped_flags: 0,
            wrapped_provider_uid: STORE_PRIVATE_PROVIDER_UID,
            wrapped_type: STORE_WRAPPED_TYPE_PRIVATE,
            server_name: server_name.into(),
            mailbox_dn: Some(mailbox_dn.into()),
            extension: Vec::new(),
        }
    }
    /// A public folder store entry ID.
    pub fn public(server_name: &str) -> StoreEntryId {
        StoreEntryId {
            wrapped_provider_uid: STORE_PUBLIC_PROVIDER_UID,
            wrapped_type: STORE_WRAPPED_TYPE_PUBLIC,
            mailbox_dn: None,
            ..StoreEntryId::private(server_name, "")
        }
    }
    /// True for a public folder store.
    pub fn is_public(&self) -> bool {
        self.wrapped_provider_uid == STORE_PUBLIC_PROVIDER_UID
    }
}

/// Address book permanent EntryID (MS-OXNSPI 2.2.9.3; MS-OXCDATA 2.2.5.2).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct AbPermanentEntryId {
    /// `IDType` + `R1..R3` (abFlags): 0 for permanent IDs.
    pub flags: u32,
    /// `R4`/Version: 1.
    pub version: u32,
    /// `DisplayTypeString`: the object's display type (DT_MAILUSER 0 …).
    pub display_type: u32,
    /// `DistinguishedName`: the object's legacy DN.
    pub dn: String,
}

/// Address book ephemeral EntryID (MS-OXNSPI 2.2.9.2), 32 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct AbEphemeralEntryId {
    /// `IDType` (0x87) + `R1..R3`.
    pub flags: u32,
    /// `ProviderUID`: the NSPI server GUID from Bind.
    pub server_guid: Guid,
    /// `R4`: 1.
    pub version: u32,
    /// `DisplayType`.
    pub display_type: u32,
    /// `Mid`: the minimal entry ID.
    pub mid: u32,
}

/// One-off EntryID (MS-OXCDATA 2.2.5.1): an address outside any address book.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct OneOffEntryId {
    /// `Flags` (abFlags).
    pub flags: u32,
    /// `Version` (0).
    pub version: u16,
    /// The second flags word: MAPI_ONE_OFF_UNICODE, MAPI_ONE_OFF_NO_RICH_INFO, encoding bits.
    pub one_off_flags: u16,
    /// `DisplayName`.
    pub display_name: String,
    /// `AddressType` (e.g. `SMTP`).
    pub address_type: String,
    /// `EmailAddress`.
    pub email_address: String,
}

impl OneOffEntryId {
    /// A Unicode one-off entry ID.
    pub fn new(display_name: &str, address_type: &str, email_address: &str) -> OneOffEntryId {
        OneOffEntryId {
            flags: 0,
            version: 0,
            one_off_flags: MAPI_ONE_OFF_UNICODE | MAPI_ONE_OFF_NO_RICH_INFO,
            display_name: display_name.into(),
            address_type: address_type.into(),
            email_address: email_address.into(),
        }
    }
}

/// Any entry ID.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum EntryId {
    /// A folder.
    Folder(FolderEntryId),
    /// A message.
    Message(MessageEntryId),
    /// A message store.
    Store(StoreEntryId),
    /// An address book object, permanent form.
    AbPermanent(AbPermanentEntryId),
    /// An address book object, ephemeral form.
    AbEphemeral(AbEphemeralEntryId),
    /// A one-off address.
    OneOff(OneOffEntryId),
    /// Another provider's entry ID: `abFlags`, `ProviderUID`, and its opaque data.
    Other {
        /// `abFlags`.
        flags: u32,
        /// `ProviderUID`.
        provider_uid: Guid,
        /// The provider-specific bytes.
        data: Vec<u8>,
    },
}

fn long_term_ref(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<LongTermRef> {
    let database_guid = r.guid(what)?;
    let c: [u8; 6] = r.array(what)?;
    let pad = r.u16(what)?;
    if pad != 0 {
        return Err(r.invalid(what, format!("pad is 0x{pad:04X}, must be 0")));
    }
    Ok(LongTermRef { database_guid, global_counter: counter_from_be(&c) })
}

fn write_long_term_ref(w: &mut Writer, l: &LongTermRef) {
    w.guid(&l.database_guid);
    w.bytes(&counter_to_be(l.global_counter));
    w.u16(0);
}

fn read_string(r: &mut Reader<'_>, unicode: bool, what: &'static str) -> DecodeResult<String> {
    if unicode { r.utf16z(what) } else { r.asciiz(what) }
}

impl EntryId {
    /// Parses an entry ID. Unknown providers yield [`EntryId::Other`]; a known provider whose
    /// bytes do not follow its format is an error.
    pub fn parse(bytes: &[u8]) -> DecodeResult<EntryId> {
        let mut r = Reader::new(bytes);
        let flags = r.u32("abFlags")?;
        let provider_uid = r.guid("ProviderUID")?;
        if flags & 0xFF == EPHEMERAL_ID_TYPE as u32 && bytes.len() == 32 {
            let version = r.u32("R4")?;
            let display_type = r.u32("DisplayType")?;
            let mid = r.u32("Mid")?;
            return Ok(EntryId::AbEphemeral(AbEphemeralEntryId {
                flags,
                server_guid: provider_uid,
                version,
                display_type,
                mid,
            }));
        }
        let e = match provider_uid {
            MUID_STORE_WRAP => {
                let version = r.u8("Version")?;
                let flag = r.u8("Flag")?;
                let dll = r.take(STORE_DLL_FIELD, "DLLFileName")?;
                let end = dll.iter().position(|&b| b == 0).unwrap_or(dll.len());
                let dll_name = crate::text::decode_cp1252(&dll[..end]);
                let wrapped_flags = r.u32("WrappedFlags")?;
                let wrapped_provider_uid = r.guid("WrappedProviderUID")?;
                let wrapped_type = r.u32("WrappedType")?;
                let server_name = r.asciiz("ServerShortname")?;
                let mailbox_dn = if wrapped_provider_uid == STORE_PUBLIC_PROVIDER_UID || r.is_empty() {
                    None
                } else {
                    Some(r.asciiz("MailboxDN")?)
                };
                EntryId::Store(StoreEntryId {
                    flags,
                    version,
                    flag,
                    dll_name,
                    wrapped_flags,
                    wrapped_provider_uid,
                    wrapped_type,
                    server_name,
                    mailbox_dn,
                    extension: r.take_rest().to_vec(),
                })
            }
            GUID_NSPI => {
                let version = r.u32("Version")?;
                let display_type = r.u32("Type")?;
                let dn = r.asciiz("X500DN")?;
                r.finish("address book entry ID")?;
                EntryId::AbPermanent(AbPermanentEntryId { flags, version, display_type, dn })
            }
            MAPI_ONE_OFF_UID => {
                let version = r.u16("Version")?;
                let one_off_flags = r.u16("Flags")?;
                let unicode = one_off_flags & MAPI_ONE_OFF_UNICODE != 0;
                let display_name = read_string(&mut r, unicode, "DisplayName")?;
                let address_type = read_string(&mut r, unicode, "AddressType")?;
                let email_address = read_string(&mut r, unicode, "EmailAddress")?;
                r.finish("one-off entry ID")?;
                EntryId::OneOff(OneOffEntryId {
                    flags,
                    version,
                    one_off_flags,
                    display_name,
                    address_type,
                    email_address,
                })
            }
            _ if bytes.len() == 46 && r.peek_u8(0).is_some() => {
                let ty = r.u16("FolderType")?;
                if !matches!(
                    ty,
                    eit::PRIVATE_FOLDER | eit::PUBLIC_FOLDER | eit::WACKY_FOLDER | eit::PUBLIC_FOLDER_BY_NAME
                ) {
                    return Ok(EntryId::Other { flags, provider_uid, data: bytes[20..].to_vec() });
                }
                let folder = long_term_ref(&mut r, "folder GID")?;
                EntryId::Folder(FolderEntryId { flags, provider_uid, folder_type: ty, folder })
            }
            _ if bytes.len() == 70 => {
                let ty = r.u16("MessageType")?;
                if !matches!(ty, eit::PRIVATE_MESSAGE | eit::PUBLIC_MESSAGE | eit::WACKY_MESSAGE) {
                    return Ok(EntryId::Other { flags, provider_uid, data: bytes[20..].to_vec() });
                }
                let folder = long_term_ref(&mut r, "folder GID")?;
                let message = long_term_ref(&mut r, "message GID")?;
                EntryId::Message(MessageEntryId { flags, provider_uid, message_type: ty, folder, message })
            }
            _ => EntryId::Other { flags, provider_uid, data: r.take_rest().to_vec() },
        };
        Ok(e)
    }

    /// Encodes the entry ID.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(70);
        match self {
            EntryId::Folder(f) => {
                w.u32(f.flags);
                w.guid(&f.provider_uid);
                w.u16(f.folder_type);
                write_long_term_ref(&mut w, &f.folder);
            }
            EntryId::Message(m) => {
                w.u32(m.flags);
                w.guid(&m.provider_uid);
                w.u16(m.message_type);
                write_long_term_ref(&mut w, &m.folder);
                write_long_term_ref(&mut w, &m.message);
            }
            EntryId::Store(s) => {
                w.u32(s.flags);
                w.guid(&MUID_STORE_WRAP);
                w.u8(s.version);
                w.u8(s.flag);
                let mut dll = crate::text::encode_cp1252(&s.dll_name);
                dll.resize(STORE_DLL_FIELD, 0);
                w.bytes(&dll);
                w.u32(s.wrapped_flags);
                w.guid(&s.wrapped_provider_uid);
                w.u32(s.wrapped_type);
                w.asciiz(&s.server_name);
                if let Some(dn) = &s.mailbox_dn {
                    w.asciiz(dn);
                }
                w.bytes(&s.extension);
            }
            EntryId::AbPermanent(a) => {
                w.u32(a.flags);
                w.guid(&GUID_NSPI);
                w.u32(a.version);
                w.u32(a.display_type);
                w.asciiz(&a.dn);
            }
            EntryId::AbEphemeral(e) => {
                w.u32(e.flags);
                w.guid(&e.server_guid);
                w.u32(e.version);
                w.u32(e.display_type);
                w.u32(e.mid);
            }
            EntryId::OneOff(o) => {
                w.u32(o.flags);
                w.guid(&MAPI_ONE_OFF_UID);
                w.u16(o.version);
                w.u16(o.one_off_flags);
                for s in [&o.display_name, &o.address_type, &o.email_address] {
                    if o.one_off_flags & MAPI_ONE_OFF_UNICODE != 0 {
                        w.utf16z(s);
                    } else {
                        w.asciiz(s);
                    }
                }
            }
            EntryId::Other { flags, provider_uid, data } => {
                w.u32(*flags);
                w.guid(provider_uid);
                w.bytes(data);
            }
        }
        w.into_vec()
    }

    /// A short name of the format (`folder`, `message`, `store`, …).
    pub fn kind_name(&self) -> &'static str {
        match self {
            EntryId::Folder(_) => "folder",
            EntryId::Message(_) => "message",
            EntryId::Store(_) => "store",
            EntryId::AbPermanent(_) => "addressbook-permanent",
            EntryId::AbEphemeral(_) => "addressbook-ephemeral",
            EntryId::OneOff(_) => "one-off",
            EntryId::Other { .. } => "other",
        }
    }
}

impl From<DecodeError> for crate::error::MapiError {
    fn from(e: DecodeError) -> Self {
        crate::error::MapiError::new(crate::error::codes::MAPI_E_CORRUPT_DATA, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn v_data_1_folder_entry_id() {
        let b = hex(
            "00000000c3e178579652ce46a353b3e07f9b97bc01008b8db182af2ed048934707ed5448840f00174ea89c980000",
        );
        let e = EntryId::parse(&b).unwrap();
        let EntryId::Folder(f) = &e else { panic!("not a folder: {e:?}") };
        assert_eq!(f.provider_uid.to_string(), "{5778E1C3-5296-46CE-A353-B3E07F9B97BC}");
        assert_eq!(f.folder_type, eit::PRIVATE_FOLDER);
        assert_eq!(f.folder.database_guid.to_string(), "{82B18D8B-2EAF-48D0-9347-07ED5448840F}");
        assert_eq!(f.folder.global_counter, 0x00174EA89C98);
        assert_eq!(e.to_bytes(), b);
    }

    #[test]
    fn round_trips() {
        let lt = LongTermRef { database_guid: Guid([3; 16]), global_counter: 77 };
        let all = vec![
            EntryId::Message(MessageEntryId {
                flags: 0,
                provider_uid: Guid([1; 16]),
                message_type: eit::PRIVATE_MESSAGE,
                folder: lt,
                message: LongTermRef { global_counter: 78, ..lt },
            }),
            EntryId::Store(StoreEntryId::private("mail.example.com", "/o=Org/cn=Recipients/cn=jane")),
            EntryId::Store(StoreEntryId::public("mail.example.com")),
            EntryId::AbPermanent(AbPermanentEntryId {
                flags: 0,
                version: 1,
                display_type: 0,
                dn: "/o=Org/cn=jane".into(),
            }),
            EntryId::AbEphemeral(AbEphemeralEntryId {
                flags: 0x87,
                server_guid: Guid([5; 16]),
                version: 1,
                display_type: 0,
                mid: 0x20,
            }),
            EntryId::OneOff(OneOffEntryId::new("Bob Ünicode", "SMTP", "bob@example.com")),
            EntryId::Other { flags: 0, provider_uid: Guid([9; 16]), data: vec![1, 2, 3] },
        ];
        for e in all {
            let b = e.to_bytes();
            assert_eq!(EntryId::parse(&b).unwrap(), e, "{}", e.kind_name());
        }
        assert_eq!(
            EntryId::Message(
                match EntryId::parse(
                    &EntryId::Message(MessageEntryId {
                        flags: 0,
                        provider_uid: Guid([1; 16]),
                        message_type: eit::PRIVATE_MESSAGE,
                        folder: lt,
                        message: lt,
                    })
                    .to_bytes()
                )
                .unwrap()
                {
                    EntryId::Message(m) => m,
                    _ => unreachable!(),
                }
            )
            .to_bytes()
            .len(),
            70
        );
    }

    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[\u{1}-\u{7f}]{0,20}").unwrap()
    }

    fn entry_id() -> impl Strategy<Value = EntryId> {
        let guid = any::<[u8; 16]>().prop_map(Guid);
        let lt = (any::<[u8; 16]>(), 0u64..(1 << 48))
            .prop_map(|(g, c)| LongTermRef { database_guid: Guid(g), global_counter: c });
        prop_oneof![
            (guid.clone(), lt.clone()).prop_map(|(p, f)| EntryId::Folder(FolderEntryId {
                flags: 0,
                provider_uid: p,
                folder_type: eit::PRIVATE_FOLDER,
                folder: f
            })),
            (guid.clone(), lt.clone(), lt).prop_map(|(p, f, m)| EntryId::Message(MessageEntryId {
                flags: 0,
                provider_uid: p,
                message_type: eit::PUBLIC_MESSAGE,
                folder: f,
                message: m
            })),
            (text(), text()).prop_map(|(s, d)| EntryId::Store(StoreEntryId::private(&s, &d))),
            text().prop_map(|s| EntryId::Store(StoreEntryId::public(&s))),
            (any::<u32>(), text()).prop_map(|(t, dn)| EntryId::AbPermanent(AbPermanentEntryId {
                flags: 0,
                version: 1,
                display_type: t,
                dn
            })),
            (guid, any::<u32>(), any::<u32>()).prop_map(|(g, t, m)| EntryId::AbEphemeral(
                AbEphemeralEntryId { flags: 0x87, server_guid: g, version: 1, display_type: t, mid: m }
            )),
            (text(), text(), text()).prop_map(|(a, b, c)| EntryId::OneOff(OneOffEntryId::new(&a, &b, &c))),
        ]
    }

    proptest! {
        #[test]
        fn entry_ids_round_trip(e in entry_id()) {
            prop_assert_eq!(EntryId::parse(&e.to_bytes()).unwrap(), e);
        }

        #[test]
        fn parse_never_panics(b in proptest::collection::vec(any::<u8>(), 0..120)) {
            if let Ok(e) = EntryId::parse(&b) {
                // Whatever parses re-encodes to bytes that parse to the same entry ID.
                prop_assert_eq!(EntryId::parse(&e.to_bytes()).unwrap(), e);
            }
        }

        #[test]
        fn truncation_fails_or_differs(e in entry_id(), cut in 0usize..70) {
            let b = e.to_bytes();
            if cut < b.len() {
                if let Ok(x) = EntryId::parse(&b[..cut]) {
                    prop_assert_ne!(x, e);
                }
            }
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(EntryId::parse(&[0, 0]).is_err());
        let mut b = EntryId::OneOff(OneOffEntryId::new("a", "SMTP", "b")).to_bytes();
        b.truncate(b.len() - 1);
        assert!(EntryId::parse(&b).is_err());
    }
}
