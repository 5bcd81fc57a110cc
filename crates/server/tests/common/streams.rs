//! Stream ROP requests and response fields (MS-OXCROPS 2.2.9) shared by the stream tests.

use oxmapi_wire::rop::oxcprpt::{HandleRequest, ReadStreamRequest, SeekStreamRequest, WriteStreamRequest};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// RopReadStream of `n` bytes on the stream in slot `index`.
pub fn read(index: u8, n: u16) -> RopRequest {
    RopRequest::ReadStream(ReadStreamRequest {
        logon_id: 0,
        input_handle_index: index,
        byte_count: n,
        maximum_byte_count: None,
    })
}

/// RopWriteStream of `data`.
pub fn write(index: u8, data: &[u8]) -> RopRequest {
    RopRequest::WriteStream(WriteStreamRequest {
        logon_id: 0,
        input_handle_index: index,
        data: data.to_vec(),
    })
}

/// RopSeekStream.
pub fn seek(index: u8, origin: u8, offset: i64) -> RopRequest {
    RopRequest::SeekStream(SeekStreamRequest { logon_id: 0, input_handle_index: index, origin, offset })
}

/// RopCommitStream.
pub fn commit(index: u8) -> RopRequest {
    RopRequest::CommitStream(HandleRequest { logon_id: 0, input_handle_index: index })
}

/// RopGetStreamSize.
pub fn get_size(index: u8) -> RopRequest {
    RopRequest::GetStreamSize(HandleRequest { logon_id: 0, input_handle_index: index })
}

/// StreamSize of a RopOpenStream or RopGetStreamSize response.
pub fn size_of(r: &RopResponse) -> u32 {
    match r {
        RopResponse::OpenStream(o) | RopResponse::GetStreamSize(o) => {
            o.body.as_ref().unwrap_or_else(|| panic!("{r:?}")).stream_size
        }
        other => panic!("{other:?}"),
    }
}

/// The bytes of a RopReadStream response.
pub fn data(r: &RopResponse) -> Vec<u8> {
    let RopResponse::ReadStream(o) = r else { panic!("{r:?}") };
    o.body.as_ref().unwrap_or_else(|| panic!("{r:?}")).data.clone()
}

/// NewPosition of a RopSeekStream response.
pub fn position(r: &RopResponse) -> u64 {
    let RopResponse::SeekStream(o) = r else { panic!("{r:?}") };
    o.body.as_ref().unwrap_or_else(|| panic!("{r:?}")).new_position
}
