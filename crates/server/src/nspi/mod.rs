//! The address book endpoint `/mapi/nspi/` (MS-OXCMAPIHTTP 2.2.5, 3.2.5; MS-OXNSPI 3.1.4.1):
//! Bind and Unbind on session contexts of its own (separate cookies, same expiry rules as the
//! mailbox endpoint), the NSPI methods over the directory's global address list, and PING.
//!
//! The GAL is read from the directory for every request ([`oxmapi_store::Directory::gal`]), so
//! directory changes (a new or hidden user) show without a restart. NSPI-level failures travel
//! as the `ErrorCode` of a success body (`StatusCode` 0) with the optional groups absent
//! (MS-OXCMAPIHTTP 2.2.5.x.2); a body that does not decode is X-ResponseCode 12.
//!
//! - [`bind`]: Bind, Unbind;
//! - [`tables`]: UpdateStat, QueryRows, SeekEntries, GetMatches, ResortRestriction (STAT
//!   positioning, MS-OXNSPI 3.1.4.5);
//! - [`props`]: GetProps, GetPropList, QueryColumns, CompareMIds, ModProps, ModLinkAtt;
//! - [`names`]: ResolveNames, DNToMId;
//! - [`misc`]: GetSpecialTable, GetTemplateInfo, GetMailboxUrl, GetAddressBookUrl;
//! - [`entry`]: the properties of a GAL entry; [`codepage`]: PtypString8 conversions.

mod bind;
mod codepage;
pub(crate) mod entry;
mod misc;
mod names;
mod props;
mod revealed;
mod tables;

pub use revealed::RevealedMids;

use std::sync::{Arc, MutexGuard};
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use hyper::Response;
use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;
use oxmapi_store::directory::gal::Gal;
use oxmapi_store::{Directory, User};
use oxmapi_wire::mapihttp::common::{RequestType, ResponseCode};
use oxmapi_wire::mapihttp::nspi::*;

use crate::http::request::RequestMeta;
use crate::http::respond::{Body, Extra, complete, failure, failure_with, streamed};
use crate::session::{ContextError, ContextKind, Entered, SEQUENCE_COOKIE, Session, cookie};
use crate::state::ServerState;

/// Handles one request of an authenticated `user` to the address book endpoint; `context` is
/// the session context it runs on (`None` for Bind).
pub async fn handle(
    state: &Arc<ServerState>,
    user: User,
    meta: &RequestMeta,
    request_type: RequestType,
    context: Option<Result<Entered, ContextError>>,
    body: Bytes,
) -> Response<Body> {
    if request_type == RequestType::Bind {
        return bind::bind(state, user, meta, &body).await;
    }
    // The context was entered with authentication, before the body was read ([`crate::http`]'s
    // admission); a disabled or deleted user's address book context ended there
    // ([`crate::authz`]).
    let Entered { session, activity, next_sequence, .. } = match context {
        Some(Ok(entered)) => entered,
        Some(Err((code, why))) => return failure(meta, code, &why),
        None => return failure(meta, ResponseCode::UnknownFailure, "no session context was looked up"),
    };
    let mut extra = Extra { expiration_ms: Some(session.expiration_ms()), ..Extra::default() };
    if let Some(seq) = next_sequence {
        extra.cookies.push(cookie(state, ContextKind::Nspi, SEQUENCE_COOKIE, &seq));
    }
    let started = (Instant::now(), SystemTime::now());
    match request_type {
        RequestType::Ping => {
            drop(activity);
            complete(meta, &extra, started, &[])
        }
        RequestType::Unbind => bind::unbind(state, session, activity, meta, extra, &body).await,
        _ => {
            let req = match NspiRequest::decode_typed(request_type, &body) {
                Ok(r) => r,
                Err(e) => {
                    return failure_with(
                        meta,
                        ResponseCode::InvalidRequestBody,
                        &format!("{} body: {e}", request_type.as_str()),
                        &extra,
                    );
                }
            };
            let st = state.clone();
            let host = meta.host.clone();
            streamed(meta, &extra, state.config.pending_period, async move {
                let _activity = activity;
                crate::blocking::run(move || {
                    let cx = Ctx { state: &st, session: &session, host: host.as_deref() };
                    dispatch(&cx, &req)
                })
                .await
                .unwrap_or_else(|_| FailureResponse::new(codes::MAPI_E_CALL_FAILED.0).encode())
            })
            .await
        }
    }
}

/// What an NSPI method can reach.
pub(crate) struct Ctx<'a> {
    /// Server-wide state.
    pub state: &'a ServerState,
    /// The bound session context.
    pub session: &'a Session,
    /// The request's `Host` (for the URLs GetMailboxUrl / GetAddressBookUrl hand out).
    pub host: Option<&'a str>,
}

impl Ctx<'_> {
    /// The shared directory connection.
    fn directory(&self) -> Result<MutexGuard<'_, Directory>, ErrorCode> {
        self.state.directory().map_err(|e| {
            tracing::warn!(error = %e, "directory unavailable");
            codes::MAPI_E_CALL_FAILED
        })
    }

    /// The GAL as the directory holds it now.
    fn gal(&self) -> Result<Arc<Gal>, ErrorCode> {
        self.directory()?.gal().map_err(|e| {
            tracing::warn!(error = %e, "reading the GAL failed");
            codes::MAPI_E_CALL_FAILED
        })
    }

    /// How values are rendered in code page `code_page`.
    fn render(&self, code_page: u32, ephemeral: bool) -> entry::Render<'_> {
        entry::Render {
            code_page,
            ephemeral,
            server_guid: self.state.nspi_server_guid,
            server_name: &self.state.server_name,
        }
    }
}

/// A success body carrying a failed NSPI `ErrorCode`, its optional groups absent.
trait Failed {
    fn failed(code: ErrorCode) -> Self;
}

macro_rules! failed {
    ($($ty:ident { $($field:ident: $value:expr),* })*) => {
        $(impl Failed for $ty {
            fn failed(code: ErrorCode) -> Self {
                $ty { error_code: code.0, $($field: $value,)* auxiliary_buffer: Vec::new() }
            }
        })*
    };
}

failed! {
    CompareMIdsSuccess { result: 0 }
    DnToMIdSuccess { minimal_ids: None }
    GetMatchesSuccess { state: None, minimal_ids: None, columns_and_rows: None }
    GetPropListSuccess { property_tags: None }
    GetPropsSuccess { code_page: 0, property_values: None }
    GetSpecialTableSuccess { code_page: 0, version: None, rows: None }
    GetTemplateInfoSuccess { code_page: 0, row: None }
    ModLinkAttSuccess {}
    ModPropsSuccess {}
    QueryRowsSuccess { state: None, columns_and_rows: None }
    QueryColumnsSuccess { columns: None }
    ResolveNamesSuccess { code_page: 0, minimal_ids: None, rows_and_columns: None }
    ResortRestrictionSuccess { state: None, minimal_ids: None }
    SeekEntriesSuccess { state: None, columns_and_rows: None }
    UpdateStatSuccess { state: None, delta: None }
    GetMailboxUrlSuccess { server_url: String::new() }
    GetAddressBookUrlSuccess { server_url: String::new() }
}

/// Encodes a method's outcome as its response body.
fn body<T: Failed + SuccessBody>(outcome: Result<T, ErrorCode>) -> Vec<u8> {
    oxmapi_wire::mapihttp::common::Response::Success(outcome.unwrap_or_else(T::failed)).encode()
}

/// Runs one decoded NSPI method.
fn dispatch(cx: &Ctx<'_>, req: &NspiRequest) -> Vec<u8> {
    use NspiRequest as R;
    match req {
        R::UpdateStat(q) => body(tables::update_stat(cx, q)),
        R::QueryRows(q) => body(tables::query_rows(cx, q)),
        R::SeekEntries(q) => body(tables::seek_entries(cx, q)),
        R::GetMatches(q) => body(tables::get_matches(cx, q)),
        R::ResortRestriction(q) => body(tables::resort_restriction(cx, q)),
        R::GetProps(q) => body(props::get_props(cx, q)),
        R::GetPropList(q) => body(props::get_prop_list(cx, q)),
        R::QueryColumns(q) => body(props::query_columns(q)),
        R::CompareMIds(q) => body(props::compare_mids(cx, q)),
        R::ModProps(q) => body(props::mod_props(cx, q)),
        R::ModLinkAtt(q) => body(props::mod_link_att(cx, q)),
        R::ResolveNames(q) => body(names::resolve_names(cx, q)),
        R::DnToMId(q) => body(names::dn_to_mid(cx, q)),
        R::GetSpecialTable(q) => body(misc::get_special_table(cx, q)),
        R::GetTemplateInfo(q) => body(misc::get_template_info(q)),
        R::GetMailboxUrl(q) => body(misc::get_mailbox_url(cx, q)),
        R::GetAddressBookUrl(q) => body(misc::get_address_book_url(cx, q)),
        // Handled before decoding (they create or destroy the context).
        R::Bind(_) | R::Unbind(_) => FailureResponse::new(codes::MAPI_E_CALL_FAILED.0).encode(),
    }
}
