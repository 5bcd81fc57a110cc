//! MAPI/HTTP responses (MS-OXCMAPIHTTP 2.2.2.2, 2.2.7, 3.2.5.2): the common headers, failure
//! responses with `X-ResponseCode` ≠ 0, and the `PROCESSING` / `PENDING` / `DONE` inner stream,
//! sent whole (Content-Length) or chunked with keep-alives while the work runs.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::BodyExt;
use http_body_util::Full;
use http_body_util::combinators::BoxBody;
use hyper::body::{Body as HttpBody, Frame};
use hyper::{Response, StatusCode};
use oxmapi_wire::mapihttp::common::*;
use oxmapi_wire::mapihttp::stream::{done_with_headers, pending, processing, rfc1123_date};

use super::request::RequestMeta;

/// Response body type of the server.
pub type Body = BoxBody<Bytes, Infallible>;

/// What the server reports in `X-ServerApplication`: an Exchange 2019 CU build number (clients
/// gate features on it, protocol-facts §2.7), then our own name.
pub const SERVER_APPLICATION: &str = "Exchange/15.2.1258.12 (oxmapi/0.1.0)";

/// A whole body.
pub fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).boxed()
}

/// Headers every MAPI/HTTP response carries.
fn base(meta: &RequestMeta, code: ResponseCode, content_type: &str) -> hyper::http::response::Builder {
    let mut b = Response::builder()
        .status(StatusCode::OK)
        .header("Content-Type", content_type)
        .header(HEADER_RESPONSE_CODE, code.code().to_string())
        .header(HEADER_SERVER_APPLICATION, SERVER_APPLICATION)
        .header("Cache-Control", "private");
    if let Some(t) = &meta.request_type_text {
        b = b.header(HEADER_REQUEST_TYPE, t.as_str());
    }
    if let Some(id) = &meta.request_id {
        b = b.header(HEADER_REQUEST_ID, id.as_str());
    }
    if let Some(ci) = &meta.client_info {
        b = b.header(HEADER_CLIENT_INFO, ci.as_str());
    }
    b
}

/// A failure with `X-ResponseCode` ≠ 0: `text/html` body with the diagnostic
/// (MS-OXCMAPIHTTP 2.2.3.2.2).
pub fn failure(meta: &RequestMeta, code: ResponseCode, detail: &str) -> Response<Body> {
    failure_with(meta, code, detail, &Extra::default())
}

/// A failure on an existing session context: also carries the context's cookies (the sequence
/// token already moved on) and expiration.
pub fn failure_with(meta: &RequestMeta, code: ResponseCode, detail: &str, extra: &Extra) -> Response<Body> {
    let html = format!(
        "<html><head><title>{0}</title></head><body><h1>X-ResponseCode {1}: {0}</h1><p>{2}</p></body></html>",
        code.name(),
        code.code(),
        html_escape(detail)
    );
    let mut b = with_extra(base(meta, code, "text/html"), extra);
    if let Some((name, value)) = context_ended(code, detail) {
        b = b.header(name, value);
    }
    if matches!(code, ResponseCode::TooLarge) {
        b = b.header("Connection", "close");
    }
    b.body(full(html)).unwrap_or_else(|_| Response::new(full("")))
}

/// The [`HEADER_CONTEXT_ENDED`] header an X-ResponseCode 10 carries when an administrator
/// killed the context ([`crate::session::KILLED`]); none for any other end.
fn context_ended(code: ResponseCode, detail: &str) -> Option<(&'static str, &'static str)> {
    (code == ResponseCode::ContextNotFound && detail == crate::session::KILLED)
        .then_some((HEADER_CONTEXT_ENDED, CONTEXT_ENDED_KILLED))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Headers added to a successful response.
#[derive(Default, Clone)]
pub struct Extra {
    /// `Set-Cookie` values.
    pub cookies: Vec<String>,
    /// `X-ExpirationInfo` (ms).
    pub expiration_ms: Option<u64>,
    /// `X-PendingPeriod` (ms), sent on chunked responses.
    pub pending_ms: Option<u64>,
}

fn with_extra(mut b: hyper::http::response::Builder, extra: &Extra) -> hyper::http::response::Builder {
    for c in &extra.cookies {
        b = b.header("Set-Cookie", c.as_str());
    }
    if let Some(e) = extra.expiration_ms {
        b = b.header(HEADER_EXPIRATION_INFO, e.to_string());
    }
    if let Some(p) = extra.pending_ms {
        b = b.header(HEADER_PENDING_PERIOD, p.to_string());
    }
    b
}

/// A complete success response (Content-Length): `PROCESSING`, `DONE`, the trailing headers and
/// the binary body.
pub fn complete(
    meta: &RequestMeta,
    extra: &Extra,
    started: (Instant, SystemTime),
    body: &[u8],
) -> Response<Body> {
    let mut out = Vec::with_capacity(64 + body.len());
    out.extend_from_slice(processing());
    out.extend_from_slice(&done_with_headers(
        started.0.elapsed().as_millis() as u64,
        &rfc1123_date(started.1),
        &[],
    ));
    out.extend_from_slice(body);
    with_extra(base(meta, ResponseCode::Success, CONTENT_TYPE_MAPI_HTTP), extra)
        .body(full(out))
        .unwrap_or_else(|_| Response::new(full("")))
}

/// How long a streamed request's work may take and still be answered in one piece: work done
/// within this time goes out as one chunk (`PROCESSING`, `DONE` and the body, then the
/// terminating chunk: one write); longer work gets `PROCESSING` at this point and the rest later.
/// The bytes of the inner stream are the same either way (MS-OXCMAPIHTTP 3.2.5.2 fixes their
/// order, not how they are split); what changes is the number of writes, and with it the system
/// calls and wake-ups per request when hundreds of NotificationWait and Execute requests
/// complete at once (BENCHMARKS.md, notifications at scale).
pub const ONE_PIECE_WITHIN: Duration = Duration::from_millis(10);

/// A body fed from a channel, sent chunked; the last frame says so, so that it goes out with
/// the terminating chunk in the same write.
struct ChannelBody {
    rx: tokio::sync::mpsc::Receiver<(Bytes, bool)>,
    ended: bool,
}

impl HttpBody for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.ended {
            return Poll::Ready(None);
        }
        self.rx.poll_recv(cx).map(|o| {
            o.map(|(b, last)| {
                self.ended = last;
                Ok(Frame::data(b))
            })
        })
    }

    fn is_end_stream(&self) -> bool {
        self.ended
    }
}

/// A chunked success response: `PROCESSING` at once, `PENDING` every `pending_period` while
/// `work` runs, then `DONE`, the trailing headers and the body `work` produced
/// (MS-OXCMAPIHTTP 3.2.5.2). The work runs to completion even if the client goes away. Work
/// done within [`ONE_PIECE_WITHIN`] is answered in one piece.
pub async fn streamed<F>(
    meta: &RequestMeta,
    extra: &Extra,
    pending_period: Duration,
    work: F,
) -> Response<Body>
where
    F: Future<Output = Vec<u8>> + Send + 'static,
{
    streamed_outcome(meta, extra, pending_period, false, async move { Streamed::Body(work.await) }).await
}

/// The `DONE` part of a chunked response (MS-OXCMAPIHTTP 2.2.7, 3.2.5.2): the meta-tag, the
/// trailing headers (with X-ResponseCode for a failure) and the body or the failure's text.
fn done_part(started: (Instant, SystemTime), outcome: Streamed) -> Vec<u8> {
    let elapsed = started.0.elapsed().as_millis() as u64;
    let date = rfc1123_date(started.1);
    match outcome {
        Streamed::Body(body) => {
            let mut out = done_with_headers(elapsed, &date, &[]);
            out.extend_from_slice(&body);
            out
        }
        Streamed::Failed(code, detail) => {
            let n = code.code().to_string();
            let mut headers = vec![(HEADER_RESPONSE_CODE, n.as_str())];
            headers.extend(context_ended(code, &detail));
            let mut out = done_with_headers(elapsed, &date, &headers);
            out.extend_from_slice(html_escape(&detail).as_bytes());
            out
        }
    }
}

/// The outcome of a finished task (a task that panicked is an unknown failure).
fn finished(outcome: Result<Streamed, tokio::task::JoinError>) -> Streamed {
    outcome.unwrap_or_else(|_| {
        Streamed::Failed(ResponseCode::UnknownFailure, "the request failed on the server".into())
    })
}

/// A body of one chunk, sent with `Transfer-Encoding: chunked` (its size is not announced), so
/// that the whole answer and the terminating chunk go out in one write.
struct OneChunk(Option<Bytes>);

impl HttpBody for OneChunk {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.take().map(|b| Ok(Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_none()
    }
}

/// The whole answer to work that ended quickly: still chunked, as MS-OXCMAPIHTTP 3.2.5.2 has
/// every Execute and NotificationWait response ("The response to an Execute request type is
/// \"chunked\"", 4.2; MS-OXCMAPIHTTP_R1230), with `PROCESSING`, `DONE`, the trailing headers
/// and the body in one chunk.
fn one_piece(
    meta: &RequestMeta,
    extra: &Extra,
    started: (Instant, SystemTime),
    outcome: Result<Streamed, tokio::task::JoinError>,
) -> Response<Body> {
    let mut out = processing().to_vec();
    out.extend_from_slice(&done_part(started, finished(outcome)));
    with_extra(base(meta, ResponseCode::Success, CONTENT_TYPE_MAPI_HTTP), extra)
        .body(BodyExt::boxed(OneChunk(Some(Bytes::from(out)))))
        .unwrap_or_else(|_| Response::new(full("")))
}

/// Aborts a task when dropped: a request dropped while its work is abandoned with it.
struct AbortOnDrop(Option<tokio::task::AbortHandle>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(h) = &self.0 {
            h.abort();
        }
    }
}

/// What a chunked request ended with.
pub enum Streamed {
    /// The response body after `DONE`.
    Body(Vec<u8>),
    /// A failure after the initial `X-ResponseCode: 0` was sent: the code travels as an
    /// additional header after `DONE` (MS-OXCMAPIHTTP 2.2.3.3.x); the text is the diagnostic.
    Failed(ResponseCode, String),
}

/// Like [`streamed`], for work that may fail after `X-ResponseCode: 0` went out. With
/// `abandon_when_gone` the work is dropped as soon as the client closes the connection (for
/// waits that hold a resource, like NotificationWait); otherwise it runs to completion.
///
/// Work that ends within [`ONE_PIECE_WITHIN`] is answered in one chunk ([`one_piece`]).
pub async fn streamed_outcome<F>(
    meta: &RequestMeta,
    extra: &Extra,
    pending_period: Duration,
    abandon_when_gone: bool,
    work: F,
) -> Response<Body>
where
    F: Future<Output = Streamed> + Send + 'static,
{
    let started = (Instant::now(), SystemTime::now());
    // Work that needs no waiting (an Execute that only collects notifications) is answered
    // right here, without a task or a timer.
    let mut work = Box::pin(work);
    if let Poll::Ready(o) = std::future::poll_fn(|cx| Poll::Ready(work.as_mut().poll(cx))).await {
        return one_piece(meta, extra, started, Ok(o));
    }
    // Otherwise a task of its own: the work runs to completion even if this request is dropped
    // meanwhile (unless it is to be abandoned then).
    let mut task = tokio::spawn(work);
    let mut abandon = AbortOnDrop(abandon_when_gone.then(|| task.abort_handle()));
    let outcome = tokio::select! {
        biased;
        o = &mut task => Some(o),
        _ = tokio::time::sleep(ONE_PIECE_WITHIN) => None,
    };
    // Past the first part: the streaming task below owns the work (and abandons it itself).
    abandon.0 = None;
    if let Some(o) = outcome {
        return one_piece(meta, extra, started, o);
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<(Bytes, bool)>(4);
    tokio::spawn(async move {
        let _ = tx.send((Bytes::from_static(processing()), false)).await;
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + pending_period, pending_period);
        loop {
            tokio::select! {
                outcome = &mut task => {
                    let out = done_part(started, finished(outcome));
                    let _ = tx.send((Bytes::from(out), true)).await;
                    break;
                }
                _ = tick.tick() => {
                    let _ = tx.send((Bytes::from_static(pending()), false)).await;
                }
                _ = tx.closed(), if abandon_when_gone => {
                    task.abort();
                    break;
                }
            }
        }
    });
    let mut extra = extra.clone();
    extra.pending_ms = Some(pending_period.as_millis() as u64);
    with_extra(base(meta, ResponseCode::Success, CONTENT_TYPE_MAPI_HTTP), &extra)
        .body(BodyExt::boxed(ChannelBody { rx, ended: false }))
        .unwrap_or_else(|_| Response::new(full("")))
}

/// A plain-text response outside the MAPI/HTTP endpoints (`/healthz`, `/metrics`, 401, 404).
pub fn plain(status: StatusCode, content_type: &str, text: impl Into<Bytes>) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("Content-Type", content_type)
        .body(full(text))
        .unwrap_or_else(|_| Response::new(full("")))
}
