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
}
