//! Extended buffers: `RPC_HEADER_EXT` blocks (MS-OXCRPC 2.2.2.1) with their payloads, optionally
//! LZ77-compressed (MS-OXCRPC 3.1.4.1.1.2, see [`crate::lz77`]) and obfuscated with XorMagic
//! (MS-OXCRPC 3.1.4.1.1.3).
//!
//! A buffer holds one or more header+payload blocks back to back; every block but the last has
//! the Last flag clear. On send a payload is compressed first, then obfuscated; on receive it is
//! un-XORed first, then decompressed (MS-OXCRPC 3.1.4.1.1.1.1). Each block's flags stand on
//! their own (MS-OXCRPC 3.1.4.2.1.1.2).

use oxmapi_core::codec::{DecodeError, DecodeResult, Reader, Writer};

use crate::lz77;

/// Largest payload one block may carry, before compression and after decompression: 32 KB
/// (MS-OXCRPC 3.1.4.1.1, 3.1.4.2.1).
pub const MAX_PAYLOAD: usize = 0x8000;

/// The byte every payload byte is XORed with when the XorMagic flag is set (MS-OXCRPC
/// 3.1.4.1.1.3).
pub const XOR_MAGIC_BYTE: u8 = 0xA5;

/// MS-OXCRPC 2.2.2.1 `RPC_HEADER_EXT`: the 8-byte header in front of every extended-buffer
/// payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RpcHeaderExt {
    /// Version; must be 0x0000.
    pub version: u16,
    /// [`RpcHeaderExt::COMPRESSED`], [`RpcHeaderExt::XOR_MAGIC`], [`RpcHeaderExt::LAST`].
    pub flags: u16,
    /// Bytes of payload following the header, as transmitted (after compression and
    /// obfuscation).
    pub size: u16,
    /// Payload size after decompression; equals `size` when the payload is not compressed.
    pub size_actual: u16,
}

impl RpcHeaderExt {
    /// Encoded size of the header.
    pub const LEN: usize = 8;
    /// The only defined version.
    pub const VERSION: u16 = 0x0000;
    /// `Compressed`: the payload is LZ77-compressed (MS-OXCRPC 3.1.4.1.1.2).
    pub const COMPRESSED: u16 = 0x0001;
    /// `XorMagic`: every payload byte is XORed with 0xA5 (MS-OXCRPC 3.1.4.1.1.3).
    pub const XOR_MAGIC: u16 = 0x0002;
    /// `Last`: no further header follows in this buffer.
    pub const LAST: u16 = 0x0004;

    /// Reads the 8 header bytes. Does not validate them; see [`decode_blocks`].
    pub fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(RpcHeaderExt {
            version: r.u16("RPC_HEADER_EXT Version")?,
            flags: r.u16("RPC_HEADER_EXT Flags")?,
            size: r.u16("RPC_HEADER_EXT Size")?,
            size_actual: r.u16("RPC_HEADER_EXT SizeActual")?,
        })
    }

    /// Writes the 8 header bytes.
    pub fn encode(&self, w: &mut Writer) {
        w.u16(self.version);
        w.u16(self.flags);
        w.u16(self.size);
        w.u16(self.size_actual);
    }

    /// True when the Compressed flag is set.
    pub fn is_compressed(&self) -> bool {
        self.flags & Self::COMPRESSED != 0
    }
    /// True when the XorMagic flag is set.
    pub fn is_xor_magic(&self) -> bool {
        self.flags & Self::XOR_MAGIC != 0
    }
    /// True when the Last flag is set.
    pub fn is_last(&self) -> bool {
        self.flags & Self::LAST != 0
    }

    /// Names of the flags that are set (`Compressed`, `XorMagic`, `Last`, and `0x....` for
    /// undefined bits), for display.
    pub fn flag_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for (bit, name) in
            [(Self::COMPRESSED, "Compressed"), (Self::XOR_MAGIC, "XorMagic"), (Self::LAST, "Last")]
        {
            if self.flags & bit != 0 {
                names.push(name.to_string());
            }
        }
        let other = self.flags & !(Self::COMPRESSED | Self::XOR_MAGIC | Self::LAST);
        if other != 0 {
            names.push(format!("0x{other:04X}"));
        }
        names
    }
}

/// XORs every byte with [`XOR_MAGIC_BYTE`]; the same call obfuscates and de-obfuscates
/// (MS-OXCRPC 3.1.4.1.1.3).
pub fn xor_magic(buf: &mut [u8]) {
    for b in buf {
        *b ^= XOR_MAGIC_BYTE;
    }
}

/// One decoded block of an extended buffer: its header and its payload after un-XOR and
/// decompression (`payload.len() == header.size_actual`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The header as transmitted.
    pub header: RpcHeaderExt,
    /// The plain payload.
    pub payload: Vec<u8>,
}

/// Everything about one block, for display by an `inspect` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockDetails {
    /// Offset of the block's header in the buffer.
    pub offset: usize,
    /// The header as transmitted.
    pub header: RpcHeaderExt,
    /// The payload bytes as transmitted (possibly compressed and obfuscated).
    pub wire_payload: Vec<u8>,
    /// The plain payload (un-XORed and decompressed).
    pub payload: Vec<u8>,
}

/// The result of [`inspect_blocks`]: every block that decoded, and the error that stopped the
/// walk, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The blocks decoded before the end of the buffer or the error.
    pub blocks: Vec<BlockDetails>,
    /// Why decoding stopped early, if it did.
    pub error: Option<DecodeError>,
}

/// Decodes an extended buffer (MS-OXCRPC 2.2.2.1, 3.1.4.1.1): header+payload blocks until the one
/// with Last set; each payload is un-XORed, then decompressed.
///
/// Enforced per block: Version 0; Size not beyond the remaining input; SizeActual at most 32 KB
/// ([`MAX_PAYLOAD`]); Size == SizeActual when not compressed; a compressed payload decompresses
/// to exactly SizeActual bytes. The buffer must end right after the Last block; a buffer with no
/// Last block (including the empty buffer) is truncated. Undefined flag bits are ignored.
pub fn decode_blocks(buf: &[u8]) -> DecodeResult<Vec<Block>> {
    let mut r = Reader::new(buf);
    let mut blocks = Vec::new();
    loop {
        let (header, _, payload) = decode_one(&mut r)?;
        blocks.push(Block { header, payload });
        if header.is_last() {
            r.finish("RPC_HEADER_EXT block with Last set")?;
            return Ok(blocks);
        }
    }
}

/// Decodes like [`decode_blocks`] but keeps the transmitted payloads and offsets, and returns
/// the blocks decoded before an error together with the error.
pub fn inspect_blocks(buf: &[u8]) -> Inspection {
    let mut r = Reader::new(buf);
    let mut blocks = Vec::new();
    loop {
        let offset = r.position();
        match decode_one(&mut r) {
            Ok((header, wire, payload)) => {
                blocks.push(BlockDetails { offset, header, wire_payload: wire.to_vec(), payload });
                if header.is_last() {
                    let error = r.finish("RPC_HEADER_EXT block with Last set").err();
                    return Inspection { blocks, error };
                }
            }
            Err(e) => return Inspection { blocks, error: Some(e) },
        }
    }
}

/// Reads and checks one header, then its payload; returns the header, the transmitted payload
/// and the plain payload.
fn decode_one<'a>(r: &mut Reader<'a>) -> DecodeResult<(RpcHeaderExt, &'a [u8], Vec<u8>)> {
    let at = r.position();
    let h = RpcHeaderExt::decode(r)?;
    if h.version != RpcHeaderExt::VERSION {
        return Err(DecodeError::Invalid {
            offset: at,
            what: "RPC_HEADER_EXT Version",
            detail: format!("0x{:04X}, must be 0x0000", h.version),
        });
    }
    if usize::from(h.size_actual) > MAX_PAYLOAD {
        return Err(DecodeError::TooLarge {
            offset: at + 6,
            what: "RPC_HEADER_EXT SizeActual",
            value: u64::from(h.size_actual),
            limit: MAX_PAYLOAD as u64,
        });
    }
    if !h.is_compressed() && h.size != h.size_actual {
        return Err(DecodeError::Invalid {
            offset: at + 4,
            what: "RPC_HEADER_EXT Size",
            detail: format!(
                "Size {} differs from SizeActual {} in an uncompressed block",
                h.size, h.size_actual
            ),
        });
    }
    let payload_at = r.position();
    let wire = r.take(usize::from(h.size), "RPC_HEADER_EXT payload")?;
    let mut plain = wire.to_vec();
    if h.is_xor_magic() {
        xor_magic(&mut plain);
    }
    if h.is_compressed() {
        plain =
            lz77::decompress(&plain, usize::from(h.size_actual)).map_err(|e| shift_offset(e, payload_at))?;
    }
    Ok((h, wire, plain))
}

/// Makes an error's offset relative to the whole buffer instead of the payload.
fn shift_offset(e: DecodeError, by: usize) -> DecodeError {
    match e {
        DecodeError::Truncated { offset, needed, what } => {
            DecodeError::Truncated { offset: offset + by, needed, what }
        }
        DecodeError::Invalid { offset, what, detail } => {
            DecodeError::Invalid { offset: offset + by, what, detail }
        }
        DecodeError::TooLarge { offset, what, value, limit } => {
            DecodeError::TooLarge { offset: offset + by, what, value, limit }
        }
        DecodeError::Trailing { offset, count, what } => {
            DecodeError::Trailing { offset: offset + by, count, what }
        }
    }
}

/// Why a buffer could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The data exceeds a limit of the specification.
    #[error("{what} is too large: {len} bytes (limit {limit})")]
    TooLarge {
        /// What was being encoded.
        what: &'static str,
        /// Its size.
        len: usize,
        /// The largest acceptable size.
        limit: usize,
    },
}

/// How [`encode_block`] transforms a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncodeOptions {
    /// Compress with LZ77, kept only when the result is smaller than the payload.
    pub compress: bool,
    /// Obfuscate with XorMagic (after compression).
    pub xor: bool,
    /// Set the Last flag.
    pub last: bool,
}

/// Encodes one block: header + payload, compressing first (kept only when it makes the payload
/// smaller), then XORing (MS-OXCRPC 3.1.4.1.1.1.1). A payload over [`MAX_PAYLOAD`] is an error;
/// split it with [`encode_chain`] when the protocol allows packed blocks.
pub fn encode_block(payload: &[u8], opts: EncodeOptions) -> Result<Vec<u8>, EncodeError> {
    let mut w = Writer::with_capacity(RpcHeaderExt::LEN + payload.len());
    encode_block_into(&mut w, payload, opts)?;
    Ok(w.into_vec())
}

/// Encodes several payloads as consecutive blocks, each with the same compression and XOR
/// choice; only the last block has the Last flag. Every payload must fit [`MAX_PAYLOAD`]; an
/// empty list yields a single empty block with Last set.
pub fn encode_chain(payloads: &[&[u8]], compress: bool, xor: bool) -> Result<Vec<u8>, EncodeError> {
    let total: usize = payloads.iter().map(|p| p.len() + RpcHeaderExt::LEN).sum();
    let mut w = Writer::with_capacity(total.max(RpcHeaderExt::LEN));
    if payloads.is_empty() {
        encode_block_into(&mut w, &[], EncodeOptions { compress, xor, last: true })?;
    }
    for (i, p) in payloads.iter().enumerate() {
        let last = i + 1 == payloads.len();
        encode_block_into(&mut w, p, EncodeOptions { compress, xor, last })?;
    }
    Ok(w.into_vec())
}

fn encode_block_into(w: &mut Writer, payload: &[u8], opts: EncodeOptions) -> Result<(), EncodeError> {
    if payload.len() > MAX_PAYLOAD {
        return Err(EncodeError::TooLarge {
            what: "RPC_HEADER_EXT payload",
            len: payload.len(),
            limit: MAX_PAYLOAD,
        });
    }
    let mut flags = 0;
    let mut body = None;
    if opts.compress {
        let packed = lz77::compress(payload);
        if packed.len() < payload.len() {
            flags |= RpcHeaderExt::COMPRESSED;
            body = Some(packed);
        }
    }
    let mut body = body.unwrap_or_else(|| payload.to_vec());
    if opts.xor {
        flags |= RpcHeaderExt::XOR_MAGIC;
        xor_magic(&mut body);
    }
    if opts.last {
        flags |= RpcHeaderExt::LAST;
    }
    // Both sizes are at most MAX_PAYLOAD (0x8000), so they fit a u16.
    let header = RpcHeaderExt {
        version: RpcHeaderExt::VERSION,
        flags,
        size: body.len() as u16,
        size_actual: payload.len() as u16,
    };
    header.encode(w);
    w.bytes(&body);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace().map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
    }

    const D_XOR_PLAIN: &str = "00 00 04 00 10 00 10 00 08 00 01 00 00 01 00 01 6f 00 00 00 6e 00 00 00";
    const D_XOR_OBFUSCATED: &str = "00 00 06 00 10 00 10 00 ad a5 a4 a5 a5 a4 a5 a4 ca a5 a5 a5 cb a5 a5 a5";

    #[test]
    fn d_xor_both_directions() {
        let plain = hex(D_XOR_PLAIN);
        let obf = hex(D_XOR_OBFUSCATED);
        let payload = &plain[8..];
        let last = EncodeOptions { last: true, ..Default::default() };
        assert_eq!(encode_block(payload, last).unwrap(), plain);
        assert_eq!(encode_block(payload, EncodeOptions { xor: true, ..last }).unwrap(), obf);
        for buf in [&plain, &obf] {
            let blocks = decode_blocks(buf).unwrap();
            assert_eq!(blocks.len(), 1);
            assert_eq!(blocks[0].payload, payload);
        }
        assert_eq!(decode_blocks(&obf).unwrap()[0].header.flags, 0x0006);
    }

    #[test]
    fn d_comp_decodes_to_the_documented_payload() {
        let buf = hex(
            "00 00 05 00 29 00 69 00 2f 00 08 08 65 00 07 00 00 00 01 00 06 00 1f 00 37 18 00 1d 0e 1f 00 3d
             00 03 00 07 0e 40 00 06 58 00 1a 07 01 0f 2a 09 03",
        );
        let rop = hex(
            "07 00 00 00 00 01 00 06 00 1f 00 37 00 1f 00 1d 0e 1f 00 3d 00 03 00 07 0e 40 00 06 0e 1f 00 1a 00",
        );
        let expected = [hex("65 00"), rop.clone(), rop.clone(), rop, hex("00 00 00 00")].concat();
        let blocks = decode_blocks(&buf).unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].header, RpcHeaderExt { version: 0, flags: 5, size: 0x29, size_actual: 0x69 });
        assert_eq!(blocks[0].payload.len(), 105);
        assert_eq!(blocks[0].payload, expected);
        // Our encoder compresses it too, and the result decodes the same way.
        let ours = encode_block(&expected, EncodeOptions { compress: true, xor: true, last: true }).unwrap();
        assert!(ours.len() < 8 + 105);
        assert_eq!(decode_blocks(&ours).unwrap()[0].payload, expected);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(decode_blocks(&hex("00 00 05 00 ff ff ff ff 01 02")).is_err());
        assert!(decode_blocks(&[]).is_err());
        // Version must be 0.
        assert!(matches!(decode_blocks(&hex("01 00 04 00 00 00 00 00")), Err(DecodeError::Invalid { .. })));
        // Size != SizeActual when not compressed.
        assert!(decode_blocks(&hex("00 00 04 00 01 00 02 00 aa")).is_err());
        // SizeActual over 32 KB.
        assert!(matches!(decode_blocks(&hex("00 00 05 00 00 00 01 80")), Err(DecodeError::TooLarge { .. })));
        // Bytes after the Last block.
        assert!(matches!(
            decode_blocks(&hex("00 00 04 00 01 00 01 00 aa bb")),
            Err(DecodeError::Trailing { .. })
        ));
        // No Last block.
        assert!(matches!(
            decode_blocks(&hex("00 00 00 00 01 00 01 00 aa")),
            Err(DecodeError::Truncated { .. })
        ));
        // Compressed payload that does not produce SizeActual.
        assert!(decode_blocks(&hex("00 00 05 00 05 00 03 00 ff ff ff 7f 61")).is_err());
    }

    #[test]
    fn chains_and_inspection() {
        let a = vec![b'a'; 1000];
        let b = b"short".to_vec();
        let buf = encode_chain(&[&a, &b], true, false).unwrap();
        let blocks = decode_blocks(&buf).unwrap();
        assert_eq!(blocks.len(), 2);
        assert!(blocks[0].header.is_compressed() && !blocks[0].header.is_last());
        assert!(!blocks[1].header.is_compressed() && blocks[1].header.is_last());
        assert_eq!(blocks[0].payload, a);
        assert_eq!(blocks[1].payload, b);

        let ins = inspect_blocks(&buf);
        assert!(ins.error.is_none());
        assert_eq!(ins.blocks[1].offset, 8 + usize::from(blocks[0].header.size));
        assert_eq!(ins.blocks[0].header.flag_names(), ["Compressed"]);
        assert_eq!(ins.blocks[1].wire_payload, b);

        let mut broken = buf.clone();
        broken.truncate(buf.len() - 1);
        let ins = inspect_blocks(&broken);
        assert_eq!(ins.blocks.len(), 1);
        assert!(matches!(ins.error, Some(DecodeError::Truncated { .. })));

        assert!(encode_block(&vec![0; MAX_PAYLOAD + 1], EncodeOptions::default()).is_err());
        assert!(encode_block(&vec![0; MAX_PAYLOAD], EncodeOptions::default()).is_ok());
        let empty = encode_chain(&[], true, true).unwrap();
        assert_eq!(empty, hex("00 00 06 00 00 00 00 00"));
        assert_eq!(decode_blocks(&empty).unwrap()[0].payload, b"");
    }

    #[test]
    fn compression_is_kept_only_when_smaller() {
        let noise: Vec<u8> = (0..200u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let buf = encode_block(&noise, EncodeOptions { compress: true, xor: false, last: true }).unwrap();
        assert_eq!(buf[2], 0x04);
        assert_eq!(&buf[8..], &noise[..]);
    }

    fn payload() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..2000),
            proptest::collection::vec(0u8..4, 0..MAX_PAYLOAD + 1),
        ]
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(
            payloads in proptest::collection::vec(payload(), 1..4),
            compress in any::<bool>(),
            xor in any::<bool>(),
        ) {
            let refs: Vec<&[u8]> = payloads.iter().map(|p| p.as_slice()).collect();
            let buf = encode_chain(&refs, compress, xor).unwrap();
            let blocks = decode_blocks(&buf).unwrap();
            prop_assert_eq!(blocks.len(), payloads.len());
            for (i, (b, p)) in blocks.iter().zip(&payloads).enumerate() {
                prop_assert_eq!(&b.payload, p);
                prop_assert_eq!(b.header.is_last(), i + 1 == payloads.len());
                prop_assert_eq!(b.header.is_xor_magic(), xor);
                prop_assert!(!b.header.is_compressed() || compress);
            }
        }

        #[test]
        fn single_block_all_flag_combinations(p in payload(), flags in 0u8..8) {
            let opts = EncodeOptions { compress: flags & 1 != 0, xor: flags & 2 != 0, last: true };
            let buf = encode_block(&p, opts).unwrap();
            let blocks = decode_blocks(&buf).unwrap();
            prop_assert_eq!(&blocks[0].payload, &p);
            if flags & 4 == 0 {
                // Without Last the buffer is incomplete.
                let buf = encode_block(&p, EncodeOptions { last: false, ..opts }).unwrap();
                prop_assert!(decode_blocks(&buf).is_err());
            }
        }

        #[test]
        fn never_panics_on_garbage(buf in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode_blocks(&buf);
            let _ = inspect_blocks(&buf);
        }

        #[test]
        fn never_panics_on_mutated(p in payload(), flags in 0u8..4, at in any::<prop::sample::Index>(), v in any::<u8>(), cut in any::<prop::sample::Index>()) {
            let opts = EncodeOptions { compress: flags & 1 != 0, xor: flags & 2 != 0, last: true };
            let buf = encode_block(&p, opts).unwrap();
            let n = cut.index(buf.len());
            prop_assert!(decode_blocks(&buf[..n]).is_err());
            let mut buf = buf;
            let i = at.index(buf.len());
            buf[i] = v;
            let _ = decode_blocks(&buf);
        }
    }
}
