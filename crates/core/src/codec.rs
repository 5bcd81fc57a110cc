//! Bounds-checked little-endian byte reader and writer shared by every codec.
//!
//! Every read checks the remaining input before it touches or allocates anything, so a
//! decoder built on [`Reader`] can only fail with a [`DecodeError`], never panic.

use crate::guid::Guid;
use crate::ids::ObjectId;

/// Why a byte structure could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended before the structure did.
    #[error("truncated input: needed {needed} more byte(s) at offset {offset} for {what}")]
    Truncated {
        /// Offset at which the read was attempted.
        offset: usize,
        /// Bytes that were missing.
        needed: usize,
        /// The field being read.
        what: &'static str,
    },
    /// A field holds a value the specification does not allow.
    #[error("invalid {what} at offset {offset}: {detail}")]
    Invalid {
        /// Offset of the offending field.
        offset: usize,
        /// The field.
        what: &'static str,
        /// What was wrong with it.
        detail: String,
    },
    /// A count or size exceeds the specification's limit or the remaining input.
    #[error("{what} at offset {offset} is too large: {value} (limit {limit})")]
    TooLarge {
        /// Offset of the count.
        offset: usize,
        /// The field.
        what: &'static str,
        /// The value read.
        value: u64,
        /// The largest acceptable value.
        limit: u64,
    },
    /// Bytes were left over after a structure that must fill its buffer.
    #[error("{count} unexpected trailing byte(s) at offset {offset} after {what}")]
    Trailing {
        /// Offset of the first extra byte.
        offset: usize,
        /// Number of extra bytes.
        count: usize,
        /// The structure that should have ended.
        what: &'static str,
    },
}

/// Result of a decode step.
pub type DecodeResult<T> = Result<T, DecodeError>;

/// A cursor over untrusted bytes. All integers are little-endian unless the method says otherwise.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// Current offset from the start of the buffer.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// True when every byte has been consumed.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The unconsumed bytes, without consuming them.
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    /// Fails with [`DecodeError::Trailing`] unless every byte was consumed.
    pub fn finish(&self, what: &'static str) -> DecodeResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::Trailing { offset: self.pos, count: self.remaining(), what })
        }
    }

    /// Builds an [`DecodeError::Invalid`] at the current offset.
    pub fn invalid(&self, what: &'static str, detail: impl Into<String>) -> DecodeError {
        DecodeError::Invalid { offset: self.pos, what, detail: detail.into() }
    }

    /// Takes `n` bytes.
    pub fn take(&mut self, n: usize, what: &'static str) -> DecodeResult<&'a [u8]> {
        if n > self.remaining() {
            return Err(DecodeError::Truncated { offset: self.pos, needed: n - self.remaining(), what });
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Takes every remaining byte.
    pub fn take_rest(&mut self) -> &'a [u8] {
        let s = &self.buf[self.pos..];
        self.pos = self.buf.len();
        s
    }

    /// Looks at the byte `ahead` positions past the cursor without consuming anything.
    pub fn peek_u8(&self, ahead: usize) -> Option<u8> {
        self.buf.get(self.pos + ahead).copied()
    }

    /// Takes a fixed-size array.
    pub fn array<const N: usize>(&mut self, what: &'static str) -> DecodeResult<[u8; N]> {
        let s = self.take(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    /// Reads a u8.
    pub fn u8(&mut self, what: &'static str) -> DecodeResult<u8> {
        Ok(self.array::<1>(what)?[0])
    }
    /// Reads a little-endian u16.
    pub fn u16(&mut self, what: &'static str) -> DecodeResult<u16> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }
    /// Reads a little-endian u32.
    pub fn u32(&mut self, what: &'static str) -> DecodeResult<u32> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }
    /// Reads a little-endian u64.
    pub fn u64(&mut self, what: &'static str) -> DecodeResult<u64> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }
    /// Reads a little-endian i16.
    pub fn i16(&mut self, what: &'static str) -> DecodeResult<i16> {
        Ok(i16::from_le_bytes(self.array(what)?))
    }
    /// Reads a little-endian i32.
    pub fn i32(&mut self, what: &'static str) -> DecodeResult<i32> {
        Ok(i32::from_le_bytes(self.array(what)?))
    }
    /// Reads a little-endian i64.
    pub fn i64(&mut self, what: &'static str) -> DecodeResult<i64> {
        Ok(i64::from_le_bytes(self.array(what)?))
    }
    /// Reads a little-endian IEEE single.
    pub fn f32(&mut self, what: &'static str) -> DecodeResult<f32> {
        Ok(f32::from_le_bytes(self.array(what)?))
    }
    /// Reads a little-endian IEEE double.
    pub fn f64(&mut self, what: &'static str) -> DecodeResult<f64> {
        Ok(f64::from_le_bytes(self.array(what)?))
    }
    /// Reads a GUID in its wire byte order (MS-DTYP 2.3.4.2).
    pub fn guid(&mut self, what: &'static str) -> DecodeResult<Guid> {
        Ok(Guid(self.array(what)?))
    }
    /// Reads an 8-byte FID/MID/CN (MS-OXCDATA 2.2.1.1).
    pub fn object_id(&mut self, what: &'static str) -> DecodeResult<ObjectId> {
        Ok(ObjectId::from_bytes(self.array(what)?))
    }

    /// Reads a count and checks that `count * min_element_size` bytes can still follow and
    /// that the count is within `limit`, so a hostile count never triggers a large allocation.
    pub fn check_count(
        &self,
        count: u64,
        min_element_size: usize,
        limit: u64,
        what: &'static str,
    ) -> DecodeResult<usize> {
        if count > limit {
            return Err(DecodeError::TooLarge { offset: self.pos, what, value: count, limit });
        }
        let need = count.saturating_mul(min_element_size as u64);
        if need > self.remaining() as u64 {
            return Err(DecodeError::Truncated {
                offset: self.pos,
                needed: (need - self.remaining() as u64).min(usize::MAX as u64) as usize,
                what,
            });
        }
        Ok(count as usize)
    }

    /// Reads a NUL-terminated 8-bit string; returns the bytes without the terminator.
    pub fn asciiz_bytes(&mut self, what: &'static str) -> DecodeResult<&'a [u8]> {
        let rest = self.rest();
        match rest.iter().position(|&b| b == 0) {
            Some(n) => {
                self.pos += n + 1;
                Ok(&rest[..n])
            }
            None => Err(DecodeError::Truncated { offset: self.buf.len(), needed: 1, what }),
        }
    }

    /// Reads a NUL-terminated 8-bit string and decodes it as Windows-1252 (ASCII-compatible).
    pub fn asciiz(&mut self, what: &'static str) -> DecodeResult<String> {
        Ok(crate::text::decode_cp1252(self.asciiz_bytes(what)?))
    }

    /// Reads a UTF-16LE string terminated by 0x0000. Unpaired surrogates become U+FFFD.
    pub fn utf16z(&mut self, what: &'static str) -> DecodeResult<String> {
        let rest = self.rest();
        let mut units = Vec::new();
        let mut i = 0;
        loop {
            if i + 2 > rest.len() {
                return Err(DecodeError::Truncated { offset: self.pos + i, needed: 2, what });
            }
            let u = u16::from_le_bytes([rest[i], rest[i + 1]]);
            i += 2;
            if u == 0 {
                break;
            }
            units.push(u);
        }
        self.pos += i;
        Ok(String::from_utf16_lossy(&units))
    }
}

/// A growable little-endian byte writer.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer { buf: Vec::new() }
    }
    /// An empty writer with capacity reserved.
    pub fn with_capacity(n: usize) -> Self {
        Writer { buf: Vec::with_capacity(n) }
    }
    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }
    /// True when nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
    /// The written bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf
    }
    /// Consumes the writer, returning its bytes.
    pub fn into_vec(self) -> Vec<u8> {
        self.buf
    }
    /// Appends raw bytes.
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    /// Writes a u8.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    /// Writes a little-endian u16.
    pub fn u16(&mut self, v: u16) {
        self.bytes(&v.to_le_bytes());
    }
    /// Writes a little-endian u32.
    pub fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }
    /// Writes a little-endian u64.
    pub fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    /// Writes a little-endian i16.
    pub fn i16(&mut self, v: i16) {
        self.bytes(&v.to_le_bytes());
    }
    /// Writes a little-endian i32.
    pub fn i32(&mut self, v: i32) {
        self.bytes(&v.to_le_bytes());
    }
    /// Writes a little-endian i64.
    pub fn i64(&mut self, v: i64) {
        self.bytes(&v.to_le_bytes());
    }
    /// Writes a little-endian IEEE single.
    pub fn f32(&mut self, v: f32) {
        self.bytes(&v.to_le_bytes());
    }
    /// Writes a little-endian IEEE double.
    pub fn f64(&mut self, v: f64) {
        self.bytes(&v.to_le_bytes());
    }
    /// Writes a GUID in wire byte order.
    pub fn guid(&mut self, g: &Guid) {
        self.bytes(&g.0);
    }
    /// Writes an 8-byte FID/MID/CN.
    pub fn object_id(&mut self, id: ObjectId) {
        self.bytes(&id.to_bytes());
    }
    /// Writes an 8-bit string (Windows-1252) followed by NUL (a NUL inside ends it).
    pub fn asciiz(&mut self, s: &str) {
        self.asciiz_bytes(&crate::text::encode_cp1252(s));
    }
    /// Writes raw 8-bit string bytes followed by NUL. A NUL inside ends the string there: a
    /// terminated string cannot carry one (MS-OXCDATA 2.11.1), and writing it would end the value
    /// early for the reader and misalign everything after it.
    pub fn asciiz_bytes(&mut self, s: &[u8]) {
        self.bytes(until_nul(s));
        self.u8(0);
    }
    /// Writes a UTF-16LE string followed by 0x0000; a NUL inside ends it (as [`Writer::asciiz_bytes`]).
    pub fn utf16z(&mut self, s: &str) {
        for u in s.encode_utf16().take_while(|u| *u != 0) {
            self.u16(u);
        }
        self.u16(0);
    }
    /// Reserves a u16 to be filled later with [`Writer::patch_u16`]; returns its offset.
    pub fn placeholder_u16(&mut self) -> usize {
        let at = self.len();
        self.u16(0);
        at
    }
    /// Reserves a u32 to be filled later with [`Writer::patch_u32`]; returns its offset.
    pub fn placeholder_u32(&mut self) -> usize {
        let at = self.len();
        self.u32(0);
        at
    }
    /// Overwrites the u16 at `at`.
    pub fn patch_u16(&mut self, at: usize, v: u16) {
        self.buf[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }
    /// Overwrites the u32 at `at`.
    pub fn patch_u32(&mut self, at: usize, v: u32) {
        self.buf[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
}

/// Byte length of `s` encoded as UTF-16LE with its terminator ([`Writer::utf16z`]).
pub fn utf16z_len(s: &str) -> usize {
    (s.encode_utf16().take_while(|u| *u != 0).count() + 1) * 2
}

/// The bytes of `s` before its first NUL.
fn until_nul(s: &[u8]) -> &[u8] {
    s.split(|b| *b == 0).next().unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_inside_a_terminated_string_ends_it() {
        let mut w = Writer::new();
        w.utf16z("ab\0cd");
        w.asciiz_bytes(b"xy\0z");
        w.u8(7);
        let b = w.into_vec();
        assert_eq!(b.len(), utf16z_len("ab\0cd") + 3 + 1);
        let mut r = Reader::new(&b);
        assert_eq!(r.utf16z("s").unwrap(), "ab");
        assert_eq!(r.asciiz_bytes("s").unwrap(), b"xy");
        assert_eq!(r.u8("next").unwrap(), 7, "what follows is where the reader expects it");
    }

    #[test]
    fn truncation_is_reported_not_panicking() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.u16("a").unwrap(), 0x0201);
        assert!(matches!(r.u32("b"), Err(DecodeError::Truncated { needed: 3, .. })));
        assert_eq!(r.u8("c").unwrap(), 3);
        assert!(r.finish("x").is_ok());
    }

    #[test]
    fn counts_are_checked_against_remaining_input() {
        let r = Reader::new(&[0; 8]);
        assert!(r.check_count(2, 4, 100, "n").is_ok());
        assert!(r.check_count(3, 4, 100, "n").is_err());
        assert!(r.check_count(101, 0, 100, "n").is_err());
    }

    #[test]
    fn strings_round_trip() {
        let mut w = Writer::new();
        w.utf16z("Grüße");
        w.asciiz("café");
        let v = w.into_vec();
        let mut r = Reader::new(&v);
        assert_eq!(r.utf16z("u").unwrap(), "Grüße");
        assert_eq!(r.asciiz("a").unwrap(), "café");
        assert!(r.is_empty());
        assert!(Reader::new(&[0x41, 0]).utf16z("odd").is_err());
        assert!(Reader::new(b"abc").asciiz("unterminated").is_err());
    }
}
