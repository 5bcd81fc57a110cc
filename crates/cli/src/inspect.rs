//! `oxmapi inspect KIND HEX|@FILE`: decode a wire structure and describe it.

use oxmapi_core::MapiError;
use oxmapi_core::codec::{DecodeError, Reader};
use oxmapi_core::entryid::{EntryId, eit};
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::cdata::{self, Form};
use oxmapi_wire::describe::{Describe, Node, hex, status};
use oxmapi_wire::mapihttp::emsmdb;
use oxmapi_wire::mapihttp::nspi::{NspiRequest, NspiResponseBody};
use oxmapi_wire::rop::{self, RequestContext, RopBuffer};
use oxmapi_wire::smartview;
use oxmapi_wire::{aux, rpc_ext};
use std::path::Path;

use crate::failure::Failure;

/// The structures `inspect` understands.
pub const KINDS: &[&str] = &[
    "rop-request",
    "rop-response",
    "rpc-ext",
    "entryid",
    "restriction",
    "aux",
    "connect-request",
    "connect-response",
    "execute-request",
    "execute-response",
    "nspi-request",
    "nspi-response",
];

/// Every kind: [`KINDS`], then the SmartView kinds (`entryid` stays with the code above).
fn all_kinds() -> String {
    KINDS
        .iter()
        .copied()
        .chain(smartview::KINDS.iter().map(|(k, _)| *k))
        .chain(smartview::ALIASES.iter().map(|(a, _)| *a))
        .chain(["flags TAG VALUE"])
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_smartview(kind: &str) -> bool {
    smartview::KINDS.iter().any(|(k, _)| *k == kind) || smartview::ALIASES.iter().any(|(a, _)| *a == kind)
}

/// `oxmapi inspect flags TAG VALUE`: a flag or enumeration property's value decoded as `props`
/// decodes it (PR_MESSAGE_FLAGS 0x401 → MSGFLAG_READ | MSGFLAG_EVERREAD).
pub fn flags(tag: &str, value: &str) -> Result<Node, Failure> {
    let tag = crate::parse_tag(tag).map_err(|f| Failure { usage: true, ..f })?;
    let text = value.trim();
    let number = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => text
            .parse::<i64>()
            .ok()
            .and_then(|v| u32::try_from(v).ok().or(i32::try_from(v).ok().map(|v| v as u32))),
    }
    .ok_or_else(|| {
        Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "VALUE",
            format!("{value:?} is not a 32-bit number"),
            "the property's value, decimal or 0x hex (e.g. 0x401)",
        )
    })?;
    let v = oxmapi_core::value::PropValue::I32(number as i32);
    let decoded = smartview::decode_property(tag.with_type(oxmapi_core::ptype::PropType::Integer32), &v).ok_or_else(|| {
        Failure::bad_input(
            codes::MAPI_E_NOT_FOUND,
            "TAG",
            format!("no flag or enumeration names are known for {}", crate::mailbox::values::column_name(tag)),
            "a flag or enumeration property such as PR_MESSAGE_FLAGS, PR_STORE_SUPPORT_MASK, PR_ACCESS, PR_PROFILE_CONNECT_FLAGS",
        )
    })?;
    Ok(Node::map([
        ("tag", Node::str(crate::mailbox::values::column_name(tag))),
        ("value", Node::str(format!("0x{number:08X}"))),
        ("decoded", decoded),
    ]))
}

/// The local offset from UTC (seconds east) at a Unix time, for SmartView's local times
/// (`smartview::set_local_offset(inspect::local_offset)` before any other SmartView call).
pub(crate) fn local_offset(unix: i64) -> i32 {
    let t = unix as libc::time_t;
    // SAFETY: localtime_r writes only into `tm`, which lives on this stack frame.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if ok { tm.tm_gmtoff as i32 } else { 0 }
}

fn corrupt(what: &str, e: DecodeError) -> MapiError {
    MapiError::new(codes::MAPI_E_CORRUPT_DATA, format!("cannot decode {what}: {e}"))
}

/// What HEX and @FILE arguments take (the hint of a bad one).
const HEX_FORM: &str = "pairs of hex digits (0-9, a-f; spaces, `:` and `-` between bytes are allowed; an optional \
                        0x prefix), or @FILE to read the bytes (raw, or as hex text) from a file";

/// Reads `HEX` (whitespace, `:` and `-` separators allowed) or `@FILE` (raw bytes, or hex text).
pub fn input_bytes(arg: &str) -> Result<Vec<u8>, Failure> {
    if let Some(path) = arg.strip_prefix('@') {
        let data = std::fs::read(path).map_err(|e| Failure::local_file("input file", Path::new(path), &e))?;
        if let Ok(text) = std::str::from_utf8(&data) {
            if let Ok(b) = parse_hex(text) {
                return Ok(b);
            }
        }
        return Ok(data);
    }
    parse_hex(arg).map_err(|bad| {
        Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "the HEX argument of `inspect`",
            format!("the input is not hex: {bad}"),
            HEX_FORM,
        )
    })
}

/// The bytes of hex text, or what is wrong with it.
fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let t = text.trim();
    let t = t.strip_prefix("0x").unwrap_or(t);
    let digits: String = t.chars().filter(|c| !c.is_whitespace() && *c != ':' && *c != '-').collect();
    if let Some((i, c)) = digits.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(format!("{c:?} at digit {} is not a hex digit", i + 1));
    }
    if digits.len() % 2 != 0 {
        return Err(format!("{} hex digits are not whole bytes (one is missing or extra)", digits.len()));
    }
    Ok((0..digits.len()).step_by(2).map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap_or(0)).collect())
}

/// Options of `inspect`.
#[derive(Default)]
pub struct Options {
    /// Columns for rows in responses (`--columns`).
    pub columns: Option<Vec<PropTag>>,
    /// NSPI form for restrictions (`--nspi`).
    pub nspi: bool,
}

/// Decodes `bytes` as `kind`.
pub fn inspect(kind: &str, nspi_type: Option<&str>, bytes: &[u8], opts: &Options) -> Result<Node, Failure> {
    if !KINDS.contains(&kind) && !is_smartview(kind) {
        return Err(Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "KIND",
            format!("unknown kind {kind:?}"),
            &format!("one of: {}", all_kinds()),
        ));
    }
    if kind.starts_with("nspi-") && nspi_type.is_none() {
        return Err(Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            kind,
            format!("{kind} needs the request TYPE before the bytes"),
            "TYPE then HEX|@FILE, e.g. `oxmapi inspect nspi-request Bind HEX`",
        ));
    }
    decode(kind, nspi_type, bytes, opts).map_err(|e| {
        let hint = format!(
            "the bytes given are not a valid {kind}: check that the hex is complete (not cut off when copied) and \
             that {kind} is the right kind; `oxmapi inspect` accepts: {}",
            all_kinds()
        );
        Failure::with_hint(e, hint)
    })
}

/// Decodes `bytes` as `kind` (one of [`KINDS`]).
fn decode(kind: &str, nspi_type: Option<&str>, bytes: &[u8], opts: &Options) -> Result<Node, MapiError> {
    match kind {
        "rop-request" => rop_requests(bytes),
        "rop-response" => rop_responses(bytes, opts),
        "rpc-ext" => rpc_ext_node(bytes, None),
        "entryid" => entry_id(bytes),
        "restriction" => {
            let form = if opts.nspi { Form::Nspi } else { Form::Rop };
            let mut r = Reader::new(bytes);
            let x = cdata::read_restriction(&mut r, form).map_err(|e| corrupt("restriction", e))?;
            r.finish("restriction").map_err(|e| corrupt("restriction", e))?;
            Ok(x.describe(""))
        }
        "aux" => aux_node(bytes),
        "connect-request" => {
            let c = emsmdb::ConnectRequest::decode(bytes).map_err(|e| corrupt("Connect request", e))?;
            Ok(Node::map([
                ("user_dn", Node::str(c.user_dn.clone())),
                ("flags", Node::str(format!("0x{:08x}", c.flags))),
                ("flag_names", flag_list(c.flags, oxmapi_core::consts::connect_flags::NAMES)),
                ("default_code_page", Node::Int(c.default_code_page as i128)),
                ("lcid_sort", Node::str(format!("0x{:04x}", c.lcid_sort))),
                ("lcid_string", Node::str(format!("0x{:04x}", c.lcid_string))),
                ("auxiliary_buffer", aux_or_hex(&c.auxiliary_buffer)),
            ]))
        }
        "connect-response" => {
            let c = emsmdb::ConnectResponse::decode(bytes).map_err(|e| corrupt("Connect response", e))?;
            Ok(match &c {
                emsmdb::ConnectResponse::Success(s) => Node::map([
                    ("status_code", status(0)),
                    ("error_code", status(s.error_code)),
                    ("polls_max", Node::Int(s.polls_max as i128)),
                    ("retry_count", Node::Int(s.retry_count as i128)),
                    ("retry_delay", Node::Int(s.retry_delay as i128)),
                    ("dn_prefix", Node::str(s.dn_prefix.clone())),
                    ("display_name", Node::str(s.display_name.clone())),
                    ("auxiliary_buffer", aux_or_hex(&s.auxiliary_buffer)),
                ]),
                emsmdb::ConnectResponse::Failure(f) => failure(f),
            })
        }
        "execute-request" => {
            let x = emsmdb::ExecuteRequest::decode(bytes).map_err(|e| corrupt("Execute request", e))?;
            Ok(Node::map([
                ("flags", Node::str(format!("0x{:08x}", x.flags))),
                ("rop_buffer", rpc_ext_node(&x.rop_buffer, Some(true))?),
                ("max_rop_out", Node::str(format!("0x{:08x}", x.max_rop_out))),
                ("auxiliary_buffer", aux_or_hex(&x.auxiliary_buffer)),
            ]))
        }
        "execute-response" => {
            let x = emsmdb::ExecuteResponse::decode(bytes).map_err(|e| corrupt("Execute response", e))?;
            Ok(match &x {
                emsmdb::ExecuteResponse::Success(s) => Node::map([
                    ("status_code", status(0)),
                    ("error_code", status(s.error_code)),
                    ("flags", Node::str(format!("0x{:08x}", s.flags))),
                    ("rop_buffer", rpc_ext_node(&s.rop_buffer, Some(false))?),
                    ("auxiliary_buffer", aux_or_hex(&s.auxiliary_buffer)),
                ]),
                emsmdb::ExecuteResponse::Failure(f) => failure(f),
            })
        }
        "nspi-request" | "nspi-response" => {
            let t = nspi_type.ok_or_else(|| {
                MapiError::new(
                    codes::MAPI_E_INVALID_PARAMETER,
                    format!("{kind} needs the request TYPE (e.g. Bind)"),
                )
            })?;
            if kind == "nspi-request" {
                let q =
                    NspiRequest::decode(t, bytes).map_err(|e| corrupt(&format!("NSPI {t} request"), e))?;
                Ok(q.body_node().with_first("request_type", Node::str(t)))
            } else {
                let q = NspiResponseBody::decode(t, bytes)
                    .map_err(|e| corrupt(&format!("NSPI {t} response"), e))?;
                Ok(q.body_node().with_first("request_type", Node::str(t)))
            }
        }
        other if is_smartview(other) => {
            smartview::set_local_offset(local_offset);
            smartview::parse(other, bytes).map_err(|e| match e {
                smartview::SmartViewError::Decode(e) => corrupt(other, e),
                e => MapiError::new(codes::MAPI_E_INVALID_PARAMETER, e.to_string()),
            })
        }
        other => Err(MapiError::new(
            codes::MAPI_E_INVALID_PARAMETER,
            format!("unknown kind {other:?}; one of: {}", all_kinds()),
        )),
    }
}

fn failure(f: &oxmapi_wire::mapihttp::common::FailureResponse) -> Node {
    Node::map([("status_code", status(f.status_code)), ("auxiliary_buffer", Node::hex(&f.auxiliary_buffer))])
}

fn flag_list(v: u32, table: &[oxmapi_core::consts::FlagName]) -> Node {
    Node::List(oxmapi_core::consts::flag_names(v, table).into_iter().map(Node::Str).collect())
}

fn handles(h: &[u32]) -> Node {
    Node::List(h.iter().map(|x| Node::str(format!("0x{x:08x}"))).collect())
}

/// A ROP input buffer: framing and requests.
fn rop_requests(bytes: &[u8]) -> Result<Node, MapiError> {
    let buf = RopBuffer::decode(bytes).map_err(|e| corrupt("ROP buffer", e))?;
    let reqs =
        rop::decode_requests(&buf.rops, &RequestContext::default()).map_err(|e| corrupt("ROP request", e))?;
    Ok(Node::map([
        ("rop_size", Node::Int(buf.rops.len() as i128 + 2)),
        ("rops", Node::List(reqs.iter().map(|q| q.describe("")).collect())),
        ("handles", handles(&buf.handles)),
    ]))
}

/// A ROP output buffer: framing and responses.
fn rop_responses(bytes: &[u8], opts: &Options) -> Result<Node, MapiError> {
    let buf = RopBuffer::decode(bytes).map_err(|e| corrupt("ROP buffer", e))?;
    let resps = rop::decode_responses(&buf.rops, |_, _, _| opts.columns.clone())
        .map_err(|e| corrupt("ROP response", e))?;
    Ok(Node::map([
        ("rop_size", Node::Int(buf.rops.len() as i128 + 2)),
        ("rops", Node::List(resps.iter().map(|q| q.describe("")).collect())),
        ("handles", handles(&buf.handles)),
    ]))
}

/// RPC_HEADER_EXT blocks; `rops` = Some(true/false) also decodes each payload as a ROP
/// request/response buffer.
fn rpc_ext_node(bytes: &[u8], rops: Option<bool>) -> Result<Node, MapiError> {
    let ins = rpc_ext::inspect_blocks(bytes);
    if let Some(e) = ins.error {
        return Err(corrupt("RPC_HEADER_EXT buffer", e));
    }
    let mut blocks = Vec::new();
    for b in &ins.blocks {
        let mut n = Node::map([
            ("offset", Node::Int(b.offset as i128)),
            ("version", Node::Int(b.header.version as i128)),
            ("flags", Node::str(format!("0x{:04x}", b.header.flags))),
            ("flag_names", Node::List(b.header.flag_names().into_iter().map(Node::Str).collect())),
            ("size", Node::Int(b.header.size as i128)),
            ("size_actual", Node::Int(b.header.size_actual as i128)),
            ("payload", Node::str(hex(&b.payload))),
        ]);
        match rops {
            Some(true) => n = n.with("rop_buffer", rop_requests(&b.payload)?),
            Some(false) => n = n.with("rop_buffer", rop_responses(&b.payload, &Options::default())?),
            None => {}
        }
        blocks.push(n);
    }
    Ok(Node::map([("blocks", Node::List(blocks))]))
}

fn aux_or_hex(b: &[u8]) -> Node {
    if b.is_empty() {
        return Node::List(Vec::new());
    }
    aux_node(b).unwrap_or_else(|e| Node::map([("raw", Node::hex(b)), ("error", Node::str(e.message))]))
}

fn aux_node(bytes: &[u8]) -> Result<Node, MapiError> {
    let blocks = aux::decode_aux_buffer(bytes).map_err(|e| corrupt("auxiliary buffer", e))?;
    Ok(Node::List(blocks.iter().map(|b| b.describe("")).collect()))
}

fn entry_id(bytes: &[u8]) -> Result<Node, MapiError> {
    let e = EntryId::parse(bytes).map_err(|e| corrupt("entry ID", e))?;
    let base = Node::map([("kind", Node::str(e.kind_name()))]);
    Ok(match &e {
        EntryId::Folder(f) => base
            .with("flags", Node::str(format!("0x{:08x}", f.flags)))
            .with("provider_uid", f.provider_uid.describe(""))
            .with("folder_type", Node::str(format!("0x{:04x} {}", f.folder_type, eit::name(f.folder_type))))
            .with("database_guid", Node::str(f.folder.database_guid.to_string()))
            .with("global_counter", Node::str(format!("{:012x}", f.folder.global_counter)))
            .with("folder_id", Node::str(format!("0001-{:012x}", f.folder.global_counter)))
            .with("note", Node::str("folder_id assumes replica id 1, the logon's own replica")),
        EntryId::Message(m) => base
            .with("flags", Node::str(format!("0x{:08x}", m.flags)))
            .with("provider_uid", m.provider_uid.describe(""))
            .with(
                "message_type",
                Node::str(format!("0x{:04x} {}", m.message_type, eit::name(m.message_type))),
            )
            .with("folder_database_guid", Node::str(m.folder.database_guid.to_string()))
            .with("folder_id", Node::str(format!("0001-{:012x}", m.folder.global_counter)))
            .with("message_database_guid", Node::str(m.message.database_guid.to_string()))
            .with("message_id", Node::str(format!("0001-{:012x}", m.message.global_counter))),
        EntryId::Store(s) => base
            .with("flags", Node::str(format!("0x{:08x}", s.flags)))
            .with("dll_name", Node::str(s.dll_name.clone()))
            .with("wrapped_provider_uid", s.wrapped_provider_uid.describe(""))
            .with("wrapped_type", Node::str(format!("0x{:08x}", s.wrapped_type)))
            .with("server_name", Node::str(s.server_name.clone()))
            .with("mailbox_dn", s.mailbox_dn.clone().map(Node::Str).unwrap_or(Node::Null))
            .with("extension", Node::hex(&s.extension)),
        EntryId::AbPermanent(a) => base
            .with("flags", Node::str(format!("0x{:08x}", a.flags)))
            .with("version", Node::Int(a.version as i128))
            .with("display_type", Node::str(format!("0x{:08x}", a.display_type)))
            .with("dn", Node::str(a.dn.clone())),
        EntryId::AbEphemeral(a) => base
            .with("flags", Node::str(format!("0x{:08x}", a.flags)))
            .with("server_guid", Node::str(a.server_guid.to_string()))
            .with("display_type", Node::str(format!("0x{:08x}", a.display_type)))
            .with("mid", Node::str(format!("0x{:08x}", a.mid))),
        EntryId::OneOff(o) => base
            .with("flags", Node::str(format!("0x{:08x}", o.flags)))
            .with("one_off_flags", Node::str(format!("0x{:04x}", o.one_off_flags)))
            .with("display_name", Node::str(o.display_name.clone()))
            .with("address_type", Node::str(o.address_type.clone()))
            .with("email_address", Node::str(o.email_address.clone())),
        EntryId::Other { flags, provider_uid, data } => base
            .with("flags", Node::str(format!("0x{flags:08x}")))
            .with("provider_uid", provider_uid.describe(""))
            .with("data", Node::hex(data)),
    })
}
