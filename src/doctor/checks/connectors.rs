//! Step 2, the generic connector pack: the FileVersion of every
//! `Extensions\Microsoft.IAM.Connector.*.dll` against the connector pack's table, the known
//! requirements of a build (1.1.2005.0's EntryUUID anchor: Sync 4.6.607.0 or later and a
//! registry value), and event 6947 (a connector configuration older than its DLL).
use super::installed::Installed;
use crate::doctor::inputs::{Collection, RegValue};
use crate::doctor::report::{finding, StepReport};
use crate::doctor::tables::{cmp_versions, Tables};
use crate::finding::Severity;
use std::cmp::Ordering;

/// `("X.X.XXX.X", "Y.Y.YYY.Y", "path")` of a 6947 message, as far as it can be read.
fn parse_6947(text: &str) -> (Option<String>, Option<String>, Option<String>) {
    let quoted: Vec<&str> = text.split('"').skip(1).step_by(2).collect();
    (
        quoted.first().map(|s| s.to_string()),
        quoted.get(1).map(|s| s.to_string()),
        quoted.get(2).map(|s| s.to_string()),
    )
}

pub fn check(c: &Collection, i: &Installed, t: &Tables) -> StepReport {
    let mut st = StepReport::new("connectors");
    let ct = &t.connectors;
    let dlls: Vec<_> = c
        .files
        .iter()
        .flat_map(|f| f.files.iter())
        .filter(|f| {
            let p = f.path.replace('/', "\\").to_ascii_lowercase();
            p.starts_with("extensions\\microsoft.iam.connector.") && p.ends_with(".dll")
        })
        .collect();
    let events_6947: Vec<_> = c
        .events
        .iter()
        .flatten()
        .filter(|e| e.id == 6947 && e.provider.eq_ignore_ascii_case("FIMSynchronizationService"))
        .collect();
    if c.files.is_none() && events_6947.is_empty() {
        return st.skipped("no file-versions.json (Extensions\\*.dll) in the collection");
    }
    for d in &dlls {
        let name = d
            .path
            .rsplit(['\\', '/'])
            .next()
            .unwrap_or(&d.path)
            .to_string();
        st.evidence.push(format!("{}: {}", d.path, d.version));
        match cmp_versions(&d.version, &ct.newest) {
            Some(Ordering::Less) => {
                let later: Vec<String> = ct
                    .build
                    .iter()
                    .filter(|b| cmp_versions(&b.version, &d.version) == Some(Ordering::Greater))
                    .map(|b| {
                        let date = if b.date.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", b.date)
                        };
                        let notes = if b.notes.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", b.notes)
                        };
                        format!("{}{date}{notes}", b.version)
                    })
                    .collect();
                st.findings.push(
                    finding("doctor-connector-behind", Severity::Warning, format!("{name} is {}; {} is the newest connector pack build", d.version, ct.newest))
                        .why("problems with the Generic LDAP, Generic SQL, Lotus Domino or Web Services connector may be fixed in a later connector pack (seeds, step 2)")
                        .fix(format!("install the newest connector pack ({}) on the Sync server, then open each connector's properties and save them", ct.download))
                        .evidence(later.join("\n")),
                );
            }
            None => st.findings.push(
                finding(
                    "doctor-connector-unknown",
                    Severity::Warning,
                    format!("{name}: {:?} is not a version", d.version),
                )
                .why("the version could not be compared with the connector pack's table")
                .fix("collect the file version again (the FileVersion resource, a.b.c.d)"),
            ),
            _ => {}
        }
        if ct.build.iter().all(|b| b.version != d.version)
            && cmp_versions(&d.version, &ct.newest) != Some(Ordering::Greater)
            && crate::doctor::tables::version(&d.version).is_some()
        {
            st.findings.push(
                finding("doctor-connector-unknown", Severity::Info, format!("{name} {} is not in the connector pack's version history", d.version))
                    .why("a build outside the published list (a private or preview build) has no documented fixes"),
            );
        }
        for r in &ct.requirement {
            if !name.eq_ignore_ascii_case(&r.dll)
                || cmp_versions(&d.version, &r.from).is_none_or(|o| o == Ordering::Less)
            {
                continue;
            }
            match i.at_least(&r.min_sync) {
                Some(false) => st.findings.push(
                    finding("doctor-connector-requirement", Severity::Warning, format!("{name} {} needs Sync {} or later for {}; {} is installed", d.version, r.min_sync, r.what, i.version().unwrap_or("?")))
                        .why("the connector pack's history says so for this build")
                        .fix(format!("install Sync {} or later (see step 1)", r.min_sync)),
                ),
                None => st.findings.push(
                    finding("doctor-connector-requirement", Severity::Info, format!("{name} {} needs Sync {} or later for {}; the installed build is not in the collection", d.version, r.min_sync, r.what)),
                ),
                Some(true) => {}
            }
            let value = c.registry.as_ref().map(|reg| {
                (
                    reg.key(&r.registry_key).is_some(),
                    reg.value(&r.registry_key, &r.registry_value),
                )
            });
            match value {
                Some((_, Some(RegValue::Dword(v)))) if *v == r.registry_dword => {
                    st.evidence.push(format!("{}\\{} = {v}", r.registry_key, r.registry_value));
                }
                Some((true, other)) => st.findings.push(
                    finding("doctor-connector-requirement", Severity::Warning, format!("{name} {}: {} needs {}\\{} = {} (DWORD); it is {}", d.version, r.what, r.registry_key, r.registry_value, r.registry_dword, other.map(|v| format!("{v:?}")).unwrap_or_else(|| "not set".into())))
                        .why("without the value, the Generic LDAP connector with the EntryUUID anchor fails (connector version history, 1.1.2005.0); connectors that do not use the EntryUUID anchor do not need it")
                        .fix(format!("if the connector uses the EntryUUID anchor: reg add \"{}\" /v {} /t REG_DWORD /d {} /f, then restart the Sync service", r.registry_key.replace("HKEY_LOCAL_MACHINE", "HKLM"), r.registry_value, r.registry_dword)),
                ),
                _ => st.evidence.push(format!("{}: not in the collection's registry export, so {} was not checked", r.registry_key, r.registry_value)),
            }
        }
    }
    if c.files.is_some() && dlls.is_empty() {
        st.evidence.push("no Extensions\\Microsoft.IAM.Connector.*.dll in file-versions.json: no generic connector installed".into());
    }
    for e in &events_6947 {
        let (config, actual, path) = parse_6947(&e.text());
        let info = t.event("FIMSynchronizationService", 6947);
        st.findings.push(
            finding(
                "doctor-connector-6947",
                Severity::Warning,
                format!(
                    "event 6947 on {} at {}: the connector configuration was saved with {} but {} is {}",
                    e.computer,
                    e.time,
                    config.as_deref().unwrap_or("an older version"),
                    path.as_deref().unwrap_or("its DLL"),
                    actual.as_deref().unwrap_or("newer")
                ),
            )
            .why(info.map(|i| i.meaning.clone()).unwrap_or_default())
            .fix(info.map(|i| i.fix.clone()).unwrap_or_default())
            .evidence(e.text()),
        );
    }
    let behind = st
        .findings
        .iter()
        .filter(|f| f.check == "doctor-connector-behind")
        .count();
    st.summary = match (dlls.len(), behind, events_6947.len()) {
        (0, _, 0) => "no generic connector DLL in Extensions\\".into(),
        (n, 0, 0) => format!(
            "{n} connector DLL(s), all at the newest build {}",
            ct.newest
        ),
        (n, b, e) => format!(
            "{n} connector DLL(s), {b} behind {}; {e} event(s) 6947",
            ct.newest
        ),
    };
    st.settle()
}
