//! `AV_PAIR` lists (MS-NLMP 2.2.2.1): the `TargetInfo` of a CHALLENGE_MESSAGE and the
//! `AvPairs` of an `NTLMv2_CLIENT_CHALLENGE`.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};

use super::NtlmError;

/// `MsvAvEOL`: terminates the list.
pub const MSV_AV_EOL: u16 = 0x0000;
/// `MsvAvNbComputerName`: the server's NetBIOS computer name (UTF-16LE).
pub const MSV_AV_NB_COMPUTER_NAME: u16 = 0x0001;
/// `MsvAvNbDomainName`: the server's NetBIOS domain name (UTF-16LE).
pub const MSV_AV_NB_DOMAIN_NAME: u16 = 0x0002;
/// `MsvAvDnsComputerName`: the computer's FQDN (UTF-16LE).
pub const MSV_AV_DNS_COMPUTER_NAME: u16 = 0x0003;
/// `MsvAvDnsDomainName`: the domain's FQDN (UTF-16LE).
pub const MSV_AV_DNS_DOMAIN_NAME: u16 = 0x0004;
/// `MsvAvDnsTreeName`: the forest's FQDN (UTF-16LE).
pub const MSV_AV_DNS_TREE_NAME: u16 = 0x0005;
/// `MsvAvFlags`: a 32-bit flag word, see [`MSV_AV_FLAG_MIC_PRESENT`].
pub const MSV_AV_FLAGS: u16 = 0x0006;
/// `MsvAvTimestamp`: a FILETIME, the server's local time.
pub const MSV_AV_TIMESTAMP: u16 = 0x0007;
/// `MsvAvSingleHost`: a `Single_Host_Data` structure (2.2.2.2).
pub const MSV_AV_SINGLE_HOST: u16 = 0x0008;
/// `MsvAvTargetName`: the SPN of the target server (UTF-16LE).
pub const MSV_AV_TARGET_NAME: u16 = 0x0009;
/// `MsvAvChannelBindings`: MD5 hash of the channel bindings.
pub const MSV_AV_CHANNEL_BINDINGS: u16 = 0x000A;

/// `MsvAvFlags` bit 0x1: the account authentication is constrained.
pub const MSV_AV_FLAG_CONSTRAINED: u32 = 0x0000_0001;
/// `MsvAvFlags` bit 0x2: the AUTHENTICATE_MESSAGE carries a `MIC`.
pub const MSV_AV_FLAG_MIC_PRESENT: u32 = 0x0000_0002;
/// `MsvAvFlags` bit 0x4: the `MsvAvTargetName` came from an untrusted source.
pub const MSV_AV_FLAG_UNTRUSTED_SPN: u32 = 0x0000_0004;

/// One `AV_PAIR`: `AvId`, `AvLen` (implied by `value`) and `Value`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AvPair {
    /// `AvId`; never [`MSV_AV_EOL`] inside an [`AvPairs`] list.
    pub av_id: u16,
    /// `Value`, `AvLen` bytes.
    pub value: Vec<u8>,
}

/// A list of `AV_PAIR`s without its terminating `MsvAvEOL`, in wire order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AvPairs(pub Vec<AvPair>);

impl AvPairs {
    /// Reads pairs up to and including `MsvAvEOL`; bytes after the terminator are left in the
    /// reader. A list that ends without `MsvAvEOL` is truncated.
    pub fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let mut pairs = Vec::new();
        loop {
            let av_id = r.u16("AV_PAIR AvId")?;
            let av_len = r.u16("AV_PAIR AvLen")?;
            if av_id == MSV_AV_EOL {
                return Ok(AvPairs(pairs));
            }
            let value = r.take(av_len as usize, "AV_PAIR Value")?.to_vec();
            pairs.push(AvPair { av_id, value });
        }
    }

    /// Decodes a whole `TargetInfo` buffer; an empty buffer is an empty list.
    pub fn decode_buffer(buf: &[u8]) -> DecodeResult<Self> {
        if buf.is_empty() {
            return Ok(AvPairs::default());
        }
        AvPairs::decode(&mut Reader::new(buf))
    }

    /// Writes the pairs followed by `MsvAvEOL`. Fails on an `MsvAvEOL` entry or a value
    /// longer than 65535 bytes.
    pub fn encode(&self, w: &mut Writer) -> Result<(), NtlmError> {
        for p in &self.0 {
            if p.av_id == MSV_AV_EOL {
                return Err(NtlmError::Unencodable("MsvAvEOL inside an AV_PAIR list"));
            }
            let len = u16::try_from(p.value.len())
                .map_err(|_| NtlmError::Unencodable("AV_PAIR Value longer than 65535 bytes"))?;
            w.u16(p.av_id);
            w.u16(len);
            w.bytes(&p.value);
        }
        w.u16(MSV_AV_EOL);
        w.u16(0);
        Ok(())
    }

    /// The encoded list with its terminator.
    pub fn to_bytes(&self) -> Result<Vec<u8>, NtlmError> {
        let mut w = Writer::new();
        self.encode(&mut w)?;
        Ok(w.into_vec())
    }

    /// The value of the first pair with `av_id`.
    pub fn get(&self, av_id: u16) -> Option<&[u8]> {
        self.0.iter().find(|p| p.av_id == av_id).map(|p| p.value.as_slice())
    }

    /// Replaces the value of the first pair with `av_id`, or appends the pair.
    pub fn set(&mut self, av_id: u16, value: Vec<u8>) {
        match self.0.iter_mut().find(|p| p.av_id == av_id) {
            Some(p) => p.value = value,
            None => self.0.push(AvPair { av_id, value }),
        }
    }

    /// Appends a UTF-16LE text pair (the names, `MsvAvTargetName`).
    pub fn push_text(&mut self, av_id: u16, text: &str) {
        self.0.push(AvPair { av_id, value: utf16le(text) });
    }

    /// A text pair decoded from UTF-16LE; unpaired surrogates become U+FFFD.
    pub fn text(&self, av_id: u16) -> Option<String> {
        let v = self.get(av_id)?;
        let units: Vec<u16> = v.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        Some(String::from_utf16_lossy(&units))
    }

    /// `MsvAvTimestamp`, if present and 8 bytes long.
    pub fn timestamp(&self) -> Option<u64> {
        Some(u64::from_le_bytes(self.get(MSV_AV_TIMESTAMP)?.try_into().ok()?))
    }

    /// `MsvAvFlags`, if present and 4 bytes long.
    pub fn flags(&self) -> Option<u32> {
        Some(u32::from_le_bytes(self.get(MSV_AV_FLAGS)?.try_into().ok()?))
    }
}

/// UTF-16LE bytes of `s` without terminator (the `UNICODE()` of MS-NLMP).
pub(crate) fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminator_is_required_and_trailing_bytes_are_left() {
        let mut r = Reader::new(&[2, 0, 2, 0, b'A', 0, 0, 0, 0, 0, 9, 9]);
        let l = AvPairs::decode(&mut r).unwrap();
        assert_eq!(l.text(MSV_AV_NB_DOMAIN_NAME).as_deref(), Some("A"));
        assert_eq!(r.rest(), &[9, 9]);
        assert!(AvPairs::decode_buffer(&[2, 0, 2, 0, b'A', 0]).is_err());
        assert!(AvPairs::decode_buffer(&[2, 0, 0xFF, 0xFF, 0]).is_err());
        assert_eq!(AvPairs::decode_buffer(&[]).unwrap(), AvPairs::default());
    }

    #[test]
    fn eol_entries_cannot_be_encoded() {
        let l = AvPairs(vec![AvPair { av_id: MSV_AV_EOL, value: vec![] }]);
        assert!(l.to_bytes().is_err());
    }
}
