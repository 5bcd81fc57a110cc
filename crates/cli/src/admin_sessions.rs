//! `oxmapi admin sessions ls|kill` (CLI.md "Security and sessions"): the live session contexts
//! the server records in `directory.sqlite` ([`oxmapi_store::directory::sessions`]).
//!
//! Works with or without the server running. `kill` marks the sessions killed and moves the
//! authorisation generation, which a running server polls every 500 ms: it ends them (their
//! next request, and any pending NotificationWait, get X-ResponseCode 10 with
//! `X-Oxmapi-Context-Ended: killed`) and removes their records. When the records are still
//! there after [`KILL_CONFIRM_WAIT`], no server is serving them, and `kill` removes them itself.

use std::time::{Duration, Instant};

use oxmapi_core::MapiError;
use oxmapi_core::time::FileTime;
use oxmapi_store::{Directory, SessionRecord, StoreError};
use oxmapi_wire::describe::Node;

use crate::admin_cmd::SessionsCommand;

/// How long `kill` waits for a running server to end the killed sessions before it concludes
/// that none runs (four of the server's 500 ms authorisation polls).
pub const KILL_CONFIRM_WAIT: Duration = Duration::from_secs(2);

fn time(secs: i64) -> Node {
    Node::Str(FileTime::from_unix_seconds(secs).to_rfc3339())
}

fn session_node(r: &SessionRecord) -> Node {
    Node::map([
        ("id", Node::str(&r.id)),
        // The `oxmapi serve --node-id` that holds the context (its id names it).
        ("node", oxmapi_server::session::node_of(&r.id).map_or(Node::Null, |n| Node::Int(n.into()))),
        ("user", Node::str(&r.user)),
        ("endpoint", Node::str(&r.endpoint)),
        ("client_application", Node::str(&r.client_application)),
        ("client_version", Node::str(&r.client_version)),
        ("address", Node::str(&r.address)),
        ("created", time(r.created)),
        ("last_activity", time(r.last_activity)),
    ])
}

/// Runs `sessions ls` or `sessions kill`.
pub fn run(dir: &Directory, cmd: &SessionsCommand) -> Result<Node, MapiError> {
    match cmd {
        SessionsCommand::Ls => {
            let live: Vec<Node> = dir.sessions()?.iter().filter(|r| !r.killed).map(session_node).collect();
            Ok(Node::map([("sessions", Node::List(live))]))
        }
        SessionsCommand::Kill { target } => kill(dir, target),
    }
}

fn kill(dir: &Directory, target: &str) -> Result<Node, MapiError> {
    let ids = dir.sessions_kill(target)?;
    if ids.is_empty() {
        return Err(StoreError::NotFound(format!(
            "no live session of a user or with an id {target:?} (see `oxmapi admin sessions ls`)"
        ))
        .into());
    }
    let started = Instant::now();
    let remaining = loop {
        let remaining: Vec<String> =
            dir.sessions()?.into_iter().filter(|r| ids.contains(&r.id)).map(|r| r.id).collect();
        if remaining.is_empty() || started.elapsed() >= KILL_CONFIRM_WAIT {
            break remaining;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let ended_by = if remaining.is_empty() {
        "the server ended them"
    } else {
        // No server ended them: none is running on this directory; the records are stale.
        dir.sessions_remove(&remaining)?;
        "no server was running; their records were removed"
    };
    Ok(Node::map([
        ("killed", Node::List(ids.into_iter().map(Node::Str).collect())),
        ("result", Node::str(ended_by)),
    ]))
}
