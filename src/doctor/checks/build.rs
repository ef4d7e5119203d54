//! Step 1, build currency: the installed Sync build from its three readings, compared with
//! the table of MIM 2016 builds. Names the installed build, the newest build of its line and
//! the Sync fixes in between; SP3 is told by its product code, and no SP3 build number is
//! assumed (none is confirmed).
use super::installed::{Installed, ProductLine, PARAMETERS};
use crate::doctor::report::{finding, StepReport};
use crate::doctor::tables::{cmp_versions, Build, Tables};
use crate::finding::Severity;
use std::cmp::Ordering;

fn kb_date(b: &Build) -> String {
    let mut parts = Vec::new();
    if !b.kb.is_empty() {
        parts.push(b.kb.clone());
    }
    if !b.date.is_empty() {
        parts.push(b.date.clone());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// The line of a version: from the table, else by major.minor.
fn line_of(t: &Tables, v: &str) -> Option<String> {
    if let Some(b) = t.build(v) {
        return Some(b.line.clone());
    }
    let p = crate::doctor::tables::version(v)?;
    match (p.first(), p.get(1)) {
        (Some(4), Some(3)) => Some("RTM".into()),
        (Some(4), Some(4 | 5)) => Some("SP1".into()),
        (Some(4), Some(6)) => Some("SP2".into()),
        _ => None,
    }
}

pub fn check(i: &Installed, t: &Tables, have_reg: bool, have_files: bool) -> StepReport {
    let mut st = StepReport::new("build");
    if !have_reg && !have_files {
        return st.skipped("no registry export and no file-versions.json in the collection");
    }
    if let Some(p) = &i.path {
        st.evidence.push(format!("Parameters Path: {p}"));
    }
    let mut readings = Vec::new();
    match &i.display_version {
        Some((key, v)) => readings.push(("Uninstall DisplayVersion", v.clone(), key.clone())),
        None if have_reg => st
            .evidence
            .push("Uninstall entry of the Synchronization Service with a DisplayVersion: not in the registry export".into()),
        None => {}
    }
    if let Some((line, code, v)) = &i.product {
        let l = match line {
            ProductLine::Sp3 => "SP3",
            ProductLine::Sp2 => "SP1/SP2",
        };
        st.evidence.push(format!("MSI product code {code}: {l}"));
        if let Some(v) = v {
            readings.push((
                "MSI InstallProperties DisplayVersion",
                v.clone(),
                code.clone(),
            ));
        }
    } else if have_reg {
        st.evidence
            .push("MSI product of the Synchronization Service: neither the SP1/SP2 nor the SP3 product code is in the registry export".into());
    }
    match &i.file_version {
        Some(v) => readings.push(("Bin\\miiserver.exe file version", v.clone(), String::new())),
        None if have_files => st
            .evidence
            .push("Bin\\miiserver.exe: not in file-versions.json".into()),
        None => {}
    }
    for (what, v, _) in &readings {
        st.evidence.push(format!("{what}: {v}"));
    }
    let sp3_code = i
        .product
        .as_ref()
        .is_some_and(|(l, _, _)| *l == ProductLine::Sp3);
    if sp3_code && i.version().is_none() {
        st.findings.push(
            finding("doctor-build-sp3", Severity::Info, "MIM 2016 SP3 installed (by its product code); its build is not in the collection")
                .why("SP3 is recognised by its product code; no SP3 build number is confirmed in any source, so the doctor cannot say whether a newer SP3 build exists")
                .fix("compare Bin\\miiserver.exe's version with Microsoft's MIM version history page (learn.microsoft.com/microsoft-identity-manager/reference/version-history)"),
        );
        st.summary = "SP3 installed (product code); build not in the collection, newest SP3 build unconfirmed".into();
        return st.settle();
    }
    let Some(installed) = i.version().map(str::to_string) else {
        st.findings.push(
            finding("doctor-build-unknown", Severity::Warning, "the installed Synchronization Service build is not in the collection")
                .why("without the build, the doctor cannot say which fixes the server lacks")
                .fix(format!("collect the Uninstall key, the MSI product key and {PARAMETERS}, and the file version of Bin\\miiserver.exe"))
                .evidence(st.evidence.join("; ")),
        );
        st.summary = "installed build not known".into();
        return st.settle();
    };
    let distinct: std::collections::BTreeSet<&str> =
        readings.iter().map(|(_, v, _)| v.as_str()).collect();
    if distinct.len() > 1 {
        st.findings.push(
            finding(
                "doctor-build-readings",
                Severity::Info,
                format!(
                    "the version readings disagree: {}; {installed} (the file that runs) is taken as the installed build",
                    readings.iter().map(|(w, v, _)| format!("{w} {v}")).collect::<Vec<_>>().join(", ")
                ),
            )
            .why("a hotfix that did not finish, or a file replaced by hand, leaves the service at another build than setup records; whether DisplayVersion is raised by hotfixes (MSP) is unconfirmed, so a lower DisplayVersion alone may be normal")
            .fix("if the file version is the lower one, run the hotfix again; compare with the build in Synchronization Service Manager's Help > About"),
        );
    }
    let v47 = cmp_versions(&installed, "4.7").is_some_and(|o| o != Ordering::Less);
    if sp3_code || v47 {
        if sp3_code && !v47 {
            st.findings.push(
                finding("doctor-build-readings", Severity::Warning, format!("the SP3 product code is installed but the build reads {installed}"))
                    .why("SP3 is a new MSI product (a major upgrade); a 4.6 build under the SP3 product means an upgrade that did not finish or a mixed collection")
                    .fix("check Programs and Features and Bin\\miiserver.exe on the server; finish or repeat the SP3 upgrade"),
            );
        }
        st.findings.push(
            finding("doctor-build-sp3", Severity::Info, format!("MIM 2016 SP3 installed ({installed})"))
                .why("SP3 is recognised by its product code; no SP3 build number is confirmed in any source, so the doctor cannot say whether a newer SP3 build exists")
                .fix("compare with Microsoft's MIM version history page (learn.microsoft.com/microsoft-identity-manager/reference/version-history)"),
        );
        st.summary = format!("{installed} installed: SP3 (newest SP3 build unconfirmed)");
        return st.settle();
    }
    let Some(line) = line_of(t, &installed) else {
        st.findings.push(
            finding(
                "doctor-build-unknown",
                Severity::Warning,
                format!("{installed} is not a MIM 2016 Synchronization Service build"),
            )
            .why("the version does not belong to MIM 2016 (4.3 RTM, 4.4/4.5 SP1, 4.6 SP2, SP3)")
            .fix("check that the collection comes from the MIM 2016 Sync server"),
        );
        st.summary = format!("{installed}: not a known build");
        return st.settle();
    };
    let Some(l) = t.line(&line) else {
        st.summary = format!("{installed} ({line})");
        return st.settle();
    };
    let newest = t.build(&l.newest);
    let newest_text = newest
        .map(|b| format!("{}{}", b.version, kb_date(b)))
        .unwrap_or_else(|| l.newest.clone());
    if t.build(&installed).is_none() {
        st.findings.push(
            finding("doctor-build-unknown", Severity::Warning, format!("{installed} is not in the table of MIM 2016 builds ({line} line)"))
                .why("a build outside Microsoft's version history may be a private fix or a misread version")
                .fix(format!("compare with the version history page; {newest_text} is the newest {line} build")),
        );
    }
    let between: Vec<&Build> = t
        .builds
        .build
        .iter()
        .filter(|b| b.line == line)
        .filter(|b| cmp_versions(&b.version, &installed) == Some(Ordering::Greater))
        .collect();
    if between.is_empty() {
        st.summary = format!(
            "{installed} installed: the newest {line} build{}",
            newest.map(kb_date).unwrap_or_default()
        );
    } else {
        let fixes: Vec<String> = between
            .iter()
            .map(|b| {
                format!(
                    "{}{}{}: {}",
                    b.version,
                    kb_date(b),
                    if b.sync { " [Sync]" } else { "" },
                    b.notes
                )
            })
            .collect();
        let sync_fixes = between.iter().filter(|b| b.sync).count();
        st.findings.push(
            finding(
                "doctor-build-behind",
                Severity::Warning,
                format!("{installed} installed; {newest_text} is the newest {line} build ({} build(s) later, {sync_fixes} with Synchronization Service fixes)", between.len()),
            )
            .why("fixes to the Synchronization Service come as hotfix builds, and a problem may already be solved in one (seeds, step 1); the summaries are Microsoft's version history, the per-KB fix lists are not confirmed here")
            .fix(format!(
                "install {newest_text} on the Sync server: stop the scheduled runs, back up the encryption key (miiskmu.exe), run the update, restart the service and check the version{}",
                if line == "SP2" { "" } else { "; this line is superseded, plan the move to SP2 4.6.673.0 and then SP3" }
            ))
            .evidence(fixes.join("\n")),
        );
        st.summary = format!("{installed} installed; {newest_text} is the newest {line} build");
    }
    if line != "SP2" {
        st.findings.push(
            finding("doctor-build-line", Severity::Warning, format!("{line} is superseded: {}", l.note))
                .why("Microsoft supports MIM 2016 on its current service pack; RTM customers must upgrade to stay supported")
                .fix("upgrade to SP2 (4.6.34.0) and its newest hotfix 4.6.673.0, then plan SP3"),
        );
    } else if between.is_empty() {
        st.findings.push(
            finding("doctor-build-sp3", Severity::Info, "Service Pack 3 exists: the in-place upgrade of the Sync Service starts from 4.6.673.0")
                .why("SP3 (released April 2026) adds Windows Server 2025 and SQL Server 2022 support; its build number is not confirmed")
                .fix("see Microsoft's 'Upgrade MIM 2016 from SP2 to SP3': Windows Server 2019/2022, .NET 4.8, Microsoft OLE DB Driver for SQL Server, VC++ 2015-2022 x64"),
        );
    }
    st.settle()
}

/// Why there is no update plan: the build is current (nothing to do), or the collection
/// cannot tell what to update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoUpdate {
    Current(String),
    Cannot(String),
}

/// What an update plan goes from and to: the installed SP2 build and the newest SP2 build,
/// when the installed one is behind; else why there is nothing to plan (the same readings
/// and table as the build step).
pub fn update_target(i: &Installed, t: &Tables) -> Result<crate::plan::update::Target, NoUpdate> {
    let cannot = |s: String| NoUpdate::Cannot(s);
    if i.is_sp3() {
        return Err(NoUpdate::Current(format!(
            "{} is SP3: no newer SP3 build is confirmed, so there is no update to plan",
            i.version().unwrap_or("the installed build")
        )));
    }
    let Some(installed) = i.version().map(str::to_string) else {
        return Err(cannot("the installed build is not in the collection (no registry export or file-versions.json with it)".into()));
    };
    let line = line_of(t, &installed).ok_or_else(|| {
        cannot(format!(
            "{installed} is not a MIM 2016 Synchronization Service build"
        ))
    })?;
    if line != "SP2" {
        return Err(cannot(format!("{installed} is {line}: moving to SP2 is an upgrade with SP2's setup, not a hotfix; make an install plan for SP2 (mim-setup plan)")));
    }
    let l = t
        .line(&line)
        .ok_or_else(|| cannot(format!("the build table has no {line} line")))?;
    let newest = t
        .build(&l.newest)
        .ok_or_else(|| cannot(format!("the build table has no row for {}", l.newest)))?;
    if cmp_versions(&newest.version, &installed) != Some(Ordering::Greater) {
        return Err(NoUpdate::Current(format!(
            "{installed} is the newest {line} build: there is no update to plan"
        )));
    }
    let Some(path) = i.path.clone() else {
        return Err(cannot(format!(
            "the Sync Service's folder is not in the collection (the Path value of {PARAMETERS})"
        )));
    };
    let from = if i.file_version.is_some() {
        "Bin\\miiserver.exe's file version"
    } else {
        "setup's DisplayVersion"
    };
    Ok(crate::plan::update::Target {
        installed,
        version: newest.version.clone(),
        kb: newest.kb.clone(),
        date: newest.date.clone(),
        line,
        path,
        from: from.to_string(),
    })
}
