//! `oxmapi profile add-service PROFILE MSUPST|MSPST --path FILE`: a Personal Folders file as a
//! store of the profile. The file is opened first, so a profile never names a file that is
//! missing, damaged or of a format the service cannot open.

use std::path::Path;

use oxmapi_client::profile::ProfileStore;
use oxmapi_client::profile::mspst::PstKind;
use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_pst::pst::crypt::CryptMethod;
use oxmapi_pst::pst::write::PstWriter;
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
        create_file(kind, path, display_name)?;
    }
    let result = add_existing(store, profile, kind, path, display_name);
    if create && result.is_err() {
        // The profile refused the service: the file made for it goes again.
        let _ = std::fs::remove_file(path);
    }
    result
}

/// Makes a new, empty Unicode PST for `--create` (never over an existing file).
fn create_file(kind: PstKind, path: &Path, display_name: Option<&str>) -> Result<(), MapiError> {
    if kind != PstKind::Unicode {
        return Err(MapiError::new(
            codes::MAPI_E_NO_SUPPORT,
            "oxmapi writes Unicode PST files only: use the MSUPST service with --create",
        ));
    }
    if path.exists() {
        return Err(MapiError::new(
            codes::MAPI_E_COLLISION,
            format!("{} exists: drop --create to add it, or name a new file", path.display()),
        ));
    }
    let name = display_name.map(str::to_string).unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Personal Folders".into())
    });
    PstWriter::create(path, CryptMethod::Permute, &name).map_err(|e| {
        MapiError::new(codes::MAPI_E_DISK_ERROR, format!("cannot create {}: {e}", path.display()))
    })?;
    Ok(())
}

fn add_existing(
    store: &ProfileStore,
    profile: &str,
    kind: PstKind,
    path: &Path,
    display_name: Option<&str>,
) -> Result<Node, MapiError> {
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
