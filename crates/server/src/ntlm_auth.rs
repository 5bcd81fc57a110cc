//! NTLMv2 over HTTP (MS-NLMP 3.2.5, 3.4; the NTLM and Negotiate schemes carrying raw NTLMSSP):
//! NEGOTIATE → 401 with CHALLENGE → AUTHENTICATE on the same connection, which is then
//! authenticated for its remaining requests.

use std::sync::Mutex;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use oxmapi_store::User;
use oxmapi_wire::ntlm::{NtlmError, NtlmServer, TargetNames, message_type};
use rand::RngCore;

use crate::auth::{ConnAuth, find_user};
use crate::state::ServerState;

/// A handshake waiting for its AUTHENTICATE_MESSAGE.
pub(crate) struct Pending {
    server: NtlmServer,
    scheme: String,
    challenge: Vec<u8>,
}

impl Pending {
    /// The `WWW-Authenticate` value carrying the CHALLENGE_MESSAGE.
    pub(crate) fn header(&self) -> String {
        format!("{} {}", self.scheme, B64.encode(&self.challenge))
    }
}

fn target() -> TargetNames {
    TargetNames {
        nb_computer_name: "OXMAPI".into(),
        nb_domain_name: "OXMAPI".into(),
        dns_computer_name: "localhost".into(),
        dns_domain_name: String::new(),
        dns_tree_name: String::new(),
    }
}

/// Why a handshake was refused: `detail` for the log, `told` for the client (which never says
/// whether the user exists).
pub(crate) struct Refusal {
    /// The full reason (logged).
    pub(crate) detail: String,
    /// What the 401 body says.
    pub(crate) told: String,
}

/// What the client is told about an NTLM failure. NTLMv1 and LM responses are refused by
/// design (MS-NLMP 3.3.1: their keys are derived without the server's TargetInfo and are
/// weak); the answer says so, so that an administrator knows to enable NTLMv2 on the client
/// (LmCompatibilityLevel 3 or above on Windows).
fn refusal(e: NtlmError) -> Refusal {
    let told = match &e {
        NtlmError::Unsupported(what) if what.contains("NTLMv1") || what.contains("LM-only") => {
            format!("NTLMv1 and LM authentication are refused by design; use NTLMv2 (got: {what})")
        }
        NtlmError::Unsupported(what) => format!("unsupported NTLM variant: {what}; use NTLMv2"),
        NtlmError::UnknownUser | NtlmError::BadCredentials => {
            "NTLM logon failed: bad user name or password".into()
        }
        other => other.to_string(),
    };
    Refusal { detail: e.to_string(), told }
}

fn refused(why: &str) -> Refusal {
    Refusal { detail: why.to_string(), told: why.to_string() }
}

/// One NTLM leg: a NEGOTIATE yields `Ok(None)` (the challenge is left in the connection state),
/// an AUTHENTICATE yields the user.
pub(crate) fn step(
    state: &ServerState,
    conn: &Mutex<ConnAuth>,
    scheme: &str,
    token: &[u8],
) -> Result<Option<User>, Refusal> {
    match message_type(token) {
        Some(1) => {
            let mut server = NtlmServer::new();
            let mut sc = [0u8; 8];
            rand::thread_rng().fill_bytes(&mut sc);
            let now = oxmapi_core::time::FileTime::now().0;
            let challenge = server.challenge(token, sc, now, &target()).map_err(refusal)?;
            let mut c = conn.lock().unwrap_or_else(|e| e.into_inner());
            c.ntlm = Some(Pending { server, scheme: scheme.to_string(), challenge });
            c.identity = None;
            Ok(None)
        }
        Some(3) => {
            let pending = conn
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .ntlm
                .take()
                .ok_or_else(|| refused("AUTHENTICATE_MESSAGE without a CHALLENGE on this connection"))?;
            let mut found: Option<(User, [u8; 16])> = None;
            // Read before the check: a change landing during it makes the next request check
            // the connection again (`auth::ConnAuth::verified`).
            let generation = crate::authz::generation(state).unwrap_or(0);
            pending
                .server
                .authenticate(token, |user, _domain| {
                    let u = find_user(state, user)?;
                    let hash = state.directory().ok()?.nt_hash(&u.name).ok().flatten()?;
                    found = Some((u, hash));
                    Some(hash)
                })
                .map_err(refusal)?;
            let (user, nt_hash) = found.ok_or_else(|| refusal(NtlmError::UnknownUser))?;
            let mut c = conn.lock().unwrap_or_else(|e| e.into_inner());
            c.identity = Some(user.name.clone());
            c.verified = Some(crate::auth::Verified { generation, nt_hash });
            Ok(Some(user))
        }
        _ => Err(refused(
            "not a raw NTLMSSP NEGOTIATE or AUTHENTICATE message (SPNEGO/Kerberos is not supported)",
        )),
    }
}
