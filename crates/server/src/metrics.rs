//! Prometheus metrics served at `/metrics` (DESIGN.md §4 "Logs and metrics"): session contexts,
//! requests by endpoint and type, ROPs by id, request latency histograms.

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
    pub endpoint: String,
    /// The `X-RequestType`.
    pub request_type: String,
    /// The `X-ResponseCode` sent.
    pub response_code: String,
}

/// Labels of a latency sample.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TypeLabels {
    /// The `X-RequestType`.
    pub request_type: String,
}

/// Labels of an executed ROP.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RopLabels {
    /// The ROP name (`RopLogon`).
    pub rop: String,
    /// 0 for success, else the ReturnValue as hex.
    pub result: String,
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
        Metrics { registry, sessions, requests, latency, rops, auth_failures }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Encoding into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
