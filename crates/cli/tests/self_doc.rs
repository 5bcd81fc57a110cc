//! `oxmapi completions bash|zsh|fish` and `oxmapi man` (CLI.md): generated from the command
//! line's definition, so every command `--help` lists is completed and documented. The scripts
//! are checked by the shells themselves and the page by man(1) where they are installed.

use std::io::Write;
use std::process::{Command, Stdio};

const OX: &str = env!("CARGO_BIN_EXE_oxmapi");

fn run(args: &[&str]) -> std::process::Output {
    Command::new(OX).args(args).env("OXMAPI_HOME", std::env::temp_dir()).output().unwrap()
}

fn stdout(args: &[&str]) -> String {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The commands `oxmapi --help` lists (the "Commands:" block, `help` left out).
fn top_commands() -> Vec<String> {
    let help = stdout(&["--help"]);
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

/// Feeds `text` to `shell -n` (parse only); None when the shell is not installed.
fn parses_in(shell: &str, text: &str) -> Option<bool> {
    let mut child =
        Command::new(shell).arg("-n").stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().ok()?;
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    if !o.status.success() {
        eprintln!("{shell}: {}", String::from_utf8_lossy(&o.stderr));
    }
    Some(o.status.success())
}

#[test]
fn completions_cover_every_command_and_parse_in_their_shell() {
    let commands = top_commands();
    assert!(commands.len() > 20 && commands.iter().any(|c| c == "pst"), "{commands:?}");
    let bash = stdout(&["completions", "bash"]);
    assert!(bash.contains("complete -F _oxmapi"), "{}", &bash[..200]);
    for c in &commands {
        assert!(bash.contains(&format!("oxmapi,{c})")), "bash completes {c}");
    }
    assert!(bash.contains("--to-store") && bash.contains("--resume"), "options of the commands too");
    assert_eq!(parses_in("bash", &bash), Some(true), "bash -n accepts the script");

    let zsh = stdout(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef oxmapi"));
    match parses_in("zsh", &zsh) {
        Some(ok) => assert!(ok, "zsh -n accepts the script"),
        None => println!("SKIPPED: zsh -n (zsh is not installed)"),
    }
    let fish = stdout(&["completions", "fish"]);
    assert!(fish.contains("complete -c oxmapi"));
    match parses_in("fish", &fish) {
        Some(ok) => assert!(ok, "fish -n accepts the script"),
        None => println!("SKIPPED: fish -n (fish is not installed)"),
    }

    let refused = run(&["completions", "powershell-2"]);
    assert_eq!(refused.status.code(), Some(2), "an unknown shell is a usage error");
}

#[test]
fn the_man_page_documents_every_command_down_the_tree() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH oxmapi 1"), "{}", &page[..200]);
    for c in top_commands() {
        assert!(page.contains(&format!(".SS \"oxmapi {c}\"")), "the page has a section for {c}");
    }
    // Nested commands and their options are there too.
    for needle in [".SS \"oxmapi pst convert\"", "\\-\\-split\\-size", ".SS \"oxmapi profile add\\-service\""]
    {
        assert!(page.contains(needle) || page.contains(&needle.replace("\\-", "-")), "{needle}");
    }
    // man(1) formats it without a warning, where it is installed.
    let Ok(mut child) = Command::new("man")
        .args(["--warnings", "-l", "-"])
        .env("MANWIDTH", "80")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        println!("SKIPPED: man -l (man is not installed)");
        return;
    };
    child.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && err.trim().is_empty(), "man -l: {err}");
    let text = plain(&String::from_utf8_lossy(&o.stdout));
    assert!(text.contains("oxmapi pst convert") && text.contains("COMMANDS IN DETAIL"), "{}", &text[..400]);
}

/// Text without the overstrikes (`X\x08X` bold, `_\x08X` underline) man writes to a pipe.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if chars.peek() == Some(&'\x08') {
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}
