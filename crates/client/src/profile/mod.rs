//! The client's profile subsystem: the profile store (IProfAdmin), message services and their
//! providers (IMsgServiceAdmin, with the MSEMS entry of mapisvc.inf as a template), profile
//! sections (IProfSect) including the global profile section, and the text forms used by
//! `oxmapi profile`.
//!
//! Profiles live in one file, `profiles.json`, in the client home (`$OXMAPI_HOME`, else
//! `$XDG_CONFIG_HOME/oxmapi`, else `~/.config/oxmapi`; DESIGN.md §3). Every change is a
//! read-modify-write under an exclusive lock on `profiles.json.lock` (flock, which also orders
//! threads of one process because each change opens its own descriptor), written to a temporary
//! file in the same directory, fsynced and renamed over the old file, so a reader sees the old or
//! the new file and never a torn one, and concurrent writers never lose each other's updates.
//! Reads take no lock. Profile changes take effect at the next logon: a session keeps the
//! [`Profile`] it read (DESIGN.md §2.1). Passwords are written only if a caller sets
//! PR_PROFILE_AUTH_PASSWORD explicitly.

pub mod consts;
mod endpoints;
pub mod format;
mod model;
pub mod msems;
pub mod mspst;
pub mod parse;
mod section;
pub mod section_view;

#[cfg(test)]
mod tests;

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;

pub use consts::{
    DEFAULT_CLIENT_VERSION, GLOBAL_SECTION_UID, PR_OXMAPI_CLIENT_VERSION, PR_OXMAPI_TLS_CA_FILE,
    PR_OXMAPI_TLS_PIN_SHA256,
};
pub use format::ProfileFile;
pub use model::{MessageService, Profile, Provider, ProviderKind, ProviderRow, SectionOwner, ServiceRow};
pub use parse::{apply_bits, parse_mask, parse_tag, parse_value, tag_name, widen_string_tag};
pub use section::ProfileSection;

/// Result of the profile functions: failures carry a MAPI error code.
pub type MapiResult<T> = Result<T, MapiError>;

/// Longest profile name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 256;

/// One row of the profile table (IProfAdmin::GetProfileTable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSummary {
    /// PR_DISPLAY_NAME of the row: the profile name.
    pub name: String,
    /// PR_DEFAULT_PROFILE.
    pub is_default: bool,
    /// The PR_SERVICE_NAME of each message service.
    pub services: Vec<String>,
}

/// The profile store of one client home (IProfAdmin).
#[derive(Clone, Debug)]
pub struct ProfileStore {
    home: PathBuf,
}

impl ProfileStore {
    /// The store in the default client home: `$OXMAPI_HOME`, else `$XDG_CONFIG_HOME/oxmapi`,
    /// else `~/.config/oxmapi`. The directory is created on the first write.
    pub fn open_default() -> MapiResult<ProfileStore> {
        let v = |k: &str| std::env::var_os(k);
        ProfileStore::open(&resolve_home(v("OXMAPI_HOME"), v("XDG_CONFIG_HOME"), v("HOME"))?)
    }

    /// The store in `home` (created on the first write).
    pub fn open(home: &Path) -> MapiResult<ProfileStore> {
        if home.exists() && !home.is_dir() {
            return Err(MapiError::new(
                codes::MAPI_E_INVALID_PARAMETER,
                format!("client home {} exists and is not a directory", home.display()),
            ));
        }
        Ok(ProfileStore { home: home.to_path_buf() })
    }

    /// The client home directory.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The profile file (`profiles.json` in the home).
    pub fn file_path(&self) -> PathBuf {
        self.home.join(format::FILE_NAME)
    }

    /// Reads the profile file; a missing file is an empty store.
    pub fn load(&self) -> MapiResult<ProfileFile> {
        let path = self.file_path();
        let f = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ProfileFile::default()),
            Err(e) => return Err(io_error(e, "read", &path)),
        };
        let len = f.metadata().map_err(|e| io_error(e, "read", &path))?.len();
        if len > format::MAX_FILE_SIZE {
            return Err(MapiError::new(
                codes::MAPI_E_CORRUPT_DATA,
                format!(
                    "profile file {} is damaged: {len} bytes is too large for a profile file",
                    path.display()
                ),
            ));
        }
        let mut bytes = Vec::with_capacity(len as usize);
        f.take(format::MAX_FILE_SIZE + 1).read_to_end(&mut bytes).map_err(|e| io_error(e, "read", &path))?;
        format::decode(&bytes, &path)
    }

    /// The profile table (IProfAdmin::GetProfileTable), ordered by name.
    pub fn list(&self) -> MapiResult<Vec<ProfileSummary>> {
        let file = self.load()?;
        Ok(file
            .profiles
            .iter()
            .map(|p| ProfileSummary {
                name: p.name.clone(),
                is_default: file.default.as_deref() == Some(p.name.as_str()),
                services: p.services.iter().map(|s| s.name.clone()).collect(),
            })
            .collect())
    }

    /// The default profile's name, if one is set.
    pub fn default_profile(&self) -> MapiResult<Option<String>> {
        Ok(self.load()?.default)
    }

    /// The profile `name` (names compare case-insensitively).
    pub fn get(&self, name: &str) -> MapiResult<Profile> {
        let mut file = self.load()?;
        let i = find_index(&file.profiles, name).ok_or_else(|| self.not_found(name))?;
        Ok(file.profiles.swap_remove(i))
    }

    /// IProfAdmin::CreateProfile: a new empty profile (no services; the global section holds
    /// PR_PROFILE_NAME). The first profile of the store becomes the default. An existing name is
    /// MAPI_E_COLLISION.
    pub fn create(&self, name: &str) -> MapiResult<Profile> {
        self.create_with(name, |_| Ok(()))
    }

    /// Creates a profile and lets `f` add services and settings before it is written, so other
    /// processes never see it half made (CreateProfile + AdminServices in one step).
    pub fn create_with(
        &self,
        name: &str,
        f: impl FnOnce(&mut Profile) -> MapiResult<()>,
    ) -> MapiResult<Profile> {
        check_name(name)?;
        self.modify(|file| {
            if let Some(i) = find_index(&file.profiles, name) {
                return Err(MapiError::new(
                    codes::MAPI_E_COLLISION,
                    format!("a profile named {:?} already exists", file.profiles[i].name),
                ));
            }
            let mut p = Profile::new(name);
            f(&mut p)?;
            p.name = name.to_string();
            if file.default.is_none() {
                file.default = Some(name.to_string());
            }
            file.profiles.push(p.clone());
            Ok(p)
        })
    }

    /// IProfAdmin::DeleteProfile. Deleting the default profile leaves no default.
    pub fn delete(&self, name: &str) -> MapiResult<()> {
        self.modify(|file| {
            let i = find_index(&file.profiles, name).ok_or_else(|| self.not_found(name))?;
            let p = file.profiles.remove(i);
            if file.default.as_deref() == Some(p.name.as_str()) {
                file.default = None;
            }
            Ok(())
        })
    }

    /// IProfAdmin::CopyProfile: `dst` gets `src`'s services, providers and sections (with the
    /// same UIDs) and its own PR_PROFILE_NAME; it does not become the default.
    pub fn copy(&self, src: &str, dst: &str) -> MapiResult<()> {
        check_name(dst)?;
        self.modify(|file| {
            let i = find_index(&file.profiles, src).ok_or_else(|| self.not_found(src))?;
            if let Some(j) = find_index(&file.profiles, dst) {
                return Err(MapiError::new(
                    codes::MAPI_E_COLLISION,
                    format!("a profile named {:?} already exists", file.profiles[j].name),
                ));
            }
            let mut p = file.profiles[i].clone();
            rename_profile(&mut p, dst);
            file.profiles.push(p);
            Ok(())
        })
    }

    /// IProfAdmin::RenameProfile. The default follows the profile. Changing only the case of
    /// the name is allowed.
    pub fn rename(&self, old: &str, new: &str) -> MapiResult<()> {
        check_name(new)?;
        self.modify(|file| {
            let i = find_index(&file.profiles, old).ok_or_else(|| self.not_found(old))?;
            if let Some(j) = find_index(&file.profiles, new).filter(|j| *j != i) {
                return Err(MapiError::new(
                    codes::MAPI_E_COLLISION,
                    format!("a profile named {:?} already exists", file.profiles[j].name),
                ));
            }
            let was_default = file.default.as_deref() == Some(file.profiles[i].name.as_str());
            rename_profile(&mut file.profiles[i], new);
            if was_default {
                file.default = Some(new.to_string());
            }
            Ok(())
        })
    }

    /// IProfAdmin::SetDefaultProfile.
    pub fn set_default(&self, name: &str) -> MapiResult<()> {
        self.modify(|file| {
            let i = find_index(&file.profiles, name).ok_or_else(|| self.not_found(name))?;
            file.default = Some(file.profiles[i].name.clone());
            Ok(())
        })
    }

    /// Read-modify-write of one profile under the store's exclusive lock: `f` sees the current
    /// profile; when it returns `Ok` the file is replaced atomically, when it fails nothing is
    /// written. Safe against concurrent processes and threads (no lost updates). `f` must not
    /// call this store (the lock is not re-entrant). Renaming through `f` is not possible: use
    /// [`ProfileStore::rename`].
    pub fn update<R>(&self, name: &str, f: impl FnOnce(&mut Profile) -> MapiResult<R>) -> MapiResult<R> {
        self.modify(|file| {
            let i = find_index(&file.profiles, name).ok_or_else(|| self.not_found(name))?;
            let keep = file.profiles[i].name.clone();
            let r = f(&mut file.profiles[i])?;
            file.profiles[i].name = keep;
            Ok(r)
        })
    }

    fn not_found(&self, name: &str) -> MapiError {
        MapiError::new(
            codes::MAPI_E_NOT_FOUND,
            format!(
                "profile {name:?} not found in {} (`oxmapi profile list` shows the profiles, `oxmapi profile create \
                 {name} --server URL --user NAME` makes one)",
                self.file_path().display()
            ),
        )
    }

    /// Runs `f` on the file under the exclusive lock and writes the result atomically.
    fn modify<R>(&self, f: impl FnOnce(&mut ProfileFile) -> MapiResult<R>) -> MapiResult<R> {
        create_private_dir(&self.home).map_err(|e| io_error(e, "create", &self.home))?;
        let lock_path = self.home.join(format!("{}.lock", format::FILE_NAME));
        let lock = open_private(&lock_path, false).map_err(|e| io_error(e, "open", &lock_path))?;
        fs4::fs_std::FileExt::lock_exclusive(&lock).map_err(|e| io_error(e, "lock", &lock_path))?;
        let mut file = self.load()?;
        let r = f(&mut file)?;
        file.profiles.sort_by_key(|p| p.name.to_lowercase());
        let bytes = format::encode(&file)?;
        write_atomically(&self.home, &self.file_path(), &bytes)?;
        drop(lock);
        Ok(r)
    }
}

/// The client home from the environment's values: `OXMAPI_HOME`, else `XDG_CONFIG_HOME/oxmapi`
/// (only when absolute, as the XDG base directory spec requires), else `HOME/.config/oxmapi`.
pub fn resolve_home(
    oxmapi_home: Option<OsString>,
    xdg_config_home: Option<OsString>,
    home: Option<OsString>,
) -> MapiResult<PathBuf> {
    let set = |v: Option<OsString>| v.filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(h) = set(oxmapi_home) {
        return Ok(h);
    }
    if let Some(x) = set(xdg_config_home).filter(|p| p.is_absolute()) {
        return Ok(x.join("oxmapi"));
    }
    if let Some(h) = set(home) {
        return Ok(h.join(".config").join("oxmapi"));
    }
    Err(MapiError::new(
        codes::MAPI_E_NOT_FOUND,
        "cannot find the client home: set OXMAPI_HOME (or XDG_CONFIG_HOME or HOME)",
    ))
}

/// The index of the profile `name` (case-insensitive, as MAPI profile names are).
pub(crate) fn find_index(profiles: &[Profile], name: &str) -> Option<usize> {
    let want = name.to_lowercase();
    profiles.iter().position(|p| p.name.to_lowercase() == want)
}

/// Checks a profile name: 1–256 characters, no control characters, no surrounding blanks.
pub(crate) fn check_name(name: &str) -> MapiResult<()> {
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS || name.trim() != name || name.chars().any(char::is_control) {
        return Err(MapiError::new(
            codes::MAPI_E_INVALID_PARAMETER,
            format!(
                "profile name {name:?} is not valid: use 1 to {MAX_NAME_CHARS} characters without control characters \
                 or surrounding blanks"
            ),
        ));
    }
    Ok(())
}

fn rename_profile(p: &mut Profile, name: &str) {
    p.name = name.to_string();
    p.global_section_mut().set_text(oxmapi_core::catalogue::tags::PR_PROFILE_NAME, name);
}

fn io_error(e: io::Error, action: &str, path: &Path) -> MapiError {
    let code = match e.kind() {
        io::ErrorKind::PermissionDenied => codes::MAPI_E_NO_ACCESS,
        io::ErrorKind::StorageFull => codes::MAPI_E_NOT_ENOUGH_DISK,
        _ => codes::MAPI_E_DISK_ERROR,
    };
    MapiError::new(code, format!("cannot {action} {}: {e}", path.display()))
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Opens (or creates) a file readable by its owner only.
fn open_private(path: &Path, create_new: bool) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true);
    if create_new {
        o.create_new(true);
    } else {
        o.create(true).truncate(false);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Writes `bytes` to a fresh temporary file in `dir`, fsyncs it, renames it over `target` and
/// fsyncs the directory.
fn write_atomically(dir: &Path, target: &Path, bytes: &[u8]) -> MapiResult<()> {
    let tmp =
        dir.join(format!(".{}.{}.{:016x}.tmp", format::FILE_NAME, std::process::id(), rand::random::<u64>()));
    let result = (|| -> io::Result<()> {
        let mut f = open_private(&tmp, true)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, target)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(|e| io_error(e, "write", target))
}
