//! `oxmapi error` and `oxmapi tag`: look-ups in the error table and the tag catalogue.

use oxmapi_core::catalogue;
use oxmapi_core::error::{ErrorCode, ErrorInfo, codes};
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::describe::Node;

use crate::failure::Failure;

fn info_node(i: &ErrorInfo) -> Node {
    let mut n = Node::map([
        ("name", Node::str(i.name)),
        ("code", Node::str(format!("0x{:08X}", i.code.0))),
        ("aliases", Node::List(i.aliases.iter().map(|a| Node::str(*a)).collect())),
        ("meaning", Node::str(i.meaning)),
    ]);
    if !i.advice.is_empty() {
        n = n.with("advice", Node::str(i.advice));
    }
    n
}

/// Describes the parts of an HRESULT-shaped value.
fn hresult_parts(v: u32) -> Node {
    Node::map([
        ("severity", Node::str(if v & 0x8000_0000 != 0 { "error" } else { "success/warning" })),
        ("facility", Node::Int(((v >> 16) & 0x1FFF) as i128)),
        ("code", Node::str(format!("0x{:04X}", v & 0xFFFF))),
    ])
}

/// `oxmapi error CODE|NAME`.
pub fn error(query: &str) -> Result<Node, Failure> {
    if let Some(i) = ErrorCode::lookup(query) {
        return Ok(info_node(i));
    }
    if let Some(code) = ErrorCode::parse_number(query) {
        return Ok(Node::map([
            ("name", Node::Null),
            ("code", Node::str(format!("0x{:08X}", code.0))),
            ("meaning", Node::str("not in the oxmapi error table")),
            ("parts", hresult_parts(code.0)),
        ]));
    }
    Err(Failure::bad_input(
        codes::MAPI_E_NOT_FOUND,
        "`oxmapi error`",
        format!("unknown error name {query:?}: no MAPI or Exchange code of that name"),
        "a value (0x8004011D, 2147746077, -2147221219) or a name (MAPI_E_FAILONEPROVIDER, ecLoginPerm)",
    ))
}

/// `oxmapi tag NAME|0xTAG`.
pub fn tag(query: &str) -> Result<Node, Failure> {
    let found = catalogue::by_name(query).or_else(|| PropTag::parse_hex(query).and_then(catalogue::by_tag));
    let (tag, names) = match found {
        Some(m) => (m.tag, Some((m.pr_name(), m.entry.canonical))),
        None => match PropTag::parse_hex(query) {
            Some(t) if query.trim().starts_with("0x") || query.trim().starts_with("0X") => (t, None),
            _ => {
                return Err(Failure::bad_input(
                    codes::MAPI_E_NOT_FOUND,
                    "`oxmapi tag`",
                    format!(
                        "unknown property tag {query:?}: not a catalogued PR_/PidTag name or a 0xIIIITTTT value"
                    ),
                    "a name (PR_SUBJECT, PidTagSubject, PR_SUBJECT_A) or a value with its type (0x0037001F)",
                ));
            }
        },
    };
    let ty = tag.prop_type();
    let mut n = Node::map([("tag", Node::str(format!("0x{:08X}", tag.0)))]);
    match names {
        Some((pr, canonical)) => {
            n = n.with("name", Node::str(pr)).with("canonical", Node::str(canonical));
        }
        None => {
            n = n.with("name", Node::Null).with("note", Node::str("not in the oxmapi tag catalogue"));
            let others: Vec<Node> = catalogue::by_id(tag.id())
                .map(|e| Node::str(format!("{} (0x{:08X})", e.pr_name, e.tag.0)))
                .collect();
            if !others.is_empty() {
                n = n.with("same_id", Node::List(others));
            }
        }
    }
    n = n
        .with("id", Node::str(format!("0x{:04X}", tag.id())))
        .with("type", Node::str(ty.map(PropType::ptyp_name).unwrap_or("unknown")))
        .with("type_code", Node::str(format!("0x{:04X}", tag.raw_type())))
        .with("pt_name", Node::str(ty.map(PropType::pt_name).unwrap_or("unknown")));
    if tag.is_mv_instance() {
        n = n.with("mv_instance", Node::Bool(true));
    }
    if tag.is_named() {
        n = n.with(
            "named",
            Node::str("id in the named-property range 0x8000-0xFFFE: its name is mapped per store"),
        );
    }
    Ok(n)
}
