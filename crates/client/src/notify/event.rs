//! The NOTIFICATION structures handed to sinks, built from RopNotify's NotificationData
//! (MS-OXCNOTIF 2.2.1.4.1.2; protocol-facts §5.3).

use oxmapi_core::ErrorCode;
use oxmapi_core::codec::Reader;
use oxmapi_core::consts::fnev;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::cdata::{Form, RowValue, read_row};
use oxmapi_wire::rop::oxcnotif::{ChangedTags, FLAG_M, NotificationData, kind, table_event};

/// One notification.
#[derive(Clone, Debug, PartialEq)]
pub enum Notification {
    /// fnevNewMail: a message was delivered.
    NewMail {
        /// The folder it was delivered to.
        folder_id: ObjectId,
        /// The message.
        message_id: ObjectId,
        /// Its PR_MESSAGE_FLAGS.
        message_flags: u32,
        /// Its PR_MESSAGE_CLASS.
        message_class: String,
    },
    /// fnevObjectCreated / Deleted / Modified / Moved / Copied.
    Object(ObjectNotification),
    /// fnevSearchComplete.
    SearchComplete {
        /// The search folder.
        folder_id: ObjectId,
    },
    /// fnevTableModified on an open table.
    Table(TableNotification),
    /// fnevCriticalError: notifications may have been missed (the session context was lost
    /// and the subscription registered again, or a table's subscription is gone); re-read
    /// what you watch.
    CriticalError {
        /// Why.
        code: ErrorCode,
        /// What happened, in words.
        reason: String,
    },
}

/// An object event (OBJECT_NOTIFICATION).
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectNotification {
    /// The `fnev*` bit: OBJECT_CREATED, OBJECT_DELETED, OBJECT_MODIFIED, OBJECT_MOVED or
    /// OBJECT_COPIED.
    pub event: u32,
    /// The folder (the object itself for a folder event, else the message's folder).
    pub folder_id: ObjectId,
    /// The message (message events).
    pub message_id: Option<ObjectId>,
    /// The parent folder (folder events).
    pub parent_folder_id: Option<ObjectId>,
    /// Where a moved or copied object came from: the old folder.
    pub old_folder_id: Option<ObjectId>,
    /// The old message id.
    pub old_message_id: Option<ObjectId>,
    /// The old parent folder (folder moves and copies).
    pub old_parent_folder_id: Option<ObjectId>,
    /// The properties concerned (`None` when the server did not list them).
    pub tags: Option<Vec<PropTag>>,
    /// A folder's new PR_CONTENT_COUNT.
    pub total_count: Option<u32>,
    /// A folder's new PR_CONTENT_UNREAD.
    pub unread_count: Option<u32>,
}

/// A table event (TABLE_NOTIFICATION).
#[derive(Clone, Debug, PartialEq)]
pub struct TableNotification {
    /// TABLE_CHANGED 1, TABLE_ROW_ADDED 3, TABLE_ROW_DELETED 4, TABLE_ROW_MODIFIED 5,
    /// TABLE_RESTRICTION_CHANGED 7.
    pub event: u16,
    /// The row's folder id.
    pub folder_id: Option<ObjectId>,
    /// The row's message id (contents tables).
    pub message_id: Option<ObjectId>,
    /// The row's instance.
    pub instance: Option<u32>,
    /// The row it now follows: (folder id, message id, instance); zeros for the first row.
    pub insert_after: Option<(ObjectId, Option<ObjectId>, Option<u32>)>,
    /// The row in the table's columns (added and modified rows), when they could be read.
    pub row: Option<Vec<RowValue>>,
}

impl Notification {
    /// The `fnev*` bit of this notification.
    pub fn event_type(&self) -> u32 {
        match self {
            Notification::NewMail { .. } => fnev::NEW_MAIL,
            Notification::Object(o) => o.event,
            Notification::SearchComplete { .. } => fnev::SEARCH_COMPLETE,
            Notification::Table(_) => fnev::TABLE_MODIFIED,
            Notification::CriticalError { .. } => fnev::CRITICAL_ERROR,
        }
    }

    /// The event's name as MS-OXCNOTIF spells it ("NewMail", "ObjectCreated", …,
    /// "TableModified", "CriticalError").
    pub fn name(&self) -> &'static str {
        match self {
            Notification::CriticalError { .. } => "CriticalError",
            n => kind::name(n.event_type() as u16),
        }
    }

    /// The table event's name (table notifications).
    pub fn table_event_name(&self) -> Option<&'static str> {
        match self {
            Notification::Table(t) => Some(table_event::name(t.event)),
            _ => None,
        }
    }

    /// Converts wire NotificationData; `columns` are the table's columns (table handles), used
    /// to read TableRowData. `None` for types a MAPI sink has no structure for.
    pub(crate) fn from_wire(d: &NotificationData, columns: Option<&[PropTag]>) -> Option<Notification> {
        let fid = d.folder_id.unwrap_or_default();
        let message = d.flags & FLAG_M != 0;
        Some(match d.kind() {
            kind::NEW_MAIL => Notification::NewMail {
                folder_id: fid,
                message_id: d.message_id.unwrap_or_default(),
                message_flags: d.message_flags.unwrap_or(0),
                message_class: d.message_class.clone().unwrap_or_default(),
            },
            t @ (kind::OBJECT_CREATED
            | kind::OBJECT_DELETED
            | kind::OBJECT_MODIFIED
            | kind::OBJECT_MOVED
            | kind::OBJECT_COPIED) => Notification::Object(ObjectNotification {
                event: u32::from(t),
                folder_id: fid,
                message_id: if message { d.message_id } else { None },
                parent_folder_id: d.parent_folder_id,
                old_folder_id: d.old_folder_id,
                old_message_id: d.old_message_id,
                old_parent_folder_id: d.old_parent_folder_id,
                tags: match &d.tags {
                    Some(ChangedTags::List(t)) => Some(t.clone()),
                    _ => None,
                },
                total_count: d.total_message_count,
                unread_count: d.unread_message_count,
            }),
            kind::SEARCH_COMPLETED => Notification::SearchComplete { folder_id: fid },
            kind::TABLE_MODIFIED => Notification::Table(TableNotification {
                event: d.table_event_type.unwrap_or(table_event::TABLE_CHANGED),
                folder_id: d.table_row_folder_id,
                message_id: d.table_row_message_id,
                instance: d.table_row_instance,
                insert_after: d
                    .insert_after_table_row_folder_id
                    .map(|f| (f, d.insert_after_table_row_id, d.insert_after_table_row_instance)),
                row: match (&d.table_row_data, columns) {
                    (Some(bytes), Some(cols)) if !cols.is_empty() => {
                        read_row(&mut Reader::new(bytes), cols, Form::Rop).ok().map(|r| r.values)
                    }
                    _ => None,
                },
            }),
            _ => return None,
        })
    }
}
