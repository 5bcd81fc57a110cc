//! Text forms: tags, values of every type, flag edits.

use oxmapi_core::catalogue::tags::{PR_PROFILE_CONNECT_FLAGS, PR_PROFILE_HOME_SERVER};
use oxmapi_core::error::codes;
use oxmapi_core::guid::GLOBAL_PROFILE_SECTION_GUID;
use oxmapi_core::ptype::PropType;
use oxmapi_core::time::FileTime;
use oxmapi_core::{PropTag, PropValue};

use super::super::{
    PR_OXMAPI_CLIENT_VERSION, apply_bits, parse_mask, parse_tag, parse_value, tag_name, widen_string_tag,
};

fn tag(ty: PropType) -> PropTag {
    PropTag::new(0x6710, ty)
}

fn ok(ty: PropType, text: &str) -> PropValue {
    parse_value(tag(ty), text).unwrap_or_else(|e| panic!("{ty:?} {text:?}: {e}"))
}

fn err(ty: PropType, text: &str) -> String {
    let e = parse_value(tag(ty), text).expect_err(text);
    assert_eq!(e.code, codes::MAPI_E_INVALID_PARAMETER, "{ty:?} {text:?}");
    e.message
}

#[test]
fn tags_by_name_and_value() {
    assert_eq!(parse_tag("PR_PROFILE_CONNECT_FLAGS").unwrap(), PR_PROFILE_CONNECT_FLAGS);
    assert_eq!(parse_tag("pr_profile_connect_flags").unwrap(), PR_PROFILE_CONNECT_FLAGS);
    assert_eq!(parse_tag("PidTagProfileConnectFlags").unwrap(), PR_PROFILE_CONNECT_FLAGS);
    assert_eq!(parse_tag("0x66040003").unwrap(), PR_PROFILE_CONNECT_FLAGS);
    assert_eq!(parse_tag("66040003").unwrap(), PR_PROFILE_CONNECT_FLAGS);
    assert_eq!(parse_tag("0x67100003").unwrap(), PropTag(0x6710_0003));
    assert_eq!(parse_tag("PR_OXMAPI_CLIENT_VERSION").unwrap(), PR_OXMAPI_CLIENT_VERSION);
    assert_eq!(parse_tag("PR_OXMAPI_CLIENT_VERSION_W").unwrap(), PR_OXMAPI_CLIENT_VERSION);
    assert_eq!(parse_tag("PR_PROFILE_AUTH_USER_W").unwrap(), PropTag(0x66A0_001F));
    assert_eq!(parse_tag("PR_NOPE").unwrap_err().code, codes::MAPI_E_NOT_FOUND);
    assert_eq!(parse_tag("1234").unwrap_err().code, codes::MAPI_E_NOT_FOUND);
    assert_eq!(tag_name(PR_OXMAPI_CLIENT_VERSION), "PR_OXMAPI_CLIENT_VERSION");
    assert_eq!(tag_name(PR_PROFILE_CONNECT_FLAGS), "PR_PROFILE_CONNECT_FLAGS");
    assert_eq!(tag_name(PropTag(0x6710_0003)), "0x67100003");
    assert_eq!(widen_string_tag(PR_PROFILE_HOME_SERVER), PropTag(0x6602_001F));
    assert_eq!(widen_string_tag(PropTag(0x6613_101E)), PropTag(0x6613_101F));
    assert_eq!(widen_string_tag(PR_PROFILE_CONNECT_FLAGS), PR_PROFILE_CONNECT_FLAGS);
}

#[test]
fn integers() {
    assert_eq!(ok(PropType::Integer32, "0x8002"), PropValue::I32(0x8002));
    assert_eq!(ok(PropType::Integer32, "32770"), PropValue::I32(32770));
    assert_eq!(ok(PropType::Integer32, " 0X8002 "), PropValue::I32(0x8002));
    assert_eq!(ok(PropType::Integer32, "-1"), PropValue::I32(-1));
    assert_eq!(ok(PropType::Integer32, "0xFFFFFFFF"), PropValue::I32(-1));
    assert_eq!(ok(PropType::Integer32, "4294967295"), PropValue::I32(-1));
    let m = err(PropType::Integer32, "abc");
    assert!(m.contains("0x8002") && m.contains("32770") && m.contains("PT_LONG"), "{m}");
    err(PropType::Integer32, "0x100000000");
    err(PropType::Integer32, "0x");
    err(PropType::Integer32, "1.5");
    err(PropType::Integer32, "");
    assert_eq!(ok(PropType::Integer16, "-2"), PropValue::I16(-2));
    assert_eq!(ok(PropType::Integer16, "0xFFFF"), PropValue::I16(-1));
    err(PropType::Integer16, "70000");
    assert_eq!(ok(PropType::Integer64, "0x100000000"), PropValue::I64(1 << 32));
    assert_eq!(ok(PropType::Integer64, "-9223372036854775808"), PropValue::I64(i64::MIN));
    assert_eq!(ok(PropType::Currency, "12500"), PropValue::Currency(12500));
    assert_eq!(ok(PropType::Object, "7"), PropValue::Object(7));
    err(PropType::Object, "-1");
}

#[test]
fn other_scalars() {
    assert_eq!(ok(PropType::Boolean, "true"), PropValue::Bool(true));
    assert_eq!(ok(PropType::Boolean, "OFF"), PropValue::Bool(false));
    assert_eq!(ok(PropType::Boolean, "1"), PropValue::Bool(true));
    assert!(err(PropType::Boolean, "maybe").contains("true or false"));
    assert_eq!(ok(PropType::Floating64, "1.5"), PropValue::F64(1.5));
    assert_eq!(ok(PropType::Floating32, "-0.25"), PropValue::F32(-0.25));
    assert_eq!(ok(PropType::FloatingTime, "45000.5"), PropValue::AppTime(45000.5));
    err(PropType::Floating64, "x");
    assert_eq!(ok(PropType::ErrorCode, "MAPI_E_NOT_FOUND"), PropValue::Error(0x8004_010F));
    assert_eq!(ok(PropType::ErrorCode, "0x8004011D"), PropValue::Error(0x8004_011D));
    err(PropType::ErrorCode, "MAPI_E_NOPE_NOPE");
    assert_eq!(
        ok(PropType::Guid, "{C8B0DB13-05AA-1A10-9BB0-00AA002FC45A}"),
        PropValue::Guid(GLOBAL_PROFILE_SECTION_GUID)
    );
    err(PropType::Guid, "C8B0DB13");
    assert_eq!(ok(PropType::Null, ""), PropValue::Null);
    err(PropType::Restriction, "00");
    assert!(parse_value(PropTag(0x6710_0000), "1").is_err());
    assert!(parse_value(PropTag(0x6710_0009), "1").is_err());
}

#[test]
fn strings_and_binary() {
    assert_eq!(ok(PropType::String, "hello world"), PropValue::Unicode("hello world".into()));
    assert_eq!(ok(PropType::String, "\"quoted\""), PropValue::Unicode("quoted".into()));
    assert_eq!(ok(PropType::String, r#""a\"b\u00e9""#), PropValue::Unicode("a\"bé".into()));
    assert_eq!(ok(PropType::String, " keep blanks "), PropValue::Unicode(" keep blanks ".into()));
    assert_eq!(ok(PropType::String, "日本"), PropValue::Unicode("日本".into()));
    assert_eq!(ok(PropType::String8, "caf\u{e9} \u{20ac}"), PropValue::String8(b"caf\xe9 \x80".to_vec()));
    assert!(err(PropType::String8, "日本").contains("_W"));
    assert_eq!(ok(PropType::Binary, "0a1B2c"), PropValue::Binary(vec![0x0a, 0x1b, 0x2c]));
    assert_eq!(ok(PropType::Binary, "0x0a 1b:2c"), PropValue::Binary(vec![0x0a, 0x1b, 0x2c]));
    assert_eq!(ok(PropType::Binary, ""), PropValue::Binary(vec![]));
    assert_eq!(ok(PropType::ServerId, "01"), PropValue::ServerId(vec![1]));
    assert!(err(PropType::Binary, "abc").contains("hex"));
    err(PropType::Binary, "zz");
}

#[test]
fn times() {
    assert_eq!(
        ok(PropType::Time, "1970-01-01T00:00:00Z"),
        PropValue::SysTime(FileTime::from_unix_seconds(0))
    );
    assert_eq!(
        ok(PropType::Time, "2008-01-15 13:00"),
        PropValue::SysTime(FileTime::from_unix_seconds(1_200_402_000))
    );
    let t = FileTime(133_000_000_001_234_567);
    assert_eq!(ok(PropType::Time, &t.to_rfc3339()), PropValue::SysTime(t));
    assert_eq!(ok(PropType::Time, "133000000001234567"), PropValue::SysTime(t));
    assert_eq!(ok(PropType::Time, "1601-01-01"), PropValue::SysTime(FileTime(0)));
    for bad in [
        "2023-02-30T00:00:00Z",
        "2023-13-01",
        "1600-12-31",
        "2023-01-01T24:00",
        "yesterday",
        "2023-01-01T00:00:00.12345678Z",
    ] {
        err(PropType::Time, bad);
    }
}

#[test]
fn multi_valued() {
    assert_eq!(ok(PropType::MultipleInteger32, "[1, \"0x10\"]"), PropValue::MvI32(vec![1, 16]));
    assert_eq!(
        ok(PropType::MultipleString, r#"["a", "b c"]"#),
        PropValue::MvUnicode(vec!["a".into(), "b c".into()])
    );
    assert_eq!(ok(PropType::MultipleString8, r#"["a"]"#), PropValue::MvString8(vec![b"a".to_vec()]));
    assert_eq!(ok(PropType::MultipleBinary, r#"["00ff"]"#), PropValue::MvBinary(vec![vec![0, 255]]));
    assert_eq!(ok(PropType::MultipleInteger64, "[]"), PropValue::MvI64(vec![]));
    assert_eq!(ok(PropType::MultipleFloating64, "[1.5]"), PropValue::MvF64(vec![1.5]));
    assert!(err(PropType::MultipleInteger32, "1,2").contains("JSON array"));
    err(PropType::MultipleInteger32, "[[1]]");
    err(PropType::MultipleInteger32, "[\"x\"]");
}

#[test]
fn flag_edits() {
    let t = PR_PROFILE_CONNECT_FLAGS;
    assert_eq!(apply_bits(None, t, 0x8000, 0).unwrap(), PropValue::I32(0x8000));
    assert_eq!(apply_bits(Some(&PropValue::I32(2)), t, 0x8000, 0).unwrap(), PropValue::I32(0x8002));
    assert_eq!(apply_bits(Some(&PropValue::I32(0x8002)), t, 0, 0x8000).unwrap(), PropValue::I32(2));
    assert_eq!(
        apply_bits(Some(&PropValue::I32(-1)), t, 0, 0x8000_0000).unwrap(),
        PropValue::I32(0x7FFF_FFFF)
    );
    assert_eq!(apply_bits(Some(&PropValue::I32(1)), t, 6, 3).unwrap(), PropValue::I32(4));
    assert_eq!(
        apply_bits(None, PropTag(0x6602_001F), 1, 0).unwrap_err().code,
        codes::MAPI_E_INVALID_PARAMETER
    );
    assert_eq!(
        apply_bits(Some(&PropValue::Bool(true)), t, 1, 0).unwrap_err().code,
        codes::MAPI_E_INVALID_TYPE
    );
    assert_eq!(parse_mask("0x8000").unwrap(), 0x8000);
    assert_eq!(parse_mask("32768").unwrap(), 0x8000);
    assert_eq!(parse_mask("0xFFFFFFFF").unwrap(), u32::MAX);
    assert_eq!(parse_mask("0x1FFFFFFFF").unwrap_err().code, codes::MAPI_E_INVALID_PARAMETER);
    assert!(parse_mask("bits").is_err());
}
