//! MS-XCA 2.3/2.4 "Plain LZ77" compression, the compression of MS-OXCRPC 3.1.4.1.1.2
//! (LZ77 with the "DIRECT2" encoding of matches) used inside `RPC_HEADER_EXT` blocks.
//!
//! The format (protocol-facts §2.4) is a sequence of 32-bit little-endian flag words, each
//! followed by the elements it describes. Flag bits are consumed from the most-significant end:
//! a 0 bit is a literal byte, a 1 bit is a match encoded as a little-endian u16
//! `((distance - 1) << 3) | min(length - 3, 7)`, with longer lengths continued in a shared
//! nibble byte, one extra byte and finally a u16 (or, in MS-XCA only, a u32). The encoder marks
//! the end with a 1 flag bit after the last element and fills the rest of the last flag word with
//! 1 bits.
//!
//! [`compress`] is a greedy encoder with a hash-chain match finder (window 8192, minimum match 3)
//! whose output is byte-identical to the MS-XCA 3.1 examples; [`decompress`] decodes any
//! conforming stream into exactly the expected number of bytes and rejects everything else with
//! a [`DecodeError`].

use oxmapi_core::codec::{DecodeError, DecodeResult};

/// Largest match distance the format can express (13 bits of `distance - 1`), MS-XCA 2.3.
pub const WINDOW_SIZE: usize = 8192;
/// Shortest match the encoder emits; shorter repeats are literals (MS-OXCRPC 3.1.4.1.1.2.1).
pub const MIN_MATCH: usize = 3;
/// Longest match the encoder emits: the longest length the u16 length form can carry
/// (`length - 3` in a u16). Longer repeats are split into several matches, so the MS-XCA u32
/// length form is never produced (the decoder accepts it).
pub const MAX_MATCH: usize = 0xFFFF + MIN_MATCH;

/// Upper bound of [`compress`]'s output size for `input_len` bytes of input (all literals:
/// one 4-byte flag word per 32 elements, plus the word that carries the end marker).
pub fn max_compressed_len(input_len: usize) -> usize {
    input_len.saturating_add((input_len / 32 + 1).saturating_mul(4))
}

// ---------------------------------------------------------------------------------------------
// Decoder (MS-XCA 2.4)
// ---------------------------------------------------------------------------------------------

/// The decoder never reserves more than this up front, whatever `expected_size` says; the
/// output still grows to `expected_size` when the input really produces that much.
const MAX_PREALLOC: usize = 1 << 20;

/// Decodes an MS-XCA 2.4 Plain LZ77 stream (MS-OXCRPC 3.1.4.1.1.2) that must produce exactly
/// `expected_size` bytes (the `SizeActual` of the enclosing `RPC_HEADER_EXT`).
///
/// Decoding stops as soon as `expected_size` bytes have been produced; what remains of the
/// input must then be nothing, or — when the last element used the final bit of its flag word —
/// one more 4-byte flag word (the end-marker word a conforming encoder emits; its bits are not
/// checked, since some encoders fill it differently). It fails with a [`DecodeError`] when
///
/// - the input ends before `expected_size` bytes are produced (including a 1 flag bit, the
///   end marker, with nothing after it: MS-XCA's "decompression is complete" before the
///   expected size);
/// - a match reaches before the start of the output or would write past `expected_size`;
/// - an extended length is malformed (a u16/u32 length below 22, MS-XCA 2.4);
/// - bytes are left over after the stream.
///
/// At most `expected_size` bytes (capped at 1 MiB) are reserved before decoding; nothing here
/// panics, whatever the input.
pub fn decompress(input: &[u8], expected_size: usize) -> DecodeResult<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(expected_size.min(MAX_PREALLOC));
    let mut src = Source { input, pos: 0 };
    let mut flags: u32 = 0;
    let mut bits_left: u32 = 0;
    // Position of the byte whose high nibble is still unused (MS-XCA `LastLengthHalfByte`).
    let mut shared_nibble: Option<usize> = None;

    while out.len() < expected_size {
        if bits_left == 0 {
            flags = src.u32("LZ77 flag word")?;
            bits_left = 32;
        }
        // A run of 0 bits is a run of literals: copy them in one go.
        let window = (u64::from(flags) << (32 - bits_left)) as u32;
        let literals = window.leading_zeros().min(bits_left);
        if literals > 0 {
            let n = (literals as usize).min(expected_size - out.len());
            let run = src.bytes(n, "LZ77 literal")?;
            out.extend_from_slice(run);
            bits_left -= n as u32;
            continue;
        }
        bits_left -= 1;
        let meta_at = src.pos;
        let meta = src.u16("LZ77 match metadata")?;
        let distance = usize::from(meta >> 3) + 1;
        let mut length = usize::from(meta & 7);
        if length == 7 {
            let nibble = match shared_nibble.take() {
                None => {
                    let at = src.pos;
                    let b = src.u8("LZ77 shared length nibble")?;
                    shared_nibble = Some(at);
                    b & 0x0F
                }
                // The position was read successfully before, so it is inside the input.
                Some(at) => input.get(at).map_or(0, |b| b >> 4),
            };
            length = usize::from(nibble);
            if length == 15 {
                length = usize::from(src.u8("LZ77 length byte")?);
                if length == 255 {
                    let at = src.pos;
                    let mut full = u32::from(src.u16("LZ77 u16 length")?);
                    if full == 0 {
                        full = src.u32("LZ77 u32 length")?;
                    }
                    if full < 15 + 7 {
                        return Err(DecodeError::Invalid {
                            offset: at,
                            what: "LZ77 extended length",
                            detail: format!("length field {full} is below the minimum 22"),
                        });
                    }
                    length = usize::try_from(full - (15 + 7)).unwrap_or(usize::MAX);
                }
                length = length.saturating_add(15);
            }
            length = length.saturating_add(7);
        }
        length = length.saturating_add(MIN_MATCH);

        if distance > out.len() {
            return Err(DecodeError::Invalid {
                offset: meta_at,
                what: "LZ77 match distance",
                detail: format!(
                    "distance {distance} reaches before the start of the output ({} byte(s) so far)",
                    out.len()
                ),
            });
        }
        let room = expected_size - out.len();
        if length > room {
            return Err(DecodeError::TooLarge {
                offset: meta_at,
                what: "LZ77 match length",
                value: length as u64,
                limit: room as u64,
            });
        }
        copy_match(&mut out, distance, length);
    }

    let rest = input.len() - src.pos;
    if rest != 0 && !(bits_left == 0 && rest == 4) {
        return Err(DecodeError::Trailing { offset: src.pos, count: rest, what: "LZ77 stream" });
    }
    Ok(out)
}

/// Appends `length` bytes copied from `distance` bytes back, with the byte-by-byte semantics of
/// an overlapping copy (`distance < length` repeats the last `distance` bytes).
fn copy_match(out: &mut Vec<u8>, distance: usize, length: usize) {
    let start = out.len() - distance;
    if distance >= length {
        out.extend_from_within(start..start + length);
        return;
    }
    // The copied region is periodic with period `distance` from `start`, so every chunk taken
    // from `start` lands a whole number of periods later: the chunk can double each time.
    let mut left = length;
    while left > 0 {
        let n = (out.len() - start).min(left);
        out.extend_from_within(start..start + n);
        left -= n;
    }
}

/// Bounds-checked little-endian cursor used by the decoder.
struct Source<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Source<'a> {
    #[inline]
    fn take<const N: usize>(&mut self, what: &'static str) -> DecodeResult<[u8; N]> {
        match self.input.get(self.pos..self.pos + N) {
            Some(s) => {
                let mut a = [0u8; N];
                a.copy_from_slice(s);
                self.pos += N;
                Ok(a)
            }
            None => Err(DecodeError::Truncated {
                offset: self.pos,
                needed: self.pos + N - self.input.len(),
                what,
            }),
        }
    }
    #[inline]
    fn bytes(&mut self, n: usize, what: &'static str) -> DecodeResult<&'a [u8]> {
        match self.input.get(self.pos..self.pos + n) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(DecodeError::Truncated {
                offset: self.pos,
                needed: self.pos + n - self.input.len(),
                what,
            }),
        }
    }
    #[inline]
    fn u8(&mut self, what: &'static str) -> DecodeResult<u8> {
        Ok(self.take::<1>(what)?[0])
    }
    #[inline]
    fn u16(&mut self, what: &'static str) -> DecodeResult<u16> {
        Ok(u16::from_le_bytes(self.take(what)?))
    }
    #[inline]
    fn u32(&mut self, what: &'static str) -> DecodeResult<u32> {
        Ok(u32::from_le_bytes(self.take(what)?))
    }
}

// ---------------------------------------------------------------------------------------------
// Encoder (MS-XCA 2.3)
// ---------------------------------------------------------------------------------------------

/// Compresses `input` with MS-XCA 2.3 Plain LZ77 as MS-OXCRPC 3.1.4.1.1.2 uses it.
///
/// Greedy parsing: at each position the longest match (ties: the nearest) within the last
/// [`WINDOW_SIZE`] bytes is taken when it is at least [`MIN_MATCH`] long, else a literal.
/// Matches are found through hash chains over 4-byte prefixes plus a table of the latest
/// position of each 3-byte prefix; the chain walk is bounded (see `MAX_CHAIN`), so on inputs with
/// very many equal 4-byte prefixes the match taken can be shorter than the longest one. Flag words are written MSB-first; the end is marked with a 1
/// bit after the last element and the rest of the last flag word set to 1 (a whole extra
/// `0xFFFFFFFF` word when the last element filled a word). The empty input compresses to
/// `FF FF FF FF`.
pub fn compress(input: &[u8]) -> Vec<u8> {
    let n = input.len();
    let mut enc = FlagWriter::new(max_compressed_len(n));
    let mut finder = MatchFinder::new(n);
    // Last position at which a 3-byte prefix can be hashed.
    let hashable_end = n.saturating_sub(MIN_MATCH - 1);
    let mut pos = 0;
    while pos < n {
        if pos < hashable_end {
            let (length, distance) = finder.find_and_insert(input, pos);
            if length >= MIN_MATCH {
                enc.put_match(distance, length);
                let end = pos + length;
                for p in pos + 1..end.min(hashable_end) {
                    finder.insert(input, p);
                }
                pos = end;
                continue;
            }
        }
        enc.put_literal(input[pos]);
        pos += 1;
    }
    enc.finish()
}

/// Writes elements and their flag bits in the MS-XCA 2.3 layout.
struct FlagWriter {
    out: Vec<u8>,
    /// Flag bits collected so far in the current word (the newest in bit 0).
    flags: u32,
    /// Number of bits in `flags`.
    count: u32,
    /// Offset of the 4-byte slot reserved for the current flag word.
    slot: usize,
    /// Offset of a length byte whose high nibble is still free (MS-XCA `LastLengthHalfByte`).
    shared_nibble: Option<usize>,
}

impl FlagWriter {
    fn new(capacity: usize) -> Self {
        let mut out = Vec::with_capacity(capacity);
        out.extend_from_slice(&[0; 4]);
        FlagWriter { out, flags: 0, count: 0, slot: 0, shared_nibble: None }
    }

    #[inline]
    fn flag(&mut self, bit: u32) {
        self.flags = (self.flags << 1) | bit;
        self.count += 1;
        if self.count == 32 {
            self.out[self.slot..self.slot + 4].copy_from_slice(&self.flags.to_le_bytes());
            self.slot = self.out.len();
            self.out.extend_from_slice(&[0; 4]);
            self.flags = 0;
            self.count = 0;
        }
    }

    #[inline]
    fn put_literal(&mut self, b: u8) {
        self.out.push(b);
        self.flag(0);
    }

    /// Emits a match: metadata u16, then the shared nibble, extra byte and u16 of the DIRECT2
    /// length encoding as far as the length needs them (MS-OXCRPC 3.1.4.1.1.2.2).
    fn put_match(&mut self, distance: usize, length: usize) {
        debug_assert!((1..=WINDOW_SIZE).contains(&distance));
        debug_assert!((MIN_MATCH..=MAX_MATCH).contains(&length));
        let full = length - MIN_MATCH;
        let meta = (((distance - 1) << 3) | full.min(7)) as u16;
        self.out.extend_from_slice(&meta.to_le_bytes());
        if full >= 7 {
            let rest = full - 7;
            let nibble = rest.min(15) as u8;
            match self.shared_nibble.take() {
                None => {
                    self.shared_nibble = Some(self.out.len());
                    self.out.push(nibble);
                }
                Some(at) => self.out[at] |= nibble << 4,
            }
            if rest >= 15 {
                let rest = rest - 15;
                if rest < 255 {
                    self.out.push(rest as u8);
                } else {
                    self.out.push(255);
                    self.out.extend_from_slice(&(full as u16).to_le_bytes());
                }
            }
        }
        self.flag(1);
    }

    fn finish(mut self) -> Vec<u8> {
        let free = 32 - self.count;
        let word = ((u64::from(self.flags) << free) | ((1u64 << free) - 1)) as u32;
        self.out[self.slot..self.slot + 4].copy_from_slice(&word.to_le_bytes());
        self.out
    }
}

/// Most chain links followed per position. Bounds the encoder's work on inputs with very many
/// equal 4-byte prefixes (long chains, short matches).
const MAX_CHAIN: usize = 24;
/// A match this long ends the chain walk early (it is taken as is).
const GOOD_ENOUGH: usize = 258;

/// Match finder: hash chains over 4-byte prefixes find the matches of 4 bytes and more (every
/// candidate on a chain usually shares those 4 bytes, so the walk stays short); a table of the
/// latest position of each 3-byte prefix supplies 3-byte matches when no longer one exists.
/// Positions are stored plus one, so 0 means "none".
struct MatchFinder {
    head4: Vec<u32>,
    head3: Vec<u32>,
    prev: Vec<u32>,
    shift: u32,
    prev_mask: usize,
}

#[inline]
fn load32(input: &[u8], pos: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&input[pos..pos + 4]);
    u32::from_le_bytes(a)
}

#[inline]
fn load24(input: &[u8], pos: usize) -> u32 {
    u32::from(input[pos]) | u32::from(input[pos + 1]) << 8 | u32::from(input[pos + 2]) << 16
}

impl MatchFinder {
    fn new(input_len: usize) -> Self {
        // Table sizes follow the input so that small payloads (aux blocks) stay cheap.
        let bits = (usize::BITS - input_len.max(1).leading_zeros()).clamp(8, 15);
        let prev_len = input_len.max(1).next_power_of_two().min(WINDOW_SIZE);
        MatchFinder {
            head4: vec![0; 1 << bits],
            head3: vec![0; 1 << bits],
            prev: vec![0; prev_len],
            shift: 32 - bits,
            prev_mask: prev_len - 1,
        }
    }

    #[inline]
    fn hash4(&self, v: u32) -> usize {
        (v.wrapping_mul(0x9E37_79B1) >> self.shift) as usize
    }

    #[inline]
    fn hash3(&self, v: u32) -> usize {
        ((v & 0x00FF_FFFF).wrapping_mul(0x1E35_A7BD) >> self.shift) as usize
    }

    /// Records `pos` (which must have at least 3 bytes after it) without searching.
    #[inline]
    fn insert(&mut self, input: &[u8], pos: usize) {
        let link = pos as u32 + 1;
        if pos + 4 <= input.len() {
            let v = load32(input, pos);
            let h = self.hash4(v);
            self.prev[pos & self.prev_mask] = self.head4[h];
            self.head4[h] = link;
            let h3 = self.hash3(v);
            self.head3[h3] = link;
        } else {
            let h3 = self.hash3(load24(input, pos));
            self.head3[h3] = link;
        }
    }

    /// Longest match for `input[pos..]` as (length, distance), then records `pos`. A length
    /// below [`MIN_MATCH`] means no usable match. Requires `pos + 3 <= input.len()`.
    #[inline]
    fn find_and_insert(&mut self, input: &[u8], pos: usize) -> (usize, usize) {
        let max_len = (input.len() - pos).min(MAX_MATCH);
        let lowest = pos.saturating_sub(WINDOW_SIZE);
        let here = &input[pos..pos + max_len];
        let link_here = pos as u32 + 1;
        let mut best_len = MIN_MATCH;
        let mut best_dist = 0;
        let v = if pos + 4 <= input.len() {
            let v = load32(input, pos);
            let h = self.hash4(v);
            let mut link = self.head4[h] as usize;
            let mut budget = MAX_CHAIN;
            // Chains only hold earlier positions, newest first, so links strictly decrease.
            while link != 0 {
                let cand = link - 1;
                if cand < lowest {
                    break;
                }
                // Cheap rejection: the 4 bytes ending with the one that would make this
                // candidate better must match (best_len >= 3 and best_len < max_len here).
                if load32(input, cand + best_len - 3) == load32(here, best_len - 3) {
                    let len = common_prefix(&input[cand..cand + max_len], here);
                    if len > best_len {
                        best_len = len;
                        best_dist = pos - cand;
                        if len >= max_len || len >= GOOD_ENOUGH {
                            break;
                        }
                    }
                }
                budget -= 1;
                if budget == 0 {
                    break;
                }
                let next = self.prev[cand & self.prev_mask] as usize;
                if next >= link {
                    break;
                }
                link = next;
            }
            self.prev[pos & self.prev_mask] = self.head4[h];
            self.head4[h] = link_here;
            v
        } else {
            load24(input, pos)
        };
        let h3 = self.hash3(v);
        if best_dist == 0 {
            // No match of 4 or more: try the latest position with the same 3-byte prefix.
            let link = self.head3[h3] as usize;
            if link > lowest {
                let cand = link - 1;
                let len = common_prefix(&input[cand..cand + max_len], here);
                if len >= MIN_MATCH {
                    best_len = len;
                    best_dist = pos - cand;
                }
            }
        }
        self.head3[h3] = link_here;
        if best_dist == 0 { (0, 0) } else { (best_len, best_dist) }
    }
}

/// Length of the common prefix of two slices of equal length, compared 8 bytes at a time.
#[inline]
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut i = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let x = u64::from_le_bytes(x.try_into().unwrap_or([0; 8]));
        let y = u64::from_le_bytes(y.try_into().unwrap_or([0; 8]));
        let d = x ^ y;
        if d != 0 {
            return i + (d.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let n = a.len().min(b.len());
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests;
