//! `oxmapi oof`: the state a user sees, including whether an `--until` reply period has ended
//! (the reply rule's condition PR_MESSAGE_DELIVERY_TIME < TIME stops the replies then, while
//! PidTagOutOfOfficeState stays as the user set it; MS-OXORULE 3.2.5.1.2, MS-OXCSTOR 2.2.1.1.3).

mod common;

use common::Site;

fn oof_json(site: &Site) -> serde_json::Value {
    let out = site.as_user("alice", &["--json", "oof"]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn set(site: &Site, args: &[&str]) {
    let out = site.as_user("alice", args);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_ended_until_period_shows_that_no_reply_goes_out() {
    let site = Site::start();
    set(&site, &["oof", "on", "--message", "Away", "--until", "+2h"]);
    let s = oof_json(&site);
    assert_eq!((s["state"].as_str(), s["replying"].as_bool()), (Some("on"), Some(true)), "{s}");
    assert!(s["until"].as_str().is_some(), "{s}");

    set(&site, &["oof", "on", "--message", "Away", "--until", "2001-02-03T04:05:06Z"]);
    let s = oof_json(&site);
    assert_eq!(s["state"].as_str(), Some("on"), "{s}");
    assert_eq!(s["replying"].as_bool(), Some(false), "the period ended: {s}");
    assert_eq!(s["until"].as_str(), Some("2001-02-03T04:05:06Z"), "{s}");

    set(&site, &["oof", "on", "--message", "Away"]);
    let s = oof_json(&site);
    assert_eq!(s["replying"].as_bool(), Some(true), "{s}");
    assert!(s.get("until").is_none(), "{s}");

    set(&site, &["oof", "off"]);
    let s = oof_json(&site);
    assert_eq!((s["state"].as_str(), s["replying"].as_bool()), (Some("off"), Some(false)), "{s}");
}
