//! Search folder ROPs (MS-OXCFOLD 3.2.5.4 RopSetSearchCriteria, 3.2.5.5 RopGetSearchCriteria;
//! MS-OXCROPS 2.2.4.4–2.2.4.5). The criteria, the population and the contents live in the store
//! (`oxmapi_store::mailbox::search`); a search that (re)populated its folder is announced with
//! fnevSearchComplete (MS-OXCNOTIF 2.2.1.4.1.2).
//!
//! Return codes, after gromox (grommunio/gromox exch/emsmdb/oxcfold.cpp
//! `rop_setsearchcriteria`, `rop_getsearchcriteria`): an input object that is not a folder, or
//! a public folder logon, is ecNotSupported; a folder that is not a search folder is
//! ecNotSearchFolder (MS-OXCFOLD 2.2.1.4.1 / 2.2.1.5.1: the input object "represents the search
//! folder"); a first search without restriction or scope is MAPI_E_NOT_INITIALIZED; a scope
//! folder of another replica, another search folder or the search folder itself is
//! ecSearchFolderScopeViolation (MS-OXCFOLD 3.2.4.1 and MS-OXCFOLD_R1233: "the FolderIds field
//! MUST NOT include the FID of the search folder").

use std::sync::Arc;

use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;
use oxmapi_store::mailbox::search::SearchRefusal;
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcfold::{
    GetSearchCriteriaRequest, GetSearchCriteriaResponse, SetSearchCriteriaRequest,
};
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{LogonObject, ServerObject, Slots};
use super::oxcstor::store_code;
use super::props::coerce;
use super::{Env, RopResult, RopSession, object};

/// The search folder in slot `index`: a folder object of a private mailbox logon.
fn folder(rs: &RopSession, slots: &Slots, index: u8) -> Result<(Arc<LogonObject>, ObjectId), ErrorCode> {
    match object(rs, slots, index)? {
        ServerObject::Folder(f) if f.logon.private => Ok((f.logon.clone(), f.fid)),
        _ => Err(codes::MAPI_E_NO_SUPPORT),
    }
}

fn refusal_code(r: SearchRefusal) -> ErrorCode {
    match r {
        SearchRefusal::NotSearchFolder => codes::EC_NOT_SEARCH_FOLDER,
        SearchRefusal::NotInitialized => codes::MAPI_E_NOT_INITIALIZED,
        SearchRefusal::ScopeViolation(why) => {
            tracing::debug!(%why, "search scope refused");
            codes::EC_SEARCH_FOLDER_SCOPE_VIOLATION
        }
    }
}

/// RopSetSearchCriteria (MS-OXCFOLD 3.2.5.4): sets the restriction, scope and flags of the
/// search folder and populates it before the response; then queues fnevSearchComplete for the
/// search folder (MS-OXCNOTIF 2.2.1.4.1.2) on the subscriptions that ask for it.
pub fn set_search_criteria(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &SetSearchCriteriaRequest,
) -> RopResult {
    let (logon, fid) = folder(rs, slots, q.input_handle_index)?;
    let run = logon
        .store
        .set_search_criteria(fid, q.restriction.as_ref(), &q.folder_ids, q.search_flags)
        .map_err(store_code)?
        .map_err(refusal_code)?;
    if run.populated {
        env.state.hub.publish_search_complete(logon.store.mailbox_guid(), fid);
    }
    Ok(RopResponse::SetSearchCriteria(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopGetSearchCriteria (MS-OXCFOLD 3.2.5.5): the restriction (when `IncludeRestriction`;
/// string properties as PtypString8 unless `UseUnicode`, MS-OXCFOLD 2.2.1.5.1), the scope
/// (when `IncludeFolders`) and the search state. `LogonId` repeats the request's
/// (MS-OXCROPS 2.2.4.5.2).
pub fn get_search_criteria(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &GetSearchCriteriaRequest,
) -> RopResult {
    let (logon, fid) = folder(rs, slots, q.input_handle_index)?;
    let c = logon.store.search_criteria(fid).map_err(store_code)?.map_err(refusal_code)?;
    let restriction = match (q.include_restriction != 0, c.restriction) {
        (true, Some(r)) if q.use_unicode == 0 => Some(narrow(&r)),
        (true, r) => r,
        (false, _) => None,
    };
    let body = GetSearchCriteriaResponse {
        restriction,
        logon_id: q.logon_id,
        folder_ids: if q.include_folders != 0 { c.folder_ids } else { Vec::new() },
        search_flags: c.search_flags,
    };
    Ok(RopResponse::GetSearchCriteria(Outcome::ok(q.input_handle_index, body)))
}

/// The 8-bit form of a PtypString / PtypMultipleString tag; other tags as they are.
fn narrow_tag(t: PropTag) -> PropTag {
    match t.prop_type() {
        Ok(PropType::String) => PropTag::new(t.id(), PropType::String8),
        Ok(PropType::MultipleString) => PropTag::new(t.id(), PropType::MultipleString8),
        _ => t,
    }
}

fn narrow_value(v: &TaggedValue) -> TaggedValue {
    let tag = narrow_tag(v.tag);
    match tag.prop_type().ok().and_then(|ty| coerce(&v.value, ty)) {
        Some(value) if tag != v.tag => TaggedValue::new(tag, value),
        _ => v.clone(),
    }
}

/// The restriction with its Unicode string tags and values as PtypString8 (code page 1252),
/// for a client that asked without `UseUnicode`.
fn narrow(r: &Restriction) -> Restriction {
    use Restriction as R;
    match r {
        R::And(v) => R::And(v.iter().map(narrow).collect()),
        R::Or(v) => R::Or(v.iter().map(narrow).collect()),
        R::Not(x) => R::Not(Box::new(narrow(x))),
        R::Content { fuzzy_level_low, fuzzy_level_high, prop_tag, value } => R::Content {
            fuzzy_level_low: *fuzzy_level_low,
            fuzzy_level_high: *fuzzy_level_high,
            prop_tag: narrow_tag(*prop_tag),
            value: narrow_value(value),
        },
        R::Property { relop, prop_tag, value } => {
            R::Property { relop: *relop, prop_tag: narrow_tag(*prop_tag), value: narrow_value(value) }
        }
        R::CompareProperties { relop, prop_tag1, prop_tag2 } => R::CompareProperties {
            relop: *relop,
            prop_tag1: narrow_tag(*prop_tag1),
            prop_tag2: narrow_tag(*prop_tag2),
        },
        R::Size { relop, prop_tag, size } => {
            R::Size { relop: *relop, prop_tag: narrow_tag(*prop_tag), size: *size }
        }
        R::Exist { prop_tag } => R::Exist { prop_tag: narrow_tag(*prop_tag) },
        R::SubObject { subobject, restriction } => {
            R::SubObject { subobject: *subobject, restriction: Box::new(narrow(restriction)) }
        }
        R::Comment { values, restriction } => R::Comment {
            values: values.iter().map(narrow_value).collect(),
            restriction: restriction.as_ref().map(|x| Box::new(narrow(x))),
        },
        R::Count { count, restriction } => {
            R::Count { count: *count, restriction: Box::new(narrow(restriction)) }
        }
        R::BitMask { .. } => r.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::restriction::RelOp;
    use oxmapi_core::value::PropValue;

    /// PR_SUBJECT_W (0x0037001F) becomes PR_SUBJECT_A (0x0037001E) with a code page 1252
    /// value, as gromox's `common_util_convert_restriction(false, …)` does for
    /// RopGetSearchCriteria without UseUnicode (grommunio/gromox exch/emsmdb/oxcfold.cpp).
    #[test]
    fn narrow_turns_unicode_strings_into_string8() {
        let r = Restriction::Property {
            relop: RelOp::Eq,
            prop_tag: PropTag(0x0037_001F),
            value: TaggedValue::new(PropTag(0x0037_001F), PropValue::Unicode("Grüße".into())),
        };
        let n = narrow(&Restriction::Not(Box::new(r)));
        let Restriction::Not(inner) = n else { panic!("not a NotRestriction: {n:?}") };
        let Restriction::Property { prop_tag, value, .. } = *inner else { panic!("{inner:?}") };
        assert_eq!(prop_tag, PropTag(0x0037_001E));
        assert_eq!(value.tag, PropTag(0x0037_001E));
        assert_eq!(value.value, PropValue::String8(b"Gr\xFC\xDFe".to_vec()));
        let exist = Restriction::Exist { prop_tag: PropTag(0x0E08_0003) };
        assert_eq!(narrow(&exist), exist, "non-string tags stay");
    }
}
