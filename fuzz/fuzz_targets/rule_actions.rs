//! RuleAction values (MS-OXORULE 2.2.5) in the ROP and extended-rule forms: whatever decodes
//! re-encodes to bytes that decode to the same encoding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_wire::cdata::Form;
use oxmapi_wire::cdata::rule_action::RuleActions;

fuzz_target!(|data: &[u8]| {
    for form in [Form::Rop, Form::Extended] {
        if let Ok(a) = RuleActions::decode(data, form) {
            let once = a.encode(form);
            let back = RuleActions::decode(&once, form).unwrap();
            assert_eq!(back.encode(form), once);
        }
    }
});
