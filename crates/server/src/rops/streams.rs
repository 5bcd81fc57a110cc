//! Stream ROPs (MS-OXCPRPT 3.2.5.13–3.2.5.20).

use oxmapi_core::error::codes;
use oxmapi_wire::rop::oxcprpt::*;

use super::handles::Slots;
use super::{RopResult, RopSession};

macro_rules! not_yet {
    ($($name:ident: $req:ty),* $(,)?) => {
        $(
            /// Not implemented yet.
            pub fn $name(_rs: &mut RopSession, _slots: &mut Slots, _q: &$req) -> RopResult {
                Err(codes::MAPI_E_NO_SUPPORT)
            }
        )*
    };
}

not_yet! {
    open_stream: OpenStreamRequest,
    read_stream: ReadStreamRequest,
    write_stream: WriteStreamRequest,
    write_stream_extended: WriteStreamRequest,
    commit_stream: HandleRequest,
    get_stream_size: HandleRequest,
    set_stream_size: SetStreamSizeRequest,
    seek_stream: SeekStreamRequest,
    copy_to_stream: CopyToStreamRequest,
}
