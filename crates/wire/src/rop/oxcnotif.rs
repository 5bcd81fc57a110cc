//! Notification ROPs (MS-OXCNOTIF 2.2.1; MS-OXCROPS 2.2.14): RopRegisterNotification,
//! RopNotify with every NotificationData variant, and RopPending.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;

use super::codec::RopCodec;
use crate::cdata::{self, Form, PropertyRow};

/// NotificationTypes bit of the Extended flag: a Reserved byte follows in RopRegisterNotification.
pub const NOTIFICATION_EXTENDED: u16 = 0x0400;
/// NotificationFlags: TotalMessageCount present.
pub const FLAG_T: u16 = 0x1000;
/// NotificationFlags: UnreadMessageCount present.
pub const FLAG_U: u16 = 0x2000;
/// NotificationFlags: the event happened in a search folder.
pub const FLAG_S: u16 = 0x4000;
/// NotificationFlags: the event concerns a message.
pub const FLAG_M: u16 = 0x8000;

/// NotificationType values (low 12 bits of NotificationFlags).
pub mod kind {
    #![allow(missing_docs)]
    pub const NEW_MAIL: u16 = 0x0002;
    pub const OBJECT_CREATED: u16 = 0x0004;
    pub const OBJECT_DELETED: u16 = 0x0008;
    pub const OBJECT_MODIFIED: u16 = 0x0010;
    pub const OBJECT_MOVED: u16 = 0x0020;
    pub const OBJECT_COPIED: u16 = 0x0040;
    pub const SEARCH_COMPLETED: u16 = 0x0080;
    pub const TABLE_MODIFIED: u16 = 0x0100;
    pub const EXTENDED: u16 = 0x0400;

    /// The MS-OXCNOTIF name.
    pub fn name(t: u16) -> &'static str {
        match t {
            NEW_MAIL => "NewMail",
            OBJECT_CREATED => "ObjectCreated",
            OBJECT_DELETED => "ObjectDeleted",
            OBJECT_MODIFIED => "ObjectModified",
            OBJECT_MOVED => "ObjectMoved",
            OBJECT_COPIED => "ObjectCopied",
            SEARCH_COMPLETED => "SearchCompleted",
            TABLE_MODIFIED => "TableModified",
            EXTENDED => "Extended",
            _ => "Unknown",
        }
    }
}

/// TableEventType values used on the wire (MS-OXCNOTIF 2.2.1.4.1.2).
pub mod table_event {
    #![allow(missing_docs)]
    pub const TABLE_CHANGED: u16 = 0x0001;
    pub const TABLE_ROW_ADDED: u16 = 0x0003;
    pub const TABLE_ROW_DELETED: u16 = 0x0004;
    pub const TABLE_ROW_MODIFIED: u16 = 0x0005;
    pub const TABLE_RESTRICTION_CHANGED: u16 = 0x0007;

    /// The MS-OXCNOTIF name.
    pub fn name(t: u16) -> &'static str {
        match t {
            TABLE_CHANGED => "TableChanged",
            TABLE_ROW_ADDED => "TableRowAdded",
            TABLE_ROW_DELETED => "TableRowDeleted",
            TABLE_ROW_MODIFIED => "TableRowModified",
            TABLE_RESTRICTION_CHANGED => "TableRestrictionChanged",
            _ => "Unknown",
        }
    }
}

/// RopRegisterNotification request (MS-OXCROPS 2.2.14.1.1).
#[derive(Clone, Debug, PartialEq)]
pub struct RegisterNotificationRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `InputHandleIndex`.
    pub input_handle_index: u8,
    /// `OutputHandleIndex`.
    pub output_handle_index: u8,
    /// `NotificationTypes`.
    pub notification_types: u16,
    /// `Reserved`, present only when the Extended bit is set.
    pub reserved: Option<u8>,
    /// `WantWholeStore`.
    pub want_whole_store: u8,
    /// `FolderId` and `MessageId`, present only when `WantWholeStore` is 0.
    pub scope: Option<(ObjectId, ObjectId)>,
}

impl RopCodec for RegisterNotificationRequest {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let logon_id = r.u8("LogonId")?;
        let input_handle_index = r.u8("InputHandleIndex")?;
        let output_handle_index = r.u8("OutputHandleIndex")?;
        let notification_types = r.u16("NotificationTypes")?;
        let reserved =
            if notification_types & NOTIFICATION_EXTENDED != 0 { Some(r.u8("Reserved")?) } else { None };
        let want_whole_store = r.u8("WantWholeStore")?;
        let scope = if want_whole_store == 0 {
            Some((r.object_id("FolderId")?, r.object_id("MessageId")?))
        } else {
            None
        };
        Ok(RegisterNotificationRequest {
            logon_id,
            input_handle_index,
            output_handle_index,
            notification_types,
            reserved,
            want_whole_store,
            scope,
        })
    }
    fn encode(&self, w: &mut Writer) {
        w.u8(self.logon_id);
        w.u8(self.input_handle_index);
        w.u8(self.output_handle_index);
        let extended = self.reserved.is_some();
        w.u16(if extended {
            self.notification_types | NOTIFICATION_EXTENDED
        } else {
            self.notification_types & !NOTIFICATION_EXTENDED
        });
        if let Some(x) = self.reserved {
            w.u8(x);
        }
        match self.scope {
            Some((f, m)) => {
                w.u8(0);
                w.object_id(f);
                w.object_id(m);
            }
            None => w.u8(if self.want_whole_store == 0 { 1 } else { self.want_whole_store }),
        }
    }
}

/// The `TagCount`/`Tags` pair of ObjectCreated and ObjectModified notifications.
#[derive(Clone, Debug, PartialEq)]
pub enum ChangedTags {
    /// `TagCount` 0xFFFF: the changed properties are not listed.
    Unlisted,
    /// The listed tags (possibly none).
    List(Vec<PropTag>),
}

/// NotificationData (MS-OXCNOTIF 2.2.1.4.1.2). Fields are `Some` exactly when the
/// NotificationFlags (and TableEventType) say they are present on the wire.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NotificationData {
    /// `NotificationFlags`: type in the low 12 bits plus T/U/S/M.
    pub flags: u16,
    /// `TableEventType`.
    pub table_event_type: Option<u16>,
    /// `TableRowFolderID`.
    pub table_row_folder_id: Option<ObjectId>,
    /// `TableRowMessageID`.
    pub table_row_message_id: Option<ObjectId>,
    /// `TableRowInstance`.
    pub table_row_instance: Option<u32>,
    /// `InsertAfterTableRowFolderID`.
    pub insert_after_table_row_folder_id: Option<ObjectId>,
    /// `InsertAfterTableRowID`.
    pub insert_after_table_row_id: Option<ObjectId>,
    /// `InsertAfterTableRowInstance`.
    pub insert_after_table_row_instance: Option<u32>,
    /// `TableRowData`: a PropertyRow in the table's current columns, kept as bytes because
    /// only the table's owner knows the columns: read it with [`NotificationData::table_row`]
    /// (or [`super::oxctabl::read_row`]), write it with [`NotificationData::row_data`].
    pub table_row_data: Option<Vec<u8>>,
    /// `FolderId`.
    pub folder_id: Option<ObjectId>,
    /// `MessageId`.
    pub message_id: Option<ObjectId>,
    /// `ParentFolderId`.
    pub parent_folder_id: Option<ObjectId>,
    /// `OldFolderId`.
    pub old_folder_id: Option<ObjectId>,
    /// `OldMessageId`.
    pub old_message_id: Option<ObjectId>,
    /// `OldParentFolderId`.
    pub old_parent_folder_id: Option<ObjectId>,
    /// `TagCount` + `Tags`.
    pub tags: Option<ChangedTags>,
    /// `TotalMessageCount`.
    pub total_message_count: Option<u32>,
    /// `UnreadMessageCount`.
    pub unread_message_count: Option<u32>,
    /// `MessageFlags` (NewMail).
    pub message_flags: Option<u32>,
    /// `UnicodeFlag` (NewMail).
    pub unicode_flag: Option<u8>,
    /// `MessageClass` (NewMail).
    pub message_class: Option<String>,
}

impl NotificationData {
    /// The NotificationType (low 12 bits).
    pub fn kind(&self) -> u16 {
        self.flags & 0x0FFF
    }
    fn m(&self) -> bool {
        self.flags & FLAG_M != 0
    }
    fn s(&self) -> bool {
        self.flags & FLAG_S != 0
    }

    /// `TableRowData` read as a PropertyRow in `columns`, the columns of the table the
    /// notification is about (those of its last RopSetColumns); `None` when the notification
    /// carries no row (TableChanged, TableRowDeleted, object notifications).
    pub fn table_row(&self, columns: &[PropTag]) -> DecodeResult<Option<PropertyRow>> {
        self.table_row_data.as_deref().map(|b| super::oxctabl::read_row(b, columns)).transpose()
    }

    /// The `TableRowData` bytes of `row` in `columns` (the ROP form of a PropertyRow,
    /// MS-OXCDATA 2.8.1); `None` when they do not fit the 16-bit `TableRowDataSize`.
    pub fn row_data(row: &PropertyRow, columns: &[PropTag]) -> Option<Vec<u8>> {
        let mut w = Writer::new();
        cdata::write_row(&mut w, row, columns, Form::Rop);
        let bytes = w.into_vec();
        (bytes.len() <= u16::MAX as usize).then_some(bytes)
    }

    /// Reads NotificationData.
    pub fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let flags = r.u16("NotificationFlags")?;
        let mut d = NotificationData { flags, ..Default::default() };
        let t = d.kind();
        let (m, s) = (d.m(), d.s());
        if t == kind::TABLE_MODIFIED {
            let tet = r.u16("TableEventType")?;
            d.table_event_type = Some(tet);
            let row_event = matches!(tet, 3..=5);
            let insert = matches!(tet, 3 | 5);
            if row_event {
                d.table_row_folder_id = Some(r.object_id("TableRowFolderID")?);
                if m {
                    d.table_row_message_id = Some(r.object_id("TableRowMessageID")?);
                    d.table_row_instance = Some(r.u32("TableRowInstance")?);
                }
            }
            if insert {
                d.insert_after_table_row_folder_id = Some(r.object_id("InsertAfterTableRowFolderID")?);
                if m {
                    d.insert_after_table_row_id = Some(r.object_id("InsertAfterTableRowID")?);
                    d.insert_after_table_row_instance = Some(r.u32("InsertAfterTableRowInstance")?);
                }
                let size = r.u16("TableRowDataSize")? as usize;
                d.table_row_data = Some(r.take(size, "TableRowData")?.to_vec());
            }
        }
        if t != kind::TABLE_MODIFIED && t != kind::EXTENDED {
            d.folder_id = Some(r.object_id("FolderId")?);
            if m {
                d.message_id = Some(r.object_id("MessageId")?);
            }
        }
        let create_delete_move_copy = matches!(
            t,
            kind::OBJECT_CREATED | kind::OBJECT_DELETED | kind::OBJECT_MOVED | kind::OBJECT_COPIED
        );
        if create_delete_move_copy && s == m {
            d.parent_folder_id = Some(r.object_id("ParentFolderId")?);
        }
        if matches!(t, kind::OBJECT_MOVED | kind::OBJECT_COPIED) {
            d.old_folder_id = Some(r.object_id("OldFolderId")?);
            if m {
                d.old_message_id = Some(r.object_id("OldMessageId")?);
            } else {
                d.old_parent_folder_id = Some(r.object_id("OldParentFolderId")?);
            }
        }
        if matches!(t, kind::OBJECT_CREATED | kind::OBJECT_MODIFIED) {
            let n = r.u16("TagCount")?;
            d.tags = Some(if n == 0xFFFF {
                ChangedTags::Unlisted
            } else {
                let n = r.check_count(n as u64, 4, 0xFFFE, "TagCount")?;
                ChangedTags::List((0..n).map(|_| Ok(PropTag(r.u32("Tags")?))).collect::<DecodeResult<_>>()?)
            });
        }
        if flags & FLAG_T != 0 {
            d.total_message_count = Some(r.u32("TotalMessageCount")?);
        }
        if flags & FLAG_U != 0 {
            d.unread_message_count = Some(r.u32("UnreadMessageCount")?);
        }
        if t == kind::NEW_MAIL {
            d.message_flags = Some(r.u32("MessageFlags")?);
            let u = r.u8("UnicodeFlag")?;
            d.unicode_flag = Some(u);
            d.message_class =
                Some(if u != 0 { r.utf16z("MessageClass")? } else { r.asciiz("MessageClass")? });
        }
        Ok(d)
    }

    /// Writes NotificationData; fields whose presence conditions hold but are `None` are
    /// written as zero.
    pub fn encode(&self, w: &mut Writer) {
        let t = self.kind();
        let (m, s) = (self.m(), self.s());
        let id = |w: &mut Writer, v: Option<ObjectId>| w.object_id(v.unwrap_or_default());
        w.u16(self.flags);
        if t == kind::TABLE_MODIFIED {
            let tet = self.table_event_type.unwrap_or(table_event::TABLE_CHANGED);
            w.u16(tet);
            if matches!(tet, 3..=5) {
                id(w, self.table_row_folder_id);
                if m {
                    id(w, self.table_row_message_id);
                    w.u32(self.table_row_instance.unwrap_or(0));
                }
            }
            if matches!(tet, 3 | 5) {
                id(w, self.insert_after_table_row_folder_id);
                if m {
                    id(w, self.insert_after_table_row_id);
                    w.u32(self.insert_after_table_row_instance.unwrap_or(0));
                }
                // Longer data cannot be announced: it is cut rather than breaking the framing.
                let data = self.table_row_data.as_deref().unwrap_or(&[]);
                let data = &data[..data.len().min(u16::MAX as usize)];
                w.u16(data.len() as u16);
                w.bytes(data);
            }
        }
        if t != kind::TABLE_MODIFIED && t != kind::EXTENDED {
            id(w, self.folder_id);
            if m {
                id(w, self.message_id);
            }
        }
        if matches!(t, kind::OBJECT_CREATED | kind::OBJECT_DELETED | kind::OBJECT_MOVED | kind::OBJECT_COPIED)
            && s == m
        {
            id(w, self.parent_folder_id);
        }
        if matches!(t, kind::OBJECT_MOVED | kind::OBJECT_COPIED) {
            id(w, self.old_folder_id);
            if m {
                id(w, self.old_message_id);
            } else {
                id(w, self.old_parent_folder_id);
            }
        }
        if matches!(t, kind::OBJECT_CREATED | kind::OBJECT_MODIFIED) {
            match &self.tags {
                Some(ChangedTags::Unlisted) => w.u16(0xFFFF),
                Some(ChangedTags::List(v)) => {
                    w.u16(v.len() as u16);
                    v.iter().for_each(|t| w.u32(t.0));
                }
                None => w.u16(0),
            }
        }
        if self.flags & FLAG_T != 0 {
            w.u32(self.total_message_count.unwrap_or(0));
        }
        if self.flags & FLAG_U != 0 {
            w.u32(self.unread_message_count.unwrap_or(0));
        }
        if t == kind::NEW_MAIL {
            w.u32(self.message_flags.unwrap_or(0));
            let u = self.unicode_flag.unwrap_or(1);
            w.u8(u);
            let class = self.message_class.as_deref().unwrap_or("");
            if u != 0 { w.utf16z(class) } else { w.asciiz(class) }
        }
    }
}

#[cfg(test)]
#[path = "oxcnotif_tests.rs"]
mod tests;

/// RopNotify response (MS-OXCROPS 2.2.14.2): server-generated, no ReturnValue.
#[derive(Clone, Debug, PartialEq)]
pub struct NotifyResponse {
    /// `NotificationHandle`: the subscription or table handle.
    pub notification_handle: u32,
    /// `LogonId`.
    pub logon_id: u8,
    /// `NotificationData`.
    pub data: NotificationData,
}

impl RopCodec for NotifyResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(NotifyResponse {
            notification_handle: r.u32("NotificationHandle")?,
            logon_id: r.u8("LogonId")?,
            data: NotificationData::decode(r)?,
        })
    }
    fn encode(&self, w: &mut Writer) {
        w.u32(self.notification_handle);
        w.u8(self.logon_id);
        self.data.encode(w);
    }
}

/// RopPending response (MS-OXCROPS 2.2.14.3): notifications are waiting for `session_index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingResponse {
    /// `SessionIndex`.
    pub session_index: u16,
}

impl RopCodec for PendingResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(PendingResponse { session_index: r.u16("SessionIndex")? })
    }
    fn encode(&self, w: &mut Writer) {
        w.u16(self.session_index);
    }
}
