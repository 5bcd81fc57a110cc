//! Helpers of the interop tests (tests/interop_*.rs): raw ROP buffers, so that the expected
//! bytes come from the specifications and Microsoft's test suites rather than from our own
//! response decoder, and request builders for the folder ROPs.
#![allow(dead_code)]

use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::mapihttp::emsmdb::ExecuteResponse;
use oxmapi_wire::rop::buffer::{RopBuffer, encode_requests};
use oxmapi_wire::rop::oxcfold::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use oxmapi_wire::rpc_ext::{EncodeOptions, decode_blocks, encode_block};

use crate::common::{Logon, Mapi};

/// ecNotSupported.
pub const EC_NOT_SUPPORTED: u32 = 0x8004_0102;
/// ecNotFound.
pub const EC_NOT_FOUND: u32 = 0x8004_010F;

/// Sends ROPs and returns the raw ROP output bytes and the handle table.
pub async fn raw(m: &mut Mapi, requests: &[RopRequest], handles: Vec<u32>) -> (Vec<u8>, Vec<u32>) {
    let payload = RopBuffer { rops: encode_requests(requests), handles }.encode();
    let block = encode_block(&payload, EncodeOptions { compress: false, xor: false, last: true }).unwrap();
    let r = m.execute_raw(0, block, 0x10008).await;
    assert_eq!(r.response_code(), Some(0));
    let resp = ExecuteResponse::decode(&r.mapi_body()).unwrap();
    let ok = resp.success().expect("Execute success").clone();
    let blocks = decode_blocks(&ok.rop_buffer).unwrap();
    let buf = RopBuffer::decode(&blocks[0].payload).unwrap();
    (buf.rops, buf.handles)
}

/// [`raw`] on a private logon with the logon in slot 0 and `n` empty slots.
pub async fn raw_on(c: &mut Logon, requests: &[RopRequest], n: usize) -> (Vec<u8>, Vec<u32>) {
    let h = c.slots(n);
    raw(&mut c.m, requests, h).await
}

/// `RopId, HandleIndex, ReturnValue` as the response bytes start.
pub fn head(rop: u8, index: u8, rv: u32) -> Vec<u8> {
    let mut v = vec![rop, index];
    v.extend_from_slice(&rv.to_le_bytes());
    v
}

pub fn delete_folder(input: u8, fid: ObjectId, flags: u8) -> RopRequest {
    RopRequest::DeleteFolder(DeleteFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        delete_folder_flags: flags,
        folder_id: fid,
    })
}

pub fn empty_folder(input: u8, hard: bool) -> RopRequest {
    let q = EmptyFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        want_asynchronous: 0,
        want_delete_associated: 0xFF,
    };
    if hard { RopRequest::HardDeleteMessagesAndSubfolders(q) } else { RopRequest::EmptyFolder(q) }
}

pub fn hierarchy(input: u8, out: u8, flags: u8) -> RopRequest {
    RopRequest::GetHierarchyTable(GetTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        table_flags: flags,
    })
}

pub fn row_count(r: &RopResponse) -> u32 {
    match r {
        RopResponse::GetHierarchyTable(o) | RopResponse::GetContentsTable(o) => {
            assert_eq!(o.return_value, 0, "{r:?}");
            o.body.as_ref().unwrap().row_count
        }
        _ => panic!("{r:?}"),
    }
}

pub fn text(tag: oxmapi_core::tag::PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}
