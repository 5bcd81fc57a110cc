//! Reading the text out of RTF: the HTML encapsulated in it ([MS-OXRTFEX] 2.1.3.2, the
//! de-encapsulation algorithm) or its plain text. One walk serves both; they differ only in
//! which groups they keep.
//!
//! HTML: `{\*\htmltagN …}` groups are copied out, and so is text outside them unless an
//! `\htmlrtf` (…`\htmlrtf0`) region marks it as RTF-only. Plain text: every `\htmltag` group
//! is dropped and `\htmlrtf` is ignored, so an HTML-encapsulated body reads as its RTF
//! rendering. Destinations (`{\*\…}`, font and colour tables, pictures, …) are skipped in both.

use super::lex::{Lexer, Token};
use crate::codepage;

/// The code page RTF text is in when `\ansicpg` does not say ([MS-OXRTFEX] 2.1.3.1.1).
const DEFAULT_CODEPAGE: u32 = 1252;
/// The tokens scanned for `\fromhtml1` before the document body.
const HEADER_TOKENS: usize = 64;

/// Destinations that hold no body text even without `\*`.
const SKIPPED_DESTINATIONS: &[&[u8]] = &[
    b"fonttbl",
    b"colortbl",
    b"stylesheet",
    b"info",
    b"pict",
    b"object",
    b"header",
    b"footer",
    b"headerl",
    b"headerr",
    b"headerf",
    b"footerl",
    b"footerr",
    b"footerf",
    b"listtable",
    b"listoverridetable",
    b"revtbl",
    b"rsidtbl",
    b"generator",
    b"xmlnstbl",
    b"themedata",
    b"colorschememapping",
    b"latentstyles",
    b"datastore",
    b"filetbl",
    b"fldinst",
    b"nonshppict",
    b"pgdsctbl",
    b"mmathPr",
    b"listtext",
    b"pntext",
    b"author",
    b"operator",
    b"title",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Html,
    Text,
}

#[derive(Clone, Copy)]
struct Group {
    /// In a destination whose text is dropped.
    skip: bool,
    /// In an `\htmltag` group.
    html_tag: bool,
    /// In an `\htmlrtf` region.
    rtf_only: bool,
    /// `\ucN`: fallback characters after each `\uN`.
    uc: u32,
}

/// Whether `rtf` is HTML encapsulated in RTF (`\fromhtml1` in its header, [MS-OXRTFEX]
/// 2.1.3.1.2).
pub fn is_encapsulated_html(rtf: &[u8]) -> bool {
    Lexer::new(rtf).take(HEADER_TOKENS).any(|t| t == Token::Word(b"fromhtml", Some(1)))
}

/// The HTML encapsulated in `rtf`, or `None` when it is not HTML-encapsulated RTF.
pub fn html_from_rtf(rtf: &[u8]) -> Option<String> {
    is_encapsulated_html(rtf).then(|| walk(rtf, Mode::Html))
}

/// The plain text of `rtf` (paragraphs as CRLF).
pub fn text_from_rtf(rtf: &[u8]) -> String {
    walk(rtf, Mode::Text)
}

/// The output being built: 8-bit text waiting for decoding, or UTF-16 units from `\uN`
/// waiting to pair up, then the decoded string.
struct Out {
    text: String,
    pending: Vec<u8>,
    units: Vec<u16>,
    codepage: u32,
}

impl Out {
    fn flush_units(&mut self) {
        if !self.units.is_empty() {
            self.text.push_str(&String::from_utf16_lossy(&self.units));
            self.units.clear();
        }
    }
    fn flush(&mut self) {
        self.flush_units();
        if !self.pending.is_empty() {
            self.text.push_str(&codepage::decode(&self.pending, self.codepage));
            self.pending.clear();
        }
    }
    fn push_bytes(&mut self, b: &[u8]) {
        if b.is_empty() {
            return;
        }
        self.flush_units();
        self.pending.extend_from_slice(b);
    }
    fn push_unit(&mut self, u: u16) {
        if !self.pending.is_empty() {
            self.flush();
        }
        self.units.push(u);
    }
    fn push_str(&mut self, s: &str) {
        self.flush();
        self.text.push_str(s);
    }
}

fn walk(rtf: &[u8], mode: Mode) -> String {
    let mut lex = Lexer::new(rtf);
    let mut out =
        Out { text: String::new(), pending: Vec::new(), units: Vec::new(), codepage: DEFAULT_CODEPAGE };
    let mut g = Group { skip: false, html_tag: false, rtf_only: false, uc: 1 };
    let mut stack: Vec<Group> = Vec::new();
    // Just after `{` (and after `{\*`): the next control word may name a destination.
    let mut group_start = false;
    let mut starred = false;
    // Fallback bytes still to drop after a `\uN`.
    let mut fallback: u32 = 0;

    while let Some(tok) = lex.next() {
        let at_start = std::mem::replace(&mut group_start, false);
        let emits = |g: &Group| match mode {
            Mode::Html => g.html_tag || (!g.skip && !g.rtf_only),
            Mode::Text => !g.skip && !g.html_tag,
        };
        match tok {
            Token::Open => {
                stack.push(g);
                group_start = true;
                starred = false;
                fallback = 0;
            }
            Token::Close => {
                g = stack.pop().unwrap_or(g);
                fallback = 0;
            }
            Token::Symbol(b'*') if at_start => {
                group_start = true;
                starred = true;
            }
            Token::Word(name, param) if at_start && (starred || SKIPPED_DESTINATIONS.contains(&name)) => {
                let is_tag = name == b"htmltag" && starred;
                if is_tag {
                    g.html_tag = true;
                    g.skip = false;
                } else if !g.html_tag {
                    g.skip = true;
                }
                let _ = param;
            }
            Token::Word(name, param) => {
                if fallback > 0 && name != b"u" {
                    // A control word counts as one fallback character.
                    fallback -= 1;
                    continue;
                }
                match name {
                    b"ansicpg" => out.codepage = param.map_or(DEFAULT_CODEPAGE, |p| p as u32),
                    b"uc" => g.uc = param.unwrap_or(1).clamp(0, 16) as u32,
                    b"htmlrtf" => g.rtf_only = param != Some(0),
                    b"bin" => lex.skip_bytes(param.unwrap_or(0).max(0) as usize),
                    b"u" if emits(&g) => {
                        // Surrogate pairs come as two `\u`s; the units pair up in `out`.
                        out.push_unit(param.unwrap_or(0) as i16 as u16);
                        fallback = g.uc;
                    }
                    b"par" | b"line" if emits(&g) => out.push_str("\r\n"),
                    b"tab" if emits(&g) => out.push_str("\t"),
                    b"emdash" if emits(&g) => out.push_str("\u{2014}"),
                    b"endash" if emits(&g) => out.push_str("\u{2013}"),
                    b"bullet" if emits(&g) => out.push_str("\u{2022}"),
                    b"lquote" if emits(&g) => out.push_str("\u{2018}"),
                    b"rquote" if emits(&g) => out.push_str("\u{2019}"),
                    b"ldblquote" if emits(&g) => out.push_str("\u{201C}"),
                    b"rdblquote" if emits(&g) => out.push_str("\u{201D}"),
                    _ => {}
                }
            }
            Token::Symbol(c) => {
                if fallback > 0 {
                    fallback -= 1;
                    continue;
                }
                if emits(&g) {
                    match c {
                        b'\\' | b'{' | b'}' => out.push_bytes(&[c]),
                        b'~' => out.push_str("\u{A0}"),
                        b'_' => out.push_str("-"),
                        _ => {}
                    }
                }
            }
            Token::Byte(b) => {
                if fallback > 0 {
                    fallback -= 1;
                } else if emits(&g) {
                    out.push_bytes(&[b]);
                }
            }
            Token::Text(t) => {
                let skip = (fallback as usize).min(t.len());
                fallback -= skip as u32;
                if emits(&g) {
                    out.push_bytes(&t[skip..]);
                }
            }
        }
    }
    out.flush();
    out.text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of [MS-OXRTFEX] 3.1's example: tags in `\htmltag` groups, RTF-only
    /// formatting inside `\htmlrtf` regions.
    const ENCAPSULATED: &[u8] = b"{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl\r\n\
{\\f0\\fswiss Arial;}}\r\n\
{\\*\\htmltag19 <html>}{\\*\\htmltag34 <head>}{\\*\\htmltag41 </head>}{\\*\\htmltag50 <body>}\r\n\
\\htmlrtf {\\htmlrtf0 {\\*\\htmltag64 <p>}Caf\\'e9 \\{ok\\}\\htmlrtf\\par\\htmlrtf0 {\\*\\htmltag72 </p>}\r\n\
\\u8364?{\\*\\htmltag58 </body>}{\\*\\htmltag27 </html>}}}";

    #[test]
    fn html_is_de_encapsulated() {
        assert!(is_encapsulated_html(ENCAPSULATED));
        let html = html_from_rtf(ENCAPSULATED).unwrap();
        assert_eq!(html, "<html><head></head><body><p>Café {ok}</p>€</body></html>");
    }

    #[test]
    fn text_ignores_the_tags() {
        assert_eq!(text_from_rtf(ENCAPSULATED), "Café {ok}\r\n€");
        assert_eq!(html_from_rtf(b"{\\rtf1 plain}"), None);
    }

    #[test]
    fn plain_rtf_text() {
        let rtf = b"{\\rtf1\\ansi\\ansicpg1251{\\fonttbl{\\f0 Times;}}{\\*\\generator x;}\\pard \\'cf\\'f0\\'e8\\par \\uc2\\u1080\\'e8\\'e8 end\\tab x}";
        assert_eq!(text_from_rtf(rtf), "При\r\nи end\tx");
    }
}
