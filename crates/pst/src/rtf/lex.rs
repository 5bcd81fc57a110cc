//! An RTF tokenizer: groups, control words with their numeric parameter, control symbols,
//! `\'hh` bytes and runs of text. It never fails: stray bytes are text, a truncated control
//! word ends the input. No recursion and no allocation beyond the tokens' own text.

/// One RTF token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// `{`.
    Open,
    /// `}`.
    Close,
    /// `\word` or `\wordN` (N clamped to i32).
    Word(&'a [u8], Option<i32>),
    /// `\` followed by a non-letter (`\*`, `\~`, `\{`, …), except `\'`.
    Symbol(u8),
    /// `\'hh`: one byte in the document's code page.
    Byte(u8),
    /// Literal text (never containing `\`, `{`, `}`, CR or LF).
    Text(&'a [u8]),
}

/// The token stream over `rtf`.
pub(crate) struct Lexer<'a> {
    rtf: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(rtf: &'a [u8]) -> Lexer<'a> {
        Lexer { rtf, at: 0 }
    }

    /// Skips `n` raw bytes (the data of `\binN`).
    pub(crate) fn skip_bytes(&mut self, n: usize) {
        self.at = self.at.saturating_add(n).min(self.rtf.len());
    }

    fn control(&mut self) -> Option<Token<'a>> {
        let r = self.rtf;
        let c = *r.get(self.at)?;
        if c.is_ascii_alphabetic() {
            let start = self.at;
            while self.at < r.len() && r[self.at].is_ascii_alphabetic() {
                self.at += 1;
            }
            let name = &r[start..self.at];
            let mut param = None;
            let neg = r.get(self.at) == Some(&b'-');
            let digits_at = if neg { self.at + 1 } else { self.at };
            if r.get(digits_at).is_some_and(u8::is_ascii_digit) {
                self.at = digits_at;
                let mut v: i64 = 0;
                while self.at < r.len() && r[self.at].is_ascii_digit() {
                    v = (v * 10 + i64::from(r[self.at] - b'0')).min(i64::from(i32::MAX));
                    self.at += 1;
                }
                param = Some(if neg { -(v as i32) } else { v as i32 });
            }
            // A space delimiting the control word belongs to it.
            if r.get(self.at) == Some(&b' ') {
                self.at += 1;
            }
            return Some(Token::Word(name, param));
        }
        self.at += 1;
        if c == b'\'' {
            let hex = |b: u8| (b as char).to_digit(16);
            let h = r.get(self.at).copied().and_then(hex);
            let l = r.get(self.at + 1).copied().and_then(hex);
            if let (Some(h), Some(l)) = (h, l) {
                self.at += 2;
                return Some(Token::Byte((h * 16 + l) as u8));
            }
            return Some(Token::Symbol(b'\''));
        }
        // `\` + CR/LF is an RTF paragraph mark.
        if c == b'\r' || c == b'\n' {
            return Some(Token::Word(b"par", None));
        }
        Some(Token::Symbol(c))
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let r = self.rtf;
        loop {
            let c = *r.get(self.at)?;
            match c {
                b'{' => {
                    self.at += 1;
                    return Some(Token::Open);
                }
                b'}' => {
                    self.at += 1;
                    return Some(Token::Close);
                }
                b'\\' => {
                    self.at += 1;
                    return self.control();
                }
                b'\r' | b'\n' => self.at += 1,
                _ => {
                    let start = self.at;
                    while self.at < r.len() && !matches!(r[self.at], b'{' | b'}' | b'\\' | b'\r' | b'\n') {
                        self.at += 1;
                    }
                    return Some(Token::Text(&r[start..self.at]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t: Vec<_> = Lexer::new(b"{\\rtf1 a\\'e9\\par\r\n\\u-3 b\\*}\\").collect();
        assert_eq!(
            t,
            vec![
                Token::Open,
                Token::Word(b"rtf", Some(1)),
                Token::Text(b"a"),
                Token::Byte(0xe9),
                Token::Word(b"par", None),
                Token::Word(b"u", Some(-3)),
                Token::Text(b"b"),
                Token::Symbol(b'*'),
                Token::Close,
            ]
        );
    }
}
