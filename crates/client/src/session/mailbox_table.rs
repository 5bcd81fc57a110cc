//! The administrator's mailbox table (IExchangeManageStore::GetMailboxTable): one row per
//! mailbox of the server, read from the oxmapi server's `/mapi/oxmapi/mailboxes` resource
//! ([`oxmapi_wire::mapihttp::mailbox_table`]; MS-OXCROPS has no ROP for it).
//!
//! The request goes beside the mailbox endpoint the session uses (its URL with `/mapi/emsmdb…`
//! replaced by the table's path), with the session's credentials, TLS trust and credential
//! policy: nothing is sent to an origin the profile does not trust
//! ([`crate::transport::trust`]).

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_wire::mapihttp::mailbox_table::{self, MailboxTableRow};

use super::Session;
use crate::profile::MapiResult;
use crate::transport::TransportError;
use crate::transport::conn::{HttpClient, MAX_DIAGNOSTIC_BODY, Outgoing, read_limited};

/// The largest table body read (a row takes a few hundred bytes: some 500,000 mailboxes).
const MAX_TABLE_BODY: usize = 256 << 20;

/// The table's URL for the mailbox endpoint `emsmdb_url`: the part before `/mapi/emsmdb` (ASCII
/// case ignored) followed by the table's path; a URL without that part is taken as the
/// server's base URL.
pub fn table_url(emsmdb_url: &str) -> String {
    let lower = emsmdb_url.to_ascii_lowercase();
    let base = match lower.find("/mapi/emsmdb") {
        Some(i) => &emsmdb_url[..i],
        None => emsmdb_url.split(['?', '#']).next().unwrap_or(emsmdb_url),
    };
    format!("{}{}", base.trim_end_matches('/'), mailbox_table::PATH)
}

/// What the user is told with a 403: the server's text (which names MAPI_E_NO_ACCESS) and how
/// the right is granted.
fn refused(body: &str, user: &str) -> MapiError {
    // The server's text names the error first; the error carries the code itself.
    let text = body.trim();
    let text = text.strip_prefix("MAPI_E_NO_ACCESS (0x80070005):").map_or(text, str::trim_start);
    let text = if text.is_empty() {
        format!("the server refused the mailbox table to {user:?}")
    } else {
        text.to_string()
    };
    MapiError::new(codes::MAPI_E_NO_ACCESS, text)
}

impl Session {
    /// The server's mailbox table (the session's user must be an administrator of the server:
    /// MAPI_E_NO_ACCESS otherwise). Each row as its properties ([`mailbox_table::COLUMNS`]).
    pub fn mailbox_table_properties(&self) -> MapiResult<Vec<Vec<oxmapi_core::value::TaggedValue>>> {
        self.check_provider(super::EMSMDB_PROVIDERS[0])?;
        let emsmdb_url = {
            let link = self.inner.link.lock().unwrap_or_else(|e| e.into_inner());
            let l = link.as_ref().ok_or_else(|| {
                MapiError::new(
                    codes::MAPI_E_NOT_INITIALIZED,
                    "the session is not logged on to the mailbox server",
                )
            })?;
            l.client.http.endpoint().url.clone()
        };
        let cfg = &self.inner.msems;
        let url = table_url(&emsmdb_url);
        let user = self.inner.user.clone();
        let body = crate::transport::block_on(async {
            let mut client = HttpClient::new(&url, cfg.credentials.clone(), cfg.auth, cfg.tls.clone())?
                .with_policy(cfg.policy.clone());
            let out = Outgoing {
                headers: vec![
                    (hyper::header::ACCEPT.as_str(), mailbox_table::CONTENT_TYPE.to_string()),
                    (
                        hyper::header::USER_AGENT.as_str(),
                        concat!("oxmapi/", env!("CARGO_PKG_VERSION")).to_string(),
                    ),
                ],
                body: bytes::Bytes::new(),
            };
            let resp =
                tokio::time::timeout(cfg.request_timeout, client.send(&out)).await.map_err(|_| {
                    TransportError::Timeout(format!("{url}: no answer within {:?}", cfg.request_timeout))
                })??;
            let status = resp.status();
            let limit = if status.is_success() { MAX_TABLE_BODY } else { MAX_DIAGNOSTIC_BODY };
            let body = read_limited(resp.into_body(), limit)
                .await
                .map_err(|e| TransportError::Io(format!("{url}: reading the mailbox table: {e}")))?;
            client.finished();
            Ok::<_, TransportError>((status, body))
        });
        let (status, body) = body.map_err(|e| e.to_mapi())?;
        let text = || String::from_utf8_lossy(&body).into_owned();
        match status.as_u16() {
            200 => mailbox_table::decode(&body).map_err(|e| {
                MapiError::new(
                    codes::MAPI_E_CORRUPT_DATA,
                    format!("{url}: the mailbox table does not decode: {e}"),
                )
            }),
            403 => Err(refused(&text(), &user)),
            404 => Err(MapiError::new(
                codes::MAPI_E_NO_SUPPORT,
                format!(
                    "{url}: the server has no mailbox table (it is not an oxmapi server, or an older one)"
                ),
            )),
            s => Err(TransportError::Http(s, text().trim().to_string()).to_mapi()),
        }
    }

    /// [`Session::mailbox_table_properties`] read into rows.
    pub fn mailbox_table(&self) -> MapiResult<Vec<MailboxTableRow>> {
        Ok(self.mailbox_table_properties()?.iter().map(|p| MailboxTableRow::from_properties(p)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::{refused, table_url};
    use oxmapi_core::error::codes;

    /// A 403 is MAPI_E_NO_ACCESS with the server's explanation, not its code twice.
    #[test]
    fn a_refusal_is_no_access_with_the_servers_text() {
        let e = refused("MAPI_E_NO_ACCESS (0x80070005): ask for --admin\n", "alice");
        assert_eq!((e.code, e.message.as_str()), (codes::MAPI_E_NO_ACCESS, "ask for --admin"));
        let e = refused("", "alice");
        assert!(e.message.contains("alice"), "{}", e.message);
    }

    #[test]
    fn the_table_is_beside_the_mailbox_endpoint() {
        assert_eq!(
            table_url("https://mail.example.com/mapi/emsmdb/?MailboxId=x@example.com"),
            "https://mail.example.com/mapi/oxmapi/mailboxes"
        );
        assert_eq!(
            table_url("http://127.0.0.1:8080/proxy/MAPI/EMSMDB"),
            "http://127.0.0.1:8080/proxy/mapi/oxmapi/mailboxes"
        );
        assert_eq!(table_url("http://127.0.0.1:8080/"), "http://127.0.0.1:8080/mapi/oxmapi/mailboxes");
    }
}
