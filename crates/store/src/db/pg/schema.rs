//! Schema versions of a PostgreSQL site and the migrations between them.
//!
//! A site's database holds two components, each with its own version in
//! `store.oxmapi_schema(component, version)`: `directory` (schema `directory`,
//! [`super::schema_directory`]) and `store` (schemas `store` and `mailbox`,
//! [`super::schema_mailbox`]). [`migrate`] brings both to this build's versions in one
//! transaction under a transaction-level advisory lock, so nodes starting at once take turns and
//! the second finds the work done. A database whose version is newer than this build knows is
//! refused ("upgrade oxmapi"), like a newer SQLite file; one that has our schemas but no version
//! table is refused as not an oxmapi database.

use postgres::Client;

use super::{schema_directory, schema_mailbox};
use crate::db::{Error, ErrorKind, Result};

/// The advisory lock key migrations hold ('OXMS').
pub const MIGRATION_LOCK: i64 = 0x4F58_4D53;

/// One step: the SQL that takes a component from `version - 1` to `version`.
struct Step {
    version: i32,
    sql: fn() -> String,
}

/// A component and its steps, oldest first.
struct Component {
    name: &'static str,
    steps: &'static [Step],
}

/// The components in the order they are migrated (the store uses the directory's collation).
const COMPONENTS: &[Component] = &[
    Component {
        name: "directory",
        steps: &[
            Step { version: 1, sql: || schema_directory::V1.to_string() },
            Step { version: 2, sql: || schema_directory::V2.to_string() },
            Step { version: 3, sql: || schema_directory::V3.to_string() },
        ],
    },
    Component {
        name: "store",
        steps: &[
            Step { version: 1, sql: store_v1 },
            Step { version: 2, sql: || schema_mailbox::V2.to_string() },
            Step { version: 3, sql: || schema_mailbox::V3.to_string() },
            Step { version: 4, sql: || schema_mailbox::V4.to_string() },
            Step { version: 5, sql: || schema_mailbox::V5.to_string() },
            Step { version: 6, sql: || schema_mailbox::V6.to_string() },
        ],
    },
];

fn store_v1() -> String {
    let tables: Vec<String> = schema_mailbox::MAILBOX_TABLES[..schema_mailbox::V1_TABLE_COUNT]
        .iter()
        .map(|t| format!("'{t}'"))
        .collect();
    schema_mailbox::V1.replace("{TABLES}", &tables.join(", "))
}

/// The newest version this build knows of `component` (0 if unknown).
pub fn latest_version(component: &str) -> i32 {
    COMPONENTS.iter().find(|c| c.name == component).and_then(|c| c.steps.last()).map_or(0, |s| s.version)
}

fn refuse(message: String) -> Error {
    Error::Postgres { code: None, kind: ErrorKind::Corrupt, message }
}

/// Creates or upgrades the schema of the database `client` is connected to (`database` names
/// it in errors, without its password).
pub(crate) fn migrate(client: &mut Client, database: &str) -> Result<()> {
    let pg = |e: postgres::Error| super::pg_error(&e);
    let mut tx = client.transaction().map_err(pg)?;
    // Another node's migration may take longer than the lock timeout of ordinary statements.
    tx.batch_execute("SET LOCAL lock_timeout = 0").map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(pg)?;
    let has_versions: bool =
        tx.query_one("SELECT to_regclass('store.oxmapi_schema') IS NOT NULL", &[]).map_err(pg)?.get(0);
    if !has_versions {
        let ours: i64 = tx
            .query_one(
                "SELECT count(*) FROM pg_namespace WHERE nspname IN ('directory', 'store', 'mailbox')",
                &[],
            )
            .map_err(pg)?
            .get(0);
        if ours > 0 {
            return Err(refuse(format!(
                "the database {database} has schemas named directory, store or mailbox but no oxmapi schema \
                 version: it is not an oxmapi database (give oxmapi a database of its own)"
            )));
        }
        tx.batch_execute(
            "CREATE SCHEMA store; \
             CREATE TABLE store.oxmapi_schema (component text PRIMARY KEY, version integer NOT NULL)",
        )
        .map_err(pg)?;
    }
    for component in COMPONENTS {
        let current: i32 = tx
            .query_opt("SELECT version FROM store.oxmapi_schema WHERE component = $1", &[&component.name])
            .map_err(pg)?
            .map_or(0, |r| r.get(0));
        let latest = component.steps.last().map_or(0, |s| s.version);
        if current > latest {
            return Err(refuse(format!(
                "the {} schema of the database {database} has version {current}, but this build of oxmapi knows \
                 versions up to {latest}: upgrade oxmapi",
                component.name
            )));
        }
        for step in component.steps.iter().filter(|s| s.version > current) {
            tx.batch_execute(&(step.sql)()).map_err(|e| {
                let e = pg(e);
                refuse_step(component.name, step.version, e)
            })?;
            tx.execute(
                "INSERT INTO store.oxmapi_schema (component, version) VALUES ($1, $2) \
                 ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                &[&component.name, &step.version],
            )
            .map_err(pg)?;
        }
    }
    tx.commit().map_err(pg)
}

/// Names the migration step in an error it raised, keeping its classification.
fn refuse_step(component: &str, version: i32, e: Error) -> Error {
    match e {
        Error::Postgres { code, kind, message } => Error::Postgres {
            code,
            kind,
            message: format!("migrating the {component} schema to version {version}: {message}"),
        },
        other => other,
    }
}

/// The recorded version of every component (for tests and `oxmapi admin`).
pub(crate) fn versions(client: &mut Client) -> Result<Vec<(String, i32)>> {
    let rows = client
        .query("SELECT component, version FROM store.oxmapi_schema ORDER BY component", &[])
        .map_err(|e| super::pg_error(&e))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// The identity columns: ids PostgreSQL assigns from a sequence when a statement gives none.
pub const IDENTITY_COLUMNS: &[(&str, &str)] = &[
    ("directory.users", "id"),
    ("store.mailboxes", "mbx"),
    ("store.attachments", "attach_id"),
    ("store.blobs", "blob_id"),
    ("store.submissions", "submission_id"),
];

/// Moves every identity's sequence past the largest id in its table, after rows were inserted
/// with explicit ids (a copy from SQLite files): the next id the database assigns is then
/// unused. A sequence is never moved back, so ids are not reused (`submissions` relies on it).
pub(crate) fn advance_identities(client: &mut Client) -> Result<()> {
    let pg = |e: postgres::Error| super::pg_error(&e);
    for (table, column) in IDENTITY_COLUMNS {
        let sequence: Option<String> =
            client.query_one("SELECT pg_get_serial_sequence($1, $2)", &[table, column]).map_err(pg)?.get(0);
        let Some(sequence) = sequence else {
            return Err(refuse(format!("{table}.{column} has no identity sequence: the schema is damaged")));
        };
        let row = client
            .query_one(
                &format!(
                    "SELECT (SELECT max({column}) FROM {table}), \
                     (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {sequence})"
                ),
                &[],
            )
            .map_err(pg)?;
        let (largest, used): (Option<i64>, i64) = (row.get(0), row.get(1));
        if let Some(largest) = largest.filter(|m| *m > used) {
            client.execute("SELECT setval($1::text::regclass, $2)", &[&sequence, &largest]).map_err(pg)?;
        }
    }
    Ok(())
}
