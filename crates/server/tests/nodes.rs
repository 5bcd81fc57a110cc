//! Several `oxmapi serve` nodes on one site (issue 16 item 3), attacked over real HTTP on
//! 127.0.0.1: a session context stays on the node that made it. Its cookie names the node; a
//! request carrying it that reaches another node (a load balancer moved the client) gets
//! X-ResponseCode 10 (Context Not Found, MS-OXCMAPIHTTP 2.2.3.3.3), on which the client sends
//! Connect again — and that Connect works on the new node. A node that starts clears only its
//! own leftover rows of the session registry, never the live contexts of the other nodes.

mod common;

use common::*;
use oxmapi_server::Server;
use oxmapi_wire::mapihttp::nspi::{BindRequest, UnbindRequest};

/// Node 1 and node 2 on one site, with alice.
async fn two_nodes() -> (TestServer, Server, oxmapi_store::User) {
    let ts = TestServer::start_with(tempfile::tempdir().unwrap(), |c| c.node_id = 1).await;
    let alice = ts.add_user("alice", false);
    let two = ts.another_server(ts.dir.path(), |c| c.node_id = 2).await;
    (ts, two, alice)
}

#[tokio::test]
async fn a_cookie_of_node_one_sent_to_node_two_gets_context_not_found_and_a_fresh_connect_works() {
    let (ts, two, alice) = two_nodes().await;
    let mut m = connected_user(&ts, &alice).await;
    let id = m.cookies.get("MapiContext").unwrap().clone();
    assert!(id.starts_with("0001"), "the cookie names node 1: {id}");

    // The load balancer sends the client to node 2 with node 1's cookies.
    m.conn = Conn::open(two.addr).await;
    let r = m.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(10), "{}", String::from_utf8_lossy(&r.body));
    assert!(String::from_utf8_lossy(&r.body).contains("node 1"), "{}", String::from_utf8_lossy(&r.body));
    let r = m.request("PING", vec![]).await;
    assert_eq!(r.response_code(), Some(10), "PING too: the context is not here");

    // The client reconnects: node 2 makes its own context, named after itself.
    let (r, ok) = m.connect(&alice.legacy_dn, 0).await;
    assert_eq!(ok.map(|s| s.error_code), Some(0), "{}", String::from_utf8_lossy(&r.body));
    let id2 = m.cookies.get("MapiContext").unwrap().clone();
    assert!(id2.starts_with("0002"), "{id2}");
    let r = m.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));

    // Node 1's context was not touched by any of this.
    assert_eq!(ts.server.state.sessions.ids(), vec![id]);
    assert_eq!(two.state.sessions.len(), 1);
    two.stop().await;
}

#[tokio::test]
async fn an_address_book_cookie_of_another_node_gets_context_not_found() {
    let (ts, two, alice) = two_nodes().await;
    let mut m = Mapi::new(&ts, &alice.name).await;
    let r =
        nspi(&mut m, "Bind", BindRequest { flags: 0, state: None, auxiliary_buffer: vec![] }.encode()).await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));
    m.conn = Conn::open(two.addr).await;
    let r = nspi(&mut m, "Unbind", UnbindRequest { reserved: 0, auxiliary_buffer: vec![] }.encode()).await;
    assert_eq!(r.response_code(), Some(10), "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(ts.server.state.sessions.len(), 1, "node 1's address book context lives on");
    two.stop().await;
}

#[tokio::test]
async fn a_starting_node_leaves_the_registry_rows_of_the_other_nodes() {
    let (ts, two, alice) = two_nodes().await;
    let _on_one = connected_user(&ts, &alice).await;
    let mut on_two = Mapi::new(&ts, &alice.name).await;
    on_two.conn = Conn::open(two.addr).await;
    assert_eq!(on_two.connect(&alice.legacy_dn, 0).await.1.map(|s| s.error_code), Some(0));
    let registry = || ts.site(|d| d.directory().unwrap().sessions().unwrap());
    assert_eq!(registry().len(), 2);

    // Node 2 restarts: its own row goes (its contexts did not survive), node 1's stays.
    two.stop().await;
    let again = ts.another_server(ts.dir.path(), |c| c.node_id = 2).await;
    let rows = registry();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].id.starts_with("0001"), "{rows:?}");
    again.stop().await;
}

/// An address book request on `m`'s connection with its credentials and cookies.
async fn nspi(m: &mut Mapi, request_type: &str, body: Vec<u8>) -> Reply {
    let ctx = Post { auth: &m.auth, version: &m.version, counter: 1 };
    mapi_post(&mut m.conn, "/mapi/nspi/?MailboxId=x@y", &ctx, &mut m.cookies, request_type, body).await
}
