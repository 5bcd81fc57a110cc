//! Copying properties and sub-objects between open messages or between open attachments
//! (MS-OXCPRPT 2.2.10 / 3.2.5.7 RopCopyProperties, 2.2.11 / 3.2.5.8 RopCopyTo). The copy only
//! changes the destination draft; its save makes it durable (MS-OXCPRPT 3.2.5.7: "the changes
//! … MUST NOT be persisted until the RopSaveChangesMessage ROP").
//!
//! Large values are never read: a saved value's blob is shared (permanent blobs are never
//! written again, see `blobs`), a pending blob of another message tree is copied inside SQLite
//! into the destination's workspace, and a pending blob of the same tree is shared (a stream that
//! later writes it copies it first).

use crate::db::{Conn, OptionalExt};
use oxmapi_core::catalogue::tags::{PR_ATTACH_DATA_BIN, PR_MESSAGE_ATTACHMENTS, PR_MESSAGE_RECIPIENTS};
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;
use oxmapi_wire::cdata::PropertyProblem;

use super::blobs;
use super::draft::{
    AttachmentDraft, BlobRef, DraftValue, Embedded, MessageDraft, Object, ObjectMut, PropSet,
};
use super::props::{problem, refusal, touch};
use crate::error::{StoreError, StoreResult};
use crate::mailbox::MessageStore;
use crate::mailbox::commit::Durability;
use crate::mailbox::ids::allocate;

/// What a copy wrote into the destination, so that a Move (CopyFlags 0x01) can take the same
/// things away from the source ([`MessageStore::remove_copied`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CopyOutcome {
    /// The PropertyProblems: `Index` is the position of the property in the request's tag list
    /// (RopCopyProperties) or in the source's property list (RopCopyTo).
    pub problems: Vec<PropertyProblem>,
    /// The properties written to the destination.
    pub copied: Vec<PropTag>,
    /// The recipients were copied (message to message).
    pub recipients: bool,
    /// The attachments were copied (message to message).
    pub attachments: bool,
    /// The embedded message was copied (attachment to attachment).
    pub embedded: bool,
}

/// Which sub-objects RopCopyTo copies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SubObjects {
    /// `WantSubObjects` was nonzero.
    pub wanted: bool,
    /// CopyFlags NoOverwrite: keep the destination's recipients / embedded message when it has
    /// some.
    pub no_overwrite: bool,
}

fn same_kind(src: &Object<'_>, dst: &ObjectMut<'_>) -> bool {
    matches!(
        (src, dst),
        (Object::Message(_), ObjectMut::Message(_)) | (Object::Attachment(_), ObjectMut::Attachment(_))
    )
}

fn reborrow<'s>(o: &'s mut ObjectMut<'_>) -> ObjectMut<'s> {
    match o {
        ObjectMut::Message(m) => ObjectMut::Message(m),
        ObjectMut::Attachment(a) => ObjectMut::Attachment(a),
    }
}

/// A blob reference usable from `workspace` (see the module comment).
fn adopt_blob(conn: &Conn, b: BlobRef, workspace: i64) -> StoreResult<BlobRef> {
    let row: Option<(bool, Option<i64>)> = conn
        .query_row("SELECT pending, workspace FROM blobs WHERE blob_id = ?1", [b.id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match row {
        None => Err(StoreError::ObjectChanged(format!(
            "large value {} no longer exists (the source was changed or deleted meanwhile); reopen it",
            b.id
        ))),
        Some((true, owner)) if owner != Some(workspace) => {
            Ok(BlobRef { id: blobs::copy(conn, b.id, workspace, u64::MAX)?, ..b })
        }
        Some(_) => Ok(b),
    }
}

fn adopt_props(conn: &Conn, props: &mut PropSet, workspace: i64) -> StoreResult<()> {
    for v in props.0.values_mut() {
        if let DraftValue::Blob(b) = v {
            *b = adopt_blob(conn, *b, workspace)?;
        }
    }
    Ok(())
}

/// Makes a copied embedded message a new message of `workspace` (a new MID, never saved).
fn adopt_message(conn: &Conn, m: &mut MessageDraft, workspace: i64) -> StoreResult<()> {
    m.workspace = workspace;
    m.mid = Some(allocate(conn, 1)?);
    m.base_cn = None;
    m.dirty = true;
    adopt_props(conn, &mut m.props, workspace)?;
    for a in m.attachments.values_mut() {
        adopt_attachment(conn, a, workspace)?;
    }
    Ok(())
}

fn adopt_embedded(conn: &Conn, e: &mut Embedded, workspace: i64) -> StoreResult<()> {
    if let Embedded::Draft(m) = e {
        adopt_message(conn, m, workspace)?;
    }
    Ok(())
}

fn adopt_attachment(conn: &Conn, a: &mut AttachmentDraft, workspace: i64) -> StoreResult<()> {
    a.workspace = workspace;
    a.dirty = true;
    adopt_props(conn, &mut a.props, workspace)?;
    adopt_embedded(conn, &mut a.embedded, workspace)
}

impl MessageStore {
    /// RopCopyProperties (MS-OXCPRPT 3.2.5.7): copies the properties `tags` (matched by property
    /// id) of `src` into `dst`, both messages or both attachments (else NotSupported). A
    /// property the source does not have is a NotFound problem; one the destination computes a
    /// Computed problem (the other refusals are those of [`MessageStore::set_properties`]); with
    /// `no_overwrite` a property the destination already has is left alone.
    pub fn copy_properties<'a, 'b>(
        &self,
        src: impl Into<Object<'a>>,
        dst: impl Into<ObjectMut<'b>>,
        tags: &[PropTag],
        no_overwrite: bool,
    ) -> StoreResult<CopyOutcome> {
        let (src, mut dst) = (src.into(), dst.into());
        if !same_kind(&src, &dst) {
            return Err(StoreError::NotSupported(
                "properties are copied between two messages or two attachments".into(),
            ));
        }
        let computed = self.object_computed(src)?;
        let workspace = dst.as_ref().workspace();
        let mut out = CopyOutcome::default();
        // Small values go through set_properties (PR_MESSAGE_FLAGS and subject rules); `at`
        // maps their position back to the request's.
        let (mut small, mut at) = (Vec::new(), Vec::new());
        self.write(Durability::Normal, |tx| {
            for (i, tag) in tags.iter().enumerate() {
                let value = match src.props().get(tag.id()) {
                    Some(v) => v.clone(),
                    None => match computed.iter().find(|(t, _)| t.id() == tag.id()) {
                        Some((_, v)) => DraftValue::Inline(v.clone()),
                        None => {
                            out.problems.push(problem(i, *tag, codes::MAPI_E_NOT_FOUND));
                            continue;
                        }
                    },
                };
                if no_overwrite && dst.as_ref().props().get(tag.id()).is_some() {
                    continue;
                }
                match value {
                    DraftValue::Inline(v) => {
                        small.push(TaggedValue::new(PropTag::new(tag.id(), v.prop_type()), v));
                        at.push(i);
                    }
                    DraftValue::Blob(b) => {
                        let tag = PropTag::new(tag.id(), b.ty);
                        if let Some(e) = refusal(&dst, tag, None) {
                            out.problems.push(problem(i, tag, e));
                            continue;
                        }
                        let b = adopt_blob(tx, b, workspace)?;
                        dst.props_mut().put(tag.id(), DraftValue::Blob(b));
                        out.copied.push(tag);
                    }
                }
            }
            Ok(())
        })?;
        let refused = self.set_properties(reborrow(&mut dst), &small)?;
        for (j, v) in small.iter().enumerate() {
            match refused.iter().find(|p| p.index as usize == j) {
                Some(p) => out.problems.push(problem(at[j], p.tag, p.error)),
                None => out.copied.push(v.tag),
            }
        }
        out.problems.sort_by_key(|p| p.index);
        touch(&mut dst);
        Ok(out)
    }

    /// RopCopyTo (MS-OXCPRPT 3.2.5.8) between two messages or two attachments: every stored
    /// property of `src` whose id is not in `excluded` (those the destination computes, such as
    /// PR_DISPLAY_TO, are left out silently), as [`MessageStore::copy_properties`] copies them; with `sub.wanted` also the
    /// sub-objects. A message's recipients replace the destination's (kept when NoOverwrite
    /// and it has some; excluded by PR_MESSAGE_RECIPIENTS) and its attachments are added to the
    /// destination's under new attachment numbers (excluded by PR_MESSAGE_ATTACHMENTS); an
    /// attachment's embedded message replaces the destination's (kept when NoOverwrite and it
    /// has one; excluded by PR_ATTACH_DATA_OBJ / any tag with id 0x3701).
    pub fn copy_to<'a, 'b>(
        &self,
        src: impl Into<Object<'a>>,
        dst: impl Into<ObjectMut<'b>>,
        excluded: &[PropTag],
        no_overwrite: bool,
        sub: SubObjects,
    ) -> StoreResult<CopyOutcome> {
        let (src, mut dst) = (src.into(), dst.into());
        let skip = |t: PropTag| excluded.iter().any(|x| x.id() == t.id());
        let tags: Vec<PropTag> = src
            .props()
            .0
            .iter()
            .map(|(id, v)| PropTag::new(*id, v.prop_type()))
            .filter(|t| !skip(*t) && refusal(&dst, *t, None).is_none())
            .collect();
        let mut out = self.copy_properties(src, reborrow(&mut dst), &tags, no_overwrite)?;
        if !sub.wanted {
            return Ok(out);
        }
        self.write(Durability::Normal, |tx| {
            match (src, &mut dst) {
                (Object::Message(s), ObjectMut::Message(d)) => {
                    let keep = sub.no_overwrite && !d.recipients.is_empty();
                    if !skip(PR_MESSAGE_RECIPIENTS) && !keep {
                        d.recipients = s.recipients.clone();
                        out.recipients = true;
                    }
                    if !skip(PR_MESSAGE_ATTACHMENTS) {
                        for a in s.attachments.values() {
                            let mut a = a.clone();
                            adopt_attachment(tx, &mut a, d.workspace)?;
                            a.attach_num = d.next_attach_num;
                            d.next_attach_num = d.next_attach_num.saturating_add(1);
                            d.attachments.insert(a.attach_num, a);
                            out.attachments = true;
                        }
                    }
                    d.dirty = true;
                }
                (Object::Attachment(s), ObjectMut::Attachment(d)) => {
                    let keep = sub.no_overwrite && !matches!(d.embedded, Embedded::None);
                    if !skip(PR_ATTACH_DATA_BIN) && !keep && !matches!(s.embedded, Embedded::None) {
                        let mut e = s.embedded.clone();
                        adopt_embedded(tx, &mut e, d.workspace)?;
                        d.embedded = e;
                        d.dirty = true;
                        out.embedded = true;
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The source side of a Move (CopyFlags 0x01): removes what [`CopyOutcome`] says was copied
    /// (properties, recipients, attachments, the embedded message) from `src`.
    pub fn remove_copied<'a>(&self, src: impl Into<ObjectMut<'a>>, copied: &CopyOutcome) -> StoreResult<()> {
        let mut src = src.into();
        self.delete_properties(reborrow(&mut src), &copied.copied)?;
        match &mut src {
            ObjectMut::Message(m) => {
                if copied.recipients {
                    m.recipients.clear();
                }
                if copied.attachments {
                    m.attachments.clear();
                }
                m.dirty = true;
            }
            ObjectMut::Attachment(a) => {
                if copied.embedded {
                    a.embedded = Embedded::None;
                }
                a.dirty = true;
            }
        }
        Ok(())
    }
}
