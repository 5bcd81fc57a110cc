//! Store properties (MS-OXCSTOR 2.2.2) and folder properties (MS-OXCFOLD 2.2.2.2): the stored
//! ones plus those the store computes. Computed properties win over stored ones with the same id
//! and cannot be written (MAPI_E_COMPUTED). Writing folder properties announces the folder as
//! modified (MS-OXCNOTIF fnevObjectModified) with the tags written or deleted; store properties
//! are no object a notification names.

use std::collections::BTreeMap;

use crate::db::{Conn, OptionalExt, params};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::{display_type, object_type, store_support as ss};
use oxmapi_core::entryid::{AbPermanentEntryId, EntryId};
use oxmapi_core::guid::{EXCHANGE_PROVIDER_PRIMARY_USER_GUID, EXCHANGE_PROVIDER_PUBLIC_GUID};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::{PROP_ID_INVALID, PropTag};
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::commit::Durability;
use super::counts::{GroupCounts, group_counts, store_counts};
use super::create::put_folder_prop;
use super::events::StoreEvent;
use super::folders::check_sibling_name;
use super::ids::allocate;
use super::{LOCAL_REPLICA_ID, MessageStore, SpecialFolder, StoreKind};
use crate::constants::{PR_EFORMS_REGISTRY_ENTRYID, valid_folder_mask as vf};
use crate::error::{StoreError, StoreResult};
use crate::propvalue;

/// PR_STORE_SUPPORT_MASK bits every oxmapi store reports (protocol-facts §6.3).
const SUPPORT_COMMON: u32 = ss::STORE_ENTRYID_UNIQUE
    | ss::STORE_MODIFY_OK
    | ss::STORE_CREATE_OK
    | ss::STORE_ATTACH_OK
    | ss::STORE_OLE_OK
    | ss::STORE_NOTIFY_OK
    | ss::STORE_MV_PROPS_OK
    | ss::STORE_CATEGORIZE_OK
    | ss::STORE_RTF_OK
    | ss::STORE_RESTRICTION_OK
    | ss::STORE_SORT_OK
    | ss::STORE_HTML_OK
    | ss::STORE_ANSI_OK
    | ss::STORE_UNICODE_OK;

/// Store properties computed from the store's state, and the logon properties computed from
/// the logged-on user and the server's settings (`logon`); writing them fails with
/// MAPI_E_COMPUTED.
const COMPUTED_STORE: &[PropTag] = &[
    PR_STORE_SUPPORT_MASK,
    PR_STORE_UNICODE_MASK,
    PR_DISPLAY_NAME,
    PR_MAILBOX_OWNER_NAME,
    PR_MAILBOX_OWNER_ENTRYID,
    PR_USER_NAME,
    PR_USER_ENTRYID,
    PR_EXTENDED_RULE_SIZE_LIMIT,
    PR_MAX_SUBMIT_MESSAGE_SIZE,
    PR_PROHIBIT_RECEIVE_QUOTA,
    PR_PROHIBIT_SEND_QUOTA,
    PR_IPM_SUBTREE_ENTRYID,
    PR_IPM_OUTBOX_ENTRYID,
    PR_IPM_WASTEBASKET_ENTRYID,
    PR_IPM_SENTMAIL_ENTRYID,
    PR_FINDER_ENTRYID,
    PR_VIEWS_ENTRYID,
    PR_COMMON_VIEWS_ENTRYID,
    PR_IPM_PUBLIC_FOLDERS_ENTRYID,
    PR_NON_IPM_SUBTREE_ENTRYID,
    PR_EFORMS_REGISTRY_ENTRYID,
    PR_VALID_FOLDER_MASK,
    PR_MDB_PROVIDER,
    PR_RECORD_KEY,
    PR_STORE_RECORD_KEY,
    PR_OBJECT_TYPE,
    PR_CONTENT_COUNT,
    PR_MESSAGE_SIZE,
    PR_MESSAGE_SIZE_EXTENDED,
    PR_STORE_STATE,
];

/// Folder properties computed from the folder's row and contents.
const COMPUTED_FOLDER: &[PropTag] = &[
    PR_FID,
    PR_PARENT_FID,
    PR_ENTRYID,
    PR_PARENT_ENTRYID,
    PR_RECORD_KEY,
    PR_SOURCE_KEY,
    PR_PARENT_SOURCE_KEY,
    PR_CHANGE_KEY,
    PR_CHANGE_NUMBER,
    PR_CONTENT_COUNT,
    PR_CONTENT_UNREAD,
    PR_ASSOC_CONTENT_COUNT,
    PR_SUBFOLDERS,
    PR_FOLDER_TYPE,
    PR_OBJECT_TYPE,
    PR_CREATION_TIME,
    PR_LAST_MODIFICATION_TIME,
    PR_STORE_RECORD_KEY,
    PR_MESSAGE_SIZE_EXTENDED,
];

fn computed(list: &[PropTag], tag: PropTag) -> bool {
    list.iter().any(|t| t.id() == tag.id())
}

/// Collects values by property id; later inserts win.
#[derive(Default)]
struct Props(BTreeMap<u16, TaggedValue>);

impl Props {
    fn put(&mut self, tag: PropTag, value: PropValue) {
        let tv = TaggedValue::new(tag, value);
        self.0.insert(tv.tag.id(), tv);
    }
    fn into_vec(self) -> Vec<TaggedValue> {
        self.0.into_values().collect()
    }
}

fn load(conn: &Conn, sql: &str, owner: Option<i64>) -> StoreResult<Vec<TaggedValue>> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = match owner {
        Some(o) => stmt.query([o])?,
        None => stmt.query([])?,
    };
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(propvalue::from_row(r.get(0)?, r.get(1)?, r.get_ref(2)?)?);
    }
    Ok(out)
}

/// Checks values a client wants to write: a real property id, a storable type, not computed.
fn check_writable(values: &[TaggedValue], computed_list: &[PropTag], what: &str) -> StoreResult<()> {
    for v in values {
        if v.tag.id() == 0 || v.tag.id() == PROP_ID_INVALID {
            return Err(StoreError::InvalidParameter(format!(
                "{} is not a property tag that can be set",
                v.tag
            )));
        }
        if matches!(v.value.prop_type(), PropType::Null | PropType::ErrorCode | PropType::Object) {
            return Err(StoreError::InvalidParameter(format!(
                "property {} cannot be set to a {} value",
                v.tag,
                v.value.prop_type().ptyp_name()
            )));
        }
        if computed(computed_list, v.tag) {
            return Err(StoreError::Computed(format!("{what} property {} is computed by the store", v.tag)));
        }
    }
    Ok(())
}

/// Gives a folder a new change number and modification time.
fn touch_folder(conn: &Conn, fid: ObjectId) -> StoreResult<()> {
    let cn = allocate(conn, 1)?;
    conn.execute(
        "UPDATE folders SET change_number = ?1, modified = ?2 WHERE fid = ?3",
        params![cn as i64, FileTime::now().0 as i64, fid.global_counter as i64],
    )?;
    Ok(())
}

struct FolderRow {
    parent: Option<u64>,
    folder_type: u32,
    change_number: u64,
    created: u64,
    modified: u64,
}

impl MessageStore {
    fn local_fid(&self, fid: ObjectId) -> StoreResult<i64> {
        if fid.replica_id != LOCAL_REPLICA_ID || fid.global_counter == 0 {
            return Err(StoreError::NotFound(format!("no folder {fid} in this store")));
        }
        Ok(fid.global_counter as i64)
    }

    fn folder_row(&self, conn: &Conn, fid: ObjectId) -> StoreResult<FolderRow> {
        self.folder_row_of(conn, fid, false)
    }

    /// The row of folder `fid`; a soft-deleted one only when `deleted_too`.
    fn folder_row_of(&self, conn: &Conn, fid: ObjectId, deleted_too: bool) -> StoreResult<FolderRow> {
        let f = self.local_fid(fid)?;
        conn.query_row(
            "SELECT parent_fid, folder_type, change_number, created, modified FROM folders \
             WHERE fid = ?1 AND (soft_deleted = 0 OR ?2)",
            params![f, deleted_too],
            |r| {
                Ok(FolderRow {
                    parent: r.get::<_, Option<i64>>(0)?.map(|p| p as u64),
                    folder_type: r.get(1)?,
                    change_number: r.get::<_, i64>(2)? as u64,
                    created: r.get::<_, i64>(3)? as u64,
                    modified: r.get::<_, i64>(4)? as u64,
                })
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no folder {fid} in this store")))
    }

    /// True when `fid` is a (not soft-deleted) folder of this store.
    pub fn folder_exists(&self, fid: ObjectId) -> StoreResult<bool> {
        match self.folder_row(&*self.lock()?, fid) {
            Ok(_) => Ok(true),
            Err(StoreError::NotFound(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The parent of a folder (`None` for the root).
    pub fn folder_parent(&self, fid: ObjectId) -> StoreResult<Option<ObjectId>> {
        let row = self.folder_row(&*self.lock()?, fid)?;
        Ok(row.parent.map(|p| ObjectId::new(LOCAL_REPLICA_ID, p)))
    }

    /// The subfolders of a folder, in creation order.
    pub fn folder_children(&self, fid: ObjectId) -> StoreResult<Vec<ObjectId>> {
        let conn = self.lock()?;
        let f = self.folder_row(&conn, fid).map(|_| fid.global_counter as i64)?;
        let mut stmt =
            conn.prepare("SELECT fid FROM folders WHERE parent_fid = ?1 AND soft_deleted = 0 ORDER BY fid")?;
        let ids = stmt
            .query_map([f], |r| r.get::<_, i64>(0))?
            .map(|r| r.map(|c| ObjectId::new(LOCAL_REPLICA_ID, c as u64)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    /// Every property of a folder: the stored ones and the computed PR_FID, PR_PARENT_FID,
    /// PR_ENTRYID, PR_PARENT_ENTRYID, PR_SOURCE_KEY, PR_PARENT_SOURCE_KEY, PR_CHANGE_KEY,
    /// PR_CHANGE_NUMBER, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT,
    /// PR_SUBFOLDERS, PR_FOLDER_TYPE, PR_OBJECT_TYPE, PR_CREATION_TIME,
    /// PR_LAST_MODIFICATION_TIME, PR_RECORD_KEY, PR_STORE_RECORD_KEY and
    /// PR_MESSAGE_SIZE_EXTENDED. Sorted by property id. The root has no parent properties.
    pub fn folder_properties(&self, fid: ObjectId) -> StoreResult<Vec<TaggedValue>> {
        self.folder_properties_of(fid, false)
    }

    /// [`MessageStore::folder_properties`] of a live folder, or of a soft-deleted one too when
    /// `deleted_too` (the rows of a SoftDeletes hierarchy table).
    pub(crate) fn folder_properties_of(
        &self,
        fid: ObjectId,
        deleted_too: bool,
    ) -> StoreResult<Vec<TaggedValue>> {
        let (row, stored, counts) = {
            let conn = self.lock()?;
            let row = self.folder_row_of(&conn, fid, deleted_too)?;
            let f = fid.global_counter as i64;
            let stored =
                load(&conn, "SELECT propid, proptype, value FROM folder_properties WHERE fid = ?1", Some(f))?;
            let content = group_counts(&conn, f as u64, false, false)?;
            let assoc = group_counts(&conn, f as u64, true, false)?;
            let children: i64 = conn.query_row(
                "SELECT count(*) FROM folders WHERE parent_fid = ?1 AND soft_deleted = 0",
                [f],
                |r| r.get(0),
            )?;
            let size = content.size + assoc.size;
            (row, stored, (content.total, content.unread, assoc.total as i64, children, size))
        };
        let mut p = Props::default();
        for tv in stored {
            p.put(tv.tag, tv.value);
        }
        let entry_id = self.folder_entry_id(fid);
        p.put(PR_FID, PropValue::I64(fid.to_u64() as i64));
        p.put(PR_ENTRYID, PropValue::Binary(entry_id.clone()));
        p.put(PR_RECORD_KEY, PropValue::Binary(entry_id));
        p.put(PR_SOURCE_KEY, PropValue::Binary(self.source_key(fid)?));
        if let Some(parent) = row.parent.map(|c| ObjectId::new(LOCAL_REPLICA_ID, c)) {
            p.put(PR_PARENT_FID, PropValue::I64(parent.to_u64() as i64));
            p.put(PR_PARENT_ENTRYID, PropValue::Binary(self.folder_entry_id(parent)));
            p.put(PR_PARENT_SOURCE_KEY, PropValue::Binary(self.source_key(parent)?));
        }
        let cn = ObjectId::new(LOCAL_REPLICA_ID, row.change_number);
        p.put(PR_CHANGE_NUMBER, PropValue::I64(cn.to_u64() as i64));
        p.put(PR_CHANGE_KEY, PropValue::Binary(self.source_key(cn)?));
        p.put(PR_CONTENT_COUNT, PropValue::I32(counts.0 as i32));
        p.put(PR_CONTENT_UNREAD, PropValue::I32(counts.1 as i32));
        p.put(PR_ASSOC_CONTENT_COUNT, PropValue::I32(counts.2 as i32));
        p.put(PR_SUBFOLDERS, PropValue::Bool(counts.3 > 0));
        p.put(PR_MESSAGE_SIZE_EXTENDED, PropValue::I64(counts.4));
        p.put(PR_FOLDER_TYPE, PropValue::I32(row.folder_type as i32));
        p.put(PR_OBJECT_TYPE, PropValue::I32(object_type::MAPI_FOLDER as i32));
        p.put(PR_CREATION_TIME, PropValue::SysTime(FileTime(row.created)));
        p.put(PR_LAST_MODIFICATION_TIME, PropValue::SysTime(FileTime(row.modified)));
        p.put(PR_STORE_RECORD_KEY, PropValue::Binary(self.mailbox_guid.0.to_vec()));
        Ok(p.into_vec())
    }

    /// One folder property (matched by property id), `None` when the folder does not have it.
    pub fn folder_property(&self, fid: ObjectId, tag: PropTag) -> StoreResult<Option<PropValue>> {
        Ok(self.folder_properties(fid)?.into_iter().find(|t| t.tag.id() == tag.id()).map(|t| t.value))
    }

    /// Writes folder properties (replacing values with the same property id), and gives the
    /// folder a new change number and modification time. Computed properties are refused; a
    /// PR_DISPLAY_NAME must be a non-empty string (InvalidParameter) that no sibling has,
    /// compared case-insensitively (Collision; MS-OXCFOLD 2.2.2.2.2.4).
    pub fn set_folder_properties(&self, fid: ObjectId, values: &[TaggedValue]) -> StoreResult<()> {
        check_writable(values, COMPUTED_FOLDER, "folder")?;
        self.write(Durability::Normal, |tx| {
            let row = self.folder_row(tx, fid)?;
            if let Some(v) = values.iter().rev().find(|v| v.tag.id() == PR_DISPLAY_NAME.id()) {
                let name = v.value.as_text().filter(|n| !n.is_empty()).ok_or_else(|| {
                    StoreError::InvalidParameter(
                        "a folder's PR_DISPLAY_NAME must be a non-empty string".into(),
                    )
                })?;
                if let Some(parent) = row.parent {
                    check_sibling_name(tx, parent as i64, &name, Some(fid.global_counter as i64))?;
                }
            }
            for v in values {
                put_folder_prop(tx, fid.global_counter, v.tag, &v.value)?;
            }
            touch_folder(tx, fid)?;
            self.record_folder_modified(fid, values.iter().map(|v| v.tag));
            Ok(())
        })
    }

    /// Removes stored folder properties (RopDeleteProperties on a folder, MS-OXCPRPT 3.2.5.5),
    /// giving the folder a new change number. Computed properties and PR_DISPLAY_NAME (a folder
    /// keeps its name) are refused with [`StoreError::Computed`] and nothing is deleted; missing
    /// ones are ignored.
    pub fn delete_folder_properties(&self, fid: ObjectId, tags: &[PropTag]) -> StoreResult<()> {
        if let Some(t) =
            tags.iter().find(|t| computed(COMPUTED_FOLDER, **t) || t.id() == PR_DISPLAY_NAME.id())
        {
            return Err(StoreError::Computed(format!("folder property {t} cannot be deleted")));
        }
        self.write(Durability::Normal, |tx| {
            self.folder_row(tx, fid)?;
            for t in tags {
                tx.execute(
                    "DELETE FROM folder_properties WHERE fid = ?1 AND propid = ?2",
                    params![fid.global_counter as i64, t.id()],
                )?;
            }
            touch_folder(tx, fid)?;
            self.record_folder_modified(fid, tags.iter().copied());
            Ok(())
        })
    }

    /// Records fnevObjectModified of folder `fid` for `tags` (one per property id, in request
    /// order, with the type of the last).
    fn record_folder_modified(&self, fid: ObjectId, tags: impl Iterator<Item = PropTag>) {
        let mut out: Vec<PropTag> = Vec::new();
        for t in tags {
            match out.iter_mut().find(|o| o.id() == t.id()) {
                Some(o) => *o = t,
                None => out.push(t),
            }
        }
        self.record(StoreEvent::Modified { fid, mid: None, tags: out, counts: None, associated: false });
    }

    /// True when a store property is computed (and so cannot be written).
    pub fn is_computed_store_property(&self, tag: PropTag) -> bool {
        computed(COMPUTED_STORE, tag)
    }

    /// True when a folder property is computed (and so cannot be written).
    pub fn is_computed_folder_property(&self, tag: PropTag) -> bool {
        computed(COMPUTED_FOLDER, tag)
    }

    fn special_eid(&self, which: SpecialFolder) -> Option<PropValue> {
        self.special_folder(which).map(|f| PropValue::Binary(self.folder_entry_id(f)))
    }

    /// Every store property: the stored ones plus the computed PR_STORE_SUPPORT_MASK,
    /// PR_STORE_UNICODE_MASK, PR_DISPLAY_NAME ("Mailbox - <owner>" / "Public Folders"),
    /// PR_MAILBOX_OWNER_NAME, PR_MAILBOX_OWNER_ENTRYID, the special-folder entry IDs,
    /// PR_VALID_FOLDER_MASK,
    /// PR_MDB_PROVIDER, PR_RECORD_KEY, PR_STORE_RECORD_KEY, PR_OBJECT_TYPE, PR_CONTENT_COUNT,
    /// PR_MESSAGE_SIZE(_EXTENDED) and PR_STORE_STATE. Sorted by property id. PR_STORE_ENTRYID
    /// needs the server's name and is left to the server; what depends on the logged-on user
    /// is in [`MessageStore::logon_properties`].
    pub fn store_properties(&self) -> StoreResult<Vec<TaggedValue>> {
        let (stored, count, size) = {
            let conn = self.lock()?;
            let stored = load(&conn, "SELECT propid, proptype, value FROM store_properties", None)?;
            let GroupCounts { total: count, size, .. } = store_counts(&conn)?;
            (stored, i64::from(count), size)
        };
        let mut p = Props::default();
        for tv in stored {
            p.put(tv.tag, tv.value);
        }
        let (mask, provider) = match self.kind {
            StoreKind::Private => (SUPPORT_COMMON | ss::STORE_SUBMIT_OK, EXCHANGE_PROVIDER_PRIMARY_USER_GUID),
            StoreKind::Public => (SUPPORT_COMMON | ss::STORE_PUBLIC_FOLDERS, EXCHANGE_PROVIDER_PUBLIC_GUID),
        };
        p.put(PR_STORE_SUPPORT_MASK, PropValue::I32(mask as i32));
        p.put(PR_STORE_UNICODE_MASK, PropValue::I32(mask as i32));
        p.put(PR_MDB_PROVIDER, PropValue::Binary(provider.0.to_vec()));
        p.put(PR_RECORD_KEY, PropValue::Binary(self.mailbox_guid.0.to_vec()));
        p.put(PR_STORE_RECORD_KEY, PropValue::Binary(self.mailbox_guid.0.to_vec()));
        p.put(PR_OBJECT_TYPE, PropValue::I32(object_type::MAPI_STORE as i32));
        p.put(PR_CONTENT_COUNT, PropValue::I32(count.min(i32::MAX as i64) as i32));
        p.put(PR_MESSAGE_SIZE, PropValue::I32(size.min(i32::MAX as i64) as i32));
        p.put(PR_MESSAGE_SIZE_EXTENDED, PropValue::I64(size));
        p.put(PR_STORE_STATE, PropValue::I32(self.store_state() as i32));
        let special: &[(PropTag, SpecialFolder)] = match self.kind {
            StoreKind::Private => &[
                (PR_IPM_SUBTREE_ENTRYID, SpecialFolder::IpmSubtree),
                (PR_IPM_OUTBOX_ENTRYID, SpecialFolder::Outbox),
                (PR_IPM_WASTEBASKET_ENTRYID, SpecialFolder::DeletedItems),
                (PR_IPM_SENTMAIL_ENTRYID, SpecialFolder::SentItems),
                (PR_FINDER_ENTRYID, SpecialFolder::Finder),
                (PR_VIEWS_ENTRYID, SpecialFolder::Views),
                (PR_COMMON_VIEWS_ENTRYID, SpecialFolder::CommonViews),
            ],
            StoreKind::Public => &[
                (PR_IPM_PUBLIC_FOLDERS_ENTRYID, SpecialFolder::IpmSubtree),
                (PR_NON_IPM_SUBTREE_ENTRYID, SpecialFolder::NonIpmSubtree),
                (PR_EFORMS_REGISTRY_ENTRYID, SpecialFolder::EFormsRegistry),
            ],
        };
        for (tag, which) in special {
            if let Some(v) = self.special_eid(*which) {
                p.put(*tag, v);
            }
        }
        match (&self.owner, self.kind) {
            (Some(o), StoreKind::Private) => {
                p.put(PR_DISPLAY_NAME, PropValue::Unicode(format!("Mailbox - {}", o.display_name)));
                p.put(PR_MAILBOX_OWNER_NAME, PropValue::Unicode(o.display_name.clone()));
                let ab = EntryId::AbPermanent(AbPermanentEntryId {
                    flags: 0,
                    version: 1,
                    display_type: display_type::DT_MAILUSER,
                    dn: o.legacy_dn.clone(),
                });
                p.put(PR_MAILBOX_OWNER_ENTRYID, PropValue::Binary(ab.to_bytes()));
                let all = vf::FOLDER_IPM_SUBTREE_VALID
                    | vf::FOLDER_IPM_INBOX_VALID
                    | vf::FOLDER_IPM_OUTBOX_VALID
                    | vf::FOLDER_IPM_WASTEBASKET_VALID
                    | vf::FOLDER_IPM_SENTMAIL_VALID
                    | vf::FOLDER_VIEWS_VALID
                    | vf::FOLDER_COMMON_VIEWS_VALID
                    | vf::FOLDER_FINDER_VALID;
                p.put(PR_VALID_FOLDER_MASK, PropValue::I32(all as i32));
            }
            _ => {
                p.put(PR_DISPLAY_NAME, PropValue::Unicode("Public Folders".into()));
                p.put(PR_VALID_FOLDER_MASK, PropValue::I32(vf::FOLDER_IPM_SUBTREE_VALID as i32));
            }
        }
        Ok(p.into_vec())
    }

    /// One store property (matched by property id), `None` when the store does not have it.
    pub fn store_property(&self, tag: PropTag) -> StoreResult<Option<PropValue>> {
        Ok(self.store_properties()?.into_iter().find(|t| t.tag.id() == tag.id()).map(|t| t.value))
    }

    /// Writes store properties (replacing values with the same property id). Computed
    /// properties are refused with [`StoreError::Computed`] and nothing is written.
    pub fn set_store_properties(&self, values: &[TaggedValue]) -> StoreResult<()> {
        check_writable(values, COMPUTED_STORE, "store")?;
        self.before_store_write(values)?;
        self.write(Durability::Normal, |tx| {
            for v in values {
                tx.execute(
                    "INSERT INTO store_properties (propid, proptype, value) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (/*mbx,*/ propid) DO UPDATE SET proptype = ?2, value = ?3",
                    params![v.tag.id(), v.value.prop_type() as u16, propvalue::to_sql(&v.value)],
                )?;
            }
            Ok(())
        })
    }

    /// Removes stored store properties (computed ones are refused).
    pub fn delete_store_properties(&self, tags: &[PropTag]) -> StoreResult<()> {
        if let Some(t) = tags.iter().find(|t| computed(COMPUTED_STORE, **t)) {
            return Err(StoreError::Computed(format!("store property {t} is computed by the store")));
        }
        self.write(Durability::Normal, |tx| {
            for t in tags {
                tx.execute("DELETE FROM store_properties WHERE propid = ?1", [t.id()])?;
            }
            Ok(())
        })
    }
}
