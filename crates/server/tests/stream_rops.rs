//! RopCloneStream, RopLockRegionStream / RopUnlockRegionStream, RopWriteAndCommitStream
//! (MS-OXCPRPT 2.2.24–2.2.27, 3.2.5.21–3.2.5.24), RopProgress (MS-OXCPRPT 2.2.23, 3.2.5.20) and
//! RopGetValidAttachments (MS-OXCMSG 2.2.3.18) over real HTTP, with the hostile inputs: a clone
//! of something that is not a stream, locks at the end of the 64-bit range, more locks than the
//! limit, a write into another stream's lock from another session, write-and-commit on a
//! folder, RopProgress on a table.

mod common;
mod propdrv;

use common::streams::*;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::PropValue;
use oxmapi_wire::rop::oxcmsg::{DeleteAttachmentRequest, GetValidAttachmentsRequest};
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::oxcrops::{ProgressRequest, ProgressResponse};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use propdrv::*;

/// LockFlags LOCK_WRITE and an exclusive lock (MS-OXCPRPT 2.2.24.1).
const LOCK_WRITE: u32 = 0x01;
const LOCK_EXCLUSIVE: u32 = 0x02;
/// AccessDenied, the code MS-OXCPRPT 3.2.5.21 names for a region another owner holds.
const ACCESS_DENIED: u32 = 0x8007_0005;

fn open_stream(input: u8, out: u8, mode: u8) -> RopRequest {
    RopRequest::OpenStream(OpenStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        property_tag: PR_X_BIN,
        open_mode_flags: mode,
    })
}

fn clone(input: u8, out: u8) -> RopRequest {
    RopRequest::CloneStream(CloneStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
    })
}

fn lock(index: u8, offset: u64, size: u64, flags: u32) -> RopRequest {
    RopRequest::LockRegionStream(LockRegionStreamRequest {
        logon_id: 0,
        input_handle_index: index,
        region_offset: offset,
        region_size: size,
        lock_flags: flags,
    })
}

fn unlock(index: u8, offset: u64, size: u64, flags: u32) -> RopRequest {
    RopRequest::UnlockRegionStream(LockRegionStreamRequest {
        logon_id: 0,
        input_handle_index: index,
        region_offset: offset,
        region_size: size,
        lock_flags: flags,
    })
}

fn write_and_commit(index: u8, data: &[u8]) -> RopRequest {
    RopRequest::WriteAndCommitStream(WriteStreamRequest {
        logon_id: 0,
        input_handle_index: index,
        data: data.to_vec(),
    })
}

fn progress(index: u8, want_cancel: u8) -> RopRequest {
    RopRequest::Progress(ProgressRequest { logon_id: 0, input_handle_index: index, want_cancel })
}

fn valid_attachments(index: u8) -> RopRequest {
    RopRequest::GetValidAttachments(GetValidAttachmentsRequest { logon_id: 0, input_handle_index: index })
}

fn bin(r: &RopResponse) -> Option<PropValue> {
    cell(r, 0)
}

fn all_ok(resp: &[RopResponse]) {
    for r in resp {
        assert_eq!(rv(r), 0, "{resp:?}");
    }
}

/// Saves a message of the Inbox with PR_X_BIN = `value`; its MID.
async fn saved_message(c: &mut Ctx, value: &[u8]) -> ObjectId {
    let inbox = c.inbox;
    let reqs = [
        create_message(0, 1, inbox),
        set_props(1, vec![tv(PR_X_BIN, PropValue::Binary(value.to_vec()))]),
        save_message(1, KEEP_OPEN_READ_WRITE),
    ];
    let (resp, _) = c.run(&reqs, 1).await;
    all_ok(&resp);
    saved_mid(&resp[2])
}

/// Another session of the same user (its own handle table).
async fn second_session(ts: &common::TestServer, c: &Ctx) -> Ctx {
    let l = common::logon_private(ts, &ts.user("alice")).await;
    Ctx { inbox: c.inbox, ipm: c.ipm, logon: l.handle, m: l.m }
}

#[tokio::test]
async fn a_clone_sees_uncommitted_writes_through_its_own_seek_pointer() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [
        create_message(0, 1, inbox),
        open_stream(1, 2, 0x02),
        write(2, b"0123456789"),
        seek(2, 0, 2),
        // The clone starts where the original's pointer is (MS-OXCPRPT 3.2.5.24).
        clone(2, 3),
        read(3, 2),
        seek(2, 1, 0),
        // A write through the clone, uncommitted, is seen at once through the original.
        write(3, b"AB"),
        read(2, 4),
        get_size(3),
        get_props(1, &[PR_X_BIN]),
        // Releasing the original commits the shared bytes; the clone lives on.
        release(2),
        get_props(1, &[PR_X_BIN]),
        seek(3, 0, 9),
        write(3, b"Z"),
        commit(3),
        get_props(1, &[PR_X_BIN]),
    ];
    let (resp, _) = c.run(&reqs, 3).await;
    assert_eq!(rv(&resp[4]), 0, "{:?}", resp[4]);
    assert_eq!(data(&resp[5]), b"23");
    assert_eq!(position(&resp[6]), 2, "the original's seek pointer did not move");
    assert_eq!(rv(&resp[7]), 0);
    assert_eq!(data(&resp[8]), b"23AB");
    assert_eq!(size_of(&resp[9]), 10);
    assert_eq!(bin(&resp[10]), None, "nothing committed yet: {:?}", resp[10]);
    // (RopRelease has no response.)
    assert_eq!(bin(&resp[11]), Some(PropValue::Binary(b"0123AB6789".to_vec())));
    assert_eq!(rv(&resp[14]), 0);
    assert_eq!(bin(&resp[15]), Some(PropValue::Binary(b"0123AB678Z".to_vec())));
}

#[tokio::test]
async fn a_clone_of_something_that_is_not_a_stream_is_refused() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [
        create_message(0, 1, inbox),
        clone(1, 2),
        clone(0, 2),
        // Slot 3 is empty; slot 200 is outside the handle table.
        clone(3, 2),
        clone(200, 2),
        open_stream(1, 2, 0x02),
        // An output index outside the table: refused, and no clone is left behind.
        clone(2, 200),
        release(2),
        open_stream(1, 2, 0x02),
        get_size(2),
    ];
    let (resp, _) = c.run(&reqs, 3).await;
    assert_eq!(resp.len(), 9, "RopRelease has no response");
    assert_eq!(rv(&resp[1]), codes::MAPI_E_NO_SUPPORT.0, "a message");
    assert_eq!(rv(&resp[2]), codes::MAPI_E_NO_SUPPORT.0, "the logon");
    assert_eq!(rv(&resp[3]), codes::EC_NULL_OBJECT.0);
    assert_eq!(rv(&resp[4]), codes::EC_NULL_OBJECT.0);
    assert_eq!(rv(&resp[6]), codes::EC_NULL_OBJECT.0);
    assert_eq!(rv(&resp[8]), 0);
}

#[tokio::test]
async fn a_region_locked_by_another_stream_refuses_its_locks_and_writes_even_from_another_session() {
    let (ts, mut c) = setup().await;
    let mid = saved_message(&mut c, b"0123456789").await;
    let inbox = c.inbox;
    // Stream A (slot 2) and, on a second open of the same message, stream B (slot 4).
    let reqs = [
        open_message(0, 1, inbox, mid, 0x01),
        open_stream(1, 2, 0x01),
        open_message(0, 3, inbox, mid, 0x01),
        open_stream(3, 4, 0x01),
        lock(2, 0, 5, LOCK_WRITE),
        lock(4, 3, 5, LOCK_WRITE),
        write(4, b"x"),
        // A write lock lets others read.
        read(4, 3),
        seek(4, 0, 5),
        write(4, b"F"),
        // A clone of A shares A's locks.
        clone(2, 5),
        write(5, b"ab"),
        // An exclusive lock keeps others from reading too.
        lock(2, 8, 2, LOCK_EXCLUSIVE),
        seek(4, 0, 8),
        read(4, 2),
        seek(4, 0, 7),
        read(4, 1),
    ];
    let (resp, h) = c.run(&reqs, 5).await;
    for i in [0, 1, 2, 3, 4, 10, 11, 12] {
        assert_eq!(rv(&resp[i]), 0, "{i}: {:?}", resp[i]);
    }
    assert_eq!(rv(&resp[5]), ACCESS_DENIED, "an overlapping lock");
    assert_eq!(rv(&resp[6]), ACCESS_DENIED, "a write into A's region");
    assert_eq!(data(&resp[7]), b"012", "B reads under a write lock");
    assert_eq!(rv(&resp[9]), 0, "byte 5 is outside A's region");
    assert_eq!(rv(&resp[14]), ACCESS_DENIED, "an exclusive lock refuses reads");
    assert_eq!(data(&resp[16]), b"7");

    // Another session opening the same saved message meets the same locks.
    let mut other = second_session(&ts, &c).await;
    let reqs = [
        open_message(0, 1, inbox, mid, 0x01),
        open_stream(1, 2, 0x01),
        write(2, b"zz"),
        lock(2, 4, 1, LOCK_WRITE),
        seek(2, 0, 5),
        lock(2, 5, 3, LOCK_WRITE),
    ];
    let (resp, _) = other.run(&reqs, 2).await;
    assert_eq!(rv(&resp[2]), ACCESS_DENIED, "{resp:?}");
    assert_eq!(rv(&resp[3]), ACCESS_DENIED);
    assert_eq!(rv(&resp[5]), 0, "bytes 5..8 are free");

    // Unlocking frees the region for B, whose own lock now holds against A.
    let reqs = [unlock(2, 0, u64::MAX, LOCK_WRITE), lock(4, 0, 4, LOCK_WRITE), seek(2, 0, 0), write(2, b"q")];
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert_eq!(rv(&resp[0]), 0);
    assert_eq!(rv(&resp[1]), 0, "{resp:?}");
    assert_eq!(rv(&resp[3]), ACCESS_DENIED);
}

#[tokio::test]
async fn releasing_a_stream_and_all_its_clones_releases_its_locks() {
    let (_ts, mut c) = setup().await;
    let mid = saved_message(&mut c, b"0123456789").await;
    let inbox = c.inbox;
    let reqs = [
        open_message(0, 1, inbox, mid, 0x01),
        open_stream(1, 2, 0x01),
        open_stream(1, 3, 0x01),
        lock(2, 0, 10, LOCK_EXCLUSIVE),
        clone(2, 4),
        release(2),
        lock(3, 0, 1, LOCK_WRITE),
        release(4),
        lock(3, 0, 1, LOCK_WRITE),
    ];
    let (resp, _) = c.run(&reqs, 4).await;
    assert_eq!(rv(&resp[3]), 0);
    // (RopRelease has no response.)
    assert_eq!(rv(&resp[5]), ACCESS_DENIED, "the clone still holds the family's lock");
    assert_eq!(rv(&resp[6]), 0, "{resp:?}");
}

#[tokio::test]
async fn locks_at_the_end_of_the_64_bit_range_and_past_the_lock_limit_are_handled() {
    let (_ts, mut c) = setup().await;
    let mid = saved_message(&mut c, b"0123456789").await;
    let inbox = c.inbox;
    let reqs = [
        open_message(0, 1, inbox, mid, 0x01),
        open_stream(1, 2, 0x01),
        open_stream(1, 3, 0x01),
        // Offset + size overflows 2^64: the region ends there.
        lock(2, u64::MAX - 1, u64::MAX, LOCK_EXCLUSIVE),
        lock(3, u64::MAX - 1, 1, LOCK_WRITE),
        // An empty region locks nothing.
        lock(2, 0, 0, LOCK_EXCLUSIVE),
        write(3, b"ok"),
        unlock(2, u64::MAX - 1, u64::MAX, LOCK_EXCLUSIVE),
        lock(3, u64::MAX - 1, 1, LOCK_WRITE),
        // Locks on objects that are not streams.
        lock(1, 0, 1, LOCK_WRITE),
        lock(0, 0, 1, LOCK_WRITE),
        unlock(1, 0, 1, LOCK_WRITE),
        lock(9, 0, 1, LOCK_WRITE),
        // A read-only stream may not lock (it would stop writers it could never be one of).
        open_message(0, 3, inbox, mid, 0x00),
        open_stream(3, 3, 0x00),
        lock(3, 0, 1, LOCK_EXCLUSIVE),
    ];
    let (resp, h) = c.run(&reqs, 3).await;
    assert_eq!(rv(&resp[15]), codes::STG_E_ACCESSDENIED.0, "{:?}", resp[15]);
    assert_eq!(rv(&resp[3]), 0);
    assert_eq!(rv(&resp[4]), ACCESS_DENIED);
    assert_eq!(rv(&resp[5]), 0);
    assert_eq!(rv(&resp[6]), 0, "an empty region blocks nothing");
    assert_eq!(rv(&resp[7]), 0);
    assert_eq!(rv(&resp[8]), 0, "the last byte was unlocked");
    assert_eq!(rv(&resp[9]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[10]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[11]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[12]), codes::EC_NULL_OBJECT.0);

    // MAX_REGION_LOCKS (64) locks per stream; the 65th is MAPI_E_NOT_ENOUGH_RESOURCES.
    let reqs: Vec<RopRequest> = (0..65u64).map(|i| lock(2, 1000 + i * 10, 5, LOCK_WRITE)).collect();
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert!(resp[..64].iter().all(|r| rv(r) == 0), "{resp:?}");
    assert_eq!(rv(&resp[64]), codes::MAPI_E_NOT_ENOUGH_RESOURCES.0);
}

#[tokio::test]
async fn write_and_commit_stream_commits_at_once_and_only_on_a_writable_stream() {
    let (_ts, mut c) = setup().await;
    let mid = saved_message(&mut c, b"old").await;
    let inbox = c.inbox;
    let reqs = [
        create_message(0, 1, inbox),
        open_stream(1, 2, 0x02),
        write_and_commit(2, b"committed"),
        get_props(1, &[PR_X_BIN]),
        // On the message, the folder, an empty slot: not streams.
        write_and_commit(1, b"x"),
        open_folder(0, 3, inbox),
        write_and_commit(3, b"x"),
        write_and_commit(4, b"x"),
        // A read-only stream: refused, nothing committed.
        open_message(0, 4, inbox, mid, 0x00),
        RopRequest::OpenStream(OpenStreamRequest {
            logon_id: 0,
            input_handle_index: 4,
            output_handle_index: 5,
            property_tag: PR_X_BIN,
            open_mode_flags: 0x00,
        }),
        write_and_commit(5, b"new"),
        get_props(4, &[PR_X_BIN]),
    ];
    let (resp, _) = c.run(&reqs, 5).await;
    let RopResponse::WriteAndCommitStream(o) = &resp[2] else { panic!("{:?}", resp[2]) };
    assert_eq!(o.body.as_ref().map(|b| b.written_size), Some(9), "{o:?}");
    assert_eq!(bin(&resp[3]), Some(PropValue::Binary(b"committed".to_vec())));
    assert_eq!(rv(&resp[4]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[6]), codes::MAPI_E_NO_SUPPORT.0, "a folder has no stream to commit");
    assert_eq!(rv(&resp[7]), codes::EC_NULL_OBJECT.0);
    assert_eq!(rv(&resp[10]), codes::STG_E_ACCESSDENIED.0);
    assert_eq!(bin(&resp[11]), Some(PropValue::Binary(b"old".to_vec())));
}

#[tokio::test]
async fn progress_answers_a_finished_operation_and_refuses_tables_and_streams() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let reqs = [
        progress(0, 0),
        open_folder(0, 1, inbox),
        RopRequest::EmptyFolder(oxmapi_wire::rop::oxcfold::EmptyFolderRequest {
            logon_id: 0,
            input_handle_index: 1,
            want_asynchronous: 1,
            want_delete_associated: 0,
        }),
        progress(1, 1),
        create_message(1, 2, inbox),
        progress(2, 0),
        common::req::contents_table(1, 3, 0),
        progress(3, 0),
        open_stream(2, 4, 0x02),
        progress(4, 0),
        progress(5, 0),
    ];
    let (resp, _) = c.run(&reqs, 5).await;
    let done = ProgressResponse { logon_id: 0, completed_task_count: 0, total_task_count: 0 };
    for i in [0, 3, 5] {
        let RopResponse::Progress(o) = &resp[i] else { panic!("{i}: {:?}", resp[i]) };
        assert_eq!(o.return_value, 0, "{i}");
        assert_eq!(o.body.as_ref(), Some(&done), "{i}");
    }
    // RopEmptyFolder with WantAsynchronous answers its own response: it ran to the end.
    assert!(matches!(resp[2], RopResponse::EmptyFolder(_)), "{:?}", resp[2]);
    assert_eq!(rv(&resp[7]), codes::MAPI_E_NO_SUPPORT.0, "a table");
    assert_eq!(rv(&resp[9]), codes::MAPI_E_NO_SUPPORT.0, "a stream");
    assert_eq!(rv(&resp[10]), codes::EC_NULL_OBJECT.0);
}

#[tokio::test]
async fn get_valid_attachments_lists_the_saved_attachments_only() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox;
    let ids = |r: &RopResponse| {
        let RopResponse::GetValidAttachments(o) = r else { panic!("{r:?}") };
        o.body.as_ref().unwrap_or_else(|| panic!("{r:?}")).attachment_ids.clone()
    };
    let reqs = [
        create_message(0, 1, inbox),
        valid_attachments(1),
        create_attachment(1, 2),
        save_attachment(2, 1),
        create_attachment(1, 3),
        save_attachment(3, 1),
        // Created, not saved: no valid number yet.
        create_attachment(1, 4),
        valid_attachments(1),
        RopRequest::DeleteAttachment(DeleteAttachmentRequest {
            logon_id: 0,
            input_handle_index: 1,
            attachment_id: 0,
        }),
        valid_attachments(1),
        save_message(1, KEEP_OPEN_READ_WRITE),
        valid_attachments(1),
        // Not a message.
        valid_attachments(2),
        valid_attachments(0),
        valid_attachments(5),
    ];
    let (resp, _) = c.run(&reqs, 5).await;
    assert_eq!(ids(&resp[1]), Vec::<u32>::new());
    assert_eq!(ids(&resp[7]), vec![0, 1], "{resp:?}");
    assert_eq!(ids(&resp[9]), vec![1]);
    assert_eq!(ids(&resp[11]), vec![1]);
    assert_eq!(rv(&resp[12]), codes::EC_NULL_OBJECT.0);
    assert_eq!(rv(&resp[13]), codes::EC_NULL_OBJECT.0);
    assert_eq!(rv(&resp[14]), codes::EC_NULL_OBJECT.0);
}

/// MS-OXCPRPT 3.2.5.21: a lock whose owner has been idle for more than 30 s gives way to
/// another stream's lock request; the owner's pending changes are discarded and its next ROP on
/// the stream fails with NetworkError (0x80040115). (This test waits out the 30 s.)
#[tokio::test]
async fn an_idle_owners_lock_expires_and_its_pending_changes_are_discarded() {
    let (ts, mut c) = setup().await;
    let mid = saved_message(&mut c, b"0123456789").await;
    let inbox = c.inbox;
    let reqs = [
        open_message(0, 1, inbox, mid, 0x01),
        open_stream(1, 2, 0x01),
        write(2, b"AAAA"),
        lock(2, 0, 10, LOCK_WRITE),
        open_message(0, 3, inbox, mid, 0x01),
        open_stream(3, 4, 0x01),
        lock(4, 0, 5, LOCK_WRITE),
    ];
    let (resp, h) = c.run(&reqs, 4).await;
    for r in &resp[..6] {
        assert_eq!(rv(r), 0, "{resp:?}");
    }
    assert_eq!(rv(&resp[6]), ACCESS_DENIED, "A's lock is live");
    tokio::time::sleep(std::time::Duration::from_secs(31)).await;
    // The idle HTTP connection is gone by now; the session context is not (its cookies).
    c.m.conn = common::Conn::open(ts.addr()).await;
    let reqs = [
        lock(4, 0, 5, LOCK_WRITE),
        read(2, 4),
        seek(2, 0, 0),
        read(2, 4),
        commit(2),
        get_props(1, &[PR_X_BIN]),
        write(2, b"B"),
    ];
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert_eq!(rv(&resp[0]), 0, "A's lock expired: {resp:?}");
    assert_eq!(rv(&resp[1]), codes::MAPI_E_NETWORK_ERROR.0, "the expired owner learns it");
    assert_eq!(data(&resp[3]), b"0123", "A's uncommitted write was discarded");
    assert_eq!(rv(&resp[4]), 0);
    assert_eq!(bin(&resp[5]), Some(PropValue::Binary(b"0123456789".to_vec())));
    assert_eq!(rv(&resp[6]), ACCESS_DENIED, "B's lock now holds against A");
}
