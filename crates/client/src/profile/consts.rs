//! Constants of the profile subsystem that oxmapi-core does not carry: oxmapi's private profile
//! properties, the resource types and resource flags of the message service and provider tables
//! (mapidefs.h / mapix.h, `PR_RESOURCE_TYPE` / `PR_RESOURCE_FLAGS`), and the UID of the global
//! profile section.
//!
//! The private properties live in the provider-private id range 0x6700–0x67FF, which MAPI leaves
//! to each provider to interpret inside its own profile sections; here they belong to oxmapi's
//! MSEMS implementation and are only meaningful in an oxmapi profile.

use oxmapi_core::consts::FlagName;
use oxmapi_core::guid::GLOBAL_PROFILE_SECTION_GUID;
use oxmapi_core::{MapiUid, PropTag};

/// The MAPIUID of the global profile section (`pbGlobalProfileSectionGuid`), which the MSEMS
/// `MSEMS_MSMail_Section` of mapisvc.inf maps to (protocol-facts §6.2).
pub const GLOBAL_SECTION_UID: MapiUid = MapiUid::from_guid(GLOBAL_PROFILE_SECTION_GUID);

/// `PR_OXMAPI_CLIENT_VERSION` (0x6700001F, PT_UNICODE, private): the client version
/// (`A.B.C.D`) this profile's MSEMS service advertises in Connect. Absent means
/// [`DEFAULT_CLIENT_VERSION`]. Lives in the global profile section.
pub const PR_OXMAPI_CLIENT_VERSION: PropTag = PropTag(0x6700_001F);
/// `PR_OXMAPI_TLS_CA_FILE` (0x6701001F, PT_UNICODE, private): a PEM file of CA certificates the
/// MAPI/HTTP transport trusts for this profile's server, in addition to (not instead of) the
/// system roots. Lives in the global profile section.
pub const PR_OXMAPI_TLS_CA_FILE: PropTag = PropTag(0x6701_001F);
/// `PR_OXMAPI_TLS_PIN_SHA256` (0x6702001F, PT_UNICODE, private): the SHA-256 fingerprint of the
/// server's end-entity certificate (DER), 64 lowercase hex digits; when set, the transport
/// accepts exactly that certificate. Lives in the global profile section.
pub const PR_OXMAPI_TLS_PIN_SHA256: PropTag = PropTag(0x6702_001F);

/// `PR_OXMAPI_TRUSTED_ORIGINS` (0x6703001F, PT_UNICODE, private): origins
/// (`scheme://host[:port]`, separated by spaces or commas) besides the origin of the profile's
/// server to which the MAPI/HTTP transport may send credentials — e.g. the endpoints
/// Autodiscover names on another host. Absent means none: credentials go only to the profile's
/// server. Set by hand (`oxmapi profile set NAME PR_OXMAPI_TRUSTED_ORIGINS URL`) or by a logon
/// with `--trust-autodiscover-origin`. Lives in the global profile section.
pub const PR_OXMAPI_TRUSTED_ORIGINS: PropTag = PropTag(0x6703_001F);

/// The client version advertised when a profile has no `PR_OXMAPI_CLIENT_VERSION` (a current
/// Outlook-era version, ≥ 16.0, so a server never applies its pre-12.0 public-folder gate).
pub const DEFAULT_CLIENT_VERSION: &str = "16.0.0.0";

/// oxmapi's private profile properties with their names (for look-up and display; the
/// core catalogue does not list them).
pub const PRIVATE_TAGS: &[(PropTag, &str)] = &[
    (PR_OXMAPI_CLIENT_VERSION, "PR_OXMAPI_CLIENT_VERSION"),
    (PR_OXMAPI_TLS_CA_FILE, "PR_OXMAPI_TLS_CA_FILE"),
    (PR_OXMAPI_TLS_PIN_SHA256, "PR_OXMAPI_TLS_PIN_SHA256"),
    (PR_OXMAPI_TRUSTED_ORIGINS, "PR_OXMAPI_TRUSTED_ORIGINS"),
];

/// `PR_RESOURCE_TYPE` values of the provider table (mapidefs.h).
pub mod resource_type {
    #![allow(missing_docs)]
    pub const MAPI_STORE_PROVIDER: u32 = 33;
    pub const MAPI_AB: u32 = 34;
    pub const MAPI_AB_PROVIDER: u32 = 35;
    pub const MAPI_TRANSPORT_PROVIDER: u32 = 36;
    pub const MAPI_SPOOLER: u32 = 37;
    pub const MAPI_PROFILE_PROVIDER: u32 = 38;
    pub const MAPI_SUBSYSTEM: u32 = 39;
    pub const MAPI_HOOK_PROVIDER: u32 = 40;

    /// Names of the values.
    pub const NAMES: &[(u32, &str)] = &[
        (MAPI_STORE_PROVIDER, "MAPI_STORE_PROVIDER"),
        (MAPI_AB, "MAPI_AB"),
        (MAPI_AB_PROVIDER, "MAPI_AB_PROVIDER"),
        (MAPI_TRANSPORT_PROVIDER, "MAPI_TRANSPORT_PROVIDER"),
        (MAPI_SPOOLER, "MAPI_SPOOLER"),
        (MAPI_PROFILE_PROVIDER, "MAPI_PROFILE_PROVIDER"),
        (MAPI_SUBSYSTEM, "MAPI_SUBSYSTEM"),
        (MAPI_HOOK_PROVIDER, "MAPI_HOOK_PROVIDER"),
    ];

    /// The name of a resource type.
    pub fn name(v: u32) -> Option<&'static str> {
        NAMES.iter().find(|(k, _)| *k == v).map(|(_, n)| *n)
    }
}

/// `PR_RESOURCE_FLAGS` of a provider (the provider table and the status table; mapidefs.h, with
/// HOOK_INBOUND / HOOK_OUTBOUND from mapihook.h).
pub mod provider_flags {
    #![allow(missing_docs)]
    pub const STATUS_DEFAULT_OUTBOUND: u32 = 0x0000_0001;
    pub const STATUS_DEFAULT_STORE: u32 = 0x0000_0002;
    pub const STATUS_PRIMARY_IDENTITY: u32 = 0x0000_0004;
    pub const STATUS_SIMPLE_STORE: u32 = 0x0000_0008;
    pub const STATUS_XP_PREFER_LAST: u32 = 0x0000_0010;
    pub const STATUS_NO_PRIMARY_IDENTITY: u32 = 0x0000_0020;
    pub const STATUS_NO_DEFAULT_STORE: u32 = 0x0000_0040;
    pub const STATUS_TEMP_SECTION: u32 = 0x0000_0080;
    pub const STATUS_OWN_STORE: u32 = 0x0000_0100;
    pub const HOOK_INBOUND: u32 = 0x0000_0200;
    pub const HOOK_OUTBOUND: u32 = 0x0000_0400;
    pub const STATUS_NEED_IPM_TREE: u32 = 0x0000_0800;
    pub const STATUS_PRIMARY_STORE: u32 = 0x0000_1000;
    pub const STATUS_SECONDARY_STORE: u32 = 0x0000_2000;

    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (STATUS_DEFAULT_OUTBOUND, "STATUS_DEFAULT_OUTBOUND"),
        (STATUS_DEFAULT_STORE, "STATUS_DEFAULT_STORE"),
        (STATUS_PRIMARY_IDENTITY, "STATUS_PRIMARY_IDENTITY"),
        (STATUS_SIMPLE_STORE, "STATUS_SIMPLE_STORE"),
        (STATUS_XP_PREFER_LAST, "STATUS_XP_PREFER_LAST"),
        (STATUS_NO_PRIMARY_IDENTITY, "STATUS_NO_PRIMARY_IDENTITY"),
        (STATUS_NO_DEFAULT_STORE, "STATUS_NO_DEFAULT_STORE"),
        (STATUS_TEMP_SECTION, "STATUS_TEMP_SECTION"),
        (STATUS_OWN_STORE, "STATUS_OWN_STORE"),
        (HOOK_INBOUND, "HOOK_INBOUND"),
        (HOOK_OUTBOUND, "HOOK_OUTBOUND"),
        (STATUS_NEED_IPM_TREE, "STATUS_NEED_IPM_TREE"),
        (STATUS_PRIMARY_STORE, "STATUS_PRIMARY_STORE"),
        (STATUS_SECONDARY_STORE, "STATUS_SECONDARY_STORE"),
    ];
}

/// `PR_RESOURCE_FLAGS` of a message service (the message service table; mapix.h).
pub mod service_flags {
    #![allow(missing_docs)]
    pub const SERVICE_DEFAULT_STORE: u32 = 0x0000_0001;
    pub const SERVICE_SINGLE_COPY: u32 = 0x0000_0002;
    pub const SERVICE_CREATE_WITH_STORE: u32 = 0x0000_0004;
    pub const SERVICE_PRIMARY_IDENTITY: u32 = 0x0000_0008;
    pub const SERVICE_NO_PRIMARY_IDENTITY: u32 = 0x0000_0020;

    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (SERVICE_DEFAULT_STORE, "SERVICE_DEFAULT_STORE"),
        (SERVICE_SINGLE_COPY, "SERVICE_SINGLE_COPY"),
        (SERVICE_CREATE_WITH_STORE, "SERVICE_CREATE_WITH_STORE"),
        (SERVICE_PRIMARY_IDENTITY, "SERVICE_PRIMARY_IDENTITY"),
        (SERVICE_NO_PRIMARY_IDENTITY, "SERVICE_NO_PRIMARY_IDENTITY"),
    ];
}

/// The name of a private oxmapi tag, if `tag` is one (any string width).
pub fn private_tag_name(tag: PropTag) -> Option<&'static str> {
    PRIVATE_TAGS.iter().find(|(t, _)| t.id() == tag.id() && same_kind(*t, tag)).map(|(_, n)| *n)
}

fn same_kind(a: PropTag, b: PropTag) -> bool {
    let s = |t: PropTag| matches!(t.raw_type(), 0x001E | 0x001F);
    a == b || (s(a) && s(b))
}
