//! PropertyProblem and PropertyProblemArray (MS-OXCDATA 2.7).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::error::ErrorCode;
use oxmapi_core::tag::PropTag;

/// A PropertyProblem: which property of a request failed and why.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct PropertyProblem {
    /// `Index`: position of the property in the request.
    pub index: u16,
    /// `PropertyTag`.
    pub tag: PropTag,
    /// `ErrorCode`.
    pub error: ErrorCode,
}

/// Reads a PropertyProblemArray: `PropertyProblemCount u16` + problems (9 bytes each).
pub fn read_problems(r: &mut Reader<'_>) -> DecodeResult<Vec<PropertyProblem>> {
    let n = r.u16("PropertyProblemCount")?;
    let n = r.check_count(n as u64, 10, 0xFFFF, "PropertyProblemCount")?;
    (0..n)
        .map(|_| {
            Ok(PropertyProblem {
                index: r.u16("Index")?,
                tag: PropTag(r.u32("PropertyTag")?),
                error: ErrorCode(r.u32("ErrorCode")?),
            })
        })
        .collect()
}

/// Writes a PropertyProblemArray.
pub fn write_problems(w: &mut Writer, p: &[PropertyProblem]) {
    w.u16(p.len() as u16);
    for x in p {
        w.u16(x.index);
        w.u32(x.tag.0);
        w.u32(x.error.0);
    }
}
