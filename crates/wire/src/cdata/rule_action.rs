//! The RuleAction structure (MS-OXORULE 2.2.5): the value of PidTagRuleActions (PtypRuleAction)
//! and, in its extended form, of PidTagExtendedRuleMessageActions.
//!
//! `RuleAction` is `NoOfActions` then that many `ActionBlock`s; an ActionBlock is `ActionLength`,
//! `ActionType`, `ActionFlavor`, `ActionFlags` and the `ActionData` of its type (2.2.5.1). Counts
//! and lengths are 16-bit in ROP buffers (standard rules) and 32-bit in extended rules
//! (2.2.4.2); which one is [`Form::wide_counts`].
//!
//! The action data of standard rules (2.2.5.1.2):
//! * OP_MOVE / OP_COPY: `FolderInThisStore` u8, `StoreEIDSize`, `StoreEID`, `FolderEIDSize`,
//!   `FolderEID` (a ServerEid, 2.2.5.1.2.1.1, when the folder is in this store);
//! * OP_REPLY / OP_OOF_REPLY: `ReplyTemplateFID` u64, `ReplyTemplateMID` u64,
//!   `ReplyTemplateGUID` (2.2.5.1.2.2); extended rules: `MessageEIDSize` u32 + entry ID + GUID;
//! * OP_DEFER_ACTION: opaque client data (2.2.5.1.2.3);
//! * OP_BOUNCE: `BounceCode` u32 (2.2.5.1.2.4);
//! * OP_FORWARD / OP_DELEGATE: `RecipientCount`, then RecipientBlocks (`Reserved` u8 = 0x01,
//!   `NoOfProperties`, TaggedPropertyValues; 2.2.5.1.2.5);
//! * OP_TAG: one TaggedPropertyValue (2.2.5.1.2.6);
//! * OP_DELETE, OP_MARK_AS_READ: none (2.2.5.1.2.7).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::TaggedValue;

use super::value::{read_tagged_value, read_tagged_values, write_tagged_value, write_tagged_values};
use super::{Form, MAX_COUNT};

/// ActionType values (MS-OXORULE 2.2.5.1).
pub mod op {
    /// Move the message to a folder.
    pub const MOVE: u8 = 0x01;
    /// Copy the message to a folder.
    pub const COPY: u8 = 0x02;
    /// Reply with a template.
    pub const REPLY: u8 = 0x03;
    /// Out-of-office reply with a template.
    pub const OOF_REPLY: u8 = 0x04;
    /// Deferred action (the client runs it).
    pub const DEFER_ACTION: u8 = 0x05;
    /// Reject with a bounce code.
    pub const BOUNCE: u8 = 0x06;
    /// Forward to recipients.
    pub const FORWARD: u8 = 0x07;
    /// Delegate (resend to delegates).
    pub const DELEGATE: u8 = 0x08;
    /// Set a property.
    pub const TAG: u8 = 0x09;
    /// Delete the message.
    pub const DELETE: u8 = 0x0A;
    /// Mark the message read.
    pub const MARK_AS_READ: u8 = 0x0B;

    /// The protocol name of an ActionType.
    pub fn name(t: u8) -> &'static str {
        match t {
            MOVE => "OP_MOVE",
            COPY => "OP_COPY",
            REPLY => "OP_REPLY",
            OOF_REPLY => "OP_OOF_REPLY",
            DEFER_ACTION => "OP_DEFER_ACTION",
            BOUNCE => "OP_BOUNCE",
            FORWARD => "OP_FORWARD",
            DELEGATE => "OP_DELEGATE",
            TAG => "OP_TAG",
            DELETE => "OP_DELETE",
            MARK_AS_READ => "OP_MARK_AS_READ",
            _ => "unknown",
        }
    }
}

/// ActionFlavor bits of OP_FORWARD (MS-OXORULE 2.2.5.1).
pub mod forward_flavor {
    /// FWD_PRESERVE_SENDER: keep the original sender.
    pub const PRESERVE_SENDER: u32 = 0x01;
    /// FWD_DO_NOT_MUNGE_MSG: forward unchanged.
    pub const DO_NOT_MUNGE_MSG: u32 = 0x02;
    /// FWD_AS_ATTACHMENT: forward as an attachment.
    pub const AS_ATTACHMENT: u32 = 0x04;
    /// FWD_AS_SMS_ALERT.
    pub const AS_SMS_ALERT: u32 = 0x08;
}

/// ActionFlavor bits of OP_REPLY / OP_OOF_REPLY (MS-OXORULE 2.2.5.1).
pub mod reply_flavor {
    /// DO_NOT_SEND_TO_ORIGINATOR.
    pub const DO_NOT_SEND_TO_ORIGINATOR: u32 = 0x01;
    /// STOCK_REPLY_TEMPLATE.
    pub const STOCK_REPLY_TEMPLATE: u32 = 0x02;
}

/// Bounce codes of OP_BOUNCE (MS-OXORULE 2.2.5.1.2.4).
pub mod bounce_code {
    /// The message was too large.
    pub const TOO_LARGE: u32 = 0x0D;
    /// The message cannot be displayed.
    pub const CANNOT_DISPLAY: u32 = 0x1F;
    /// The sender was denied.
    pub const ACCESS_DENIED: u32 = 0x26;
}

/// Bytes of a ServerEid (MS-OXORULE 2.2.5.1.2.1.1): `Ours` u8, `FolderId` u64, `MessageId`
/// u64, `Instance` u32.
pub const SERVER_EID_LEN: usize = 21;

/// A ServerEid naming folder `fid` of this store.
pub fn server_eid(fid: ObjectId) -> Vec<u8> {
    let mut w = Writer::with_capacity(SERVER_EID_LEN);
    w.u8(1);
    w.object_id(fid);
    w.u64(0);
    w.u32(0);
    w.into_vec()
}

/// The folder of a ServerEid with `Ours` = 1, if `b` is one.
pub fn server_eid_folder(b: &[u8]) -> Option<ObjectId> {
    if b.len() != SERVER_EID_LEN || b[0] != 1 {
        return None;
    }
    let mut r = Reader::new(&b[1..9]);
    r.object_id("FolderId").ok()
}

/// One recipient of OP_FORWARD / OP_DELEGATE (RecipientBlockData, 2.2.5.1.2.5.1).
#[derive(Clone, Debug, PartialEq)]
pub struct RecipientBlock {
    /// `Reserved` (0x01).
    pub reserved: u8,
    /// The recipient's properties (PidTagDisplayName, PidTagEmailAddress, PidTagAddressType,
    /// PidTagEntryId, PidTagSmtpAddress …).
    pub props: Vec<TaggedValue>,
}

/// The ActionData of one action.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionData {
    /// OP_MOVE / OP_COPY.
    MoveCopy {
        /// `FolderInThisStore`.
        folder_in_this_store: u8,
        /// `StoreEID`.
        store_eid: Vec<u8>,
        /// `FolderEID` (a ServerEid in this store, a folder entry ID otherwise).
        folder_eid: Vec<u8>,
    },
    /// OP_REPLY / OP_OOF_REPLY, standard rules.
    Reply {
        /// `ReplyTemplateFID`.
        template_fid: ObjectId,
        /// `ReplyTemplateMID`.
        template_mid: ObjectId,
        /// `ReplyTemplateGUID`.
        template_guid: Guid,
    },
    /// OP_REPLY / OP_OOF_REPLY, extended rules: the template's message entry ID.
    ReplyEntryId {
        /// `ReplyTemplateMessageEID`.
        message_eid: Vec<u8>,
        /// `ReplyTemplateGUID`.
        template_guid: Guid,
    },
    /// OP_DEFER_ACTION: the client's data.
    Defer(Vec<u8>),
    /// OP_BOUNCE.
    Bounce(u32),
    /// OP_FORWARD / OP_DELEGATE.
    Recipients(Vec<RecipientBlock>),
    /// OP_TAG.
    Tag(TaggedValue),
    /// OP_DELETE / OP_MARK_AS_READ, and unknown action types whose data is kept verbatim
    /// (empty for the two known ones).
    Other(Vec<u8>),
}

/// One ActionBlock.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionBlock {
    /// `ActionType` ([`op`]).
    pub action_type: u8,
    /// `ActionFlavor`.
    pub flavor: u32,
    /// `ActionFlags` (client-defined).
    pub flags: u32,
    /// `ActionData`.
    pub data: ActionData,
}

/// A RuleAction: the actions of one rule, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleActions {
    /// The ActionBlocks.
    pub actions: Vec<ActionBlock>,
}

fn read_len(r: &mut Reader<'_>, wide: bool, what: &'static str) -> DecodeResult<usize> {
    Ok(if wide { r.u32(what)? as usize } else { r.u16(what)? as usize })
}

fn write_len(w: &mut Writer, wide: bool, n: usize) {
    if wide { w.u32(n as u32) } else { w.u16(n as u16) }
}

fn read_sized<'a>(r: &mut Reader<'a>, wide: bool, what: &'static str) -> DecodeResult<&'a [u8]> {
    let n = read_len(r, wide, what)?;
    r.take(n, what)
}

fn read_data(r: &mut Reader<'_>, action_type: u8, form: Form) -> DecodeResult<ActionData> {
    let wide = form.wide_counts();
    Ok(match action_type {
        op::MOVE | op::COPY => {
            let folder_in_this_store = if wide { 0 } else { r.u8("FolderInThisStore")? };
            let store_eid = read_sized(r, wide, "StoreEID")?.to_vec();
            let folder_eid = read_sized(r, wide, "FolderEID")?.to_vec();
            ActionData::MoveCopy { folder_in_this_store, store_eid, folder_eid }
        }
        op::REPLY | op::OOF_REPLY if wide => {
            let message_eid = read_sized(r, true, "ReplyTemplateMessageEID")?.to_vec();
            ActionData::ReplyEntryId { message_eid, template_guid: r.guid("ReplyTemplateGUID")? }
        }
        op::REPLY | op::OOF_REPLY => ActionData::Reply {
            template_fid: r.object_id("ReplyTemplateFID")?,
            template_mid: r.object_id("ReplyTemplateMID")?,
            template_guid: r.guid("ReplyTemplateGUID")?,
        },
        op::DEFER_ACTION => ActionData::Defer(r.take_rest().to_vec()),
        op::BOUNCE => ActionData::Bounce(r.u32("BounceCode")?),
        op::FORWARD | op::DELEGATE => {
            let n = read_len(r, wide, "RecipientCount")?;
            let n = r.check_count(n as u64, 1, MAX_COUNT, "RecipientCount")?;
            let mut blocks = Vec::with_capacity(n);
            for _ in 0..n {
                let reserved = r.u8("Reserved")?;
                let count = read_len(r, wide, "NoOfProperties")?;
                blocks.push(RecipientBlock { reserved, props: read_tagged_values(r, count, form)? });
            }
            ActionData::Recipients(blocks)
        }
        op::TAG => ActionData::Tag(read_tagged_value(r, form)?),
        _ => ActionData::Other(r.take_rest().to_vec()),
    })
}

fn write_data(w: &mut Writer, data: &ActionData, form: Form) {
    let wide = form.wide_counts();
    match data {
        ActionData::MoveCopy { folder_in_this_store, store_eid, folder_eid } => {
            if !wide {
                w.u8(*folder_in_this_store);
            }
            write_len(w, wide, store_eid.len());
            w.bytes(store_eid);
            write_len(w, wide, folder_eid.len());
            w.bytes(folder_eid);
        }
        ActionData::Reply { template_fid, template_mid, template_guid } => {
            w.object_id(*template_fid);
            w.object_id(*template_mid);
            w.guid(template_guid);
        }
        ActionData::ReplyEntryId { message_eid, template_guid } => {
            w.u32(message_eid.len() as u32);
            w.bytes(message_eid);
            w.guid(template_guid);
        }
        ActionData::Defer(b) | ActionData::Other(b) => w.bytes(b),
        ActionData::Bounce(code) => w.u32(*code),
        ActionData::Recipients(blocks) => {
            write_len(w, wide, blocks.len());
            for b in blocks {
                w.u8(b.reserved);
                write_len(w, wide, b.props.len());
                write_tagged_values(w, &b.props, form);
            }
        }
        ActionData::Tag(t) => write_tagged_value(w, t, form),
    }
}

impl RuleActions {
    /// Decodes a whole RuleAction value of `form` (every byte must belong to it).
    pub fn decode(bytes: &[u8], form: Form) -> DecodeResult<RuleActions> {
        let mut r = Reader::new(bytes);
        let out = RuleActions::read(&mut r, form)?;
        r.finish("RuleAction")?;
        Ok(out)
    }

    /// Reads a RuleAction from `r`. Each ActionBlock's data must fill its `ActionLength`
    /// exactly.
    pub fn read(r: &mut Reader<'_>, form: Form) -> DecodeResult<RuleActions> {
        let wide = form.wide_counts();
        let n = read_len(r, wide, "NoOfActions")?;
        let n = r.check_count(n as u64, if wide { 4 } else { 2 }, MAX_COUNT, "NoOfActions")?;
        let mut actions = Vec::with_capacity(n);
        for _ in 0..n {
            let block = read_sized(r, wide, "ActionLength")?;
            let mut b = Reader::new(block);
            let action_type = b.u8("ActionType")?;
            let flavor = b.u32("ActionFlavor")?;
            let flags = b.u32("ActionFlags")?;
            let data = read_data(&mut b, action_type, form)?;
            b.finish("ActionData")?;
            actions.push(ActionBlock { action_type, flavor, flags, data });
        }
        Ok(RuleActions { actions })
    }

    /// Encodes the RuleAction in `form`.
    pub fn encode(&self, form: Form) -> Vec<u8> {
        let mut w = Writer::new();
        self.write(&mut w, form);
        w.into_vec()
    }

    /// Writes the RuleAction to `w`.
    pub fn write(&self, w: &mut Writer, form: Form) {
        let wide = form.wide_counts();
        write_len(w, wide, self.actions.len());
        for a in &self.actions {
            let mut b = Writer::new();
            b.u8(a.action_type);
            b.u32(a.flavor);
            b.u32(a.flags);
            write_data(&mut b, &a.data, form);
            write_len(w, wide, b.len());
            w.bytes(b.as_slice());
        }
    }
}

#[cfg(test)]
#[path = "rule_action_tests.rs"]
mod tests;
