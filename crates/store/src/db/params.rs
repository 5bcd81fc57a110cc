//! Statement parameters: whatever can hand its values to a statement in order.

use super::Result;
use super::value::{ToSql, ValueRef};

/// A list of statement parameters, bound in order to `?1`, `?2` … (or to bare `?`s).
pub trait Params {
    /// Calls `f` with each parameter in order; stops at the first error.
    fn for_each_value(&self, f: &mut dyn FnMut(ValueRef<'_>) -> Result<()>) -> Result<()>;
}

/// No parameters: `[]` infers to this type, as with rusqlite.
pub type NoParams = [&'static (dyn ToSql + Send + Sync); 0];

/// The value of `params![]`.
pub const NO_PARAMS: NoParams = [];

impl Params for () {
    fn for_each_value(&self, _: &mut dyn FnMut(ValueRef<'_>) -> Result<()>) -> Result<()> {
        Ok(())
    }
}

impl Params for NoParams {
    fn for_each_value(&self, _: &mut dyn FnMut(ValueRef<'_>) -> Result<()>) -> Result<()> {
        Ok(())
    }
}

impl<T: ToSql> Params for &[T] {
    fn for_each_value(&self, f: &mut dyn FnMut(ValueRef<'_>) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|p| f(p.to_sql()))
    }
}

impl<T: ToSql> Params for Vec<T> {
    fn for_each_value(&self, f: &mut dyn FnMut(ValueRef<'_>) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|p| f(p.to_sql()))
    }
}

impl<T: ToSql> Params for &Vec<T> {
    fn for_each_value(&self, f: &mut dyn FnMut(ValueRef<'_>) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|p| f(p.to_sql()))
    }
}

impl<T: ToSql, const N: usize> Params for &[T; N] {
    fn for_each_value(&self, f: &mut dyn FnMut(ValueRef<'_>) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|p| f(p.to_sql()))
    }
}

/// Arrays of one type, `[a, b]` (sizes 1 to 32; 0 is [`NoParams`]).
macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn for_each_value(&self, f: &mut dyn FnMut(ValueRef<'_>) -> Result<()>) -> Result<()> {
                self.iter().try_for_each(|p| f(p.to_sql()))
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32);

/// Parameters taken from an iterator ([`params_from_iter`]).
#[derive(Clone, Debug)]
pub struct ParamsFromIter<I>(I);

/// Parameters from an iterator of values, e.g. a `Vec<Value>` built for a dynamic query.
pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator + Clone,
    I::Item: ToSql,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator + Clone,
    I::Item: ToSql,
{
    fn for_each_value(&self, f: &mut dyn FnMut(ValueRef<'_>) -> Result<()>) -> Result<()> {
        self.0.clone().into_iter().try_for_each(|p| f(p.to_sql()))
    }
}

/// The parameters as owned values (the PostgreSQL side sends them over the wire).
pub(crate) fn collect(p: &impl Params) -> Result<Vec<super::Value>> {
    let mut out = Vec::new();
    p.for_each_value(&mut |v| {
        out.push(v.to_owned());
        Ok(())
    })?;
    Ok(out)
}
