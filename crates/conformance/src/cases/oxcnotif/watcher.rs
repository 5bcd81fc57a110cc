//! The watcher session of the MS-OXCNOTIF cases (a second session that subscribes and collects
//! RopNotify/RopPending) and the changes the shared session makes for it to see.

use super::*;

// ----- the watcher session ------------------------------------------------------------------

/// A second session that subscribes and collects the RopNotify/RopPending it receives.
pub(super) struct Watcher {
    pub(super) m: Main,
    pub(super) notes: Vec<NotifyResponse>,
    pub(super) pendings: usize,
}

/// Runs `f` with a new watcher session, disconnected afterwards.
pub(super) fn watched(ctx: &mut Ctx, f: impl FnOnce(&mut Ctx, &mut Watcher) -> CaseResult) -> CaseResult {
    let mut w = Watcher { m: ctx.logged_on()?, notes: Vec::new(), pendings: 0 };
    let r = f(ctx, &mut w);
    let _ = w.m.ems.disconnect();
    r
}

impl Watcher {
    pub(super) fn exec(&mut self, reqs: &[RopRequest], handles: Vec<u32>) -> Result<Exec, Verdict> {
        let e = self.m.ems.execute(reqs, handles)?;
        if e.error_code != 0 {
            return Err(fail("Execute ErrorCode 0", code(e.error_code)));
        }
        self.absorb(&e.notes);
        Ok(e)
    }

    pub(super) fn absorb(&mut self, notes: &[RopResponse]) {
        for x in notes {
            match x {
                RopResponse::Notify(n) => self.notes.push(n.clone()),
                RopResponse::Pending(_) => self.pendings += 1,
                _ => {}
            }
        }
    }

    /// One request whose inputs are `inputs`, output slot after them.
    pub(super) fn one(
        &mut self,
        inputs: &[u32],
        req: RopRequest,
    ) -> Result<(RopResponse, Option<u32>), Verdict> {
        let mut handles = inputs.to_vec();
        handles.push(UNUSED_HANDLE);
        let e = self.exec(std::slice::from_ref(&req), handles)?;
        let r = e.responses.first().cloned().ok_or_else(|| fail("a response", "none"))?;
        Ok((r, e.handles.get(inputs.len()).copied().filter(|h| *h != UNUSED_HANDLE)))
    }

    pub(super) fn register(&mut self, types: u16, watch: Watch) -> Result<u32, Verdict> {
        let logon = self.m.logon;
        let (r, out) = self.one(&[logon], n::register(0, 1, types, watch))?;
        expect_rv("RopRegisterNotification", &r, 0)?;
        out.ok_or_else(|| fail("a subscription handle", "none"))
    }

    /// Opens folder `fid`, its contents (or hierarchy) table with `columns`, and reads the rows
    /// (RopQueryRows makes the table view, MS-OXCNOTIF_R252); returns the table handle.
    pub(super) fn table(
        &mut self,
        fid: ObjectId,
        hierarchy: bool,
        columns: &[PropTag],
    ) -> Result<u32, Verdict> {
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
    pub(super) fn table_without_view(&mut self, fid: ObjectId, columns: &[PropTag]) -> Result<u32, Verdict> {
        let reqs =
            [rops::open_folder(0, 1, fid), rops::contents_table(1, 2, 0), rops::set_columns(2, columns)];
        let e = self.exec(&reqs, vec![self.m.logon, UNUSED_HANDLE, UNUSED_HANDLE])?;
        eq("responses opening the probe table", 3, e.responses.len())?;
        e.responses.iter().try_for_each(|r| expect_rv(r.rop_id().name(), r, 0))?;
        Ok(e.handles[2])
    }

    /// Sends an empty ROP list (what a client sends to collect notifications).
    pub(super) fn poll(&mut self) -> Result<(), Verdict> {
        let logon = self.m.logon;
        self.exec(&[], vec![logon]).map(|_| ())
    }

    /// The first notification matching `pred`, polling up to about a second.
    pub(super) fn wait(
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
    pub(super) fn any(&self, pred: impl Fn(&NotifyResponse) -> bool) -> bool {
        self.notes.iter().any(pred)
    }

    pub(super) fn summary(&self) -> String {
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

pub(super) fn subject(s: &str) -> TaggedValue {
    TaggedValue { tag: PR_SUBJECT_W, value: PropValue::Unicode(s.to_string()) }
}

/// Creates and saves a message in folder `fid` (open as `folder`); returns its MID and the
/// notifications that came with the answer.
pub(super) fn new_message_with_notes(
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

pub(super) fn new_message(ctx: &mut Ctx, folder: u32, fid: ObjectId) -> Result<ObjectId, Verdict> {
    Ok(new_message_with_notes(ctx, folder, fid, "oxcnotif")?.0)
}

/// A subfolder `name` of the folder open as `parent`; returns its FID and handle.
pub(super) fn sub_folder(ctx: &mut Ctx, parent: u32, name: &str) -> Result<(ObjectId, u32), Verdict> {
    let one = ctx.rop(&[parent], rops::create_folder(0, 1, name, false))?;
    let fid = body!(one.resp, CreateFolder)?.folder_id;
    Ok((fid, one.out.ok_or_else(|| fail("a folder handle", "none"))?))
}

pub(super) fn modify_message(ctx: &mut Ctx, folder: u32, fid: ObjectId, mid: ObjectId) -> CaseResult {
    let reqs = [
        rops::open_message(0, 1, fid, mid, 0x01),
        rops::set_props(1, vec![subject("oxcnotif modified")]),
        rops::save_message(1, 1, rops::save_flags::KEEP_OPEN_READ_WRITE),
    ];
    let e = ctx.rops(&reqs, vec![folder, UNUSED_HANDLE])?;
    eq("responses modifying a message", 3, e.responses.len())?;
    e.responses.iter().try_for_each(|r| expect_rv(r.rop_id().name(), r, 0))
}

pub(super) fn delete_message(ctx: &mut Ctx, folder: u32, mid: ObjectId) -> CaseResult {
    let one = ctx.rop(&[folder], n::delete_messages(0, &[mid]))?;
    expect_rv("RopDeleteMessages", &one.resp, 0)
}

pub(super) fn set_comment(ctx: &mut Ctx, folder: u32, text: &str) -> CaseResult {
    let v = TaggedValue { tag: PR_COMMENT_W, value: PropValue::Unicode(text.to_string()) };
    let one = ctx.rop(&[folder], rops::set_props(0, vec![v]))?;
    expect_rv("RopSetProperties on the folder", &one.resp, 0)
}

pub(super) fn is(x: &NotifyResponse, handle: u32, k: u16) -> bool {
    x.notification_handle == handle && x.data.kind() == k
}

pub(super) fn m_bit(x: &NotifyResponse) -> bool {
    x.data.flags & FLAG_M != 0
}
