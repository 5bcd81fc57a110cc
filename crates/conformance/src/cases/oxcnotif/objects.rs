//! MS-OXCNOTIF cases on subscriptions (2.2.1.2) and the RopNotify of object events (2.2.1.4.1).

use super::*;

// ----- subscription -------------------------------------------------------------------------

pub(super) fn register_returns_handle(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn register_header_only(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn register_each_type(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn register_message_scope(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-msgscope")?;
    let mid = new_message(ctx, folder, fid)?;
    let one = ctx.on_logon(n::register(0, 1, types::OBJECT_MODIFIED, Watch::Message(fid, mid)))?;
    expect_rv("RopRegisterNotification for one message", &one.resp, 0)?;
    ensure(one.out.is_some(), "a subscription handle in the output slot", "none")
}

// ----- object notifications -----------------------------------------------------------------

pub(super) fn created_message(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn names_handle(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcnotif-handle")?;
    watched(ctx, |ctx, w| {
        let h = w.register(types::OBJECT_CREATED, Watch::Folder(fid))?;
        let mid = new_message(ctx, folder, fid)?;
        let x = w.wait("ObjectCreated for the new message", |x| x.data.message_id == Some(mid))?;
        eq("NotificationHandle", format!("0x{h:08X}"), format!("0x{:08X}", x.notification_handle))?;
        eq("LogonId", 0, x.logon_id)
    })
}

pub(super) fn echoes_logon_id(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn created_folder(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn deleted_message(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn deleted_folder(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn modified_message(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn modified_folder(ctx: &mut Ctx) -> CaseResult {
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
pub(super) type Open = (ObjectId, u32);

/// Two sibling folders F and G in the suite's folder, open on the shared session.
pub(super) fn two_folders(ctx: &mut Ctx, name: &str) -> Result<(Open, Open), Verdict> {
    let (pf, parent) = ctx.new_folder(name)?;
    let _ = pf;
    Ok((sub_folder(ctx, parent, "F")?, sub_folder(ctx, parent, "G")?))
}

pub(super) fn move_copy_message(ctx: &mut Ctx, copy: bool) -> CaseResult {
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

pub(super) fn moved_message(ctx: &mut Ctx) -> CaseResult {
    move_copy_message(ctx, false)
}

pub(super) fn copied_message(ctx: &mut Ctx) -> CaseResult {
    move_copy_message(ctx, true)
}

pub(super) fn move_copy_folder(ctx: &mut Ctx, copy: bool) -> CaseResult {
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

pub(super) fn moved_folder(ctx: &mut Ctx) -> CaseResult {
    move_copy_folder(ctx, false)
}

pub(super) fn copied_folder(ctx: &mut Ctx) -> CaseResult {
    move_copy_folder(ctx, true)
}

pub(super) fn new_mail(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn search_completed(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn only_registered_types(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn folder_scope(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn message_scope(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn each_subscription(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn release_stops(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn same_session(ctx: &mut Ctx) -> CaseResult {
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

pub(super) fn notify_at_end(ctx: &mut Ctx) -> CaseResult {
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
