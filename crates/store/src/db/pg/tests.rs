//! Tests of the PostgreSQL backend against a real server: `OXMAPI_TEST_DATABASE` names it
//! (`scripts/pg-test-cluster.sh start DIR` starts one); without it each test prints
//! `skipped: OXMAPI_TEST_DATABASE not set` and passes. Each test works in a fresh database.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use super::testing::{TestDatabase, test_server};
use super::*;
use crate::db::{ErrorKind, Value, ValueRef};

/// A migrated database and a pool on it (the pool goes first when dropped).
struct Site {
    pool: PgPool,
    db: TestDatabase,
}

fn site() -> Option<Site> {
    let server = test_server()?;
    let db = TestDatabase::create(&server).expect("create a test database");
    let pool = PgPool::connect(&db.url()).expect("connect");
    pool.migrate().expect("migrate");
    Some(Site { pool, db })
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Integer(i) => *i,
        other => panic!("not an integer: {other:?}"),
    }
}

/// A new mailbox's number.
fn new_mailbox(conn: &PgConn, seed: u8) -> i64 {
    let guid = [seed; 16];
    let rows = conn
        .query(
            "INSERT INTO store.mailboxes (guid, kind) VALUES (?1, 'private') RETURNING mbx",
            &[ValueRef::Blob(&guid)],
        )
        .unwrap();
    int(&rows[0][0])
}

fn add_folder(conn: &PgConn, fid: i64) {
    conn.execute(
        "INSERT INTO folders (fid, folder_type, change_number, created, modified) VALUES (?1, 1, ?1, 0, 0)",
        &[ValueRef::Integer(fid)],
    )
    .unwrap();
}

fn count(conn: &PgConn, sql: &str) -> i64 {
    int(&conn.query(sql, &[]).unwrap()[0][0])
}

#[test]
fn redacted_urls_hide_the_password() {
    assert_eq!(
        redacted("postgres://ox:s3cret@db.example:5432/site"),
        "postgres://ox:***@db.example:5432/site"
    );
    assert_eq!(
        redacted("postgres://ox@db/site?password=s3cret&sslmode=disable"),
        "postgres://ox@db/site?password=***&sslmode=disable"
    );
    assert_eq!(
        redacted("host=db user=ox password=s3cret dbname=site"),
        "host=db user=ox password=*** dbname=site"
    );
    assert_eq!(redacted("postgres://ox@db:5432"), "postgres://ox@db:5432");
    assert_eq!(redacted("postgres://ox:p%40ss@db/x"), "postgres://ox:***@db/x");
}

#[test]
fn every_storage_class_round_trips_through_plain_columns_and_the_oxvalue_domain() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    conn.batch("CREATE TABLE public.plain (i bigint, i4 integer, i2 smallint, r double precision, r4 real, t text, b bytea, o bool)")
        .unwrap();
    let values = [
        ValueRef::Integer(i64::MIN),
        ValueRef::Integer(-7),
        ValueRef::Integer(i16::MAX.into()),
        ValueRef::Real(-1.5e300),
        ValueRef::Real(0.25),
        ValueRef::Text("Grüße, 'quoted' ?"),
        ValueRef::Blob(&[0, 255, 1]),
        ValueRef::Integer(1),
    ];
    conn.execute("INSERT INTO public.plain VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &values).unwrap();
    // (One parameter per column: PostgreSQL gives a parameter one type, so `?1` in an integer
    // and a text column is refused, 42P08.)
    conn.execute("INSERT INTO public.plain VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &[ValueRef::Null; 8]).unwrap();
    let rows = conn.query("SELECT * FROM public.plain ORDER BY i NULLS LAST", &[]).unwrap();
    let expected: Vec<Value> = values.iter().map(|v| ValueRef::to_owned(*v)).collect();
    assert_eq!(rows[0], expected);
    assert_eq!(rows[1], vec![Value::Null; 8]);
    // Aggregates of integers come back as numeric: read as INTEGER when whole.
    let sum = conn.query("SELECT sum(i4), avg(i4), count(*) FROM public.plain", &[]).unwrap();
    assert_eq!(sum[0], vec![Value::Integer(-7), Value::Real(-7.0), Value::Integer(2)]);

    // The domain keeps each class apart, including a blob that looks like a tagged value.
    let mbx = new_mailbox(&conn, 1);
    conn.set_mailbox(Some(mbx)).unwrap();
    let classes = [
        Value::Integer(i64::MAX),
        Value::Real(f64::MIN_POSITIVE),
        Value::Text(String::new()),
        Value::Text("ü".repeat(1000)),
        Value::Blob(Vec::new()),
        Value::Blob(vec![1, 0, 0, 0, 0, 0, 0, 0, 0]),
        Value::Null,
    ];
    for (propid, v) in classes.iter().enumerate() {
        conn.execute(
            "INSERT INTO store_properties (propid, proptype, value) VALUES (?1, 0, ?2)",
            &[ValueRef::Integer(propid as i64), v.as_ref()],
        )
        .unwrap();
    }
    let rows = conn.query("SELECT value FROM store_properties ORDER BY propid", &[]).unwrap();
    let got: Vec<Value> = rows.into_iter().map(|mut r| r.remove(0)).collect();
    assert_eq!(got, classes);
    // Also through a join, an alias and RETURNING, and through the table itself.
    add_folder(&conn, 5);
    conn.execute(
        "INSERT INTO folder_properties (fid, propid, proptype, value) VALUES (5, 1, 3, ?1) \
         ON CONFLICT (/*mbx,*/ fid, propid) DO UPDATE SET value = ?1",
        &[ValueRef::Real(2.5)],
    )
    .unwrap();
    let upserted = conn
        .query(
            "INSERT INTO folder_properties (fid, propid, proptype, value) VALUES (5, 1, 3, ?1) \
             ON CONFLICT (/*mbx,*/ fid, propid) DO UPDATE SET value = ?1 RETURNING value",
            &[ValueRef::Text("now text")],
        )
        .unwrap();
    assert_eq!(upserted, vec![vec![Value::Text("now text".into())]]);
    let joined = conn
        .query("SELECT f.fid, p.value AS v FROM folders f JOIN folder_properties p ON p.fid = f.fid", &[])
        .unwrap();
    assert_eq!(joined, vec![vec![Value::Integer(5), Value::Text("now text".into())]]);
    let base = conn
        .query("SELECT value FROM store.folder_properties WHERE mbx = ?1", &[ValueRef::Integer(mbx)])
        .unwrap();
    assert_eq!(base, vec![vec![Value::Text("now text".into())]]);
    // A list parameter where SQLite takes json_each(?).
    let listed = conn
        .query("SELECT count(*) FROM folders WHERE fid = ANY(?1)", &[ValueRef::Text("[4, 5, 6]")])
        .unwrap();
    assert_eq!(listed, vec![vec![Value::Integer(1)]]);
}

#[test]
fn values_that_do_not_fit_are_conversion_errors_and_the_connection_goes_on() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    conn.batch("CREATE TABLE public.narrow (s smallint, i integer, n bigint, t text, b bytea)").unwrap();
    let cases: [(&str, ValueRef<'_>); 5] = [
        ("INSERT INTO public.narrow (s) VALUES (?1)", ValueRef::Integer(70_000)),
        ("INSERT INTO public.narrow (i) VALUES (?1)", ValueRef::Integer(1 << 40)),
        ("INSERT INTO public.narrow (n) VALUES (?1)", ValueRef::Text("twelve")),
        ("INSERT INTO public.narrow (t) VALUES (?1)", ValueRef::Blob(b"x")),
        ("INSERT INTO public.narrow (b) VALUES (?1)", ValueRef::Real(1.0)),
    ];
    for (sql, v) in cases {
        let e = conn.execute(sql, &[v]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Conversion, "{sql}: {e}");
        assert!(e.to_string().contains("$1"), "{e}");
    }
    // A column of a type without a storage class.
    let e = conn.query("SELECT now()", &[]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion, "{e}");
    assert!(e.to_string().contains("timestamp"), "{e}");
    // The wrong number of parameters.
    assert!(conn.execute("INSERT INTO public.narrow (s) VALUES (?1)", &[]).is_err());
    // None of that hurt the connection.
    assert_eq!(
        conn.execute(
            "INSERT INTO public.narrow (s, t) VALUES (?1, ?2)",
            &[ValueRef::Integer(-3), ValueRef::Integer(12)]
        )
        .unwrap(),
        1
    );
    assert_eq!(
        conn.query("SELECT s, t FROM public.narrow", &[]).unwrap(),
        vec![vec![Value::Integer(-3), Value::Text("12".into())]]
    );
}

#[test]
fn constraint_violations_are_classified_as_constraint() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    let user = |name: &str, guid: u8| {
        conn.execute(
            "INSERT INTO users (name, display_name, smtp_address, legacy_dn, mailbox_guid, password_hash, nt_hash, created) \
             VALUES (?1, ?1, ?1 || '@example.com', '/o=x/cn=' || ?1, ?2, 'h', ?3, 0)",
            &[ValueRef::Text(name), ValueRef::Blob(&[guid; 16]), ValueRef::Blob(&[0; 16])],
        )
    };
    user("alice", 1).unwrap();
    let violations = [
        user("bob", 1).unwrap_err(), // UNIQUE mailbox_guid
        conn.execute("INSERT INTO grants (owner_id, grantee_id, access) VALUES (1, 99, 'full-access')", &[])
            .unwrap_err(), // FK
        conn.execute("UPDATE users SET mailbox_guid = ?1", &[ValueRef::Blob(&[1; 15])]).unwrap_err(), // CHECK
        conn.execute("INSERT INTO settings (key, value) VALUES ('k', NULL)", &[]).unwrap_err(), // NOT NULL
    ];
    for e in violations {
        assert_eq!(e.kind(), ErrorKind::Constraint, "{e}");
        assert!(e.is_constraint());
        assert!(
            matches!(&e, crate::db::Error::Postgres { code: Some(c), .. } if c.starts_with("23")),
            "{e:?}"
        );
    }
}

#[test]
fn a_mailbox_view_read_with_no_mailbox_selected_fails_closed() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    let e = conn.query("SELECT count(*) FROM folders", &[]).unwrap_err();
    assert!(e.to_string().contains("no mailbox is selected"), "{e}");
    let mbx = new_mailbox(&conn, 1);
    conn.set_mailbox(Some(mbx)).unwrap();
    add_folder(&conn, 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM folders"), 1);
    conn.set_mailbox(None).unwrap();
    assert!(conn.query("SELECT count(*) FROM folders", &[]).is_err());
    assert!(
        conn.execute(
            "INSERT INTO folders (fid, folder_type, change_number, created, modified) VALUES (2, 1, 2, 0, 0)",
            &[]
        )
        .is_err()
    );
    // A connection handed back with a mailbox selected comes out of the pool with none.
    conn.set_mailbox(Some(mbx)).unwrap();
    drop(conn);
    let again = s.pool.get().unwrap();
    assert_eq!(s.pool.open_connections(), 1, "the same connection");
    assert!(again.query("SELECT count(*) FROM folders", &[]).is_err());
}

#[test]
fn two_mailboxes_never_see_each_others_rows() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    let (a, b) = (new_mailbox(&conn, 1), new_mailbox(&conn, 2));
    for (mbx, fids) in [(a, [1, 2, 3]), (b, [1, 2, 9])] {
        conn.set_mailbox(Some(mbx)).unwrap();
        for fid in fids {
            add_folder(&conn, fid); // the same fid in both: keys lead with mbx
        }
    }
    // Inserts took mbx from the selected mailbox.
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM store.folders WHERE mbx = {a} AND fid = 3")), 1);
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM store.folders WHERE mbx = {b} AND fid = 9")), 1);
    conn.set_mailbox(Some(a)).unwrap();
    assert_eq!(count(&conn, "SELECT sum(fid) FROM folders"), 6);
    // Writing rows of the other mailbox through the views is refused or touches nothing.
    let e = conn
        .execute(
            "INSERT INTO folders (mbx, fid, folder_type, change_number, created, modified) VALUES (?1, 7, 1, 7, 0, 0)",
            &[ValueRef::Integer(b)],
        )
        .unwrap_err();
    assert!(e.to_string().contains("check option") || e.to_string().contains("view"), "{e}");
    assert!(conn.execute("UPDATE folders SET mbx = ?1 WHERE fid = 1", &[ValueRef::Integer(b)]).is_err());
    assert_eq!(conn.execute("DELETE FROM folders WHERE fid = 9", &[]).unwrap(), 0);
    assert_eq!(conn.execute("UPDATE folders SET modified = 5", &[]).unwrap(), 3);
    assert_eq!(conn.execute("DELETE FROM folders WHERE fid <> 1", &[]).unwrap(), 2);
    conn.set_mailbox(Some(b)).unwrap();
    assert_eq!(count(&conn, "SELECT sum(fid) FROM folders"), 12);
    assert_eq!(count(&conn, "SELECT count(*) FROM folders WHERE modified = 5"), 0);
    // A selection made inside a transaction that rolls back is undone by PostgreSQL: the
    // connection notices and selects again.
    conn.batch("BEGIN").unwrap();
    conn.set_mailbox(Some(a)).unwrap();
    assert_eq!(count(&conn, "SELECT sum(fid) FROM folders"), 1);
    conn.batch("ROLLBACK").unwrap();
    assert_eq!(count(&conn, "SELECT sum(fid) FROM folders"), 1, "still mailbox a after the rollback");
    conn.set_mailbox(Some(b)).unwrap();
    assert_eq!(count(&conn, "SELECT sum(fid) FROM folders"), 12);
}

#[test]
fn a_connection_dropped_inside_a_transaction_rolls_back_and_is_reused() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    conn.batch("CREATE TABLE public.t (x bigint)").unwrap();
    conn.batch("BEGIN").unwrap();
    conn.execute("INSERT INTO public.t VALUES (1)", &[]).unwrap();
    assert!(conn.in_transaction());
    drop(conn);
    let conn = s.pool.get().unwrap();
    assert_eq!(s.pool.open_connections(), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM public.t"), 0);
    // A statement whose cached plan went stale is prepared again.
    assert_eq!(conn.query("SELECT * FROM public.t", &[]).unwrap().len(), 0);
    conn.batch("ALTER TABLE public.t ADD COLUMN y text; INSERT INTO public.t VALUES (1, 'y')").unwrap();
    assert_eq!(
        conn.query("SELECT * FROM public.t", &[]).unwrap(),
        vec![vec![Value::Integer(1), Value::Text("y".into())]]
    );
}

#[test]
fn the_pool_hands_out_at_most_its_size_and_drops_broken_connections() {
    let Some(server) = test_server() else { return };
    let db = TestDatabase::create(&server).unwrap();
    let options =
        PoolOptions { max_size: 2, checkout_timeout: Duration::from_millis(300), ..PoolOptions::default() };
    let pool = PgPool::connect_with(&db.url(), options).unwrap();
    let first = pool.get().unwrap();
    let second = pool.get().unwrap();
    let e = pool.get().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Busy, "{e}");
    // A connection killed by the server fails as Unavailable and is not handed out again.
    let pid = int(&first.query("SELECT pg_backend_pid()", &[]).unwrap()[0][0]);
    second.execute("SELECT pg_terminate_backend(?1::int4)", &[ValueRef::Integer(pid)]).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let e = first.query("SELECT 1", &[]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unavailable, "{e}");
    drop(first);
    assert_eq!(pool.open_connections(), 1);
    let third = pool.get().unwrap();
    assert_eq!(third.query("SELECT 1", &[]).unwrap(), vec![vec![Value::Integer(1)]]);
    // Our connections name themselves and look in the mailbox views, then the directory.
    let who = third
        .query("SELECT current_setting('application_name'), current_setting('search_path')", &[])
        .unwrap();
    assert_eq!(who, vec![vec![Value::Text(APPLICATION_NAME.into()), Value::Text(SEARCH_PATH.into())]]);
    drop((second, third, pool));
}

/// A pool and a test database may be dropped last on a thread that drives a tokio runtime (an
/// async task of the server, the end of an async test): closing the idle connections and
/// dropping the database then happen on a thread of their own, without the driver's "Cannot
/// start a runtime from within a runtime" panic.
#[test]
fn a_pool_and_its_test_database_dropped_on_an_async_thread_close_cleanly() {
    let Some(server) = test_server() else { return };
    let Some(site) = site() else { return };
    let name = site.db.name().to_string();
    let held: Vec<PgConn> = (0..3).map(|_| site.pool.get().unwrap()).collect();
    drop(held);
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async move { drop(site) });
    let mut admin = postgres::Client::connect(&format!("{server}/postgres"), postgres::NoTls).unwrap();
    let left = admin.query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name]).unwrap();
    assert!(left.is_empty(), "the test database {name} was dropped");
}

#[test]
fn a_refused_connection_fails_at_once_without_the_password_in_the_message() {
    let Some(server) = test_server() else { return };
    // A database that does not exist: the server's reason comes back, and the URL without
    // its password.
    let url = format!(
        "{}/oxt_no_such_database",
        server.replacen("://", "://nobody:topsecret@", 1).replacen("@oxmapi@", "@", 1)
    );
    let started = std::time::Instant::now();
    let e = PgPool::connect(&url).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(e.kind(), ErrorKind::Unavailable, "{e}");
    assert!(!e.to_string().contains("topsecret"), "{e}");
}

#[test]
fn folder_counts_equal_a_group_by_after_inserts_updates_deletes_and_moves() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    let mbx = new_mailbox(&conn, 1);
    let other = new_mailbox(&conn, 2);
    // The other mailbox has messages in folders of the same numbers: they must not count.
    conn.set_mailbox(Some(other)).unwrap();
    for fid in [1, 2, 3] {
        add_folder(&conn, fid);
    }
    conn.execute(
        "INSERT INTO messages (mid, fid, change_number, message_size, created, modified) VALUES (100, 1, 1, 1000, 0, 0)",
        &[],
    )
    .unwrap();
    conn.set_mailbox(Some(mbx)).unwrap();
    for fid in [1, 2, 3] {
        add_folder(&conn, fid);
    }
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: i64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as i64
    };
    let check = |conn: &PgConn| {
        let counted = conn
            .query(
                "SELECT fid, associated, soft_deleted, total, unread, size FROM folder_counts \
                 WHERE total <> 0 ORDER BY 1, 2, 3",
                &[],
            )
            .unwrap();
        let grouped = conn
            .query(
                "SELECT fid, associated, soft_deleted, count(*), sum(CASE WHEN read = 0 THEN 1 ELSE 0 END), \
                 sum(message_size) FROM messages WHERE fid IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                &[],
            )
            .unwrap();
        assert_eq!(counted, grouped);
        assert_eq!(
            count(conn, "SELECT count(*) FROM folder_counts WHERE total < 0 OR unread < 0 OR size < 0"),
            0
        );
    };
    for mid in 1..=60 {
        let (fid, associated, read, size) = (next(3) + 1, next(2), next(2), next(5000));
        conn.execute(
            "INSERT INTO messages (mid, fid, associated, read, message_size, change_number, created, modified) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?1, 0, 0)",
            &[mid, fid, associated, read, size].map(ValueRef::Integer),
        )
        .unwrap();
    }
    check(&conn);
    for _ in 0..80 {
        let mid = next(60) + 1;
        let sql = match next(6) {
            0 => "UPDATE messages SET read = 1 - read WHERE mid = ?1",
            1 => "UPDATE messages SET fid = (fid % 3) + 1 WHERE mid = ?1", // a move
            2 => "UPDATE messages SET soft_deleted = 1 - soft_deleted WHERE mid = ?1",
            3 => "UPDATE messages SET message_size = message_size + 17, modified = 1 WHERE mid = ?1",
            4 => "UPDATE messages SET modified = modified + 1 WHERE mid = ?1", // not counted
            _ => "DELETE FROM messages WHERE mid = ?1",
        };
        conn.execute(sql, &[ValueRef::Integer(mid)]).unwrap();
    }
    check(&conn);
    // Several rows in one statement, and a folder's hard delete taking its messages along.
    conn.execute("UPDATE messages SET fid = 1 WHERE fid = 2", &[]).unwrap();
    check(&conn);
    conn.execute("DELETE FROM folders WHERE fid = 3", &[]).unwrap();
    check(&conn);
    assert_eq!(count(&conn, "SELECT count(*) FROM folder_counts WHERE fid = 3"), 0);
    conn.set_mailbox(Some(other)).unwrap();
    assert_eq!(
        conn.query("SELECT fid, total, unread, size FROM folder_counts", &[]).unwrap(),
        vec![[1, 1, 1, 1000].map(Value::Integer).to_vec()]
    );
}

#[test]
fn nocase_columns_refuse_a_second_case_and_find_any() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    let user = |name: &str, guid: u8| {
        conn.execute(
            "INSERT INTO users (name, display_name, smtp_address, legacy_dn, mailbox_guid, password_hash, nt_hash, created) \
             VALUES (?1, ?1, ?1 || '@example.com', '/o=x/cn=' || ?1, ?2, 'h', ?3, 0)",
            &[ValueRef::Text(name), ValueRef::Blob(&[guid; 16]), ValueRef::Blob(&[0; 16])],
        )
    };
    user("alice", 1).unwrap();
    let e = user("Alice", 2).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Constraint, "{e}");
    assert_eq!(count(&conn, "SELECT id FROM users WHERE name = 'ALICE'"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM users WHERE smtp_address = 'Alice@Example.COM'"), 1);
    // Display names compare byte-wise, as SQLite's BINARY does.
    assert_eq!(count(&conn, "SELECT count(*) FROM users WHERE display_name = 'ALICE'"), 0);
    // Receive folders' message classes too (SQLite NOCASE).
    let mbx = new_mailbox(&conn, 1);
    conn.set_mailbox(Some(mbx)).unwrap();
    add_folder(&conn, 1);
    conn.execute("INSERT INTO receive_folders (message_class, fid, modified) VALUES ('IPM.Note', 1, 0)", &[])
        .unwrap();
    assert!(
        conn.execute(
            "INSERT INTO receive_folders (message_class, fid, modified) VALUES ('ipm.note', 1, 0)",
            &[]
        )
        .is_err()
    );
    assert_eq!(count(&conn, "SELECT count(*) FROM receive_folders WHERE message_class = 'IPM.NOTE'"), 1);
}

#[test]
fn authz_and_directory_change_counters_move_with_their_writes() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    let authz = |c: &PgConn| count(c, "SELECT generation FROM authz");
    let changes = |c: &PgConn| count(c, "SELECT generation FROM changes");
    let (a0, c0) = (authz(&conn), changes(&conn));
    conn.execute(
        "INSERT INTO users (name, display_name, smtp_address, legacy_dn, mailbox_guid, password_hash, nt_hash, created) \
         VALUES ('a', 'A', 'a@x', '/cn=a', ?1, 'h', ?2, 0)",
        &[ValueRef::Blob(&[1; 16]), ValueRef::Blob(&[0; 16])],
    )
    .unwrap();
    assert_eq!((authz(&conn), changes(&conn)), (a0, c0 + 1), "a new user takes no right away");
    conn.execute("UPDATE users SET enabled = 0", &[]).unwrap();
    assert_eq!((authz(&conn), changes(&conn)), (a0 + 1, c0 + 2));
    conn.execute("UPDATE users SET display_name = 'B'", &[]).unwrap();
    assert_eq!((authz(&conn), changes(&conn)), (a0 + 1, c0 + 3), "a display name is no credential");
    conn.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')", &[]).unwrap();
    assert_eq!(changes(&conn), c0 + 4);
    conn.execute(
        "INSERT INTO sessions (id, \"user\", endpoint, client_application, client_version, address, created, last_activity) \
         VALUES ('s', 'A', 'emsmdb', 'x', '1', '127.0.0.1', 0, 0)",
        &[],
    )
    .unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM sessions WHERE \"user\" = 'a'"), 1);
    assert_eq!(changes(&conn), c0 + 4, "sessions do not move the directory's generation");
    conn.execute("DELETE FROM users", &[]).unwrap();
    assert_eq!(authz(&conn), a0 + 2);
}

#[test]
fn orphaned_blobs_are_recorded_and_a_mailbox_goes_with_all_its_rows() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    let mbx = new_mailbox(&conn, 1);
    let other = new_mailbox(&conn, 2);
    for m in [mbx, other] {
        conn.set_mailbox(Some(m)).unwrap();
        conn.execute(
            "INSERT INTO store (singleton, kind, mailbox_guid, created) VALUES (1, 'private', ?1, 0)",
            &[ValueRef::Blob(&[m as u8; 16])],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO store_properties (propid, proptype, value) VALUES (1, 3, ?1)",
            &[ValueRef::Integer(1)],
        )
        .unwrap();
        add_folder(&conn, 1);
        conn.execute("INSERT INTO receive_folders (message_class, fid, modified) VALUES ('IPM', 1, 0)", &[])
            .unwrap();
        conn.execute(
            "INSERT INTO messages (mid, fid, change_number, created, modified) VALUES (10, 1, 1, 0, 0)",
            &[],
        )
        .unwrap();
        let blob =
            int(&conn.query("INSERT INTO blobs (created) VALUES (0) RETURNING blob_id", &[]).unwrap()[0][0]);
        conn.execute(
            "INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?1, 0, ?2)",
            &[ValueRef::Integer(blob), ValueRef::Blob(b"chunk")],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO message_properties (mid, propid, proptype, value, blob_id) VALUES (10, 1, 258, NULL, ?1)",
            &[ValueRef::Integer(blob)],
        )
        .unwrap();
        let attach = int(&conn.query("INSERT INTO attachments (mid, attach_num, created, modified) VALUES (10, 0, 0, 0) RETURNING attach_id", &[]).unwrap()[0][0]);
        conn.execute("INSERT INTO attachment_properties (attach_id, propid, proptype, value, blob_id) VALUES (?1, 1, 258, NULL, ?2)", &[ValueRef::Integer(attach), ValueRef::Integer(blob)]).unwrap();
        // An embedded message inside the attachment.
        conn.execute("INSERT INTO messages (mid, parent_attach, change_number, created, modified) VALUES (11, ?1, 2, 0, 0)", &[ValueRef::Integer(attach)]).unwrap();
        conn.execute("INSERT INTO submissions (mid, submitted, submit_flags) VALUES (10, 0, 0)", &[])
            .unwrap();
    }
    conn.set_mailbox(Some(mbx)).unwrap();
    conn.execute("UPDATE message_properties SET blob_id = NULL", &[]).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM blob_orphans"), 1);
    conn.execute("DELETE FROM messages WHERE mid = 10", &[]).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM blob_orphans"), 1, "the same blob again, by cascade");
    assert_eq!(
        count(&conn, "SELECT count(*) FROM messages"),
        0,
        "the embedded message went with its attachment"
    );
    conn.set_mailbox(Some(other)).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM blob_orphans"), 0);
    // Deleting a mailbox removes every row it had and none of the other's.
    conn.set_mailbox(None).unwrap();
    conn.execute("DELETE FROM store.mailboxes WHERE mbx = ?1", &[ValueRef::Integer(other)]).unwrap();
    for table in schema_mailbox::MAILBOX_TABLES {
        let left = count(&conn, &format!("SELECT count(*) FROM store.{table} WHERE mbx = {other}"));
        assert_eq!(left, 0, "{table}");
    }
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM store.folders WHERE mbx = {mbx}")), 1);
}

#[test]
fn every_mailbox_table_has_its_view_and_every_key_leads_with_mbx() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    for table in schema_mailbox::MAILBOX_TABLES {
        let views = count(
            &conn,
            &format!(
                "SELECT count(*) FROM information_schema.views WHERE table_schema = 'mailbox' AND table_name = '{table}' AND check_option = 'CASCADED' AND is_updatable = 'YES'"
            ),
        );
        assert_eq!(views, 1, "{table}");
    }
    // Every index of a mailbox table starts with mbx (primary keys and unique constraints too).
    let bad = conn
        .query(
            "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] \
             WHERE n.nspname = 'store' AND c.relname NOT IN ('mailboxes', 'oxmapi_schema') AND a.attname <> 'mbx'",
            &[],
        )
        .unwrap();
    assert!(bad.is_empty(), "{bad:?}");
    let fks = conn
        .query(
            "SELECT conname::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
             WHERE n.nspname = 'store' AND contype = 'f' AND conrelid <> 'store.mailboxes'::regclass \
             AND (SELECT attname FROM pg_attribute WHERE attrelid = conrelid AND attnum = conkey[1]) <> 'mbx'",
            &[],
        )
        .unwrap();
    assert!(fks.is_empty(), "{fks:?}");
}

#[test]
fn two_processes_migrating_at_once_take_turns() {
    let Some(server) = test_server() else { return };
    let db = TestDatabase::create(&server).unwrap();
    let url = db.url();
    let barrier = Arc::new(Barrier::new(3));
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let (url, barrier) = (url.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let pool = PgPool::connect(&url)?;
                barrier.wait();
                pool.migrate()
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap().unwrap();
    }
    let pool = PgPool::connect(&url).unwrap();
    let versions = pool.schema_versions().unwrap();
    assert_eq!(
        versions,
        vec![
            ("directory".to_string(), latest_version("directory")),
            ("store".to_string(), latest_version("store"))
        ]
    );
    // Migrating again changes nothing.
    pool.migrate().unwrap();
    assert_eq!(pool.schema_versions().unwrap(), versions);
}

#[test]
fn a_newer_or_foreign_database_is_refused() {
    let Some(s) = site() else { return };
    s.pool
        .get()
        .unwrap()
        .execute("UPDATE store.oxmapi_schema SET version = 99 WHERE component = 'store'", &[])
        .unwrap();
    let e = s.pool.migrate().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Corrupt);
    assert!(e.to_string().contains("upgrade oxmapi") && e.to_string().contains("99"), "{e}");

    let Some(server) = test_server() else { return };
    let foreign = TestDatabase::create(&server).unwrap();
    let pool = PgPool::connect(&foreign.url()).unwrap();
    pool.get().unwrap().batch("CREATE SCHEMA directory").unwrap();
    let e = pool.migrate().unwrap_err();
    assert!(e.to_string().contains("not an oxmapi database"), "{e}");
    drop(pool);
    let _ = &s.db;
}

#[test]
fn ids_copied_in_explicitly_are_never_handed_out_again() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    let mbx = new_mailbox(&conn, 1);
    conn.set_mailbox(Some(mbx)).unwrap();
    conn.execute("INSERT INTO blobs (blob_id, created) VALUES (1000, 0)", &[]).unwrap();
    s.pool.advance_identities().unwrap();
    let next =
        int(&conn.query("INSERT INTO blobs (created) VALUES (0) RETURNING blob_id", &[]).unwrap()[0][0]);
    assert_eq!(next, 1001);
    // Never backwards: with the large ids gone, the sequence stays where it was.
    conn.execute("DELETE FROM blobs", &[]).unwrap();
    s.pool.advance_identities().unwrap();
    let next =
        int(&conn.query("INSERT INTO blobs (created) VALUES (0) RETURNING blob_id", &[]).unwrap()[0][0]);
    assert_eq!(next, 1002);
    // The mailbox registry and the directory are covered too.
    assert!(
        IDENTITY_COLUMNS.contains(&("store.mailboxes", "mbx"))
            && IDENTITY_COLUMNS.contains(&("directory.users", "id"))
    );
}

#[test]
fn a_writer_blocked_by_another_transaction_gives_up_as_busy() {
    let Some(server) = test_server() else { return };
    let db = TestDatabase::create(&server).unwrap();
    let options = PoolOptions { lock_timeout: Duration::from_millis(200), ..PoolOptions::default() };
    let pool = PgPool::connect_with(&db.url(), options).unwrap();
    pool.migrate().unwrap();
    let (holder, waiter) = (pool.get().unwrap(), pool.get().unwrap());
    let mbx = new_mailbox(&holder, 1);
    holder.batch("BEGIN").unwrap();
    holder
        .execute(
            "UPDATE store.mailboxes SET generation = generation + 1 WHERE mbx = ?1",
            &[ValueRef::Integer(mbx)],
        )
        .unwrap();
    let started = std::time::Instant::now();
    let e = waiter
        .execute(
            "UPDATE store.mailboxes SET generation = generation + 1 WHERE mbx = ?1",
            &[ValueRef::Integer(mbx)],
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Busy, "{e}");
    assert!(started.elapsed() < Duration::from_secs(3));
    holder.batch("COMMIT").unwrap();
    assert_eq!(
        waiter
            .execute(
                "UPDATE store.mailboxes SET generation = generation + 1 WHERE mbx = ?1",
                &[ValueRef::Integer(mbx)]
            )
            .unwrap(),
        1
    );
}

/// A keyset read through a view walks the `mbx`-leading index in the table engine's order
/// (NULLs first ascending: the index's key column is `NULLS FIRST`).
#[test]
fn mailbox_views_seek_the_mbx_leading_indexes() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    let mbx = new_mailbox(&conn, 1);
    conn.set_mailbox(Some(mbx)).unwrap();
    // Whether the index can serve the view's filter and order at all (not the planner's
    // preference on an empty table).
    conn.batch("SET enable_seqscan = off; SET enable_sort = off").unwrap();
    let plan = conn
        .query(
            "EXPLAIN SELECT mid FROM messages WHERE fid = ?1 AND associated = 0 AND soft_deleted = 0 \
             AND (k_subject, mid) > (?2, ?3) ORDER BY k_subject NULLS FIRST, mid LIMIT 50",
            &[ValueRef::Integer(1), ValueRef::Text("m"), ValueRef::Integer(7)],
        )
        .unwrap();
    let plan: Vec<String> = plan
        .into_iter()
        .map(|r| match &r[0] {
            Value::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    let text = plan.join("\n");
    assert!(text.contains("messages_by_subject") && !text.contains("Sort"), "{text}");
    conn.batch("RESET enable_seqscan; RESET enable_sort").unwrap();
}

#[test]
fn many_threads_share_a_small_pool_without_exceeding_it() {
    let Some(server) = test_server() else { return };
    let db = TestDatabase::create(&server).unwrap();
    let options = PoolOptions { max_size: 2, ..PoolOptions::default() };
    let pool = PgPool::connect_with(&db.url(), options).unwrap();
    let workers: Vec<_> = (0..8)
        .map(|i| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                for j in 0..20i64 {
                    let conn = pool.get().unwrap();
                    let got = conn.query("SELECT ?1::int8 * 2", &[ValueRef::Integer(i * 100 + j)]).unwrap();
                    assert_eq!(got, vec![vec![Value::Integer((i * 100 + j) * 2)]]);
                    assert!(pool.open_connections() <= 2);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert!(pool.open_connections() <= 2);
}

/// The final SQLite schema of a file kind: every migration of `file` (the raw SQL strings in
/// the order the source lists them) run on an empty in-memory database.
fn sqlite_final_schema(file: &str) -> rusqlite::Connection {
    let path = format!("{}/src/{file}", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let mut rest = source.as_str();
    while let Some(start) = rest.find("r#\"") {
        let body = &rest[start + 3..];
        let end = body.find("\"#").expect("raw string end");
        conn.execute_batch(&body[..end]).unwrap_or_else(|e| panic!("{file}: {e}"));
        rest = &body[end + 2..];
    }
    conn
}

/// Names of `kind` objects (table, index, trigger) of the SQLite schema, excluding internal ones.
fn sqlite_objects(conn: &rusqlite::Connection, kind: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = ?1 AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    stmt.query_map([kind], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Columns of an SQLite table as (name, PostgreSQL type, not null).
fn sqlite_columns(conn: &rusqlite::Connection, table: &str) -> Vec<(String, String, bool)> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})")).unwrap();
    stmt.query_map([], |r| {
        let ty: String = r.get(2)?;
        let pg = match ty.to_ascii_uppercase().as_str() {
            "INTEGER" => "bigint",
            "TEXT" => "text",
            "BLOB" => "bytea",
            "" => "oxvalue",
            other => panic!("{table}: SQLite type {other}"),
        };
        Ok((r.get(1)?, pg.to_string(), r.get::<_, i64>(3)? != 0 || r.get::<_, i64>(5)? > 0))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn pg_columns(conn: &PgConn, schema: &str, table: &str) -> Vec<(String, String, bool)> {
    conn.query(
        "SELECT column_name::text, coalesce(domain_name::text, data_type::text), is_nullable = 'NO' \
         FROM information_schema.columns WHERE table_schema = ?1 AND table_name = ?2 AND column_name <> 'mbx' \
         ORDER BY ordinal_position",
        &[ValueRef::Text(schema), ValueRef::Text(table)],
    )
    .unwrap()
    .into_iter()
    .map(|r| match &r[..] {
        [Value::Text(n), Value::Text(t), Value::Integer(nn)] => (n.clone(), t.clone(), *nn != 0),
        other => panic!("{other:?}"),
    })
    .collect()
}

fn pg_names(conn: &PgConn, sql: &str, schema: &str) -> Vec<String> {
    conn.query(sql, &[ValueRef::Text(schema)])
        .unwrap()
        .into_iter()
        .map(|r| match &r[0] {
            Value::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        })
        .collect()
}

/// Adding an SQLite migration without its PostgreSQL counterpart (or the other way round) fails
/// here: tables, columns (name, order, type, NOT NULL), index names and trigger names of the
/// final SQLite schemas all exist on PostgreSQL.
#[test]
fn the_postgres_schema_matches_the_final_sqlite_schema() {
    let Some(s) = site() else { return };
    let conn = s.pool.get().unwrap();
    for (file, schema) in [("mailbox/schema.rs", "store"), ("directory/schema.rs", "directory")] {
        let lite = sqlite_final_schema(file);
        let tables = sqlite_objects(&lite, "table");
        if schema == "store" {
            let mut ours: Vec<String> =
                schema_mailbox::MAILBOX_TABLES.iter().map(|t| t.to_string()).collect();
            ours.sort();
            assert_eq!(tables, ours, "the mailbox tables");
        }
        for table in &tables {
            assert_eq!(pg_columns(&conn, schema, table), sqlite_columns(&lite, table), "{schema}.{table}");
        }
        let pg_indexes =
            pg_names(&conn, "SELECT indexname::text FROM pg_indexes WHERE schemaname = ?1", schema);
        for index in sqlite_objects(&lite, "index") {
            assert!(pg_indexes.contains(&index), "index {index} missing in {schema}");
        }
        let pg_triggers = pg_names(
            &conn,
            "SELECT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?1 AND NOT t.tgisinternal",
            schema,
        );
        for trigger in sqlite_objects(&lite, "trigger") {
            assert!(pg_triggers.contains(&trigger), "trigger {trigger} missing in {schema}");
        }
    }
}

#[test]
fn a_dedicated_connection_hears_what_pooled_ones_notify() {
    let Some(s) = site() else { return };
    let mut listener = s.pool.dedicated().unwrap();
    listener.batch_execute("LISTEN oxmapi_test").unwrap();
    assert_eq!(s.pool.open_connections(), 1, "not counted in the pool");
    s.pool.get().unwrap().execute("SELECT pg_notify('oxmapi_test', ?1)", &[ValueRef::Text("mbx 7")]).unwrap();
    let mut notes = listener.notifications();
    let mut heard = notes.timeout_iter(Duration::from_secs(5));
    let note =
        postgres::fallible_iterator::FallibleIterator::next(&mut heard).unwrap().expect("a notification");
    assert_eq!((note.channel(), note.payload()), ("oxmapi_test", "mbx 7"));
}

#[test]
fn an_idle_connection_the_server_dropped_is_replaced_before_anyone_uses_it() {
    let Some(server) = test_server() else { return };
    let db = TestDatabase::create(&server).unwrap();
    let options = PoolOptions { idle_check_after: Duration::ZERO, ..PoolOptions::default() };
    let pool = PgPool::connect_with(&db.url(), options).unwrap();
    let pid = int(&pool.get().unwrap().query("SELECT pg_backend_pid()", &[]).unwrap()[0][0]);
    // The server ends the idle connection (a restart, a failover, an administrator).
    let mut admin = pool.dedicated().unwrap();
    admin.execute("SELECT pg_terminate_backend($1)", &[&i32::try_from(pid).unwrap()]).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let conn = pool.get().unwrap();
    let new_pid = int(&conn.query("SELECT pg_backend_pid()", &[]).unwrap()[0][0]);
    assert_ne!(new_pid, pid);
    assert_eq!(pool.open_connections(), 1);
}

/// `synchronous_commit` of a connection of `pool`.
fn synchronous_commit(pool: &PgPool) -> String {
    match &pool.get().unwrap().query("SELECT current_setting('synchronous_commit')", &[]).unwrap()[0][0] {
        Value::Text(t) => t.clone(),
        other => panic!("not text: {other:?}"),
    }
}

/// Only a site opened for bench seeding commits without waiting for the disk; a site opened
/// the usual way from the same data directory keeps PostgreSQL's durable default.
#[test]
fn only_a_site_opened_for_bench_seeding_commits_without_waiting_for_the_disk() {
    let Some(s) = site() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(crate::site::SITE_CONFIG_FILE),
        format!("database = \"{}\"\n", s.db.url()),
    )
    .unwrap();
    let pool_of = |site: &crate::Site| site.pg_database().expect("a PostgreSQL site").pool().clone();
    assert_eq!(synchronous_commit(&s.pool), "on");
    assert_eq!(synchronous_commit(&pool_of(&crate::Site::open(dir.path()).unwrap())), "on");
    assert_eq!(
        synchronous_commit(&pool_of(&crate::Site::open_for_bench_seeding(dir.path()).unwrap())),
        "off"
    );
    assert_eq!(synchronous_commit(&PgPool::connect_for_bench_seeding(&s.db.url()).unwrap()), "off");
}
