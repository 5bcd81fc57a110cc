//! Security: SID (MS-DTYP 2.4.2.2, string form 2.4.2.1), self-relative SECURITY_DESCRIPTOR
//! (2.4.6) with its ACLs (2.4.5) and ACEs (2.4.4), shown field by field and as SDDL (2.5.1).
//! PidTagNTSecurityDescriptor and PidTagFreeBusyNTSecurityDescriptor carry the descriptor after
//! a small Exchange header (`cbHeader`, version SECURITY_DESCRIPTOR_TRANSFER_VERSION 3,
//! `SecurityInformation`), which is recognised and shown too.

use oxmapi_core::codec::{DecodeResult, Reader};
use oxmapi_core::consts::FlagName;

use super::common::{flags, hex32, hexn, int};
use super::flags::{
    ACE_FLAGS, ACE_TYPES, FREEBUSY_RIGHTS, FSD_RIGHTS, GENERIC_RIGHTS, SD_CONTROL, SID_ALIASES,
};
use crate::describe::Node;

/// Most sub-authorities a SID has (MS-DTYP 2.4.2.2).
const MAX_SUB_AUTHORITIES: u8 = 15;
/// The version word of Exchange's transfer header.
const SECURITY_DESCRIPTOR_TRANSFER_VERSION: u16 = 3;

/// Reads a SID; returns its string form `S-1-…`.
fn read_sid(r: &mut Reader<'_>) -> DecodeResult<String> {
    let revision = r.u8("SID Revision")?;
    let n = r.u8("SubAuthorityCount")?;
    if n > MAX_SUB_AUTHORITIES {
        return Err(r.invalid("SubAuthorityCount", format!("{n}, more than 15")));
    }
    let auth: [u8; 6] = r.array("IdentifierAuthority")?;
    let mut a = [0u8; 8];
    a[2..].copy_from_slice(&auth);
    let authority = u64::from_be_bytes(a);
    // MS-DTYP 2.4.2.1: an authority of 2^32 or more is written in hex.
    let mut s = if authority >= 1 << 32 {
        format!("S-{revision}-0x{authority:012X}")
    } else {
        format!("S-{revision}-{authority}")
    };
    for _ in 0..n {
        s.push_str(&format!("-{}", r.u32("SubAuthority")?));
    }
    Ok(s)
}

fn sid_node(s: &str) -> Node {
    let alias = SID_ALIASES.iter().find(|(x, _)| *x == s).map(|(_, a)| Node::str(*a)).unwrap_or(Node::Null);
    Node::map([("sid", Node::str(s)), ("alias", alias)])
}

fn sddl_sid(s: &str) -> String {
    SID_ALIASES.iter().find(|(x, _)| *x == s).map(|(_, a)| a.to_string()).unwrap_or_else(|| s.to_string())
}

/// An ACE's rights in SDDL: letters when the mask holds generic rights only, else hex (the
/// object-specific bits of Exchange's folder rights have no SDDL letters of their own).
fn sddl_rights(mask: u32) -> String {
    let generic: u32 = GENERIC_RIGHTS.iter().map(|(b, _)| b).sum();
    if mask != 0 && mask & !generic == 0 {
        GENERIC_RIGHTS.iter().filter(|(b, _)| mask & b != 0).map(|(_, l)| *l).collect()
    } else {
        format!("0x{mask:x}")
    }
}

/// A SID filling the value.
pub fn sid(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let s = read_sid(&mut r)?;
    r.finish("SID")?;
    Ok(sid_node(&s))
}

/// One ACE: its node and its SDDL text.
fn ace(r: &mut Reader<'_>, rights: &[FlagName]) -> DecodeResult<(Node, String)> {
    let ty = r.u8("AceType")?;
    let fl = r.u8("AceFlags")?;
    let size = r.u16("AceSize")? as usize;
    if size < 4 {
        return Err(r.invalid("AceSize", format!("{size}, less than the header")));
    }
    let body = r.take(size - 4, "ACE")?;
    let (type_name, type_sddl) =
        ACE_TYPES.iter().find(|(t, _, _)| *t == ty).map(|(_, n, s)| (*n, *s)).unwrap_or(("unknown", ""));
    let flag_names: Vec<&str> =
        ACE_FLAGS.iter().filter(|(f, _, _)| fl & f != 0).map(|(_, n, _)| *n).collect();
    let flag_sddl: String = ACE_FLAGS.iter().filter(|(f, _, _)| fl & f != 0).map(|(_, _, s)| *s).collect();
    let mut n = Node::map([
        ("type", Node::map([("value", hexn(ty as u64, 1)), ("name", Node::str(type_name))])),
        (
            "flags",
            Node::map([
                ("value", hexn(fl as u64, 1)),
                ("names", Node::List(flag_names.into_iter().map(Node::str).collect())),
            ]),
        ),
        ("size", int(size as u32)),
    ]);
    let mut br = Reader::new(body);
    // Every ACE type from 0x00 to 0x13 starts with the 4-byte mask (MS-DTYP 2.4.4.2–2.4.4.17).
    if ty > 0x13 || type_sddl.is_empty() {
        n = n.with("body", Node::hex(body));
        return Ok((n, format!("(0x{ty:02X};{flag_sddl};;;;)")));
    }
    let mask = br.u32("Mask")?;
    n = n.with("mask", flags(mask, 4, rights));
    let (mut object_type, mut inherited_type) = (String::new(), String::new());
    if (0x05..=0x08).contains(&ty) || ty == 0x0B {
        let of = br.u32("Flags")?;
        n = n.with("object_flags", hex32(of));
        if of & 0x1 != 0 {
            let g = br.guid("ObjectType")?;
            object_type = g.to_string().trim_matches(['{', '}']).to_lowercase();
            n = n.with("object_type", Node::str(g.to_string()));
        }
        if of & 0x2 != 0 {
            let g = br.guid("InheritedObjectType")?;
            inherited_type = g.to_string().trim_matches(['{', '}']).to_lowercase();
            n = n.with("inherited_object_type", Node::str(g.to_string()));
        }
    }
    let s = read_sid(&mut br)?;
    n = n.with("sid", sid_node(&s));
    let rest = br.take_rest();
    if !rest.is_empty() {
        n = n.with("application_data", Node::hex(rest));
    }
    let rights = sddl_rights(mask);
    let text = format!("({type_sddl};{flag_sddl};{rights};{object_type};{inherited_type};{})", sddl_sid(&s));
    Ok((n, text))
}

/// An ACL at `off` of `sd`: its node and the SDDL of its ACEs.
fn acl(sd: &[u8], off: usize, rights: &[FlagName]) -> DecodeResult<(Node, String)> {
    let mut r = Reader::new(sd);
    r.take(off, "ACL offset")?;
    let revision = r.u8("AclRevision")?;
    let _sbz1 = r.u8("Sbz1")?;
    let size = r.u16("AclSize")?;
    let n = r.u16("AceCount")?;
    let _sbz2 = r.u16("Sbz2")?;
    let n = super::common::count(&r, n as u64, 8, "AceCount")?;
    let mut aces = Vec::with_capacity(n);
    let mut text = String::new();
    for _ in 0..n {
        let (a, t) = ace(&mut r, rights)?;
        aces.push(a);
        text.push_str(&t);
    }
    Ok((
        Node::map([
            ("revision", int(revision)),
            ("size", int(size)),
            ("ace_count", int(n as u32)),
            ("aces", Node::List(aces)),
        ]),
        text,
    ))
}

fn sid_at(sd: &[u8], off: usize) -> DecodeResult<String> {
    let mut r = Reader::new(sd);
    r.take(off, "SID offset")?;
    read_sid(&mut r)
}

/// A self-relative SECURITY_DESCRIPTOR filling `sd`.
fn descriptor(sd: &[u8], rights: &[FlagName]) -> DecodeResult<Node> {
    let mut r = Reader::new(sd);
    let revision = r.u8("Revision")?;
    let _sbz1 = r.u8("Sbz1")?;
    let control = r.u16("Control")?;
    let owner = r.u32("OffsetOwner")? as usize;
    let group = r.u32("OffsetGroup")? as usize;
    let sacl = r.u32("OffsetSacl")? as usize;
    let dacl = r.u32("OffsetDacl")? as usize;
    let mut sddl = String::new();
    let mut n = Node::map([("revision", int(revision)), ("control", flags(control as u32, 2, SD_CONTROL))]);
    if owner != 0 {
        let s = sid_at(sd, owner)?;
        sddl.push_str(&format!("O:{}", sddl_sid(&s)));
        n = n.with("owner", sid_node(&s));
    }
    if group != 0 {
        let s = sid_at(sd, group)?;
        sddl.push_str(&format!("G:{}", sddl_sid(&s)));
        n = n.with("group", sid_node(&s));
    }
    let acl_flags = |protected: u16, req: u16, inherited: u16| {
        let mut f = String::new();
        if control & protected != 0 {
            f.push('P');
        }
        if control & req != 0 {
            f.push_str("AR");
        }
        if control & inherited != 0 {
            f.push_str("AI");
        }
        f
    };
    if control & 0x0004 != 0 && dacl != 0 {
        let (a, t) = acl(sd, dacl, rights)?;
        sddl.push_str(&format!("D:{}{t}", acl_flags(0x1000, 0x0100, 0x0400)));
        n = n.with("dacl", a);
    }
    if control & 0x0010 != 0 && sacl != 0 {
        let (a, t) = acl(sd, sacl, rights)?;
        sddl.push_str(&format!("S:{}{t}", acl_flags(0x2000, 0x0200, 0x0800)));
        n = n.with("sacl", a);
    }
    Ok(n.with("sddl", Node::str(sddl)))
}

/// A security descriptor: with Exchange's transfer header when the value starts with one
/// (a header size of at least 8 and version 3), else a bare self-relative descriptor.
pub fn security_descriptor(b: &[u8]) -> DecodeResult<Node> {
    with_rights(b, FSD_RIGHTS)
}

/// PidTagFreeBusyNTSecurityDescriptor: a security descriptor whose masks are free/busy rights.
pub fn freebusy_security_descriptor(b: &[u8]) -> DecodeResult<Node> {
    with_rights(b, FREEBUSY_RIGHTS)
}

fn with_rights(b: &[u8], rights: &[FlagName]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let cb = r.u16("cbHeader")? as usize;
    let version = r.u16("Version")?;
    if version == SECURITY_DESCRIPTOR_TRANSFER_VERSION && cb >= 8 && cb <= b.len() {
        let info = r.u32("SecurityInformation")?;
        let d = descriptor(&b[cb..], rights)?;
        return Ok(Node::map([
            ("header_size", int(cb as u32)),
            ("version", Node::str("SECURITY_DESCRIPTOR_TRANSFER_VERSION")),
            ("security_information", hex32(info)),
            ("descriptor", d),
        ]));
    }
    descriptor(b, rights)
}
