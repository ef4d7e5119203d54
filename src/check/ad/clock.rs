//! The domain controller's clock (its rootDSE `currentTime`) against this computer's:
//! Kerberos refuses tickets when the two differ by more than its maximum tolerance (five
//! minutes by default), and PCNS authenticates to the Sync server with Kerberos (event
//! 6025, "could not be authenticated", names the clock as a cause).
use crate::check::{Area, Outcome};
use crate::finding::Finding;
use crate::screens::fields;
use std::time::SystemTime;

/// Kerberos' default maximum clock skew, in seconds.
pub const MAX_SKEW: i64 = 300;

/// `20261202160500.0Z` (GeneralizedTime, UTC) as seconds since 1970.
pub fn parse(t: &str) -> Option<i64> {
    let t = t.trim();
    let digits = t.get(0..14)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !t.ends_with('Z') {
        return None;
    }
    let n = |a: usize, b: usize| digits[a..b].parse::<i64>().ok();
    let (y, mo, d, h, mi, s) = (
        n(0, 4)?,
        n(4, 6)?,
        n(6, 8)?,
        n(8, 10)?,
        n(10, 12)?,
        n(12, 14)?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(crate::civil::days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

fn unix(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// "4 min 10 s" for a number of seconds.
fn span(secs: i64) -> String {
    let s = secs.abs();
    match (s / 60, s % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// The outcome `ad-clock`: the DC's `currentTime` against `now` (this computer's clock).
pub fn outcome(dc: &str, current_time: &str, now: SystemTime) -> Outcome {
    let title = format!("Clock of {dc}");
    let Some(at) = parse(current_time) else {
        return Outcome::skipped(
            "ad-clock",
            Area::Ad,
            "checks",
            title,
            format!("{dc}'s rootDSE gives no currentTime that can be read ({current_time:?})"),
        );
    };
    let skew = at - unix(now);
    let seen = format!(
        "{dc} currentTime {current_time}; this computer's clock differs by {}{}",
        span(skew),
        match skew.signum() {
            1 => " (the DC is ahead)",
            -1 => " (the DC is behind)",
            _ => "",
        }
    );
    if skew.abs() > MAX_SKEW {
        let f = Finding::error(
            "ad-clock-skew",
            fields::checks::DC,
            format!(
                "The clock of {dc} is {} {} this computer's: more than Kerberos' 5 minutes.",
                span(skew),
                if skew > 0 { "ahead of" } else { "behind" }
            ),
        )
        .why("Kerberos refuses tickets when the clocks of client and server differ by more than its maximum tolerance (5 minutes by default): PCNS on the domain controllers then cannot authenticate to the Sync server (event 6025), and Kerberos logons to MIM fail.")
        .fix("Synchronise the clocks: the domain's time hierarchy (w32tm /query /status on both; w32tm /resync), with the PDC emulator on a reliable source.")
        .evidence(seen.clone());
        return Outcome::found("ad-clock", Area::Ad, "checks", title, vec![f]).with_evidence(seen);
    }
    Outcome::ok(
        "ad-clock",
        Area::Ad,
        "checks",
        title,
        format!("within {} of this computer's clock", span(skew)),
    )
    .with_evidence(seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::State;
    use std::time::Duration;

    #[test]
    fn generalized_time_is_read_and_bad_values_are_not() {
        assert_eq!(parse("19700101000000.0Z"), Some(0));
        assert_eq!(parse("20261202160500.0Z"), Some(1_796_227_500));
        for bad in [
            "",
            "2026",
            "20261302160500.0Z",
            "20261202160500.0",
            "2026120216050x.0Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn more_than_five_minutes_either_way_is_an_error() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_227_500);
        let o = outcome("dc1", "20261202160500.0Z", now);
        assert_eq!(o.state, State::Ok, "{o:?}");
        let o = outcome("dc1", "20261202161100.0Z", now);
        assert_eq!(o.state, State::Error);
        assert!(o.findings[0].message.contains("6 min ahead of"), "{o:?}");
        let o = outcome("dc1", "20261202155900.0Z", now);
        assert!(o.findings[0].message.contains("6 min behind"), "{o:?}");
        let o = outcome("dc1", "20261202160000.0Z", now);
        assert_eq!(o.state, State::Ok, "exactly 5 minutes is within");
        assert_eq!(outcome("dc1", "", now).state, State::Skipped);
    }
}
