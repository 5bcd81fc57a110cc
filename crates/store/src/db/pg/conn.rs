//! A pooled connection: statements through the extended protocol with a prepared-statement
//! cache, the selected mailbox, and what the connection knows about its transaction.
//!
//! The mailbox is the session setting `oxmapi.mailbox` read by the views of schema `mailbox`.
//! The server is told lazily, before the next statement and only when it changes, so handing a
//! connection from one mailbox to another costs one round trip and a directory statement after
//! a mailbox statement one more (a checkout always starts with no mailbox: fail closed). A
//! setting made inside a transaction is undone by PostgreSQL when the transaction rolls back,
//! so after a transaction in which it was set the connection no longer trusts what it knows and
//! sets it again.

use std::cell::{Cell, RefCell, RefMut};
use std::collections::HashMap;
use std::sync::Arc;

use postgres::types::ToSql as PgToSql;
use postgres::{Client, Statement};

use super::pool::{PgPool, Shared};
use super::types::{self, ColumnKind, Param, Raw};
use super::{pg_error, translate};
use crate::db::{Error, ErrorKind, Result, Value, ValueRef};

/// Prepared statements one connection keeps; past this its cache is emptied (the server frees
/// them) and refilled.
pub const STATEMENT_CACHE_CAPACITY: usize = 256;

/// The statement that selects the mailbox.
const SET_MAILBOX: &str = "SELECT set_config('oxmapi.mailbox', $1, false)";

/// SQLSTATEs that mean a cached prepared statement went stale (a schema change altered its
/// result, or the server forgot it): it is prepared again and, outside a transaction, rerun.
const STALE_STATEMENT: &[&str] = &["0A000", "26000"];

struct Prepared {
    statement: Statement,
    /// How to read each column (computed the first time the statement returns rows).
    columns: Option<Arc<[ColumnKind]>>,
}

/// The connection itself, as the pool keeps it.
pub(super) struct Conn {
    pub(super) client: Client,
    statements: HashMap<Arc<str>, Prepared>,
    /// The mailbox selected on the server: `Some(None)` none, `None` not known.
    mailbox: Option<Option<i64>>,
    in_tx: bool,
    /// The mailbox was set inside the open transaction.
    set_in_tx: bool,
    /// The connection failed (no SQLSTATE: the socket broke): the pool discards it.
    pub(super) broken: bool,
}

impl Conn {
    pub(super) fn new(client: Client) -> Conn {
        Conn {
            client,
            statements: HashMap::new(),
            mailbox: Some(None),
            in_tx: false,
            set_in_tx: false,
            broken: false,
        }
    }

    /// Converts a driver error, noting a broken connection.
    fn fail(&mut self, e: postgres::Error) -> Error {
        if e.as_db_error().is_none() && !super::is_local(&e) {
            self.broken = true;
        }
        pg_error(&e)
    }

    fn statement(&mut self, sql: &Arc<str>) -> Result<&mut Prepared> {
        if !self.statements.contains_key(sql) {
            if self.statements.len() >= STATEMENT_CACHE_CAPACITY {
                self.statements.clear();
            }
            let statement = self.client.prepare(sql).map_err(|e| self.fail(e))?;
            self.statements.insert(Arc::clone(sql), Prepared { statement, columns: None });
        }
        self.statements.get_mut(sql).ok_or(Error::NoRows)
    }

    /// Follows transaction control in `sql` (run, successfully or not).
    fn note_transaction_control(&mut self, sql: &str) {
        for keyword in translate::statement_keywords(sql) {
            match keyword.as_str() {
                "BEGIN" | "START" => self.in_tx = true,
                "COMMIT" | "END" | "ROLLBACK" | "ABORT" => {
                    self.in_tx = false;
                    if std::mem::take(&mut self.set_in_tx) {
                        self.mailbox = None;
                    }
                }
                _ => {}
            }
        }
    }
}

/// A connection checked out of a [`PgPool`]; back to the pool when dropped (after a rollback
/// if it is still inside a transaction). Not `Sync`: one thread uses it at a time.
pub struct PgConn {
    shared: Arc<Shared>,
    conn: Option<RefCell<Conn>>,
    wanted: Cell<Option<i64>>,
}

impl std::fmt::Debug for PgConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConn").field("mailbox", &self.wanted.get()).finish_non_exhaustive()
    }
}

impl PgConn {
    pub(super) fn new(shared: Arc<Shared>, conn: Conn) -> PgConn {
        PgConn { shared, conn: Some(RefCell::new(conn)), wanted: Cell::new(None) }
    }

    fn borrow(&self) -> Result<RefMut<'_, Conn>> {
        let cell = self.conn.as_ref().ok_or_else(closed)?;
        cell.try_borrow_mut().map_err(|_| Error::Postgres {
            code: None,
            kind: ErrorKind::Other,
            message: "a PostgreSQL connection was used while a statement on it was still running".into(),
        })
    }

    /// Selects the mailbox whose rows the views of schema `mailbox` show (`None`: no mailbox,
    /// every mailbox statement fails).
    pub fn set_mailbox(&self, mbx: Option<i64>) -> Result<()> {
        self.wanted.set(mbx);
        let mut conn = self.borrow()?;
        self.sync_mailbox(&mut conn)
    }

    /// Whether a transaction begun on this connection (`BEGIN` through any of its methods) is
    /// still open.
    pub fn in_transaction(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| c.try_borrow().is_ok_and(|c| c.in_tx))
    }

    /// The mailbox selected by [`PgConn::set_mailbox`].
    pub fn mailbox(&self) -> Option<i64> {
        self.wanted.get()
    }

    fn sync_mailbox(&self, conn: &mut Conn) -> Result<()> {
        let wanted = self.wanted.get();
        if conn.mailbox == Some(wanted) {
            return Ok(());
        }
        let text = wanted.map(|m| m.to_string()).unwrap_or_default();
        let sql: Arc<str> = SET_MAILBOX.into();
        let statement = conn.statement(&sql)?.statement.clone();
        conn.mailbox = None;
        conn.client.query(&statement, &[&text]).map_err(|e| conn.fail(e))?;
        conn.mailbox = Some(wanted);
        if conn.in_tx {
            conn.set_in_tx = true;
        }
        Ok(())
    }

    /// Runs one statement (the store's dialect, see [`super::translate`]); the number of rows
    /// it changed.
    pub fn execute(&self, sql: &str, params: &[ValueRef<'_>]) -> Result<u64> {
        self.run(sql, params, |conn, _, statement, args| {
            conn.client.execute(statement, args).map_err(|e| conn.fail(e))
        })
    }

    /// Runs one statement and returns its rows, each column as a storage-class value.
    pub fn query(&self, sql: &str, params: &[ValueRef<'_>]) -> Result<Vec<Vec<Value>>> {
        let shared = Arc::clone(&self.shared);
        self.run(sql, params, move |conn, key, statement, args| {
            let rows = conn.client.query(statement, args).map_err(|e| conn.fail(e))?;
            if rows.is_empty() {
                return Ok(Vec::new());
            }
            let kinds = column_kinds(conn, &shared, key, statement)?;
            rows.iter()
                .map(|row| {
                    kinds
                        .iter()
                        .enumerate()
                        .map(|(i, kind)| {
                            let raw: Raw<'_> = row.try_get(i).map_err(|e| pg_error(&e))?;
                            types::decode(kind, raw.0, i)
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// Runs `sql` through the simple-query protocol: no parameters, several statements allowed
    /// (transaction control, DDL).
    pub fn batch(&self, sql: &str) -> Result<()> {
        let mut conn = self.borrow()?;
        if !starts_with_rollback(sql) {
            self.sync_mailbox(&mut conn)?;
        }
        let result = conn.client.batch_execute(sql).map_err(|e| conn.fail(e));
        conn.note_transaction_control(sql);
        result
    }

    /// Runs `f` on the driver's client (migrations, COPY). Transaction control done there is not
    /// followed: `f` must end what it begins.
    pub fn with_client<T>(&self, f: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
        let mut conn = self.borrow()?;
        let result = f(&mut conn.client);
        if conn.client.is_closed() {
            conn.broken = true;
        }
        result
    }

    fn run<T>(
        &self,
        sql: &str,
        params: &[ValueRef<'_>],
        mut exec: impl FnMut(&mut Conn, &Arc<str>, &Statement, &[&(dyn PgToSql + Sync)]) -> Result<T>,
    ) -> Result<T> {
        let translated = PgPool::translated(&self.shared, sql);
        let mut conn = self.borrow()?;
        self.sync_mailbox(&mut conn)?;
        let mut result = run_once(&mut conn, &translated, params, &mut exec);
        if let Err(Error::Postgres { code: Some(code), .. }) = &result
            && STALE_STATEMENT.contains(&code.as_str())
        {
            conn.statements.remove(&translated);
            if !conn.in_tx {
                result = run_once(&mut conn, &translated, params, &mut exec);
            }
        }
        conn.note_transaction_control(sql);
        result
    }
}

fn run_once<T>(
    conn: &mut Conn,
    sql: &Arc<str>,
    params: &[ValueRef<'_>],
    exec: &mut impl FnMut(&mut Conn, &Arc<str>, &Statement, &[&(dyn PgToSql + Sync)]) -> Result<T>,
) -> Result<T> {
    let statement = conn.statement(sql)?.statement.clone();
    let types = statement.params();
    if types.len() != params.len() {
        return Err(Error::Postgres {
            code: None,
            kind: ErrorKind::Other,
            message: format!(
                "the statement takes {} parameters but {} were given: {sql}",
                types.len(),
                params.len()
            ),
        });
    }
    let args: Vec<Param<'_>> = params
        .iter()
        .zip(types)
        .enumerate()
        .map(|(i, (v, ty))| types::encode(*v, ty, i + 1))
        .collect::<Result<_>>()?;
    let refs: Vec<&(dyn PgToSql + Sync)> = args.iter().map(|a| a as &(dyn PgToSql + Sync)).collect();
    exec(conn, sql, &statement, &refs)
}

/// How to read the columns of `statement`, remembered with it.
fn column_kinds(
    conn: &mut Conn,
    shared: &Shared,
    key: &Arc<str>,
    statement: &Statement,
) -> Result<Arc<[ColumnKind]>> {
    if let Some(kinds) = conn.statements.get(key).and_then(|p| p.columns.clone()) {
        return Ok(kinds);
    }
    let columns = statement.columns();
    let needs_origins = columns.iter().any(|c| *c.type_() == postgres::types::Type::BYTEA);
    let oxvalue = if needs_origins { Some(shared.oxvalue_columns(&mut conn.client)?) } else { None };
    let kinds: Arc<[ColumnKind]> = columns
        .iter()
        .map(|c| {
            let origin = c.table_oid().zip(c.column_id());
            let is_oxvalue = matches!((&oxvalue, origin), (Some(set), Some(o)) if set.contains(&o));
            types::column_kind(c.type_(), is_oxvalue)
        })
        .collect();
    if let Some(p) = conn.statements.get_mut(key) {
        p.columns = Some(Arc::clone(&kinds));
    }
    Ok(kinds)
}

fn starts_with_rollback(sql: &str) -> bool {
    translate::statement_keywords(sql).next().is_some_and(|k| k == "ROLLBACK" || k == "ABORT")
}

// A connection moves between threads with its pool's users (the store's lock guard); the pool
// is shared by all of them.
const _: () = {
    const fn send<T: Send>() {}
    const fn send_sync<T: Send + Sync>() {}
    send::<PgConn>();
    send_sync::<PgPool>();
};

fn closed() -> Error {
    Error::Postgres {
        code: None,
        kind: ErrorKind::Unavailable,
        message: "the connection was returned to its pool".into(),
    }
}

impl Drop for PgConn {
    fn drop(&mut self) {
        let Some(cell) = self.conn.take() else { return };
        let mut conn = cell.into_inner();
        if conn.in_tx {
            if conn.client.batch_execute("ROLLBACK").is_err() {
                conn.broken = true;
            }
            conn.note_transaction_control("ROLLBACK");
        }
        self.shared.give_back(conn);
    }
}
