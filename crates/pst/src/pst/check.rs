//! The whole-file walk behind `pst info` and `pst check`: every folder, and (for a check)
//! every message of every contents and associated table opened whole, with each thing left
//! out reported by node id and reason (a read-only pass, like scanpst's).

use super::PstFile;
use super::folder::Skipped;

/// What a walk found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Folders below the root, search folders included (the root itself not counted, as the
    /// peers count).
    pub folders: usize,
    /// Search folders among them (their contents are not read: they show other folders'
    /// messages).
    pub search_folders: usize,
    /// Messages in the contents tables of every folder.
    pub items: usize,
    /// Messages in the associated contents tables (FAI).
    pub associated: usize,
    /// Messages opened whole (a check only).
    pub opened: usize,
    /// Folders and messages left out because they are damaged, with why.
    pub skipped: Vec<Skipped>,
    /// Damage inside objects that were read (a property, a recipient, an attachment).
    pub warnings: Vec<String>,
}

impl PstFile {
    /// Walks the folder tree; with `open_items`, opens every message too.
    pub fn walk(&self, open_items: bool) -> Report {
        let (folders, skipped) = self.folders();
        let search_folders = skipped.iter().filter(|s| !s.damaged).count();
        let skipped: Vec<Skipped> = skipped.into_iter().filter(|s| s.damaged).collect();
        let mut r = Report {
            folders: folders.len().saturating_sub(1) + search_folders,
            search_folders,
            skipped,
            ..Report::default()
        };
        r.warnings.extend(self.problems.iter().cloned());
        for f in &folders {
            r.items += f.items;
            r.associated += f.associated;
            if !open_items {
                continue;
            }
            let rows = self.contents(f.nid).into_iter().chain(self.associated(f.nid)).flatten();
            for row in rows {
                match self.message_with_problems(row.id) {
                    Ok((_, problems)) => {
                        r.opened += 1;
                        r.warnings.extend(problems.into_iter().map(|p| format!("item {:#x}: {p}", row.id)));
                    }
                    Err(e) => r.skipped.push(Skipped::damage(e.nid, e.why)),
                }
            }
        }
        r
    }
}
