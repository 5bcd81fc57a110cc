//! Stream ROPs over real HTTP (MS-OXCPRPT 3.2.5.13–3.2.5.20): open modes, write, read (with
//! the 0xBABE MaximumByteCount form), seek, size, commit and reopen, RopCopyToStream, the
//! failures the spec names, and a 25 MB attachment written and read back in ROP-sized pieces
//! (the OpenChange mapitest STREAM and COPYTO-STREAM cases).

mod common;
mod propdrv;

use common::streams::*;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use propdrv::*;
use sha2::{Digest, Sha256};

/// StreamSeekError, StreamInvalidParam (MS-OXCPRPT 3.2.5.18).
const STREAM_SEEK_ERROR: u32 = 0x8003_0019;
const STREAM_INVALID_PARAM: u32 = 0x8003_0057;

fn open_stream(input: u8, out: u8, tag: PropTag, mode: u8) -> RopRequest {
    RopRequest::OpenStream(OpenStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        property_tag: tag,
        open_mode_flags: mode,
    })
}

fn read_max(index: u8, max: u32) -> RopRequest {
    RopRequest::ReadStream(ReadStreamRequest {
        logon_id: 0,
        input_handle_index: index,
        byte_count: BABE,
        maximum_byte_count: Some(max),
    })
}

fn write_ext(index: u8, data: &[u8]) -> RopRequest {
    RopRequest::WriteStreamExtended(WriteStreamRequest {
        logon_id: 0,
        input_handle_index: index,
        data: data.to_vec(),
    })
}

fn set_size(index: u8, size: u64) -> RopRequest {
    RopRequest::SetStreamSize(SetStreamSizeRequest {
        logon_id: 0,
        input_handle_index: index,
        stream_size: size,
    })
}

fn copy_to_stream(src: u8, dst: u8, n: u64) -> RopRequest {
    RopRequest::CopyToStream(CopyToStreamRequest {
        logon_id: 0,
        source_handle_index: src,
        dest_handle_index: dst,
        byte_count: n,
    })
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[tokio::test]
async fn write_read_seek_size_commit_and_reopen() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let hello = utf16("Hello, world");
    let reqs = [
        create_message(0, 1, inbox),
        open_stream(1, 2, PR_BODY, 0x02),
        write(2, &hello),
        get_size(2),
        seek(2, 0, 0),
        read(2, 10),
        seek(2, 1, 0),
        seek(2, 2, -4),
        read(2, 100),
        read(2, 100),
        seek(2, 0, -1),
        seek(2, 1, -100),
        seek(2, 0, 0x8000_0001),
        seek(2, 7, 0),
        commit(2),
        get_props(1, &[PR_BODY]),
        // Truncate to "Hello"; releasing the stream commits it.
        set_size(2, 10),
        get_size(2),
        release(2),
        get_props(1, &[PR_BODY]),
        save_message(1, KEEP_OPEN_READ_WRITE),
    ];
    let (resp, _) = c.run(&reqs, 2).await;
    assert_eq!(size_of(&resp[1]), 0);
    let RopResponse::WriteStream(o) = &resp[2] else { panic!() };
    assert_eq!(o.body.as_ref().unwrap().written_size, 24);
    assert_eq!(size_of(&resp[3]), 24);
    assert_eq!(position(&resp[4]), 0);
    assert_eq!(data(&resp[5]), hello[..10]);
    assert_eq!(position(&resp[6]), 10);
    assert_eq!(position(&resp[7]), 20);
    assert_eq!(data(&resp[8]), hello[20..]);
    assert!(data(&resp[9]).is_empty());
    assert_eq!(rv(&resp[10]), STREAM_SEEK_ERROR);
    assert_eq!(rv(&resp[11]), STREAM_SEEK_ERROR);
    assert_eq!(rv(&resp[12]), STREAM_SEEK_ERROR);
    assert_eq!(rv(&resp[13]), STREAM_INVALID_PARAM);
    assert_eq!(rv(&resp[14]), 0);
    assert_eq!(cell(&resp[15], 0), Some(text("Hello, world")));
    assert_eq!(rv(&resp[16]), 0);
    assert_eq!(size_of(&resp[17]), 10);
    assert_eq!(cell(&resp[18], 0), Some(text("Hello")));
    let mid = saved_mid(&resp[19]);

    // Reopened read-only: reads work (0xBABE form), every write is STG_E_ACCESSDENIED, a
    // read/write open is ecAccessDenied, BestAccess opens read-only.
    let reqs = [
        open_message(0, 1, inbox, mid, 0x00),
        open_stream(1, 2, PR_BODY, 0x00),
        read_max(2, 0x7FFF_FFFF),
        write(2, b"xx"),
        write_ext(2, b"xx"),
        set_size(2, 2),
        commit(2),
        open_stream(1, 3, PR_BODY, 0x01),
        open_stream(1, 3, PR_BODY, 0x02),
        open_stream(1, 3, PR_BODY, 0x03),
        write(3, b"xx"),
        seek(3, 0, 50),
        get_size(3),
    ];
    let (resp, _) = c.run(&reqs, 3).await;
    assert_eq!(rv(&resp[0]), 0);
    assert_eq!(size_of(&resp[1]), 10);
    assert_eq!(data(&resp[2]), utf16("Hello"));
    assert_eq!(rv(&resp[3]), codes::STG_E_ACCESSDENIED.0);
    assert_eq!(rv(&resp[4]), codes::STG_E_ACCESSDENIED.0);
    assert_eq!(rv(&resp[5]), codes::STG_E_ACCESSDENIED.0);
    assert_eq!(rv(&resp[6]), 0);
    assert_eq!(rv(&resp[7]), codes::MAPI_E_NO_ACCESS.0);
    assert_eq!(rv(&resp[8]), codes::MAPI_E_NO_ACCESS.0);
    assert_eq!(size_of(&resp[9]), 10);
    assert_eq!(rv(&resp[10]), codes::STG_E_ACCESSDENIED.0);
    // Seeking past the end of a read-only stream moves the pointer only.
    assert_eq!(position(&resp[11]), 50);
    assert_eq!(size_of(&resp[12]), 10);

    // Read/write: seeking past the end extends the stream with zeros (MS-OXCPRPT 3.2.5.18);
    // WriteStreamExtended answers a 32-bit WrittenSize.
    let reqs = [
        open_message(0, 1, inbox, mid, 0x01),
        open_stream(1, 2, PR_BODY, 0x01),
        seek(2, 2, 4),
        get_size(2),
        write_ext(2, &utf16("!")),
        seek(2, 0, 0),
        read(2, 1000),
    ];
    let (resp, _) = c.run(&reqs, 2).await;
    assert_eq!(size_of(&resp[1]), 10);
    assert_eq!(position(&resp[2]), 14);
    assert_eq!(size_of(&resp[3]), 14);
    let RopResponse::WriteStreamExtended(o) = &resp[4] else { panic!("{:?}", resp[4]) };
    assert_eq!(o.body.as_ref().unwrap().written_size, 2);
    assert_eq!(data(&resp[6]), [utf16("Hello"), vec![0; 4], utf16("!")].concat());
}

#[tokio::test]
async fn open_stream_failures() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [
        create_message(0, 1, inbox),
        set_props(1, vec![tv(PR_IMPORTANCE, PropValue::I32(1))]),
        // A property that is not set: only Create opens it.
        open_stream(1, 2, PR_BODY, 0x00),
        open_stream(1, 2, PR_BODY, 0x01),
        // Types that are not streams.
        open_stream(1, 2, PR_IMPORTANCE, 0x02),
        open_stream(1, 2, PropTag(0x6703_0003), 0x02),
        // Objects that have no property streams here; undefined OpenModeFlags; bad slots.
        open_folder(0, 3, inbox),
        open_stream(3, 2, PR_X_BIN, 0x02),
        open_stream(0, 2, PR_X_BIN, 0x02),
        open_stream(1, 2, PR_X_BIN, 0x07),
        open_stream(4, 2, PR_X_BIN, 0x02),
        open_stream(9, 2, PR_X_BIN, 0x02),
        // Stream ROPs on objects that are not streams, and on an empty slot.
        read(1, 10),
        write(3, b"x"),
        get_size(4),
        commit(9),
        seek(4, 0, 0),
        set_size(4, 1),
    ];
    let (resp, _) = c.run(&reqs, 4).await;
    assert_eq!(rv(&resp[2]), codes::MAPI_E_NOT_FOUND.0);
    assert_eq!(rv(&resp[3]), codes::MAPI_E_NOT_FOUND.0);
    assert_eq!(rv(&resp[4]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[5]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[6]), 0);
    assert_eq!(rv(&resp[7]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[8]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[9]), codes::MAPI_E_INVALID_PARAMETER.0);
    assert_eq!(rv(&resp[10]), codes::EC_NULL_OBJECT.0);
    assert_eq!(rv(&resp[11]), codes::EC_NULL_OBJECT.0);
    assert_eq!(rv(&resp[12]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[13]), codes::MAPI_E_NO_SUPPORT.0);
    for r in &resp[14..] {
        assert_eq!(rv(r), codes::EC_NULL_OBJECT.0, "{r:?}");
    }
}

#[tokio::test]
async fn copy_to_stream_between_streams() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let payload: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
    let reqs = [
        create_message(0, 1, inbox),
        open_stream(1, 2, PR_X_BIN, 0x02),
        write(2, &payload),
        seek(2, 0, 0),
        create_message(0, 3, inbox),
        open_stream(3, 4, PR_X_BIN, 0x02),
        copy_to_stream(2, 4, 3000),
        copy_to_stream(2, 4, 10_000),
        get_size(4),
        seek(4, 0, 0),
        read(4, 6000),
        // An empty destination slot; a read-only destination.
        copy_to_stream(2, 5, 10),
        commit(4),
        open_stream(3, 6, PR_X_BIN, 0x00),
        seek(2, 0, 0),
        copy_to_stream(2, 6, 10),
        copy_to_stream(7, 4, 10),
    ];
    let (resp, _) = c.run(&reqs, 7).await;
    let counts = |r: &RopResponse| {
        let RopResponse::CopyToStream(o) = r else { panic!("{r:?}") };
        assert_eq!(o.return_value, 0, "{r:?}");
        let b = o.body.as_ref().unwrap();
        (b.read_byte_count, b.written_byte_count)
    };
    assert_eq!(counts(&resp[6]), (3000, 3000));
    assert_eq!(counts(&resp[7]), (2000, 2000));
    assert_eq!(size_of(&resp[8]), 5000);
    assert_eq!(data(&resp[10]), payload);
    let RopResponse::CopyToStream(o) = &resp[11] else { panic!() };
    assert_eq!((o.handle_index, o.return_value), (2, codes::EC_DST_NULL_OBJECT.0));
    assert_eq!(o.body.as_ref().unwrap().dest_handle_index, Some(5));
    assert_eq!(rv(&resp[12]), 0);
    assert_eq!(size_of(&resp[13]), 5000);
    assert_eq!(rv(&resp[15]), codes::STG_E_ACCESSDENIED.0);
    assert_eq!(rv(&resp[16]), codes::EC_NULL_OBJECT.0);
}

/// Byte `i` of the large test value (cheap, position-dependent, not periodic in 64 KiB).
fn big_byte(i: u64) -> u8 {
    (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ (i >> 16) as u8
}

#[tokio::test]
async fn attachment_of_25_mb_round_trips_through_streams() {
    const SIZE: u64 = 25 * 1024 * 1024;
    const PIECE: u64 = 30_000;
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [
        create_message(0, 1, inbox),
        set_props(1, vec![tv(PR_SUBJECT, text("big"))]),
        create_attachment(1, 2),
        set_props(2, vec![tv(PR_ATTACH_LONG_FILENAME, text("big.bin"))]),
        open_stream(2, 3, PR_ATTACH_DATA_BIN, 0x02),
    ];
    let (resp, handles) = c.run(&reqs, 3).await;
    assert_eq!(rv(&resp[4]), 0, "{:?}", resp[4]);
    let mut written = Sha256::new();
    let mut pos = 0;
    while pos < SIZE {
        let piece: Vec<u8> = (pos..(pos + PIECE).min(SIZE)).map(big_byte).collect();
        written.update(&piece);
        let (resp, _) = c.m.rops(&[write(3, &piece)], handles.clone()).await;
        assert_eq!(rv(&resp[0]), 0, "{:?} at {pos}", resp[0]);
        pos += piece.len() as u64;
    }
    let reqs =
        [commit(3), release(3), save_attachment(2, 1), save_message(1, KEEP_OPEN_READ_WRITE), release(1)];
    let (resp, _) = c.m.rops(&reqs, handles).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    let mid = saved_mid(&resp[2]);

    let reqs = [
        open_message(0, 1, inbox, mid, 0x00),
        open_attachment(1, 2, 0, 0x00),
        open_stream(2, 3, PR_ATTACH_DATA_BIN, 0x00),
        get_props(2, &[PR_ATTACH_DATA_BIN, PR_ATTACH_LONG_FILENAME]),
    ];
    let (resp, handles) = c.run(&reqs, 3).await;
    assert_eq!(size_of(&resp[2]), SIZE as u32);
    // Too large for a property read: NotEnoughMemory in place of the value.
    assert_eq!(oxmapi_wire::cdata::RowValue::Error { ty: 0x0102, code: 0x8007_000E }, row(&resp[3])[0]);
    assert_eq!(cell(&resp[3], 1), Some(text("big.bin")));
    let mut read_back = Sha256::new();
    let mut total = 0u64;
    loop {
        let (resp, _) =
            c.m.rops(&[read_max(3, 0x7FFF_FFFF)], vec![handles[0], UNUSED_HANDLE, UNUSED_HANDLE, handles[3]])
                .await;
        let chunk = data(&resp[0]);
        if chunk.is_empty() {
            break;
        }
        assert!(chunk.len() <= 0x8000);
        read_back.update(&chunk);
        total += chunk.len() as u64;
    }
    assert_eq!(total, SIZE);
    assert_eq!(read_back.finalize(), written.finalize());
}

/// A Disconnect (MS-OXCMAPIHTTP 2.2.4.3) with an unsaved message and its stream still open: the
/// context's last reference goes with the Disconnect request, on an async thread, and with it
/// the message, whose pending blobs are discarded — store work, which on PostgreSQL panicked
/// there and broke the connection instead of answering. The Disconnect is answered and the
/// server serves the next context.
#[tokio::test]
async fn a_disconnect_with_an_unsaved_stream_open_is_answered() {
    let (ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [create_message(0, 1, inbox), open_stream(1, 2, PR_BODY, 0x02), write(2, &[0x41; 8000])];
    let (resp, _) = c.run(&reqs, 2).await;
    let RopResponse::WriteStream(o) = &resp[2] else { panic!("{resp:?}") };
    assert_eq!(o.body.as_ref().map(|b| b.written_size), Some(8000), "{resp:?}");
    let r = c.m.request("Disconnect", vec![0; 4]).await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));
    assert!(ts.server.state.sessions.is_empty());
    let alice = ts.user("alice");
    let mut again = common::logon_private(&ts, &alice).await;
    let (resp, _) = again.m.rops(&[open_folder(0, 1, inbox)], again.slots(1)).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
}
