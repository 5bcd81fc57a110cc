//! Store events as RopNotify NotificationData (MS-OXCNOTIF 2.2.1.4.1.2; protocol-facts §5.3):
//! the NotificationType and the flags that decide which fields are on the wire.

use oxmapi_core::ids::ObjectId;
use oxmapi_store::mailbox::events::StoreEvent;
use oxmapi_wire::rop::oxcnotif::{ChangedTags, FLAG_M, FLAG_T, FLAG_U, NotificationData, kind, table_event};

/// The NotificationType of an event (the fnev bit a subscription's mask is checked against).
pub fn type_of(e: &StoreEvent) -> u16 {
    match e {
        StoreEvent::NewMail { .. } => kind::NEW_MAIL,
        StoreEvent::Created { .. } => kind::OBJECT_CREATED,
        StoreEvent::Deleted { .. } => kind::OBJECT_DELETED,
        StoreEvent::Modified { .. } => kind::OBJECT_MODIFIED,
        StoreEvent::MovedOrCopied { copy: false, .. } => kind::OBJECT_MOVED,
        StoreEvent::MovedOrCopied { copy: true, .. } => kind::OBJECT_COPIED,
    }
}

/// The NotificationData of an object event. `ParentFolderId` and `OldParentFolderId` are sent
/// for folder events only (no search folders here: S is never set).
pub fn object(e: &StoreEvent) -> NotificationData {
    let t = type_of(e);
    let m = if e.mid().is_some() { FLAG_M } else { 0 };
    let mut d = NotificationData {
        flags: t | m,
        folder_id: Some(e.fid()),
        message_id: e.mid(),
        ..Default::default()
    };
    match e {
        StoreEvent::NewMail { message_flags, message_class, .. } => {
            d.message_flags = Some(*message_flags);
            d.unicode_flag = Some(1);
            d.message_class = Some(message_class.clone());
        }
        StoreEvent::Created { parent_fid, tags, .. } => {
            d.parent_folder_id = (m == 0).then_some(*parent_fid);
            d.tags = Some(ChangedTags::List(tags.clone()));
        }
        StoreEvent::Deleted { parent_fid, .. } => {
            d.parent_folder_id = (m == 0).then_some(*parent_fid);
        }
        StoreEvent::Modified { tags, counts, .. } => {
            d.tags = Some(ChangedTags::List(tags.clone()));
            if let Some((total, unread)) = counts {
                d.flags |= FLAG_T | FLAG_U;
                d.total_message_count = Some(*total);
                d.unread_message_count = Some(*unread);
            }
        }
        StoreEvent::MovedOrCopied { parent_fid, old_fid, old_mid, old_parent_fid, .. } => {
            d.parent_folder_id = (m == 0).then_some(*parent_fid);
            d.old_folder_id = Some(*old_fid);
            d.old_message_id = *old_mid;
            d.old_parent_folder_id = (m == 0).then_some(*old_parent_fid);
        }
    }
    d
}

/// ObjectModified of `fid` with its properties unlisted: "reread this folder" (the resync of an
/// object subscription whose queue overflowed).
pub fn resync_object(fid: ObjectId) -> NotificationData {
    NotificationData {
        flags: kind::OBJECT_MODIFIED,
        folder_id: Some(fid),
        tags: Some(ChangedTags::Unlisted),
        ..Default::default()
    }
}

/// SearchComplete (fnevSearchComplete, NotificationType 0x0080; MS-OXCNOTIF 2.2.1.4.1.2): the
/// search of folder `fid` finished populating it; FolderId is the search folder.
pub fn search_complete(fid: ObjectId) -> NotificationData {
    NotificationData { flags: kind::SEARCH_COMPLETED, folder_id: Some(fid), ..Default::default() }
}

/// TableModified / TableChanged: "the table changed; reread it".
pub fn table_changed() -> NotificationData {
    NotificationData {
        flags: kind::TABLE_MODIFIED,
        table_event_type: Some(table_event::TABLE_CHANGED),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::codec::{Reader, Writer};

    fn id(n: u64) -> ObjectId {
        ObjectId::new(1, n)
    }

    fn round_trip(d: &NotificationData) -> NotificationData {
        let mut w = Writer::new();
        d.encode(&mut w);
        let bytes = w.into_vec();
        let mut r = Reader::new(&bytes);
        let back = NotificationData::decode(&mut r).unwrap();
        assert!(r.is_empty());
        back
    }

    #[test]
    fn every_event_encodes_and_decodes_with_its_fields() {
        let events = [
            StoreEvent::NewMail {
                fid: id(5),
                mid: id(9),
                message_flags: 0,
                message_class: "IPM.Note".into(),
            },
            StoreEvent::Created {
                fid: id(5),
                mid: Some(id(9)),
                parent_fid: id(5),
                tags: vec![],
                associated: false,
            },
            StoreEvent::Created {
                fid: id(20),
                mid: None,
                parent_fid: id(5),
                tags: vec![],
                associated: false,
            },
            StoreEvent::Deleted { fid: id(5), mid: Some(id(9)), parent_fid: id(5), associated: false },
            StoreEvent::Modified {
                fid: id(5),
                mid: None,
                tags: vec![],
                counts: Some((3, 1)),
                associated: false,
            },
            StoreEvent::MovedOrCopied {
                copy: false,
                fid: id(6),
                mid: Some(id(10)),
                parent_fid: id(6),
                old_fid: id(5),
                old_mid: Some(id(9)),
                old_parent_fid: id(5),
                associated: false,
            },
            StoreEvent::MovedOrCopied {
                copy: true,
                fid: id(21),
                mid: None,
                parent_fid: id(6),
                old_fid: id(20),
                old_mid: None,
                old_parent_fid: id(5),
                associated: false,
            },
        ];
        for e in &events {
            let d = object(e);
            assert_eq!(round_trip(&d), d, "{e:?}");
            assert_eq!(d.kind(), type_of(e));
        }
        let folder_created = object(&events[2]);
        assert_eq!(folder_created.parent_folder_id, Some(id(5)));
        let counts = object(&events[4]);
        assert_eq!((counts.total_message_count, counts.unread_message_count), (Some(3), Some(1)));
        assert_eq!(round_trip(&table_changed()), table_changed());
        assert_eq!(round_trip(&resync_object(id(5))), resync_object(id(5)));
    }
}
