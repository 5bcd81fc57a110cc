//! Autodiscover, POX form (MS-OXDSCLI 2.2.4): POST the user's address to
//! `/autodiscover/autodiscover.xml` and read the legacy DN (the Connect `UserDn` and RopLogon
//! `Essdn`), the display name, the SMTP address and the MAPI/HTTP endpoint URLs
//! (`<Protocol Type="mapiHttp">`, protocol-facts §1.1) from the answer.
//!
//! The response is read with a small tag search rather than an XML parser: the elements needed
//! are leaf elements with text content, namespaces are unprefixed in practice, and the five
//! predefined entities (plus numeric character references) are decoded.

use bytes::Bytes;
use hyper::StatusCode;
use hyper::header::{CONTENT_TYPE, USER_AGENT};

use super::conn::{HttpClient, MAX_DIAGNOSTIC_BODY, Outgoing, read_limited};
use super::endpoints::MapiHttpUrls;
use super::{Auth, CredentialPolicy, Credentials, TlsOptions, TransportError};

/// What Autodiscover says about a mailbox.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AutodiscoverResult {
    /// `<User><LegacyDN>`: the user's legacy Exchange DN.
    pub legacy_dn: String,
    /// `<User><DisplayName>`.
    pub display_name: String,
    /// `<User><AutoDiscoverSMTPAddress>` (the address asked for when absent).
    pub smtp_address: String,
    /// `<Protocol Type="mapiHttp">`: the `<MailStore>` and `<AddressBook>` URLs.
    pub urls: MapiHttpUrls,
    /// The Autodiscover URL that answered (PR_PROFILE_LKG_AUTODISCOVER_URL).
    pub autodiscover_url: String,
}

/// Largest Autodiscover response read.
const MAX_RESPONSE: usize = 1024 * 1024;

/// Asks the Autodiscover service at `base_url` (a server URL such as `https://host`, or the
/// full `…/autodiscover/autodiscover.xml` URL) about `email` (an SMTP address or, for servers
/// that accept it, a user name), authenticating with `creds`.
///
/// Redirections are not followed: an HTTP 3xx is an error, and so are the POX `redirectAddr`
/// and `redirectUrl` answers (MS-OXDSCLI 2.2.4.2.1.x), which could otherwise send the
/// credentials to another server.
pub async fn autodiscover(
    base_url: &str,
    creds: &Credentials,
    auth: Auth,
    tls: &TlsOptions,
    email: &str,
) -> Result<AutodiscoverResult, TransportError> {
    let policy = CredentialPolicy::for_url(&autodiscover_url(base_url));
    autodiscover_with_policy(base_url, creds, auth, tls, email, &policy).await
}

/// [`autodiscover`] under the logon's [`CredentialPolicy`] (which learns whether the server
/// offers NTLM, so that a later Basic over plain HTTP counts as a downgrade).
pub async fn autodiscover_with_policy(
    base_url: &str,
    creds: &Credentials,
    auth: Auth,
    tls: &TlsOptions,
    email: &str,
    policy: &CredentialPolicy,
) -> Result<AutodiscoverResult, TransportError> {
    let url = autodiscover_url(base_url);
    let mut client = HttpClient::new(&url, creds.clone(), auth, tls.clone())?.with_policy(policy.clone());
    let out = Outgoing {
        headers: vec![
            (CONTENT_TYPE.as_str(), "text/xml; charset=utf-8".to_string()),
            ("X-MapiHttpCapability", "1".to_string()),
            ("X-AnchorMailbox", email.to_string()),
            (USER_AGENT.as_str(), concat!("oxmapi/", env!("CARGO_PKG_VERSION")).to_string()),
        ],
        body: Bytes::from(request_body(email)),
    };
    let resp = client.send(&out).await?;
    let status = resp.status();
    let body = read_limited(resp.into_body(), MAX_RESPONSE)
        .await
        .map_err(|e| TransportError::Io(format!("{url}: reading the Autodiscover response: {e}")))?;
    client.finished();
    let text = String::from_utf8_lossy(&body);
    if status != StatusCode::OK {
        let snippet: String = text.chars().take(MAX_DIAGNOSTIC_BODY.min(300)).collect();
        let hint = if status == StatusCode::NOT_FOUND {
            "; the server has no Autodiscover service at this URL — give the MAPI/HTTP URL instead"
        } else if status.is_redirection() {
            "; the client does not follow Autodiscover redirections to another URL (credentials go only to \
             the profile's server): if you trust the target, give its URL as the profile's server"
        } else {
            ""
        };
        return Err(TransportError::Http(
            status.as_u16(),
            format!("{url}: {}{hint}", snippet.split_whitespace().collect::<Vec<_>>().join(" ")),
        ));
    }
    let mut r = parse_response(&text, email).map_err(|e| TransportError::Protocol(format!("{url}: {e}")))?;
    r.autodiscover_url = url;
    Ok(r)
}

/// `base` when it already names the XML file, else `base/autodiscover/autodiscover.xml`.
fn autodiscover_url(base: &str) -> String {
    let b = base.trim();
    if b.to_ascii_lowercase().trim_end_matches('/').ends_with("/autodiscover/autodiscover.xml") {
        return b.trim_end_matches('/').to_string();
    }
    format!("{}/autodiscover/autodiscover.xml", b.trim_end_matches('/'))
}

/// The POX request (MS-OXDSCLI 2.2.4.1) for the Outlook response schema.
fn request_body(email: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n\
         <Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">\r\n\
         \x20 <Request>\r\n\
         \x20   <EMailAddress>{}</EMailAddress>\r\n\
         \x20   <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>\r\n\
         \x20 </Request>\r\n\
         </Autodiscover>\r\n",
        escape(email)
    )
}

/// Reads the fields out of a POX Autodiscover response.
pub fn parse_response(xml: &str, email: &str) -> Result<AutodiscoverResult, String> {
    if let Some(err) = element(xml, "Error") {
        let code = element(err, "ErrorCode").map(unescape).unwrap_or_default();
        let msg = element(err, "Message").map(unescape).unwrap_or_default();
        return Err(format!("Autodiscover error {code}: {msg}").trim_end_matches(": ").to_string());
    }
    if let Some(account) = element(xml, "Account")
        && element(account, "Action").map(str::trim) == Some("redirectAddr")
    {
        let to = element(account, "RedirectAddr").map(unescape).unwrap_or_default();
        return Err(format!("Autodiscover redirects to the address {to:?}; ask again with that address"));
    }
    if let Some(account) = element(xml, "Account")
        && element(account, "Action").map(str::trim) == Some("redirectUrl")
    {
        let to = element(account, "RedirectUrl").map(unescape).unwrap_or_default();
        return Err(format!(
            "Autodiscover redirects to another server, {:?}; the client does not follow it (credentials go only \
             to the profile's server): if you trust it, give that URL as the profile's server",
            to.trim()
        ));
    }
    let user = element(xml, "User")
        .ok_or("the response has no <User> element (is this an Autodiscover service?)")?;
    let legacy_dn = element(user, "LegacyDN")
        .map(unescape)
        .filter(|s| !s.trim().is_empty())
        .ok_or("the response has no <LegacyDN>")?;
    let display_name = element(user, "DisplayName").map(unescape).unwrap_or_default();
    let smtp_address =
        element(user, "AutoDiscoverSMTPAddress").map(unescape).unwrap_or_else(|| email.to_string());
    let mapi = protocol(xml, "mapiHttp");
    let url_of = |section: &str, which: &str| {
        let s = element(mapi?, section)?;
        element(s, which).map(unescape).map(|u| u.trim().to_string()).filter(|u| !u.is_empty())
    };
    Ok(AutodiscoverResult {
        legacy_dn: legacy_dn.trim().to_string(),
        display_name: display_name.trim().to_string(),
        smtp_address: smtp_address.trim().to_string(),
        urls: MapiHttpUrls {
            mailstore_internal: url_of("MailStore", "InternalUrl"),
            mailstore_external: url_of("MailStore", "ExternalUrl"),
            addressbook_internal: url_of("AddressBook", "InternalUrl"),
            addressbook_external: url_of("AddressBook", "ExternalUrl"),
        },
        autodiscover_url: String::new(),
    })
}

/// The content of the first `<Protocol …>` element whose `Type` attribute is `kind`.
fn protocol<'a>(xml: &'a str, kind: &str) -> Option<&'a str> {
    let mut rest = xml;
    while let Some((attrs, content, after)) = next_element(rest, "Protocol") {
        let ty = attribute(attrs, "Type");
        if ty.is_some_and(|t| t.eq_ignore_ascii_case(kind)) {
            return Some(content);
        }
        rest = after;
    }
    None
}

/// The content of the first element called `name` (any namespace prefix).
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    next_element(xml, name).map(|(_, content, _)| content)
}

/// Finds the next `<name …>content</name>` (or `<p:name>`…`</p:name>`); returns the attribute
/// text, the content and the text after the closing tag. A self-closing element has empty
/// content.
fn next_element<'a>(xml: &'a str, name: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let mut pos = 0;
    while let Some(off) = xml[pos..].find('<') {
        let start = pos + off + 1;
        let tail = &xml[start..];
        let tag_end = tail.find('>')?;
        let tag = &tail[..tag_end];
        pos = start;
        if tag.starts_with(['/', '?', '!']) {
            continue;
        }
        let tag_name = tag.split([' ', '\t', '\r', '\n', '/']).next().unwrap_or("");
        let local = tag_name.rsplit(':').next().unwrap_or("");
        if local != name {
            continue;
        }
        let attrs = &tag[tag_name.len()..];
        let content_start = start + tag_end + 1;
        if attrs.trim_end().ends_with('/') {
            return Some((attrs.trim_end().trim_end_matches('/'), "", &xml[content_start..]));
        }
        let close = format!("</{tag_name}>");
        let len = xml[content_start..].find(&close)?;
        let content = &xml[content_start..content_start + len];
        return Some((attrs, content, &xml[content_start + len + close.len()..]));
    }
    None
}

/// The value of attribute `name` in an element's attribute text.
fn attribute<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let key = key.rsplit([' ', '\t', '\r', '\n']).next().unwrap_or(key);
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let end = after[1..].find(quote)?;
        let value = &after[1..1 + end];
        if key == name {
            return Some(value);
        }
        rest = &after[end + 2..];
    }
    None
}

/// Escapes text for XML content.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Decodes `&amp; &lt; &gt; &quot; &apos;` and numeric character references; anything else is
/// kept as written.
pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(semi) = tail.find(';').filter(|&n| n <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let ent = &tail[1..semi];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .or_else(|| ent.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User>
      <DisplayName>Alice &amp; Bob &lt;Archer&gt;</DisplayName>
      <LegacyDN>/o=oxmapi/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice</LegacyDN>
      <AutoDiscoverSMTPAddress>alice@example.com</AutoDiscoverSMTPAddress>
    </User>
    <Account>
      <Action>settings</Action>
      <Protocol><Type>EXCH</Type><Server>x</Server></Protocol>
      <Protocol Type="mapiHttp" Version="1">
        <MailStore><InternalUrl>https://h/mapi/emsmdb/?MailboxId=a@b&amp;x=1</InternalUrl><ExternalUrl>https://e/</ExternalUrl></MailStore>
        <AddressBook><ExternalUrl>https://h/mapi/nspi/?MailboxId=a@b</ExternalUrl></AddressBook>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>"#;

    #[test]
    fn reads_the_pox_response() {
        let r = parse_response(SAMPLE, "alice").unwrap();
        assert_eq!(
            r.legacy_dn,
            "/o=oxmapi/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice"
        );
        assert_eq!(r.display_name, "Alice & Bob <Archer>");
        assert_eq!(r.smtp_address, "alice@example.com");
        assert_eq!(r.urls.mailstore_internal.as_deref(), Some("https://h/mapi/emsmdb/?MailboxId=a@b&x=1"));
        assert_eq!(r.urls.mailstore_external.as_deref(), Some("https://e/"));
        assert_eq!(r.urls.mailstore(), Some("https://h/mapi/emsmdb/?MailboxId=a@b&x=1"));
        assert_eq!(r.urls.addressbook_internal, None);
        assert_eq!(r.urls.addressbook(), Some("https://h/mapi/nspi/?MailboxId=a@b"));
    }

    #[test]
    fn reports_errors_and_redirects() {
        let err = "<Autodiscover><Response><Error Time=\"1\" Id=\"2\"><ErrorCode>500</ErrorCode>\
                   <Message>The email address can&apos;t be found.</Message></Error></Response></Autodiscover>";
        assert_eq!(
            parse_response(err, "x").unwrap_err(),
            "Autodiscover error 500: The email address can't be found."
        );
        let redirect = "<Autodiscover><Response><Account><Action>redirectAddr</Action>\
                        <RedirectAddr>a@b.c</RedirectAddr></Account></Response></Autodiscover>";
        assert!(parse_response(redirect, "x").unwrap_err().contains("a@b.c"));
        let redirect = "<Autodiscover><Response><Account><Action>redirectUrl</Action>\
                        <RedirectUrl>https://evil.example/autodiscover/autodiscover.xml</RedirectUrl></Account>\
                        </Response></Autodiscover>";
        let e = parse_response(redirect, "x").unwrap_err();
        assert!(e.contains("evil.example") && e.contains("another server"), "{e}");
        assert!(parse_response("<html>hello</html>", "x").is_err());
        assert!(
            parse_response("<User><DisplayName>x</DisplayName></User>", "x")
                .unwrap_err()
                .contains("LegacyDN")
        );
        let r = parse_response("<a:User><a:LegacyDN>/o=x</a:LegacyDN><a:Empty/></a:User>", "me@x").unwrap();
        assert_eq!(
            (r.legacy_dn.as_str(), r.smtp_address.as_str(), r.urls.is_empty()),
            ("/o=x", "me@x", true)
        );
    }

    #[test]
    fn entities() {
        assert_eq!(unescape("a&amp;b&lt;&gt;&quot;&apos;&#65;&#x42;&bogus;&"), "a&b<>\"'AB&bogus;&");
        assert_eq!(escape("<a&'\">"), "&lt;a&amp;&apos;&quot;&gt;");
        assert_eq!(unescape(&escape("x<&>y")), "x<&>y");
    }

    #[test]
    fn urls_and_request() {
        assert_eq!(autodiscover_url("http://h:1/"), "http://h:1/autodiscover/autodiscover.xml");
        assert_eq!(
            autodiscover_url("https://h/Autodiscover/Autodiscover.xml"),
            "https://h/Autodiscover/Autodiscover.xml"
        );
        let body = request_body("a&b@x");
        assert!(body.contains("<EMailAddress>a&amp;b@x</EMailAddress>"));
        assert!(body.contains("responseschema/2006a"));
    }

    #[test]
    fn attributes() {
        assert_eq!(attribute(" Type=\"mapiHttp\" Version='1'", "Version"), Some("1"));
        assert_eq!(attribute(" xmlns:a=\"u\" Type=\"x\"", "Type"), Some("x"));
        assert_eq!(attribute(" Type=x", "Type"), None);
    }
}
