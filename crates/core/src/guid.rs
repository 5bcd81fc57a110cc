//! GUIDs (MS-DTYP 2.3.4) and the well-known GUIDs of MAPI and Exchange.
//!
//! A [`Guid`] keeps its 16 bytes in wire order: `Data1` (u32 LE), `Data2` (u16 LE),
//! `Data3` (u16 LE), `Data4` (8 bytes as-is). It prints as `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`.

use std::fmt;
use std::str::FromStr;

/// A GUID in wire byte order (MS-DTYP 2.3.4.2).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Guid(pub [u8; 16]);

impl Guid {
    /// The all-zero GUID.
    pub const NULL: Guid = Guid([0; 16]);

    /// Builds a GUID from its textual fields (`Data1-Data2-Data3-Data4`).
    pub const fn from_fields(d1: u32, d2: u16, d3: u16, d4: [u8; 8]) -> Guid {
        let a = d1.to_le_bytes();
        let b = d2.to_le_bytes();
        let c = d3.to_le_bytes();
        Guid([
            a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d4[0], d4[1], d4[2], d4[3], d4[4], d4[5], d4[6],
            d4[7],
        ])
    }

    /// `Data1`.
    pub fn data1(&self) -> u32 {
        u32::from_le_bytes([self.0[0], self.0[1], self.0[2], self.0[3]])
    }
    /// `Data2`.
    pub fn data2(&self) -> u16 {
        u16::from_le_bytes([self.0[4], self.0[5]])
    }
    /// `Data3`.
    pub fn data3(&self) -> u16 {
        u16::from_le_bytes([self.0[6], self.0[7]])
    }
    /// `Data4`.
    pub fn data4(&self) -> [u8; 8] {
        let mut d = [0u8; 8];
        d.copy_from_slice(&self.0[8..]);
        d
    }
    /// True for the all-zero GUID.
    pub fn is_null(&self) -> bool {
        self.0 == [0; 16]
    }
    /// A new random (version 4) GUID from the operating system's entropy.
    pub fn new_random() -> Guid {
        let mut b = [0u8; 16];
        fill_random(&mut b);
        b[7] = (b[7] & 0x0F) | 0x40;
        b[8] = (b[8] & 0x3F) | 0x80;
        Guid(b)
    }
}

fn fill_random(buf: &mut [u8]) {
    use std::io::Read;
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        if f.read_exact(buf).is_ok() {
            return;
        }
    }
    // Fallback: hash the clock and an address; good enough for identifiers, never for keys.
    use std::hash::{BuildHasher, Hasher};
    for chunk in buf.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        let v = h.finish().to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d4 = self.data4();
        write!(
            f,
            "{{{:08X}-{:04X}-{:04X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}}}",
            self.data1(),
            self.data2(),
            self.data3(),
            d4[0],
            d4[1],
            d4[2],
            d4[3],
            d4[4],
            d4[5],
            d4[6],
            d4[7]
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Error parsing a GUID from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a GUID: {0:?} (expected {{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}})")]
pub struct GuidParseError(pub String);

impl FromStr for Guid {
    type Err = GuidParseError;
    /// Parses `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`, with or without braces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || GuidParseError(s.to_string());
        let t = s.trim();
        let t = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(t);
        let parts: Vec<&str> = t.split('-').collect();
        if parts.len() != 5
            || [8, 4, 4, 4, 12]
                != [parts[0].len(), parts[1].len(), parts[2].len(), parts[3].len(), parts[4].len()]
        {
            return Err(err());
        }
        let d1 = u32::from_str_radix(parts[0], 16).map_err(|_| err())?;
        let d2 = u16::from_str_radix(parts[1], 16).map_err(|_| err())?;
        let d3 = u16::from_str_radix(parts[2], 16).map_err(|_| err())?;
        let tail = format!("{}{}", parts[3], parts[4]);
        let mut d4 = [0u8; 8];
        for (i, b) in d4.iter_mut().enumerate() {
            *b = u8::from_str_radix(tail.get(i * 2..i * 2 + 2).ok_or_else(err)?, 16).map_err(|_| err())?;
        }
        Ok(Guid::from_fields(d1, d2, d3, d4))
    }
}

/// A MAPIUID: 16 opaque bytes naming a provider or profile section (MS-OXCDATA 2.2.4.1).
/// Printed as 32 lowercase hex digits, the way profile tools show section keys.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MapiUid(pub [u8; 16]);

impl MapiUid {
    /// The MAPIUID with the same bytes as `g`.
    pub const fn from_guid(g: Guid) -> MapiUid {
        MapiUid(g.0)
    }
    /// Parses 32 hex digits (or a braced GUID).
    pub fn parse(s: &str) -> Option<MapiUid> {
        let t = s.trim();
        if t.len() == 32 {
            let mut b = [0u8; 16];
            for (i, x) in b.iter_mut().enumerate() {
                *x = u8::from_str_radix(t.get(i * 2..i * 2 + 2)?, 16).ok()?;
            }
            return Some(MapiUid(b));
        }
        t.parse::<Guid>().ok().map(MapiUid::from_guid)
    }
}

impl fmt::Display for MapiUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for MapiUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MapiUid({self})")
    }
}

const OLE: [u8; 8] = [0xC0, 0, 0, 0, 0, 0, 0, 0x46];

/// PS_MAPI {00020328-0000-0000-C000-000000000046} (MS-OXPROPS 1.3.2).
pub const PS_MAPI: Guid = Guid::from_fields(0x00020328, 0, 0, OLE);
/// PS_PUBLIC_STRINGS {00020329-0000-0000-C000-000000000046}.
pub const PS_PUBLIC_STRINGS: Guid = Guid::from_fields(0x00020329, 0, 0, OLE);
/// PS_INTERNET_HEADERS {00020386-0000-0000-C000-000000000046}.
pub const PS_INTERNET_HEADERS: Guid = Guid::from_fields(0x00020386, 0, 0, OLE);
/// PSETID_Appointment {00062002-0000-0000-C000-000000000046}.
pub const PSETID_APPOINTMENT: Guid = Guid::from_fields(0x00062002, 0, 0, OLE);
/// PSETID_Task {00062003-0000-0000-C000-000000000046}.
pub const PSETID_TASK: Guid = Guid::from_fields(0x00062003, 0, 0, OLE);
/// PSETID_Address {00062004-0000-0000-C000-000000000046}.
pub const PSETID_ADDRESS: Guid = Guid::from_fields(0x00062004, 0, 0, OLE);
/// PSETID_Common {00062008-0000-0000-C000-000000000046}.
pub const PSETID_COMMON: Guid = Guid::from_fields(0x00062008, 0, 0, OLE);
/// PSETID_Log {0006200A-0000-0000-C000-000000000046}.
pub const PSETID_LOG: Guid = Guid::from_fields(0x0006200A, 0, 0, OLE);
/// PSETID_Note {0006200E-0000-0000-C000-000000000046}.
pub const PSETID_NOTE: Guid = Guid::from_fields(0x0006200E, 0, 0, OLE);
/// PSETID_Sharing {00062040-0000-0000-C000-000000000046}.
pub const PSETID_SHARING: Guid = Guid::from_fields(0x00062040, 0, 0, OLE);
/// PSETID_Meeting {6ED8DA90-450B-101B-98DA-00AA003F1305}.
pub const PSETID_MEETING: Guid =
    Guid::from_fields(0x6ED8DA90, 0x450B, 0x101B, [0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05]);

/// PSETID_Report {00062013-0000-0000-C000-000000000046} (MS-OXPROPS 1.3.2).
pub const PSETID_REPORT: Guid = Guid::from_fields(0x00062013, 0, 0, OLE);
/// PSETID_Remote {00062014-0000-0000-C000-000000000046} (MS-OXPROPS 1.3.2).
pub const PSETID_REMOTE: Guid = Guid::from_fields(0x00062014, 0, 0, OLE);
/// PSETID_PostRss {00062041-0000-0000-C000-000000000046} (MS-OXPROPS 1.3.2).
pub const PSETID_POST_RSS: Guid = Guid::from_fields(0x00062041, 0, 0, OLE);
/// PSETID_Messaging {41F28F13-83F4-4114-A584-EEDB5A6B0BFF} (MS-OXPROPS 1.3.2).
pub const PSETID_MESSAGING: Guid =
    Guid::from_fields(0x41F28F13, 0x83F4, 0x4114, [0xA5, 0x84, 0xEE, 0xDB, 0x5A, 0x6B, 0x0B, 0xFF]);
/// PSETID_UnifiedMessaging {4442858E-A9E3-4E80-B900-317A210CC15B} (MS-OXPROPS 1.3.2).
pub const PSETID_UNIFIED_MESSAGING: Guid =
    Guid::from_fields(0x4442858E, 0xA9E3, 0x4E80, [0xB9, 0x00, 0x31, 0x7A, 0x21, 0x0C, 0xC1, 0x5B]);
/// PSETID_AirSync {71035549-0739-4DCB-9163-00F0580DBBDF} (MS-OXPROPS 1.3.2).
pub const PSETID_AIR_SYNC: Guid =
    Guid::from_fields(0x71035549, 0x0739, 0x4DCB, [0x91, 0x63, 0x00, 0xF0, 0x58, 0x0D, 0xBB, 0xDF]);
/// PSETID_CalendarAssistant {11000E07-B51B-40D6-AF21-CAA85EDAB1D0} (MS-OXPROPS 1.3.2).
pub const PSETID_CALENDAR_ASSISTANT: Guid =
    Guid::from_fields(0x11000E07, 0xB51B, 0x40D6, [0xAF, 0x21, 0xCA, 0xA8, 0x5E, 0xDA, 0xB1, 0xD0]);
/// PSETID_Attachment {96357F7F-59E1-47D0-99A7-46515C183B54} (MS-OXPROPS 1.3.2).
pub const PSETID_ATTACHMENT: Guid =
    Guid::from_fields(0x96357F7F, 0x59E1, 0x47D0, [0x99, 0xA7, 0x46, 0x51, 0x5C, 0x18, 0x3B, 0x54]);
/// PSETID_XmlExtractedEntities {23239608-685D-4732-9C55-4C95CB4E8E33} (MS-OXPROPS 1.3.2).
pub const PSETID_XML_EXTRACTED_ENTITIES: Guid =
    Guid::from_fields(0x23239608, 0x685D, 0x4732, [0x9C, 0x55, 0x4C, 0x95, 0xCB, 0x4E, 0x8E, 0x33]);

/// pbGlobalProfileSectionGuid {C8B0DB13-05AA-1A10-9BB0-00AA002FC45A}: the global profile section.
pub const GLOBAL_PROFILE_SECTION_GUID: Guid =
    Guid::from_fields(0xC8B0DB13, 0x05AA, 0x1A10, [0x9B, 0xB0, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A]);
/// muidStoreWrap {10BBA138-E505-1A10-A1BB-08002B2A56C2}: ProviderUID of store object entry IDs
/// (MS-OXCDATA 2.2.4.3).
pub const MUID_STORE_WRAP: Guid =
    Guid::from_fields(0x10BBA138, 0xE505, 0x1A10, [0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2]);
/// Wrapped provider UID of a private mailbox store (MS-OXCDATA 2.2.4.3).
pub const STORE_PRIVATE_PROVIDER_UID: Guid =
    Guid([0x1B, 0x55, 0xFA, 0x20, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A]);
/// Wrapped provider UID of a public folder store (MS-OXCDATA 2.2.4.3).
pub const STORE_PUBLIC_PROVIDER_UID: Guid =
    Guid([0x1C, 0x83, 0x02, 0x10, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A]);
/// GUID_NSPI / muidEMSAB {C840A7DC-42C0-1A10-B4B9-08002B2FE182}: address book entry IDs
/// (MS-OXNSPI 2.2.9.3).
pub const GUID_NSPI: Guid =
    Guid::from_fields(0xC840A7DC, 0x42C0, 0x1A10, [0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82]);
/// MAPI_ONE_OFF_UID {A41F2B81-A3BE-1910-9D6E-00DD010F5402} (MS-OXCDATA 2.2.5.1).
pub const MAPI_ONE_OFF_UID: Guid =
    Guid::from_fields(0xA41F2B81, 0xA3BE, 0x1910, [0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02]);
/// muidContabDLL {0AAA42FE-C718-101A-E885-0B651C240000}: contact address book entries.
pub const MUID_CONTAB_DLL: Guid =
    Guid::from_fields(0x0AAA42FE, 0xC718, 0x101A, [0xE8, 0x85, 0x0B, 0x65, 0x1C, 0x24, 0x00, 0x00]);
/// pbLongTermNonPrivateGuid {9073441A-66AA-CD11-9BC8-00AA002FC45A}.
pub const LONG_TERM_NON_PRIVATE_GUID: Guid =
    Guid::from_fields(0x9073441A, 0x66AA, 0xCD11, [0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A]);
/// pbExchangeProviderPrimaryUserGuid {C0A19454-7F29-1B10-A587-08002B2A2517} (PR_MDB_PROVIDER of a
/// private mailbox).
pub const EXCHANGE_PROVIDER_PRIMARY_USER_GUID: Guid =
    Guid::from_fields(0xC0A19454, 0x7F29, 0x1B10, [0xA5, 0x87, 0x08, 0x00, 0x2B, 0x2A, 0x25, 0x17]);
/// pbExchangeProviderPublicGuid {70FAB278-F7AF-CD11-9BC8-00AA002FC45A} (PR_MDB_PROVIDER of the
/// public folder store).
pub const EXCHANGE_PROVIDER_PUBLIC_GUID: Guid =
    Guid::from_fields(0x70FAB278, 0xF7AF, 0xCD11, [0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A]);
/// MSPST_UID_PROVIDER {4154494E-BFF9-01B8-00AA-0037D96E0000} (mspst.h): PR_MDB_PROVIDER of a
/// Personal Folders store, and the wrapped provider UID of a PST store entry ID.
pub const MSPST_UID_PROVIDER: Guid =
    Guid([0x4E, 0x49, 0x54, 0x41, 0xF9, 0xBF, 0xB8, 0x01, 0x00, 0xAA, 0x00, 0x37, 0xD9, 0x6E, 0x00, 0x00]);
/// pbExchangeProviderDelegateGuid {0077B49E-E474-CE11-8C5E-00AA004254E2} (another user's mailbox).
pub const EXCHANGE_PROVIDER_DELEGATE_GUID: Guid =
    Guid::from_fields(0x0077B49E, 0xE474, 0xCE11, [0x8C, 0x5E, 0x00, 0xAA, 0x00, 0x42, 0x54, 0xE2]);

/// Names of the well-known GUIDs, for display.
pub const WELL_KNOWN: &[(Guid, &str)] = &[
    (PS_MAPI, "PS_MAPI"),
    (PS_PUBLIC_STRINGS, "PS_PUBLIC_STRINGS"),
    (PS_INTERNET_HEADERS, "PS_INTERNET_HEADERS"),
    (PSETID_APPOINTMENT, "PSETID_Appointment"),
    (PSETID_TASK, "PSETID_Task"),
    (PSETID_ADDRESS, "PSETID_Address"),
    (PSETID_COMMON, "PSETID_Common"),
    (PSETID_LOG, "PSETID_Log"),
    (PSETID_NOTE, "PSETID_Note"),
    (PSETID_SHARING, "PSETID_Sharing"),
    (PSETID_MEETING, "PSETID_Meeting"),
    (PSETID_REPORT, "PSETID_Report"),
    (PSETID_REMOTE, "PSETID_Remote"),
    (PSETID_POST_RSS, "PSETID_PostRss"),
    (PSETID_MESSAGING, "PSETID_Messaging"),
    (PSETID_UNIFIED_MESSAGING, "PSETID_UnifiedMessaging"),
    (PSETID_AIR_SYNC, "PSETID_AirSync"),
    (PSETID_CALENDAR_ASSISTANT, "PSETID_CalendarAssistant"),
    (PSETID_ATTACHMENT, "PSETID_Attachment"),
    (PSETID_XML_EXTRACTED_ENTITIES, "PSETID_XmlExtractedEntities"),
    (GLOBAL_PROFILE_SECTION_GUID, "pbGlobalProfileSectionGuid"),
    (MUID_STORE_WRAP, "muidStoreWrap"),
    (STORE_PRIVATE_PROVIDER_UID, "pbExchangeProviderPrivateStore"),
    (STORE_PUBLIC_PROVIDER_UID, "pbExchangeProviderPublicStore"),
    (GUID_NSPI, "GUID_NSPI"),
    (MAPI_ONE_OFF_UID, "MAPI_ONE_OFF_UID"),
    (MUID_CONTAB_DLL, "muidContabDLL"),
    (LONG_TERM_NON_PRIVATE_GUID, "pbLongTermNonPrivateGuid"),
    (EXCHANGE_PROVIDER_PRIMARY_USER_GUID, "pbExchangeProviderPrimaryUserGuid"),
    (EXCHANGE_PROVIDER_PUBLIC_GUID, "pbExchangeProviderPublicGuid"),
    (EXCHANGE_PROVIDER_DELEGATE_GUID, "pbExchangeProviderDelegateGuid"),
    (MSPST_UID_PROVIDER, "MSPST_UID_PROVIDER"),
];

/// The conventional name of a well-known GUID.
pub fn well_known_name(g: &Guid) -> Option<&'static str> {
    WELL_KNOWN.iter().find(|(k, _)| k == g).map(|(_, n)| *n)
}

/// The well-known GUID of a conventional name (`PSETID_Address`), case-insensitive.
pub fn well_known_by_name(name: &str) -> Option<Guid> {
    WELL_KNOWN.iter().find(|(_, n)| n.eq_ignore_ascii_case(name.trim())).map(|(g, _)| *g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_profile_section_wire_bytes() {
        assert_eq!(
            GLOBAL_PROFILE_SECTION_GUID.0,
            [0x13, 0xDB, 0xB0, 0xC8, 0xAA, 0x05, 0x10, 0x1A, 0x9B, 0xB0, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A]
        );
        assert_eq!(GLOBAL_PROFILE_SECTION_GUID.to_string(), "{C8B0DB13-05AA-1A10-9BB0-00AA002FC45A}");
    }

    #[test]
    fn provider_uids_match_documented_wire_bytes() {
        assert_eq!(&MUID_STORE_WRAP.0[..4], &[0x38, 0xA1, 0xBB, 0x10]);
        assert_eq!(&GUID_NSPI.0[..4], &[0xDC, 0xA7, 0x40, 0xC8]);
        assert_eq!(&MAPI_ONE_OFF_UID.0[..8], &[0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19]);
    }

    #[test]
    fn parse_and_print() {
        let g: Guid = "5778e1c3-5296-46ce-a353-b3e07f9b97bc".parse().unwrap();
        assert_eq!(g.to_string(), "{5778E1C3-5296-46CE-A353-B3E07F9B97BC}");
        assert_eq!(g.0[0], 0xC3);
        assert!("xyz".parse::<Guid>().is_err());
        assert!("{5778e1c3-5296-46ce-a353-b3e07f9b97b}".parse::<Guid>().is_err());
        let u = MapiUid::parse("13dbb0c8aa05101a9bb000aa002fc45a").unwrap();
        assert_eq!(u, MapiUid::from_guid(GLOBAL_PROFILE_SECTION_GUID));
    }

    /// The property-set GUIDs as MS-OXPROPS 1.3.2 ("Commonly used property sets") prints them.
    #[test]
    fn property_sets_match_ms_oxprops() {
        for (text, name) in [
            ("{00062004-0000-0000-C000-000000000046}", "PSETID_Address"),
            ("{00020386-0000-0000-C000-000000000046}", "PS_INTERNET_HEADERS"),
            ("{00020329-0000-0000-C000-000000000046}", "PS_PUBLIC_STRINGS"),
            ("{41F28F13-83F4-4114-A584-EEDB5A6B0BFF}", "PSETID_Messaging"),
            ("{4442858E-A9E3-4E80-B900-317A210CC15B}", "PSETID_UnifiedMessaging"),
            ("{71035549-0739-4DCB-9163-00F0580DBBDF}", "PSETID_AirSync"),
            ("{00062041-0000-0000-C000-000000000046}", "PSETID_PostRss"),
            ("{6ED8DA90-450B-101B-98DA-00AA003F1305}", "PSETID_Meeting"),
        ] {
            let g: Guid = text.parse().unwrap();
            assert_eq!(well_known_name(&g), Some(name), "{text}");
            assert_eq!(well_known_by_name(&name.to_ascii_lowercase()), Some(g));
        }
    }

    #[test]
    fn random_guids_differ() {
        assert_ne!(Guid::new_random(), Guid::new_random());
    }
}
