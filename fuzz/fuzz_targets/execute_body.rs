//! MAPI/HTTP EMSMDB bodies (Connect, Execute, Disconnect, NotificationWait), the AUX buffer
//! and the PROCESSING/PENDING/DONE response stream.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_wire::aux;
use oxmapi_wire::mapihttp::{emsmdb, stream};

fuzz_target!(|data: &[u8]| {
    if let Ok(x) = emsmdb::ExecuteRequest::decode(data) {
        assert_eq!(emsmdb::ExecuteRequest::decode(&x.encode()).unwrap(), x);
        let _ = oxmapi_wire::rpc_ext::decode_blocks(&x.rop_buffer);
    }
    let _ = emsmdb::ExecuteResponse::decode(data);
    let _ = emsmdb::ConnectRequest::decode(data);
    let _ = emsmdb::ConnectResponse::decode(data);
    let _ = emsmdb::DisconnectRequest::decode(data);
    let _ = emsmdb::NotificationWaitRequest::decode(data);
    let _ = emsmdb::NotificationWaitResponse::decode(data);
    let _ = aux::decode_aux_buffer(data);
    let _ = aux::decode_aux_payload(data);
    let _ = stream::parse_response_stream(data);
});
