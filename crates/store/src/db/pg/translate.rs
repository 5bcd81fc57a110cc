//! Translation of the store's SQL (written once, in the dialect both backends accept) into
//! PostgreSQL's: parameters `?N` and `?` become `$N`, and the mailbox column named inside a
//! comment in an upsert's conflict target (`ON CONFLICT (/*mbx,*/ fid, propid)`) becomes a real
//! column (`ON CONFLICT (mbx, fid, propid)`), since PostgreSQL's mailbox tables carry it in
//! every unique key while SQLite's files have none.
//!
//! Quoted text (`'…'` with `''` escapes), quoted identifiers (`"…"`), line comments (`-- …`) and
//! other block comments are copied unchanged: a `?` inside them is not a parameter.

/// The comment that marks where the mailbox column goes in a conflict target.
const MBX_MARK: &str = "/*mbx,*/";

/// Translates one statement's SQL text; see the module documentation.
///
/// Numbering follows SQLite's rule, so the same parameter array binds the same way on both
/// backends: `?N` is parameter N, and a bare `?` is one more than the largest number used so far
/// in the text.
pub fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut largest: u64 = 0;
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        match c {
            '\'' | '"' => {
                let end = quoted_len(rest, c);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '-' if rest.starts_with("--") => {
                let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '/' if rest.starts_with(MBX_MARK) => {
                out.push_str("mbx,");
                rest = &rest[MBX_MARK.len()..];
            }
            '/' if rest.starts_with("/*") => {
                let end = rest[2..].find("*/").map_or(rest.len(), |i| i + 4);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '?' => {
                let digits = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
                let number = match rest[1..1 + digits].parse::<u64>() {
                    Ok(n) => n,
                    // A bare `?` (or a number too long to be one, which PostgreSQL refuses).
                    Err(_) if digits == 0 => largest + 1,
                    Err(_) => u64::MAX,
                };
                largest = largest.max(number);
                out.push('$');
                out.push_str(&number.to_string());
                rest = &rest[1 + digits..];
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The first word of each statement of `sql` (statements end with `;`), upper-cased: what
/// transaction control a text does (`BEGIN`, `COMMIT`, `ROLLBACK` …; `ROLLBACK TO` for a
/// rollback to a savepoint). Quotes, comments and dollar-quoted bodies are skipped.
pub fn statement_keywords(sql: &str) -> impl Iterator<Item = String> {
    let mut words = Vec::new();
    let mut at_start = true;
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        match c {
            '\'' | '"' => {
                at_start = false;
                rest = &rest[quoted_len(rest, c)..];
            }
            '-' if rest.starts_with("--") => rest = &rest[rest.find('\n').map_or(rest.len(), |i| i + 1)..],
            '/' if rest.starts_with("/*") => {
                rest = &rest[rest[2..].find("*/").map_or(rest.len(), |i| i + 4)..]
            }
            ';' => {
                at_start = true;
                rest = &rest[1..];
            }
            '$' => {
                // A dollar-quoted body ($$ … $$, $tag$ … $tag$) of a function or DO block.
                at_start = false;
                let tag_len =
                    rest[1..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
                if rest.as_bytes().get(1 + tag_len) == Some(&b'$') {
                    let tag = &rest[..tag_len + 2];
                    let body = &rest[tag.len()..];
                    rest = body.find(tag).map_or("", |i| &body[i + tag.len()..]);
                } else {
                    rest = &rest[1..];
                }
            }
            c if at_start && c.is_ascii_alphabetic() => {
                let len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
                let mut word = rest[..len].to_ascii_uppercase();
                rest = &rest[len..];
                // `ROLLBACK TO [SAVEPOINT] x` does not end the transaction.
                let next = rest.trim_start();
                let next_len = next.bytes().take_while(u8::is_ascii_alphabetic).count();
                if next[..next_len].eq_ignore_ascii_case("TO") {
                    word.push_str(" TO");
                }
                words.push(word);
                at_start = false;
            }
            c => {
                if !c.is_whitespace() {
                    at_start = false;
                }
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    words.into_iter()
}

/// The length of the quoted run at the start of `s` (opened by `quote`, which doubles to escape
/// itself), up to the end of `s` when it is never closed.
fn quoted_len(s: &str, quote: char) -> usize {
    let bytes = s.as_bytes();
    let q = quote as u8;
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == q {
            if bytes.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbered_and_bare_parameters_become_dollar_parameters() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c = ?2"),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
        assert_eq!(translate("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
        // SQLite's rule: a bare `?` follows the largest number so far.
        assert_eq!(translate("?3, ?, ?1, ?"), "$3, $4, $1, $5");
        assert_eq!(translate("SET a = ?12"), "SET a = $12");
    }

    #[test]
    fn quoted_text_and_comments_are_left_alone() {
        assert_eq!(translate("SELECT '?', \"a?b\", ? FROM t"), "SELECT '?', \"a?b\", $1 FROM t");
        assert_eq!(translate("SELECT 'it''s ?' , ?"), "SELECT 'it''s ?' , $1");
        assert_eq!(translate("SELECT ? -- what ?\n, ?"), "SELECT $1 -- what ?\n, $2");
        assert_eq!(translate("SELECT /* ? */ ?"), "SELECT /* ? */ $1");
        assert_eq!(translate("SELECT 'never closed ?"), "SELECT 'never closed ?");
        assert_eq!(translate("SELECT /* never closed ?"), "SELECT /* never closed ?");
    }

    #[test]
    fn the_mailbox_mark_becomes_the_mailbox_column() {
        assert_eq!(
            translate(
                "INSERT INTO p (fid, propid, value) VALUES (?1, ?2, ?3) ON CONFLICT (/*mbx,*/ fid, propid) DO UPDATE SET value = ?3"
            ),
            "INSERT INTO p (fid, propid, value) VALUES ($1, $2, $3) ON CONFLICT (mbx, fid, propid) DO UPDATE SET value = $3"
        );
        // Inside quotes it is text.
        assert_eq!(translate("SELECT '/*mbx,*/'"), "SELECT '/*mbx,*/'");
    }

    #[test]
    fn statement_keywords_find_transaction_control() {
        let words: Vec<String> =
            statement_keywords("begin; INSERT INTO t VALUES (';commit'); /* ; */ -- ;\n Commit").collect();
        assert_eq!(words, ["BEGIN", "INSERT", "COMMIT"]);
        assert_eq!(statement_keywords("  rollback to savepoint a").collect::<Vec<_>>(), ["ROLLBACK TO"]);
        let words: Vec<String> =
            statement_keywords("DO $$ BEGIN x; END $$; DO $f$ y; $f$; rollback").collect();
        assert_eq!(words, ["DO", "DO", "ROLLBACK"]);
    }

    #[test]
    fn non_ascii_text_survives() {
        assert_eq!(translate("SELECT 'Grüße ?', ? -- ü ?"), "SELECT 'Grüße ?', $1 -- ü ?");
    }

    /// The parameters of `sql` outside quotes and comments, as the numbers they were given.
    fn numbers(translated: &str) -> Vec<u64> {
        let mut found = Vec::new();
        let mut rest = translated;
        while let Some(c) = rest.chars().next() {
            match c {
                '\'' | '"' => rest = &rest[quoted_len(rest, c)..],
                '-' if rest.starts_with("--") => {
                    rest = &rest[rest.find('\n').map_or(rest.len(), |i| i + 1)..]
                }
                '/' if rest.starts_with("/*") => {
                    rest = &rest[rest[2..].find("*/").map_or(rest.len(), |i| i + 4)..];
                }
                '$' => {
                    let d = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
                    found.push(rest[1..1 + d].parse().unwrap_or(0));
                    rest = &rest[1 + d..];
                }
                _ => rest = &rest[c.len_utf8()..],
            }
        }
        found
    }

    proptest! {
        #[test]
        fn translate_never_panics(sql in ".{0,200}") {
            let _ = translate(&sql);
        }

        /// Bare parameters between arbitrary quoted and plain pieces are numbered 1, 2, 3 … in
        /// order, and the quoted pieces come out unchanged.
        #[test]
        fn bare_parameters_are_numbered_in_order(pieces in proptest::collection::vec(
            prop_oneof![
                "[a-z ,=()]{0,6}".prop_map(|s| s),
                "'[a-z?\"]{0,5}'".prop_map(|s| s),
                "\"[a-z?']{0,5}\"".prop_map(|s| s),
                Just("?".to_string()),
            ], 0..30)) {
            let sql: String = pieces.concat();
            let out = translate(&sql);
            let bare = pieces.iter().filter(|p| p.as_str() == "?").count() as u64;
            prop_assert_eq!(numbers(&out), (1..=bare).collect::<Vec<_>>());
            // Everything else is unchanged.
            let mut back = String::new();
            let mut rest = out.as_str();
            while let Some(i) = rest.find('$') {
                back.push_str(&rest[..i]);
                back.push('?');
                rest = rest[i + 1..].trim_start_matches(|c: char| c.is_ascii_digit());
            }
            back.push_str(rest);
            prop_assert_eq!(back, sql);
        }
    }
}
