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
            "MS-OXCNOTIF_R252"
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

// ----- the watcher session ------------------------------------------------------------------

/// A second session that subscribes and collects the RopNotify/RopPending it receives.
struct Watcher {
    m: Main,
    notes: Vec<NotifyResponse>,
    pendings: usize,
}

/// Runs `f` with a new watcher session, disconnected afterwards.
fn watched(ctx: &mut Ctx, f: impl FnOnce(&mut Ctx, &mut Watcher) -> CaseResult) -> CaseResult {
    let mut w = Watcher { m: ctx.logged_on()?, notes: Vec::new(), pendings: 0 };
    let r = f(ctx, &mut w);
    let _ = w.m.ems.disconnect();
    r
}

impl Watcher {
    fn exec(&mut self, reqs: &[RopRequest], handles: Vec<u32>) -> Result<Exec, Verdict> {
        let e = self.m.ems.execute(reqs, handles)?;
        if e.error_code != 0 {
            return Err(fail("Execute ErrorCode 0", code(e.error_code)));
        }
        self.absorb(&e.notes);
        Ok(e)
    }

    fn absorb(&mut self, notes: &[RopResponse]) {
        for x in notes {
            match x {
                RopResponse::Notify(n) => self.notes.push(n.clone()),
                RopResponse::Pending(_) => self.pendings += 1,
                _ => {}
            }
        }
    }

    /// One request whose inputs are `inputs`, output slot after them.
    fn one(&mut self, inputs: &[u32], req: RopRequest) -> Result<(RopResponse, Option<u32>), Verdict> {
        let mut handles = inputs.to_vec();
        handles.push(UNUSED_HANDLE);
        let e = self.exec(std::slice::from_ref(&req), handles)?;
        let r = e.responses.first().cloned().ok_or_else(|| fail("a response", "none"))?;
        Ok((r, e.handles.get(inputs.len()).copied().filter(|h| *h != UNUSED_HANDLE)))
    }

    fn register(&mut self, types: u16, watch: Watch) -> Result<u32, Verdict> {
        let logon = self.m.logon;
        let (r, out) = self.one(&[logon], n::register(0, 1, types, watch))?;
        expect_rv("RopRegisterNotification", &r, 0)?;
        out.ok_or_else(|| fail("a subscription handle", "none"))
    }

    /// Opens folder `fid`, its contents (or hierarchy) table with `columns`, and reads the rows
    /// (RopQueryRows makes the table view, MS-OXCNOTIF_R252); returns the table handle.
    fn table(&mut self, fid: ObjectId, hierarchy: bool, columns: &[PropTag]) -> Result<u32, Verdict> {
        let get = if hierarchy { rops::hierarchy_table(1, 2, 0) } else { rops::contents_table(1, 2, 0) };
        let reqs =
            [rops::open_folder(0, 1, fid), get, rops::set_columns(2, columns), rops::query_rows(2, 50, true)];
        let e = self.exec(&reqs, vec![self.m.logon, UNUSED_HANDLE, UNUSED_HANDLE])?;
        eq("responses opening the watched table", 4, e.responses.len())?;
        for r in &e.responses {
            expect_rv(r.rop_id().name(), r, 0)?;
        }
        Ok(e.handles[2])
    }

    /// A contents table of `fid` with `columns` set but no row read (no table view).
    fn table_without_view(&mut self, fid: ObjectId, columns: &[PropTag]) -> Result<u32, Verdict> {
        let reqs =
            [rops::open_folder(0, 1, fid), rops::contents_table(1, 2, 0), rops::set_columns(2, columns)];
        let e = self.exec(&reqs, vec![self.m.logon, UNUSED_HANDLE, UNUSED_HANDLE])?;
        eq("responses opening the probe table", 3, e.responses.len())?;
        e.responses.iter().try_for_each(|r| expect_rv(r.rop_id().name(), r, 0))?;
        Ok(e.handles[2])
    }

    /// Sends an empty ROP list (what a client sends to collect notifications).
    fn poll(&mut self) -> Result<(), Verdict> {
        let logon = self.m.logon;
        self.exec(&[], vec![logon]).map(|_| ())
    }

    /// The first notification matching `pred`, polling up to about a second.
    fn wait(
        &mut self,
        what: &str,
        pred: impl Fn(&NotifyResponse) -> bool,
    ) -> Result<NotifyResponse, Verdict> {
        for i in 0..POLLS {
            if let Some(x) = self.notes.iter().find(|x| pred(x)) {
                return Ok(x.clone());
            }
            if i > 0 {
                std::thread::sleep(POLL_INTERVAL);
            }
            self.poll()?;
        }
        Err(fail(
            format!("a RopNotify: {what}"),
            format!("none within a second; received {}", self.summary()),
        ))
    }

    /// Whether any notification received so far matches `pred`.
    fn any(&self, pred: impl Fn(&NotifyResponse) -> bool) -> bool {
        self.notes.iter().any(pred)
    }

    fn summary(&self) -> String {
        if self.notes.is_empty() {
            return "no RopNotify".into();
        }
        let v: Vec<String> = self
            .notes
            .iter()
            .map(|x| {
                let t =
                    x.data.table_event_type.map(|t| format!("/{}", table_event::name(t))).unwrap_or_default();
                format!("{}{} on 0x{:08X}", kind::name(x.data.kind()), t, x.notification_handle)
            })
            .collect();
        v.join(", ")
    }
}

// ----- changes made on the shared session ---------------------------------------------------

fn subject(s: &str) -> TaggedValue {
    TaggedValue { tag: PR_SUBJECT_W, value: PropValue::Unicode(s.to_string()) }
}

/// Creates and saves a message in folder `fid` (open as `folder`); returns its MID and the
/// notifications that came with the answer.
fn new_message_with_notes(
    ctx: &mut Ctx,
    folder: u32,
    fid: ObjectId,
    text: &str,
) -> Result<(ObjectId, Vec<RopResponse>), Verdict> {
    let reqs = [
        rops::create_message(0, 1, fid, false),
        rops::set_props(1, vec![subject(text)]),
        rops::save_message(1, 1, rops::save_flags::KEEP_OPEN_READ_WRITE),
    ];
    let e = ctx.rops(&reqs, vec![folder, UNUSED_HANDLE])?;
    eq("responses creating a message", 3, e.responses.len())?;
    let mid = body!(e.responses[2], SaveChangesMessage)?.message_id;
    Ok((mid, e.notes))
}

fn new_message(ctx: &mut Ctx, folder: u32, fid: ObjectId) -> Result<ObjectId, Verdict> {
    Ok(new_message_with_notes(ctx, folder, fid, "oxcnotif")?.0)
}

/// A subfolder `name` of the folder open as `parent`; returns its FID and handle.
fn sub_folder(ctx: &mut Ctx, parent: u32, name: &str) -> Result<(ObjectId, u32), Verdict> {
    let one = ctx.rop(&[parent], rops::create_folder(0, 1, name, false))?;
    let fid = body!(one.resp, CreateFolder)?.folder_id;
    Ok((fid, one.out.ok_or_else(|| fail("a folder handle", "none"))?))
}

fn modify_message(ctx: &mut Ctx, folder: u32, fid: ObjectId, mid: ObjectId) -> CaseResult {
    let reqs = [
        rops::open_message(0, 1, fid, mid, 0x01),
        rops::set_props(1, vec![subject("oxcnotif modified")]),
        rops::save_message(1, 1, rops::save_flags::KEEP_OPEN_READ_WRITE),
    ];
    let e = ctx.rops(&reqs, vec![folder, UNUSED_HANDLE])?;
    eq("responses modifying a message", 3, e.responses.len())?;
    e.responses.iter().try_for_each(|r| expect_rv(r.rop_id().name(), r, 0))
}

fn delete_message(ctx: &mut Ctx, folder: u32, mid: ObjectId) -> CaseResult {
    let one = ctx.rop(&[folder], n::delete_messages(0, &[mid]))?;
    expect_rv("RopDeleteMessages", &one.resp, 0)
}

fn set_comment(ctx: &mut Ctx, folder: u32, text: &str) -> CaseResult {
    let v = TaggedValue { tag: PR_COMMENT_W, value: PropValue::Unicode(text.to_string()) };
    let one = ctx.rop(&[folder], rops::set_props(0, vec![v]))?;
    expect_rv("RopSetProperties on the folder", &one.resp, 0)
}

fn is(x: &NotifyResponse, handle: u32, k: u16) -> bool {
    x.notification_handle == handle && x.data.kind() == k
}

fn m_bit(x: &NotifyResponse) -> bool {
    x.data.flags & FLAG_M != 0
}

// ----- subscription -------------------------------------------------------------------------

fn register_returns_handle(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let one = ctx.on_logon(n::register(
        0,
        1,
        types::NEW_MAIL | types::OBJECT_CREATED | types::OBJECT_DELETED,
        Watch::Folder(scratch),
    ))?;
    expect_rv("RopRegisterNotification", &one.resp, 0)?;
    ensure(one.out.is_some(), "a subscription handle in the output slot", "none")
}

fn register_header_only(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    watched(ctx, |_, w| {
        let reqs = encode_requests(&[n::register(0, 1, types::OBJECT_CREATED, Watch::Folder(scratch))]);
        let logon = w.m.logon;
        let out = crate::rops_oxcrops::execute_raw(
            &mut w.m.ems,
            &reqs,
            &[logon, UNUSED_HANDLE],
            DEFAULT_MAX_ROP_OUT,
        )?
        .buffer("Execute with RopRegisterNotification")?;
        eq("RopRegisterNotification response bytes", vec![0x29u8, 1, 0, 0, 0, 0], out.rops)?;
        ensure(
            out.handles.get(1).is_some_and(|h| *h != UNUSED_HANDLE),
            "the subscription handle in slot 1",
            format!("{:08X?}", out.handles),
        )
    })
}

fn register_each_type(ctx: &mut Ctx) -> CaseResult {
    let all = [
        types::NEW_MAIL,
        types::OBJECT_CREATED,
        types::OBJECT_DELETED,
        types::OBJECT_MODIFIED,
        types::OBJECT_MOVED,
        types::OBJECT_COPIED,
        types::SEARCH_COMPLETED,
    ];
    let logon = ctx.logon_handle()?;
    let reqs: Vec<RopRequest> =
        all.iter().enumerate().map(|(i, t)| n::register(0, i as u8 + 1, *t, Watch::Store)).collect();
    let mut handles = vec![logon];
    handles.extend(std::iter::repeat_n(UNUSED_HANDLE, all.len()));
    let e = ctx.rops(&reqs, handles)?;
    eq("responses", all.len(), e.responses.len())?;
    for (t, r) in all.iter().zip(&e.responses) {
        expect_rv(&format!("RopRegisterNotification NotificationTypes 0x{t:04X}"), r, 0)?;
    }
    let hs: std::collections::HashSet<u32> = e.handles[1..].iter().copied().collect();
    ensure(
        hs.len() == all.len() && !hs.contains(&UNUSED_HANDLE),
        "a distinct subscription handle for each",
        format!("{:08X?}", e.handles),
    )
}

fn register_message_scope(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-msgscope")?;
    let mid = new_message(ctx, folder, fid)?;
    let one = ctx.on_logon(n::register(0, 1, types::OBJECT_MODIFIED, Watch::Message(fid, mid)))?;
    expect_rv("RopRegisterNotification for one message", &one.resp, 0)?;
    ensure(one.out.is_some(), "a subscription handle in the output slot", "none")
}

// ----- object notifications -----------------------------------------------------------------

fn created_message(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-created")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_CREATED, Watch::Store)?;
        let mid = new_message(ctx, folder, fid)?;
        let x = w.wait("ObjectCreated for the new message", |x| {
            is(x, h, kind::OBJECT_CREATED) && x.data.message_id == Some(mid)
        })?;
        ensure(
            m_bit(&x),
            "NotificationFlags M (0x8000) set for a message",
            format!("0x{:04X}", x.data.flags),
        )?;
        eq("FolderId", Some(fid), x.data.folder_id)?;
        eq("ParentFolderId (absent for a message outside a search folder)", None, x.data.parent_folder_id)?;
        ensure(x.data.tags.is_some(), "TagCount present", "absent")
    })
}

fn names_handle(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-handle")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        let mid = new_message(ctx, folder, fid)?;
        let x = w.wait("ObjectCreated for the new message", |x| x.data.message_id == Some(mid))?;
        eq("NotificationHandle", format!("0x{h:08X}"), format!("0x{:08X}", x.notification_handle))?;
        eq("LogonId", 0, x.logon_id)
    })
}

fn echoes_logon_id(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-logonid")?;
    let dn = ctx.me.dn.clone();
    watched(ctx, |ctx, w| {
        let logon5 = RopRequest::Logon(oxmapi_wire::rop::oxcstor::LogonRequest {
            logon_id: 5,
            output_handle_index: 0,
            logon_flags: oxmapi_core::consts::logon_rop_flags::PRIVATE,
            open_flags: rops::PRIVATE_OPEN_FLAGS,
            store_state: 0,
            essdn: Some(dn),
        });
        let reg = n::register_on_logon(5, 0, 1, types::OBJECT_CREATED, Watch::Folder(fid));
        let e = w.exec(&[logon5, reg], vec![UNUSED_HANDLE, UNUSED_HANDLE])?;
        eq("responses", 2, e.responses.len())?;
        expect_rv("RopLogon with LogonId 5", &e.responses[0], 0)?;
        expect_rv("RopRegisterNotification on it", &e.responses[1], 0)?;
        let h = e.handles[1];
        let mid = new_message(ctx, folder, fid)?;
        let x = w.wait("ObjectCreated on the LogonId 5 subscription", |x| {
            x.notification_handle == h && x.data.message_id == Some(mid)
        })?;
        eq("LogonId of the RopNotify", 5, x.logon_id)
    })
}

fn created_folder(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-fcreated")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_CREATED, Watch::Store)?;
        let (sub, _) = sub_folder(ctx, folder, "child")?;
        let x = w.wait("ObjectCreated for the new folder", |x| {
            is(x, h, kind::OBJECT_CREATED) && x.data.folder_id == Some(sub)
        })?;
        ensure(!m_bit(&x), "NotificationFlags M clear for a folder", format!("0x{:04X}", x.data.flags))?;
        eq("ParentFolderId", Some(fid), x.data.parent_folder_id)?;
        ensure(x.data.tags.is_some(), "TagCount present", "absent")
    })
}

fn deleted_message(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-deleted")?;
    let mid = new_message(ctx, folder, fid)?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_DELETED, Watch::Store)?;
        delete_message(ctx, folder, mid)?;
        let x = w.wait("ObjectDeleted for the message", |x| {
            is(x, h, kind::OBJECT_DELETED) && x.data.message_id == Some(mid)
        })?;
        ensure(m_bit(&x), "NotificationFlags M set", format!("0x{:04X}", x.data.flags))?;
        eq("FolderId", Some(fid), x.data.folder_id)?;
        eq("TagCount (absent for ObjectDeleted)", None, x.data.tags.as_ref().map(|_| ()))
    })
}

fn deleted_folder(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-fdeleted")?;
    let (sub, _) = sub_folder(ctx, folder, "child")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_DELETED, Watch::Store)?;
        let one =
            ctx.rop(&[folder], rops::delete_folder(0, sub, rops::delete_folder_flags::DELETE_HARD_DELETE))?;
        expect_rv("RopDeleteFolder", &one.resp, 0)?;
        let x = w.wait("ObjectDeleted for the folder", |x| {
            is(x, h, kind::OBJECT_DELETED) && x.data.folder_id == Some(sub)
        })?;
        ensure(!m_bit(&x), "NotificationFlags M clear", format!("0x{:04X}", x.data.flags))?;
        eq("ParentFolderId", Some(fid), x.data.parent_folder_id)
    })
}

fn modified_message(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-modified")?;
    let mid = new_message(ctx, folder, fid)?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_MODIFIED, Watch::Store)?;
        modify_message(ctx, folder, fid, mid)?;
        let x = w.wait("ObjectModified for the message", |x| {
            is(x, h, kind::OBJECT_MODIFIED) && x.data.message_id == Some(mid)
        })?;
        ensure(m_bit(&x), "NotificationFlags M set", format!("0x{:04X}", x.data.flags))?;
        eq("FolderId", Some(fid), x.data.folder_id)?;
        ensure(x.data.tags.is_some(), "TagCount present", "absent")
    })
}

fn modified_folder(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-fmodified")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_MODIFIED, Watch::Store)?;
        set_comment(ctx, folder, "oxcnotif")?;
        let x = w.wait("ObjectModified for the folder", |x| {
            is(x, h, kind::OBJECT_MODIFIED) && x.data.folder_id == Some(fid) && !m_bit(x)
        })?;
        eq("MessageId (absent for a folder)", None, x.data.message_id)?;
        ensure(x.data.tags.is_some(), "TagCount present", "absent")
    })
}

/// A folder's FID and its open handle on the shared session.
type Open = (ObjectId, u32);

/// Two sibling folders F and G in the suite's folder, open on the shared session.
fn two_folders(ctx: &mut Ctx, name: &str) -> Result<(Open, Open), Verdict> {
    let (pf, parent) = ctx.new_folder(name)?;
    let _ = pf;
    Ok((sub_folder(ctx, parent, "F")?, sub_folder(ctx, parent, "G")?))
}

fn move_copy_message(ctx: &mut Ctx, copy: bool) -> CaseResult {
    let ((f, fh), (g, gh)) = two_folders(ctx, if copy { "oxcnotif-mcopy" } else { "oxcnotif-mmove" })?;
    let mid = new_message(ctx, fh, f)?;
    let (t, k) = if copy {
        (types::OBJECT_COPIED, kind::OBJECT_COPIED)
    } else {
        (types::OBJECT_MOVED, kind::OBJECT_MOVED)
    };
    watched(ctx, |ctx, w| {
        let h = w.register(t, Watch::Store)?;
        let e = ctx.rops(&[n::move_copy_messages(0, 1, &[mid], copy)], vec![fh, gh])?;
        let r = e.responses.first().ok_or_else(|| fail("a RopMoveCopyMessages response", "none"))?;
        expect_rv("RopMoveCopyMessages", r, 0)?;
        let x = w.wait(kind::name(k), |x| is(x, h, k) && x.data.old_message_id == Some(mid))?;
        ensure(m_bit(&x), "NotificationFlags M set", format!("0x{:04X}", x.data.flags))?;
        eq("FolderId (the destination)", Some(g), x.data.folder_id)?;
        eq("OldFolderId (the source)", Some(f), x.data.old_folder_id)?;
        ensure(x.data.message_id.is_some(), "MessageId present", "absent")
    })
}

fn moved_message(ctx: &mut Ctx) -> CaseResult {
    move_copy_message(ctx, false)
}

fn copied_message(ctx: &mut Ctx) -> CaseResult {
    move_copy_message(ctx, true)
}

fn move_copy_folder(ctx: &mut Ctx, copy: bool) -> CaseResult {
    let ((f, fh), (g, gh)) = two_folders(ctx, if copy { "oxcnotif-fcopy" } else { "oxcnotif-fmove" })?;
    let (sub, _) = sub_folder(ctx, fh, "child")?;
    let (t, k) = if copy {
        (types::OBJECT_COPIED, kind::OBJECT_COPIED)
    } else {
        (types::OBJECT_MOVED, kind::OBJECT_MOVED)
    };
    watched(ctx, |ctx, w| {
        let h = w.register(t, Watch::Store)?;
        let req = if copy {
            n::copy_folder(0, 1, sub, "child-copy")
        } else {
            n::move_folder(0, 1, sub, "child-moved")
        };
        let e = ctx.rops(&[req], vec![fh, gh])?;
        let r = e.responses.first().ok_or_else(|| fail("a response", "none"))?;
        expect_rv(r.rop_id().name(), r, 0)?;
        let x = w.wait(kind::name(k), |x| is(x, h, k) && !m_bit(x))?;
        eq("ParentFolderId (the destination)", Some(g), x.data.parent_folder_id)?;
        eq("OldParentFolderId (the source)", Some(f), x.data.old_parent_folder_id)?;
        eq("OldFolderId (the folder moved or copied)", Some(sub), x.data.old_folder_id)?;
        if !copy {
            eq("FolderId of the moved folder", Some(sub), x.data.folder_id)?;
        }
        Ok(())
    })
}

fn moved_folder(ctx: &mut Ctx) -> CaseResult {
    move_copy_folder(ctx, false)
}

fn copied_folder(ctx: &mut Ctx) -> CaseResult {
    move_copy_folder(ctx, true)
}

fn new_mail(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-newmail")?;
    let mid = new_message(ctx, folder, fid)?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::NEW_MAIL, Watch::Store)?;
        // MS-OXOMSG 2.2.5.5: InputHandleIndex names the Logon object.
        let one = ctx.on_logon(n::transport_new_mail(0, fid, mid, "IPM.Note", 0))?;
        expect_rv("RopTransportNewMail", &one.resp, 0)?;
        let x = w.wait("NewMail for the message", |x| {
            is(x, h, kind::NEW_MAIL) && x.data.message_id == Some(mid)
        })?;
        ensure(m_bit(&x), "NotificationFlags M set", format!("0x{:04X}", x.data.flags))?;
        eq("FolderId", Some(fid), x.data.folder_id)?;
        ensure(
            matches!(x.data.unicode_flag, Some(0) | Some(1)),
            "UnicodeFlag 0 or 1",
            format!("{:?}", x.data.unicode_flag),
        )?;
        eq("MessageClass", Some("IPM.Note"), x.data.message_class.as_deref())
    })
}

fn search_completed(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-search")?;
    new_message(ctx, folder, fid)?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::SEARCH_COMPLETED, Watch::Store)?;
        let one = ctx.rop(&[folder], n::create_search_folder(0, 1, "search"))?;
        let sf = body!(one.resp, CreateFolder)?.folder_id;
        let sh = one.out.ok_or_else(|| fail("a search folder handle", "none"))?;
        let one =
            ctx.rop(&[sh], n::set_search_criteria(0, Restriction::Exist { prop_tag: PR_SUBJECT_W }, &[fid]))?;
        expect_rv("RopSetSearchCriteria", &one.resp, 0)?;
        let x = w.wait("SearchCompleted for the search folder", |x| {
            is(x, h, kind::SEARCH_COMPLETED) && x.data.folder_id == Some(sf)
        })?;
        eq("MessageId (absent)", None, x.data.message_id)
    })
}

// ----- subscription scope -------------------------------------------------------------------

fn only_registered_types(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-types")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_DELETED, Watch::Store)?;
        let mid = new_message(ctx, folder, fid)?;
        delete_message(ctx, folder, mid)?;
        w.wait("ObjectDeleted", |x| is(x, h, kind::OBJECT_DELETED) && x.data.message_id == Some(mid))?;
        ensure(
            !w.any(|x| x.notification_handle == h && x.data.kind() != kind::OBJECT_DELETED),
            "only ObjectDeleted notifications on an ObjectDeleted subscription",
            w.summary(),
        )
    })
}

fn folder_scope(ctx: &mut Ctx) -> CaseResult {
    let ((f, fh), (g, gh)) = two_folders(ctx, "oxcnotif-fscope")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_CREATED, Watch::Folder(f))?;
        let other = new_message(ctx, gh, g)?;
        let mine = new_message(ctx, fh, f)?;
        w.wait("ObjectCreated in the watched folder", |x| {
            x.notification_handle == h && x.data.message_id == Some(mine)
        })?;
        ensure(
            !w.any(|x| x.notification_handle == h && x.data.message_id == Some(other)),
            "no notification for a message of another folder",
            w.summary(),
        )
    })
}

fn message_scope(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-mscope")?;
    let m1 = new_message(ctx, folder, fid)?;
    let m2 = new_message(ctx, folder, fid)?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_MODIFIED, Watch::Message(fid, m1))?;
        modify_message(ctx, folder, fid, m2)?;
        modify_message(ctx, folder, fid, m1)?;
        w.wait("ObjectModified for the watched message", |x| {
            x.notification_handle == h && x.data.message_id == Some(m1)
        })?;
        ensure(
            !w.any(|x| x.notification_handle == h && x.data.message_id == Some(m2)),
            "no notification for another message",
            w.summary(),
        )
    })
}

fn each_subscription(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-each")?;
    watched(ctx, |ctx, w| {
        let a = w.register(types::OBJECT_CREATED, Watch::Store)?;
        let b = w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        let mid = new_message(ctx, folder, fid)?;
        w.wait("ObjectCreated on the whole-store subscription", |x| {
            x.notification_handle == a && x.data.message_id == Some(mid)
        })?;
        w.wait("ObjectCreated on the folder subscription", |x| {
            x.notification_handle == b && x.data.message_id == Some(mid)
        })?;
        Ok(())
    })
}

fn release_stops(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-release")?;
    watched(ctx, |ctx, w| {
        let a = w.register(types::OBJECT_CREATED, Watch::Store)?;
        let b = w.register(types::OBJECT_CREATED, Watch::Store)?;
        w.exec(&[rops::release(0)], vec![a])?;
        let mid = new_message(ctx, folder, fid)?;
        w.wait("ObjectCreated on the subscription kept", |x| {
            x.notification_handle == b && x.data.message_id == Some(mid)
        })?;
        ensure(
            !w.any(|x| x.notification_handle == a && x.data.message_id == Some(mid)),
            "nothing on the released subscription",
            w.summary(),
        )
    })
}

fn same_session(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-same")?;
    let one = ctx.on_logon(n::register(0, 1, types::OBJECT_CREATED, Watch::Folder(fid)))?;
    expect_rv("RopRegisterNotification", &one.resp, 0)?;
    let h = one.out.ok_or_else(|| fail("a subscription handle", "none"))?;
    let (mid, mut notes) = new_message_with_notes(ctx, folder, fid, "same session")?;
    let logon = ctx.logon_handle()?;
    for _ in 0..POLLS {
        let found = notes.iter().any(|r| {
            matches!(r, RopResponse::Notify(x) if x.notification_handle == h && x.data.message_id == Some(mid))
        });
        if found {
            return Ok(());
        }
        std::thread::sleep(POLL_INTERVAL);
        notes = ctx.rops(&[rops::get_store_state(0)], vec![logon])?.notes;
    }
    Err(fail("a RopNotify in an Execute response of the subscribing session", "none within a second"))
}

fn notify_at_end(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-end")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        new_message(ctx, folder, fid)?;
        let reqs = encode_requests(&[rops::get_store_state(0), rops::get_store_state(0)]);
        let logon = w.m.logon;
        for _ in 0..POLLS {
            let out = crate::rops_oxcrops::execute_raw(&mut w.m.ems, &reqs, &[logon], DEFAULT_MAX_ROP_OUT)?
                .buffer("Execute")?;
            let (resps, rest) = crate::rops_oxcrops::decode_plain(&out.rops);
            ensure(rest.is_empty(), "a response list that decodes", format!("{rest:02X?} left"))?;
            if resps.iter().any(|r| matches!(r, RopResponse::Notify(x) if x.notification_handle == h)) {
                let order: Vec<&str> = resps.iter().map(|r| r.rop_id().name()).collect();
                let first_note =
                    resps.iter().position(|r| matches!(r, RopResponse::Notify(_) | RopResponse::Pending(_)));
                return ensure(
                    first_note == Some(2)
                        && resps[2..]
                            .iter()
                            .all(|r| matches!(r, RopResponse::Notify(_) | RopResponse::Pending(_))),
                    "both RopGetStoreState responses first, then only RopNotify/RopPending",
                    format!("{order:?}"),
                );
            }
            std::thread::sleep(POLL_INTERVAL);
        }
        Err(fail("a RopNotify appended to an Execute with requests", "none within a second"))
    })
}

// ----- table notifications ------------------------------------------------------------------

/// TableModified on `table` with one of `events`; TableChanged (0x0001) is always acceptable
/// (MS-OXCNOTIF 3.2.5.6: the server may fall back to the least informative notification).
fn table_note(
    w: &mut Watcher,
    table: u32,
    event: u16,
    pred: impl Fn(&NotifyResponse) -> bool,
) -> Result<NotifyResponse, Verdict> {
    w.wait(&format!("TableModified ({} or TableChanged) on the table", table_event::name(event)), |x| {
        is(x, table, kind::TABLE_MODIFIED)
            && (x.data.table_event_type == Some(table_event::TABLE_CHANGED)
                || (x.data.table_event_type == Some(event) && pred(x)))
    })
}

fn informative(x: &NotifyResponse) -> bool {
    x.data.table_event_type != Some(table_event::TABLE_CHANGED)
}

fn contents_row_added(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-tadd")?;
    new_message(ctx, folder, fid)?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, false, CONTENTS_COLUMNS)?;
        let mid = new_message(ctx, folder, fid)?;
        let x = table_note(w, t, table_event::TABLE_ROW_ADDED, |x| x.data.table_row_message_id == Some(mid))?;
        if informative(&x) {
            ensure(
                m_bit(&x),
                "NotificationFlags M set on a contents table",
                format!("0x{:04X}", x.data.flags),
            )?;
            eq("TableRowFolderID", Some(fid), x.data.table_row_folder_id)?;
            ensure(x.data.table_row_data.is_some(), "TableRowData present", "absent")?;
        }
        Ok(())
    })
}

fn cell_id(row: &oxmapi_wire::cdata::PropertyRow, i: usize) -> Option<ObjectId> {
    match row.values.get(i) {
        Some(RowValue::Value(PropValue::I64(v))) => Some(ObjectId::from_u64(*v as u64)),
        _ => None,
    }
}

fn contents_row_added_data(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-tdata")?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, false, CONTENTS_COLUMNS)?;
        let mid = new_message(ctx, folder, fid)?;
        let x = table_note(w, t, table_event::TABLE_ROW_ADDED, |x| x.data.table_row_message_id == Some(mid))?;
        if !informative(&x) {
            return skip(
                "the server sent TableChanged, which carries no row (MS-OXCNOTIF 3.2.5.6 allows it)",
            );
        }
        let row = x
            .data
            .table_row(CONTENTS_COLUMNS)
            .map_err(|e| fail("TableRowData: a PropertyRow in the table's columns", e.to_string()))?
            .ok_or_else(|| fail("TableRowData", "absent"))?;
        eq("PidTagFolderId cell of TableRowData", Some(fid), cell_id(&row, 0))?;
        eq("PidTagMid cell of TableRowData", Some(mid), cell_id(&row, 2))
    })
}

fn contents_row_deleted(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-tdel")?;
    let mid = new_message(ctx, folder, fid)?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, false, CONTENTS_COLUMNS)?;
        delete_message(ctx, folder, mid)?;
        let x =
            table_note(w, t, table_event::TABLE_ROW_DELETED, |x| x.data.table_row_message_id == Some(mid))?;
        if informative(&x) {
            eq("TableRowFolderID", Some(fid), x.data.table_row_folder_id)?;
            eq(
                "TableRowData (absent for TableRowDeleted)",
                None,
                x.data.table_row_data.as_ref().map(|_| ()),
            )?;
        }
        Ok(())
    })
}

fn contents_row_modified(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-tmod")?;
    let mid = new_message(ctx, folder, fid)?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, false, CONTENTS_COLUMNS)?;
        modify_message(ctx, folder, fid, mid)?;
        let x =
            table_note(w, t, table_event::TABLE_ROW_MODIFIED, |x| x.data.table_row_message_id == Some(mid))?;
        if informative(&x) {
            eq("TableRowFolderID", Some(fid), x.data.table_row_folder_id)?;
            ensure(x.data.table_row_data.is_some(), "TableRowData present", "absent")?;
        }
        Ok(())
    })
}

fn hierarchy_row_added(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-hadd")?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, true, HIERARCHY_COLUMNS)?;
        let (sub, _) = sub_folder(ctx, folder, "child")?;
        let x = table_note(w, t, table_event::TABLE_ROW_ADDED, |x| x.data.table_row_folder_id == Some(sub))?;
        if informative(&x) {
            ensure(
                !m_bit(&x),
                "NotificationFlags M clear on a hierarchy table",
                format!("0x{:04X}", x.data.flags),
            )?;
            eq("TableRowMessageID (absent)", None, x.data.table_row_message_id)?;
        }
        Ok(())
    })
}

fn hierarchy_row_deleted(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-hdel")?;
    let (sub, _) = sub_folder(ctx, folder, "child")?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, true, HIERARCHY_COLUMNS)?;
        let one =
            ctx.rop(&[folder], rops::delete_folder(0, sub, rops::delete_folder_flags::DELETE_HARD_DELETE))?;
        expect_rv("RopDeleteFolder", &one.resp, 0)?;
        let x =
            table_note(w, t, table_event::TABLE_ROW_DELETED, |x| x.data.table_row_folder_id == Some(sub))?;
        if informative(&x) {
            ensure(
                !m_bit(&x),
                "NotificationFlags M clear on a hierarchy table",
                format!("0x{:04X}", x.data.flags),
            )?;
        }
        Ok(())
    })
}

fn hierarchy_row_modified(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-hmod")?;
    let (sub, sh) = sub_folder(ctx, folder, "child")?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, true, HIERARCHY_COLUMNS)?;
        let v = TaggedValue { tag: PR_DISPLAY_NAME_W, value: PropValue::Unicode("child-renamed".into()) };
        let one = ctx.rop(&[sh], rops::set_props(0, vec![v]))?;
        expect_rv("RopSetProperties (PidTagDisplayName)", &one.resp, 0)?;
        let x =
            table_note(w, t, table_event::TABLE_ROW_MODIFIED, |x| x.data.table_row_folder_id == Some(sub))?;
        if informative(&x) {
            ensure(x.data.table_row_data.is_some(), "TableRowData present", "absent")?;
        }
        Ok(())
    })
}

fn reset_table_stops(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-reset")?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, false, CONTENTS_COLUMNS)?;
        // A second table with columns but no view: tells whether this server requires a table
        // view before it sends table notifications (MS-OXCNOTIF 3.2.5.6: SHOULD).
        let probe = w.table_without_view(fid, CONTENTS_COLUMNS)?;
        let control = w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        let (r, _) = w.one(&[t], n::reset_table(0))?;
        expect_rv("RopResetTable", &r, 0)?;
        let first = new_message(ctx, folder, fid)?;
        w.wait("ObjectCreated on the control subscription", |x| {
            x.notification_handle == control && x.data.message_id == Some(first)
        })?;
        if w.any(|x| is(x, probe, kind::TABLE_MODIFIED)) {
            return skip(
                "the server sends table notifications without a table view (MS-OXCNOTIF 3.2.5.6 \
                 makes requiring one a SHOULD), so RopResetTable need not stop them",
            );
        }
        ensure(
            !w.any(|x| is(x, t, kind::TABLE_MODIFIED)),
            "no TableModified on a table reset by RopResetTable before a new view",
            w.summary(),
        )?;
        let e = w.exec(&[rops::set_columns(0, CONTENTS_COLUMNS), rops::query_rows(0, 50, true)], vec![t])?;
        e.responses.iter().try_for_each(|r| expect_rv(r.rop_id().name(), r, 0))?;
        new_message(ctx, folder, fid)?;
        w.wait("TableModified after a new table view", |x| is(x, t, kind::TABLE_MODIFIED)).map(|_| ())
    })
}

fn no_notifications_flag(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-nonotif")?;
    watched(ctx, |ctx, w| {
        // TableFlags NoNotifications 0x10 (MS-OXCFOLD 2.2.1.14.1).
        let reqs = [
            rops::open_folder(0, 1, fid),
            rops::contents_table(1, 2, 0x10),
            rops::set_columns(2, CONTENTS_COLUMNS),
            rops::query_rows(2, 50, true),
        ];
        let logon = w.m.logon;
        let e = w.exec(&reqs, vec![logon, UNUSED_HANDLE, UNUSED_HANDLE])?;
        eq("responses", 4, e.responses.len())?;
        e.responses.iter().try_for_each(|r| expect_rv(r.rop_id().name(), r, 0))?;
        let t = e.handles[2];
        let control = w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        let mid = new_message(ctx, folder, fid)?;
        w.wait("ObjectCreated on the control subscription", |x| {
            x.notification_handle == control && x.data.message_id == Some(mid)
        })?;
        ensure(!w.any(|x| x.notification_handle == t), "nothing for a NoNotifications table", w.summary())
    })
}

fn released_table(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-trel")?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, false, CONTENTS_COLUMNS)?;
        let control = w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        w.exec(&[rops::release(0)], vec![t])?;
        let mid = new_message(ctx, folder, fid)?;
        w.wait("ObjectCreated on the control subscription", |x| {
            x.notification_handle == control && x.data.message_id == Some(mid)
        })?;
        ensure(!w.any(|x| x.notification_handle == t), "nothing for the released table", w.summary())
    })
}

// ----- RopPending and NotificationWait ------------------------------------------------------

/// Messages created to fill a small output buffer with notifications.
const FLOOD: usize = 40;
/// `MaxRopOut` of the watcher's Execute that cannot take all of them.
const SMALL_ROP_OUT: u32 = 0x200;

/// Subscribes the watcher and makes [`FLOOD`] messages in a new folder; returns their MIDs
/// and the subscription handle.
fn flood(ctx: &mut Ctx, w: &mut Watcher, name: &str) -> Result<(Vec<ObjectId>, u32), Verdict> {
    let (fid, folder) = ctx.new_folder(name)?;
    let h = w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
    let mut mids = Vec::new();
    for chunk in 0..FLOOD / 10 {
        let mut reqs = Vec::new();
        for i in 0..10u8 {
            let slot = i + 1;
            reqs.push(rops::create_message(0, slot, fid, false));
            reqs.push(rops::set_props(slot, vec![subject(&format!("flood {chunk}-{i}"))]));
            reqs.push(rops::save_message(slot, slot, 0));
        }
        let mut handles = vec![folder];
        handles.extend(std::iter::repeat_n(UNUSED_HANDLE, 10));
        let e = ctx.rops(&reqs, handles)?;
        for r in e.responses.iter().filter(|r| matches!(r, RopResponse::SaveChangesMessage(_))) {
            mids.push(body!(r, SaveChangesMessage)?.message_id);
        }
        // The shared session's own handles: release the messages now.
        let rel: Vec<RopRequest> = (1..=10u8).map(rops::release).collect();
        ctx.rops(&rel, e.handles.clone())?;
    }
    eq("messages created", FLOOD, mids.len())?;
    Ok((mids, h))
}

fn pending_when_full(ctx: &mut Ctx) -> CaseResult {
    watched(ctx, |ctx, w| {
        let (_, _) = flood(ctx, w, "oxcnotif-pending")?;
        let logon = w.m.logon;
        let e = w.m.ems.execute_limited(&[], vec![logon], SMALL_ROP_OUT)?;
        ensure(e.error_code == 0, "Execute ErrorCode 0", code(e.error_code))?;
        let names: Vec<&str> = e.notes.iter().map(|r| r.rop_id().name()).collect();
        ensure(
            e.notes.len() >= 2
                && matches!(e.notes.last(), Some(RopResponse::Pending(_)))
                && e.notes[..e.notes.len() - 1].iter().all(|r| matches!(r, RopResponse::Notify(_))),
            format!("RopNotify responses, then RopPending last, in a {SMALL_ROP_OUT}-byte buffer"),
            format!("{names:?}"),
        )
    })
}

fn pending_drained(ctx: &mut Ctx) -> CaseResult {
    watched(ctx, |ctx, w| {
        let (mids, h) = flood(ctx, w, "oxcnotif-drain")?;
        let logon = w.m.logon;
        let mut pending = true;
        for _ in 0..4 * FLOOD {
            let e = w.m.ems.execute_limited(&[], vec![logon], SMALL_ROP_OUT)?;
            ensure(e.error_code == 0, "Execute ErrorCode 0", code(e.error_code))?;
            w.absorb(&e.notes);
            pending = e.notes.iter().any(|r| matches!(r, RopResponse::Pending(_)));
            let got = mids
                .iter()
                .filter(|m| w.any(|x| x.notification_handle == h && x.data.message_id == Some(**m)))
                .count();
            if got == mids.len() && !pending {
                return Ok(());
            }
            if !pending {
                std::thread::sleep(POLL_INTERVAL);
            }
        }
        let got = mids
            .iter()
            .filter(|m| w.any(|x| x.notification_handle == h && x.data.message_id == Some(**m)))
            .count();
        Err(fail(
            format!("all {FLOOD} ObjectCreated notifications and a last Execute without RopPending"),
            format!("{got} received, RopPending still sent: {pending}"),
        ))
    })
}

/// Posts NotificationWait on the watcher's context.
fn notification_wait(w: &mut Watcher) -> Result<NotificationWaitSuccess, Verdict> {
    let body = NotificationWaitRequest::default().encode();
    let (reply, resp) = w.m.ems.ctx.call::<NotificationWaitSuccess>("NotificationWait", &body)?;
    match resp {
        Some(Response::Success(s)) => Ok(s),
        Some(Response::Failure(f)) => Err(fail(
            "a NotificationWait success body",
            format!("failure, StatusCode {}", code(f.status_code)),
        )),
        None => Err(fail("NotificationWait X-ResponseCode 0", reply.summary())),
    }
}

fn wait_event_pending(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-wait")?;
    watched(ctx, |ctx, w| {
        w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        new_message(ctx, folder, fid)?;
        let s = notification_wait(w)?;
        eq("NotificationWait ErrorCode", 0, s.error_code)?;
        eq("NotificationWait EventPending", 1, s.event_pending & 1)
    })
}

fn wait_then_execute(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-wait2")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        let mid = new_message(ctx, folder, fid)?;
        let s = notification_wait(w)?;
        eq("NotificationWait EventPending", 1, s.event_pending & 1)?;
        w.poll()?;
        ensure(
            w.any(|x| x.notification_handle == h && x.data.message_id == Some(mid)),
            "the ObjectCreated RopNotify in the next Execute",
            w.summary(),
        )
    })
}

fn flags_consistent(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-flags")?;
    watched(ctx, |ctx, w| {
        let all = types::OBJECT_CREATED | types::OBJECT_DELETED | types::OBJECT_MODIFIED;
        let h = w.register(all, Watch::Store)?;
        let mid = new_message(ctx, folder, fid)?;
        modify_message(ctx, folder, fid, mid)?;
        set_comment(ctx, folder, "flags")?;
        delete_message(ctx, folder, mid)?;
        w.wait("ObjectDeleted, the last event", |x| {
            is(x, h, kind::OBJECT_DELETED) && x.data.message_id == Some(mid)
        })?;
        for x in w.notes.iter().filter(|x| x.notification_handle == h) {
            let f = x.data.flags;
            if f & (FLAG_T | FLAG_U) != 0 {
                eq("NotificationType when T or U is set", kind::OBJECT_MODIFIED, x.data.kind())?;
            }
            if f & FLAG_S != 0 {
                ensure(f & FLAG_M != 0, "M set whenever S is set", format!("0x{f:04X}"))?;
            }
        }
        Ok(())
    })
}
