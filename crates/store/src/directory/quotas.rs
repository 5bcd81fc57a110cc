//! Per-user mailbox quotas (`oxmapi admin user quota NAME --send SIZE --receive SIZE --storage
//! SIZE`), kept in `quotas` (directory version 4; PostgreSQL directory step 2): a user's row
//! overrides the site's `prohibit-send-quota-kb` / `prohibit-receive-quota-kb` settings and adds
//! the warning level. What they mean (MS-OXCSTOR 2.2.2.1.1, announced on the Logon object):
//! - PidTagProhibitSendQuota: from this mailbox size on, RopSubmitMessage is refused with
//!   ecQuotaExceeded;
//! - PidTagProhibitReceiveQuota: from this size on, delivery to the mailbox fails and the sender
//!   gets a non-delivery report;
//! - PidTagStorageQuotaLimit: the size at which the user is warned (announced only).

use std::collections::HashMap;

use crate::db::{OptionalExt, params};

use super::{Directory, User};
use crate::error::{StoreError, StoreResult};
use crate::settings::MailboxLimits;

/// One quota of a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quota {
    /// The site's setting applies.
    Site,
    /// No limit for this user.
    Unlimited,
    /// This many KiB.
    Kb(u32),
}

impl Quota {
    fn to_column(self) -> Option<i64> {
        match self {
            Quota::Site => None,
            Quota::Unlimited => Some(-1),
            Quota::Kb(n) => Some(i64::from(n)),
        }
    }

    fn from_column(v: Option<i64>) -> Quota {
        match v {
            None => Quota::Site,
            Some(n) if n < 0 => Quota::Unlimited,
            Some(n) => Quota::Kb(u32::try_from(n).unwrap_or(i32::MAX as u32)),
        }
    }

    /// The limit in effect given the site's `site` limit.
    fn over(self, site: Option<u32>) -> Option<u32> {
        match self {
            Quota::Site => site,
            Quota::Unlimited => None,
            Quota::Kb(n) => Some(n),
        }
    }

    /// Parses a size as the command line gives it: `none` / `unlimited` (no limit), `default`
    /// (the site's setting), or a number with an optional unit B, KB, MB, GB, TB (powers of
    /// 1024; `KiB` etc. too; a bare number is bytes), rounded up to whole KiB. At most
    /// 2147483647 KiB (the quotas are PtypInteger32 properties).
    pub fn parse(text: &str) -> StoreResult<Quota> {
        let t = text.trim();
        let bad = || {
            StoreError::InvalidParameter(format!(
                "{text:?} is not a size: give e.g. 1KB, 50MB, 2GB, none (no limit) or default (the site setting)"
            ))
        };
        if t.eq_ignore_ascii_case("none") || t.eq_ignore_ascii_case("unlimited") {
            return Ok(Quota::Unlimited);
        }
        if t.eq_ignore_ascii_case("default") {
            return Ok(Quota::Site);
        }
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (digits, unit) = t.split_at(split);
        let n: u64 = digits.parse().map_err(|_| bad())?;
        let unit = unit.trim().to_ascii_uppercase().replace("IB", "B");
        let shift = match unit.as_str() {
            "" | "B" => 0,
            "K" | "KB" => 10,
            "M" | "MB" => 20,
            "G" | "GB" => 30,
            "T" | "TB" => 40,
            _ => return Err(bad()),
        };
        let bytes = n.checked_mul(1u64 << shift).ok_or_else(bad)?;
        let kb = bytes.div_ceil(1024);
        u32::try_from(kb).ok().filter(|k| *k <= i32::MAX as u32).map(Quota::Kb).ok_or_else(bad)
    }
}

impl std::fmt::Display for Quota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Quota::Site => f.write_str("default"),
            Quota::Unlimited => f.write_str("none"),
            Quota::Kb(n) => write!(f, "{n}KB"),
        }
    }
}

/// A user's own quotas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserQuotas {
    /// PidTagProhibitSendQuota.
    pub send: Quota,
    /// PidTagProhibitReceiveQuota.
    pub receive: Quota,
    /// PidTagStorageQuotaLimit (the warning level).
    pub warning: Quota,
}

impl Default for UserQuotas {
    fn default() -> UserQuotas {
        UserQuotas { send: Quota::Site, receive: Quota::Site, warning: Quota::Site }
    }
}

impl UserQuotas {
    /// The limits in effect: the site's (`site`) overridden by these.
    pub fn applied_to(self, site: MailboxLimits) -> MailboxLimits {
        MailboxLimits {
            send_quota_kb: self.send.over(site.send_quota_kb),
            receive_quota_kb: self.receive.over(site.receive_quota_kb),
            storage_warning_kb: self.warning.over(site.storage_warning_kb),
            ..site
        }
    }
}

impl Directory {
    /// Every user's own quotas, by user id, in one read (users without a row are left out:
    /// theirs are all [`Quota::Site`]).
    pub fn all_quotas(&self) -> StoreResult<HashMap<i64, UserQuotas>> {
        let mut st = self.conn.prepare("SELECT user_id, send_kb, receive_kb, warning_kb FROM quotas")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                UserQuotas {
                    send: Quota::from_column(r.get(1)?),
                    receive: Quota::from_column(r.get(2)?),
                    warning: Quota::from_column(r.get(3)?),
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// `name`'s own quotas (every one [`Quota::Site`] when none was set).
    pub fn quotas(&self, name: &str) -> StoreResult<UserQuotas> {
        let user = self.require_user(name)?;
        let row = self
            .conn
            .query_row(
                "SELECT send_kb, receive_kb, warning_kb FROM quotas WHERE user_id = ?1",
                [user.id],
                |r| {
                    Ok((
                        r.get::<_, Option<i64>>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.map_or_else(UserQuotas::default, |(s, r, w)| UserQuotas {
            send: Quota::from_column(s),
            receive: Quota::from_column(r),
            warning: Quota::from_column(w),
        }))
    }

    /// Sets `name`'s quotas (what is `None` stays as it was); returns them as they are now.
    pub fn set_quotas(
        &self,
        name: &str,
        send: Option<Quota>,
        receive: Option<Quota>,
        warning: Option<Quota>,
    ) -> StoreResult<UserQuotas> {
        let user = self.require_user(name)?;
        let old = self.quotas(&user.name)?;
        let new = UserQuotas {
            send: send.unwrap_or(old.send),
            receive: receive.unwrap_or(old.receive),
            warning: warning.unwrap_or(old.warning),
        };
        self.conn.execute(
            "INSERT INTO quotas (user_id, send_kb, receive_kb, warning_kb) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (user_id) DO UPDATE SET send_kb = excluded.send_kb, \
             receive_kb = excluded.receive_kb, warning_kb = excluded.warning_kb",
            params![user.id, new.send.to_column(), new.receive.to_column(), new.warning.to_column()],
        )?;
        Ok(new)
    }

    /// The limits of `user`'s mailbox: the site's settings ([`Directory::mailbox_limits`])
    /// overridden by the user's own quotas.
    pub fn mailbox_limits_for(&self, user: &User) -> StoreResult<MailboxLimits> {
        Ok(self.quotas(&user.name)?.applied_to(self.mailbox_limits()?))
    }
}

#[cfg(test)]
mod tests {
    use super::Quota;

    #[test]
    fn sizes_parse_in_powers_of_1024_rounded_up_to_kib() {
        assert_eq!(Quota::parse("1KB").unwrap(), Quota::Kb(1));
        assert_eq!(Quota::parse("10MB").unwrap(), Quota::Kb(10 * 1024));
        assert_eq!(Quota::parse("2GiB").unwrap(), Quota::Kb(2 * 1024 * 1024));
        assert_eq!(Quota::parse("1").unwrap(), Quota::Kb(1));
        assert_eq!(Quota::parse("1025").unwrap(), Quota::Kb(2));
        assert_eq!(Quota::parse("none").unwrap(), Quota::Unlimited);
        assert_eq!(Quota::parse("default").unwrap(), Quota::Site);
        for bad in ["", "KB", "1XB", "-1KB", "3TB", "99999999999999999999"] {
            assert!(Quota::parse(bad).is_err(), "{bad}");
        }
    }
}
