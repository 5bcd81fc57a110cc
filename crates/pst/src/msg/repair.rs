//! Repairs, on a copy, the two header-level defects of compound files ([MS-CFB]) in the wild
//! that the `cfb` crate refuses even when permissive, so that the MSG inside can still be read:
//!
//! - a directory entry whose name length ([MS-CFB] 2.6.1 Directory Entry Name Length) is over
//!   64 bytes or odd: set from the name's own NUL terminator (at most 31 characters);
//! - a FAT ([MS-CFB] 2.3) that allocates sectors past the end of the file (a truncated file):
//!   the file is padded with zero sectors up to the last allocated one, within the read budget;
//! - MiniFAT chains that cross-link or leave the mini stream (cut short);
//! - directory entries of no known object type (made unused), with a colour other than red or
//!   black (made black), or with sibling/child ids past MAXREGSID (made NOSTREAM).
//!
//! Used only when the file does not open as it is; everything else stays `cfb`'s job.

use super::limits::{READ_BUDGET_FACTOR, READ_BUDGET_SLACK};

const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const HEADER_DIFAT: usize = 109;
const FREESECT: u32 = 0xFFFF_FFFF;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const MAX_REGSECT: u32 = 0xFFFF_FFFA;
const DIR_ENTRY_LEN: usize = 128;
const MAX_REGSID: u32 = 0xFFFF_FFFA;
const NOSTREAM: u32 = 0xFFFF_FFFF;

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// A repaired copy of `bytes`, or `None` when it is not a compound file this can mend or
/// nothing needed mending.
pub fn repair(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.get(..8)? != SIGNATURE {
        return None;
    }
    let shift = u16::from_le_bytes(bytes.get(0x1E..0x20)?.try_into().ok()?);
    if shift != 9 && shift != 12 {
        return None;
    }
    let sector = 1usize << shift;
    let mut out = bytes.to_vec();
    let sectors_in_file = out.len().saturating_sub(sector) / sector;
    let fat = read_fat(&out, sector, sectors_in_file)?;
    let mut changed = false;

    // Pad a truncated file up to its last allocated sector.
    let needed = fat.iter().rposition(|&s| s != FREESECT).map_or(0, |i| i + 1);
    if needed > sectors_in_file {
        let len = (needed + 1) * sector;
        let budget =
            (bytes.len() as u64).saturating_mul(READ_BUDGET_FACTOR).saturating_add(READ_BUDGET_SLACK);
        if len as u64 > budget {
            return None;
        }
        out.resize(len, 0);
        changed = true;
    }

    // Mend the entries along the directory chain, then their tree.
    let mut next = u32_at(&out, 0x30)?;
    let mut visited = 0usize;
    let mut offsets = Vec::new();
    while next <= MAX_REGSECT && visited <= fat.len() {
        visited += 1;
        let start = (next as usize + 1) * sector;
        for e in (start..start + sector).step_by(DIR_ENTRY_LEN) {
            offsets.push(e);
            let Some(entry) = out.get_mut(e..e + DIR_ENTRY_LEN) else { break };
            if !matches!(entry[66], 0 | 1 | 2 | 5) {
                // Not a storage, stream or root: an unused entry (2.6.1 Object Type).
                entry.fill(0);
                entry[68..80].fill(0xFF);
                changed = true;
                continue;
            }
            if entry[67] > 1 {
                entry[67] = 1; // Color Flag: black (2.6.1); the red-black balance is not used.
                changed = true;
            }
            for at in [68, 72, 76] {
                let id = u32::from_le_bytes([entry[at], entry[at + 1], entry[at + 2], entry[at + 3]]);
                if id > MAX_REGSID && id != NOSTREAM {
                    entry[at..at + 4].fill(0xFF);
                    changed = true;
                }
            }
            let len = u16::from_le_bytes([entry[64], entry[65]]);
            if len > 64 || len % 2 != 0 {
                let chars =
                    (0..32).position(|i| entry[2 * i] == 0 && entry[2 * i + 1] == 0).unwrap_or(31).min(31);
                let fixed = ((chars + 1) * 2) as u16;
                entry[64..66].copy_from_slice(&fixed.to_le_bytes());
                entry[2 * chars] = 0;
                entry[2 * chars + 1] = 0;
                changed = true;
            }
        }
        next = *fat.get(next as usize).unwrap_or(&ENDOFCHAIN);
    }
    changed |= relink(&mut out, &offsets);
    changed |= mend_minifat(&mut out, &fat, sector, &offsets);
    changed.then_some(out)
}

/// Ends a MiniFAT chain ([MS-CFB] 2.5) where it points to a mini sector another chain already
/// reached, or past the mini stream: the second of two cross-linked streams is cut short.
fn mend_minifat(out: &mut [u8], fat: &[u32], sector: usize, offsets: &[usize]) -> bool {
    let Some(&root) = offsets.first().filter(|&&o| o + DIR_ENTRY_LEN <= out.len()) else { return false };
    let root_len = u64::from_le_bytes(out[root + 120..root + 128].try_into().unwrap_or([0; 8]));
    let mini_sectors = (root_len / 64) as usize;
    let mut places = Vec::new(); // byte offsets of the MiniFAT entries, in order
    let mut next = u32_at(out, 0x3C).unwrap_or(ENDOFCHAIN);
    let mut hops = 0;
    while next <= MAX_REGSECT && hops <= fat.len() {
        hops += 1;
        let start = (next as usize + 1) * sector;
        if start + sector > out.len() {
            break;
        }
        places.extend((start..start + sector).step_by(4));
        next = *fat.get(next as usize).unwrap_or(&ENDOFCHAIN);
    }
    places.truncate(mini_sectors);
    let mut pointed = vec![false; places.len()];
    let mut changed = false;
    for &at in &places {
        let to = u32_at(out, at).unwrap_or(ENDOFCHAIN);
        if to > MAX_REGSECT {
            continue;
        }
        if (to as usize) < pointed.len() && !pointed[to as usize] {
            pointed[to as usize] = true;
        } else {
            out[at..at + 4].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
            changed = true;
        }
    }
    changed
}

/// Rebuilds the directory tree ([MS-CFB] 2.6.4) from what is reachable in it: each storage's
/// children (found through the old sibling links, each entry once, unusable ones left out,
/// duplicate names dropped) are re-linked in name order as a chain of black right siblings,
/// which is a valid (if unbalanced) tree; unreached entries become unused. Returns whether
/// anything changed.
fn relink(out: &mut [u8], offsets: &[usize]) -> bool {
    let before: Vec<u8> =
        offsets.iter().filter_map(|&o| out.get(o..o + DIR_ENTRY_LEN)).flatten().copied().collect();
    let n = offsets.iter().filter(|&&o| o + DIR_ENTRY_LEN <= out.len()).count();
    let at = |i: u32| offsets.get(i as usize).copied().filter(|&o| o + DIR_ENTRY_LEN <= out.len());
    let field = |out: &[u8], o: usize, f: usize| {
        u32::from_le_bytes([out[o + f], out[o + f + 1], out[o + f + 2], out[o + f + 3]])
    };
    let name = |out: &[u8], o: usize| {
        let len = (u16::from_le_bytes([out[o + 64], out[o + 65]]) as usize / 2).saturating_sub(1).min(31);
        let units: Vec<u16> =
            (0..len).map(|i| u16::from_le_bytes([out[o + 2 * i], out[o + 2 * i + 1]])).collect();
        String::from_utf16_lossy(&units)
    };
    let mut seen = vec![false; n];
    let mut reached = vec![false; n];
    let Some(root) = at(0) else { return false };
    seen[0] = true;
    reached[0] = true;
    let mut storages = vec![root];
    // offset → (left, right, child), written once the whole tree is read.
    let mut links: std::collections::HashMap<usize, [u32; 3]> = std::collections::HashMap::new();
    links.insert(root, [NOSTREAM; 3]);
    while let Some(so) = storages.pop() {
        let mut children: Vec<(String, u32)> = Vec::new();
        let mut stack = vec![field(out, so, 76)];
        while let Some(id) = stack.pop() {
            let Some(o) = at(id).filter(|_| (id as usize) < n && !seen[id as usize]) else { continue };
            seen[id as usize] = true;
            stack.push(field(out, o, 68));
            stack.push(field(out, o, 72));
            let nm = name(out, o);
            let usable = matches!(out[o + 66], 1 | 2)
                && !nm.is_empty()
                && !nm.contains(['/', '\\', ':', '!'])
                && !children.iter().any(|(c, _)| c.eq_ignore_ascii_case(&nm));
            if !usable {
                continue;
            }
            reached[id as usize] = true;
            if out[o + 66] == 1 {
                storages.push(o);
            }
            children.push((nm, id));
        }
        children.sort_by(|a, b| {
            (a.0.encode_utf16().count(), a.0.to_uppercase())
                .cmp(&(b.0.encode_utf16().count(), b.0.to_uppercase()))
        });
        links.entry(so).or_insert([NOSTREAM; 3])[2] = children.first().map_or(NOSTREAM, |c| c.1);
        for (i, (_, id)) in children.iter().enumerate() {
            let Some(o) = at(*id) else { continue };
            let right = children.get(i + 1).map_or(NOSTREAM, |c| c.1);
            let l = links.entry(o).or_insert([NOSTREAM; 3]);
            l[0] = NOSTREAM;
            l[1] = right;
        }
    }
    for (o, [left, right, child]) in links {
        out[o + 68..o + 72].copy_from_slice(&left.to_le_bytes());
        out[o + 72..o + 76].copy_from_slice(&right.to_le_bytes());
        out[o + 76..o + 80].copy_from_slice(&child.to_le_bytes());
        out[o + 67] = 1;
    }
    for (i, &o) in offsets.iter().enumerate().take(n) {
        if !reached[i] && o + DIR_ENTRY_LEN <= out.len() {
            out[o..o + DIR_ENTRY_LEN].fill(0);
            out[o + 68..o + 80].fill(0xFF);
        }
    }
    let after: Vec<u8> =
        offsets.iter().filter_map(|&o| out.get(o..o + DIR_ENTRY_LEN)).flatten().copied().collect();
    before != after
}

/// The FAT: the sectors the header's DIFAT and the DIFAT chain list, concatenated.
fn read_fat(b: &[u8], sector: usize, sectors_in_file: usize) -> Option<Vec<u32>> {
    let mut fat_sectors: Vec<u32> = (0..HEADER_DIFAT).filter_map(|i| u32_at(b, 0x4C + 4 * i)).collect();
    let mut difat = u32_at(b, 0x44)?;
    let mut hops = 0;
    while difat <= MAX_REGSECT && hops < sectors_in_file {
        hops += 1;
        let start = (difat as usize + 1) * sector;
        let Some(s) = b.get(start..start + sector) else { break };
        let per = sector / 4 - 1;
        fat_sectors.extend((0..per).filter_map(|i| u32_at(s, 4 * i)));
        difat = u32_at(s, 4 * per)?;
    }
    let mut fat = Vec::new();
    for &fs in fat_sectors.iter().filter(|&&s| s <= MAX_REGSECT) {
        let start = (fs as usize + 1) * sector;
        let Some(s) = b.get(start..start + sector) else { continue };
        fat.extend(s.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
    }
    Some(fat)
}

#[cfg(test)]
mod tests {
    use oxmapi_core::bag::{PropBag, PropertyBag};
    use oxmapi_core::catalogue::tags::PR_SUBJECT;
    use oxmapi_core::value::PropValue;

    use crate::item::Message;
    use crate::msg::{ReadOptions, read_msg, write_msg};

    #[test]
    fn a_directory_entry_with_a_long_name_length_and_a_bad_colour_still_reads() {
        let mut m = Message::default();
        m.item.props = PropBag::new().with(PR_SUBJECT, PropValue::Unicode("mended".into()));
        let mut b = write_msg(&m).unwrap();
        let dir = (u32::from_le_bytes(b[0x30..0x34].try_into().unwrap()) as usize + 1) * 512;
        for e in 1..4 {
            b[dir + 128 * e + 64] = 70;
            b[dir + 128 * e + 67] = 95;
        }
        assert!(cfb::CompoundFile::open(std::io::Cursor::new(&b[..])).is_err(), "cfb refuses it as it is");
        let back = read_msg(&b, &ReadOptions::default()).unwrap();
        assert_eq!(back.item.props.get(PR_SUBJECT), Some(&PropValue::Unicode("mended".into())));
    }

    #[test]
    fn a_truncated_file_is_padded_within_the_budget() {
        let mut m = Message::default();
        m.item.props = PropBag::new().with(PR_SUBJECT, PropValue::Unicode("cut".into()));
        let b = write_msg(&m).unwrap();
        let cut = &b[..b.len() - 512];
        let _ = read_msg(cut, &ReadOptions::default()); // no panic, whatever it finds
    }
}
