//! The two MAPI/HTTP endpoints of a mailbox (protocol-facts §1.1): the mailbox (EMSMDB) and the
//! address book (NSPI) endpoint. Autodiscover names both (MS-OXDSCLI: `<Protocol
//! Type="mapiHttp">` with `<MailStore>` and `<AddressBook>`, each an `<InternalUrl>` and an
//! `<ExternalUrl>`), and the profile keeps what it named, as Outlook does. Without such URLs
//! they are derived from the server URL the way Exchange publishes them:
//! `https://host/mapi/emsmdb/?MailboxId=<guid>@<domain>` and
//! `https://host/mapi/nspi/?MailboxId=<guid>@<domain>` (gromox's exch/oxdisco.cpp builds the
//! same), so a server URL that is already a mailbox endpoint URL gives the address book URL with
//! the same `MailboxId`, and a bare server URL gives `{server}/mapi/emsmdb/` and
//! `{server}/mapi/nspi/`.

/// Path of the mailbox endpoint (MS-OXCMAPIHTTP 2.2.1; protocol-facts §1.1).
pub const EMSMDB_PATH: &str = "/mapi/emsmdb/";
/// Path of the address book endpoint.
pub const NSPI_PATH: &str = "/mapi/nspi/";

/// The endpoint URLs Autodiscover returned (empty strings are treated as absent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapiHttpUrls {
    /// `<MailStore><InternalUrl>`.
    pub mailstore_internal: Option<String>,
    /// `<MailStore><ExternalUrl>`.
    pub mailstore_external: Option<String>,
    /// `<AddressBook><InternalUrl>`.
    pub addressbook_internal: Option<String>,
    /// `<AddressBook><ExternalUrl>`.
    pub addressbook_external: Option<String>,
}

fn first<'a>(a: &'a Option<String>, b: &'a Option<String>) -> Option<&'a str> {
    [a, b].into_iter().flatten().map(|s| s.trim()).find(|s| !s.is_empty())
}

impl MapiHttpUrls {
    /// The mailbox endpoint to use: the internal URL, else the external one.
    pub fn mailstore(&self) -> Option<&str> {
        first(&self.mailstore_internal, &self.mailstore_external)
    }

    /// The address book endpoint to use: the internal URL, else the external one.
    pub fn addressbook(&self) -> Option<&str> {
        first(&self.addressbook_internal, &self.addressbook_external)
    }

    /// True when no URL is known.
    pub fn is_empty(&self) -> bool {
        self.mailstore().is_none() && self.addressbook().is_none()
    }
}

/// The endpoints a logon uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// The mailbox (EMSMDB) endpoint.
    pub mailstore: String,
    /// The address book (NSPI) endpoint.
    pub addressbook: String,
    /// Other mailbox endpoints to try, in order, when [`Endpoints::mailstore`] cannot be
    /// reached (a node of a multi-node site died): the other of Autodiscover's internal and
    /// external URL, then the one derived from the profile's server URL. Credentials still go
    /// only to trusted origins (the transport's `CredentialPolicy` refuses the others).
    pub mailstore_alternates: Vec<String>,
    /// Other address book endpoints, likewise.
    pub addressbook_alternates: Vec<String>,
}

/// The distinct non-empty URLs of `candidates`, in order.
fn distinct(candidates: impl IntoIterator<Item = Option<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in candidates.into_iter().flatten() {
        let c = c.trim().to_string();
        if !c.is_empty() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// `url` split at its `/mapi/emsmdb` or `/mapi/nspi` path segment (case-insensitive):
/// everything before it and the query after it (`?MailboxId=…`, with its `?`).
fn split_mapi_path(url: &str) -> Option<(&str, &str)> {
    let path_start = url.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = path_start + url[path_start..].find(['/', '?']).unwrap_or(url.len() - path_start);
    let query_start = url[path_start..].find('?').map_or(url.len(), |i| path_start + i);
    let path = url[path_start..query_start].to_ascii_lowercase();
    for endpoint in ["/mapi/emsmdb", "/mapi/nspi"] {
        if let Some(i) = path.find(endpoint) {
            let rest = &path[i + endpoint.len()..];
            if rest.is_empty() || rest == "/" {
                return Some((&url[..path_start + i], &url[query_start..]));
            }
        }
    }
    None
}

impl Endpoints {
    /// The endpoints of `server_url`: a mailbox or address book endpoint URL
    /// (`…/mapi/emsmdb/?MailboxId=…`) names both, with the same prefix and query; any other URL
    /// is the server's base URL.
    pub fn from_server(server_url: &str) -> Endpoints {
        let url = server_url.trim();
        match split_mapi_path(url) {
            Some((base, query)) => Endpoints {
                mailstore: format!("{base}{EMSMDB_PATH}{query}"),
                addressbook: format!("{base}{NSPI_PATH}{query}"),
                mailstore_alternates: Vec::new(),
                addressbook_alternates: Vec::new(),
            },
            None => {
                let base = url.trim_end_matches('/');
                Endpoints {
                    mailstore: format!("{base}{EMSMDB_PATH}"),
                    addressbook: format!("{base}{NSPI_PATH}"),
                    mailstore_alternates: Vec::new(),
                    addressbook_alternates: Vec::new(),
                }
            }
        }
    }

    /// The endpoints `urls` name, each missing one taken from the other (same prefix and query)
    /// or, without either, from `server_url`.
    pub fn resolve(urls: &MapiHttpUrls, server_url: &str) -> Endpoints {
        let derived = match urls.mailstore().or(urls.addressbook()) {
            Some(u) if split_mapi_path(u).is_some() => Endpoints::from_server(u),
            _ => Endpoints::from_server(server_url),
        };
        let from_server = Endpoints::from_server(server_url);
        let mut mailstore = distinct([
            urls.mailstore_internal.clone(),
            urls.mailstore_external.clone(),
            Some(derived.mailstore),
            Some(from_server.mailstore),
        ]);
        let mut addressbook = distinct([
            urls.addressbook_internal.clone(),
            urls.addressbook_external.clone(),
            Some(derived.addressbook),
            Some(from_server.addressbook),
        ]);
        Endpoints {
            mailstore: mailstore.remove(0),
            addressbook: addressbook.remove(0),
            mailstore_alternates: mailstore,
            addressbook_alternates: addressbook,
        }
    }

    /// The mailbox endpoints in the order to try them: the current one, then the alternates.
    pub fn mailstore_candidates(&self) -> Vec<String> {
        std::iter::once(self.mailstore.clone()).chain(self.mailstore_alternates.iter().cloned()).collect()
    }

    /// Makes `url` (one of the candidates) the mailbox endpoint; the others stay alternates, in
    /// their order, the old current one first.
    pub fn use_mailstore(&mut self, url: &str) {
        if self.mailstore == url {
            return;
        }
        let old = std::mem::replace(&mut self.mailstore, url.to_string());
        self.mailstore_alternates.retain(|u| u != url);
        self.mailstore_alternates.insert(0, old);
    }

    /// The address book endpoints in the order to try them.
    pub fn addressbook_candidates(&self) -> Vec<String> {
        std::iter::once(self.addressbook.clone()).chain(self.addressbook_alternates.iter().cloned()).collect()
    }
}

/// The base URL Autodiscover is asked at for `server_url`: the part before `/mapi/` when the
/// server URL is an endpoint URL, else the server URL without query.
pub fn autodiscover_base(server_url: &str) -> String {
    let url = server_url.trim();
    match split_mapi_path(url) {
        Some((base, _)) => base.trim_end_matches('/').to_string(),
        None => url.split('?').next().unwrap_or(url).trim_end_matches('/').to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The URL pair Exchange publishes through Autodiscover, and gromox's oxdisco template
    /// `https://{host}/mapi/{emsmdb|nspi}/?MailboxId={guid}@{domain}` (protocol-facts §1.1;
    /// MS-OXDSCLI `<Protocol Type="mapiHttp">` MailStore / AddressBook).
    const EMSMDB: &str =
        "https://mail.contoso.com/mapi/emsmdb/?MailboxId=8d7d6f33-4f0b-4a4b-9f8e-1a2b3c4d5e6f@contoso.com";
    const NSPI: &str =
        "https://mail.contoso.com/mapi/nspi/?MailboxId=8d7d6f33-4f0b-4a4b-9f8e-1a2b3c4d5e6f@contoso.com";

    #[test]
    fn a_mailbox_endpoint_url_gives_the_address_book_url_exchange_publishes() {
        let e = Endpoints::from_server(EMSMDB);
        assert_eq!((e.mailstore.as_str(), e.addressbook.as_str()), (EMSMDB, NSPI));
        // Either endpoint names both; case and a missing trailing slash do not matter.
        assert_eq!(Endpoints::from_server(NSPI), e);
        let e = Endpoints::from_server("http://127.0.0.1:8080/MAPI/EMSMDB?MailboxId=a@b");
        assert_eq!(e.mailstore, "http://127.0.0.1:8080/mapi/emsmdb/?MailboxId=a@b");
        assert_eq!(e.addressbook, "http://127.0.0.1:8080/mapi/nspi/?MailboxId=a@b");
        // A path prefix before /mapi/ stays.
        let e = Endpoints::from_server("https://h/owa-proxy/mapi/emsmdb/");
        assert_eq!(e.addressbook, "https://h/owa-proxy/mapi/nspi/");
    }

    /// A multi-node site: Autodiscover named two mailbox URLs and the profile a third server;
    /// all are candidates, in that order, and switching keeps the others.
    #[test]
    fn the_other_urls_are_alternates_in_order() {
        let urls = MapiHttpUrls {
            mailstore_internal: Some("http://n1/mapi/emsmdb/?MailboxId=1".into()),
            mailstore_external: Some("http://n2/mapi/emsmdb/?MailboxId=1".into()),
            ..Default::default()
        };
        let mut e = Endpoints::resolve(&urls, "http://lb");
        assert_eq!(
            e.mailstore_candidates(),
            [
                "http://n1/mapi/emsmdb/?MailboxId=1",
                "http://n2/mapi/emsmdb/?MailboxId=1",
                "http://lb/mapi/emsmdb/"
            ]
        );
        assert_eq!(e.addressbook, "http://n1/mapi/nspi/?MailboxId=1");
        assert_eq!(e.addressbook_alternates, ["http://lb/mapi/nspi/"]);
        e.use_mailstore("http://n2/mapi/emsmdb/?MailboxId=1");
        assert_eq!(
            e.mailstore_candidates(),
            [
                "http://n2/mapi/emsmdb/?MailboxId=1",
                "http://n1/mapi/emsmdb/?MailboxId=1",
                "http://lb/mapi/emsmdb/"
            ]
        );
        // One server and no Autodiscover answer: nothing else to try.
        assert!(Endpoints::resolve(&MapiHttpUrls::default(), "http://h").mailstore_alternates.is_empty());
    }

    #[test]
    fn a_bare_server_url_gives_both_paths() {
        let e = Endpoints::from_server("https://mail.example.test/");
        assert_eq!(e.mailstore, "https://mail.example.test/mapi/emsmdb/");
        assert_eq!(e.addressbook, "https://mail.example.test/mapi/nspi/");
        // Not an endpoint path.
        let e = Endpoints::from_server("http://h/mapi/emsmdbx");
        assert_eq!(e.mailstore, "http://h/mapi/emsmdbx/mapi/emsmdb/");
    }

    #[test]
    fn stored_urls_come_first_internal_before_external() {
        let urls = MapiHttpUrls {
            mailstore_internal: Some(String::new()),
            mailstore_external: Some(EMSMDB.into()),
            ..Default::default()
        };
        let e = Endpoints::resolve(&urls, "http://other");
        assert_eq!((e.mailstore.as_str(), e.addressbook.as_str()), (EMSMDB, NSPI));
        let urls = MapiHttpUrls {
            mailstore_internal: Some("http://in/mapi/emsmdb/?MailboxId=1".into()),
            mailstore_external: Some(EMSMDB.into()),
            addressbook_internal: Some("http://in/mapi/nspi/?MailboxId=1".into()),
            addressbook_external: Some(NSPI.into()),
        };
        let e = Endpoints::resolve(&urls, "http://other");
        assert_eq!(e.addressbook, "http://in/mapi/nspi/?MailboxId=1");
        assert_eq!(
            Endpoints::resolve(&MapiHttpUrls::default(), "http://other"),
            Endpoints::from_server("http://other")
        );
    }

    #[test]
    fn autodiscover_is_asked_at_the_server_not_at_the_endpoint() {
        assert_eq!(autodiscover_base(EMSMDB), "https://mail.contoso.com");
        assert_eq!(autodiscover_base("https://h/p/mapi/nspi/?MailboxId=x"), "https://h/p");
        assert_eq!(autodiscover_base("https://h:444/"), "https://h:444");
        assert_eq!(
            autodiscover_base("https://h/autodiscover/autodiscover.xml"),
            "https://h/autodiscover/autodiscover.xml"
        );
    }
}
