//! `oxmapi error` and `oxmapi tag`: look-ups in the error table and the tag catalogues (ordinary
//! tags and MS-OXPROPS named properties), exact or by partial search.

use oxmapi_core::catalogue;
use oxmapi_core::catalogue::named;
use oxmapi_core::error::{ErrorCode, ErrorInfo, codes};
use oxmapi_core::guid::{Guid, well_known_name};
use oxmapi_core::named::{NameId, PropertyName, kind};
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

/// `oxmapi tag NAME|0xTAG|WORD`: an exact tag or named property, else a partial search of both
/// catalogues (like MrMAPI's property search).
pub fn tag(query: &str) -> Result<Node, Failure> {
    let q = query.trim();
    if let Some(n) = exact_tag(q) {
        return Ok(n);
    }
    let named_error = match named::parse_named(q) {
        Ok(Some(spec)) => return Ok(named_node(&spec)),
        Ok(None) => None,
        Err(e) => Some(e),
    };
    let hits = search(q);
    if !hits.is_empty() {
        return Ok(Node::map([
            ("query", Node::str(q)),
            ("matches", Node::Int(hits.len() as i128)),
            ("results", Node::List(hits)),
        ]));
    }
    Err(Failure::bad_input(
        codes::MAPI_E_NOT_FOUND,
        "`oxmapi tag`",
        named_error.unwrap_or_else(|| {
            format!(
                "unknown property tag {query:?}: no catalogued PR_/PidTag/PidLid/PidName name contains it and it \
                 is not a 0xIIIITTTT value"
            )
        }),
        "a name (PR_SUBJECT, PidTagSubject, PidLidEmail1EmailAddress), a value (0x0037001F), a named \
         property (PSETID_Address:0x8083, PS_PUBLIC_STRINGS:\"Keywords\") or part of a name (email1)",
    ))
}

/// Hex digits of a `0x` value, when `q` is one.
fn hex_digits(q: &str) -> Option<&str> {
    q.strip_prefix("0x").or_else(|| q.strip_prefix("0X")).filter(|h| !h.is_empty())
}

/// An ordinary tag asked for exactly: a catalogued name or value, or any full `0xIIIITTTT`
/// value (a `0x` value of four digits or fewer is an id, searched for instead).
fn exact_tag(q: &str) -> Option<Node> {
    let found = catalogue::by_name(q).or_else(|| PropTag::parse_hex(q).and_then(catalogue::by_tag));
    let (tag, names) = match found {
        Some(m) => (m.tag, Some((m.pr_name(), m.entry.canonical))),
        None => match (PropTag::parse_hex(q), hex_digits(q)) {
            (Some(t), Some(h)) if h.len() > 4 => (t, None),
            _ => return None,
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
    Some(n)
}

/// The set's conventional name, or its GUID.
fn set_name(g: &Guid) -> String {
    well_known_name(g).map(str::to_string).unwrap_or_else(|| g.to_string())
}

/// `PSETID_Address:0x8083` / `PS_PUBLIC_STRINGS:"Keywords"`: a spelling `parse_named` reads back.
fn spelling(n: &PropertyName) -> String {
    match &n.name {
        NameId::Id(lid) => format!("{}:0x{lid:04X}", set_name(&n.guid)),
        NameId::String(s) => format!("{}:{s:?}", set_name(&n.guid)),
    }
}

/// One named property asked for exactly (MS-OXCDATA 2.6.1 PropertyName and its type).
fn named_node(spec: &named::NamedSpec) -> Node {
    let n = &spec.name;
    let mut out = Node::map([("name", Node::str(named::display(n)))]);
    out = match spec.canonical {
        Some(c) => out.with("canonical", Node::str(c)),
        None => {
            out.with("canonical", Node::Null).with("note", Node::str("not in the named-property catalogue"))
        }
    };
    out = out
        .with("set", Node::str(set_name(&n.guid)))
        .with("set_guid", Node::str(n.guid.to_string()))
        .with("kind", Node::str(if n.kind() == kind::MNID_ID { "MNID_ID" } else { "MNID_STRING" }));
    out = match &n.name {
        NameId::Id(lid) => out.with("lid", Node::str(format!("0x{lid:04X}"))),
        NameId::String(s) => out.with("string_name", Node::str(s.clone())),
    };
    out = out.with("spelling", Node::str(spelling(n)));
    out = match spec.ptype {
        Some(t) => out
            .with("type", Node::str(t.ptyp_name()))
            .with("type_code", Node::str(format!("0x{:04X}", t.code())))
            .with("pt_name", Node::str(t.pt_name())),
        None => out.with("type", Node::Null).with(
            "note_type",
            Node::str("no type known: add one (PSETID_Address:0x8099:PT_UNICODE) where a type is needed"),
        ),
    };
    if let Some(area) = spec.canonical.and_then(named::by_canonical).and_then(|e| e.area) {
        out = out.with("area", Node::str(area));
    }
    out
}

/// Partial, case-insensitive search of both catalogues: ordinary tags whose PR_ or canonical
/// name contains `q` (or whose id it is, as `0x0037`), then named properties
/// ([`named::search`]). Each result's `name` and `value` make one line of text output.
fn search(q: &str) -> Vec<Node> {
    if q.is_empty() {
        return Vec::new();
    }
    let lower = q.to_ascii_lowercase();
    let id = hex_digits(q)
        .or(Some(q))
        .filter(|h| h.len() <= 4 && h.chars().all(|c| c.is_ascii_hexdigit()))
        .and_then(|h| u16::from_str_radix(h, 16).ok());
    let mut out: Vec<Node> = catalogue::entries()
        .iter()
        .filter(|e| {
            e.pr_name.to_ascii_lowercase().contains(&lower)
                || e.canonical.to_ascii_lowercase().contains(&lower)
                || id == Some(e.tag.id())
        })
        .map(|e| {
            let ty = e.tag.prop_type().map(PropType::pt_name).unwrap_or("unknown");
            Node::map([
                ("name", Node::str(e.pr_name)),
                ("value", Node::str(format!("0x{:08X} {} {ty}", e.tag.0, e.canonical))),
                ("tag", Node::str(format!("0x{:08X}", e.tag.0))),
                ("canonical", Node::str(e.canonical)),
                ("type", Node::str(ty)),
            ])
        })
        .collect();
    out.extend(named::search(q).into_iter().map(|e| {
        let p = e.property_name();
        let key = match &p.name {
            NameId::Id(lid) => ("lid", Node::str(format!("0x{lid:04X}"))),
            NameId::String(s) => ("string_name", Node::str(s.clone())),
        };
        Node::map([
            ("name", Node::str(e.canonical)),
            ("value", Node::str(format!("{} {}", spelling(&p), e.ptype.pt_name()))),
            ("set", Node::str(set_name(&p.guid))),
            key,
            ("type", Node::str(e.ptype.pt_name())),
        ])
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(n: &'a Node, k: &str) -> Option<&'a Node> {
        match n {
            Node::Map(m) => m.iter().find(|(key, _)| key == k).map(|(_, v)| v),
            _ => None,
        }
    }

    fn names(n: &Node) -> Vec<String> {
        match field(n, "results") {
            Some(Node::List(v)) => v
                .iter()
                .filter_map(|r| match field(r, "name") {
                    Some(Node::Str(s)) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn exact_tags_as_before() {
        let n = tag("PR_SUBJECT_W").unwrap();
        assert_eq!(field(&n, "tag"), Some(&Node::str("0x0037001F")));
        let n = tag("0x12340003").unwrap();
        assert_eq!(field(&n, "name"), Some(&Node::Null));
    }

    /// PidLidEmail1EmailAddress: PSETID_Address, LID 0x8083, PtypString (MS-OXPROPS, the
    /// canonical property's page).
    #[test]
    fn exact_named_properties() {
        for q in [
            "PidLidEmail1EmailAddress",
            "PSETID_Address:0x8083",
            "{00062004-0000-0000-C000-000000000046}:0x8083",
        ] {
            let n = tag(q).unwrap();
            assert_eq!(field(&n, "canonical"), Some(&Node::str("PidLidEmail1EmailAddress")), "{q}");
            assert_eq!(field(&n, "lid"), Some(&Node::str("0x8083")), "{q}");
            assert_eq!(field(&n, "set"), Some(&Node::str("PSETID_Address")), "{q}");
            assert_eq!(field(&n, "pt_name"), Some(&Node::str("PT_UNICODE")), "{q}");
        }
        let n = tag("PS_PUBLIC_STRINGS:\"Keywords\"").unwrap();
        assert_eq!(field(&n, "name"), Some(&Node::str("PidNameKeywords")));
        assert_eq!(field(&n, "pt_name"), Some(&Node::str("PT_MV_UNICODE")));
    }

    #[test]
    fn partial_search_covers_both_catalogues() {
        let n = names(&tag("email1").unwrap());
        assert!(n.iter().any(|x| x == "PidLidEmail1EmailAddress"), "{n:?}");
        assert!(n.iter().any(|x| x == "PidLidEmail1DisplayName"), "{n:?}");
        let n = names(&tag("subject").unwrap());
        assert!(n.iter().any(|x| x == "PR_SUBJECT") && n.iter().any(|x| x == "PidNameSubject"), "{n:?}");
        for q in ["8083", "0x8083"] {
            assert!(names(&tag(q).unwrap()).iter().any(|x| x == "PidLidEmail1EmailAddress"), "{q}");
        }
        assert!(names(&tag("0x0037").unwrap()).iter().any(|x| x == "PR_SUBJECT"));
        // An unknown canonical name still finds its neighbours.
        assert!(names(&tag("PidLidEmail1").unwrap()).len() >= 5);
    }

    #[test]
    fn nothing_found_fails() {
        for q in ["zzznothing", "PidLidNoSuchThing", "PSETID_Nope:0x1"] {
            let e = tag(q).unwrap_err();
            assert_eq!(e.error.code, codes::MAPI_E_NOT_FOUND, "{q}");
        }
    }
}
