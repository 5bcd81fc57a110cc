//! MS-OXCMAPIHTTP: the MAPI extensions for HTTP — authentication, the common request and
//! response headers (2.2.3.3), cookies (2.2.3.2) and the response stream (2.2.7). Ported from
//! Microsoft's MS-OXCMAPIHTTP suite (ExchangeMAPI/Source/MS-OXCMAPIHTTP: the adapter's
//! VerifyHTTPHeaders/VerifyAdditionalHeaders/VerifyAuthentication capture code).

use oxmapi_wire::mapihttp::common::Response;
use oxmapi_wire::mapihttp::emsmdb::{
    ConnectRequest, DisconnectResponse, ExecuteResponse, NotificationWaitRequest, NotificationWaitSuccess,
};
use oxmapi_wire::mapihttp::nspi::*;
use oxmapi_wire::rop::buffer::{RopBuffer, UNUSED_HANDLE, encode_requests};

use crate::case::{Case, CaseResult, Protocol, Verdict, ensure, eq, eq_code, fail, skip};
use crate::cases::oxnspi;
use crate::context::{Ctx, stat};
use crate::http::Reply;
use crate::rops;
use crate::session::{DEFAULT_MAX_ROP_OUT, Emsmdb};

const P: Protocol = Protocol::OxcMapiHttp;

/// The cases of this module.
pub const CASES: &[Case] = &[
    case(
        "oxcmapihttp_unauthenticated_request_refused",
        "MS-OXCMAPIHTTP 2.2.2.1",
        &["MS-OXCMAPIHTTP_R35", "MS-OXCMAPIHTTP_R36", "MS-OXCMAPIHTTP_R1331"],
        unauthenticated_request_refused,
    ),
    case(
        "oxcmapihttp_response_code_is_numeric",
        "MS-OXCMAPIHTTP 2.2.3.3.3",
        &["MS-OXCMAPIHTTP_R132", "MS-OXCMAPIHTTP_R54"],
        response_code_is_numeric,
    ),
    case(
        "oxcmapihttp_server_application_on_every_response",
        "MS-OXCMAPIHTTP 2.2.3.3.8",
        &["MS-OXCMAPIHTTP_R164"],
        server_application_header,
    ),
    case(
        "oxcmapihttp_expiration_info_on_every_response",
        "MS-OXCMAPIHTTP 2.2.3.3.11",
        &["MS-OXCMAPIHTTP_R167"],
        expiration_info_header,
    ),
    case(
        "oxcmapihttp_set_cookie_is_name_value",
        "MS-OXCMAPIHTTP 2.2.3.2.3",
        &["MS-OXCMAPIHTTP_R68"],
        set_cookie_form,
    ),
    case(
        "oxcmapihttp_elapsed_time_in_final_response",
        "MS-OXCMAPIHTTP 2.2.3.3.9",
        &["MS-OXCMAPIHTTP_R168", "MS-OXCMAPIHTTP_R169"],
        elapsed_time,
    ),
    case(
        "oxcmapihttp_start_time_in_final_response",
        "MS-OXCMAPIHTTP 2.2.3.3.10",
        &["MS-OXCMAPIHTTP_R170", "MS-OXCMAPIHTTP_R171"],
        start_time,
    ),
    case(
        "oxcmapihttp_success_is_http_200_and_response_code_0",
        "MS-OXCMAPIHTTP 2.2.2.2",
        &[
            "MS-OXCMAPIHTTP_R48",
            "MS-OXCMAPIHTTP_R133",
            "MS-OXCMAPIHTTP_R136",
            "MS-OXCMAPIHTTP_R55",
            "MS-OXCMAPIHTTP_R1301",
        ],
        success_is_200,
    ),
    case(
        "oxcmapihttp_connect_success_body",
        "MS-OXCMAPIHTTP 2.2.4.1.2",
        &[
            "MS-OXCMAPIHTTP_R1218",
            "MS-OXCMAPIHTTP_R209",
            "MS-OXCMAPIHTTP_R1349",
            "MS-OXCMAPIHTTP_R1352",
            "MS-OXCMAPIHTTP_R215",
        ],
        connect_success_body,
    ),
    case(
        "oxcmapihttp_connect_display_name_is_the_users",
        "MS-OXCMAPIHTTP 2.2.4.1.2",
        &["MS-OXCMAPIHTTP_R216"],
        connect_display_name,
    ),
    case(
        "oxcmapihttp_connect_returns_session_cookie",
        "MS-OXCMAPIHTTP 3.2.5.1",
        &["MS-OXCMAPIHTTP_R1221", "MS-OXCMAPIHTTP_R1219", "MS-OXCMAPIHTTP_R1147", "MS-OXCMAPIHTTP_R181"],
        connect_returns_cookie,
    ),
    case(
        "oxcmapihttp_client_info_echoed",
        "MS-OXCMAPIHTTP 2.2.3.3.5",
        &["MS-OXCMAPIHTTP_R156", "MS-OXCMAPIHTTP_R1146", "MS-OXCMAPIHTTP_R155"],
        client_info_echoed,
    ),
    case(
        "oxcmapihttp_request_id_echoed",
        "MS-OXCMAPIHTTP 2.2.3.3.2",
        &["MS-OXCMAPIHTTP_R2040", "MS-OXCMAPIHTTP_R1432"],
        request_id_echoed,
    ),
    case(
        "oxcmapihttp_request_type_echoed",
        "MS-OXCMAPIHTTP 2.2.4",
        &["MS-OXCMAPIHTTP_R176", "MS-OXCMAPIHTTP_R1431"],
        request_type_echoed,
    ),
    case(
        "oxcmapihttp_execute_starts_with_processing",
        "MS-OXCMAPIHTTP 2.2.7",
        &[
            "MS-OXCMAPIHTTP_R1265",
            "MS-OXCMAPIHTTP_R1134",
            "MS-OXCMAPIHTTP_R1238",
            "MS-OXCMAPIHTTP_R1263",
            "MS-OXCMAPIHTTP_R1131",
        ],
        execute_starts_with_processing,
    ),
    case(
        "oxcmapihttp_execute_meta_tags_are_known",
        "MS-OXCMAPIHTTP 2.2.7",
        &["MS-OXCMAPIHTTP_R1130"],
        execute_meta_tags_known,
    ),
    case(
        "oxcmapihttp_execute_done_then_additional_headers",
        "MS-OXCMAPIHTTP 3.2.5.5",
        &[
            "MS-OXCMAPIHTTP_R1136",
            "MS-OXCMAPIHTTP_R1268",
            "MS-OXCMAPIHTTP_R1244",
            "MS-OXCMAPIHTTP_R1269",
            "MS-OXCMAPIHTTP_R1270",
            "MS-OXCMAPIHTTP_R1271",
            "MS-OXCMAPIHTTP_R1274",
        ],
        execute_done_then_headers,
    ),
    case(
        "oxcmapihttp_execute_success_body",
        "MS-OXCMAPIHTTP 2.2.4.2.2",
        &[
            "MS-OXCMAPIHTTP_R250",
            "MS-OXCMAPIHTTP_R1356",
            "MS-OXCMAPIHTTP_R1358",
            "MS-OXCMAPIHTTP_R1360",
            "MS-OXCMAPIHTTP_R1361",
            "MS-OXCMAPIHTTP_R1264",
        ],
        execute_success_body,
    ),
    case(
        "oxcmapihttp_execute_response_is_chunked",
        "MS-OXCMAPIHTTP 2.2.3.2.5",
        &[
            "MS-OXCMAPIHTTP_R1230",
            "MS-OXCMAPIHTTP_R1266",
            "MS-OXCMAPIHTTP_R62",
            "MS-OXCMAPIHTTP_R76",
            "MS-OXCMAPIHTTP_R1232",
            "MS-OXCMAPIHTTP_R1300",
        ],
        execute_chunked,
    ),
    case(
        "oxcmapihttp_execute_runs_rops_on_the_logon",
        "MS-OXCMAPIHTTP 2.2.4.2",
        &["MS-OXCMAPIHTTP_R226", "MS-OXCMAPIHTTP_R181"],
        execute_runs_rops,
    ),
    case(
        "oxcmapihttp_disconnect_success_body",
        "MS-OXCMAPIHTTP 2.2.4.3.2",
        &[
            "MS-OXCMAPIHTTP_R281",
            "MS-OXCMAPIHTTP_R1363",
            "MS-OXCMAPIHTTP_R1365",
            "MS-OXCMAPIHTTP_R1250",
            "MS-OXCMAPIHTTP_R1255",
        ],
        disconnect_success_body,
    ),
    case(
        "oxcmapihttp_execute_after_disconnect_context_not_found",
        "MS-OXCMAPIHTTP 3.2.5.4",
        &["MS-OXCMAPIHTTP_R304", "MS-OXCMAPIHTTP_R146", "MS-OXCMAPIHTTP_R1253", "MS-OXCMAPIHTTP_R1252"],
        execute_after_disconnect,
    ),
    case(
        "oxcmapihttp_invalid_request_type",
        "MS-OXCMAPIHTTP 2.2.3.3.3",
        &["MS-OXCMAPIHTTP_R141", "MS-OXCMAPIHTTP_R1459"],
        invalid_request_type,
    ),
    case("oxcmapihttp_missing_cookie", "MS-OXCMAPIHTTP 2.2.3.3.3", &["MS-OXCMAPIHTTP_R149"], missing_cookie),
    case(
        "oxcmapihttp_invalid_context_cookie",
        "MS-OXCMAPIHTTP 2.2.3.3.3",
        &["MS-OXCMAPIHTTP_R142"],
        invalid_context_cookie,
    ),
    case(
        "oxcmapihttp_invalid_request_body",
        "MS-OXCMAPIHTTP 2.2.3.3.3",
        &["MS-OXCMAPIHTTP_R148"],
        invalid_request_body,
    ),
    case(
        "oxcmapihttp_missing_request_id_header",
        "MS-OXCMAPIHTTP 2.2.3.3.3",
        &["MS-OXCMAPIHTTP_R143", "MS-OXCMAPIHTTP_R49"],
        missing_request_id,
    ),
    case(
        "oxcmapihttp_ping_mailbox_endpoint",
        "MS-OXCMAPIHTTP 2.2.6",
        &[
            "MS-OXCMAPIHTTP_R1124",
            "MS-OXCMAPIHTTP_R1127",
            "MS-OXCMAPIHTTP_R1460",
            "MS-OXCMAPIHTTP_R1247",
            "MS-OXCMAPIHTTP_R1249",
        ],
        ping_mailbox,
    ),
    case(
        "oxcmapihttp_ping_address_book_endpoint",
        "MS-OXCMAPIHTTP 2.2.6",
        &["MS-OXCMAPIHTTP_R1128", "MS-OXCMAPIHTTP_R1460"],
        ping_address_book,
    ),
    case(
        "oxcmapihttp_reconnect_with_old_cookies",
        "MS-OXCMAPIHTTP 3.2.5.7",
        &["MS-OXCMAPIHTTP_R1280", "MS-OXCMAPIHTTP_R1278", "MS-OXCMAPIHTTP_R1329"],
        reconnect_with_old_cookies,
    ),
    case(
        "oxcmapihttp_bind_returns_session_cookie",
        "MS-OXCMAPIHTTP 3.2.5.1",
        &["MS-OXCMAPIHTTP_R1221", "MS-OXCMAPIHTTP_R1219"],
        bind_returns_cookie,
    ),
    case(
        "oxcmapihttp_request_after_unbind_context_not_found",
        "MS-OXCMAPIHTTP 3.2.5.4",
        &["MS-OXCMAPIHTTP_R1252", "MS-OXCMAPIHTTP_R1253", "MS-OXCMAPIHTTP_R146"],
        request_after_unbind,
    ),
    case(
        "oxcmapihttp_get_is_an_invalid_verb",
        "MS-OXCMAPIHTTP 2.2.3.3.3",
        &[
            "MS-OXCMAPIHTTP 2.2.3.3.3 (Invalid Verb (2): the request used a verb other than POST)",
            "MS-OXCMAPIHTTP_R456",
        ],
        get_is_invalid_verb,
    ),
    case(
        "oxcmapihttp_ntlm_handshake_on_get_is_challenged",
        "MS-OXCMAPIHTTP 2.2.2.1",
        &["MS-OXCMAPIHTTP_R35"],
        ntlm_on_get_challenged,
    ),
    case(
        "oxcmapihttp_ntlm_authenticates_post",
        "MS-OXCMAPIHTTP 2.2.2.1",
        &["MS-OXCMAPIHTTP_R35"],
        ntlm_authenticates_post,
    ),
    case(
        "oxcmapihttp_content_type_of_responses",
        "MS-OXCMAPIHTTP 2.2.3.2.2",
        &["MS-OXCMAPIHTTP 2.2.3.2.2 (Content-Type: application/mapi-http)"],
        content_type,
    ),
    case(
        "oxcmapihttp_bind_success",
        "MS-OXCMAPIHTTP 2.2.5.1",
        &["MS-OXCMAPIHTTP_R324", "MS-OXCMAPIHTTP_R1441"],
        ab_bind_success,
    ),
    case(
        "oxcmapihttp_bind_ignores_flags",
        "MS-OXCMAPIHTTP 2.2.5.1.1",
        &["MS-OXCMAPIHTTP_R1320"],
        ab_bind_flags,
    ),
    case(
        "oxcmapihttp_unbind_success",
        "MS-OXCMAPIHTTP 2.2.5.2",
        &["MS-OXCMAPIHTTP_R353", "MS-OXCMAPIHTTP_R1438"],
        ab_unbind,
    ),
    case(
        "oxcmapihttp_get_mailbox_url",
        "MS-OXCMAPIHTTP 2.2.5.18",
        &["MS-OXCMAPIHTTP_R1089"],
        ab_get_mailbox_url,
    ),
    case(
        "oxcmapihttp_get_address_book_url",
        "MS-OXCMAPIHTTP 2.2.5.19",
        &["MS-OXCMAPIHTTP_R1106"],
        ab_get_address_book_url,
    ),
    case(
        "oxcmapihttp_dn_to_min_id",
        "MS-OXCMAPIHTTP 2.2.5.4",
        &["MS-OXCMAPIHTTP_R405", "MS-OXCMAPIHTTP_R436"],
        ab_dn_to_min_id,
    ),
    case(
        "oxcmapihttp_dn_to_min_id_without_names",
        "MS-OXCMAPIHTTP 2.2.5.4.1",
        &["MS-OXCMAPIHTTP 2.2.5.4.1 (HasNames 0: no Names field)"],
        ab_dn_to_min_id_without_names,
    ),
    case(
        "oxcmapihttp_compare_min_ids_precedes",
        "MS-OXCMAPIHTTP 2.2.5.3",
        &["MS-OXCMAPIHTTP_R372", "MS-OXCMAPIHTTP_R2111"],
        ab_compare_less,
    ),
    case(
        "oxcmapihttp_compare_min_ids_succeeds",
        "MS-OXCMAPIHTTP 2.2.5.3.2",
        &["MS-OXCMAPIHTTP_R2112"],
        ab_compare_greater,
    ),
    case(
        "oxcmapihttp_compare_min_ids_same",
        "MS-OXCMAPIHTTP 2.2.5.3.2",
        &["MS-OXCMAPIHTTP_R2109", "MS-OXCMAPIHTTP_R2110"],
        ab_compare_same,
    ),
    case(
        "oxcmapihttp_compare_min_ids_without_state",
        "MS-OXCMAPIHTTP 2.2.5.3.1",
        &["MS-OXCMAPIHTTP 2.2.5.3.1 (HasState 0: no State field)"],
        ab_compare_without_state,
    ),
    case(
        "oxcmapihttp_resort_restriction_sorts",
        "MS-OXCMAPIHTTP 2.2.5.15",
        &["MS-OXCMAPIHTTP_R958"],
        ab_resort_sorts,
    ),
    case(
        "oxcmapihttp_resort_restriction_without_state_or_ids",
        "MS-OXCMAPIHTTP 2.2.5.15.1",
        &["MS-OXCMAPIHTTP 2.2.5.15.1 (HasState 0 and HasMinimalIds 0)"],
        ab_resort_without_state,
    ),
    case(
        "oxcmapihttp_update_stat_changes_state",
        "MS-OXCMAPIHTTP 2.2.5.17",
        &["MS-OXCMAPIHTTP_R1059", "MS-OXCMAPIHTTP_R1083"],
        ab_update_stat,
    ),
    case(
        "oxcmapihttp_update_stat_without_state",
        "MS-OXCMAPIHTTP 2.2.5.17.1",
        &["MS-OXCMAPIHTTP 2.2.5.17.1 (HasState 0: no State field)"],
        ab_update_stat_without_state,
    ),
    case(
        "oxcmapihttp_get_special_table",
        "MS-OXCMAPIHTTP 2.2.5.8",
        &["MS-OXCMAPIHTTP_R631", "MS-OXCMAPIHTTP_R677"],
        ab_special_table,
    ),
    case(
        "oxcmapihttp_get_special_table_ignores_other_flags",
        "MS-OXCMAPIHTTP 2.2.5.8.1",
        &["MS-OXCMAPIHTTP_R1322"],
        ab_special_table_flags,
    ),
    case(
        "oxcmapihttp_get_special_table_without_state",
        "MS-OXCMAPIHTTP 2.2.5.8.1",
        &["MS-OXCMAPIHTTP 2.2.5.8.1 (HasState 0: no State field)"],
        ab_special_table_without_state,
    ),
    case(
        "oxcmapihttp_address_book_request_type_on_mailbox_endpoint",
        "MS-OXCMAPIHTTP 2.2.3.3.1",
        &["MS-OXCMAPIHTTP_R141"],
        ab_type_on_mailbox_endpoint,
    ),
    case(
        "oxcmapihttp_missing_request_type_header",
        "MS-OXCMAPIHTTP 2.2.3.3.3",
        &["MS-OXCMAPIHTTP_R143"],
        missing_request_type,
    ),
    case(
        "oxcmapihttp_expiration_info_is_milliseconds",
        "MS-OXCMAPIHTTP 2.2.3.3.11",
        &["MS-OXCMAPIHTTP_R167"],
        expiration_info_numeric,
    ),
    case(
        "oxcmapihttp_stale_sequence_cookie_invalid_sequence",
        "MS-OXCMAPIHTTP 2.2.3.3.3",
        &["MS-OXCMAPIHTTP_R151"],
        stale_sequence_cookie,
    ),
    case(
        "oxcmapihttp_notification_wait_with_pending_event",
        "MS-OXCMAPIHTTP 2.2.4.4",
        &[
            "MS-OXCMAPIHTTP_R308",
            "MS-OXCMAPIHTTP_R1256",
            "MS-OXCMAPIHTTP_R283",
            "MS-OXCMAPIHTTP_R1369",
            "MS-OXCMAPIHTTP_R285",
        ],
        notification_wait_pending,
    ),
];

crate::case_constructor!(P);

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

/// The Execute body of one RopLogon for the first user.
fn logon_body(ctx: &Ctx) -> Result<Vec<u8>, Verdict> {
    let rops = encode_requests(&[rops::logon_private(0, &ctx.me.dn)]);
    let payload = RopBuffer { rops, handles: vec![UNUSED_HANDLE] }.encode();
    Ok(Emsmdb::execute_request(&payload, DEFAULT_MAX_ROP_OUT)?.encode())
}

/// Posts an Execute with a RopLogon on `e` as it is (its cookies may have been altered).
fn execute_logon(ctx: &Ctx, e: &mut Emsmdb) -> Result<Reply, Verdict> {
    let body = logon_body(ctx)?;
    Ok(e.ctx.post("Execute", &body)?)
}

/// An Execute with a RopLogon on a fresh connected context (disconnected afterwards).
fn connected_execute(ctx: &Ctx) -> Result<Reply, Verdict> {
    let mut e = ctx.connected()?;
    let r = execute_logon(ctx, &mut e);
    let _ = e.disconnect();
    r
}

/// The meta-tags at the start of a response stream, up to and including `DONE`.
fn meta_tags(body: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
        let line = String::from_utf8_lossy(&rest[..i]).into_owned();
        rest = &rest[i + 2..];
        let done = line == "DONE";
        out.push(line);
        if done || out.len() > 10_000 {
            break;
        }
    }
    out
}

fn expect_code(what: &str, r: &Reply, code: u32) -> CaseResult {
    ensure(
        r.response_code() == Some(code),
        format!("{what}: X-ResponseCode {code}"),
        format!("{what}: {}", r.summary()),
    )
}

fn success_is_200(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.emsmdb();
    let dn = ctx.me.dn.clone();
    let (r, resp) = e.connect(&dn, 0)?;
    if r.response_code() == Some(0) {
        let _ = e.disconnect();
    }
    eq("HTTP status", 200, r.status)?;
    expect_code("Connect", &r, 0)?;
    ensure(matches!(resp, Some(Response::Success(_))), "a Connect success body", format!("{resp:?}"))
}

fn connect_success_body(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.emsmdb();
    let dn = ctx.me.dn.clone();
    let (r, resp) = e.connect(&dn, 0)?;
    if r.response_code() == Some(0) {
        let _ = e.disconnect();
    }
    match resp {
        Some(Response::Success(s)) => {
            eq("Connect ErrorCode", 0, s.error_code)?;
            ensure(s.dn_prefix.is_ascii(), "an ASCII DnPrefix", format!("{:?}", s.dn_prefix))
        }
        other => Err(fail("a Connect success body (StatusCode 0)", format!("{other:?} ({})", r.summary()))),
    }
}

fn connect_display_name(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.emsmdb();
    let dn = ctx.me.dn.clone();
    let (r, resp) = e.connect(&dn, 0)?;
    if r.response_code() == Some(0) {
        let _ = e.disconnect();
    }
    let Some(Response::Success(s)) = resp else { return Err(fail("a Connect success body", r.summary())) };
    ensure(
        s.display_name.eq_ignore_ascii_case(&ctx.me.display_name),
        format!("DisplayName {:?} (the address book's PidTagDisplayName of UserDn)", ctx.me.display_name),
        format!("DisplayName {:?}", s.display_name),
    )
}

fn connect_returns_cookie(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.emsmdb();
    let dn = ctx.me.dn.clone();
    let (r, _) = e.connect(&dn, 0)?;
    expect_code("Connect", &r, 0)?;
    let cookie = r.header("Set-Cookie").is_some();
    let x = execute_logon(ctx, &mut e);
    let _ = e.disconnect();
    ensure(cookie, "Set-Cookie on the Connect response", "none")?;
    let x = x?;
    expect_code("Execute with the cookies Connect set", &x, 0)
}

/// Sends Connect with the standard headers and returns what the request carried in header
/// `name` and the reply.
fn connect_capturing(ctx: &Ctx, name: &str) -> Result<(String, Reply), Verdict> {
    let mut e = ctx.emsmdb();
    let body = Emsmdb::connect_request(&ctx.me.dn, 0).encode();
    let mut sent = String::new();
    let r = e.ctx.post_with("Connect", &body, |h| {
        sent =
            h.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone()).unwrap_or_default();
    })?;
    if r.response_code() == Some(0) {
        let _ = e.disconnect();
    }
    Ok((sent, r))
}

fn client_info_echoed(ctx: &mut Ctx) -> CaseResult {
    let (sent, r) = connect_capturing(ctx, "X-ClientInfo")?;
    eq("X-ClientInfo", Some(sent.as_str()), r.header("X-ClientInfo"))
}

fn request_id_echoed(ctx: &mut Ctx) -> CaseResult {
    let (sent, r) = connect_capturing(ctx, "X-RequestId")?;
    eq("X-RequestId", Some(sent.as_str()), r.header("X-RequestId"))
}

fn request_type_echoed(ctx: &mut Ctx) -> CaseResult {
    let r = connect_reply(ctx)?;
    eq("X-RequestType of the Connect response", Some("Connect"), r.header("X-RequestType"))?;
    let x = connected_execute(ctx)?;
    eq("X-RequestType of the Execute response", Some("Execute"), x.header("X-RequestType"))
}

fn execute_starts_with_processing(ctx: &mut Ctx) -> CaseResult {
    let r = connected_execute(ctx)?;
    let tags = meta_tags(&r.body);
    eq("the first meta-tag", Some("PROCESSING"), tags.first().map(String::as_str))
}

fn execute_meta_tags_known(ctx: &mut Ctx) -> CaseResult {
    let r = connected_execute(ctx)?;
    let tags = meta_tags(&r.body);
    ensure(
        !tags.is_empty() && tags.iter().all(|t| ["PROCESSING", "PENDING", "DONE"].contains(&t.as_str())),
        "meta-tags from PROCESSING, PENDING, DONE ending with DONE",
        format!("{tags:?}"),
    )?;
    eq("the last meta-tag", Some("DONE"), tags.last().map(String::as_str))
}

fn execute_done_then_headers(ctx: &mut Ctx) -> CaseResult {
    let r = connected_execute(ctx)?;
    let s = r.stream()?;
    for h in ["X-ElapsedTime", "X-StartTime"] {
        ensure(
            s.header(h).is_some(),
            format!("{h} among the headers after DONE"),
            format!("{:?}", s.headers),
        )?;
    }
    // The final X-ResponseCode: among the additional headers, or (as Exchange streams it) the
    // HTTP header sent before PROCESSING.
    let code = s.header("X-ResponseCode").or(r.header("X-ResponseCode")).map(str::trim);
    eq("the final X-ResponseCode", Some("0"), code)
}

fn execute_success_body(ctx: &mut Ctx) -> CaseResult {
    let r = connected_execute(ctx)?;
    expect_code("Execute", &r, 0)?;
    let resp = ExecuteResponse::decode(&r.mapi_body()?).map_err(|e| fail("an Execute response body", e))?;
    let Response::Success(s) = resp else { return Err(fail("StatusCode 0", format!("{resp:?}"))) };
    eq("ErrorCode", 0, s.error_code)?;
    eq("Flags", 0, s.flags)?;
    ensure(!s.rop_buffer.is_empty(), "a RopBuffer with the RopLogon response", "an empty RopBuffer")
}

fn execute_chunked(ctx: &mut Ctx) -> CaseResult {
    let r = connected_execute(ctx)?;
    let te = r.header("Transfer-Encoding").unwrap_or("");
    ensure(
        te.to_ascii_lowercase().contains("chunked"),
        "Transfer-Encoding: chunked",
        format!("Transfer-Encoding {te:?}"),
    )?;
    ensure(
        r.header("Content-Length").is_none(),
        "no Content-Length on a chunked response",
        format!("Content-Length {:?}", r.header("Content-Length")),
    )
}

fn execute_runs_rops(ctx: &mut Ctx) -> CaseResult {
    let mut m = ctx.logged_on()?;
    let inbox = m.info.folder_ids[crate::context::FOLDER_INBOX];
    let x = m.ems.execute(&[rops::open_folder(0, 1, inbox)], vec![m.logon, UNUSED_HANDLE]);
    let _ = m.ems.disconnect();
    let x = x?;
    eq("Execute ErrorCode", 0, x.error_code)?;
    let resp = x.responses.first().ok_or_else(|| fail("a RopOpenFolder response", "none"))?;
    crate::case::expect_rv("RopOpenFolder on the logon handle", resp, 0)
}

fn disconnect_success_body(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let r = e.disconnect()?;
    expect_code("Disconnect", &r, 0)?;
    let resp =
        DisconnectResponse::decode(&r.mapi_body()?).map_err(|e| fail("a Disconnect response body", e))?;
    let Response::Success(s) = resp else { return Err(fail("StatusCode 0", format!("{resp:?}"))) };
    eq("Disconnect ErrorCode", 0, s.error_code)?;
    ensure(r.header("Cookie").is_none(), "no Cookie header in the Disconnect response", "a Cookie header")
}

fn execute_after_disconnect(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let saved = e.ctx.cookies.clone();
    let r = e.disconnect()?;
    expect_code("Disconnect", &r, 0)?;
    e.ctx.cookies = saved;
    let x = execute_logon(ctx, &mut e)?;
    expect_code("Execute with the cookies of a disconnected context", &x, 10)
}

fn invalid_request_type(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let body = logon_body(ctx)?;
    let r = e.ctx.post("invalidValue", &body);
    let _ = e.disconnect();
    expect_code("Execute body with X-RequestType invalidValue", &r?, 5)
}

fn missing_cookie(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let saved = std::mem::take(&mut e.ctx.cookies);
    let r = execute_logon(ctx, &mut e);
    e.ctx.cookies = saved;
    let _ = e.disconnect();
    expect_code("Execute without cookies", &r?, 13)
}

fn invalid_context_cookie(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let saved = e.ctx.cookies.clone();
    for (_, v) in e.ctx.cookies.0.iter_mut() {
        *v = "Invalid cookie".to_string();
    }
    let r = execute_logon(ctx, &mut e);
    e.ctx.cookies = saved;
    let _ = e.disconnect();
    expect_code("Execute with every cookie value replaced by \"Invalid cookie\"", &r?, 6)
}

fn invalid_request_body(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    // MS-OXCMAPIHTTP S01_TC05: RopBufferSize announces a buffer that is not there.
    let mut body = Vec::new();
    body.extend_from_slice(&3u32.to_le_bytes());
    body.extend_from_slice(&(logon_body(ctx)?.len() as u32).to_le_bytes());
    body.extend_from_slice(&DEFAULT_MAX_ROP_OUT.to_le_bytes());
    body.extend_from_slice(&0u32.to_le_bytes());
    let r = e.ctx.post("Execute", &body);
    let _ = e.disconnect();
    expect_code("Execute whose RopBufferSize exceeds the body", &r?, 12)
}

fn missing_request_id(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.emsmdb();
    let body = Emsmdb::connect_request(&ctx.me.dn, 0).encode();
    let r =
        e.ctx.post_with("Connect", &body, |h| h.retain(|(k, _)| !k.eq_ignore_ascii_case("X-RequestId")))?;
    if r.response_code() == Some(0) {
        let _ = e.disconnect();
    }
    expect_code("Connect without X-RequestId", &r, 7)?;
    eq("HTTP status of a non-exceptional failure", 200, r.status)
}

fn check_ping(r: &Reply) -> CaseResult {
    expect_code("PING", r, 0)?;
    let tags = meta_tags(&r.body);
    ensure(!tags.is_empty(), "meta-tags in the PING response", "none")?;
    let body = r.mapi_body()?;
    ensure(body.is_empty(), "no PING response body", format!("{} body bytes", body.len()))
}

fn ping_mailbox(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let r = e.ctx.post("PING", &[]);
    let _ = e.disconnect();
    check_ping(&r?)
}

fn ping_address_book(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    crate::cases::oxnspi::bind(&mut n, 0)?;
    let r = n.ctx.post("PING", &[]);
    let _ = crate::cases::oxnspi::unbind(&mut n, 0);
    check_ping(&r?)
}

fn reconnect_with_old_cookies(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let dn = ctx.me.dn.clone();
    let (r, _) = e.connect(&dn, 0)?;
    expect_code("Connect with the cookies of a live context", &r, 0)?;
    ensure(r.header("Set-Cookie").is_some(), "Set-Cookie on the reconnect response", "none")?;
    let x = execute_logon(ctx, &mut e)?;
    expect_code("Execute after the reconnect", &x, 0)?;
    // Without the sequence cookie, as the suite's S01_TC02 does.
    e.ctx.cookies.0.retain(|(k, _)| !k.to_ascii_lowercase().contains("sequence"));
    let (r2, _) = e.connect(&dn, 0)?;
    let _ = e.disconnect();
    expect_code("Connect without the sequence cookie", &r2, 0)
}

fn bind_returns_cookie(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    let req = BindRequest { flags: 0, state: Some(stat()), auxiliary_buffer: vec![] };
    let r = n.ctx.post("Bind", &req.encode())?;
    let has = r.header("Set-Cookie").is_some();
    if r.response_code() == Some(0) {
        let _ = crate::cases::oxnspi::unbind(&mut n, 0);
    }
    expect_code("Bind", &r, 0)?;
    ensure(has, "Set-Cookie on the Bind response", "none")
}

fn request_after_unbind(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    crate::cases::oxnspi::bind(&mut n, 0)?;
    let saved = n.ctx.cookies.clone();
    crate::cases::oxnspi::unbind(&mut n, 0)?;
    n.ctx.cookies = saved;
    let req = QueryColumnsRequest { reserved: 0, mapi_flags: 0, auxiliary_buffer: vec![] };
    let r = n.ctx.post("QueryColumns", &req.encode())?;
    expect_code("QueryColumns with the cookies of an unbound context", &r, 10)
}

fn get_is_invalid_verb(ctx: &mut Ctx) -> CaseResult {
    let mut c = crate::session::Context::new(ctx.http(), ctx.endpoints.emsmdb.clone());
    let h = c.headers("Connect");
    let path = c.path.clone();
    let r = c.http.send("GET", &path, &h, &[])?;
    match r.response_code() {
        Some(2) | None => Ok(()),
        Some(_) => Err(fail("X-ResponseCode 2 (Invalid Verb) or no MAPI processing for a GET", r.summary())),
    }
}

/// Whether the server offers NTLM (or Negotiate) on the mailbox endpoint.
fn offers_ntlm(ctx: &Ctx) -> Result<bool, Verdict> {
    let mut h = ctx.anonymous_http();
    let offers = h.auth_offers(&ctx.endpoints.emsmdb)?;
    Ok(offers.iter().any(|o| {
        let o = o.to_ascii_lowercase();
        o.starts_with("ntlm") || o.starts_with("negotiate")
    }))
}

fn ntlm_on_get_challenged(ctx: &mut Ctx) -> CaseResult {
    if !offers_ntlm(ctx)? {
        return skip("the server does not offer NTLM or Negotiate authentication");
    }
    let mut h = ctx.anonymous_http();
    let negotiate = oxmapi_wire::ntlm::NtlmClient::new().negotiate();
    let auth =
        oxmapi_wire::ntlm::http::authorization_value(oxmapi_wire::ntlm::http::Scheme::Ntlm, &negotiate);
    let r = h.exchange("GET", &ctx.endpoints.emsmdb, &[], &[], Some(auth))?;
    eq("HTTP status of an NTLM NEGOTIATE on a GET", 401, r.status)?;
    let challenge = r.headers_named("WWW-Authenticate").any(|v| {
        matches!(
            oxmapi_wire::ntlm::http::parse_authorization(v),
            Some((oxmapi_wire::ntlm::http::Scheme::Ntlm | oxmapi_wire::ntlm::http::Scheme::Negotiate, t)) if !t.is_empty()
        )
    });
    ensure(
        challenge,
        "WWW-Authenticate: NTLM <CHALLENGE_MESSAGE>",
        format!("{:?}", r.headers_named("WWW-Authenticate").collect::<Vec<_>>()),
    )
}

fn ntlm_authenticates_post(ctx: &mut Ctx) -> CaseResult {
    if !offers_ntlm(ctx)? {
        return skip("the server does not offer NTLM or Negotiate authentication");
    }
    let mut http = ctx.http();
    http.set_auth_mode(crate::http::AuthMode::Ntlm);
    let mut e = Emsmdb::new(crate::session::Context::new(http, ctx.endpoints.emsmdb.clone()));
    let dn = ctx.me.dn.clone();
    let (r, resp) = e.connect(&dn, 0)?;
    if r.response_code() == Some(0) {
        let _ = e.disconnect();
    }
    expect_code("Connect authenticated with NTLMv2", &r, 0)?;
    ensure(
        matches!(resp, Some(Response::Success(ref s)) if s.error_code == 0),
        "Connect ErrorCode 0",
        format!("{resp:?}"),
    )
}

fn content_type(ctx: &mut Ctx) -> CaseResult {
    let r = connected_execute(ctx)?;
    let ct = r.header("Content-Type").unwrap_or("");
    ensure(
        ct.to_ascii_lowercase().starts_with("application/mapi-http"),
        "Content-Type: application/mapi-http",
        format!("Content-Type {ct:?}"),
    )
}

fn notification_wait_pending(ctx: &mut Ctx) -> CaseResult {
    use oxmapi_wire::rop::oxcnotif::RegisterNotificationRequest;
    use oxmapi_wire::rop::request::RopRequest;
    let scratch = ctx.scratch()?;
    let mut m = ctx.logged_on()?;
    let result = (|| {
        let reg = RopRequest::RegisterNotification(RegisterNotificationRequest {
            logon_id: 0,
            input_handle_index: 0,
            output_handle_index: 1,
            notification_types: 0x0004, // ObjectCreated
            reserved: None,
            want_whole_store: 0,
            scope: Some((scratch, oxmapi_core::ids::ObjectId::ZERO)),
        });
        let x = m.ems.execute(&[reg], vec![m.logon, UNUSED_HANDLE])?;
        crate::case::expect_rv(
            "RopRegisterNotification",
            &x.responses.first().cloned().ok_or_else(|| fail("a response", "none"))?,
            0,
        )?;
        // The event comes from another session (the shared one), as the suite's S01_TC09 has
        // mail delivered: events of the waiting session's own requests ride on its Execute.
        ctx.new_folder("oxcmapihttp-notify")?;
        let req = NotificationWaitRequest { flags: 0, auxiliary_buffer: vec![] };
        let (r, resp) = m.ems.ctx.call::<NotificationWaitSuccess>("NotificationWait", &req.encode())?;
        expect_code("NotificationWait", &r, 0)?;
        let Some(Response::Success(s)) = resp else {
            return Err(fail("a NotificationWait success body", format!("{resp:?}")));
        };
        eq("NotificationWait ErrorCode", 0, s.error_code)?;
        eq("EventPending (an ObjectCreated event is queued)", 1, s.event_pending & 1)
    })();
    let _ = m.ems.disconnect();
    result
}

/// The `StatusCode` an NSPI request gets on the shared bound session (0 for a success body).
fn ab_status<T: oxmapi_wire::mapihttp::common::SuccessBody>(
    ctx: &mut Ctx,
    request_type: &str,
    body: Vec<u8>,
) -> Result<u32, Verdict> {
    let (reply, resp) = ctx.nspi()?.call::<T>(request_type, &body)?;
    match resp {
        Some(r) => Ok(r.status_code()),
        None => Err(fail(format!("{request_type} X-ResponseCode 0"), reply.summary())),
    }
}

fn ab_bind_success(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    let b = oxnspi::bind(&mut n, 0)?;
    let _ = oxnspi::unbind(&mut n, 0);
    eq_code("Bind ErrorCode", 0, b.error_code)
}

fn ab_bind_flags(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    let a = oxnspi::bind(&mut n, 0)?.error_code;
    let _ = oxnspi::unbind(&mut n, 0);
    let mut n = ctx.nspi_context();
    let b = oxnspi::bind(&mut n, 0x01)?.error_code;
    let _ = oxnspi::unbind(&mut n, 0);
    eq_code("Bind ErrorCode with Flags 0x01 (as with 0)", a, b)
}

fn ab_unbind(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    oxnspi::bind(&mut n, 0)?;
    eq("Unbind ErrorCode", 1, oxnspi::unbind(&mut n, 0)?)
}

/// PidTagAddressBookHomeMessageDatabase (PtypString8), MS-OXOABK 2.2.4.35.
const PR_EMS_AB_HOME_MDB: oxmapi_core::tag::PropTag = oxmapi_core::tag::PropTag(0x8006_001E);

fn ab_get_mailbox_url(ctx: &mut Ctx) -> CaseResult {
    let mid = oxnspi::my_mid(ctx)?;
    let r = oxnspi::get_props(ctx, 0, mid, vec![PR_EMS_AB_HOME_MDB])?;
    let home = match r.property_values.as_ref().and_then(|v| v.first()).and_then(|v| v.value.clone()) {
        Some(oxmapi_core::value::PropValue::String8(b)) => String::from_utf8_lossy(&b).into_owned(),
        Some(oxmapi_core::value::PropValue::Unicode(s)) => s,
        _ => {
            return skip(
                "the user's entry has no PidTagAddressBookHomeMessageDatabase to name its mailbox server",
            );
        }
    };
    // The server's DN is the home database's parent (…/cn=Servers/cn=NAME).
    let server_dn = home.rsplit_once("/cn=").map(|(p, _)| p.to_string()).unwrap_or(home);
    let req = GetMailboxUrlRequest { flags: 0, server_dn, auxiliary_buffer: vec![] };
    let s: GetMailboxUrlSuccess = oxnspi::call(ctx, "GetMailboxUrl", req.encode())?;
    eq_code("GetMailboxUrl ErrorCode", 0, s.error_code)?;
    ensure(s.server_url.starts_with("http"), "an http(s) ServerUrl", format!("{:?}", s.server_url))
}

fn ab_get_address_book_url(ctx: &mut Ctx) -> CaseResult {
    let req = GetAddressBookUrlRequest { flags: 0, user_dn: ctx.me.dn.clone(), auxiliary_buffer: vec![] };
    let s: GetAddressBookUrlSuccess = oxnspi::call(ctx, "GetAddressBookUrl", req.encode())?;
    eq_code("GetAddressBookUrl ErrorCode", 0, s.error_code)?;
    ensure(s.server_url.starts_with("http"), "an http(s) ServerUrl", format!("{:?}", s.server_url))
}

fn ab_dn_to_min_id(ctx: &mut Ctx) -> CaseResult {
    let dn = ctx.me.dn.clone();
    let mids = oxnspi::dn_to_mids(ctx, vec![dn])?;
    eq("MinimalIdCount (one per DN)", 1, mids.len())
}

fn ab_dn_to_min_id_without_names(ctx: &mut Ctx) -> CaseResult {
    let req = DnToMIdRequest { reserved: 0, names: None, auxiliary_buffer: vec![] };
    eq_code(
        "DNToMId StatusCode with HasNames 0",
        0,
        ab_status::<DnToMIdSuccess>(ctx, "DNToMId", req.encode())?,
    )
}

/// The MIds of the first two rows of the GAL, or a skip.
fn two_rows(ctx: &mut Ctx) -> Result<(u32, u32), Verdict> {
    let (row0, _) = oxnspi::update_stat(ctx, MID_BEGINNING_OF_TABLE, 0)?;
    if row0.total_recs < 2 {
        return Err(Verdict::Skip("the address book has fewer than 2 entries".into()));
    }
    let (row1, _) = oxnspi::update_stat(ctx, MID_BEGINNING_OF_TABLE, 1)?;
    Ok((row0.current_rec, row1.current_rec))
}

fn ab_compare_less(ctx: &mut Ctx) -> CaseResult {
    let (a, b) = two_rows(ctx)?;
    let r = oxnspi::compare(ctx, a, b)?;
    ensure(r < 0, "Result < 0 when MinimalId1 precedes MinimalId2", format!("{r}"))
}

fn ab_compare_greater(ctx: &mut Ctx) -> CaseResult {
    let (a, b) = two_rows(ctx)?;
    let r = oxnspi::compare(ctx, b, a)?;
    ensure(r > 0, "Result > 0 when MinimalId1 follows MinimalId2", format!("{r}"))
}

fn ab_compare_same(ctx: &mut Ctx) -> CaseResult {
    let mid = oxnspi::my_mid(ctx)?;
    eq("Result for the same object", 0, oxnspi::compare(ctx, mid, mid)?)
}

fn ab_compare_without_state(ctx: &mut Ctx) -> CaseResult {
    let mid = oxnspi::my_mid(ctx)?;
    let req = CompareMIdsRequest {
        reserved: 0,
        state: None,
        minimal_id1: mid,
        minimal_id2: mid,
        auxiliary_buffer: vec![],
    };
    eq_code(
        "CompareMIds StatusCode with HasState 0",
        0,
        ab_status::<CompareMIdsSuccess>(ctx, "CompareMIds", req.encode())?,
    )
}

fn ab_resort_sorts(ctx: &mut Ctx) -> CaseResult {
    let (a, b) = two_rows(ctx)?;
    let req = ResortRestrictionRequest {
        reserved: 0,
        state: Some(stat()),
        minimal_ids: Some(vec![b, a]),
        auxiliary_buffer: vec![],
    };
    let r: ResortRestrictionSuccess = oxnspi::call(ctx, "ResortRestriction", req.encode())?;
    eq_code("ResortRestriction ErrorCode", 0, r.error_code)?;
    let mids = r.minimal_ids.ok_or_else(|| fail("MinimalIds", "none"))?;
    let rows = oxnspi::query_rows(ctx, stat(), mids, 10, vec![crate::context::PR_DISPLAY_NAME_W])?;
    let names: Vec<String> = rows
        .columns_and_rows
        .map(|c| c.row_data.iter().map(|r| oxnspi::text(r.values.first()).unwrap_or_default()).collect())
        .unwrap_or_default();
    let mut sorted = names.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    eq("display names in the resorted order", sorted, names)
}

fn ab_resort_without_state(ctx: &mut Ctx) -> CaseResult {
    let req =
        ResortRestrictionRequest { reserved: 0, state: None, minimal_ids: None, auxiliary_buffer: vec![] };
    eq_code(
        "ResortRestriction StatusCode with HasState 0 and HasMinimalIds 0",
        0,
        ab_status::<ResortRestrictionSuccess>(ctx, "ResortRestriction", req.encode())?,
    )
}

fn ab_update_stat(ctx: &mut Ctx) -> CaseResult {
    let before = Stat { delta: 1, ..stat() };
    let r = oxnspi::update_stat_full(ctx, before, 0, true)?;
    eq_code("UpdateStat ErrorCode", 0, r.error_code)?;
    let after = r.state.ok_or_else(|| fail("a State", "none"))?;
    ensure(after != before, "a changed STAT", format!("{after:?}"))?;
    if after.total_recs < 2 {
        return skip("the address book has fewer than 2 entries");
    }
    eq("Delta", Some(1), r.delta)
}

fn ab_update_stat_without_state(ctx: &mut Ctx) -> CaseResult {
    let req = UpdateStatRequest { reserved: 0, state: None, delta_requested: true, auxiliary_buffer: vec![] };
    eq_code(
        "UpdateStat StatusCode with HasState 0",
        0,
        ab_status::<UpdateStatSuccess>(ctx, "UpdateStat", req.encode())?,
    )
}

fn ab_special_table(ctx: &mut Ctx) -> CaseResult {
    let r = oxnspi::special_table(ctx, NSPI_ADDRESS_CREATION_TEMPLATES, stat())?;
    eq_code("GetSpecialTable ErrorCode", 0, r.error_code)
}

fn ab_special_table_flags(ctx: &mut Ctx) -> CaseResult {
    let a = oxnspi::special_table(ctx, 0, stat())?;
    let b = oxnspi::special_table(ctx, 0x01, stat())?;
    eq("rows with Flags 0x01 (as with 0)", a.rows, b.rows)
}

fn ab_special_table_without_state(ctx: &mut Ctx) -> CaseResult {
    let req = GetSpecialTableRequest { flags: 0, state: None, version: Some(0), auxiliary_buffer: vec![] };
    eq_code(
        "GetSpecialTable StatusCode with HasState 0",
        0,
        ab_status::<GetSpecialTableSuccess>(ctx, "GetSpecialTable", req.encode())?,
    )
}

fn ab_type_on_mailbox_endpoint(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let req = BindRequest { flags: 0, state: Some(stat()), auxiliary_buffer: vec![] };
    let r = e.ctx.post("Bind", &req.encode());
    let _ = e.disconnect();
    expect_code("Bind sent to the mailbox endpoint", &r?, 5)
}

fn missing_request_type(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.emsmdb();
    let body = Emsmdb::connect_request(&ctx.me.dn, 0).encode();
    let r =
        e.ctx.post_with("Connect", &body, |h| h.retain(|(k, _)| !k.eq_ignore_ascii_case("X-RequestType")))?;
    if r.response_code() == Some(0) {
        let _ = e.disconnect();
        return Err(fail("X-ResponseCode 7 (Missing Header)", "the Connect succeeded"));
    }
    expect_code("Connect without X-RequestType", &r, 7)
}

fn expiration_info_numeric(ctx: &mut Ctx) -> CaseResult {
    let r = connect_reply(ctx)?;
    let v = r.header("X-ExpirationInfo").unwrap_or("");
    ensure(v.trim().parse::<u64>().is_ok(), "X-ExpirationInfo in milliseconds", format!("{v:?}"))
}

fn stale_sequence_cookie(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let before = e.ctx.cookies.clone();
    let first = execute_logon(ctx, &mut e);
    let after = e.ctx.cookies.clone();
    let rotated = before.0.iter().any(|(k, v)| after.get(k).is_some_and(|now| now != v));
    let result = (|| {
        expect_code("Execute", &first?, 0)?;
        if !rotated {
            return skip("the server keeps the same cookies between requests (no sequence cookie to replay)");
        }
        e.ctx.cookies = before.clone();
        let r = execute_logon(ctx, &mut e)?;
        expect_code("Execute replaying the cookies of an earlier request", &r, 15)
    })();
    e.ctx.cookies = after;
    let _ = e.disconnect();
    result
}
