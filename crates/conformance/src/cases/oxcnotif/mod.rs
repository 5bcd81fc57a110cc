//! MS-OXCNOTIF: the core notifications protocol — RopRegisterNotification (2.2.1.2), the
//! RopNotify shapes of each event (2.2.1.4.1), table notifications (3.2.5.6), RopPending
//! (2.2.1.4.2) and MAPI/HTTP NotificationWait (MS-OXCMAPIHTTP 2.2.4.4). Ported from Microsoft's
//! MS-OXCNOTIF suite (ExchangeMAPI/Source/MS-OXCNOTIF: S01_ReceivePendingNotifications,
//! S02_SubscribeAndReceiveNotifications and the adapter's CaptureCode.cs).
//!
//! As in Microsoft's suite, a second session (the watcher) subscribes and the suite's shared
//! session makes the changes, all inside the suite's folder.

use std::time::Duration;

use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::mapihttp::common::Response;
use oxmapi_wire::mapihttp::emsmdb::{NotificationWaitRequest, NotificationWaitSuccess};
use oxmapi_wire::rop::buffer::{UNUSED_HANDLE, encode_requests};
use oxmapi_wire::rop::oxcnotif::{FLAG_M, FLAG_S, FLAG_T, FLAG_U, NotifyResponse, kind, table_event};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

mod objects;
mod tables;
mod watcher;

use objects::*;
use tables::*;
use watcher::*;

use crate::body;
use crate::case::{Case, CaseResult, Protocol, Verdict, code, ensure, eq, expect_rv, fail, skip};
use crate::context::{Ctx, Main, PR_DISPLAY_NAME_W};
use crate::rops;
use crate::rops_oxcnotif::{self as n, Watch, types};
use crate::session::{DEFAULT_MAX_ROP_OUT, Exec};

const P: Protocol = Protocol::OxcNotif;

/// PidTagSubject (PtypString).
const PR_SUBJECT_W: PropTag = PropTag(0x0037_001F);
/// PidTagComment (PtypString).
const PR_COMMENT_W: PropTag = PropTag(0x3004_001F);
/// PidTagMid (PtypInteger64).
const PID_TAG_MID: PropTag = PropTag(0x674A_0014);
/// PidTagFolderId (PtypInteger64).
const PID_TAG_FOLDER_ID: PropTag = PropTag(0x6748_0014);
/// PidTagInstanceNum (PtypInteger32).
const PID_TAG_INSTANCE_NUM: PropTag = PropTag(0x674E_0003);
/// Columns of the watched contents tables (as Microsoft's S02_TC01 sets them).
const CONTENTS_COLUMNS: &[PropTag] = &[PID_TAG_FOLDER_ID, PID_TAG_INSTANCE_NUM, PID_TAG_MID];
/// Columns of the watched hierarchy tables.
const HIERARCHY_COLUMNS: &[PropTag] = &[PID_TAG_FOLDER_ID, PR_DISPLAY_NAME_W];
/// How often and how long the watcher polls for a notification.
const POLLS: u32 = 40;
const POLL_INTERVAL: Duration = Duration::from_millis(25);

macro_rules! case {
    ($name:literal, $section:literal, [$($req:literal),+ $(,)?], $run:ident) => {
        Case { name: $name, protocol: P, section: $section, requirements: &[$($req),+], needs: &[], run: $run }
    };
}

/// The cases of this module.
pub const CASES: &[Case] = &[
    case!(
        "oxcnotif_register_notification_returns_handle",
        "MS-OXCNOTIF 2.2.1.2.1",
        ["MS-OXCNOTIF_R35"],
        register_returns_handle
    ),
    case!(
        "oxcnotif_register_response_is_header_only",
        "MS-OXCNOTIF 2.2.1.2.2, MS-OXCROPS 2.2.14.1.2",
        ["MS-OXCROPS 2.2.14.1.2 (RopId 0x29, OutputHandleIndex, ReturnValue)"],
        register_header_only
    ),
    case!(
        "oxcnotif_register_each_notification_type",
        "MS-OXCNOTIF 2.2.1.2.1",
        ["MS-OXCNOTIF 2.2.1.2.1 (NotificationTypes: NewMail … SearchCompleted)"],
        register_each_type
    ),
    case!(
        "oxcnotif_register_message_scope",
        "MS-OXCNOTIF 2.2.1.2.1",
        ["MS-OXCNOTIF 2.2.1.2.1 (WantWholeStore 0 with FolderId and MessageId)"],
        register_message_scope
    ),
    case!(
        "oxcnotif_object_created_message",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        [
            "MS-OXCNOTIF_R240",
            "MS-OXCNOTIF_R89",
            "MS-OXCNOTIF_R346",
            "MS-OXCNOTIF_R169",
            "MS-OXCNOTIF_R173",
            "MS-OXCNOTIF_R193"
        ],
        created_message
    ),
    case!(
        "oxcnotif_notify_names_subscription_handle",
        "MS-OXCNOTIF 2.2.1.4.1.1",
        ["MS-OXCNOTIF_R136", "MS-OXCNOTIF 2.2.1.4.1.1 (NotificationHandle: the target object)"],
        names_handle
    ),
    case!(
        "oxcnotif_notify_echoes_logon_id",
        "MS-OXCNOTIF 2.2.1.4.1.1, MS-OXCROPS 2.2.14.2.1",
        ["MS-OXCROPS 2.2.14.2.1 (LogonId of the subscription's logon)"],
        echoes_logon_id
    ),
    case!(
        "oxcnotif_object_created_folder",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R169", "MS-OXCNOTIF_R177", "MS-OXCNOTIF_R193"],
        created_folder
    ),
    case!(
        "oxcnotif_object_deleted_message",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R169", "MS-OXCNOTIF_R173"],
        deleted_message
    ),
    case!(
        "oxcnotif_object_deleted_folder",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R169", "MS-OXCNOTIF_R177"],
        deleted_folder
    ),
    case!(
        "oxcnotif_object_modified_message",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R173", "MS-OXCNOTIF_R193"],
        modified_message
    ),
    case!(
        "oxcnotif_object_modified_folder",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R169", "MS-OXCNOTIF_R193"],
        modified_folder
    ),
    case!(
        "oxcnotif_object_moved_message",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R181", "MS-OXCNOTIF_R185"],
        moved_message
    ),
    case!(
        "oxcnotif_object_copied_message",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R181", "MS-OXCNOTIF_R185"],
        copied_message
    ),
    case!(
        "oxcnotif_object_moved_folder",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R177", "MS-OXCNOTIF_R189"],
        moved_folder
    ),
    case!(
        "oxcnotif_object_copied_folder",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R177", "MS-OXCNOTIF_R189"],
        copied_folder
    ),
    case!(
        "oxcnotif_new_mail_from_transport_new_mail",
        "MS-OXCNOTIF 2.2.1.4.1.2, MS-OXCROPS 2.2.7.7, MS-OXOMSG 2.2.5.5",
        ["MS-OXCNOTIF_R213", "MS-OXCNOTIF_R217", "MS-OXCNOTIF_R223"],
        new_mail
    ),
    case!(
        "oxcnotif_search_completed",
        "MS-OXCNOTIF 2.2.1.4.1.2, MS-OXCFOLD 3.2.5.4",
        ["MS-OXCNOTIF 2.2.1.4.1.2 (SearchCompleted: FolderId of the search folder)"],
        search_completed
    ),
    case!(
        "oxcnotif_only_registered_types_sent",
        "MS-OXCNOTIF 3.2.5.1",
        ["MS-OXCNOTIF 3.2.5.1 (notifications for the event types subscribed to)"],
        only_registered_types
    ),
    case!(
        "oxcnotif_folder_scope_excludes_other_folders",
        "MS-OXCNOTIF 2.2.1.2.1, 3.2.5.1",
        ["MS-OXCNOTIF 2.2.1.2.1 (FolderId: the folder to watch)"],
        folder_scope
    ),
    case!(
        "oxcnotif_message_scope_excludes_other_messages",
        "MS-OXCNOTIF 2.2.1.2.1, 3.2.5.1",
        ["MS-OXCNOTIF 2.2.1.2.1 (MessageId: the message to watch)"],
        message_scope
    ),
    case!(
        "oxcnotif_each_subscription_notified",
        "MS-OXCNOTIF 3.2.5.1",
        ["MS-OXCNOTIF 3.2.5.1 (a notification for each subscription the event matches)"],
        each_subscription
    ),
    case!(
        "oxcnotif_release_stops_notifications",
        "MS-OXCNOTIF 3.1.4.2, MS-OXCROPS 2.2.15.3",
        ["MS-OXCNOTIF 3.1.4.2 (releasing the subscription object ends the subscription)"],
        release_stops
    ),
    case!(
        "oxcnotif_same_session_notify_in_execute",
        "MS-OXCNOTIF 3.2.5.5.3",
        ["MS-OXCNOTIF_R89", "MS-OXCNOTIF_R498"],
        same_session
    ),
    case!(
        "oxcnotif_notify_after_regular_responses",
        "MS-OXCROPS 3.1.5.1.3, MS-OXCNOTIF 3.2.5.5.3",
        ["MS-OXCROPS 3.1.5.1.3 (RopNotify and RopPending after the responses to the requests)"],
        notify_at_end
    ),
    case!(
        "oxcnotif_contents_table_row_added",
        "MS-OXCNOTIF 2.2.1.4.1.2, 3.2.5.6",
        [
            "MS-OXCNOTIF_R97",
            "MS-OXCNOTIF_R129",
            "MS-OXCNOTIF_R23",
            "MS-OXCNOTIF_R141",
            "MS-OXCNOTIF_R145",
            "MS-OXCNOTIF_R261",
            "MS-OXCNOTIF_R252",
            "MS-OXCNOTIF_R156"
        ],
        contents_row_added
    ),
    case!(
        "oxcnotif_contents_table_row_added_data",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R162", "MS-OXCNOTIF_R163", "MS-OXCNOTIF_R166"],
        contents_row_added_data
    ),
    case!(
        "oxcnotif_contents_table_row_deleted",
        "MS-OXCNOTIF 2.2.1.4.1.2, 3.2.5.6",
        ["MS-OXCNOTIF_R130", "MS-OXCNOTIF_R24", "MS-OXCNOTIF_R262"],
        contents_row_deleted
    ),
    case!(
        "oxcnotif_contents_table_row_modified",
        "MS-OXCNOTIF 2.2.1.4.1.2, 3.2.5.6",
        ["MS-OXCNOTIF 2.2.1.4.1.2 (TableEventType 0x0005: TableRowModified)"],
        contents_row_modified
    ),
    case!(
        "oxcnotif_hierarchy_table_row_added",
        "MS-OXCNOTIF 2.2.1.4.1.2, 3.2.5.6",
        ["MS-OXCNOTIF_R129", "MS-OXCNOTIF_R140"],
        hierarchy_row_added
    ),
    case!(
        "oxcnotif_hierarchy_table_row_deleted",
        "MS-OXCNOTIF 2.2.1.4.1.2, 3.2.5.6",
        ["MS-OXCNOTIF_R130", "MS-OXCNOTIF_R140"],
        hierarchy_row_deleted
    ),
    case!(
        "oxcnotif_hierarchy_table_row_modified",
        "MS-OXCNOTIF 2.2.1.4.1.2, 3.2.5.6",
        ["MS-OXCNOTIF 2.2.1.4.1.2 (TableEventType 0x0005: TableRowModified)"],
        hierarchy_row_modified
    ),
    case!(
        "oxcnotif_reset_table_stops_table_notifications",
        "MS-OXCNOTIF 3.2.5.6",
        ["MS-OXCNOTIF_R281", "MS-OXCNOTIF 3.2.5.6 (the server SHOULD require a table view)"],
        reset_table_stops
    ),
    case!(
        "oxcnotif_no_notifications_table_flag",
        "MS-OXCNOTIF 3.2.5.6, MS-OXCFOLD 2.2.1.14.1",
        ["MS-OXCNOTIF 3.2.5.6 (MUST NOT subscribe tables created with NoNotifications)"],
        no_notifications_flag
    ),
    case!(
        "oxcnotif_released_table_not_notified",
        "MS-OXCNOTIF 3.2.5.6, MS-OXCROPS 2.2.15.3",
        ["MS-OXCNOTIF 3.2.5.6 (table notifications go to open tables)"],
        released_table
    ),
    case!(
        "oxcnotif_pending_when_buffer_full",
        "MS-OXCNOTIF 3.2.5.5.3, MS-OXCROPS 2.2.14.3",
        ["MS-OXCNOTIF_R335", "MS-OXCNOTIF_R348", "MS-OXCNOTIF_R241"],
        pending_when_full
    ),
    case!(
        "oxcnotif_pending_notifications_drained",
        "MS-OXCNOTIF 3.1.5.2, 3.2.5.5.3",
        ["MS-OXCNOTIF 3.1.5.2 (the client sends Execute until no RopPending comes)"],
        pending_drained
    ),
    case!(
        "oxcnotif_notification_wait_event_pending",
        "MS-OXCMAPIHTTP 2.2.4.4.2, MS-OXCNOTIF 3.2.5.4",
        ["MS-OXCNOTIF_R475", "MS-OXCMAPIHTTP 2.2.4.4.2 (EventPending NotificationPending 0x00000001)"],
        wait_event_pending
    ),
    case!(
        "oxcnotif_notification_wait_then_execute_delivers",
        "MS-OXCMAPIHTTP 3.2.5.4, MS-OXCNOTIF 3.1.5.2",
        ["MS-OXCNOTIF_R498", "MS-OXCMAPIHTTP 3.2.5.4 (the client sends Execute to get the events)"],
        wait_then_execute
    ),
    case!(
        "oxcnotif_notification_flags_consistent",
        "MS-OXCNOTIF 2.2.1.4.1.2",
        ["MS-OXCNOTIF_R114", "MS-OXCNOTIF_R117", "MS-OXCNOTIF_R120"],
        flags_consistent
    ),
];
