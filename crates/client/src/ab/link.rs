//! The address book provider's NSPI session context (MS-OXCMAPIHTTP 2.2.5.1 Bind, 3.1.5.x):
//! bound on first use, bound again once when the server has lost the context (X-ResponseCode
//! 10, e.g. after it expired), and the NSPI `ErrorCode`s turned into MAPI errors.

use std::time::Duration;

use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::{ErrorCode, MapiError};
use oxmapi_wire::mapihttp::common::ResponseCode;
use oxmapi_wire::mapihttp::nspi::{
    MID_BEGINNING_OF_TABLE, NSPI_DEFAULT_LOCALE, SORT_TYPE_DISPLAY_NAME, Stat,
};

use crate::profile::MapiResult;
use crate::session::msems::{CODE_PAGE, MsemsConfig, endpoint_moved, unreachable};
use crate::transport::nspi::Called;
use crate::transport::{NspiClient, TransportError, block_on};

/// A bound NSPI session context.
pub(crate) struct AbLink {
    client: NspiClient,
    /// The server GUID from Bind: the `ProviderUID` of its ephemeral entry IDs.
    pub(crate) server_guid: Guid,
    timeout: Duration,
    /// Other address book endpoints of the site, tried in order when this one stops answering
    /// (its node died); see [`crate::transport::Endpoints::addressbook_alternates`].
    alternates: Vec<String>,
    /// The service's configuration, for a transport to an alternate endpoint.
    cfg: MsemsConfig,
}

/// Why a Bind failed.
pub(crate) struct BindFailure {
    /// The error to report.
    pub(crate) error: MapiError,
    /// The endpoint answered that it is not there (HTTP 404 or a redirect): ask Autodiscover.
    pub(crate) moved: bool,
    /// The endpoint did not answer at all: another endpoint of the site is worth trying.
    pub(crate) unreachable: bool,
}

/// The STAT every call starts from: the GAL in display-name order, at its beginning. Strings
/// are asked for as PtypString (Unicode) by tag, so the code page only matters for 8-bit
/// values; CP_WINUNICODE is not a valid STAT code page (MS-OXNSPI 3.1.4.1.1).
pub(crate) fn base_stat(container_id: u32) -> Stat {
    Stat {
        sort_type: SORT_TYPE_DISPLAY_NAME,
        container_id,
        current_rec: MID_BEGINNING_OF_TABLE,
        delta: 0,
        num_pos: 0,
        total_recs: 0,
        code_page: CODE_PAGE,
        template_locale: NSPI_DEFAULT_LOCALE,
        sort_locale: NSPI_DEFAULT_LOCALE,
    }
}

/// An NSPI `ErrorCode` (or a Bind refusal) as a MAPI error naming the call.
pub(crate) fn nspi_error(call: &str, code: u32) -> MapiError {
    let ec = ErrorCode(code);
    let advice = match ec {
        codes::MAPI_E_LOGON_FAILED => ": the address book refused the credentials or the account is disabled",
        codes::MAPI_E_NOT_ENOUGH_RESOURCES | codes::MAPI_E_SESSION_LIMIT => {
            ": the server holds too many address book sessions; try again later"
        }
        codes::MAPI_E_TOO_COMPLEX => ": the server cannot evaluate this restriction or sort",
        _ => "",
    };
    MapiError::new(ec, format!("NSPI {call} failed with {} (0x{code:08X}){advice}", ec.name()))
}

fn lost_context(e: &TransportError) -> bool {
    matches!(e, TransportError::ResponseCode { code, .. }
        if *code == ResponseCode::ContextNotFound.code() || *code == ResponseCode::MissingCookie.code())
}

async fn timed<T>(
    url: &str,
    call: &str,
    timeout: Duration,
    fut: impl Future<Output = Result<T, TransportError>>,
) -> Result<T, MapiError> {
    match tokio::time::timeout(timeout, fut).await {
        Ok(r) => r.map_err(|e| e.to_mapi()),
        Err(_) => Err(timed_out(url, call, timeout)),
    }
}

/// MAPI_E_NETWORK_ERROR naming the address book endpoint and the NSPI call that got no answer.
fn timed_out(url: &str, call: &str, timeout: Duration) -> MapiError {
    MapiError::new(
        codes::MAPI_E_NETWORK_ERROR,
        format!(
            "{url}: no answer to NSPI {call} from the address book server within {} s",
            timeout.as_secs()
        ),
    )
}

impl AbLink {
    /// Binds to the first of `candidates` (the endpoint, then its alternates) that answers,
    /// with the service's credentials.
    pub(crate) fn bind(cfg: &MsemsConfig, candidates: &[String]) -> MapiResult<AbLink> {
        AbLink::bind_at(cfg, candidates).map_err(|f| f.error)
    }

    /// [`AbLink::bind`]; the failure also tells whether the endpoint answered that it is not
    /// there (HTTP 404 or a redirect), after which the caller asks Autodiscover again. Only an
    /// endpoint that does not answer at all moves the Bind on to the next candidate.
    pub(crate) fn bind_at(cfg: &MsemsConfig, candidates: &[String]) -> Result<AbLink, BindFailure> {
        let mut failures: Vec<String> = Vec::new();
        for (i, url) in candidates.iter().enumerate() {
            let mut link = AbLink {
                client: NspiClient::new(cfg.transport(url)),
                server_guid: Guid::default(),
                timeout: cfg.timeout,
                alternates: candidates
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, u)| u.clone())
                    .collect(),
                cfg: cfg.clone(),
            };
            match link.try_rebind() {
                Ok(()) => return Ok(link),
                Err(f) if f.unreachable && i + 1 < candidates.len() => failures.push(f.error.message),
                Err(mut f) => {
                    if !failures.is_empty() {
                        f.error.message = format!("{} (after: {})", f.error.message, failures.join("; "));
                    }
                    return Err(f);
                }
            }
        }
        Err(BindFailure {
            error: MapiError::new(codes::MAPI_E_NETWORK_ERROR, "no address book endpoint is known"),
            moved: false,
            unreachable: true,
        })
    }

    /// The address book endpoint.
    fn url(&self) -> String {
        self.client.http.endpoint().url.clone()
    }

    fn rebind(&mut self) -> MapiResult<()> {
        self.try_rebind().map_err(|f| f.error)
    }

    fn try_rebind(&mut self) -> Result<(), BindFailure> {
        let timeout = self.timeout;
        let url = self.url();
        let client = &mut self.client;
        let c = match block_on(async { tokio::time::timeout(timeout, client.bind(0, base_stat(0))).await }) {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                return Err(BindFailure {
                    error: e.to_mapi(),
                    moved: endpoint_moved(&e),
                    unreachable: unreachable(&e),
                });
            }
            Err(_) => {
                return Err(BindFailure {
                    error: timed_out(&url, "Bind", timeout),
                    moved: false,
                    unreachable: true,
                });
            }
        };
        if c.error_code != 0 {
            return Err(BindFailure {
                error: nspi_error("Bind", c.error_code),
                moved: false,
                unreachable: false,
            });
        }
        self.server_guid = c.body;
        Ok(())
    }

    /// The endpoint stopped answering: binds at the first alternate that answers and makes it
    /// this link's endpoint (the old one becomes the first alternate). The new context has a
    /// new server GUID only if the other node's differs; ephemeral entry IDs of the old context
    /// may then no longer resolve, as after any rebind.
    fn fail_over(&mut self, why: &MapiError) -> MapiResult<()> {
        let mut candidates = self.alternates.clone();
        candidates.push(self.url());
        let link = AbLink::bind_at(&self.cfg, &candidates).map_err(|f| {
            MapiError::new(f.error.code, format!("{}; before that: {}", f.error.message, why.message))
        })?;
        tracing::info!(from = %self.url(), to = %link.url(), "the address book endpoint is unreachable; bound at another endpoint");
        *self = link;
        Ok(())
    }

    /// Runs one NSPI call; binds again and repeats it once when the server lost the context.
    /// A non-zero `ErrorCode` becomes a MAPI error unless `accept` lets it through (for calls
    /// whose "not found" is an answer, not a failure).
    pub(crate) fn call<T>(
        &mut self,
        name: &str,
        accept: &[ErrorCode],
        mut f: impl AsyncFnMut(&mut NspiClient) -> Result<Called<T>, TransportError>,
    ) -> MapiResult<Called<T>> {
        let timeout = self.timeout;
        let url = self.url();
        let first = block_on(async { tokio::time::timeout(timeout, f(&mut self.client)).await });
        let called = match first {
            Ok(Err(e)) if lost_context(&e) => {
                tracing::debug!(error = %e, "NSPI context lost; binding again");
                self.rebind()?;
                block_on(timed(&url, name, timeout, f(&mut self.client)))?
            }
            // The node serving this context is gone: bind on another endpoint of the site and
            // repeat the call once there.
            Ok(Err(e)) if unreachable(&e) && !self.alternates.is_empty() => {
                self.fail_over(&e.to_mapi())?;
                let url = self.url();
                block_on(timed(&url, name, timeout, f(&mut self.client)))?
            }
            Err(_) if !self.alternates.is_empty() => {
                self.fail_over(&timed_out(&url, name, timeout))?;
                let url = self.url();
                block_on(timed(&url, name, timeout, f(&mut self.client)))?
            }
            Ok(r) => r.map_err(|e| e.to_mapi())?,
            Err(_) => return Err(timed_out(&url, name, timeout)),
        };
        if called.error_code != 0 && !accept.contains(&ErrorCode(called.error_code)) {
            return Err(nspi_error(name, called.error_code));
        }
        Ok(called)
    }

    /// DNToMId of one legacy DN: its MId, 0 when the directory does not know it.
    pub(crate) fn dn_to_mid(&mut self, dn: &str) -> MapiResult<u32> {
        let names = vec![dn.to_string()];
        let c = self.call("DNToMId", &[], async |c| c.dn_to_mid(names.clone()).await)?;
        Ok(c.body.first().copied().unwrap_or(0))
    }

    /// PING (keep-alive); errors are the caller's to log.
    pub(crate) fn ping(&mut self) -> MapiResult<()> {
        let timeout = self.timeout;
        let url = self.url();
        block_on(timed(&url, "PING", timeout, self.client.ping()))
    }

    /// The context's idle timeout as the server announced it (`X-ExpirationInfo`, ms).
    pub(crate) fn expiration_ms(&self) -> Option<u64> {
        self.client.http.expiration_ms()
    }

    /// Unbind (MS-OXCMAPIHTTP 2.2.5.2; best effort, at logoff), waiting at most `bound`.
    pub(crate) fn unbind(&mut self, bound: Duration) {
        let timeout = self.timeout.min(bound);
        let url = self.url();
        let _ = block_on(timed(&url, "Unbind", timeout, self.client.unbind()));
    }
}
