//! ROPs that belong to the buffer protocol itself (MS-OXCROPS 2.2.15, 3.2.4): RopRelease,
//! RopProgress, and the server-generated RopBufferTooSmall and RopBackoff.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};

use super::codec::*;
use super::outcome::plain_response;

wire_struct! {
    /// RopRelease request (MS-OXCROPS 2.2.15.3.1). It has no response.
    pub struct ReleaseRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
    }
}
wire_struct! {
    /// RopProgress request (MS-OXCROPS 2.2.8.13.1).
    pub struct ProgressRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `WantCancel`.
        want_cancel: u8 => U8,
    }
}
wire_struct! {
    /// RopProgress response (MS-OXCROPS 2.2.8.13.2).
    pub struct ProgressResponse {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `CompletedTaskCount`.
        completed_task_count: u32 => U32,
        /// `TotalTaskCount`.
        total_task_count: u32 => U32,
    }
}
plain_response!(ProgressResponse);

/// RopBufferTooSmall response (MS-OXCROPS 2.2.15.1): the last response of a buffer; the client
/// retries `request_buffers` with MaxRopOut ≥ `size_needed`.
#[derive(Clone, Debug, PartialEq)]
pub struct BufferTooSmallResponse {
    /// `SizeNeeded`.
    pub size_needed: u16,
    /// `RequestBuffers`: the unprocessed request ROPs, verbatim.
    pub request_buffers: Vec<u8>,
}

impl RopCodec for BufferTooSmallResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(BufferTooSmallResponse {
            size_needed: r.u16("SizeNeeded")?,
            request_buffers: r.take_rest().to_vec(),
        })
    }
    fn encode(&self, w: &mut Writer) {
        w.u16(self.size_needed);
        w.bytes(&self.request_buffers);
    }
}

/// One `BackoffRopData` entry of RopBackoff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackoffRop {
    /// `RopIdBackoff`.
    pub rop_id: u8,
    /// `Duration` in milliseconds.
    pub duration: u32,
}

/// RopBackoff response (MS-OXCROPS 2.2.15.2).
#[derive(Clone, Debug, PartialEq)]
pub struct BackoffResponse {
    /// `LogonId`.
    pub logon_id: u8,
    /// `Duration` in milliseconds (all ROPs of the logon when `rops` is empty).
    pub duration: u32,
    /// `BackoffRopData`.
    pub rops: Vec<BackoffRop>,
    /// `AdditionalData`.
    pub additional_data: Vec<u8>,
}

impl RopCodec for BackoffResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let logon_id = r.u8("LogonId")?;
        let duration = r.u32("Duration")?;
        let n = r.u8("BackoffRopCount")? as usize;
        let n = r.check_count(n as u64, 5, 255, "BackoffRopCount")?;
        let rops = (0..n)
            .map(|_| Ok(BackoffRop { rop_id: r.u8("RopIdBackoff")?, duration: r.u32("Duration")? }))
            .collect::<DecodeResult<_>>()?;
        let additional_data = Bytes16::read(r, "AdditionalData")?;
        Ok(BackoffResponse { logon_id, duration, rops, additional_data })
    }
    fn encode(&self, w: &mut Writer) {
        w.u8(self.logon_id);
        w.u32(self.duration);
        w.u8(self.rops.len() as u8);
        for x in &self.rops {
            w.u8(x.rop_id);
            w.u32(x.duration);
        }
        Bytes16::write(w, &self.additional_data);
    }
}
