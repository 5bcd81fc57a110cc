//! The few places where the two backends' SQL must differ, one function per concept, so the
//! store's SQL stays one text with a hole where a concept goes.

use super::conn::Backend;

impl Backend {
    /// The case-insensitive collation of names and message classes: SQLite `NOCASE` (ASCII
    /// folding); PostgreSQL the nondeterministic ICU collation `directory.nocase` of the schema.
    pub fn nocase(self) -> &'static str {
        match self {
            Backend::Sqlite => "NOCASE",
            Backend::Postgres => "directory.nocase",
        }
    }

    /// A condition true when text `needle` occurs in text `haystack` (case-sensitive; NULL when
    /// either is NULL): SQLite `instr`, PostgreSQL `strpos`.
    pub fn contains(self, haystack: &str, needle: &str) -> String {
        match self {
            Backend::Sqlite => format!("instr({haystack}, {needle}) > 0"),
            Backend::Postgres => format!("strpos({haystack}, {needle}) > 0"),
        }
    }

    /// A condition true when integer `column` is one of the JSON array of integers bound to
    /// parameter `param` (e.g. `?3` bound to `[1,2,3]`): SQLite `IN (SELECT value FROM
    /// json_each(…))`, PostgreSQL `= ANY(…)` (the backend binds the JSON text as `int8[]`).
    pub fn id_in(self, column: &str, param: &str) -> String {
        match self {
            Backend::Sqlite => format!("{column} IN (SELECT value FROM json_each({param}))"),
            Backend::Postgres => format!("{column} = ANY({param})"),
        }
    }

    /// `table alias` read through index `index`: SQLite `INDEXED BY` (the table engine must
    /// walk the view's order, never let the planner pick another index and sort); PostgreSQL
    /// has no hints, so the table alone.
    pub fn indexed_by(self, table: &str, index: &str) -> String {
        match self {
            Backend::Sqlite => format!("{table} INDEXED BY {index}"),
            Backend::Postgres => table.to_owned(),
        }
    }

    /// What follows `ASC`/`DESC` in an ORDER BY so NULLs sort as SQLite sorts them (smallest:
    /// first ascending, last descending); PostgreSQL sorts them largest by default.
    pub fn nulls(self, descending: bool) -> &'static str {
        match (self, descending) {
            (Backend::Sqlite, _) => "",
            (Backend::Postgres, false) => " NULLS FIRST",
            (Backend::Postgres, true) => " NULLS LAST",
        }
    }

    /// The database's clock as an integer expression: milliseconds since the Unix epoch. Every
    /// node of a PostgreSQL site reads the one server's clock, so time limits kept in rows
    /// (delivery leases) mean the same to all of them whatever their own clocks say.
    pub fn now_millis(self) -> &'static str {
        match self {
            Backend::Sqlite => "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)",
            Backend::Postgres => "CAST(floor(extract(epoch FROM clock_timestamp()) * 1000) AS bigint)",
        }
    }

    /// What ends a SELECT that picks a row to change so that two connections never pick the same
    /// one at once: PostgreSQL locks the row and passes over rows another transaction holds
    /// (`FOR NO KEY UPDATE SKIP LOCKED`: it does not wait for, nor block, the key-share locks of
    /// foreign-key inserts); SQLite needs nothing, its writers take turns on the whole file.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR NO KEY UPDATE SKIP LOCKED",
        }
    }
}
