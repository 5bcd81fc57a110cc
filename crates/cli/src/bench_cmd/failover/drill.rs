//! The loops of the failover drill: K sessions saving messages with unique subjects and one
//! submitting them to another user, each on its own thread, until stopped. A write is
//! acknowledged only when its call returned success; after a failure the loop reopens what it
//! writes through (the client library has reconnected through the other node by then, and the
//! old handles are gone) and goes on with a fresh subject, never repeating one.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use oxmapi_client::store::{Folder, MsgStore, Recipient, SaveFlags};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{PR_BODY, PR_MESSAGE_CLASS, PR_SUBJECT};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::super::{BenchSession, fail};

/// Failed writes whose error is kept for the report.
pub const ERRORS_KEPT: usize = 5;

/// What one loop did.
#[derive(Default)]
pub struct LoopResult {
    /// Subjects of the writes that returned success.
    pub acknowledged: Vec<String>,
    /// Writes (or reopenings after a reconnect) that failed.
    pub failed: usize,
    /// From the kill to the first write that returned success after it.
    pub back_after: Option<Duration>,
}

/// What the loops share with the drill.
#[derive(Default)]
struct Shared {
    /// Set when the loops are to end.
    stop: AtomicBool,
    /// When node 1 was dead (SIGKILL sent and the process reaped).
    killed: OnceLock<Instant>,
    /// Loops that wrote successfully after the kill.
    back: AtomicUsize,
    /// The first few errors of failed writes.
    errors: Mutex<Vec<String>>,
}

impl Shared {
    /// Writes with fresh subjects (`subject(n)`) every `pause` until stopped: `open` makes what
    /// `write` needs, again after every failure.
    fn run<S>(
        &self,
        pause: Duration,
        mut open: impl FnMut() -> Result<S, MapiError>,
        mut write: impl FnMut(&S, &str) -> Result<(), MapiError>,
        subject: impl Fn(usize) -> String,
    ) -> LoopResult {
        let mut out = LoopResult::default();
        let mut state: Option<S> = None;
        let mut n = 0;
        while !self.stop.load(Ordering::Relaxed) {
            let result = match &state {
                Some(s) => {
                    let subject = subject(n);
                    n += 1;
                    write(s, &subject).map(|()| Some(subject))
                }
                None => open().map(|s| {
                    state = Some(s);
                    None
                }),
            };
            let done = Instant::now();
            match result {
                Ok(Some(subject)) => {
                    out.acknowledged.push(subject);
                    // Back: the first success that returned after node 1 was dead.
                    if out.back_after.is_none()
                        && let Some(&killed) = self.killed.get()
                        && done > killed
                    {
                        out.back_after = Some(done - killed);
                        self.back.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Ok(None) => continue,
                Err(e) => {
                    out.failed += 1;
                    state = None;
                    let mut kept = self.errors.lock().unwrap_or_else(|e| e.into_inner());
                    if kept.len() < ERRORS_KEPT {
                        kept.push(e.to_string());
                    }
                }
            }
            std::thread::sleep(pause);
        }
        out
    }
}

/// Saves a message with `subject` in `folder` (RopSaveChangesMessage).
fn save(folder: &Folder, subject: &str) -> Result<(), MapiError> {
    let mut m = folder.create_message(false)?;
    m.set_props(&[
        TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode("IPM.Note".into()) },
        TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject.into()) },
    ])?;
    m.save_changes(SaveFlags::KeepOpenReadOnly).map(drop)
}

/// Submits a message with `subject` to `to` from the Outbox (RopSaveChangesMessage +
/// RopSubmitMessage in one Execute).
fn submit(outbox: &Folder, to: &[Recipient], subject: &str) -> Result<(), MapiError> {
    let mut m = outbox.create_message(false)?;
    m.set_props(&[
        TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode("IPM.Note".into()) },
        TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject.into()) },
        TaggedValue { tag: PR_BODY, value: PropValue::Unicode("failover drill".into()) },
    ])?;
    m.add_recipients(to)?;
    m.submit().map(drop)
}

/// The running loops; stopped (and joined) when dropped.
pub struct Loops {
    shared: Arc<Shared>,
    savers: Vec<JoinHandle<LoopResult>>,
    sender: Option<JoinHandle<LoopResult>>,
}

/// What the loops did, once stopped.
pub struct Done {
    /// Each save loop's.
    pub saves: Vec<LoopResult>,
    /// The delivery loop's.
    pub deliveries: LoopResult,
    /// The first few errors of failed writes.
    pub errors: Vec<String>,
}

impl Loops {
    /// Starts a save loop per session of `savers` (into folder `folder`) and a delivery loop
    /// on `sender` (to `to`), each writing every `pause`.
    pub fn start(
        savers: Vec<BenchSession>,
        folder: ObjectId,
        sender: BenchSession,
        to: Vec<Recipient>,
        pause: Duration,
    ) -> Loops {
        let shared = Arc::new(Shared::default());
        let savers = savers
            .into_iter()
            .enumerate()
            .map(|(c, s)| {
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let open = || {
                        let store = s.default_store()?;
                        let folder = store.open_folder(folder)?;
                        Ok((store, folder))
                    };
                    shared.run(
                        pause,
                        open,
                        |(_, f): &(MsgStore, Folder), subject| save(f, subject),
                        |n| format!("failover save c{c:03} n{n:06}"),
                    )
                })
            })
            .collect();
        let sender = {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let open = || {
                    let store = sender.default_store()?;
                    let outbox = store.open_folder(store.transport_folder()?)?;
                    Ok((store, outbox))
                };
                shared.run(
                    pause,
                    open,
                    |(_, o): &(MsgStore, Folder), subject| submit(o, &to, subject),
                    |n| format!("failover delivery n{n:06}"),
                )
            })
        };
        Loops { shared, savers, sender: Some(sender) }
    }

    /// Records that node 1 is dead as of `at`: the next success of each loop after it is
    /// its return.
    pub fn killed(&self, at: Instant) {
        let _ = self.shared.killed.set(at);
    }

    /// Loops (save and delivery) that wrote successfully since the kill.
    pub fn back(&self) -> usize {
        self.shared.back.load(Ordering::Relaxed)
    }

    /// How many loops run (the save loops and the delivery loop).
    pub fn count(&self) -> usize {
        self.savers.len() + 1
    }

    /// Stops the loops; what they did.
    pub fn stop(mut self) -> Result<Done, MapiError> {
        self.shared.stop.store(true, Ordering::Relaxed);
        let saves = std::mem::take(&mut self.savers)
            .into_iter()
            .map(|t| t.join().map_err(|_| fail("a save loop panicked")))
            .collect::<Result<_, _>>()?;
        let sender = self.sender.take().ok_or_else(|| fail("the delivery loop was stopped twice"))?;
        let deliveries = sender.join().map_err(|_| fail("the delivery loop panicked"))?;
        let errors = self.shared.errors.lock().unwrap_or_else(|e| e.into_inner()).clone();
        Ok(Done { saves, deliveries, errors })
    }
}

impl Drop for Loops {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        for t in self.savers.drain(..).chain(self.sender.take()) {
            let _ = t.join();
        }
    }
}
