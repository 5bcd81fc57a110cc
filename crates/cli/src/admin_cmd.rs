//! `oxmapi admin`: users and their mailboxes, delegate grants, the public folder store and
//! settings of a data directory (CLI.md "Server and administration").
//!
//! Every command opens the files it needs, commits its change and closes them, so it works
//! whether or not `oxmapi serve` runs on the same directory; the server sees the change at the
//! next logon.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use oxmapi_core::MapiError;
use oxmapi_store::directory::Access;
use oxmapi_store::directory::password::read_password_file;
use oxmapi_store::{Directory, NewUser, Site, User};
use oxmapi_wire::describe::Node;

/// Administer a data directory: users and mailboxes, delegate grants, public folders, settings.
#[derive(Args, Debug)]
pub struct AdminArgs {
    /// Data directory of the server.
    #[arg(long, default_value = "./oxmapi-data", value_name = "DIR")]
    pub data: PathBuf,
    /// The site's store in a PostgreSQL database instead (postgres://USER@HOST:PORT/DATABASE);
    /// the password from OXMAPI_DATABASE_PASSWORD rather than the URL.
    #[arg(long, value_name = "URL", conflicts_with = "data")]
    pub database: Option<String>,
    #[command(subcommand)]
    pub command: AdminCommand,
}

impl AdminArgs {
    /// Where the site's store is: `--database` (password from the URL, else
    /// OXMAPI_DATABASE_PASSWORD; a password in the URL is warned about) or `--data`.
    pub fn location(&self) -> Result<crate::site::StoreLocation, MapiError> {
        use crate::site::{
            PASSWORD_ENV, StoreLocation, command_line_password_warning, has_password, parse_database,
        };
        match &self.database {
            Some(url) => {
                if has_password(url) {
                    eprintln!("{}", command_line_password_warning(url));
                }
                Ok(StoreLocation::Database(parse_database(url, std::env::var(PASSWORD_ENV).ok(), None)?))
            }
            None => Ok(StoreLocation::Dir(self.data.clone())),
        }
    }
}

/// The administration commands.
#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create, list, show and change users.
    #[command(subcommand)]
    User(UserCommand),
    /// Give a user access to another user's mailbox.
    #[command(subcommand)]
    Grant(GrantCommand),
    /// Withdraw access given with `grant`.
    #[command(subcommand)]
    Revoke(GrantCommand),
    /// Switch the public folder store on or off, or show its state.
    #[command(subcommand)]
    PublicFolders(PublicFoldersCommand),
    /// Change a setting (max-sessions-per-user, min-client-version, session-idle-timeout,
    /// organization, domain, public-folders, max-submit-message-size-kb, prohibit-send-quota-kb,
    /// prohibit-receive-quota-kb, extended-rule-size-limit).
    #[command(after_help = settings_help())]
    Set {
        /// The setting.
        key: String,
        /// Its new value.
        value: String,
    },
    /// Show a setting's effective value (all settings without KEY).
    Get {
        /// The setting.
        key: Option<String>,
    },
    /// List or end the server's live session contexts.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// The mailbox table: every mailbox's size, item counts, last logon and quota state, read
    /// from the data directory (no server needed; `oxmapi mailboxes` asks the server).
    Mailboxes,
    /// Copy the whole site into an empty PostgreSQL database or a new data directory (with
    /// progress, resumable, row counts verified); stop the server first.
    Migrate(crate::migrate_cmd::MigrateArgs),
}

/// `oxmapi admin sessions …`.
#[derive(Subcommand, Debug)]
pub enum SessionsCommand {
    /// List live session contexts: user, endpoint, client application and version, address,
    /// created, last activity.
    Ls,
    /// End the sessions of a user (or the one session with that id); the client's next request
    /// gets X-ResponseCode 10 with `X-Oxmapi-Context-Ended: killed`.
    Kill {
        /// A user name or a session id (from `sessions ls`).
        target: String,
    },
}

/// `oxmapi admin user …`.
#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user and their mailbox.
    Add {
        /// Account name (A-Z, a-z, 0-9, '.', '_', '-').
        name: String,
        /// File holding the password (one trailing newline is ignored).
        #[arg(long, value_name = "FILE")]
        password_file: PathBuf,
        /// Display name (default: the name).
        #[arg(long, value_name = "S")]
        display_name: Option<String>,
        /// Primary SMTP address (default: NAME@<domain setting>).
        #[arg(long, value_name = "ADDR")]
        email: Option<String>,
        /// Administrator: may log on with admin privilege and see every mailbox.
        #[arg(long)]
        admin: bool,
        /// Hidden from the global address list.
        #[arg(long)]
        hidden: bool,
    },
    /// List users.
    List,
    /// Show one user: legacy DN, SMTP address, flags and grants.
    Show {
        /// Account name.
        name: String,
    },
    /// Refuse the user's logons.
    Disable {
        /// Account name.
        name: String,
    },
    /// Allow the user's logons again.
    Enable {
        /// Account name.
        name: String,
    },
    /// Hide the user from the global address list.
    Hide {
        /// Account name.
        name: String,
    },
    /// Show the user in the global address list again.
    Unhide {
        /// Account name.
        name: String,
    },
    /// Set (or show, without options) the user's own mailbox quotas, which override the site's
    /// prohibit-send-quota-kb / prohibit-receive-quota-kb settings. SIZE: 1KB, 50MB, 2GB (powers
    /// of 1024), none (no limit) or default (the site setting).
    Quota {
        /// Account name.
        name: String,
        /// PidTagProhibitSendQuota: from this mailbox size on, sending is refused
        /// (ecQuotaExceeded).
        #[arg(long, value_name = "SIZE")]
        send: Option<String>,
        /// PidTagProhibitReceiveQuota: from this mailbox size on, mail to the user is refused
        /// and its sender gets a non-delivery report.
        #[arg(long, value_name = "SIZE")]
        receive: Option<String>,
        /// PidTagStorageQuotaLimit: the size at which the user is warned.
        #[arg(long, value_name = "SIZE", visible_alias = "warn")]
        storage: Option<String>,
    },
    /// Change the user's password.
    Passwd {
        /// Account name.
        name: String,
        /// File holding the new password (one trailing newline is ignored).
        #[arg(long, value_name = "FILE")]
        password_file: PathBuf,
    },
}

/// `oxmapi admin grant|revoke …`.
#[derive(Subcommand, Debug)]
pub enum GrantCommand {
    /// Full access: the user may open the mailbox as a delegate.
    FullAccess(GrantTarget),
    /// Send As: the user may send messages that show the owner as their sender.
    SendAs(GrantTarget),
    /// Send on Behalf: the user may send messages "on behalf of" the owner (the owner is
    /// PR_SENT_REPRESENTING_*, the user stays the sender); kept in step with the delegate list of
    /// the owner's mailbox.
    SendOnBehalf(GrantTarget),
}

/// Whose mailbox, and who gets or loses the right.
#[derive(Args, Debug)]
pub struct GrantTarget {
    /// Owner of the mailbox.
    #[arg(long, value_name = "OWNER")]
    pub mailbox: String,
    /// The user who gets (or loses) the right.
    #[arg(long, value_name = "USER")]
    pub to: String,
}

impl GrantCommand {
    /// The kind of grant and its target.
    fn parts(&self) -> (Access, &GrantTarget) {
        match self {
            GrantCommand::FullAccess(t) => (Access::FullAccess, t),
            GrantCommand::SendAs(t) => (Access::SendAs, t),
            GrantCommand::SendOnBehalf(t) => (Access::SendOnBehalf, t),
        }
    }
}

/// `oxmapi admin public-folders …`.
#[derive(Subcommand, Debug)]
pub enum PublicFoldersCommand {
    /// Offer the public folder store (created if missing).
    Enable,
    /// Stop offering it (the store is kept).
    Disable,
    /// Print "public folders: enabled" or "public folders: disabled".
    Status,
}

fn user_node(u: &User) -> Node {
    Node::map([
        ("name", Node::str(&u.name)),
        ("display_name", Node::str(&u.display_name)),
        ("smtp_address", Node::str(&u.smtp_address)),
        ("legacy_dn", Node::str(&u.legacy_dn)),
        ("mailbox_guid", Node::str(u.mailbox_guid.to_string())),
        ("enabled", Node::Bool(u.enabled)),
        ("hidden", Node::Bool(u.hidden)),
        ("admin", Node::Bool(u.admin)),
    ])
}

fn names(v: Vec<String>) -> Node {
    Node::List(v.into_iter().map(Node::Str).collect())
}

fn public_status(on: bool) -> Node {
    Node::str(if on { "public folders: enabled" } else { "public folders: disabled" })
}

/// The known settings with their defaults and meaning, for `admin set --help`.
fn settings_help() -> String {
    let mut out = String::from("Settings:\n");
    for s in oxmapi_store::settings::SETTINGS {
        out += &format!("  {} (default {})\n      {}\n", s.key, s.default, s.help);
    }
    out
}

fn setting_node(dir: &Directory, key: &str) -> Result<Node, MapiError> {
    let stored = dir.setting(key)?;
    let value = dir.effective_setting(key)?;
    Ok(Node::map([
        ("key", Node::str(key)),
        ("value", Node::Str(value)),
        ("is_default", Node::Bool(stored.is_none())),
    ]))
}

/// `admin grant` (`granted`) or `admin revoke`: changes the right in the directory and, for
/// Send on Behalf, the owner's delegate list with it (MS-OXODLGT).
fn change_grant(dd: &Site, (access, t): (Access, &GrantTarget), granted: bool) -> Result<Node, MapiError> {
    let dir = dd.directory()?;
    if granted {
        dir.grant(&t.mailbox, &t.to, access)?;
    } else {
        dir.revoke(&t.mailbox, &t.to, access)?;
    }
    if access == Access::SendOnBehalf {
        dd.sync_delegate_list(&t.mailbox)?;
    }
    Ok(grant_node(&t.mailbox, &t.to, access, granted))
}

/// Runs an admin command and describes its result.
pub fn run(args: &AdminArgs) -> Result<Node, MapiError> {
    if let AdminCommand::Migrate(m) = &args.command {
        return crate::migrate_cmd::run(args, m, false);
    }
    let dd = crate::site::open_site(&args.location()?)?;
    match &args.command {
        AdminCommand::User(cmd) => run_user(&dd, cmd),
        AdminCommand::Grant(cmd) => change_grant(&dd, cmd.parts(), true),
        AdminCommand::Revoke(cmd) => change_grant(&dd, cmd.parts(), false),
        AdminCommand::PublicFolders(cmd) => {
            match cmd {
                PublicFoldersCommand::Enable => dd.set_public_folders(true)?,
                PublicFoldersCommand::Disable => dd.set_public_folders(false)?,
                PublicFoldersCommand::Status => {}
            }
            Ok(public_status(dd.public_folders_enabled()?))
        }
        AdminCommand::Set { key, value } => {
            let dir = dd.directory()?;
            let key = oxmapi_store::settings::find(key)?.key;
            if key == oxmapi_store::settings::PUBLIC_FOLDERS {
                // Same as `public-folders enable|disable`: the store is created when enabled.
                let on = oxmapi_store::settings::normalize(key, value)? == "enabled";
                dd.set_public_folders(on)?;
            } else {
                dir.set_setting(key, value)?;
            }
            setting_node(&dir, key)
        }
        AdminCommand::Get { key: Some(key) } => {
            let dir = dd.directory()?;
            setting_node(&dir, oxmapi_store::settings::find(key)?.key)
        }
        AdminCommand::Sessions(cmd) => crate::admin_sessions::run(&dd.directory()?, cmd),
        AdminCommand::Mailboxes => crate::mailboxes_cmd::admin_mailboxes(&dd),
        AdminCommand::Migrate(m) => crate::migrate_cmd::run(args, m, false),
        AdminCommand::Get { key: None } => {
            let dir = dd.directory()?;
            let all = oxmapi_store::settings::SETTINGS
                .iter()
                .map(|s| setting_node(&dir, s.key))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Node::List(all))
        }
    }
}

/// A user's own quotas as `user show` and `user quota` print them (`default`: the site setting).
fn quotas_node(q: &oxmapi_store::directory::quotas::UserQuotas) -> Node {
    Node::map([
        ("send", Node::Str(q.send.to_string())),
        ("receive", Node::Str(q.receive.to_string())),
        ("storage", Node::Str(q.warning.to_string())),
    ])
}

fn grant_node(owner: &str, grantee: &str, access: Access, granted: bool) -> Node {
    Node::map([
        ("mailbox", Node::str(owner)),
        ("to", Node::str(grantee)),
        ("access", Node::str(access.as_str())),
        ("granted", Node::Bool(granted)),
    ])
}

/// Where a user's mailbox is, for `user add` and `user show`: its file, or its GUID in the
/// site's database.
fn mailbox_location(site: &Site, user: &User) -> String {
    match site.mailbox_path(&user.mailbox_guid) {
        Some(path) => path.display().to_string(),
        None => format!("{} in {}", user.mailbox_guid, site.describe()),
    }
}

fn run_user(dd: &Site, cmd: &UserCommand) -> Result<Node, MapiError> {
    let dir = dd.directory()?;
    let flag = |name: &str, set: &dyn Fn(&Directory, &str) -> oxmapi_store::StoreResult<()>| {
        set(&dir, name)?;
        Ok::<_, MapiError>(user_node(&dir.require_user(name)?))
    };
    match cmd {
        UserCommand::Add { name, password_file, display_name, email, admin, hidden } => {
            let password = read_password_file(password_file)?;
            let user = dd.add_user(&NewUser {
                name: name.clone(),
                password,
                display_name: display_name.clone(),
                email: email.clone(),
                admin: *admin,
                hidden: *hidden,
            })?;
            Ok(user_node(&user).with("mailbox", Node::str(mailbox_location(dd, &user))))
        }
        UserCommand::List => {
            let users = dir.users()?;
            Ok(Node::List(
                users
                    .iter()
                    .map(|u| {
                        Node::map([
                            ("name", Node::str(&u.name)),
                            ("display_name", Node::str(&u.display_name)),
                            ("smtp_address", Node::str(&u.smtp_address)),
                            ("enabled", Node::Bool(u.enabled)),
                            ("hidden", Node::Bool(u.hidden)),
                            ("admin", Node::Bool(u.admin)),
                        ])
                    })
                    .collect(),
            ))
        }
        UserCommand::Show { name } => {
            let user = dir.require_user(name)?;
            Ok(user_node(&user)
                .with("mailbox", Node::str(mailbox_location(dd, &user)))
                .with("full_access_granted_to", names(dir.full_access_grants(&user.name)?))
                .with("full_access_to", names(dir.full_access_mailboxes(&user.name)?))
                .with("send_as_granted_to", names(dir.grantees(&user.name, Access::SendAs)?))
                .with("send_on_behalf_granted_to", names(dir.grantees(&user.name, Access::SendOnBehalf)?))
                .with("quotas", quotas_node(&dir.quotas(&user.name)?)))
        }
        UserCommand::Disable { name } => flag(name, &|d, n| d.set_enabled(n, false)),
        UserCommand::Enable { name } => flag(name, &|d, n| d.set_enabled(n, true)),
        UserCommand::Hide { name } => flag(name, &|d, n| d.set_hidden(n, true)),
        UserCommand::Unhide { name } => flag(name, &|d, n| d.set_hidden(n, false)),
        UserCommand::Quota { name, send, receive, storage } => {
            use oxmapi_store::directory::quotas::Quota;
            let parse = |v: &Option<String>| v.as_deref().map(Quota::parse).transpose();
            let (send, receive, storage) = (parse(send)?, parse(receive)?, parse(storage)?);
            let own = dir.set_quotas(name, send, receive, storage)?;
            let user = dir.require_user(name)?;
            let limits = dir.mailbox_limits_for(&user)?;
            let kb = |l: Option<u32>| l.map_or(Node::Null, |n| Node::Int(i128::from(n)));
            Ok(Node::map([
                ("name", Node::Str(user.name.clone())),
                ("send", Node::Str(own.send.to_string())),
                ("receive", Node::Str(own.receive.to_string())),
                ("storage", Node::Str(own.warning.to_string())),
                ("effective_send_kb", kb(limits.send_quota_kb)),
                ("effective_receive_kb", kb(limits.receive_quota_kb)),
                ("effective_storage_kb", kb(limits.storage_warning_kb)),
            ]))
        }
        UserCommand::Passwd { name, password_file } => {
            let password = read_password_file(password_file)?;
            dir.set_password(name, &password)?;
            let user = dir.require_user(name)?;
            Ok(Node::map([("name", Node::Str(user.name)), ("password", Node::str("changed"))]))
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[arg(long, global = true)]
        password_file: Option<PathBuf>,
        #[arg(long, global = true)]
        mailbox: Option<String>,
        #[command(subcommand)]
        command: Top,
    }

    #[derive(clap::Subcommand)]
    enum Top {
        Admin(AdminArgs),
    }

    fn admin(args: &[&str]) -> Result<Node, MapiError> {
        let cli = Cli::try_parse_from(std::iter::once("oxmapi").chain(args.iter().copied())).unwrap();
        let Top::Admin(a) = cli.command;
        run(&a)
    }

    fn field<'a>(n: &'a Node, k: &str) -> &'a Node {
        let Node::Map(m) = n else { panic!("not a map: {n:?}") };
        &m.iter().find(|(key, _)| key == k).unwrap_or_else(|| panic!("no {k} in {n:?}")).1
    }

    /// A scratch directory removed on drop (the cli crate has no tempfile dependency).
    struct Scratch(PathBuf);

    impl Scratch {
        fn new() -> Scratch {
            let nanos =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
            let p = std::env::temp_dir().join(format!("oxmapi-admin-{}-{nanos}", std::process::id()));
            std::fs::create_dir_all(&p).unwrap();
            Scratch(p)
        }
        fn path(&self) -> &std::path::Path {
            &self.0
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// `admin grant|revoke send-as|send-on-behalf` and `admin user quota`, with what `user show`
    /// and `--json` report.
    #[test]
    fn send_rights_and_quotas_from_the_command_line() {
        let t = Scratch::new();
        let data = t.path().join("data");
        let d = data.to_str().unwrap();
        let pw = t.path().join("pw");
        std::fs::write(&pw, "Secret-1\n").unwrap();
        let p = pw.to_str().unwrap();
        for u in ["alice", "bob"] {
            admin(&["admin", "--data", d, "user", "add", u, "--password-file", p]).unwrap();
        }
        let g =
            admin(&["admin", "--data", d, "grant", "send-on-behalf", "--mailbox", "alice", "--to", "bob"])
                .unwrap();
        assert_eq!(field(&g, "access"), &Node::str("send-on-behalf"));
        admin(&["admin", "--data", d, "grant", "send-as", "--mailbox", "alice", "--to", "bob"]).unwrap();
        let show = admin(&["admin", "--data", d, "user", "show", "alice"]).unwrap();
        assert_eq!(field(&show, "send_on_behalf_granted_to"), &Node::List(vec![Node::str("bob")]));
        assert_eq!(field(&show, "send_as_granted_to"), &Node::List(vec![Node::str("bob")]));
        admin(&["admin", "--data", d, "revoke", "send-on-behalf", "--mailbox", "alice", "--to", "bob"])
            .unwrap();
        let again =
            admin(&["admin", "--data", d, "revoke", "send-on-behalf", "--mailbox", "alice", "--to", "bob"]);
        assert!(again.is_err(), "nothing left to revoke");
        let q = admin(&["admin", "--data", d, "user", "quota", "bob", "--receive", "1KB", "--warn", "10MB"])
            .unwrap();
        assert_eq!(field(&q, "receive"), &Node::str("1KB"));
        assert_eq!(field(&q, "effective_receive_kb"), &Node::Int(1));
        assert_eq!(field(&q, "effective_storage_kb"), &Node::Int(10 * 1024));
        let q = admin(&["admin", "--data", d, "user", "quota", "bob", "--send", "none"]).unwrap();
        assert_eq!(field(&q, "effective_send_kb"), &Node::Null);
        assert!(admin(&["admin", "--data", d, "user", "quota", "bob", "--send", "lots"]).is_err());
        let r = admin(&["admin", "--data", d, "set", "max-delivery-retry-time", "2h"]).unwrap();
        assert_eq!(field(&r, "value"), &Node::str("7200"));
    }

    #[test]
    fn admin_commands_end_to_end() {
        let t = Scratch::new();
        let data = t.path().join("data");
        let d = data.to_str().unwrap();
        let pw = t.path().join("pw");
        std::fs::write(&pw, "Secret-1\n").unwrap();
        let p = pw.to_str().unwrap();
        let add = admin(&[
            "admin",
            "--data",
            d,
            "user",
            "add",
            "alice",
            "--display-name",
            "Alice Archer",
            "--email",
            "alice@example.test",
            "--password-file",
            p,
        ])
        .unwrap();
        assert_eq!(field(&add, "smtp_address"), &Node::str("alice@example.test"));
        admin(&["admin", "--data", d, "user", "add", "svc-phone", "--password-file", p, "--hidden"]).unwrap();
        let dup = admin(&["admin", "--data", d, "user", "add", "ALICE", "--password-file", p]).unwrap_err();
        assert_eq!(dup.code, oxmapi_core::error::codes::MAPI_E_COLLISION);

        let list = admin(&["admin", "--data", d, "user", "list"]).unwrap();
        assert!(matches!(&list, Node::List(v) if v.len() == 2));

        admin(&["admin", "--data", d, "grant", "full-access", "--mailbox", "alice", "--to", "svc-phone"])
            .unwrap();
        let show = admin(&["admin", "--data", d, "user", "show", "alice"]).unwrap();
        assert_eq!(field(&show, "full_access_granted_to"), &Node::List(vec![Node::str("svc-phone")]));
        assert!(matches!(field(&show, "legacy_dn"), Node::Str(s) if s.ends_with("/cn=alice")));
        admin(&["admin", "--data", d, "revoke", "full-access", "--mailbox", "alice", "--to", "svc-phone"])
            .unwrap();

        let off = admin(&["admin", "--data", d, "user", "disable", "alice"]).unwrap();
        assert_eq!(field(&off, "enabled"), &Node::Bool(false));
        let hidden = admin(&["admin", "--data", d, "user", "hide", "alice"]).unwrap();
        assert_eq!(field(&hidden, "hidden"), &Node::Bool(true));

        std::fs::write(&pw, "New-2\r\n").unwrap();
        admin(&["admin", "--data", d, "user", "passwd", "alice", "--password-file", p]).unwrap();
        let dd = Site::open(&data).unwrap();
        assert!(dd.directory().unwrap().verify_password("alice", "New-2").unwrap().is_some());

        let st = admin(&["admin", "--data", d, "public-folders", "status"]).unwrap();
        assert_eq!(st, Node::str("public folders: disabled"));
        let st = admin(&["admin", "--data", d, "public-folders", "enable"]).unwrap();
        assert_eq!(st, Node::str("public folders: enabled"));
        assert!(dd.public_path().unwrap().exists());

        let set = admin(&["admin", "--data", d, "set", "max-sessions-per-user", "2"]).unwrap();
        assert_eq!(field(&set, "value"), &Node::str("2"));
        let get = admin(&["admin", "--data", d, "get", "max-sessions-per-user"]).unwrap();
        assert_eq!(field(&get, "is_default"), &Node::Bool(false));
        let set = admin(&["admin", "--data", d, "set", "prohibit-send-quota-kb", "Unlimited"]).unwrap();
        assert_eq!(field(&set, "value"), &Node::str("unlimited"));
        let get = admin(&["admin", "--data", d, "get", "prohibit-receive-quota-kb"]).unwrap();
        assert_eq!(field(&get, "value"), &Node::str("2411724"));
        let bad = admin(&["admin", "--data", d, "set", "colour", "blue"]).unwrap_err();
        assert_eq!(bad.code, oxmapi_core::error::codes::MAPI_E_INVALID_PARAMETER);
        let missing = admin(&["admin", "--data", d, "user", "show", "nobody"]).unwrap_err();
        assert_eq!(missing.code, oxmapi_core::error::codes::MAPI_E_NOT_FOUND);
    }

    #[test]
    fn set_help_lists_every_setting_with_its_default() {
        use clap::CommandFactory;
        let mut cmd = Cli::command();
        let set = cmd.find_subcommand_mut("admin").unwrap().find_subcommand_mut("set").unwrap();
        let help = set.render_help().to_string();
        for s in oxmapi_store::settings::SETTINGS {
            assert!(help.contains(s.key) && help.contains(s.default), "{} in {help}", s.key);
        }
    }
}
