//! Search folders (MS-OXCFOLD 2.2.1.4 RopSetSearchCriteria, 2.2.1.5 RopGetSearchCriteria,
//! 3.2.5.4–3.2.5.5): a folder of type FOLDER_SEARCH whose contents table lists the messages of
//! its scope folders that match its restriction. The messages are not copied: a row of the
//! search folder's contents table is the original message, with its own PidTagFolderId and
//! PidTagParentEntryId, so opening it through the row's entry ID opens the original.
//!
//! A search runs synchronously inside RopSetSearchCriteria (the search is complete when the
//! ROP returns). A *static* search (STATIC_SEARCH) and a stopped one (STOP_SEARCH) keep the
//! messages found then in `search_results` and are not updated afterwards (MS-OXCFOLD
//! 3.2.5.4: "For static search folders, the contents of the search folder are not updated
//! after the initial population is complete"); a running dynamic search is evaluated again
//! whenever its contents are read, so it always shows the messages that match now ("the
//! contents of the search folder MUST continue to be updated as messages move around the
//! mailbox"). Search folders found in a recursive scope are skipped, and a scope that names a
//! search folder, the search folder itself or a folder of another replica is refused with
//! ecSearchFolderScopeViolation, so a search never reads another search's results.

use crate::db::Value;
use crate::db::{Conn, OptionalExt, params};
use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::cdata::{Form, read_restriction, write_restriction};

use super::commit::Durability;
use super::messages::contents_prefilter;
use super::{LOCAL_REPLICA_ID, MessageStore};
use crate::constants::folder_type::FOLDER_SEARCH;
use crate::error::{StoreError, StoreResult};

/// `SearchFlags` of RopSetSearchCriteria (MS-OXCFOLD 2.2.1.4.1).
pub mod set_flags {
    /// STOP_SEARCH: the search is aborted.
    pub const STOP_SEARCH: u32 = 0x0000_0001;
    /// RESTART_SEARCH: the search is initiated or restarted.
    pub const RESTART_SEARCH: u32 = 0x0000_0002;
    /// RECURSIVE_SEARCH: the scope folders and their subfolders are searched.
    pub const RECURSIVE_SEARCH: u32 = 0x0000_0004;
    /// SHALLOW_SEARCH: only the scope folders are searched (the default).
    pub const SHALLOW_SEARCH: u32 = 0x0000_0008;
    /// CONTENT_INDEXED_SEARCH: use the content index (accepted; no index here).
    pub const CONTENT_INDEXED_SEARCH: u32 = 0x0001_0000;
    /// NON_CONTENT_INDEXED_SEARCH: do not use the content index.
    pub const NON_CONTENT_INDEXED_SEARCH: u32 = 0x0002_0000;
    /// STATIC_SEARCH: populate once; the contents are not updated afterwards.
    pub const STATIC_SEARCH: u32 = 0x0004_0000;
}

/// `SearchFlags` of the RopGetSearchCriteria response (MS-OXCFOLD 2.2.1.5.2).
pub mod state_flags {
    /// SEARCH_RUNNING: the search is running.
    pub const SEARCH_RUNNING: u32 = 0x0000_0001;
    /// SEARCH_REBUILD: the CPU-intensive part of the search is running.
    pub const SEARCH_REBUILD: u32 = 0x0000_0002;
    /// SEARCH_RECURSIVE: the scope folders' subfolders are searched too.
    pub const SEARCH_RECURSIVE: u32 = 0x0000_0004;
    /// SEARCH_COMPLETE: the search results are complete.
    pub const SEARCH_COMPLETE: u32 = 0x0000_1000;
    /// SEARCH_STATIC: the search is static.
    pub const SEARCH_STATIC: u32 = 0x0001_0000;
}

/// Why a search request is refused (the caller maps these to MAPI codes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchRefusal {
    /// The folder is not a search folder (ecNotSearchFolder).
    NotSearchFolder,
    /// The first RopSetSearchCriteria left out the restriction or the scope
    /// (MS-OXCFOLD 2.2.1.4.1: they "MUST NOT be set to zero for the first search";
    /// MAPI_E_NOT_INITIALIZED).
    NotInitialized,
    /// The scope names a folder that cannot be searched (ecSearchFolderScopeViolation).
    ScopeViolation(String),
}

/// The criteria and state of a search folder (RopGetSearchCriteria).
#[derive(Clone, Debug, PartialEq)]
pub struct SearchCriteria {
    /// The restriction; `None` before the first RopSetSearchCriteria.
    pub restriction: Option<Restriction>,
    /// The scope folders as the client named them.
    pub folder_ids: Vec<ObjectId>,
    /// The `SearchFlags` of RopGetSearchCriteria ([`state_flags`]).
    pub search_flags: u32,
}

/// What RopSetSearchCriteria did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchRun {
    /// The search (re)populated the folder (fnevSearchComplete is due, MS-OXCNOTIF 2.2.1.4.1.2).
    pub populated: bool,
}

/// The stored criteria of one search folder.
#[derive(Clone, Debug, PartialEq)]
struct Stored {
    restriction: Restriction,
    scope: Vec<ObjectId>,
    recursive: bool,
    static_search: bool,
    running: bool,
}

impl Stored {
    /// A dynamic search that runs: its contents are evaluated when read.
    fn live(&self) -> bool {
        self.running && !self.static_search
    }

    fn state_flags(&self) -> u32 {
        use state_flags::*;
        let mut f = SEARCH_COMPLETE;
        if self.live() {
            f |= SEARCH_RUNNING;
        }
        if self.recursive {
            f |= SEARCH_RECURSIVE;
        }
        if self.static_search {
            f |= SEARCH_STATIC;
        }
        f
    }
}

/// The condition on `messages m` that selects the rows of a contents table, with the value of
/// its `?1` parameter (see [`MessageStore::contents_scope`]).
pub(crate) struct ContentsScope {
    /// The SQL condition.
    pub sql: std::borrow::Cow<'static, str>,
    /// The value bound to `?1`.
    pub param: Value,
    /// The folder whose own messages the scope selects (`m.fid = ?1`): their counts are kept in
    /// the folder's counters. `None` for the results of a search, which are counted.
    pub folder: Option<u64>,
}

fn restriction_bytes(r: &Restriction) -> Vec<u8> {
    let mut w = Writer::new();
    write_restriction(&mut w, r, Form::Rop);
    w.into_vec()
}

fn scope_bytes(scope: &[ObjectId]) -> Vec<u8> {
    scope.iter().flat_map(|f| f.to_u64().to_le_bytes()).collect()
}

fn corrupt(fid: u64, what: &str) -> StoreError {
    StoreError::Corrupt(format!(
        "search folder {} has an unreadable {what}",
        ObjectId::new(LOCAL_REPLICA_ID, fid)
    ))
}

/// The folder type of the live folder with counter `f`, `None` when there is none.
fn folder_type(conn: &Conn, f: u64) -> StoreResult<Option<u32>> {
    Ok(conn
        .query_row("SELECT folder_type FROM folders WHERE fid = ?1 AND soft_deleted = 0", [f as i64], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
        .map(|t| t as u32))
}

/// The stored criteria of search folder `f`, `None` before its first RopSetSearchCriteria.
fn load(conn: &Conn, f: u64) -> StoreResult<Option<Stored>> {
    let row = conn
        .query_row(
            "SELECT restriction, scope, recursive, static_search, running FROM search_folders WHERE fid = ?1",
            [f as i64],
            |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((res, scope, recursive, static_search, running)) = row else { return Ok(None) };
    let mut rd = Reader::new(&res);
    let restriction = read_restriction(&mut rd, Form::Rop).map_err(|_| corrupt(f, "restriction"))?;
    if scope.len() % 8 != 0 {
        return Err(corrupt(f, "scope"));
    }
    let scope = scope
        .chunks_exact(8)
        .map(|c| ObjectId::from_u64(u64::from_le_bytes(c.try_into().unwrap_or_default())))
        .collect();
    Ok(Some(Stored { restriction, scope, recursive, static_search, running }))
}

/// The counters of the folders a search reads: the live scope folders and, when recursive,
/// their live subfolders; search folders are skipped (with their subtrees, which are empty).
fn scope_folders(conn: &Conn, s: &Stored) -> StoreResult<Vec<u64>> {
    let mut out: Vec<u64> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE sub(fid, depth) AS (SELECT CAST(?1 AS BIGINT), 0 UNION ALL \
         SELECT f.fid, sub.depth + 1 FROM folders f JOIN sub ON f.parent_fid = sub.fid \
         WHERE f.soft_deleted = 0 AND f.folder_type != ?2 AND ?3 <> 0) \
         SELECT sub.fid FROM sub JOIN folders f ON f.fid = sub.fid \
         WHERE f.soft_deleted = 0 AND f.folder_type != ?2",
    )?;
    for fid in s.scope.iter().filter(|f| f.replica_id == LOCAL_REPLICA_ID) {
        let rows = stmt.query_map(params![fid.global_counter as i64, FOLDER_SEARCH, s.recursive], |r| {
            r.get::<_, i64>(0)
        })?;
        for r in rows {
            let f = r? as u64;
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

impl MessageStore {
    /// The live search folder `fid` (its counter), or the refusal for a folder of another type;
    /// NotFound when no such folder exists.
    fn search_folder(&self, conn: &Conn, fid: ObjectId) -> StoreResult<Result<u64, SearchRefusal>> {
        let f = fid.global_counter;
        match (fid.replica_id == LOCAL_REPLICA_ID).then(|| folder_type(conn, f)).transpose()?.flatten() {
            None => Err(StoreError::NotFound(format!("no folder {fid} in this store"))),
            Some(FOLDER_SEARCH) => Ok(Ok(f)),
            Some(_) => Ok(Err(SearchRefusal::NotSearchFolder)),
        }
    }

    /// RopGetSearchCriteria (MS-OXCFOLD 3.2.5.5): the restriction, scope and state of search
    /// folder `fid`. Before the first RopSetSearchCriteria there is no restriction, no scope
    /// and no state flag.
    pub fn search_criteria(&self, fid: ObjectId) -> StoreResult<Result<SearchCriteria, SearchRefusal>> {
        let conn = self.lock()?;
        let f = match self.search_folder(&conn, fid)? {
            Ok(f) => f,
            Err(e) => return Ok(Err(e)),
        };
        Ok(Ok(match load(&conn, f)? {
            None => SearchCriteria { restriction: None, folder_ids: Vec::new(), search_flags: 0 },
            Some(s) => SearchCriteria {
                search_flags: s.state_flags(),
                restriction: Some(s.restriction),
                folder_ids: s.scope,
            },
        }))
    }

    /// RopSetSearchCriteria (MS-OXCFOLD 3.2.5.4): sets the criteria of search folder `fid` and
    /// (re)populates it. A missing restriction or an empty scope keeps the previous one
    /// (2.2.1.4.1), which the first search must give (NotInitialized). The flags follow
    /// 2.2.1.4.1: RECURSIVE_SEARCH or SHALLOW_SEARCH (the default, and the choice when both are
    /// set); RESTART_SEARCH (which wins over STOP_SEARCH when both are set) starts the
    /// search, STOP_SEARCH stops it (its contents stay as they are), neither keeps a running
    /// search running and leaves a new one stopped, as gromox does
    /// (grommunio/gromox exch/emsmdb/oxcfold.cpp `rop_setsearchcriteria`: STOP is the
    /// default); STATIC_SEARCH populates once. A request that names nothing new and does not
    /// restart changes nothing. A scope that names this folder, another search folder or a
    /// folder of another replica is a ScopeViolation; a scope folder that does not exist is
    /// NotFound.
    pub fn set_search_criteria(
        &self,
        fid: ObjectId,
        restriction: Option<&Restriction>,
        scope: &[ObjectId],
        flags: u32,
    ) -> StoreResult<Result<SearchRun, SearchRefusal>> {
        use set_flags::*;
        let (f, prev) = {
            let conn = self.lock()?;
            let f = match self.search_folder(&conn, fid)? {
                Ok(f) => f,
                Err(e) => return Ok(Err(e)),
            };
            for s in scope {
                if s.replica_id != LOCAL_REPLICA_ID {
                    return Ok(Err(SearchRefusal::ScopeViolation(format!(
                        "folder {s} belongs to another replica"
                    ))));
                }
                match folder_type(&conn, s.global_counter)? {
                    None => return Err(StoreError::NotFound(format!("no folder {s} in this store"))),
                    Some(FOLDER_SEARCH) if *s == fid => {
                        return Ok(Err(SearchRefusal::ScopeViolation(format!(
                            "search folder {fid} cannot search itself"
                        ))));
                    }
                    Some(FOLDER_SEARCH) => {
                        return Ok(Err(SearchRefusal::ScopeViolation(format!(
                            "folder {s} is a search folder and cannot be searched"
                        ))));
                    }
                    Some(_) => {}
                }
            }
            (f, load(&conn, f)?)
        };
        let restart = flags & RESTART_SEARCH != 0;
        let stop = flags & STOP_SEARCH != 0 && !restart;
        let mut s = match (prev, restriction) {
            (None, None) => return Ok(Err(SearchRefusal::NotInitialized)),
            (None, Some(r)) if !scope.is_empty() => Stored {
                restriction: r.clone(),
                scope: scope.to_vec(),
                recursive: false,
                static_search: false,
                running: false,
            },
            (None, Some(_)) => return Ok(Err(SearchRefusal::NotInitialized)),
            (Some(_), _) if restriction.is_none() && scope.is_empty() && !restart && !stop => {
                return Ok(Ok(SearchRun { populated: false }));
            }
            (Some(p), r) => Stored {
                restriction: r.cloned().unwrap_or(p.restriction),
                scope: if scope.is_empty() { p.scope } else { scope.to_vec() },
                ..p
            },
        };
        s.recursive = flags & RECURSIVE_SEARCH != 0 && flags & SHALLOW_SEARCH == 0;
        s.static_search = flags & STATIC_SEARCH != 0;
        s.running = restart || (!stop && s.running);
        // A static or stopped search keeps what it finds now; a running dynamic one is
        // evaluated whenever it is read.
        let found = if s.live() { Vec::new() } else { self.search_matches(&s)? };
        self.write(Durability::Normal, |tx| {
            tx.execute(
                "INSERT INTO search_folders (fid, restriction, scope, recursive, static_search, running) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (/*mbx,*/ fid) DO UPDATE SET restriction = ?2, \
                 scope = ?3, recursive = ?4, static_search = ?5, running = ?6",
                params![
                    f as i64,
                    restriction_bytes(&s.restriction),
                    scope_bytes(&s.scope),
                    s.recursive,
                    s.static_search,
                    s.running
                ],
            )?;
            tx.execute("DELETE FROM search_results WHERE fid = ?1", [f as i64])?;
            let mut ins = tx.prepare_cached(
                "INSERT INTO search_results (fid, mid) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?;
            for mid in &found {
                ins.execute(params![f as i64, *mid as i64])?;
            }
            Ok(())
        })?;
        Ok(Ok(SearchRun { populated: true }))
    }

    /// The MIDs (counters) of the normal messages in the scope of `s` that match its
    /// restriction, evaluated as a contents-table restriction is (MS-OXCTABL 3.2.5.4): on the
    /// message's own properties, with the index-backed prefilter first.
    fn search_matches(&self, s: &Stored) -> StoreResult<Vec<u64>> {
        let folders = scope_folders(&*self.lock()?, s)?;
        let mut tags = Vec::new();
        s.restriction.prop_tags(&mut tags);
        let mut ids: Vec<u16> = tags.iter().map(|t| t.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        let tags: Vec<PropTag> = ids.iter().map(|id| PropTag::new(*id, PropType::Unspecified)).collect();
        let filter = contents_prefilter(&s.restriction);
        let mut out = Vec::new();
        for f in folders {
            let rows = self.contents_rows_filtered(
                ObjectId::new(LOCAL_REPLICA_ID, f),
                false,
                &tags,
                filter.as_ref(),
            )?;
            for r in rows {
                let mid = r.mid.global_counter;
                if s.restriction.evaluate(&r.into_bag(&tags)) {
                    out.push(mid);
                }
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// Which messages the contents table of folder `fid` lists (MS-OXCFOLD 3.2.5.14): the
    /// condition on `messages m` and its `?1`, and the folder's counter. A folder's own
    /// messages, except for the normal contents of a search folder: the messages its search
    /// found (static or stopped), or those that match now (running dynamic search), wherever
    /// they are. NotFound when the folder does not exist.
    pub(crate) fn contents_scope(
        &self,
        fid: ObjectId,
        associated: bool,
    ) -> StoreResult<(u64, ContentsScope)> {
        let own = |f: u64| ContentsScope {
            sql: "m.fid = ?1".into(),
            param: Value::Integer(f as i64),
            folder: Some(f),
        };
        let (f, stored) = {
            let conn = self.lock()?;
            let f = fid.global_counter;
            let ty =
                (fid.replica_id == LOCAL_REPLICA_ID).then(|| folder_type(&conn, f)).transpose()?.flatten();
            match ty {
                None => return Err(StoreError::NotFound(format!("no folder {fid} in this store"))),
                Some(FOLDER_SEARCH) if !associated => (f, load(&conn, f)?),
                Some(_) => return Ok((f, own(f))),
            }
        };
        let scope = match stored {
            Some(s) if s.live() => {
                let mids = self.search_matches(&s)?;
                let list = mids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
                ContentsScope {
                    sql: self.backend().id_in("m.mid", "?1").into(),
                    param: Value::Text(format!("[{list}]")),
                    folder: None,
                }
            }
            Some(_) => ContentsScope {
                sql: "m.mid IN (SELECT mid FROM search_results WHERE fid = ?1)".into(),
                param: Value::Integer(f as i64),
                folder: None,
            },
            // No criteria yet: the search folder lists nothing (it holds no messages).
            None => own(f),
        };
        Ok((f, scope))
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
