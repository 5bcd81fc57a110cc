//! The registry of live session contexts (schema version 3): the server records each context
//! it creates (Connect on the mailbox endpoint, Bind on the address book endpoint), refreshes
//! its last activity now and then, and removes it when it ends; `oxmapi admin sessions ls`
//! reads it and `oxmapi admin sessions kill` marks rows killed from another process.
//!
//! Killing also moves the authorisation generation ([`Directory::authz_generation`]), which the
//! running server polls, so that it looks at its contexts at once and ends the killed ones.

use crate::db::params;

use super::Directory;
use crate::error::StoreResult;
use crate::sqlite;

/// One recorded session context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// The context's id (its `MapiContext` cookie).
    pub id: String,
    /// The user's account name.
    pub user: String,
    /// `emsmdb` or `nspi`.
    pub endpoint: String,
    /// `X-ClientApplication` as sent at Connect/Bind.
    pub client_application: String,
    /// The client version parsed from it (`a.b.c.d`).
    pub client_version: String,
    /// The client's peer address (`ip:port`).
    pub address: String,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// Last recorded activity, Unix seconds (refreshed at most every few seconds).
    pub last_activity: i64,
    /// Ended by an administrator, not yet removed by the server.
    pub killed: bool,
}

impl Directory {
    /// Records a new context.
    pub fn session_insert(&self, r: &SessionRecord) -> StoreResult<()> {
        self.conn.execute(
            "INSERT INTO sessions
             (id, \"user\", endpoint, client_application, client_version, address, created, last_activity, killed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)
             ON CONFLICT (id) DO UPDATE SET \"user\" = excluded.\"user\", endpoint = excluded.endpoint,
             client_application = excluded.client_application, client_version = excluded.client_version,
             address = excluded.address, created = excluded.created,
             last_activity = excluded.last_activity, killed = 0",
            params![
                r.id,
                r.user,
                r.endpoint,
                r.client_application,
                r.client_version,
                r.address,
                r.created,
                r.last_activity
            ],
        )?;
        Ok(())
    }

    /// Refreshes the last activity of several contexts in one transaction.
    pub fn sessions_touch(&self, touched: &[(String, i64)]) -> StoreResult<()> {
        if touched.is_empty() {
            return Ok(());
        }
        let tx = sqlite::write_tx(&self.conn)?;
        {
            let mut st = tx.prepare_cached("UPDATE sessions SET last_activity = ?2 WHERE id = ?1")?;
            for (id, t) in touched {
                st.execute(params![id, t])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes ended contexts (a mailbox context's end is its user's last logoff,
    /// [`super::logons`]).
    pub fn sessions_remove(&self, ids: &[String]) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let tx = sqlite::write_tx(&self.conn)?;
        let now = sqlite::unix_now();
        for id in ids {
            super::logons::record_logoff_of_context(&tx, id, now)?;
        }
        {
            let mut st = tx.prepare_cached("DELETE FROM sessions WHERE id = ?1")?;
            for id in ids {
                st.execute(params![id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes every record (a server starting: contexts do not survive a restart).
    pub fn sessions_clear(&self) -> StoreResult<usize> {
        Ok(self.conn.execute("DELETE FROM sessions", [])?)
    }

    /// Every recorded context, oldest first.
    pub fn sessions(&self) -> StoreResult<Vec<SessionRecord>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, \"user\", endpoint, client_application, client_version, address, created, last_activity, killed
             FROM sessions ORDER BY created, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(SessionRecord {
                id: r.get(0)?,
                user: r.get(1)?,
                endpoint: r.get(2)?,
                client_application: r.get(3)?,
                client_version: r.get(4)?,
                address: r.get(5)?,
                created: r.get(6)?,
                last_activity: r.get(7)?,
                killed: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Marks the contexts of user `target`, or the context with id `target`, killed and moves
    /// the authorisation generation (same transaction); returns the ids marked.
    pub fn sessions_kill(&self, target: &str) -> StoreResult<Vec<String>> {
        let tx = sqlite::write_tx(&self.conn)?;
        let ids: Vec<String> = {
            let mut st = tx.prepare("SELECT id FROM sessions WHERE id = ?1 OR \"user\" = ?1 ORDER BY id")?;
            st.query_map(params![target], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        if !ids.is_empty() {
            tx.execute("UPDATE sessions SET killed = 1 WHERE id = ?1 OR \"user\" = ?1", params![target])?;
            tx.execute("UPDATE authz SET generation = generation + 1 WHERE id = 1", [])?;
        }
        tx.commit()?;
        Ok(ids)
    }

    /// True when an administrator killed context `id`.
    pub fn session_killed(&self, id: &str) -> StoreResult<bool> {
        let mut st = self.conn.prepare_cached("SELECT killed FROM sessions WHERE id = ?1")?;
        let mut rows = st.query(params![id])?;
        Ok(match rows.next()? {
            Some(r) => r.get(0)?,
            None => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::SessionRecord;

    fn rec(id: &str, user: &str) -> SessionRecord {
        SessionRecord {
            id: id.into(),
            user: user.into(),
            endpoint: "emsmdb".into(),
            client_application: "Outlook/16.0.1.2".into(),
            client_version: "16.0.1.2".into(),
            address: "127.0.0.1:5000".into(),
            created: 100,
            last_activity: 100,
            killed: false,
        }
    }

    /// Insert, touch, list, kill (by user and by id, moving the generation another connection
    /// sees), remove and clear.
    #[test]
    fn the_session_registry_records_touches_kills_and_removes() {
        let t = tempfile::tempdir().unwrap();
        let site = crate::test_site(&t.path().join("data"));
        let d = site.directory().unwrap();
        let other = site.directory().unwrap();
        d.session_insert(&rec("a", "alice")).unwrap();
        d.session_insert(&rec("b", "alice")).unwrap();
        d.session_insert(&rec("c", "bob")).unwrap();
        d.sessions_touch(&[("a".into(), 150)]).unwrap();
        let all = other.sessions().unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all.iter().find(|r| r.id == "a").unwrap().last_activity, 150);

        let g = other.authz_generation().unwrap();
        assert_eq!(other.sessions_kill("ALICE").unwrap(), vec!["a".to_string(), "b".to_string()]);
        assert!(d.authz_generation().unwrap() > g, "a kill moves the authorisation generation");
        assert!(d.session_killed("a").unwrap() && d.session_killed("b").unwrap());
        assert!(!d.session_killed("c").unwrap());
        let g = d.authz_generation().unwrap();
        assert!(other.sessions_kill("nobody").unwrap().is_empty());
        assert_eq!(d.authz_generation().unwrap(), g, "killing nothing leaves the generation alone");
        assert_eq!(other.sessions_kill("c").unwrap(), vec!["c".to_string()]);
        assert!(d.session_killed("c").unwrap());

        d.sessions_remove(&["a".into()]).unwrap();
        assert_eq!(other.sessions().unwrap().len(), 2);
        assert_eq!(d.sessions_clear().unwrap(), 2);
        assert!(other.sessions().unwrap().is_empty());
    }
}
