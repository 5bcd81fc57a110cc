//! Identifiers: FID/MID/change-number allocation, the REPLID↔REPLGUID map, long-term IDs
//! (MS-OXCDATA 2.2.1; RopLongTermIdFromId / RopIdFromLongTermId, MS-OXCSTOR 3.2.5.8–3.2.5.9),
//! folder entry IDs (MS-OXCDATA 2.2.4.1) and source keys (MS-OXCFXICS 2.2.1.2.5).

use crate::db::{Conn, OptionalExt};
use oxmapi_core::entryid::{EntryId, FolderEntryId, LongTermRef, eit};
use oxmapi_core::guid::{Guid, LONG_TERM_NON_PRIVATE_GUID};
use oxmapi_core::ids::{GLOBAL_COUNTER_MAX, GlobalId, LongTermId, ObjectId};

use super::commit::Durability;
use super::{LOCAL_REPLICA_ID, MessageStore, StoreKind, guid_from};
use crate::error::{StoreError, StoreResult};

/// Reserves `count` consecutive global counters of replica 1 inside the caller's write
/// transaction and returns the first.
pub(crate) fn allocate(conn: &Conn, count: u64) -> StoreResult<u64> {
    if count == 0 {
        return Err(StoreError::InvalidParameter("cannot allocate zero identifiers".into()));
    }
    let next: i64 =
        conn.query_row("SELECT next_counter FROM id_counter WHERE singleton = 1", [], |r| r.get(0))?;
    let first = u64::try_from(next).map_err(|_| StoreError::Corrupt("negative id counter".into()))?;
    let end = first.checked_add(count).filter(|e| e - 1 <= GLOBAL_COUNTER_MAX).ok_or_else(|| {
        StoreError::Full(format!(
            "the store's 48-bit id space is exhausted ({count} ids requested at counter {first:#x})"
        ))
    })?;
    conn.execute("UPDATE id_counter SET next_counter = ?1 WHERE singleton = 1", [end as i64])?;
    Ok(first)
}

/// The `ProviderUID` of this store's folder and message entry IDs (MS-OXCDATA 2.2.4.1): the
/// mailbox GUID for a private mailbox, pbLongTermNonPrivateGuid for public folders.
pub(crate) fn provider_uid(kind: StoreKind, mailbox_guid: Guid) -> Guid {
    match kind {
        StoreKind::Private => mailbox_guid,
        StoreKind::Public => LONG_TERM_NON_PRIVATE_GUID,
    }
}

/// A Folder EntryID (MS-OXCDATA 2.2.4.1): eitLTPrivateFolder in a mailbox, eitLTPublicFolder in
/// the public store.
pub(crate) fn folder_entry_id_bytes(
    kind: StoreKind,
    mailbox_guid: Guid,
    database_guid: Guid,
    counter: u64,
) -> Vec<u8> {
    EntryId::Folder(FolderEntryId {
        flags: 0,
        provider_uid: provider_uid(kind, mailbox_guid),
        folder_type: match kind {
            StoreKind::Private => eit::PRIVATE_FOLDER,
            StoreKind::Public => eit::PUBLIC_FOLDER,
        },
        folder: LongTermRef { database_guid, global_counter: counter },
    })
    .to_bytes()
}

impl MessageStore {
    /// Reserves `count` consecutive identifiers (FIDs or MIDs) of replica 1 and returns the first;
    /// the counter is committed before this returns, so identifiers are never handed out twice,
    /// across connections, processes and restarts.
    pub fn allocate_ids(&self, count: u64) -> StoreResult<ObjectId> {
        let first = self.write(Durability::Normal, |tx| allocate(tx, count))?;
        Ok(ObjectId::new(LOCAL_REPLICA_ID, first))
    }

    /// A new change number (MS-OXCFXICS 2.2.2.1), from the same counter as FIDs and MIDs.
    pub fn next_change_number(&self) -> StoreResult<ObjectId> {
        self.allocate_ids(1)
    }

    /// The replica GUID a replica id maps to; NotFound for an unknown id.
    pub fn replica_guid_of(&self, replica_id: u16) -> StoreResult<Guid> {
        if replica_id == LOCAL_REPLICA_ID {
            return Ok(self.replica_guid);
        }
        let row: Option<Vec<u8>> = self
            .lock()
            .unwrap()
            .query_row("SELECT replica_guid FROM replicas WHERE replica_id = ?1", [replica_id], |r| r.get(0))
            .optional()?;
        row.as_deref().and_then(guid_from).ok_or_else(|| {
            StoreError::NotFound(format!("replica id {replica_id} is not known to this store"))
        })
    }

    /// The replica id a replica GUID maps to; NotFound for an unknown GUID.
    pub fn replica_id_of(&self, guid: &Guid) -> StoreResult<u16> {
        if *guid == self.replica_guid {
            return Ok(LOCAL_REPLICA_ID);
        }
        let row: Option<i64> = self
            .lock()
            .unwrap()
            .query_row("SELECT replica_id FROM replicas WHERE replica_guid = ?1", [guid.0.to_vec()], |r| {
                r.get(0)
            })
            .optional()?;
        row.and_then(|r| u16::try_from(r).ok())
            .ok_or_else(|| StoreError::NotFound(format!("replica GUID {guid} is not known to this store")))
    }

    /// RopLongTermIdFromId (MS-OXCSTOR 3.2.5.8): the replica id replaced by its GUID.
    pub fn long_term_id(&self, id: ObjectId) -> StoreResult<LongTermId> {
        Ok(LongTermId::from_object_id(id, self.replica_guid_of(id.replica_id)?))
    }

    /// RopIdFromLongTermId (MS-OXCSTOR 3.2.5.9): the GUID replaced by its replica id. A GUID
    /// the store has not seen is registered under a new replica id ("the server adds a new
    /// entry consisting of the REPLGUID ... and a newly assigned replica ID"), the same one every
    /// later time; a null GUID is InvalidParameter (ecInvalidParam); with every replica id taken,
    /// Full (the ROP answers ecParameterOverflow).
    pub fn id_from_long_term_id(&self, ltid: &LongTermId) -> StoreResult<ObjectId> {
        if ltid.database_guid == Guid::NULL {
            return Err(StoreError::InvalidParameter("the long-term ID has a null replica GUID".into()));
        }
        Ok(ltid.to_object_id(self.register_replica_guid(&ltid.database_guid)?))
    }

    /// The replica id of `guid`, registering it under the next free id when it is new
    /// (MS-OXCSTOR 3.2.5.9: "The new REPLID MUST be unique").
    fn register_replica_guid(&self, guid: &Guid) -> StoreResult<u16> {
        match self.replica_id_of(guid) {
            Err(StoreError::NotFound(_)) => {}
            other => return other,
        }
        self.write(Durability::Normal, |tx| {
            let known: Option<i64> = tx
                .query_row(
                    "SELECT replica_id FROM replicas WHERE replica_guid = ?1",
                    [guid.0.to_vec()],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = known.and_then(|r| u16::try_from(r).ok()) {
                return Ok(id);
            }
            let next: i64 = tx.query_row(
                "SELECT coalesce(max(replica_id), ?1) + 1 FROM replicas",
                [LOCAL_REPLICA_ID],
                |r| r.get(0),
            )?;
            let id = u16::try_from(next).map_err(|_| {
                StoreError::Full(format!(
                    "every replica id is registered; replica GUID {guid} cannot be added"
                ))
            })?;
            tx.execute(
                "INSERT INTO replicas (replica_id, replica_guid) VALUES (?1, ?2)",
                crate::params![id, guid.0.to_vec()],
            )?;
            Ok(id)
        })
    }

    /// The Folder EntryID of `fid` (MS-OXCDATA 2.2.4.1). A FID of an unknown replica gets the
    /// null database GUID (no such folder can exist in this store).
    pub fn folder_entry_id(&self, fid: ObjectId) -> Vec<u8> {
        let db = self.replica_guid_of(fid.replica_id).unwrap_or(Guid::NULL);
        folder_entry_id_bytes(self.kind, self.mailbox_guid, db, fid.global_counter)
    }

    /// The FID a Folder EntryID of this store names. Entry IDs of other stores, of other object
    /// types, or of unknown replicas are NotFound; bytes that are no entry ID are InvalidParameter.
    pub fn folder_id_from_entry_id(&self, entry_id: &[u8]) -> StoreResult<ObjectId> {
        let parsed = EntryId::parse(entry_id)
            .map_err(|e| StoreError::InvalidParameter(format!("not an entry ID: {e}")))?;
        let EntryId::Folder(f) = parsed else {
            return Err(StoreError::NotFound(format!(
                "the entry ID names a {}, not a folder",
                parsed.kind_name()
            )));
        };
        if f.provider_uid != provider_uid(self.kind, self.mailbox_guid) {
            return Err(StoreError::NotFound(format!(
                "the folder entry ID belongs to another store (provider {})",
                f.provider_uid
            )));
        }
        let replica = self.replica_id_of(&f.folder.database_guid)?;
        Ok(ObjectId::new(replica, f.folder.global_counter))
    }

    /// PidTagSourceKey of an object: its XID, the replica GUID followed by the 6-byte global
    /// counter (22 bytes; MS-OXCFXICS 2.2.1.2.5).
    pub fn source_key(&self, id: ObjectId) -> StoreResult<Vec<u8>> {
        let g = GlobalId {
            database_guid: self.replica_guid_of(id.replica_id)?,
            global_counter: id.global_counter,
        };
        Ok(g.to_bytes().to_vec())
    }
}
