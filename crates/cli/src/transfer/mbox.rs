//! mbox files (RFC 4155, the mboxrd variant): messages separated by "From " lines, with body
//! lines that begin with ">*From " quoted by one more '>' (so reading takes one off).

use oxmapi_core::time::civil_from_unix;

/// The sender of a "From " line when the message names none usable.
const UNKNOWN_SENDER: &str = "MAILER-DAEMON";

/// The "From " line that starts a message (RFC 4155: the envelope sender, then the date in
/// asctime form, UTC): the sender when it is a plain address, and the Unix time given.
pub fn separator(sender: Option<&str>, unix_seconds: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let sender = sender
        .filter(|s| s.contains('@') && !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or(UNKNOWN_SENDER);
    let (y, m, d, hh, mm, ss) = civil_from_unix(unix_seconds);
    let weekday = DAYS[unix_seconds.div_euclid(86_400).rem_euclid(7) as usize];
    let month = MONTHS[(m as usize).clamp(1, 12) - 1];
    format!("From {sender} {weekday} {month} {d:>2} {hh:02}:{mm:02}:{ss:02} {y}\n")
}

/// True for a ">*From " line (the mboxrd quoting applies to it).
fn quoted_from(line: &[u8]) -> bool {
    let rest = &line[line.iter().take_while(|b| **b == b'>').count()..];
    rest.starts_with(b"From ")
}

/// The messages of an mbox file, each with its "From " line removed and its quoted lines
/// unquoted. A separator is a "From " line at the start of the file or after an empty line.
pub fn split(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    let mut previous_empty = true;
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"From ") && previous_empty {
            if let Some(m) = current.take() {
                out.push(finish(m));
            }
            current = Some(Vec::new());
            previous_empty = false;
            continue;
        }
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        previous_empty = body.is_empty();
        let Some(m) = current.as_mut() else { continue };
        if line.starts_with(b">") && quoted_from(line) {
            m.extend_from_slice(&line[1..]);
        } else {
            m.extend_from_slice(line);
        }
    }
    if let Some(m) = current.take() {
        out.push(finish(m));
    }
    out
}

/// Drops the empty line that separates a message from the next "From " line.
fn finish(mut m: Vec<u8>) -> Vec<u8> {
    for end in [&b"\r\n"[..], b"\n"] {
        if m.ends_with(end) && m[..m.len() - end.len()].ends_with(b"\n") {
            m.truncate(m.len() - end.len());
            break;
        }
    }
    m
}

/// One message in mboxrd form: the `separator` line, the message with ">*From " lines quoted
/// and line ends as LF, and the empty line that ends it.
pub fn entry(separator: &str, message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + separator.len() + 16);
    out.extend_from_slice(separator.as_bytes());
    for line in message.split_inclusive(|b| *b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        if quoted_from(body) {
            out.push(b'>');
        }
        out.extend_from_slice(body);
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_lines_in_bodies_survive_a_round_trip() {
        let a = b"Subject: a\n\nFrom here on\n>From there\n".to_vec();
        let b = b"Subject: b\n\nbody\n".to_vec();
        let mut file = entry(&separator(None, 0), &a);
        file.extend(entry(&separator(Some("x@example.test"), 0), &b));
        assert_eq!(split(&file), vec![a, b]);
    }

    #[test]
    fn the_separator_carries_sender_and_asctime_date() {
        assert_eq!(separator(None, 0), "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n");
        // 2026-12-07 10:00:00 UTC was a Monday.
        assert_eq!(
            separator(Some("carol@example.test"), 1_796_637_600),
            "From carol@example.test Mon Dec  7 10:00:00 2026\n"
        );
        assert!(separator(Some("Carol Example"), 0).starts_with("From MAILER-DAEMON "));
    }

    #[test]
    fn a_file_without_separators_has_no_messages() {
        assert!(split(b"Subject: x\n\nbody\n").is_empty());
    }
}
