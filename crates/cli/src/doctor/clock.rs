//! The `clock` check: the server's `Date` header (RFC 9110 6.6.1) on its answer to the
//! authentication check's PING against this machine's clock. A skew of minutes breaks what
//! compares times across machines (NTLM and Kerberos tolerate five minutes by default; expiry
//! and deferred delivery times are compared on the server).

use std::time::{SystemTime, UNIX_EPOCH};

use super::{Check, Context};
use crate::session_cmd::LogonArgs;

/// Above this skew the check warns (the usual Kerberos and NTLM tolerance).
const MAX_SKEW_SECS: i64 = 5 * 60;

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn month(name: &str) -> Option<i64> {
    MONTHS.iter().position(|m| m.eq_ignore_ascii_case(name)).map(|i| i as i64 + 1)
}

fn hms(t: &str) -> Option<i64> {
    let mut p = t.split(':').map(|x| x.parse::<i64>().ok().filter(|v| (0..=60).contains(v)));
    let (h, m, s) = (p.next()??, p.next()??, p.next()??);
    (p.next().is_none() && h < 24 && m < 60).then_some(h * 3600 + m * 60 + s)
}

fn unix(y: i64, m: i64, d: i64, secs: i64) -> Option<i64> {
    (1..=31).contains(&d).then(|| days_from_civil(y, m, d) * 86_400 + secs)
}

/// An HTTP-date (RFC 9110 5.6.7) as seconds since 1970: IMF-fixdate (`Sun, 06 Nov 1994
/// 08:49:37 GMT`) and the two obsolete forms a recipient must accept, RFC 850 (`Sunday,
/// 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
pub fn parse_http_date(s: &str) -> Option<i64> {
    let w: Vec<&str> = s.split_whitespace().collect();
    match w.as_slice() {
        [_, d, mon, y, t, "GMT"] if d.len() <= 2 => {
            unix(y.parse().ok()?, month(mon)?, d.parse().ok()?, hms(t)?)
        }
        [_, dmy, t, "GMT"] => {
            let mut p = dmy.split('-');
            let (d, mon, yy) = (p.next()?, p.next()?, p.next()?);
            let yy: i64 = yy.parse().ok()?;
            // RFC 9110 5.6.7: a two-digit year more than 50 years in the future is in the past
            // century; with today's dates, 00–69 are 20xx.
            let y = if yy < 70 {
                2000 + yy
            } else if yy < 100 {
                1900 + yy
            } else {
                yy
            };
            unix(y, month(mon)?, d.parse().ok()?, hms(t)?)
        }
        [_, mon, d, t, y] => unix(y.parse().ok()?, month(mon)?, d.parse().ok()?, hms(t)?),
        _ => None,
    }
}

/// "3 s", "7 min 12 s", "2 h 5 min".
fn span(secs: i64) -> String {
    let s = secs.abs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// The verdict on a skew of `skew` seconds (the server's clock minus this machine's).
pub fn judge(date: &str, skew: i64) -> Check {
    // The Date header has a resolution of one second.
    let how = match skew {
        -1..=1 => "the same as this machine's (to the second)".to_string(),
        s if s > 0 => format!("{} ahead of this machine's", span(s)),
        s => format!("{} behind this machine's", span(s)),
    };
    let detail = format!("the server's Date {date:?} is {how}");
    if skew.abs() > MAX_SKEW_SECS {
        return Check::warn(
            "clock",
            format!("{detail} (more than {} minutes)", MAX_SKEW_SECS / 60),
            "synchronise the clocks of this machine and the server with NTP (e.g. `timedatectl set-ntp true`, \
             or chrony)",
        );
    }
    Check::ok("clock", detail)
}

/// `clock`.
pub fn check(ctx: &mut Context, _args: &LogonArgs<'_>) -> Check {
    let Some(p) = &ctx.probe else {
        return Check::skip("clock", "no answer of the server to read its Date header from");
    };
    let Some(date) = &p.date else {
        return Check::skip("clock", "the server's answers carry no Date header: nothing to compare");
    };
    let Some(server) = parse_http_date(date) else {
        return Check::warn(
            "clock",
            format!("the server's Date header {date:?} is not an HTTP-date (RFC 9110 5.6.7)"),
            "the server should send Date in IMF-fixdate form, e.g. \"Sun, 06 Nov 1994 08:49:37 GMT\"",
        );
    };
    let local = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    // The Date was made while the request was answered: compare with the middle of the probe.
    let local = local - (p.elapsed.as_secs() as i64) / 2;
    judge(date, server - local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Status;

    /// RFC 9110 5.6.7 gives the same instant in the three forms; 784111777 is 1994-11-06T08:49:37Z
    /// (`date -u -d '1994-11-06 08:49:37' +%s`).
    #[test]
    fn the_three_forms_of_rfc_9110() {
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
        // 2000-02-29T00:00:00Z = 951782400 (a leap day across the century rule).
        assert_eq!(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"), Some(951_782_400));
        for bad in [
            "",
            "yesterday",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn more_than_five_minutes_is_a_warning() {
        assert_eq!(judge("d", 0).status, Status::Ok);
        assert!(judge("d", -1).detail.contains("the same"));
        assert_eq!(judge("d", 300).status, Status::Ok);
        let c = judge("d", -301);
        assert_eq!(c.status, Status::Warn);
        assert!(c.detail.contains("5 min 1 s behind"), "{}", c.detail);
        assert!(judge("d", 7200).detail.contains("2 h 0 min ahead"));
    }
}
