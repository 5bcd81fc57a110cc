//! The outcome of a run: one line per case as CLI.md gives it (`ok - NAME`,
//! `FAIL - NAME [expected … observed …]`, `skip - NAME [reason]`), the closing `N passed, M failed, K skipped`, and the JSON document
//! `{"passed","failed","skipped","cases":[{"name","protocol","section","requirements","result","detail"}]}`.

use serde_json::{Value, json};

use crate::case::{Case, Protocol, Verdict};

/// How one case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Result {
    /// Passed.
    Ok,
    /// Failed.
    Fail,
    /// Skipped.
    Skip,
}

impl Result {
    /// `ok`, `fail` or `skip`.
    pub fn as_str(self) -> &'static str {
        match self {
            Result::Ok => "ok",
            Result::Fail => "fail",
            Result::Skip => "skip",
        }
    }
}

/// One case's line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseReport {
    /// The case name.
    pub name: String,
    /// Its protocol.
    pub protocol: Protocol,
    /// Its specification section(s).
    pub section: String,
    /// Its requirement identifiers.
    pub requirements: Vec<String>,
    /// The result.
    pub result: Result,
    /// Expected versus observed for a failure, the reason for a skip, empty for a pass.
    pub detail: String,
}

impl CaseReport {
    /// The report of `case` ending with `outcome`.
    pub fn new(case: &Case, outcome: std::result::Result<(), Verdict>) -> CaseReport {
        let (result, detail) = match outcome {
            Ok(()) => (Result::Ok, String::new()),
            Err(Verdict::Fail { expected, observed }) => {
                (Result::Fail, format!("expected {expected}, observed {observed}"))
            }
            Err(Verdict::Skip(reason)) => (Result::Skip, reason),
        };
        CaseReport {
            name: case.name.to_string(),
            protocol: case.protocol,
            section: case.section.to_string(),
            requirements: case.requirements.iter().map(|r| r.to_string()).collect(),
            result,
            detail,
        }
    }

    /// The text line.
    pub fn line(&self) -> String {
        match self.result {
            Result::Ok => format!("ok - {}", self.name),
            Result::Fail => format!("FAIL - {} [{}]", self.name, self.detail),
            Result::Skip => format!("skip - {} [{}]", self.name, self.detail),
        }
    }

    /// The JSON object.
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "protocol": self.protocol.name(),
            "section": self.section,
            "requirements": self.requirements,
            "result": self.result.as_str(),
            "detail": self.detail,
        })
    }
}

/// A whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Every case in run order.
    pub cases: Vec<CaseReport>,
    /// Set when the suite's folder could not be removed.
    pub cleanup_error: Option<String>,
}

impl Report {
    /// Cases with `result`.
    pub fn count(&self, result: Result) -> usize {
        self.cases.iter().filter(|c| c.result == result).count()
    }

    /// `N passed, M failed, K skipped`.
    pub fn closing_line(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.count(Result::Ok),
            self.count(Result::Fail),
            self.count(Result::Skip)
        )
    }

    /// True when no case failed and the suite cleaned up after itself.
    pub fn success(&self) -> bool {
        self.count(Result::Fail) == 0 && self.cleanup_error.is_none()
    }

    /// The JSON document.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "passed": self.count(Result::Ok),
            "failed": self.count(Result::Fail),
            "skipped": self.count(Result::Skip),
            "cases": self.cases.iter().map(CaseReport::to_json).collect::<Vec<_>>(),
        });
        if let Some(e) = &self.cleanup_error {
            v["cleanup_error"] = json!(e);
        }
        v
    }

    /// Per-protocol `(protocol, passed, failed, skipped)`.
    pub fn per_protocol(&self) -> Vec<(Protocol, usize, usize, usize)> {
        Protocol::ALL
            .iter()
            .map(|p| {
                let of = |r| self.cases.iter().filter(|c| c.protocol == *p && c.result == r).count();
                (*p, of(Result::Ok), of(Result::Fail), of(Result::Skip))
            })
            .filter(|(_, a, b, c)| a + b + c > 0)
            .collect()
    }
}
