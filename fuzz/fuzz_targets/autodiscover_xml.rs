//! Autodiscover (MS-OXDSCLI): the client's reading of a POX response body (2.2.4, with the
//! redirect and error forms), and the server's reading of the `X-MapiHttpCapability` header
//! (2.2.2.1) it answers with.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(found) = oxmapi_client::transport::parse_autodiscover_response(&text, "alice@example.test") {
        // Whatever was found is a URL the client may connect to: it must be text it can name.
        let _ = format!("{found:?}");
    }
    if let Some(v) = oxmapi_server::autodiscover::offered_mapi_http_version(Some(&text)) {
        assert!(v > 0, "MS-OXDSCLI 2.2.4.1.1.2.6: the Version is greater than 0");
    }
});
