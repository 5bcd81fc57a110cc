//! oxmapi-wire: the MAPI wire codecs, with no I/O.
//!
//! - [`cdata`]: MS-OXCDATA encodings (property values, rows, problems, restrictions, sort
//!   orders, property names) in the ROP form and the NSPI MAPI/HTTP form;
//! - [`rop`]: ROP request and response buffers (MS-OXCROPS);
//! - [`rpc_ext`], [`lz77`]: RPC_HEADER_EXT blocks with XorMagic and LZ77 compression (MS-OXCRPC
//!   3.1.4.1.1, MS-XCA 2.3–2.4);
//! - [`aux`]: auxiliary buffer blocks (MS-OXCRPC 2.2.2);
//! - [`mapihttp`]: MAPI/HTTP request and response bodies for EMSMDB and NSPI and the chunked
//!   PROCESSING/PENDING/DONE response stream (MS-OXCMAPIHTTP);
//! - [`smartview`]: readable views of binary and flag property values (entry IDs, change keys,
//!   recurrences, time zones, security descriptors, rules …), after MFCMAPI's SmartView.
//!
//! Every decoder checks lengths against the remaining input and the specification's limits
//! before allocating; bad input yields a [`DecodeError`], never a panic.
#![warn(missing_docs)]

pub mod aux;
pub mod cdata;
pub mod describe;
pub mod lz77;
pub mod mapihttp;
/// NTLMv2 authentication messages, computations and the HTTP token helpers (MS-NLMP).
pub mod ntlm;
pub mod rop;
pub mod rpc_ext;
pub mod smartview;

#[cfg(test)]
pub(crate) mod strategies;

pub use oxmapi_core::codec::{DecodeError, DecodeResult, Reader, Writer};
