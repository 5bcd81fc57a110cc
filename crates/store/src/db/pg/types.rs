//! Values across the wire: binding a storage-class value ([`ValueRef`]) as a parameter of the
//! type PostgreSQL inferred for it, and reading a column of a PostgreSQL type back as a storage
//! class ([`Value`]), both in the binary format of the extended protocol.
//!
//! | storage class | parameter types it binds to | column types read as it |
//! |---|---|---|
//! | INTEGER | int8, int4, int2, oid (range-checked), bool, float8, float4, numeric, text (as decimal) | int8, int4, int2, oid, bool (0/1), numeric without fraction that fits |
//! | REAL | float8, float4, numeric | float8, float4, other numeric |
//! | TEXT | text, varchar, bpchar, name, json, jsonb, an integer type when it parses as one, int8[]/int4[] from a JSON array of integers (`[1,2]`, what `json_each(?)` takes on SQLite) | text, varchar, bpchar, name, json, jsonb |
//! | BLOB | bytea | bytea |
//! | any | the `store.oxvalue` domain (tagged, see below) | a column of the domain |
//! | NULL | anything | NULL of any type |
//!
//! The `store.oxvalue` domain (untyped SQLite columns) is bytea whose first byte names the
//! class: 1 INTEGER + 8 bytes little-endian, 2 REAL + 8 bytes little-endian, 3 TEXT + UTF-8,
//! 4 BLOB + bytes; SQL NULL stays NULL. PostgreSQL names the domain as a parameter's type, but
//! describes a result column of a domain by its base type (bytea), so columns are recognised by
//! their origin (table or view, column number) instead: see [`super::pool`]'s oxvalue column set.
//! A domain value that went through an expression (not a plain column reference) comes back as a
//! BLOB of tagged bytes; the store only ever selects these columns plainly.

use std::borrow::Cow;
use std::error::Error as StdError;

use postgres::types::private::BytesMut;
use postgres::types::{FromSql as PgFromSql, IsNull, Kind, ToSql as PgToSql, Type, to_sql_checked};

use crate::db::{Error, ErrorKind, Result, Value, ValueRef};

/// Tag bytes of the `store.oxvalue` domain.
pub(crate) mod tag {
    pub const INTEGER: u8 = 1;
    pub const REAL: u8 = 2;
    pub const TEXT: u8 = 3;
    pub const BLOB: u8 = 4;
}

/// Schema and name of the domain of untyped columns.
pub(crate) const OXVALUE_SCHEMA: &str = "store";
/// See [`OXVALUE_SCHEMA`].
pub(crate) const OXVALUE_NAME: &str = "oxvalue";

/// A conversion failure that is not about a column index (parameters, unsupported types).
pub(crate) fn conversion(message: String) -> Error {
    Error::Postgres { code: None, kind: ErrorKind::Conversion, message }
}

/// Whether `ty` is the `store.oxvalue` domain.
pub(crate) fn is_oxvalue(ty: &Type) -> bool {
    ty.name() == OXVALUE_NAME && ty.schema() == OXVALUE_SCHEMA
}

/// A parameter encoded in PostgreSQL's binary format (None: SQL NULL).
#[derive(Debug)]
pub(crate) struct Param<'a>(Option<Cow<'a, [u8]>>);

impl PgToSql for Param<'_> {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match &self.0 {
            None => Ok(IsNull::Yes),
            Some(b) => {
                out.extend_from_slice(b);
                Ok(IsNull::No)
            }
        }
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    to_sql_checked!();
}

/// Encodes parameter `index` (1-based, as in `$N`) for a parameter of type `ty`.
pub(crate) fn encode<'a>(v: ValueRef<'a>, ty: &Type, index: usize) -> Result<Param<'a>> {
    let refuse = |why: &str| {
        conversion(format!("parameter ${index}: {} {why} (PostgreSQL expects {})", v.class_name(), ty.name()))
    };
    if v == ValueRef::Null {
        return Ok(Param(None));
    }
    if is_oxvalue(ty) {
        return Ok(Param(Some(Cow::Owned(oxvalue_bytes(v)))));
    }
    if let Kind::Domain(base) = ty.kind() {
        return encode(v, base, index);
    }
    let owned = |b: Vec<u8>| Ok(Param(Some(Cow::Owned(b))));
    match (v, ty) {
        (ValueRef::Integer(i), t) if *t == Type::INT8 => owned(i.to_be_bytes().to_vec()),
        (ValueRef::Integer(i), t) if *t == Type::INT4 => {
            owned(i32::try_from(i).map_err(|_| refuse("is out of range for int4"))?.to_be_bytes().to_vec())
        }
        (ValueRef::Integer(i), t) if *t == Type::INT2 => {
            owned(i16::try_from(i).map_err(|_| refuse("is out of range for int2"))?.to_be_bytes().to_vec())
        }
        (ValueRef::Integer(i), t) if *t == Type::OID => {
            owned(u32::try_from(i).map_err(|_| refuse("is out of range for oid"))?.to_be_bytes().to_vec())
        }
        (ValueRef::Integer(i), t) if *t == Type::BOOL => owned(vec![u8::from(i != 0)]),
        (ValueRef::Integer(i), t) if *t == Type::FLOAT8 => owned((i as f64).to_be_bytes().to_vec()),
        (ValueRef::Integer(i), t) if *t == Type::FLOAT4 => owned((i as f32).to_be_bytes().to_vec()),
        (ValueRef::Integer(i), t) if *t == Type::NUMERIC => {
            owned(numeric_from_decimal(i < 0, &i.unsigned_abs().to_string(), ""))
        }
        (ValueRef::Real(f), t) if *t == Type::FLOAT8 => owned(f.to_be_bytes().to_vec()),
        (ValueRef::Real(f), t) if *t == Type::FLOAT4 => owned((f as f32).to_be_bytes().to_vec()),
        (ValueRef::Real(f), t) if *t == Type::NUMERIC => owned(numeric_from_f64(f)),
        // SQLite's TEXT affinity: a number bound where text is expected is compared as text.
        (ValueRef::Integer(i), t) if is_text(t) => owned(i.to_string().into_bytes()),
        (ValueRef::Real(f), t) if is_text(t) => owned(f.to_string().into_bytes()),
        (ValueRef::Text(s), t) if is_text(t) || *t == Type::JSON => {
            Ok(Param(Some(Cow::Borrowed(s.as_bytes()))))
        }
        (ValueRef::Text(s), t) if *t == Type::JSONB => {
            let mut b = Vec::with_capacity(s.len() + 1);
            b.push(1); // jsonb binary format version
            b.extend_from_slice(s.as_bytes());
            owned(b)
        }
        // SQLite's INTEGER affinity: text that is an integer binds as one.
        (ValueRef::Text(s), t) if is_integer(t) => {
            let i: i64 = s.trim().parse().map_err(|_| refuse("is not an integer"))?;
            encode(ValueRef::Integer(i), t, index)
        }
        (ValueRef::Text(s), t) if *t == Type::INT8_ARRAY || *t == Type::INT4_ARRAY => {
            let element = if *t == Type::INT8_ARRAY { Type::INT8 } else { Type::INT4 };
            let items = parse_int_list(s).ok_or_else(|| refuse("is not a JSON array of integers"))?;
            owned(int_array(&items, &element, index)?)
        }
        (ValueRef::Blob(b), t) if *t == Type::BYTEA => Ok(Param(Some(Cow::Borrowed(b)))),
        _ => Err(refuse("does not convert")),
    }
}

fn is_text(t: &Type) -> bool {
    [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME, Type::UNKNOWN].contains(t)
}

fn is_integer(t: &Type) -> bool {
    [Type::INT8, Type::INT4, Type::INT2, Type::OID].contains(t)
}

/// The tagged bytes of `v` in the `store.oxvalue` domain (never called for NULL).
pub(crate) fn oxvalue_bytes(v: ValueRef<'_>) -> Vec<u8> {
    let (t, body): (u8, &[u8]) = match v {
        ValueRef::Integer(i) => return [&[tag::INTEGER][..], &i.to_le_bytes()].concat(),
        ValueRef::Real(f) => return [&[tag::REAL][..], &f.to_le_bytes()].concat(),
        ValueRef::Text(s) => (tag::TEXT, s.as_bytes()),
        ValueRef::Blob(b) => (tag::BLOB, b),
        ValueRef::Null => (tag::BLOB, &[]),
    };
    let mut out = Vec::with_capacity(body.len() + 1);
    out.push(t);
    out.extend_from_slice(body);
    out
}

/// `[1, 2, -3]` (whitespace allowed; `[]` is empty).
fn parse_int_list(s: &str) -> Option<Vec<i64>> {
    let inner = s.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return Some(Vec::new());
    }
    inner.split(',').map(|p| p.trim().parse().ok()).collect()
}

/// A one-dimensional array of integers in the binary array format.
fn int_array(items: &[i64], element: &Type, index: usize) -> Result<Vec<u8>> {
    let mut b = Vec::with_capacity(20 + items.len() * 12);
    b.extend_from_slice(&1i32.to_be_bytes()); // dimensions
    b.extend_from_slice(&0i32.to_be_bytes()); // no NULLs
    b.extend_from_slice(&element.oid().to_be_bytes());
    let len =
        i32::try_from(items.len()).map_err(|_| conversion(format!("parameter ${index}: too many items")))?;
    b.extend_from_slice(&len.to_be_bytes());
    b.extend_from_slice(&1i32.to_be_bytes()); // lower bound
    for &i in items {
        if *element == Type::INT8 {
            b.extend_from_slice(&8i32.to_be_bytes());
            b.extend_from_slice(&i.to_be_bytes());
        } else {
            let v = i32::try_from(i)
                .map_err(|_| conversion(format!("parameter ${index}: item {i} is out of range for int4")))?;
            b.extend_from_slice(&4i32.to_be_bytes());
            b.extend_from_slice(&v.to_be_bytes());
        }
    }
    Ok(b)
}

/// Sign words of the binary numeric format.
const NUMERIC_POS: u16 = 0x0000;
const NUMERIC_NEG: u16 = 0x4000;
const NUMERIC_NAN: u16 = 0xC000;
const NUMERIC_PINF: u16 = 0xD000;
const NUMERIC_NINF: u16 = 0xF000;

/// A numeric from a decimal number written as its integer and fraction digits (ASCII digits).
fn numeric_from_decimal(negative: bool, int: &str, frac: &str) -> Vec<u8> {
    let int = int.trim_start_matches('0');
    // Base-10000 groups aligned on the decimal point.
    let int_pad = (4 - int.len() % 4) % 4;
    let int_digits: String = "0".repeat(int_pad) + int;
    let frac_digits: String = frac.to_string() + &"0".repeat((4 - frac.len() % 4) % 4);
    let mut groups: Vec<i16> = int_digits
        .as_bytes()
        .chunks(4)
        .chain(frac_digits.as_bytes().chunks(4))
        .map(|c| c.iter().fold(0i16, |a, d| a * 10 + i16::from(d - b'0')))
        .collect();
    let mut weight = (int_digits.len() / 4) as i16 - 1;
    while groups.first() == Some(&0) {
        groups.remove(0);
        weight -= 1;
    }
    while groups.last() == Some(&0) {
        groups.pop();
    }
    if groups.is_empty() {
        weight = 0;
    }
    let sign = if negative && !groups.is_empty() { NUMERIC_NEG } else { NUMERIC_POS };
    numeric_bytes(&groups, weight, sign, frac.len() as u16)
}

fn numeric_bytes(groups: &[i16], weight: i16, sign: u16, dscale: u16) -> Vec<u8> {
    let mut b = Vec::with_capacity(8 + groups.len() * 2);
    b.extend_from_slice(&(groups.len() as i16).to_be_bytes());
    b.extend_from_slice(&weight.to_be_bytes());
    b.extend_from_slice(&sign.to_be_bytes());
    b.extend_from_slice(&dscale.to_be_bytes());
    for g in groups {
        b.extend_from_slice(&g.to_be_bytes());
    }
    b
}

fn numeric_from_f64(f: f64) -> Vec<u8> {
    if f.is_nan() {
        return numeric_bytes(&[], 0, NUMERIC_NAN, 0);
    }
    if f.is_infinite() {
        return numeric_bytes(&[], 0, if f > 0.0 { NUMERIC_PINF } else { NUMERIC_NINF }, 0);
    }
    // Display of f64 is the shortest decimal that reads back as the same value, never with an
    // exponent.
    let text = f.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    numeric_from_decimal(f.is_sign_negative(), int, frac)
}

/// How one result column is read.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ColumnKind {
    Int8,
    Int4,
    Int2,
    Oid,
    Bool,
    Float8,
    Float4,
    Numeric,
    Text,
    Jsonb,
    Bytea,
    OxValue,
    Void,
    /// A type with no storage class: reading it fails with this type name.
    Unsupported(String),
}

/// The way to read a column of type `ty`; `oxvalue` says the column is a `store.oxvalue`
/// column of a table or view (PostgreSQL describes it as bytea).
pub(crate) fn column_kind(ty: &Type, oxvalue: bool) -> ColumnKind {
    if is_oxvalue(ty) || (oxvalue && *ty == Type::BYTEA) {
        return ColumnKind::OxValue;
    }
    if let Kind::Domain(base) = ty.kind() {
        return column_kind(base, false);
    }
    match ty {
        t if *t == Type::INT8 => ColumnKind::Int8,
        t if *t == Type::INT4 => ColumnKind::Int4,
        t if *t == Type::INT2 => ColumnKind::Int2,
        t if *t == Type::OID => ColumnKind::Oid,
        t if *t == Type::BOOL => ColumnKind::Bool,
        t if *t == Type::FLOAT8 => ColumnKind::Float8,
        t if *t == Type::FLOAT4 => ColumnKind::Float4,
        t if *t == Type::NUMERIC => ColumnKind::Numeric,
        t if is_text(t) || *t == Type::JSON => ColumnKind::Text,
        t if *t == Type::JSONB => ColumnKind::Jsonb,
        t if *t == Type::BYTEA => ColumnKind::Bytea,
        t if *t == Type::VOID => ColumnKind::Void,
        t => ColumnKind::Unsupported(t.name().to_string()),
    }
}

/// A column's raw binary value as the driver hands it over (None: NULL).
pub(crate) struct Raw<'a>(pub Option<&'a [u8]>);

impl<'a> PgFromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Raw(Some(raw)))
    }
    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Raw(None))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Decodes column `column` (0-based) of kind `kind` from its binary value.
pub(crate) fn decode(kind: &ColumnKind, raw: Option<&[u8]>, column: usize) -> Result<Value> {
    let Some(b) = raw else { return Ok(Value::Null) };
    let bad = |wanted: &'static str, found: &'static str| Error::Conversion { column, wanted, found };
    let fixed = |n: usize, wanted: &'static str| -> Result<&[u8]> {
        if b.len() == n { Ok(b) } else { Err(bad(wanted, "a value of the wrong length")) }
    };
    Ok(match kind {
        ColumnKind::Int8 => {
            Value::Integer(i64::from_be_bytes(fixed(8, "int8")?.try_into().unwrap_or_default()))
        }
        ColumnKind::Int4 => {
            Value::Integer(i32::from_be_bytes(fixed(4, "int4")?.try_into().unwrap_or_default()).into())
        }
        ColumnKind::Int2 => {
            Value::Integer(i16::from_be_bytes(fixed(2, "int2")?.try_into().unwrap_or_default()).into())
        }
        ColumnKind::Oid => {
            Value::Integer(u32::from_be_bytes(fixed(4, "oid")?.try_into().unwrap_or_default()).into())
        }
        ColumnKind::Bool => Value::Integer(i64::from(fixed(1, "bool")?[0] != 0)),
        ColumnKind::Float8 => {
            Value::Real(f64::from_be_bytes(fixed(8, "float8")?.try_into().unwrap_or_default()))
        }
        ColumnKind::Float4 => {
            Value::Real(f32::from_be_bytes(fixed(4, "float4")?.try_into().unwrap_or_default()).into())
        }
        ColumnKind::Numeric => decode_numeric(b).ok_or_else(|| bad("numeric", "a malformed numeric"))?,
        ColumnKind::Text => Value::Text(utf8(b).ok_or_else(|| bad("text", "invalid UTF-8"))?),
        ColumnKind::Jsonb => match b.split_first() {
            Some((1, rest)) => Value::Text(utf8(rest).ok_or_else(|| bad("jsonb", "invalid UTF-8"))?),
            _ => return Err(bad("jsonb", "an unknown jsonb version")),
        },
        ColumnKind::Bytea => Value::Blob(b.to_vec()),
        ColumnKind::OxValue => decode_oxvalue(b).ok_or_else(|| bad("oxvalue", "a malformed tagged value"))?,
        ColumnKind::Void => Value::Null,
        ColumnKind::Unsupported(name) => {
            return Err(conversion(format!(
                "column {column} has PostgreSQL type {name}, which has no SQLite storage class (cast it in the query)"
            )));
        }
    })
}

fn utf8(b: &[u8]) -> Option<String> {
    std::str::from_utf8(b).ok().map(str::to_owned)
}

/// The value of a `store.oxvalue` column (see the module documentation).
pub(crate) fn decode_oxvalue(b: &[u8]) -> Option<Value> {
    let (&t, body) = b.split_first()?;
    Some(match t {
        tag::INTEGER => Value::Integer(i64::from_le_bytes(body.try_into().ok()?)),
        tag::REAL => Value::Real(f64::from_le_bytes(body.try_into().ok()?)),
        tag::TEXT => Value::Text(utf8(body)?),
        tag::BLOB => Value::Blob(body.to_vec()),
        _ => return None,
    })
}

/// A numeric as INTEGER when it has no fraction, no decimal places and fits an i64 (`sum()` of
/// integer columns comes back as numeric), else as REAL.
fn decode_numeric(b: &[u8]) -> Option<Value> {
    let word = |i: usize| b.get(i..i + 2).map(|w| u16::from_be_bytes([w[0], w[1]]));
    let ndigits = usize::from(word(0)?);
    let weight = i32::from(word(2)? as i16);
    let sign = word(4)?;
    let dscale = word(6)?;
    if b.len() != 8 + 2 * ndigits {
        return None;
    }
    match sign {
        NUMERIC_NAN => return Some(Value::Real(f64::NAN)),
        NUMERIC_PINF => return Some(Value::Real(f64::INFINITY)),
        NUMERIC_NINF => return Some(Value::Real(f64::NEG_INFINITY)),
        NUMERIC_POS | NUMERIC_NEG => {}
        _ => return None,
    }
    let digits: Vec<u16> = (0..ndigits).map(|i| word(8 + 2 * i)).collect::<Option<_>>()?;
    if digits.iter().any(|&d| d > 9999) {
        return None;
    }
    let negative = sign == NUMERIC_NEG;
    // Digit i is worth 10000^(weight - i); a value without fraction digits and without a
    // display scale (`sum` of integers; not `avg`, which SQLite returns as REAL) is an integer.
    if dscale == 0 && weight >= ndigits as i32 - 1 {
        let mut acc: i128 = 0;
        for &d in &digits {
            acc = acc.checked_mul(10_000)?.checked_add(i128::from(d))?;
        }
        for _ in 0..(weight - (ndigits as i32 - 1)) {
            acc = acc.checked_mul(10_000).unwrap_or(i128::MAX);
        }
        let signed = if negative { -acc } else { acc };
        if let Ok(i) = i64::try_from(signed) {
            return Some(Value::Integer(i));
        }
    }
    // Written out in decimal and parsed, which rounds correctly.
    let mut text = String::with_capacity(ndigits * 4 + 8);
    if negative {
        text.push('-');
    }
    text.push_str("0.");
    for d in &digits {
        text.push_str(&format!("{d:04}"));
    }
    text.push_str(&format!("e{}", 4 * (weight + 1)));
    text.parse::<f64>().ok().map(Value::Real)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param_bytes(v: ValueRef<'_>, ty: &Type) -> Result<Option<Vec<u8>>> {
        encode(v, ty, 1).map(|p| p.0.map(|c| c.into_owned()))
    }

    #[test]
    fn numerics_round_trip_through_their_binary_form() {
        for i in [0i64, 1, -1, 9999, 10_000, 123_456_789, i64::MAX, i64::MIN, 1_0000_0000] {
            let b = param_bytes(ValueRef::Integer(i), &Type::NUMERIC).unwrap().unwrap();
            assert_eq!(decode_numeric(&b), Some(Value::Integer(i)), "{i}");
        }
        for f in [0.5, -2.25, 1e-7, 123456.789, 1e300, f64::MIN_POSITIVE] {
            let b = param_bytes(ValueRef::Real(f), &Type::NUMERIC).unwrap().unwrap();
            assert_eq!(decode_numeric(&b), Some(Value::Real(f)), "{f}");
        }
        // 2^70 has no fraction but does not fit an i64.
        let big = numeric_from_decimal(false, "1180591620717411303424", "");
        assert_eq!(decode_numeric(&big), Some(Value::Real(2f64.powi(70))));
        assert_eq!(decode_numeric(&[0, 1]), None);
    }

    #[test]
    fn integers_are_range_checked_for_narrow_parameters() {
        assert!(param_bytes(ValueRef::Integer(70_000), &Type::INT2).is_err());
        assert!(param_bytes(ValueRef::Integer(1 << 40), &Type::INT4).is_err());
        assert!(param_bytes(ValueRef::Integer(-1), &Type::OID).is_err());
        let e = param_bytes(ValueRef::Integer(70_000), &Type::INT2).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Conversion);
        assert!(e.to_string().contains("$1") && e.to_string().contains("int2"), "{e}");
        assert_eq!(param_bytes(ValueRef::Integer(-2), &Type::INT2).unwrap(), Some(vec![0xFF, 0xFE]));
    }

    #[test]
    fn classes_that_do_not_fit_are_refused() {
        assert!(param_bytes(ValueRef::Blob(b"x"), &Type::TEXT).is_err());
        assert!(param_bytes(ValueRef::Text("x"), &Type::BYTEA).is_err());
        assert!(param_bytes(ValueRef::Text("twelve"), &Type::INT8).is_err());
        assert_eq!(
            param_bytes(ValueRef::Text(" 12 "), &Type::INT8).unwrap(),
            Some(12i64.to_be_bytes().to_vec())
        );
        assert_eq!(param_bytes(ValueRef::Integer(12), &Type::TEXT).unwrap(), Some(b"12".to_vec()));
        assert_eq!(param_bytes(ValueRef::Null, &Type::INT2).unwrap(), None);
        assert!(param_bytes(ValueRef::Text("[1, x]"), &Type::INT8_ARRAY).is_err());
        assert!(param_bytes(ValueRef::Text("[1, 5000000000]"), &Type::INT4_ARRAY).is_err());
        assert!(param_bytes(ValueRef::Text("[]"), &Type::INT8_ARRAY).is_ok());
    }

    #[test]
    fn oxvalues_carry_their_class() {
        for v in [Value::Integer(-5), Value::Real(1.5), Value::Text("ü".into()), Value::Blob(vec![0, 1])] {
            assert_eq!(decode_oxvalue(&oxvalue_bytes(v.as_ref())), Some(v.clone()));
        }
        assert_eq!(decode_oxvalue(&[9, 1]), None);
        assert_eq!(decode_oxvalue(&[tag::INTEGER, 1]), None);
        assert_eq!(decode_oxvalue(&[tag::TEXT, 0xFF]), None);
        assert_eq!(decode_oxvalue(&[]), None);
    }

    #[test]
    fn malformed_columns_are_conversion_errors() {
        let e = decode(&ColumnKind::Int8, Some(&[1, 2]), 3).unwrap_err();
        assert!(matches!(e, Error::Conversion { column: 3, .. }), "{e}");
        let e = decode(&ColumnKind::Unsupported("tsvector".into()), Some(&[1]), 0).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Conversion);
        assert!(e.to_string().contains("tsvector"));
        assert_eq!(decode(&ColumnKind::Text, None, 0).unwrap(), Value::Null);
        assert!(decode(&ColumnKind::Text, Some(&[0xC3]), 0).is_err());
    }
}
