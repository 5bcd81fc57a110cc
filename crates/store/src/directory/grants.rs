//! Full-access (delegate) grants: a grantee with full access to an owner's mailbox may log on to
//! it (MS-OXCSTOR 3.2.5.1.1, non-home logons; DESIGN.md §2 behaviour 6 "service accounts").

use crate::db::{OptionalExt, params};

use super::Directory;
use crate::error::{StoreError, StoreResult};

const FULL_ACCESS: &str = "full-access";

impl Directory {
    fn user_id(&self, name: &str) -> StoreResult<i64> {
        self.conn
            .query_row("SELECT id FROM users WHERE name = ?1", [name.trim()], |r| r.get(0))
            .optional()?
            .ok_or_else(|| super::no_user(name))
    }

    /// Lets `grantee` open `owner`'s mailbox. Granting twice is harmless.
    pub fn grant_full_access(&self, owner: &str, grantee: &str) -> StoreResult<()> {
        let (o, g) = (self.user_id(owner)?, self.user_id(grantee)?);
        if o == g {
            return Err(StoreError::InvalidParameter(format!(
                "{owner:?} already has full access to their own mailbox; name another user with --to"
            )));
        }
        self.conn.execute(
            "INSERT INTO grants (owner_id, grantee_id, access) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![o, g, FULL_ACCESS],
        )?;
        Ok(())
    }

    /// Withdraws a grant; NotFound when there was none.
    pub fn revoke_full_access(&self, owner: &str, grantee: &str) -> StoreResult<()> {
        let (o, g) = (self.user_id(owner)?, self.user_id(grantee)?);
        let n = self.conn.execute(
            "DELETE FROM grants WHERE owner_id = ?1 AND grantee_id = ?2 AND access = ?3",
            params![o, g, FULL_ACCESS],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!(
                "{grantee:?} has no full-access grant on {owner:?}'s mailbox (see `oxmapi admin user show {owner}`)"
            )));
        }
        Ok(())
    }

    /// Names of the users with full access to `owner`'s mailbox, sorted.
    pub fn full_access_grants(&self, owner: &str) -> StoreResult<Vec<String>> {
        let o = self.user_id(owner)?;
        let mut stmt = self.conn.prepare(
            "SELECT u.name FROM grants g JOIN users u ON u.id = g.grantee_id \
             WHERE g.owner_id = ?1 AND g.access = ?2 ORDER BY u.name",
        )?;
        let names = stmt.query_map(params![o, FULL_ACCESS], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok(names)
    }

    /// Names of the owners whose mailboxes `grantee` has full access to, sorted.
    pub fn full_access_mailboxes(&self, grantee: &str) -> StoreResult<Vec<String>> {
        let g = self.user_id(grantee)?;
        let mut stmt = self.conn.prepare(
            "SELECT u.name FROM grants g JOIN users u ON u.id = g.owner_id \
             WHERE g.grantee_id = ?1 AND g.access = ?2 ORDER BY u.name",
        )?;
        let names = stmt.query_map(params![g, FULL_ACCESS], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok(names)
    }

    /// True when `grantee` may open `owner`'s mailbox: a grant exists, or they are the same user.
    pub fn has_full_access(&self, owner: &str, grantee: &str) -> StoreResult<bool> {
        let (o, g) = (self.user_id(owner)?, self.user_id(grantee)?);
        if o == g {
            return Ok(true);
        }
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM grants WHERE owner_id = ?1 AND grantee_id = ?2 AND access = ?3",
            params![o, g, FULL_ACCESS],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }
}
