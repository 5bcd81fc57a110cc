//! The directory: users with their legacy DNs, SMTP addresses, mailbox GUIDs and passwords,
//! full-access (delegate) grants, and server settings, in `DATA/directory.sqlite`.
//!
//! The directory is what the address book (MS-OXNSPI) lists, what logon (MS-OXCSTOR 3.2.5.1)
//! resolves an ESSDN against, and what authentication checks passwords with. Names, legacy DNs
//! and SMTP addresses compare case-insensitively (ASCII).

mod authz;
pub mod gal;
mod grants;
pub mod quotas;
pub use grants::Access;
pub mod logons;
pub mod password;
pub(crate) mod schema;
pub mod sessions;
mod settings_store;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::db::{Conn, OptionalExt, Row, params};
use oxmapi_core::guid::Guid;

use crate::error::{StoreError, StoreResult};
use crate::settings;
use crate::sqlite;

/// A user to create.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    /// Account name: 1–64 characters from `[A-Za-z0-9._-]`, unique ignoring case.
    pub name: String,
    /// The password (stored as an argon2id hash and an NT hash).
    pub password: String,
    /// PR_DISPLAY_NAME; defaults to the name.
    pub display_name: Option<String>,
    /// The primary SMTP address; defaults to `name@<domain setting>`.
    pub email: Option<String>,
    /// May log on with administrative privilege (Connect flag 0x1) and see every mailbox.
    pub admin: bool,
    /// Not listed in the global address list (can still log on).
    pub hidden: bool,
}

/// A user of the directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Account name as created.
    pub name: String,
    /// PR_DISPLAY_NAME.
    pub display_name: String,
    /// Primary SMTP address.
    pub smtp_address: String,
    /// Legacy Exchange DN (ESSDN), the `Essdn` of RopLogon and the DN of the address book entry.
    pub legacy_dn: String,
    /// The mailbox GUID: names the mailbox file and is RopLogon's `MailboxGuid`.
    pub mailbox_guid: Guid,
    /// Disabled users cannot log on (ecMailboxDisabled); their password still verifies.
    pub enabled: bool,
    /// Hidden from the global address list.
    pub hidden: bool,
    /// Administrator.
    pub admin: bool,
}

/// The directory database (a connection to `directory.sqlite`).
pub struct Directory {
    conn: Conn,
    /// The file, on SQLite.
    path: Option<PathBuf>,
    /// The last GAL built, with the change counters it was built at ([`Directory::gal`]).
    gal_cache: std::sync::Mutex<Option<(ChangeMark, Arc<gal::Gal>)>>,
    /// The PostgreSQL database, kept while the directory uses it (after `conn`: it drops last).
    _db: Option<crate::db::PgDatabase>,
}

/// Where the directory database stood ([`Directory::change_mark`]).
type ChangeMark = u64;

const USER_COLUMNS: &str =
    "id, name, display_name, smtp_address, legacy_dn, mailbox_guid, enabled, hidden, admin";

fn user_from_row(r: &Row<'_>) -> crate::db::Result<User> {
    let guid: Vec<u8> = r.get(5)?;
    let mut g = [0u8; 16];
    if guid.len() == 16 {
        g.copy_from_slice(&guid);
    }
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        display_name: r.get(2)?,
        smtp_address: r.get(3)?,
        legacy_dn: r.get(4)?,
        mailbox_guid: Guid(g),
        enabled: r.get(6)?,
        hidden: r.get(7)?,
        admin: r.get(8)?,
    })
}

/// The rule for account names, as error messages and hints state it.
pub const USER_NAME_RULE: &str = "a user name has 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-', \
     and starts with a letter or a digit";

/// How every refusal of [`check_user_name`] begins (the CLI recognises it to print the rule as
/// the hint).
pub const INVALID_USER_NAME: &str = "invalid user name";

/// Checks an account name against [`USER_NAME_RULE`]: 1–64 characters from `[A-Za-z0-9._-]`,
/// the first a letter or a digit. The first-character rule keeps out names that are path
/// components or look like them (`.`, `..`, `.hidden`) and names that look like options
/// (`-rf`): a name may end up in a path, a log line or a command line.
pub fn check_user_name(name: &str) -> StoreResult<()> {
    let refuse =
        |why: String| Err(StoreError::InvalidParameter(format!("{INVALID_USER_NAME} {name:?}: {why}")));
    if name.is_empty() || name.len() > 64 {
        return refuse(format!("it has {} characters ({USER_NAME_RULE})", name.chars().count()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        return refuse(format!("character {c:?} is not allowed ({USER_NAME_RULE})"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        let what = if name.chars().all(|c| c == '.') { "a path component, not a name" } else { "not a name" };
        return refuse(format!("{name:?} is {what} ({USER_NAME_RULE})"));
    }
    Ok(())
}

/// Checks an SMTP address (`local@domain`) and returns it with the domain in lower case.
pub fn check_email(addr: &str) -> StoreResult<String> {
    let bad = |why: &str| StoreError::InvalidParameter(format!("invalid e-mail address {addr:?}: {why}"));
    let a = addr.trim();
    let (local, domain) = a.rsplit_once('@').ok_or_else(|| bad("expected local-part@domain"))?;
    if local.is_empty() || local.len() > 64 {
        return Err(bad("the part before '@' must have 1 to 64 characters"));
    }
    if !local.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'@' | b'<' | b'>' | b'"' | b',' | b';')) {
        return Err(bad("the part before '@' may use printable ASCII without spaces, quotes or <>,;@"));
    }
    let domain = settings::check_domain(domain).map_err(|w| bad(&w))?;
    Ok(format!("{local}@{domain}"))
}

fn check_display_name(s: &str) -> StoreResult<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > 256 || t.chars().any(char::is_control) {
        return Err(StoreError::InvalidParameter(format!(
            "invalid display name {s:?}: use 1 to 256 characters without control characters"
        )));
    }
    Ok(t.to_string())
}

/// The legacy DN of a new user:
/// `/o=<organization>/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=<name>`.
pub fn legacy_dn_for(organization: &str, name: &str) -> String {
    format!(
        "/o={organization}/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn={}",
        name.to_ascii_lowercase()
    )
}

fn no_user(name: &str) -> StoreError {
    StoreError::NotFound(format!("no user named {name:?} (see `oxmapi admin user list`)"))
}

impl Directory {
    /// Opens the directory at `path`, creating the file and its schema if missing (the parent
    /// directory must exist). A new file is readable by its owner only: it holds NT hashes.
    pub fn open(path: &Path) -> StoreResult<Directory> {
        sqlite::create_owner_only(path)?;
        let conn = sqlite::open(path, schema::KIND, schema::MIGRATIONS, true)?;
        Ok(Directory {
            conn: Conn::Sqlite(conn),
            path: Some(path.to_path_buf()),
            gal_cache: Default::default(),
            _db: None,
        })
    }

    /// The directory of a PostgreSQL site (the schema is made by `PgPool::migrate`); the
    /// directory holds one pooled connection until dropped.
    pub fn open_in(db: &crate::db::PgDatabase) -> StoreResult<Directory> {
        let conn = crate::mailbox::unscoped_conn(db)?;
        Ok(Directory { conn, path: None, gal_cache: Default::default(), _db: Some(db.clone()) })
    }

    /// The file this directory lives in (`None` on PostgreSQL).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The database engine the directory lives in.
    pub fn backend(&self) -> crate::db::Backend {
        self.conn.backend()
    }

    /// Creates a user (the directory row only; [`crate::Site::add_user`] also creates the
    /// mailbox). See [`NewUser`] for the rules and defaults.
    pub fn add_user(&self, new: &NewUser) -> StoreResult<User> {
        let name = new.name.trim();
        check_user_name(name)?;
        password::check_password(&new.password)?;
        let display_name = check_display_name(new.display_name.as_deref().unwrap_or(name))?;
        let domain = self.effective_setting(settings::DOMAIN)?;
        let smtp = match &new.email {
            Some(e) => check_email(e)?,
            None => check_email(&format!("{}@{domain}", name.to_ascii_lowercase()))?,
        };
        let legacy_dn = legacy_dn_for(&self.effective_setting(settings::ORGANIZATION)?, name);
        let hash = password::hash_password(&new.password)?;
        let nt = password::nt_hash(&new.password);
        let guid = Guid::new_random();

        let tx = sqlite::write_tx(&self.conn)?;
        if self.find_user(&tx, name)?.is_some() {
            return Err(StoreError::Collision(format!(
                "a user named {name:?} already exists (names are compared ignoring case)"
            )));
        }
        let taken: Option<String> = tx
            .query_row("SELECT name FROM users WHERE smtp_address = ?1", [&smtp], |r| r.get(0))
            .optional()?;
        if let Some(owner) = taken {
            return Err(StoreError::Collision(format!(
                "the e-mail address {smtp} already belongs to user {owner:?}; pass another --email"
            )));
        }
        tx.execute(
            "INSERT INTO users (name, display_name, smtp_address, legacy_dn, mailbox_guid, password_hash, \
             nt_hash, enabled, hidden, admin, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?10)",
            params![
                name,
                display_name,
                smtp,
                legacy_dn,
                guid.0.to_vec(),
                hash,
                nt.to_vec(),
                new.hidden,
                new.admin,
                sqlite::unix_now()
            ],
        )
        .map_err(|e| match e {
            e if e.is_constraint() => {
                StoreError::Collision(format!("user {name:?} collides with an existing user: {e}"))
            }
            e => e.into(),
        })?;
        let user = self.find_user(&tx, name)?.ok_or_else(|| no_user(name))?;
        tx.commit()?;
        Ok(user)
    }

    /// Creates many users in one transaction **without mailboxes**, hashing each distinct
    /// password once (users with the same password share its argon2 hash and salt). This is the
    /// bulk path for seeding large directories in tests and benchmarks (a 10 000-entry address
    /// book): [`crate::Site::add_user`] pays an argon2 hash and a mailbox file per user. The
    /// users authenticate and are listed in the GAL; logging on to their (missing) mailbox fails.
    /// Names, display names and addresses are checked as by [`Directory::add_user`]; the first
    /// invalid or colliding user aborts the whole batch. Returns how many users were created.
    pub fn add_users_bulk_without_mailboxes(&self, users: &[NewUser]) -> StoreResult<usize> {
        let domain = self.effective_setting(settings::DOMAIN)?;
        let organization = self.effective_setting(settings::ORGANIZATION)?;
        let mut hashes: std::collections::HashMap<&str, (String, [u8; 16])> = Default::default();
        let tx = sqlite::write_tx(&self.conn)?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO users (name, display_name, smtp_address, legacy_dn, mailbox_guid, password_hash, \
                 nt_hash, enabled, hidden, admin, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?10)",
            )?;
            for new in users {
                let name = new.name.trim();
                check_user_name(name)?;
                let display_name = check_display_name(new.display_name.as_deref().unwrap_or(name))?;
                let smtp = match &new.email {
                    Some(e) => check_email(e)?,
                    None => check_email(&format!("{}@{domain}", name.to_ascii_lowercase()))?,
                };
                let (hash, nt) = match hashes.get(new.password.as_str()) {
                    Some(h) => h.clone(),
                    None => {
                        password::check_password(&new.password)?;
                        let h = (password::hash_password(&new.password)?, password::nt_hash(&new.password));
                        hashes.insert(new.password.as_str(), h.clone());
                        h
                    }
                };
                insert
                    .execute(params![
                        name,
                        display_name,
                        smtp,
                        legacy_dn_for(&organization, name),
                        Guid::new_random().0.to_vec(),
                        hash,
                        nt.to_vec(),
                        new.hidden,
                        new.admin,
                        sqlite::unix_now()
                    ])
                    .map_err(|e| match e {
                        e if e.is_constraint() => StoreError::Collision(format!(
                            "user {name:?} collides with an existing user: {e}"
                        )),
                        e => e.into(),
                    })?;
            }
        }
        tx.commit()?;
        Ok(users.len())
    }

    /// Removes a user row and its grants (used to undo a half-made user).
    pub(crate) fn delete_user_row(&self, id: i64) -> StoreResult<()> {
        self.conn.execute("DELETE FROM users WHERE id = ?1", [id])?;
        Ok(())
    }

    fn find_user(&self, conn: &Conn, name: &str) -> StoreResult<Option<User>> {
        // Looked up on every request of an authenticated connection: prepared once.
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1");
        Ok(conn.prepare_cached(&sql)?.query_row([name.trim()], user_from_row).optional()?)
    }

    fn user_where(&self, column: &str, value: &str) -> StoreResult<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {column} = ?1");
        Ok(self.conn.query_row(&sql, [value.trim()], user_from_row).optional()?)
    }

    /// The user with this account name (ignoring case).
    pub fn user(&self, name: &str) -> StoreResult<Option<User>> {
        self.find_user(&self.conn, name)
    }

    /// The user with this row id.
    pub fn user_by_id(&self, id: i64) -> StoreResult<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1");
        Ok(self.conn.query_row(&sql, [id], user_from_row).optional()?)
    }

    /// The user with this legacy DN (ignoring case).
    pub fn user_by_dn(&self, legacy_dn: &str) -> StoreResult<Option<User>> {
        self.user_where("legacy_dn", legacy_dn)
    }

    /// The user with this SMTP address (ignoring case).
    pub fn user_by_email(&self, addr: &str) -> StoreResult<Option<User>> {
        self.user_where("smtp_address", addr)
    }

    /// The user whose mailbox has this GUID.
    pub fn user_by_mailbox_guid(&self, guid: &Guid) -> StoreResult<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE mailbox_guid = ?1");
        Ok(self.conn.query_row(&sql, [guid.0.to_vec()], user_from_row).optional()?)
    }

    /// The user, or NotFound with a hint.
    pub fn require_user(&self, name: &str) -> StoreResult<User> {
        self.user(name)?.ok_or_else(|| no_user(name))
    }

    /// Every user, sorted by name (ignoring case).
    pub fn users(&self) -> StoreResult<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY name");
        let mut stmt = self.conn.prepare(&sql)?;
        let users = stmt.query_map([], user_from_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(users)
    }

    /// The global address list as it is now (hidden users left out). It is built again only
    /// when the directory changed since the last call, by this connection or any other (an
    /// `oxmapi admin` process), so changes show at the next call.
    /// A number that moves with every committed change to the directory, by any process or
    /// node: SQLite `PRAGMA data_version` with this connection's `total_changes`; PostgreSQL the
    /// counter in `directory.changes` that the directory tables' triggers bump.
    fn change_mark(&self) -> StoreResult<ChangeMark> {
        match self.conn.sqlite() {
            Some(c) => sqlite::change_mark(c),
            None => Ok(self
                .conn
                .query_row("SELECT generation FROM directory.changes", [], |r| r.get::<_, i64>(0))?
                as u64),
        }
    }

    pub fn gal(&self) -> StoreResult<Arc<gal::Gal>> {
        let mark = self.change_mark()?;
        let mut cache = self.gal_cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((m, g)) = cache.as_ref()
            && *m == mark
        {
            return Ok(Arc::clone(g));
        }
        let g = Arc::new(gal::Gal::new(self.users()?));
        *cache = Some((mark, Arc::clone(&g)));
        Ok(g)
    }

    fn set_flag(&self, name: &str, column: &str, on: bool) -> StoreResult<()> {
        let n = self
            .conn
            .execute(&format!("UPDATE users SET {column} = ?1 WHERE name = ?2"), params![on, name])?;
        if n == 0 {
            return Err(no_user(name));
        }
        Ok(())
    }

    /// Enables or disables a user's logons.
    pub fn set_enabled(&self, name: &str, on: bool) -> StoreResult<()> {
        self.set_flag(name, "enabled", on)
    }

    /// Hides a user from, or shows a user in, the global address list.
    pub fn set_hidden(&self, name: &str, on: bool) -> StoreResult<()> {
        self.set_flag(name, "hidden", on)
    }

    /// Grants or removes administrator rights.
    pub fn set_admin(&self, name: &str, on: bool) -> StoreResult<()> {
        self.set_flag(name, "admin", on)
    }

    /// Changes a user's password (both the argon2id hash and the NT hash).
    pub fn set_password(&self, name: &str, password: &str) -> StoreResult<()> {
        password::check_password(password)?;
        let hash = password::hash_password(password)?;
        let nt = password::nt_hash(password);
        let n = self.conn.execute(
            "UPDATE users SET password_hash = ?1, nt_hash = ?2 WHERE name = ?3",
            params![hash, nt.to_vec(), name],
        )?;
        if n == 0 {
            return Err(no_user(name));
        }
        Ok(())
    }

    /// `Some(user)` when the user exists and the password matches. Disabled users still verify:
    /// whether they may log on is the server's decision.
    pub fn verify_password(&self, name: &str, password: &str) -> StoreResult<Option<User>> {
        let row: Option<String> = self
            .conn
            .query_row("SELECT password_hash FROM users WHERE name = ?1", [name.trim()], |r| r.get(0))
            .optional()?;
        match row {
            Some(phc) if password::verify_password(password, &phc)? => self.user(name),
            _ => Ok(None),
        }
    }

    /// The NT hash of the user's password (for NTLMv2), `None` for an unknown user.
    pub fn nt_hash(&self, name: &str) -> StoreResult<Option<[u8; 16]>> {
        let row: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT nt_hash FROM users WHERE name = ?1", [name.trim()], |r| r.get(0))
            .optional()?;
        row.map(|b| {
            <[u8; 16]>::try_from(b.as_slice())
                .map_err(|_| StoreError::Corrupt(format!("stored NT hash of {name:?} is not 16 bytes")))
        })
        .transpose()
    }

    /// Checks the directory: SQLite `PRAGMA integrity_check`; on PostgreSQL, which checks its
    /// own pages, that the directory tables answer.
    pub fn integrity_check(&self) -> StoreResult<bool> {
        match self.conn.sqlite() {
            Some(c) => sqlite::integrity_ok(c),
            None => {
                self.conn.query_row("SELECT count(*) FROM users", [], |r| r.get::<_, i64>(0))?;
                Ok(true)
            }
        }
    }
}
