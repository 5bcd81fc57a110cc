//! Store errors and their MAPI codes.
//!
//! Every [`StoreError`] converts to a [`MapiError`] carrying the code a ROP handler returns
//! (MS-OXCDATA 2.4) and a message that says what failed and, where there is something to do,
//! what to do.

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;

use crate::db::ErrorKind;

/// Why a store or directory operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The user, folder, replica, setting … does not exist (MAPI_E_NOT_FOUND, ecNotFound).
    #[error("{0}")]
    NotFound(String),
    /// The object already exists (MAPI_E_COLLISION).
    #[error("{0}")]
    Collision(String),
    /// An argument is out of range or malformed (MAPI_E_INVALID_PARAMETER, ecInvalidParam).
    #[error("{0}")]
    InvalidParameter(String),
    /// The operation is not allowed on this object (MAPI_E_NO_ACCESS, ecAccessDenied).
    #[error("{0}")]
    AccessDenied(String),
    /// The operation does not apply to this kind of store or object (MAPI_E_NO_SUPPORT,
    /// ecNotSupported).
    #[error("{0}")]
    NotSupported(String),
    /// The property is computed by the store and cannot be written (MAPI_E_COMPUTED).
    #[error("{0}")]
    Computed(String),
    /// A request the specification answers with the generic ecError (MAPI_E_CALL_FAILED).
    #[error("{0}")]
    Failed(String),
    /// The folder still holds messages (MAPI_E_HAS_MESSAGES, ecHasMessages; MS-OXCFOLD 2.2.1.3
    /// RopDeleteFolder).
    #[error("{0}")]
    HasMessages(String),
    /// The folder still holds subfolders (MAPI_E_HAS_FOLDERS, ecHasFolders; MS-OXCFOLD 2.2.1.3
    /// RopDeleteFolder).
    #[error("{0}")]
    HasFolders(String),
    /// The object was changed by someone else since it was opened (MAPI_E_OBJECT_CHANGED,
    /// ecObjectModified; MS-OXCMSG 2.2.3.3 RopSaveChangesMessage without ForceSave).
    #[error("{0}")]
    ObjectChanged(String),
    /// The object was deleted since it was opened (MAPI_E_OBJECT_DELETED, ecObjectDeleted).
    #[error("{0}")]
    ObjectDeleted(String),
    /// The message is queued for sending and cannot be changed until the submission is aborted
    /// (MAPI_E_SUBMITTED, ecSubmitted; IMsgStore::AbortSubmit: "after a message is submitted,
    /// aborting the submission … is the only action that can be performed on the message").
    #[error("{0}")]
    Submitted(String),
    /// A value or a list is larger than the store accepts (MAPI_E_TOO_BIG, ecTooBig; e.g. a
    /// folder's rules, MS-OXORULE 3.2.5.1.1).
    #[error("{0}")]
    TooBig(String),
    /// An identifier space is exhausted (MAPI_E_STORE_FULL).
    #[error("{0}")]
    Full(String),
    /// Stored data does not have the shape this build expects (MAPI_E_CORRUPT_DATA).
    #[error("{0}")]
    Corrupt(String),
    /// The database failed (SQLite or PostgreSQL; classified by [`crate::db::ErrorKind`]).
    #[error("database error: {0}")]
    Database(#[from] crate::db::Error),
    /// The file system failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// An I/O error with the path it concerns in its message (the kind is kept).
    pub fn io_at(path: &std::path::Path, e: std::io::Error) -> StoreError {
        StoreError::Io(std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Database(crate::db::Error::Sqlite(e))
    }
}

impl StoreError {
    /// The database error's classification, when this is one.
    pub fn db_kind(&self) -> Option<ErrorKind> {
        match self {
            StoreError::Database(e) => Some(e.kind()),
            _ => None,
        }
    }

    /// Whether a database constraint (a duplicate key …) refused the write.
    pub fn is_constraint(&self) -> bool {
        self.db_kind() == Some(ErrorKind::Constraint)
    }
}

/// What to do about a database error of this kind, for the message (`where_` names the data
/// directory or the database server).
fn database_advice(e: &crate::db::Error) -> &'static str {
    let postgres = matches!(e, crate::db::Error::Postgres { .. });
    match (e.kind(), postgres) {
        (ErrorKind::Busy, false) => {
            " (another process held the database lock for more than 5 s; retry, or look for a \
             stuck process using the data directory)"
        }
        (ErrorKind::Busy, true) => " (the transaction lost a lock or serialization race or timed out; retry)",
        (ErrorKind::DiskFull, false) => {
            " (the disk holding the data directory is full; free space and retry)"
        }
        (ErrorKind::DiskFull, true) => " (the database server's disk is full; free space and retry)",
        (ErrorKind::Corrupt, false) => {
            " (the file is damaged or not an oxmapi database; restore it from a backup)"
        }
        (ErrorKind::Corrupt, true) => " (the database server reports damaged data; restore it from a backup)",
        (ErrorKind::Unavailable, false) => {
            " (check that the data directory exists and is writable by this user)"
        }
        (ErrorKind::Unavailable, true) => {
            " (check that the database server named by the database URL is running and accepts this user)"
        }
        _ => "",
    }
}

impl From<StoreError> for MapiError {
    fn from(e: StoreError) -> MapiError {
        let code = match &e {
            StoreError::NotFound(_) => codes::MAPI_E_NOT_FOUND,
            StoreError::Collision(_) => codes::MAPI_E_COLLISION,
            StoreError::InvalidParameter(_) => codes::MAPI_E_INVALID_PARAMETER,
            StoreError::AccessDenied(_) => codes::MAPI_E_NO_ACCESS,
            StoreError::NotSupported(_) => codes::MAPI_E_NO_SUPPORT,
            StoreError::Computed(_) => codes::MAPI_E_COMPUTED,
            StoreError::Failed(_) => codes::MAPI_E_CALL_FAILED,
            StoreError::HasMessages(_) => codes::MAPI_E_HAS_MESSAGES,
            StoreError::HasFolders(_) => codes::MAPI_E_HAS_FOLDERS,
            StoreError::ObjectChanged(_) => codes::MAPI_E_OBJECT_CHANGED,
            StoreError::ObjectDeleted(_) => codes::MAPI_E_OBJECT_DELETED,
            StoreError::Submitted(_) => codes::MAPI_E_SUBMITTED,
            StoreError::TooBig(_) => codes::MAPI_E_TOO_BIG,
            StoreError::Full(_) => codes::MAPI_E_STORE_FULL,
            StoreError::Corrupt(_) => codes::MAPI_E_CORRUPT_DATA,
            StoreError::Io(_) => codes::MAPI_E_DISK_ERROR,
            StoreError::Database(d) => match d.kind() {
                ErrorKind::Busy => codes::MAPI_E_TIMEOUT,
                ErrorKind::DiskFull => codes::MAPI_E_NOT_ENOUGH_DISK,
                ErrorKind::Corrupt => codes::MAPI_E_CORRUPT_STORE,
                ErrorKind::Unavailable => codes::MAPI_E_DISK_ERROR,
                _ => codes::MAPI_E_CALL_FAILED,
            },
        };
        let advice = match &e {
            StoreError::Database(d) => database_advice(d),
            StoreError::Io(_) => " (check that the data directory exists and is writable by this user)",
            _ => "",
        };
        MapiError::new(code, format!("{e}{advice}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_variant() {
        let m: MapiError = StoreError::NotFound("no user named x".into()).into();
        assert_eq!(m.code, codes::MAPI_E_NOT_FOUND);
        assert_eq!(m.message, "no user named x");
        let m: MapiError = StoreError::Collision("x".into()).into();
        assert_eq!(m.code, codes::MAPI_E_COLLISION);
        let m: MapiError = StoreError::Computed("x".into()).into();
        assert_eq!(m.code, codes::MAPI_E_COMPUTED);
        let m: MapiError = StoreError::HasMessages("x".into()).into();
        assert_eq!(m.code.0, 0x8004_060A);
        let m: MapiError = StoreError::HasFolders("x".into()).into();
        assert_eq!(m.code.0, 0x8004_0609);
        let m: MapiError = StoreError::Failed("x".into()).into();
        assert_eq!(m.code.0, 0x8000_4005);
        let m: MapiError = StoreError::Submitted("x".into()).into();
        assert_eq!(m.code.0, 0x8004_0608);
        let m: MapiError = StoreError::AccessDenied("x".into()).into();
        assert_eq!(m.code.0, 0x8007_0005);
        let m: MapiError = StoreError::Io(std::io::Error::other("boom")).into();
        assert_eq!(m.code, codes::MAPI_E_DISK_ERROR);
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(5), None);
        let m: MapiError = StoreError::from(busy).into();
        assert_eq!(m.code, codes::MAPI_E_TIMEOUT);
        assert!(m.message.contains("retry"));
        let gone = crate::db::Error::Postgres {
            code: Some("57P01".into()),
            kind: crate::db::postgres_kind("57P01"),
            message: "terminating connection due to administrator command".into(),
        };
        let m: MapiError = StoreError::Database(gone).into();
        assert_eq!(m.code, codes::MAPI_E_DISK_ERROR);
        assert!(m.message.contains("database URL"), "{}", m.message);
    }
}
