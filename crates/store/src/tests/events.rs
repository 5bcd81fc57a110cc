//! Change events of a message store (MS-OXCNOTIF 2.2.1.4.1.2): what each committed transaction
//! publishes, that failed ones publish nothing, and that events leave in commit order.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::{site, user_with_mailbox};
use crate::mailbox::SpecialFolder;
use crate::mailbox::events::StoreEvent::{self, *};
use crate::mailbox::messages::read_flags::*;
use crate::{DeleteFolderFlags, FolderType, MessageDraft, MessageStore, Site, StoreError};

/// One inner list per committed transaction.
type Log = Arc<Mutex<Vec<Vec<StoreEvent>>>>;

struct Fixture {
    _t: tempfile::TempDir,
    _dd: Site,
    store: MessageStore,
    log: Log,
    inbox: ObjectId,
    drafts: ObjectId,
}

impl Fixture {
    /// The transactions published since the last call.
    fn take(&self) -> Vec<Vec<StoreEvent>> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }

    fn folder(&self, parent: ObjectId, name: &str) -> ObjectId {
        self.store.create_folder(parent, name, None, None, FolderType::Generic, false).unwrap().0
    }

    /// Saves a new message in `fid`, unread unless `read`.
    fn message(&self, fid: ObjectId, subject: &str, read: bool) -> ObjectId {
        let mut d = self.draft(fid, subject, read, false);
        self.store.save_message(&mut d, false).unwrap()
    }

    fn draft(&self, fid: ObjectId, subject: &str, read: bool, associated: bool) -> MessageDraft {
        let s = &self.store;
        let mut d = s.create_message(fid, associated).unwrap();
        let flags = PropValue::I32(if read { 1 } else { 0 });
        let values = [tv(PR_SUBJECT, text(subject)), tv(PR_MESSAGE_FLAGS, flags)];
        assert!(s.set_properties(&mut d, &values).unwrap().is_empty());
        d
    }
}

fn sink(log: &Log) -> crate::mailbox::events::EventSink {
    let log = log.clone();
    Arc::new(move |events: &[StoreEvent]| log.lock().unwrap().push(events.to_vec()))
}

fn fixture() -> Fixture {
    let (t, dd) = site();
    let user = user_with_mailbox(&dd, "alice");
    let store = dd.open_mailbox(&user).unwrap();
    let log = Log::default();
    store.set_event_sink(Some(sink(&log)));
    let inbox = store.special_folder(SpecialFolder::Inbox).unwrap();
    let drafts = store.special_folder(SpecialFolder::Drafts).unwrap();
    Fixture { _t: t, _dd: dd, store, log, inbox, drafts }
}

fn text(v: &str) -> PropValue {
    PropValue::Unicode(v.into())
}

fn tv(tag: PropTag, v: PropValue) -> TaggedValue {
    TaggedValue::new(tag, v)
}

fn counts(fid: ObjectId, total: u32, unread: u32) -> StoreEvent {
    Modified {
        fid,
        mid: None,
        tags: vec![PR_CONTENT_COUNT, PR_CONTENT_UNREAD],
        counts: Some((total, unread)),
        associated: false,
    }
}

fn deleted(fid: ObjectId, mid: ObjectId) -> StoreEvent {
    Deleted { fid, mid: Some(mid), parent_fid: fid, associated: false }
}

fn folder_deleted(fid: ObjectId, parent_fid: ObjectId) -> StoreEvent {
    Deleted { fid, mid: None, parent_fid, associated: false }
}

fn flags_modified(fid: ObjectId, mid: ObjectId) -> StoreEvent {
    Modified { fid, mid: Some(mid), tags: vec![PR_MESSAGE_FLAGS], counts: None, associated: false }
}

fn moved(copy: bool, (src, old): (ObjectId, ObjectId), (dst, new): (ObjectId, ObjectId)) -> StoreEvent {
    MovedOrCopied {
        copy,
        fid: dst,
        mid: Some(new),
        parent_fid: dst,
        old_fid: src,
        old_mid: Some(old),
        old_parent_fid: src,
        associated: false,
    }
}

fn folder_moved(
    copy: bool,
    (old_parent, old): (ObjectId, ObjectId),
    (parent, new): (ObjectId, ObjectId),
) -> StoreEvent {
    MovedOrCopied {
        copy,
        fid: new,
        mid: None,
        parent_fid: parent,
        old_fid: old,
        old_mid: None,
        old_parent_fid: old_parent,
        associated: false,
    }
}

#[test]
fn folder_create_and_properties() {
    let f = fixture();
    let s = &f.store;
    let a = f.folder(f.inbox, "A");
    assert_eq!(
        f.take(),
        vec![vec![Created { fid: a, mid: None, parent_fid: f.inbox, tags: vec![], associated: false }]]
    );

    // Opening the existing folder and a refused name change nothing.
    assert_eq!(s.create_folder(f.inbox, "a", None, None, FolderType::Generic, true).unwrap(), (a, true));
    assert!(matches!(
        s.create_folder(f.inbox, "A", None, None, FolderType::Generic, false),
        Err(StoreError::Collision(_))
    ));
    assert_eq!(f.take(), Vec::<Vec<StoreEvent>>::new());

    let values =
        [tv(PR_COMMENT, text("x")), tv(PR_CONTAINER_CLASS, text("IPF.Note")), tv(PR_COMMENT, text("y"))];
    s.set_folder_properties(a, &values).unwrap();
    let tags = vec![PR_COMMENT, PR_CONTAINER_CLASS];
    assert_eq!(f.take(), vec![vec![Modified { fid: a, mid: None, tags, counts: None, associated: false }]]);
    s.delete_folder_properties(a, &[PR_COMMENT]).unwrap();
    assert_eq!(
        f.take(),
        vec![vec![Modified { fid: a, mid: None, tags: vec![PR_COMMENT], counts: None, associated: false }]]
    );
}

#[test]
fn message_save_and_resave() {
    let f = fixture();
    let s = &f.store;
    let mut d = f.draft(f.inbox, "hello", false, false);
    let m = s.save_message(&mut d, false).unwrap();
    let saved = vec![
        PR_IMPORTANCE,
        PR_MESSAGE_CLASS,
        PR_SENSITIVITY,
        PR_SUBJECT,
        PR_SUBJECT_PREFIX,
        PR_DISPLAY_BCC,
        PR_DISPLAY_CC,
        PR_DISPLAY_TO,
        PR_MESSAGE_DELIVERY_TIME,
        PR_NORMALIZED_SUBJECT,
        PR_TRUST_SENDER,
        PR_SEARCH_KEY,
    ];
    assert_eq!(
        f.take(),
        vec![vec![
            Created { fid: f.inbox, mid: Some(m), parent_fid: f.inbox, tags: saved, associated: false },
            counts(f.inbox, 1, 1)
        ]]
    );
    let stored = s.message_properties(m, 0).unwrap();
    assert!(stored.iter().any(|p| p.tag == PR_TRUST_SENDER), "the saved tags are the message's");

    // A second save announces what changed; the counts did not.
    s.set_properties(&mut d, &[tv(PR_SUBJECT, text("hello again")), tv(PR_BODY, text("body"))]).unwrap();
    s.save_message(&mut d, false).unwrap();
    // Sorted by property id; PR_MESSAGE_SIZE is computed, the others are stored.
    let tags = vec![PR_SUBJECT, PR_MESSAGE_SIZE, PR_NORMALIZED_SUBJECT, PR_BODY];
    assert_eq!(
        f.take(),
        vec![vec![Modified { fid: f.inbox, mid: Some(m), tags, counts: None, associated: false }]]
    );

    // FAI messages are not in PR_CONTENT_COUNT.
    let mut fai = f.draft(f.inbox, "view", false, true);
    let fm = s.save_message(&mut fai, false).unwrap();
    let events = f.take();
    assert_eq!(events.len(), 1);
    assert!(matches!(&events[0][..], [Created { mid: Some(x), .. }] if *x == fm), "{events:?}");
}

#[test]
fn attachment_changes_modify_the_message() {
    let f = fixture();
    let s = &f.store;
    let mut d = f.draft(f.inbox, "with attachment", true, false);
    let mut a = s.create_attachment(&mut d).unwrap();
    s.set_properties(&mut a, &[tv(PR_ATTACH_LONG_FILENAME, text("a.txt"))]).unwrap();
    s.save_attachment(&mut d, &mut a).unwrap();
    assert_eq!(f.take(), Vec::<Vec<StoreEvent>>::new(), "nothing is visible before the message's save");
    let m = s.save_message(&mut d, false).unwrap();
    let events = f.take();
    assert!(matches!(&events[..], [tx] if matches!(&tx[..], [Created { mid: Some(x), .. }, _] if *x == m)));
    assert_eq!(events[0][1], counts(f.inbox, 1, 0));

    let mut d = s.open_message(f.inbox, m).unwrap();
    let mut a = s.create_attachment(&mut d).unwrap();
    s.set_properties(&mut a, &[tv(PR_ATTACH_LONG_FILENAME, text("b.txt"))]).unwrap();
    s.save_attachment(&mut d, &mut a).unwrap();
    assert_eq!(f.take(), Vec::<Vec<StoreEvent>>::new());
    s.save_message(&mut d, false).unwrap();
    assert_eq!(
        f.take(),
        vec![vec![Modified {
            fid: f.inbox,
            mid: Some(m),
            tags: vec![PR_MESSAGE_SIZE],
            counts: None,
            associated: false
        }]]
    );
}

#[test]
fn read_flags() {
    let f = fixture();
    let s = &f.store;
    let a = f.message(f.inbox, "a", false);
    let b = f.message(f.inbox, "b", false);
    f.take();

    assert!(s.set_read_flag(a, RF_DEFAULT).unwrap());
    assert_eq!(f.take(), vec![vec![flags_modified(f.inbox, a), counts(f.inbox, 2, 1)]]);
    // No change, no event.
    assert!(!s.set_read_flag(a, RF_DEFAULT).unwrap());
    assert_eq!(f.take(), Vec::<Vec<StoreEvent>>::new());

    assert!(!s.set_read_flags(f.inbox, None, RF_DEFAULT).unwrap());
    assert_eq!(f.take(), vec![vec![flags_modified(f.inbox, b), counts(f.inbox, 2, 0)]]);
    s.set_read_flags(f.inbox, Some(&[a, b]), RF_CLEAR_READ_FLAG).unwrap();
    assert_eq!(
        f.take(),
        vec![vec![flags_modified(f.inbox, a), flags_modified(f.inbox, b), counts(f.inbox, 2, 2)]]
    );

    // Through an open message (RopSetMessageReadFlag).
    let mut d = s.open_message(f.inbox, b).unwrap();
    assert!(s.set_draft_read_flag(&mut d, RF_DEFAULT).unwrap());
    assert_eq!(f.take(), vec![vec![flags_modified(f.inbox, b), counts(f.inbox, 2, 1)]]);
    // A flag change that leaves the read state alone is still a change of PR_MESSAGE_FLAGS.
    let mut n = f.draft(f.inbox, "receipt", false, false);
    s.set_properties(&mut n, &[tv(PR_MESSAGE_FLAGS, PropValue::I32(0x100))]).unwrap(); // MSGFLAG_RN_PENDING
    let c = s.save_message(&mut n, false).unwrap();
    f.take();
    assert!(!s.set_read_flag(c, RF_CLEAR_NOTIFY_READ).unwrap());
    assert_eq!(f.take(), vec![vec![flags_modified(f.inbox, c)]]);
}

#[test]
fn delete_messages() {
    let f = fixture();
    let s = &f.store;
    let a = f.message(f.inbox, "a", false);
    let b = f.message(f.inbox, "b", true);
    let c = f.message(f.inbox, "c", false);
    f.take();
    let missing = ObjectId::new(1, 0xFFFF_FFFF);
    assert!(s.delete_messages(f.inbox, &[a, missing, b], false).unwrap());
    assert_eq!(f.take(), vec![vec![deleted(f.inbox, a), deleted(f.inbox, b), counts(f.inbox, 1, 1)]]);
    assert!(!s.delete_messages(f.inbox, &[c], true).unwrap());
    assert_eq!(f.take(), vec![vec![deleted(f.inbox, c), counts(f.inbox, 0, 0)]]);
    // Already deleted: nothing happens.
    assert!(s.delete_messages(f.inbox, &[a], true).unwrap());
    assert_eq!(f.take(), Vec::<Vec<StoreEvent>>::new());
}

#[test]
fn move_and_copy_messages() {
    let f = fixture();
    let s = &f.store;
    let (inbox, drafts) = (f.inbox, f.drafts);
    let a = f.message(inbox, "a", false);
    let b = f.message(inbox, "b", true);
    f.take();

    let (_, copies) = s.move_copy_messages(inbox, &[a, b], drafts, true).unwrap();
    assert_eq!(
        f.take(),
        vec![vec![
            moved(true, (inbox, a), (drafts, copies[0])),
            moved(true, (inbox, b), (drafts, copies[1])),
            counts(drafts, 2, 1),
        ]]
    );
    let (_, same) = s.move_copy_messages(inbox, &[a], drafts, false).unwrap();
    assert_eq!(same, vec![a]);
    assert_eq!(
        f.take(),
        vec![vec![moved(false, (inbox, a), (drafts, a)), counts(inbox, 1, 0), counts(drafts, 3, 2)]]
    );
    // A move into the folder the message is in changes nothing; a copy there adds one.
    s.move_copy_messages(drafts, &[a], drafts, false).unwrap();
    assert_eq!(f.take(), Vec::<Vec<StoreEvent>>::new());
    let (_, c) = s.move_copy_messages(drafts, &[a], drafts, true).unwrap();
    assert_eq!(f.take(), vec![vec![moved(true, (drafts, a), (drafts, c[0])), counts(drafts, 4, 3)]]);
}

#[test]
fn move_copy_and_delete_folders() {
    let f = fixture();
    let s = &f.store;
    let (inbox, drafts) = (f.inbox, f.drafts);
    let a = f.folder(inbox, "A");
    let b = f.folder(a, "B");
    let m = f.message(b, "in B", false);
    f.take();

    s.move_folder(inbox, a, drafts, "").unwrap();
    assert_eq!(f.take(), vec![vec![folder_moved(false, (inbox, a), (drafts, a))]]);
    let copy = s.copy_folder(drafts, a, inbox, "A copy", true).unwrap();
    assert_eq!(f.take(), vec![vec![folder_moved(true, (drafts, a), (inbox, copy))]]);

    // A folder with subfolders and messages: each object, innermost first.
    let flags = DeleteFolderFlags { del_messages: true, del_folders: true, hard_delete: false };
    assert!(!s.delete_folder(drafts, a, flags).unwrap());
    assert_eq!(f.take(), vec![vec![deleted(b, m), folder_deleted(b, a), folder_deleted(a, drafts)]]);
    let flags = DeleteFolderFlags { hard_delete: true, ..flags };
    let copied_b = s.folder_children(copy).unwrap()[0];
    let copied_m = s.contents(copied_b, false).unwrap()[0];
    assert!(!s.delete_folder(inbox, copy, flags).unwrap());
    assert_eq!(
        f.take(),
        vec![vec![deleted(copied_b, copied_m), folder_deleted(copied_b, copy), folder_deleted(copy, inbox)]]
    );
}

#[test]
fn empty_folder() {
    let f = fixture();
    let s = &f.store;
    let inbox = f.inbox;
    let a = f.message(inbox, "a", false);
    let b = f.message(inbox, "b", true);
    let mut fai = f.draft(inbox, "fai", false, true);
    let fai = s.save_message(&mut fai, false).unwrap();
    let sub = f.folder(inbox, "Sub");
    let m = f.message(sub, "in Sub", false);
    f.take();

    assert!(!s.empty_folder(inbox, false, false).unwrap());
    assert_eq!(
        f.take(),
        vec![vec![
            deleted(inbox, a),
            deleted(inbox, b),
            deleted(sub, m),
            folder_deleted(sub, inbox),
            counts(inbox, 0, 0)
        ]]
    );
    // The FAI message stays until asked for; the soft-deleted ones are not announced again.
    assert!(!s.empty_folder(inbox, true, true).unwrap());
    let fai_deleted = Deleted { fid: inbox, mid: Some(fai), parent_fid: inbox, associated: true };
    assert_eq!(f.take(), vec![vec![fai_deleted]]);
}

#[test]
fn failed_operations_publish_nothing() {
    let f = fixture();
    let s = &f.store;
    let (inbox, drafts) = (f.inbox, f.drafts);
    let a = f.folder(inbox, "A");
    let b = f.folder(a, "B");
    let m = f.message(a, "m", false);
    f.take();
    let none = Vec::<Vec<StoreEvent>>::new();

    let missing = ObjectId::new(1, 0xFFFF_FFFF);
    assert!(matches!(
        s.delete_folder(inbox, missing, DeleteFolderFlags::default()),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.delete_folder(inbox, a, DeleteFolderFlags::default()),
        Err(StoreError::HasMessages(_))
    ));
    assert!(s.move_folder(inbox, a, b, "").is_err(), "a folder cannot move into its own child");
    assert!(s.copy_folder(inbox, a, b, "", true).is_err());
    assert!(s.set_folder_properties(a, &[tv(PR_DISPLAY_NAME, text(""))]).is_err());
    assert!(s.delete_messages(missing, &[m], false).is_err());

    // A save conflict: the message changed after the second handle opened it.
    let mut one = s.open_message(a, m).unwrap();
    let mut two = s.open_message(a, m).unwrap();
    s.set_properties(&mut one, &[tv(PR_SUBJECT, text("one"))]).unwrap();
    s.save_message(&mut one, false).unwrap();
    f.take();
    s.set_properties(&mut two, &[tv(PR_SUBJECT, text("two"))]).unwrap();
    assert!(matches!(s.save_message(&mut two, false), Err(StoreError::ObjectChanged(_))));
    assert_eq!(f.take(), none);

    // A failure after events were recorded rolls them back with the transaction: a trigger
    // (added through a second connection) fails the delete when it gives the parent a new
    // change number, after the deletions were recorded.
    // (SQLite only: the trigger is SQLite's.)
    let flags = DeleteFolderFlags { del_messages: true, del_folders: true, hard_delete: false };
    if let Some(path) = s.path() {
        let other = rusqlite::Connection::open(path).unwrap();
        let fail = "CREATE TRIGGER fail BEFORE UPDATE OF change_number ON folders \
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END";
        other.execute_batch(fail).unwrap();
        let err = s.delete_folder(inbox, a, flags).unwrap_err();
        assert!(err.to_string().contains("injected failure"), "{err}");
        other.execute_batch("DROP TRIGGER fail").unwrap();
        drop(other);
        assert_eq!(f.take(), none);
    }
    assert!(s.folder_exists(a).unwrap() && s.folder_exists(b).unwrap());

    // The next transaction publishes its own events only.
    let c = f.folder(drafts, "C");
    assert_eq!(
        f.take(),
        vec![vec![Created { fid: c, mid: None, parent_fid: drafts, tags: vec![], associated: false }]]
    );
    assert!(!s.delete_folder(inbox, a, flags).unwrap());
    assert_eq!(f.take(), vec![vec![folder_deleted(b, a), deleted(a, m), folder_deleted(a, inbox)]]);
}

#[test]
fn concurrent_writers_publish_in_commit_order() {
    const PER_THREAD: usize = 200;
    let f = fixture();
    let store = Arc::new(f.store);
    let inbox = f.inbox;
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                (0..PER_THREAD)
                    .map(|i| {
                        let mut d = store.create_message(inbox, false).unwrap();
                        store.set_properties(&mut d, &[tv(PR_SUBJECT, text(&format!("{t}-{i}")))]).unwrap();
                        store.save_message(&mut d, false).unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let saved: HashSet<ObjectId> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    assert_eq!(saved.len(), 2 * PER_THREAD);

    let log = std::mem::take(&mut *f.log.lock().unwrap());
    assert_eq!(log.len(), 2 * PER_THREAD, "one transaction per save");
    let mut created = HashSet::new();
    for (i, tx) in log.iter().enumerate() {
        let [Created { mid: Some(m), .. }, count] = &tx[..] else { panic!("{tx:?}") };
        assert!(created.insert(*m), "{m} announced twice");
        // In commit order, the i-th transaction leaves i + 1 messages.
        let Modified { counts: Some((total, _)), .. } = count else { panic!("{count:?}") };
        assert_eq!(*total as usize, i + 1);
    }
    assert_eq!(created, saved);
    assert_eq!(store.contents_count(inbox, false).unwrap() as usize, 2 * PER_THREAD);
}

#[test]
fn without_a_sink_nothing_breaks() {
    let f = fixture();
    let s = &f.store;
    s.set_event_sink(None);
    let a = f.folder(f.inbox, "A");
    let m = f.message(a, "m", false);
    s.set_read_flag(m, RF_DEFAULT).unwrap();
    s.move_copy_messages(a, &[m], f.drafts, true).unwrap();
    s.empty_folder(a, true, true).unwrap();
    s.delete_folder(f.inbox, a, DeleteFolderFlags::default()).unwrap();
    assert_eq!(f.take(), Vec::<Vec<StoreEvent>>::new());
    // A sink set later sees only what follows.
    s.set_event_sink(Some(sink(&f.log)));
    let b = f.folder(f.inbox, "B");
    assert_eq!(
        f.take(),
        vec![vec![Created { fid: b, mid: None, parent_fid: f.inbox, tags: vec![], associated: false }]]
    );
}

/// RopTransportNewMail (MS-OXOMSG 2.2.5.5; IMsgStore::NotifyNewMail: "send a new mail
/// notification to all registered clients"): announcing a message publishes exactly one
/// fnevNewMail carrying the folder, message, flags and class the caller gave, and changes
/// nothing else; a message that is not in that folder is NotFound and publishes nothing.
#[test]
fn transport_new_mail_announces_the_message_as_given() {
    let f = fixture();
    let mid = f.message(f.inbox, "placed by a transport", false);
    f.take();
    f.store.announce_new_mail(f.inbox, mid, 0x0000_0004, "IPM.Note.Custom").unwrap();
    assert_eq!(
        f.take(),
        vec![vec![NewMail { fid: f.inbox, mid, message_flags: 4, message_class: "IPM.Note.Custom".into() }]]
    );
    let err = f.store.announce_new_mail(f.drafts, mid, 0, "IPM.Note").unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    assert!(f.take().is_empty());
}

/// Every event about an FAI message says so (MS-OXCFOLD 2.2.1.14 TableFlags Associated), the
/// deletion too — once the message is gone, its event is the only place that knows which
/// contents table listed it.
#[test]
fn events_about_fai_messages_say_associated() {
    let f = fixture();
    let s = &f.store;
    let a = f.folder(f.inbox, "A");
    f.take();
    let mut d = f.draft(f.inbox, "view", false, true);
    let fai = s.save_message(&mut d, false).unwrap();
    let mut d = s.open_message(f.inbox, fai).unwrap();
    assert!(s.set_properties(&mut d, &[tv(PR_SUBJECT, text("view 2"))]).unwrap().is_empty());
    s.save_message(&mut d, false).unwrap();
    s.set_message_status(f.inbox, fai, 0x1000, 0x1000).unwrap();
    let copied = s.move_copy_messages(f.inbox, &[fai], a, true).unwrap().1[0];
    s.delete_messages(f.inbox, &[fai], true).unwrap();
    s.empty_folder(a, true, true).unwrap();
    let normal = f.message(f.inbox, "mail", false);
    s.delete_messages(f.inbox, &[normal], true).unwrap();
    let about: Vec<(ObjectId, bool)> =
        f.take().into_iter().flatten().filter_map(|e| e.mid().map(|m| (m, e.associated()))).collect();
    let want: Vec<(ObjectId, bool)> = [fai, fai, fai, copied, fai, copied]
        .into_iter()
        .map(|m| (m, true))
        .chain([(normal, false); 2])
        .collect();
    assert_eq!(about, want);
}
