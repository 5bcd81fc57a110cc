//! The readable rule condition syntax of `oxmapi rules add --if` (and `ls --restrict`):
//! tests combined with `and`, `or`, `not` and parentheses, turned into a restriction
//! (MS-OXCDATA 2.12) that the server evaluates as PidTagRuleCondition.
//!
//! | test | restriction |
//! |---|---|
//! | `subject~TEXT`, `body~TEXT` | RES_CONTENT, FL_SUBSTRING \| FL_IGNORECASE on PR_SUBJECT / PR_BODY |
//! | `from=ADDR` | RES_CONTENT, FL_FULLSTRING \| FL_IGNORECASE on PR_SENDER_SMTP_ADDRESS or PR_SENDER_EMAIL_ADDRESS |
//! | `to=ADDR` | RES_SUBRESTRICTION on the recipients: PR_SMTP_ADDRESS or PR_EMAIL_ADDRESS |
//! | `importance=N` (also `<`, `>`, `<=`, `>=`, `!=`) | RES_PROPERTY on PR_IMPORTANCE |
//! | `size>N` (N may end in K, KB, M, MB) | RES_PROPERTY on PR_MESSAGE_SIZE |
//! | `has-attachment` | RES_BITMASK, MSGFLAG_HASATTACH set in PR_MESSAGE_FLAGS |
//!
//! TEXT and ADDR run to the next space or parenthesis, or are quoted with `"…"`. `and` binds
//! tighter than `or`; `not` tighter than both.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags::MSGFLAG_HASATTACH;
use oxmapi_core::restriction::{BitmapRelOp, FL_FULLSTRING, FL_IGNORECASE, FL_SUBSTRING, RelOp, Restriction};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

/// Nesting deeper than this is refused (the server's restriction decoder has a depth limit too).
pub const MAX_DEPTH: usize = 32;

/// What is wrong with a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError(pub String);

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    Word(String),
}

fn tokens(s: &str) -> Result<Vec<Token>, SyntaxError> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                out.push(Token::Close);
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' {
                        break;
                    }
                    chars.next();
                    if c == '"' {
                        let mut closed = false;
                        for q in chars.by_ref() {
                            if q == '"' {
                                closed = true;
                                break;
                            }
                            word.push(q);
                        }
                        if !closed {
                            return Err(SyntaxError("a quote is not closed".into()));
                        }
                    } else {
                        word.push(c);
                    }
                }
                out.push(Token::Word(word));
            }
        }
    }
    Ok(out)
}

fn content(tag: PropTag, text: &str, low: u16) -> Restriction {
    Restriction::Content {
        fuzzy_level_low: low,
        fuzzy_level_high: FL_IGNORECASE,
        prop_tag: tag,
        value: TaggedValue::new(tag, PropValue::Unicode(text.to_string())),
    }
}

fn number(text: &str, what: &str) -> Result<i64, SyntaxError> {
    let t = text.trim().to_ascii_uppercase();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t.as_str(), ""),
    };
    let mult = match unit {
        "" | "B" => 1,
        "K" | "KB" => 1024,
        "M" | "MB" => 1024 * 1024,
        _ => return Err(SyntaxError(format!("{what} takes a number (optionally K or M), not {text:?}"))),
    };
    digits
        .parse::<i64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|n| *n <= i32::MAX as i64)
        .ok_or_else(|| SyntaxError(format!("{what} takes a number up to {}, not {text:?}", i32::MAX)))
}

/// The comparison operators, longest first.
const OPS: &[(&str, RelOp)] = &[
    ("<=", RelOp::Le),
    (">=", RelOp::Ge),
    ("!=", RelOp::Ne),
    ("<", RelOp::Lt),
    (">", RelOp::Gt),
    ("=", RelOp::Eq),
];

/// One test.
fn atom(word: &str) -> Result<Restriction, SyntaxError> {
    if word.eq_ignore_ascii_case("has-attachment") {
        return Ok(Restriction::BitMask {
            relop: BitmapRelOp::Nez,
            prop_tag: PR_MESSAGE_FLAGS,
            mask: MSGFLAG_HASATTACH,
        });
    }
    let first_op = OPS.iter().filter_map(|(s, _)| word.find(s)).min();
    if let Some(tilde) = word.find('~')
        && first_op.is_none_or(|o| tilde < o)
    {
        let (field, text) = (&word[..tilde], &word[tilde + 1..]);
        let tag = match field.to_ascii_lowercase().as_str() {
            "subject" => PR_SUBJECT,
            "body" => PR_BODY,
            other => return Err(SyntaxError(format!("`~` applies to subject and body, not {other:?}"))),
        };
        if text.is_empty() {
            return Err(SyntaxError(format!("{field}~ needs the text to look for")));
        }
        return Ok(content(tag, text, FL_SUBSTRING));
    }
    let (field, op, value) = OPS
        .iter()
        .filter_map(|(s, op)| word.find(s).map(|i| (i, s, *op)))
        .min_by_key(|(i, s, _)| (*i, usize::MAX - s.len()))
        .map(|(i, s, op)| (&word[..i], op, &word[i + s.len()..]))
        .ok_or_else(|| SyntaxError(format!("{word:?} is not a test (subject~TEXT, from=ADDR, size>N …)")))?;
    let eq_only = |what: &str| {
        if op == RelOp::Eq { Ok(()) } else { Err(SyntaxError(format!("{what} takes `=`"))) }
    };
    match field.to_ascii_lowercase().as_str() {
        "from" => {
            eq_only("from")?;
            Ok(Restriction::Or(vec![
                content(PR_SENDER_SMTP_ADDRESS, value, FL_FULLSTRING),
                content(PR_SENDER_EMAIL_ADDRESS, value, FL_FULLSTRING),
            ]))
        }
        "to" => {
            eq_only("to")?;
            Ok(Restriction::SubObject {
                subobject: PR_MESSAGE_RECIPIENTS,
                restriction: Box::new(Restriction::Or(vec![
                    content(PR_SMTP_ADDRESS, value, FL_FULLSTRING),
                    content(PR_EMAIL_ADDRESS, value, FL_FULLSTRING),
                ])),
            })
        }
        "importance" | "size" => {
            let tag = if field.eq_ignore_ascii_case("size") { PR_MESSAGE_SIZE } else { PR_IMPORTANCE };
            let n = number(value, field)? as i32;
            Ok(Restriction::Property {
                relop: op,
                prop_tag: tag,
                value: TaggedValue::new(tag, PropValue::I32(n)),
            })
        }
        other => Err(SyntaxError(format!(
            "unknown field {other:?}: use subject, body, from, to, importance, size"
        ))),
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    fn or(&mut self, depth: usize) -> Result<Restriction, SyntaxError> {
        let mut v = vec![self.and(depth)?];
        while self.peek_word("or") {
            self.at += 1;
            v.push(self.and(depth)?);
        }
        Ok(if v.len() == 1 { v.remove(0) } else { Restriction::Or(v) })
    }

    fn and(&mut self, depth: usize) -> Result<Restriction, SyntaxError> {
        let mut v = vec![self.unary(depth)?];
        while self.peek_word("and") {
            self.at += 1;
            v.push(self.unary(depth)?);
        }
        Ok(if v.len() == 1 { v.remove(0) } else { Restriction::And(v) })
    }

    fn unary(&mut self, depth: usize) -> Result<Restriction, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError(format!("the condition nests deeper than {MAX_DEPTH}")));
        }
        match self.tokens.get(self.at).cloned() {
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("not") => {
                self.at += 1;
                Ok(Restriction::Not(Box::new(self.unary(depth + 1)?)))
            }
            Some(Token::Open) => {
                self.at += 1;
                let r = self.or(depth + 1)?;
                if self.tokens.get(self.at) != Some(&Token::Close) {
                    return Err(SyntaxError("a `(` is not closed".into()));
                }
                self.at += 1;
                Ok(r)
            }
            Some(Token::Word(w)) if ["and", "or"].iter().any(|k| w.eq_ignore_ascii_case(k)) => {
                Err(SyntaxError(format!("`{w}` needs a test before it")))
            }
            Some(Token::Word(w)) => {
                self.at += 1;
                atom(&w)
            }
            Some(Token::Close) => Err(SyntaxError("a `)` has no `(`".into())),
            None => Err(SyntaxError("a test is missing at the end".into())),
        }
    }
}

/// Parses a condition.
pub fn parse(text: &str) -> Result<Restriction, SyntaxError> {
    let mut p = Parser { tokens: tokens(text)?, at: 0 };
    if p.tokens.is_empty() {
        return Err(SyntaxError("the condition is empty".into()));
    }
    let r = p.or(0)?;
    if p.at != p.tokens.len() {
        return Err(SyntaxError(format!("unexpected {:?} after a complete condition", p.tokens[p.at])));
    }
    Ok(r)
}

fn quoted(s: &str) -> String {
    if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c == '(' || c == ')' || c == '"') {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

fn text_of(v: &TaggedValue) -> Option<&str> {
    match &v.value {
        PropValue::Unicode(s) => Some(s),
        _ => None,
    }
}

/// The condition syntax of `r`, when it is one the syntax can write (what [`parse`] makes);
/// `None` for other restrictions (set by other clients).
pub fn describe(r: &Restriction) -> Option<String> {
    let join = |v: &[Restriction], op: &str| -> Option<String> {
        let parts: Option<Vec<String>> = v.iter().map(|x| describe(x).map(|s| format!("({s})"))).collect();
        parts.map(|p| p.join(&format!(" {op} ")))
    };
    match r {
        Restriction::And(v) if !v.is_empty() => join(v, "and"),
        Restriction::Or(v) => {
            if let [
                Restriction::Content { prop_tag: a, value, fuzzy_level_low: FL_FULLSTRING, .. },
                Restriction::Content { prop_tag: b, .. },
            ] = v.as_slice()
                && *a == PR_SENDER_SMTP_ADDRESS
                && *b == PR_SENDER_EMAIL_ADDRESS
            {
                return Some(format!("from={}", quoted(text_of(value)?)));
            }
            if v.is_empty() { None } else { join(v, "or") }
        }
        Restriction::Not(x) => Some(format!("not ({})", describe(x)?)),
        Restriction::Content { prop_tag, value, fuzzy_level_low: FL_SUBSTRING, .. } => {
            let field = match *prop_tag {
                t if t == PR_SUBJECT => "subject",
                t if t == PR_BODY => "body",
                _ => return None,
            };
            Some(format!("{field}~{}", quoted(text_of(value)?)))
        }
        Restriction::SubObject { subobject, restriction } if *subobject == PR_MESSAGE_RECIPIENTS => {
            if let Restriction::Or(v) = restriction.as_ref()
                && let Some(Restriction::Content { value, .. }) = v.first()
            {
                return Some(format!("to={}", quoted(text_of(value)?)));
            }
            None
        }
        Restriction::Property { relop, prop_tag, value } => {
            let field = match *prop_tag {
                t if t == PR_IMPORTANCE => "importance",
                t if t == PR_MESSAGE_SIZE => "size",
                _ => return None,
            };
            let op = OPS.iter().find(|(_, o)| o == relop)?.0;
            Some(format!("{field}{op}{}", value.value.as_i64()?))
        }
        Restriction::BitMask { prop_tag, mask: MSGFLAG_HASATTACH, relop: BitmapRelOp::Nez }
            if *prop_tag == PR_MESSAGE_FLAGS =>
        {
            Some("has-attachment".into())
        }
        _ => None,
    }
}

#[cfg(test)]
#[path = "condition_tests.rs"]
mod tests;
