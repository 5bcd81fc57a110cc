//! What the server reads from a MAPI/HTTP request (MS-OXCMAPIHTTP 2.2.3.3): the request type,
//! id, client info and application headers, and the cookies.

use std::collections::HashMap;

use hyper::HeaderMap;
use oxmapi_wire::mapihttp::common::*;

/// Headers of one request, as far as they were present and valid.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    /// `X-RequestType` as sent (echoed).
    pub request_type_text: Option<String>,
    /// `X-RequestId` (echoed).
    pub request_id: Option<String>,
    /// `X-ClientInfo` (echoed).
    pub client_info: Option<String>,
    /// `X-ClientApplication`.
    pub client_application: Option<String>,
    /// `Host` (for the endpoint URLs the server hands out).
    pub host: Option<String>,
    /// Cookies by name.
    pub cookies: HashMap<String, String>,
    /// The client's peer address (`ip:port`), set by the HTTP layer.
    pub peer: Option<String>,
}

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(|s| s.trim().chars().take(256).collect())
}

impl RequestMeta {
    /// Reads the headers.
    pub fn from_headers(h: &HeaderMap) -> RequestMeta {
        let mut cookies = HashMap::new();
        for v in h.get_all("cookie") {
            let Ok(s) = v.to_str() else { continue };
            for part in s.split(';') {
                if let Some((k, v)) = part.trim().split_once('=') {
                    cookies.insert(k.trim().to_string(), v.trim().to_string());
                }
            }
        }
        RequestMeta {
            request_type_text: header(h, HEADER_REQUEST_TYPE),
            request_id: header(h, HEADER_REQUEST_ID),
            client_info: header(h, HEADER_CLIENT_INFO),
            client_application: header(h, HEADER_CLIENT_APPLICATION),
            host: header(h, "host"),
            cookies,
            peer: None,
        }
    }

    /// A cookie's value.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }
}
