//! The table methods over the GAL container (MS-OXNSPI 3.1.4.1.4 UpdateStat, 3.1.4.1.8
//! QueryRows, 3.1.4.1.9 SeekEntries, 3.1.4.1.10 GetMatches, 3.1.4.1.11 ResortRestriction) and STAT
//! positioning (3.1.4.5): absolute (CurrentRec is MID_BEGINNING_OF_TABLE, MID_END_OF_TABLE or a
//! row's MId) or fractional (CurrentRec is MID_CURRENT: NumPos / TotalRecs of the table), then
//! moved by Delta and clipped to the table. After a method, CurrentRec is the MId of the current
//! row (MID_END_OF_TABLE past the last row), NumPos its index, TotalRecs the row count and Delta
//! 0. A failing method leaves the STAT alone (it is not returned).

use std::sync::Arc;

use oxmapi_core::ErrorCode;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::{FL_IGNORECASE, FL_PREFIX, Restriction};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::User;
use oxmapi_store::directory::gal::{Gal, GalEntry, mid_of};
use oxmapi_wire::mapihttp::nspi::*;

use super::entry::{self, AbObject, Render};
use super::{Ctx, codepage};

/// The columns of QueryRows and SeekEntries when the request names none (MS-OXNSPI 3.1.4.1.8
/// constraint 8): container id, object type, display type, then display name, phone,
/// department and office as PtypString8.
pub const DEFAULT_COLUMNS: &[PropTag] = &[
    PR_EMS_AB_CONTAINERID,
    PR_OBJECT_TYPE,
    PR_DISPLAY_TYPE,
    PropTag::new(PR_DISPLAY_NAME.id(), PropType::String8),
    PropTag::new(PR_PRIMARY_TELEPHONE_NUMBER.id(), PropType::String8),
    PropTag::new(PR_DEPARTMENT_NAME.id(), PropType::String8),
    PropTag::new(PR_OFFICE_LOCATION.id(), PropType::String8),
];

/// ContainerID of the Global Address List, the one container (MS-OXNSPI 2.2.8).
pub const GAL_CONTAINER_ID: u32 = 0;

/// The GAL as one request sees it (shared with other requests until the directory changes).
pub struct Table {
    gal: Arc<Gal>,
}

impl Table {
    /// The GAL as the directory holds it now.
    pub fn load(cx: &Ctx<'_>) -> Result<Table, ErrorCode> {
        Ok(Table { gal: cx.gal()? })
    }

    /// The rows in table order.
    pub fn entries(&self) -> &[GalEntry] {
        self.gal.entries()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    /// The row index of an MId.
    pub fn position(&self, mid: u32) -> Option<usize> {
        self.gal.position(mid)
    }

    /// The GAL (for name resolution).
    pub fn gal(&self) -> &Gal {
        &self.gal
    }

    /// The user an MId names: a GAL row, or a hidden user this session may reach — one it
    /// looked up by exact legacy DN (NspiDNToMId), or the bound user. Any other MId of a hidden
    /// user names nothing, exactly like an MId no user has ([`super::revealed`]).
    pub fn user(&self, cx: &Ctx<'_>, mid: u32) -> Option<User> {
        if let Some(i) = self.position(mid) {
            return Some(self.entries()[i].user.clone());
        }
        if mid != mid_of(&cx.session.info.user) && !cx.session.revealed.contains(mid) {
            return None;
        }
        cx.directory().ok()?.user_by_mid(mid).ok().flatten()
    }
}

/// Refuses a STAT whose code page cannot carry the method's 8-bit strings.
pub fn check_code_page(stat: &Stat) -> Result<(), ErrorCode> {
    codepage::refusal(stat.code_page).map_or(Ok(()), Err)
}

/// The sort orders the table supports: by display name (also the _RO / _W forms); phonetic and
/// unknown sort types are GeneralFailure (MS-OXNSPI 3.1.4.1.9 constraints 9–10).
pub fn check_sort(stat: &Stat, display_name_only: bool) -> Result<(), ErrorCode> {
    match stat.sort_type {
        SORT_TYPE_DISPLAY_NAME => Ok(()),
        SORT_TYPE_DISPLAY_NAME_RO | SORT_TYPE_DISPLAY_NAME_W if !display_name_only => Ok(()),
        _ => Err(codes::MAPI_E_CALL_FAILED),
    }
}

/// The STAT must name the GAL, the only container (else InvalidBookmark).
pub fn check_container(stat: &Stat) -> Result<(), ErrorCode> {
    if stat.container_id == GAL_CONTAINER_ID { Ok(()) } else { Err(codes::MAPI_E_INVALID_BOOKMARK) }
}

/// The row a STAT's CurrentRec names before Delta is applied (MS-OXNSPI 3.1.4.5.1–3.1.4.5.2).
pub fn locate(table: &Table, stat: &Stat) -> Result<usize, ErrorCode> {
    let len = table.len();
    Ok(match stat.current_rec {
        MID_BEGINNING_OF_TABLE => 0,
        MID_END_OF_TABLE => len,
        MID_CURRENT => {
            if stat.total_recs == 0 {
                0
            } else {
                let p =
                    u64::from(stat.num_pos.min(stat.total_recs)) * len as u64 / u64::from(stat.total_recs);
                usize::try_from(p).unwrap_or(len).min(len)
            }
        }
        mid => table.position(mid).ok_or(codes::MAPI_E_NOT_FOUND)?,
    })
}

/// `pos` moved by `delta` rows, clipped to `0..=len`.
pub fn moved(pos: usize, delta: i32, len: usize) -> usize {
    let p = pos as i64 + i64::from(delta);
    p.clamp(0, len as i64) as usize
}

/// The STAT after a method left the table at row `pos`.
pub fn stat_at(stat: &Stat, table: &Table, pos: usize) -> Stat {
    let current_rec = table.entries().get(pos).map(|e| e.mid).unwrap_or(MID_END_OF_TABLE);
    Stat { current_rec, delta: 0, num_pos: pos as u32, total_recs: table.len() as u32, ..*stat }
}

fn rows(r: &Render<'_>, users: &[(u32, Option<User>)], columns: &[PropTag]) -> ColumnsAndRows {
    let row_data = users
        .iter()
        .map(|(mid, u)| entry::row(r, u.as_ref().map(|user| AbObject { mid: *mid, user }).as_ref(), columns))
        .collect();
    ColumnsAndRows { columns: columns.to_vec(), row_data }
}

fn gal_rows(r: &Render<'_>, entries: &[GalEntry], columns: &[PropTag]) -> ColumnsAndRows {
    let row_data = entries
        .iter()
        .map(|e| entry::row(r, Some(&AbObject { mid: e.mid, user: &e.user }), columns))
        .collect();
    ColumnsAndRows { columns: columns.to_vec(), row_data }
}

/// MS-OXNSPI 3.1.4.1.4 NspiUpdateStat: moves the STAT by its Delta; `Delta` in the response is
/// the number of rows actually moved.
pub fn update_stat(cx: &Ctx<'_>, q: &UpdateStatRequest) -> Result<UpdateStatSuccess, ErrorCode> {
    let stat = q.state.ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    check_code_page(&stat)?;
    check_sort(&stat, false)?;
    check_container(&stat)?;
    let table = Table::load(cx)?;
    let start = locate(&table, &stat)?;
    let pos = moved(start, stat.delta, table.len());
    Ok(UpdateStatSuccess {
        error_code: 0,
        state: Some(stat_at(&stat, &table, pos)),
        delta: q.delta_requested.then(|| (pos as i64 - start as i64) as i32),
        auxiliary_buffer: vec![],
    })
}

/// MS-OXNSPI 3.1.4.1.8 NspiQueryRows: rows of an explicit table (the MIds in order, unknown
/// ones as rows of NotFound cells; the STAT is returned unchanged), or up to RowCount rows from
/// the STAT's position, which moves past them.
pub fn query_rows(cx: &Ctx<'_>, q: &QueryRowsRequest) -> Result<QueryRowsSuccess, ErrorCode> {
    let stat = q.state.ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    check_code_page(&stat)?;
    if q.explicit_table.is_empty() && q.row_count == 0 {
        return Err(codes::MAPI_E_INVALID_PARAMETER);
    }
    let columns = q.columns.as_deref().unwrap_or(DEFAULT_COLUMNS);
    let render = cx.render(stat.code_page, q.flags & F_EPH_ID != 0);
    let table = Table::load(cx)?;
    if !q.explicit_table.is_empty() {
        let users: Vec<(u32, Option<User>)> =
            q.explicit_table.iter().map(|&m| (m, table.user(cx, m))).collect();
        return Ok(QueryRowsSuccess {
            error_code: 0,
            state: Some(stat),
            columns_and_rows: Some(rows(&render, &users, columns)),
            auxiliary_buffer: vec![],
        });
    }
    check_sort(&stat, false)?;
    check_container(&stat)?;
    let pos = moved(locate(&table, &stat)?, stat.delta, table.len());
    let end = pos + (q.row_count as usize).min(table.len() - pos);
    Ok(QueryRowsSuccess {
        error_code: 0,
        state: Some(stat_at(&stat, &table, end)),
        columns_and_rows: Some(gal_rows(&render, &table.entries()[pos..end], columns)),
        auxiliary_buffer: vec![],
    })
}

fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// The display-name order of objects (ResortRestriction, SeekEntries on an explicit table): by
/// display name ignoring case, then account name.
fn sort_by_name(users: &mut [(u32, User)]) {
    users.sort_by_cached_key(|(_, u)| (fold(&u.display_name), u.name.clone()));
}

/// MS-OXNSPI 3.1.4.1.9 NspiSeekEntries: positions on the first row whose display name is
/// greater than or equal to the target (ignoring case). On the GAL the found row is returned;
/// on an explicit table (sorted by display name) the rows from the found one to the end are.
pub fn seek_entries(cx: &Ctx<'_>, q: &SeekEntriesRequest) -> Result<SeekEntriesSuccess, ErrorCode> {
    let stat = q.state.ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    check_code_page(&stat)?;
    if q.reserved != 0 {
        return Err(codes::MAPI_E_INVALID_PARAMETER);
    }
    check_sort(&stat, true)?;
    let target = q.target.as_ref().ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    if target.tag.id() != PR_DISPLAY_NAME.id() {
        return Err(codes::MAPI_E_CALL_FAILED);
    }
    let key = match &target.value {
        Some(PropValue::Unicode(s)) => fold(s),
        Some(PropValue::String8(b)) => fold(&codepage::decode(b, stat.code_page)),
        _ => return Err(codes::MAPI_E_CALL_FAILED),
    };
    check_container(&stat)?;
    let columns = q.columns.as_deref().unwrap_or(DEFAULT_COLUMNS);
    let render = cx.render(stat.code_page, false);
    let table = Table::load(cx)?;
    if let Some(explicit) = &q.explicit_table {
        let mut users: Vec<(u32, User)> =
            explicit.iter().filter_map(|&m| table.user(cx, m).map(|u| (m, u))).collect();
        sort_by_name(&mut users);
        let i = users.partition_point(|(_, u)| fold(&u.display_name) < key);
        let Some((mid, _)) = users.get(i) else { return Err(codes::MAPI_E_NOT_FOUND) };
        let new_stat =
            Stat { current_rec: *mid, delta: 0, num_pos: i as u32, total_recs: users.len() as u32, ..stat };
        let found: Vec<(u32, Option<User>)> = users[i..].iter().map(|(m, u)| (*m, Some(u.clone()))).collect();
        return Ok(SeekEntriesSuccess {
            error_code: 0,
            state: Some(new_stat),
            columns_and_rows: Some(rows(&render, &found, columns)),
            auxiliary_buffer: vec![],
        });
    }
    let i = table.entries().partition_point(|e| fold(&e.user.display_name) < key);
    if i == table.len() {
        return Err(codes::MAPI_E_NOT_FOUND);
    }
    Ok(SeekEntriesSuccess {
        error_code: 0,
        state: Some(stat_at(&stat, &table, i)),
        columns_and_rows: Some(gal_rows(&render, &table.entries()[i..=i], columns)),
        auxiliary_buffer: vec![],
    })
}

/// A GetMatches filter made ready for the GAL's property bags: PtypString8 constants decoded
/// from the STAT's code page, and PR_ANR property restrictions turned into prefix matches over
/// the entries' ANR keys (display name and its words, account, SMTP address; MS-OXNSPI 3.1.4.7).
fn prepare_filter(r: &Restriction, cp: u32) -> Restriction {
    let text = |v: &TaggedValue| -> TaggedValue {
        let value = match &v.value {
            PropValue::String8(b) => PropValue::Unicode(codepage::decode(b, cp)),
            PropValue::MvString8(x) => {
                PropValue::MvUnicode(x.iter().map(|b| codepage::decode(b, cp)).collect())
            }
            other => other.clone(),
        };
        TaggedValue::new(v.tag, value)
    };
    match r {
        Restriction::And(v) => Restriction::And(v.iter().map(|x| prepare_filter(x, cp)).collect()),
        Restriction::Or(v) => Restriction::Or(v.iter().map(|x| prepare_filter(x, cp)).collect()),
        Restriction::Not(x) => Restriction::Not(Box::new(prepare_filter(x, cp))),
        Restriction::Property { prop_tag, value, .. } if prop_tag.id() == PR_ANR.id() => {
            Restriction::Content {
                fuzzy_level_low: FL_PREFIX,
                fuzzy_level_high: FL_IGNORECASE,
                prop_tag: PR_ANR.with_type(PropType::MultipleString),
                value: text(value),
            }
        }
        Restriction::Property { relop, prop_tag, value } => {
            Restriction::Property { relop: *relop, prop_tag: *prop_tag, value: text(value) }
        }
        Restriction::Content { fuzzy_level_low, fuzzy_level_high, prop_tag, value } => Restriction::Content {
            fuzzy_level_low: *fuzzy_level_low,
            fuzzy_level_high: *fuzzy_level_high,
            prop_tag: *prop_tag,
            value: text(value),
        },
        Restriction::Comment { values, restriction } => Restriction::Comment {
            values: values.clone(),
            restriction: restriction.as_ref().map(|x| Box::new(prepare_filter(x, cp))),
        },
        Restriction::Count { count, restriction } => {
            Restriction::Count { count: *count, restriction: Box::new(prepare_filter(restriction, cp)) }
        }
        other => other.clone(),
    }
}

/// MS-OXNSPI 3.1.4.1.10 NspiGetMatches: the MIds of the GAL rows that satisfy the filter (more
/// than RowCount is TableTooBig), with their rows when columns are asked for; the STAT then
/// describes that explicit table, positioned at its beginning. Without a filter the request
/// names a link attribute (ContainerID) of the object at CurrentRec: the directory holds no
/// link attributes, so the table is empty.
pub fn get_matches(cx: &Ctx<'_>, q: &GetMatchesRequest) -> Result<GetMatchesSuccess, ErrorCode> {
    let stat = q.state.ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    check_code_page(&stat)?;
    if q.reserved != 0 || q.property_name.is_some() {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    check_sort(&stat, false)?;
    let render = cx.render(stat.code_page, false);
    let table = Table::load(cx)?;
    let mids: Vec<u32> = match &q.filter {
        None => {
            table.user(cx, stat.current_rec).ok_or(codes::MAPI_E_INVALID_BOOKMARK)?;
            Vec::new()
        }
        Some(filter) => {
            check_container(&stat)?;
            let filter = prepare_filter(filter, stat.code_page);
            let mut out = Vec::new();
            for e in table.entries() {
                if filter.evaluate(&AbObject { mid: e.mid, user: &e.user }.bag(&render)) {
                    if out.len() as u64 >= u64::from(q.row_count) {
                        return Err(codes::MAPI_E_TABLE_TOO_BIG);
                    }
                    out.push(e.mid);
                }
            }
            out
        }
    };
    let columns_and_rows = q.columns.as_ref().map(|columns| {
        let users: Vec<(u32, Option<User>)> = mids.iter().map(|&m| (m, table.user(cx, m))).collect();
        rows(&render, &users, columns)
    });
    let new_stat = Stat {
        current_rec: MID_BEGINNING_OF_TABLE,
        delta: 0,
        num_pos: 0,
        total_recs: mids.len() as u32,
        ..stat
    };
    Ok(GetMatchesSuccess {
        error_code: 0,
        state: Some(new_stat),
        minimal_ids: Some(mids),
        columns_and_rows,
        auxiliary_buffer: vec![],
    })
}

/// MS-OXNSPI 3.1.4.1.11 NspiResortRestriction: the given MIds that name objects, sorted by
/// display name. The STAT keeps its CurrentRec when that is in the result (NumPos becomes its
/// index), else it moves to the beginning; TotalRecs is the result's size.
pub fn resort_restriction(
    cx: &Ctx<'_>,
    q: &ResortRestrictionRequest,
) -> Result<ResortRestrictionSuccess, ErrorCode> {
    let stat = q.state.ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    check_code_page(&stat)?;
    check_sort(&stat, false)?;
    let input = q.minimal_ids.as_ref().ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    let table = Table::load(cx)?;
    let mut seen = std::collections::HashSet::new();
    let mut users: Vec<(u32, User)> = Vec::with_capacity(input.len().min(table.len()));
    for &m in input {
        if seen.insert(m)
            && let Some(u) = table.user(cx, m)
        {
            users.push((m, u));
        }
    }
    sort_by_name(&mut users);
    let mids: Vec<u32> = users.into_iter().map(|(m, _)| m).collect();
    let new_stat = match mids.iter().position(|&m| m == stat.current_rec) {
        Some(i) => Stat { num_pos: i as u32, delta: 0, total_recs: mids.len() as u32, ..stat },
        None => Stat {
            current_rec: MID_BEGINNING_OF_TABLE,
            num_pos: 0,
            delta: 0,
            total_recs: mids.len() as u32,
            ..stat
        },
    };
    Ok(ResortRestrictionSuccess {
        error_code: 0,
        state: Some(new_stat),
        minimal_ids: Some(mids),
        auxiliary_buffer: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_clips_to_the_table() {
        assert_eq!(moved(5, -10, 20), 0);
        assert_eq!(moved(5, 10, 20), 15);
        assert_eq!(moved(5, 100, 20), 20);
        assert_eq!(moved(0, i32::MIN, 0), 0);
        assert_eq!(moved(20, i32::MAX, 20), 20);
    }
}
