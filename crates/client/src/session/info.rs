//! What a session's MSEMS provider logon settled on, for diagnostics (`oxmapi doctor`): the
//! endpoints, what the server said about itself, and how the transport authenticated.

use super::Session;

/// The mailbox connection of a logged-on session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// The mailbox (EMSMDB) endpoint the session context lives on.
    pub mailstore_url: String,
    /// The address book (NSPI) endpoints, in the order they are tried.
    pub addressbook_urls: Vec<String>,
    /// The last `X-ServerApplication` of the mailbox endpoint (MS-OXCMAPIHTTP 2.2.3.3.10).
    pub server_application: Option<String>,
    /// The HTTP authentication scheme the mailbox endpoint accepted.
    pub auth_scheme: Option<&'static str>,
    /// Connect's AUX_EXORGINFO said the organisation has public folders.
    pub public_folders: bool,
    /// The last `X-ExpirationInfo`: ms until the server expires an idle context.
    pub expiration_ms: Option<u64>,
}

impl Session {
    /// The mailbox connection, when the store provider logged on (None when its logon failed
    /// or the session logged off).
    pub fn connection_info(&self) -> Option<ConnectionInfo> {
        let link = self.inner.link.lock().unwrap_or_else(|e| e.into_inner());
        let l = link.as_ref()?;
        Some(ConnectionInfo {
            mailstore_url: l.client.http.endpoint().url.clone(),
            addressbook_urls: self.inner.ab_urls.clone(),
            server_application: l.client.http.server_application(),
            auth_scheme: l.client.http.auth_scheme(),
            public_folders: l.public_folders,
            expiration_ms: l.client.http.expiration_ms(),
        })
    }
}
