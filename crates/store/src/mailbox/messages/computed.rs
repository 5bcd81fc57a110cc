//! Properties the store computes for messages and attachments (MS-OXCMSG 2.2.1, 2.2.2;
//! MS-OXCPRPT 2.2.1; MS-OXCFXICS 2.2.1.2 for the change-tracking ones), and the values the
//! store derives from others when a message is saved: PR_NORMALIZED_SUBJECT and
//! PR_SUBJECT_PREFIX from PR_SUBJECT (MS-OXCMSG 2.2.1.9–2.2.1.10), PR_DISPLAY_TO / _CC / _BCC
//! from the recipients (MS-OXOMSG 2.2.1.7–2.2.1.9).

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::{message_flags as mf, object_type, recipient_type as rt};
use oxmapi_core::entryid::{EntryId, LongTermRef, MessageEntryId, eit};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::draft::{Embedded, MessageDraft, PropSet};
use super::recipients::RecipientRow;
use crate::error::StoreResult;
use crate::mailbox::ids::provider_uid;
use crate::mailbox::{LOCAL_REPLICA_ID, MessageStore, StoreKind};

/// PidTagAccess bits (MS-OXCPRPT 2.2.1.1).
const MAPI_ACCESS_MODIFY: i32 = 0x1;
const MAPI_ACCESS_READ: i32 = 0x2;
const MAPI_ACCESS_DELETE: i32 = 0x4;

/// What the computed message properties are computed from: a `messages` row or a draft.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MessageMeta {
    pub mid: Option<u64>,
    pub fid: Option<u64>,
    pub cn: Option<u64>,
    pub created: u64,
    pub modified: u64,
    /// PR_MESSAGE_FLAGS including MSGFLAG_HASATTACH and MSGFLAG_ASSOCIATED.
    pub flags: u32,
    pub size: u64,
}

/// Message properties computed from [`MessageMeta`], in property id order.
pub(crate) const META_TAGS: &[PropTag] = &[
    PR_MESSAGE_FLAGS,
    PR_MESSAGE_SIZE,
    PR_HASATTACH,
    PR_READ,
    PR_ACCESS,
    PR_ACCESS_LEVEL,
    PR_RECORD_KEY,
    PR_STORE_RECORD_KEY,
    PR_OBJECT_TYPE,
    PR_ENTRYID,
    PR_CREATION_TIME,
    PR_LAST_MODIFICATION_TIME,
    PR_PARENT_SOURCE_KEY,
    PR_SOURCE_KEY,
    PR_CHANGE_KEY,
    PR_PREDECESSOR_CHANGE_LIST,
    PR_LOCAL_COMMIT_TIME,
    PR_FID,
    PR_MID,
    PR_CHANGE_NUMBER,
    PR_ASSOCIATED,
    PR_PARENT_ENTRYID,
];

/// Message properties a client cannot write or delete (MAPI_E_COMPUTED): the [`META_TAGS`],
/// the recipient summaries, the sub-object properties and the table-only PR_INSTANCE_KEY.
/// PR_MESSAGE_FLAGS is writable until the first save (MS-OXCMSG 2.2.1.6) and handled apart.
pub(crate) fn is_computed_message(tag: PropTag) -> bool {
    let extra = [
        PR_DISPLAY_TO,
        PR_DISPLAY_CC,
        PR_DISPLAY_BCC,
        PR_MESSAGE_RECIPIENTS,
        PR_MESSAGE_ATTACHMENTS,
        PR_INSTANCE_KEY,
        PR_PARENT_FID,
    ];
    META_TAGS.iter().chain(extra.iter()).any(|t| t.id() == tag.id()) && tag.id() != PR_MESSAGE_FLAGS.id()
}

/// Attachment properties the store computes (MS-OXCMSG 2.2.2.6–2.2.2.7).
pub(crate) const ATTACHMENT_TAGS: &[PropTag] =
    &[PR_ATTACH_SIZE, PR_ATTACH_NUM, PR_OBJECT_TYPE, PR_CREATION_TIME, PR_LAST_MODIFICATION_TIME];

/// True for attachment properties a client cannot write (the computed ones and
/// PR_ATTACH_DATA_OBJ, which is reached through RopOpenEmbeddedMessage).
pub(crate) fn is_computed_attachment(tag: PropTag) -> bool {
    ATTACHMENT_TAGS.iter().any(|t| t.id() == tag.id())
        || tag.id() == PR_INSTANCE_KEY.id()
        || tag == PR_ATTACH_DATA_OBJ
}

/// A PtypBinary PidTagPredecessorChangeList with one SizedXid (MS-OXCFXICS 2.2.2.4).
fn pcl(xid: Vec<u8>) -> Vec<u8> {
    let mut v = Vec::with_capacity(xid.len() + 1);
    v.push(xid.len() as u8);
    v.extend(xid);
    v
}

impl MessageStore {
    /// The Message EntryID of a message (MS-OXCDATA 2.2.4.2).
    pub fn message_entry_id(&self, fid: ObjectId, mid: ObjectId) -> Vec<u8> {
        let db = |id: ObjectId| self.replica_guid_of(id.replica_id).unwrap_or(oxmapi_core::guid::Guid::NULL);
        EntryId::Message(MessageEntryId {
            flags: 0,
            provider_uid: provider_uid(self.kind, self.mailbox_guid),
            message_type: match self.kind {
                StoreKind::Private => eit::PRIVATE_MESSAGE,
                StoreKind::Public => eit::PUBLIC_MESSAGE,
            },
            folder: LongTermRef { database_guid: db(fid), global_counter: fid.global_counter },
            message: LongTermRef { database_guid: db(mid), global_counter: mid.global_counter },
        })
        .to_bytes()
    }

    /// One computed message property, `None` when it does not apply (PR_MID before the first
    /// save, PR_FID of an embedded message …).
    pub(crate) fn meta_value(&self, m: &MessageMeta, id: u16) -> StoreResult<Option<PropValue>> {
        let oid = |c: u64| ObjectId::new(LOCAL_REPLICA_ID, c);
        let mid = m.mid.map(oid);
        let fid = m.fid.map(oid);
        let v = match id {
            x if x == PR_MESSAGE_FLAGS.id() => PropValue::I32(m.flags as i32),
            x if x == PR_MESSAGE_SIZE.id() => PropValue::I32(m.size.min(i32::MAX as u64) as i32),
            x if x == PR_HASATTACH.id() => PropValue::Bool(m.flags & mf::MSGFLAG_HASATTACH != 0),
            x if x == PR_READ.id() => PropValue::Bool(m.flags & mf::MSGFLAG_READ != 0),
            x if x == PR_ASSOCIATED.id() => PropValue::Bool(m.flags & mf::MSGFLAG_ASSOCIATED != 0),
            x if x == PR_ACCESS.id() => PropValue::I32(match m.cn {
                Some(_) => MAPI_ACCESS_MODIFY | MAPI_ACCESS_READ | MAPI_ACCESS_DELETE,
                None => MAPI_ACCESS_MODIFY | MAPI_ACCESS_READ,
            }),
            x if x == PR_ACCESS_LEVEL.id() => PropValue::I32(1),
            x if x == PR_OBJECT_TYPE.id() => PropValue::I32(object_type::MAPI_MESSAGE as i32),
            x if x == PR_STORE_RECORD_KEY.id() => PropValue::Binary(self.mailbox_guid.0.to_vec()),
            x if x == PR_CREATION_TIME.id() => PropValue::SysTime(FileTime(m.created)),
            x if x == PR_LAST_MODIFICATION_TIME.id() || x == PR_LOCAL_COMMIT_TIME.id() => {
                PropValue::SysTime(FileTime(m.modified))
            }
            x if x == PR_MID.id() => match mid {
                Some(mid) => PropValue::I64(mid.to_u64() as i64),
                None => return Ok(None),
            },
            x if x == PR_FID.id() => match fid {
                Some(fid) => PropValue::I64(fid.to_u64() as i64),
                None => return Ok(None),
            },
            x if x == PR_ENTRYID.id() || x == PR_RECORD_KEY.id() => match (fid, mid) {
                (Some(fid), Some(mid)) => PropValue::Binary(self.message_entry_id(fid, mid)),
                _ => return Ok(None),
            },
            x if x == PR_PARENT_ENTRYID.id() => match fid {
                Some(fid) => PropValue::Binary(self.folder_entry_id(fid)),
                None => return Ok(None),
            },
            x if x == PR_PARENT_SOURCE_KEY.id() => match fid {
                Some(fid) => PropValue::Binary(self.source_key(fid)?),
                None => return Ok(None),
            },
            x if x == PR_SOURCE_KEY.id() => match mid {
                Some(mid) => PropValue::Binary(self.source_key(mid)?),
                None => return Ok(None),
            },
            x if x == PR_CHANGE_NUMBER.id() => match m.cn {
                Some(cn) => PropValue::I64(oid(cn).to_u64() as i64),
                None => return Ok(None),
            },
            x if x == PR_CHANGE_KEY.id() => match m.cn {
                Some(cn) => PropValue::Binary(self.source_key(oid(cn))?),
                None => return Ok(None),
            },
            x if x == PR_PREDECESSOR_CHANGE_LIST.id() => match m.cn {
                Some(cn) => PropValue::Binary(pcl(self.source_key(oid(cn))?)),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        Ok(Some(v))
    }

    /// The computed properties of a draft: [`META_TAGS`] plus PR_DISPLAY_TO / _CC / _BCC
    /// from its current recipients.
    pub(crate) fn draft_computed(&self, d: &MessageDraft) -> StoreResult<Vec<(PropTag, PropValue)>> {
        let meta = MessageMeta {
            mid: d.mid,
            fid: d.folder_id().map(|f| f.global_counter),
            cn: d.base_cn,
            created: d.created,
            modified: d.modified,
            flags: draft_flags(d),
            size: self.draft_size(d)?,
        };
        let mut out = Vec::new();
        for tag in META_TAGS {
            if let Some(v) = self.meta_value(&meta, tag.id())? {
                out.push((*tag, v));
            }
        }
        for (tag, list) in display_lists(d.recipients.values()) {
            out.push((tag, PropValue::Unicode(list)));
        }
        Ok(out)
    }

    /// PR_MESSAGE_SIZE of a draft: its properties, recipients and attachments.
    pub(crate) fn draft_size(&self, d: &MessageDraft) -> StoreResult<u64> {
        let mut size = d.props.byte_size() + recipients_size(d.recipients.values());
        for a in d.attachments.values() {
            size += a.props.byte_size() + self.embedded_size(&a.embedded)?;
        }
        Ok(size)
    }

    pub(crate) fn embedded_size(&self, e: &Embedded) -> StoreResult<u64> {
        Ok(match e {
            Embedded::None => 0,
            Embedded::Draft(d) => self.draft_size(d)?,
            Embedded::Stored(mid) => {
                let size: Option<i64> = crate::db::OptionalExt::optional(self.lock()?.query_row(
                    "SELECT message_size FROM messages WHERE mid = ?1",
                    [*mid as i64],
                    |r| r.get(0),
                ))?;
                size.unwrap_or(0) as u64
            }
        })
    }
}

/// PR_MESSAGE_FLAGS of a draft with the bits the store computes.
pub(crate) fn draft_flags(d: &MessageDraft) -> u32 {
    let mut f = d.flags & !(mf::MSGFLAG_HASATTACH | mf::MSGFLAG_ASSOCIATED);
    if !d.attachments.is_empty() {
        f |= mf::MSGFLAG_HASATTACH;
    }
    if d.associated {
        f |= mf::MSGFLAG_ASSOCIATED;
    }
    f
}

pub(crate) fn recipients_size<'a>(rows: impl Iterator<Item = &'a RecipientRow>) -> u64 {
    rows.map(|r| r.props.iter().map(|p| p.value.byte_size() as u64).sum::<u64>()).sum()
}

/// PR_DISPLAY_TO, PR_DISPLAY_CC and PR_DISPLAY_BCC: the display names of the primary, carbon
/// copy and blind carbon copy recipients joined with "; " (MS-OXOMSG 2.2.1.7–2.2.1.9).
pub(crate) fn display_lists<'a>(rows: impl Iterator<Item = &'a RecipientRow>) -> [(PropTag, String); 3] {
    let mut lists: [(PropTag, Vec<String>); 3] =
        [(PR_DISPLAY_TO, vec![]), (PR_DISPLAY_CC, vec![]), (PR_DISPLAY_BCC, vec![])];
    for r in rows {
        if r.recipient_type & rt::MAPI_P1 != 0 {
            continue;
        }
        let slot = match rt::kind(r.recipient_type) {
            rt::MAPI_TO => 0,
            rt::MAPI_CC => 1,
            rt::MAPI_BCC => 2,
            _ => continue,
        };
        let name = [PR_DISPLAY_NAME, PR_TRANSMITABLE_DISPLAY_NAME, PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS]
            .iter()
            .find_map(|t| r.props.iter().find(|p| p.tag.id() == t.id()).and_then(|p| p.value.as_text()))
            .map(|t| t.into_owned())
            .unwrap_or_default();
        lists[slot].1.push(name);
    }
    lists.map(|(t, names)| (t, names.join("; ")))
}

/// Splits a subject into PR_SUBJECT_PREFIX and PR_NORMALIZED_SUBJECT: a given prefix that
/// starts the subject is kept; otherwise the prefix is one to three letters followed by a colon
/// and a space ("RE: ", "AW: "), or empty (MS-OXCMSG 2.2.1.9–2.2.1.10; PidTagNormalizedSubject).
pub(crate) fn split_subject(subject: &str, prefix: Option<&str>) -> (String, String) {
    if let Some(p) = prefix.filter(|p| subject.starts_with(p)) {
        return (p.to_string(), subject[p.len()..].to_string());
    }
    for (n, (i, c)) in subject.char_indices().enumerate() {
        if c == ':' {
            if n >= 1 && subject[i + 1..].starts_with(' ') {
                return (subject[..i + 2].to_string(), subject[i + 2..].to_string());
            }
            break;
        }
        if n >= 3 || !c.is_alphabetic() {
            break;
        }
    }
    (String::new(), subject.to_string())
}

/// Brings PR_SUBJECT, PR_SUBJECT_PREFIX and PR_NORMALIZED_SUBJECT in line before a save.
pub(crate) fn derive_subject(props: &mut PropSet) {
    match props.text(PR_SUBJECT) {
        Some(subject) => {
            let (prefix, normalized) = split_subject(&subject, props.text(PR_SUBJECT_PREFIX).as_deref());
            props.set(PR_SUBJECT_PREFIX, PropValue::Unicode(prefix));
            props.set(PR_NORMALIZED_SUBJECT, PropValue::Unicode(normalized));
        }
        None => {
            if let Some(normalized) = props.text(PR_NORMALIZED_SUBJECT) {
                let prefix = props.text(PR_SUBJECT_PREFIX).unwrap_or_default();
                props.set(PR_SUBJECT, PropValue::Unicode(format!("{prefix}{normalized}")));
                props.set(PR_SUBJECT_PREFIX, PropValue::Unicode(prefix));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_prefixes() {
        let s = |x: &str| split_subject(x, None);
        assert_eq!(s("RE: hello"), ("RE: ".into(), "hello".into()));
        assert_eq!(s("AW: Grüße"), ("AW: ".into(), "Grüße".into()));
        assert_eq!(s("Fwd: x"), ("Fwd: ".into(), "x".into()));
        assert_eq!(s("Four: x"), ("".into(), "Four: x".into()));
        assert_eq!(s("12: x"), ("".into(), "12: x".into()));
        assert_eq!(s("RE:x"), ("".into(), "RE:x".into()));
        assert_eq!(s(": x"), ("".into(), ": x".into()));
        assert_eq!(s("日本: x"), ("日本: ".into(), "x".into()));
        assert_eq!(split_subject("Urgent!! x", Some("Urgent!! ")), ("Urgent!! ".into(), "x".into()));
        assert_eq!(split_subject("RE: x", Some("")), ("".into(), "RE: x".into()));
        assert_eq!(split_subject("RE: x", Some("FW: ")), ("RE: ".into(), "x".into()));
    }

    #[test]
    fn display_lists_by_type() {
        let row = |id: u32, ty: u32, name: &str| RecipientRow {
            row_id: id,
            recipient_type: ty,
            props: vec![oxmapi_core::value::TaggedValue::new(
                PR_DISPLAY_NAME,
                PropValue::Unicode(name.into()),
            )],
        };
        let rows = [row(0, 1, "Bob"), row(1, 2, "Carol"), row(2, 1, "Dan"), row(3, 3 | 0x8000_0000, "Eve")];
        let l = display_lists(rows.iter());
        assert_eq!(l[0].1, "Bob; Dan");
        assert_eq!(l[1].1, "Carol");
        assert_eq!(l[2].1, "Eve");
    }
}
