//! Table subscriptions made after the table's rows were read (MS-OXCNOTIF 3.1.4.3).

use super::*;
use crate::config::ServerConfig;
use crate::rops::handles::{LogonObject, TableObject, TableSource};
use crate::session::{ContextKind, SessionInfo};
use crate::state::ServerState;
use oxmapi_store::mailbox::SpecialFolder;
use oxmapi_store::table::Table;
use oxmapi_store::{FolderType, NewUser};

#[test]
fn a_folder_created_before_the_hierarchy_table_registers_is_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let state =
        ServerState::new(ServerConfig::new(dir.path().into(), "127.0.0.1:0".parse().unwrap())).unwrap();
    let new = NewUser {
        name: "alice".into(),
        password: "Secret-1".into(),
        display_name: None,
        email: None,
        admin: false,
        hidden: false,
    };
    let user = state.data.add_user(&new).unwrap();
    let store = state.stores.private(&state.data, &user).unwrap();
    let fid = store.special_folder(SpecialFolder::IpmSubtree).unwrap();
    let logon = Arc::new(LogonObject {
        logon_id: 0,
        store: store.clone(),
        private: true,
        owner: None,
        delegate: false,
        user: user.clone(),
        limits: oxmapi_store::settings::MailboxLimits::UNLIMITED,
        admin_privilege: false,
        by_rights: false,
        revoked: Default::default(),
        per_user_upload: Default::default(),
    });
    // RopGetHierarchyTable reads the generation and the rows ...
    let generation = store.generation().unwrap();
    let rows = hierarchy_rows(&logon, fid, false).unwrap();
    let before = rows.len();
    // ... another session creates a folder before the table registers with the hub ...
    store.create_folder(fid, "Late", None, None, FolderType::Generic, false).unwrap();
    let table = TableObject {
        logon,
        source: TableSource::Hierarchy { fid, depth: false, soft_deleted: false },
        table: Table::new(rows, Vec::new()).into(),
        unicode: true,
        columns_set: false,
        loaded: Vec::new(),
        generation,
        filter: None,
        notifications: None,
    };
    let mut rs = RopSession::default();
    let h = rs.handles.insert(ServerObject::Table(Box::new(table))).unwrap();
    let info = SessionInfo {
        kind: ContextKind::Emsmdb,
        user,
        identity: "alice".into(),
        client_version: [0; 4],
        connect_flags: 0,
        code_page: 1252,
        lcid_sort: 1033,
        lcid_string: 1033,
        index: 0,
        idle_timeout: std::time::Duration::from_secs(60),
        client_application: String::new(),
        address: String::new(),
    };
    let env = Env { state: &state, session: &info };
    subscribe_table(&env, &mut rs, h, table_target(true, fid));
    // ... and the table's first ROP resolves its (empty) events, then reads its rows.
    rs.events.resolve(h);
    let Some(ServerObject::Table(t)) = rs.handles.get_mut(h) else { panic!() };
    let tracker = t.notifications.as_ref().unwrap().tracker.clone();
    tracker.unpark(t);
    super::super::table_rows::refresh(t, &[]).unwrap();
    assert_eq!(t.table.row_count().unwrap(), before + 1, "the new folder is listed");
}
