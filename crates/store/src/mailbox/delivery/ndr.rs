//! Non-delivery reports (MS-OXOMSG 2.2.2.x report properties; 3.2.5.1: a report goes to the
//! sender when recipients cannot be reached). The report's class is `REPORT.<class>.NDR`, its
//! subject "Undeliverable: <subject>", its recipient table lists the failed recipients with
//! PR_NDR_REASON_CODE, PR_NDR_DIAG_CODE and PR_REPORT_TEXT, and it carries the original's
//! PR_ORIGINAL_SUBJECT, PR_ORIGINAL_SUBMIT_TIME, PR_ORIGINAL_DISPLAY_TO/CC and (when known)
//! PR_ORIGINAL_ENTRYID. It comes from the postmaster of the directory's domain (SMTP).
//!
//! No report is made about a report (a `REPORT.*` message: no report loops), nor when the
//! sender set PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED to false (MS-OXOMSG 2.2.1.22).
//!
//! A **delivery report** (`REPORT.<class>.DR`, subject "Delivered: <subject>", MS-OXOMSG 2.2.2.1
//! and 3.2.5.x) is made the same way, listing the recipients reached, when the sender set
//! PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED (2.2.1.20); never about a report either.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::{address_type, report};
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::resolve::{Failure, text};
use crate::mailbox::RecipientRow;
use crate::mailbox::messages::MessageContent;

/// One recipient the message did not reach.
#[derive(Clone, Debug, PartialEq)]
pub struct FailedRecipient {
    /// The recipient row of the submitted message.
    pub row: RecipientRow,
    /// Why.
    pub failure: Failure,
}

fn name_of(row: &RecipientRow) -> String {
    let get = |tag| text(row, tag);
    let name = get(PR_DISPLAY_NAME);
    let addr = get(PR_SMTP_ADDRESS).or_else(|| get(PR_EMAIL_ADDRESS));
    match (name, addr) {
        (Some(n), Some(a)) if n != a => format!("{n} <{a}>"),
        (Some(n), _) => n,
        (None, Some(a)) => a,
        (None, None) => format!("recipient {}", row.row_id),
    }
}

/// True when `original` is itself a report (`REPORT.*`): no report is ever made about one.
fn is_report(original: &MessageContent) -> bool {
    let class = original.text(PR_MESSAGE_CLASS).unwrap_or_default();
    class.get(..report::CLASS_PREFIX.len()).is_some_and(|p| p.eq_ignore_ascii_case(report::CLASS_PREFIX))
}

/// True when a failed delivery of `original` gets a non-delivery report: it is not a report
/// itself, and its sender did not turn reports off (PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED
/// false; absent means requested).
pub fn wants_report(original: &MessageContent) -> bool {
    let refused =
        matches!(original.get(PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED), Some(PropValue::Bool(false)));
    !is_report(original) && !refused
}

/// True when a successful delivery of `original` gets a delivery report: its sender set
/// PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED (MS-OXOMSG 2.2.1.20) and it is not a report itself.
pub fn wants_delivery_report(original: &MessageContent) -> bool {
    matches!(original.get(PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED), Some(PropValue::Bool(true)))
        && !is_report(original)
}

/// The delivery report about `original` for the recipients `delivered` (rows of its recipient
/// table), made at `now`, from `postmaster`.
pub fn delivery_report(
    original: &MessageContent,
    delivered: &[RecipientRow],
    now: FileTime,
    original_entry_id: Option<Vec<u8>>,
    postmaster: &str,
) -> MessageContent {
    let subject = original.text(PR_SUBJECT).unwrap_or_default();
    let mut body = String::from("Your message has been delivered to the following recipients:\r\n\r\n");
    for row in delivered {
        body += &format!("      {}\r\n", name_of(row));
    }
    body += &format!("\r\n      Subject: {subject}\r\n");
    let mut dr = report_message(original, ReportKind::Delivered, now, original_entry_id, postmaster, body);
    dr.recipients = delivered
        .iter()
        .map(|row| {
            let mut row = row.clone();
            row.props.retain(|p| p.tag.id() != PR_REPORT_TIME.id());
            row.props.push(TaggedValue::new(PR_REPORT_TIME, PropValue::SysTime(now)));
            row
        })
        .collect();
    dr
}

/// Which report [`report_message`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReportKind {
    /// A non-delivery report (`.NDR`, "Undeliverable: ").
    NonDelivery,
    /// A delivery report (`.DR`, "Delivered: ").
    Delivered,
    /// A read receipt (`.IPNRN`, "Read: ").
    Read,
}

impl ReportKind {
    fn suffix_and_prefix(self) -> (&'static str, &'static str) {
        match self {
            ReportKind::NonDelivery => (report::NDR_SUFFIX, report::UNDELIVERABLE_PREFIX),
            ReportKind::Delivered => (report::DR_SUFFIX, report::DELIVERED_PREFIX),
            ReportKind::Read => (report::IPNRN_SUFFIX, report::READ_PREFIX),
        }
    }
}

/// The properties every report about `original` carries (MS-OXOMSG 2.2.2.x): class
/// `REPORT.<class><suffix>`, subject with its prefix, PR_ORIGINAL_* of the original, the report
/// text as PR_REPORT_TEXT and body, and the postmaster as sender; no recipients yet.
pub(crate) fn report_message(
    original: &MessageContent,
    kind: ReportKind,
    now: FileTime,
    original_entry_id: Option<Vec<u8>>,
    postmaster: &str,
    body: String,
) -> MessageContent {
    let (suffix, prefix) = kind.suffix_and_prefix();
    let subject = original.text(PR_SUBJECT).unwrap_or_default();
    let class = original.text(PR_MESSAGE_CLASS).unwrap_or_else(|| report::DEFAULT_MESSAGE_CLASS.to_string());
    let submitted = original.get(PR_CLIENT_SUBMIT_TIME).cloned().unwrap_or(PropValue::SysTime(now));
    let mut r = MessageContent::default();
    let unicode = |s: String| PropValue::Unicode(s);
    r.set(PR_MESSAGE_CLASS, unicode(format!("{}{class}{suffix}", report::CLASS_PREFIX)));
    r.set(PR_SUBJECT, unicode(format!("{prefix}{subject}")));
    r.set(PR_ORIGINAL_SUBJECT, unicode(subject));
    r.set(PR_ORIGINAL_SUBMIT_TIME, submitted);
    for (from, to) in [(PR_DISPLAY_TO, PR_ORIGINAL_DISPLAY_TO), (PR_DISPLAY_CC, PR_ORIGINAL_DISPLAY_CC)] {
        if let Some(v) = original.text(from) {
            r.set(to, unicode(v));
        }
    }
    if let Some(eid) = original_entry_id {
        r.set(PR_ORIGINAL_ENTRYID, PropValue::Binary(eid));
    }
    if let Some(k) = original.get(PR_SEARCH_KEY) {
        r.set(PR_PARENT_KEY, k.clone());
    }
    r.set(PR_REPORT_TEXT, unicode(body.clone()));
    r.set(PR_BODY, unicode(body));
    r.set(PR_REPORT_TIME, PropValue::SysTime(now));
    r.set(PR_REPORT_NAME, unicode(report::SYSTEM_SENDER_NAME.into()));
    r.set(PR_SENDER_NAME, unicode(report::SYSTEM_SENDER_NAME.into()));
    r.set(PR_SENT_REPRESENTING_NAME, unicode(report::SYSTEM_SENDER_NAME.into()));
    for tag in [PR_SENDER_ADDRTYPE, PR_SENT_REPRESENTING_ADDRTYPE] {
        r.set(tag, unicode(address_type::SMTP.into()));
    }
    for tag in [PR_SENDER_EMAIL_ADDRESS, PR_SENT_REPRESENTING_EMAIL_ADDRESS, PR_SENDER_SMTP_ADDRESS] {
        r.set(tag, unicode(postmaster.into()));
    }
    r.set(PR_CLIENT_SUBMIT_TIME, PropValue::SysTime(now));
    r.set(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(now));
    r.set(PR_IMPORTANCE, PropValue::I32(1));
    r
}

/// The non-delivery report about `original` (as submitted) for `failed`, made at `now`, from
/// `postmaster` (an SMTP address). `original_entry_id` is where the original is kept (Sent
/// Items), when it is kept.
pub fn non_delivery_report(
    original: &MessageContent,
    failed: &[FailedRecipient],
    now: FileTime,
    original_entry_id: Option<Vec<u8>>,
    postmaster: &str,
) -> MessageContent {
    let subject = original.text(PR_SUBJECT).unwrap_or_default();
    let mut body = String::from("Your message did not reach some or all of the intended recipients.\r\n\r\n");
    body += &format!("      Subject: {subject}\r\n");
    if let Some(PropValue::SysTime(t)) = original.get(PR_CLIENT_SUBMIT_TIME) {
        body += &format!("      Sent: {}\r\n", t.to_rfc3339());
    }
    body += "\r\nThe following recipient(s) cannot be reached:\r\n\r\n";
    for f in failed {
        body += &format!("      {}: {}\r\n", name_of(&f.row), f.failure.text());
    }
    let mut ndr = report_message(original, ReportKind::NonDelivery, now, original_entry_id, postmaster, body);
    ndr.recipients = failed
        .iter()
        .map(|f| {
            let mut row = f.row.clone();
            row.props.retain(|p| {
                ![PR_NDR_REASON_CODE, PR_NDR_DIAG_CODE, PR_REPORT_TEXT].iter().any(|t| t.id() == p.tag.id())
            });
            row.props.extend([
                TaggedValue::new(PR_NDR_REASON_CODE, PropValue::I32(f.failure.reason_code() as i32)),
                TaggedValue::new(PR_NDR_DIAG_CODE, PropValue::I32(f.failure.diag_code() as i32)),
                TaggedValue::new(PR_REPORT_TEXT, PropValue::Unicode(f.failure.text().into())),
                TaggedValue::new(PR_REPORT_TIME, PropValue::SysTime(now)),
            ]);
            row
        })
        .collect();
    ndr
}
