//! [`Describe`] for the ROP structures that are not declared with `wire_struct!`, and for the
//! request/response enums (each ROP carries its name).

use super::outcome::{Empty, Outcome, Rows};
use super::oxcfold::*;
use super::oxcmsg::*;
use super::oxcnotif::*;
use super::oxcprpt::*;
use super::oxcrops::*;
use super::oxcstor::*;
use super::oxctabl::*;
use super::oxomsg::*;
use super::{RopRequest, RopResponse};
use crate::describe::{Describe, Node, row_node, status};
use crate::{describe_fields, describe_vec};

describe_fields!(LogonRequest { logon_id, output_handle_index, logon_flags, open_flags, store_state, essdn });
describe_fields!(LogonTime { seconds, minutes, hour, day_of_week, day, month, year });
describe_fields!(LogonPrivate {
    logon_flags,
    folder_ids,
    response_flags,
    mailbox_guid,
    repl_id,
    repl_guid,
    logon_time,
    gwart_time,
    store_state
});
describe_fields!(LogonPublic { logon_flags, folder_ids, repl_id, repl_guid, per_user_guid });
describe_fields!(ServerList { cheap_count, servers });
describe_fields!(Ghosted { servers });
describe_fields!(ReceiveFolderRow { folder_id, message_class, last_modification_time });
describe_fields!(GetReceiveFolderTableResponse { rows });
describe_fields!(CreateFolderRequest {
    logon_id,
    input_handle_index,
    output_handle_index,
    folder_type,
    use_unicode_strings,
    open_existing,
    reserved,
    display_name,
    comment
});
describe_fields!(CreateFolderResponse { folder_id, existing });
describe_fields!(MoveCopyResponse { dest_handle_index, partial_completion });
describe_fields!(MoveFolderRequest {
    logon_id,
    source_handle_index,
    dest_handle_index,
    want_asynchronous,
    use_unicode,
    folder_id,
    new_folder_name
});
describe_fields!(CopyFolderRequest {
    logon_id,
    source_handle_index,
    dest_handle_index,
    want_asynchronous,
    want_recursive,
    use_unicode,
    folder_id,
    new_folder_name
});
describe_fields!(QueryRowsResponse { origin, row_count, rows });
describe_fields!(FindRowResponse { row_no_longer_visible, row });
describe_fields!(ExpandRowResponse { expanded_row_count, row_count, rows });
describe_fields!(RecipientRow {
    flags,
    address_prefix_used,
    display_type,
    x500_dn,
    entry_id,
    search_key,
    address_type,
    email_address,
    display_name,
    simple_display_name,
    transmittable_display_name,
    column_count,
    properties
});
describe_fields!(ModifyRecipientRow { row_id, recipient_type, recipient_row });
describe_fields!(SetMessageReadFlagRequest {
    logon_id,
    response_handle_index,
    input_handle_index,
    read_flags,
    client_data
});
describe_fields!(GetPropertiesSpecificResponse { row });
describe_fields!(QueryNamedPropertiesRequest { logon_id, input_handle_index, query_flags, property_guid });
describe_fields!(ReadStreamRequest { logon_id, input_handle_index, byte_count, maximum_byte_count });
describe_fields!(CopyToStreamResponse { dest_handle_index, read_byte_count, written_byte_count });
describe_fields!(RegisterNotificationRequest {
    logon_id,
    input_handle_index,
    output_handle_index,
    notification_types,
    reserved,
    want_whole_store,
    scope
});
describe_fields!(NotifyResponse { notification_handle, logon_id, data });
describe_fields!(PendingResponse { session_index });
describe_fields!(GetAddressTypesResponse { address_types });
describe_fields!(TransportSendResponse { property_values });
describe_fields!(OptionsDataResponse { reserved, options_info, help_file, help_file_name });
describe_fields!(BufferTooSmallResponse { size_needed, request_buffers });
describe_fields!(BackoffRop { rop_id, duration });
describe_fields!(BackoffResponse { logon_id, duration, rops, additional_data });
describe_vec!(OpenRecipientRow, ReadRecipientRow, ModifyRecipientRow, BackoffRop, ReceiveFolderRow);
describe_vec!(
    super::oxorule::RuleData,
    super::oxcperm::PermissionData,
    super::oxcfxics::MessageReadState,
    super::oxcfxics::LongTermIdRange,
    oxmapi_core::ids::LongTermId
);

impl Describe for [oxmapi_core::ObjectId; LOGON_FOLDER_COUNT] {
    fn describe(&self, f: &str) -> Node {
        Node::List(self.iter().map(|x| x.describe(f)).collect())
    }
}

impl Describe for (oxmapi_core::ObjectId, oxmapi_core::ObjectId) {
    fn describe(&self, _f: &str) -> Node {
        Node::map([
            ("folder_id", Node::str(self.0.to_string())),
            ("message_id", Node::str(self.1.to_string())),
        ])
    }
}

impl Describe for (u8, [u8; 24]) {
    fn describe(&self, _f: &str) -> Node {
        Node::map([("logon_id", Node::Int(self.0 as i128)), ("client_data", Node::hex(&self.1))])
    }
}

impl Describe for Vec<(u16, oxmapi_core::named::PropertyName)> {
    fn describe(&self, _f: &str) -> Node {
        Node::List(
            self.iter()
                .map(|(id, n)| n.describe("").with_first("property_id", Node::str(format!("0x{id:04x}"))))
                .collect(),
        )
    }
}
describe_fields!(QueryNamedPropertiesResponse { properties });
describe_fields!(SetMessageReadFlagResponse { read_status_changed, client_data });

impl Describe for Empty {
    fn describe(&self, _f: &str) -> Node {
        Node::Map(Vec::new())
    }
}

impl Describe for LogonResponse {
    fn describe(&self, _f: &str) -> Node {
        match self {
            LogonResponse::Private(p) => p.describe("").with_first("kind", Node::str("private")),
            LogonResponse::Public(p) => p.describe("").with_first("kind", Node::str("public")),
            LogonResponse::Redirect { logon_flags, server_name } => Node::map([
                ("kind", Node::str("redirect")),
                ("logon_flags", logon_flags.describe("logon_flags")),
                ("server_name", Node::str(server_name.clone())),
            ]),
        }
    }
}

impl Describe for TypedString {
    fn describe(&self, _f: &str) -> Node {
        self.text().map(Node::str).unwrap_or(Node::Null)
    }
}

impl Describe for Rows {
    fn describe(&self, _f: &str) -> Node {
        match self {
            Rows::Decoded { columns, rows } => {
                Node::List(rows.iter().map(|r| row_node(r, columns)).collect())
            }
            Rows::Raw(b) => {
                Node::map([("undecoded_rows", Node::hex(b)), ("note", Node::str("columns unknown"))])
            }
        }
    }
}

impl Describe for CopyPropertiesResponse {
    fn describe(&self, _f: &str) -> Node {
        match self {
            CopyPropertiesResponse::Problems(p) => Node::map([("problems", p.describe(""))]),
            CopyPropertiesResponse::NullDestination(d) => {
                Node::map([("dest_handle_index", Node::Int(*d as i128))])
            }
        }
    }
}

impl Describe for ChangedTags {
    fn describe(&self, _f: &str) -> Node {
        match self {
            ChangedTags::Unlisted => Node::str("unlisted (0xFFFF)"),
            ChangedTags::List(v) => v.describe(""),
        }
    }
}

impl Describe for NotificationData {
    fn describe(&self, _f: &str) -> Node {
        let mut n = Node::map([
            ("notification_flags", Node::str(format!("0x{:04x}", self.flags))),
            ("type", Node::str(kind::name(self.kind()))),
        ]);
        if let Some(t) = self.table_event_type {
            n = n.with("table_event_type", Node::str(table_event::name(t)));
        }
        let ids = [
            ("table_row_folder_id", self.table_row_folder_id),
            ("table_row_message_id", self.table_row_message_id),
            ("insert_after_table_row_folder_id", self.insert_after_table_row_folder_id),
            ("insert_after_table_row_id", self.insert_after_table_row_id),
            ("folder_id", self.folder_id),
            ("message_id", self.message_id),
            ("parent_folder_id", self.parent_folder_id),
            ("old_folder_id", self.old_folder_id),
            ("old_message_id", self.old_message_id),
            ("old_parent_folder_id", self.old_parent_folder_id),
        ];
        for (k, v) in ids {
            if let Some(v) = v {
                n = n.with(k, Node::str(v.to_string()));
            }
        }
        let nums = [
            ("table_row_instance", self.table_row_instance),
            ("insert_after_table_row_instance", self.insert_after_table_row_instance),
            ("total_message_count", self.total_message_count),
            ("unread_message_count", self.unread_message_count),
        ];
        for (k, v) in nums {
            if let Some(v) = v {
                n = n.with(k, Node::Int(v as i128));
            }
        }
        if let Some(d) = &self.table_row_data {
            n = n.with("table_row_data", Node::hex(d));
        }
        if let Some(t) = &self.tags {
            n = n.with("tags", t.describe(""));
        }
        if let Some(f) = self.message_flags {
            n = n.with("message_flags", Node::str(format!("0x{f:08x}")));
        }
        if let Some(c) = &self.message_class {
            n = n.with("message_class", Node::str(c.clone()));
        }
        n
    }
}

impl<T: Describe> Describe for Outcome<T> {
    fn describe(&self, _f: &str) -> Node {
        let n = Node::map([
            ("handle_index", Node::Int(self.handle_index as i128)),
            ("return_value", status(self.return_value)),
        ]);
        match &self.body {
            Some(b) => match b.describe("") {
                Node::Map(fields) => fields.into_iter().fold(n, |acc, (k, v)| acc.with(&k, v)),
                other => n.with("body", other),
            },
            None => n,
        }
    }
}

impl Describe for RopRequest {
    fn describe(&self, _f: &str) -> Node {
        let id = self.rop_id();
        let head =
            Node::map([("rop", Node::str(id.name())), ("rop_id", Node::str(format!("0x{:02x}", id as u8)))]);
        let body = self.body_node();
        match body {
            Node::Map(fields) => fields.into_iter().fold(head, |acc, (k, v)| acc.with(&k, v)),
            other => head.with("body", other),
        }
    }
}

impl Describe for RopResponse {
    fn describe(&self, _f: &str) -> Node {
        let id = self.rop_id();
        let head =
            Node::map([("rop", Node::str(id.name())), ("rop_id", Node::str(format!("0x{:02x}", id as u8)))]);
        match self.body_node() {
            Node::Map(fields) => fields.into_iter().fold(head, |acc, (k, v)| acc.with(&k, v)),
            other => head.with("body", other),
        }
    }
}
