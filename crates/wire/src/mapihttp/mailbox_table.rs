//! The administrator's mailbox table: one row per mailbox of the server, what
//! `IExchangeManageStore::GetMailboxTable` answers an administrator (edkmdb.h; MFCMAPI asks for
//! the columns `sptMBXCols` of its ColumnTags.h: PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, the message
//! sizes and counts, PR_LAST_LOGON_TIME, PR_LAST_LOGOFF_TIME, PR_STORAGE_LIMIT_INFORMATION and
//! the PR_QUOTA_*_THRESHOLD limits).
//!
//! MS-OXCROPS has no ROP for this table (Exchange serves it through its administrative RPC
//! interface, not MAPI/HTTP), so the oxmapi server serves it on its HTTP listener at [`PATH`],
//! authenticated like the MAPI/HTTP endpoints. The body is the table in MAPI's own encoding:
//! the `Columns`, `RowCount` and `RowData` group of an NSPI QueryRows response (a
//! LargePropertyTagArray, then AddressBookPropertyRows; MS-OXCMAPIHTTP 2.2.5.12.2, 2.2.1.7),
//! with the columns [`COLUMNS`]. A reader takes the columns from the body, so a server that
//! adds columns stays readable.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::nspi::ColumnsAndRows;
use crate::cdata::{PropertyRow, RowValue};

/// The path of the mailbox table on the server's HTTP listener.
pub const PATH: &str = "/mapi/oxmapi/mailboxes";

/// The media type of the table's body.
pub const CONTENT_TYPE: &str = "application/octet-stream";

/// Bits of PR_STORAGE_LIMIT_INFORMATION (edkmdb.h, "Bits in PR_STORAGE_LIMIT_INFORMATION").
pub mod limit_flags {
    /// Below every limit.
    pub const MDB_LIMIT_BELOW: u32 = 0x1;
    /// At or over the warning level (PR_QUOTA_WARNING_THRESHOLD).
    pub const MDB_LIMIT_ISSUE_WARNING: u32 = 0x2;
    /// At or over the send limit (PR_QUOTA_SEND_THRESHOLD): sending is refused.
    pub const MDB_LIMIT_PROHIBIT_SEND: u32 = 0x4;
    /// No limit applies: the size is not checked.
    pub const MDB_LIMIT_NO_CHECK: u32 = 0x8;
    /// Limits are disabled for the mailbox.
    pub const MDB_LIMIT_DISABLED: u32 = 0x10;
}

/// The columns of the table, in order.
pub const COLUMNS: &[PropTag] = &[
    PR_DISPLAY_NAME,
    PR_EMAIL_ADDRESS,
    PR_ACCOUNT,
    PR_SMTP_ADDRESS,
    PR_STORE_RECORD_KEY,
    PR_MESSAGE_SIZE_EXTENDED,
    PR_CONTENT_COUNT,
    PR_ASSOC_CONTENT_COUNT,
    PR_DELETED_MSG_COUNT,
    PR_DELETED_ASSOC_MSG_COUNT,
    PR_DELETED_MESSAGE_SIZE_EXTENDED,
    PR_LAST_LOGON_TIME,
    PR_LAST_LOGOFF_TIME,
    PR_STORAGE_LIMIT_INFORMATION,
    PR_QUOTA_WARNING_THRESHOLD,
    PR_QUOTA_SEND_THRESHOLD,
    PR_QUOTA_RECEIVE_THRESHOLD,
];

/// The sizes and counts of one mailbox, read from its per-folder counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MailboxCounts {
    /// PR_MESSAGE_SIZE_EXTENDED: bytes of the live messages, normal and associated (the size
    /// the quotas are compared with).
    pub size: i64,
    /// PR_CONTENT_COUNT: live normal messages.
    pub content_count: u32,
    /// PR_ASSOC_CONTENT_COUNT: live associated (FAI) messages.
    pub assoc_content_count: u32,
    /// PR_DELETED_MSG_COUNT: soft-deleted normal messages.
    pub deleted_msg_count: u32,
    /// PR_DELETED_ASSOC_MSG_COUNT: soft-deleted associated messages.
    pub deleted_assoc_msg_count: u32,
    /// PR_DELETED_MESSAGE_SIZE_EXTENDED: bytes of the soft-deleted messages.
    pub deleted_size: i64,
}

/// One row of the mailbox table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailboxTableRow {
    /// PR_DISPLAY_NAME of the owner.
    pub display_name: String,
    /// PR_EMAIL_ADDRESS: the owner's legacy DN (the ESSDN a logon names).
    pub legacy_dn: String,
    /// PR_ACCOUNT: the owner's account name.
    pub account: String,
    /// PR_SMTP_ADDRESS.
    pub smtp_address: String,
    /// PR_STORE_RECORD_KEY: the mailbox GUID.
    pub mailbox_guid: Guid,
    /// The counters; `None` when the mailbox could not be read (its cells are then errors).
    pub counts: Option<MailboxCounts>,
    /// PR_LAST_LOGON_TIME, Unix seconds; `None` when the owner never logged on.
    pub last_logon: Option<i64>,
    /// PR_LAST_LOGOFF_TIME, Unix seconds.
    pub last_logoff: Option<i64>,
    /// PR_QUOTA_WARNING_THRESHOLD in KiB (`None`: no limit, written as -1).
    pub warning_kb: Option<u32>,
    /// PR_QUOTA_SEND_THRESHOLD in KiB.
    pub send_kb: Option<u32>,
    /// PR_QUOTA_RECEIVE_THRESHOLD in KiB.
    pub receive_kb: Option<u32>,
}

/// PR_STORAGE_LIMIT_INFORMATION for a mailbox of `size` bytes under the limits (KiB, `None`
/// for none): [`limit_flags::MDB_LIMIT_NO_CHECK`] without limits, else the highest level
/// reached.
pub fn storage_limit_information(size: i64, warning_kb: Option<u32>, send_kb: Option<u32>) -> u32 {
    use limit_flags::*;
    let reached = |kb: Option<u32>| kb.is_some_and(|k| size >= i64::from(k) * 1024);
    if warning_kb.is_none() && send_kb.is_none() {
        MDB_LIMIT_NO_CHECK
    } else if reached(send_kb) {
        MDB_LIMIT_PROHIBIT_SEND
    } else if reached(warning_kb) {
        MDB_LIMIT_ISSUE_WARNING
    } else {
        MDB_LIMIT_BELOW
    }
}

fn kb_value(kb: Option<u32>) -> PropValue {
    PropValue::I32(kb.map_or(-1, |k| k.min(i32::MAX as u32) as i32))
}

fn count(n: u32) -> PropValue {
    PropValue::I32(n.min(i32::MAX as u32) as i32)
}

impl MailboxTableRow {
    /// PR_STORAGE_LIMIT_INFORMATION of the row (MDB_LIMIT_NO_CHECK when unreadable and
    /// unlimited, MDB_LIMIT_BELOW when unreadable under limits).
    pub fn storage_limit_information(&self) -> u32 {
        let size = self.counts.map_or(0, |c| c.size);
        storage_limit_information(size, self.warning_kb, self.send_kb)
    }

    /// The quota state in words: `unlimited`, `ok`, `warning`, `send prohibited`, or
    /// `send and receive prohibited` (the size reached PR_QUOTA_RECEIVE_THRESHOLD: deliveries
    /// are refused too); `unknown` when the mailbox could not be read.
    pub fn quota_state(&self) -> &'static str {
        use limit_flags::*;
        let Some(c) = self.counts else { return "unknown" };
        if self.receive_kb.is_some_and(|k| c.size >= i64::from(k) * 1024) {
            return "send and receive prohibited";
        }
        match self.storage_limit_information() {
            MDB_LIMIT_PROHIBIT_SEND => "send prohibited",
            MDB_LIMIT_ISSUE_WARNING => "warning",
            MDB_LIMIT_BELOW => "ok",
            _ if self.receive_kb.is_some() => "ok",
            _ => "unlimited",
        }
    }

    /// The row's cells for [`COLUMNS`].
    pub fn cells(&self) -> Vec<RowValue> {
        let not_found = oxmapi_core::error::codes::MAPI_E_NOT_FOUND.0;
        let time = |t: Option<i64>, tag: PropTag| match t {
            Some(s) => RowValue::Value(PropValue::SysTime(FileTime::from_unix_seconds(s))),
            None => RowValue::NotFound { ty: tag.raw_type() },
        };
        let counted = |tag: PropTag, f: &dyn Fn(&MailboxCounts) -> PropValue| match &self.counts {
            Some(c) => RowValue::Value(f(c)),
            None => RowValue::Error { ty: tag.raw_type(), code: not_found },
        };
        vec![
            RowValue::Value(PropValue::Unicode(self.display_name.clone())),
            RowValue::Value(PropValue::Unicode(self.legacy_dn.clone())),
            RowValue::Value(PropValue::Unicode(self.account.clone())),
            RowValue::Value(PropValue::Unicode(self.smtp_address.clone())),
            RowValue::Value(PropValue::Binary(self.mailbox_guid.0.to_vec())),
            counted(PR_MESSAGE_SIZE_EXTENDED, &|c| PropValue::I64(c.size)),
            counted(PR_CONTENT_COUNT, &|c| count(c.content_count)),
            counted(PR_ASSOC_CONTENT_COUNT, &|c| count(c.assoc_content_count)),
            counted(PR_DELETED_MSG_COUNT, &|c| count(c.deleted_msg_count)),
            counted(PR_DELETED_ASSOC_MSG_COUNT, &|c| count(c.deleted_assoc_msg_count)),
            counted(PR_DELETED_MESSAGE_SIZE_EXTENDED, &|c| PropValue::I64(c.deleted_size)),
            time(self.last_logon, PR_LAST_LOGON_TIME),
            time(self.last_logoff, PR_LAST_LOGOFF_TIME),
            RowValue::Value(PropValue::I32(self.storage_limit_information() as i32)),
            RowValue::Value(kb_value(self.warning_kb)),
            RowValue::Value(kb_value(self.send_kb)),
            RowValue::Value(kb_value(self.receive_kb)),
        ]
    }

    /// The row read back from its properties (a missing or unreadable count makes `counts`
    /// `None`; unknown properties are ignored).
    pub fn from_properties(props: &[TaggedValue]) -> MailboxTableRow {
        let get = |tag: PropTag| props.iter().find(|p| p.tag == tag).map(|p| &p.value);
        let text =
            |tag: PropTag| get(tag).and_then(|v| v.as_text()).map(|t| t.into_owned()).unwrap_or_default();
        let int = |tag: PropTag| get(tag).and_then(PropValue::as_i64);
        let kb = |tag: PropTag| int(tag).filter(|k| *k >= 0).map(|k| k.min(u32::MAX as i64) as u32);
        let time = |tag: PropTag| match get(tag) {
            Some(PropValue::SysTime(t)) => Some(t.unix_seconds()),
            _ => None,
        };
        let c32 = |tag: PropTag| int(tag).map(|n| n.clamp(0, u32::MAX as i64) as u32);
        let counts = (|| {
            Some(MailboxCounts {
                size: int(PR_MESSAGE_SIZE_EXTENDED)?,
                content_count: c32(PR_CONTENT_COUNT)?,
                assoc_content_count: c32(PR_ASSOC_CONTENT_COUNT)?,
                deleted_msg_count: c32(PR_DELETED_MSG_COUNT)?,
                deleted_assoc_msg_count: c32(PR_DELETED_ASSOC_MSG_COUNT)?,
                deleted_size: int(PR_DELETED_MESSAGE_SIZE_EXTENDED)?,
            })
        })();
        let mut guid = [0u8; 16];
        if let Some(b) = get(PR_STORE_RECORD_KEY).and_then(PropValue::as_bytes)
            && b.len() == 16
        {
            guid.copy_from_slice(b);
        }
        MailboxTableRow {
            display_name: text(PR_DISPLAY_NAME),
            legacy_dn: text(PR_EMAIL_ADDRESS),
            account: text(PR_ACCOUNT),
            smtp_address: text(PR_SMTP_ADDRESS),
            mailbox_guid: Guid(guid),
            counts,
            last_logon: time(PR_LAST_LOGON_TIME),
            last_logoff: time(PR_LAST_LOGOFF_TIME),
            warning_kb: kb(PR_QUOTA_WARNING_THRESHOLD),
            send_kb: kb(PR_QUOTA_SEND_THRESHOLD),
            receive_kb: kb(PR_QUOTA_RECEIVE_THRESHOLD),
        }
    }
}

/// The response body for `rows`.
pub fn encode(rows: &[MailboxTableRow]) -> Vec<u8> {
    let table = ColumnsAndRows {
        columns: COLUMNS.to_vec(),
        row_data: rows.iter().map(|r| PropertyRow::new(r.cells())).collect(),
    };
    let mut w = Writer::new();
    table.write(&mut w);
    w.into_vec()
}

/// Reads a response body: each row as the properties it has (missing and error cells left out).
pub fn decode(body: &[u8]) -> DecodeResult<Vec<Vec<TaggedValue>>> {
    let mut r = Reader::new(body);
    let table = ColumnsAndRows::read(&mut r)?;
    r.finish("mailbox table")?;
    Ok(table
        .row_data
        .into_iter()
        .map(|row| {
            table
                .columns
                .iter()
                .zip(row.values)
                .filter_map(|(tag, cell)| match cell {
                    RowValue::Value(v) => Some(TaggedValue::new(*tag, v)),
                    _ => None,
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> MailboxTableRow {
        MailboxTableRow {
            display_name: "Alice Archer".into(),
            legacy_dn: "/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice"
                .into(),
            account: "alice".into(),
            smtp_address: "alice@example.test".into(),
            mailbox_guid: Guid([7; 16]),
            counts: Some(MailboxCounts {
                size: 3000,
                content_count: 2,
                assoc_content_count: 1,
                deleted_msg_count: 1,
                deleted_assoc_msg_count: 0,
                deleted_size: 500,
            }),
            last_logon: Some(1_700_000_000),
            last_logoff: None,
            warning_kb: Some(2),
            send_kb: Some(4),
            receive_kb: None,
        }
    }

    /// What is encoded is decoded back; a missing time stays missing and an unreadable
    /// mailbox's counts stay unknown.
    #[test]
    fn rows_round_trip() {
        let unreadable = MailboxTableRow { counts: None, ..row() };
        let decoded = decode(&encode(&[row(), unreadable.clone()])).unwrap();
        assert_eq!(decoded.len(), 2);
        assert_eq!(MailboxTableRow::from_properties(&decoded[0]), row());
        assert_eq!(MailboxTableRow::from_properties(&decoded[1]), unreadable);
        assert!(decoded[0].iter().all(|p| p.tag != PR_LAST_LOGOFF_TIME));
        assert!(decode(&encode(&[row()])[..10]).is_err(), "a cut body is an error");
    }

    /// The bits of edkmdb.h: 3000 bytes is over the 2 KiB warning level and under the 4 KiB
    /// send limit; no limit at all is MDB_LIMIT_NO_CHECK.
    #[test]
    fn storage_limit_information_follows_the_limits() {
        use limit_flags::*;
        assert_eq!(row().storage_limit_information(), MDB_LIMIT_ISSUE_WARNING);
        assert_eq!(row().quota_state(), "warning");
        assert_eq!(storage_limit_information(4096, Some(2), Some(4)), MDB_LIMIT_PROHIBIT_SEND);
        assert_eq!(storage_limit_information(10, Some(2), Some(4)), MDB_LIMIT_BELOW);
        assert_eq!(storage_limit_information(1 << 40, None, None), MDB_LIMIT_NO_CHECK);
        let open = MailboxTableRow { warning_kb: None, send_kb: None, ..row() };
        assert_eq!(open.quota_state(), "unlimited");
        let full = MailboxTableRow { receive_kb: Some(1), ..row() };
        assert_eq!(full.quota_state(), "send and receive prohibited");
    }
}
