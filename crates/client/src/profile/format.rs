//! The profile file: `profiles.json` in the client home, the one place profiles live (what the
//! Windows registry's profile key is to Windows MAPI).
//!
//! ```json
//! {
//!   "version": 1,
//!   "default": "work",
//!   "profiles": [{
//!     "name": "work",
//!     "services": [{
//!       "uid": "8c2f…", "name": "MSEMS", "display_name": "Microsoft Exchange Server",
//!       "resource_flags": 2,
//!       "providers": [{ "uid": "41d0…", "name": "EMS_MDB_private", "display_name": "Mailbox",
//!                       "provider_display": "Microsoft Exchange Message Store",
//!                       "kind": "store", "resource_flags": 4102 }]
//!     }],
//!     "sections": {
//!       "13dbb0c8aa05101a9bb000aa002fc45a": [
//!         { "tag": "0x66040003", "name": "PR_PROFILE_CONNECT_FLAGS", "value": 2 }
//!       ]
//!     }
//!   }]
//! }
//! ```
//!
//! Section keys are MAPIUIDs as 32 hex digits in wire byte order. Each property is its tag
//! (`0x%08X`, type included), an informational `name` (ignored when reading) and a value typed
//! by the tag: PT_SHORT / PT_LONG / PT_ERROR / PT_OBJECT as JSON numbers; PT_I8, PT_CURRENCY and
//! PT_SYSTIME (FILETIME ticks) as decimal strings (exact beyond 2^53); PT_FLOAT, PT_DOUBLE and
//! PT_APPTIME as strings in Rust's shortest round-trip form (`"1.5"`, `"NaN"`, `"inf"`);
//! PT_BOOLEAN as a JSON boolean; PT_UNICODE as a string; PT_STRING8 as its Windows-1252 text;
//! PT_BINARY, PT_SVREID and PT_ACTIONS as lowercase hex; PT_CLSID as `{GUID}`; PT_SRESTRICTION
//! as the hex of its MS-OXCDATA 2.12 encoding (32-bit counts); PT_NULL as null; multi-valued
//! types as arrays of their element form. Readers also accept numbers where strings are written
//! and `0x` hex strings for integers, for hand-edited files.

use std::collections::BTreeMap;
use std::path::Path;

use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::error::codes;
use oxmapi_core::ptype::PropType;
use oxmapi_core::time::FileTime;
use oxmapi_core::{Guid, MapiError, MapiUid, PropTag, PropValue, text};
use oxmapi_wire::cdata::{Form, read_restriction, write_restriction};
use oxmapi_wire::describe::hex;
use serde::{Deserialize, Serialize};
use serde_json::Value as J;

use super::MapiResult;
use super::model::{MessageService, Profile, Provider, ProviderKind};
use super::parse::{decode_hex, parse_int, tag_name};
use super::section::ProfileSection;

/// The file name of the profile file in the client home.
pub const FILE_NAME: &str = "profiles.json";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Largest profile file read (a profile is a few kilobytes; this bounds a damaged file).
pub const MAX_FILE_SIZE: u64 = 64 << 20;

/// The whole profile file in memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileFile {
    /// The default profile's name (IProfAdmin::SetDefaultProfile).
    pub default: Option<String>,
    /// The profiles, ordered by name.
    pub profiles: Vec<Profile>,
}

#[derive(Serialize, Deserialize)]
struct FileJson {
    version: u32,
    #[serde(default)]
    default: Option<String>,
    #[serde(default)]
    profiles: Vec<ProfileJson>,
}

#[derive(Serialize, Deserialize)]
struct ProfileJson {
    name: String,
    #[serde(default)]
    services: Vec<ServiceJson>,
    #[serde(default)]
    sections: BTreeMap<String, Vec<PropJson>>,
}

#[derive(Serialize, Deserialize)]
struct ServiceJson {
    uid: String,
    name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    resource_flags: u32,
    #[serde(default)]
    providers: Vec<ProviderJson>,
}

#[derive(Serialize, Deserialize)]
struct ProviderJson {
    uid: String,
    name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    provider_display: String,
    kind: String,
    #[serde(default)]
    resource_flags: u32,
}

#[derive(Serialize, Deserialize)]
struct PropJson {
    tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default)]
    value: J,
}

/// Serialises the profile file (pretty JSON, trailing newline).
pub fn encode(file: &ProfileFile) -> MapiResult<Vec<u8>> {
    let doc = FileJson {
        version: FORMAT_VERSION,
        default: file.default.clone(),
        profiles: file.profiles.iter().map(profile_json).collect(),
    };
    let mut out = serde_json::to_vec_pretty(&doc).map_err(|e| {
        MapiError::new(codes::MAPI_E_CALL_FAILED, format!("cannot serialise the profiles: {e}"))
    })?;
    out.push(b'\n');
    Ok(out)
}

fn profile_json(p: &Profile) -> ProfileJson {
    ProfileJson {
        name: p.name.clone(),
        services: p
            .services
            .iter()
            .map(|s| ServiceJson {
                uid: s.uid.to_string(),
                name: s.name.clone(),
                display_name: s.display_name.clone(),
                resource_flags: s.resource_flags,
                providers: s
                    .providers
                    .iter()
                    .map(|v| ProviderJson {
                        uid: v.uid.to_string(),
                        name: v.name.clone(),
                        display_name: v.display_name.clone(),
                        provider_display: v.provider_display.clone(),
                        kind: v.kind.name().to_string(),
                        resource_flags: v.resource_flags,
                    })
                    .collect(),
            })
            .collect(),
        sections: p
            .sections
            .iter()
            .map(|(uid, sect)| {
                let props = sect
                    .iter()
                    .map(|tv| PropJson {
                        tag: format!("0x{:08X}", tv.tag.0),
                        name: Some(tag_name(tv.tag)).filter(|n| !n.starts_with("0x")),
                        value: value_to_json(&tv.value),
                    })
                    .collect();
                (uid.to_string(), props)
            })
            .collect(),
    }
}

/// Reads the profile file's bytes; anything malformed is MAPI_E_CORRUPT_DATA naming `path`,
/// a newer format version MAPI_E_VERSION.
pub fn decode(bytes: &[u8], path: &Path) -> MapiResult<ProfileFile> {
    let corrupt = |detail: String| {
        MapiError::new(
            codes::MAPI_E_CORRUPT_DATA,
            format!(
                "profile file {} is damaged: {detail}; repair it by hand or move it aside",
                path.display()
            ),
        )
    };
    let doc: FileJson = serde_json::from_slice(bytes).map_err(|e| corrupt(e.to_string()))?;
    if doc.version > FORMAT_VERSION {
        return Err(MapiError::new(
            codes::MAPI_E_VERSION,
            format!(
                "profile file {} has format version {}; this oxmapi reads version {FORMAT_VERSION} (written by a \
                 newer oxmapi?)",
                path.display(),
                doc.version
            ),
        ));
    }
    if doc.version == 0 {
        return Err(corrupt("format version 0".into()));
    }
    let mut profiles = Vec::with_capacity(doc.profiles.len());
    for pj in doc.profiles {
        let name = pj.name.clone();
        let p = profile_from_json(pj).map_err(|e| corrupt(format!("profile {name:?}: {e}")))?;
        if super::find_index(&profiles, &p.name).is_some() {
            return Err(corrupt(format!("profile {:?} appears twice", p.name)));
        }
        profiles.push(p);
    }
    let default =
        doc.default.and_then(|d| super::find_index(&profiles, &d).map(|i| profiles[i].name.clone()));
    Ok(ProfileFile { default, profiles })
}

fn uid_from(s: &str) -> Result<MapiUid, String> {
    MapiUid::parse(s).ok_or_else(|| format!("{s:?} is not a MAPIUID (32 hex digits)"))
}

fn profile_from_json(pj: ProfileJson) -> Result<Profile, String> {
    super::check_name(&pj.name).map_err(|e| e.message)?;
    let mut services = Vec::with_capacity(pj.services.len());
    for s in pj.services {
        let mut providers = Vec::with_capacity(s.providers.len());
        for v in s.providers {
            providers.push(Provider {
                uid: uid_from(&v.uid)?,
                kind: ProviderKind::from_name(&v.kind)
                    .ok_or_else(|| format!("provider {:?} has unknown kind {:?}", v.name, v.kind))?,
                name: v.name,
                display_name: v.display_name,
                provider_display: v.provider_display,
                resource_flags: v.resource_flags,
            });
        }
        services.push(MessageService {
            uid: uid_from(&s.uid)?,
            name: s.name,
            display_name: s.display_name,
            resource_flags: s.resource_flags,
            providers,
        });
    }
    let mut sections = BTreeMap::new();
    for (key, props) in pj.sections {
        let uid = uid_from(&key)?;
        let mut sect = ProfileSection::new();
        for pj in props {
            let tag = PropTag::parse_hex(&pj.tag)
                .filter(|_| pj.tag.starts_with("0x") || pj.tag.starts_with("0X"))
                .ok_or_else(|| {
                    format!("section {key}: {:?} is not a property tag like 0x66040003", pj.tag)
                })?;
            let ty = tag
                .prop_type()
                .ok()
                .filter(|t| *t != PropType::Unspecified && !tag.is_mv_instance())
                .ok_or_else(|| format!("section {key}: tag {tag} has no storable property type"))?;
            if sect.get_any(tag).is_some() {
                return Err(format!("section {key}: property id 0x{:04X} appears twice", tag.id()));
            }
            let value = value_from_json(ty, &pj.value)
                .map_err(|e| format!("section {key}, property {tag} ({}): {e}", tag_name(tag)))?;
            sect.set(tag, value);
        }
        if sections.insert(uid, sect).is_some() {
            return Err(format!("section {key} appears twice"));
        }
    }
    Ok(Profile { name: pj.name, services, sections })
}

/// The file form of a value (see the module documentation).
pub fn value_to_json(v: &PropValue) -> J {
    use PropValue as V;
    match v {
        V::Null => J::Null,
        V::I16(x) => J::from(*x),
        V::I32(x) => J::from(*x),
        V::Error(x) | V::Object(x) => J::from(*x),
        V::F32(x) => J::String(x.to_string()),
        V::F64(x) | V::AppTime(x) => J::String(x.to_string()),
        V::Currency(x) | V::I64(x) => J::String(x.to_string()),
        V::Bool(b) => J::Bool(*b),
        V::String8(b) => J::String(text::decode_cp1252(b)),
        V::Unicode(s) => J::String(s.clone()),
        V::SysTime(t) => J::String(t.0.to_string()),
        V::Guid(g) => J::String(g.to_string()),
        V::ServerId(b) | V::Binary(b) | V::RuleAction(b) => J::String(hex(b)),
        V::Restriction(r) => {
            let mut w = Writer::new();
            write_restriction(&mut w, r, Form::Extended);
            J::String(hex(w.as_slice()))
        }
        other => J::Array(other.elements().iter().map(value_to_json).collect()),
    }
}

fn json_int(j: &J, lo: i128, hi: i128) -> Result<i128, String> {
    let v = match j {
        J::Number(n) => n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)),
        J::String(s) => parse_int(s.trim()),
        _ => None,
    };
    v.filter(|v| (lo..=hi).contains(v))
        .ok_or_else(|| format!("expected an integer in {lo}..={hi}, found {j}"))
}

fn json_float(j: &J) -> Result<f64, String> {
    match j {
        J::Number(n) => n.as_f64(),
        J::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| format!("expected a number, found {j}"))
}

fn json_str(j: &J) -> Result<&str, String> {
    j.as_str().ok_or_else(|| format!("expected a string, found {j}"))
}

fn json_hex(j: &J) -> Result<Vec<u8>, String> {
    let s = json_str(j)?;
    decode_hex(s).ok_or_else(|| format!("expected hex bytes, found {s:?}"))
}

/// Reads the file form of a value of type `ty`.
pub fn value_from_json(ty: PropType, j: &J) -> Result<PropValue, String> {
    use PropValue as V;
    if ty.is_multi() {
        let items = j.as_array().ok_or_else(|| format!("expected an array, found {j}"))?;
        let el = ty.element();
        let vals = items.iter().map(|x| value_from_json(el, x)).collect::<Result<Vec<_>, _>>()?;
        return Ok(multi(ty, vals));
    }
    Ok(match ty {
        PropType::Null if j.is_null() => V::Null,
        PropType::Integer16 => V::I16(json_int(j, i16::MIN.into(), u16::MAX.into())? as u16 as i16),
        PropType::Integer32 => V::I32(json_int(j, i32::MIN.into(), u32::MAX.into())? as u32 as i32),
        PropType::ErrorCode => V::Error(json_int(j, 0, u32::MAX.into())? as u32),
        PropType::Object => V::Object(json_int(j, 0, u32::MAX.into())? as u32),
        PropType::Integer64 => V::I64(json_int(j, i64::MIN.into(), i64::MAX.into())? as i64),
        PropType::Currency => V::Currency(json_int(j, i64::MIN.into(), i64::MAX.into())? as i64),
        PropType::Time => V::SysTime(FileTime(json_int(j, 0, u64::MAX.into())? as u64)),
        PropType::Floating32 => V::F32(match j {
            J::String(s) => s.trim().parse::<f32>().map_err(|_| format!("expected a number, found {j}"))?,
            _ => json_float(j)? as f32,
        }),
        PropType::Floating64 => V::F64(json_float(j)?),
        PropType::FloatingTime => V::AppTime(json_float(j)?),
        PropType::Boolean => {
            V::Bool(j.as_bool().ok_or_else(|| format!("expected true or false, found {j}"))?)
        }
        PropType::String => V::Unicode(json_str(j)?.to_string()),
        PropType::String8 => {
            let s = json_str(j)?;
            let b = text::encode_cp1252(s);
            if text::decode_cp1252(&b) != s {
                return Err(format!("{s:?} has characters outside code page 1252"));
            }
            V::String8(b)
        }
        PropType::Guid => V::Guid(json_str(j)?.parse::<Guid>().map_err(|e| e.to_string())?),
        PropType::Binary => V::Binary(json_hex(j)?),
        PropType::ServerId => V::ServerId(json_hex(j)?),
        PropType::RuleAction => V::RuleAction(json_hex(j)?),
        PropType::Restriction => {
            let b = json_hex(j)?;
            let mut r = Reader::new(&b);
            let x = read_restriction(&mut r, Form::Extended).map_err(|e| format!("bad restriction: {e}"))?;
            r.finish("Restriction").map_err(|e| format!("bad restriction: {e}"))?;
            V::Restriction(Box::new(x))
        }
        other => return Err(format!("cannot hold a {} value {j}", other.pt_name())),
    })
}

/// Gathers single values into the multi-valued value of type `ty` (elements of the right type).
pub(super) fn multi(ty: PropType, vals: Vec<PropValue>) -> PropValue {
    use PropValue as V;
    macro_rules! gather {
        ($one:ident, $mv:ident) => {
            V::$mv(vals.into_iter().filter_map(|v| if let V::$one(x) = v { Some(x) } else { None }).collect())
        };
    }
    match ty {
        PropType::MultipleInteger16 => gather!(I16, MvI16),
        PropType::MultipleInteger32 => gather!(I32, MvI32),
        PropType::MultipleFloating32 => gather!(F32, MvF32),
        PropType::MultipleFloating64 => gather!(F64, MvF64),
        PropType::MultipleCurrency => gather!(Currency, MvCurrency),
        PropType::MultipleFloatingTime => gather!(AppTime, MvAppTime),
        PropType::MultipleInteger64 => gather!(I64, MvI64),
        PropType::MultipleString8 => gather!(String8, MvString8),
        PropType::MultipleString => gather!(Unicode, MvUnicode),
        PropType::MultipleTime => gather!(SysTime, MvSysTime),
        PropType::MultipleGuid => gather!(Guid, MvGuid),
        _ => gather!(Binary, MvBinary),
    }
}
