//! What the failover drill checks once the loops stopped, through the surviving node: which
//! acknowledged subjects are missing and which subjects are there more than once, in the save
//! folder and in the recipient's Inbox, the latter once the deliveries had their time.

use std::collections::HashMap;
use std::time::Instant;

use oxmapi_client::store::Folder;
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::PR_SUBJECT;
use oxmapi_core::value::PropValue;

use super::VERIFY_POLL;

/// Subjects in a folder, with how often each is there.
pub type Subjects = HashMap<String, usize>;

/// Every subject in `folder`, with how often it is there.
pub fn subjects(folder: &Folder) -> Result<Subjects, MapiError> {
    let mut table = folder.contents_table(false)?;
    table.set_columns(&[PR_SUBJECT])?;
    let mut out = HashMap::new();
    for row in table.query_rows(usize::MAX, true)? {
        if let Some(PropValue::Unicode(s)) = row.get(PR_SUBJECT) {
            *out.entry(s.clone()).or_insert(0) += 1;
        }
    }
    Ok(out)
}

/// The acknowledged subjects missing from `found`, and the subjects found more than once
/// (sorted).
pub fn missing_and_duplicated(acknowledged: &[String], found: &Subjects) -> (Vec<String>, Vec<String>) {
    let missing = acknowledged.iter().filter(|s| !found.contains_key(*s)).cloned().collect();
    let mut duplicated: Vec<String> = found.iter().filter(|(_, n)| **n > 1).map(|(s, _)| s.clone()).collect();
    duplicated.sort();
    (missing, duplicated)
}

/// Reads `inbox` and `outbox` every [`VERIFY_POLL`] until every `acknowledged` subject is in
/// the Inbox, the Outbox is empty and `settled` has passed (a late duplicate could come only
/// from a submission still queued), or until `deadline`. What the Inbox holds then, and how
/// many messages are left in the Outbox.
pub fn wait_for_deliveries(
    inbox: &Folder,
    outbox: &Folder,
    acknowledged: &[String],
    settled: Instant,
    deadline: Instant,
) -> Result<(Subjects, usize), MapiError> {
    loop {
        let delivered = subjects(inbox)?;
        let queued = subjects(outbox)?.values().sum::<usize>();
        let all_in = acknowledged.iter().all(|s| delivered.contains_key(s));
        let now = Instant::now();
        if (all_in && queued == 0 && now >= settled) || now >= deadline {
            return Ok((delivered, queued));
        }
        std::thread::sleep(VERIFY_POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_and_duplicated_subjects_are_found() {
        let found: Subjects = [("a".to_string(), 1), ("b".to_string(), 2), ("x".to_string(), 1)].into();
        let acked = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(missing_and_duplicated(&acked, &found), (vec!["c".to_string()], vec!["b".to_string()]));
        assert_eq!(missing_and_duplicated(&[], &Subjects::new()), (vec![], vec![]));
    }
}
