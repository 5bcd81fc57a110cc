//! Prometheus metrics served at `/metrics` (DESIGN.md §4 "Logs and metrics"): session contexts,
//! requests by endpoint and type, ROPs by id, request latency histograms, HTTP connections.
//!
//! Every label value comes from a closed set fixed by the server — never from a client's text
//! — since each distinct value is a series kept for the life of the process: request types are
//! those of [`RequestType`] (anything else counts as `other`), response codes those of
//! [`ResponseCode`] (or `401`, `-`), ROP names those of `RopId`, close reasons those of
//! [`CloseReason`].

use oxmapi_wire::mapihttp::common::{RequestType, ResponseCode};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Labels of a MAPI/HTTP request.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// `emsmdb` or `nspi`.
    pub endpoint: &'static str,
    /// The request type ([`request_type_label`]).
    pub request_type: &'static str,
    /// The `X-ResponseCode` sent ([`response_code_label`]).
    pub response_code: &'static str,
}

/// Labels of a latency sample.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TypeLabels {
    /// The request type ([`request_type_label`]).
    pub request_type: &'static str,
}

/// Labels of an executed ROP.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RopLabels {
    /// The ROP name (`RopLogon`), from `RopId`.
    pub rop: String,
    /// 0 for success, else the ReturnValue as hex (an error code the server chose; only
    /// authenticated sessions execute ROPs).
    pub result: String,
}

/// Labels of a closed connection.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CloseLabels {
    /// [`CloseReason::label`].
    pub reason: &'static str,
}

/// Why the server closed (or refused) a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// No complete request head (or TLS handshake) within the header read timeout.
    HeaderTimeout,
    /// A request body did not arrive within the body read timeout (HTTP 408).
    BodyTimeout,
    /// Unauthenticated and idle for the unauthenticated idle timeout.
    UnauthenticatedIdle,
    /// Unauthenticated, closed to admit a newer connection at a connection cap.
    Evicted,
    /// Refused at the connection cap (HTTP 503).
    Refused,
}

impl CloseReason {
    /// The label value.
    pub fn label(self) -> &'static str {
        match self {
            CloseReason::HeaderTimeout => "header_timeout",
            CloseReason::BodyTimeout => "body_timeout",
            CloseReason::UnauthenticatedIdle => "unauthenticated_idle",
            CloseReason::Evicted => "evicted",
            CloseReason::Refused => "refused",
        }
    }
}

/// Label of a request type: its own spelling when the `X-RequestType` names one of
/// [`RequestType`] (in any case), `none` when the header is absent, `other` for anything else.
pub fn request_type_label(header: Option<&str>) -> &'static str {
    match header {
        None => "none",
        Some(text) => text.parse::<RequestType>().map(RequestType::as_str).unwrap_or("other"),
    }
}

/// `X-ResponseCode` numbers as label values, indexed by the number.
const RESPONSE_CODE_LABELS: [&str; 19] =
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18"];

/// Label of a response: the `X-ResponseCode` number when it is one of [`ResponseCode`], `401`
/// for an authentication challenge, `-` otherwise.
pub fn response_code_label(header: Option<&str>, http_status: u16) -> &'static str {
    let known = header
        .and_then(|h| ResponseCode::from_header(h).ok())
        .and_then(|c| RESPONSE_CODE_LABELS.get(c.code() as usize).copied());
    match known {
        Some(label) => label,
        None if http_status == 401 => "401",
        None => "-",
    }
}

/// The connection metrics, shared with the connection table.
#[derive(Clone, Default)]
pub struct ConnectionMetrics {
    /// Open HTTP connections.
    pub open: Gauge,
    /// Open connections that have not authenticated.
    pub unauthenticated: Gauge,
    /// Connections the server closed or refused, by reason.
    pub closed: Family<CloseLabels, Counter>,
}

impl ConnectionMetrics {
    /// Counts one connection closed for `reason`.
    pub fn closed(&self, reason: CloseReason) {
        self.closed.get_or_create(&CloseLabels { reason: reason.label() }).inc();
    }
}

/// All metrics of one server.
pub struct Metrics {
    registry: Registry,
    /// Live session contexts.
    pub sessions: Gauge,
    /// Requests by endpoint, type and response code.
    pub requests: Family<RequestLabels, Counter>,
    /// Request latency in seconds by type.
    pub latency: Family<TypeLabels, Histogram>,
    /// ROPs executed by name and outcome.
    pub rops: Family<RopLabels, Counter>,
    /// Authentication failures.
    pub auth_failures: Counter,
    /// HTTP connections.
    pub connections: ConnectionMetrics,
    /// MAPI/HTTP requests answered since start, all kinds (not exported: the server's memory
    /// release watches it for activity).
    answered: std::sync::atomic::AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("oxmapi");
        let sessions = Gauge::default();
        registry.register("sessions", "Live MAPI/HTTP session contexts", sessions.clone());
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "requests",
            "MAPI/HTTP requests by endpoint, type and X-ResponseCode",
            requests.clone(),
        );
        let latency = Family::<TypeLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
        });
        registry.register("request_duration_seconds", "MAPI/HTTP request latency", latency.clone());
        let rops = Family::<RopLabels, Counter>::default();
        registry.register("rops", "ROPs executed by name and result", rops.clone());
        let auth_failures = Counter::default();
        registry.register("auth_failures", "Refused authentication attempts", auth_failures.clone());
        let connections = ConnectionMetrics::default();
        registry.register("connections", "Open HTTP connections", connections.open.clone());
        registry.register(
            "connections_unauthenticated",
            "Open HTTP connections that have not authenticated",
            connections.unauthenticated.clone(),
        );
        registry.register(
            "connections_closed",
            "HTTP connections closed or refused by the server, by reason",
            connections.closed.clone(),
        );
        Metrics {
            registry,
            sessions,
            requests,
            latency,
            rops,
            auth_failures,
            connections,
            answered: Default::default(),
        }
    }

    /// Counts one answered MAPI/HTTP request (with [`Metrics::requests`]).
    pub fn answered(&self) {
        self.answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// MAPI/HTTP requests answered since start.
    pub fn requests_answered(&self) -> u64 {
        self.answered.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Encoding into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_closed_sets() {
        assert_eq!(request_type_label(Some("execute")), "Execute");
        assert_eq!(request_type_label(Some("PING")), "PING");
        assert_eq!(request_type_label(Some("x12345")), "other");
        assert_eq!(request_type_label(None), "none");
        assert_eq!(RESPONSE_CODE_LABELS.len(), ResponseCode::ALL.len());
        for c in ResponseCode::ALL {
            assert_eq!(response_code_label(Some(&c.code().to_string()), 200), c.code().to_string());
        }
        assert_eq!(response_code_label(Some("4711"), 200), "-");
        assert_eq!(response_code_label(None, 401), "401");
        assert_eq!(response_code_label(None, 404), "-");
    }
}
