//! Name methods (MS-OXNSPI 3.1.4.1.17 ResolveNamesW, as MAPI/HTTP carries ResolveNames with
//! UTF-16 names; 3.1.4.1.14 DNToMId). Ambiguous name resolution works on the GAL (hidden users
//! are not found); DNToMId maps exact legacy DNs of every user, hidden ones included, so a
//! hidden account can still find its own entry and a message's EX address still resolves.

use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;
use oxmapi_store::directory::gal::{Resolution, mid_of};
use oxmapi_wire::mapihttp::nspi::*;

use super::Ctx;
use super::entry::{self, AbObject};
use super::tables::{DEFAULT_COLUMNS, Table, check_code_page};

/// The text ANR works on: an `SMTP:` address prefix is dropped (clients resolve proxy forms).
fn anr_text(name: &str) -> &str {
    let t = name.trim();
    match t.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("smtp:") => &t[5..],
        _ => t,
    }
}

/// MS-OXNSPI 3.1.4.1.17 NspiResolveNamesW: one MId per name — the result of ANR, which is
/// MID_UNRESOLVED, MID_AMBIGUOUS or, for exactly one match, MID_RESOLVED (0x2), not the entry's
/// own MId (MS-OXNSPI 3.1.4.7) — and one row per resolved name, in the order of the names; the
/// row carries the entry (PR_ENTRYID …).
pub fn resolve_names(cx: &Ctx<'_>, q: &ResolveNamesRequest) -> Result<ResolveNamesSuccess, ErrorCode> {
    let stat = q.state.ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    check_code_page(&stat)?;
    let columns = q.property_tags.as_deref().unwrap_or(DEFAULT_COLUMNS);
    let render = cx.render(stat.code_page, false);
    let table = Table::load(cx)?;
    let mut mids = Vec::new();
    let mut row_data = Vec::new();
    for name in q.names.as_deref().unwrap_or_default() {
        mids.push(match table.gal().resolve(anr_text(name)) {
            Resolution::Unresolved => MID_UNRESOLVED,
            Resolution::Ambiguous(_) => MID_AMBIGUOUS,
            Resolution::Resolved(mid) => {
                let e = table.position(mid).map(|i| &table.entries()[i]);
                let obj = e.map(|e| AbObject { mid, user: &e.user });
                row_data.push(entry::row(&render, obj.as_ref(), columns));
                MID_RESOLVED
            }
        });
    }
    Ok(ResolveNamesSuccess {
        error_code: 0,
        code_page: stat.code_page,
        minimal_ids: Some(mids),
        rows_and_columns: Some(ColumnsAndRows { columns: columns.to_vec(), row_data }),
        auxiliary_buffer: vec![],
    })
}

/// MS-OXNSPI 3.1.4.1.14 NspiDNToMId: the MId of each legacy DN (compared ignoring case), 0 for
/// DNs naming no object. A hidden user's DN finds their MId too (as Exchange resolves a hidden
/// object by its exact DN), and the session may use that MId from then on
/// ([`super::revealed`]); no other method hands out a hidden user's MId.
pub fn dn_to_mid(cx: &Ctx<'_>, q: &DnToMIdRequest) -> Result<DnToMIdSuccess, ErrorCode> {
    let Some(names) = &q.names else {
        return Ok(DnToMIdSuccess { error_code: 0, minimal_ids: None, auxiliary_buffer: vec![] });
    };
    let dir = cx.directory()?;
    let lookup = |dn: &String| -> oxmapi_store::StoreResult<u32> {
        Ok(match dir.user_by_dn(dn)? {
            Some(u) => {
                let mid = mid_of(&u);
                if u.hidden {
                    cx.session.revealed.reveal(mid);
                }
                mid
            }
            None => 0,
        })
    };
    let mids = names.iter().map(lookup).collect::<Result<Vec<u32>, _>>().map_err(|e| {
        tracing::warn!(error = %e, "DNToMId lookup failed");
        codes::MAPI_E_CALL_FAILED
    })?;
    Ok(DnToMIdSuccess { error_code: 0, minimal_ids: Some(mids), auxiliary_buffer: vec![] })
}

#[cfg(test)]
mod tests {
    use super::anr_text;

    #[test]
    fn smtp_prefix_is_dropped() {
        assert_eq!(anr_text(" SMTP:alice@example.test "), "alice@example.test");
        assert_eq!(anr_text("smtp:x"), "x");
        assert_eq!(anr_text("Smt"), "Smt");
        assert_eq!(anr_text("Zoë"), "Zoë");
    }
}
