//! `oxmapi editor`: the terminal MAPI Editor (after MFCMAPI): profiles, message services,
//! providers and profile sections (IProfAdmin, IMsgServiceAdmin, IProfSect) with a property
//! pane that edits and saves them; after a logon the stores, folder trees, contents tables,
//! messages with recipients and attachments, the address book and folder notifications.
//!
//! [`app`] is the state machine (no terminal I/O), [`ui`] draws it with ratatui; this module
//! sets the terminal up (raw mode, alternate screen) and always restores it: on return, on an
//! error, on a panic (ratatui's panic hook) and on SIGTERM (before the sessions are ended).

mod ab;
pub mod app;
mod contents;
mod detail;
mod folders;
mod help;
mod list;
mod message;
mod profiles;
mod props;
mod sections;
mod session;
mod stores;
mod ui;

#[cfg(test)]
mod tests;

use std::io::IsTerminal;
use std::time::Duration;

use clap::Args;
use crossterm::event::{self, Event, KeyEventKind};
use oxmapi_client::profile::ProfileStore;
use oxmapi_core::MapiError;
use oxmapi_core::error::codes;

use crate::failure::Failure;
use app::{App, Ctx, Pane};
pub use session::LogonSettings;

/// How long the loop waits for a key before looking for notifications.
const TICK: Duration = Duration::from_millis(200);

/// `oxmapi editor` options.
#[derive(Args, Debug)]
pub struct EditorArgs {
    /// Open on this profile section of --profile: global, a service or provider name (MSEMS,
    /// EMS_MDB_private, …) or a 32-digit MAPIUID (13DBB0C8AA05101A9BB000AA002FC45A); without
    /// --profile, of the default profile.
    #[arg(long, value_name = "SECTION")]
    pub section: Option<String>,
    /// Set by main from the global --profile.
    #[arg(skip)]
    pub profile: Option<String>,
}

/// The editor's first panes: the profile list; with `profile` its services on top; with
/// `section` too, the sections and that section's property pane.
pub fn build(ctx: Ctx, profile: Option<&str>, section: Option<&str>) -> Result<App, Failure> {
    let mut list = profiles::ProfilesPane::new(&ctx)?;
    let mut stack: Vec<Box<dyn Pane>> = Vec::new();
    let Some(name) = profile else {
        stack.push(Box::new(list));
        return Ok(App::new(ctx, stack));
    };
    let p = ctx.store.get(name)?;
    list.select(&p.name);
    stack.push(Box::new(list));
    stack.push(Box::new(profiles::ServicesPane::new(&ctx, &p.name)?));
    if let Some(spec) = section {
        let uid = p.resolve_section(spec)?;
        let mut sections = sections::SectionsPane::new(&ctx, &p.name)?;
        sections.select(&uid);
        stack.push(Box::new(sections));
        stack.push(Box::new(props::PropsPane::section(&ctx, &p.name, uid)?));
    }
    Ok(App::new(ctx, stack))
}

/// `oxmapi editor [--section SECTION]`: runs until q on the first pane (or Ctrl-C).
pub fn run(args: &EditorArgs, logon: LogonSettings) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure::with_hint(
            MapiError::new(
                codes::MAPI_E_NO_SUPPORT,
                "oxmapi editor needs a terminal (standard input and output)",
            ),
            "run it in a terminal (or tmux); scripts read and write profile sections with `oxmapi profile get|set`",
        ));
    }
    let ctx = Ctx { store: ProfileStore::open_default()?, logon, online: None, events: Vec::new() };
    let profile = match (&args.profile, &args.section) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(_)) => Some(ctx.store.default_profile()?.ok_or_else(|| {
            Failure::with_hint(
                MapiError::new(
                    codes::MAPI_E_NOT_FOUND,
                    "--section without --profile, and there is no default profile",
                ),
                "name the profile: oxmapi editor --profile NAME --section SECTION",
            )
        })?),
        (None, None) => None,
    };
    let mut app = build(ctx, profile.as_deref(), args.section.as_deref())?;
    let io = |e: std::io::Error| {
        Failure::with_hint(
            MapiError::new(codes::MAPI_E_CALL_FAILED, format!("terminal: {e}")),
            "check TERM and the terminal size",
        )
    };
    // try_init: raw mode, alternate screen, and a panic hook that restores the terminal first.
    let mut terminal = ratatui::try_init().map_err(io)?;
    struct Restore;
    impl Drop for Restore {
        fn drop(&mut self) {
            ratatui::restore();
        }
    }
    let _restore = Restore;
    // SIGTERM (or kill -INT) ends the program from the signal thread: the terminal first.
    crate::session_end::before_signal_exit(ratatui::restore);
    while !app.quit {
        terminal.draw(|f| ui::draw(f, &app)).map_err(io)?;
        if event::poll(TICK).map_err(io)? {
            if let Event::Key(k) = event::read().map_err(io)? {
                if k.kind != KeyEventKind::Release {
                    app.key(k);
                }
            }
        }
        app.tick();
    }
    // Log off before the terminal is given back.
    app.ctx.online = None;
    Ok(())
}
