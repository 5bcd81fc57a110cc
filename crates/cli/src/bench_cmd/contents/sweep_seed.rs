//! Seeding the folders of the folder-size sweep: one folder per size (and a small warm-up
//! folder), filled offline with the store API ([`fill_mailbox`]: on a tmpfs copy of the SQLite
//! mailbox file, or straight into the PostgreSQL database with `synchronous_commit = off`):
//! `MessageStore::create_message` / `set_properties` / `save_message` (one transaction per
//! message; neither place makes a commit wait for the disk) into a staging folder, and
//! `move_copy_messages` from there into the folder, one transaction per batch ([`Staging`]).
//!
//! The bench does not keep the messages: a folder's [`Reference`] values are generated again
//! from its seed when it is measured, so the bench holds one folder's worth at a time.

use std::path::Path;
use std::time::{Duration, Instant};

use oxmapi_core::MapiError;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::time::FileTime;
use oxmapi_store::mailbox::FolderType;
use oxmapi_store::{MessageStore, SpecialFolder, User};
use oxmapi_wire::describe::Node;

use super::super::{fail, rate};
use super::corpus::{Corpus, Reference};
use super::offline::fill_mailbox;

/// Messages in the warm-up folder.
pub(super) const WARM_UP_MESSAGES: usize = 200;

/// Progress (with the rate of the last stretch, which shows how a save's cost grows with the
/// folder) is printed every this many messages.
const PROGRESS_EVERY: usize = 5_000;

/// One seeded folder.
pub(super) struct SweepFolder {
    /// Messages in it.
    pub(super) messages: usize,
    /// Its FID.
    pub(super) fid: ObjectId,
    /// The seed of its messages.
    seed: u64,
    /// The clock its delivery times are relative to.
    now: u64,
    /// How long seeding it took.
    pub(super) seeding: Duration,
}

impl SweepFolder {
    /// The reference values of its messages, generated again.
    pub(super) fn references(&self) -> Vec<Reference> {
        let mut corpus = Corpus::new(self.seed, self.now);
        (0..self.messages).map(|_| corpus.next_message().1).collect()
    }
}

/// The seeded folders: the warm-up folder, then one per distinct size.
pub(super) struct Seeded {
    /// The warm-up folder.
    pub(super) warm_up: SweepFolder,
    /// The folders by size, in the order of `--sizes` (duplicates removed).
    pub(super) folders: Vec<SweepFolder>,
    /// Where the folders were seeded, for the output's `method`.
    place: &'static str,
    /// The size of the mailbox file afterwards (SQLite only).
    size: Option<(&'static str, Node)>,
}

impl Seeded {
    /// The seeding figures, per folder.
    pub(super) fn node(&self) -> Node {
        let folders = self.folders.iter().map(|f| {
            Node::map([
                ("messages", Node::Int(f.messages as i128)),
                ("seconds", Node::Float((f.seeding.as_secs_f64() * 10.0).round() / 10.0)),
                ("messages_per_second", rate(f.messages, f.seeding)),
            ])
        });
        let method = format!(
            "offline, store API {}: create_message, set_properties, save_message (one transaction \
             per message) into a staging folder, then move_copy_messages into the folder (one \
             transaction per batch)",
            self.place
        );
        let mut fields = vec![("method", Node::str(method)), ("folders", Node::List(folders.collect()))];
        fields.extend(self.size.clone());
        Node::map(fields)
    }
}

/// The staging folders messages pass through on their way into a seeded folder: saved one by
/// one into the first, moved into the second a batch at a time, and from there into the seeded
/// folder a larger batch at a time ([`Staging::batches`]).
///
/// Why: every save and every move counts the messages of each folder it changes
/// (PR_CONTENT_COUNT / PR_CONTENT_UNREAD before and after, `MessageStore::watch_counts`), so a
/// save into a folder of k messages costs O(k), and saving n messages one by one into one
/// folder O(n²) — 10,000 took 34 s, 100,000 would take about an hour. Through two staging
/// folders of sizes b₁ and b₂ the counting costs about n·b₁ + n·b₂/b₁ + n²/b₂ rows, with
/// b₁ = n^⅓ and b₂ = n^⅔ about 3·n^(4/3).
struct Staging {
    small: ObjectId,
    large: ObjectId,
}

impl Staging {
    fn new(store: &MessageStore, root: ObjectId) -> Result<Staging, MapiError> {
        let (small, _) =
            store.create_folder(root, "Bench sweep staging 1", None, None, FolderType::Generic, false)?;
        let (large, _) =
            store.create_folder(root, "Bench sweep staging 2", None, None, FolderType::Generic, false)?;
        Ok(Staging { small, large })
    }

    /// The two batch sizes for a folder of `n` messages.
    fn batches(n: usize) -> (usize, usize) {
        let third = (n as f64).cbrt().ceil() as usize;
        (third.max(16), (third * third).max(256))
    }

    /// Moves `mids` from `src` to `dst` in one transaction; the MIDs stay.
    fn move_all(
        store: &MessageStore,
        src: ObjectId,
        mids: &mut Vec<ObjectId>,
        dst: ObjectId,
    ) -> Result<(), MapiError> {
        if mids.is_empty() {
            return Ok(());
        }
        let (partial, _) = store.move_copy_messages(src, mids, dst, false)?;
        if partial {
            return Err(fail("seeding: the store did not move every staged message"));
        }
        mids.clear();
        Ok(())
    }
}

/// Fills one new folder named `name` under the IPM subtree with `messages` messages, through
/// the staging folders.
fn seed_folder(
    store: &MessageStore,
    staging: &Staging,
    name: &str,
    messages: usize,
    seed: u64,
    now: u64,
) -> Result<SweepFolder, MapiError> {
    let started = Instant::now();
    let root = store.special_folder(SpecialFolder::IpmSubtree).ok_or_else(|| fail("no IPM subtree"))?;
    let (fid, _) = store.create_folder(root, name, None, None, FolderType::Generic, false)?;
    let (small_batch, large_batch) = Staging::batches(messages);
    let (mut small, mut large) = (Vec::with_capacity(small_batch), Vec::with_capacity(large_batch));
    let mut corpus = Corpus::new(seed, now);
    let mut stretch = Instant::now();
    for i in 0..messages {
        let (props, _) = corpus.next_message();
        let mut d = store.create_message(staging.small, false)?;
        store.set_properties(&mut d, &props)?;
        small.push(store.save_message(&mut d, false)?);
        if small.len() >= small_batch {
            large.extend(small.iter().copied());
            Staging::move_all(store, staging.small, &mut small, staging.large)?;
        }
        if large.len() >= large_batch {
            Staging::move_all(store, staging.large, &mut large, fid)?;
        }
        if (i + 1) % PROGRESS_EVERY == 0 {
            progress!(
                "bench: {name}: {} messages, {:.1} s; the last {PROGRESS_EVERY} at {:.0}/s",
                i + 1,
                started.elapsed().as_secs_f64(),
                PROGRESS_EVERY as f64 / stretch.elapsed().as_secs_f64().max(1e-9)
            );
            stretch = Instant::now();
        }
    }
    large.extend(small.iter().copied());
    Staging::move_all(store, staging.small, &mut small, staging.large)?;
    Staging::move_all(store, staging.large, &mut large, fid)?;
    let seeding = started.elapsed();
    progress!("bench: seeded {name}: {messages} messages in {:.1} s", seeding.as_secs_f64());
    Ok(SweepFolder { messages, fid, seed, now, seeding })
}

/// Seeds the warm-up folder and one folder per distinct size in the (stopped) server's mailbox.
pub(super) fn seed(data: &Path, user: &User, sizes: &[usize]) -> Result<Seeded, MapiError> {
    let now = FileTime::now().0;
    let mut distinct: Vec<usize> = Vec::new();
    for s in sizes {
        if !distinct.contains(s) {
            distinct.push(*s);
        }
    }
    let filled = fill_mailbox(data, user, |store| {
        let root = store.special_folder(SpecialFolder::IpmSubtree).ok_or_else(|| fail("no IPM subtree"))?;
        let staging = Staging::new(store, root)?;
        let warm_up =
            seed_folder(store, &staging, "Bench sweep warm-up", WARM_UP_MESSAGES, 0x5EED_0001, now)?;
        let folders = distinct
            .iter()
            .map(|n| {
                seed_folder(
                    store,
                    &staging,
                    &format!("Bench sweep {n}"),
                    *n,
                    0x5EED_0000_0000 + *n as u64,
                    now,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((warm_up, folders))
    })?;
    let (place, size) = (filled.place(), filled.size_field());
    let (warm_up, folders) = filled.value;
    Ok(Seeded { warm_up, folders, place, size })
}
