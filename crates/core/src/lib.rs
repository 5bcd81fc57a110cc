//! oxmapi-core: the MAPI data model shared by the oxmapi client, server, store and tools.
//!
//! Property types, tags and values (MS-OXCDATA 2.9–2.11), property bags, named properties
//! (MS-OXCDATA 2.6), restrictions with an evaluator (MS-OXCDATA 2.12), sort orders (2.13),
//! folder/message identifiers and long-term IDs (2.2.1), entry IDs (2.2.4–2.2.5, MS-OXNSPI
//! 2.2.9), GUIDs, FILETIME conversions, the error-code table and the property-tag catalogue.
//! No I/O happens here.
#![warn(missing_docs)]

pub mod bag;
pub mod catalogue;
pub mod codec;
pub mod consts;
pub mod entryid;
pub mod error;
pub mod guid;
pub mod ids;
pub mod named;
pub mod ptype;
pub mod restriction;
pub mod sort;
pub mod tag;
pub mod text;
pub mod time;
pub mod value;

pub use bag::{PropBag, PropertyBag};
pub use error::{ErrorCode, MapiError};
pub use guid::{Guid, MapiUid};
pub use ids::{Fid, LongTermId, Mid, ObjectId};
pub use ptype::PropType;
pub use restriction::Restriction;
pub use tag::PropTag;
pub use value::{PropValue, TaggedValue};
