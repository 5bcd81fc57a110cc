//! The contents table of an address book container (IMAPITable over NSPI; MS-OXNSPI 3.1.4.1.8
//! QueryRows, 3.1.4.1.9 SeekEntries, 3.1.4.1.10 GetMatches, 3.1.4.1.5 UpdateStat).
//!
//! The table's position lives in the client's STAT: `CurrentRec` (a MId or
//! MID_BEGINNING_OF_TABLE / MID_END_OF_TABLE) and `Delta`, which the server applies and folds
//! into the STAT it returns. A restriction is evaluated once by GetMatches; the table then
//! pages through the matching MIds as an explicit table, keeping its position as an index.

use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::mapihttp::nspi::{
    AddressBookTaggedPropertyValue, ColumnsAndRows, MID_BEGINNING_OF_TABLE, MID_CURRENT, MID_END_OF_TABLE,
    Stat,
};

use super::link::{base_stat, nspi_error};
use crate::profile::MapiResult;
use crate::session::Session;
use crate::store::read_bound::ReadBound;
use crate::store::{Row, SeekOrigin};
use crate::transport::nspi::Called;
use crate::transport::{NspiClient, TransportError};

/// The columns a new contents table shows (those of the Outlook address book view that the
/// directory has).
pub const DEFAULT_COLUMNS: &[PropTag] = &[
    PR_DISPLAY_NAME,
    PR_SMTP_ADDRESS,
    PR_ACCOUNT,
    PR_EMAIL_ADDRESS,
    PR_ADDRTYPE,
    PR_DISPLAY_TYPE,
    PR_OBJECT_TYPE,
    PR_ENTRYID,
    PR_INSTANCE_KEY,
];

/// The most MIds a restriction may match (GetMatches `RowCount`); more is MAPI_E_TABLE_TOO_BIG.
pub const MAX_MATCHES: u32 = 1_000_000;

/// A contents table of an address book container.
pub struct AbTable {
    session: Session,
    columns: Vec<PropTag>,
    stat: Stat,
    /// After Restrict: the matching MIds in display-name order, and the index of the current
    /// row among them.
    restricted: Option<(Vec<u32>, usize)>,
    /// The bound on reading on from the current position (set by the first QueryRows after a
    /// move, from the STAT's `TotalRecs − NumPos`).
    bound: Option<ReadBound>,
}

fn rows_of(car: Option<ColumnsAndRows>, columns: &[PropTag]) -> Vec<Row> {
    let Some(car) = car else { return Vec::new() };
    let cols = if car.columns.is_empty() { columns.to_vec() } else { car.columns };
    car.row_data.into_iter().map(|r| Row { columns: cols.clone(), values: r.values }).collect()
}

/// The same place as `stat` by fractional position (`CurrentRec` MID_CURRENT with the `NumPos`
/// and `TotalRecs` the server last returned; MS-OXNSPI 3.1.4.5.3), for a STAT whose row has
/// left the table. `None` when the STAT is not on a row.
fn fractional(stat: Stat) -> Option<Stat> {
    match stat.current_rec {
        MID_BEGINNING_OF_TABLE | MID_CURRENT | MID_END_OF_TABLE => None,
        _ => Some(Stat { current_rec: MID_CURRENT, ..stat }),
    }
}

impl AbTable {
    /// Runs a call that positions by the STAT. The server answers MAPI_E_NOT_FOUND when the row
    /// the STAT is on has left the table (deleted or hidden since); the call is then repeated
    /// once at the same fractional position, so the table goes on from about where it was.
    fn positioned<T>(
        &self,
        name: &str,
        stat: Stat,
        f: impl AsyncFn(&mut NspiClient, Stat) -> Result<Called<T>, TransportError>,
    ) -> MapiResult<Called<T>> {
        let not_found = [codes::MAPI_E_NOT_FOUND];
        let c = self.session.with_ab(|l| l.call(name, &not_found, async |c| f(c, stat).await))?;
        if c.error_code != codes::MAPI_E_NOT_FOUND.0 {
            return Ok(c);
        }
        match fractional(stat) {
            Some(s) => self.session.with_ab(|l| l.call(name, &[], async |c| f(c, s).await)),
            None => Err(nspi_error(name, c.error_code)),
        }
    }

    pub(crate) fn open(session: &Session, container_id: u32) -> MapiResult<AbTable> {
        Ok(AbTable {
            session: session.clone(),
            columns: DEFAULT_COLUMNS.to_vec(),
            stat: base_stat(container_id),
            restricted: None,
            bound: None,
        })
    }

    /// IMAPITable::SetColumns. String columns should be PtypString (the `_W` tags): the
    /// server renders PtypString8 columns in the STAT's code page.
    pub fn set_columns(&mut self, columns: &[PropTag]) -> MapiResult<()> {
        if columns.is_empty() {
            return Err(MapiError::new(
                codes::MAPI_E_INVALID_PARAMETER,
                "SetColumns needs at least one column",
            ));
        }
        self.columns = columns.to_vec();
        Ok(())
    }

    /// The columns.
    pub fn columns(&self) -> &[PropTag] {
        &self.columns
    }

    /// IMAPITable::SortTable. Address book tables are kept in display-name order
    /// (SortTypeDisplayName); any other order is MAPI_E_TOO_COMPLEX, as on Exchange.
    pub fn sort_by_display_name(&mut self, descending: bool) -> MapiResult<()> {
        if descending {
            return Err(MapiError::new(
                codes::MAPI_E_TOO_COMPLEX,
                "address book tables sort by display name ascending only (MS-OXNSPI SortTypeDisplayName)",
            ));
        }
        Ok(())
    }

    /// IMAPITable::Restrict: `Some` keeps only the entries matching it (evaluated by the server
    /// through GetMatches; PR_ANR restrictions do ambiguous name resolution); `None` removes the
    /// restriction. The position moves to the beginning.
    pub fn restrict(&mut self, filter: Option<Restriction>) -> MapiResult<()> {
        self.bound = None;
        let Some(filter) = filter else {
            self.restricted = None;
            self.stat.current_rec = MID_BEGINNING_OF_TABLE;
            self.stat.delta = 0;
            return Ok(());
        };
        let stat = Stat { current_rec: MID_BEGINNING_OF_TABLE, delta: 0, ..self.stat };
        let c = self.session.with_ab(|l| {
            l.call("GetMatches", &[], async |c| c.get_matches(stat, filter.clone(), MAX_MATCHES, None).await)
        })?;
        if c.body.0.len() as u64 > u64::from(MAX_MATCHES) {
            return Err(MapiError::new(
                codes::MAPI_E_CORRUPT_DATA,
                format!(
                    "the server answered NSPI GetMatches with {} MIds, more than the {MAX_MATCHES} asked for",
                    c.body.0.len()
                ),
            ));
        }
        self.restricted = Some((c.body.0, 0));
        Ok(())
    }

    /// IMAPITable::GetRowCount.
    pub fn row_count(&mut self) -> MapiResult<u32> {
        if let Some((mids, _)) = &self.restricted {
            return Ok(mids.len() as u32);
        }
        let stat = self.stat;
        let c = self
            .session
            .with_ab(|l| l.call("UpdateStat", &[], async |c| c.update_stat(stat, false).await))?;
        Ok(c.body.0.map(|s| s.total_recs).unwrap_or(0))
    }

    /// IMAPITable::QueryRows: up to `count` rows from the current position, which moves past
    /// them. An empty result means the end of the table.
    ///
    /// Paging through the table is held to the server's own count ([`ReadBound`]): after the
    /// first page from a position, the rows still to come may not exceed the STAT's
    /// `TotalRecs − NumPos` (plus a margin), and each page must move `NumPos`; otherwise the read
    /// stops with MAPI_E_CORRUPT_DATA (a server that never ends the table).
    pub fn query_rows(&mut self, count: u32) -> MapiResult<Vec<Row>> {
        let columns = self.columns.clone();
        if let Some((mids, pos)) = &mut self.restricted {
            let end = mids.len().min(*pos + count as usize);
            let explicit = mids[*pos..end].to_vec();
            if explicit.is_empty() {
                return Ok(Vec::new());
            }
            let stat = self.stat;
            let n = explicit.len() as u32;
            let c = self.session.with_ab(|l| {
                l.call("QueryRows", &[], async |c| {
                    c.query_rows(stat, explicit.clone(), n, columns.clone()).await
                })
            })?;
            *pos = end;
            return Ok(rows_of(c.body.1, &columns));
        }
        let c = self.positioned("QueryRows", self.stat, async |c, s| {
            c.query_rows(s, Vec::new(), count, columns.clone()).await
        })?;
        let (new_stat, car) = c.body;
        let rows = rows_of(car, &columns);
        if rows.len() as u64 > u64::from(count) {
            return Err(MapiError::new(
                codes::MAPI_E_CORRUPT_DATA,
                format!(
                    "the server answered NSPI QueryRows with {} rows, more than the {count} asked for",
                    rows.len()
                ),
            ));
        }
        self.account(new_stat, rows.len() as u64)?;
        if let Some(s) = new_stat {
            self.stat = s;
        }
        Ok(rows)
    }

    /// Holds a page of `rows` rows that left the table at `stat` to the [`ReadBound`] (a page
    /// without a STAT did not move).
    fn account(&mut self, stat: Option<Stat>, rows: u64) -> MapiResult<()> {
        let position = stat.map(|s| u64::from(s.num_pos));
        match &mut self.bound {
            Some(b) => b.next(rows, position.unwrap_or(u64::MAX)),
            None => {
                let left = stat.map_or(0, |s| u64::from(s.total_recs.saturating_sub(s.num_pos)));
                self.bound = Some(ReadBound::new("NSPI QueryRows", left, position.unwrap_or(u64::MAX)));
                Ok(())
            }
        }
    }

    /// IMAPITable::SeekRow: moves `rows` from `origin`; returns how many rows it moved (fewer
    /// than asked at either end of the table).
    pub fn seek_row(&mut self, origin: SeekOrigin, rows: i32) -> MapiResult<i32> {
        self.bound = None;
        if let Some((mids, pos)) = &mut self.restricted {
            let from = match origin {
                SeekOrigin::Beginning => 0,
                SeekOrigin::Current => *pos as i64,
                SeekOrigin::End => mids.len() as i64,
            };
            let to = (from + i64::from(rows)).clamp(0, mids.len() as i64);
            *pos = to as usize;
            return Ok((to - from) as i32);
        }
        let mut stat = self.stat;
        match origin {
            SeekOrigin::Beginning => stat.current_rec = MID_BEGINNING_OF_TABLE,
            SeekOrigin::End => stat.current_rec = MID_END_OF_TABLE,
            SeekOrigin::Current => {}
        }
        stat.delta = stat.delta.saturating_add(rows);
        let c =
            self.session.with_ab(|l| l.call("UpdateStat", &[], async |c| c.update_stat(stat, true).await))?;
        let (new_stat, moved) = c.body;
        if let Some(s) = new_stat {
            self.stat = s;
        }
        Ok(moved.unwrap_or(rows))
    }

    /// IMAPITable::SeekRowApprox: to the row at `numerator / denominator` of the table.
    pub fn seek_row_approx(&mut self, numerator: u32, denominator: u32) -> MapiResult<()> {
        if denominator == 0 || numerator > denominator {
            return Err(MapiError::new(
                codes::MAPI_E_INVALID_PARAMETER,
                "SeekRowApprox needs 0 <= numerator <= denominator and a non-zero denominator",
            ));
        }
        let total = self.row_count()?;
        let target = (u64::from(total) * u64::from(numerator) / u64::from(denominator)) as i32;
        self.seek_row(SeekOrigin::Beginning, target).map(|_| ())
    }

    /// Positions the table at the first entry whose display name sorts at or after `prefix`
    /// (the address book's "type a name" box; IMAPITable::FindRow with a prefix restriction on
    /// PR_DISPLAY_NAME, sent as SeekEntries). Returns false when no entry is at or after it
    /// (the position is then the end of the table).
    pub fn seek_display_name(&mut self, prefix: &str) -> MapiResult<bool> {
        self.bound = None;
        let target = AddressBookTaggedPropertyValue::new(PR_DISPLAY_NAME, PropValue::Unicode(prefix.into()));
        let explicit = self.restricted.as_ref().map(|(m, _)| m.clone());
        let stat = Stat { current_rec: MID_BEGINNING_OF_TABLE, delta: 0, ..self.stat };
        let c = self.session.with_ab(|l| {
            l.call("SeekEntries", &[codes::MAPI_E_NOT_FOUND], async |c| {
                c.seek_entries(stat, target.clone(), explicit.clone(), Some(Vec::new())).await
            })
        })?;
        let found = c.error_code == 0;
        let new_stat = c.body.0;
        match (&mut self.restricted, new_stat) {
            (Some((mids, pos)), Some(s)) => {
                *pos = if found {
                    mids.iter().position(|&m| m == s.current_rec).unwrap_or(mids.len())
                } else {
                    mids.len()
                };
            }
            (Some((mids, pos)), None) => *pos = mids.len(),
            (None, Some(s)) if found => self.stat = s,
            (None, _) => {
                self.stat.current_rec = MID_END_OF_TABLE;
                self.stat.delta = 0;
            }
        }
        Ok(found)
    }
}
