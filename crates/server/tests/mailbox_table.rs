//! The administrator's mailbox table at `/mapi/oxmapi/mailboxes`, through real HTTP on
//! 127.0.0.1: authenticated like the MAPI/HTTP endpoints, authorised against the directory on
//! every request (an administrator demoted while the server runs is refused at the next
//! request), the rows in MAPI's encoding (`oxmapi_wire::mapihttp::mailbox_table`).

mod common;

use common::{Conn, PASSWORD, Reply, TestServer, basic, logon_private, server_store};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::mapihttp::mailbox_table::{MailboxTableRow, PATH, decode};

async fn get(conn: &mut Conn, auth: Option<String>) -> Reply {
    let headers: Vec<(&str, String)> = auth.into_iter().map(|a| ("Authorization", a)).collect();
    conn.send("GET", PATH, &headers, Vec::new()).await
}

fn rows(r: &Reply) -> Vec<MailboxTableRow> {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("Content-Type"), Some("application/octet-stream"));
    decode(&r.body).unwrap().iter().map(|p| MailboxTableRow::from_properties(p)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_get_the_table_others_are_refused() {
    let ts = TestServer::start().await;
    let root = ts.add_user("root", true);
    let alice = ts.add_user("alice", false);
    ts.add_user("bob", false);

    // Alice logs on to her mailbox (the logon time is recorded) and saves a message there.
    let _logon = logon_private(&ts, &alice).await;
    let store = server_store(&ts, &alice);
    let size = common::off_runtime(|| {
        let inbox = store.special_folder(oxmapi_store::SpecialFolder::Inbox).unwrap();
        let mut d = store.create_message(inbox, false).unwrap();
        let body = TaggedValue::new(PR_BODY, PropValue::Unicode("x".repeat(2000)));
        store.set_properties(&mut d, &[body]).unwrap();
        store.save_message(&mut d, false).unwrap();
        store.mailbox_size().unwrap() as i64
    });

    let mut conn = Conn::open(ts.addr()).await;
    // Without credentials: 401 with the offered schemes, as on /mapi/emsmdb.
    let r = get(&mut conn, None).await;
    assert_eq!(r.status, 401);
    assert!(
        r.headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("www-authenticate") && v.starts_with("Basic"))
    );
    let r = get(&mut conn, Some(basic("root", "wrong"))).await;
    assert_eq!(r.status, 401, "a wrong password");

    let table = rows(&get(&mut conn, Some(basic("root", PASSWORD))).await);
    let names: Vec<&str> = table.iter().map(|r| r.account.as_str()).collect();
    assert_eq!(names, ["alice", "bob", "root"]);
    let a = &table[0];
    assert_eq!(a.display_name, "alice display");
    assert_eq!(a.legacy_dn, alice.legacy_dn);
    assert_eq!(a.mailbox_guid, alice.mailbox_guid);
    let c = a.counts.expect("alice's counts");
    assert_eq!((c.content_count, c.size), (1, size), "the store's own PR_MESSAGE_SIZE_EXTENDED");
    assert!(size > 2000);
    let now = oxmapi_core::time::FileTime::now().unix_seconds();
    assert!(
        a.last_logon.is_some_and(|t| (now - t).abs() < 120),
        "alice logged on just now: {:?}",
        a.last_logon
    );
    assert_eq!(table[1].last_logon, None, "bob never logged on");
    assert_eq!(table[1].counts.unwrap().size, 0);
    assert_eq!(a.quota_state(), "ok", "under the site's default quotas");

    // The same rows by POST with an empty body (what a MAPI/HTTP client transport sends).
    let r = conn.send("POST", PATH, &[("Authorization", basic("root", PASSWORD))], Vec::new()).await;
    assert_eq!(rows(&r), table);
    let r = conn.send("PUT", PATH, &[("Authorization", basic("root", PASSWORD))], Vec::new()).await;
    assert_eq!(r.status, 405);

    // A user who is not an administrator: 403 naming the MAPI error and what grants the right.
    let r = get(&mut conn, Some(basic("alice", PASSWORD))).await;
    assert_eq!(r.status, 403);
    let text = String::from_utf8_lossy(&r.body);
    for needle in ["MAPI_E_NO_ACCESS", "0x80070005", "--admin", "CONNECT_USE_ADMIN_PRIVILEGE"] {
        assert!(text.contains(needle), "{needle} in {text}");
    }

    // Root demoted while the server runs: refused at the next request on the same connection.
    assert_eq!(get(&mut conn, Some(basic("root", PASSWORD))).await.status, 200);
    ts.site(|s| s.directory().unwrap().set_admin(&root.name, false).unwrap());
    assert_eq!(get(&mut conn, Some(basic("root", PASSWORD))).await.status, 403);
    ts.site(|s| s.directory().unwrap().set_admin(&root.name, true).unwrap());
    assert_eq!(get(&mut conn, Some(basic("root", PASSWORD))).await.status, 200);
    // A disabled administrator is refused too.
    ts.site(|s| s.directory().unwrap().set_enabled(&root.name, false).unwrap());
    assert_eq!(get(&mut conn, Some(basic("root", PASSWORD))).await.status, 403);
}

/// A mailbox the server has not opened is read and closed again: listing does not leave it in
/// the server's cache of open stores.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_does_not_keep_mailboxes_open() {
    let ts = TestServer::start().await;
    ts.add_user("root", true);
    ts.add_user("carol", false);
    let mut conn = Conn::open(ts.addr()).await;
    let table = rows(&get(&mut conn, Some(basic("root", PASSWORD))).await);
    assert_eq!(table.len(), 2);
    assert!(table.iter().all(|r| r.counts.is_some()));
    let carol = ts.user("carol");
    let open = common::off_runtime(|| ts.server.state.stores.open_private(&carol).is_some());
    assert!(!open, "carol's mailbox stays closed");
}
