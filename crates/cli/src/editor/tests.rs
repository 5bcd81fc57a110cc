//! The editor driven by keys, without a terminal: the pane stack, the selection, edits, the bit
//! list and saving into a profile store in a temporary client home; and what ratatui's
//! TestBackend shows at 80×24.
//!
//! Expected values come from Microsoft's definitions, not from this code: the global profile
//! section is pbGlobalProfileSectionGuid {C8B0DB13-05AA-1A10-9BB0-00AA002FC45A} (mapiguid.h),
//! i.e. the MAPIUID bytes 13DBB0C8AA05101A9BB000AA002FC45A; PR_PROFILE_CONNECT_FLAGS is
//! 0x66040003 and CONNECT_IGNORE_NO_PF is 0x8000 (Microsoft's "Outlook 2003/2007 cannot connect
//! to Exchange 2010 without public folders" guidance, which ORs 0x8000 into the flags of the
//! global section — the field procedure this editor reproduces).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use oxmapi_client::profile::{GLOBAL_SECTION_UID, ProfileStore};
use oxmapi_core::PropTag;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::app::{App, Ctx};
use super::session::LogonSettings;

const CONNECT_FLAGS: PropTag = PropTag(0x6604_0003);
const GLOBAL_UID_HEX: &str = "13DBB0C8AA05101A9BB000AA002FC45A";

fn home() -> (tempfile::TempDir, ProfileStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = ProfileStore::open(dir.path()).expect("store");
    for (name, user) in [("work", "alice"), ("root", "root")] {
        store
            .create_with(name, |p| p.add_msems_service(Some("http://127.0.0.1:9"), Some(user)).map(|_| ()))
            .expect("profile");
    }
    store
        .update("work", |p| p.set_prop(&GLOBAL_SECTION_UID, CONNECT_FLAGS, oxmapi_core::PropValue::I32(2)))
        .unwrap();
    (dir, store)
}

fn app(store: &ProfileStore, profile: Option<&str>, section: Option<&str>) -> App {
    let ctx = Ctx { store: store.clone(), logon: LogonSettings::default(), online: None, events: Vec::new() };
    super::build(ctx, profile, section).unwrap_or_else(|f| panic!("{}", super::app::failure_text(&f)))
}

fn key(app: &mut App, code: KeyCode) {
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn search(app: &mut App, text: &str) {
    key(app, KeyCode::Char('/'));
    typed(app, text);
    key(app, KeyCode::Enter);
}

fn selected_cell(app: &App, col: usize) -> String {
    app.top().rows().cell(col).unwrap_or_default().to_string()
}

fn stored_flags(store: &ProfileStore) -> Option<u32> {
    store.get("work").unwrap().global_section().and_then(|s| s.get_u32(CONNECT_FLAGS))
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| super::ui::draw(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..h).map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>() + "\n").collect()
}

/// The field procedure by keys: profile list → the profile → MSEMS → the section list → the
/// section with UID 13DBB0C8… → PR_PROFILE_CONNECT_FLAGS → OR in 0x8000 with the bit list → save.
#[test]
fn the_field_procedure_ors_in_connect_ignore_no_pf_and_saves() {
    let (_d, store) = home();
    let mut a = app(&store, None, None);
    assert_eq!(a.kinds(), ["profiles"]);
    search(&mut a, "WORK");
    assert_eq!(selected_cell(&a, 0), "work");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.kinds(), ["profiles", "services"]);
    search(&mut a, "msems");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.kinds(), ["profiles", "services", "providers"]);
    key(&mut a, KeyCode::Char('x'));
    assert_eq!(a.kinds(), ["profiles", "services", "providers", "sections"]);
    search(&mut a, GLOBAL_UID_HEX);
    assert_eq!(selected_cell(&a, 0), "global");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.top().kind(), "props");
    search(&mut a, "PR_PROFILE_CONNECT_FLAGS");
    assert_eq!(selected_cell(&a, 2), "0x66040003");
    key(&mut a, KeyCode::Char('b'));
    let bits = a.bits().expect("the bit list is open");
    let i = bits.names.iter().position(|(b, _)| *b == 0x8000).expect("CONNECT_IGNORE_NO_PF is listed");
    for _ in 0..i {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Char(' '));
    assert_eq!(a.bits().map(|b| b.value), Some(0x8002));
    key(&mut a, KeyCode::Enter);
    assert!(a.top().dirty());
    assert_eq!(selected_cell(&a, 0), "*", "the unsaved change is marked");
    assert_eq!(stored_flags(&store), Some(2), "nothing is written before s");
    key(&mut a, KeyCode::Char('s'));
    assert_eq!(stored_flags(&store), Some(0x8002));
    assert!(!a.top().dirty());
    assert!(a.status.starts_with("saved 1 change"), "{}", a.status);
    for _ in 0..5 {
        key(&mut a, KeyCode::Char('q'));
    }
    assert!(a.quit);
}

#[test]
fn opening_on_a_section_stacks_profiles_services_and_sections_behind_it() {
    let (_d, store) = home();
    let mut a = app(&store, Some("work"), Some(GLOBAL_UID_HEX));
    assert_eq!(a.kinds(), ["profiles", "services", "sections", "props"]);
    key(&mut a, KeyCode::Char('q'));
    assert_eq!(a.kinds(), ["profiles", "services", "sections"]);
    assert_eq!(selected_cell(&a, 1), GLOBAL_UID_HEX, "the section it came from stays selected");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.kinds(), ["profiles"]);
    assert_eq!(selected_cell(&a, 0), "work");
    key(&mut a, KeyCode::Esc);
    assert!(!a.quit, "Esc on the first pane does not quit");
    let only = app(&store, Some("work"), None);
    assert_eq!(only.kinds(), ["profiles", "services"]);
    let by_name = app(&store, Some("work"), Some("EMS_MDB_private"));
    assert!(by_name.top().title().contains("provider EMS_MDB_private"), "{}", by_name.top().title());
}

#[test]
fn edit_with_ctrl_u_then_save_and_cancel_with_esc() {
    let (_d, store) = home();
    let mut a = app(&store, Some("work"), Some("global"));
    search(&mut a, "connect_flags");
    key(&mut a, KeyCode::Char('e'));
    assert_eq!(a.input_line().map(|(_, t)| t), Some("0x00000002".into()), "the current value is offered");
    typed(&mut a, "99");
    key(&mut a, KeyCode::Esc);
    assert!(!a.top().dirty(), "Esc cancels");
    key(&mut a, KeyCode::Char('e'));
    a.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    assert_eq!(a.input_line().map(|(_, t)| t), Some(String::new()));
    typed(&mut a, "0x8002");
    key(&mut a, KeyCode::Enter);
    assert!(selected_cell(&a, 4).contains("0x00008002"), "{}", selected_cell(&a, 4));
    assert!(selected_cell(&a, 5).contains("CONNECT_IGNORE_NO_PF"), "decoded: {}", selected_cell(&a, 5));
    key(&mut a, KeyCode::Char('s'));
    assert_eq!(stored_flags(&store), Some(0x8002));
}

#[test]
fn a_bad_value_is_refused_with_the_mapi_error_and_q_asks_before_dropping_changes() {
    let (_d, store) = home();
    let mut a = app(&store, Some("work"), Some("global"));
    search(&mut a, "PR_PROFILE_CONNECT_FLAGS");
    key(&mut a, KeyCode::Char('e'));
    a.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    typed(&mut a, "lots");
    key(&mut a, KeyCode::Enter);
    assert!(a.status.contains("MAPI_E_INVALID_PARAMETER"), "{}", a.status);
    assert!(a.status.contains("0x8002 or 32770"), "the hint says how to type it: {}", a.status);
    assert!(!a.top().dirty());
    key(&mut a, KeyCode::Char('n'));
    typed(&mut a, "PR_PROFILE_OPEN_FLAGS 0x10");
    key(&mut a, KeyCode::Enter);
    assert!(a.top().dirty(), "{}", a.status);
    key(&mut a, KeyCode::Char('q'));
    assert_eq!(a.top().kind(), "props", "the first q only warns");
    assert!(a.status.contains("unsaved"), "{}", a.status);
    key(&mut a, KeyCode::Char('q'));
    assert_eq!(a.top().kind(), "sections");
    assert_eq!(stored_flags(&store), Some(2), "nothing was saved");
}

#[test]
fn the_profile_list_renders_at_80_by_24() {
    let (_d, store) = home();
    let mut a = app(&store, None, None);
    let s = screen(&a, 80, 24);
    assert!(s.contains("work") && s.contains("root"), "{s}");
    assert!(s.contains("Profiles"), "{s}");
    key(&mut a, KeyCode::Char('?'));
    let s = screen(&a, 80, 24);
    assert!(s.contains("Keys"), "{s}");
    assert!(s.contains("Property pane"), "{s}");
    key(&mut a, KeyCode::Char('x'));
    assert!(!a.help, "any key closes the help");
}

#[test]
fn the_property_pane_renders_the_connect_flags_at_80_by_24() {
    let (_d, store) = home();
    let a = app(&store, Some("work"), Some("global"));
    let s = screen(&a, 80, 24);
    assert!(s.contains("PR_PROFILE_CONNECT_FLAGS "), "the whole name at 80 columns: {s}");
    assert!(s.contains("0x66040003"), "{s}");
    let wide = screen(&a, 160, 40);
    assert!(wide.contains("PR_PROFILE_AUTH_USER_W") && wide.contains("alice"), "{wide}");
}
