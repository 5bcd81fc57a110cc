//! Property access on open messages and attachments (MS-OXCPRPT 2.2.2 RopGetPropertiesSpecific,
//! 2.2.3 RopGetPropertiesAll, 2.2.4 RopGetPropertiesList, 2.2.5 RopSetProperties,
//! 2.2.7 RopDeleteProperties). Changes stay in the draft until it is saved.

use std::collections::BTreeMap;

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::error::{ErrorCode, codes};
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::{PROP_ID_INVALID, PropTag};
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::PropertyProblem;

use super::blobs;
use super::computed::{is_computed_attachment, is_computed_message};
use super::draft::{AttachmentDraft, DraftValue, Object, ObjectMut};
use crate::error::StoreResult;
use crate::mailbox::MessageStore;

/// The value of a property requested with `want` (MS-OXCPRPT 2.2.2): the stored value when
/// the types agree or `want` is PtypUnspecified, strings converted between PtypString and
/// PtypString8, PtypInteger32 widened to PtypInteger64 (PR_MESSAGE_SIZE_EXTENDED); otherwise
/// `None` (the caller answers NotFound).
pub(crate) fn coerce(v: PropValue, want: PropTag) -> Option<PropValue> {
    let want_ty = match want.without_mv_instance().prop_type() {
        Ok(PropType::Unspecified) => return Some(v),
        Ok(t) => t,
        Err(_) => return None,
    };
    match (v, want_ty) {
        (PropValue::I32(x), PropType::Integer64) => Some(PropValue::I64(x as i64)),
        (v, t) => blobs::convert(v, t),
    }
}

pub(super) fn problem(index: usize, tag: PropTag, error: ErrorCode) -> PropertyProblem {
    PropertyProblem { index: index as u16, tag, error }
}

/// Why a property cannot be written or deleted (MS-OXCPRPT 3.2.5.3–3.2.5.5 PropertyProblems),
/// for any object kind: property id 0 or 0xFFFF → MAPI_E_INVALID_PARAMETER; a PtypNull,
/// PtypErrorCode, PtypObject or PtypUnspecified `value` → MAPI_E_INVALID_TYPE; a property the
/// store computes (`computed`) → MAPI_E_COMPUTED.
pub fn write_refusal(tag: PropTag, value: Option<&PropValue>, computed: bool) -> Option<ErrorCode> {
    if tag.id() == 0 || tag.id() == PROP_ID_INVALID {
        return Some(codes::MAPI_E_INVALID_PARAMETER);
    }
    if let Some(v) = value {
        if matches!(
            v.prop_type(),
            PropType::Null | PropType::ErrorCode | PropType::Object | PropType::Unspecified
        ) {
            return Some(codes::MAPI_E_INVALID_TYPE);
        }
    }
    computed.then_some(codes::MAPI_E_COMPUTED)
}

/// Why a value cannot be written into an open message or attachment, if it cannot.
pub(super) fn refusal(obj: &ObjectMut<'_>, tag: PropTag, value: Option<&PropValue>) -> Option<ErrorCode> {
    let computed = match obj {
        ObjectMut::Message(_) => is_computed_message(tag),
        ObjectMut::Attachment(_) => is_computed_attachment(tag),
    };
    write_refusal(tag, value, computed)
}

impl MessageStore {
    /// Every property of an open message or attachment (RopGetPropertiesAll): the stored ones
    /// plus the computed ones, sorted by property id. A large value longer than
    /// `max_value_bytes` (stream form) comes back as PtypErrorCode MAPI_E_NOT_ENOUGH_MEMORY, which
    /// tells a client to open a stream (MS-OXCPRPT 2.2.3).
    pub fn get_properties<'a>(
        &self,
        obj: impl Into<Object<'a>>,
        max_value_bytes: usize,
    ) -> StoreResult<Vec<TaggedValue>> {
        let obj = obj.into();
        let mut out: BTreeMap<u16, TaggedValue> = BTreeMap::new();
        for (id, v) in &obj.props().0 {
            let value = self.materialize(v, max_value_bytes)?;
            let tag = PropTag::new(*id, value.prop_type());
            out.insert(*id, TaggedValue { tag, value });
        }
        for (tag, value) in self.object_computed(obj)? {
            out.insert(tag.id(), TaggedValue::new(tag, value));
        }
        Ok(out.into_values().collect())
    }

    /// RopGetPropertiesSpecific: one value per requested tag, in order, with the requested type
    /// where it can be converted; missing ones as PtypErrorCode MAPI_E_NOT_FOUND.
    pub fn get_properties_specific<'a>(
        &self,
        obj: impl Into<Object<'a>>,
        tags: &[PropTag],
        max_value_bytes: usize,
    ) -> StoreResult<Vec<TaggedValue>> {
        let obj = obj.into();
        let computed = self.object_computed(obj)?;
        let mut out = Vec::with_capacity(tags.len());
        for &tag in tags {
            let found = match computed.iter().find(|(t, _)| t.id() == tag.id()) {
                Some((_, v)) => Some(v.clone()),
                None => match obj.props().get(tag.id()) {
                    Some(v) => Some(self.materialize(v, max_value_bytes)?),
                    None => None,
                },
            };
            let value = match found {
                Some(v @ PropValue::Error(_)) => Some(v),
                Some(v) => coerce(v, tag),
                None => None,
            };
            out.push(match value {
                Some(PropValue::Error(e)) => TaggedValue::new(tag, PropValue::Error(e)),
                Some(v) if tag.prop_type() == Ok(PropType::Unspecified) => TaggedValue::new(tag, v),
                Some(v) => TaggedValue { tag: tag.without_mv_instance(), value: v },
                None => TaggedValue::new(tag, PropValue::Error(codes::MAPI_E_NOT_FOUND.0)),
            });
        }
        Ok(out)
    }

    /// RopGetPropertiesList: the tags of every property the object has.
    pub fn property_tags<'a>(&self, obj: impl Into<Object<'a>>) -> StoreResult<Vec<PropTag>> {
        let obj = obj.into();
        let mut tags: BTreeMap<u16, PropTag> =
            obj.props().0.iter().map(|(id, v)| (*id, PropTag::new(*id, v.prop_type()))).collect();
        for (tag, value) in self.object_computed(obj)? {
            tags.insert(tag.id(), PropTag::new(tag.id(), value.prop_type()));
        }
        Ok(tags.into_values().collect())
    }

    /// RopSetProperties (MS-OXCPRPT 2.2.5): writes the values into the open object and
    /// returns a problem for each one that cannot be written (computed → MAPI_E_COMPUTED,
    /// PtypNull / PtypErrorCode / PtypObject → MAPI_E_INVALID_TYPE, property id 0 or 0xFFFF →
    /// MAPI_E_INVALID_PARAMETER); the others are written. PR_MESSAGE_FLAGS can be set until the
    /// message is first saved (its read-only bits are kept) and is ignored afterwards
    /// (MS-OXCMSG 2.2.1.6). Setting PR_SUBJECT without PR_SUBJECT_PREFIX /
    /// PR_NORMALIZED_SUBJECT drops the old ones, which the save computes again.
    pub fn set_properties<'a>(
        &self,
        obj: impl Into<ObjectMut<'a>>,
        values: &[TaggedValue],
    ) -> StoreResult<Vec<PropertyProblem>> {
        let mut obj = obj.into();
        let mut problems = Vec::new();
        let sets = |t: PropTag| values.iter().any(|v| v.tag.id() == t.id());
        for (i, v) in values.iter().enumerate() {
            if let ObjectMut::Message(m) = &mut obj {
                if v.tag.id() == PR_MESSAGE_FLAGS.id() {
                    if let (false, Some(f)) = (m.base_cn.is_some(), v.value.as_i64()) {
                        let settable = mf::MSGFLAG_READ
                            | mf::MSGFLAG_UNMODIFIED
                            | mf::MSGFLAG_UNSENT
                            | mf::MSGFLAG_RESEND
                            | mf::MSGFLAG_FROMME
                            | mf::MSGFLAG_ORIGIN_X400
                            | mf::MSGFLAG_ORIGIN_INTERNET
                            | mf::MSGFLAG_ORIGIN_MISC_EXT
                            | mf::MSGFLAG_RN_PENDING
                            | mf::MSGFLAG_NRN_PENDING
                            | mf::MSGFLAG_EVERREAD;
                        m.flags = (m.flags & !settable) | (f as u32 & settable);
                        m.flags_explicit = true;
                        m.dirty = true;
                    }
                    continue;
                }
            }
            if let Some(e) = refusal(&obj, v.tag, Some(&v.value)) {
                problems.push(problem(i, v.tag, e));
                continue;
            }
            obj.props_mut().put(v.tag.id(), DraftValue::Inline(v.value.clone()));
        }
        if let ObjectMut::Message(m) = &mut obj {
            if sets(PR_SUBJECT) {
                if !sets(PR_SUBJECT_PREFIX) {
                    m.props.remove(PR_SUBJECT_PREFIX.id());
                }
                if !sets(PR_NORMALIZED_SUBJECT) {
                    m.props.remove(PR_NORMALIZED_SUBJECT.id());
                }
            }
        }
        touch(&mut obj);
        Ok(problems)
    }

    /// RopDeleteProperties (MS-OXCPRPT 2.2.7): removes the properties from the open object;
    /// computed ones give a MAPI_E_COMPUTED problem, missing ones nothing.
    pub fn delete_properties<'a>(
        &self,
        obj: impl Into<ObjectMut<'a>>,
        tags: &[PropTag],
    ) -> StoreResult<Vec<PropertyProblem>> {
        let mut obj = obj.into();
        let mut problems = Vec::new();
        for (i, tag) in tags.iter().enumerate() {
            if let Some(e) = refusal(&obj, *tag, None) {
                problems.push(problem(i, *tag, e));
                continue;
            }
            obj.props_mut().remove(tag.id());
            if let (ObjectMut::Message(m), true) = (&mut obj, tag.id() == PR_SUBJECT.id()) {
                m.props.remove(PR_SUBJECT_PREFIX.id());
                m.props.remove(PR_NORMALIZED_SUBJECT.id());
            }
        }
        touch(&mut obj);
        Ok(problems)
    }

    /// A stored value as a property value: blobs up to `max` bytes are read, larger ones become
    /// MAPI_E_NOT_ENOUGH_MEMORY.
    pub(crate) fn materialize(&self, v: &DraftValue, max: usize) -> StoreResult<PropValue> {
        Ok(match v {
            DraftValue::Inline(v) => v.clone(),
            DraftValue::Blob(b) if b.size > max as u64 => PropValue::Error(codes::MAPI_E_NOT_ENOUGH_MEMORY.0),
            DraftValue::Blob(b) => {
                let bytes = blobs::read_range(&*self.lock()?, b.id, 0, b.size)?;
                PropValue::from_stream_bytes(b.ty, bytes)
            }
        })
    }

    pub(super) fn object_computed(&self, obj: Object<'_>) -> StoreResult<Vec<(PropTag, PropValue)>> {
        match obj {
            Object::Message(m) => self.draft_computed(m),
            Object::Attachment(a) => self.attachment_computed(a),
        }
    }

    /// PR_ATTACH_NUM, PR_ATTACH_SIZE, PR_OBJECT_TYPE, PR_CREATION_TIME and
    /// PR_LAST_MODIFICATION_TIME of an attachment.
    pub(crate) fn attachment_computed(&self, a: &AttachmentDraft) -> StoreResult<Vec<(PropTag, PropValue)>> {
        let size = a.props.byte_size() + self.embedded_size(&a.embedded)?;
        Ok(vec![
            (PR_ATTACH_SIZE, PropValue::I32(size.min(i32::MAX as u64) as i32)),
            (PR_ATTACH_NUM, PropValue::I32(a.attach_num as i32)),
            (PR_OBJECT_TYPE, PropValue::I32(oxmapi_core::consts::object_type::MAPI_ATTACH as i32)),
            (PR_CREATION_TIME, PropValue::SysTime(FileTime(a.created))),
            (PR_LAST_MODIFICATION_TIME, PropValue::SysTime(FileTime(a.modified))),
        ])
    }
}

/// Marks an object changed (and a message's PR_LAST_MODIFICATION_TIME is set at save).
pub(super) fn touch(obj: &mut ObjectMut<'_>) {
    match obj {
        ObjectMut::Message(m) => m.dirty = true,
        ObjectMut::Attachment(a) => a.dirty = true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coercion() {
        let s = PropValue::Unicode("x".into());
        assert_eq!(coerce(s.clone(), PR_SUBJECT), Some(s.clone()));
        assert_eq!(coerce(s.clone(), PropTag(0x0037_0000)), Some(s.clone()));
        assert_eq!(coerce(s.clone(), PropTag(0x0037_001E)), Some(PropValue::String8(b"x".to_vec())));
        assert_eq!(coerce(PropValue::I32(5), PR_MESSAGE_SIZE_EXTENDED), Some(PropValue::I64(5)));
        assert_eq!(coerce(s, PR_MESSAGE_SIZE), None);
    }
}
