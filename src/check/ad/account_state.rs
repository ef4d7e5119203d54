//! What an account's attributes say about whether it can log on: `userAccountControl` and its
//! computed twin, `pwdLastSet` and `accountExpires`. Pure: the time is given, so every case is
//! a table test.
//!
//! ```text
//!   ACCOUNTDISABLE                          -> disabled        (AD 533)
//!   LOCKOUT (computed)                      -> locked out      (AD 775)
//!   pwdLastSet 0, password may expire       -> must change     (AD 773)
//!   PASSWORD_EXPIRED (computed), pwdLastSet > 0 -> expired password (AD 532)
//!   accountExpires in the past (not 0, not 0x7FFFFFFFFFFFFFFF) -> expired account (AD 701)
//! ```

/// `userAccountControl` bits, named for evidence.
const UAC: &[(i64, &str)] = &[
    (0x0002, "ACCOUNTDISABLE"),
    (0x0010, "LOCKOUT"),
    (0x0020, "PASSWD_NOTREQD"),
    (0x0200, "NORMAL_ACCOUNT"),
    (0x1000, "WORKSTATION_TRUST_ACCOUNT"),
    (0x2000, "SERVER_TRUST_ACCOUNT"),
    (0x10000, "DONT_EXPIRE_PASSWORD"),
    (0x80000, "TRUSTED_FOR_DELEGATION"),
    (0x100000, "NOT_DELEGATED"),
    (0x800000, "PASSWORD_EXPIRED"),
    (0x1000000, "TRUSTED_TO_AUTH_FOR_DELEGATION"),
];

const DISABLED: i64 = 0x2;
const LOCKOUT: i64 = 0x10;
const DONT_EXPIRE_PASSWORD: i64 = 0x10000;
const PASSWORD_EXPIRED: i64 = 0x800000;
/// `accountExpires` of an account that never expires (besides 0).
pub const NEVER: i64 = i64::MAX;

/// `0x00000202 (ACCOUNTDISABLE | NORMAL_ACCOUNT)`.
pub fn uac_text(v: i64) -> String {
    let names: Vec<&str> = UAC
        .iter()
        .filter(|(bit, _)| v & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    format!(
        "0x{v:08X} ({})",
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(" | ")
        }
    )
}

/// The attributes read, as numbers (absent: None).
#[derive(Debug, Clone, Copy, Default)]
pub struct Attrs {
    pub uac: i64,
    pub computed: i64,
    pub pwd_last_set: Option<i64>,
    pub account_expires: Option<i64>,
}

/// Why an account cannot log on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Disabled,
    Locked,
    /// "User must change password at next logon" (pwdLastSet 0).
    MustChange,
    /// Older than the domain's maximum password age.
    PasswordExpired,
    /// accountExpires is in the past: the FILETIME it expired at.
    AccountExpired(i64),
}

/// Every problem, in the order the findings show them. `now` is a FILETIME (100 ns since
/// 1601-01-01 UTC). `password` is false for a gMSA, whose password the domain changes.
pub fn problems(a: &Attrs, now: i64, password: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    if a.uac & DISABLED != 0 {
        out.push(Problem::Disabled);
    }
    if (a.computed | a.uac) & LOCKOUT != 0 {
        out.push(Problem::Locked);
    }
    if password {
        // "Password never expires" wins over "must change at next logon", as in AD.
        let may_expire = a.uac & DONT_EXPIRE_PASSWORD == 0;
        if a.pwd_last_set == Some(0) && may_expire {
            out.push(Problem::MustChange);
        } else if a.computed & PASSWORD_EXPIRED != 0 {
            out.push(Problem::PasswordExpired);
        }
    }
    if let Some(at) = a.account_expires.filter(|&v| v != 0 && v != NEVER) {
        if at <= now {
            out.push(Problem::AccountExpired(at));
        }
    }
    out
}

/// Seconds between 1601-01-01 and 1970-01-01.
const EPOCH_DIFF: i64 = 11_644_473_600;

/// A FILETIME from Unix seconds.
pub fn filetime(unix_secs: i64) -> i64 {
    (unix_secs + EPOCH_DIFF).saturating_mul(10_000_000)
}

/// Now, as a FILETIME.
pub fn now() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    filetime(secs)
}

/// `2026-03-01 12:00 UTC` for a FILETIME.
pub fn filetime_text(ft: i64) -> String {
    let secs = ft / 10_000_000 - EPOCH_DIFF;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = crate::civil::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3_600,
        rest % 3_600 / 60
    )
}

/// `accountExpires` as evidence.
pub fn expires_text(v: Option<i64>) -> String {
    match v {
        None => "accountExpires not set".into(),
        Some(0) | Some(NEVER) => "accountExpires never".into(),
        Some(at) => format!("accountExpires {at} ({})", filetime_text(at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 134_000_000_000_000_000; // 2025-08-18
    const DAY: i64 = 864_000_000_000;

    fn attrs(uac: i64, computed: i64, pls: Option<i64>, exp: Option<i64>) -> Attrs {
        Attrs {
            uac,
            computed,
            pwd_last_set: pls,
            account_expires: exp,
        }
    }

    #[test]
    fn every_reason_an_account_cannot_log_on() {
        use Problem::*;
        let set = Some(NOW - 10 * DAY);
        let cases: &[(&str, Attrs, bool, &[Problem])] = &[
            ("healthy", attrs(0x200, 0, set, Some(NEVER)), true, &[]),
            (
                "accountExpires 0 is never",
                attrs(0x200, 0, set, Some(0)),
                true,
                &[],
            ),
            (
                "accountExpires absent",
                attrs(0x200, 0, set, None),
                true,
                &[],
            ),
            (
                "expires tomorrow",
                attrs(0x200, 0, set, Some(NOW + DAY)),
                true,
                &[],
            ),
            (
                "expired yesterday",
                attrs(0x200, 0, set, Some(NOW - DAY)),
                true,
                &[AccountExpired(NOW - DAY)],
            ),
            (
                "expires this instant",
                attrs(0x200, 0, set, Some(NOW)),
                true,
                &[AccountExpired(NOW)],
            ),
            ("disabled", attrs(0x202, 0, set, None), true, &[Disabled]),
            (
                "locked (computed)",
                attrs(0x200, 0x10, set, None),
                true,
                &[Locked],
            ),
            (
                "locked (old LOCKOUT bit)",
                attrs(0x210, 0, set, None),
                true,
                &[Locked],
            ),
            (
                "must change (pwdLastSet 0)",
                attrs(0x200, 0, Some(0), None),
                true,
                &[MustChange],
            ),
            (
                "must change, computed expired too",
                attrs(0x200, 0x800000, Some(0), None),
                true,
                &[MustChange],
            ),
            (
                "never expires beats must change",
                attrs(0x10200, 0, Some(0), None),
                true,
                &[],
            ),
            (
                "password too old",
                attrs(0x200, 0x800000, set, None),
                true,
                &[PasswordExpired],
            ),
            (
                "pwdLastSet absent is not must change",
                attrs(0x200, 0, None, None),
                true,
                &[],
            ),
            (
                "gMSA: password not ours",
                attrs(0x1000, 0x800000, Some(0), None),
                false,
                &[],
            ),
            (
                "gMSA: still expires",
                attrs(0x1000, 0, Some(0), Some(NOW - DAY)),
                false,
                &[AccountExpired(NOW - DAY)],
            ),
            (
                "everything at once",
                attrs(0x202, 0x10, Some(0), Some(NOW - DAY)),
                true,
                &[Disabled, Locked, MustChange, AccountExpired(NOW - DAY)],
            ),
        ];
        for (what, a, password, want) in cases {
            assert_eq!(problems(a, NOW, *password), *want, "{what}");
        }
    }

    #[test]
    fn filetimes_read_as_utc_dates() {
        assert_eq!(filetime_text(filetime(0)), "1970-01-01 00:00 UTC");
        assert_eq!(filetime_text(filetime(951_782_400)), "2000-02-29 00:00 UTC");
        assert_eq!(
            filetime_text(filetime(1_767_225_600 + 3_660)),
            "2026-01-01 01:01 UTC"
        );
        assert_eq!(filetime_text(0), "1601-01-01 00:00 UTC");
        assert_eq!(expires_text(Some(NEVER)), "accountExpires never");
        assert_eq!(expires_text(Some(0)), "accountExpires never");
        assert!(expires_text(Some(filetime(0))).ends_with("(1970-01-01 00:00 UTC)"));
        assert!(now() > filetime(1_700_000_000));
    }

    #[test]
    fn uac_flags_are_named() {
        assert_eq!(
            uac_text(0x202),
            "0x00000202 (ACCOUNTDISABLE | NORMAL_ACCOUNT)"
        );
        assert_eq!(uac_text(0), "0x00000000 (none)");
    }
}
