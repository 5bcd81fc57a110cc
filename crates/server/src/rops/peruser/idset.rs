//! The serialized IDSET with REPLGUID (MS-OXCFXICS 2.2.2.4.2): a REPLGUID followed by a
//! GLOBSET (2.2.2.6) of change numbers, as RopReadPerUserInformation returns and
//! RopWritePerUserInformation takes it (MS-OXCSTOR 2.2.1.12–2.2.1.13). The server only checks
//! that a client's blob is well formed ("the server validates the accumulated data and
//! verifies that it is a properly formed serialized IDSET with REPLGUID", MS-OXCSTOR
//! 3.2.5.13.1) and keeps it as given.

/// GLOBSET commands (MS-OXCFXICS 2.2.2.6.1–2.2.2.6.5).
mod command {
    /// End: the last command.
    pub const END: u8 = 0x00;
    /// Bitmask: a starting byte and a mask of the 8 values after it, below a 5-byte stack.
    pub const BITMASK: u8 = 0x42;
    /// Pop: removes the bytes the last Push added.
    pub const POP: u8 = 0x50;
    /// Range: a low and a high value, each the bytes the stack lacks of six.
    pub const RANGE: u8 = 0x52;
}

/// Size of a GLOBCNT (MS-OXCFXICS 2.2.2.5).
const GLOBCNT: usize = 6;

/// True when `blob` is a REPLGUID followed by a well-formed GLOBSET ending in End with nothing
/// after it: pushes never take the common byte stack past six bytes, pops match pushes, a
/// Bitmask sits on a five-byte stack, a Range's low value is not above its high value.
pub fn is_well_formed(blob: &[u8]) -> bool {
    blob.len() > 16 && globset_len(&blob[16..]) == Some(blob.len() - 16)
}

/// The length of the GLOBSET at the start of `b`, or `None` when it is malformed.
fn globset_len(b: &[u8]) -> Option<usize> {
    // The sizes of the pushes on the stack (their sum is the stack's depth).
    let mut pushes: Vec<usize> = Vec::new();
    let mut at = 0usize;
    loop {
        let depth: usize = pushes.iter().sum();
        let op = *b.get(at)?;
        at += 1;
        match op {
            command::END => return pushes.is_empty().then_some(at),
            1..=6 => {
                let n = op as usize;
                if depth + n > GLOBCNT {
                    return None;
                }
                b.get(at..at + n)?;
                at += n;
                // A push that fills the stack is one whole GLOBCNT and leaves the stack as it was.
                if depth + n < GLOBCNT {
                    pushes.push(n);
                }
            }
            command::POP => {
                pushes.pop()?;
            }
            command::BITMASK => {
                if depth != GLOBCNT - 1 {
                    return None;
                }
                b.get(at..at + 2)?;
                at += 2;
            }
            command::RANGE => {
                let n = GLOBCNT.checked_sub(depth).filter(|n| *n > 0)?;
                let low = b.get(at..at + n)?;
                let high = b.get(at + n..at + 2 * n)?;
                if low > high {
                    return None;
                }
                at += 2 * n;
            }
            _ => return None,
        }
    }
}

/// A serialized IDSET with REPLGUID of the inclusive ranges of GLOBCNTs `ranges` (each as a
/// Range command on an empty stack; MS-OXCFXICS 2.2.2.6.4).
#[cfg(test)]
pub fn encode(repl_guid: &oxmapi_core::guid::Guid, ranges: &[(u64, u64)]) -> Vec<u8> {
    let mut out = repl_guid.0.to_vec();
    for &(low, high) in ranges {
        out.push(command::RANGE);
        out.extend_from_slice(&oxmapi_core::ids::counter_to_be(low));
        out.extend_from_slice(&oxmapi_core::ids::counter_to_be(high));
    }
    out.push(command::END);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::guid::Guid;

    #[test]
    fn encoded_sets_are_well_formed() {
        let g = Guid([7; 16]);
        assert!(is_well_formed(&encode(&g, &[])));
        assert!(is_well_formed(&encode(&g, &[(1, 1), (5, 9)])));
    }

    /// MS-OXCFXICS 4.4.1-like: push 4 common bytes, a Bitmask, a Range under a 5-byte stack,
    /// a push that completes a GLOBCNT, pop, End.
    #[test]
    fn pushes_bitmasks_and_ranges() {
        let mut b = vec![0x11; 16];
        b.extend([0x04, 0, 0, 0, 0]); // push 4
        b.extend([0x01, 0x12]); // push 1: depth 5
        b.extend([0x42, 0x01, 0x0F]); // bitmask
        b.extend([0x52, 0x20, 0x30]); // range of one byte each
        b.extend([0x01, 0x40]); // a whole GLOBCNT: stack stays at 5
        b.extend([0x50, 0x50, 0x00]); // pop, pop, end
        assert!(is_well_formed(&b));
    }

    /// The shape Microsoft's MS-OXCSTOR suite writes (Adapter/Helper/Structures/Globset.cs:
    /// whole-GLOBCNT Push commands, End last and nothing after it).
    #[test]
    fn six_byte_pushes_as_microsofts_suite_writes_them() {
        let mut b = vec![0x22; 16];
        for n in 1..=3u8 {
            b.extend([0x06, 0, 0, 0, 0, 0, n]);
        }
        b.push(0x00);
        assert!(is_well_formed(&b));
    }

    #[test]
    fn malformed_sets_are_refused() {
        let g = [0u8; 16];
        for tail in [
            &[][..],                                           // no End
            &[0x07, 0, 0, 0, 0, 0, 0, 0],                      // a 7-byte push
            &[0x50, 0x00],                                     // pop of an empty stack
            &[0x04, 1, 2, 3, 4, 0x00],                         // End with bytes on the stack
            &[0x42, 0x01, 0x01, 0x00],                         // bitmask on an empty stack
            &[0x52, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 1, 0x00], // low above high
            &[0x00, 0x00],                                     // bytes after End
            &[0x99, 0x00],                                     // unknown command
        ] {
            let mut b = g.to_vec();
            b.extend_from_slice(tail);
            assert!(!is_well_formed(&b), "{tail:x?}");
        }
        assert!(!is_well_formed(&[0x00; 10]), "shorter than a REPLGUID");
    }
}
