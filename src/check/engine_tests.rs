//! The engine's tests: exit codes over the kinds of outcome, and skip reasons.
use super::Report;
use crate::check::{skip_reason, Area, Outcome};
use crate::exit::ExitCode;
use crate::finding::{Finding, Severity};

fn with(check: &str, severity: Severity) -> Outcome {
    let f = Finding::new(check, Some("sql.server"), severity, format!("{check} seen"));
    Outcome::found(check, Area::Sql, "sql", check, vec![f])
}

/// A check whose server gave no answer.
fn silent(check: &str) -> Outcome {
    let f = Finding::unreached(check, "sql.server", format!("{check}: no answer"));
    Outcome::found(check, Area::Sql, "sql", check, vec![f])
}

fn skipped() -> Outcome {
    Outcome::skipped(
        "ad-bind",
        Area::Ad,
        "checks",
        "Directory bind",
        "no account",
    )
}

fn ok() -> Outcome {
    Outcome::ok("net-port", Area::Net, "features", "Port 5725", "free")
}

#[test]
fn the_exit_code_counts_unacknowledged_live_warnings_and_runs_that_checked_nothing() {
    use Severity::{Error, Info, Warning};
    // (outcomes, acknowledged, offline, exit, checks that ran)
    type Case = (Vec<Outcome>, &'static [&'static str], bool, ExitCode, usize);
    let cases: Vec<Case> = vec![
        (vec![], &[], false, ExitCode::NothingChecked, 0),
        (vec![], &[], true, ExitCode::NothingChecked, 0),
        (vec![skipped()], &[], false, ExitCode::NothingChecked, 0),
        (
            vec![skipped(), skipped()],
            &[],
            false,
            ExitCode::NothingChecked,
            0,
        ),
        (vec![skipped(), ok()], &[], false, ExitCode::Ok, 1),
        (
            vec![ok(), with("sql-info", Info)],
            &[],
            false,
            ExitCode::Ok,
            2,
        ),
        (vec![with("w", Warning)], &[], false, ExitCode::Blocking, 1),
        (
            vec![with("w", Warning)],
            &["w@sql.server"],
            false,
            ExitCode::Ok,
            1,
        ),
        // The key is check@field: the check alone, or another field, is not it.
        (
            vec![with("w", Warning)],
            &["w"],
            false,
            ExitCode::Blocking,
            1,
        ),
        (
            vec![with("w", Warning)],
            &["w@sql.database"],
            false,
            ExitCode::Blocking,
            1,
        ),
        (
            vec![with("w", Warning), with("v", Warning)],
            &["w@sql.server"],
            false,
            ExitCode::Blocking,
            2,
        ),
        (
            vec![with("w", Warning), with("v", Warning), skipped()],
            &["w@sql.server", "v@sql.server"],
            false,
            ExitCode::Ok,
            2,
        ),
        (vec![with("e", Error)], &[], false, ExitCode::Blocking, 1),
        // A server that gave no answer blocks until acknowledged; then it is not a
        // pass: alone, nothing was checked.
        (vec![silent("t")], &[], false, ExitCode::Blocking, 1),
        (
            vec![silent("t")],
            &["t@sql.server"],
            false,
            ExitCode::NothingChecked,
            1,
        ),
        (
            vec![silent("t")],
            &["t@sql.database"],
            false,
            ExitCode::Blocking,
            1,
        ),
        (
            vec![silent("t"), ok()],
            &["t@sql.server"],
            false,
            ExitCode::Ok,
            2,
        ),
        (
            vec![silent("t"), with("e", Error)],
            &["t@sql.server", "e@sql.server"],
            false,
            ExitCode::Blocking,
            2,
        ),
        (
            vec![silent("t"), silent("u"), ok()],
            &["t@sql.server"],
            false,
            ExitCode::Blocking,
            3,
        ),
        // An error cannot be acknowledged away.
        (
            vec![with("e", Error)],
            &["e@sql.server"],
            false,
            ExitCode::Blocking,
            1,
        ),
        (
            vec![with("e", Error), skipped()],
            &[],
            false,
            ExitCode::Blocking,
            1,
        ),
    ];
    for (outcomes, acked, offline, want, ran) in cases {
        let what = format!(
            "{:?} acknowledged {acked:?}",
            outcomes
                .iter()
                .map(|o| (&o.id, o.state))
                .collect::<Vec<_>>()
        );
        let report = Report {
            offline,
            acknowledged: acked.iter().map(|s| s.to_string()).collect(),
            outcomes,
            ..Report::default()
        };
        assert_eq!(report.exit_code(), want, "{what}");
        assert_eq!(report.ran(), ran, "{what}");
        let unacked = report.unacknowledged().count();
        assert_eq!(
            unacked > 0,
            want == ExitCode::Blocking && report.blocking().next().is_none(),
            "{what}"
        );
    }
}

#[test]
fn a_skip_reason_says_not_checked_once() {
    for (given, kept) in [
        ("no account", "no account"),
        ("not checked: no account", "no account"),
        ("Not checked:no account", "no account"),
        ("not checked: not checked: no account", "no account"),
        ("  not checked:   no account ", "no account"),
        ("checked elsewhere", "checked elsewhere"),
        ("not checked", "not checked"),
        ("", ""),
    ] {
        assert_eq!(skip_reason(given), kept, "{given:?}");
        let o = Outcome::skipped("x", Area::Sql, "sql", "X", given);
        assert_eq!(o.summary, kept);
    }
}
