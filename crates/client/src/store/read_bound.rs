//! The bound on a table read that takes several responses. A server says whether more rows
//! follow (RopQueryRows `Origin`, MS-OXCTABL 2.2.2.1.3; NSPI simply keeps returning rows,
//! MS-OXNSPI 3.1.4.1.8), so a hostile or broken server could keep a reader going — and its
//! memory growing — for ever. The reader therefore holds the server to its own count: the rows
//! it said were left when the read began (RopQueryPosition's `Denominator − Numerator`, or the
//! NSPI STAT's `TotalRecs − NumPos`) plus [`TABLE_ROW_MARGIN`] for rows added meanwhile, and
//! each further response must move the position (the same position twice is no progress).

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;

use crate::profile::MapiResult;

/// Rows a read may return beyond the count the server reported when it began (rows added to the
/// table while it is read).
pub const TABLE_ROW_MARGIN: u64 = 1000;

/// The state of one bounded read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReadBound {
    /// What is read, for messages (`RopQueryRows`, `NSPI QueryRows`).
    what: &'static str,
    /// The rows the server reported left, plus the margin.
    allowed: u64,
    /// The rows read since the bound was set.
    read: u64,
    /// The position after the last response.
    position: u64,
}

impl ReadBound {
    /// A bound set after a response that left the position at `position` with `remaining`
    /// rows still to come, by the server's own account.
    pub fn new(what: &'static str, remaining: u64, position: u64) -> ReadBound {
        ReadBound { what, allowed: remaining.saturating_add(TABLE_ROW_MARGIN), read: 0, position }
    }

    /// Accounts for a further response of `rows` rows after which the position is `position`:
    /// MAPI_E_CORRUPT_DATA when it made no progress or the rows exceed the bound.
    pub fn next(&mut self, rows: u64, position: u64) -> MapiResult<()> {
        if rows > 0 && position == self.position {
            return Err(MapiError::new(
                codes::MAPI_E_CORRUPT_DATA,
                format!(
                    "the server answered {} with {rows} more rows but the table position stayed at {position}: \
                     it makes no progress, so the read stopped; the server is misbehaving — report it to its \
                     administrator",
                    self.what
                ),
            ));
        }
        self.read = self.read.saturating_add(rows);
        self.position = position;
        if self.read > self.allowed {
            return Err(MapiError::new(
                codes::MAPI_E_CORRUPT_DATA,
                format!(
                    "the server kept answering {} with rows: {} so far, more than the {} it reported left (with a \
                     margin of {TABLE_ROW_MARGIN} for rows added meanwhile), so the read stopped; the server is \
                     misbehaving, or the table grew very fast — read it again, or in pieces with a limit",
                    self.what,
                    self.read,
                    self.allowed - TABLE_ROW_MARGIN.min(self.allowed)
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_is_held_to_the_servers_count_and_to_progress() {
        let mut b = ReadBound::new("RopQueryRows", 10, 5);
        b.next(10, 15).unwrap();
        b.next(0, 15).unwrap();
        let e = b.next(3, 15).unwrap_err();
        assert!(e.message.contains("no progress"), "{e}");
        let mut b = ReadBound::new("RopQueryRows", 10, 0);
        for i in 1..=101 {
            b.next(10, i * 10).unwrap();
        }
        let e = b.next(10, 2000).unwrap_err();
        assert_eq!(e.code, codes::MAPI_E_CORRUPT_DATA);
        assert!(e.message.contains("more than the 10"), "{e}");
    }
}
