//! `oxmapi bench contents`: messages and contents tables end to end. It starts `oxmapi serve`
//! as a child process on a temporary data directory and measures through the client library
//! (the synchronous MAPI objects of `oxmapi-client`):
//!
//! 1. small messages — RopCreateMessage, RopSetProperties (PR_SUBJECT, PR_BODY,
//!    PR_MESSAGE_DELIVERY_TIME), RopSaveChangesMessage — per second, with p50/p99 per message
//!    ([`writes`]; `--small 0` skips it);
//! 2. messages with one attachment of random bytes (1 MB by default) written through a stream
//!    (RopOpenStream, RopWriteStream…, RopCommitStream, RopSaveChangesAttachment), per second
//!    and in MB/s ([`writes`]; `--attachments 0` skips it);
//! 3. a large folder (`--rows`, 100,000 messages by default) read through its contents table:
//!    first-page latency (RopGetContentsTable → RopSetColumns → [RopRestrict] → RopSortTable by
//!    PR_MESSAGE_DELIVERY_TIME descending → the first RopQueryRows answer) and rows per second
//!    of reading every row, without a restriction, with an equality on PR_IMPORTANCE and with a
//!    range of PR_MESSAGE_DELIVERY_TIME; the median of `--repeat` runs; the server's resident
//!    memory (VmRSS) at each stage and its peak during the table reads ([`large_folder`]);
//! 4. with `--sizes`, the folder-size sweep ([`sweep`]): per folder size and per view (by
//!    delivery time, by subject, PR_IMPORTANCE == 2, a case-insensitive substring of the
//!    subject) the first page, a SeekRowFractional to 50 % and a page, the full read rate and
//!    the server memory one open table costs. `--rows` then defaults to 0.
//!
//! The large folders are seeded offline, not through the server ([`offline`]), with the same
//! code on either backend: with `OXMAPI_BENCH_DATABASE` the whole bench runs on a throwaway
//! PostgreSQL database, and the output's `backend` says which (`sqlite` or `postgresql`).

mod corpus;
mod large_folder;
mod offline;
mod sweep;
mod sweep_seed;
mod views;
mod writes;

use std::time::Duration;

use oxmapi_client::store::{Folder, MsgStore};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{
    PR_ENTRYID, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_SUBJECT,
};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::describe::Node;

use super::{BenchSession, ChildServer, cores, fail, new_data_dir, rss_kib};

/// `--rows` when neither it nor `--sizes` is given.
const DEFAULT_ROWS: usize = 100_000;

/// Options of `oxmapi bench contents`.
#[derive(clap::Args)]
pub struct BenchContentsArgs {
    /// Small messages created and saved through the client (0 skips them).
    #[arg(long, default_value_t = 2000)]
    pub small: usize,
    /// Messages with one attachment created and saved through the client (0 skips them).
    #[arg(long, default_value_t = 100)]
    pub attachments: usize,
    /// Bytes of each attachment (random, so incompressible).
    #[arg(long, default_value_t = 1 << 20)]
    pub attachment_size: usize,
    /// Messages in the folder whose contents table is read with three views (0 skips the
    /// table reads; default 100,000, or 0 when --sizes is given).
    #[arg(long)]
    pub rows: Option<usize>,
    /// The folder-size sweep: folder sizes, a comma list (e.g. 1000,10000,100000,1000000).
    #[arg(long, value_delimiter = ',')]
    pub sizes: Vec<usize>,
    /// Rows in the first page (and in the page after the seek of the sweep).
    #[arg(long, default_value_t = 50)]
    pub page: usize,
    /// Runs of each table measurement; the median is reported.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
}

/// The columns of the contents-table reads (an Outlook message list, trimmed).
const COLUMNS: [PropTag; 5] =
    [PR_ENTRYID, PR_SUBJECT, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE, PR_MESSAGE_FLAGS];
const SECOND: u64 = 10_000_000;
const DAY: u64 = 86_400 * SECOND;
const BODY: &str = "Hello,\r\n\r\nplease find the figures for this quarter below. The numbers are \
                    preliminary; the final report follows next week.\r\n\r\nRegards,\r\nThe bench\r\n";

fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A logged-on client: its session and default store.
struct Client {
    store: MsgStore,
    _session: BenchSession,
}

impl Client {
    fn logon(url: &str) -> Result<Client, MapiError> {
        let session = BenchSession::logon(url)?;
        let row = session
            .session
            .msg_stores_table()
            .into_iter()
            .find(|r| r.default_store)
            .ok_or_else(|| fail("the stores table has no default store"))?;
        let store = session.session.open_msg_store(&row.entry_id)?;
        Ok(Client { store, _session: session })
    }

    fn new_folder(&self, name: &str) -> Result<Folder, MapiError> {
        self.store.ipm_subtree()?.create_folder(name, None, false)
    }
}

/// Phases 1 and 2 on a fresh server: the small messages and the messages with an attachment.
fn writes(
    args: &BenchContentsArgs,
    data: &std::path::Path,
    out: &mut Vec<(&str, Node)>,
    memory: &mut Vec<(&str, Node)>,
) -> Result<(), MapiError> {
    let server = ChildServer::start(data)?;
    memory.push(("rss_at_start_kib", Node::Int(rss_kib(server.pid()).unwrap_or(0) as i128)));
    let client = Client::logon(&server.url)?;
    out.push(("server", Node::str(server.url.clone())));
    if args.small > 0 {
        progress!("bench: {} small messages", args.small);
        out.push(("small_messages", writes::small_messages(&client.new_folder("Bench small")?, args.small)?));
    }
    if args.attachments > 0 {
        progress!("bench: {} messages with a {}-byte attachment", args.attachments, args.attachment_size);
        let folder = client.new_folder("Bench attachments")?;
        out.push((
            "attachment_messages",
            writes::attachment_messages(&folder, args.attachments, args.attachment_size)?,
        ));
    }
    memory.push(("rss_after_writes_kib", Node::Int(rss_kib(server.pid()).unwrap_or(0) as i128)));
    // Dropping the server kills it (SIGKILL): every acknowledged write is durable
    // (crates/cli/tests/crash.rs), so the offline seeding that follows sees them all.
    Ok(())
}

/// Runs `oxmapi bench contents`.
pub fn run(args: &BenchContentsArgs) -> Result<Node, MapiError> {
    let (dir, user) = new_data_dir(8)?;
    let mut memory = Vec::new();
    progress!("bench: contents on {}", dir.backend());
    let mut out = vec![
        ("backend", Node::str(dir.backend())),
        ("machine_cores", cores()),
        ("data_dir", Node::str(dir.path().display().to_string())),
    ];
    if args.small > 0 || args.attachments > 0 {
        writes(args, dir.path(), &mut out, &mut memory)?;
    }
    let rows = args.rows.unwrap_or(if args.sizes.is_empty() { DEFAULT_ROWS } else { 0 });
    if rows > 0 || !args.sizes.is_empty() {
        out.push(("page_rows", Node::Int(args.page as i128)));
    }
    if rows > 0 {
        out.extend(large_folder::run(dir.path(), &user, rows, args.page, args.repeat, &mut memory)?);
    }
    if !args.sizes.is_empty() {
        progress!(
            "bench: seeding the sweep's folders ({} messages each)",
            args.sizes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ")
        );
        let seeded = sweep_seed::seed(dir.path(), &user, &args.sizes)?;
        out.push(("sweep_seed", seeded.node()));
        out.push(("sweep_full_read_cap", Node::Int(sweep::FULL_READ_CAP as i128)));
        out.push(("sweep", sweep::run(dir.path(), &seeded, args.page, args.repeat)?));
    }
    if !memory.is_empty() {
        out.push(("server_memory", Node::map(memory)));
    }
    drop(dir);
    Ok(Node::map(out))
}
