//! The file format: exact round trips of every value type, damaged files, random values.

use oxmapi_core::error::codes;
use oxmapi_core::guid::GLOBAL_PROFILE_SECTION_GUID;
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::{BitmapRelOp, RelOp, Restriction};
use oxmapi_core::time::FileTime;
use oxmapi_core::{Guid, MapiUid, PropTag, PropValue, TaggedValue};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::super::format::{self, ProfileFile};
use super::super::{GLOBAL_SECTION_UID, Profile};
use super::temp_store;

/// Equality that also holds for NaN floats (Debug prints floats in their shortest exact form).
fn same<T: std::fmt::Debug>(a: &T, b: &T) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn restriction() -> Restriction {
    Restriction::And(vec![
        Restriction::Exist { prop_tag: PropTag(0x0037_001F) },
        Restriction::Not(Box::new(Restriction::BitMask {
            relop: BitmapRelOp::Nez,
            prop_tag: PropTag(0x0E07_0003),
            mask: 1,
        })),
        Restriction::Property {
            relop: RelOp::Eq,
            prop_tag: PropTag(0x0037_001F),
            value: TaggedValue::new(PropTag(0x0037_001F), PropValue::Unicode("hi".into())),
        },
    ])
}

/// One value of every type the file holds.
fn every_value() -> Vec<PropValue> {
    use PropValue as V;
    let g = GLOBAL_PROFILE_SECTION_GUID;
    vec![
        V::Null,
        V::I16(-2),
        V::I32(i32::MIN),
        V::I32(0x8002),
        V::F32(f32::MIN_POSITIVE),
        V::F64(0.1),
        V::F64(f64::NAN),
        V::F64(-0.0),
        V::F64(f64::INFINITY),
        V::Currency(i64::MAX),
        V::AppTime(45000.25),
        V::Error(0x8004_011D),
        V::Bool(true),
        V::Object(u32::MAX),
        V::I64(i64::MIN),
        V::String8((0..=255u8).collect()),
        V::Unicode("h\u{e9}llo \u{65e5}\u{672c} \0 \"q\"".into()),
        V::SysTime(FileTime(u64::MAX)),
        V::Guid(g),
        V::ServerId(vec![1, 0, 0xff]),
        V::Restriction(Box::new(restriction())),
        V::RuleAction(vec![0xab; 3]),
        V::Binary(vec![]),
        V::Binary(g.0.to_vec()),
        V::MvI16(vec![1, -1]),
        V::MvI32(vec![0, i32::MAX]),
        V::MvF32(vec![1.5, f32::NEG_INFINITY]),
        V::MvF64(vec![]),
        V::MvCurrency(vec![-5]),
        V::MvAppTime(vec![0.5]),
        V::MvI64(vec![i64::MAX, i64::MIN]),
        V::MvString8(vec![b"a".to_vec(), vec![0x80, 0x9f]]),
        V::MvUnicode(vec!["x".into(), String::new()]),
        V::MvSysTime(vec![FileTime(0), FileTime(1)]),
        V::MvGuid(vec![g, Guid::NULL]),
        V::MvBinary(vec![vec![1, 2], vec![]]),
    ]
}

fn profile_with(values: &[PropValue]) -> Profile {
    let mut p = Profile::new("rt");
    p.add_msems_service(Some("https://h.example"), Some("u")).unwrap();
    for (i, v) in values.iter().enumerate() {
        let uid = MapiUid([i as u8 + 1; 16]);
        p.section_mut(&uid).set(PropTag::from_parts(0x6710 + i as u16, 0), v.clone());
    }
    p
}

#[test]
fn every_value_type_round_trips_through_the_file() {
    let (_d, s) = temp_store();
    let p = profile_with(&every_value());
    s.create_with("rt", |x| {
        *x = p.clone();
        Ok(())
    })
    .unwrap();
    let back = s.get("rt").unwrap();
    assert!(same(&back, &p), "{back:#?}\n!=\n{p:#?}");
    // and the in-memory codec alone
    let file = ProfileFile { default: Some("rt".into()), profiles: vec![p.clone()] };
    let bytes = format::encode(&file).unwrap();
    let again = format::decode(&bytes, std::path::Path::new("mem")).unwrap();
    assert!(same(&again, &file));
    assert_eq!(format::encode(&again).unwrap(), bytes, "encoding is deterministic");
}

#[test]
fn documented_value_forms() {
    use serde_json::json;
    let f = format::value_to_json;
    assert_eq!(f(&PropValue::I32(0x8002)), json!(32770));
    assert_eq!(f(&PropValue::I64(1 << 60)), json!("1152921504606846976"));
    assert_eq!(f(&PropValue::Binary(vec![0xAB, 1])), json!("ab01"));
    assert_eq!(f(&PropValue::Bool(false)), json!(false));
    assert_eq!(f(&PropValue::F64(1.5)), json!("1.5"));
    assert_eq!(
        f(&PropValue::Guid(GLOBAL_PROFILE_SECTION_GUID)),
        json!("{C8B0DB13-05AA-1A10-9BB0-00AA002FC45A}")
    );
    assert_eq!(f(&PropValue::MvI32(vec![1, 2])), json!([1, 2]));
    // hand-edited forms are accepted
    let r = |ty, j| format::value_from_json(ty, &j).unwrap();
    assert_eq!(r(PropType::Integer32, json!("0x8002")), PropValue::I32(0x8002));
    assert_eq!(r(PropType::Integer32, json!(4294967295u32)), PropValue::I32(-1));
    assert_eq!(r(PropType::Integer64, json!(5)), PropValue::I64(5));
    assert_eq!(r(PropType::Floating64, json!(2.5)), PropValue::F64(2.5));
    assert_eq!(r(PropType::Time, json!(7)), PropValue::SysTime(FileTime(7)));
}

#[test]
fn the_file_is_readable_json_without_passwords() {
    let (_d, s) = temp_store();
    s.create_with("legacy", |p| p.add_msems_service(Some("http://127.0.0.1:9"), Some("alice")).map(|_| ()))
        .unwrap();
    let text = std::fs::read_to_string(s.file_path()).unwrap();
    let j: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(j["version"], 1);
    assert_eq!(j["default"], "legacy");
    let global = &j["profiles"][0]["sections"][GLOBAL_SECTION_UID.to_string()];
    let connect = global.as_array().unwrap().iter().find(|p| p["tag"] == "0x66040003").unwrap();
    assert_eq!(connect["name"], "PR_PROFILE_CONNECT_FLAGS");
    assert_eq!(connect["value"], 2);
    assert!(!text.contains("0x66A10102"), "no password property");
}

fn write_raw(s: &super::super::ProfileStore, bytes: &[u8]) {
    std::fs::create_dir_all(s.home()).unwrap();
    std::fs::write(s.file_path(), bytes).unwrap();
}

#[test]
fn damaged_files_are_corrupt_data_not_panics() {
    let sect = |props: &str| {
        format!(
            r#"{{"version":1,"profiles":[{{"name":"a","sections":{{"13dbb0c8aa05101a9bb000aa002fc45a":[{props}]}}}}]}}"#
        )
    };
    let deep = "[".repeat(100_000);
    let cases: Vec<String> = vec![
        String::new(),
        "{".into(),
        "null".into(),
        "[]".into(),
        "\u{feff}{}".into(),
        r#"{"profiles":[]}"#.into(),
        r#"{"version":"1"}"#.into(),
        r#"{"version":0}"#.into(),
        r#"{"version":1,"profiles":[{"name":""}]}"#.into(),
        r#"{"version":1,"profiles":[{"name":"a"},{"name":"A"}]}"#.into(),
        r#"{"version":1,"profiles":[{"name":"a","services":[{"uid":"xyz","name":"MSEMS"}]}]}"#.into(),
        r#"{"version":1,"profiles":[{"name":"a","services":[{"uid":"13dbb0c8aa05101a9bb000aa002fc45a","name":"S","providers":[{"uid":"13dbb0c8aa05101a9bb000aa002fc45a","name":"p","kind":"printer"}]}]}]}"#.into(),
        r#"{"version":1,"profiles":[{"name":"a","sections":{"nothex":[]}}]}"#.into(),
        sect(r#"{"tag":"66040003","value":2}"#),
        sect(r#"{"tag":"0xZZ","value":2}"#),
        sect(r#"{"tag":"0x66040009","value":2}"#),
        sect(r#"{"tag":"0x66040000","value":2}"#),
        sect(r#"{"tag":"0x66043003","value":[2]}"#),
        sect(r#"{"tag":"0x66040003","value":"abc"}"#),
        sect(r#"{"tag":"0x66040003","value":99999999999}"#),
        sect(r#"{"tag":"0x66040003","value":1.5}"#),
        sect(r#"{"tag":"0x66040003"}"#),
        sect(r#"{"tag":"0x66040003","value":1},{"tag":"0x6604001F","value":"x"}"#),
        sect(r#"{"tag":"0x66110102","value":"abc"}"#),
        sect(r#"{"tag":"0x66110102","value":"é1"}"#),
        sect(r#"{"tag":"0x661100FD","value":"ff"}"#),
        sect(r#"{"tag":"0x661100FD","value":"0800000000ff"}"#),
        sect(r#"{"tag":"0x6611001E","value":"日本"}"#),
        sect(r#"{"tag":"0x66111003","value":[1,"x"]}"#),
        sect(r#"{"tag":"0x66111003","value":5}"#),
        sect(r#"{"tag":"0x66110048","value":"{nope}"}"#),
        sect(r#"{"tag":"0x6611000B","value":1}"#),
        sect(r#"{"tag":"0x66110001","value":1}"#),
        sect(r#"{"tag":"0x66110040","value":-1}"#),
        deep,
    ];
    for (i, c) in cases.iter().enumerate() {
        let (_d, s) = temp_store();
        write_raw(&s, c.as_bytes());
        let e = s.list().expect_err(&format!("case {i}: {c:.120}"));
        assert_eq!(e.code, codes::MAPI_E_CORRUPT_DATA, "case {i}: {c:.120}: {e}");
        assert!(e.message.contains("profiles.json"), "case {i}: {e}");
        // a damaged file is never overwritten by a change
        assert_eq!(s.create("new").unwrap_err().code, codes::MAPI_E_CORRUPT_DATA);
        assert_eq!(std::fs::read(s.file_path()).unwrap(), c.as_bytes());
    }
    let mut junk = vec![0u8; 4096];
    StdRng::seed_from_u64(7).fill(&mut junk[..]);
    let (_d, s) = temp_store();
    write_raw(&s, &junk);
    assert_eq!(s.get("x").unwrap_err().code, codes::MAPI_E_CORRUPT_DATA);
}

#[test]
fn newer_versions_and_lenient_parts() {
    let (_d, s) = temp_store();
    write_raw(&s, br#"{"version":2,"profiles":[]}"#);
    assert_eq!(s.list().unwrap_err().code, codes::MAPI_E_VERSION);
    // unknown fields are ignored, a default naming no profile is dropped
    write_raw(&s, br#"{"version":1,"default":"gone","extra":true,"profiles":[{"name":"a","x":1}]}"#);
    assert_eq!(s.default_profile().unwrap(), None);
    assert_eq!(s.list().unwrap().len(), 1);
}

fn random_value(rng: &mut StdRng, ty: PropType) -> PropValue {
    use PropValue as V;
    let bytes = |rng: &mut StdRng| (0..rng.gen_range(0..12)).map(|_| rng.r#gen::<u8>()).collect::<Vec<u8>>();
    let text = |rng: &mut StdRng| (0..rng.gen_range(0..12)).map(|_| rng.r#gen::<char>()).collect::<String>();
    let n = rng.gen_range(0..4);
    match ty {
        PropType::Null => V::Null,
        PropType::Integer16 => V::I16(rng.r#gen()),
        PropType::Integer32 => V::I32(rng.r#gen()),
        PropType::Floating32 => V::F32(f32::from_bits(rng.r#gen())),
        PropType::Floating64 => V::F64(f64::from_bits(rng.r#gen())),
        PropType::Currency => V::Currency(rng.r#gen()),
        PropType::FloatingTime => V::AppTime(f64::from_bits(rng.r#gen())),
        PropType::ErrorCode => V::Error(rng.r#gen()),
        PropType::Boolean => V::Bool(rng.r#gen()),
        PropType::Object => V::Object(rng.r#gen()),
        PropType::Integer64 => V::I64(rng.r#gen()),
        PropType::String8 => V::String8(bytes(rng)),
        PropType::String => V::Unicode(text(rng)),
        PropType::Time => V::SysTime(FileTime(rng.r#gen())),
        PropType::Guid => V::Guid(Guid(rng.r#gen())),
        PropType::ServerId => V::ServerId(bytes(rng)),
        PropType::Restriction => V::Restriction(Box::new(Restriction::BitMask {
            relop: BitmapRelOp::Eqz,
            prop_tag: PropTag(rng.r#gen()),
            mask: rng.r#gen(),
        })),
        PropType::RuleAction => V::RuleAction(bytes(rng)),
        PropType::Binary => V::Binary(bytes(rng)),
        mv => {
            let el: Vec<PropValue> = (0..n).map(|_| random_value(rng, mv.element())).collect();
            super::super::format::multi(mv, el)
        }
    }
}

/// Property test: random sections of random typed values survive encode → decode exactly.
#[test]
fn random_values_round_trip() {
    let types: Vec<PropType> =
        PropType::ALL.iter().copied().filter(|t| *t != PropType::Unspecified).collect();
    for seed in 0..200u64 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut p = Profile::new(&format!("p{seed}"));
        for _ in 0..rng.gen_range(1..6) {
            let uid = MapiUid(rng.r#gen());
            for _ in 0..rng.gen_range(0..8) {
                let ty = types[rng.gen_range(0..types.len())];
                let id = rng.gen_range(0x0001..0xFFFEu16);
                p.section_mut(&uid).set(PropTag::new(id, ty), random_value(&mut rng, ty));
            }
        }
        let file = ProfileFile { default: None, profiles: vec![p] };
        let bytes = format::encode(&file).unwrap();
        let back = format::decode(&bytes, std::path::Path::new("mem"))
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert!(same(&back, &file), "seed {seed}");
    }
}
