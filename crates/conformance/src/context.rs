//! The state a run shares between cases ([`Ctx`]): the server, the accounts and their
//! address-book identities, one logged-on EMSMDB session, one bound NSPI session, and the
//! suite's own folder (`oxmapi-conformance-<random>` under the Inbox), created on first use and
//! removed at the end. Handles and extra sessions a case opens are released when it ends, so
//! cases stay independent.

use std::sync::Arc;

use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::mapihttp::nspi::{
    BindRequest, BindSuccess, ResolveNamesRequest, ResolveNamesSuccess, Stat, UnbindRequest,
};
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcstor::{LogonPrivate, LogonResponse};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use tokio::runtime::Runtime;

use crate::case::{CaseResult, Verdict, code, fail};
use crate::http::{Credentials, DriverResult, Http, Target, derr};
use crate::rops;
use crate::session::{Context, Emsmdb, Exec, Nspi};

/// PidTagEmailAddress (PtypString): the legacy DN of an address-book entry.
pub const PR_EMAIL_ADDRESS_W: PropTag = PropTag(0x3003_001F);
/// PidTagDisplayName (PtypString).
pub const PR_DISPLAY_NAME_W: PropTag = PropTag(0x3001_001F);
/// PidTagSmtpAddress (PtypString).
pub const PR_SMTP_ADDRESS_W: PropTag = PropTag(0x39FE_001F);

/// Index of the Inbox in the RopLogon `FolderIds` (MS-OXCSTOR 2.2.1.1.3).
pub const FOLDER_INBOX: usize = 4;
/// Index of the IPM subtree in the RopLogon `FolderIds`.
pub const FOLDER_IPM_SUBTREE: usize = 3;
/// Prefix of the folder the suite works in.
pub const SCRATCH_PREFIX: &str = "oxmapi-conformance-";

/// How the suite is run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The server root (`http://host:port`) or an EMSMDB endpoint URL (`…/mapi/emsmdb/?MailboxId=…`).
    pub url: String,
    /// The first account.
    pub user: Credentials,
    /// The second account, for cross-mailbox cases.
    pub user2: Option<Credentials>,
    /// Protocols to run (all when empty).
    pub protocols: Vec<crate::case::Protocol>,
    /// Also run the cases that may change the mailbox outside the suite's folder.
    pub destructive: bool,
}

/// The MAPI/HTTP endpoint paths (MS-OXCMAPIHTTP 2.2.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// The mailbox endpoint, e.g. `/mapi/emsmdb/`.
    pub emsmdb: String,
    /// The address-book endpoint, e.g. `/mapi/nspi/`.
    pub nspi: String,
}

impl Endpoints {
    /// From the path of the URL given: `/mapi/emsmdb/?MailboxId=X` gives that and
    /// `/mapi/nspi/?MailboxId=X` (as Exchange publishes them); anything else the defaults.
    pub fn from_path(path: &str) -> Endpoints {
        let lower = path.to_ascii_lowercase();
        if let Some(i) = lower.find("/mapi/emsmdb") {
            let query = path.find('?').map(|q| &path[q..]).unwrap_or("");
            let prefix = &path[..i];
            return Endpoints { emsmdb: path.to_string(), nspi: format!("{prefix}/mapi/nspi/{query}") };
        }
        let prefix = path.trim_end_matches('/');
        Endpoints { emsmdb: format!("{prefix}/mapi/emsmdb/"), nspi: format!("{prefix}/mapi/nspi/") }
    }
}

/// An account as the address book knows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// The legacy DN (PidTagEmailAddress), which Connect and RopLogon take.
    pub dn: String,
    /// PidTagDisplayName.
    pub display_name: String,
    /// PidTagSmtpAddress, when the server has one.
    pub smtp: Option<String>,
}

/// The main session: connected and logged on to the first user's mailbox.
pub struct Main {
    /// The EMSMDB context.
    pub ems: Emsmdb,
    /// The logon's server object handle.
    pub logon: u32,
    /// The RopLogon response.
    pub info: LogonPrivate,
}

/// What a case body works with.
pub struct Ctx {
    /// The run's settings.
    pub cfg: Config,
    rt: Arc<Runtime>,
    target: Target,
    /// Endpoint paths.
    pub endpoints: Endpoints,
    /// The first account's identity (set by [`Ctx::prepare`]).
    pub me: Identity,
    /// The second account's identity, when `--user2` was given and resolves.
    pub me2: Option<Identity>,
    main: Option<Main>,
    nspi: Option<Nspi>,
    scratch: Option<ObjectId>,
    scratch_name: String,
    case_handles: Vec<u32>,
}

impl Ctx {
    /// A context for `cfg` (nothing is sent yet).
    pub fn new(cfg: Config) -> DriverResult<Ctx> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(derr)?;
        let (target, path) = Target::parse(&cfg.url)?;
        let suffix: u32 = rand::random();
        Ok(Ctx {
            endpoints: Endpoints::from_path(&path),
            cfg,
            rt: Arc::new(rt),
            target,
            me: Identity::default(),
            me2: None,
            main: None,
            nspi: None,
            scratch: None,
            scratch_name: format!("{SCRATCH_PREFIX}{suffix:08x}"),
            case_handles: Vec::new(),
        })
    }

    /// Resolves the accounts in the address book and logs on; an error here means no case can
    /// run (wrong URL, password or user).
    pub fn prepare(&mut self) -> Result<(), String> {
        self.autodiscover();
        let user = self.cfg.user.clone();
        self.me = self.resolve_identity(&user).map_err(|e| format!("{}: {e}", user.user))?;
        if let Some(u2) = self.cfg.user2.clone() {
            self.me2 = Some(self.resolve_identity(&u2).map_err(|e| format!("{}: {e}", u2.user))?);
        }
        self.main().map_err(|v| match v {
            Verdict::Fail { observed, .. } | Verdict::Skip(observed) => format!("logon failed: {observed}"),
        })?;
        Ok(())
    }

    /// With only a server root and an e-mail address as the user, asks Autodiscover for the
    /// endpoints (see [`crate::autodiscover`]).
    fn autodiscover(&mut self) {
        let (_, path) = Target::parse(&self.cfg.url).unwrap_or((self.target.clone(), "/".into()));
        if path.trim_end_matches('/').is_empty() && self.cfg.user.user.contains('@') {
            let mut http = self.http();
            let email = self.cfg.user.user.clone();
            if let Some(found) = crate::autodiscover::discover(&mut http, &email) {
                if let (Some((t, ems)), Some((_, nspi))) = (
                    crate::autodiscover::split(&found.mail_store),
                    crate::autodiscover::split(&found.address_book),
                ) {
                    self.target = t;
                    self.endpoints = Endpoints { emsmdb: ems, nspi };
                }
            }
        }
    }

    /// Binds an NSPI context as `creds` and resolves their own name to the legacy DN.
    fn resolve_identity(&self, creds: &Credentials) -> DriverResult<Identity> {
        let mut n = self.nspi_as(creds.clone());
        n.ok::<BindSuccess>(
            "Bind",
            &BindRequest { flags: 0, state: Some(stat()), auxiliary_buffer: vec![] }.encode(),
        )?;
        let name = creds.user.rsplit('\\').next().unwrap_or(&creds.user).to_string();
        let req = ResolveNamesRequest {
            reserved: 0,
            state: Some(stat()),
            property_tags: Some(vec![PR_EMAIL_ADDRESS_W, PR_DISPLAY_NAME_W, PR_SMTP_ADDRESS_W]),
            names: Some(vec![name.clone()]),
            auxiliary_buffer: vec![],
        };
        let res = n.ok::<ResolveNamesSuccess>("ResolveNames", &req.encode());
        let _ = n.ok::<oxmapi_wire::mapihttp::nspi::UnbindSuccess>(
            "Unbind",
            &UnbindRequest { reserved: 0, auxiliary_buffer: vec![] }.encode(),
        );
        let res = res?;
        let row = res
            .rows_and_columns
            .and_then(|c| c.row_data.into_iter().next())
            .ok_or_else(|| derr(format!("the address book does not resolve {name:?}")))?;
        let text = |i: usize| match row.values.get(i) {
            Some(RowValue::Value(PropValue::Unicode(s))) => Some(s.clone()),
            Some(RowValue::Value(PropValue::String8(b))) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        };
        let dn = text(0).ok_or_else(|| derr(format!("{name:?} resolved without PidTagEmailAddress")))?;
        Ok(Identity { dn, display_name: text(1).unwrap_or_default(), smtp: text(2) })
    }

    /// The runtime exchanges run on.
    pub fn runtime(&self) -> Arc<Runtime> {
        self.rt.clone()
    }

    /// The server.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// A fresh HTTP connection authenticated as the first user.
    pub fn http(&self) -> Http {
        Http::new(self.rt.clone(), self.target.clone(), self.cfg.user.clone())
    }

    /// A fresh HTTP connection without credentials.
    pub fn anonymous_http(&self) -> Http {
        Http::anonymous(self.rt.clone(), self.target.clone())
    }

    /// A new, not yet connected EMSMDB context as the first user.
    pub fn emsmdb(&self) -> Emsmdb {
        Emsmdb::new(Context::new(self.http(), self.endpoints.emsmdb.clone()))
    }

    /// A new, not yet connected EMSMDB context as `creds`.
    pub fn emsmdb_as(&self, creds: Credentials) -> Emsmdb {
        let http = Http::new(self.rt.clone(), self.target.clone(), creds);
        Emsmdb::new(Context::new(http, self.endpoints.emsmdb.clone()))
    }

    /// A new, not yet bound NSPI context as the first user.
    pub fn nspi_context(&self) -> Nspi {
        self.nspi_as(self.cfg.user.clone())
    }

    fn nspi_as(&self, creds: Credentials) -> Nspi {
        let http = Http::new(self.rt.clone(), self.target.clone(), creds);
        Nspi::new(Context::new(http, self.endpoints.nspi.clone()))
    }

    /// A new EMSMDB context as the first user, connected with `ErrorCode` 0; the caller should
    /// [`Emsmdb::disconnect`] it.
    pub fn connected(&self) -> Result<Emsmdb, Verdict> {
        let mut e = self.emsmdb();
        let dn = self.me.dn.clone();
        connect_ok(&mut e, &dn)?;
        Ok(e)
    }

    /// A new EMSMDB context, connected and logged on to the first user's mailbox: the session,
    /// the logon handle and the RopLogon response.
    pub fn logged_on(&self) -> Result<Main, Verdict> {
        let mut ems = self.connected()?;
        let exec = ems.execute(&[rops::logon_private(0, &self.me.dn)], vec![UNUSED_HANDLE])?;
        let resp = exec.responses.first().ok_or_else(|| fail("a RopLogon response", "none"))?;
        let RopResponse::Logon(o) = resp else {
            return Err(fail("a RopLogon response", format!("{resp:?}")));
        };
        match &o.body {
            Some(LogonResponse::Private(p)) if o.return_value == 0 => {
                Ok(Main { ems, logon: exec.handles[0], info: p.clone() })
            }
            _ => Err(fail("RopLogon ReturnValue 0", code(o.return_value))),
        }
    }

    /// The shared logged-on session (made on first use, remade when it broke).
    pub fn main(&mut self) -> Result<&mut Main, Verdict> {
        if self.main.is_none() {
            self.main = Some(self.logged_on()?);
        }
        Ok(self.main.as_mut().expect("just set"))
    }

    /// The shared session's logon handle.
    pub fn logon_handle(&mut self) -> Result<u32, Verdict> {
        Ok(self.main()?.logon)
    }

    /// The shared session's RopLogon response.
    pub fn logon_info(&mut self) -> Result<LogonPrivate, Verdict> {
        Ok(self.main()?.info.clone())
    }

    /// Folder `i` of the RopLogon `FolderIds` (MS-OXCSTOR 2.2.1.1.3).
    pub fn special_folder(&mut self, i: usize) -> Result<ObjectId, Verdict> {
        Ok(self.main()?.info.folder_ids[i])
    }

    /// The shared bound NSPI session.
    pub fn nspi(&mut self) -> Result<&mut Nspi, Verdict> {
        if self.nspi.is_none() {
            let mut n = self.nspi_context();
            n.ok::<BindSuccess>(
                "Bind",
                &BindRequest { flags: 0, state: Some(stat()), auxiliary_buffer: vec![] }.encode(),
            )?;
            self.nspi = Some(n);
        }
        Ok(self.nspi.as_mut().expect("just set"))
    }

    /// Sends `requests` on the shared session with handle table `handles`. Handles the
    /// responses create are released at the end of the case.
    pub fn rops(&mut self, requests: &[RopRequest], handles: Vec<u32>) -> Result<Exec, Verdict> {
        let before = handles.clone();
        let main = self.main()?;
        let exec = match main.ems.execute(requests, handles) {
            Ok(e) => e,
            Err(e) => {
                // The session may be gone; the next case starts a new one.
                self.main = None;
                return Err(e.into());
            }
        };
        if exec.error_code != 0 {
            return Err(fail("Execute ErrorCode 0", code(exec.error_code)));
        }
        let logon = self.main.as_ref().map(|m| m.logon).unwrap_or(UNUSED_HANDLE);
        for (i, h) in exec.handles.iter().enumerate() {
            if *h != UNUSED_HANDLE
                && *h != logon
                && before.get(i) != Some(h)
                && !self.case_handles.contains(h)
            {
                self.case_handles.push(*h);
            }
        }
        Ok(exec)
    }

    /// Sends one request whose input objects are `inputs` (slots 0…), with one more empty slot
    /// for an output handle; returns the response and the handle in that slot.
    pub fn rop(&mut self, inputs: &[u32], request: RopRequest) -> Result<One, Verdict> {
        let mut handles = inputs.to_vec();
        handles.push(UNUSED_HANDLE);
        let exec = self.rops(std::slice::from_ref(&request), handles)?;
        let Some(resp) = exec.responses.first().cloned() else {
            return Err(fail(
                format!("a {} response", request.rop_id().name()),
                exec.decode_error.clone().unwrap_or_else(|| "no response".into()),
            ));
        };
        let out = exec.handles.get(inputs.len()).copied().filter(|h| *h != UNUSED_HANDLE);
        Ok(One { resp, out, exec })
    }

    /// One request on the logon object.
    pub fn on_logon(&mut self, request: RopRequest) -> Result<One, Verdict> {
        let logon = self.logon_handle()?;
        self.rop(&[logon], request)
    }

    /// Opens folder `fid`; the handle is released when the case ends.
    pub fn open_folder(&mut self, fid: ObjectId) -> Result<u32, Verdict> {
        let one = self.on_logon(rops::open_folder(0, 1, fid))?;
        crate::case::expect_rv("RopOpenFolder", &one.resp, 0)?;
        one.out.ok_or_else(|| fail("an output handle from RopOpenFolder", "none"))
    }

    /// The suite's own folder under the Inbox, created on first use.
    pub fn scratch(&mut self) -> Result<ObjectId, Verdict> {
        if let Some(f) = self.scratch {
            return Ok(f);
        }
        let inbox = self.special_folder(FOLDER_INBOX)?;
        let h = self.open_folder(inbox)?;
        let name = self.scratch_name.clone();
        let one = self.rop(&[h], rops::create_folder(0, 1, &name, false))?;
        let body = crate::body!(one.resp, CreateFolder)?;
        self.scratch = Some(body.folder_id);
        Ok(body.folder_id)
    }

    /// A new folder named `name` inside the suite's folder; returns its FID and open handle.
    pub fn new_folder(&mut self, name: &str) -> Result<(ObjectId, u32), Verdict> {
        let scratch = self.scratch()?;
        let h = self.open_folder(scratch)?;
        let one = self.rop(&[h], rops::create_folder(0, 1, name, false))?;
        let body = crate::body!(one.resp, CreateFolder)?;
        let out = one.out.ok_or_else(|| fail("an output handle from RopCreateFolder", "none"))?;
        Ok((body.folder_id, out))
    }

    /// Releases what the case left open (called by the runner).
    pub fn end_case(&mut self) {
        let handles = std::mem::take(&mut self.case_handles);
        if handles.is_empty() {
            return;
        }
        let Some(main) = self.main.as_mut() else { return };
        for chunk in handles.chunks(200) {
            let reqs: Vec<RopRequest> = (0..chunk.len()).map(|i| rops::release(i as u8)).collect();
            if main.ems.execute(&reqs, chunk.to_vec()).is_err() {
                self.main = None;
                return;
            }
        }
    }

    /// Removes the suite's folder (hard delete with its contents) and closes the sessions.
    pub fn finish(&mut self) -> Result<(), String> {
        self.end_case();
        let mut result = Ok(());
        if let Some(fid) = self.scratch.take() {
            result = self.remove_scratch(fid).map_err(|v| match v {
                Verdict::Fail { expected, observed } => {
                    format!(
                        "could not remove {}: expected {expected}, observed {observed}",
                        self.scratch_name
                    )
                }
                Verdict::Skip(r) => r,
            });
        }
        if let Some(mut m) = self.main.take() {
            let _ = m.ems.disconnect();
        }
        if let Some(mut n) = self.nspi.take() {
            let _ = n.ctx.post("Unbind", &UnbindRequest { reserved: 0, auxiliary_buffer: vec![] }.encode());
        }
        result
    }

    fn remove_scratch(&mut self, fid: ObjectId) -> CaseResult {
        use rops::delete_folder_flags::*;
        // A fresh session: the shared one may be in any state after the last case.
        if let Some(mut m) = self.main.take() {
            let _ = m.ems.disconnect();
        }
        let inbox = self.special_folder(FOLDER_INBOX)?;
        let h = self.open_folder(inbox)?;
        let one =
            self.rop(&[h], rops::delete_folder(0, fid, DEL_MESSAGES | DEL_FOLDERS | DELETE_HARD_DELETE))?;
        crate::case::expect_rv("RopDeleteFolder of the suite's folder", &one.resp, 0)?;
        let body = crate::body!(one.resp, DeleteFolder)?;
        crate::case::eq("PartialCompletion", 0, body.partial_completion)?;
        self.end_case();
        Ok(())
    }
}

/// The answer to one ROP sent with [`Ctx::rop`].
#[derive(Clone, Debug)]
pub struct One {
    /// The response.
    pub resp: RopResponse,
    /// The handle in the output slot, when the server filled it.
    pub out: Option<u32>,
    /// The whole Execute answer.
    pub exec: Exec,
}

/// Connects `e` as the user with legacy DN `dn`; anything but `ErrorCode` 0 fails.
pub fn connect_ok(e: &mut Emsmdb, dn: &str) -> CaseResult {
    let (reply, resp) = e.connect(dn, 0)?;
    match resp {
        Some(oxmapi_wire::mapihttp::common::Response::Success(s)) if s.error_code == 0 => Ok(()),
        Some(oxmapi_wire::mapihttp::common::Response::Success(s)) => {
            Err(fail("Connect ErrorCode 0", code(s.error_code)))
        }
        Some(oxmapi_wire::mapihttp::common::Response::Failure(f)) => {
            Err(fail("Connect success body", format!("failure body StatusCode {}", code(f.status_code))))
        }
        None => Err(fail("Connect X-ResponseCode 0", reply.summary())),
    }
}

/// The STAT the suite binds and resolves with (MS-OXNSPI 2.2.8): GAL, beginning of table,
/// code page 1252, en-US.
pub fn stat() -> Stat {
    Stat {
        sort_type: oxmapi_wire::mapihttp::nspi::SORT_TYPE_DISPLAY_NAME,
        container_id: 0,
        current_rec: oxmapi_wire::mapihttp::nspi::MID_BEGINNING_OF_TABLE,
        delta: 0,
        num_pos: 0,
        total_recs: 0,
        code_page: 1252,
        template_locale: oxmapi_wire::mapihttp::nspi::NSPI_DEFAULT_LOCALE,
        sort_locale: oxmapi_wire::mapihttp::nspi::NSPI_DEFAULT_LOCALE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_from_the_url_path() {
        assert_eq!(
            Endpoints::from_path("/"),
            Endpoints { emsmdb: "/mapi/emsmdb/".into(), nspi: "/mapi/nspi/".into() }
        );
        // MS-OXCMAPIHTTP 2.2.1: Exchange publishes both endpoints with the same MailboxId query.
        assert_eq!(
            Endpoints::from_path("/mapi/emsmdb/?MailboxId=g@example.com"),
            Endpoints {
                emsmdb: "/mapi/emsmdb/?MailboxId=g@example.com".into(),
                nspi: "/mapi/nspi/?MailboxId=g@example.com".into()
            }
        );
    }
}
