//! The receive folder table (MS-OXCSTOR 3.2.5.2 RopGetReceiveFolder, 3.2.5.3 RopSetReceiveFolder,
//! 3.2.5.4 RopGetReceiveFolderTable).

use crate::db::params;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::time::FileTime;

use super::commit::Durability;
use super::{LOCAL_REPLICA_ID, MessageStore, SpecialFolder, StoreKind};
use crate::constants::folder_type::FOLDER_SEARCH;
use crate::error::{StoreError, StoreResult};

/// One row of the receive folder table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiveFolderEntry {
    /// PidTagFolderId: where messages of the class are delivered.
    pub fid: ObjectId,
    /// PidTagMessageClass as stored ("" is the default entry).
    pub message_class: String,
    /// PidTagLastModificationTime of the entry.
    pub last_modified: FileTime,
}

/// Checks a message class against MS-OXCSTOR 2.2.1.2.1: ASCII characters 32–126, at most 254
/// characters (255 with the terminating NUL), no leading or trailing period, no adjacent periods.
/// The empty string (the default entry) is allowed.
pub fn check_message_class(class: &str) -> StoreResult<()> {
    let bad = |why: &str| StoreError::InvalidParameter(format!("invalid message class {class:?}: {why}"));
    if class.len() > 254 {
        return Err(bad("longer than 254 characters"));
    }
    if !class.bytes().all(|b| (32..=126).contains(&b)) {
        return Err(bad("only ASCII characters 32-126 are allowed"));
    }
    if class.starts_with('.') || class.ends_with('.') || class.contains("..") {
        return Err(bad("periods may not start or end the class or follow each other"));
    }
    Ok(())
}

/// True when the table entry `entry` applies to `class`: the empty entry applies to every class,
/// other entries to the class itself and its subclasses (`IPM` → `IPM.Note`, not `IPMX`),
/// ignoring case.
fn applies(entry: &str, class: &str) -> bool {
    if entry.is_empty() {
        return true;
    }
    class.len() >= entry.len()
        && class.as_bytes()[..entry.len()].eq_ignore_ascii_case(entry.as_bytes())
        && (class.len() == entry.len() || class.as_bytes()[entry.len()] == b'.')
}

impl MessageStore {
    fn private_only(&self, rop: &str) -> StoreResult<()> {
        match self.kind {
            StoreKind::Private => Ok(()),
            StoreKind::Public => Err(StoreError::NotSupported(format!(
                "{rop} applies to private mailboxes, not to the public folder store"
            ))),
        }
    }

    /// Every row of the receive folder table, sorted by class (RopGetReceiveFolderTable).
    pub fn receive_folder_table(&self) -> StoreResult<Vec<ReceiveFolderEntry>> {
        self.private_only("RopGetReceiveFolderTable")?;
        let conn = self.lock()?;
        let mut stmt =
            conn.prepare("SELECT fid, message_class, modified FROM receive_folders ORDER BY message_class")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ReceiveFolderEntry {
                    fid: ObjectId::new(LOCAL_REPLICA_ID, r.get::<_, i64>(0)? as u64),
                    message_class: r.get(1)?,
                    last_modified: FileTime(r.get::<_, i64>(2)? as u64),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// RopGetReceiveFolder (MS-OXCSTOR 3.2.5.2): the folder that receives `message_class`, by the
    /// longest entry that is the class or a dotted prefix of it (ignoring case), and that entry's
    /// class as stored (`ExplicitMessageClass`). With no match: the Inbox and "".
    pub fn receive_folder(&self, message_class: &str) -> StoreResult<(ObjectId, String)> {
        check_message_class(message_class)?;
        let table = self.receive_folder_table()?;
        let best = table
            .into_iter()
            .filter(|e| applies(&e.message_class, message_class))
            .max_by_key(|e| e.message_class.len());
        match best {
            Some(e) => Ok((e.fid, e.message_class)),
            None => {
                let inbox = self
                    .special_folder(SpecialFolder::Inbox)
                    .ok_or_else(|| StoreError::Corrupt("the mailbox has no Inbox".into()))?;
                Ok((inbox, String::new()))
            }
        }
    }

    /// RopSetReceiveFolder (MS-OXCSTOR 3.2.5.3): sets the folder that receives `message_class`
    /// (an exact, case-insensitive entry); FID 0 deletes the entry. Errors as the specification
    /// gives them: public store → NotSupported (ecNotSupported); malformed class →
    /// InvalidParameter (ecInvalidParam); "IPM" or "Report.IPM" → AccessDenied
    /// (ecAccessDenied); "" with FID 0 (deleting the default) → Failed (ecError); a FID that is
    /// not a folder here → NotFound; a search folder → NotSupported.
    pub fn set_receive_folder(&self, message_class: &str, fid: ObjectId) -> StoreResult<()> {
        self.private_only("RopSetReceiveFolder")?;
        check_message_class(message_class)?;
        if message_class.eq_ignore_ascii_case("IPM") || message_class.eq_ignore_ascii_case("REPORT.IPM") {
            return Err(StoreError::AccessDenied(format!(
                "the receive folder of {message_class:?} cannot be changed (MS-OXCSTOR 3.2.5.3)"
            )));
        }
        if fid.is_zero() {
            if message_class.is_empty() {
                return Err(StoreError::Failed(
                    "the default receive folder (message class \"\") cannot be deleted; set another folder \
                     instead"
                        .into(),
                ));
            }
            return self.write(Durability::Normal, |tx| {
                tx.execute("DELETE FROM receive_folders WHERE message_class = ?1", [message_class])?;
                Ok(())
            });
        }
        let ty =
            self.folder_property(fid, oxmapi_core::catalogue::tags::PR_FOLDER_TYPE)?.and_then(|v| v.as_i64());
        if ty == Some(FOLDER_SEARCH as i64) {
            return Err(StoreError::NotSupported(format!(
                "folder {fid} is a search folder and cannot receive mail"
            )));
        }
        self.write(Durability::Normal, |tx| {
            tx.execute(
                "INSERT INTO receive_folders (message_class, fid, modified) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (/*mbx,*/ message_class) DO UPDATE SET fid = ?2, modified = ?3",
                params![message_class, fid.global_counter as i64, FileTime::now().0 as i64],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_rule() {
        assert!(applies("", "IPM.Note"));
        assert!(applies("IPM", "ipm.note"));
        assert!(applies("IPM.Note", "IPM.NOTE"));
        assert!(!applies("IPM", "IPMX"));
        assert!(!applies("IPM.Note", "IPM"));
    }

    #[test]
    fn class_rules() {
        assert!(check_message_class("").is_ok());
        assert!(check_message_class("IPM.Note.Custom-1").is_ok());
        assert!(check_message_class(".IPM").is_err());
        assert!(check_message_class("IPM.").is_err());
        assert!(check_message_class("IPM..Note").is_err());
        assert!(check_message_class("IPM.Nöte").is_err());
        assert!(check_message_class("IPM\tNote").is_err());
        assert!(check_message_class(&"A".repeat(254)).is_ok());
        assert!(check_message_class(&"A".repeat(255)).is_err());
    }
}
