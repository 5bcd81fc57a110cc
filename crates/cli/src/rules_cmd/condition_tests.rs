//! The condition syntax: what each test becomes, precedence, errors, and a proptest round
//! trip through [`describe`].

use oxmapi_core::bag::PropBag;
use proptest::prelude::*;

use super::*;

fn bag(subject: &str, size: i32, from: &str) -> PropBag {
    PropBag::new()
        .with(PR_SUBJECT, PropValue::Unicode(subject.into()))
        .with(PR_MESSAGE_SIZE, PropValue::I32(size))
        .with(PR_SENDER_SMTP_ADDRESS, PropValue::Unicode(from.into()))
        .with(PR_IMPORTANCE, PropValue::I32(1))
}

#[test]
fn each_test_becomes_its_restriction() {
    let r = parse("subject~invoice").unwrap();
    assert!(r.evaluate(&bag("Invoice 42", 10, "b@x")));
    assert!(!r.evaluate(&bag("Hello", 10, "b@x")));
    assert!(parse("from=bob@example.test").unwrap().evaluate(&bag("x", 1, "BOB@example.test")));
    assert!(!parse("from=bob@example.test").unwrap().evaluate(&bag("x", 1, "bob@example.testing")));
    assert!(parse("size>1000000").unwrap().evaluate(&bag("x", 2_000_000, "b")));
    assert!(parse("size>1MB").unwrap().evaluate(&bag("x", 2_000_000, "b")));
    assert!(!parse("size>2M").unwrap().evaluate(&bag("x", 2_000_000, "b")));
    assert!(parse("importance=1").unwrap().evaluate(&bag("x", 1, "b")));
    assert!(parse("importance>=1").unwrap().evaluate(&bag("x", 1, "b")));
    assert!(matches!(parse("to=carol@example.test").unwrap(), Restriction::SubObject { .. }));
    assert!(matches!(parse("has-attachment").unwrap(), Restriction::BitMask { .. }));
}

#[test]
fn and_binds_tighter_than_or_and_not_tightest() {
    let r = parse("subject~a or subject~b and not size>5").unwrap();
    let Restriction::Or(v) = &r else { panic!("{r:?}") };
    assert!(matches!(&v[1], Restriction::And(x) if matches!(x[1], Restriction::Not(_))));
    let r = parse("(subject~a or subject~b) and size>5").unwrap();
    assert!(matches!(r, Restriction::And(_)));
    assert!(parse("NOT subject~x AND subject~\"two words\"").unwrap().evaluate(&bag(
        "two words here",
        1,
        "b"
    )));
}

#[test]
fn mistakes_are_named() {
    for bad in [
        "",
        "subject",
        "subject~",
        "colour=red",
        "from>a",
        "subject~a and",
        "or subject~a",
        "(subject~a",
        "subject~a)",
        "size>lots",
        "size>99999999999",
        "subject~\"open",
    ] {
        assert!(parse(bad).is_err(), "{bad:?} should be refused");
    }
    let deep = format!("{}subject~a{}", "(".repeat(40), ")".repeat(40));
    assert!(parse(&deep).is_err());
}

#[test]
fn an_operator_inside_the_text_stays_text() {
    let r = parse("subject~a=b").unwrap();
    assert!(r.evaluate(&bag("x a=b y", 1, "")));
    let r = parse("from=odd~name@x").unwrap();
    assert_eq!(describe(&r).unwrap(), "from=odd~name@x");
}

fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9@._ =<>!~-]{1,12}").unwrap()
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        text().prop_map(|t| format!("subject~\"{t}\"")),
        text().prop_map(|t| format!("body~\"{t}\"")),
        text().prop_map(|t| format!("from=\"{t}\"")),
        text().prop_map(|t| format!("to=\"{t}\"")),
        (0..3i32).prop_map(|n| format!("importance={n}")),
        (0..100_000i32, prop_oneof![Just(">"), Just("<"), Just(">="), Just("<="), Just("!=")])
            .prop_map(|(n, op)| format!("size{op}{n}")),
        Just("has-attachment".to_string()),
    ]
}

fn condition() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) or ({b})")),
            inner.prop_map(|a| format!("not ({a})")),
        ]
    })
}

proptest! {
    /// Whatever parses is described in the syntax, and the description parses to the same
    /// restriction.
    #[test]
    fn describe_round_trips(c in condition()) {
        let r = parse(&c).unwrap();
        let text = describe(&r).expect("every parsed condition can be described");
        prop_assert_eq!(parse(&text).unwrap(), r);
    }

    /// Arbitrary input never panics the parser.
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,40}") {
        let _ = parse(&s);
    }
}
