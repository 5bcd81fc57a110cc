//! Folder and message identifiers, global identifiers and long-term IDs (MS-OXCDATA 2.2.1).
//!
//! On the wire an 8-byte FID, MID or change number is `ReplicaId` (u16 little-endian) followed by
//! `GlobalCounter` (48 bits, **big-endian**). Tools print it as `RRRR-GGGGGGGGGGGG`.

use std::fmt;

use crate::guid::Guid;

/// Largest value of a 48-bit global counter.
pub const GLOBAL_COUNTER_MAX: u64 = (1 << 48) - 1;

/// A FID, MID or change number (MS-OXCDATA 2.2.1.1 Folder ID, 2.2.1.2 Message ID).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ObjectId {
    /// `ReplicaId`: the replica (store) that allocated the counter; 1 is the logon's own.
    pub replica_id: u16,
    /// `GlobalCounter`: 48-bit counter, unique within the replica.
    pub global_counter: u64,
}

/// A Folder ID (MS-OXCDATA 2.2.1.1).
pub type Fid = ObjectId;
/// A Message ID (MS-OXCDATA 2.2.1.2).
pub type Mid = ObjectId;
/// A change number (MS-OXCFXICS 2.2.2.1): same layout as a FID/MID.
pub type ChangeNumber = ObjectId;

impl ObjectId {
    /// The all-zero id (no object).
    pub const ZERO: ObjectId = ObjectId { replica_id: 0, global_counter: 0 };

    /// Builds an id; the counter is truncated to 48 bits.
    pub const fn new(replica_id: u16, global_counter: u64) -> ObjectId {
        ObjectId { replica_id, global_counter: global_counter & GLOBAL_COUNTER_MAX }
    }

    /// Decodes the 8 wire bytes.
    pub fn from_bytes(b: [u8; 8]) -> ObjectId {
        ObjectId {
            replica_id: u16::from_le_bytes([b[0], b[1]]),
            global_counter: counter_from_be(&[b[2], b[3], b[4], b[5], b[6], b[7]]),
        }
    }

    /// Encodes the 8 wire bytes.
    pub fn to_bytes(self) -> [u8; 8] {
        let r = self.replica_id.to_le_bytes();
        let g = counter_to_be(self.global_counter);
        [r[0], r[1], g[0], g[1], g[2], g[3], g[4], g[5]]
    }

    /// The id as the u64 read little-endian from its wire bytes (PtypInteger64 form used by
    /// PidTagFolderId / PidTagMid).
    pub fn to_u64(self) -> u64 {
        u64::from_le_bytes(self.to_bytes())
    }

    /// Inverse of [`ObjectId::to_u64`].
    pub fn from_u64(v: u64) -> ObjectId {
        ObjectId::from_bytes(v.to_le_bytes())
    }

    /// True for the zero id.
    pub fn is_zero(self) -> bool {
        self == ObjectId::ZERO
    }

    /// Parses `RRRR-GGGGGGGGGGGG` (hex).
    pub fn parse(s: &str) -> Option<ObjectId> {
        let (r, g) = s.trim().split_once('-')?;
        let replica_id = u16::from_str_radix(r, 16).ok()?;
        let global_counter = u64::from_str_radix(g, 16).ok()?;
        (global_counter <= GLOBAL_COUNTER_MAX).then_some(ObjectId { replica_id, global_counter })
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04x}-{:012x}", self.replica_id, self.global_counter)
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Reads a 6-byte big-endian global counter.
pub fn counter_from_be(b: &[u8; 6]) -> u64 {
    b.iter().fold(0u64, |acc, &x| (acc << 8) | x as u64)
}

/// Writes a 48-bit global counter as 6 big-endian bytes.
pub fn counter_to_be(v: u64) -> [u8; 6] {
    let b = (v & GLOBAL_COUNTER_MAX).to_be_bytes();
    [b[2], b[3], b[4], b[5], b[6], b[7]]
}

/// A Global Identifier: `DatabaseGuid` + `GlobalCounter` (MS-OXCDATA 2.2.1.3), 22 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct GlobalId {
    /// `DatabaseGuid`: the replica GUID.
    pub database_guid: Guid,
    /// `GlobalCounter` (48 bits).
    pub global_counter: u64,
}

impl GlobalId {
    /// Size on the wire.
    pub const SIZE: usize = 22;
    /// Encodes the 22 bytes.
    pub fn to_bytes(&self) -> [u8; 22] {
        let mut b = [0u8; 22];
        b[..16].copy_from_slice(&self.database_guid.0);
        b[16..].copy_from_slice(&counter_to_be(self.global_counter));
        b
    }
    /// Decodes 22 bytes.
    pub fn from_bytes(b: &[u8; 22]) -> GlobalId {
        let mut g = [0u8; 16];
        g.copy_from_slice(&b[..16]);
        let mut c = [0u8; 6];
        c.copy_from_slice(&b[16..]);
        GlobalId { database_guid: Guid(g), global_counter: counter_from_be(&c) }
    }
}

/// A LongTermId: `DatabaseGuid`, `GlobalCounter`, `Pad` (MS-OXCDATA 2.2.1.3.1), 24 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct LongTermId {
    /// `DatabaseGuid`.
    pub database_guid: Guid,
    /// `GlobalCounter` (48 bits).
    pub global_counter: u64,
    /// `Pad`: zero when written by a conforming peer; kept so decoding round-trips.
    pub pad: u16,
}

impl LongTermId {
    /// Size on the wire.
    pub const SIZE: usize = 24;
    /// Encodes the 24 bytes.
    pub fn to_bytes(&self) -> [u8; 24] {
        let mut b = [0u8; 24];
        b[..16].copy_from_slice(&self.database_guid.0);
        b[16..22].copy_from_slice(&counter_to_be(self.global_counter));
        b[22..].copy_from_slice(&self.pad.to_le_bytes());
        b
    }
    /// Decodes 24 bytes.
    pub fn from_bytes(b: &[u8; 24]) -> LongTermId {
        let mut g = [0u8; 16];
        g.copy_from_slice(&b[..16]);
        let mut c = [0u8; 6];
        c.copy_from_slice(&b[16..22]);
        LongTermId {
            database_guid: Guid(g),
            global_counter: counter_from_be(&c),
            pad: u16::from_le_bytes([b[22], b[23]]),
        }
    }
    /// The long-term form of `id` given the GUID its replica id maps to.
    pub fn from_object_id(id: ObjectId, database_guid: Guid) -> LongTermId {
        LongTermId { database_guid, global_counter: id.global_counter, pad: 0 }
    }
    /// The short-term form given the replica id the GUID maps to.
    pub fn to_object_id(&self, replica_id: u16) -> ObjectId {
        ObjectId::new(replica_id, self.global_counter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_matches_ms_oxcdata_example() {
        // MS-OXODLGT 4.1.1: Inbox 0001-00174ea8cda0 is `01 00 00 17 4e a8 cd a0`.
        let id = ObjectId::from_bytes([0x01, 0x00, 0x00, 0x17, 0x4e, 0xa8, 0xcd, 0xa0]);
        assert_eq!(id.to_string(), "0001-00174ea8cda0");
        assert_eq!(id.replica_id, 1);
        assert_eq!(id.global_counter, 0x00174ea8cda0);
        assert_eq!(ObjectId::parse("0001-00174ea8cda0"), Some(id));
        assert_eq!(ObjectId::from_u64(id.to_u64()), id);
    }

    #[test]
    fn long_term_id_round_trip() {
        let l = LongTermId { database_guid: Guid([7; 16]), global_counter: 0x0102_0304_0506, pad: 0 };
        let b = l.to_bytes();
        assert_eq!(&b[16..22], &[1, 2, 3, 4, 5, 6]);
        assert_eq!(LongTermId::from_bytes(&b), l);
        let g = GlobalId { database_guid: Guid([9; 16]), global_counter: 5 };
        assert_eq!(GlobalId::from_bytes(&g.to_bytes()), g);
    }
}
