//! MS-OXNSPI: the address book name service provider interface, as carried by MAPI/HTTP
//! (MS-OXCMAPIHTTP 2.2.5). Ported from Microsoft's MS-OXNSPI suite
//! (ExchangeMAPI/Source/MS-OXNSPI/TestSuite: S01_ObtainGeneralInfo …).

use oxmapi_wire::mapihttp::common::Response;
use oxmapi_wire::mapihttp::nspi::{BindRequest, BindSuccess, UnbindRequest, UnbindSuccess};

use crate::case::{Case, CaseResult, Protocol, Verdict, code, ensure, eq, fail};
use crate::context::{Ctx, stat};
use crate::session::Nspi;

const P: Protocol = Protocol::OxNspi;

/// The cases of this module.
pub const CASES: &[Case] = &[
    Case {
        name: "oxnspi_bind_success",
        protocol: P,
        section: "MS-OXNSPI 3.1.4.1.1",
        requirements: &["MS-OXNSPI_R700", "MS-OXNSPI_R697", "MS-OXNSPI_R674"],
        needs: &[],
        run: bind_success,
    },
    Case {
        name: "oxnspi_bind_ignores_flags_other_than_anonymous",
        protocol: P,
        section: "MS-OXNSPI 3.1.4.1.1",
        requirements: &["MS-OXNSPI_R1668"],
        needs: &[],
        run: bind_flags_ignored,
    },
    Case {
        name: "oxnspi_unbind_success",
        protocol: P,
        section: "MS-OXNSPI 3.1.4.1.2",
        requirements: &["MS-OXNSPI_R712", "MS-OXNSPI_R701"],
        needs: &[],
        run: unbind_success,
    },
    Case {
        name: "oxnspi_unbind_ignores_reserved",
        protocol: P,
        section: "MS-OXNSPI 3.1.4.1.2",
        requirements: &["MS-OXNSPI_R1673"],
        needs: &[],
        run: unbind_reserved_ignored,
    },
];

/// Binds `n` with `flags`; returns the Bind `ErrorCode` and the server GUID.
pub fn bind(n: &mut Nspi, flags: u32) -> Result<BindSuccess, Verdict> {
    let req = BindRequest { flags, state: Some(stat()), auxiliary_buffer: vec![] };
    let (reply, resp) = n.call::<BindSuccess>("Bind", &req.encode())?;
    match resp {
        Some(Response::Success(s)) => Ok(s),
        Some(Response::Failure(f)) => {
            Err(fail("a Bind success body", format!("StatusCode {}", code(f.status_code))))
        }
        None => Err(fail("Bind X-ResponseCode 0", reply.summary())),
    }
}

/// Unbinds `n` with `reserved`; returns the Unbind `ErrorCode`.
pub fn unbind(n: &mut Nspi, reserved: u32) -> Result<u32, Verdict> {
    let req = UnbindRequest { reserved, auxiliary_buffer: vec![] };
    let (reply, resp) = n.call::<UnbindSuccess>("Unbind", &req.encode())?;
    match resp {
        Some(Response::Success(s)) => Ok(s.error_code),
        Some(Response::Failure(f)) => {
            Err(fail("an Unbind success body", format!("StatusCode {}", code(f.status_code))))
        }
        None => Err(fail("Unbind X-ResponseCode 0", reply.summary())),
    }
}

fn bind_success(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    let b = bind(&mut n, 0)?;
    let _ = unbind(&mut n, 0);
    eq("Bind ErrorCode", 0, b.error_code)?;
    ensure(!b.server_guid.is_null(), "a ServerGuid associated with the server", "the null GUID")
}

fn bind_flags_ignored(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    let first = bind(&mut n, 0)?.error_code;
    let _ = unbind(&mut n, 0);
    let mut n = ctx.nspi_context();
    let second = bind(&mut n, 0x1)?.error_code;
    let _ = unbind(&mut n, 0);
    eq("Bind ErrorCode with dwFlags 0x1 (as with 0)", first, second)
}

fn unbind_success(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    bind(&mut n, 0)?;
    // MS-OXNSPI 2.2.2: UnbindSuccess is 1.
    eq("Unbind ErrorCode (UnbindSuccess)", 1, unbind(&mut n, 0)?)
}

fn unbind_reserved_ignored(ctx: &mut Ctx) -> CaseResult {
    let mut n = ctx.nspi_context();
    bind(&mut n, 0)?;
    let first = unbind(&mut n, 0)?;
    let mut n = ctx.nspi_context();
    bind(&mut n, 0)?;
    let second = unbind(&mut n, 5)?;
    eq("Unbind ErrorCode with Reserved 5 (as with 0)", first, second)
}
