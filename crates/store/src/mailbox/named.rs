//! The store's named-property map (MS-OXCPRPT 3.1.4.1): RopGetPropertyIdsFromNames
//! (2.2.12, 3.2.5.8), RopGetNamesFromPropertyIds (2.2.13, 3.2.5.9) and RopQueryNamedProperties
//! (2.2.9, 3.2.5.6) over the `named_properties` table. One map per store file, shared by all of
//! its objects; ids 0x8000–0xFFFE are handed out in ascending order and never reused.
//!
//! Names (PropertyName, MS-OXCDATA 2.6.1) match exactly: the GUID, the kind, and the LID or the
//! string, which compares case-sensitively as MAPI's FEqualNames does. The one exception is
//! PS_INTERNET_HEADERS, whose string names are Internet header field names and so compare
//! ASCII-case-insensitively (RFC 5322 §1.2.2); the spelling registered first is kept.
//!
//! PS_MAPI is not a real property set: its MNID_ID names are the ordinary property ids below
//! 0x8000 (MS-OXCPRPT 3.2.5.9), it is never stored, and its MNID_STRING names cannot be mapped
//! (MS-OXCPRPT 2.2.12.2).

use crate::db::{Conn, OptionalExt, Row, params};
use oxmapi_core::guid::{Guid, PS_INTERNET_HEADERS, PS_MAPI};
use oxmapi_core::named::{NameId, PropertyName};

use super::commit::Durability;
use super::{MessageStore, guid_from};
use crate::error::{StoreError, StoreResult};

/// The first id of the named-property range.
pub const FIRST_NAMED_ID: u16 = 0x8000;
/// The last id of the named-property range (0xFFFF is PROP_ID_INVALID).
pub const LAST_NAMED_ID: u16 = 0xFFFE;

/// `kind` column values (MS-OXCDATA 2.6.1 `Kind`).
const KIND_ID: i64 = 0;
const KIND_STRING: i64 = 1;

/// The id a PS_MAPI name stands for: the LID itself below 0x8000, else nothing (0).
fn ps_mapi_id(name: &PropertyName) -> u16 {
    match name.name {
        NameId::Id(lid) if lid < u32::from(FIRST_NAMED_ID) => lid as u16,
        _ => 0,
    }
}

/// The registered id of a name, if any.
fn lookup(conn: &Conn, name: &PropertyName) -> StoreResult<Option<u16>> {
    let guid = name.guid.0.to_vec();
    let id: Option<i64> = match &name.name {
        NameId::Id(lid) => conn
            .query_row(
                "SELECT propid FROM named_properties WHERE guid = ?1 AND kind = ?2 AND lid = ?3",
                params![guid, KIND_ID, i64::from(*lid)],
                |r| r.get(0),
            )
            .optional()?,
        NameId::String(s) => {
            let sql = if name.guid == PS_INTERNET_HEADERS {
                &format!(
                    "SELECT propid FROM named_properties WHERE guid = ?1 AND kind = ?2 \
                     AND name = ?3 COLLATE {} ORDER BY propid LIMIT 1",
                    conn.backend().nocase()
                )
            } else {
                "SELECT propid FROM named_properties WHERE guid = ?1 AND kind = ?2 AND name = ?3"
            };
            conn.query_row(sql, params![guid, KIND_STRING, s], |r| r.get(0)).optional()?
        }
    };
    id.map(|i| {
        u16::try_from(i).map_err(|_| StoreError::Corrupt(format!("named property id {i} out of range")))
    })
    .transpose()
}

/// Registers a name under the next free id not above `last`; `None` when the range is used up.
fn register(conn: &Conn, name: &PropertyName, last: u16) -> StoreResult<Option<u16>> {
    let next: i64 = conn.query_row(
        "SELECT coalesce(max(propid) + 1, ?1) FROM named_properties",
        [i64::from(FIRST_NAMED_ID)],
        |r| r.get(0),
    )?;
    if next > i64::from(last) {
        return Ok(None);
    }
    let (kind, lid, text) = match &name.name {
        NameId::Id(lid) => (KIND_ID, Some(i64::from(*lid)), None),
        NameId::String(s) => (KIND_STRING, None, Some(s.as_str())),
    };
    conn.execute(
        "INSERT INTO named_properties (propid, guid, kind, lid, name) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![next, name.guid.0.to_vec(), kind, lid, text],
    )?;
    Ok(Some(next as u16))
}

fn name_from_row(r: &Row<'_>) -> StoreResult<(u16, PropertyName)> {
    let id: i64 = r.get(0)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("named property {id:#06x} has {what}"));
    let id16 = u16::try_from(id).map_err(|_| corrupt("an id out of range"))?;
    let guid: Vec<u8> = r.get(1)?;
    let guid = guid_from(&guid).ok_or_else(|| corrupt("a malformed GUID"))?;
    let name = match r.get::<_, i64>(2)? {
        KIND_ID => {
            let lid: i64 = r.get::<_, Option<i64>>(3)?.ok_or_else(|| corrupt("no LID"))?;
            NameId::Id(u32::try_from(lid).map_err(|_| corrupt("a LID out of range"))?)
        }
        KIND_STRING => NameId::String(r.get::<_, Option<String>>(4)?.ok_or_else(|| corrupt("no name"))?),
        _ => return Err(corrupt("an unknown kind")),
    };
    Ok((id16, PropertyName { guid, name }))
}

const SELECT_ALL: &str = "SELECT propid, guid, kind, lid, name FROM named_properties";

impl MessageStore {
    /// RopGetPropertyIdsFromNames (MS-OXCPRPT 3.2.5.8): the property id of each name, in order;
    /// 0x0000 where a name cannot be mapped (MS-OXCPRPT 2.2.12.2): not registered and `create`
    /// not set, a PS_MAPI name that is not an MNID_ID below 0x8000, or the id range 0x8000–0xFFFE
    /// used up. A PS_MAPI MNID_ID name below 0x8000 maps to its LID. With `create`, new names are
    /// registered in one transaction; a name given twice gets one id. (PropertyNameCount 0, "all
    /// registered ids", is [`MessageStore::all_named_ids`].)
    pub fn ids_from_names(&self, names: &[PropertyName], create: bool) -> StoreResult<Vec<u16>> {
        self.ids_from_names_up_to(names, create, LAST_NAMED_ID)
    }

    /// [`MessageStore::ids_from_names`] with the top of the id range as a parameter, so the quota
    /// behaviour can be tested without registering 32,767 names.
    fn ids_from_names_up_to(&self, names: &[PropertyName], create: bool, last: u16) -> StoreResult<Vec<u16>> {
        let map = |conn: &Conn, create: bool| -> StoreResult<(Vec<u16>, bool)> {
            let mut missing = false;
            let mut out = Vec::with_capacity(names.len());
            for n in names {
                let id = if n.guid == PS_MAPI {
                    ps_mapi_id(n)
                } else if let Some(id) = lookup(conn, n)? {
                    id
                } else if create {
                    register(conn, n, last)?.unwrap_or(0)
                } else {
                    missing = true;
                    0
                };
                out.push(id);
            }
            Ok((out, missing))
        };
        let (ids, missing) = map(&*self.lock()?, false)?;
        if !create || !missing {
            return Ok(ids);
        }
        self.write(Durability::Normal, |tx| Ok(map(tx, true)?.0))
    }

    /// RopGetNamesFromPropertyIds (MS-OXCPRPT 3.2.5.9): the name of each id, in order. Ids below
    /// 0x8000 are PS_MAPI MNID_ID names with the id as LID; an id with no name is `None` (sent as
    /// Kind 0xFF).
    pub fn names_from_ids(&self, ids: &[u16]) -> StoreResult<Vec<Option<PropertyName>>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(&format!("{SELECT_ALL} WHERE propid = ?1"))?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            if id < FIRST_NAMED_ID {
                out.push(Some(PropertyName::id(PS_MAPI, u32::from(id))));
                continue;
            }
            let mut rows = stmt.query([id])?;
            out.push(match rows.next()? {
                Some(r) => Some(name_from_row(&r)?.1),
                None => None,
            });
        }
        Ok(out)
    }

    /// RopQueryNamedProperties (MS-OXCPRPT 3.2.5.6): the registered names and their ids in id
    /// order, without MNID_STRING names when `no_strings`, without MNID_ID names when `no_ids`,
    /// and only those of property set `guid` when given.
    pub fn query_named(
        &self,
        guid: Option<Guid>,
        no_strings: bool,
        no_ids: bool,
    ) -> StoreResult<Vec<(u16, PropertyName)>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(&format!("{SELECT_ALL} ORDER BY propid"))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (id, name) = name_from_row(&r)?;
            let keep = match name.name {
                NameId::Id(_) => !no_ids,
                NameId::String(_) => !no_strings,
            };
            if keep && guid.is_none_or(|g| g == name.guid) {
                out.push((id, name));
            }
        }
        Ok(out)
    }

    /// Every registered named-property id, ascending (RopGetPropertyIdsFromNames with
    /// PropertyNameCount 0, MS-OXCPRPT 2.2.12.2).
    pub fn all_named_ids(&self) -> StoreResult<Vec<u16>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare("SELECT propid FROM named_properties ORDER BY propid")?;
        let ids = stmt.query_map([], |r| r.get::<_, u16>(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }
}

#[cfg(test)]
#[path = "named_tests.rs"]
mod tests;
