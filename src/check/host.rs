//! Which computer a check runs on. Some checks are only true on the server that gets MIM (a
//! local port being free says nothing about another computer): they name the computer they
//! ran on, and when that is not the profile's server (`checks.computer`) they are skipped,
//! saying why, instead of reporting what this computer has.

/// This computer's name: `COMPUTERNAME` (Windows), else the host name; None when unknown.
pub fn this_computer() -> Option<String> {
    std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A computer's name as a profile may write it, compared without case: `CORPIDM`,
/// `corpidm.contoso.local`, `contoso\CORPIDM$` and `CORPIDM$@contoso.local` are one computer.
fn short(name: &str) -> String {
    let n = name.trim();
    let n = n.rsplit_once('\\').map_or(n, |(_, c)| c);
    let n = n.split_once('@').map_or(n, |(c, _)| c);
    let n = n.trim_end_matches('$');
    n.split('.')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase()
}

/// `localhost`, `.` and loopback addresses name the computer the checks run on.
fn names_this_computer(target: &str) -> bool {
    let t = target.trim();
    t.is_empty()
        || t == "."
        || t.eq_ignore_ascii_case("localhost")
        || t.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Where a check that is only true on the target server may run: `Ok(name)` of this
/// computer when it is the target (`target` is `checks.computer`; empty means this
/// computer), else `Err(reason)` to skip with.
pub fn on_target(target: &str, here: Option<&str>) -> Result<String, String> {
    let shown = here.unwrap_or("this computer").to_string();
    if names_this_computer(target) {
        return Ok(shown);
    }
    let target = target.trim();
    match here {
        Some(h) if short(h) == short(target) => Ok(shown),
        Some(h) => Err(format!(
            "this can only be checked on {target}, the server in `checks.computer`, and it ran on {h}: run `mim-setup check` on {target}"
        )),
        None => Err(format!(
            "this can only be checked on {target}, the server in `checks.computer`, and the name of the computer it ran on is unknown: run `mim-setup check` on {target}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::on_target;

    #[test]
    fn a_target_only_check_runs_on_the_profiles_server_and_nowhere_else() {
        // (checks.computer, this computer, runs here)
        let cases: &[(&str, Option<&str>, bool)] = &[
            ("", Some("CORPIDM"), true),
            ("", None, true),
            ("   ", Some("devbox"), true),
            ("localhost", Some("devbox"), true),
            ("LOCALHOST", None, true),
            (".", Some("devbox"), true),
            ("127.0.0.1", Some("devbox"), true),
            ("::1", Some("devbox"), true),
            ("CORPIDM", Some("CORPIDM"), true),
            ("corpidm", Some("CORPIDM"), true),
            ("CORPIDM", Some("corpidm.contoso.local"), true),
            ("corpidm.contoso.local", Some("CORPIDM"), true),
            ("contoso\\CORPIDM$", Some("CORPIDM"), true),
            ("CORPIDM$@contoso.local", Some("corpidm"), true),
            ("CORPIDM", Some("CORPSYNC"), false),
            ("CORPIDM", Some("CORPIDM2"), false),
            (
                "corpidm2.contoso.local",
                Some("corpidm.contoso.local"),
                false,
            ),
            ("CORPIDM", None, false),
            ("10.0.0.5", Some("CORPIDM"), false),
        ];
        for (target, here, runs) in cases {
            let got = on_target(target, *here);
            assert_eq!(got.is_ok(), *runs, "{target:?} on {here:?}: {got:?}");
            match got {
                Ok(name) => assert_eq!(name, here.unwrap_or("this computer")),
                Err(why) => {
                    assert!(why.contains(target.trim()), "names the server: {why}");
                    assert!(
                        why.contains(here.unwrap_or("unknown")),
                        "names where it ran: {why}"
                    );
                }
            }
        }
    }
}
