//! `oxmapi profile …` (CLI.md "Profiles (client side)"): profile administration (IProfAdmin),
//! the MSEMS message service (IMsgServiceAdmin) and MFCMAPI-style reading and editing of profile
//! sections (IProfSect), the global profile section included. Changes take effect at the next
//! logon.

use clap::Subcommand;
use oxmapi_client::profile::consts::{provider_flags, resource_type, service_flags};
use oxmapi_client::profile::mspst;
use oxmapi_client::profile::{
    GLOBAL_SECTION_UID, Profile, ProfileSection, ProfileStore, SectionOwner, apply_bits, parse_mask,
    parse_tag, parse_value, tag_name, widen_string_tag,
};
use oxmapi_core::catalogue::tags::{
    PR_PROFILE_CONNECT_FLAGS, PR_PROFILE_OPEN_FLAGS, PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE,
};
use oxmapi_core::consts::{FlagName, connect_flags, flag_names, open_flags};
use oxmapi_core::error::codes;
use oxmapi_core::{Guid, MapiError, MapiUid, PropTag, PropValue, TaggedValue};
use oxmapi_wire::describe::{Node, value_node};

/// `oxmapi profile` subcommands.
#[derive(Subcommand, Debug)]
pub enum ProfileCommand {
    /// Create a profile with the MSEMS service (store, address book and transport providers);
    /// without --server the service stays unconfigured.
    Create {
        /// Profile name.
        name: String,
        /// MAPI/HTTP server URL (http://host:port or https://host), kept in PR_PROFILE_HOME_SERVER.
        #[arg(long, value_name = "URL")]
        server: Option<String>,
        /// User to log on as (PR_PROFILE_AUTH_USER_W).
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
        /// Make it the default profile (the first profile always is).
        #[arg(long)]
        default: bool,
    },
    /// List the profiles (the profile table).
    List,
    /// Print a profile: services, providers and every section with its properties.
    Show {
        /// Profile name.
        name: String,
        /// As a tree, MFCMAPI's way: profile → services → providers, each with its profile
        /// section's UID and number of properties (no property values).
        #[arg(long)]
        tree: bool,
    },
    /// Delete a profile.
    Delete {
        /// Profile name.
        name: String,
    },
    /// Make a profile the default one.
    Default {
        /// Profile name.
        name: String,
    },
    /// Copy a profile.
    Copy {
        /// Existing profile.
        src: String,
        /// New profile name.
        dst: String,
    },
    /// Rename a profile.
    Rename {
        /// Existing profile.
        old: String,
        /// New name.
        new: String,
    },
    /// Read a section's properties (all, or one).
    Get {
        /// Profile name.
        name: String,
        /// `global` (pbGlobalProfileSectionGuid), a service or provider name (MSEMS,
        /// EMS_MDB_private, …) or a 32-digit MAPIUID.
        #[arg(long, default_value = "global", value_name = "SECTION")]
        section: String,
        /// A tag name (PR_PROFILE_CONNECT_FLAGS) or value (0x66040003).
        tag: Option<String>,
    },
    /// Write a property; --or MASK / --clear MASK instead of VALUE edit PT_LONG flag bits.
    Set {
        /// Profile name.
        name: String,
        /// `global` (the default), a service or provider name, or a 32-digit MAPIUID.
        #[arg(long, default_value = "global", value_name = "SECTION")]
        section: String,
        /// A tag name (PR_PROFILE_CONNECT_FLAGS) or value (0x66040003).
        tag: String,
        /// The value, parsed by the tag's type: 0x8002, 32770, "text", hex for binary, true/false.
        #[arg(allow_hyphen_values = true, required_unless_present_any = ["or", "clear"], conflicts_with_all = ["or", "clear"])]
        value: Option<String>,
        /// Set these bits (missing property counts as 0).
        #[arg(long = "or", value_name = "MASK")]
        or: Option<String>,
        /// Clear these bits.
        #[arg(long, value_name = "MASK")]
        clear: Option<String>,
    },
    /// Add a Personal Folders file as a store of the profile: MSUPST (Unicode PST, opens ANSI
    /// files too) or MSPST (ANSI PST).
    AddService {
        /// Profile name.
        name: String,
        /// MSUPST or MSPST (also `MSUPST MS`, `MSPST MS`).
        service: String,
        /// The .pst or .ost file (kept as an absolute path in PR_PST_PATH).
        #[arg(long, value_name = "FILE")]
        path: std::path::PathBuf,
        /// The store's name in `oxmapi stores` and for `--store` (default "Personal Folders").
        #[arg(long, value_name = "NAME")]
        display_name: Option<String>,
        /// Create a new file (needs PST writing, not available yet).
        #[arg(long)]
        create: bool,
    },
    /// Remove a message service (by its display name, service name or PR_SERVICE_UID).
    RemoveService {
        /// Profile name.
        name: String,
        /// The service.
        service: String,
    },
}

/// Runs a profile command against the default client home.
pub fn run(cmd: &ProfileCommand) -> Result<Node, MapiError> {
    let store = ProfileStore::open_default()?;
    match cmd {
        ProfileCommand::Create { name, server, user, default } => {
            let p = store
                .create_with(name, |p| p.add_msems_service(server.as_deref(), user.as_deref()).map(|_| ()))?;
            if *default {
                store.set_default(name)?;
            }
            let is_default = store.default_profile()?.as_deref() == Some(name.as_str());
            Ok(Node::map([("created", Node::str(&p.name)), ("default", Node::Bool(is_default))])
                .with("services", Node::List(p.services.iter().map(|s| Node::str(&s.name)).collect()))
                .with("configured", Node::Bool(p.is_configured().is_ok()))
                .with("missing", missing(&p))
                .with("file", Node::str(store.file_path().display().to_string())))
        }
        ProfileCommand::List => Ok(Node::List(
            store
                .list()?
                .into_iter()
                .map(|r| {
                    Node::map([
                        ("name", Node::str(r.name)),
                        ("default", Node::Bool(r.is_default)),
                        ("services", Node::List(r.services.into_iter().map(Node::Str).collect())),
                    ])
                })
                .collect(),
        )),
        ProfileCommand::Show { name, tree } => {
            let p = store.get(name)?;
            let is_default = store.default_profile()?.as_deref() == Some(p.name.as_str());
            Ok(if *tree { tree_node(&p, is_default) } else { show(&p, is_default) })
        }
        ProfileCommand::Delete { name } => {
            store.delete(name)?;
            Ok(Node::map([("deleted", Node::str(name))]))
        }
        ProfileCommand::Default { name } => {
            store.set_default(name)?;
            Ok(Node::map([("default", Node::str(store.default_profile()?.unwrap_or_default()))]))
        }
        ProfileCommand::Copy { src, dst } => {
            store.copy(src, dst)?;
            Ok(Node::map([("copied", Node::str(src)), ("to", Node::str(dst))]))
        }
        ProfileCommand::Rename { old, new } => {
            store.rename(old, new)?;
            Ok(Node::map([("renamed", Node::str(old)), ("to", Node::str(new))]))
        }
        ProfileCommand::AddService { name, service, path, display_name, create } => {
            crate::profile_pst::add_service(&store, name, service, path, display_name.as_deref(), *create)
        }
        ProfileCommand::RemoveService { name, service } => {
            let removed = store.update(name, |p| {
                let uid = p.find_service(service)?;
                let svc = p
                    .service_by_uid(&uid)
                    .map(|s| (s.display_name.clone(), s.name.clone()))
                    .unwrap_or_default();
                p.remove_service(&uid)?;
                Ok(svc)
            })?;
            Ok(Node::map([("removed", Node::str(removed.0)), ("service", Node::str(removed.1))]))
        }
        ProfileCommand::Get { name, section, tag } => get(&store, name, section, tag.as_deref()),
        ProfileCommand::Set { name, section, tag, value, or, clear } => {
            set(&store, name, section, tag, value.as_deref(), or.as_deref(), clear.as_deref())
        }
    }
}

fn missing(p: &Profile) -> Node {
    Node::List(p.is_configured().err().unwrap_or_default().into_iter().map(Node::str).collect())
}

fn get(store: &ProfileStore, name: &str, section: &str, tag: Option<&str>) -> Result<Node, MapiError> {
    let p = store.get(name)?;
    let uid = p.resolve_section(section)?;
    let owner = p.section_owner(&uid);
    let empty = ProfileSection::new();
    let sect = match p.section(&uid) {
        Some(s) => s,
        None if tag.is_none() && uid == GLOBAL_SECTION_UID => &empty,
        None => {
            return Err(MapiError::new(
                codes::MAPI_E_NOT_FOUND,
                format!("profile {:?} has no section {}", p.name, uid_hex(&uid)),
            ));
        }
    };
    let head = Node::map([("profile", Node::str(&p.name))]).with("section", section_id(&uid, owner));
    let Some(tag) = tag else {
        return Ok(head.with("properties", props_node(&p.section_view(&uid), owner)));
    };
    let tag = parse_tag(tag)?;
    let identity = p.section_identity(&uid).into_iter().find(|r| r.tag == tag).map(|r| r.value);
    match sect.get(tag).cloned().or(identity) {
        Some(v) => Ok(prop_fields(head, &TaggedValue::new(tag, v), owner)),
        None => {
            let other = sect
                .get_any(tag)
                .map(|tv| format!(" (its id holds {} {})", tag_name(tv.tag), tv.tag))
                .unwrap_or_default();
            Err(MapiError::new(
                codes::MAPI_E_NOT_FOUND,
                format!(
                    "{} ({tag}) is not set in section {} ({}) of profile {:?}{other}",
                    tag_name(tag),
                    uid_hex(&uid),
                    owner_label(owner),
                    p.name
                ),
            ))
        }
    }
}

fn set(
    store: &ProfileStore,
    name: &str,
    section: &str,
    tag: &str,
    value: Option<&str>,
    or: Option<&str>,
    clear: Option<&str>,
) -> Result<Node, MapiError> {
    let tag = widen_string_tag(parse_tag(tag)?);
    let or = or.map(parse_mask).transpose()?.unwrap_or(0);
    let clear = clear.map(parse_mask).transpose()?.unwrap_or(0);
    store.update(name, |p| {
        let uid = p.resolve_section(section)?;
        let value = match value {
            Some(text) => parse_value(tag, text)?,
            None => {
                let current = p.section(&uid).and_then(|s| s.get_any(tag)).map(|tv| &tv.value);
                apply_bits(current, tag, or, clear)?
            }
        };
        p.set_prop(&uid, tag, value)?;
        let stored = p.section(&uid).and_then(|s| s.get_any(tag)).cloned();
        let owner = p.section_owner(&uid);
        let head = Node::map([("profile", Node::str(&p.name))]).with("section", section_id(&uid, owner));
        let mut node = match stored {
            Some(tv) => prop_fields(head, &tv, owner),
            None => head,
        };
        match p.effective_section(&uid, tag) {
            Some(right) => {
                let warning = format!(
                    "{} has no effect in this section ({}): MAPI reads it from the {} section ({}); \
                     set it there: oxmapi profile set {} --section global {} …",
                    tag_name(tag),
                    owner_label(owner),
                    owner_label(p.section_owner(&right)),
                    uid_hex(&right),
                    p.name,
                    tag_name(tag),
                );
                node = node.with("warning", Node::str(warning));
            }
            None => node = node.with("note", Node::str("takes effect at the next logon")),
        }
        Ok(node)
    })
}

/// `oxmapi profile show`.
fn show(p: &Profile, is_default: bool) -> Node {
    let services = p.services.iter().map(|s| {
        let providers = s.providers.iter().map(|v| {
            Node::map([
                ("provider_name", Node::str(&v.name)),
                ("display_name", Node::str(&v.display_name)),
                ("provider_display", Node::str(&v.provider_display)),
                ("provider_uid", Node::str(uid_hex(&v.uid))),
                ("kind", Node::str(v.kind.name())),
                ("resource_type", Node::str(v.kind.resource_type_name())),
                ("resource_flags", flags_node(v.resource_flags, provider_flags::NAMES)),
            ])
        });
        Node::map([
            ("service_name", Node::str(&s.name)),
            ("display_name", Node::str(&s.display_name)),
            ("service_uid", Node::str(uid_hex(&s.uid))),
            ("resource_flags", flags_node(s.resource_flags, service_flags::NAMES)),
            ("providers", Node::List(providers.collect())),
        ])
    });
    // global first, then services and providers in table order, then any other section
    let mut order: Vec<MapiUid> = vec![GLOBAL_SECTION_UID];
    for s in &p.services {
        order.push(s.uid);
        order.extend(s.providers.iter().map(|v| v.uid));
    }
    order.extend(p.sections.keys().filter(|u| !order.contains(u)).copied().collect::<Vec<_>>());
    let sections = order.iter().filter_map(|uid| {
        p.section(uid)?;
        let owner = p.section_owner(uid);
        Some(section_id(uid, owner).with("properties", props_node(&p.section_view(uid), owner)))
    });
    Node::map([("name", Node::str(&p.name)), ("default", Node::Bool(is_default))])
        .with("configured", Node::Bool(p.is_configured().is_ok()))
        .with("missing", missing(p))
        .with("server_url", p.server_url().map(Node::Str).unwrap_or(Node::Null))
        .with("user", p.auth_user().map(Node::Str).unwrap_or(Node::Null))
        .with("client_version", Node::str(p.client_version_or_default()))
        .with("connect_flags", flags_node(p.connect_flags(), connect_flags::NAMES))
        .with("services", Node::List(services.collect()))
        .with("sections", Node::List(sections.collect()))
}

/// `oxmapi profile show --tree`: the profile, its global section, and each service with its
/// providers; every node names its profile section (UID) and how many properties it holds.
fn tree_node(p: &Profile, is_default: bool) -> Node {
    let sect = |uid: &MapiUid| {
        Node::map([
            ("section_uid", Node::str(uid_hex(uid))),
            ("properties", Node::Int(p.section_view(uid).len() as i128)),
        ])
    };
    let services = p.services.iter().map(|s| {
        let providers = s.providers.iter().map(|v| {
            Node::map([("provider", Node::str(&v.name)), ("display_name", Node::str(&v.display_name))])
                .with("kind", Node::str(v.kind.name()))
                .with("section", sect(&v.uid))
        });
        Node::map([("service", Node::str(&s.name)), ("display_name", Node::str(&s.display_name))])
            .with("section", sect(&s.uid))
            .with("providers", Node::List(providers.collect()))
    });
    Node::map([("profile", Node::str(&p.name)), ("default", Node::Bool(is_default))])
        .with("global", sect(&GLOBAL_SECTION_UID))
        .with("services", Node::List(services.collect()))
}

/// The text form of [`tree_node`]: one line per node, drawn as a tree.
pub fn tree_text(n: &Node) -> String {
    fn get<'a>(n: &'a Node, k: &str) -> Option<&'a Node> {
        match n {
            Node::Map(m) => m.iter().find(|(key, _)| key == k).map(|(_, v)| v),
            _ => None,
        }
    }
    fn text(n: &Node, k: &str) -> String {
        match get(n, k) {
            Some(Node::Str(s)) => s.clone(),
            Some(Node::Int(i)) => i.to_string(),
            Some(Node::Bool(b)) => b.to_string(),
            _ => String::new(),
        }
    }
    let sect = |n: &Node| {
        let s = get(n, "section").cloned().unwrap_or(Node::Null);
        format!("section {} ({} properties)", text(&s, "section_uid"), text(&s, "properties"))
    };
    let mut out = format!(
        "{}{}\n",
        text(n, "profile"),
        if matches!(get(n, "default"), Some(Node::Bool(true))) { " (default)" } else { "" }
    );
    let global = get(n, "global").cloned().unwrap_or(Node::Null);
    let services = match get(n, "services") {
        Some(Node::List(v)) => v.clone(),
        _ => Vec::new(),
    };
    let branch = |last: bool| if last { "└─ " } else { "├─ " };
    out.push_str(&format!(
        "{}global  section {} ({} properties)\n",
        branch(services.is_empty()),
        text(&global, "section_uid"),
        text(&global, "properties")
    ));
    for (i, s) in services.iter().enumerate() {
        let last = i + 1 == services.len();
        out.push_str(&format!(
            "{}{} \"{}\"  {}\n",
            branch(last),
            text(s, "service"),
            text(s, "display_name"),
            sect(s)
        ));
        let providers = match get(s, "providers") {
            Some(Node::List(v)) => v.clone(),
            _ => Vec::new(),
        };
        for (j, v) in providers.iter().enumerate() {
            let pad = if last { "   " } else { "│  " };
            out.push_str(&format!(
                "{pad}{}{} ({})  {}\n",
                branch(j + 1 == providers.len()),
                text(v, "provider"),
                text(v, "kind"),
                sect(v)
            ));
        }
    }
    out
}

/// A MAPIUID as 32 uppercase hex digits (wire byte order).
pub(crate) fn uid_hex(uid: &MapiUid) -> String {
    uid.to_string().to_ascii_uppercase()
}

pub(crate) fn owner_label(owner: SectionOwner<'_>) -> String {
    match owner {
        SectionOwner::Global => "global, pbGlobalProfileSectionGuid".into(),
        SectionOwner::Service(s) => format!("service {}", s.name),
        SectionOwner::Provider(s, v) => format!("provider {} of {}", v.name, s.name),
        SectionOwner::Other => "no service or provider".into(),
    }
}

/// A section's identity: UID as 32 hex digits and as a {GUID}, and what it belongs to.
fn section_id(uid: &MapiUid, owner: SectionOwner<'_>) -> Node {
    Node::map([
        ("uid", Node::str(uid_hex(uid))),
        ("guid", Node::str(Guid(uid.0).to_string())),
        ("owner", Node::str(owner_label(owner))),
    ])
}

fn props_node(rows: &[TaggedValue], owner: SectionOwner<'_>) -> Node {
    Node::List(rows.iter().map(|tv| prop_fields(Node::Map(Vec::new()), tv, owner)).collect())
}

/// The bit names of the PT_LONG flag properties shown in a profile.
pub(crate) fn flag_table(tag: PropTag, owner: SectionOwner<'_>) -> Option<&'static [FlagName]> {
    let id = tag.id();
    if id == PR_PROFILE_CONNECT_FLAGS.id() {
        Some(connect_flags::NAMES)
    } else if id == PR_PROFILE_OPEN_FLAGS.id() {
        Some(open_flags::NAMES)
    } else if id == PR_RESOURCE_FLAGS.id() {
        match owner {
            SectionOwner::Service(_) => Some(service_flags::NAMES),
            _ => Some(provider_flags::NAMES),
        }
    } else {
        None
    }
}

fn flags_node(v: u32, table: &[FlagName]) -> Node {
    Node::map([
        ("value", Node::str(format!("0x{v:08X}"))),
        ("names", Node::List(flag_names(v, table).into_iter().map(Node::Str).collect())),
    ])
}

/// Adds `name`, `tag`, `type`, `value` and, for integers, `hex` (and flag `names`) to `base`.
/// A tag's name in a section: the provider-private ids (0x6700–0x67FF) mean what the section's
/// service defines (mspst.h for a Personal Folders service; oxmapi's own elsewhere).
pub(crate) fn section_tag_name(tag: PropTag, owner: SectionOwner<'_>) -> String {
    let pst = match owner {
        SectionOwner::Service(s) | SectionOwner::Provider(s, _) => mspst::is_pst_service(s),
        _ => false,
    };
    match pst.then(|| mspst::pst_tag_name(tag)).flatten() {
        Some(n) => n.to_string(),
        None => tag_name(tag),
    }
}

fn prop_fields(base: Node, tv: &TaggedValue, owner: SectionOwner<'_>) -> Node {
    let ty = tv.value.prop_type();
    let n = base
        .with("name", Node::str(section_tag_name(tv.tag, owner)))
        .with("tag", Node::str(format!("0x{:08X}", tv.tag.0)))
        .with("type", Node::str(ty.pt_name()));
    let (value, hex) = match tv.value {
        PropValue::I16(v) => (Node::Int(v.into()), Some(format!("0x{:04X}", v as u16))),
        PropValue::I32(v) => (Node::Int(v.into()), Some(format!("0x{:08X}", v as u32))),
        PropValue::I64(v) => (Node::Int(v.into()), Some(format!("0x{:016X}", v as u64))),
        PropValue::Object(v) => (Node::Int(v.into()), Some(format!("0x{v:08X}"))),
        ref other => (value_node(other), None),
    };
    let mut n = n.with("value", value);
    if let Some(h) = hex {
        n = n.with("hex", Node::Str(h));
    }
    if let PropValue::I32(v) = tv.value {
        if let Some(table) = flag_table(tv.tag, owner) {
            // One line, as MFCMAPI's flag interpretation shows it: every set bit by name.
            n = n.with("flags", Node::Str(flag_names(v as u32, table).join(" | ")));
        } else if tv.tag.id() == PR_RESOURCE_TYPE.id() {
            let name = resource_type::name(v as u32).unwrap_or("unknown resource type");
            n = n.with("meaning", Node::str(name));
        }
    }
    n
}
