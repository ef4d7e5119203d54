//! Step 5, PCNS: events of the Password Change Notification Service (source `PCNSSVC`,
//! Application log of the domain controllers), 6025 first: what it means, its four causes
//! for "could not be authenticated", and which of them applies: with a profile, the check
//! engine's AD probe (`check::ad::pcns_probes`) asks the directory for the PCNS target's
//! SPN (missing, on two accounts, only in its short form) and the domain controller's clock
//! (more than five minutes off); from a collection alone the doctor names those checks.
use crate::check::{Outcome, State};
use crate::doctor::inputs::ad_live::AdReadings;
use crate::doctor::inputs::Collection;
use crate::doctor::report::{finding, StepReport};
use crate::doctor::tables::Tables;
use crate::finding::Severity;
use std::collections::BTreeMap;

pub fn check(c: &Collection, t: &Tables) -> StepReport {
    let mut st = StepReport::new("pcns");
    const NO_EVENTS: &str = "no events*.xml (wevtutil qe Application /f:xml from the domain controllers) in the collection";
    let Some(events) = &c.events else {
        let Some(ad) = &c.ad else {
            return st.skipped(NO_EVENTS);
        };
        st.evidence
            .push(format!("{NO_EVENTS}: the events were not read"));
        let n = causes(&mut st, ad, false);
        st.summary = format!("events not read; {n} of 6025's causes seen in the directory");
        return st.settle();
    };
    let pcns: Vec<_> = events
        .iter()
        .filter(|e| e.provider.eq_ignore_ascii_case("PCNSSVC"))
        .collect();
    let mut computers: Vec<&str> = events.iter().map(|e| e.computer.as_str()).collect();
    computers.sort();
    computers.dedup();
    st.evidence.push(format!(
        "{} event(s) read from {}",
        events.len(),
        computers.join(", ")
    ));
    let mut by_id: BTreeMap<u32, Vec<_>> = BTreeMap::new();
    for e in &pcns {
        by_id.entry(e.id).or_default().push(*e);
    }
    for (id, evs) in &by_id {
        let Some(info) = t.event("PCNSSVC", *id) else {
            continue;
        };
        let mut dcs: Vec<&str> = evs.iter().map(|e| e.computer.as_str()).collect();
        dcs.sort();
        dcs.dedup();
        let first = evs.iter().map(|e| e.time.as_str()).min().unwrap_or("");
        let last = evs.iter().map(|e| e.time.as_str()).max().unwrap_or("");
        let auth = evs
            .iter()
            .any(|e| e.text().contains("could not be authenticated"));
        let mut why = info.meaning.clone();
        if *id == 6025 && !auth {
            why.push_str(" These events carry another message variant; those are not confirmed (TechNet wiki 4159 lists them).");
        }
        if !info.note.is_empty() {
            why.push_str(&format!(" ({})", info.note));
        }
        let mut samples: Vec<String> = evs.iter().map(|e| e.text()).collect();
        samples.sort();
        samples.dedup();
        samples.truncate(3);
        st.findings.push(
            finding(
                "doctor-pcns-event",
                if *id == 6025 || *id == 6032 || *id == 6000 {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!(
                    "PCNSSVC event {id}: {} time(s) on {} ({first} to {last})",
                    evs.len(),
                    dcs.join(", ")
                ),
            )
            .why(format!("{why} Source: {}.", info.reference))
            .fix(info.fix.clone())
            .evidence(samples.join("\n")),
        );
    }
    let seen_6025 = by_id.contains_key(&6025);
    let n = c.ad.as_ref().map(|ad| causes(&mut st, ad, seen_6025));
    st.summary = if pcns.is_empty() {
        "no PCNSSVC event in the collected logs".into()
    } else {
        format!("{} PCNSSVC event(s)", pcns.len())
    };
    if let Some(n) = n {
        st.summary
            .push_str(&format!("; {n} of 6025's causes seen in the directory"));
    }
    st.settle()
}

/// The causes of 6025 that the directory shows (TechNet wiki 4159): the SPN missing from
/// the Sync service account, on two accounts, only in its short form, and the clocks more
/// than five minutes apart. Errors where 6025 was seen, warnings otherwise. Returns how
/// many causes were seen.
fn causes(st: &mut StepReport, ad: &AdReadings, seen_6025: bool) -> usize {
    let severity = if seen_6025 {
        Severity::Error
    } else {
        Severity::Warning
    };
    let lead = if seen_6025 {
        "6025's cause"
    } else {
        "a cause of 6025 (PCNS cannot authenticate to the Sync server)"
    };
    let source = "TechNet wiki 4159, \"PCNS: Troubleshooting Event ID 6025\": \"The password change notification target could not be authenticated\" usually means the SPN is not on the account of the target (the Sync service), is on more than one account, is not in its full (FQDN) form, or the clocks differ by more than 5 minutes";
    let spns: Vec<&Outcome> = ad
        .outcomes
        .iter()
        .filter(|o| o.id == "ad-spn" && o.title.starts_with("SPN PCNSCLNT/"))
        .collect();
    if spns.is_empty() {
        let why = ad
            .outcomes
            .iter()
            .find(|o| matches!(o.state, State::Error | State::Skipped))
            .map(|o| format!("{}: {}", o.title, o.summary))
            .unwrap_or_else(|| "the directory gave no answer to them".into());
        st.findings.push(
            finding("doctor-pcns-unchecked", Severity::Warning, format!("6025's SPN and clock causes were not checked: {why}"))
                .why(source)
                .fix("check the profile's Live checks answers (domain controller, bind account and password), or check by hand: setspn -Q PCNSCLNT/<Sync server FQDN>, w32tm /stripchart"),
        );
        return 0;
    }
    let owners = |spn: &str| {
        ad.facts
            .get(&format!("ad.spn.{spn}.owners"))
            .filter(|o| !o.is_empty())
            .cloned()
    };
    let spn_of = |o: &Outcome| o.title.trim_start_matches("SPN ").to_string();
    let full = spns.iter().find(|o| spn_of(o).contains('.')).copied();
    let short = spns.iter().find(|o| !spn_of(o).contains('.')).copied();
    let mut n = 0;
    for o in &spns {
        st.evidence.push(format!(
            "{}: {}",
            spn_of(o),
            owners(&spn_of(o)).map_or_else(
                || "registered on no account".to_string(),
                |w| format!("registered on {w}")
            )
        ));
    }
    let mut push = |st: &mut StepReport, id: &str, message: String, fix: String, seen: String| {
        n += 1;
        st.findings.push(
            finding(id, severity, format!("{lead}: {message}"))
                .why(source)
                .fix(fix)
                .evidence(seen),
        );
    };
    if let Some(full) = full {
        let spn = spn_of(full);
        for f in &full.findings {
            let seen = f.evidence.clone().unwrap_or_else(|| f.message.clone());
            match f.check.as_str() {
                "ad-spn-missing" => match short.and_then(|s| owners(&spn_of(s)).map(|w| (spn_of(s), w))) {
                    Some((short_spn, on)) => push(
                        st,
                        "doctor-pcns-spn-short",
                        format!("the SPN is registered only in its short form, {short_spn} on {on}, not as {spn}"),
                        format!("register the full form and remove the short one: setspn -S {spn} <Sync service account>; setspn -D {short_spn} {on}; PCNS's target (pcnscfg list) names the full name"),
                        seen,
                    ),
                    None => push(st, "doctor-pcns-spn-missing", format!("the SPN {spn} is not registered"), f.fix.clone(), seen),
                },
                "ad-spn-elsewhere" => push(st, "doctor-pcns-spn-missing", format!("{}: not on the Sync service account", f.message.trim_end_matches('.')), f.fix.clone(), seen),
                "ad-spn-duplicate" => push(st, "doctor-pcns-spn-duplicate", f.message.trim_end_matches('.').to_string(), f.fix.clone(), seen),
                _ => {}
            }
        }
    }
    if let Some(short) = short {
        for f in short
            .findings
            .iter()
            .filter(|f| f.check != "ad-spn-missing")
        {
            let seen = f.evidence.clone().unwrap_or_else(|| f.message.clone());
            push(
                st,
                "doctor-pcns-spn-duplicate",
                f.message.trim_end_matches('.').to_string(),
                f.fix.clone(),
                seen,
            );
        }
    }
    match ad.outcomes.iter().find(|o| o.id == "ad-clock") {
        Some(o) => {
            st.evidence.extend(o.evidence.iter().cloned());
            for f in o.findings.iter().filter(|f| f.check == "ad-clock-skew") {
                push(
                    st,
                    "doctor-pcns-clock-skew",
                    format!("{} (compared with this computer: run the doctor on the Sync server, the PCNS target)", f.message.trim_end_matches('.')),
                    f.fix.clone(),
                    f.evidence.clone().unwrap_or_default(),
                );
            }
        }
        None => st
            .evidence
            .push("the domain controller's clock: not read".into()),
    }
    if n == 0 {
        st.findings.push(
            finding("doctor-pcns-causes-clear", Severity::Info, "none of 6025's four causes shows in the directory: the SPN is on one account in its full form, and the clocks agree within 5 minutes")
                .why(source)
                .fix("if 6025 goes on: check that the SPN's account is the one the Sync service runs as, PCNS's target configuration (pcnscfg list) and the RPC ports between the domain controllers and the Sync server"),
        );
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Area, Facts};
    use crate::doctor::inputs::WinEvent;
    use crate::doctor::tables::tables;
    use crate::finding::Finding;

    const FULL: &str = "PCNSCLNT/corpsync.contoso.local";
    const SHORT: &str = "PCNSCLNT/corpsync";

    fn spn(spn: &str, findings: Vec<Finding>) -> Outcome {
        let title = format!("SPN {spn}");
        if findings.is_empty() {
            Outcome::ok("ad-spn", Area::Ad, "checks", title, "ok")
        } else {
            Outcome::found("ad-spn", Area::Ad, "checks", title, findings)
        }
    }

    fn ad(full: Vec<Finding>, owners: (&str, &str), clock: Outcome) -> AdReadings {
        let mut facts = Facts::new();
        facts.insert(format!("ad.spn.{FULL}.owners"), owners.0.into());
        facts.insert(format!("ad.spn.{SHORT}.owners"), owners.1.into());
        AdReadings {
            outcomes: vec![spn(FULL, full), spn(SHORT, vec![]), clock],
            facts,
        }
    }

    fn clock(skewed: bool) -> Outcome {
        let o = Outcome::ok("ad-clock", Area::Ad, "checks", "Clock of dc1", "within 0 s");
        if skewed {
            let mut o = o;
            o.push(Finding::error(
                "ad-clock-skew",
                "checks.dc",
                "The clock of dc1 is 10 min ahead of this computer's.",
            ));
            return o;
        }
        o
    }

    fn event_6025() -> WinEvent {
        WinEvent {
            provider: "PCNSSVC".into(),
            id: 6025,
            level: 2,
            time: "2026-11-30T01:00:00Z".into(),
            computer: "DC01.contoso.com".into(),
            channel: "Application".into(),
            data: vec![],
            message: Some(
                "The password change notification target could not be authenticated.".into(),
            ),
        }
    }

    fn ids(st: &StepReport) -> Vec<(&str, Severity)> {
        st.findings
            .iter()
            .map(|f| (f.check.as_str(), f.severity))
            .collect()
    }

    #[test]
    fn with_6025_the_directorys_causes_are_errors_and_each_is_named() {
        let t = tables().expect("tables");
        let missing = || {
            vec![Finding::warning(
                "ad-spn-missing",
                "checks.computer",
                format!("The SPN {FULL} is not registered."),
            )]
        };
        let mut c = Collection {
            events: Some(vec![event_6025()]),
            ad: Some(ad(missing(), ("", ""), clock(false))),
            ..Collection::default()
        };
        let st = check(&c, t);
        assert_eq!(
            ids(&st),
            [
                ("doctor-pcns-event", Severity::Error),
                ("doctor-pcns-spn-missing", Severity::Error)
            ]
        );
        assert!(st.summary.contains("1 of 6025's causes"), "{}", st.summary);
        // Only the short form registered: "not properly formatted".
        c.ad = Some(ad(missing(), ("", "MIMSync"), clock(true)));
        let st = check(&c, t);
        assert_eq!(
            ids(&st)[1..],
            [
                ("doctor-pcns-spn-short", Severity::Error),
                ("doctor-pcns-clock-skew", Severity::Error)
            ]
        );
        // Registered twice.
        let dup = vec![Finding::error(
            "ad-spn-duplicate",
            "checks.computer",
            format!("The SPN {FULL} is registered on 2 accounts: MIMSync, SqlServer."),
        )];
        c.ad = Some(ad(dup, ("MIMSync, SqlServer", ""), clock(false)));
        assert_eq!(
            ids(&check(&c, t))[1],
            ("doctor-pcns-spn-duplicate", Severity::Error)
        );
        // Nothing wrong: said so, as information.
        c.ad = Some(ad(vec![], ("MIMSync", ""), clock(false)));
        assert_eq!(
            ids(&check(&c, t))[1],
            ("doctor-pcns-causes-clear", Severity::Info)
        );
    }

    #[test]
    fn without_events_the_causes_are_warnings_and_an_unreached_directory_is_said() {
        let t = tables().expect("tables");
        let c = Collection {
            ad: Some(ad(vec![], ("", "MIMSync"), clock(true))),
            ..Collection::default()
        };
        let st = check(&c, t);
        assert_eq!(st.state, State::Warning);
        assert_eq!(ids(&st), [("doctor-pcns-clock-skew", Severity::Warning)]);
        let c = Collection {
            ad: Some(AdReadings {
                outcomes: vec![Outcome::skipped(
                    "ad-bind",
                    Area::Ad,
                    "checks",
                    "Directory bind",
                    "no bind account",
                )],
                facts: Facts::new(),
            }),
            ..Collection::default()
        };
        let st = check(&c, t);
        assert_eq!(ids(&st), [("doctor-pcns-unchecked", Severity::Warning)]);
        assert!(st.findings[0].message.contains("no bind account"));
        assert_eq!(check(&Collection::default(), t).state, State::Skipped);
    }
}
