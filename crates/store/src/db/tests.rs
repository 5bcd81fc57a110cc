//! The facade on SQLite: the rusqlite call shapes the store relies on.

use super::*;

fn conn() -> Conn {
    let c = Conn::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
    c.execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY, v, b BLOB)").unwrap();
    c
}

#[test]
fn parameters_bind_in_order_and_rows_convert() {
    let c = conn();
    assert_eq!(
        c.execute("INSERT INTO t (k, v, b) VALUES (?1, ?2, ?3)", params![1, "one", vec![1u8, 2]]).unwrap(),
        1
    );
    c.execute("INSERT INTO t (k, v) VALUES (?, ?)", [&2i64 as &dyn ToSql, &2.5f64]).unwrap();
    let v: Vec<Value> = vec![Value::Integer(3), Value::Null];
    c.execute("INSERT INTO t (k, v) VALUES (?1, ?2)", params_from_iter(v.iter())).unwrap();
    let (v, b): (String, Vec<u8>) =
        c.query_row("SELECT v, b FROM t WHERE k = ?1", [1], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((v.as_str(), b), ("one", vec![1, 2]));
    let mut st = c.prepare_cached("SELECT k, v FROM t ORDER BY k").unwrap();
    let rows: Vec<(i64, Value)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_>>().unwrap();
    assert_eq!(rows[1], (2, Value::Real(2.5)));
    assert_eq!(rows[2], (3, Value::Null));
    assert!(matches!(
        c.query_row("SELECT k FROM t WHERE k = 9", [], |r| r.get::<_, i64>(0)),
        Err(Error::NoRows)
    ));
    assert_eq!(
        c.query_row("SELECT k FROM t WHERE k = 9", [], |r| r.get::<_, i64>(0)).optional().unwrap(),
        None
    );
    let e = c.query_row("SELECT v FROM t WHERE k = 1", [], |r| r.get::<_, i64>(0)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion);
    assert!(c.execute("INSERT INTO t (k) VALUES (?1, ?2)", [1, 2]).is_err(), "parameter count is checked");
    assert!(c.prepare("SELECT 1 FROM t WHERE k = ?1").unwrap().exists([3]).unwrap());
    let dup = c.execute("INSERT INTO t (k) VALUES (1)", []).unwrap_err();
    assert!(dup.is_constraint());
}

#[test]
fn transactions_roll_back_unless_committed() {
    let c = conn();
    {
        let tx = c.transaction(TxKind::Write).unwrap();
        tx.execute("INSERT INTO t (k) VALUES (1)", []).unwrap();
    }
    assert_eq!(c.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0)).unwrap(), 0);
    let tx = c.transaction(TxKind::Write).unwrap();
    tx.execute("INSERT INTO t (k) VALUES (1)", []).unwrap();
    tx.commit().unwrap();
    assert_eq!(c.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0)).unwrap(), 1);
    let mut st = c.prepare("SELECT k FROM t").unwrap();
    let mut rows = st.query([]).unwrap();
    assert_eq!(rows.next().unwrap().unwrap().get::<_, i64>(0).unwrap(), 1);
    assert!(rows.next().unwrap().is_none());
}

#[test]
fn an_unreachable_postgres_server_is_unavailable() {
    let e = pg::PgPool::connect("postgres://x@127.0.0.1:1").err().unwrap();
    assert_eq!(e.kind(), ErrorKind::Unavailable);
}
