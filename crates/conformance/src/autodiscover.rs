//! Finding the MAPI/HTTP endpoints of a mailbox with POX Autodiscover (MS-OXDSCLI 2.2.4,
//! 3.1.5; MS-OXCMAPIHTTP 2.2.1): when the suite is given only the server root and an e-mail
//! address, it asks `/autodiscover/autodiscover.xml` with `X-MapiHttpCapability: 1` and uses the
//! `mapiHttp` protocol's MailStore and AddressBook URLs (Exchange publishes them with
//! `?MailboxId=`). Any failure leaves the default `/mapi/emsmdb/` and `/mapi/nspi/` paths.

use crate::http::{Http, Target};

/// The endpoints one Autodiscover answer names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The MailStore URL.
    pub mail_store: String,
    /// The AddressBook URL.
    pub address_book: String,
}

/// The POX request body for `email` (MS-OXDSCLI 2.2.4.1).
pub fn request_body(email: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">\
         <Request><EMailAddress>{email}</EMailAddress><AcceptableResponseSchema>\
         http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>\
         </Request></Autodiscover>"
    )
}

/// Asks the server; `None` when it does not answer with mapiHttp endpoints.
pub fn discover(http: &mut Http, email: &str) -> Option<Found> {
    let headers = vec![
        ("Content-Type".to_string(), "text/xml".to_string()),
        ("X-MapiHttpCapability".to_string(), "1".to_string()),
    ];
    let r =
        http.send("POST", "/autodiscover/autodiscover.xml", &headers, request_body(email).as_bytes()).ok()?;
    if r.status != 200 {
        return None;
    }
    parse(&String::from_utf8_lossy(&r.body))
}

/// The MailStore and AddressBook URLs of the `mapiHttp` protocol element (External preferred).
pub fn parse(xml: &str) -> Option<Found> {
    let start = xml.find("Type=\"mapiHttp\"")?;
    let rest = &xml[start..];
    let end = rest.find("</Protocol>").unwrap_or(rest.len());
    let proto = &rest[..end];
    let url_in = |element: &str| -> Option<String> {
        let open = format!("<{element}>");
        let close = format!("</{element}>");
        let s = proto.find(&open)? + open.len();
        let inner = &proto[s..s + proto[s..].find(&close)?];
        ["ExternalUrl", "InternalUrl"].iter().find_map(|tag| {
            let o = format!("<{tag}>");
            let b = inner.find(&o)? + o.len();
            let e = inner[b..].find(&format!("</{tag}>"))?;
            Some(inner[b..b + e].trim().replace("&amp;", "&"))
        })
    };
    Some(Found { mail_store: url_in("MailStore")?, address_book: url_in("AddressBook")? })
}

/// Splits a found URL into its server and path (with query).
pub fn split(url: &str) -> Option<(Target, String)> {
    Target::parse(url).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_mapihttp_protocol_element() {
        // The shape of MS-OXDSCLI 4.x's mapiHttp example (MS-OXCMAPIHTTP 2.2.1).
        let xml = r#"<Autodiscover><Response><Account><Protocol Type="mapiHttp" Version="1">
            <MailStore><InternalUrl>https://mail.contoso.com/mapi/emsmdb/?MailboxId=a@contoso.com</InternalUrl>
            <ExternalUrl>https://mail.contoso.com/mapi/emsmdb/?MailboxId=a@contoso.com</ExternalUrl></MailStore>
            <AddressBook><InternalUrl>https://mail.contoso.com/mapi/nspi/?MailboxId=a@contoso.com</InternalUrl></AddressBook>
            </Protocol></Account></Response></Autodiscover>"#;
        let f = parse(xml).unwrap();
        assert_eq!(f.mail_store, "https://mail.contoso.com/mapi/emsmdb/?MailboxId=a@contoso.com");
        assert_eq!(f.address_book, "https://mail.contoso.com/mapi/nspi/?MailboxId=a@contoso.com");
        assert_eq!(parse("<Autodiscover/>"), None);
    }
}
