//! Grants one user gives another on their mailbox, kept in the `grants` table (its `access`
//! column names the kind):
//! - **full access**: the grantee may log on to the owner's mailbox (MS-OXCSTOR 3.2.5.1.1,
//!   non-home logons; DESIGN.md §2 behaviour 6 "service accounts");
//! - **Send As**: the grantee may submit a message whose PR_SENT_REPRESENTING_* properties name
//!   the owner, and it goes out as if the owner sent it (Exchange's "Send As" right);
//! - **Send on Behalf**: the same, but the message shows the grantee as its sender and the owner
//!   as the one it was sent for ("<delegate> on behalf of <owner>", MS-OXOMSG 2.2.1.46–2.2.1.54
//!   and MS-OXODLGT 1.3; Exchange's "publicDelegates").
//!
//! Every change moves the authorisation generation (trigger of directory version 2), and the
//! submission check reads the grants afresh on every RopSubmitMessage, so a revoke takes effect
//! at the next submission of every open session.

use crate::db::{OptionalExt, params};

use super::{Directory, User};
use crate::error::{StoreError, StoreResult};
use crate::mailbox::SendRights;
use crate::mailbox::delivery::Originator;

/// A kind of grant: the value of `grants.access`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// Open the owner's mailbox (`full-access`).
    FullAccess,
    /// Send in the owner's name (`send-as`).
    SendAs,
    /// Send on the owner's behalf (`send-on-behalf`).
    SendOnBehalf,
}

impl Access {
    /// Every kind, in the order `user show` lists them.
    pub const ALL: [Access; 3] = [Access::FullAccess, Access::SendAs, Access::SendOnBehalf];

    /// The stored (and command-line) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::FullAccess => "full-access",
            Access::SendAs => "send-as",
            Access::SendOnBehalf => "send-on-behalf",
        }
    }

    /// What the grant lets the grantee do, for messages.
    fn describe(self) -> &'static str {
        match self {
            Access::FullAccess => "full access to",
            Access::SendAs => "the Send As right on",
            Access::SendOnBehalf => "the Send on Behalf right on",
        }
    }
}

impl std::fmt::Display for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Directory {
    fn user_id(&self, name: &str) -> StoreResult<i64> {
        self.conn
            .query_row("SELECT id FROM users WHERE name = ?1", [name.trim()], |r| r.get(0))
            .optional()?
            .ok_or_else(|| super::no_user(name))
    }

    /// Gives `grantee` the right `access` on `owner`'s mailbox. Granting twice is harmless; a
    /// user cannot be given a right on their own mailbox (they have it).
    pub fn grant(&self, owner: &str, grantee: &str, access: Access) -> StoreResult<()> {
        let (o, g) = (self.user_id(owner)?, self.user_id(grantee)?);
        if o == g {
            return Err(StoreError::InvalidParameter(format!(
                "{owner:?} already has {} their own mailbox; name another user with --to",
                access.describe()
            )));
        }
        self.conn.execute(
            "INSERT INTO grants (owner_id, grantee_id, access) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![o, g, access.as_str()],
        )?;
        Ok(())
    }

    /// Withdraws a grant; NotFound when there was none.
    pub fn revoke(&self, owner: &str, grantee: &str, access: Access) -> StoreResult<()> {
        let (o, g) = (self.user_id(owner)?, self.user_id(grantee)?);
        let n = self.conn.execute(
            "DELETE FROM grants WHERE owner_id = ?1 AND grantee_id = ?2 AND access = ?3",
            params![o, g, access.as_str()],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!(
                "{grantee:?} has no {access} grant on {owner:?}'s mailbox (see `oxmapi admin user show {owner}`)"
            )));
        }
        Ok(())
    }

    /// Names of the users holding `access` on `owner`'s mailbox, sorted.
    pub fn grantees(&self, owner: &str, access: Access) -> StoreResult<Vec<String>> {
        let o = self.user_id(owner)?;
        let mut stmt = self.conn.prepare(
            "SELECT u.name FROM grants g JOIN users u ON u.id = g.grantee_id \
             WHERE g.owner_id = ?1 AND g.access = ?2 ORDER BY u.name",
        )?;
        let names =
            stmt.query_map(params![o, access.as_str()], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok(names)
    }

    /// Names of the owners on whose mailboxes `grantee` holds `access`, sorted.
    pub fn granted_mailboxes(&self, grantee: &str, access: Access) -> StoreResult<Vec<String>> {
        let g = self.user_id(grantee)?;
        let mut stmt = self.conn.prepare(
            "SELECT u.name FROM grants g JOIN users u ON u.id = g.owner_id \
             WHERE g.grantee_id = ?1 AND g.access = ?2 ORDER BY u.name",
        )?;
        let names =
            stmt.query_map(params![g, access.as_str()], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok(names)
    }

    /// True when `grantee` holds `access` on `owner`'s mailbox: a grant exists, or they are the
    /// same user.
    pub fn has_grant(&self, owner: &str, grantee: &str, access: Access) -> StoreResult<bool> {
        let (o, g) = (self.user_id(owner)?, self.user_id(grantee)?);
        if o == g {
            return Ok(true);
        }
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM grants WHERE owner_id = ?1 AND grantee_id = ?2 AND access = ?3",
            params![o, g, access.as_str()],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// The rights `sender` holds now to send for others, read afresh from the directory (what
    /// RopSubmitMessage checks PR_SENT_REPRESENTING_* against, [`SendRights::decide`]).
    pub fn send_rights(&self, sender: &User) -> StoreResult<SendRights> {
        let owners = |access| -> StoreResult<Vec<Originator>> {
            let mut out = Vec::new();
            for name in self.granted_mailboxes(&sender.name, access)? {
                if let Some(u) = self.user(&name)? {
                    out.push(Originator::from(&u));
                }
            }
            Ok(out)
        };
        Ok(SendRights {
            sender: Originator::from(sender),
            send_as: owners(Access::SendAs)?,
            send_on_behalf: owners(Access::SendOnBehalf)?,
        })
    }

    /// Lets `grantee` open `owner`'s mailbox ([`Directory::grant`] with full access).
    pub fn grant_full_access(&self, owner: &str, grantee: &str) -> StoreResult<()> {
        self.grant(owner, grantee, Access::FullAccess)
    }

    /// Withdraws a full-access grant; NotFound when there was none.
    pub fn revoke_full_access(&self, owner: &str, grantee: &str) -> StoreResult<()> {
        self.revoke(owner, grantee, Access::FullAccess)
    }

    /// Names of the users with full access to `owner`'s mailbox, sorted.
    pub fn full_access_grants(&self, owner: &str) -> StoreResult<Vec<String>> {
        self.grantees(owner, Access::FullAccess)
    }

    /// Names of the owners whose mailboxes `grantee` has full access to, sorted.
    pub fn full_access_mailboxes(&self, grantee: &str) -> StoreResult<Vec<String>> {
        self.granted_mailboxes(grantee, Access::FullAccess)
    }

    /// True when `grantee` may open `owner`'s mailbox: a grant exists, or they are the same user.
    pub fn has_full_access(&self, owner: &str, grantee: &str) -> StoreResult<bool> {
        self.has_grant(owner, grantee, Access::FullAccess)
    }
}
