//! The address book endpoint `/mapi/nspi/` over real HTTP, driven with oxmapi-wire bodies: every
//! NSPI request type with its failure codes (MS-OXNSPI 3.1.4.1; protocol-facts §1.8–1.9), the
//! separate session context, STAT paging through a 10 000-entry directory, hidden users,
//! directory changes without a restart, and malformed bodies.

mod common;
mod nspidrv;

use common::*;
use nspidrv::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::entryid::EntryId;
use oxmapi_core::error::codes;
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::NewUser;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::mapihttp::nspi::*;

#[tokio::test]
async fn bind_unbind_and_the_session_context() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    let cols = QueryColumnsRequest { reserved: 0, mapi_flags: 0, auxiliary_buffer: vec![] }.encode();
    assert_eq!(
        n.request("QueryColumns", cols.clone()).await.response_code(),
        Some(13),
        "no cookie before Bind"
    );

    let req = BindRequest { flags: 0, state: Some(stat()), auxiliary_buffer: vec![] };
    let r = n.request("Bind", req.encode()).await;
    assert_eq!(r.response_code(), Some(0));
    assert!(r.header("X-ExpirationInfo").is_some());
    let set: Vec<&str> = r
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(set.iter().all(|c| c.contains("Path=/mapi/nspi/")), "{set:?}");
    let BindResponse::Success(b) = BindResponse::decode(&r.mapi_body()).unwrap() else { panic!() };
    assert_eq!(b.error_code, 0);
    assert!(!b.server_guid.is_null());
    assert!(n.cookies.contains_key("MapiContext") && n.cookies.contains_key("MapiSequence"));

    // The server GUID is the same for every context; the path may omit ?MailboxId=.
    let mut other = Nspi::new(&ts, "bob").await;
    other.path = "/mapi/nspi".into();
    assert_eq!(other.bind().await.server_guid, b.server_guid);

    assert_eq!(n.request("PING", vec![]).await.response_code(), Some(0));
    let stale = n.cookies.clone();
    let _: QueryColumnsSuccess = n.call("QueryColumns", cols.clone()).await;
    let fresh = n.cookies.clone();
    n.cookies = stale;
    assert_eq!(n.request("QueryColumns", cols.clone()).await.response_code(), Some(15), "stale sequence");
    n.cookies = fresh;

    // Another identity with alice's cookies, or a mailbox-endpoint context, is not found.
    let mut bob = Nspi::new(&ts, "bob").await;
    bob.cookies = n.cookies.clone();
    assert_eq!(bob.request("QueryColumns", cols.clone()).await.response_code(), Some(10));
    let owner = ts.add_user("dave", false);
    let mut m = Mapi::new(&ts, "dave").await;
    assert_eq!(m.connect(&owner.legacy_dn, 0).await.1.unwrap().error_code, 0);
    let mut dave = Nspi::new(&ts, "dave").await;
    dave.cookies = m.cookies.clone();
    assert_eq!(
        dave.request("QueryColumns", cols.clone()).await.response_code(),
        Some(10),
        "an EMSMDB context"
    );
    let r = m.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(0), "the mailbox context is untouched");

    let u = n.unbind().await;
    assert_eq!(u.error_code, codes::UNBIND_SUCCESS.0);
    assert!(n.cookies.is_empty(), "Unbind expires the cookies");
    bob.auth = basic("alice", PASSWORD);
    assert_eq!(bob.request("QueryColumns", cols).await.response_code(), Some(10), "the context is gone");
}

#[tokio::test]
async fn bind_refusals() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    let st = stat();
    assert_eq!(n.bind_with(F_ANONYMOUS_LOGIN, Some(st)).await.error_code, codes::MAPI_E_LOGON_FAILED.0);
    let unicode = Stat { code_page: CP_WINUNICODE, ..st };
    assert_eq!(n.bind_with(0, Some(unicode)).await.error_code, codes::MAPI_E_NO_SUPPORT.0);
    let unknown = Stat { code_page: 0xFF, ..st };
    assert_eq!(n.bind_with(0, Some(unknown)).await.error_code, codes::MAPI_E_UNKNOWN_CPID.0);
    assert!(n.cookies.is_empty(), "a refused Bind makes no context");
    assert_eq!(
        n.bind_with(0, Some(Stat { code_page: 1251, ..st })).await.error_code,
        0,
        "other ANSI code pages"
    );
    assert_eq!(
        n.bind_with(0x4, None).await.error_code,
        0,
        "no STAT; flags other than fAnonymousLogin ignored"
    );
    ts.site(|d| d.directory().unwrap().set_enabled("bob", false).unwrap());
    let mut bob = Nspi::new(&ts, "bob").await;
    assert_eq!(bob.bind_with(0, Some(st)).await.error_code, codes::MAPI_E_LOGON_FAILED.0, "disabled");
}

#[tokio::test]
async fn contexts_are_capped_per_endpoint_reconnect_and_expire() {
    let ts = gal_server().await;
    let owner = ts.add_user("dave", false);
    ts.set("max-sessions-per-user", "1");
    let mut m = Mapi::new(&ts, "dave").await;
    assert_eq!(m.connect(&owner.legacy_dn, 0).await.1.unwrap().error_code, 0);
    let mut n = Nspi::new(&ts, "dave").await;
    assert_eq!(n.bind_with(0, Some(stat())).await.error_code, 0, "the mailbox context does not count");
    let mut second = Nspi::new(&ts, "dave").await;
    assert_eq!(second.bind_with(0, Some(stat())).await.error_code, codes::MAPI_E_NOT_ENOUGH_RESOURCES.0);
    let old = n.cookies["MapiContext"].clone();
    assert_eq!(n.bind_with(0, Some(stat())).await.error_code, 0, "a reconnect replaces its own context");
    assert_ne!(n.cookies["MapiContext"], old);

    ts.set("max-sessions-per-user", "32");
    ts.set("session-idle-timeout", "1");
    let mut e = Nspi::new(&ts, "alice").await;
    e.bind().await;
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        assert_eq!(e.request("PING", vec![]).await.response_code(), Some(0), "PING keeps the context");
    }
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    let cols = QueryColumnsRequest { reserved: 0, mapi_flags: 0, auxiliary_buffer: vec![] }.encode();
    assert_eq!(e.request("QueryColumns", cols).await.response_code(), Some(10), "expired");
}

#[tokio::test]
async fn the_address_book_works_when_the_store_refuses_an_old_client() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    const OLD: &str = "Outlook/6.5.8353.0";
    let mut m = Mapi::new(&ts, "alice").await;
    m.version = OLD.into();
    assert_eq!(m.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, codes::EC_CLIENT_VER_DISALLOWED.0);
    let mut n = Nspi::new(&ts, "alice").await;
    n.version = OLD.into();
    n.bind().await;
    let r = n.resolve_names(stat(), Some(vec![PR_DISPLAY_NAME]), &["alice"]).await;
    assert_eq!(r.minimal_ids.unwrap().len(), 1);
    assert_eq!(names(&r.rows_and_columns.unwrap()), ["alice display"]);
}

#[tokio::test]
async fn special_table_is_the_gal_container() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    let t = n.special_table(0, Some(stat()), None).await;
    assert_eq!((t.error_code, t.code_page, t.version), (0, 1252, Some(1)));
    let rows = t.rows.unwrap();
    assert_eq!(rows.len(), 1);
    let gal = &rows[0];
    assert_eq!(value_of(gal, PR_EMS_AB_CONTAINERID), Some(PropValue::I32(0)));
    assert_eq!(value_of(gal, PR_DEPTH), Some(PropValue::I32(0)));
    assert_eq!(value_of(gal, a8(PR_DISPLAY_NAME)), Some(PropValue::String8(b"Global Address List".to_vec())));
    let Some(PropValue::Binary(eid)) = value_of(gal, PR_ENTRYID) else { panic!("{gal:?}") };
    assert!(matches!(EntryId::parse(&eid).unwrap(), EntryId::AbPermanent(p) if p.display_type == 0x100));

    let t = n.special_table(NSPI_UNICODE_STRINGS, Some(stat()), None).await;
    assert_eq!(
        value_of(&t.rows.unwrap()[0], PR_DISPLAY_NAME),
        Some(PropValue::Unicode("Global Address List".into()))
    );
    let t = n.special_table(0, Some(stat()), Some(1)).await;
    assert_eq!((t.version, t.rows), (Some(1), None), "the client holds the current hierarchy");
    let t = n.special_table(NSPI_ADDRESS_CREATION_TEMPLATES, Some(stat()), None).await;
    assert_eq!(t.rows, Some(vec![]), "no address creation templates");
    let t = n.special_table(0, Some(Stat { code_page: CP_WINUNICODE, ..stat() }), None).await;
    assert_eq!(t.error_code, codes::MAPI_E_NO_SUPPORT.0, "8-bit strings in CP_WINUNICODE");
    let t =
        n.special_table(NSPI_UNICODE_STRINGS, Some(Stat { code_page: CP_WINUNICODE, ..stat() }), None).await;
    assert_eq!(t.error_code, 0);
}

#[tokio::test]
async fn update_stat_and_query_rows_position_in_the_gal() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    let (alfred, alice, bob, carol) =
        (mid_of(&ts, "alfred"), mid_of(&ts, "alice"), mid_of(&ts, "bob"), mid_of(&ts, "carol"));

    let u = n.update_stat(Stat { delta: 1, ..stat() }, true).await;
    let s = u.state.unwrap();
    assert_eq!(
        (s.current_rec, s.num_pos, s.total_recs, s.delta),
        (alice, 1, 4, 0),
        "the hidden user is no row"
    );
    assert_eq!(u.delta, Some(1));
    let u = n.update_stat(Stat { delta: 99, ..s }, true).await;
    let end = u.state.unwrap();
    assert_eq!((end.current_rec, end.num_pos, u.delta), (MID_END_OF_TABLE, 4, Some(3)), "clipped at the end");
    let u = n.update_stat(Stat { delta: -2, ..end }, false).await;
    assert_eq!((u.state.unwrap().current_rec, u.delta), (bob, None));
    let frac = Stat { current_rec: MID_CURRENT, num_pos: 50, total_recs: 100, ..stat() };
    assert_eq!(n.update_stat(frac, false).await.state.unwrap().current_rec, bob, "fractional: half way");

    let q = n.query_rows(0, stat(), vec![], 3, Some(vec![PR_DISPLAY_NAME, PR_INSTANCE_KEY])).await;
    let s = q.state.unwrap();
    assert_eq!((s.current_rec, s.num_pos, s.total_recs), (carol, 3, 4));
    let page = q.columns_and_rows.unwrap();
    assert_eq!(names(&page), ["Alfred Allen", "Alice Archer", "Bob Zimmer"]);
    assert_eq!(
        cell(&page, 0, PR_INSTANCE_KEY),
        RowValue::Value(PropValue::Binary(alfred.to_le_bytes().to_vec()))
    );
    let q = n.query_rows(0, s, vec![], 3, Some(vec![PR_DISPLAY_NAME])).await;
    assert_eq!(names(&q.columns_and_rows.unwrap()), ["Carol Chen"]);
    assert_eq!(q.state.unwrap().current_rec, MID_END_OF_TABLE);
    let back = Stat { current_rec: MID_END_OF_TABLE, delta: -2, ..stat() };
    let q = n.query_rows(0, back, vec![], 10, Some(vec![PR_DISPLAY_NAME])).await;
    assert_eq!(names(&q.columns_and_rows.unwrap()), ["Bob Zimmer", "Carol Chen"], "negative Delta");

    // Default columns: container id, object type, display type, then 8-bit strings.
    let q = n.query_rows(0, stat(), vec![], 1, None).await;
    let c = q.columns_and_rows.unwrap();
    assert_eq!(c.columns[3], a8(PR_DISPLAY_NAME));
    assert_eq!(
        c.row_data[0].values[..4],
        [
            RowValue::Value(PropValue::I32(0)),
            RowValue::Value(PropValue::I32(6)),
            RowValue::Value(PropValue::I32(0)),
            RowValue::Value(PropValue::String8(b"Alfred Allen".to_vec())),
        ]
    );
    assert!(
        matches!(c.row_data[0].values[4], RowValue::Error { code, .. } if code == codes::MAPI_E_NOT_FOUND.0)
    );

    // An explicit table: rows in the given order, unknown MIds as NotFound rows, STAT untouched;
    // a hidden user's row only once this session found the MId by exact DN.
    let auditor = ts.site(|d| d.directory().unwrap().require_user("auditor").unwrap());
    let hidden = n.dn_to_mid(vec![auditor.legacy_dn]).await.minimal_ids.unwrap()[0];
    let q = n
        .query_rows(F_EPH_ID, stat(), vec![carol, 0x7777, hidden], 0, Some(vec![PR_DISPLAY_NAME, PR_ENTRYID]))
        .await;
    assert_eq!(q.state, Some(stat()));
    let c = q.columns_and_rows.unwrap();
    assert_eq!(text_of(&c.row_data[0].values[0]), "Carol Chen");
    assert!(
        matches!(c.row_data[1].values[0], RowValue::Error { code, .. } if code == codes::MAPI_E_NOT_FOUND.0)
    );
    assert_eq!(text_of(&c.row_data[2].values[0]), "Hidden Auditor", "MIds from DNToMId reach hidden users");
    let RowValue::Value(PropValue::Binary(eid)) = &c.row_data[0].values[1] else { panic!() };
    assert!(matches!(EntryId::parse(eid).unwrap(), EntryId::AbEphemeral(e) if e.mid == carol), "fEphID");

    // Failures leave the STAT out and carry the NSPI code.
    let fail = |q: QueryRowsSuccess| (q.error_code, q.state.is_none(), q.columns_and_rows.is_none());
    let nf = n.query_rows(0, Stat { current_rec: 0x7777, ..stat() }, vec![], 1, None).await;
    assert_eq!(fail(nf), (codes::MAPI_E_NOT_FOUND.0, true, true));
    let bm = n.query_rows(0, Stat { container_id: MID_CURRENT, ..stat() }, vec![], 1, None).await;
    assert_eq!(fail(bm).0, codes::MAPI_E_INVALID_BOOKMARK.0);
    assert_eq!(n.query_rows(0, stat(), vec![], 0, None).await.error_code, codes::MAPI_E_INVALID_PARAMETER.0);
    let uni = Stat { code_page: CP_WINUNICODE, ..stat() };
    assert_eq!(n.query_rows(0, uni, vec![], 1, None).await.error_code, codes::MAPI_E_NO_SUPPORT.0);
    let bad_cp = Stat { code_page: 0xFF, ..stat() };
    assert_eq!(n.query_rows(0, bad_cp, vec![], 1, None).await.error_code, codes::MAPI_E_UNKNOWN_CPID.0);
    let u = n.update_stat(Stat { container_id: MID_CURRENT, ..stat() }, true).await;
    assert_eq!((u.error_code, u.state, u.delta), (codes::MAPI_E_INVALID_BOOKMARK.0, None, None));
    let u = n.update_stat(Stat { current_rec: 0x7777, ..stat() }, true).await;
    assert_eq!(u.error_code, codes::MAPI_E_NOT_FOUND.0);
    let u = n.update_stat(Stat { sort_type: SORT_TYPE_PHONETIC_DISPLAY_NAME, ..stat() }, true).await;
    assert_eq!(u.error_code, codes::MAPI_E_CALL_FAILED.0, "phonetic sorting is not supported");
}

#[tokio::test]
async fn seek_entries_finds_the_first_row_at_or_after_a_name() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    let cols = Some(vec![PR_DISPLAY_NAME]);
    let s = n.seek_entries(stat(), display_name_target("b"), None, cols.clone()).await;
    assert_eq!(s.error_code, 0);
    let st = s.state.unwrap();
    assert_eq!((st.current_rec, st.num_pos, st.total_recs), (mid_of(&ts, "bob"), 2, 4));
    assert_eq!(names(&s.columns_and_rows.unwrap()), ["Bob Zimmer"]);
    let target8 = AddressBookTaggedPropertyValue::new(
        a8(PR_DISPLAY_NAME),
        PropValue::String8(b"ALICE ARCHER".to_vec()),
    );
    let s = n.seek_entries(stat(), target8, None, cols.clone()).await;
    assert_eq!(s.state.unwrap().num_pos, 1, "exact name, case ignored, 8-bit target");

    // On an explicit table: sorted by display name, the rows from the found one on.
    let table = vec![mid_of(&ts, "carol"), mid_of(&ts, "alfred"), mid_of(&ts, "bob")];
    let s = n.seek_entries(stat(), display_name_target("Bz"), Some(table), cols.clone()).await;
    let st = s.state.unwrap();
    assert_eq!((st.current_rec, st.num_pos, st.total_recs), (mid_of(&ts, "carol"), 2, 3));
    assert_eq!(names(&s.columns_and_rows.unwrap()), ["Carol Chen"]);

    let code = |s: SeekEntriesSuccess| (s.error_code, s.state.is_none());
    let past = n.seek_entries(stat(), display_name_target("\u{FF}\u{FF}"), None, cols.clone()).await;
    assert_eq!(code(past), (codes::MAPI_E_NOT_FOUND.0, true));
    let phonetic = Stat { sort_type: SORT_TYPE_PHONETIC_DISPLAY_NAME, ..stat() };
    assert_eq!(
        code(n.seek_entries(phonetic, display_name_target("a"), None, None).await).0,
        codes::MAPI_E_CALL_FAILED.0
    );
    let ro = Stat { sort_type: SORT_TYPE_DISPLAY_NAME_RO, ..stat() };
    assert_eq!(
        code(n.seek_entries(ro, display_name_target("a"), None, None).await).0,
        codes::MAPI_E_CALL_FAILED.0
    );
    let not_name = AddressBookTaggedPropertyValue::new(PR_DISPLAY_TYPE, PropValue::I32(0));
    assert_eq!(code(n.seek_entries(stat(), not_name, None, None).await).0, codes::MAPI_E_CALL_FAILED.0);
    let bm = Stat { container_id: MID_CURRENT, ..stat() };
    assert_eq!(
        code(n.seek_entries(bm, display_name_target("a"), None, None).await).0,
        codes::MAPI_E_INVALID_BOOKMARK.0
    );
    let req = SeekEntriesRequest {
        reserved: 1,
        state: Some(stat()),
        target: Some(display_name_target("a")),
        explicit_table: None,
        columns: None,
        auxiliary_buffer: vec![],
    };
    let s: SeekEntriesSuccess = n.call("SeekEntries", req.encode()).await;
    assert_eq!(s.error_code, codes::MAPI_E_INVALID_PARAMETER.0, "Reserved must be 0");
}

#[tokio::test]
async fn get_matches_and_resort_restriction() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    let cols = Some(vec![PR_DISPLAY_NAME, PR_SMTP_ADDRESS]);
    let m = n.get_matches(stat(), Some(display_name_is("bob zimmer")), 100, cols.clone()).await;
    assert_eq!(m.error_code, 0);
    assert_eq!(m.minimal_ids.unwrap(), [mid_of(&ts, "bob")]);
    let c = m.columns_and_rows.unwrap();
    assert_eq!(cell(&c, 0, PR_SMTP_ADDRESS), RowValue::Value(PropValue::Unicode("bob@oxmapi.local".into())));
    let st = m.state.unwrap();
    assert_eq!((st.current_rec, st.num_pos, st.total_recs), (MID_BEGINNING_OF_TABLE, 0, 1));

    // ANR over display names, their words, accounts and addresses; hidden users never match.
    let m = n.get_matches(stat(), Some(anr("al")), 100, cols.clone()).await;
    assert_eq!(names(&m.columns_and_rows.unwrap()), ["Alfred Allen", "Alice Archer"]);
    let m = n.get_matches(stat(), Some(anr("zimm")), 100, None).await;
    assert_eq!((m.minimal_ids.unwrap(), m.columns_and_rows), (vec![mid_of(&ts, "bob")], None));
    let m = n.get_matches(stat(), Some(anr("hidden")), 100, None).await;
    assert_eq!(m.minimal_ids.unwrap(), Vec::<u32>::new());
    let eight = Restriction::Content {
        fuzzy_level_low: oxmapi_core::restriction::FL_SUBSTRING,
        fuzzy_level_high: oxmapi_core::restriction::FL_IGNORECASE,
        prop_tag: a8(PR_DISPLAY_NAME),
        value: TaggedValue::new(a8(PR_DISPLAY_NAME), PropValue::String8(b"CH".to_vec())),
    };
    let m = n.get_matches(stat(), Some(eight), 100, cols.clone()).await;
    assert_eq!(names(&m.columns_and_rows.unwrap()), ["Alice Archer", "Carol Chen"]);

    let big = n.get_matches(stat(), Some(anr("a")), 1, None).await;
    assert_eq!((big.error_code, big.minimal_ids), (codes::MAPI_E_TABLE_TOO_BIG.0, None));
    let bm = n.get_matches(Stat { container_id: 0x7777, ..stat() }, Some(anr("a")), 10, None).await;
    assert_eq!(bm.error_code, codes::MAPI_E_INVALID_BOOKMARK.0);
    let link = Stat { container_id: PR_EMS_AB_MEMBER.0, current_rec: mid_of(&ts, "bob"), ..stat() };
    let m = n.get_matches(link, None, 10, None).await;
    assert_eq!((m.error_code, m.minimal_ids), (0, Some(vec![])), "no link attributes");
    let uni = Stat { code_page: CP_WINUNICODE, ..stat() };
    assert_eq!(n.get_matches(uni, Some(anr("a")), 10, None).await.error_code, codes::MAPI_E_NO_SUPPORT.0);

    // ResortRestriction: sorted by display name, unknown MIds dropped, CurrentRec kept if present.
    let (alice, bob, carol) = (mid_of(&ts, "alice"), mid_of(&ts, "bob"), mid_of(&ts, "carol"));
    let r = n.resort(Stat { current_rec: bob, ..stat() }, vec![carol, 0x7777, bob, alice, bob]).await;
    assert_eq!(r.minimal_ids.unwrap(), [alice, bob, carol]);
    let st = r.state.unwrap();
    assert_eq!((st.current_rec, st.num_pos, st.total_recs), (bob, 1, 3));
    let r = n.resort(Stat { current_rec: 0x7777, ..stat() }, vec![carol]).await;
    assert_eq!(r.state.unwrap().current_rec, MID_BEGINNING_OF_TABLE);
    let req = ResortRestrictionRequest {
        reserved: 0,
        state: Some(stat()),
        minimal_ids: None,
        auxiliary_buffer: vec![],
    };
    let r: ResortRestrictionSuccess = n.call("ResortRestriction", req.encode()).await;
    assert_eq!(r.error_code, codes::MAPI_E_INVALID_PARAMETER.0);
}

#[tokio::test]
async fn properties_of_an_entry() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    let bob_user = ts.site(|d| d.directory().unwrap().require_user("bob").unwrap());
    let bob = mid_of(&ts, "bob");
    let at_bob = Stat { current_rec: bob, ..stat() };
    let tags = vec![
        PR_DISPLAY_NAME,
        a8(PR_DISPLAY_NAME),
        PR_EMAIL_ADDRESS,
        PR_SMTP_ADDRESS,
        PR_ACCOUNT,
        PR_DISPLAY_TYPE,
        PR_OBJECT_TYPE,
        PR_ENTRYID,
        PR_EMS_AB_PROXY_ADDRESSES,
        PR_ADDRTYPE,
        PR_INSTANCE_KEY,
        PR_SEARCH_KEY,
        PR_TRANSMITABLE_DISPLAY_NAME,
        PR_EMS_AB_HOME_MDB,
    ];
    let p = n.get_props(0, at_bob, Some(tags.clone())).await;
    assert_eq!((p.error_code, p.code_page), (0, 1252));
    let v = p.property_values.unwrap();
    let text = |s: &str| Some(PropValue::Unicode(s.into()));
    assert_eq!(value_of(&v, PR_DISPLAY_NAME), text("Bob Zimmer"));
    assert_eq!(value_of(&v, a8(PR_DISPLAY_NAME)), Some(PropValue::String8(b"Bob Zimmer".to_vec())));
    assert_eq!(value_of(&v, PR_EMAIL_ADDRESS), text(&bob_user.legacy_dn));
    assert_eq!(value_of(&v, PR_SMTP_ADDRESS), text("bob@oxmapi.local"));
    assert_eq!(value_of(&v, PR_ACCOUNT), text("bob"));
    assert_eq!(value_of(&v, PR_DISPLAY_TYPE), Some(PropValue::I32(0)));
    assert_eq!(value_of(&v, PR_OBJECT_TYPE), Some(PropValue::I32(6)));
    assert_eq!(value_of(&v, PR_ADDRTYPE), text("EX"));
    assert_eq!(value_of(&v, PR_TRANSMITABLE_DISPLAY_NAME), text("Bob Zimmer"));
    assert_eq!(
        value_of(&v, PR_EMS_AB_PROXY_ADDRESSES),
        Some(PropValue::MvUnicode(vec!["SMTP:bob@oxmapi.local".into()]))
    );
    assert_eq!(value_of(&v, PR_INSTANCE_KEY), Some(PropValue::Binary(bob.to_le_bytes().to_vec())));
    let mut key = format!("EX:{}", bob_user.legacy_dn.to_uppercase()).into_bytes();
    key.push(0);
    assert_eq!(value_of(&v, PR_SEARCH_KEY), Some(PropValue::Binary(key)));
    let Some(PropValue::String8(mdb)) = value_of(&v, PR_EMS_AB_HOME_MDB) else { panic!("{v:?}") };
    assert!(mdb.ends_with(b"/cn=Microsoft Private MDB"));
    let Some(PropValue::Binary(eid)) = value_of(&v, PR_ENTRYID) else { panic!() };
    assert!(matches!(EntryId::parse(&eid).unwrap(), EntryId::AbPermanent(e) if e.dn == bob_user.legacy_dn));
    let p = n.get_props(F_EPH_ID, at_bob, Some(vec![PR_ENTRYID])).await;
    let Some(PropValue::Binary(eid)) = value_of(&p.property_values.unwrap(), PR_ENTRYID) else { panic!() };
    let EntryId::AbEphemeral(e) = EntryId::parse(&eid).unwrap() else { panic!() };
    assert_eq!((e.mid, e.display_type), (bob, 0));

    // Missing values: PtypErrorCode with ErrorsReturned; no object at all behaves the same.
    let p = n.get_props(0, at_bob, Some(vec![PR_DISPLAY_NAME, PR_TITLE])).await;
    assert_eq!(p.error_code, codes::MAPI_W_ERRORS_RETURNED.0);
    let v = p.property_values.unwrap();
    assert_eq!(v[1].tag, PR_TITLE.with_type(PropType::ErrorCode));
    assert_eq!(v[1].value, Some(PropValue::Error(codes::MAPI_E_NOT_FOUND.0)));
    for nowhere in [MID_CURRENT, MID_END_OF_TABLE, 0x7777] {
        let p = n.get_props(0, Stat { current_rec: nowhere, ..stat() }, Some(vec![PR_DISPLAY_NAME])).await;
        assert_eq!(p.error_code, codes::MAPI_W_ERRORS_RETURNED.0, "{nowhere:#x}");
    }
    // Without tags: every property the entry has, strings in the code page's width.
    let p = n.get_props(0, at_bob, None).await;
    let v = p.property_values.unwrap();
    assert_eq!(p.error_code, 0);
    assert_eq!(value_of(&v, a8(PR_SMTP_ADDRESS)), Some(PropValue::String8(b"bob@oxmapi.local".to_vec())));
    let p = n.get_props(0, Stat { code_page: CP_WINUNICODE, ..at_bob }, None).await;
    assert_eq!(value_of(&p.property_values.unwrap(), PR_SMTP_ADDRESS), text("bob@oxmapi.local"));
    let bad = n.get_props(0, Stat { code_page: 0xFF, ..at_bob }, None).await;
    assert_eq!((bad.error_code, bad.property_values), (codes::MAPI_E_UNKNOWN_CPID.0, None));

    // GetPropList, QueryColumns, CompareMIds.
    let l = n.get_prop_list(0, bob, 1252).await.property_tags.unwrap();
    assert!(l.contains(&a8(PR_DISPLAY_NAME)) && l.contains(&PR_ENTRYID) && !l.contains(&PR_DISPLAY_NAME));
    let l = n.get_prop_list(0, bob, CP_WINUNICODE).await.property_tags.unwrap();
    assert!(l.contains(&PR_DISPLAY_NAME) && l.contains(&PR_EMS_AB_PROXY_ADDRESSES));
    assert_eq!(n.get_prop_list(0, 0x7777, 1252).await.error_code, codes::MAPI_E_INVALID_OBJECT.0);
    assert_eq!(n.get_prop_list(0, bob, 0xFF).await.error_code, codes::MAPI_E_UNKNOWN_CPID.0);
    let c = n.query_columns(0).await.columns.unwrap();
    assert!(c.contains(&a8(PR_DISPLAY_NAME)) && c.contains(&PR_INSTANCE_KEY));
    let c = n.query_columns(NSPI_UNICODE_PROPTYPES).await.columns.unwrap();
    assert!(c.contains(&PR_DISPLAY_NAME) && c.contains(&PR_EMS_AB_PROXY_ADDRESSES));
    let alfred = mid_of(&ts, "alfred");
    assert!(n.compare_mids(Some(stat()), alfred, bob).await.result < 0);
    assert!(n.compare_mids(None, bob, alfred).await.result > 0);
    assert_eq!(n.compare_mids(Some(stat()), bob, bob).await.result, 0);
    assert_eq!(n.compare_mids(Some(stat()), bob, 0x7777).await.error_code, codes::MAPI_E_CALL_FAILED.0);
    let bm = Some(Stat { container_id: 9, ..stat() });
    assert_eq!(n.compare_mids(bm, bob, alfred).await.error_code, codes::MAPI_E_INVALID_BOOKMARK.0);
}

#[tokio::test]
async fn resolve_names_and_dn_to_mid() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    let r = n
        .resolve_names(
            stat(),
            Some(vec![PR_DISPLAY_NAME, PR_EMAIL_ADDRESS]),
            &["bob", "al", "nobody", "SMTP:carol@oxmapi.local", "Hidden Auditor", ""],
        )
        .await;
    assert_eq!((r.error_code, r.code_page), (0, 1252));
    // The MIds are the ANR outcomes (MS-OXNSPI 3.1.4.7): MID_RESOLVED (0x2) for exactly one
    // match, not the entry's own MId; the entry comes in the row.
    assert_eq!(
        r.minimal_ids.unwrap(),
        [MID_RESOLVED, MID_AMBIGUOUS, MID_UNRESOLVED, MID_RESOLVED, MID_UNRESOLVED, MID_UNRESOLVED]
    );
    let rows = r.rows_and_columns.unwrap();
    assert_eq!(names(&rows), ["Bob Zimmer", "Carol Chen"], "one row per resolved name");
    let uni = Stat { code_page: CP_WINUNICODE, ..stat() };
    assert_eq!(n.resolve_names(uni, None, &["bob"]).await.error_code, codes::MAPI_E_NO_SUPPORT.0);

    let hidden = ts.site(|d| d.directory().unwrap().require_user("auditor").unwrap());
    let bob = ts.site(|d| d.directory().unwrap().require_user("bob").unwrap());
    let d = n
        .dn_to_mid(vec![bob.legacy_dn.to_uppercase(), "/o=nowhere/cn=x".into(), hidden.legacy_dn.clone()])
        .await;
    let mids = d.minimal_ids.unwrap();
    assert_eq!(mids[..2], [mid_of(&ts, "bob"), 0]);
    assert_ne!(mids[2], 0, "a hidden user still resolves by exact DN");
    let p = n.get_props(0, Stat { current_rec: mids[2], ..stat() }, Some(vec![PR_DISPLAY_NAME])).await;
    assert_eq!(
        value_of(&p.property_values.unwrap(), PR_DISPLAY_NAME),
        Some(PropValue::Unicode("Hidden Auditor".into()))
    );
    let req = DnToMIdRequest { reserved: 0, names: None, auxiliary_buffer: vec![] };
    let d: DnToMIdSuccess = n.call("DNToMId", req.encode()).await;
    assert_eq!((d.error_code, d.minimal_ids), (0, None));
}

#[tokio::test]
async fn modifications_templates_and_urls() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    let alice = mid_of(&ts, "alice");
    let cert =
        AddressBookTaggedPropertyValue::new(PR_EMS_AB_X509_CERT, PropValue::MvBinary(vec![vec![1, 2, 3]]));
    let mod_props = |state: Stat, values: Option<Vec<AddressBookTaggedPropertyValue>>| ModPropsRequest {
        reserved: 0,
        state: Some(state),
        property_tags_to_remove: None,
        property_values: values,
        auxiliary_buffer: vec![],
    };
    let at_alice = Stat { current_rec: alice, ..stat() };
    let m: ModPropsSuccess = n.call("ModProps", mod_props(at_alice, Some(vec![cert.clone()])).encode()).await;
    assert_eq!(m.error_code, codes::MAPI_E_NO_SUPPORT.0, "the address book is read-only");
    let m: ModPropsSuccess = n.call("ModProps", mod_props(at_alice, None).encode()).await;
    assert_eq!(m.error_code, codes::MAPI_E_INVALID_PARAMETER.0);
    let nowhere = Stat { current_rec: 0x7777, ..stat() };
    let m: ModPropsSuccess = n.call("ModProps", mod_props(nowhere, Some(vec![cert.clone()])).encode()).await;
    assert_eq!(m.error_code, codes::MAPI_E_INVALID_PARAMETER.0);
    let uni = Stat { code_page: CP_WINUNICODE, ..at_alice };
    let m: ModPropsSuccess = n.call("ModProps", mod_props(uni, Some(vec![cert])).encode()).await;
    assert_eq!(m.error_code, codes::MAPI_E_NO_SUPPORT.0);

    let link = |mid: u32| ModLinkAttRequest {
        flags: 0,
        property_tag: PR_EMS_AB_MEMBER,
        minimal_id: mid,
        entry_ids: Some(vec![vec![0; 32]]),
        auxiliary_buffer: vec![],
    };
    let m: ModLinkAttSuccess = n.call("ModLinkAtt", link(0x7777).encode()).await;
    assert_eq!(m.error_code, codes::MAPI_E_INVALID_PARAMETER.0, "unknown dwMId");
    let m: ModLinkAttSuccess = n.call("ModLinkAtt", link(alice).encode()).await;
    assert_eq!(m.error_code, codes::MAPI_E_NO_SUPPORT.0);

    let t = GetTemplateInfoRequest {
        flags: TI_TEMPLATE,
        display_type: 0,
        template_dn: None,
        code_page: 1252,
        locale_id: NSPI_DEFAULT_LOCALE,
        auxiliary_buffer: vec![],
    };
    let r: GetTemplateInfoSuccess = n.call("GetTemplateInfo", t.encode()).await;
    assert_eq!((r.error_code, r.row), (codes::MAPI_E_NOT_FOUND.0, None));
    let t = GetTemplateInfoRequest { code_page: 0xFF, ..t };
    let r: GetTemplateInfoSuccess = n.call("GetTemplateInfo", t.encode()).await;
    assert_eq!(r.error_code, codes::MAPI_E_UNKNOWN_CPID.0);

    let me = ts.site(|d| d.directory().unwrap().require_user("alice").unwrap());
    let guid = me.mailbox_guid.to_string().trim_matches(|c| c == '{' || c == '}').to_ascii_lowercase();
    let req = GetMailboxUrlRequest {
        flags: 0,
        server_dn: "/o=oxmapi/cn=Servers/cn=localhost".into(),
        auxiliary_buffer: vec![],
    };
    let u: GetMailboxUrlSuccess = n.call("GetMailboxUrl", req.encode()).await;
    assert_eq!(u.error_code, 0);
    assert_eq!(u.server_url, format!("http://127.0.0.1/mapi/emsmdb/?MailboxId={guid}@oxmapi.local"));
    let bob = ts.site(|d| d.directory().unwrap().require_user("bob").unwrap());
    let req = GetAddressBookUrlRequest { flags: 0, user_dn: bob.legacy_dn.clone(), auxiliary_buffer: vec![] };
    let u: GetAddressBookUrlSuccess = n.call("GetAddressBookUrl", req.encode()).await;
    assert!(u.server_url.starts_with("http://127.0.0.1/mapi/nspi/?MailboxId="), "{}", u.server_url);
    let req =
        GetAddressBookUrlRequest { flags: 0, user_dn: "/o=nowhere/cn=x".into(), auxiliary_buffer: vec![] };
    let u: GetAddressBookUrlSuccess = n.call("GetAddressBookUrl", req.encode()).await;
    assert_eq!(u.error_code, codes::MAPI_E_NOT_FOUND.0);
}

#[tokio::test]
async fn directory_changes_show_without_a_restart() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    let all = |q: QueryRowsSuccess| names(&q.columns_and_rows.unwrap());
    let cols = Some(vec![PR_DISPLAY_NAME]);
    assert_eq!(n.query_rows(0, stat(), vec![], 100, cols.clone()).await.state.unwrap().total_recs, 4);
    seed(&ts, &[("erin", "Erin Eady")], false);
    ts.site(|d| d.directory().unwrap().set_hidden("bob", true).unwrap());
    ts.site(|d| d.directory().unwrap().set_hidden("auditor", false).unwrap());
    let rows = all(n.query_rows(0, stat(), vec![], 100, cols.clone()).await);
    assert_eq!(rows, ["Alfred Allen", "Alice Archer", "Carol Chen", "Erin Eady", "Hidden Auditor"]);
    let r = n.resolve_names(stat(), cols, &["bob", "erin"]).await;
    assert_eq!(r.minimal_ids.unwrap(), [MID_UNRESOLVED, MID_RESOLVED]);
    assert_eq!(names(&r.rows_and_columns.unwrap()), ["Erin Eady"]);
}

#[tokio::test]
async fn malformed_bodies_are_refused_and_never_break_the_server() {
    let ts = gal_server().await;
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    for (rt, body) in valid_bodies() {
        let mut bad: Vec<Vec<u8>> =
            vec![vec![], body[..body.len() - 1].to_vec(), [body.clone(), vec![0]].concat()];
        bad.push(vec![0xFF; body.len().max(8)]);
        bad.push([&body[..4], &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF][..]].concat());
        for (i, b) in bad.into_iter().enumerate() {
            let r = n.request(rt, b.clone()).await;
            let code = r.response_code();
            assert_eq!(code, Some(12), "{rt} case {i} {b:02x?}");
        }
        for seed in 0..12u64 {
            let b = noise(seed, (seed as usize * 13) % 96);
            let r = n.request(rt, b).await;
            let code = r.response_code();
            assert!(matches!(code, Some(0) | Some(12)), "{rt} noise {seed}: {code:?}");
            if code == Some(0) && rt != "Unbind" && rt != "Bind" {
                NspiResponseBody::decode(rt, &r.mapi_body()).unwrap_or_else(|e| panic!("{rt}: {e}"));
            }
            if rt == "Unbind" && code == Some(0) {
                n.bind().await;
            }
        }
        // The context still works after every refusal.
        let cols = QueryColumnsRequest { reserved: 0, mapi_flags: 0, auxiliary_buffer: vec![] };
        let ok: QueryColumnsSuccess = n.call("QueryColumns", cols.encode()).await;
        assert_eq!(ok.error_code, 0, "after {rt}");
    }
    // Every valid body is answered (NSPI errors travel in ErrorCode).
    for (rt, body) in valid_bodies() {
        let r = n.request(rt, body).await;
        assert_eq!(r.response_code(), Some(0), "{rt}: {}", String::from_utf8_lossy(&r.body));
        let resp = NspiResponseBody::decode(rt, &r.mapi_body()).unwrap();
        assert_eq!(resp.status_code(), 0, "{rt}");
    }
    // Bind's own malformed body, without a context.
    let mut fresh = Nspi::new(&ts, "bob").await;
    assert_eq!(fresh.request("Bind", vec![1, 2]).await.response_code(), Some(12));
    assert_eq!(fresh.request("Execute", vec![0; 16]).await.response_code(), Some(5), "an EMSMDB type");
}

/// 10 000 directory users; the GAL order (display name) is a permutation of the insertion order.
const BIG: usize = 10_000;

fn big_name(i: usize) -> String {
    format!("Person {:05}", (i * 7919) % BIG)
}

#[tokio::test]
async fn paging_with_stat_through_a_10000_entry_gal() {
    let ts = TestServer::start().await;
    let users: Vec<NewUser> = (0..BIG)
        .map(|i| NewUser {
            name: format!("u{i:05}"),
            password: PASSWORD.into(),
            display_name: Some(big_name(i)),
            ..NewUser::default()
        })
        .collect();
    ts.site(|d| d.directory().unwrap().add_users_bulk_without_mailboxes(&users).unwrap());
    let mut n = Nspi::new(&ts, "u00000").await;
    n.bind().await;

    // Forward, 750 rows a page: every row once, in display-name order; STAT follows.
    let cols = Some(vec![PR_DISPLAY_NAME, PR_INSTANCE_KEY]);
    let mut st = stat();
    let mut seen: Vec<(String, u32)> = Vec::new();
    loop {
        let q = n.query_rows(0, st, vec![], 750, cols.clone()).await;
        assert_eq!(q.error_code, 0);
        let next = q.state.unwrap();
        let page = q.columns_and_rows.unwrap();
        for r in &page.row_data {
            let RowValue::Value(PropValue::Binary(k)) = &r.values[1] else { panic!() };
            seen.push((text_of(&r.values[0]), u32::from_le_bytes(k[..4].try_into().unwrap())));
        }
        assert_eq!((next.num_pos as usize, next.total_recs as usize, next.delta), (seen.len(), BIG, 0));
        if next.current_rec == MID_END_OF_TABLE {
            break;
        }
        st = next;
        assert!(page.row_data.len() == 750, "short page before the end");
    }
    assert_eq!(seen.len(), BIG);
    let expected: Vec<String> = (0..BIG).map(|i| format!("Person {i:05}")).collect();
    assert_eq!(seen.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), expected);
    let mids: std::collections::HashSet<u32> = seen.iter().map(|(_, m)| *m).collect();
    assert_eq!(mids.len(), BIG, "MIds are unique");

    // Positioning: back from the end, fractional, SeekEntries, a CurrentRec in the middle.
    let u = n.update_stat(Stat { current_rec: MID_END_OF_TABLE, delta: -10, ..stat() }, true).await;
    let s = u.state.unwrap();
    assert_eq!((s.num_pos, s.current_rec, u.delta), (9990, seen[9990].1, Some(-10)));
    let q = n.query_rows(0, s, vec![], u32::MAX, cols.clone()).await;
    assert_eq!(q.columns_and_rows.unwrap().row_data.len(), 10);
    let frac = Stat { current_rec: MID_CURRENT, num_pos: 3, total_recs: 4, ..stat() };
    assert_eq!(n.update_stat(frac, false).await.state.unwrap().current_rec, seen[7500].1);
    let f = n.seek_entries(stat(), display_name_target("person 04321"), None, cols.clone()).await;
    assert_eq!(f.state.unwrap().num_pos, 4321);
    let mid = Stat { current_rec: seen[5000].1, delta: -1, ..stat() };
    let q = n.query_rows(0, mid, vec![], 2, cols.clone()).await;
    assert_eq!(names(&q.columns_and_rows.unwrap()), ["Person 04999", "Person 05000"]);
    assert_eq!(q.state.unwrap().current_rec, seen[5001].1);
    let m = n.get_matches(stat(), Some(anr("Person 0432")), 100, None).await;
    assert_eq!(m.minimal_ids.unwrap(), seen[4320..4330].iter().map(|(_, m)| *m).collect::<Vec<_>>());
    let r = n.resolve_names(stat(), None, &["Person 04321", "Person 0432"]).await;
    assert_eq!(r.minimal_ids.unwrap(), [MID_RESOLVED, MID_AMBIGUOUS]);
    assert_eq!(n.compare_mids(Some(stat()), seen[10].1, seen[9000].1).await.result, 10 - 9000);
}

/// Issue 14 item 6: a hidden user's MId (0x1000 + directory row id) is easy to guess. Every
/// method that takes an MId — GetProps, QueryRows and SeekEntries on an explicit table,
/// ResortRestriction, GetPropList, GetMatches at CurrentRec, CompareMIds, ModProps, ModLinkAtt —
/// answers a guessed hidden MId exactly as an MId that names nothing; only NspiDNToMId with the
/// exact legacy DN hands it out (as Exchange resolves hidden objects by DN, MS-OXNSPI
/// 3.1.4.1.14), for that session only. The hidden user's own session reaches their own entry.
#[tokio::test]
async fn a_guessed_mid_of_a_hidden_user_reveals_nothing_but_the_exact_dn_still_works() {
    let ts = gal_server().await;
    let auditor = ts.site(|d| d.directory().unwrap().require_user("auditor").unwrap());
    let guessed = mid_of(&ts, "auditor");
    let nothing = guessed + 0x10_0000;
    let alice = mid_of(&ts, "alice");
    let mut n = Nspi::new(&ts, "alice").await;
    n.bind().await;
    let cols = || Some(vec![PR_DISPLAY_NAME, PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS]);

    // What each method answers for `mid`, with the MId itself left out of the comparison.
    async fn answers(n: &mut Nspi, mid: u32, alice: u32) -> Vec<String> {
        let cols = Some(vec![PR_DISPLAY_NAME, PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS]);
        let at = Stat { current_rec: mid, ..stat() };
        let mut out = Vec::new();
        out.push(format!("{:?}", n.get_props(0, at, cols.clone()).await));
        out.push(format!("{:?}", n.query_rows(0, stat(), vec![mid], 0, cols.clone()).await));
        out.push(format!(
            "{:?}",
            n.seek_entries(stat(), display_name_target("A"), Some(vec![mid]), cols).await
        ));
        out.push(format!("{:?}", n.resort(stat(), vec![mid]).await));
        out.push(format!("{:?}", n.get_prop_list(0, mid, CP_WINUNICODE).await));
        out.push(format!("{:?}", n.get_matches(at, None, 10, None).await.error_code));
        out.push(format!("{:?}", n.compare_mids(None, mid, alice).await));
        let cert = AddressBookTaggedPropertyValue::new(
            PR_EMS_AB_X509_CERT,
            PropValue::MvBinary(vec![vec![1, 2, 3]]),
        );
        let req = ModPropsRequest {
            reserved: 0,
            state: Some(at),
            property_tags_to_remove: None,
            property_values: Some(vec![cert]),
            auxiliary_buffer: vec![],
        };
        let m: ModPropsSuccess = n.call("ModProps", req.encode()).await;
        out.push(format!("{m:?}"));
        let req = ModLinkAttRequest {
            flags: 0,
            property_tag: PR_EMS_AB_MEMBER,
            minimal_id: mid,
            entry_ids: Some(vec![vec![0; 32]]),
            auxiliary_buffer: vec![],
        };
        let m: ModLinkAttSuccess = n.call("ModLinkAtt", req.encode()).await;
        out.push(format!("{m:?}"));
        out
    }

    let as_nothing = answers(&mut n, nothing, alice).await;
    let as_guessed = answers(&mut n, guessed, alice).await;
    assert_eq!(as_guessed, as_nothing, "a guessed hidden MId answers as an MId naming nothing");
    assert!(
        as_guessed.iter().all(|a| !a.contains("Hidden Auditor") && !a.contains("auditor@")),
        "{as_guessed:?}"
    );
    // Name resolution does not find hidden users either.
    let r = n.resolve_names(stat(), cols(), &["Hidden Auditor", "auditor", &auditor.smtp_address]).await;
    assert_eq!(r.minimal_ids.unwrap(), [MID_UNRESOLVED; 3]);

    // The exact DN finds the entry, and this session may then use its MId.
    let found = n.dn_to_mid(vec![auditor.legacy_dn.to_uppercase()]).await.minimal_ids.unwrap();
    assert_eq!(found, [guessed]);
    let p = n.get_props(0, Stat { current_rec: guessed, ..stat() }, cols()).await;
    assert_eq!(
        value_of(&p.property_values.unwrap(), PR_DISPLAY_NAME),
        Some(PropValue::Unicode("Hidden Auditor".into()))
    );
    let q = n.query_rows(0, stat(), vec![guessed], 0, cols()).await;
    assert_eq!(names(&q.columns_and_rows.unwrap()), ["Hidden Auditor"]);

    // Another session of the same user has not looked it up: nothing again.
    let mut other = Nspi::new(&ts, "alice").await;
    other.bind().await;
    assert_eq!(answers(&mut other, guessed, alice).await, as_nothing);

    // The hidden user's own session reaches their own entry without a lookup.
    let mut own = Nspi::new(&ts, "auditor").await;
    own.bind().await;
    let p = own.get_props(0, Stat { current_rec: guessed, ..stat() }, cols()).await;
    assert_eq!(
        value_of(&p.property_values.unwrap(), PR_DISPLAY_NAME),
        Some(PropValue::Unicode("Hidden Auditor".into()))
    );
}
