//! The folder counters of schema v6 stay equal to COUNT(*) over `messages` whatever the
//! writes, and make a save, move, delete or count cost the same in a big folder as in a small
//! one (counted in SQLite virtual machine steps, which do not depend on timing).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::db::params;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use proptest::prelude::*;

use crate::mailbox::messages::read_flags::{RF_CLEAR_READ_FLAG, RF_DEFAULT};
use crate::mailbox::{DeleteFolderFlags, FolderType, MessageStore, SpecialFolder};
use crate::tests::{site, user_with_mailbox};

type Group = (i64, i64, i64, i64, i64, i64);

fn groups(s: &MessageStore, sql: &str) -> Vec<Group> {
    let conn = s.lock().unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The counters equal COUNT(*), the unread count and the size sum of every (folder, FAI,
/// soft-deleted) group, no counter outlives its folder, and what the store answers (RowCount,
/// PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT) is the counted value.
fn assert_exact(s: &MessageStore) {
    let counted = groups(
        s,
        "SELECT fid, associated, soft_deleted, count(*), sum(CASE WHEN read = 0 THEN 1 ELSE 0 END), sum(message_size) FROM messages \
         WHERE fid IS NOT NULL GROUP BY fid, associated, soft_deleted ORDER BY 1, 2, 3",
    );
    let kept = groups(
        s,
        "SELECT fid, associated, soft_deleted, total, unread, size FROM folder_counts \
         WHERE total <> 0 OR unread <> 0 OR size <> 0 ORDER BY 1, 2, 3",
    );
    assert_eq!(kept, counted);
    let orphans: i64 = s
        .lock()
        .unwrap()
        .query_row("SELECT count(*) FROM folder_counts WHERE fid NOT IN (SELECT fid FROM folders)", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(orphans, 0, "counters of hard-deleted folders are gone");
    let live: Vec<i64> = {
        let conn = s.lock().unwrap();
        let mut stmt =
            conn.prepare("SELECT fid FROM folders WHERE soft_deleted = 0 AND folder_type = 1").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let count = |f: i64, a: i64, d: i64, unread: bool| -> i64 {
        let sql = format!(
            "SELECT count(*) FROM messages WHERE fid = ?1 AND associated = ?2 AND soft_deleted = ?3{}",
            if unread { " AND read = 0" } else { "" }
        );
        s.lock().unwrap().query_row(&sql, params![f, a, d], |r| r.get(0)).unwrap()
    };
    for f in live {
        let fid = ObjectId::new(1, f as u64);
        for (a, d) in [(false, false), (true, false), (false, true), (true, true)] {
            let n = s.contents_count_in(fid, a, d).unwrap();
            assert_eq!(i64::from(n), count(f, a as i64, d as i64, false), "RowCount of {fid} {a} {d}");
        }
        let prop = |tag| s.folder_property(fid, tag).unwrap();
        assert_eq!(prop(PR_CONTENT_COUNT), Some(PropValue::I32(count(f, 0, 0, false) as i32)));
        assert_eq!(prop(PR_CONTENT_UNREAD), Some(PropValue::I32(count(f, 0, 0, true) as i32)));
        assert_eq!(prop(PR_ASSOC_CONTENT_COUNT), Some(PropValue::I32(count(f, 1, 0, false) as i32)));
    }
}

/// One write of the randomized test; indexes pick folders and messages modulo what exists.
#[derive(Clone, Debug)]
enum Op {
    Save { folder: usize, fai: bool, unread: bool },
    Resave { pick: usize, unread: bool },
    Move { pick: usize, to: usize },
    Copy { pick: usize, to: usize },
    Delete { pick: usize, hard: bool },
    ReadFlag { pick: usize, clear: bool },
    ReadAll { folder: usize, clear: bool },
    Empty { folder: usize, fai: bool, hard: bool },
    NewFolder { parent: usize },
    DeleteFolder { folder: usize, hard: bool },
    CopyFolder { folder: usize, to: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..16;
    prop_oneof![
        4 => (i(), any::<bool>(), any::<bool>()).prop_map(|(folder, fai, unread)| Op::Save { folder, fai, unread }),
        1 => (i(), any::<bool>()).prop_map(|(pick, unread)| Op::Resave { pick, unread }),
        2 => (i(), i()).prop_map(|(pick, to)| Op::Move { pick, to }),
        1 => (i(), i()).prop_map(|(pick, to)| Op::Copy { pick, to }),
        2 => (i(), any::<bool>()).prop_map(|(pick, hard)| Op::Delete { pick, hard }),
        2 => (i(), any::<bool>()).prop_map(|(pick, clear)| Op::ReadFlag { pick, clear }),
        1 => (i(), any::<bool>()).prop_map(|(folder, clear)| Op::ReadAll { folder, clear }),
        1 => (i(), any::<bool>(), any::<bool>()).prop_map(|(folder, fai, hard)| Op::Empty { folder, fai, hard }),
        1 => i().prop_map(|parent| Op::NewFolder { parent }),
        1 => (i(), any::<bool>()).prop_map(|(folder, hard)| Op::DeleteFolder { folder, hard }),
        1 => (i(), i()).prop_map(|(folder, to)| Op::CopyFolder { folder, to }),
    ]
}

/// The folders a test writes to: (folder, parent), special folders first.
struct World {
    folders: Vec<(ObjectId, ObjectId)>,
    named: usize,
}

impl World {
    fn folder(&self, i: usize) -> ObjectId {
        self.folders[i % self.folders.len()].0
    }

    /// A message of a folder of the test (live, normal or FAI), with its folder.
    fn message(&self, s: &MessageStore, i: usize) -> Option<(ObjectId, ObjectId)> {
        let all: Vec<(ObjectId, ObjectId)> = self
            .folders
            .iter()
            .flat_map(|(f, _)| {
                let mut m = s.contents(*f, false).unwrap_or_default();
                m.extend(s.contents(*f, true).unwrap_or_default());
                m.into_iter().map(move |m| (*f, m))
            })
            .collect();
        (!all.is_empty()).then(|| all[i % all.len()])
    }

    /// Applies `op`; refusals (a deleted folder, a special folder) are part of the test: a
    /// failed write must leave the counters as they were.
    fn apply(&mut self, s: &MessageStore, op: &Op) {
        let flags =
            |unread: bool| TaggedValue::new(PR_MESSAGE_FLAGS, PropValue::I32(if unread { 0 } else { 1 }));
        match *op {
            Op::Save { folder, fai, unread } => {
                if let Ok(mut d) = s.create_message(self.folder(folder), fai) {
                    let size = TaggedValue::new(PR_BODY, PropValue::Unicode("x".repeat(folder * 10)));
                    s.set_properties(&mut d, &[flags(unread), size]).unwrap();
                    let _ = s.save_message(&mut d, false);
                }
            }
            Op::Resave { pick, unread } => {
                if let Some((f, m)) = self.message(s, pick) {
                    let mut d = s.open_message(f, m).unwrap();
                    s.set_properties(&mut d, &[flags(unread)]).unwrap();
                    let _ = s.save_message(&mut d, true);
                }
            }
            Op::Move { pick, to } | Op::Copy { pick, to } => {
                if let Some((f, m)) = self.message(s, pick) {
                    let _ = s.move_copy_messages(f, &[m], self.folder(to), matches!(op, Op::Copy { .. }));
                }
            }
            Op::Delete { pick, hard } => {
                if let Some((f, m)) = self.message(s, pick) {
                    let _ = s.delete_messages(f, &[m], hard);
                }
            }
            Op::ReadFlag { pick, clear } => {
                if let Some((_, m)) = self.message(s, pick) {
                    let _ = s.set_read_flag(m, if clear { RF_CLEAR_READ_FLAG } else { RF_DEFAULT });
                }
            }
            Op::ReadAll { folder, clear } => {
                let _ = s.set_read_flags(
                    self.folder(folder),
                    None,
                    if clear { RF_CLEAR_READ_FLAG } else { RF_DEFAULT },
                );
            }
            Op::Empty { folder, fai, hard } => {
                let _ = s.empty_folder(self.folder(folder), fai, hard);
            }
            Op::NewFolder { parent } => {
                let parent = self.folder(parent);
                self.named += 1;
                let name = format!("f{}", self.named);
                if let Ok((f, _)) = s.create_folder(parent, &name, None, None, FolderType::Generic, false) {
                    self.folders.push((f, parent));
                }
            }
            Op::DeleteFolder { folder, hard } => {
                let (f, parent) = self.folders[folder % self.folders.len()];
                let flags = DeleteFolderFlags { del_messages: true, del_folders: true, hard_delete: hard };
                let _ = s.delete_folder(parent, f, flags);
            }
            Op::CopyFolder { folder, to } => {
                let (f, parent) = self.folders[folder % self.folders.len()];
                let to = self.folder(to);
                self.named += 1;
                if let Ok(copy) = s.copy_folder(parent, f, to, &format!("c{}", self.named), true) {
                    self.folders.push((copy, to));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// After any sequence of saves, re-saves, moves, copies, soft and hard deletes, read-flag
    /// changes, FAI saves, folder empties, copies and deletes, the counters of every folder are
    /// its COUNT(*).
    #[test]
    fn counters_equal_count_after_any_writes(ops in prop::collection::vec(op(), 1..40)) {
        let (_t, dd) = site();
        let user = user_with_mailbox(&dd, "alice");
        let s = dd.open_mailbox(&user).unwrap();
        let root = s.special_folder(SpecialFolder::Root).unwrap();
        let ipm = s.special_folder(SpecialFolder::IpmSubtree).unwrap();
        let mut world = World { folders: vec![], named: 0 };
        for w in [SpecialFolder::Inbox, SpecialFolder::Drafts, SpecialFolder::DeletedItems] {
            world.folders.push((s.special_folder(w).unwrap(), if root == ipm { root } else { ipm }));
        }
        for op in &ops {
            world.apply(&s, op);
            assert_exact(&s);
        }
    }
}

/// Fills folder `f` with `n` messages written straight into SQLite (saving them one by one
/// would take minutes in a debug build); the counters' triggers see them like any insert.
fn fill(s: &MessageStore, f: ObjectId, n: i64, first_mid: i64) {
    s.lock().unwrap()
        .execute(
            "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?3) \
             INSERT INTO messages (mid, fid, associated, change_number, message_size, read, created, modified) \
             SELECT ?2 + i, ?1, 0, ?2 + i, 100, i % 2, i, i FROM k",
            params![f.global_counter as i64, first_mid, n],
        )
        .unwrap();
}

/// The SQLite VM steps `f` runs on the store's connection (statements and triggers alike).
fn steps<T>(s: &MessageStore, f: impl FnOnce() -> T) -> (u64, T) {
    let n = Arc::new(AtomicU64::new(0));
    let counter = n.clone();
    s.lock().unwrap().sqlite().unwrap().progress_handler(
        1,
        Some(move || {
            counter.fetch_add(1, Ordering::Relaxed);
            false
        }),
    );
    let value = f();
    s.lock().unwrap().sqlite().unwrap().progress_handler(1, None::<fn() -> bool>);
    (n.load(Ordering::Relaxed), value)
}

/// SQLite only: it counts SQLite VM steps.
///
/// A save into, a move and a hard delete out of, and a count of a 20,000-message folder cost
/// no more than 1.5× what they cost on a 200-message folder: the folder's counts are read from
/// its counters, not counted. (Counting the folder on every save made one save into a
/// 100,000-message folder cost ~60 ms.)
#[test]
fn a_save_into_a_big_folder_costs_what_a_save_into_a_small_one_costs() {
    let (_t, dd) = crate::tests::files_site();
    let user = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&user).unwrap();
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    let mk = |name: &str| s.create_folder(inbox, name, None, None, FolderType::Generic, false).unwrap().0;
    let (small, big, elsewhere) = (mk("small"), mk("big"), mk("elsewhere"));
    fill(&s, small, 200, 1 << 40);
    fill(&s, big, 20_000, 1 << 41);
    let save = |f: ObjectId| {
        let mut d = s.create_message(f, false).unwrap();
        let v = [TaggedValue::new(PR_SUBJECT, PropValue::Unicode("hello".into()))];
        s.set_properties(&mut d, &v).unwrap();
        s.save_message(&mut d, false).unwrap()
    };
    // Warm the statement cache once per folder kind.
    save(small);
    save(big);
    let cost = |f: ObjectId| {
        let (save_cost, m) = steps(&s, || save(f));
        let (move_cost, _) = steps(&s, || s.move_copy_messages(f, &[m], elsewhere, false).unwrap());
        s.move_copy_messages(elsewhere, &[m], f, false).unwrap();
        let (delete_cost, _) = steps(&s, || s.delete_messages(f, &[m], true).unwrap());
        let (count_cost, n) = steps(&s, || s.contents_count_in(f, false, false).unwrap());
        let (props_cost, _) = steps(&s, || s.folder_property(f, PR_CONTENT_UNREAD).unwrap());
        (
            n,
            [
                ("save", save_cost),
                ("move", move_cost),
                ("delete", delete_cost),
                ("count", count_cost),
                ("props", props_cost),
            ],
        )
    };
    let (n_small, small_costs) = cost(small);
    let (n_big, big_costs) = cost(big);
    assert_eq!((n_small, n_big), (201, 20_001));
    for ((what, a), (_, b)) in small_costs.iter().zip(big_costs.iter()) {
        assert!(*a > 0, "{what} was measured");
        assert!(*b * 2 <= *a * 3, "{what}: {b} steps in the big folder, {a} in the small one");
    }
}
