//! The administrator's mailbox table (IExchangeManageStore::GetMailboxTable) at
//! [`PATH`] = `/mapi/oxmapi/mailboxes`.
//!
//! MS-OXCROPS has no ROP for the mailbox table and MS-OXCMAPIHTTP no request type: Exchange
//! answers it over its administrative RPC interface. This server serves it as a resource of its
//! own under `/mapi/` (beside `/mapi/emsmdb` and `/mapi/nspi`, so a reverse proxy that forwards
//! `/mapi/` forwards it too; `oxmapi` keeps the name clear of Exchange's endpoints):
//!
//! - `GET` (or `POST` with an empty body, which is what a MAPI/HTTP client transport sends)
//!   answers `200` with the table in MAPI's encoding (the NSPI `Columns`/`RowCount`/`RowData`
//!   group, [`oxmapi_wire::mapihttp::mailbox_table`]);
//! - authentication is the MAPI/HTTP endpoints' own (Basic, NTLM, Negotiate; [`crate::auth`]):
//!   without credentials `401` with the offered schemes, and nothing is kept for the request;
//! - authorisation is checked on every request against the directory as it is then (a separate
//!   read, not the identity the connection authenticated with): the user must be enabled and an
//!   administrator (`oxmapi admin user add NAME --admin`), else `403` whose body names
//!   MAPI_E_NO_ACCESS (0x80070005) and what grants the right. A user demoted while the server
//!   runs is refused at the next request.
//!
//! The rows are computed on the blocking pool with a directory connection of their own (the
//! shared one serves authentication meanwhile); mailboxes the server has open are read through
//! its cache, the others are opened for the read and closed after it, so listing a large site
//! does not leave every mailbox open.

use std::sync::Arc;

use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use oxmapi_store::StoreError;
use oxmapi_wire::mapihttp::mailbox_table::{CONTENT_TYPE, encode};

use super::listen::ConnCtx;
use super::respond::{Body, plain};
use crate::state::ServerState;

pub use oxmapi_wire::mapihttp::mailbox_table::PATH;

/// True when `path` names the mailbox table (ASCII case ignored, a trailing `/` allowed).
pub fn is_path(path: &str) -> bool {
    path.trim_end_matches('/').eq_ignore_ascii_case(PATH)
}

/// What the 403 says: the MAPI error, who was refused, and what grants the right.
pub fn refusal_text(user: &str) -> String {
    format!(
        "MAPI_E_NO_ACCESS (0x80070005): the mailbox table is for administrators, and {user:?} is not one \
         (or is disabled). An administrator is made with `oxmapi admin user add NAME --admin`; to open \
         the mailboxes it lists, the administrator's profile also sets CONNECT_USE_ADMIN_PRIVILEGE (0x1) \
         in PR_PROFILE_CONNECT_FLAGS.\n"
    )
}

/// Why the table was not served.
enum Refused {
    /// Not (or no longer) an enabled administrator.
    NotAdmin,
    /// The store failed.
    Store(StoreError),
}

/// Answers a request for the mailbox table (see the module documentation).
pub(super) async fn respond(
    state: &Arc<ServerState>,
    conn: &Arc<ConnCtx>,
    req: Request<Incoming>,
) -> Response<Body> {
    if req.method() != Method::GET && req.method() != Method::POST {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "text/plain", "use GET\n");
        r.headers_mut().insert(hyper::header::ALLOW, hyper::header::HeaderValue::from_static("GET, POST"));
        return super::discard_body(state, req, r).await;
    }
    let user = match super::authenticated(state, conn, &req).await {
        Ok(u) => u,
        Err(r) => return super::discard_body(state, req, r).await,
    };
    let st = state.clone();
    let id = user.id;
    let rows = crate::blocking::run(move || table(&st, id)).await;
    let response = match rows {
        Ok(Ok(body)) => plain(StatusCode::OK, CONTENT_TYPE, body),
        Ok(Err(Refused::NotAdmin)) => {
            tracing::info!(user = %user.name, "mailbox table refused: not an administrator");
            plain(StatusCode::FORBIDDEN, "text/plain; charset=utf-8", refusal_text(&user.name))
        }
        Ok(Err(Refused::Store(e))) => {
            tracing::warn!(error = %e, "mailbox table failed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", format!("{e}\n"))
        }
        Err(e) => plain(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", format!("{e}\n")),
    };
    super::discard_body(state, req, response).await
}

/// Checks user `id` against the directory as it is now and computes the table.
fn table(state: &ServerState, id: i64) -> Result<Vec<u8>, Refused> {
    let dir = state.data.directory().map_err(Refused::Store)?;
    let now = dir.user_by_id(id).map_err(Refused::Store)?;
    if !now.is_some_and(|u| u.admin && u.enabled) {
        return Err(Refused::NotAdmin);
    }
    let rows = oxmapi_store::mailbox_table::mailbox_rows(&dir, |u| match state.stores.open_private(u) {
        Some(s) => Ok(s),
        None => state.data.open_mailbox(u).map(Arc::new),
    })
    .map_err(Refused::Store)?;
    Ok(encode(&rows))
}
