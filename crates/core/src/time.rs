//! FILETIME (PtypTime) and PtypFloatingTime conversions (MS-OXCDATA 2.11.1, MS-DTYP 2.3.3).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// 100-ns intervals between 1601-01-01 and 1970-01-01.
pub const FILETIME_UNIX_EPOCH: u64 = 116_444_736_000_000_000;
/// Seconds between 1601-01-01 and 1970-01-01.
pub const FILETIME_UNIX_EPOCH_SECS: i64 = 11_644_473_600;
/// Days between 1899-12-30 (PtypFloatingTime epoch) and 1970-01-01.
pub const FLOATING_TIME_UNIX_EPOCH_DAYS: f64 = 25_569.0;

/// A FILETIME: 100-nanosecond intervals since 1601-01-01 00:00 UTC.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub struct FileTime(pub u64);

impl FileTime {
    /// Now.
    pub fn now() -> FileTime {
        FileTime::from_system_time(SystemTime::now())
    }
    /// From a [`SystemTime`]; times before 1601 clamp to 0.
    pub fn from_system_time(t: SystemTime) -> FileTime {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => FileTime(FILETIME_UNIX_EPOCH.saturating_add((d.as_nanos() / 100) as u64)),
            Err(e) => FileTime(FILETIME_UNIX_EPOCH.saturating_sub((e.duration().as_nanos() / 100) as u64)),
        }
    }
    /// To a [`SystemTime`].
    pub fn to_system_time(self) -> SystemTime {
        if self.0 >= FILETIME_UNIX_EPOCH {
            UNIX_EPOCH + Duration::from_nanos((self.0 - FILETIME_UNIX_EPOCH).saturating_mul(100))
        } else {
            UNIX_EPOCH - Duration::from_nanos((FILETIME_UNIX_EPOCH - self.0).saturating_mul(100))
        }
    }
    /// From seconds since the Unix epoch.
    pub fn from_unix_seconds(secs: i64) -> FileTime {
        FileTime(((secs + FILETIME_UNIX_EPOCH_SECS).max(0) as u64).saturating_mul(10_000_000))
    }
    /// Whole seconds since the Unix epoch (floor).
    pub fn unix_seconds(self) -> i64 {
        (self.0 / 10_000_000) as i64 - FILETIME_UNIX_EPOCH_SECS
    }
    /// ISO 8601 / RFC 3339 text in UTC, e.g. `2008-01-15T13:00:00.0000000Z`.
    pub fn to_rfc3339(self) -> String {
        let secs = self.unix_seconds();
        let frac = self.0 % 10_000_000;
        let (y, mo, d, h, mi, s) = civil_from_unix(secs);
        if frac == 0 {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        } else {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:07}Z")
        }
    }
}

/// Converts a PtypFloatingTime (days since 1899-12-30) to a FILETIME, if in range.
pub fn floating_time_to_filetime(days: f64) -> Option<FileTime> {
    if !days.is_finite() {
        return None;
    }
    let unix_secs = (days - FLOATING_TIME_UNIX_EPOCH_DAYS) * 86_400.0;
    let ft = (unix_secs + FILETIME_UNIX_EPOCH_SECS as f64) * 10_000_000.0;
    (0.0..1.8e19).contains(&ft).then(|| FileTime(ft.round() as u64))
}

/// Converts a FILETIME to PtypFloatingTime.
pub fn filetime_to_floating_time(t: FileTime) -> f64 {
    let unix_secs = t.0 as f64 / 10_000_000.0 - FILETIME_UNIX_EPOCH_SECS as f64;
    unix_secs / 86_400.0 + FLOATING_TIME_UNIX_EPOCH_DAYS
}

/// Splits Unix seconds into (year, month, day, hour, minute, second), proleptic Gregorian UTC.
pub fn civil_from_unix(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y, m, d, (rem / 3600) as u32, ((rem % 3600) / 60) as u32, (rem % 60) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs() {
        assert_eq!(FileTime::from_unix_seconds(0).0, FILETIME_UNIX_EPOCH);
        assert_eq!(FileTime(FILETIME_UNIX_EPOCH).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(FileTime(0).to_rfc3339(), "1601-01-01T00:00:00Z");
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_200_402_000);
        assert_eq!(FileTime::from_system_time(t).to_system_time(), t);
    }

    #[test]
    fn floating_time_example_from_ms_oxorule() {
        // 39462.541666… = 2008-01-15 13:00:00
        let ft = floating_time_to_filetime(f64::from_bits(0x40E344D155555555)).unwrap();
        assert_eq!(ft.unix_seconds(), 1_200_402_000);
        let back = filetime_to_floating_time(FileTime::from_unix_seconds(1_200_402_000));
        assert!((back - 39462.541666).abs() < 1e-5);
        assert!(floating_time_to_filetime(f64::NAN).is_none());
    }
}
