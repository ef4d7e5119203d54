//! UTC times as approvals write them (RFC 3339, `2026-12-02T09:30:00Z`), the validity
//! lengths of `--valid-for` (`7d`, `12h`, `90m`, `2w`), and allowed_signers' `valid-after`
//! and `valid-before` dates (`YYYYMMDD[HHMM[SS]]`, with an optional `Z`).

/// Seconds since 1970-01-01T00:00:00Z.
pub type Unix = i64;

pub fn now() -> Unix {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
use crate::civil::{civil_from_days, days_from_civil};

/// `2026-12-02T09:30:00Z`.
pub fn format(t: Unix) -> String {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn number(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn checked(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> Option<Unix> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let ok = (1..=12).contains(&mo)
        && d >= 1
        && d <= month_days[usize::try_from(mo - 1).ok()?]
        && h < 24
        && mi < 60
        && s < 60;
    ok.then(|| days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Reads exactly the form `format` writes.
pub fn parse(s: &str) -> Option<Unix> {
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(number);
    checked(
        n(0..4)?,
        n(5..7)?,
        n(8..10)?,
        n(11..13)?,
        n(14..16)?,
        n(17..19)?,
    )
}

/// An allowed_signers `valid-after`/`valid-before` date: `YYYYMMDD`, `YYYYMMDDHHMM` or
/// `YYYYMMDDHHMMSS`, optionally ending in `Z`. OpenSSH reads a time without `Z` as the
/// verifier's local time; this reads every time as UTC, and the error says so when asked.
pub fn parse_openssh(s: &str) -> Option<Unix> {
    let digits = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    let n = |r: std::ops::Range<usize>| digits.get(r).and_then(number);
    match digits.len() {
        8 => checked(n(0..4)?, n(4..6)?, n(6..8)?, 0, 0, 0),
        12 => checked(n(0..4)?, n(4..6)?, n(6..8)?, n(8..10)?, n(10..12)?, 0),
        14 => checked(
            n(0..4)?,
            n(4..6)?,
            n(6..8)?,
            n(8..10)?,
            n(10..12)?,
            n(12..14)?,
        ),
        _ => None,
    }
}

/// `--valid-for`: a number and a unit (`m`, `h`, `d`, `w`), at least a minute, at most a
/// year.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let bad = || {
        format!("--valid-for {s:?} is not a length of time\n  fix: write a number and a unit: 90m, 12h, 7d or 2w (at most 52w)")
    };
    let t = s.trim();
    let unit = t.chars().last().ok_or_else(bad)?;
    let n = number(&t[..t.len() - unit.len_utf8()]).ok_or_else(bad)?;
    let secs = match unit {
        'm' => n.checked_mul(60),
        'h' => n.checked_mul(3600),
        'd' => n.checked_mul(86_400),
        'w' => n.checked_mul(7 * 86_400),
        _ => None,
    }
    .ok_or_else(bad)?;
    if !(60..=366 * 86_400).contains(&secs) {
        return Err(bad());
    }
    Ok(secs)
}

#[cfg(test)]
mod tests {
    use super::{format, parse, parse_duration, parse_openssh};

    #[test]
    fn times_round_trip_across_leap_days_and_centuries() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_709_251_199, "2024-02-29T23:59:59Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
        ];
        for (t, s) in cases {
            assert_eq!(format(t), s);
            assert_eq!(parse(s), Some(t), "{s}");
        }
        for bad in [
            "",
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01 00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T00:00:00+01:00",
            "+026-01-01T00:00:00Z",
            "2100-02-29T00:00:00Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn openssh_dates_in_their_three_lengths() {
        assert_eq!(parse_openssh("20240229"), parse("2024-02-29T00:00:00Z"));
        assert_eq!(
            parse_openssh("202402291230Z"),
            parse("2024-02-29T12:30:00Z")
        );
        assert_eq!(
            parse_openssh("20240229123059"),
            parse("2024-02-29T12:30:59Z")
        );
        for bad in [
            "2024022",
            "2024022912",
            "20241301",
            "2024-02-29",
            "x0240229",
        ] {
            assert_eq!(parse_openssh(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_in_each_unit_and_out_of_bounds() {
        let cases = [
            ("90m", 5400),
            ("12h", 43_200),
            ("7d", 604_800),
            (" 2w ", 1_209_600),
            ("1m", 60),
        ];
        for (s, want) in cases {
            assert_eq!(parse_duration(s), Ok(want), "{s}");
        }
        for bad in [
            "",
            "7",
            "d",
            "0m",
            "7x",
            "-1d",
            "53w",
            "99999999999999999999d",
            "1.5d",
            "7€",
        ] {
            let e = parse_duration(bad).expect_err(bad);
            assert!(e.contains("fix:"), "{e}");
        }
    }
}
