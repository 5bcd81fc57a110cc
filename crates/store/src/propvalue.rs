//! Storage form of property values (MS-OXCDATA 2.11.1 property types).
//!
//! A property is stored as `(propid, proptype, value)`. The value column is typed so SQL can
//! compare and sort it: integers, booleans, error codes and PtypTime as INTEGER, floats as REAL
//! (SQLite stores NaN as NULL, read back as NaN), PtypString as TEXT, PtypString8 / PtypBinary /
//! PtypServerId / PtypRuleAction as their raw bytes, PtypGuid as its 16 wire bytes. Restrictions
//! and every multi-valued type are stored as the MS-OXCDATA PropertyValue encoding with 32-bit
//! counts (oxmapi-wire `Form::Extended`).

use crate::db::{Value, ValueRef};
use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::{Form, read_value, write_value};

use crate::error::{StoreError, StoreResult};

/// The SQL value of a property value.
pub(crate) fn to_sql(v: &PropValue) -> Value {
    use PropValue as V;
    match v {
        V::Null => Value::Null,
        V::I16(x) => Value::Integer(*x as i64),
        V::I32(x) => Value::Integer(*x as i64),
        V::I64(x) | V::Currency(x) => Value::Integer(*x),
        V::Error(x) | V::Object(x) => Value::Integer(*x as i64),
        V::Bool(b) => Value::Integer(*b as i64),
        V::SysTime(t) => Value::Integer(t.0 as i64),
        V::F32(x) => Value::Real(*x as f64),
        V::F64(x) | V::AppTime(x) => Value::Real(*x),
        V::Unicode(s) => Value::Text(s.clone()),
        V::String8(b) | V::Binary(b) | V::ServerId(b) | V::RuleAction(b) => Value::Blob(b.clone()),
        V::Guid(g) => Value::Blob(g.0.to_vec()),
        other => {
            let mut w = Writer::new();
            write_value(&mut w, other, Form::Extended);
            Value::Blob(w.into_vec())
        }
    }
}

fn corrupt(tag: PropTag, what: &str) -> StoreError {
    StoreError::Corrupt(format!("stored value of property {tag} is not a valid {what}"))
}

/// Decodes a stored value of type `ty`; `tag` names the property in error messages.
pub(crate) fn from_sql(tag: PropTag, ty: PropType, v: ValueRef<'_>) -> StoreResult<PropValue> {
    use PropValue as V;
    let int = || match v {
        ValueRef::Integer(i) => Ok(i),
        _ => Err(corrupt(tag, ty.ptyp_name())),
    };
    let float = || match v {
        ValueRef::Real(f) => Ok(f),
        ValueRef::Integer(i) => Ok(i as f64),
        ValueRef::Null => Ok(f64::NAN),
        _ => Err(corrupt(tag, ty.ptyp_name())),
    };
    let blob = || match v {
        ValueRef::Blob(b) => Ok(b),
        _ => Err(corrupt(tag, ty.ptyp_name())),
    };
    Ok(match ty {
        PropType::Null => V::Null,
        PropType::Integer16 => V::I16(i16::try_from(int()?).map_err(|_| corrupt(tag, "PtypInteger16"))?),
        PropType::Integer32 => V::I32(i32::try_from(int()?).map_err(|_| corrupt(tag, "PtypInteger32"))?),
        PropType::Integer64 => V::I64(int()?),
        PropType::Currency => V::Currency(int()?),
        PropType::ErrorCode => V::Error(u32::try_from(int()?).map_err(|_| corrupt(tag, "PtypErrorCode"))?),
        PropType::Object => V::Object(u32::try_from(int()?).map_err(|_| corrupt(tag, "PtypObject"))?),
        PropType::Boolean => V::Bool(int()? != 0),
        PropType::Time => V::SysTime(FileTime(int()? as u64)),
        PropType::Floating32 => V::F32(float()? as f32),
        PropType::Floating64 => V::F64(float()?),
        PropType::FloatingTime => V::AppTime(float()?),
        PropType::String => match v {
            ValueRef::Text(t) => V::Unicode(t.to_owned()),
            _ => return Err(corrupt(tag, "PtypString")),
        },
        PropType::String8 => V::String8(blob()?.to_vec()),
        PropType::Binary => V::Binary(blob()?.to_vec()),
        PropType::ServerId => V::ServerId(blob()?.to_vec()),
        PropType::RuleAction => V::RuleAction(blob()?.to_vec()),
        PropType::Guid => {
            let b: [u8; 16] = blob()?.try_into().map_err(|_| corrupt(tag, "PtypGuid"))?;
            V::Guid(Guid(b))
        }
        PropType::Unspecified => return Err(corrupt(tag, "property type (PtypUnspecified)")),
        other => {
            let bytes = blob()?;
            let mut r = Reader::new(bytes);
            let value = read_value(&mut r, other, Form::Extended)
                .map_err(|e| StoreError::Corrupt(format!("stored value of property {tag}: {e}")))?;
            r.finish("stored property value")
                .map_err(|e| StoreError::Corrupt(format!("stored value of property {tag}: {e}")))?;
            value
        }
    })
}

/// Reads a `(propid, proptype, value)` row into a tagged value.
pub(crate) fn from_row(propid: i64, proptype: i64, v: ValueRef<'_>) -> StoreResult<TaggedValue> {
    let (Ok(id), Ok(raw)) = (u16::try_from(propid), u16::try_from(proptype)) else {
        return Err(StoreError::Corrupt(format!("stored property id/type {propid}/{proptype} out of range")));
    };
    let tag = PropTag::from_parts(id, raw);
    let ty = PropType::try_from(raw)
        .map_err(|_| StoreError::Corrupt(format!("stored property {tag} has an unknown type")))?;
    Ok(TaggedValue { tag, value: from_sql(tag, ty, v)? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Conn;
    use proptest::prelude::*;

    fn round_trip(conn: &Conn, v: &PropValue) -> PropValue {
        let stored: Value = conn.query_row("SELECT ?1", [to_sql(v)], |r| r.get(0)).unwrap();
        let tag = PropTag::new(0x6700, v.prop_type());
        from_sql(tag, v.prop_type(), ValueRef::from(&stored)).unwrap()
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[^\u{0}]{0,12}").unwrap()
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..40)
    }

    fn value() -> impl Strategy<Value = PropValue> {
        use PropValue as V;
        prop_oneof![
            any::<i16>().prop_map(V::I16),
            any::<i32>().prop_map(V::I32),
            any::<i64>().prop_map(V::I64),
            any::<i64>().prop_map(V::Currency),
            any::<u32>().prop_map(V::Error),
            any::<bool>().prop_map(V::Bool),
            any::<u64>().prop_map(|t| V::SysTime(FileTime(t))),
            (-1e30f32..1e30f32).prop_map(V::F32),
            (-1e300f64..1e300f64).prop_map(V::F64),
            (-1e6f64..1e6f64).prop_map(V::AppTime),
            text().prop_map(V::Unicode),
            proptest::collection::vec(1u8..=255, 0..20).prop_map(V::String8),
            bytes().prop_map(V::Binary),
            bytes().prop_map(V::ServerId),
            any::<[u8; 16]>().prop_map(|g| V::Guid(Guid(g))),
            proptest::collection::vec(any::<i32>(), 0..5).prop_map(V::MvI32),
            proptest::collection::vec(any::<i64>(), 0..5).prop_map(V::MvI64),
            proptest::collection::vec(text(), 0..5).prop_map(V::MvUnicode),
            proptest::collection::vec(bytes(), 0..5).prop_map(V::MvBinary),
            proptest::collection::vec(any::<[u8; 16]>().prop_map(Guid), 0..5).prop_map(V::MvGuid),
            proptest::collection::vec(any::<u64>().prop_map(FileTime), 0..5).prop_map(V::MvSysTime),
        ]
    }

    proptest! {
        #[test]
        fn values_round_trip_through_sqlite(v in value()) {
            let conn = rusqlite::Connection::open_in_memory().map(Conn::Sqlite).unwrap();
            prop_assert_eq!(round_trip(&conn, &v), v);
        }
    }

    #[test]
    fn special_cases() {
        let conn = rusqlite::Connection::open_in_memory().map(Conn::Sqlite).unwrap();
        assert!(matches!(round_trip(&conn, &PropValue::F64(f64::NAN)), PropValue::F64(x) if x.is_nan()));
        assert_eq!(round_trip(&conn, &PropValue::Null), PropValue::Null);
        let r = oxmapi_core::restriction::Restriction::Exist { prop_tag: PropTag(0x0037_001F) };
        let v = PropValue::Restriction(Box::new(r));
        assert_eq!(round_trip(&conn, &v), v);
        // Garbage is an error, not a panic.
        let tag = PropTag(0x6700_1003);
        assert!(from_sql(tag, PropType::MultipleInteger32, ValueRef::Blob(&[9, 0, 0, 0, 1])).is_err());
        assert!(from_sql(tag, PropType::Integer16, ValueRef::Integer(70_000)).is_err());
        assert!(from_row(0x3001, 0x0999, ValueRef::Null).is_err());
    }
}
