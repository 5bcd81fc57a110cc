//! RuleAction values (MS-OXORULE 2.2.5) in the ROP and extended-rule forms: whatever decodes
//! re-encodes to bytes that decode to the same encoding; the same for the extended-rule
//! condition and action values (MS-OXORULE 2.2.4).
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_wire::cdata::Form;
use oxmapi_wire::cdata::extended_rule;
use oxmapi_wire::cdata::rule_action::RuleActions;

fuzz_target!(|data: &[u8]| {
    for form in [Form::Rop, Form::Extended] {
        if let Ok(a) = RuleActions::decode(data, form) {
            let once = a.encode(form);
            let back = RuleActions::decode(&once, form).unwrap();
            assert_eq!(back.encode(form), once);
        }
    }
    // Extended rules (MS-OXORULE 2.2.4): the condition and action values of the FAI message.
    if let Ok(x) = extended_rule::decode_condition(data) {
        let once = extended_rule::encode_condition(&x);
        assert_eq!(extended_rule::encode_condition(&extended_rule::decode_condition(&once).unwrap()), once);
    }
    if let Ok(a) = extended_rule::decode_actions(data) {
        let once = extended_rule::encode_actions(&a);
        assert_eq!(extended_rule::encode_actions(&extended_rule::decode_actions(&once).unwrap()), once);
    }
});
