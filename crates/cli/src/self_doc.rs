//! `oxmapi completions bash|zsh|fish` and `oxmapi man`: the shell completion scripts and the
//! man page (roff), both generated from the command line's own clap definition, so they list
//! every command and option `--help` shows.

use std::io::Write;

use clap::CommandFactory;

/// The shells completions are generated for.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Shell {
    /// GNU bash (`source <(oxmapi completions bash)`, or a file in bash-completion's directory).
    Bash,
    /// zsh (a file named `_oxmapi` on `$fpath`).
    Zsh,
    /// fish (`oxmapi completions fish > ~/.config/fish/completions/oxmapi.fish`).
    Fish,
}

/// Writes the completion script for `shell` of the command `C`.
pub fn completions<C: CommandFactory>(shell: Shell, out: &mut impl Write) {
    let mut cmd = C::command();
    let name = cmd.get_name().to_string();
    match shell {
        Shell::Bash => clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, name, out),
        Shell::Zsh => clap_complete::generate(clap_complete::Shell::Zsh, &mut cmd, name, out),
        Shell::Fish => clap_complete::generate(clap_complete::Shell::Fish, &mut cmd, name, out),
    }
}

/// Writes the man page of the command `C` (section 1, roff): its synopsis, options and list of
/// commands, then a section "COMMANDS IN DETAIL" with each command's synopsis, description and
/// options, down the tree.
pub fn man<C: CommandFactory>(out: &mut impl Write) -> std::io::Result<()> {
    let cmd = C::command();
    clap_mangen::Man::new(cmd.clone()).render(out)?;
    writeln!(out, ".SH \"COMMANDS IN DETAIL\"")?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        render_sub(sub, cmd.get_name(), out)?;
    }
    Ok(())
}

/// One command: a `.SS` with its full name, then its synopsis, description and options (each a
/// paragraph: the section headers clap_mangen gives them become paragraph breaks), then its
/// own commands.
fn render_sub(cmd: &clap::Command, parent: &str, out: &mut impl Write) -> std::io::Result<()> {
    let path = format!("{parent} {}", cmd.get_name());
    writeln!(out, ".SS \"{path}\"")?;
    let man = clap_mangen::Man::new(cmd.clone().name(path.clone()));
    let mut body = Vec::new();
    man.render_synopsis_section(&mut body)?;
    man.render_description_section(&mut body)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut body)?;
    }
    for line in String::from_utf8_lossy(&body).lines() {
        writeln!(out, "{}", if line.starts_with(".SH ") { ".PP" } else { line })?;
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        render_sub(sub, &path, out)?;
    }
    Ok(())
}
