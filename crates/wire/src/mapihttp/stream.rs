//! The MAPI/HTTP response stream (MS-OXCMAPIHTTP 2.2.7, 3.2.5.2; protocol-facts §1.2; vectors
//! D-MH-HTTP): what a response carries after HTTP chunking has been removed.
//!
//! ```text
//! PROCESSING\r\n
//! PENDING\r\n                 (0..n keep-alives)
//! DONE\r\n
//! X-ElapsedTime: <ms>\r\n     (additional headers)
//! X-StartTime: <RFC 1123 date>\r\n
//! [X-ResponseCode: <n>\r\n]
//! \r\n
//! <binary response body>
//! ```
//!
//! [`ResponseStreamParser`] reads it incrementally from slices split anywhere. It is lenient
//! where real servers differ from the text — gromox writes its keep-alive as `PENDING` without
//! CRLF and sends `PROCESSING` twice, so any run of `PENDING` and `PROCESSING` tokens, in any
//! order, with or without line endings, is accepted before `DONE`, as are bare LF line endings —
//! and strict elsewhere: any other byte before the body is an error, and the
//! meta-data (tokens and additional headers) may not exceed [`MAX_META_SIZE`] bytes, so garbage is
//! never buffered without bound. The writer side ([`processing`], [`pending`],
//! [`done_with_headers`], [`full_response`], [`rfc1123_date`]) produces the exact bytes a server
//! sends.

use std::time::{SystemTime, UNIX_EPOCH};

use oxmapi_core::error::{ErrorCode, MapiError, codes::MAPI_E_CORRUPT_DATA};

use super::common::{HEADER_ELAPSED_TIME, HEADER_RESPONSE_CODE, HEADER_START_TIME, ResponseCode};

/// The first meta-tag, sent as soon as the request is accepted.
pub const PROCESSING: &[u8] = b"PROCESSING\r\n";
/// The keep-alive meta-tag in the specification's form (gromox omits the CRLF).
pub const PENDING: &[u8] = b"PENDING\r\n";
/// The meta-tag that precedes the additional headers and the body.
pub const DONE: &[u8] = b"DONE\r\n";

/// Most bytes of meta-data (meta-tags other than `PENDING`, additional header lines and line
/// endings) the parser accepts before the body.
pub const MAX_META_SIZE: usize = 8 * 1024;
/// Default cap on an accumulated body (see [`ResponseStreamParser::with_max_body`]).
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// `MAPI_E_NETWORK_ERROR` (0x80040115): the connection ended before the response did.
const MAPI_E_NETWORK_ERROR: ErrorCode = ErrorCode(0x8004_0115);

/// Why a response stream could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// A byte that cannot start or continue the expected meta-tag or line.
    #[error("unexpected byte 0x{byte:02X} at offset {offset} of the response stream; expected {expected}")]
    Unexpected {
        /// Offset of the byte in the whole stream.
        offset: u64,
        /// The byte.
        byte: u8,
        /// What was expected there.
        expected: &'static str,
    },
    /// The meta-data before the body exceeds [`MAX_META_SIZE`].
    #[error("response stream meta-data exceeds {limit} bytes")]
    MetaTooLarge {
        /// The limit.
        limit: usize,
    },
    /// An additional header line is not `Name: value`.
    #[error("malformed additional header at offset {offset}: {line:?}")]
    BadHeader {
        /// Offset of the line's first byte.
        offset: u64,
        /// The line (lossily decoded).
        line: String,
    },
    /// The accumulated body exceeds the parser's limit.
    #[error("response body exceeds {limit} bytes")]
    BodyTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The stream ended before the body started.
    #[error("response stream ended early; expected {expected}")]
    Truncated {
        /// What was still missing.
        expected: &'static str,
    },
}

impl From<StreamError> for MapiError {
    /// A truncated stream is `MAPI_E_NETWORK_ERROR` (the connection dropped); anything else is
    /// `MAPI_E_CORRUPT_DATA`.
    fn from(e: StreamError) -> Self {
        let code = match e {
            StreamError::Truncated { .. } => MAPI_E_NETWORK_ERROR,
            _ => MAPI_E_CORRUPT_DATA,
        };
        MapiError::new(code, e.to_string())
    }
}

/// One step of a response stream, in stream order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEvent {
    /// `PROCESSING`: the server accepted the request.
    Processing,
    /// `PENDING`: a keep-alive; the number is the running count in this stream (1, 2, …).
    Pending(u32),
    /// `DONE`: the additional headers and the body follow.
    Done,
    /// One additional header (e.g. `X-ElapsedTime`, `X-StartTime`, `X-ResponseCode`).
    Header {
        /// Header name as sent.
        name: String,
        /// Value without surrounding whitespace.
        value: String,
    },
    /// The empty line after the additional headers: the body starts.
    HeadersEnd,
    /// A piece of the body (only in [`BodyMode::Stream`]).
    Body(Vec<u8>),
}

/// What the parser does with body bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodyMode {
    /// Keep the body (up to the body limit) and return it from
    /// [`ResponseStreamParser::finish`].
    #[default]
    Accumulate,
    /// Hand every body piece out as [`StreamEvent::Body`] and keep nothing.
    Stream,
}

/// A complete response stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedResponse {
    /// Number of `PENDING` keep-alives seen.
    pub pending_count: u32,
    /// The additional headers after `DONE`, in order.
    pub headers: Vec<(String, String)>,
    /// The binary body (empty in [`BodyMode::Stream`]).
    pub body: Vec<u8>,
}

impl ParsedResponse {
    /// The first additional header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `X-ElapsedTime` in milliseconds, when present and numeric.
    pub fn elapsed_time_ms(&self) -> Option<u64> {
        self.header(HEADER_ELAPSED_TIME)?.parse().ok()
    }

    /// `X-StartTime` as sent.
    pub fn start_time(&self) -> Option<&str> {
        self.header(HEADER_START_TIME)
    }

    /// `X-ResponseCode` after `DONE` (present only when the request failed after the initial 0
    /// was sent); `Err` carries an unknown or malformed value.
    pub fn response_code(&self) -> Option<Result<ResponseCode, String>> {
        self.header(HEADER_RESPONSE_CODE).map(ResponseCode::from_header)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Expecting `PROCESSING`.
    Start,
    /// Expecting `PENDING`, `DONE`, or a stray line ending.
    Meta,
    /// `DONE` read; expecting its line ending.
    AfterDone,
    /// `DONE\r` read; expecting LF.
    AfterDoneCr,
    /// Reading additional header lines.
    Headers,
    /// Everything else is body.
    Body,
    /// An error was reported; every later call repeats it.
    Failed,
}

/// Incremental parser of a de-chunked MAPI/HTTP response stream (MS-OXCMAPIHTTP 2.2.7).
#[derive(Debug, Clone)]
pub struct ResponseStreamParser {
    state: State,
    error: Option<StreamError>,
    /// Partial meta-tag (at most 10 bytes).
    tok: Vec<u8>,
    /// Partial header line.
    line: Vec<u8>,
    line_start: u64,
    meta_len: usize,
    offset: u64,
    pending: u32,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    mode: BodyMode,
    max_body: usize,
}

impl Default for ResponseStreamParser {
    fn default() -> Self {
        Self::new()
    }
}

impl ResponseStreamParser {
    /// A parser that accumulates the body up to [`DEFAULT_MAX_BODY`] bytes.
    pub fn new() -> Self {
        ResponseStreamParser {
            state: State::Start,
            error: None,
            tok: Vec::new(),
            line: Vec::new(),
            line_start: 0,
            meta_len: 0,
            offset: 0,
            pending: 0,
            headers: Vec::new(),
            body: Vec::new(),
            mode: BodyMode::Accumulate,
            max_body: DEFAULT_MAX_BODY,
        }
    }

    /// Chooses whether body bytes are kept or handed out as events.
    pub fn with_body_mode(mut self, mode: BodyMode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the largest body kept in [`BodyMode::Accumulate`]; more fails with
    /// [`StreamError::BodyTooLarge`].
    pub fn with_max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }

    /// Number of `PENDING` keep-alives seen so far.
    pub fn pending_count(&self) -> u32 {
        self.pending
    }

    /// Additional headers read so far.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// True once `DONE` has been read.
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::AfterDone | State::AfterDoneCr | State::Headers | State::Body)
    }

    /// True once the additional headers have ended (the rest of the stream is body).
    pub fn in_body(&self) -> bool {
        self.state == State::Body
    }

    /// Body bytes accumulated so far.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Feeds the next bytes of the stream and returns the events they complete.
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<StreamEvent>, StreamError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let mut events = Vec::new();
        match self.push_inner(data, &mut events) {
            Ok(()) => Ok(events),
            Err(e) => {
                self.state = State::Failed;
                self.error = Some(e.clone());
                Err(e)
            }
        }
    }

    fn push_inner(&mut self, data: &[u8], events: &mut Vec<StreamEvent>) -> Result<(), StreamError> {
        let mut i = 0;
        while i < data.len() {
            if self.state == State::Body {
                self.push_body(&data[i..], events)?;
                return Ok(());
            }
            let b = data[i];
            self.step(b, events)?;
            self.offset += 1;
            i += 1;
        }
        Ok(())
    }

    fn push_body(&mut self, data: &[u8], events: &mut Vec<StreamEvent>) -> Result<(), StreamError> {
        if data.is_empty() {
            return Ok(());
        }
        match self.mode {
            BodyMode::Accumulate => {
                if data.len() > self.max_body.saturating_sub(self.body.len()) {
                    return Err(StreamError::BodyTooLarge { limit: self.max_body });
                }
                self.body.extend_from_slice(data);
            }
            BodyMode::Stream => events.push(StreamEvent::Body(data.to_vec())),
        }
        self.offset += data.len() as u64;
        Ok(())
    }

    fn unexpected(&self, byte: u8, expected: &'static str) -> StreamError {
        StreamError::Unexpected { offset: self.offset, byte, expected }
    }

    fn count_meta(&mut self) -> Result<(), StreamError> {
        self.meta_len += 1;
        if self.meta_len > MAX_META_SIZE {
            return Err(StreamError::MetaTooLarge { limit: MAX_META_SIZE });
        }
        Ok(())
    }

    /// Adds `b` to the partial meta-tag; returns the tag once complete.
    fn token(
        &mut self,
        b: u8,
        tags: &[&'static [u8]],
        expected: &'static str,
    ) -> Result<Option<&'static [u8]>, StreamError> {
        self.tok.push(b);
        let mut prefix = false;
        for &t in tags {
            if t == self.tok.as_slice() {
                self.tok.clear();
                return Ok(Some(t));
            }
            prefix |= t.starts_with(&self.tok);
        }
        if !prefix {
            return Err(self.unexpected(b, expected));
        }
        Ok(None)
    }

    fn step(&mut self, b: u8, events: &mut Vec<StreamEvent>) -> Result<(), StreamError> {
        match self.state {
            State::Start => {
                self.count_meta()?;
                if self.token(b, &[b"PROCESSING"], "PROCESSING")?.is_some() {
                    events.push(StreamEvent::Processing);
                    self.state = State::Meta;
                }
            }
            State::Meta => {
                if self.tok.is_empty() && (b == b'\r' || b == b'\n') {
                    // Line endings after PROCESSING / PENDING (or their absence, gromox).
                    return Ok(());
                }
                let tags: &[&'static [u8]] = &[b"PENDING", b"DONE", b"PROCESSING"];
                match self.token(b, tags, "PENDING, PROCESSING or DONE")? {
                    Some(b"DONE") => {
                        self.count_meta()?;
                        events.push(StreamEvent::Done);
                        self.state = State::AfterDone;
                    }
                    Some(b"PROCESSING") => {
                        // A repeated PROCESSING (gromox sends it twice; protocol-facts §7.x):
                        // nothing new, but bounded like other meta-data.
                        for _ in 0..b"PROCESSING".len() {
                            self.count_meta()?;
                        }
                    }
                    Some(_) => {
                        self.pending = self.pending.saturating_add(1);
                        events.push(StreamEvent::Pending(self.pending));
                    }
                    None => {}
                }
            }
            State::AfterDone => {
                self.count_meta()?;
                match b {
                    b'\r' => self.state = State::AfterDoneCr,
                    b'\n' => self.state = State::Headers,
                    _ => return Err(self.unexpected(b, "CRLF after DONE")),
                }
            }
            State::AfterDoneCr => {
                self.count_meta()?;
                if b != b'\n' {
                    return Err(self.unexpected(b, "LF after DONE\\r"));
                }
                self.state = State::Headers;
                self.line_start = self.offset + 1;
            }
            State::Headers => {
                self.count_meta()?;
                if self.line.is_empty() {
                    self.line_start = self.offset;
                }
                if b == b'\n' {
                    return self.end_line(events);
                }
                if b.is_ascii_control() && b != b'\t' && b != b'\r' {
                    return Err(self.unexpected(b, "an additional header line"));
                }
                self.line.push(b);
            }
            State::Body | State::Failed => {}
        }
        Ok(())
    }

    fn end_line(&mut self, events: &mut Vec<StreamEvent>) -> Result<(), StreamError> {
        let mut line = std::mem::take(&mut self.line);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.is_empty() {
            events.push(StreamEvent::HeadersEnd);
            self.state = State::Body;
            return Ok(());
        }
        let bad = || StreamError::BadHeader {
            offset: self.line_start,
            line: String::from_utf8_lossy(&line).into_owned(),
        };
        let text = std::str::from_utf8(&line).map_err(|_| bad())?;
        let (name, value) = text.split_once(':').ok_or_else(bad)?;
        let token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token_char) || value.contains('\r') {
            return Err(bad());
        }
        let (name, value) = (name.to_string(), value.trim().to_string());
        self.headers.push((name.clone(), value.clone()));
        events.push(StreamEvent::Header { name, value });
        Ok(())
    }

    /// Ends the stream: succeeds once the body has started (a body is delimited only by the end
    /// of the stream; its own decoder detects a short body), else reports what was missing.
    pub fn finish(self) -> Result<ParsedResponse, StreamError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let expected = match self.state {
            State::Body => {
                return Ok(ParsedResponse {
                    pending_count: self.pending,
                    headers: self.headers,
                    body: self.body,
                });
            }
            State::Start => "PROCESSING",
            State::Meta => "DONE",
            State::AfterDone | State::AfterDoneCr => "CRLF after DONE",
            State::Headers | State::Failed => "the empty line ending the additional headers",
        };
        Err(StreamError::Truncated { expected })
    }
}

/// Parses a whole de-chunked response stream, accumulating the body up to [`DEFAULT_MAX_BODY`].
pub fn parse_response_stream(data: &[u8]) -> Result<ParsedResponse, StreamError> {
    let mut p = ResponseStreamParser::new();
    p.push(data)?;
    p.finish()
}

/// The bytes sent first: `PROCESSING\r\n`.
pub fn processing() -> &'static [u8] {
    PROCESSING
}

/// One keep-alive in the specification's form: `PENDING\r\n`.
pub fn pending() -> &'static [u8] {
    PENDING
}

/// Replaces anything that could break a header line: CR, LF and other controls become spaces in
/// values; names keep only token characters.
fn header_value(s: &str) -> String {
    s.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn header_name(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)).collect()
}

/// `DONE\r\n`, `X-ElapsedTime`, `X-StartTime`, the `extra` headers (e.g. `X-ResponseCode` when
/// failing after the initial 0 was sent) and the empty line. Header text is sanitised so that no
/// value can end the header section early; headers whose name sanitises to nothing are dropped.
pub fn done_with_headers(
    elapsed_ms: u64,
    start_time_rfc1123: &str,
    extra_headers: &[(&str, &str)],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(96);
    out.extend_from_slice(DONE);
    let mut line = |name: &str, value: &str| {
        if !name.is_empty() {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
    };
    line(HEADER_ELAPSED_TIME, &elapsed_ms.to_string());
    line(HEADER_START_TIME, &header_value(start_time_rfc1123));
    for (n, v) in extra_headers {
        line(&header_name(n), &header_value(v));
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// A complete stream without keep-alives: `PROCESSING`, [`done_with_headers`], then `body`.
pub fn full_response(
    body: &[u8],
    elapsed_ms: u64,
    start_time_rfc1123: &str,
    extra_headers: &[(&str, &str)],
) -> Vec<u8> {
    let done = done_with_headers(elapsed_ms, start_time_rfc1123, extra_headers);
    let mut out = Vec::with_capacity(PROCESSING.len() + done.len() + body.len());
    out.extend_from_slice(PROCESSING);
    out.extend_from_slice(&done);
    out.extend_from_slice(body);
    out
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Formats Unix seconds as an RFC 1123 date (`Mon, 01 Jan 2024 00:00:00 GMT`), the form of
/// `X-StartTime` (MS-OXCMAPIHTTP 2.2.3.3.10).
pub fn rfc1123_from_unix(secs: i64) -> String {
    let (y, m, d, h, mi, s) = oxmapi_core::time::civil_from_unix(secs);
    // 1970-01-01 was a Thursday.
    let wd = (secs.div_euclid(86_400) + 4).rem_euclid(7) as usize;
    let month = MONTHS.get((m as usize).wrapping_sub(1)).copied().unwrap_or("Jan");
    format!("{}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02} GMT", WEEKDAYS[wd])
}

/// Formats a time as an RFC 1123 date, rounding down to the second.
pub fn rfc1123_date(t: SystemTime) -> String {
    let secs = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2),
        Err(e) => {
            let d = e.duration();
            let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2);
            -whole - i64::from(d.subsec_nanos() > 0)
        }
    };
    rfc1123_from_unix(secs.clamp(-(1 << 46), 1 << 46))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::time::Duration;

    const BODY: &[u8] = &[0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];

    fn spec_stream() -> Vec<u8> {
        let mut s = Vec::new();
        s.extend_from_slice(b"PROCESSING\r\nPENDING\r\nPENDING\r\nDONE\r\n");
        s.extend_from_slice(b"X-ElapsedTime: 12\r\nX-StartTime: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n");
        s.extend_from_slice(BODY);
        s
    }

    fn gromox_stream() -> Vec<u8> {
        let mut s = Vec::new();
        s.extend_from_slice(b"PROCESSING\r\nPENDINGPENDINGPENDINGDONE\r\n");
        s.extend_from_slice(b"X-ElapsedTime: 300000\r\nX-StartTime: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n");
        s.extend_from_slice(BODY);
        s
    }

    fn check(r: &ParsedResponse, pending: u32, elapsed: u64) {
        assert_eq!(r.pending_count, pending);
        assert_eq!(r.elapsed_time_ms(), Some(elapsed));
        assert_eq!(r.start_time(), Some("Mon, 01 Jan 2024 00:00:00 GMT"));
        assert_eq!(r.response_code(), None);
        assert_eq!(r.body, BODY);
    }

    #[test]
    fn spec_form() {
        let mut p = ResponseStreamParser::new();
        let ev = p.push(&spec_stream()).unwrap();
        assert_eq!(
            ev,
            vec![
                StreamEvent::Processing,
                StreamEvent::Pending(1),
                StreamEvent::Pending(2),
                StreamEvent::Done,
                StreamEvent::Header { name: "X-ElapsedTime".into(), value: "12".into() },
                StreamEvent::Header {
                    name: "X-StartTime".into(),
                    value: "Mon, 01 Jan 2024 00:00:00 GMT".into()
                },
                StreamEvent::HeadersEnd,
            ]
        );
        assert!(p.in_body());
        check(&p.finish().unwrap(), 2, 12);
    }

    #[test]
    fn gromox_form() {
        check(&parse_response_stream(&gromox_stream()).unwrap(), 3, 300_000);
        // gromox's non-deferred reply, de-chunked: no PENDING at all.
        let mut s = b"PROCESSING\r\nDONE\r\nX-ElapsedTime: 1\r\nX-StartTime: x\r\n\r\n".to_vec();
        s.extend_from_slice(BODY);
        let r = parse_response_stream(&s).unwrap();
        assert_eq!((r.pending_count, r.body.as_slice()), (0, BODY));
        // Mixed forms and bare LF line endings.
        let s = b"PROCESSING\nPENDING\r\nPENDINGPENDING\n\r\nDONE\nX-ElapsedTime: 1\n\nbody";
        let r = parse_response_stream(s).unwrap();
        assert_eq!((r.pending_count, r.body.as_slice()), (3, &b"body"[..]));
    }

    /// gromox 3.10's NotificationWait reply as observed on the wire (protocol-facts §7.x): a
    /// first HTTP chunk `c\r\nPROCESSING\r\n\r\n`, then a chunk starting
    /// `PROCESSING\r\nDONE\r\n`. The chunks are taken apart here by their own size lines
    /// (RFC 9112 7.1), so the parser sees what HTTP hands it.
    #[test]
    fn gromox_repeats_processing_before_done() {
        let mut rest = b"PROCESSING\r\nDONE\r\nX-ElapsedTime: 5\r\nX-StartTime: x\r\n\r\n".to_vec();
        rest.extend_from_slice(BODY);
        let mut wire = b"c\r\nPROCESSING\r\n\r\n".to_vec();
        wire.extend_from_slice(format!("{:x}\r\n", rest.len()).as_bytes());
        wire.extend_from_slice(&rest);
        wire.extend_from_slice(b"\r\n0\r\n\r\n");
        let mut chunks = Vec::new();
        let mut at = 0;
        loop {
            let eol = at + wire[at..].windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&wire[at..eol]).unwrap(), 16).unwrap();
            if size == 0 {
                break;
            }
            chunks.push(wire[eol + 2..eol + 2 + size].to_vec());
            at = eol + 2 + size + 2;
        }
        assert_eq!(chunks[0], b"PROCESSING\r\n");
        let mut p = ResponseStreamParser::new();
        let mut ev = Vec::new();
        for c in &chunks {
            ev.extend(p.push(c).unwrap());
        }
        assert_eq!(ev.iter().filter(|e| **e == StreamEvent::Processing).count(), 1);
        assert!(ev.contains(&StreamEvent::Done));
        let r = p.finish().unwrap();
        assert_eq!((r.pending_count, r.elapsed_time_ms(), r.body.as_slice()), (0, Some(5), BODY));
        // Repeats of PROCESSING and PENDING in any order before DONE.
        let mut s =
            b"PROCESSING\r\nPENDING\r\nPROCESSING\r\nPENDINGPROCESSING\r\nPENDING\r\nDONE\r\n\r\n".to_vec();
        s.extend_from_slice(BODY);
        let r = parse_response_stream(&s).unwrap();
        assert_eq!((r.pending_count, r.body.as_slice()), (3, BODY));
        // Still strict: something else before DONE, or PROCESSING after DONE, is an error.
        assert!(parse_response_stream(b"PROCESSING\r\nPROCESS\r\nDONE\r\n\r\n").is_err());
        assert!(parse_response_stream(b"PROCESSING\r\nDONE\r\nPROCESSING\r\n\r\n").is_err());
    }

    #[test]
    fn every_split_point() {
        for (stream, pending, elapsed) in [(spec_stream(), 2, 12), (gromox_stream(), 3, 300_000)] {
            for i in 0..=stream.len() {
                for j in i..=stream.len() {
                    let mut p = ResponseStreamParser::new();
                    let mut ev = p.push(&stream[..i]).unwrap();
                    ev.extend(p.push(&stream[i..j]).unwrap());
                    ev.extend(p.push(&stream[j..]).unwrap());
                    assert_eq!(
                        ev.iter().filter(|e| matches!(e, StreamEvent::Pending(_))).count() as u32,
                        pending
                    );
                    check(&p.finish().unwrap(), pending, elapsed);
                }
            }
            // Byte by byte, streaming the body.
            let mut p = ResponseStreamParser::new().with_body_mode(BodyMode::Stream);
            let mut body = Vec::new();
            for b in &stream {
                for e in p.push(std::slice::from_ref(b)).unwrap() {
                    if let StreamEvent::Body(piece) = e {
                        body.extend(piece);
                    }
                }
            }
            assert_eq!(body, BODY);
            assert!(p.finish().unwrap().body.is_empty());
        }
    }

    #[test]
    fn missing_done_and_truncation_are_reported() {
        let stream = spec_stream();
        let body_at = stream.len() - BODY.len();
        for cut in 0..body_at {
            let mut p = ResponseStreamParser::new();
            p.push(&stream[..cut]).unwrap();
            let e = p.finish().unwrap_err();
            assert!(matches!(e, StreamError::Truncated { .. }), "cut {cut}: {e:?}");
        }
        assert_eq!(
            parse_response_stream(b"PROCESSING\r\nPENDING\r\n"),
            Err(StreamError::Truncated { expected: "DONE" })
        );
        assert_eq!(parse_response_stream(b""), Err(StreamError::Truncated { expected: "PROCESSING" }));
        let e: MapiError = StreamError::Truncated { expected: "DONE" }.into();
        assert_eq!(e.code, MAPI_E_NETWORK_ERROR);
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(matches!(
            parse_response_stream(b"HTTP/1.1 200"),
            Err(StreamError::Unexpected { offset: 0, .. })
        ));
        assert!(matches!(
            parse_response_stream(b"PROCESSING\r\nPENDIMG"),
            Err(StreamError::Unexpected { offset: 17, byte: b'M', .. })
        ));
        assert!(matches!(
            parse_response_stream(b"PROCESSING\r\nDONE x"),
            Err(StreamError::Unexpected { .. })
        ));
        assert!(matches!(
            parse_response_stream(b"PROCESSING\r\nDONE\r\nnocolon\r\n\r\n"),
            Err(StreamError::BadHeader { .. })
        ));
        assert!(matches!(
            parse_response_stream(b"PROCESSING\r\nDONE\r\n: v\r\n\r\n"),
            Err(StreamError::BadHeader { .. })
        ));
        assert!(matches!(
            parse_response_stream(b"PROCESSING\r\nDONE\r\nA\0B: v\r\n\r\n"),
            Err(StreamError::Unexpected { .. })
        ));
        // An endless header section stops at the cap instead of growing.
        let mut p = ResponseStreamParser::new();
        p.push(b"PROCESSING\r\nDONE\r\nX-Junk: ").unwrap();
        let junk = vec![b'a'; 1024];
        let mut err = None;
        for _ in 0..16 {
            if let Err(e) = p.push(&junk) {
                err = Some(e);
                break;
            }
        }
        assert_eq!(err, Some(StreamError::MetaTooLarge { limit: MAX_META_SIZE }));
        // The error sticks.
        assert!(p.push(b"\r\n\r\n").is_err());
        assert!(p.finish().is_err());
        let e: MapiError = StreamError::MetaTooLarge { limit: 1 }.into();
        assert_eq!(e.code, MAPI_E_CORRUPT_DATA);
    }

    #[test]
    fn body_limit() {
        let mut p = ResponseStreamParser::new().with_max_body(4);
        p.push(b"PROCESSING\r\nDONE\r\n\r\nabcd").unwrap();
        assert_eq!(p.push(b"e"), Err(StreamError::BodyTooLarge { limit: 4 }));
    }

    #[test]
    fn response_code_after_done() {
        let s = full_response(b"", 5, "Mon, 01 Jan 2024 00:00:00 GMT", &[("X-ResponseCode", "10")]);
        let r = parse_response_stream(&s).unwrap();
        assert_eq!(r.response_code(), Some(Ok(ResponseCode::ContextNotFound)));
        assert!(r.body.is_empty());
    }

    #[test]
    fn writer_bytes() {
        assert_eq!(processing(), b"PROCESSING\r\n");
        assert_eq!(pending(), b"PENDING\r\n");
        assert_eq!(
            done_with_headers(12, "Mon, 01 Jan 2024 00:00:00 GMT", &[]),
            b"DONE\r\nX-ElapsedTime: 12\r\nX-StartTime: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n"
        );
        let mut expected =
            b"PROCESSING\r\nDONE\r\nX-ElapsedTime: 12\r\nX-StartTime: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
                .to_vec();
        expected.extend_from_slice(b"X-ResponseCode: 1\r\n\r\n");
        expected.extend_from_slice(BODY);
        assert_eq!(
            full_response(BODY, 12, "Mon, 01 Jan 2024 00:00:00 GMT", &[("X-ResponseCode", "1")]),
            expected
        );
        // Injected line breaks cannot end the header section.
        let s = full_response(b"B", 1, "x\r\n\r\nevil", &[("Bad\r\nName", "v\r\n\r\nw")]);
        let r = parse_response_stream(&s).unwrap();
        assert_eq!(r.body, b"B");
        assert_eq!(r.header("BadName"), Some("v    w"));
    }

    #[test]
    fn rfc1123() {
        assert_eq!(rfc1123_from_unix(1_704_067_200), "Mon, 01 Jan 2024 00:00:00 GMT");
        assert_eq!(rfc1123_from_unix(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(rfc1123_from_unix(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(rfc1123_from_unix(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(rfc1123_from_unix(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
        let t = UNIX_EPOCH + Duration::from_millis(1_704_067_200_999);
        assert_eq!(rfc1123_date(t), "Mon, 01 Jan 2024 00:00:00 GMT");
        assert_eq!(rfc1123_date(UNIX_EPOCH - Duration::from_millis(500)), "Wed, 31 Dec 1969 23:59:59 GMT");
    }

    proptest! {
        #[test]
        fn never_panics_on_random_bytes(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..8)) {
            let mut p = ResponseStreamParser::new().with_max_body(100);
            for c in &chunks {
                let _ = p.push(c);
            }
            let _ = p.finish();
        }

        #[test]
        fn never_panics_on_near_valid_bytes(
            cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>(), byte: u8
        ) {
            let mut s = gromox_stream();
            let i = flip.index(s.len());
            s[i] = byte;
            let n = cut.index(s.len() + 1);
            let _ = parse_response_stream(&s[..n]);
        }

        #[test]
        fn round_trip_through_writer(
            pendings in 0u32..5,
            elapsed: u64,
            secs in -(1i64 << 40)..(1i64 << 40),
            extra in prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,15}", "[ -~]{0,30}"), 0..4),
            body in prop::collection::vec(any::<u8>(), 0..256),
            splits in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
        ) {
            let date = rfc1123_from_unix(secs);
            let extra_refs: Vec<(&str, &str)> = extra.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let mut s = processing().to_vec();
            for k in 0..pendings {
                s.extend_from_slice(if k % 2 == 0 { pending() } else { b"PENDING" });
            }
            s.extend(done_with_headers(elapsed, &date, &extra_refs));
            s.extend_from_slice(&body);
            let mut cuts: Vec<usize> = splits.iter().map(|i| i.index(s.len() + 1)).collect();
            cuts.push(0);
            cuts.push(s.len());
            cuts.sort_unstable();
            let mut p = ResponseStreamParser::new();
            for w in cuts.windows(2) {
                p.push(&s[w[0]..w[1]]).unwrap();
            }
            let r = p.finish().unwrap();
            prop_assert_eq!(r.pending_count, pendings);
            prop_assert_eq!(r.elapsed_time_ms(), Some(elapsed));
            prop_assert_eq!(r.start_time(), Some(date.as_str()));
            prop_assert_eq!(r.headers.len(), 2 + extra.len());
            for ((n, v), (pn, pv)) in extra.iter().zip(&r.headers[2..]) {
                prop_assert_eq!(n, pn);
                prop_assert_eq!(v.trim(), pv);
            }
            prop_assert_eq!(r.body, body);
        }
    }
}
