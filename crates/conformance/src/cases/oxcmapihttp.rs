//! MS-OXCMAPIHTTP: the MAPI extensions for HTTP — authentication, the common request and
//! response headers (2.2.3.3), cookies (2.2.3.2) and the response stream (2.2.7). Ported from
//! Microsoft's MS-OXCMAPIHTTP suite (ExchangeMAPI/Source/MS-OXCMAPIHTTP: the adapter's
//! VerifyHTTPHeaders/VerifyAdditionalHeaders/VerifyAuthentication capture code).

use oxmapi_wire::mapihttp::emsmdb::ConnectRequest;

use crate::case::{Case, CaseResult, Protocol, ensure, fail};
use crate::context::Ctx;
use crate::http::Reply;
use crate::session::Emsmdb;

const P: Protocol = Protocol::OxcMapiHttp;

/// The cases of this module.
pub const CASES: &[Case] = &[
    Case {
        name: "oxcmapihttp_unauthenticated_request_refused",
        protocol: P,
        section: "MS-OXCMAPIHTTP 2.2.2.1",
        requirements: &["MS-OXCMAPIHTTP_R35"],
        needs: &[],
        run: unauthenticated_request_refused,
    },
    Case {
        name: "oxcmapihttp_response_code_is_numeric",
        protocol: P,
        section: "MS-OXCMAPIHTTP 2.2.3.3.3",
        requirements: &["MS-OXCMAPIHTTP_R132"],
        needs: &[],
        run: response_code_is_numeric,
    },
    Case {
        name: "oxcmapihttp_server_application_on_every_response",
        protocol: P,
        section: "MS-OXCMAPIHTTP 2.2.3.3.8",
        requirements: &["MS-OXCMAPIHTTP_R164"],
        needs: &[],
        run: server_application_header,
    },
    Case {
        name: "oxcmapihttp_expiration_info_on_every_response",
        protocol: P,
        section: "MS-OXCMAPIHTTP 2.2.3.3.10",
        requirements: &["MS-OXCMAPIHTTP_R167"],
        needs: &[],
        run: expiration_info_header,
    },
    Case {
        name: "oxcmapihttp_set_cookie_is_name_value",
        protocol: P,
        section: "MS-OXCMAPIHTTP 2.2.3.2.2",
        requirements: &["MS-OXCMAPIHTTP_R68"],
        needs: &[],
        run: set_cookie_form,
    },
    Case {
        name: "oxcmapihttp_elapsed_time_in_final_response",
        protocol: P,
        section: "MS-OXCMAPIHTTP 2.2.3.3.9",
        requirements: &["MS-OXCMAPIHTTP_R168", "MS-OXCMAPIHTTP_R169"],
        needs: &[],
        run: elapsed_time,
    },
    Case {
        name: "oxcmapihttp_start_time_in_final_response",
        protocol: P,
        section: "MS-OXCMAPIHTTP 2.2.3.3.10",
        requirements: &["MS-OXCMAPIHTTP_R170", "MS-OXCMAPIHTTP_R171"],
        needs: &[],
        run: start_time,
    },
];

/// A Connect as the first user on a fresh context; returns the reply (the context is
/// disconnected again).
fn connect_reply(ctx: &mut Ctx) -> Result<Reply, crate::case::Verdict> {
    let mut e = ctx.emsmdb();
    let dn = ctx.me.dn.clone();
    let (reply, _) = e.connect(&dn, 0)?;
    if reply.response_code() == Some(0) {
        let _ = e.disconnect();
    }
    Ok(reply)
}

fn unauthenticated_request_refused(ctx: &mut Ctx) -> CaseResult {
    let mut c = crate::session::Context::new(ctx.anonymous_http(), ctx.endpoints.emsmdb.clone());
    let body: ConnectRequest = Emsmdb::connect_request(&ctx.me.dn, 0);
    let r = c.post("Connect", &body.encode())?;
    ensure(
        r.status == 401 || r.response_code() == Some(8),
        "HTTP 401 (or X-ResponseCode 8, Anonymous Not Allowed) for a request without credentials",
        r.summary(),
    )
}

fn response_code_is_numeric(ctx: &mut Ctx) -> CaseResult {
    let r = connect_reply(ctx)?;
    let v = r.header("X-ResponseCode").ok_or_else(|| fail("an X-ResponseCode header", "none"))?;
    ensure(v.trim().parse::<u32>().is_ok(), "a decimal X-ResponseCode", format!("{v:?}"))
}

fn server_application_header(ctx: &mut Ctx) -> CaseResult {
    let r = connect_reply(ctx)?;
    let v = r.header("X-ServerApplication").unwrap_or("");
    ensure(!v.trim().is_empty(), "a non-empty X-ServerApplication header", format!("{v:?}"))
}

fn expiration_info_header(ctx: &mut Ctx) -> CaseResult {
    let r = connect_reply(ctx)?;
    let v = r.header("X-ExpirationInfo").unwrap_or("");
    ensure(!v.trim().is_empty(), "a non-empty X-ExpirationInfo header", format!("{v:?}"))
}

fn set_cookie_form(ctx: &mut Ctx) -> CaseResult {
    let r = connect_reply(ctx)?;
    let cookies: Vec<&str> = r.headers_named("Set-Cookie").collect();
    ensure(!cookies.is_empty(), "Set-Cookie on a Connect response", "none")?;
    for c in cookies {
        let first = c.split(';').next().unwrap_or("");
        ensure(
            first.split_once('=').is_some_and(|(n, _)| !n.trim().is_empty()),
            "Set-Cookie of the form <cookie name>=<opaque string>",
            format!("{c:?}"),
        )?;
    }
    Ok(())
}

fn elapsed_time(ctx: &mut Ctx) -> CaseResult {
    let r = connect_reply(ctx)?;
    let s = r.stream()?;
    let v = s
        .header("X-ElapsedTime")
        .ok_or_else(|| fail("X-ElapsedTime among the additional headers", "none"))?;
    ensure(v.trim().parse::<u64>().is_ok(), "X-ElapsedTime in milliseconds", format!("{v:?}"))
}

fn start_time(ctx: &mut Ctx) -> CaseResult {
    let r = connect_reply(ctx)?;
    let s = r.stream()?;
    let v =
        s.header("X-StartTime").ok_or_else(|| fail("X-StartTime among the additional headers", "none"))?;
    ensure(!v.trim().is_empty(), "a non-empty X-StartTime", format!("{v:?}"))
}
