//! Crash test (DESIGN.md §3 "every ROP that writes commits before its response is sent"):
//! `oxmapi serve` runs as a child process on a temporary data directory while a client writes
//! messages as fast as it can through the client library — small ones and, every third, one with
//! a 200 KB attachment streamed with RopWriteStream, so blob chunks are written too. After a
//! random 50–400 ms the server gets SIGKILL. Then every `*.sqlite` file of the data directory
//! must pass `PRAGMA integrity_check`, and after a restart on the same directory every write the
//! client saw acknowledged (RopSaveChangesMessage returned success) must be there — with its
//! attachment complete, byte for byte — and every message that is there must be whole (no
//! message without its attachment). Repeated for several rounds.
//!
//! The seed of the random delays is printed; `OXMAPI_CRASH_SEED=N` repeats a run.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use oxmapi_client::profile::ProfileStore;
use oxmapi_client::session::{LogonOptions, Mapi, Session};
use oxmapi_client::store::{Folder, MsgStore, OpenMode, SaveFlags, StreamMode};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_LONG_FILENAME, PR_ATTACH_METHOD, PR_ATTACH_NUM, PR_BODY, PR_MESSAGE_CLASS,
    PR_MID, PR_SUBJECT,
};
use oxmapi_core::consts::logon_flags::{MAPI_EXTENDED, MAPI_NEW_SESSION};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::{NewUser, Site};

const USER: &str = "crash";
const PW: &str = "crash-password-1";
const FOLDER: &str = "Crash test";
const ROUNDS: usize = 16;
const ATTACHMENT_BYTES: usize = 200 * 1024;

/// The server process and where it listens.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `oxmapi serve` on `data`, logging to `log`, and waits for its port file.
fn start_server(data: &Path, work: &Path, round: usize) -> Server {
    let port_file = work.join("port");
    let _ = std::fs::remove_file(&port_file);
    let log = std::fs::File::create(work.join(format!("server-{round}.log"))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_oxmapi"))
        .arg("serve")
        .arg("--data")
        .arg(data)
        .args(["--listen", "127.0.0.1:0", "--port-file"])
        .arg(&port_file)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("starting oxmapi serve");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(p) = std::fs::read_to_string(&port_file)
            && !p.trim().is_empty()
        {
            return Server { child, url: format!("http://127.0.0.1:{}", p.trim()) };
        }
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(work.join(format!("server-{round}.log"))).unwrap_or_default();
            panic!("the server exited at start ({status}) in round {round}:\n{log}");
        }
        assert!(Instant::now() < deadline, "the server did not start within 30 s (round {round})");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// xorshift64*: enough randomness for delays, reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// The attachment content of the message with this subject: deterministic, differs per message.
fn attachment_bytes(subject: &str) -> Vec<u8> {
    let mut h =
        subject.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    (0..ATTACHMENT_BYTES)
        .map(|_| {
            h ^= h << 13;
            h ^= h >> 7;
            h ^= h << 17;
            h as u8
        })
        .collect()
}

fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

/// Logs on with profile `profile` (a new session) and opens the default store.
fn logon(home: &Path, profile: &str) -> (Session, MsgStore) {
    let mapi = Mapi::with_profiles(ProfileStore::open(home).unwrap());
    let o = LogonOptions { password: Some(PW.into()), client_version: None };
    let s = mapi.logon_ex(None, Some(profile), MAPI_EXTENDED | MAPI_NEW_SESSION, &o).unwrap();
    let row = s.msg_stores_table().into_iter().find(|r| r.default_store).unwrap();
    let store = s.open_msg_store(&row.entry_id).unwrap();
    (s, store)
}

/// Creates, fills and saves one message; returns only once RopSaveChangesMessage succeeded.
/// An error names the step that failed.
fn write_one(folder: &Folder, subject: &str, with_attachment: bool) -> Result<(), String> {
    fn at<E: std::fmt::Display>(step: &'static str) -> impl FnOnce(E) -> String {
        move |e| format!("{step}: {e}")
    }
    let mut m = folder.create_message(false).map_err(at("CreateMessage"))?;
    m.set_props(&[
        tv(PR_SUBJECT, PropValue::Unicode(subject.into())),
        tv(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into())),
        tv(PR_BODY, PropValue::Unicode(format!("body of {subject}"))),
    ])
    .map_err(at("SetProperties"))?;
    if with_attachment {
        let a = m.create_attachment().map_err(at("CreateAttachment"))?;
        a.set_props(&[
            tv(PR_ATTACH_METHOD, PropValue::I32(1)),
            tv(PR_ATTACH_LONG_FILENAME, PropValue::Unicode(format!("{subject}.bin"))),
        ])
        .map_err(at("SetProperties (attachment)"))?;
        let mut st = a.open_stream(PR_ATTACH_DATA_BIN, StreamMode::Create).map_err(at("OpenStream"))?;
        st.write_all(&attachment_bytes(subject)).map_err(at("WriteStream"))?;
        st.commit().map_err(at("CommitStream"))?;
        drop(st);
        a.save_changes(SaveFlags::KeepOpenReadOnly).map_err(at("SaveChangesAttachment"))?;
    }
    m.save_changes(SaveFlags::KeepOpenReadOnly).map_err(at("SaveChangesMessage"))?;
    Ok(())
}

/// What one writer round did.
struct WriterEnd {
    /// The error that stopped it, and whether the server had been killed by then.
    error: String,
    after_kill: bool,
}

/// Writes messages until a call fails; pushes each subject to `acked` after its save returned.
fn writer(
    home: PathBuf,
    profile: String,
    round: usize,
    acked: Arc<Mutex<Vec<String>>>,
    killed: Arc<AtomicBool>,
    ready: mpsc::Sender<()>,
) -> WriterEnd {
    let (_s, store) = logon(&home, &profile);
    let folder = store.ipm_subtree().unwrap().create_folder(FOLDER, None, true).unwrap();
    ready.send(()).unwrap();
    for i in 0.. {
        let with_attachment = i % 3 == 1;
        let subject = format!("r{round}-m{i}{}", if with_attachment { "-att" } else { "" });
        if let Err(error) = write_one(&folder, &subject, with_attachment) {
            return WriterEnd { error, after_kill: killed.load(Ordering::SeqCst) };
        }
        acked.lock().unwrap().push(subject);
    }
    unreachable!()
}

/// Every `*.sqlite` file under `dir` passes `PRAGMA integrity_check`; returns how many.
fn check_integrity(dir: &Path) -> usize {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sqlite") {
                files.push(p);
            }
        }
    }
    for f in &files {
        let conn = rusqlite::Connection::open_with_flags(f, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let mut stmt = conn.prepare("PRAGMA integrity_check").unwrap();
        let answers: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert_eq!(answers, ["ok"], "PRAGMA integrity_check of {}", f.display());
    }
    files.len()
}

/// Reads the folder back: every acknowledged subject is there; every message with an
/// attachment not checked before has it whole. Returns the number of messages present.
fn verify(home: &Path, profile: &str, acked: &[String], checked: &mut BTreeSet<String>) -> usize {
    let (_s, store) = logon(home, profile);
    let root = store.ipm_subtree().unwrap();
    let folder = root.create_folder(FOLDER, None, true).unwrap();
    let mut t = folder.contents_table(false).unwrap();
    t.set_columns(&[PR_MID, PR_SUBJECT]).unwrap();
    let rows = t.query_rows(usize::MAX, true).unwrap();
    let mut present: BTreeMap<String, ObjectId> = BTreeMap::new();
    for r in &rows {
        let (Some(PropValue::Unicode(s)), Some(PropValue::I64(mid))) = (r.get(PR_SUBJECT), r.get(PR_MID))
        else {
            panic!("row without subject or MID: {r:?}");
        };
        assert!(present.insert(s.clone(), ObjectId::from_u64(*mid as u64)).is_none(), "{s} saved twice");
    }
    let missing: Vec<&String> = acked.iter().filter(|s| !present.contains_key(*s)).collect();
    assert!(missing.is_empty(), "acknowledged writes lost after SIGKILL: {missing:?}");
    for (subject, mid) in &present {
        if !subject.ends_with("-att") || checked.contains(subject) {
            continue;
        }
        let m = folder.open_message(*mid, OpenMode::ReadOnly).unwrap();
        let mut at = m.attachment_table().unwrap();
        at.set_columns(&[PR_ATTACH_NUM]).unwrap();
        let arows = at.query_rows(10, true).unwrap();
        assert_eq!(arows.len(), 1, "{subject}: one attachment");
        let Some(PropValue::I32(num)) = arows[0].get(PR_ATTACH_NUM) else {
            panic!("{subject}: no PR_ATTACH_NUM")
        };
        let a = m.open_attachment(*num as u32, OpenMode::ReadOnly).unwrap();
        let mut st = a.open_stream(PR_ATTACH_DATA_BIN, StreamMode::ReadOnly).unwrap();
        assert_eq!(st.size().unwrap(), ATTACHMENT_BYTES as u64, "{subject}: attachment size");
        let mut back = Vec::new();
        st.read_to_end(&mut back).unwrap();
        assert!(back == attachment_bytes(subject), "{subject}: attachment content differs");
        checked.insert(subject.clone());
    }
    present.len()
}

#[test]
fn sigkill_while_writing_loses_no_acknowledged_write_and_corrupts_no_file() {
    let started = Instant::now();
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let home = work.path().join("home");
    Site::open(&data)
        .unwrap()
        .add_user(&NewUser { name: USER.into(), password: PW.into(), ..Default::default() })
        .unwrap();
    let profiles = ProfileStore::open(&home).unwrap();
    let seed = std::env::var("OXMAPI_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("crash test seed {seed} (OXMAPI_CRASH_SEED={seed} repeats the delays)");
    let mut rng = Rng(seed);

    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut checked = BTreeSet::new();
    let mut kill_points: BTreeMap<String, usize> = BTreeMap::new();
    let mut server = start_server(&data, work.path(), 0);
    for round in 0..ROUNDS {
        // The server listens on a new port each time: one profile per round.
        let profile = format!("r{round}");
        profiles
            .create_with(&profile, |p| {
                p.add_msems_service(Some(&server.url), Some(USER))?;
                Ok(())
            })
            .unwrap();
        let present = verify(&home, &profile, &acked.lock().unwrap(), &mut checked);

        let killed = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = mpsc::channel();
        let (done_tx, done_rx) = mpsc::channel();
        {
            let (home, profile, acked, killed) =
                (home.clone(), profile.clone(), acked.clone(), killed.clone());
            std::thread::spawn(move || {
                let end = writer(home, profile, round, acked, killed, ready_tx);
                let _ = done_tx.send(end);
            });
        }
        ready_rx.recv_timeout(Duration::from_secs(30)).expect("the writer logged on");
        let before = acked.lock().unwrap().len();
        let delay = rng.range(50, 400);
        std::thread::sleep(Duration::from_millis(delay));
        killed.store(true, Ordering::SeqCst);
        server.child.kill().unwrap(); // SIGKILL
        server.child.wait().unwrap();
        let end = done_rx.recv_timeout(Duration::from_secs(60)).expect("the writer stopped after the kill");
        assert!(end.after_kill, "a write failed before the server was killed: {}", end.error);
        let acks = acked.lock().unwrap().len() - before;
        let step = end.error.split(':').next().unwrap_or("").to_string();
        *kill_points.entry(step).or_default() += 1;
        let files = check_integrity(&data);
        eprintln!(
            "round {round}: {present} messages present at start, killed after {delay} ms, \
             {acks} writes acknowledged this round, {files} store files pass integrity_check; \
             the writer stopped with: {}",
            end.error
        );
        drop(server);
        server = start_server(&data, work.path(), round + 1);
    }
    let profile = "final";
    profiles
        .create_with(profile, |p| {
            p.add_msems_service(Some(&server.url), Some(USER))?;
            Ok(())
        })
        .unwrap();
    let acked = acked.lock().unwrap().clone();
    let present = verify(&home, profile, &acked, &mut checked);
    drop(server);
    let files = check_integrity(&data);
    assert!(files >= 2, "the directory and the mailbox were checked");
    assert!(!acked.is_empty(), "some writes were acknowledged");
    assert!(checked.iter().any(|s| acked.contains(s)), "some acknowledged attachments were read back");
    eprintln!(
        "{} acknowledged writes over {ROUNDS} kills, {present} messages present, {} attachments of \
         {ATTACHMENT_BYTES} bytes verified, {files} files pass integrity_check, {:.1} s; \
         the writer was in these steps when the server died: {kill_points:?}",
        acked.len(),
        checked.len(),
        started.elapsed().as_secs_f64()
    );
}
