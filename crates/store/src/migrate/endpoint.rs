//! The two ends of a migration: a data directory of SQLite files or a PostgreSQL database, with
//! what the copy needs of each — the directory's connection, the list of mailboxes, a mailbox
//! to read, and a new mailbox to fill.

use std::path::{Path, PathBuf};

use oxmapi_core::guid::Guid;

use crate::db::{Backend, Conn, OptionalExt, PgDatabase, TxKind};
use crate::error::{StoreError, StoreResult};
use crate::site::{DIRECTORY_FILE, MAILBOXES_DIR, PUBLIC_FILE};
use crate::{Site, directory, mailbox, sqlite};

/// One end of a migration.
pub(crate) enum Side {
    /// A data directory.
    Files(PathBuf),
    /// A PostgreSQL database.
    Postgres(PgDatabase),
}

/// Where a mailbox is on one side.
#[derive(Clone, Debug)]
pub(crate) enum Place {
    /// Its file.
    File(PathBuf),
    /// Its `store.mailboxes.mbx`.
    Mbx(i64),
}

/// A mailbox of the source.
#[derive(Clone, Debug)]
pub(crate) struct MailboxRef {
    /// Its GUID (the same on both sides).
    pub guid: Guid,
    /// `private` or `public`.
    pub kind: String,
    /// The owner's account name (`public` for the public store), for progress and summaries.
    pub label: String,
    /// Where it is in the source.
    pub place: Place,
}

/// A new mailbox being filled in the target.
pub(crate) struct NewMailbox {
    /// The connection to fill it through (open a write transaction on it, then call
    /// [`Side::register`] inside it).
    pub conn: Conn,
    /// Files: the scratch file and the final name.
    files: Option<(PathBuf, PathBuf)>,
}

fn guid_text(g: &Guid) -> String {
    g.to_string().trim_start_matches('{').trim_end_matches('}').to_ascii_lowercase()
}

fn remove_with_journals(path: &Path) -> StoreResult<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io_at(&p, e)),
        }
    }
    Ok(())
}

impl Side {
    /// The side of an open site.
    pub(crate) fn of(site: &Site) -> StoreResult<Side> {
        match (site.root(), site.pg_database()) {
            (Some(root), _) => Ok(Side::Files(root.to_path_buf())),
            (None, Some(db)) => Ok(Side::Postgres(db.clone())),
            (None, None) => Err(StoreError::Failed("a site that is neither files nor a database".into())),
        }
    }

    /// The backend.
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Side::Files(_) => Backend::Sqlite,
            Side::Postgres(_) => Backend::Postgres,
        }
    }

    /// A connection to the directory (files: `directory.sqlite`, created if missing).
    pub(crate) fn directory(&self) -> StoreResult<Conn> {
        match self {
            Side::Files(root) => {
                let path = root.join(DIRECTORY_FILE);
                sqlite::create_owner_only(&path)?;
                Ok(Conn::Sqlite(sqlite::open(
                    &path,
                    directory::schema::KIND,
                    directory::schema::MIGRATIONS,
                    true,
                )?))
            }
            Side::Postgres(db) => mailbox::unscoped_conn(db),
        }
    }

    /// The mailboxes of this side: every private mailbox and the public store.
    pub(crate) fn mailboxes(&self) -> StoreResult<Vec<MailboxRef>> {
        let mut out = Vec::new();
        match self {
            Side::Files(root) => {
                let mut files = Vec::new();
                let dir = root.join(MAILBOXES_DIR);
                if dir.exists() {
                    for e in std::fs::read_dir(&dir).map_err(|e| StoreError::io_at(&dir, e))? {
                        let p = e.map_err(|e| StoreError::io_at(&dir, e))?.path();
                        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                        if name.ends_with(".sqlite") && !name.starts_with('.') {
                            files.push(p);
                        }
                    }
                }
                files.sort();
                let public = root.join(PUBLIC_FILE);
                if public.exists() {
                    files.push(public);
                }
                for path in files {
                    let conn = open_store_file(&path)?;
                    let (guid, kind, owner) = store_row(&conn)?;
                    out.push(MailboxRef {
                        guid,
                        label: owner.unwrap_or_else(|| kind.clone()),
                        kind,
                        place: Place::File(path),
                    });
                }
            }
            Side::Postgres(db) => {
                let conn = mailbox::unscoped_conn(db)?;
                let mut st = conn.prepare(
                    "SELECT m.mbx, m.guid, m.kind, s.owner_name FROM store.mailboxes m \
                     LEFT JOIN store.store s ON s.mbx = m.mbx ORDER BY m.kind, m.mbx",
                )?;
                let rows = st.query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                    ))
                })?;
                for r in rows {
                    let (mbx, guid, kind, owner) = r?;
                    let guid = mailbox::guid_from(&guid)
                        .ok_or_else(|| StoreError::Corrupt(format!("mailbox {mbx} has a malformed GUID")))?;
                    out.push(MailboxRef {
                        guid,
                        label: owner.unwrap_or_else(|| kind.clone()),
                        kind,
                        place: Place::Mbx(mbx),
                    });
                }
            }
        }
        Ok(out)
    }

    /// A connection that reads `m` (scoped to it on PostgreSQL).
    pub(crate) fn read(&self, m: &MailboxRef) -> StoreResult<Conn> {
        match (self, &m.place) {
            (Side::Files(_), Place::File(p)) => open_store_file(p),
            (Side::Postgres(db), Place::Mbx(mbx)) => {
                let pg = db.get()?;
                pg.set_mailbox(Some(*mbx))?;
                Ok(Conn::Postgres(Box::new(pg)))
            }
            _ => Err(StoreError::Failed(format!("mailbox {} is not on this side", m.guid))),
        }
    }

    /// Where `m` goes in this (target) data directory.
    fn file_for(root: &Path, m: &MailboxRef) -> PathBuf {
        if m.kind == "public" {
            root.join(PUBLIC_FILE)
        } else {
            root.join(MAILBOXES_DIR).join(format!("{}.sqlite", guid_text(&m.guid)))
        }
    }

    /// Whether this (target) side holds any mailbox.
    pub(crate) fn has_mailboxes(&self) -> StoreResult<bool> {
        match self {
            Side::Files(root) => {
                let dir = root.join(MAILBOXES_DIR);
                let any_file = dir.exists()
                    && std::fs::read_dir(&dir)
                        .map_err(|e| StoreError::io_at(&dir, e))?
                        .filter_map(|e| e.ok())
                        .any(|e| {
                            e.file_name()
                                .to_str()
                                .is_some_and(|n| n.ends_with(".sqlite") && !n.starts_with('.'))
                        });
                Ok(any_file || root.join(PUBLIC_FILE).exists())
            }
            Side::Postgres(db) => {
                let conn = mailbox::unscoped_conn(db)?;
                let n: i64 = conn.query_row("SELECT count(*) FROM store.mailboxes", [], |r| r.get(0))?;
                Ok(n > 0)
            }
        }
    }

    /// Starts a new copy of `m` in this (target) side, throwing away any earlier, unfinished
    /// one: files are built in a scratch file next to the final name; on PostgreSQL the
    /// mailbox is registered by [`Side::register`] inside the caller's transaction.
    pub(crate) fn begin(&self, m: &MailboxRef) -> StoreResult<NewMailbox> {
        match self {
            Side::Files(root) => {
                let path = Self::file_for(root, m);
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("store").to_string();
                let tmp = path.with_file_name(format!(".{name}.migrating"));
                remove_with_journals(&tmp)?;
                let conn = Conn::Sqlite(sqlite::open_scratch(
                    &tmp,
                    mailbox::schema::KIND,
                    mailbox::schema::MIGRATIONS,
                )?);
                Ok(NewMailbox { conn, files: Some((tmp, path)) })
            }
            Side::Postgres(db) => Ok(NewMailbox { conn: mailbox::unscoped_conn(db)?, files: None }),
        }
    }

    /// Inside the write transaction on `tx` (a [`NewMailbox`]'s connection): on PostgreSQL,
    /// deletes an unfinished earlier copy of `m` and registers it anew, scoping the connection
    /// to it; nothing for files.
    pub(crate) fn register(&self, tx: &Conn, m: &MailboxRef) -> StoreResult<()> {
        let Some(pg) = tx.postgres() else { return Ok(()) };
        pg.set_mailbox(None)?;
        tx.execute("DELETE FROM store.mailboxes WHERE guid = ?1", [m.guid.0.to_vec()])?;
        let mbx: i64 = tx.query_row(
            "INSERT INTO store.mailboxes (guid, kind) VALUES (?1, ?2) RETURNING mbx",
            crate::params![m.guid.0.to_vec(), m.kind.as_str()],
            |r| r.get(0),
        )?;
        pg.set_mailbox(Some(mbx))?;
        Ok(())
    }

    /// After the transaction committed: files move the scratch file to its final name
    /// (replacing an unfinished earlier copy).
    pub(crate) fn finish(&self, new: NewMailbox) -> StoreResult<()> {
        let NewMailbox { conn, files } = new;
        drop(conn);
        if let Some((tmp, path)) = files {
            remove_with_journals(&path)?;
            std::fs::rename(&tmp, &path).map_err(|e| StoreError::io_at(&path, e))?;
        }
        Ok(())
    }

    /// A connection reading the finished copy of `m` in this (target) side, for the final
    /// check; `None` when it is missing.
    pub(crate) fn read_copy(&self, m: &MailboxRef) -> StoreResult<Option<Conn>> {
        match self {
            Side::Files(root) => {
                let p = Self::file_for(root, m);
                if !p.exists() {
                    return Ok(None);
                }
                Ok(Some(open_store_file(&p)?))
            }
            Side::Postgres(db) => {
                let conn = mailbox::unscoped_conn(db)?;
                let mbx: Option<i64> = conn
                    .query_row("SELECT mbx FROM store.mailboxes WHERE guid = ?1", [m.guid.0.to_vec()], |r| {
                        r.get(0)
                    })
                    .optional()?;
                let Some(mbx) = mbx else { return Ok(None) };
                if let Some(pg) = conn.postgres() {
                    pg.set_mailbox(Some(mbx))?;
                }
                Ok(Some(conn))
            }
        }
    }
}

/// Opens a store file (upgrading an older one, as the server would).
fn open_store_file(path: &Path) -> StoreResult<Conn> {
    Ok(Conn::Sqlite(sqlite::open(path, mailbox::schema::KIND, mailbox::schema::MIGRATIONS, false)?))
}

/// The GUID, kind and owner name of the store `conn` is scoped to.
fn store_row(conn: &Conn) -> StoreResult<(Guid, String, Option<String>)> {
    let tx = conn.transaction(TxKind::Read)?;
    let (g, kind, owner): (Vec<u8>, String, Option<String>) = tx
        .query_row("SELECT mailbox_guid, kind, owner_name FROM store WHERE singleton = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?
        .ok_or_else(|| StoreError::Corrupt("a store without its store record".into()))?;
    let guid = mailbox::guid_from(&g)
        .ok_or_else(|| StoreError::Corrupt("a store record with a malformed GUID".into()))?;
    Ok((guid, kind, owner))
}
