//! Step 5, PCNS: events of the Password Change Notification Service (source `PCNSSVC`,
//! Application log of the domain controllers), 6025 first: what it means, its four causes
//! for "could not be authenticated", and which checks tell them apart. The SPN checks are
//! `mim-setup check`'s AD checks (they need the profile and the directory); from a
//! collection the doctor names them and the clock check.
use crate::doctor::inputs::Collection;
use crate::doctor::report::{finding, StepReport};
use crate::doctor::tables::Tables;
use crate::finding::Severity;
use std::collections::BTreeMap;

pub fn check(c: &Collection, t: &Tables) -> StepReport {
    let mut st = StepReport::new("pcns", 5, "PCNS event 6025");
    let Some(events) = &c.events else {
        return st.skipped("no events*.xml (wevtutil qe Application /f:xml from the domain controllers) in the collection");
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
    st.summary = if pcns.is_empty() {
        "no PCNSSVC event in the collected logs".into()
    } else {
        format!("{} PCNSSVC event(s)", pcns.len())
    };
    st.settle()
}
