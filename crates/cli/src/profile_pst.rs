//! `oxmapi profile add-service PROFILE MSUPST|MSPST --path FILE`: a Personal Folders file as a
//! store of the profile. The file is opened first, so a profile never names a file that is
//! missing, damaged or of a format the service cannot open.

use std::path::Path;

use oxmapi_client::profile::ProfileStore;
use oxmapi_client::profile::mspst::PstKind;
use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_pst::pst::{Format, PstFile};
use oxmapi_wire::describe::Node;

/// Adds the service after checking the file.
pub fn add_service(
    store: &ProfileStore,
    profile: &str,
    service: &str,
    path: &Path,
    display_name: Option<&str>,
    create: bool,
) -> Result<Node, MapiError> {
    let kind = PstKind::from_service_name(service).ok_or_else(|| {
        MapiError::new(
            codes::MAPI_E_NOT_FOUND,
            format!("no message service {service:?}: oxmapi knows MSUPST (Unicode PST) and MSPST (ANSI PST)"),
        )
    })?;
    if create {
        return Err(MapiError::new(
            codes::MAPI_E_NO_SUPPORT,
            "--create needs PST writing, which oxmapi does not have yet; add an existing file",
        ));
    }
    let abs = std::fs::canonicalize(path)
        .map_err(|e| MapiError::new(codes::MAPI_E_NOT_FOUND, format!("{}: {e}", path.display())))?;
    let file = PstFile::open(&abs).map_err(|e| {
        MapiError::new(
            codes::MAPI_E_CORRUPT_DATA,
            format!("{} is not a readable PST file: {e}", abs.display()),
        )
    })?;
    let format = file.header().format;
    if kind == PstKind::Ansi && format != Format::Ansi {
        return Err(MapiError::new(
            codes::MAPI_E_VERSION,
            format!("{} is a Unicode PST: the ANSI service MSPST cannot open it; use MSUPST", abs.display()),
        ));
    }
    let text = abs.to_string_lossy().to_string();
    let p = store.update(profile, |p| {
        p.add_pst_service(kind, &text, display_name)?;
        Ok(p.clone())
    })?;
    let (name, _, uid) = p.pst_stores().into_iter().find(|(_, f, _)| *f == text).unwrap_or_default();
    Ok(Node::map([
        ("profile", Node::str(&p.name)),
        ("service", Node::str(p.service_by_uid(&uid).map(|s| s.name.clone()).unwrap_or_default())),
        ("display_name", Node::str(name)),
        ("path", Node::str(text)),
        ("format", Node::str(format.name())),
        ("service_uid", Node::str(uid.to_string())),
    ]))
}
