//! SQL values as both backends see them: the five storage classes of SQLite (NULL, INTEGER,
//! REAL, TEXT, BLOB). PostgreSQL columns map onto them (`bigint`/`integer`/`smallint`/`boolean`
//! to Integer, `double precision`/`real` to Real, `text` to Text, `bytea` to Blob, and the
//! `oxvalue` domain of untyped columns to whichever class its tag byte names; see `pg`).

/// An owned SQL value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit signed integer (booleans are 0 and 1).
    Integer(i64),
    /// A double-precision float.
    Real(f64),
    /// UTF-8 text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// A borrowed SQL value (a parameter, or a column of the current row).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ValueRef<'a> {
    /// SQL NULL.
    Null,
    /// A 64-bit signed integer.
    Integer(i64),
    /// A double-precision float.
    Real(f64),
    /// UTF-8 text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

impl Value {
    /// This value, borrowed.
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

impl<'a> From<&'a Value> for ValueRef<'a> {
    fn from(v: &'a Value) -> ValueRef<'a> {
        v.as_ref()
    }
}

impl ValueRef<'_> {
    /// An owned copy.
    pub fn to_owned(self) -> Value {
        match self {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(s) => Value::Text(s.to_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }

    /// The storage class's name, for conversion errors.
    pub fn class_name(self) -> &'static str {
        match self {
            ValueRef::Null => "NULL",
            ValueRef::Integer(_) => "INTEGER",
            ValueRef::Real(_) => "REAL",
            ValueRef::Text(_) => "TEXT",
            ValueRef::Blob(_) => "BLOB",
        }
    }
}

/// A Rust value that can be bound as a statement parameter.
pub trait ToSql {
    /// The value to bind.
    fn to_sql(&self) -> ValueRef<'_>;
}

/// A Rust value that can be read from a column.
pub trait FromSql: Sized {
    /// Converts the column value; `None` when the storage class or range does not fit.
    fn from_sql(v: ValueRef<'_>) -> Option<Self>;
}

impl ToSql for Value {
    fn to_sql(&self) -> ValueRef<'_> {
        self.as_ref()
    }
}
impl ToSql for ValueRef<'_> {
    fn to_sql(&self) -> ValueRef<'_> {
        *self
    }
}
impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_sql(&self) -> ValueRef<'_> {
        (**self).to_sql()
    }
}
impl<T: ToSql> ToSql for Option<T> {
    fn to_sql(&self) -> ValueRef<'_> {
        match self {
            Some(v) => v.to_sql(),
            None => ValueRef::Null,
        }
    }
}
impl ToSql for str {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}
impl ToSql for String {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}
impl ToSql for [u8] {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}
impl ToSql for Vec<u8> {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}
impl<const N: usize> ToSql for [u8; N] {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}
impl ToSql for bool {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Integer(*self as i64)
    }
}
impl ToSql for f64 {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Real(*self)
    }
}

/// Integers that always fit an i64.
macro_rules! int_to_sql {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> ValueRef<'_> {
                ValueRef::Integer(i64::from(*self))
            }
        }
        impl FromSql for $t {
            fn from_sql(v: ValueRef<'_>) -> Option<Self> {
                match v {
                    ValueRef::Integer(i) => <$t>::try_from(i).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
int_to_sql!(i8, i16, i32, i64, u8, u16, u32);

/// u64 and usize are bound as i64 (two's complement for u64 values above i64::MAX, as rusqlite
/// refuses them; store identifiers are 48-bit so they never get there).
impl ToSql for u64 {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Integer(*self as i64)
    }
}
impl ToSql for usize {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Integer(*self as i64)
    }
}
impl FromSql for u64 {
    fn from_sql(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Integer(i) => u64::try_from(i).ok(),
            _ => None,
        }
    }
}
impl FromSql for usize {
    fn from_sql(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Integer(i) => usize::try_from(i).ok(),
            _ => None,
        }
    }
}
impl FromSql for bool {
    fn from_sql(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Integer(i) => Some(i != 0),
            _ => None,
        }
    }
}
impl FromSql for f64 {
    fn from_sql(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Real(f) => Some(f),
            ValueRef::Integer(i) => Some(i as f64),
            _ => None,
        }
    }
}
impl FromSql for String {
    fn from_sql(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Text(s) => Some(s.to_owned()),
            _ => None,
        }
    }
}
impl FromSql for Vec<u8> {
    fn from_sql(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Blob(b) => Some(b.to_vec()),
            _ => None,
        }
    }
}
impl FromSql for Value {
    fn from_sql(v: ValueRef<'_>) -> Option<Self> {
        Some(v.to_owned())
    }
}
impl<T: FromSql> FromSql for Option<T> {
    fn from_sql(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Null => Some(None),
            v => T::from_sql(v).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_refuse_what_does_not_fit() {
        assert_eq!(u16::from_sql(ValueRef::Integer(70_000)), None);
        assert_eq!(i32::from_sql(ValueRef::Integer(-5)), Some(-5));
        assert_eq!(String::from_sql(ValueRef::Blob(b"x")), None);
        assert_eq!(Option::<i64>::from_sql(ValueRef::Null), Some(None));
        assert_eq!(i64::from_sql(ValueRef::Null), None);
        assert_eq!(f64::from_sql(ValueRef::Integer(2)), Some(2.0));
        assert_eq!(Some("a").to_sql(), ValueRef::Text("a"));
        assert_eq!(true.to_sql(), ValueRef::Integer(1));
        let v = Value::Blob(vec![1, 2]);
        assert_eq!(v.as_ref().to_owned(), v);
    }
}
