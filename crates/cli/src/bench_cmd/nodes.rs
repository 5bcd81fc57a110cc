//! Several `oxmapi serve` nodes on one site for the benches (issue 16 "Measure"): `--nodes N`
//! of `bench connect` and `bench notify`, and the two nodes of `bench failover`. Every node is a
//! child process started on the bench's data directory, whose `oxmapi.toml` names the
//! PostgreSQL database of [`BENCH_DATABASE_ENV`]; with more than one node each gets
//! `--node-id` 1, 2, … so session cookies name their node. One node is started exactly as the
//! single-server benches always were (no `--node-id`), so `--nodes 1` measures what they did
//! and works with an older [`super::SERVER_EXE_ENV`] build.
//!
//! A client that is to survive its node's death gets a profile naming every node
//! ([`BenchSession::logon_site`]): the first node as Autodiscover's internal mailbox URL, the
//! second as the external one, as a multi-node site publishes them, so the client library fails
//! over the way `crates/client/tests/failover.rs` proves.

use std::path::Path;

use oxmapi_client::transport::MapiHttpUrls;
use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_wire::describe::Node;

use super::load::ProcStatus;
use super::{BENCH_DATABASE_ENV, BenchSession, ChildServer, fail};

/// Refuses `nodes` nodes without a shared database: zero nodes, or several without
/// [`BENCH_DATABASE_ENV`] (a site of SQLite files has one node). `what` names the option or
/// bench asking, for the message.
pub fn require_site_for(nodes: usize, what: &str) -> Result<(), MapiError> {
    if nodes == 0 {
        return Err(MapiError::new(codes::MAPI_E_INVALID_PARAMETER, format!("{what}: at least one node")));
    }
    let database = std::env::var(BENCH_DATABASE_ENV).is_ok_and(|v| !v.trim().is_empty());
    if nodes > 1 && !database {
        return Err(MapiError::new(
            codes::MAPI_E_INVALID_PARAMETER,
            format!(
                "{what}: {nodes} nodes need one PostgreSQL site to share; set \
                 {BENCH_DATABASE_ENV}=postgres://USER@HOST:PORT (a server where the bench may create \
                 and drop a database; scripts/pg-test-cluster.sh starts one), since a site of SQLite \
                 files has one node"
            ),
        ));
    }
    Ok(())
}

/// The nodes of one bench site, in order (node 1 first); killed when dropped.
pub struct Nodes {
    servers: Vec<ChildServer>,
}

impl Nodes {
    /// Starts `n` nodes on the data directory `data` (call [`require_site_for`] first).
    pub fn start(data: &Path, n: usize) -> Result<Nodes, MapiError> {
        let servers = match n {
            1 => vec![ChildServer::start_node(data, None)?],
            _ => {
                (1..=n).map(|id| ChildServer::start_node(data, Some(id as u16))).collect::<Result<_, _>>()?
            }
        };
        Ok(Nodes { servers })
    }

    /// How many nodes run (or ran).
    pub fn len(&self) -> usize {
        self.servers.len()
    }

    /// Node `i` (0 is node 1).
    pub fn node(&self, i: usize) -> &ChildServer {
        &self.servers[i]
    }

    /// Node `i`, to kill it.
    pub fn node_mut(&mut self, i: usize) -> &mut ChildServer {
        &mut self.servers[i]
    }

    /// Every node's base URL, node 1 first.
    pub fn urls(&self) -> Vec<String> {
        self.servers.iter().map(|s| s.url.clone()).collect()
    }

    /// Every node's process id.
    pub fn pids(&self) -> Vec<u32> {
        self.servers.iter().map(ChildServer::pid).collect()
    }
}

/// The node index the `i`th of many sessions goes to: round-robin over `nodes`.
pub fn round_robin(i: usize, nodes: usize) -> usize {
    i % nodes.max(1)
}

/// How many of `total` sessions wait on node `node` of `nodes` when they are split evenly (the
/// first nodes take one more when it does not divide).
pub fn share(total: usize, node: usize, nodes: usize) -> usize {
    let nodes = nodes.max(1);
    total / nodes + usize::from(node < total % nodes)
}

/// A per-node list of resident sizes, `[{"node": 1, "rss_kib": …}, …]`.
pub fn rss_per_node(status: &[ProcStatus]) -> Node {
    Node::List(
        status
            .iter()
            .enumerate()
            .map(|(i, s)| {
                Node::map([("node", Node::Int(i as i128 + 1)), ("rss_kib", Node::Int(s.rss_kib as i128))])
            })
            .collect(),
    )
}

impl BenchSession {
    /// MAPILogonEx (new session) of `user` (legacy DN `dn`) with a profile that names every one
    /// of `urls`: the first as the server and Autodiscover's internal mailbox and address book
    /// URL, the second as the external ones, all of their origins trusted. The client connects
    /// through the first and, when it stops answering, through the other
    /// (`EmsmdbLink::reconnect`).
    pub fn logon_site(urls: &[String], user: &str, dn: &str) -> Result<BenchSession, MapiError> {
        let (first, other) = match urls {
            [first, other, ..] => (first, other),
            [first] => (first, first),
            [] => return Err(fail("no node to log on to")),
        };
        BenchSession::logon_profile(|p| {
            p.add_msems_service(Some(first), Some(user))?;
            p.set_profile_user(dn);
            let mapi_urls = MapiHttpUrls {
                mailstore_internal: Some(format!("{first}/mapi/emsmdb/")),
                mailstore_external: Some(format!("{other}/mapi/emsmdb/")),
                addressbook_internal: Some(format!("{first}/mapi/nspi/")),
                addressbook_external: Some(format!("{other}/mapi/nspi/")),
            };
            p.set_mapihttp_urls(&mapi_urls, &format!("{first}/autodiscover/autodiscover.xml"));
            p.add_trusted_origins(urls)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_spread_round_robin_and_split_evenly() {
        let placed: Vec<usize> = (0..5).map(|i| round_robin(i, 2)).collect();
        assert_eq!(placed, [0, 1, 0, 1, 0]);
        assert_eq!((share(500, 0, 2), share(500, 1, 2)), (250, 250));
        assert_eq!((share(5, 0, 2), share(5, 1, 2)), (3, 2));
        assert_eq!((share(1, 0, 2), share(1, 1, 2)), (1, 0));
        assert_eq!(share(7, 0, 1), 7);
    }

    #[test]
    fn zero_nodes_are_refused() {
        let e = require_site_for(0, "--nodes").unwrap_err();
        assert_eq!(e.code, codes::MAPI_E_INVALID_PARAMETER);
    }
}
