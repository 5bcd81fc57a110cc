//! MS-OXNSPI: the address book name service provider interface, as carried by MAPI/HTTP
//! (MS-OXCMAPIHTTP 2.2.5). Ported from Microsoft's MS-OXNSPI suite
//! (ExchangeMAPI/Source/MS-OXNSPI/TestSuite: S01_ObtainGeneralInfo …).

use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::mapihttp::common::{Response, SuccessBody};
use oxmapi_wire::mapihttp::nspi::*;

use crate::case::{Case, CaseResult, Protocol, Verdict, code, ensure, eq, eq_code, fail, skip};
use crate::context::{Ctx, PR_DISPLAY_NAME_W, stat};
use crate::session::Nspi;

const P: Protocol = Protocol::OxNspi;

/// PidTagEntryId.
const PR_ENTRYID: PropTag = PropTag(0x0FFF_0102);
/// PidTagObjectType.
const PR_OBJECT_TYPE: PropTag = PropTag(0x0FFE_0003);
/// PidTagDisplayName as PtypString8.
const PR_DISPLAY_NAME_A: PropTag = PropTag(0x3001_001E);
/// PtypEmbeddedTable.
const PT_OBJECT: u16 = 0x000D;

/// The cases of this module.
pub const CASES: &[Case] = &[
    case(
        "oxnspi_bind_success",
        "MS-OXNSPI 3.1.4.1.1",
        &["MS-OXNSPI_R700", "MS-OXNSPI_R697", "MS-OXNSPI_R674"],
        bind_success,
    ),
    case(
        "oxnspi_bind_ignores_flags_other_than_anonymous",
        "MS-OXNSPI 3.1.4.1.1",
        &["MS-OXNSPI_R1668"],
        bind_flags_ignored,
    ),
    case(
        "oxnspi_unbind_success",
        "MS-OXNSPI 3.1.4.1.2",
        &["MS-OXNSPI_R712", "MS-OXNSPI_R701"],
        unbind_success,
    ),
    case(
        "oxnspi_unbind_ignores_reserved",
        "MS-OXNSPI 3.1.4.1.2",
        &["MS-OXNSPI_R1673"],
        unbind_reserved_ignored,
    ),
    case(
        "oxnspi_update_stat_beginning_of_table",
        "MS-OXNSPI 3.1.4.5.2",
        &["MS-OXNSPI_R542", "MS-OXNSPI_R800"],
        update_stat_beginning,
    ),
    case(
        "oxnspi_update_stat_total_recs_is_exact",
        "MS-OXNSPI 2.2.8",
        &["MS-OXNSPI_R333", "MS-OXNSPI_R798", "MS-OXNSPI_R332"],
        update_stat_total_recs,
    ),
    case(
        "oxnspi_update_stat_mid_current",
        "MS-OXNSPI 2.2.1.8",
        &["MS-OXNSPI_R1742", "MS-OXNSPI_R575"],
        update_stat_mid_current,
    ),
    case(
        "oxnspi_update_stat_end_of_table",
        "MS-OXNSPI 3.1.4.5.2",
        &["MS-OXNSPI_R1758"],
        update_stat_end_of_table,
    ),
    case(
        "oxnspi_update_stat_before_first_row",
        "MS-OXNSPI 3.1.4.5.2",
        &["MS-OXNSPI_R558", "MS-OXNSPI_R561", "MS-OXNSPI_R1744"],
        update_stat_before_first,
    ),
    case(
        "oxnspi_update_stat_after_last_row",
        "MS-OXNSPI 3.1.4.5.2",
        &["MS-OXNSPI_R1704"],
        update_stat_after_last,
    ),
    case(
        "oxnspi_update_stat_mid_current_past_the_end",
        "MS-OXNSPI 3.1.4.5.3",
        &["MS-OXNSPI_R1748", "MS-OXNSPI_R81", "MS-OXNSPI_R768"],
        update_stat_current_past_end,
    ),
    case(
        "oxnspi_update_stat_ignores_reserved",
        "MS-OXNSPI 3.1.4.1.4",
        &["MS-OXNSPI_R1676"],
        update_stat_reserved,
    ),
    case("oxnspi_update_stat_reports_delta", "MS-OXNSPI 3.1.4.1.4", &["MS-OXNSPI_R795"], update_stat_delta),
    case(
        "oxnspi_update_stat_no_delta_when_not_requested",
        "MS-OXNSPI 3.1.4.1.4",
        &["MS-OXNSPI_R1868"],
        update_stat_no_delta,
    ),
    case(
        "oxnspi_update_stat_positive_delta_moves_forward",
        "MS-OXNSPI 3.1.4.5.2",
        &["MS-OXNSPI_R549"],
        update_stat_forward,
    ),
    case(
        "oxnspi_update_stat_zero_delta_keeps_position",
        "MS-OXNSPI 3.1.4.5.2",
        &["MS-OXNSPI_R550"],
        update_stat_zero,
    ),
    case(
        "oxnspi_update_stat_negative_delta_moves_back",
        "MS-OXNSPI 3.1.4.5.2",
        &["MS-OXNSPI_R548"],
        update_stat_back,
    ),
    case(
        "oxnspi_query_columns_string8_by_default",
        "MS-OXNSPI 3.1.4.1.5",
        &["MS-OXNSPI_R822", "MS-OXNSPI_R116", "MS-OXNSPI_R827", "MS-OXNSPI_R802"],
        query_columns_default,
    ),
    case(
        "oxnspi_query_columns_unicode_proptypes",
        "MS-OXNSPI 3.1.4.1.5",
        &["MS-OXNSPI_R820", "MS-OXNSPI_R115"],
        query_columns_unicode,
    ),
    case(
        "oxnspi_get_prop_list_string8",
        "MS-OXNSPI 3.1.4.1.6",
        &["MS-OXNSPI_R858", "MS-OXNSPI_R852"],
        get_prop_list,
    ),
    case(
        "oxnspi_get_prop_list_ignores_other_flags",
        "MS-OXNSPI 3.1.4.1.6",
        &["MS-OXNSPI_R1924"],
        get_prop_list_flags,
    ),
    case(
        "oxnspi_get_prop_list_skip_objects",
        "MS-OXNSPI 3.1.4.1.6",
        &["MS-OXNSPI_R848", "MS-OXNSPI_R104"],
        get_prop_list_skip_objects,
    ),
    case(
        "oxnspi_get_special_table_hierarchy",
        "MS-OXNSPI 3.1.4.1.3",
        &["MS-OXNSPI_R743", "MS-OXNSPI_R765", "MS-OXNSPI_R767"],
        special_table_hierarchy,
    ),
    case(
        "oxnspi_get_special_table_unicode_strings",
        "MS-OXNSPI 3.1.4.1.3",
        &["MS-OXNSPI_R111", "MS-OXNSPI_R760", "MS-OXNSPI_R1966"],
        special_table_unicode,
    ),
    case(
        "oxnspi_get_special_table_string8_in_code_page",
        "MS-OXNSPI 3.1.4.1.3",
        &["MS-OXNSPI_R762"],
        special_table_string8,
    ),
    case(
        "oxnspi_get_special_table_templates_unknown_locale",
        "MS-OXNSPI 3.1.4.1.3",
        &["MS-OXNSPI_R757", "MS-OXNSPI_R758"],
        special_table_templates_unknown_locale,
    ),
    case(
        "oxnspi_resolve_names_resolved",
        "MS-OXNSPI 3.1.4.7",
        &["MS-OXNSPI_R90", "MS-OXNSPI_R622", "MS-OXNSPI_R1443", "MS-OXNSPI_R1394", "MS-OXNSPI_R1650"],
        resolve_resolved,
    ),
    case(
        "oxnspi_resolve_names_empty_string_unresolved",
        "MS-OXNSPI 3.1.4.7",
        &["MS-OXNSPI_R624"],
        resolve_empty,
    ),
    case(
        "oxnspi_resolve_names_unknown_unresolved",
        "MS-OXNSPI 3.1.4.7",
        &["MS-OXNSPI_R88", "MS-OXNSPI_R618"],
        resolve_unknown,
    ),
    case(
        "oxnspi_resolve_names_results_are_ann_mids",
        "MS-OXNSPI 3.1.4.7",
        &["MS-OXNSPI_R616"],
        resolve_results_are_mids,
    ),
    case(
        "oxnspi_resolve_names_rows",
        "MS-OXNSPI 3.1.4.1.17",
        &["MS-OXNSPI_R1343", "MS-OXNSPI_R1349", "MS-OXNSPI_R1430", "MS-OXNSPI_R1405"],
        resolve_rows,
    ),
    case(
        "oxnspi_dn_to_mid_known_dn",
        "MS-OXNSPI 3.1.4.1.13",
        &["MS-OXNSPI 3.1.4.1.13 (each DN maps to the Minimal Entry ID of its object)"],
        dn_to_mid_known,
    ),
    case(
        "oxnspi_dn_to_mid_unknown_dn",
        "MS-OXNSPI 3.1.4.1.13",
        &["MS-OXNSPI 3.1.4.1.13 (a DN that matches no object maps to 0)"],
        dn_to_mid_unknown,
    ),
    case("oxnspi_get_props_of_current_rec", "MS-OXNSPI 3.1.4.1.7", &["MS-OXNSPI_R905"], get_props_current),
    case("oxnspi_get_props_ephemeral_entry_id", "MS-OXNSPI 2.2.9.2", &["MS-OXNSPI_R105"], get_props_ephid),
    case(
        "oxnspi_get_props_permanent_entry_id",
        "MS-OXNSPI 2.2.9.3",
        &["MS-OXNSPI 2.2.9.3 (PermanentEntryID IDType 0x00 when fEphID is not set)"],
        get_props_permanent,
    ),
    case(
        "oxnspi_query_rows_explicit_table",
        "MS-OXNSPI 3.1.4.1.8",
        &["MS-OXNSPI 3.1.4.1.8 (rows of the explicit table, in its order)"],
        query_rows_explicit,
    ),
    case(
        "oxnspi_query_rows_advances_position",
        "MS-OXNSPI 3.1.4.1.8",
        &["MS-OXNSPI 3.1.4.1.8 (the returned STAT is positioned after the rows read)"],
        query_rows_advances,
    ),
    case(
        "oxnspi_compare_mids",
        "MS-OXNSPI 3.1.4.1.12",
        &["MS-OXNSPI 3.1.4.1.12 (negative, zero or positive by table position)"],
        compare_mids,
    ),
    case("oxnspi_seek_entries_positions_on_match", "MS-OXNSPI 3.1.4.1.9", &["MS-OXNSPI_R1050"], seek_entries),
    case(
        "oxnspi_get_matches_display_name_prefix",
        "MS-OXNSPI 3.1.4.1.10",
        &["MS-OXNSPI 3.1.4.1.10 (the MIds of the objects that satisfy the restriction)"],
        get_matches_prefix,
    ),
    case(
        "oxnspi_get_matches_returns_requested_columns",
        "MS-OXNSPI 3.1.4.1.10",
        &["MS-OXNSPI 3.1.4.1.10 (rows with the requested columns for the matching objects)"],
        get_matches_columns,
    ),
    case(
        "oxnspi_resort_restriction_sorts_by_display_name",
        "MS-OXNSPI 3.1.4.1.11",
        &["MS-OXNSPI 3.1.4.1.11 (the MIds come back in the STAT's sort order)"],
        resort_restriction,
    ),
];

crate::case_constructor!(P);

/// Binds `n` with `flags`; returns the Bind `ErrorCode` and the server GUID.
pub fn bind(n: &mut Nspi, flags: u32) -> Result<BindSuccess, Verdict> {
    let req = BindRequest { flags, state: Some(stat()), auxiliary_buffer: vec![] };
    let (reply, resp) = n.call::<BindSuccess>("Bind", &req.encode())?;
    match resp {
        Some(Response::Success(s)) => Ok(s),
        Some(Response::Failure(f)) => {
            Err(fail("a Bind success body", format!("StatusCode {}", code(f.status_code))))
        }
        None => Err(fail("Bind X-ResponseCode 0", reply.summary())),
    }
}

/// Unbinds `n` with `reserved`; returns the Unbind `ErrorCode`.
pub fn unbind(n: &mut Nspi, reserved: u32) -> Result<u32, Verdict> {
    let req = UnbindRequest { reserved, auxiliary_buffer: vec![] };
    let (reply, resp) = n.call::<UnbindSuccess>("Unbind", &req.encode())?;
    match resp {
        Some(Response::Success(s)) => Ok(s.error_code),
        Some(Response::Failure(f)) => {
            Err(fail("an Unbind success body", format!("StatusCode {}", code(f.status_code))))
        }
        None => Err(fail("Unbind X-ResponseCode 0", reply.summary())),
    }
}

fn bind_success(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    let b = bind(&mut n, 0)?;
    let _ = unbind(&mut n, 0);
    eq("Bind ErrorCode", 0, b.error_code)?;
    ensure(!b.server_guid.is_null(), "a ServerGuid associated with the server", "the null GUID")
}

fn bind_flags_ignored(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    let first = bind(&mut n, 0)?.error_code;
    let _ = unbind(&mut n, 0);
    let mut n = ctx.nspi_context();
    let second = bind(&mut n, 0x1)?.error_code;
    let _ = unbind(&mut n, 0);
    eq("Bind ErrorCode with dwFlags 0x1 (as with 0)", first, second)
}

fn unbind_success(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    bind(&mut n, 0)?;
    // MS-OXNSPI 2.2.2: UnbindSuccess is 1.
    eq("Unbind ErrorCode (UnbindSuccess)", 1, unbind(&mut n, 0)?)
}

fn unbind_reserved_ignored(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    bind(&mut n, 0)?;
    let first = unbind(&mut n, 0)?;
    let mut n = ctx.nspi_context();
    bind(&mut n, 0)?;
    let second = unbind(&mut n, 5)?;
    eq("Unbind ErrorCode with Reserved 5 (as with 0)", first, second)
}

/// One NSPI call on the shared bound session; anything but a success body fails the case.
pub(crate) fn call<T: SuccessBody>(ctx: &mut Ctx, request_type: &str, body: Vec<u8>) -> Result<T, Verdict> {
    let (reply, resp) = ctx.nspi()?.call::<T>(request_type, &body)?;
    match resp {
        Some(Response::Success(s)) => Ok(s),
        Some(Response::Failure(f)) => {
            Err(fail(format!("a {request_type} success body"), format!("StatusCode {}", code(f.status_code))))
        }
        None => Err(fail(format!("{request_type} X-ResponseCode 0"), reply.summary())),
    }
}

pub(crate) fn update_stat_full(
    ctx: &mut Ctx,
    state: Stat,
    reserved: u32,
    delta: bool,
) -> Result<UpdateStatSuccess, Verdict> {
    let req =
        UpdateStatRequest { reserved, state: Some(state), delta_requested: delta, auxiliary_buffer: vec![] };
    call(ctx, "UpdateStat", req.encode())
}

/// UpdateStat from `current` by `delta`; the returned STAT and Delta.
pub(crate) fn update_stat(ctx: &mut Ctx, current: u32, delta: i32) -> Result<(Stat, Option<i32>), Verdict> {
    let s = Stat { current_rec: current, delta, ..stat() };
    let r = update_stat_full(ctx, s, 0, true)?;
    eq_code("UpdateStat ErrorCode", 0, r.error_code)?;
    let state = r.state.ok_or_else(|| fail("a STAT in the UpdateStat response", "none"))?;
    Ok((state, r.delta))
}

/// The Minimal Entry IDs of `names` (DNToMId).
pub(crate) fn dn_to_mids(ctx: &mut Ctx, names: Vec<String>) -> Result<Vec<u32>, Verdict> {
    let r: DnToMIdSuccess = call(
        ctx,
        "DNToMId",
        DnToMIdRequest { reserved: 0, names: Some(names), auxiliary_buffer: vec![] }.encode(),
    )?;
    eq_code("DNToMId ErrorCode", 0, r.error_code)?;
    r.minimal_ids.ok_or_else(|| fail("MinimalIds in the DNToMId response", "none"))
}

/// The first account's Minimal Entry ID.
pub(crate) fn my_mid(ctx: &mut Ctx) -> Result<u32, Verdict> {
    let dn = ctx.me.dn.clone();
    let mids = dn_to_mids(ctx, vec![dn])?;
    let mid = mids.first().copied().unwrap_or(0);
    ensure(mid != 0, "the first account's DN maps to a Minimal Entry ID", "0")?;
    Ok(mid)
}

/// ResolveNames of `names` with `columns`.
fn resolve(
    ctx: &mut Ctx,
    names: Vec<String>,
    columns: Option<Vec<PropTag>>,
) -> Result<ResolveNamesSuccess, Verdict> {
    let req = ResolveNamesRequest {
        reserved: 0,
        state: Some(stat()),
        property_tags: columns,
        names: Some(names),
        auxiliary_buffer: vec![],
    };
    let r: ResolveNamesSuccess = call(ctx, "ResolveNames", req.encode())?;
    eq_code("ResolveNames ErrorCode", 0, r.error_code)?;
    Ok(r)
}

fn mids_of(r: &ResolveNamesSuccess) -> Result<Vec<u32>, Verdict> {
    r.minimal_ids.clone().ok_or_else(|| fail("MinimalIds in the ResolveNames response", "none"))
}

/// Rows of the GAL from the beginning with `columns` (QueryRows, at most `count`).
pub(crate) fn query_rows(
    ctx: &mut Ctx,
    state: Stat,
    explicit: Vec<u32>,
    count: u32,
    columns: Vec<PropTag>,
) -> Result<QueryRowsSuccess, Verdict> {
    let req = QueryRowsRequest {
        flags: 0,
        state: Some(state),
        explicit_table: explicit,
        row_count: count,
        columns: Some(columns),
        auxiliary_buffer: vec![],
    };
    let r: QueryRowsSuccess = call(ctx, "QueryRows", req.encode())?;
    eq_code("QueryRows ErrorCode", 0, r.error_code)?;
    Ok(r)
}

pub(crate) fn text(v: Option<&RowValue>) -> Option<String> {
    match v {
        Some(RowValue::Value(PropValue::Unicode(s))) => Some(s.clone()),
        Some(RowValue::Value(PropValue::String8(b))) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

fn update_stat_beginning(ctx: &mut Ctx) -> CaseResult {
    let (s, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 0)?;
    ensure(s.total_recs > 0, "TotalRecs > 0 for the GAL", format!("{}", s.total_recs))
}

fn update_stat_total_recs(ctx: &mut Ctx) -> CaseResult {
    let (s, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 0)?;
    let rows = query_rows(ctx, stat(), vec![], 10_000, vec![PR_DISPLAY_NAME_W])?;
    let n = rows.columns_and_rows.map(|c| c.row_data.len()).unwrap_or(0) as u32;
    if n >= 10_000 {
        return skip("the address book has more than 10000 entries");
    }
    eq("TotalRecs (the number of rows QueryRows returns)", n, s.total_recs)
}

fn update_stat_mid_current(ctx: &mut Ctx) -> CaseResult {
    let (s, _) = update_stat(ctx, MID_CURRENT, 2)?;
    ensure(s.total_recs != 0, "TotalRecs reported", "0")
}

fn update_stat_end_of_table(ctx: &mut Ctx) -> CaseResult {
    let (s, _) = update_stat(ctx, MID_END_OF_TABLE, 0)?;
    eq("CurrentRec", MID_END_OF_TABLE, s.current_rec)
}

fn update_stat_before_first(ctx: &mut Ctx) -> CaseResult {
    let (first, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 0)?;
    let (s, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, -1)?;
    eq("NumPos (0-based) before the first row", 0, s.num_pos)?;
    let (s, _) = update_stat(ctx, first.current_rec, -(first.total_recs as i32) - 1)?;
    eq("CurrentRec (the first row's MId)", first.current_rec, s.current_rec)
}

fn update_stat_after_last(ctx: &mut Ctx) -> CaseResult {
    let (s, _) = update_stat(ctx, MID_END_OF_TABLE, 1)?;
    eq("CurrentRec", MID_END_OF_TABLE, s.current_rec)
}

fn update_stat_current_past_end(ctx: &mut Ctx) -> CaseResult {
    let (first, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 0)?;
    let (s, _) = update_stat(ctx, first.current_rec, first.total_recs as i32 + 1)?;
    eq("CurrentRec", MID_END_OF_TABLE, s.current_rec)?;
    eq("NumPos", s.total_recs, s.num_pos)
}

fn update_stat_reserved(ctx: &mut Ctx) -> CaseResult {
    let a = update_stat_full(ctx, Stat { delta: 1, ..stat() }, 0, true)?.error_code;
    let b = update_stat_full(ctx, Stat { delta: 1, ..stat() }, 1, true)?.error_code;
    eq_code("UpdateStat ErrorCode with Reserved 1 (as with 0)", a, b)
}

fn update_stat_delta(ctx: &mut Ctx) -> CaseResult {
    let (row0, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 0)?;
    if row0.total_recs < 2 {
        return skip("the address book has fewer than 2 entries");
    }
    let (row1, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 1)?;
    let (s, delta) = update_stat(ctx, row0.current_rec, 1)?;
    eq("CurrentRec one row after the first", row1.current_rec, s.current_rec)?;
    eq("Delta (rows actually moved)", Some(1), delta)
}

fn update_stat_no_delta(ctx: &mut Ctx) -> CaseResult {
    let r = update_stat_full(ctx, Stat { delta: 1, ..stat() }, 0, false)?;
    eq_code("UpdateStat ErrorCode", 0, r.error_code)?;
    eq("Delta (HasDelta 0)", None, r.delta)
}

fn update_stat_forward(ctx: &mut Ctx) -> CaseResult {
    let (s, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 1)?;
    if s.total_recs < 2 {
        return skip("the address book has fewer than 2 entries");
    }
    ensure(s.num_pos > 0, "NumPos > 0 after a positive Delta", format!("{}", s.num_pos))
}

fn update_stat_zero(ctx: &mut Ctx) -> CaseResult {
    let (a, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 1)?;
    let (b, _) = update_stat(ctx, a.current_rec, 0)?;
    eq("NumPos after Delta 0", a.num_pos, b.num_pos)
}

fn update_stat_back(ctx: &mut Ctx) -> CaseResult {
    let (a, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 1)?;
    if a.total_recs < 2 {
        return skip("the address book has fewer than 2 entries");
    }
    let (b, _) = update_stat(ctx, a.current_rec, -1)?;
    ensure(
        b.num_pos < a.num_pos,
        format!("NumPos below {} after Delta -1", a.num_pos),
        format!("{}", b.num_pos),
    )
}

fn query_columns(ctx: &mut Ctx, flags: u32) -> Result<Vec<PropTag>, Verdict> {
    let r: QueryColumnsSuccess = call(
        ctx,
        "QueryColumns",
        QueryColumnsRequest { reserved: 0, mapi_flags: flags, auxiliary_buffer: vec![] }.encode(),
    )?;
    eq_code("QueryColumns ErrorCode", 0, r.error_code)?;
    r.columns.ok_or_else(|| fail("Columns in the QueryColumns response", "none"))
}

fn string_types(tags: &[PropTag], unicode: bool) -> Vec<PropTag> {
    let (single, multi) = if unicode { (0x001F, 0x101F) } else { (0x001E, 0x101E) };
    tags.iter()
        .copied()
        .filter(|t| (t.0 & 0xFFFF) as u16 == single || (t.0 & 0xFFFF) as u16 == multi)
        .collect()
}

fn query_columns_default(ctx: &mut Ctx) -> CaseResult {
    let cols = query_columns(ctx, 0)?;
    ensure(!cols.is_empty(), "a list of columns", "none")?;
    let wide = string_types(&cols, true);
    ensure(
        wide.is_empty(),
        "string columns as PtypString8 without NspiUnicodeProptypes",
        format!("PtypString columns {wide:?}"),
    )
}

fn query_columns_unicode(ctx: &mut Ctx) -> CaseResult {
    let cols = query_columns(ctx, NSPI_UNICODE_PROPTYPES)?;
    let narrow = string_types(&cols, false);
    ensure(
        narrow.is_empty(),
        "string columns as PtypString with NspiUnicodeProptypes",
        format!("PtypString8 columns {narrow:?}"),
    )
}

fn prop_list(ctx: &mut Ctx, flags: u32, mid: u32) -> Result<Vec<PropTag>, Verdict> {
    let r: GetPropListSuccess = call(
        ctx,
        "GetPropList",
        GetPropListRequest { flags, minimal_id: mid, code_page: 1252, auxiliary_buffer: vec![] }.encode(),
    )?;
    eq_code("GetPropList ErrorCode", 0, r.error_code)?;
    r.property_tags.ok_or_else(|| fail("PropertyTags in the GetPropList response", "none"))
}

fn get_prop_list(ctx: &mut Ctx) -> CaseResult {
    let mid = my_mid(ctx)?;
    let tags = prop_list(ctx, F_EPH_ID, mid)?;
    ensure(!tags.is_empty(), "the properties of the entry", "none")?;
    let wide = string_types(&tags, true);
    ensure(wide.is_empty(), "string properties as PtypString8", format!("PtypString tags {wide:?}"))
}

fn get_prop_list_flags(ctx: &mut Ctx) -> CaseResult {
    let mid = my_mid(ctx)?;
    let a = prop_list(ctx, F_EPH_ID, mid)?;
    let b = prop_list(ctx, 4, mid)?;
    eq("GetPropList with dwFlags 0x4 (as with fEphID)", a, b)
}

fn get_prop_list_skip_objects(ctx: &mut Ctx) -> CaseResult {
    let mid = my_mid(ctx)?;
    let tags = prop_list(ctx, F_SKIP_OBJECTS, mid)?;
    let objects: Vec<PropTag> = tags.into_iter().filter(|t| (t.0 & 0xFFFF) as u16 == PT_OBJECT).collect();
    ensure(objects.is_empty(), "no PtypEmbeddedTable tags with fSkipObjects", format!("{objects:?}"))
}

pub(crate) fn special_table(
    ctx: &mut Ctx,
    flags: u32,
    state: Stat,
) -> Result<GetSpecialTableSuccess, Verdict> {
    let req =
        GetSpecialTableRequest { flags, state: Some(state), version: Some(0), auxiliary_buffer: vec![] };
    let r: GetSpecialTableSuccess = call(ctx, "GetSpecialTable", req.encode())?;
    eq_code("GetSpecialTable ErrorCode", 0, r.error_code)?;
    Ok(r)
}

fn special_table_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let r = special_table(ctx, 0, stat())?;
    ensure(
        r.rows.as_ref().is_some_and(|r| !r.is_empty()),
        "the rows of the address book hierarchy table",
        "none",
    )
}

/// The tags of PidTagDisplayName in every row of a special table.
fn display_name_tags(r: &GetSpecialTableSuccess) -> Vec<PropTag> {
    r.rows
        .iter()
        .flatten()
        .flat_map(|row| row.iter().map(|v| v.tag).filter(|t| t.0 >> 16 == 0x3001))
        .collect()
}

fn special_table_unicode(ctx: &mut Ctx) -> CaseResult {
    let r = special_table(ctx, NSPI_UNICODE_STRINGS, stat())?;
    let tags = display_name_tags(&r);
    ensure(!tags.is_empty(), "PidTagDisplayName in the hierarchy rows", "none")?;
    ensure(
        tags.iter().all(|t| *t == PR_DISPLAY_NAME_W),
        "PidTagDisplayName as PtypString (0x3001001F)",
        format!("{tags:?}"),
    )
}

fn special_table_string8(ctx: &mut Ctx) -> CaseResult {
    let r = special_table(ctx, 0, stat())?;
    let tags = display_name_tags(&r);
    ensure(!tags.is_empty(), "PidTagDisplayName in the hierarchy rows", "none")?;
    ensure(
        tags.iter().all(|t| *t == PR_DISPLAY_NAME_A),
        "PidTagDisplayName as PtypString8 (0x3001001E)",
        format!("{tags:?}"),
    )
}

fn special_table_templates_unknown_locale(ctx: &mut Ctx) -> CaseResult {
    let r = special_table(ctx, NSPI_ADDRESS_CREATION_TEMPLATES, Stat { template_locale: 0, ..stat() })?;
    ensure(
        r.rows.as_ref().is_none_or(|r| r.is_empty()),
        "no template rows for TemplateLocale 0",
        format!("{:?}", r.rows),
    )
}

fn resolve_resolved(ctx: &mut Ctx) -> CaseResult {
    let name = ctx.cfg.user.user.rsplit('\\').next().unwrap_or_default().to_string();
    let r = resolve(ctx, vec![name], None)?;
    eq("MinimalIds", vec![MID_RESOLVED], mids_of(&r)?)
}

fn resolve_empty(ctx: &mut Ctx) -> CaseResult {
    let r = resolve(ctx, vec![String::new()], None)?;
    eq("MinimalIds for a zero-length string", vec![MID_UNRESOLVED], mids_of(&r)?)
}

fn unknown_name() -> String {
    format!("oxmapi-conformance-nobody-{:08x}", rand::random::<u32>())
}

fn resolve_unknown(ctx: &mut Ctx) -> CaseResult {
    let r = resolve(ctx, vec![unknown_name()], None)?;
    eq("MinimalIds for a name nothing matches", vec![MID_UNRESOLVED], mids_of(&r)?)
}

fn resolve_results_are_mids(ctx: &mut Ctx) -> CaseResult {
    let name = ctx.cfg.user.user.rsplit('\\').next().unwrap_or_default().to_string();
    let r = resolve(ctx, vec![name, String::new(), unknown_name()], None)?;
    let mids = mids_of(&r)?;
    eq("number of MinimalIds", 3, mids.len())?;
    ensure(
        mids.iter().all(|m| [MID_UNRESOLVED, MID_AMBIGUOUS, MID_RESOLVED].contains(m)),
        "MID_UNRESOLVED, MID_AMBIGUOUS or MID_RESOLVED for every name",
        format!("{mids:?}"),
    )
}

fn resolve_rows(ctx: &mut Ctx) -> CaseResult {
    let name = ctx.cfg.user.user.rsplit('\\').next().unwrap_or_default().to_string();
    let cols = vec![PR_ENTRYID, PR_DISPLAY_NAME_W, PR_OBJECT_TYPE];
    let r = resolve(ctx, vec![name], Some(cols.clone()))?;
    let cr = r.rows_and_columns.ok_or_else(|| fail("rows in the ResolveNames response", "none"))?;
    eq("Columns", cols, cr.columns)?;
    let row = cr.row_data.first().ok_or_else(|| fail("one row", "none"))?;
    let shown = text(row.values.get(1)).unwrap_or_default();
    ensure(
        shown.eq_ignore_ascii_case(&ctx.me.display_name),
        format!("PidTagDisplayName {:?}", ctx.me.display_name),
        format!("{shown:?}"),
    )
}

fn dn_to_mid_known(ctx: &mut Ctx) -> CaseResult {
    my_mid(ctx).map(|_| ())
}

fn dn_to_mid_unknown(ctx: &mut Ctx) -> CaseResult {
    let dn = format!("/o=oxmapi-conformance/ou=nowhere/cn=Recipients/cn={}", unknown_name());
    eq("MinimalIds for an unknown DN", vec![0], dn_to_mids(ctx, vec![dn])?)
}

pub(crate) fn get_props(
    ctx: &mut Ctx,
    flags: u32,
    mid: u32,
    tags: Vec<PropTag>,
) -> Result<GetPropsSuccess, Verdict> {
    let req = GetPropsRequest {
        flags,
        state: Some(Stat { current_rec: mid, ..stat() }),
        property_tags: Some(tags),
        auxiliary_buffer: vec![],
    };
    let r: GetPropsSuccess = call(ctx, "GetProps", req.encode())?;
    ensure(
        r.error_code == 0 || r.error_code == 0x0004_0380,
        "GetProps ErrorCode Success or ErrorsReturned",
        code(r.error_code),
    )?;
    Ok(r)
}

fn get_props_current(ctx: &mut Ctx) -> CaseResult {
    let mid = my_mid(ctx)?;
    let r = get_props(ctx, 0, mid, vec![PR_DISPLAY_NAME_W])?;
    let values = r.property_values.ok_or_else(|| fail("PropertyValues", "none"))?;
    let shown = match values.first().and_then(|v| v.value.clone()) {
        Some(PropValue::Unicode(s)) => s,
        other => return Err(fail("PidTagDisplayName as PtypString", format!("{other:?}"))),
    };
    ensure(
        shown.eq_ignore_ascii_case(&ctx.me.display_name),
        format!("{:?}", ctx.me.display_name),
        format!("{shown:?}"),
    )
}

fn entry_id_of(ctx: &mut Ctx, flags: u32) -> Result<Vec<u8>, Verdict> {
    let mid = my_mid(ctx)?;
    let r = get_props(ctx, flags, mid, vec![PR_ENTRYID])?;
    let values = r.property_values.ok_or_else(|| fail("PropertyValues", "none"))?;
    match values.first().and_then(|v| v.value.clone()) {
        Some(PropValue::Binary(b)) if !b.is_empty() => Ok(b),
        other => Err(fail("PidTagEntryId", format!("{other:?}"))),
    }
}

fn get_props_ephid(ctx: &mut Ctx) -> CaseResult {
    let eid = entry_id_of(ctx, F_EPH_ID)?;
    eq("IDType of the Entry ID with fEphID (Ephemeral, 0x87)", 0x87, eid[0])
}

fn get_props_permanent(ctx: &mut Ctx) -> CaseResult {
    let eid = entry_id_of(ctx, 0)?;
    eq("IDType of the Entry ID without fEphID (Permanent, 0x00)", 0x00, eid[0])
}

fn query_rows_explicit(ctx: &mut Ctx) -> CaseResult {
    let mid = my_mid(ctx)?;
    let r = query_rows(ctx, stat(), vec![mid], 10, vec![PR_DISPLAY_NAME_W])?;
    let cr = r.columns_and_rows.ok_or_else(|| fail("rows", "none"))?;
    eq("number of rows", 1, cr.row_data.len())?;
    let shown = text(cr.row_data[0].values.first()).unwrap_or_default();
    ensure(
        shown.eq_ignore_ascii_case(&ctx.me.display_name),
        format!("{:?}", ctx.me.display_name),
        format!("{shown:?}"),
    )
}

fn query_rows_advances(ctx: &mut Ctx) -> CaseResult {
    let r = query_rows(ctx, stat(), vec![], 1, vec![PR_DISPLAY_NAME_W])?;
    let s = r.state.ok_or_else(|| fail("a STAT in the QueryRows response", "none"))?;
    if s.total_recs < 2 {
        return skip("the address book has fewer than 2 entries");
    }
    let (row1, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 1)?;
    eq("CurrentRec after reading one row", row1.current_rec, s.current_rec)?;
    eq("NumPos after reading one row", 1, s.num_pos)
}

pub(crate) fn compare(ctx: &mut Ctx, a: u32, b: u32) -> Result<i32, Verdict> {
    let req = CompareMIdsRequest {
        reserved: 0,
        state: Some(stat()),
        minimal_id1: a,
        minimal_id2: b,
        auxiliary_buffer: vec![],
    };
    let r: CompareMIdsSuccess = call(ctx, "CompareMIds", req.encode())?;
    eq_code("CompareMIds ErrorCode", 0, r.error_code)?;
    Ok(r.result)
}

fn compare_mids(ctx: &mut Ctx) -> CaseResult {
    let (row0, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 0)?;
    if row0.total_recs < 2 {
        return skip("the address book has fewer than 2 entries");
    }
    let (row1, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 1)?;
    eq("CompareMIds(a, a)", 0, compare(ctx, row0.current_rec, row0.current_rec)?)?;
    let r = compare(ctx, row0.current_rec, row1.current_rec)?;
    ensure(r < 0, "a negative Result for the first row against the second", format!("{r}"))
}

fn seek_entries(ctx: &mut Ctx) -> CaseResult {
    let mid = my_mid(ctx)?;
    let target = AddressBookTaggedPropertyValue::new(
        PR_DISPLAY_NAME_W,
        PropValue::Unicode(ctx.me.display_name.clone()),
    );
    let req = SeekEntriesRequest {
        reserved: 0,
        state: Some(stat()),
        target: Some(target),
        explicit_table: None,
        columns: Some(vec![PR_DISPLAY_NAME_W]),
        auxiliary_buffer: vec![],
    };
    let r: SeekEntriesSuccess = call(ctx, "SeekEntries", req.encode())?;
    eq_code("SeekEntries ErrorCode", 0, r.error_code)?;
    let s = r.state.ok_or_else(|| fail("a STAT in the SeekEntries response", "none"))?;
    eq("CurrentRec (the entry with that display name)", mid, s.current_rec)
}

fn resort_restriction(ctx: &mut Ctx) -> CaseResult {
    let r = query_rows(ctx, stat(), vec![], 2, vec![PR_DISPLAY_NAME_W])?;
    let (row0, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 0)?;
    if row0.total_recs < 2 || r.columns_and_rows.as_ref().is_none_or(|c| c.row_data.len() < 2) {
        return skip("the address book has fewer than 2 entries");
    }
    let (row1, _) = update_stat(ctx, MID_BEGINNING_OF_TABLE, 1)?;
    let req = ResortRestrictionRequest {
        reserved: 0,
        state: Some(stat()),
        minimal_ids: Some(vec![row1.current_rec, row0.current_rec]),
        auxiliary_buffer: vec![],
    };
    let out: ResortRestrictionSuccess = call(ctx, "ResortRestriction", req.encode())?;
    eq_code("ResortRestriction ErrorCode", 0, out.error_code)?;
    eq("MinimalIds in display-name order", Some(vec![row0.current_rec, row1.current_rec]), out.minimal_ids)
}

/// GetMatches on the GAL with a case-insensitive prefix restriction on PidTagDisplayName.
fn get_matches(
    ctx: &mut Ctx,
    prefix: &str,
    columns: Option<Vec<PropTag>>,
) -> Result<GetMatchesSuccess, Verdict> {
    use oxmapi_core::restriction::{FL_IGNORECASE, FL_PREFIX, Restriction};
    let filter = Restriction::Content {
        fuzzy_level_low: FL_PREFIX,
        fuzzy_level_high: FL_IGNORECASE,
        prop_tag: PR_DISPLAY_NAME_W,
        value: oxmapi_core::value::TaggedValue {
            tag: PR_DISPLAY_NAME_W,
            value: PropValue::Unicode(prefix.to_string()),
        },
    };
    let req = GetMatchesRequest {
        reserved: 0,
        state: Some(stat()),
        minimal_ids: None,
        interface_option_flags: 0,
        filter: Some(filter),
        property_name: None,
        row_count: 100,
        columns,
        auxiliary_buffer: vec![],
    };
    let r: GetMatchesSuccess = call(ctx, "GetMatches", req.encode())?;
    eq_code("GetMatches ErrorCode", 0, r.error_code)?;
    Ok(r)
}

/// The first three characters of the first account's display name.
fn name_prefix(ctx: &Ctx) -> String {
    ctx.me.display_name.chars().take(3).collect()
}

fn get_matches_prefix(ctx: &mut Ctx) -> CaseResult {
    let mid = my_mid(ctx)?;
    let prefix = name_prefix(ctx);
    let r = get_matches(ctx, &prefix, None)?;
    let mids = r.minimal_ids.unwrap_or_default();
    ensure(
        mids.contains(&mid),
        format!("the first account's MId {mid} among the matches for {prefix:?}"),
        format!("{mids:?}"),
    )
}

fn get_matches_columns(ctx: &mut Ctx) -> CaseResult {
    let prefix = name_prefix(ctx);
    let r = get_matches(ctx, &prefix, Some(vec![PR_DISPLAY_NAME_W]))?;
    let cr = r.columns_and_rows.ok_or_else(|| fail("rows in the GetMatches response", "none"))?;
    eq("Columns", vec![PR_DISPLAY_NAME_W], cr.columns.clone())?;
    let names: Vec<String> =
        cr.row_data.iter().map(|row| text(row.values.first()).unwrap_or_default()).collect();
    ensure(
        names.iter().any(|n| n.eq_ignore_ascii_case(&ctx.me.display_name)),
        format!("a row for {:?}", ctx.me.display_name),
        format!("{names:?}"),
    )?;
    ensure(
        names.iter().all(|n| n.to_lowercase().starts_with(&prefix.to_lowercase())),
        format!("only names starting with {prefix:?}"),
        format!("{names:?}"),
    )
}
