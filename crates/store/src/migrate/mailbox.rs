//! Copying the tables of one scope (the directory, or one mailbox) inside the caller's
//! transactions, in foreign-key order: folders parents first (a folder may have been moved
//! under a younger one), messages and attachments level by level (an embedded message belongs
//! to an attachment of its parent message), everything else table by table.

use std::collections::{BTreeMap, HashMap};

use crate::db::Conn;
use crate::error::{StoreError, StoreResult};

use super::copy::{Filter, Tally, copy_table, count};
use super::plan::{Table, quoted};

/// Rows and bytes copied per table.
pub(crate) type Copied = BTreeMap<String, Tally>;

/// Copies every table of `tables` from `src` to `dst` (both inside transactions, `dst` a write
/// one). A table the target already has rows in (made by the target's triggers, e.g.
/// `folder_counts`, or at creation, e.g. `authz`) is emptied first, so it ends equal to the
/// source's.
pub(crate) fn copy_scope(
    src: &Conn,
    dst: &Conn,
    tables: &[Table],
    on_page: &mut dyn FnMut(Tally),
) -> StoreResult<Copied> {
    let mut copied = Copied::new();
    let find = |name: &str| tables.iter().find(|t| t.name == name);
    for t in tables {
        let mut tally = Tally::default();
        match t.name.as_str() {
            // Copied with `messages`.
            "attachments" if find("messages").is_some() => continue,
            "folders" => {
                dst.execute(&format!("DELETE FROM {}", quoted(&t.name)), [])?;
                for level in levels(tree(src, "SELECT fid, parent_fid FROM folders")?)? {
                    tally.add(copy_table(src, dst, t, &Filter::In("fid".into(), level), on_page)?);
                }
            }
            "messages" => {
                let attachments = find("attachments");
                let top = Filter::Where("parent_attach IS NULL".into());
                tally.add(copy_table(src, dst, t, &top, on_page)?);
                let mut att = Tally::default();
                if let Some(a) = attachments {
                    let of_top =
                        Filter::Where("mid IN (SELECT mid FROM messages WHERE parent_attach IS NULL)".into());
                    att.add(copy_table(src, dst, a, &of_top, on_page)?);
                }
                let embedded = tree(
                    src,
                    "SELECT m.mid, a.mid FROM messages m JOIN attachments a ON a.attach_id = m.parent_attach",
                )?;
                // The embedded messages whose parent is a top-level message first, then theirs.
                for level in levels(embedded)? {
                    tally.add(copy_table(src, dst, t, &Filter::In("mid".into(), level.clone()), on_page)?);
                    if let Some(a) = attachments {
                        att.add(copy_table(src, dst, a, &Filter::In("mid".into(), level), on_page)?);
                    }
                }
                if let Some(a) = attachments {
                    copied.insert(a.name.clone(), att);
                }
            }
            _ => {
                dst.execute(&format!("DELETE FROM {}", quoted(&t.name)), [])?;
                tally.add(copy_table(src, dst, t, &Filter::All, on_page)?);
            }
        }
        copied.insert(t.name.clone(), tally);
    }
    Ok(copied)
}

/// `(id, parent)` pairs from a query returning them (parent NULL for a root).
fn tree(src: &Conn, sql: &str) -> StoreResult<Vec<(i64, Option<i64>)>> {
    let mut st = src.prepare(sql)?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)))?;
    rows.collect::<Result<_, _>>().map_err(Into::into)
}

/// The ids of a forest by depth: roots (and children of ids not in the list) first, then their
/// children, and so on. A cycle is corruption.
fn levels(pairs: Vec<(i64, Option<i64>)>) -> StoreResult<Vec<Vec<i64>>> {
    let parent: HashMap<i64, Option<i64>> = pairs.iter().copied().collect();
    let mut depth: HashMap<i64, usize> = HashMap::new();
    for &(id, _) in &pairs {
        let mut chain = vec![id];
        let mut d;
        loop {
            let cur = *chain.last().unwrap_or(&id);
            if let Some(&known) = depth.get(&cur) {
                d = known;
                chain.pop();
                break;
            }
            match parent.get(&cur).copied().flatten() {
                Some(p) if parent.contains_key(&p) => {
                    if chain.len() > parent.len() {
                        return Err(StoreError::Corrupt(format!("the parents of {id} form a cycle")));
                    }
                    chain.push(p);
                }
                _ => {
                    d = 0;
                    depth.insert(cur, 0);
                    chain.pop();
                    break;
                }
            }
        }
        while let Some(c) = chain.pop() {
            d += 1;
            depth.insert(c, d);
        }
    }
    let mut out: Vec<Vec<i64>> = Vec::new();
    let mut ids: Vec<(usize, i64)> = depth.into_iter().map(|(id, d)| (d, id)).collect();
    ids.sort();
    for (d, id) in ids {
        if out.len() <= d {
            out.resize(d + 1, Vec::new());
        }
        out[d].push(id);
    }
    Ok(out)
}

/// The row count of every table on one side.
pub(crate) fn counts(conn: &Conn, tables: &[Table]) -> StoreResult<BTreeMap<String, u64>> {
    tables.iter().map(|t| Ok((t.name.clone(), count(conn, &t.name)?))).collect()
}

/// Compares row counts; the first difference as a refusal naming `what`, the table and both
/// counts.
pub(crate) fn compare(
    what: &str,
    source: &BTreeMap<String, u64>,
    target: &BTreeMap<String, u64>,
) -> StoreResult<()> {
    for (table, n) in source {
        let m = target.get(table).copied().unwrap_or(0);
        if *n != m {
            return Err(StoreError::Corrupt(format!(
                "migration check failed: {what}, table {table}: {n} rows in the source but {m} in the target \
                 (nothing was marked done for it; rerun the migration to copy it again)"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::levels;

    #[test]
    fn levels_put_parents_before_children_whatever_the_id_order() {
        let l = levels(vec![(5, None), (2, Some(9)), (9, Some(5)), (7, Some(5)), (3, Some(100))]).unwrap();
        assert_eq!(l, vec![vec![3, 5], vec![7, 9], vec![2]]);
        assert!(levels(vec![(1, Some(2)), (2, Some(1))]).is_err());
    }
}

#[cfg(test)]
mod compare_tests {
    use std::collections::BTreeMap;

    #[test]
    fn a_count_that_differs_is_a_corrupt_data_error_naming_the_table_and_both_counts() {
        let src = BTreeMap::from([("messages".to_string(), 25u64), ("folders".to_string(), 20)]);
        let mut dst = src.clone();
        assert!(super::compare("mailbox x (carol)", &src, &dst).is_ok());
        dst.insert("messages".into(), 24);
        let e = super::compare("mailbox x (carol)", &src, &dst).unwrap_err();
        assert!(matches!(e, crate::StoreError::Corrupt(_)), "MAPI_E_CORRUPT_DATA: {e}");
        let m = e.to_string();
        assert!(
            m.contains("mailbox x (carol)")
                && m.contains("table messages")
                && m.contains("25")
                && m.contains("24"),
            "{m}"
        );
    }
}
