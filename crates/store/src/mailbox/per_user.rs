//! The per-user read state of public folders (MS-OXCSTOR 2.2.1.10–2.2.1.13, 3.2.5.10–3.2.5.13),
//! kept in `per_user_data` (schema version 10, [`super::schema::V10`]).
//!
//! A row holds, for one user and one public folder (named by its LongTermId), the serialized
//! IDSET with REPLGUID of the change numbers the user has read (MS-OXCFXICS 2.2.2.4.2) and the
//! REPLGUID the client gave with it. In a private mailbox the rows are the mailbox's cache of
//! the public folders' read state ("the per-user data table for the mailbox", MS-OXCSTOR 3.2.5.12);
//! in the public store they are each user's read state. What the bytes mean is
//! the ROP layer's business; the store keeps them as given.

use oxmapi_core::guid::Guid;
use oxmapi_core::ids::LongTermId;
use oxmapi_core::time::FileTime;

use super::MessageStore;
use super::commit::Durability;
use crate::db::{OptionalExt, params};
use crate::error::{StoreError, StoreResult};

/// The largest per-user data blob a store keeps for one user and folder (bytes). A read-state
/// IDSET is a few bytes per run of read change numbers, so this is room for a very large
/// folder; RopWritePerUserInformation refuses more with MAPI_E_TOO_BIG before it gets here.
pub const PER_USER_DATA_MAX: usize = 1 << 20;

/// One user's stored read state of one folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerUserData {
    /// The REPLGUID written with it.
    pub repl_guid: Guid,
    /// The serialized IDSET with REPLGUID.
    pub data: Vec<u8>,
}

fn guid_from(v: Vec<u8>) -> StoreResult<Guid> {
    let b: [u8; 16] = v
        .try_into()
        .map_err(|_| StoreError::Corrupt("per_user_data holds a GUID that is not 16 bytes".into()))?;
    Ok(Guid(b))
}

impl MessageStore {
    /// The read state `user` keeps for `folder`, if any (MS-OXCSTOR 3.2.5.12).
    pub fn per_user_data(&self, user: &Guid, folder: &LongTermId) -> StoreResult<Option<PerUserData>> {
        let conn = self.lock()?;
        let row: Option<(Vec<u8>, Vec<u8>)> = conn
            .query_row(
                "SELECT repl_guid, data FROM per_user_data WHERE user_guid = ?1 AND folder = ?2",
                params![user.0.to_vec(), folder.to_bytes().to_vec()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(g, data)| Ok(PerUserData { repl_guid: guid_from(g)?, data })).transpose()
    }

    /// Replaces the read state `user` keeps for `folder` (MS-OXCSTOR 3.2.5.13: "if the row does
    /// not presently exist, a new row … MUST be added"); empty `data` removes the row (the
    /// user has read nothing there). More than [`PER_USER_DATA_MAX`] bytes is refused.
    pub fn set_per_user_data(
        &self,
        user: &Guid,
        folder: &LongTermId,
        repl_guid: &Guid,
        data: &[u8],
    ) -> StoreResult<()> {
        if data.len() > PER_USER_DATA_MAX {
            return Err(StoreError::InvalidParameter(format!(
                "per-user data of {} bytes is larger than the {PER_USER_DATA_MAX} bytes a folder may keep",
                data.len()
            )));
        }
        let user = user.0.to_vec();
        let folder = folder.to_bytes().to_vec();
        self.write(Durability::Normal, |tx| {
            if data.is_empty() {
                tx.execute(
                    "DELETE FROM per_user_data WHERE user_guid = ?1 AND folder = ?2",
                    params![user, folder],
                )?;
            } else {
                tx.execute(
                    "INSERT INTO per_user_data (user_guid, folder, repl_guid, data, modified) \
                     VALUES (?1, ?2, ?3, ?4, ?5) \
                     ON CONFLICT (/*mbx,*/ user_guid, folder) DO UPDATE SET repl_guid = excluded.repl_guid, \
                     data = excluded.data, modified = excluded.modified",
                    params![user, folder, repl_guid.0.to_vec(), data.to_vec(), FileTime::now().0 as i64],
                )?;
            }
            Ok(())
        })
    }

    /// The folders for which `user` keeps read state written with REPLGUID `repl_guid`
    /// (MS-OXCSTOR 3.2.5.10 RopGetPerUserLongTermIds), in no particular order.
    pub fn per_user_folders(&self, user: &Guid, repl_guid: &Guid) -> StoreResult<Vec<LongTermId>> {
        let conn = self.lock()?;
        let mut stmt =
            conn.prepare("SELECT folder FROM per_user_data WHERE user_guid = ?1 AND repl_guid = ?2")?;
        let rows = stmt
            .query_map(params![user.0.to_vec(), repl_guid.0.to_vec()], |r| r.get::<_, Vec<u8>>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|b| {
                let b: [u8; 24] = b.try_into().map_err(|_| {
                    StoreError::Corrupt("per_user_data holds a folder id that is not 24 bytes".into())
                })?;
                Ok(LongTermId::from_bytes(&b))
            })
            .collect()
    }
}
