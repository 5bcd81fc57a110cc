//! `oxmapi`: the command line of the oxmapi MAPI stack (CLI.md): the server and its
//! administration, client profiles, logon, stores and the session status, and the look-up and
//! decoding commands (`error`, `tag`, `inspect`).

mod ab_cmd;
mod admin_cmd;
mod admin_sessions;
mod allocator;
mod bench_cmd;
mod conformance_cmd;
mod doctor;
mod editor;
mod exit_status;
mod failure;
mod inspect;
mod lookup;
mod mailbox;
mod mailboxes_cmd;
mod migrate_cmd;
mod output;
mod profile_cmd;
mod profile_pst;
mod pst_cmd;
mod pst_write_cmd;
mod rules_cmd;
mod self_doc;
mod serve_cmd;
mod session_cmd;
mod session_end;
mod site;
mod table;
mod terminal_ui;
mod transfer;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;

use failure::Failure;

/// The EXIT STATUS section of `--help` and the man page (the classes of [`exit_status`]).
const EXIT_STATUS_HELP: &str = "Exit status:
  0  success
  1  a MAPI error of no other class (the error line names it)
  2  usage: the command line is wrong
  3  not found (MAPI_E_NOT_FOUND, MAPI_E_INVALID_ENTRYID, …)
  4  access denied (MAPI_E_NO_ACCESS, ecLoginPerm, …)
  5  network or server (MAPI_E_NETWORK_ERROR, MAPI_E_TIMEOUT, …)
  6  logon or configuration (MAPI_E_LOGON_FAILED, MAPI_E_FAILONEPROVIDER, MAPI_E_UNCONFIGURED, …)";

/// oxmapi — a MAPI messaging stack: Exchange-compatible server, MAPI client, and tools.
#[derive(Parser)]
#[command(name = "oxmapi", version, about, propagate_version = true, after_help = EXIT_STATUS_HELP)]
struct Cli {
    /// Machine-readable output: one JSON document on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// How lists of rows print: table (aligned columns, the default), tsv (tab-separated with
    /// a header line) or json (as --json). Given before the command (`oxmapi --format tsv ls
    /// /Inbox`): `export --format` is the file format of exported messages.
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<table::Format>,
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
    /// Which store of the profile a mailbox command works on: its display name as `oxmapi
    /// stores` lists it (a Personal Folders file added with `profile add-service`) or eid:HEX
    /// (default: the default store).
    #[arg(long, global = true, value_name = "NAME|eid:HEX")]
    store: Option<String>,
    /// Work on the public folder store instead of the mailbox (folders, ls, show, mkdir, put,
    /// rm, perms…): paths are relative to the public folders' IPM subtree ("/").
    #[arg(long)]
    public: bool,
    /// Also send credentials to the servers Autodiscover names on another origin (scheme, host,
    /// port) than the profile's server; a logon that succeeds remembers them in the profile
    /// (PR_OXMAPI_TRUSTED_ORIGINS). Without it, credentials go only to the profile's server.
    #[arg(long, global = true)]
    trust_autodiscover_origin: bool,
    /// Overall deadline of each request to the server, in seconds (default 300; a
    /// NotificationWait may take 300 s more): past it the command fails with MAPI_E_TIMEOUT.
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_request_timeout)]
    request_timeout: Option<std::time::Duration>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Exchange-compatible server (MAPI over HTTP).
    Serve(serve_cmd::ServeArgs),
    /// Check a MAPI/HTTP server against the protocol specifications (wire-level test suite).
    Conformance(conformance_cmd::ConformanceArgs),
    /// Administer the server's data directory (works whether or not the server runs).
    Admin(admin_cmd::AdminArgs),
    /// Personal Folders files (PST/OST) read directly: header facts, counts, consistency check.
    #[command(subcommand)]
    Pst(pst_cmd::PstCommand),
    /// The terminal MAPI Editor: profiles, services, providers and profile sections (edit and
    /// save), and after a logon stores, folders, contents, messages and the address book.
    Editor(editor::EditorArgs),
    /// Client profiles: message services, providers and profile sections.
    Profile {
        #[command(subcommand)]
        cmd: profile_cmd::ProfileCommand,
    },
    /// MAPILogonEx with the profile: who you are, the server, the stores table.
    Logon {
        /// Stay logged on for SECONDS before logging off.
        #[arg(long, value_name = "SECONDS")]
        hold: Option<u64>,
    },
    /// Check the way to the mailbox step by step (profile, DNS, TCP, TLS, Autodiscover,
    /// authentication, Connect, store logon, address book, notifications, clock) and explain
    /// each failure with its fix; fails when a check fails.
    Doctor,
    /// Log on and open every store of the stores table (OpenMsgStore).
    Stores,
    /// Log on and print the server's mailbox table (administrators: size, items, last logon,
    /// quota state of every mailbox; IExchangeManageStore::GetMailboxTable).
    Mailboxes,
    /// Log on and print the session's status table.
    Status,
    /// The folder tree under the IPM subtree with item and unread counts.
    Folders {
        /// The public folder store instead of the mailbox.
        #[arg(long)]
        public: bool,
        /// The whole store from its root folder (not only the IPM subtree), with the counts of
        /// associated (FAI) messages.
        #[arg(long)]
        all: bool,
    },
    /// A folder's permission list (MS-OXCPERM): ls, set, rm.
    Perms {
        #[command(subcommand)]
        cmd: mailbox::PermsCommand,
    },
    /// A folder's contents table (default view: newest first).
    Ls {
        /// FOLDER: /Inbox/Projects or eid:HEX.
        folder: String,
        /// Columns (comma-separated tags or names).
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
        /// Sort key TAG[:desc] (repeatable).
        #[arg(long)]
        sort: Vec<String>,
        /// At most N rows.
        #[arg(long)]
        limit: Option<usize>,
        /// Start the page at row N (RopSeekRow from the beginning).
        #[arg(long, conflicts_with = "position")]
        offset: Option<usize>,
        /// Start the page at a fraction of the table, PCT% (RopSeekRowFractional).
        #[arg(long, value_name = "PCT%")]
        position: Option<String>,
        /// Only rows matching EXPR (RopRestrict), in the readable condition syntax of `rules add
        /// --if`: subject~TEXT, body~TEXT, from=ADDR, to=ADDR, importance>=N, size>N,
        /// has-attachment, with and, or, not and parentheses.
        #[arg(long, value_name = "EXPR")]
        restrict: Option<String>,
        /// The folder's associated contents (FAI messages: views, rules, forms) instead of its
        /// messages.
        #[arg(long)]
        associated: bool,
    },
    /// One message: properties, recipients, attachments.
    Show {
        /// ITEM: eid:HEX, FOLDER#N, or the path of a .msg file.
        item: String,
    },
    /// Every property of ITEM, FOLDER or `store` (name, tag, type, value).
    Props {
        /// ITEM, FOLDER or store (ITEM may be the path of a .msg file).
        target: String,
    },
    /// Set one property of ITEM (or FOLDER).
    Setprop {
        /// ITEM or FOLDER.
        target: String,
        /// Tag (PR_IMPORTANCE, PidTagImportance, 0x00170003).
        tag: String,
        /// Value in the tag's type.
        value: String,
    },
    /// Server-side rules of a folder (MS-OXORULE): ls, add, rm.
    Rules {
        #[command(subcommand)]
        cmd: rules_cmd::RulesCommand,
    },
    /// Out of office: `oof` (the state), `oof on --message TEXT [--until TIME]`, `oof off`.
    Oof {
        #[command(subcommand)]
        cmd: Option<rules_cmd::OofCommand>,
    },
    /// Create a folder.
    Mkdir {
        /// FOLDER path.
        folder: String,
        /// Create the missing parent folders too, and succeed when FOLDER exists.
        #[arg(short = 'p', long)]
        parents: bool,
    },
    /// Delete properties of ITEM (or FOLDER): RopDeleteProperties, then the message is saved.
    Rmprop {
        /// ITEM or FOLDER.
        target: String,
        /// Tags to delete (names, 0xTAG or named properties as `setprop` takes them).
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Add files (or with --embed a message) as attachments of an existing message.
    Attach {
        /// ITEM: the message to attach to.
        item: String,
        /// Files to attach (by value).
        #[arg(value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
        /// Attach a copy of this message as an embedded message (ATTACH_EMBEDDED_MSG).
        #[arg(long, value_name = "ITEM")]
        embed: Option<String>,
    },
    /// Delete a folder.
    Rmdir {
        /// FOLDER path.
        folder: String,
        /// Delete its messages and subfolders too.
        #[arg(long)]
        recursive: bool,
    },
    /// Move a message, or a folder (a path) with everything in it, to a folder.
    Mv {
        /// ITEM.
        item: String,
        /// Destination FOLDER.
        folder: String,
        /// FOLDER is in this other store of the profile (a display name from `oxmapi stores`,
        /// or eid:HEX): the message is read from its store and written into that one (a
        /// mailbox message into a PST, a PST message into the mailbox, …).
        #[arg(long, value_name = "NAME")]
        to_store: Option<String>,
        /// ITEM is a FOLDER (a path): move it with its sub-folders, messages and FAI messages
        /// under FOLDER (within a store by the store; with --to-store recreated in the other
        /// store, the source deleted once everything is copied).
        #[arg(long)]
        recursive: bool,
    },
    /// Copy a message (with --recursive a folder) to a folder.
    Cp {
        /// ITEM.
        item: String,
        /// Destination FOLDER.
        folder: String,
        /// FOLDER is in this other store of the profile (a display name from `oxmapi stores`,
        /// or eid:HEX): the message is read from its store and written into that one (a
        /// mailbox message into a PST, a PST message into the mailbox, …).
        #[arg(long, value_name = "NAME")]
        to_store: Option<String>,
        /// ITEM is a FOLDER (a path): copy it with its sub-folders, messages and FAI messages
        /// under FOLDER (within a store by the store; with --to-store recreated in the other
        /// store).
        #[arg(long)]
        recursive: bool,
    },
    /// Delete a message.
    Rm {
        /// ITEM.
        item: String,
    },
    /// Create a message; prints its entry ID.
    Put {
        /// FOLDER.
        folder: String,
        /// PR_SUBJECT.
        #[arg(long)]
        subject: String,
        /// PR_BODY.
        #[arg(long)]
        body: Option<String>,
        /// To recipient (ADDR or "Name <ADDR>"; repeatable).
        #[arg(long)]
        to: Vec<String>,
        /// Cc recipient (repeatable).
        #[arg(long)]
        cc: Vec<String>,
        /// Attach FILE (repeatable).
        #[arg(long)]
        attach: Vec<std::path::PathBuf>,
    },
    /// Create a message in the Outbox and submit it.
    Send {
        /// Recipient: a name or address the address book resolves, or any SMTP address
        /// (repeatable).
        #[arg(long, required = true)]
        to: Vec<String>,
        /// PR_SUBJECT.
        #[arg(long)]
        subject: String,
        /// PR_BODY.
        #[arg(long)]
        body: Option<String>,
        /// Attach FILE (repeatable).
        #[arg(long)]
        attach: Vec<std::path::PathBuf>,
        /// Cc recipient (repeatable).
        #[arg(long)]
        cc: Vec<String>,
        /// Bcc recipient (repeatable; not shown to the other recipients).
        #[arg(long)]
        bcc: Vec<String>,
        /// PR_MESSAGE_CLASS (default IPM.Note).
        #[arg(long, value_name = "CLASS")]
        class: Option<String>,
        /// Set a property: TAG=VALUE, VALUE in the tag's type as for `setprop` (repeatable),
        /// e.g. PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED=true.
        #[arg(long = "prop", value_name = "TAG=VALUE")]
        props: Vec<String>,
        /// PR_BODY from a UTF-8 file.
        #[arg(long, value_name = "FILE", conflicts_with = "body")]
        body_file: Option<std::path::PathBuf>,
        /// PR_HTML (the HTML body) from a file.
        #[arg(long, value_name = "FILE")]
        html: Option<std::path::PathBuf>,
        /// Hold the message in the Outbox until TIME (PR_DEFERRED_DELIVERY_TIME): RFC 3339 or
        /// +N[smhd] (+10s, +5m, +2h, +1d).
        #[arg(long, value_name = "TIME")]
        deferred: Option<String>,
        /// Give up (non-delivery report) when still undeliverable at TIME (PR_EXPIRY_TIME): RFC
        /// 3339 or +N[smhd].
        #[arg(long, value_name = "TIME")]
        expires: Option<String>,
    },
    /// Submit an existing message (from any folder); the server sends it and files it in Sent
    /// Items.
    Submit {
        /// ITEM (eid:HEX or FOLDER#N).
        item: String,
    },
    /// Advise on the store (or FOLDER) and print one JSON line per notification.
    Watch {
        /// FOLDER (default: the whole store).
        folder: Option<String>,
        /// Events to watch, comma-separated: newmail, created, deleted, modified, moved,
        /// copied, searchcomplete, critical, all (default: all but critical).
        #[arg(long, value_name = "LIST")]
        events: Option<String>,
        /// Stop after N notifications.
        #[arg(long, value_name = "N")]
        count: Option<u64>,
        /// Stop after SECONDS (with --count: fail when fewer arrived).
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<u64>,
    },
    /// Save attachment N (1-based, attachment-table order) of ITEM.
    Attachment {
        /// ITEM (or the path of a .msg file).
        item: String,
        /// Attachment number.
        n: usize,
        /// Output file; `-` writes the attachment's bytes to standard output.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Import .eml, .msg, .mbox, .pst and .ost files (or directories of them) into FOLDER
    /// (created if missing; a PST's folder tree is recreated under it). Resumable: items the
    /// folder already has from an earlier import are skipped.
    Import {
        /// The target FOLDER (a path such as /Inbox/Imported, or eid:HEX).
        folder: String,
        /// Files or directories to import.
        #[arg(required = true, value_name = "SOURCE")]
        sources: Vec<std::path::PathBuf>,
        /// Sessions writing in parallel (1 to 8; more than 1 needs the password from
        /// --password-file or OXMAPI_PASSWORD, else one session writes).
        #[arg(long, default_value_t = transfer::DEFAULT_IMPORT_JOBS, value_name = "N")]
        jobs: usize,
    },
    /// Export a message to .msg or .eml, or a folder to an .mbox file or a directory of .eml
    /// (or .msg) files.
    Export {
        /// ITEM (eid:HEX or FOLDER#N) or FOLDER.
        source: String,
        /// The target: FILE.msg, FILE.eml, FILE.mbox, or a directory.
        #[arg(long, value_name = "TARGET")]
        to: std::path::PathBuf,
        /// A folder's sub-folders too (sub-directories of a directory target; the same mbox).
        #[arg(long)]
        recursive: bool,
        /// A folder's associated (hidden) messages too.
        #[arg(long)]
        all: bool,
        /// The file format of the messages in a directory target (default eml).
        #[arg(long, value_enum, value_name = "eml|msg")]
        format: Option<transfer::Format>,
        /// A .pst target that exists is the one an interrupted export of the same FOLDER left:
        /// its folders are reused and the messages it holds are skipped (a file that is not such
        /// an export is refused with MAPI_E_COLLISION; a missing file is created).
        #[arg(long)]
        resume: bool,
        /// A .pst target is committed after every N messages (what an interruption can cost).
        #[arg(long, value_name = "N", default_value_t = transfer::DEFAULT_COMMIT_EVERY,
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        commit_every: usize,
    },
    /// The address book: the Global Address List, name resolution, entries.
    Ab {
        #[command(subcommand)]
        cmd: AbCommand,
    },
    /// End-to-end benchmarks against a real server process.
    Bench {
        #[command(subcommand)]
        cmd: bench_cmd::BenchCommand,
    },
    /// Name, value, meaning and advice for a MAPI or Exchange error code.
    Error {
        /// A value (0x8004011D, 2147746077) or a name (MAPI_E_FAILONEPROVIDER, ecLoginPerm).
        code: String,
    },
    /// A property tag or named property (PidLid…, PSETID_Address:0x8083); else a partial search.
    Tag {
        /// A name (PR_SUBJECT, PidTagSubject, PR_SUBJECT_A) or a value (0x0037001F).
        tag: String,
    },
    /// Print the completion script for a shell (bash, zsh, fish): `source <(oxmapi completions
    /// bash)` in ~/.bashrc, `oxmapi completions zsh > "${fpath[1]}/_oxmapi"`, `oxmapi completions
    /// fish > ~/.config/fish/completions/oxmapi.fish`.
    Completions {
        /// The shell: bash, zsh or fish.
        #[arg(value_enum)]
        shell: self_doc::Shell,
    },
    /// Print the man page (roff; `oxmapi man | man -l -`).
    Man,
    /// Decode a wire structure and print it.
    Inspect {
        /// rop-request, rop-response, rpc-ext, entryid, restriction, aux, connect-request,
        /// connect-response, execute-request, execute-response, nspi-request, nspi-response; SmartView:
        /// pcl, xid, gid, fid, mid, entryid-any, recurrence, timezone, sid … (a wrong KIND lists all).
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

#[derive(Subcommand)]
enum AbCommand {
    /// The global address list (display-name order).
    Ls {
        /// At most N entries.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Ambiguous name resolution: exits non-zero with MAPI_E_AMBIGUOUS_RECIP or MAPI_E_NOT_FOUND.
    Resolve {
        /// A name, account, SMTP address or prefix of one; [SMTP:addr] for a one-off.
        name: String,
    },
    /// All properties of one entry.
    Show {
        /// A name that resolves to one entry.
        name: String,
    },
}

fn parse_tag(s: &str) -> Result<PropTag, Failure> {
    oxmapi_core::catalogue::by_name(s).map(|m| m.tag).or_else(|| PropTag::parse_hex(s)).ok_or_else(|| {
        Failure::bad_input(
            codes::MAPI_E_NOT_FOUND,
            "--columns",
            format!("unknown property tag {s:?}"),
            "property tags by name (PR_SUBJECT_W) or value (0x0037001F); `oxmapi tag NAME` looks one up",
        )
    })
}

fn logon_args(cli: &Cli) -> session_cmd::LogonArgs<'_> {
    session_cmd::LogonArgs {
        mailbox: cli.mailbox.as_deref(),
        profile: cli.profile.as_deref(),
        password_file: cli.password_file.as_deref(),
        client_version: cli.client_version.as_deref(),
        new_session: cli.new_session,
        trust_autodiscover_origin: cli.trust_autodiscover_origin,
        request_timeout: cli.request_timeout,
        public: cli.public,
        store: cli.store.as_deref(),
    }
}

/// `--request-timeout`: a positive number of seconds (fractions allowed).
fn parse_request_timeout(s: &str) -> Result<std::time::Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(std::time::Duration::from_secs_f64(v)),
        _ => Err(format!("{s:?} is not a number of seconds between 0 and 86400 (e.g. 300 or 2.5)")),
    }
}

fn run(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Serve(args) => Ok(serve_cmd::run(args)?),
        Command::Conformance(args) => {
            if !conformance_cmd::run(args, cli.password_file.as_deref(), cli.json)? {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Admin(args) => {
            let node = match &args.command {
                admin_cmd::AdminCommand::Migrate(m) => {
                    migrate_cmd::run(args, m, cli.json).map_err(migrate_cmd::failure)?
                }
                _ => admin_cmd::run(args)?,
            };
            if matches!(args.command, admin_cmd::AdminCommand::Mailboxes) {
                output::print_rows(&node, cli.json, "no mailboxes");
            } else {
                output::print_result(&node, cli.json);
            }
            Ok(())
        }
        Command::Perms { cmd } => {
            output::print_result(&mailbox::perms_cmd(&logon_args(cli), cmd)?, cli.json);
            Ok(())
        }
        Command::Editor(args) => {
            let settings = editor::LogonSettings {
                password_file: cli.password_file.clone(),
                client_version: cli.client_version.clone(),
                new_session: cli.new_session,
                trust_autodiscover_origin: cli.trust_autodiscover_origin,
                request_timeout: cli.request_timeout,
                mailbox: cli.mailbox.clone(),
            };
            let args = editor::EditorArgs { section: args.section.clone(), profile: cli.profile.clone() };
            editor::run(&args, settings)
        }
        Command::Profile { cmd } => {
            let node = profile_cmd::run(cmd)?;
            match cmd {
                profile_cmd::ProfileCommand::Show { tree: true, .. } if !cli.json => {
                    print!("{}", profile_cmd::tree_text(&node))
                }
                _ => output::print(&node, cli.json),
            }
            Ok(())
        }
        Command::Logon { hold } => {
            let node = session_cmd::logon_cmd(&logon_args(cli), *hold, cli.json)?;
            if node != oxmapi_wire::describe::Node::Null {
                output::print(&node, cli.json);
            }
            Ok(())
        }
        Command::Doctor => doctor::run(&logon_args(cli), cli.json),
        Command::Stores => {
            output::print(&session_cmd::stores_cmd(&logon_args(cli), cli.json)?, cli.json);
            Ok(())
        }
        Command::Mailboxes => {
            output::print_rows(&mailboxes_cmd::mailboxes_cmd(&logon_args(cli))?, cli.json, "no mailboxes");
            Ok(())
        }
        Command::Ab { cmd } => {
            let args = logon_args(cli);
            match cmd {
                AbCommand::Ls { limit } => {
                    let node = ab_cmd::ls_cmd(&args, *limit)?;
                    if cli.json {
                        output::print(&node, true);
                    } else {
                        print!("{}", ab_cmd::ls_text(&node));
                    }
                }
                AbCommand::Resolve { name } => output::print(&ab_cmd::resolve_cmd(&args, name)?, cli.json),
                AbCommand::Show { name } => output::print(&ab_cmd::show_cmd(&args, name)?, cli.json),
            }
            Ok(())
        }
        Command::Bench { cmd } => {
            bench_cmd::set_progress(!cli.json || std::io::IsTerminal::is_terminal(&std::io::stderr()));
            output::print(&bench_cmd::run(cmd)?, cli.json);
            Ok(())
        }
        Command::Status => {
            output::print(&session_cmd::status_cmd(&logon_args(cli), cli.json)?, cli.json);
            Ok(())
        }
        Command::Folders { public, all } => {
            let node = mailbox::folders_cmd(&logon_args(cli), *public, *all)?;
            if cli.json {
                output::print(&node, true);
            } else {
                print!("{}", mailbox::folders_text(&node));
            }
            Ok(())
        }
        Command::Ls { folder, columns, sort, limit, offset, position, restrict, associated } => {
            let view = mailbox::View {
                columns,
                sort,
                start: mailbox::PageStart::parse(*offset, position.as_deref())?,
                limit: *limit,
                restrict: restrict.as_deref(),
                associated: *associated,
            };
            let empty = if *associated { "no associated (FAI) messages" } else { "no items" };
            output::print_rows(&mailbox::ls_cmd(&logon_args(cli), folder, &view)?, cli.json, empty);
            Ok(())
        }
        Command::Show { item } => {
            output::print(&mailbox::show_cmd(&logon_args(cli), item)?, cli.json);
            Ok(())
        }
        Command::Props { target } => {
            output::print_rows(&mailbox::props_cmd(&logon_args(cli), target)?, cli.json, "no properties");
            Ok(())
        }
        Command::Rmprop { target, tags } => {
            output::print(&mailbox::rmprop_cmd(&logon_args(cli), target, tags)?, cli.json);
            Ok(())
        }
        Command::Attach { item, files, embed } => {
            output::print(&mailbox::attach_cmd(&logon_args(cli), item, files, embed.as_deref())?, cli.json);
            Ok(())
        }
        Command::Setprop { target, tag, value } => {
            output::print(&mailbox::setprop_cmd(&logon_args(cli), target, tag, value)?, cli.json);
            Ok(())
        }
        Command::Rules { cmd } => {
            output::print_result(&rules_cmd::rules_cmd(&logon_args(cli), cmd)?, cli.json);
            Ok(())
        }
        Command::Oof { cmd } => {
            output::print(&rules_cmd::oof_cmd(&logon_args(cli), cmd.as_ref())?, cli.json);
            Ok(())
        }
        Command::Mkdir { folder, parents } => {
            output::print(&mailbox::mkdir_cmd(&logon_args(cli), folder, *parents)?, cli.json);
            Ok(())
        }
        Command::Rmdir { folder, recursive } => {
            output::print(&mailbox::rmdir_cmd(&logon_args(cli), folder, *recursive)?, cli.json);
            Ok(())
        }
        Command::Mv { item, folder, to_store, recursive } => {
            let node =
                mailbox::copy_cmd(&logon_args(cli), item, folder, true, to_store.as_deref(), *recursive)?;
            output::print(&node, cli.json);
            Ok(())
        }
        Command::Cp { item, folder, to_store, recursive } => {
            let node =
                mailbox::copy_cmd(&logon_args(cli), item, folder, false, to_store.as_deref(), *recursive)?;
            output::print(&node, cli.json);
            Ok(())
        }
        Command::Rm { item } => {
            output::print(&mailbox::rm_cmd(&logon_args(cli), item)?, cli.json);
            Ok(())
        }
        Command::Put { folder, subject, body, to, cc, attach } => {
            let args = mailbox::PutArgs { folder, subject, body: body.as_deref(), to, cc, attach };
            let node = mailbox::put_cmd(&logon_args(cli), &args)?;
            // CLI.md: `put` "prints its entry ID" — one line a script can keep (`id=$(oxmapi put …)`);
            // `--json` has the message id and folder too.
            let entry_id = match &node {
                oxmapi_wire::describe::Node::Map(m) => {
                    m.iter().find(|(k, _)| k == "entry_id").map(|(_, v)| v)
                }
                _ => None,
            };
            match entry_id {
                Some(id) if !cli.json => println!("{}", output::to_text(id).trim_end()),
                _ => output::print(&node, cli.json),
            }
            Ok(())
        }
        Command::Send {
            to,
            subject,
            body,
            attach,
            cc,
            bcc,
            class,
            props,
            body_file,
            html,
            deferred,
            expires,
        } => {
            let args = mailbox::SendArgs {
                to,
                subject,
                body: body.as_deref(),
                attach,
                cc,
                bcc,
                class: class.as_deref(),
                props,
                body_file: body_file.as_deref(),
                html: html.as_deref(),
                deferred: deferred.as_deref(),
                expires: expires.as_deref(),
            };
            output::print(&mailbox::send_cmd(&logon_args(cli), &args)?, cli.json);
            Ok(())
        }
        Command::Submit { item } => {
            output::print(&mailbox::submit_cmd(&logon_args(cli), item)?, cli.json);
            Ok(())
        }
        Command::Watch { folder, events, count, timeout } => {
            let args = mailbox::WatchArgs {
                folder: folder.as_deref(),
                events: events.as_deref(),
                count: *count,
                timeout: *timeout,
            };
            Ok(mailbox::watch_cmd(&logon_args(cli), &args)?)
        }
        Command::Attachment { item, n, out } => {
            let node = mailbox::attachment_cmd(&logon_args(cli), item, *n, out)?;
            // `--out -`: the attachment's bytes were the output.
            if node != oxmapi_wire::describe::Node::Null {
                output::print(&node, cli.json);
            }
            Ok(())
        }
        Command::Import { folder, sources, jobs } => {
            output::print(&transfer::import_cmd(&logon_args(cli), folder, sources, *jobs)?, cli.json);
            Ok(())
        }
        Command::Export { source, to, recursive, all, format, resume, commit_every } => {
            let args = transfer::ExportArgs {
                source,
                to,
                recursive: *recursive,
                all: *all,
                format: *format,
                resume: *resume,
                commit_every: *commit_every,
            };
            output::print(&transfer::export_cmd(&logon_args(cli), &args)?, cli.json);
            Ok(())
        }
        Command::Pst(cmd) => {
            output::print(&pst_cmd::run(cmd)?, cli.json);
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
        Command::Completions { shell } => {
            self_doc::completions::<Cli>(*shell, &mut std::io::stdout().lock());
            Ok(())
        }
        Command::Man => self_doc::man::<Cli>(&mut std::io::stdout().lock())
            .map_err(|e| Failure::local_file("standard output", std::path::Path::new("-"), &e)),
        Command::Inspect { kind, input, columns, nspi } => {
            let (nspi_type, data) = match input.as_slice() {
                [t, d] => (Some(t.as_str()), d.as_str()),
                [d] => (None, d.as_str()),
                _ => unreachable!("clap enforces 1..=2 values"),
            };
            if kind == "flags" {
                let [tag, value] = input.as_slice() else {
                    return Err(Failure::bad_input(
                        codes::MAPI_E_INVALID_PARAMETER,
                        kind,
                        "flags takes TAG then VALUE",
                        "a property tag and its value, e.g. `inspect flags PR_MESSAGE_FLAGS 0x401`",
                    ));
                };
                output::print(&inspect::flags(tag, value)?, cli.json);
                return Ok(());
            }
            if nspi_type.is_some() && !kind.starts_with("nspi-") {
                return Err(Failure::bad_input(
                    codes::MAPI_E_INVALID_PARAMETER,
                    kind,
                    format!("{kind} takes one input (HEX or @FILE)"),
                    "one input, HEX or @FILE; only nspi-request and nspi-response take a TYPE first",
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
    let mut cli = Cli::parse();
    // SmartView shows times in UTC and local time; the wire crate asks for the offset.
    oxmapi_wire::smartview::set_local_offset(inspect::local_offset);
    if let Some(f) = cli.format {
        cli.json |= f == table::Format::Json;
        table::set_format(f);
    }
    // A server outlives the pipe that started it, and a conformance run always gets to remove
    // the folder it created: both keep writing into a closed pipe as a (ignored) error instead
    // of ending on SIGPIPE.
    if !matches!(cli.command, Command::Serve(_) | Command::Conformance(_)) {
        output::end_quietly_on_closed_pipe();
        session_end::install();
    }
    let outcome = run(&cli);
    session_end::at_exit();
    match outcome {
        Ok(()) => ExitCode::from(exit_status::SUCCESS),
        Err(f) => {
            output::print_error(&f, cli.json);
            ExitCode::from(exit_status::of(&f))
        }
    }
}

#[cfg(test)]
mod tests {
    /// clap's own consistency checks over the whole command tree (an option defined twice on one
    /// path, e.g. a global option and a subcommand's of the same name, panics only when that
    /// subcommand runs).
    #[test]
    fn the_command_line_definition_is_consistent() {
        <super::Cli as clap::CommandFactory>::command().debug_assert();
    }
}
