//! mbox files (RFC 4155, the mboxrd variant): messages separated by "From " lines, with body
//! lines that begin with ">*From " quoted by one more '>' (so reading takes one off).

/// The first line of each message written (RFC 4155: "From " sender and an asctime date).
const SEPARATOR: &[u8] = b"From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n";

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

/// One message in mboxrd form: the separator, the message with ">*From " lines quoted and
/// line ends as LF, and the empty line that ends it.
pub fn entry(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + SEPARATOR.len() + 16);
    out.extend_from_slice(SEPARATOR);
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
        let mut file = entry(&a);
        file.extend(entry(&b));
        assert_eq!(split(&file), vec![a, b]);
    }

    #[test]
    fn a_file_without_separators_has_no_messages() {
        assert!(split(b"Subject: x\n\nbody\n").is_empty());
    }
}
