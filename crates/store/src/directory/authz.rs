//! The authorisation generation: a counter in `directory.sqlite` that moves with every change
//! that can take a right away or change a credential (schema version 2: triggers on `users` and
//! `grants` bump it in the same transaction as the change).
//!
//! A server compares it cheaply — one single-row read — with the generation it last checked its
//! session contexts and credential cache against; when it moved, it checks them again. Because
//! the counter lives in the database, changes made by another process (`oxmapi admin` while the
//! server runs) are seen as soon as they are committed.

use super::Directory;
use crate::error::StoreResult;

impl Directory {
    /// The current authorisation generation (≥ 1). It never goes back; any change to grants,
    /// to a user's enabled/hidden/admin flags, names, password or existence makes it larger.
    pub fn authz_generation(&self) -> StoreResult<u64> {
        // Read on every request (`oxmapi_server::authz`): the statement is prepared once.
        let g: i64 = self
            .conn
            .prepare_cached("SELECT generation FROM authz WHERE id = 1")?
            .query_row([], |r| r.get(0))?;
        Ok(g as u64)
    }
}

#[cfg(test)]
mod tests {
    use crate::NewUser;

    fn user(name: &str) -> NewUser {
        NewUser { name: name.into(), password: "Secret-1".into(), ..NewUser::default() }
    }

    /// Every rights-relevant change moves the counter, in the same transaction (a second
    /// connection, standing for another process, sees it at once); reads and unrelated writes
    /// do not.
    #[test]
    fn every_rights_change_moves_the_generation() {
        let t = tempfile::tempdir().unwrap();
        let site = crate::test_site(&t.path().join("data"));
        let d = site.directory().unwrap();
        let other = site.directory().unwrap();
        d.add_user(&user("alice")).unwrap();
        d.add_user(&user("bob")).unwrap();
        let mut last = other.authz_generation().unwrap();
        assert!(last >= 1);
        let mut moved = |what: &str, f: &dyn Fn()| {
            f();
            let g = other.authz_generation().unwrap();
            assert!(g > last, "{what} must move the generation ({last} -> {g})");
            last = g;
        };
        moved("grant", &|| d.grant_full_access("bob", "alice").unwrap());
        moved("revoke", &|| d.revoke_full_access("bob", "alice").unwrap());
        moved("disable", &|| d.set_enabled("bob", false).unwrap());
        moved("enable", &|| d.set_enabled("bob", true).unwrap());
        moved("hide", &|| d.set_hidden("bob", true).unwrap());
        moved("admin", &|| d.set_admin("bob", true).unwrap());
        moved("passwd", &|| d.set_password("bob", "Secret-2").unwrap());
        let bob = d.require_user("bob").unwrap();
        moved("delete", &|| d.delete_user_row(bob.id).unwrap());

        let before = other.authz_generation().unwrap();
        d.users().unwrap();
        d.verify_password("alice", "Secret-1").unwrap();
        d.set_setting("domain", "example.test").unwrap();
        assert_eq!(other.authz_generation().unwrap(), before, "reads and settings leave it alone");
    }
}
