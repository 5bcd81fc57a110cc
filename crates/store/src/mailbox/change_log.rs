//! The durable change log of a mailbox on a shared (PostgreSQL) store: every write transaction
//! that publishes events also writes them, in the same transaction, as one change-log row, so a
//! node that did not make the change can replay it to its own Advise sinks and tables
//! (MS-OXCNOTIF 3.2.5: a client is notified of every change, whichever node made it).
//!
//! The rows live in `store.change_log` (schema: `crate::db::pg::schema_mailbox::V2`); a write
//! inserts its row and wakes the other nodes with `pg_notify` ([`CHANNEL`]) in its own
//! transaction (`follow`), a node's listener ([`ChangeListener`]) and timer call
//! [`MessageStore::catch_up`](super::MessageStore::catch_up) on the stores it has open, and
//! [`sweep`] drops rows past the [`RETENTION`].
//!
//! This module holds the row's encoding: the events of one transaction, in commit order, as
//! bytes. The encoding is ours (nothing outside oxmapi reads it) and versioned by its first
//! byte; all integers little-endian:
//!
//! ```text
//! u8 version (1) · u32 count · count × event
//! event = u8 kind · u8 flags · fields
//!   kind 0 NewMail        fid mid u32 message_flags str message_class
//!   kind 1 Created        fid [mid] parent_fid tags
//!   kind 2 Deleted        fid [mid] parent_fid
//!   kind 3 Modified       fid [mid] tags [u32 total u32 unread]
//!   kind 4 MovedOrCopied  fid [mid] parent_fid old_fid [old_mid] old_parent_fid
//!   flags: 1 associated, 2 mid present, 4 counts present, 8 copy, 16 old_mid present
//!   fid, mid … = 8-byte ObjectId (MS-OXCDATA 2.2.1.1 wire order); str = u32 length + UTF-8;
//!   tags = u32 count + count × u32 property tag
//! ```
//!
//! Decoding is strict (unknown version, kind or flag bits, truncation and trailing bytes are
//! errors, counts are checked against what is left), because the bytes come from a database
//! other processes write.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::tag::PropTag;

use super::events::StoreEvent;

mod follow;
mod listen;

pub(crate) use follow::Follower;
pub use follow::{CHANNEL, REPLAY_BATCH, RETENTION, SWEEP_INTERVAL, behind, sweep};
pub use listen::ChangeListener;

/// The encoding version written by this build.
pub const CHANGE_LOG_VERSION: u8 = 1;

/// Most events one change-log row may hold (a transaction that moves a whole large folder
/// announces one event per message; this bounds what a decoder allocates).
pub const MAX_EVENTS_PER_ROW: u64 = 1 << 24;

const KIND_NEW_MAIL: u8 = 0;
const KIND_CREATED: u8 = 1;
const KIND_DELETED: u8 = 2;
const KIND_MODIFIED: u8 = 3;
const KIND_MOVED_OR_COPIED: u8 = 4;

const F_ASSOCIATED: u8 = 1;
const F_MID: u8 = 2;
const F_COUNTS: u8 = 4;
const F_COPY: u8 = 8;
const F_OLD_MID: u8 = 16;
const F_ALL: u8 = F_ASSOCIATED | F_MID | F_COUNTS | F_COPY | F_OLD_MID;

/// The events of one transaction as a change-log row.
pub fn encode(events: &[StoreEvent]) -> Vec<u8> {
    let mut w = Writer::with_capacity(5 + events.len() * 32);
    w.u8(CHANGE_LOG_VERSION);
    w.u32(events.len() as u32);
    for e in events {
        encode_event(&mut w, e);
    }
    w.into_vec()
}

fn flag(on: bool, bit: u8) -> u8 {
    if on { bit } else { 0 }
}

fn encode_event(w: &mut Writer, e: &StoreEvent) {
    match e {
        StoreEvent::NewMail { fid, mid, message_flags, message_class } => {
            w.u8(KIND_NEW_MAIL);
            w.u8(0);
            w.object_id(*fid);
            w.object_id(*mid);
            w.u32(*message_flags);
            w.u32(message_class.len() as u32);
            w.bytes(message_class.as_bytes());
        }
        StoreEvent::Created { fid, mid, parent_fid, tags, associated } => {
            w.u8(KIND_CREATED);
            w.u8(flag(*associated, F_ASSOCIATED) | flag(mid.is_some(), F_MID));
            w.object_id(*fid);
            if let Some(m) = mid {
                w.object_id(*m);
            }
            w.object_id(*parent_fid);
            write_tags(w, tags);
        }
        StoreEvent::Deleted { fid, mid, parent_fid, associated } => {
            w.u8(KIND_DELETED);
            w.u8(flag(*associated, F_ASSOCIATED) | flag(mid.is_some(), F_MID));
            w.object_id(*fid);
            if let Some(m) = mid {
                w.object_id(*m);
            }
            w.object_id(*parent_fid);
        }
        StoreEvent::Modified { fid, mid, tags, counts, associated } => {
            w.u8(KIND_MODIFIED);
            w.u8(flag(*associated, F_ASSOCIATED)
                | flag(mid.is_some(), F_MID)
                | flag(counts.is_some(), F_COUNTS));
            w.object_id(*fid);
            if let Some(m) = mid {
                w.object_id(*m);
            }
            write_tags(w, tags);
            if let Some((total, unread)) = counts {
                w.u32(*total);
                w.u32(*unread);
            }
        }
        StoreEvent::MovedOrCopied {
            copy,
            fid,
            mid,
            parent_fid,
            old_fid,
            old_mid,
            old_parent_fid,
            associated,
        } => {
            w.u8(KIND_MOVED_OR_COPIED);
            w.u8(flag(*associated, F_ASSOCIATED)
                | flag(mid.is_some(), F_MID)
                | flag(*copy, F_COPY)
                | flag(old_mid.is_some(), F_OLD_MID));
            w.object_id(*fid);
            if let Some(m) = mid {
                w.object_id(*m);
            }
            w.object_id(*parent_fid);
            w.object_id(*old_fid);
            if let Some(m) = old_mid {
                w.object_id(*m);
            }
            w.object_id(*old_parent_fid);
        }
    }
}

fn write_tags(w: &mut Writer, tags: &[PropTag]) {
    w.u32(tags.len() as u32);
    for t in tags {
        w.u32(t.0);
    }
}

/// Decodes a change-log row.
pub fn decode(bytes: &[u8]) -> DecodeResult<Vec<StoreEvent>> {
    let mut r = Reader::new(bytes);
    let version = r.u8("change-log version")?;
    if version != CHANGE_LOG_VERSION {
        return Err(r.invalid("change-log version", format!("version {version} is not known to this build")));
    }
    let n = r.u32("change-log event count")?;
    // Each event takes at least kind, flags and one ObjectId.
    let n = r.check_count(u64::from(n), 10, MAX_EVENTS_PER_ROW, "change-log events")?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(decode_event(&mut r)?);
    }
    r.finish("change-log row")?;
    Ok(out)
}

fn decode_event(r: &mut Reader<'_>) -> DecodeResult<StoreEvent> {
    let kind = r.u8("change-log event kind")?;
    let flags = r.u8("change-log event flags")?;
    let allowed = match kind {
        KIND_NEW_MAIL => 0,
        KIND_CREATED | KIND_DELETED => F_ASSOCIATED | F_MID,
        KIND_MODIFIED => F_ASSOCIATED | F_MID | F_COUNTS,
        KIND_MOVED_OR_COPIED => F_ASSOCIATED | F_MID | F_COPY | F_OLD_MID,
        k => return Err(r.invalid("change-log event kind", format!("unknown kind {k}"))),
    };
    if flags & !allowed & F_ALL != 0 || flags & !F_ALL != 0 {
        return Err(r.invalid("change-log event flags", format!("flags 0x{flags:02X} for kind {kind}")));
    }
    let associated = flags & F_ASSOCIATED != 0;
    let fid = r.object_id("fid")?;
    let mid = if flags & F_MID != 0 { Some(r.object_id("mid")?) } else { None };
    Ok(match kind {
        KIND_NEW_MAIL => {
            let mid = r.object_id("mid")?;
            let message_flags = r.u32("message flags")?;
            let len = r.u32("message class length")?;
            let len = r.check_count(u64::from(len), 1, u64::from(u32::MAX), "message class")?;
            let raw = r.take(len, "message class")?;
            let message_class =
                std::str::from_utf8(raw).map_err(|_| r.invalid("message class", "not UTF-8"))?.to_owned();
            StoreEvent::NewMail { fid, mid, message_flags, message_class }
        }
        KIND_CREATED => {
            let parent_fid = r.object_id("parent fid")?;
            let tags = read_tags(r)?;
            StoreEvent::Created { fid, mid, parent_fid, tags, associated }
        }
        KIND_DELETED => StoreEvent::Deleted { fid, mid, parent_fid: r.object_id("parent fid")?, associated },
        KIND_MODIFIED => {
            let tags = read_tags(r)?;
            let counts = if flags & F_COUNTS != 0 {
                Some((r.u32("content count")?, r.u32("unread count")?))
            } else {
                None
            };
            StoreEvent::Modified { fid, mid, tags, counts, associated }
        }
        _ => {
            let parent_fid = r.object_id("parent fid")?;
            let old_fid = r.object_id("old fid")?;
            let old_mid = if flags & F_OLD_MID != 0 { Some(r.object_id("old mid")?) } else { None };
            let old_parent_fid = r.object_id("old parent fid")?;
            StoreEvent::MovedOrCopied {
                copy: flags & F_COPY != 0,
                fid,
                mid,
                parent_fid,
                old_fid,
                old_mid,
                old_parent_fid,
                associated,
            }
        }
    })
}

fn read_tags(r: &mut Reader<'_>) -> DecodeResult<Vec<PropTag>> {
    let n = r.u32("tag count")?;
    let n = r.check_count(u64::from(n), 4, u64::from(u32::MAX), "tags")?;
    (0..n).map(|_| r.u32("property tag").map(PropTag)).collect()
}

#[cfg(test)]
mod tests {
    use oxmapi_core::ids::ObjectId;
    use proptest::prelude::*;

    use super::*;

    fn oid() -> impl Strategy<Value = ObjectId> {
        any::<u64>().prop_map(ObjectId::from_u64)
    }

    fn event() -> impl Strategy<Value = StoreEvent> {
        let tags = proptest::collection::vec(any::<u32>().prop_map(PropTag), 0..5);
        prop_oneof![
            (oid(), oid(), any::<u32>(), ".{0,12}").prop_map(|(fid, mid, message_flags, message_class)| {
                StoreEvent::NewMail { fid, mid, message_flags, message_class }
            }),
            (oid(), proptest::option::of(oid()), oid(), tags.clone(), any::<bool>()).prop_map(
                |(fid, mid, parent_fid, tags, associated)| StoreEvent::Created {
                    fid,
                    mid,
                    parent_fid,
                    tags,
                    associated
                }
            ),
            (oid(), proptest::option::of(oid()), oid(), any::<bool>()).prop_map(
                |(fid, mid, parent_fid, associated)| StoreEvent::Deleted { fid, mid, parent_fid, associated }
            ),
            (
                oid(),
                proptest::option::of(oid()),
                tags,
                proptest::option::of(any::<(u32, u32)>()),
                any::<bool>()
            )
                .prop_map(|(fid, mid, tags, counts, associated)| StoreEvent::Modified {
                    fid,
                    mid,
                    tags,
                    counts,
                    associated
                }),
            (
                any::<bool>(),
                oid(),
                proptest::option::of(oid()),
                oid(),
                oid(),
                proptest::option::of(oid()),
                oid(),
                any::<bool>()
            )
                .prop_map(
                    |(copy, fid, mid, parent_fid, old_fid, old_mid, old_parent_fid, associated)| {
                        StoreEvent::MovedOrCopied {
                            copy,
                            fid,
                            mid,
                            parent_fid,
                            old_fid,
                            old_mid,
                            old_parent_fid,
                            associated,
                        }
                    }
                ),
        ]
    }

    proptest! {
        #[test]
        fn rows_round_trip(events in proptest::collection::vec(event(), 0..8)) {
            prop_assert_eq!(decode(&encode(&events)).unwrap(), events);
        }

        #[test]
        fn decoding_garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&bytes);
        }
    }

    #[test]
    fn strict_about_what_it_does_not_know() {
        let one = encode(&[StoreEvent::Deleted {
            fid: ObjectId::from_u64(1),
            mid: None,
            parent_fid: ObjectId::from_u64(2),
            associated: false,
        }]);
        assert!(decode(&one).is_ok());
        let mut v2 = one.clone();
        v2[0] = 2;
        assert!(decode(&v2).is_err(), "a newer version is refused");
        let mut trailing = one.clone();
        trailing.push(0);
        assert!(decode(&trailing).is_err(), "trailing bytes are refused");
        let mut bad_flag = one.clone();
        bad_flag[6] = F_COPY; // kind Deleted cannot be a copy
        assert!(decode(&bad_flag).is_err());
        // A count far beyond the bytes present fails before allocating.
        let huge = [CHANGE_LOG_VERSION, 0xFF, 0xFF, 0xFF, 0x00];
        assert!(decode(&huge).is_err());
        assert!(decode(&one[..one.len() - 1]).is_err(), "truncation is refused");
    }
}
