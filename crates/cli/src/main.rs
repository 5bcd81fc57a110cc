//! `oxmapi`: the command line of the oxmapi MAPI stack (CLI.md).
//!
//! This build carries the look-up and decoding commands (`error`, `tag`, `inspect`); the server,
//! administration, profile and mailbox commands arrive with the issues that build them.

mod inspect;
mod lookup;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;

/// oxmapi — a MAPI messaging stack: Exchange-compatible server, MAPI client, and tools.
#[derive(Parser)]
#[command(name = "oxmapi", version, about, propagate_version = true)]
struct Cli {
    /// Machine-readable output: one JSON document on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// Profile to log on with (default: the default profile).
    #[arg(long, global = true, value_name = "NAME")]
    profile: Option<String>,
    /// Read the password from FILE (else OXMAPI_PASSWORD, else a prompt on a terminal).
    #[arg(long, global = true, value_name = "FILE")]
    password_file: Option<std::path::PathBuf>,
    /// Version this client reports to the server.
    #[arg(long, global = true, value_name = "A.B.C.D")]
    client_version: Option<String>,
    /// MAPI_NEW_SESSION: do not reuse a shared session.
    #[arg(long, global = true)]
    new_session: bool,
    /// Open USER's mailbox instead of your own (delegate access).
    #[arg(long, global = true, value_name = "USER")]
    mailbox: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Exchange-compatible server (MAPI over HTTP).
    Serve {
        /// Data directory.
        #[arg(long, default_value = "./oxmapi-data")]
        data: std::path::PathBuf,
        /// Listen address.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Name, value, meaning and advice for a MAPI or Exchange error code.
    Error {
        /// A value (0x8004011D, 2147746077) or a name (MAPI_E_FAILONEPROVIDER, ecLoginPerm).
        code: String,
    },
    /// A property tag: canonical and PR_ names, id and type.
    Tag {
        /// A name (PR_SUBJECT, PidTagSubject, PR_SUBJECT_A) or a value (0x0037001F).
        tag: String,
    },
    /// Decode a wire structure and print it.
    Inspect {
        /// rop-request, rop-response, rpc-ext, entryid, restriction, aux, connect-request,
        /// connect-response, execute-request, execute-response, nspi-request, nspi-response.
        kind: String,
        /// HEX bytes or @FILE; for nspi-request/nspi-response: TYPE then HEX|@FILE.
        #[arg(num_args = 1..=2, required = true)]
        input: Vec<String>,
        /// Columns of the rows in a rop-response (comma-separated tags or names).
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
        /// Decode a restriction in the NSPI (MAPI/HTTP address book) form.
        #[arg(long)]
        nspi: bool,
    },
}

fn parse_tag(s: &str) -> Result<PropTag, MapiError> {
    oxmapi_core::catalogue::by_name(s)
        .map(|m| m.tag)
        .or_else(|| PropTag::parse_hex(s))
        .ok_or_else(|| MapiError::new(codes::MAPI_E_NOT_FOUND, format!("unknown property tag {s:?}")))
}

fn run(cli: &Cli) -> Result<(), MapiError> {
    match &cli.command {
        Command::Serve { data, listen } => {
            let _ = (&cli.profile, &cli.password_file, &cli.client_version, cli.new_session, &cli.mailbox);
            println!(
                "oxmapi serve: the MAPI/HTTP server arrives with the \"Connect and log on\" issue; \
                 nothing is served yet (data dir {}, listen {listen})",
                data.display()
            );
            Ok(())
        }
        Command::Error { code } => {
            output::print(&lookup::error(code)?, cli.json);
            Ok(())
        }
        Command::Tag { tag } => {
            output::print(&lookup::tag(tag)?, cli.json);
            Ok(())
        }
        Command::Inspect { kind, input, columns, nspi } => {
            let (nspi_type, data) = match input.as_slice() {
                [t, d] => (Some(t.as_str()), d.as_str()),
                [d] => (None, d.as_str()),
                _ => unreachable!("clap enforces 1..=2 values"),
            };
            if nspi_type.is_some() && !kind.starts_with("nspi-") {
                return Err(MapiError::new(
                    codes::MAPI_E_INVALID_PARAMETER,
                    format!("{kind} takes one input (HEX or @FILE)"),
                ));
            }
            let bytes = inspect::input_bytes(data)?;
            let opts = inspect::Options {
                columns: if columns.is_empty() {
                    None
                } else {
                    Some(columns.iter().map(|c| parse_tag(c)).collect::<Result<_, _>>()?)
                },
                nspi: *nspi,
            };
            output::print(&inspect::inspect(kind, nspi_type, &bytes, &opts)?, cli.json);
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::print_error(&e, cli.json);
            ExitCode::FAILURE
        }
    }
}
