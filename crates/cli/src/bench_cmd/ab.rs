//! `oxmapi bench ab`: the address book over NSPI (MAPI/HTTP) against a server process whose
//! directory holds `--users` entries (default 10,000): the first bind, ResolveNames one name per
//! call (latency p50/p99, calls per second) and many names per call (names per second), and a
//! full page-through of the GAL with QueryRows (first page, whole list, rows per second), all
//! through the client library's address book provider.

use std::time::{Duration, Instant};

use oxmapi_client::ab::AddressBook;
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{PR_DISPLAY_NAME, PR_ENTRYID, PR_SMTP_ADDRESS};
use oxmapi_store::{NewUser, Site};
use oxmapi_wire::describe::Node;

use super::{BenchSession, ChildServer, PASSWORD, cores, fail, ms, new_data_dir, percentile, rate, rss_kib};

/// `oxmapi bench ab` options.
#[derive(clap::Args, Debug)]
pub struct BenchAbArgs {
    /// Directory entries besides the bench user.
    #[arg(long, default_value_t = 10_000)]
    pub users: usize,
    /// ResolveNames calls with one name each.
    #[arg(long, default_value_t = 2000)]
    pub resolves: usize,
    /// Names per call in the batched ResolveNames run.
    #[arg(long, default_value_t = 100)]
    pub batch: usize,
    /// Rows per QueryRows in the GAL page-through (repeatable: one run per size).
    #[arg(long, default_values_t = [100u32, 500])]
    pub page: Vec<u32>,
    /// Page-throughs per page size.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
}

const GIVEN: &[&str] = &[
    "Ada", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kaori", "Luca",
    "Mara", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Samir", "Tove", "Ugo", "Vera", "Wim", "Xenia",
    "Yusuf", "Zofia", "Arjun", "Beatriz", "Cem", "Dalia", "Emil", "Freya", "Goran", "Hana", "Ivo", "Jana",
    "Kai", "Lena", "Milo", "Nora",
];
const SYLLABLES: &[&str] = &[
    "ab", "bel", "cor", "dan", "el", "fen", "gar", "hol", "is", "jor", "ka", "lun", "mor", "nel", "or", "per",
];

/// The `i`th generated user: unique display name (given name, surname, and a number past the
/// 10,240 name combinations), account `u{i:05}`.
fn user(i: usize) -> NewUser {
    let given = GIVEN[i % GIVEN.len()];
    let s = i / GIVEN.len();
    let a = SYLLABLES[s % SYLLABLES.len()];
    let b = SYLLABLES[(s / SYLLABLES.len()) % SYLLABLES.len()];
    let mut surname = format!("{a}{b}son");
    surname[..1].make_ascii_uppercase();
    let combos = GIVEN.len() * SYLLABLES.len() * SYLLABLES.len();
    let display = if i < combos { format!("{given} {surname}") } else { format!("{given} {surname} {i}") };
    NewUser {
        name: format!("u{i:05}"),
        password: PASSWORD.into(),
        display_name: Some(display),
        email: None,
        admin: false,
        hidden: false,
    }
}

/// A small deterministic generator (no dependency, same sequence on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// The name the `k`th look-up uses for user `i`: its display name, account or SMTP address.
fn name_for(i: usize, k: usize, domain: &str) -> String {
    let u = user(i);
    match k % 3 {
        0 => u.display_name.unwrap_or_default(),
        1 => u.name,
        _ => format!("{}@{domain}", u.name),
    }
}

fn resolve_single(ab: &AddressBook, args: &BenchAbArgs, domain: &str) -> Result<Node, MapiError> {
    let mut rng = Lcg(1);
    let mut lat = Vec::with_capacity(args.resolves);
    let start = Instant::now();
    for k in 0..args.resolves {
        let i = rng.below(args.users);
        let name = name_for(i, k, domain);
        let t = Instant::now();
        let r = ab.resolve_name(&name, false)?;
        lat.push(t.elapsed());
        let want = user(i).display_name.unwrap_or_default();
        if r.text(PR_DISPLAY_NAME) != want {
            return Err(fail(format!("{name:?} resolved to {:?}, not {want:?}", r.text(PR_DISPLAY_NAME))));
        }
    }
    let total = start.elapsed();
    lat.sort();
    Ok(Node::map([
        ("calls", Node::Int(args.resolves as i128)),
        ("calls_per_s", rate(args.resolves, total)),
        ("p50_ms", ms(percentile(&lat, 0.5))),
        ("p99_ms", ms(percentile(&lat, 0.99))),
    ]))
}

fn resolve_batched(ab: &AddressBook, args: &BenchAbArgs, domain: &str) -> Result<Node, MapiError> {
    let mut rng = Lcg(2);
    let calls = (args.resolves / args.batch.max(1)).max(1);
    let start = Instant::now();
    let mut resolved = 0;
    for c in 0..calls {
        let names: Vec<String> =
            (0..args.batch).map(|k| name_for(rng.below(args.users), c + k, domain)).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        for r in ab.resolve_names(&refs, false)? {
            r?;
            resolved += 1;
        }
    }
    let total = start.elapsed();
    Ok(Node::map([
        ("calls", Node::Int(calls as i128)),
        ("names_per_call", Node::Int(args.batch as i128)),
        ("names_per_s", rate(resolved, total)),
        ("ms_per_call", ms(total / calls as u32)),
    ]))
}

fn page_through(ab: &AddressBook, page: u32, expected: usize) -> Result<(Duration, Duration), MapiError> {
    let start = Instant::now();
    let mut table = ab.gal().contents_table()?;
    table.set_columns(&[PR_ENTRYID, PR_DISPLAY_NAME, PR_SMTP_ADDRESS])?;
    let mut first = None;
    let mut n = 0;
    loop {
        let rows = table.query_rows(page)?;
        first.get_or_insert_with(|| start.elapsed());
        if rows.is_empty() {
            break;
        }
        n += rows.len();
    }
    if n != expected {
        return Err(fail(format!("the GAL page-through returned {n} rows, expected {expected}")));
    }
    Ok((first.unwrap_or_default(), start.elapsed()))
}

/// Runs `oxmapi bench ab`.
pub fn run(args: &BenchAbArgs) -> Result<Node, MapiError> {
    if args.users == 0 || args.page.contains(&0) {
        return Err(fail("--users and --page must be positive"));
    }
    let (dir, _) = new_data_dir(8)?;
    progress!("bench: seeding {} directory entries", args.users);
    let seed_start = Instant::now();
    let data = Site::open(dir.path())?;
    let directory = data.directory()?;
    let users: Vec<NewUser> = (0..args.users).map(user).collect();
    directory.add_users_bulk_without_mailboxes(&users)?;
    let domain = directory.effective_setting("domain")?;
    let seed_time = seed_start.elapsed();
    drop(directory);
    drop(data);
    let server = ChildServer::start(dir.path())?;
    let rss_start = rss_kib(server.pid()).unwrap_or(0);
    let session = BenchSession::logon(&server.url)?;
    let ab = session.session.open_address_book()?;
    let t = Instant::now();
    ab.resolve_name(&name_for(0, 0, &domain), false)?;
    let first_call = t.elapsed();
    progress!("bench: ResolveNames, one name per call");
    let single = resolve_single(&ab, args, &domain)?;
    progress!("bench: ResolveNames, {} names per call", args.batch);
    let batched = resolve_batched(&ab, args, &domain)?;
    let mut pages = Vec::new();
    let mut peak = 0;
    for &page in &args.page {
        progress!("bench: GAL page-through, {page} rows per QueryRows");
        let mut runs = Vec::new();
        for _ in 0..args.repeat.max(1) {
            runs.push(page_through(&ab, page, args.users + 1)?);
            peak = peak.max(rss_kib(server.pid()).unwrap_or(0));
        }
        let best = runs.iter().min_by_key(|r| r.1).copied().unwrap_or_default();
        pages.push(Node::map([
            ("rows_per_query", Node::Int(page as i128)),
            ("queries", Node::Int((args.users + 1).div_ceil(page as usize) as i128 + 1)),
            ("first_page_ms", ms(best.0)),
            ("whole_gal_ms", ms(best.1)),
            ("rows_per_s", rate(args.users + 1, best.1)),
            ("runs_ms", Node::List(runs.iter().map(|r| ms(r.1)).collect())),
        ]));
    }
    Ok(Node::map([
        ("server", Node::str(server.url.clone())),
        ("machine_cores", cores()),
        ("directory_entries", Node::Int(args.users as i128 + 1)),
        ("seed_ms", ms(seed_time)),
        ("bind_and_first_resolve_ms", ms(first_call)),
        ("resolve_one_name_per_call", single),
        ("resolve_batched", batched),
        ("gal_page_through", Node::List(pages)),
        (
            "server_memory",
            Node::map([
                ("rss_at_start_kib", Node::Int(rss_start as i128)),
                ("rss_peak_kib", Node::Int(peak as i128)),
            ]),
        ),
    ]))
}
