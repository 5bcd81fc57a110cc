//! Message stores in a PostgreSQL site: the registry of mailboxes (`store.mailboxes`: one row
//! per mailbox with its GUID, kind and generation) and opening and creating stores in it. Every
//! other table of a mailbox is reached through the `mailbox` views, scoped to the mailbox's
//! `mbx` by `PgConn::set_mailbox` (design §2.1), so the rest of the store runs the same SQL as on
//! SQLite.

use std::sync::Mutex;

use oxmapi_core::guid::Guid;

use super::{Loaded, MessageStore, StoreKind, StoreOwner, create};
use crate::db::{Conn, Handle, OptionalExt, PgDatabase, TxKind};
use crate::directory::User;
use crate::error::{StoreError, StoreResult};

/// The advisory lock that serialises the creation of the public store across nodes (two nodes
/// enabling public folders at once must not make two).
const PUBLIC_STORE_LOCK: i64 = 0x4F58_5055;

/// A connection of the pool scoped to no mailbox (the registry and the directory only).
pub(crate) fn unscoped(pool: &PgDatabase) -> StoreResult<Conn> {
    let pg = pool.get()?;
    pg.set_mailbox(None)?;
    Ok(Conn::Postgres(Box::new(pg)))
}

/// The `mbx` of the mailbox with this GUID.
fn find(conn: &Conn, guid: &Guid) -> StoreResult<Option<i64>> {
    Ok(conn
        .query_row("SELECT mbx FROM store.mailboxes WHERE guid = ?1", [guid.0.to_vec()], |r| r.get(0))
        .optional()?)
}

/// The GUID of the public store, if the site has one.
pub(crate) fn public_guid(pool: &PgDatabase) -> StoreResult<Option<Guid>> {
    let conn = unscoped(pool)?;
    let g: Option<Vec<u8>> = conn
        .query_row("SELECT guid FROM store.mailboxes WHERE kind = 'public' ORDER BY mbx LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(g.as_deref().and_then(super::guid_from))
}

impl MessageStore {
    /// Opens the mailbox with GUID `guid` of a PostgreSQL site.
    pub fn open_in(pool: &PgDatabase, guid: &Guid) -> StoreResult<MessageStore> {
        let mbx = find(&unscoped(pool)?, guid)?
            .ok_or_else(|| StoreError::NotFound(format!("mailbox {guid} does not exist in the database")))?;
        let db = Handle::Postgres { lock: Mutex::new(()), pool: pool.clone(), mbx: Some(mbx) };
        let loaded = {
            let conn = db.lock()?;
            super::messages::backfill_sort_keys(&conn)?;
            Loaded::read(&conn, &format!("{guid} in the database"))?
        };
        let store = MessageStore::from_loaded(db, None, loaded);
        store.start_following(&*store.lock()?)?;
        Ok(store)
    }

    /// Creates the private mailbox of `owner` in a PostgreSQL site (see
    /// [`MessageStore::create_private`]) and opens it.
    pub fn create_private_in(pool: &PgDatabase, owner: &User) -> StoreResult<MessageStore> {
        let guid = owner.mailbox_guid;
        create_in(pool, StoreKind::Private, guid, Some(&StoreOwner::of(owner)))?;
        MessageStore::open_in(pool, &guid)
    }

    /// Creates the public folder store of a PostgreSQL site, unless another process made one
    /// meanwhile, and opens it.
    pub fn create_public_in(pool: &PgDatabase) -> StoreResult<MessageStore> {
        let guid = create_in(pool, StoreKind::Public, Guid::new_random(), None)?;
        MessageStore::open_in(pool, &guid)
    }
}

/// Registers a mailbox and fills it in one transaction: its row in `store.mailboxes`, then the
/// same content as a new store file ([`create::populate`]) on the connection scoped to it.
/// Returns the GUID of the store (for the public store, the one already there if another
/// process created it first).
fn create_in(
    pool: &PgDatabase,
    kind: StoreKind,
    guid: Guid,
    owner: Option<&StoreOwner>,
) -> StoreResult<Guid> {
    let conn = unscoped(pool)?;
    let tx = conn.transaction(TxKind::Write)?;
    if kind == StoreKind::Public {
        tx.execute("SELECT pg_advisory_xact_lock(?1)", [PUBLIC_STORE_LOCK])?;
        let existing: Option<Vec<u8>> = tx
            .query_row("SELECT guid FROM store.mailboxes WHERE kind = 'public' LIMIT 1", [], |r| r.get(0))
            .optional()?;
        if let Some(g) = existing.as_deref().and_then(super::guid_from) {
            return Ok(g);
        }
    }
    let mbx: i64 = tx
        .query_row(
            "INSERT INTO store.mailboxes (guid, kind) VALUES (?1, ?2) RETURNING mbx",
            crate::params![guid.0.to_vec(), kind.as_str()],
            |r| r.get(0),
        )
        .map_err(|e| match e {
            e if e.is_constraint() => StoreError::Collision(format!("mailbox {guid} already exists")),
            e => e.into(),
        })?;
    let Some(pg) = tx.postgres() else { unreachable!("a connection of the pool") };
    pg.set_mailbox(Some(mbx))?;
    create::populate(&tx, kind, guid, owner)?;
    tx.commit()?;
    Ok(guid)
}
