//! What the allocation check ([`super::check_allocation`]) finds, typed: each
//! [`AllocationIssue`] knows its [`Severity`], and an [`AllocationReport`] keeps the problems
//! (a later write could overwrite data) apart from the notes (wasted room or a stale hint,
//! as files from Outlook and other writers have them). `oxmapi pst check` fails on problems
//! and lists notes.

use std::fmt;

use super::dlist::DListIssue;

/// How much an issue matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// A later write could overwrite data, or a reader may not find it: `pst check` fails.
    Problem,
    /// Room wasted or a hint out of date; nothing is endangered.
    Note,
}

/// A page or block the B-trees reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Structure {
    /// A node B-tree page, by page id.
    NbtPage(u64),
    /// A block B-tree page, by page id.
    BbtPage(u64),
    /// A block, by block id.
    Block(u64),
}

impl fmt::Display for Structure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Structure::NbtPage(bid) => write!(f, "node B-tree page {bid:#x}"),
            Structure::BbtPage(bid) => write!(f, "block B-tree page {bid:#x}"),
            Structure::Block(bid) => write!(f, "block {bid:#x}"),
        }
    }
}

/// One disagreement between the allocation (header, AMap, density list) and the B-trees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllocationIssue {
    /// `fAMapValid` is not 2: a writer stopped in the middle of a change.
    AMapNotValid { value: u8 },
    /// The file is shorter than `ibFileEof`.
    FileShorterThanHeader { size: u64, eof: u64 },
    /// `ibAMapLast` is not the last AMap page.
    WrongAMapLast { header: u64, last: u64 },
    /// A page or block lies outside the file or crosses an AMap region.
    Misplaced { what: Structure, ib: u64, len: u64 },
    /// A page or block overlaps another.
    Overlap { what: Structure, ib: u64, len: u64 },
    /// An AMap page is missing or is not an AMap page.
    AMapPageDamaged { ib: u64 },
    /// Bytes in use that the AMap marks free (a later allocation would overwrite them).
    InUseMarkedFree { bytes: u64 },
    /// Bytes the AMap marks used that hold no page or block (a leak).
    LeakedSpace { bytes: u64 },
    /// `cbAMapFree` is not what the AMap has free.
    FreeCountWrong { header: u64, amap: u64 },
    /// A B-tree page's trailer is wrong.
    PageTrailer { bid: u64, ib: u64 },
    /// A block's trailer is wrong.
    BlockTrailer { bid: u64, ib: u64 },
    /// A node's trees reach a block that is missing or unreadable.
    NodeUnreadable { nid: u32, why: String },
    /// Blocks in the block B-tree that no node references (a leak).
    UnreferencedBlocks { count: usize, bytes: u64 },
    /// The density list disagrees with the AMap or is damaged.
    DensityList(DListIssue),
}

impl AllocationIssue {
    /// Whether `pst check` fails on it: leaks, a stale free count and the density list (an
    /// optional hint readers rebuild, [MS-PST] 2.2.2.7.4) endanger nothing.
    pub fn severity(&self) -> Severity {
        match self {
            AllocationIssue::LeakedSpace { .. }
            | AllocationIssue::FreeCountWrong { .. }
            | AllocationIssue::UnreferencedBlocks { .. }
            | AllocationIssue::DensityList(_) => Severity::Note,
            _ => Severity::Problem,
        }
    }
}

impl fmt::Display for AllocationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use AllocationIssue as I;
        match self {
            I::AMapNotValid { value } => write!(
                f,
                "fAMapValid is {value}: the AMap is not trusted (a writer stopped in the middle of a change)"
            ),
            I::FileShorterThanHeader { size, eof } => {
                write!(f, "the file is {size} bytes, the header says {eof}")
            }
            I::WrongAMapLast { header, last } => {
                write!(f, "ibAMapLast is {header:#x}, the last AMap is at {last:#x}")
            }
            I::Misplaced { what, ib, len } => {
                write!(f, "{what} at {ib:#x} ({len} bytes) is outside the file or crosses an AMap region")
            }
            I::Overlap { what, ib, len } => {
                write!(f, "{what} at {ib:#x} ({len} bytes) overlaps another page or block")
            }
            I::AMapPageDamaged { ib } => write!(f, "the AMap page at {ib:#x} is missing or damaged"),
            I::InUseMarkedFree { bytes } => write!(f, "{bytes} bytes in use are marked free in the AMap"),
            I::LeakedSpace { bytes } => {
                write!(f, "{bytes} bytes are marked used in the AMap but hold no page or block (leaked)")
            }
            I::FreeCountWrong { header, amap } => {
                write!(f, "cbAMapFree is {header}, the AMap has {amap} bytes free")
            }
            I::PageTrailer { bid, ib } => {
                write!(f, "page {bid:#x} at {ib:#x}: its trailer (signature, CRC or id) is wrong")
            }
            I::BlockTrailer { bid, ib } => {
                write!(f, "block {bid:#x} at {ib:#x}: its trailer (size, signature, CRC or id) is wrong")
            }
            I::NodeUnreadable { nid, why } => write!(f, "node {nid:#x}: {why}"),
            I::UnreferencedBlocks { count, bytes } => {
                let s = if *count == 1 { "" } else { "s" };
                write!(
                    f,
                    "{count} block{s} ({bytes} bytes) in the block B-tree referenced by no node (leaked)"
                )
            }
            I::DensityList(d) => d.fmt(f),
        }
    }
}

/// What the allocation check found, sorted by severity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllocationReport {
    /// Issues that fail the check.
    pub problems: Vec<AllocationIssue>,
    /// Issues that are only reported.
    pub notes: Vec<AllocationIssue>,
}

impl AllocationReport {
    /// Files `issue` under its severity.
    pub fn push(&mut self, issue: AllocationIssue) {
        match issue.severity() {
            Severity::Problem => self.problems.push(issue),
            Severity::Note => self.notes.push(issue),
        }
    }

    /// Nothing found at all.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.notes.is_empty()
    }

    /// Every issue as a line: the problems, then the notes.
    pub fn lines(&self) -> Vec<String> {
        self.problems.iter().chain(&self.notes).map(ToString::to_string).collect()
    }

    /// The problems as lines.
    pub fn problem_lines(&self) -> Vec<String> {
        self.problems.iter().map(ToString::to_string).collect()
    }

    /// The notes as lines.
    pub fn note_lines(&self) -> Vec<String> {
        self.notes.iter().map(ToString::to_string).collect()
    }
}

/// Tests compare a report with the lines they expect (`assert_eq!(report, Vec::<String>::new())`).
#[cfg(test)]
impl PartialEq<Vec<String>> for AllocationReport {
    fn eq(&self, other: &Vec<String>) -> bool {
        &self.lines() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaks_stale_counts_and_the_density_list_are_notes_the_rest_problems() {
        let mut r = AllocationReport::default();
        r.push(AllocationIssue::LeakedSpace { bytes: 64 });
        r.push(AllocationIssue::FreeCountWrong { header: 1, amap: 2 });
        r.push(AllocationIssue::UnreferencedBlocks { count: 1, bytes: 64 });
        r.push(AllocationIssue::DensityList(DListIssue::OutOfOrder));
        assert!(r.problems.is_empty(), "{r:?}");
        for p in [
            AllocationIssue::AMapNotValid { value: 0 },
            AllocationIssue::InUseMarkedFree { bytes: 64 },
            AllocationIssue::Overlap { what: Structure::Block(4), ib: 0x4800, len: 64 },
            AllocationIssue::BlockTrailer { bid: 4, ib: 0x4800 },
            AllocationIssue::NodeUnreadable { nid: 0x21, why: "block 0x8 is not in the block B-tree".into() },
        ] {
            r.push(p);
        }
        assert_eq!((r.problems.len(), r.notes.len()), (5, 4));
        assert_eq!(
            r.notes[2].to_string(),
            "1 block (64 bytes) in the block B-tree referenced by no node (leaked)"
        );
        assert_eq!(
            r.problems[2].to_string(),
            "block 0x4 at 0x4800 (64 bytes) overlaps another page or block"
        );
        assert_eq!(r.lines().len(), 9);
        assert!(!r.is_clean());
    }
}
