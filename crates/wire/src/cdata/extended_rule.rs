//! Extended rules (MS-OXORULE 2.2.4): the binary values of PidTagExtendedRuleMessageCondition
//! (2.2.4.1.10: NamedPropertyInformation, then a restriction with 4-byte counts) and
//! PidTagExtendedRuleMessageActions (2.2.4.1.9: NamedPropertyInformation, RuleVersion 1, then a
//! RuleAction with 4-byte counts). This build reads the rules that use no named properties
//! (`NoOfNamedProps` 0, where NamedPropertyInformation is the 2-byte 0x0000); one that maps
//! named properties is refused, so the server leaves it alone rather than guess at its ids.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::restriction::Restriction;

use super::rule_action::RuleActions;
use super::{Form, read_restriction, write_restriction};

/// The only RuleVersion defined (MS-OXORULE 2.2.4.1.9).
pub const RULE_VERSION: u32 = 1;

fn no_named_properties(r: &mut Reader<'_>) -> DecodeResult<()> {
    match r.u16("NoOfNamedProps")? {
        0 => Ok(()),
        n => Err(r.invalid(
            "NoOfNamedProps",
            format!("{n} named properties: extended rules with named properties are not read"),
        )),
    }
}

/// Reads a PidTagExtendedRuleMessageCondition value.
pub fn decode_condition(bytes: &[u8]) -> DecodeResult<Restriction> {
    let mut r = Reader::new(bytes);
    no_named_properties(&mut r)?;
    let x = read_restriction(&mut r, Form::Extended)?;
    r.finish("ExtendedRuleCondition")?;
    Ok(x)
}

/// Writes a PidTagExtendedRuleMessageCondition value without named properties.
pub fn encode_condition(x: &Restriction) -> Vec<u8> {
    let mut w = Writer::new();
    w.u16(0);
    write_restriction(&mut w, x, Form::Extended);
    w.into_vec()
}

/// Reads a PidTagExtendedRuleMessageActions value.
pub fn decode_actions(bytes: &[u8]) -> DecodeResult<RuleActions> {
    let mut r = Reader::new(bytes);
    no_named_properties(&mut r)?;
    let version = r.u32("RuleVersion")?;
    if version != RULE_VERSION {
        return Err(r.invalid("RuleVersion", format!("{version}, not 1")));
    }
    let a = RuleActions::read(&mut r, Form::Extended)?;
    r.finish("ExtendedRuleActions")?;
    Ok(a)
}

/// Writes a PidTagExtendedRuleMessageActions value without named properties.
pub fn encode_actions(a: &RuleActions) -> Vec<u8> {
    let mut w = Writer::new();
    w.u16(0);
    w.u32(RULE_VERSION);
    a.write(&mut w, Form::Extended);
    w.into_vec()
}

#[cfg(test)]
mod tests {
    use oxmapi_core::tag::PropTag;
    use proptest::prelude::*;

    use super::*;
    use crate::cdata::rule_action::{ActionBlock, ActionData, op};
    use crate::strategies::restriction;

    #[test]
    fn named_properties_are_refused_and_versions_checked() {
        assert!(decode_condition(&[1, 0, 0, 0x80]).is_err());
        let mut b = encode_actions(&RuleActions::default());
        b[2] = 2;
        assert!(decode_actions(&b).is_err());
        let a = RuleActions {
            actions: vec![ActionBlock {
                action_type: op::DELETE,
                flavor: 0,
                flags: 0,
                data: ActionData::Other(vec![]),
            }],
        };
        // NoOfNamedProps 0, RuleVersion 1, NoOfActions 1 (u32), ActionLength 9 (u32).
        assert_eq!(&encode_actions(&a)[..14], &[0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0]);
        assert_eq!(decode_actions(&encode_actions(&a)).unwrap(), a);
        let x = Restriction::Exist { prop_tag: PropTag(0x0037_001F) };
        assert_eq!(decode_condition(&encode_condition(&x)).unwrap(), x);
    }

    proptest! {
        #[test]
        fn conditions_round_trip(x in restriction()) {
            let b = encode_condition(&x);
            prop_assert_eq!(encode_condition(&decode_condition(&b).unwrap()), b);
        }

        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode_condition(&b);
            let _ = decode_actions(&b);
        }
    }
}
