//! Migrations between real sites: SQLite files and a PostgreSQL server (`OXMAPI_TEST_DATABASE`;
//! the PostgreSQL tests are skipped with a printed reason without it).

use std::collections::BTreeMap;
use std::path::Path;

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::recipient_type as rt;
use oxmapi_core::named::PropertyName;
use oxmapi_core::restriction::{FL_SUBSTRING, Restriction};
use oxmapi_core::value::{PropValue, TaggedValue};

use super::{Options, Quiet, migrate};
use crate::db::pg::testing::{TestDatabase, test_server};
use crate::mailbox::delivery::Originator;
use crate::mailbox::{FolderType, SpecialFolder};
use crate::settings::MailboxLimits;
use crate::tests::new_user;
use crate::{RecipientRow, Site};

fn text(tag: oxmapi_core::tag::PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

/// A site of files with a bit of everything: users, grants (full access, Send As, Send on
/// Behalf), a user's quotas, settings, three mailboxes with a
/// moved folder tree, messages with recipients, a 100 kB attachment (a blob), an embedded
/// message, named properties, a search folder, a queued submission, and the public store.
fn rich_site(root: &Path) -> Site {
    use crate::mailbox::permissions::{Member, PermissionChange};
    let site = Site::open(root).unwrap();
    let alice = site.add_user(&new_user("alice")).unwrap();
    let bob = site.add_user(&new_user("bob")).unwrap();
    site.add_user(&new_user("carol")).unwrap();
    let dir = site.directory().unwrap();
    dir.grant_full_access("alice", "bob").unwrap();
    dir.grant("alice", "carol", crate::directory::Access::SendOnBehalf).unwrap();
    dir.grant("bob", "alice", crate::directory::Access::SendAs).unwrap();
    use crate::directory::quotas::Quota;
    dir.set_quotas("carol", Some(Quota::Kb(1024)), Some(Quota::Unlimited), None).unwrap();
    dir.set_setting(crate::settings::ORGANIZATION, "Migrated Org").unwrap();
    site.set_public_folders(true).unwrap();
    for (u, n) in [(&alice, 12), (&bob, 3)] {
        let s = site.open_mailbox(u).unwrap();
        let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
        // A folder created late and moved above an older one: parents are not always older.
        let a = s.create_folder(inbox, "a", None, None, FolderType::Generic, false).unwrap().0;
        let b = s.create_folder(inbox, "b", None, None, FolderType::Generic, false).unwrap().0;
        s.move_folder(inbox, a, b, "a").unwrap();
        // Folder permission lists (schema v8 / store step 4): a user entry and Default.
        let other = if u.id == alice.id { bob.mailbox_guid } else { alice.mailbox_guid };
        let changes =
            [PermissionChange::Add(Member::User(other), 0x0C01), PermissionChange::Modify(0, 0x0400)];
        s.modify_permissions(inbox, false, true, &changes).unwrap();
        for i in 0..n {
            let fid = if i % 2 == 0 { inbox } else { a };
            let mut d = s.create_message(fid, false).unwrap();
            s.set_properties(&mut d, &[text(PR_SUBJECT, &format!("report {i}")), text(PR_BODY, "body")])
                .unwrap();
            s.modify_recipients(
                &mut d,
                vec![RecipientRow {
                    row_id: 0,
                    recipient_type: rt::MAPI_TO,
                    props: vec![text(PR_DISPLAY_NAME, "Bob"), text(PR_EMAIL_ADDRESS, "bob@example.test")],
                }],
            )
            .unwrap();
            if i == 0 {
                let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
                let mut att = s.create_attachment(&mut d).unwrap();
                s.set_properties(&mut att, &[TaggedValue::new(PR_ATTACH_DATA_BIN, PropValue::Binary(big))])
                    .unwrap();
                s.save_attachment(&mut d, &mut att).unwrap();
                let mut e = s.create_attachment(&mut d).unwrap();
                s.set_properties(&mut e, &[TaggedValue::new(PR_ATTACH_METHOD, PropValue::I32(5))]).unwrap();
                let mut inner = s.open_embedded(&mut e, true).unwrap();
                s.set_properties(&mut inner, &[text(PR_SUBJECT, "forwarded")]).unwrap();
                let mut inner_att = s.create_attachment(&mut inner).unwrap();
                s.set_properties(&mut inner_att, &[text(PR_DISPLAY_NAME, "nested")]).unwrap();
                s.save_attachment(&mut inner, &mut inner_att).unwrap();
                s.save_embedded(&mut e, &mut inner).unwrap();
                s.save_attachment(&mut d, &mut e).unwrap();
            }
            s.save_message(&mut d, false).unwrap();
        }
        let names = [PropertyName::string(oxmapi_core::guid::Guid::new_random(), "x-migrated")];
        assert_ne!(s.ids_from_names(&names, true).unwrap()[0], 0);
        let finder = s.create_folder(inbox, "finder", None, None, FolderType::Search, false).unwrap().0;
        let r = Restriction::Content {
            fuzzy_level_low: FL_SUBSTRING,
            fuzzy_level_high: 0,
            prop_tag: PR_SUBJECT,
            value: text(PR_SUBJECT, "report"),
        };
        s.set_search_criteria(finder, Some(&r), &[inbox], 0x0000_0002 | 0x0000_0010).unwrap().unwrap();
    }
    // A submission left in the queue.
    let s = site.open_mailbox(&alice).unwrap();
    let mut d = s.create_message(s.special_folder(SpecialFolder::Outbox).unwrap(), false).unwrap();
    s.set_properties(&mut d, &[text(PR_SUBJECT, "queued")]).unwrap();
    s.modify_recipients(
        &mut d,
        vec![RecipientRow {
            row_id: 0,
            recipient_type: rt::MAPI_TO,
            props: vec![
                text(PR_DISPLAY_NAME, "Bob"),
                text(PR_ADDRTYPE, "EX"),
                text(PR_EMAIL_ADDRESS, &bob.legacy_dn),
            ],
        }],
    )
    .unwrap();
    s.submit_message(&mut d, 0, &Originator::from(&alice), &MailboxLimits::UNLIMITED).unwrap().unwrap();
    let public = site.open_public().unwrap().unwrap();
    let root = public.logon_folder_ids()[0];
    public.create_folder(root, "shared", None, None, FolderType::Generic, false).unwrap();
    site
}

/// Every row of every table of a files site, by file and table, in a canonical order. Left
/// out: sessions, the migration's own table, and `sqlite_sequence`, whose submission mark a
/// database keeps for the whole site (so after a round trip every file has the site's mark,
/// never less than its own: [`submission_mark`]).
fn dump(root: &Path) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut files = vec![root.join("directory.sqlite"), root.join("public.sqlite")];
    for e in std::fs::read_dir(root.join("mailboxes")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "sqlite")
            && !p.file_name().unwrap().to_str().unwrap().starts_with('.')
        {
            files.push(p);
        }
    }
    for f in files {
        let c = rusqlite::Connection::open(&f).unwrap();
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for t in tables {
            if ["sessions", "migrate_progress", "sqlite_sequence"].contains(&t.as_str()) {
                continue;
            }
            let mut st = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = st.column_count();
            let mut rows: Vec<String> = st
                .query_map([], |r| {
                    Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            out.insert(format!("{}:{t}", f.file_name().unwrap().to_str().unwrap()), rows);
        }
    }
    out
}

/// The largest submission id a mailbox file has ever given.
fn submission_mark(site: &Site, user: &crate::User) -> i64 {
    let c = rusqlite::Connection::open(site.mailbox_path(&user.mailbox_guid).unwrap()).unwrap();
    c.query_row("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'submissions'", [], |r| {
        r.get(0)
    })
    .unwrap()
}

/// Asserts two dumps are equal, naming the first table that differs and its differing rows.
fn assert_same(a: &BTreeMap<String, Vec<String>>, b: &BTreeMap<String, Vec<String>>) {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        let (x, y) = (a.get(k).cloned().unwrap_or_default(), b.get(k).cloned().unwrap_or_default());
        if x != y {
            let only_a: Vec<&String> = x.iter().filter(|r| !y.contains(r)).collect();
            let only_b: Vec<&String> = y.iter().filter(|r| !x.contains(r)).collect();
            let cut = |v: Vec<&String>| {
                v.iter().map(|r| r.chars().take(300).collect::<String>()).collect::<Vec<_>>()
            };
            panic!("{k} differs: only before {:?}, only after {:?}", cut(only_a), cut(only_b));
        }
    }
}

#[test]
fn a_site_goes_to_postgresql_and_back_with_every_row_equal() {
    let Some(server) = test_server() else { return };
    let t = tempfile::tempdir().unwrap();
    let files = rich_site(&t.path().join("a"));
    let db = TestDatabase::create(&server).unwrap();
    let pg = Site::connect(&db.url()).unwrap();
    let there = migrate(&files, &pg, &Options::default(), &mut Quiet).unwrap();
    assert_eq!(there.mailboxes.len(), 4, "three users and the public store");
    assert!(there.tables["mailbox.blob_chunks"] >= 2, "{:?}", there.tables);
    assert_eq!(there.tables["directory.users"], 3);
    assert!(there.tables["mailbox.submissions"] == 1 && there.tables["mailbox.search_folders"] == 2);

    // The database serves the moved mailbox: same ids, the attachment's bytes.
    let dir = pg.directory().unwrap();
    let alice = dir.require_user("alice").unwrap();
    let before = files.open_mailbox(&alice).unwrap();
    let after = pg.open_mailbox(&alice).unwrap();
    let inbox = after.special_folder(SpecialFolder::Inbox).unwrap();
    assert_eq!(before.special_folder(SpecialFolder::Inbox), Some(inbox));
    assert_eq!(before.contents(inbox, false).unwrap(), after.contents(inbox, false).unwrap());
    let first = after.contents(inbox, false).unwrap()[0];
    let m = after.open_message(inbox, first).unwrap();
    let a0 = after.open_attachment(&m, m.attachment_numbers()[0]).unwrap();
    let v = after.get_properties_specific(&a0, &[PR_ATTACH_DATA_BIN], usize::MAX).unwrap();
    assert_eq!(v[0].value, PropValue::Binary((0..100_000u32).map(|i| (i % 251) as u8).collect()));
    assert_eq!(after.pending_submissions().unwrap().len(), 1);
    drop((before, after, dir));

    // … and back into a new data directory: every table's rows equal the original's.
    let back = Site::open(&t.path().join("b")).unwrap();
    let home = migrate(&pg, &back, &Options::default(), &mut Quiet).unwrap();
    assert_eq!(home.tables, there.tables);
    assert_same(&dump(&t.path().join("a")), &dump(&t.path().join("b")));
    let alice = back.directory().unwrap().require_user("alice").unwrap();
    assert_eq!((submission_mark(&files, &alice), submission_mark(&back, &alice)), (1, 1));
}

#[test]
fn an_interrupted_migration_resumes_and_ends_with_verified_counts() {
    let Some(server) = test_server() else { return };
    let t = tempfile::tempdir().unwrap();
    let files = rich_site(&t.path().join("a"));
    let db = TestDatabase::create(&server).unwrap();
    let pg = Site::connect(&db.url()).unwrap();
    let stop = Options { fail_after_mailboxes: Some(2) };
    let e = migrate(&files, &pg, &stop, &mut Quiet).unwrap_err();
    assert!(e.to_string().contains("test hook"), "{e}");
    let again = migrate(&files, &pg, &Options::default(), &mut Quiet).unwrap();
    let copied: Vec<bool> = again.mailboxes.iter().map(|m| m.copied).collect();
    assert_eq!(copied.iter().filter(|c| !**c).count(), 2, "two were done before: {copied:?}");
    assert_eq!(again.tables["directory.users"], 3);
    // A third run copies nothing and still checks every count.
    let third = migrate(&files, &pg, &Options::default(), &mut Quiet).unwrap();
    assert!(third.mailboxes.iter().all(|m| !m.copied));
    assert_eq!(third.tables, again.tables);

    // Files targets resume too (the scratch file of the stopped mailbox is thrown away).
    let back = Site::open(&t.path().join("b")).unwrap();
    migrate(&pg, &back, &stop, &mut Quiet).unwrap_err();
    migrate(&pg, &back, &Options::default(), &mut Quiet).unwrap();
    assert_same(&dump(&t.path().join("a")), &dump(&t.path().join("b")));
}

#[test]
fn a_target_holding_another_sites_data_is_refused() {
    let Some(server) = test_server() else { return };
    let t = tempfile::tempdir().unwrap();
    let files = rich_site(&t.path().join("a"));
    // A database with a site of its own.
    let db = TestDatabase::create(&server).unwrap();
    let pg = Site::connect(&db.url()).unwrap();
    pg.add_user(&new_user("mallory")).unwrap();
    let e = migrate(&files, &pg, &Options::default(), &mut Quiet).unwrap_err();
    assert!(matches!(e, crate::StoreError::Collision(_)), "MAPI_E_COLLISION: {e}");
    assert!(e.to_string().contains("already holds a site"), "{e}");
    // A database holding (part of) a migration from another site.
    let db2 = TestDatabase::create(&server).unwrap();
    let pg2 = Site::connect(&db2.url()).unwrap();
    migrate(&files, &pg2, &Options { fail_after_mailboxes: Some(1) }, &mut Quiet).unwrap_err();
    let other = rich_site(&t.path().join("other"));
    let e = migrate(&other, &pg2, &Options::default(), &mut Quiet).unwrap_err();
    assert!(e.to_string().contains("another site"), "{e}");
    // A files target with users of its own.
    let mine = Site::open(&t.path().join("mine")).unwrap();
    mine.add_user(&new_user("mallory")).unwrap();
    assert!(migrate(&pg2, &mine, &Options::default(), &mut Quiet).is_err());
}

#[test]
fn a_source_a_server_has_open_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let files = Site::open(&t.path().join("a")).unwrap();
    files.add_user(&new_user("alice")).unwrap();
    let target = Site::open(&t.path().join("b")).unwrap();
    // What a running server does: keep the directory open.
    let held = files.directory().unwrap();
    let e = migrate(&files, &target, &Options::default(), &mut Quiet).unwrap_err();
    assert!(
        matches!(e, crate::StoreError::Collision(_)) && e.to_string().contains("stop every `oxmapi serve`"),
        "{e}"
    );
    drop(held);
    // Stopped: the copy goes through (files to files works too).
    let s = migrate(&files, &target, &Options::default(), &mut Quiet).unwrap();
    assert_eq!(s.tables["directory.users"], 1);
}

/// Throughput on a generated site (run by hand: `cargo test -p oxmapi-store --release --lib
/// migrate::tests::throughput -- --ignored --nocapture`): 3 mailboxes of 2000 messages each
/// (a 2 kB body, every 20th with a 300 kB attachment), into PostgreSQL and back.
#[test]
#[ignore]
fn throughput_of_a_generated_site() {
    let Some(server) = test_server() else { return };
    let t = tempfile::tempdir().unwrap();
    let files = Site::open(&t.path().join("a")).unwrap();
    let body = "x".repeat(2000);
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    for name in ["u1", "u2", "u3"] {
        let u = files.add_user(&new_user(name)).unwrap();
        let s = files.open_mailbox(&u).unwrap();
        let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
        for i in 0..2000 {
            let mut d = s.create_message(inbox, false).unwrap();
            s.set_properties(&mut d, &[text(PR_SUBJECT, &format!("message {i}")), text(PR_BODY, &body)])
                .unwrap();
            if i % 20 == 0 {
                let mut a = s.create_attachment(&mut d).unwrap();
                s.set_properties(
                    &mut a,
                    &[TaggedValue::new(PR_ATTACH_DATA_BIN, PropValue::Binary(big.clone()))],
                )
                .unwrap();
                s.save_attachment(&mut d, &mut a).unwrap();
            }
            s.save_message(&mut d, false).unwrap();
        }
    }
    let db = TestDatabase::create(&server).unwrap();
    let pg = Site::connect(&db.url()).unwrap();
    let report = |dir: &str, s: &super::Summary| {
        println!(
            "{dir}: {} rows, {:.1} MB in {:.2} s: {:.0} rows/s, {:.1} MB/s",
            s.copied.rows,
            s.copied.bytes as f64 / 1e6,
            s.seconds,
            s.copied.rows as f64 / s.seconds,
            s.copied.bytes as f64 / 1e6 / s.seconds
        )
    };
    report("SQLite -> PostgreSQL", &migrate(&files, &pg, &Options::default(), &mut Quiet).unwrap());
    let back = Site::open(&t.path().join("b")).unwrap();
    report("PostgreSQL -> SQLite", &migrate(&pg, &back, &Options::default(), &mut Quiet).unwrap());
}

/// Records the largest page written.
struct LargestPage(u64);
impl super::Progress for LargestPage {
    fn rows(&mut self, t: super::Tally) {
        self.0 = self.0.max(t.bytes);
    }
}

#[test]
fn a_25_mb_attachment_is_copied_a_few_megabytes_at_a_time() {
    let t = tempfile::tempdir().unwrap();
    let files = Site::open(&t.path().join("a")).unwrap();
    let u = files.add_user(&new_user("alice")).unwrap();
    let s = files.open_mailbox(&u).unwrap();
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    let big: Vec<u8> = (0..25_000_000u32).map(|i| (i % 241) as u8).collect();
    let mut d = s.create_message(inbox, false).unwrap();
    let mut a = s.create_attachment(&mut d).unwrap();
    s.set_properties(&mut a, &[TaggedValue::new(PR_ATTACH_DATA_BIN, PropValue::Binary(big.clone()))])
        .unwrap();
    s.save_attachment(&mut d, &mut a).unwrap();
    let mid = s.save_message(&mut d, false).unwrap();
    drop(s);
    let target = Site::open(&t.path().join("b")).unwrap();
    let mut largest = LargestPage(0);
    let summary = migrate(&files, &target, &Options::default(), &mut largest).unwrap();
    assert!(summary.copied.bytes > 25_000_000);
    // A page holds at most PAGE_BYTES and one row more (a chunk is 64 KiB).
    assert!(largest.0 <= (super::PAGE_BYTES + 65_536) as u64, "a page of {} bytes", largest.0);
    let s = target.open_mailbox(&u).unwrap();
    let m = s.open_message(inbox, mid).unwrap();
    let a = s.open_attachment(&m, m.attachment_numbers()[0]).unwrap();
    let v = s.get_properties_specific(&a, &[PR_ATTACH_DATA_BIN], usize::MAX).unwrap();
    assert_eq!(v[0].value, PropValue::Binary(big));
}
