//! MS-OXCNOTIF cases on table notifications (3.2.5.6), RopPending (2.2.1.4.2) and MAPI/HTTP
//! NotificationWait (MS-OXCMAPIHTTP 2.2.4.4).

use super::*;

// ----- table notifications ------------------------------------------------------------------

/// TableModified on `table` with one of `events`; TableChanged (0x0001) is always acceptable
/// (MS-OXCNOTIF 3.2.5.6: the server may fall back to the least informative notification).
pub(super) fn table_note(
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

pub(super) fn informative(x: &NotifyResponse) -> bool {
    x.data.table_event_type != Some(table_event::TABLE_CHANGED)
}

pub(super) fn contents_row_added(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-tadd")?;
    let existing = new_message(ctx, folder, fid)?;
    watched(ctx, |ctx, w| {
        let t = w.table(fid, false, CONTENTS_COLUMNS)?;
        let mid = new_message(ctx, folder, fid)?;
        let x = table_note(w, t, table_event::TABLE_ROW_ADDED, |x| x.data.table_row_message_id == Some(mid))?;
        if informative(&x) {
            // The new row goes after the one row the table had, or first (MID 0).
            let after = x.data.insert_after_table_row_id;
            ensure(
                after == Some(existing) || after == Some(ObjectId::ZERO),
                format!("InsertAfterTableRowID {existing:?} (the row already there) or 0"),
                format!("{after:?}"),
            )?;
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

pub(super) fn cell_id(row: &oxmapi_wire::cdata::PropertyRow, i: usize) -> Option<ObjectId> {
    match row.values.get(i) {
        Some(RowValue::Value(PropValue::I64(v))) => Some(ObjectId::from_u64(*v as u64)),
        _ => None,
    }
}

pub(super) fn contents_row_added_data(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn contents_row_deleted(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn contents_row_modified(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn hierarchy_row_added(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn hierarchy_row_deleted(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn hierarchy_row_modified(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn reset_table_stops(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn no_notifications_flag(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn released_table(ctx: &mut Ctx) -> CaseResult {
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
pub(super) const FLOOD: usize = 40;
/// `MaxRopOut` of the watcher's Execute that cannot take all of them.
pub(super) const SMALL_ROP_OUT: u32 = 0x200;

/// Subscribes the watcher and makes [`FLOOD`] messages in a new folder; returns their MIDs
/// and the subscription handle.
pub(super) fn flood(ctx: &mut Ctx, w: &mut Watcher, name: &str) -> Result<(Vec<ObjectId>, u32), Verdict> {
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

pub(super) fn pending_when_full(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn pending_drained(ctx: &mut Ctx) -> CaseResult {
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
pub(super) fn notification_wait(w: &mut Watcher) -> Result<NotificationWaitSuccess, Verdict> {
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

pub(super) fn wait_event_pending(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-wait")?;
    watched(ctx, |ctx, w| {
        w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        new_message(ctx, folder, fid)?;
        let s = notification_wait(w)?;
        eq("NotificationWait ErrorCode", 0, s.error_code)?;
        eq("NotificationWait EventPending", 1, s.event_pending & 1)
    })
}

pub(super) fn wait_then_execute(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn flags_consistent(ctx: &mut Ctx) -> CaseResult {
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
