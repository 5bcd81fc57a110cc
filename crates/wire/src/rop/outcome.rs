//! The response envelope shared by (almost) every ROP, and rows whose layout depends on
//! columns the response itself does not carry.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::tag::PropTag;

use super::codec::RopCodec;
use crate::cdata::{self, Form, PropertyRow};

/// What a response decoder may need to know from outside the response buffer: the columns of
/// a table (RopQueryRows, RopFindRow, RopExpandRow, RopNotify row data) or the tags a
/// RopGetPropertiesSpecific request asked for.
#[derive(Clone, Copy, Debug, Default)]
pub struct ResponseContext<'a> {
    /// The columns of the rows in this response, when known.
    pub columns: Option<&'a [PropTag]>,
    /// The ROP ran on a public folder logon (RopSetMessageReadFlag then echoes `LogonId` and
    /// `ClientData`; MS-OXCROPS 2.2.6.11.2).
    pub public_logon: bool,
}

/// A response body (the part after `RopId, HandleIndex, ReturnValue`).
pub trait ResponseBody: Sized {
    /// Reads the success body (ReturnValue 0).
    fn decode_success(r: &mut Reader<'_>, ctx: &ResponseContext<'_>) -> DecodeResult<Self>;
    /// Reads the body that some ROPs send with a failing ReturnValue (RopLogon's redirect,
    /// the null-destination responses of copy/move ROPs). Most ROPs send none.
    fn decode_failure(_r: &mut Reader<'_>, _return_value: u32) -> DecodeResult<Option<Self>> {
        Ok(None)
    }
    /// Writes the body.
    fn encode_body(&self, w: &mut Writer);
}

/// Implements [`ResponseBody`] for structures that need no context and have no failure body.
macro_rules! plain_response {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::rop::outcome::ResponseBody for $t {
            fn decode_success(
                r: &mut oxmapi_core::codec::Reader<'_>,
                _ctx: &$crate::rop::outcome::ResponseContext<'_>,
            ) -> oxmapi_core::codec::DecodeResult<Self> {
                <$t as $crate::rop::codec::RopCodec>::decode(r)
            }
            fn encode_body(&self, w: &mut oxmapi_core::codec::Writer) {
                <$t as $crate::rop::codec::RopCodec>::encode(self, w)
            }
        }
    )*};
}
pub(crate) use plain_response;

/// `RopId, HandleIndex, ReturnValue` and the body: present on success, and on failure only
/// for the ROPs that define a failure body (MS-OXCROPS 2.2.1 response conventions).
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome<T> {
    /// The handle index echoed by the response (InputHandleIndex, OutputHandleIndex,
    /// ResponseHandleIndex or SourceHandleIndex, per ROP).
    pub handle_index: u8,
    /// `ReturnValue`.
    pub return_value: u32,
    /// The body.
    pub body: Option<T>,
}

impl<T> Outcome<T> {
    /// A success response.
    pub fn ok(handle_index: u8, body: T) -> Outcome<T> {
        Outcome { handle_index, return_value: 0, body: Some(body) }
    }
    /// A failure response without a body.
    pub fn err(handle_index: u8, return_value: u32) -> Outcome<T> {
        Outcome { handle_index, return_value, body: None }
    }
}

impl<T: ResponseBody> Outcome<T> {
    /// Reads the envelope and body (after the RopId byte).
    pub fn decode(r: &mut Reader<'_>, ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        let handle_index = r.u8("HandleIndex")?;
        let return_value = r.u32("ReturnValue")?;
        let body = if return_value == 0 {
            Some(T::decode_success(r, ctx)?)
        } else {
            T::decode_failure(r, return_value)?
        };
        Ok(Outcome { handle_index, return_value, body })
    }
    /// Writes the envelope and body (after the RopId byte).
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.handle_index);
        w.u32(self.return_value);
        if let Some(b) = &self.body {
            b.encode_body(w);
        }
    }
}

/// A response with no fields beyond the envelope.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Empty;

impl RopCodec for Empty {
    fn decode(_r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(Empty)
    }
    fn encode(&self, _w: &mut Writer) {}
}
plain_response!(Empty);

/// Rows whose columns come from context. Without the columns the remaining bytes of the ROP
/// list are kept verbatim (this is only exact when the response is the last in its buffer).
#[derive(Clone, Debug, PartialEq)]
pub enum Rows {
    /// Decoded rows and the columns they were decoded with.
    Decoded {
        /// The columns (not on the wire).
        columns: Vec<PropTag>,
        /// The rows.
        rows: Vec<PropertyRow>,
    },
    /// Undecoded row bytes.
    Raw(Vec<u8>),
}

impl Rows {
    /// Reads `count` rows.
    pub fn read(r: &mut Reader<'_>, count: usize, ctx: &ResponseContext<'_>) -> DecodeResult<Rows> {
        match ctx.columns {
            Some(cols) => {
                let count = r.check_count(count as u64, 1, 0xFFFF, "RowCount")?;
                let rows =
                    (0..count).map(|_| cdata::read_row(r, cols, Form::Rop)).collect::<DecodeResult<_>>()?;
                Ok(Rows::Decoded { columns: cols.to_vec(), rows })
            }
            None => Ok(Rows::Raw(r.take_rest().to_vec())),
        }
    }
    /// Writes the rows.
    pub fn write(&self, w: &mut Writer) {
        match self {
            Rows::Decoded { columns, rows } => {
                rows.iter().for_each(|row| cdata::write_row(w, row, columns, Form::Rop))
            }
            Rows::Raw(b) => w.bytes(b),
        }
    }
    /// Number of decoded rows (0 for raw data).
    pub fn len(&self) -> usize {
        match self {
            Rows::Decoded { rows, .. } => rows.len(),
            Rows::Raw(_) => 0,
        }
    }
    /// True when there are no decoded rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
