//! The address book provider (EMS_DSA) against the real server on 127.0.0.1: the GAL contents
//! table (columns, paging across many calls, seeks, restrictions), name resolution, OpenEntry,
//! resolved recipients saved on a message, independence from the store logon, lost and expired
//! NSPI contexts, directory changes while the server runs, and logoff.

use std::time::Duration;

use oxmapi_client::ab::DEFAULT_COLUMNS;
use oxmapi_client::profile::ProfileStore;
use oxmapi_client::session::{LogonOptions, Mapi, ProviderState, Session};
use oxmapi_client::store::{Entry, OpenMode, RecipientType, Row, SaveFlags, SeekOrigin};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::entryid::{AbEphemeralEntryId, AbPermanentEntryId, EntryId};
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::restriction::{FL_IGNORECASE, FL_PREFIX, RelOp, Restriction};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_core::{ErrorCode, MapiError};
use oxmapi_server::{Server, ServerConfig, ServerState};
use oxmapi_store::{NewUser, Site};
use oxmapi_wire::cdata::RowValue;

const PW: &str = "Secret-1";
/// A client version the server refuses at Connect when it has no public folders.
const OLD_CLIENT: &str = "6.5.8353.0";
/// (account, display name, SMTP address, hidden) of the named users besides alice.
const NAMED: &[(&str, &str, &str, bool)] = &[
    ("bob", "Bob Baker", "bob@example.org", false),
    ("bobby", "Bobby Tables", "bobby@example.org", false),
    ("carol", "carol Chen", "carol.chen@example.org", false),
    ("zoe", "Zoë Zimmer", "zoe@example.org", false),
    ("auditor", "Hidden Auditor", "auditor@example.org", true),
];

struct Env {
    rt: tokio::runtime::Runtime,
    server: Option<Server>,
    data: Site,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    mapi: Mapi,
}

/// Display names of the bulk users: distinct numbers in scrambled order, `member`/`Member`
/// alternating so that a case-sensitive sort would differ.
fn member_name(i: usize) -> String {
    format!("{} {:04}", if i % 2 == 0 { "member" } else { "Member" }, i * 7919 % 1200)
}

impl Env {
    /// alice (with a mailbox), the named users and `members` bulk users (without mailboxes).
    fn new(members: usize) -> Env {
        let srv = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let data = oxmapi_store::test_site(srv.path());
        let user = |name: &str, display: String, email: Option<String>, hidden: bool| NewUser {
            name: name.into(),
            password: PW.into(),
            display_name: Some(display),
            email,
            hidden,
            ..Default::default()
        };
        data.add_user(&user("alice", "Alice Archer".into(), Some("alice@example.org".into()), false))
            .unwrap();
        let mut bulk: Vec<NewUser> =
            NAMED.iter().map(|&(n, d, e, h)| user(n, d.into(), Some(e.into()), h)).collect();
        bulk.extend((0..members).map(|i| user(&format!("m{i:04}"), member_name(i), None, false)));
        data.directory().unwrap().add_users_bulk_without_mailboxes(&bulk).unwrap();
        let mut cfg = ServerConfig::new(srv.path().to_path_buf(), "127.0.0.1:0".parse().unwrap());
        cfg.reap_interval = Duration::from_millis(100);
        let server = rt.block_on(Server::start_site(cfg, Some(data.clone()))).unwrap();
        let profiles = ProfileStore::open(home.path()).unwrap();
        profiles
            .create_with("a", |p| p.add_msems_service(Some(&server.url()), Some("alice")).map(|_| ()))
            .unwrap();
        Env { rt, server: Some(server), data, _dirs: (srv, home), mapi: Mapi::with_profiles(profiles) }
    }

    fn logon(&self, client_version: Option<&str>) -> Session {
        let o = LogonOptions { password: Some(PW.into()), client_version: client_version.map(Into::into) };
        self.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED | MAPI_NEW_SESSION, &o).unwrap()
    }

    fn state(&self) -> &ServerState {
        &self.server.as_ref().unwrap().state
    }

    fn dn(&self, name: &str) -> String {
        self.data.directory().unwrap().user(name).unwrap().unwrap().legacy_dn
    }

    /// The visible users' display names in the order the GAL must show them: display name
    /// ignoring case, then account.
    fn expected_order(&self) -> Vec<String> {
        let mut users: Vec<_> = self.data.directory().unwrap().users().unwrap();
        users.retain(|u| !u.hidden);
        users.sort_by_key(|u| (u.display_name.to_lowercase(), u.name.clone()));
        users.into_iter().map(|u| u.display_name).collect()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(s) = self.server.take() {
            self.rt.block_on(s.stop());
        }
    }
}

fn text(v: Option<&PropValue>) -> &str {
    match v {
        Some(PropValue::Unicode(s)) => s,
        other => panic!("not a string: {other:?}"),
    }
}

fn names(rows: &[Row]) -> Vec<String> {
    rows.iter().map(|r| text(r.get(PR_DISPLAY_NAME)).to_string()).collect()
}

fn err<T>(r: Result<T, MapiError>) -> MapiError {
    r.err().expect("the call should fail")
}

fn code<T>(r: Result<T, MapiError>) -> ErrorCode {
    err(r).code
}

fn anr(name: &str) -> Restriction {
    let value = TaggedValue { tag: PR_ANR, value: PropValue::Unicode(name.into()) };
    Restriction::Property { relop: RelOp::Eq, prop_tag: PR_ANR, value }
}

fn display_name_prefix(prefix: &str) -> Restriction {
    Restriction::Content {
        fuzzy_level_low: FL_PREFIX,
        fuzzy_level_high: FL_IGNORECASE,
        prop_tag: PR_DISPLAY_NAME,
        value: TaggedValue { tag: PR_DISPLAY_NAME, value: PropValue::Unicode(prefix.into()) },
    }
}

fn permanent(dn: &str) -> Vec<u8> {
    EntryId::AbPermanent(AbPermanentEntryId { flags: 0, version: 1, display_type: 0, dn: dn.into() })
        .to_bytes()
}

fn ephemeral(server_guid: Guid, mid: u32) -> Vec<u8> {
    EntryId::AbEphemeral(AbEphemeralEntryId { flags: 0x87, server_guid, version: 1, display_type: 0, mid })
        .to_bytes()
}

fn search_key(dn: &str) -> PropValue {
    PropValue::Binary(format!("EX:{dn}\0").to_ascii_uppercase().into_bytes())
}

fn binary(v: Option<&PropValue>) -> Vec<u8> {
    match v {
        Some(PropValue::Binary(b)) => b.clone(),
        other => panic!("not binary: {other:?}"),
    }
}

/// The value of `tag` (matched by property id) in a property list.
fn prop(props: &[TaggedValue], tag: PropTag) -> Option<&PropValue> {
    props.iter().find(|p| p.tag.id() == tag.id()).map(|p| &p.value)
}

/// A store object's PR_ENTRYID from its GetProps cells.
fn entry_id(cells: Vec<RowValue>) -> Vec<u8> {
    match cells.into_iter().next() {
        Some(RowValue::Value(PropValue::Binary(b))) => b,
        other => panic!("{other:?}"),
    }
}

fn provider_state(s: &Session, provider: &str) -> ProviderState {
    s.status_table().into_iter().find(|r| r.provider_name == provider).unwrap().state
}

#[test]
fn gal_contents_table_pages_and_seeks_in_display_name_order() {
    let env = Env::new(1200);
    let expected = env.expected_order();
    assert_eq!(expected.len(), 1205, "1200 members, alice and four named users; the hidden one is left out");
    let n = expected.len() as i32;
    let s = env.logon(None);
    let gal = s.open_address_book().unwrap().gal();
    assert_eq!(gal.container_id(), 0);
    let mut t = gal.contents_table().unwrap();
    assert_eq!(t.columns(), DEFAULT_COLUMNS);
    assert_eq!(t.row_count().unwrap(), 1205);

    // The first row with the default columns: alice.
    let first = t.query_rows(1).unwrap().remove(0);
    let dn = env.dn("alice");
    assert_eq!(text(first.get(PR_DISPLAY_NAME)), "Alice Archer");
    assert_eq!(text(first.get(PR_SMTP_ADDRESS)), "alice@example.org");
    assert_eq!(text(first.get(PR_ACCOUNT)), "alice");
    assert_eq!(text(first.get(PR_EMAIL_ADDRESS)), dn);
    assert_eq!(text(first.get(PR_ADDRTYPE)), "EX");
    assert_eq!(first.get(PR_DISPLAY_TYPE), Some(&PropValue::I32(0)));
    assert_eq!(first.get(PR_OBJECT_TYPE), Some(&PropValue::I32(6)));
    assert_eq!(binary(first.get(PR_ENTRYID)), permanent(&dn));
    assert_eq!(binary(first.get(PR_INSTANCE_KEY)).len(), 4);

    // Paging from the beginning in many calls: every visible user once, in order.
    assert_eq!(t.seek_row(SeekOrigin::Beginning, 0).unwrap(), 0);
    let mut seen = Vec::new();
    let mut calls = 0;
    loop {
        let page = t.query_rows(97).unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() == 97 || seen.len() + page.len() == expected.len(), "short page mid-table");
        seen.extend(names(&page));
        calls += 1;
    }
    assert_eq!(calls, 13);
    assert_eq!(seen, expected);
    assert!(!seen.iter().any(|n| n == "Hidden Auditor"));
    assert_eq!(&seen[..4], ["Alice Archer", "Bob Baker", "Bobby Tables", "carol Chen"]);
    assert_eq!(seen.last().unwrap(), "Zoë Zimmer");
    assert!(t.query_rows(10).unwrap().is_empty(), "still at the end");

    // Other columns, a multi-valued one and one the directory lacks.
    let cols = [PR_ACCOUNT, PR_DISPLAY_NAME, PR_EMS_AB_PROXY_ADDRESSES, PR_TITLE];
    t.set_columns(&cols).unwrap();
    assert_eq!(code(t.set_columns(&[])), codes::MAPI_E_INVALID_PARAMETER);
    assert_eq!(t.seek_row(SeekOrigin::Beginning, 0).unwrap(), 0);
    let r = t.query_rows(1).unwrap().remove(0);
    assert_eq!(r.columns.iter().map(|c| c.id()).collect::<Vec<_>>(), cols.map(|c| c.id()));
    assert_eq!(text(r.get(PR_ACCOUNT)), "alice");
    assert_eq!(
        r.get(PR_EMS_AB_PROXY_ADDRESSES),
        Some(&PropValue::MvUnicode(vec!["SMTP:alice@example.org".into()]))
    );
    assert_eq!(r.get(PR_TITLE), None);
    assert!(matches!(r.values[3], RowValue::Error { .. } | RowValue::NotFound { .. }), "{:?}", r.values[3]);

    // SeekRow returns the rows moved, clipped at both ends.
    let one = |t: &mut oxmapi_client::ab::AbTable| names(&t.query_rows(1).unwrap());
    assert_eq!(t.seek_row(SeekOrigin::Beginning, 10).unwrap(), 10);
    assert_eq!(one(&mut t), [expected[10].clone()]);
    assert_eq!(t.seek_row(SeekOrigin::Current, -5).unwrap(), -5);
    assert_eq!(one(&mut t), [expected[6].clone()]);
    assert_eq!(t.seek_row(SeekOrigin::End, -3).unwrap(), -3);
    assert_eq!(names(&t.query_rows(10).unwrap()), expected[expected.len() - 3..]);
    assert_eq!(t.seek_row(SeekOrigin::Current, 5).unwrap(), 0, "already at the end");
    assert_eq!(t.seek_row(SeekOrigin::Beginning, -4).unwrap(), 0);
    assert_eq!(t.seek_row(SeekOrigin::Current, 5000).unwrap(), n);
    assert_eq!(t.seek_row(SeekOrigin::End, 7).unwrap(), 0);
    assert_eq!(t.seek_row(SeekOrigin::Current, -5000).unwrap(), -n);
    assert_eq!(one(&mut t), [expected[0].clone()]);

    // SeekRowApprox.
    t.seek_row_approx(1, 2).unwrap();
    assert_eq!(one(&mut t), [expected[602].clone()]);
    t.seek_row_approx(1, 1).unwrap();
    assert!(t.query_rows(1).unwrap().is_empty());
    assert_eq!(code(t.seek_row_approx(3, 2)), codes::MAPI_E_INVALID_PARAMETER);
    assert_eq!(code(t.seek_row_approx(0, 0)), codes::MAPI_E_INVALID_PARAMETER);

    // The "type a name" box.
    assert!(t.seek_display_name("Bo").unwrap());
    assert_eq!(names(&t.query_rows(2).unwrap()), ["Bob Baker", "Bobby Tables"]);
    assert!(t.seek_display_name("BOBBY").unwrap());
    assert_eq!(one(&mut t), ["Bobby Tables"]);
    assert!(t.seek_display_name("member 0600").unwrap());
    assert_eq!(one(&mut t)[0].to_lowercase(), "member 0600");
    assert_eq!(t.seek_row(SeekOrigin::Current, -1).unwrap(), -1, "SeekRow continues from there");
    assert_eq!(one(&mut t)[0].to_lowercase(), "member 0600");
    assert!(!t.seek_display_name("zzz").unwrap(), "nothing sorts at or after it");
    assert!(t.query_rows(1).unwrap().is_empty(), "positioned at the end");
    assert_eq!(t.seek_row(SeekOrigin::Current, -1).unwrap(), -1);
    assert_eq!(one(&mut t), ["Zoë Zimmer"]);

    t.sort_by_display_name(false).unwrap();
    assert_eq!(code(t.sort_by_display_name(true)), codes::MAPI_E_TOO_COMPLEX);
}

#[test]
fn restrictions_page_seek_and_count_inside_the_matches() {
    let env = Env::new(1200);
    let expected = env.expected_order();
    let s = env.logon(None);
    let mut t = s.open_address_book().unwrap().gal().contents_table().unwrap();

    // PR_ANR: ambiguous name resolution, prefix and case-insensitive.
    t.restrict(Some(anr("MEMBER 00"))).unwrap();
    let want: Vec<String> =
        expected.iter().filter(|n| n.to_lowercase().starts_with("member 00")).cloned().collect();
    assert_eq!(want.len(), 100);
    assert_eq!(t.row_count().unwrap(), 100);
    let mut seen = Vec::new();
    for size in [30, 30, 30, 10] {
        let page = t.query_rows(30).unwrap();
        assert_eq!(page.len(), size);
        seen.extend(names(&page));
    }
    assert!(t.query_rows(30).unwrap().is_empty());
    assert_eq!(seen, want);
    assert_eq!(t.seek_row(SeekOrigin::End, -5).unwrap(), -5);
    assert_eq!(names(&t.query_rows(50).unwrap()), want[95..]);
    assert_eq!(t.seek_row(SeekOrigin::Beginning, -1).unwrap(), 0);
    assert_eq!(t.seek_row(SeekOrigin::Current, 40).unwrap(), 40);
    assert_eq!(t.seek_row(SeekOrigin::Current, -50).unwrap(), -40);
    assert_eq!(t.seek_row(SeekOrigin::Beginning, 250).unwrap(), 100);
    t.seek_row_approx(1, 4).unwrap();
    assert_eq!(names(&t.query_rows(1).unwrap()), [want[25].clone()]);
    assert!(t.seek_display_name("member 0050").unwrap());
    assert_eq!(names(&t.query_rows(2).unwrap()), want[50..52]);
    assert!(!t.seek_display_name("member 01").unwrap(), "past the last match");
    assert!(t.query_rows(5).unwrap().is_empty());

    // ANR also matches the account, the SMTP address and the words of the display name.
    t.restrict(Some(anr("bob"))).unwrap();
    assert_eq!(names(&t.query_rows(10).unwrap()), ["Bob Baker", "Bobby Tables"]);
    t.restrict(Some(anr("chen"))).unwrap();
    assert_eq!(names(&t.query_rows(10).unwrap()), ["carol Chen"]);
    t.restrict(Some(anr("Hidden"))).unwrap();
    assert_eq!(t.row_count().unwrap(), 0, "hidden users are not in the table");

    // A content restriction (prefix, ignoring case) on PR_DISPLAY_NAME.
    t.restrict(Some(display_name_prefix("BO"))).unwrap();
    assert_eq!(t.row_count().unwrap(), 2);
    assert_eq!(t.seek_row(SeekOrigin::Current, 1).unwrap(), 1);
    assert_eq!(names(&t.query_rows(5).unwrap()), ["Bobby Tables"]);
    assert!(t.seek_display_name("a").unwrap());
    assert_eq!(names(&t.query_rows(5).unwrap()), ["Bob Baker", "Bobby Tables"]);

    // No restriction: the whole GAL again, from the beginning.
    t.restrict(None).unwrap();
    assert_eq!(t.row_count().unwrap(), expected.len() as u32);
    assert_eq!(names(&t.query_rows(3).unwrap()), expected[..3]);
}

#[test]
fn resolve_names_finds_one_entry_reports_ambiguity_and_makes_one_offs() {
    let env = Env::new(20);
    let s = env.logon(None);
    let ab = s.open_address_book().unwrap();
    let bob_dn = env.dn("bob");

    let alice = ab.resolve_name("Alic", false).unwrap();
    assert_eq!(alice.text(PR_DISPLAY_NAME), "Alice Archer");
    assert!(!alice.is_one_off() && alice.mid.is_some());
    assert_eq!(ab.resolve_name("bobby@example.org", false).unwrap().text(PR_DISPLAY_NAME), "Bobby Tables");
    assert_eq!(ab.resolve_name("SMTP:carol.chen@example.org", false).unwrap().text(PR_ACCOUNT), "carol");
    let bob = ab.resolve_name("bob", false).unwrap();
    assert_eq!(bob.text(PR_DISPLAY_NAME), "Bob Baker", "an exact account wins over prefixes");
    assert_eq!(bob.text(PR_EMAIL_ADDRESS), bob_dn);

    let e = err(ab.resolve_name("Bo", false));
    assert_eq!(e.code, codes::MAPI_E_AMBIGUOUS_RECIP);
    assert!(e.message.contains("Bob Baker <bob@example.org>"), "{e}");
    assert!(e.message.contains("Bobby Tables <bobby@example.org>"), "{e}");
    let e = err(ab.resolve_name("member", false));
    assert_eq!(e.code, codes::MAPI_E_AMBIGUOUS_RECIP);
    assert!(e.message.contains("and 10 more"), "20 candidates, 10 named: {e}");
    assert_eq!(code(ab.resolve_name("Nobody Here", false)), codes::MAPI_E_NOT_FOUND);
    assert_eq!(code(ab.resolve_name("Hidden Auditor", false)), codes::MAPI_E_NOT_FOUND);
    assert_eq!(code(ab.resolve_name("auditor", true)), codes::MAPI_E_NOT_FOUND);

    // One-offs.
    let x = ab.resolve_name("[SMTP:x@y.org]", false).unwrap();
    assert!(x.is_one_off());
    assert_eq!((x.text(PR_ADDRTYPE), x.text(PR_EMAIL_ADDRESS)), ("SMTP", "x@y.org"));
    assert!(
        matches!(EntryId::parse(&binary(x.get(PR_ENTRYID))).unwrap(), EntryId::OneOff(o) if o.email_address == "x@y.org")
    );
    let ext = ab.resolve_name("bob@elsewhere.org", true).unwrap();
    assert!(ext.is_one_off());
    assert_eq!(ext.text(PR_SMTP_ADDRESS), "bob@elsewhere.org");
    assert_eq!(code(ab.resolve_name("bob@elsewhere.org", false)), codes::MAPI_E_NOT_FOUND);

    // Several names in one call, each with its own outcome.
    let all = ab
        .resolve_names(&["Alic", "Bo", "[FAX:+1 555 0100]", "nobody", "carol.chen@example.org", "zoe"], false)
        .unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(all[0].as_ref().unwrap().mid, alice.mid);
    assert_eq!(all[1].as_ref().unwrap_err().code, codes::MAPI_E_AMBIGUOUS_RECIP);
    let fax = all[2].as_ref().unwrap();
    assert_eq!((fax.text(PR_ADDRTYPE), fax.text(PR_EMAIL_ADDRESS)), ("FAX", "+1 555 0100"));
    assert_eq!(all[3].as_ref().unwrap_err().code, codes::MAPI_E_NOT_FOUND);
    assert_eq!(all[4].as_ref().unwrap().text(PR_DISPLAY_NAME), "carol Chen");
    assert_eq!(all[5].as_ref().unwrap().text(PR_DISPLAY_NAME), "Zoë Zimmer");

    // As a recipient: the EX properties of an Exchange recipient row.
    let r = bob.recipient(RecipientType::To);
    assert_eq!(r.kind, RecipientType::To);
    let get = |tag: PropTag| prop(&r.props, tag);
    assert_eq!(text(get(PR_ADDRTYPE)), "EX");
    assert_eq!(text(get(PR_EMAIL_ADDRESS)), bob_dn);
    assert_eq!(text(get(PR_SMTP_ADDRESS)), "bob@example.org");
    assert_eq!(binary(get(PR_ENTRYID)), permanent(&bob_dn));
    assert_eq!(get(PR_SEARCH_KEY), Some(&search_key(&bob_dn)));
    assert_eq!(get(PR_DISPLAY_TYPE), Some(&PropValue::I32(0)));
    assert_eq!(get(PR_INSTANCE_KEY), None, "the table's instance key is not a recipient property");
}

#[test]
fn resolved_recipients_are_saved_on_a_message_and_folder_ids_are_not_address_book_ids() {
    let env = Env::new(0);
    let s = env.logon(None);
    let ab = s.open_address_book().unwrap();
    let bob = ab.resolve_name("Bob Baker", false).unwrap();
    let carol = ab.resolve_name("carol", false).unwrap();
    let ext = ab.resolve_name("ext@example.net", true).unwrap();
    let row = s.msg_stores_table().into_iter().find(|r| r.default_store).unwrap();
    let store = s.open_msg_store(&row.entry_id).unwrap();
    let folder = store.ipm_subtree().unwrap().create_folder("AB", None, false).unwrap();
    let mut m = folder.create_message(false).unwrap();
    m.set_props(&[TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode("to the directory".into()) }])
        .unwrap();
    m.add_recipients(&[
        bob.recipient(RecipientType::To),
        carol.recipient(RecipientType::Cc),
        ext.recipient(RecipientType::Bcc),
    ])
    .unwrap();
    m.save_changes(SaveFlags::KeepOpenReadWrite).unwrap();
    let eid = entry_id(m.get_props(&[PR_ENTRYID]).unwrap());
    drop(m);

    let Entry::Message(m) = store.open_entry(&eid, OpenMode::ReadOnly).unwrap() else {
        panic!("not a message")
    };
    let v = m.get_props(&[PR_DISPLAY_TO, PR_DISPLAY_CC]).unwrap();
    assert_eq!(v[0], RowValue::Value(PropValue::Unicode("Bob Baker".into())));
    assert_eq!(v[1], RowValue::Value(PropValue::Unicode("carol Chen".into())));
    let back = m.recipients().unwrap();
    assert_eq!(back.len(), 3);
    for (r, (resolved, kind)) in
        back.iter().zip([(&bob, RecipientType::To), (&carol, RecipientType::Cc), (&ext, RecipientType::Bcc)])
    {
        assert_eq!(r.kind, kind);
        for tag in
            [PR_DISPLAY_NAME, PR_ADDRTYPE, PR_EMAIL_ADDRESS, PR_ENTRYID, PR_SEARCH_KEY, PR_SMTP_ADDRESS]
        {
            assert_eq!(prop(&r.props, tag), resolved.get(tag), "{tag:?} of {:?}", r.display_name());
        }
    }
    let bob_dn = env.dn("bob");
    assert_eq!((back[0].text(PR_ADDRTYPE), back[0].email()), (Some("EX"), Some(bob_dn.as_str())));
    assert_eq!(prop(&back[0].props, PR_DISPLAY_TYPE), Some(&PropValue::I32(0)));
    assert_eq!(prop(&back[0].props, PR_SEARCH_KEY), Some(&search_key(&bob_dn)));
    assert_eq!(back[2].text(PR_ADDRTYPE), Some("SMTP"));
    // The saved entry ID opens the directory entry again.
    let user = ab.open_entry(&binary(prop(&back[0].props, PR_ENTRYID))).unwrap();
    assert_eq!(user.display_name(), "Bob Baker");

    // A folder's entry ID is not an address book entry ID.
    let feid = entry_id(folder.get_props(&[PR_ENTRYID]).unwrap());
    assert_eq!(code(ab.open_entry(&feid)), codes::MAPI_E_INVALID_ENTRYID);
}

#[test]
fn open_entry_by_permanent_ephemeral_and_one_off_ids() {
    let env = Env::new(0);
    let s = env.logon(None);
    let ab = s.open_address_book().unwrap();
    let bob = ab.resolve_name("bob", false).unwrap();
    let dn = env.dn("bob");
    let peid = binary(bob.get(PR_ENTRYID));
    assert_eq!(peid, permanent(&dn));

    let u = ab.open_entry(&peid).unwrap();
    assert_eq!(u.mid(), bob.mid);
    assert!(!u.is_one_off());
    assert_eq!(u.display_name(), "Bob Baker");
    assert_eq!(u.smtp_address(), Some("bob@example.org"));
    assert_eq!(u.address(), ("EX", dn.as_str()));
    assert_eq!(u.entry_id(), Some(peid.as_slice()));
    assert_eq!(
        u.get_props(&[PR_ACCOUNT, PR_TITLE, PR_OBJECT_TYPE]),
        [Some(PropValue::Unicode("bob".into())), None, Some(PropValue::I32(6))]
    );
    let all = u.get_all_props();
    let proxies = PropValue::MvUnicode(vec!["SMTP:bob@example.org".into()]);
    assert_eq!(prop(all, PR_EMS_AB_PROXY_ADDRESSES), Some(&proxies));
    assert_eq!(prop(all, PR_SEARCH_KEY), Some(&search_key(&dn)));
    assert!(
        matches!(prop(all, PR_EMS_AB_HOME_MDB), Some(PropValue::Unicode(h)) if h.ends_with("/cn=Microsoft Private MDB"))
    );
    assert!(all.len() >= 20, "every property of the entry: {all:?}");
    assert!(all.iter().all(|v| !matches!(v.value, PropValue::Error(_))), "no error cells");

    // Ephemeral IDs: this server's GUID opens the entry, another server's is refused.
    let guid = env.state().nspi_server_guid;
    let mid = bob.mid.unwrap();
    assert_eq!(ab.open_entry(&ephemeral(guid, mid)).unwrap(), u);
    assert_eq!(code(ab.open_entry(&ephemeral(Guid([0x5A; 16]), mid))), codes::MAPI_E_UNKNOWN_ENTRYID);
    assert_eq!(code(ab.open_entry(&ephemeral(guid, 0x00FF_FFFF))), codes::MAPI_E_NOT_FOUND);

    // One-off entry IDs.
    let oo = ab.create_one_off("Ext Person", "SMTP", "ext@example.net");
    let o = ab.open_entry(&oo).unwrap();
    assert!(o.is_one_off() && o.mid().is_none());
    assert_eq!(o.display_name(), "Ext Person");
    assert_eq!(o.address(), ("SMTP", "ext@example.net"));
    assert_eq!(o.smtp_address(), Some("ext@example.net"));
    assert_eq!(o.entry_id(), Some(oo.as_slice()));
    let fax = ab.open_entry(&ab.create_one_off("Fax", "FAX", "+1 555 0100")).unwrap();
    assert_eq!(fax.smtp_address(), None);

    // What is not there, or not an address book entry ID.
    let ghost = "/o=Nowhere/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=ghost";
    let e = err(ab.open_entry(&permanent(ghost)));
    assert_eq!(e.code, codes::MAPI_E_NOT_FOUND);
    assert!(e.message.contains("cn=ghost"), "{e}");
    assert_eq!(code(ab.open_entry(&[0xFF, 0x01, 0x02])), codes::MAPI_E_INVALID_ENTRYID);
    assert_eq!(code(ab.open_entry(&[])), codes::MAPI_E_INVALID_ENTRYID);
}

#[test]
fn address_book_works_when_the_store_logon_is_refused() {
    let env = Env::new(0);
    let s = env.logon(Some(OLD_CLIENT));
    let state_of = |name: &str| provider_state(&s, name);
    assert!(
        matches!(state_of("EMS_MDB_private"), ProviderState::Disabled(e) if e.code == codes::EC_CLIENT_VER_DISALLOWED),
        "{:?}",
        state_of("EMS_MDB_private")
    );
    assert!(matches!(state_of("EMS_DSA"), ProviderState::NotStarted(_)));
    let ab = s.open_address_book().unwrap();
    assert!(matches!(state_of("EMS_DSA"), ProviderState::NotStarted(_)), "OpenAddressBook sends nothing");
    assert_eq!(env.state().sessions.len(), 0);

    assert_eq!(ab.resolve_name("carol", false).unwrap().text(PR_SMTP_ADDRESS), "carol.chen@example.org");
    assert_eq!(state_of("EMS_DSA"), ProviderState::Available);
    let dsa = s.status_table().into_iter().find(|r| r.provider_name == "EMS_DSA").unwrap();
    assert_eq!(dsa.identity.as_deref(), Some("alice"));
    assert_eq!(env.state().sessions.len(), 1, "one address book context, no mailbox context");
    let mut t = ab.gal().contents_table().unwrap();
    assert_eq!(t.row_count().unwrap(), 5);
    assert!(matches!(state_of("EMS_MDB_private"), ProviderState::Disabled(_)), "still disabled");
    let row = s.msg_stores_table().into_iter().next().unwrap();
    assert_eq!(code(s.open_msg_store(&row.entry_id)), codes::MAPI_E_FAILONEPROVIDER);
}

#[test]
fn lost_address_book_contexts_are_bound_again_and_idle_ones_kept_alive() {
    let env = Env::new(0);
    env.data.directory().unwrap().set_setting("session-idle-timeout", "2").unwrap();
    // The refused store logon leaves the address book context the only one on the server.
    let s = env.logon(Some(OLD_CLIENT));
    let ab = s.open_address_book().unwrap();
    let mut t = ab.gal().contents_table().unwrap();
    assert_eq!(names(&t.query_rows(2).unwrap()), ["Alice Archer", "Bob Baker"]);
    let sessions = &env.state().sessions;
    assert_eq!(sessions.len(), 1);

    // The server forgets the context (a restart): the next call binds again and carries on.
    assert_eq!(sessions.clear(), 1);
    assert_eq!(names(&t.query_rows(2).unwrap()), ["Bobby Tables", "carol Chen"]);
    assert_eq!(sessions.len(), 1, "bound again");
    assert_eq!(ab.resolve_name("zoe", false).unwrap().text(PR_DISPLAY_NAME), "Zoë Zimmer");

    // Idle for longer than the 2 s timeout: the session's keep-alive PINGs the address book
    // context (also while the store provider is disabled), so it is still the same one.
    let before = sessions.ids();
    std::thread::sleep(Duration::from_millis(3500));
    assert_eq!(sessions.ids(), before, "kept alive, not expired");
    assert_eq!(names(&t.query_rows(2).unwrap()), ["Zoë Zimmer"]);
    assert_eq!(ab.resolve_name("bobby", false).unwrap().text(PR_DISPLAY_NAME), "Bobby Tables");
    assert_eq!(sessions.len(), 1);
    assert_eq!(provider_state(&s, "EMS_DSA"), ProviderState::Available);
}

#[test]
fn directory_changes_show_without_a_restart() {
    let env = Env::new(0);
    let s = env.logon(None);
    let ab = s.open_address_book().unwrap();
    let mut t = ab.gal().contents_table().unwrap();
    assert_eq!(t.row_count().unwrap(), 5);
    assert!(ab.resolve_name("Bob Baker", false).is_ok());

    let dir = env.data.directory().unwrap();
    dir.set_hidden("bob", true).unwrap();
    assert_eq!(t.row_count().unwrap(), 4);
    assert_eq!(
        names(&t.query_rows(10).unwrap()),
        ["Alice Archer", "Bobby Tables", "carol Chen", "Zoë Zimmer"]
    );
    assert_eq!(code(ab.resolve_name("Bob Baker", false)), codes::MAPI_E_NOT_FOUND);
    assert_eq!(
        ab.resolve_name("Bo", false).unwrap().text(PR_DISPLAY_NAME),
        "Bobby Tables",
        "no longer ambiguous"
    );
    t.restrict(Some(anr("bob"))).unwrap();
    assert_eq!(names(&t.query_rows(10).unwrap()), ["Bobby Tables"]);

    // A new user and an unhidden one appear at the next call.
    let new = NewUser {
        name: "nina".into(),
        password: PW.into(),
        display_name: Some("Nina New".into()),
        ..Default::default()
    };
    dir.add_users_bulk_without_mailboxes(&[new]).unwrap();
    dir.set_hidden("auditor", false).unwrap();
    t.restrict(None).unwrap();
    assert_eq!(
        names(&t.query_rows(10).unwrap()),
        ["Alice Archer", "Bobby Tables", "carol Chen", "Hidden Auditor", "Nina New", "Zoë Zimmer"]
    );
    assert_eq!(ab.resolve_name("nina", false).unwrap().text(PR_DISPLAY_NAME), "Nina New");
    assert_eq!(ab.resolve_name("auditor", false).unwrap().text(PR_DISPLAY_NAME), "Hidden Auditor");
}

/// The table's STAT names its current row by MId; once that entry leaves the GAL the server
/// answers NotFound (absolute positioning) and the table goes on by fractional position.
#[test]
fn a_table_positioned_on_an_entry_that_is_hidden_still_pages() {
    let env = Env::new(0);
    let s = env.logon(None);
    let mut t = s.open_address_book().unwrap().gal().contents_table().unwrap();
    assert!(t.seek_display_name("Bob").unwrap());
    env.data.directory().unwrap().set_hidden("bob", true).unwrap();
    let rows = t.query_rows(10);
    assert!(rows.is_ok(), "the current row disappeared: {:?}", rows.as_ref().err());
    assert_eq!(t.row_count().unwrap(), 4);
}

#[test]
fn address_book_calls_after_logoff_fail_with_end_of_session() {
    let env = Env::new(0);
    let s = env.logon(None);
    let ab = s.open_address_book().unwrap();
    let bob = ab.resolve_name("bob", false).unwrap();
    let mut t = ab.gal().contents_table().unwrap();
    assert_eq!(t.row_count().unwrap(), 5);
    assert_eq!(env.state().sessions.len(), 2, "mailbox and address book contexts");
    s.logoff().unwrap();
    assert_eq!(env.state().sessions.len(), 0, "Unbind and Disconnect");
    assert_eq!(code(ab.resolve_name("bob", false)), codes::MAPI_E_END_OF_SESSION);
    assert_eq!(code(t.query_rows(1)), codes::MAPI_E_END_OF_SESSION);
    assert_eq!(code(t.row_count()), codes::MAPI_E_END_OF_SESSION);
    assert_eq!(code(ab.open_entry(&binary(bob.get(PR_ENTRYID)))), codes::MAPI_E_END_OF_SESSION);
    let again = s.open_address_book().unwrap();
    assert_eq!(code(again.resolve_name("carol", false)), codes::MAPI_E_END_OF_SESSION);
    let dsa = provider_state(&s, "EMS_DSA");
    assert!(matches!(dsa, ProviderState::NotStarted(ref why) if why == "logged off"), "{dsa:?}");
}
