//! Concurrent writers: threads and processes each doing read-modify-write updates of one
//! counter; no update may be lost.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use oxmapi_core::{PropTag, PropValue};

use super::super::{GLOBAL_SECTION_UID, ProfileStore};
use super::temp_store;

const COUNTER: PropTag = PropTag(0x6710_0003);
const UPDATES: u32 = 50;
const CHILD_HOME: &str = "OXMAPI_PROFILE_TEST_CHILD_HOME";

fn bump(store: &ProfileStore, name: &str) {
    store
        .update(name, |p| {
            let sect = p.section_mut(&GLOBAL_SECTION_UID);
            let n = sect.get_u32(COUNTER).unwrap_or(0);
            sect.set(COUNTER, PropValue::I32(n as i32 + 1));
            Ok(())
        })
        .expect("update");
}

fn counter(store: &ProfileStore, name: &str) -> u32 {
    store.get(name).unwrap().global_section().unwrap().get_u32(COUNTER).unwrap_or(0)
}

#[test]
fn threads_lose_no_updates() {
    let (_d, s) = temp_store();
    s.create("c").unwrap();
    let s = Arc::new(s);
    const THREADS: u32 = 8;
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let s = Arc::clone(&s);
            std::thread::spawn(move || {
                for _ in 0..UPDATES {
                    bump(&s, "c");
                    // readers never see a torn file
                    assert!(s.list().is_ok());
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(counter(&s, "c"), THREADS * UPDATES);
}

/// Run by [`processes_lose_no_updates`] in child processes; does nothing when run directly.
#[test]
#[ignore = "helper of processes_lose_no_updates"]
fn child_updater() {
    let Some(home) = std::env::var_os(CHILD_HOME) else { return };
    let store = ProfileStore::open(Path::new(&home)).unwrap();
    for _ in 0..UPDATES {
        bump(&store, "c");
    }
}

#[test]
fn processes_lose_no_updates() {
    let (_d, s) = temp_store();
    s.create("c").unwrap();
    let exe = std::env::current_exe().unwrap();
    const PROCS: u32 = 4;
    let children: Vec<_> = (0..PROCS)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "profile::tests::concurrency::child_updater",
                    "--ignored",
                    "--test-threads=1",
                ])
                .env(CHILD_HOME, s.home())
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn the test binary")
        })
        .collect();
    // this process writes too
    for _ in 0..UPDATES {
        bump(&s, "c");
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(counter(&s, "c"), (PROCS + 1) * UPDATES);
}
