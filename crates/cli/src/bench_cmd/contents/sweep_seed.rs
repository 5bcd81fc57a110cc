//! Seeding the folders of the folder-size sweep: one folder per size (and a small warm-up
//! folder), filled offline with the store API on a tmpfs copy of the mailbox
//! ([`fill_mailbox`]): `MessageStore::create_message` / `set_properties` / `save_message`, one
//! transaction per message (the store API has no batch write; on tmpfs a commit costs no fsync).
//!
//! The bench does not keep the messages: a folder's [`Reference`] values are generated again
//! from its seed when it is measured, so the bench holds one folder's worth at a time.

use std::path::Path;
use std::time::{Duration, Instant};

use oxmapi_core::MapiError;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::time::FileTime;
use oxmapi_store::mailbox::FolderType;
use oxmapi_store::{SpecialFolder, User};
use oxmapi_wire::describe::Node;

use super::super::{fail, rate};
use super::corpus::{Corpus, Reference};
use super::offline::fill_mailbox;

/// Messages in the warm-up folder.
pub(super) const WARM_UP_MESSAGES: usize = 200;

/// Progress is printed every this many messages.
const PROGRESS_EVERY: usize = 100_000;

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
    /// Size of the mailbox file afterwards.
    pub(super) mailbox_bytes: u64,
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
        Node::map([
            (
                "method",
                Node::str(
                    "offline, store API (create_message, set_properties, save_message) on a tmpfs copy of \
                     the mailbox, one transaction per message",
                ),
            ),
            ("folders", Node::List(folders.collect())),
            ("mailbox_file_mib", Node::Float((self.mailbox_bytes as f64 / 1048576.0 * 10.0).round() / 10.0)),
        ])
    }
}

/// Fills one new folder named `name` under the IPM subtree with `messages` messages.
fn seed_folder(
    store: &oxmapi_store::MessageStore,
    name: &str,
    messages: usize,
    seed: u64,
    now: u64,
) -> Result<SweepFolder, MapiError> {
    let started = Instant::now();
    let root = store.special_folder(SpecialFolder::IpmSubtree).ok_or_else(|| fail("no IPM subtree"))?;
    let (fid, _) = store.create_folder(root, name, None, None, FolderType::Generic, false)?;
    let mut corpus = Corpus::new(seed, now);
    for i in 0..messages {
        let (props, _) = corpus.next_message();
        let mut d = store.create_message(fid, false)?;
        store.set_properties(&mut d, &props)?;
        store.save_message(&mut d, false)?;
        if (i + 1) % PROGRESS_EVERY == 0 {
            eprintln!("bench: {name}: {} messages, {:.1} s", i + 1, started.elapsed().as_secs_f64());
        }
    }
    let seeding = started.elapsed();
    eprintln!("bench: seeded {name}: {messages} messages in {:.1} s", seeding.as_secs_f64());
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
    let ((warm_up, folders), mailbox_bytes) = fill_mailbox(data, user, |store| {
        let warm_up = seed_folder(store, "Bench sweep warm-up", WARM_UP_MESSAGES, 0x5EED_0001, now)?;
        let folders = distinct
            .iter()
            .map(|n| seed_folder(store, &format!("Bench sweep {n}"), *n, 0x5EED_0000_0000 + *n as u64, now))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((warm_up, folders))
    })?;
    Ok(Seeded { warm_up, folders, mailbox_bytes })
}
