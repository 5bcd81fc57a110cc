//! RuleAction vectors laid out byte by byte after MS-OXORULE 2.2.5, ruler's DEFER action, and
//! round trips of generated action lists in both forms.

use oxmapi_core::codec::Reader;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use proptest::collection::vec;
use proptest::prelude::*;

use super::*;
use crate::strategies::{blob, guid, tagged_value};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// sensepost/ruler `mapi/mapi.go` `ExecuteMailRuleAdd`: one OP_DEFER_ACTION block with no
/// data (ActionLength 9 = type + flavor + flags).
#[test]
fn ruler_defer_action() {
    let b = hex("01 00 09 00 05 00 00 00 00 00 00 00 00");
    let a = RuleActions::decode(&b, Form::Rop).unwrap();
    assert_eq!(
        a.actions,
        vec![ActionBlock {
            action_type: op::DEFER_ACTION,
            flavor: 0,
            flags: 0,
            data: ActionData::Defer(vec![])
        }]
    );
    assert_eq!(a.encode(Form::Rop), b);
}

/// MS-OXORULE 2.2.5.1.2.1: OP_MOVE to a folder of this store — FolderInThisStore 1, an empty
/// StoreEID, and a 21-byte ServerEid (Ours 1, FolderId, MessageId 0, Instance 0).
#[test]
fn move_to_server_eid() {
    let fid = ObjectId::new(1, 0x1234);
    let mut b = hex("01 00 23 00 01 00 00 00 00 00 00 00 00 01 00 00 15 00");
    b.extend(server_eid(fid));
    let a = RuleActions::decode(&b, Form::Rop).unwrap();
    let ActionData::MoveCopy { folder_in_this_store, store_eid, folder_eid } = &a.actions[0].data else {
        panic!("{a:?}")
    };
    assert_eq!((*folder_in_this_store, store_eid.len()), (1, 0));
    assert_eq!(server_eid_folder(folder_eid), Some(fid));
    assert_eq!(a.encode(Form::Rop), b);
}

/// MS-OXORULE 2.2.5.1.2.5: OP_FORWARD with one RecipientBlock (Reserved 0x01, one property,
/// PidTagSmtpAddress), FWD_PRESERVE_SENDER flavor.
#[test]
fn forward_one_recipient() {
    let mut b = hex("01 00 1E 00 07 01 00 00 00 00 00 00 00 01 00 01 01 00 1F 00 FE 39");
    b.extend("a@b.c".encode_utf16().chain([0]).flat_map(|u| u.to_le_bytes()));
    let a = RuleActions::decode(&b, Form::Rop).unwrap();
    assert_eq!(a.actions[0].flavor, forward_flavor::PRESERVE_SENDER);
    assert_eq!(
        a.actions[0].data,
        ActionData::Recipients(vec![RecipientBlock {
            reserved: 1,
            props: vec![TaggedValue { tag: PropTag(0x39FE_001F), value: PropValue::Unicode("a@b.c".into()) }]
        }])
    );
    assert_eq!(a.encode(Form::Rop), b);
}

/// MS-OXORULE 2.2.5.1.2.2 (reply template FID, MID, GUID), 2.2.5.1.2.4 (bounce code), 2.2.5.1.2.6
/// (OP_TAG) and 2.2.5.1.2.7 (OP_DELETE, OP_MARK_AS_READ without data) in one RuleAction.
#[test]
fn reply_bounce_tag_delete_mark_read() {
    let a = RuleActions {
        actions: vec![
            ActionBlock {
                action_type: op::OOF_REPLY,
                flavor: 0,
                flags: 0,
                data: ActionData::Reply {
                    template_fid: ObjectId::new(1, 9),
                    template_mid: ObjectId::new(1, 10),
                    template_guid: Guid([7; 16]),
                },
            },
            ActionBlock {
                action_type: op::BOUNCE,
                flavor: 0,
                flags: 0,
                data: ActionData::Bounce(bounce_code::TOO_LARGE),
            },
            ActionBlock {
                action_type: op::TAG,
                flavor: 0,
                flags: 0,
                data: ActionData::Tag(TaggedValue { tag: PropTag(0x0017_0003), value: PropValue::I32(2) }),
            },
            ActionBlock { action_type: op::DELETE, flavor: 0, flags: 0, data: ActionData::Other(vec![]) },
            ActionBlock {
                action_type: op::MARK_AS_READ,
                flavor: 0,
                flags: 0,
                data: ActionData::Other(vec![]),
            },
        ],
    };
    let b = a.encode(Form::Rop);
    // NoOfActions 5; the reply block is 9 + 8 + 8 + 16 = 41 bytes, the bounce block 13.
    assert_eq!(&b[..4], &hex("05 00 29 00")[..]);
    assert_eq!(RuleActions::decode(&b, Form::Rop).unwrap(), a);
}

/// A block whose data is shorter than its ActionLength says, or a count beyond the buffer,
/// is refused rather than read past.
#[test]
fn short_and_hostile_blocks_are_refused() {
    assert!(RuleActions::decode(&hex("01 00 0D 00 06 00 00 00 00 00 00 00 00 0D 00 00"), Form::Rop).is_err());
    assert!(RuleActions::decode(&hex("FF FF 09 00"), Form::Rop).is_err());
    assert!(RuleActions::decode(&hex("01 00 0A 00 06 00 00 00 00 00 00 00 00 0D"), Form::Rop).is_err());
    assert!(RuleActions::read(&mut Reader::new(&hex("01 00 09 00 01")), Form::Rop).is_err());
}

fn recipient_block() -> impl Strategy<Value = RecipientBlock> {
    (any::<u8>(), vec(tagged_value(), 0..3)).prop_map(|(reserved, props)| RecipientBlock { reserved, props })
}

fn action(extended: bool) -> impl Strategy<Value = ActionBlock> {
    let move_copy = (prop_oneof![Just(op::MOVE), Just(op::COPY)], any::<u8>(), blob(), blob()).prop_map(
        move |(t, f, s, d)| {
            (
                t,
                ActionData::MoveCopy {
                    folder_in_this_store: if extended { 0 } else { f },
                    store_eid: s,
                    folder_eid: d,
                },
            )
        },
    );
    let reply =
        (prop_oneof![Just(op::REPLY), Just(op::OOF_REPLY)], any::<u64>(), any::<u64>(), blob(), guid())
            .prop_map(move |(t, f, m, eid, g)| {
                let data = if extended {
                    ActionData::ReplyEntryId { message_eid: eid, template_guid: g }
                } else {
                    ActionData::Reply {
                        template_fid: ObjectId::from_u64(f),
                        template_mid: ObjectId::from_u64(m),
                        template_guid: g,
                    }
                };
                (t, data)
            });
    let data = prop_oneof![
        move_copy,
        reply,
        blob().prop_map(|b| (op::DEFER_ACTION, ActionData::Defer(b))),
        any::<u32>().prop_map(|c| (op::BOUNCE, ActionData::Bounce(c))),
        (prop_oneof![Just(op::FORWARD), Just(op::DELEGATE)], vec(recipient_block(), 0..3))
            .prop_map(|(t, r)| (t, ActionData::Recipients(r))),
        tagged_value().prop_map(|t| (op::TAG, ActionData::Tag(t))),
        prop_oneof![Just(op::DELETE), Just(op::MARK_AS_READ)].prop_map(|t| (t, ActionData::Other(vec![]))),
    ];
    (data, any::<u32>(), any::<u32>()).prop_map(|((action_type, data), flavor, flags)| ActionBlock {
        action_type,
        flavor,
        flags,
        data,
    })
}

/// Re-encoding compares bytes (floating-point NaN values never equal themselves).
fn round_trips(a: RuleActions, form: Form) {
    let b = a.encode(form);
    let back = RuleActions::decode(&b, form).unwrap();
    assert_eq!(back.encode(form), b);
    assert_eq!(back.actions.len(), a.actions.len());
}

proptest! {
    #[test]
    fn rop_form_round_trips(actions in vec(action(false), 0..4)) {
        round_trips(RuleActions { actions }, Form::Rop);
    }

    #[test]
    fn extended_form_round_trips(actions in vec(action(true), 0..4)) {
        round_trips(RuleActions { actions }, Form::Extended);
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in vec(any::<u8>(), 0..64)) {
        for form in [Form::Rop, Form::Extended] {
            if let Ok(a) = RuleActions::decode(&b, form) {
                prop_assert_eq!(RuleActions::decode(&a.encode(form), form).unwrap().encode(form), a.encode(form));
            }
        }
    }
}
