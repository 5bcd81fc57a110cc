//! ROP buffers (MS-OXCROPS): request and response codecs for the remote operations, grouped one
//! module per protocol document (`oxcstor` logon and store, `oxcfold` folders, `oxctabl` tables,
//! `oxcmsg` messages and attachments, `oxcprpt` properties and streams, `oxcnotif`
//! notifications, `oxomsg` submission, `oxcrops` the buffer protocol's own ROPs, `oxorule`
//! rules, `oxcperm` permissions, `oxcfxics` bulk transfer and synchronization, `peruser`
//! per-user information).

pub mod buffer;
pub mod codec;
mod describe;
pub mod ids;
pub mod outcome;
pub mod oxcfold;
pub mod oxcfxics;
pub mod oxcmsg;
pub mod oxcnotif;
pub mod oxcperm;
pub mod oxcprpt;
pub mod oxcrops;
pub mod oxcstor;
pub mod oxctabl;
pub mod oxomsg;
pub mod oxorule;
pub mod peruser;
pub mod recipients;
pub mod request;
pub mod response;

pub use buffer::{
    ResponseHint, RopBuffer, decode_requests, decode_responses, decode_responses_with, encode_requests,
    encode_responses,
};
pub use ids::RopId;
pub use outcome::{Empty, Outcome, ResponseContext, Rows};
pub use request::{RequestContext, RopRequest};
pub use response::RopResponse;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod unimplemented_tests;
