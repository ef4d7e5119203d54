//! Steps 3, 4 and 7 from the aggregated run history (`History`): the findings, the
//! patterns and the summaries.
use super::{minutes, History, Row, MAX_TRACKED, RECENT, SAMPLES, STREAK, STUCK_HOURS};
use crate::doctor::inputs::Collection;
use crate::doctor::report::{finding, RunRow, StepReport};
use crate::doctor::tables::{class_of, Tables};
use crate::doctor::Options;
use crate::finding::Severity;
use std::collections::{BTreeMap, HashMap};

fn run_list(runs: &[u32]) -> String {
    let shown: Vec<String> = runs
        .iter()
        .rev()
        .take(8)
        .rev()
        .map(u32::to_string)
        .collect();
    if runs.len() > 8 {
        format!("runs ..., {}", shown.join(", "))
    } else {
        format!("run(s) {}", shown.join(", "))
    }
}

impl History {
    fn by_ma(&self) -> BTreeMap<&str, Vec<&Row>> {
        let mut m: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
        for r in &self.rows {
            m.entry(r.ma.as_str()).or_default().push(r);
        }
        m
    }

    /// Step 3: the recent runs, every status other than success explained, the object
    /// errors and the patterns.
    pub fn runs_step(&self, t: &Tables, c: &Collection, o: &Options) -> StepReport {
        let mut st = StepReport::new("runs");
        if c.run_history.is_empty() {
            return st.skipped("no run-history*.xml in the collection");
        }
        let by_ma = self.by_ma();
        if let Some(ma) = &o.ma {
            if by_ma.is_empty() {
                let names: Vec<&str> = self.mas.keys().map(String::as_str).collect();
                st.summary = format!(
                    "no run of MA {ma:?} in the history{}",
                    if names.is_empty() {
                        String::new()
                    } else {
                        format!(" (MAs: {})", names.join(", "))
                    }
                );
            }
        }
        for (ma, rows) in &by_ma {
            for r in rows.iter() {
                let (prefix_class, prefix) = class_of(&r.status);
                let row = t.status(&r.status);
                st.runs.push(RunRow {
                    ma: ma.to_string(),
                    number: r.number,
                    profile: r.profile.clone(),
                    status: r.status.clone(),
                    start: r.start.clone(),
                    end: r.end.clone(),
                    errors: r.errors,
                    class: row.map_or(prefix_class, |x| x.class.as_str()).to_string(),
                    meaning: row.map_or(prefix, |x| x.meaning.as_str()).to_string(),
                });
            }
            for r in rows.iter().rev().take(RECENT).rev() {
                st.evidence.push(format!(
                    "{ma} | run {} | {} | {} | {} -> {}{}",
                    r.number,
                    r.profile,
                    r.status,
                    r.start,
                    r.end,
                    if r.errors > 0 {
                        format!(" | {} object error(s)", r.errors)
                    } else {
                        String::new()
                    }
                ));
            }
        }
        // Every status other than success, per MA.
        let mut statuses: BTreeMap<(&str, &str), Vec<&Row>> = BTreeMap::new();
        for r in &self.rows {
            if r.status != "success" {
                statuses
                    .entry((r.ma.as_str(), r.status.as_str()))
                    .or_default()
                    .push(r);
            }
        }
        let latest: HashMap<(&str, &str), u32> = self
            .rows
            .iter()
            .map(|r| ((r.ma.as_str(), r.profile.as_str()), r.number))
            .fold(HashMap::new(), |mut m, (k, n)| {
                let e = m.entry(k).or_insert(n);
                *e = (*e).max(n);
                m
            });
        for ((ma, status), rows) in &statuses {
            let total = by_ma.get(ma).map(Vec::len).unwrap_or(0);
            let last = rows[rows.len() - 1];
            let runs: Vec<u32> = rows.iter().map(|r| r.number).collect();
            let current = rows
                .iter()
                .any(|r| latest.get(&(r.ma.as_str(), r.profile.as_str())) == Some(&r.number));
            let (prefix_class, prefix) = class_of(status);
            let row = t.status(status);
            let class = row.map(|r| r.class.as_str()).unwrap_or(prefix_class);
            let severity = match class {
                "ok" | "running" => Severity::Info,
                "stopped" | "no-start" if current => Severity::Error,
                _ => Severity::Warning,
            };
            let mut why = match row {
                Some(r) => r.meaning.clone(),
                None => format!("{status} is not in the Sync Service's run-history schema; by its prefix, {prefix}"),
            };
            if let Some(r) = row {
                if !r.causes.is_empty() {
                    why.push_str(&format!(" Likely causes: {}", r.causes));
                }
                if r.sure == "infer" {
                    why.push_str(" (meaning taken from the status name: Microsoft's description is not confirmed)");
                }
            }
            st.findings.push(
                finding(
                    "doctor-run-status",
                    severity,
                    format!("{ma}: {status} in {} of {total} run(s), last in run {} ({}, {}){}", rows.len(), last.number, last.profile, last.start, if current { "" } else { "; a later run of that profile differs" }),
                )
                .why(why)
                .fix(row.map(|r| r.fix.clone()).unwrap_or_else(|| "look at the run's details in Synchronization Service Manager and the Application log".into()))
                .evidence(run_list(&runs)),
            );
        }
        self.patterns(&by_ma, &mut st);
        // Object error types.
        for ((ma, ph, et), g) in &self.errors {
            let row = t.error_type(et);
            let mut f = finding(
                "doctor-object-error",
                Severity::Warning,
                format!(
                    "{ma}: {et} ({ph}), {} time(s) in {} run(s)",
                    g.count,
                    g.runs.len()
                ),
            )
            .why(match row {
                Some(r) => r.meaning.clone(),
                None => {
                    format!("{et} is not in Microsoft's list of run error codes (maerrorcodes)")
                }
            })
            .evidence(format!("{}; {}", run_list(&g.runs), g.samples.join("; ")));
            if let Some(r) = row.filter(|r| !r.fix.is_empty()) {
                f = f.fix(r.fix.clone());
            } else {
                f = f.fix("open the object in Synchronization Service Manager (Connector Space Object properties) for the error's detail; Microsoft's 'Management agent run error codes' lists the causes");
            }
            st.findings.push(f);
        }
        for e in c.events.iter().flatten().filter(|e| {
            e.provider.eq_ignore_ascii_case("FIMSynchronizationService")
                && [6301, 6323, 6801].contains(&e.id)
        }) {
            if let Some(info) = t.event(&e.provider, e.id) {
                st.findings.push(
                    finding(
                        "doctor-sync-event",
                        Severity::Warning,
                        format!("event {} on {} at {}", e.id, e.computer, e.time),
                    )
                    .why(info.meaning.clone())
                    .fix(info.fix.clone())
                    .evidence(e.text()),
                );
            }
        }
        if st.summary.is_empty() {
            let failed = self
                .rows
                .iter()
                .filter(|r| !matches!(t.status(&r.status).map(|s| s.class.as_str()), Some("ok")))
                .count();
            st.summary = format!(
                "{} run(s) of {} MA(s) read{}; {failed} not successful",
                self.rows.len(),
                by_ma.len(),
                if self.read != self.rows.len() {
                    format!(" ({} in the files, narrowed by --since/--ma)", self.read)
                } else {
                    String::new()
                }
            );
        }
        if self.tracked_full {
            st.evidence.push(format!("more than {MAX_TRACKED} failing objects: the every-run pattern looked at the first {MAX_TRACKED}"));
        }
        st.settle()
    }

    fn patterns(&self, by_ma: &BTreeMap<&str, Vec<&Row>>, st: &mut StepReport) {
        let newest = self.rows.iter().filter_map(|r| minutes(&r.start)).max();
        for (ma, rows) in by_ma {
            for (i, r) in rows.iter().enumerate() {
                if !(r.status == "in-progress" || r.status.starts_with("completing-")) {
                    continue;
                }
                let later = i + 1 < rows.len();
                let old = match (minutes(&r.start), newest) {
                    (Some(s), Some(n)) => n - s >= STUCK_HOURS * 60,
                    _ => false,
                };
                if later || old {
                    st.findings.push(
                        finding("doctor-run-stuck", Severity::Warning, format!("{ma}: run {} ({}) is still {} since {}", r.number, r.profile, r.status, r.start))
                            .why(if later { "later runs of the MA exist, so this run never finished: the service or server stopped during it" } else { "it started more than two hours before the newest run in the history (a rule of thumb, not a Microsoft limit)" })
                            .fix("look at the Application log around its start; if no run is going, restart the Sync service (a run left in-progress is closed when the service starts) and run the profile again"),
                    );
                }
            }
            // completed-* (or success) turned stopped-*, per run profile.
            let mut by_profile: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
            for r in rows {
                by_profile.entry(r.profile.as_str()).or_default().push(r);
            }
            for (profile, runs) in &by_profile {
                if let [.., before, last] = runs.as_slice() {
                    let was = class_of(&before.status).0;
                    if last.status.starts_with("stopped-") && (was == "completed" || was == "ok") {
                        st.findings.push(
                            finding("doctor-run-turned-stopped", Severity::Error, format!("{ma}: {profile} was {} in run {} and is {} since run {}", before.status, before.number, last.status, last.number))
                                .why("a profile that finished with errors now stops: errors that were left to grow (stopped-error-limit), or a change between the two runs (a hotfix, a new extension build, a configuration change)")
                                .fix("compare the two runs' details; fix the errors the completed run already reported"),
                        );
                    }
                }
            }
        }
        // The same object failing in every recent run of a profile.
        let mut runs_of: HashMap<(&str, &str), Vec<u32>> = HashMap::new();
        for r in &self.rows {
            runs_of
                .entry((r.ma.as_str(), r.profile.as_str()))
                .or_default()
                .push(r.number);
        }
        let mut streaks: BTreeMap<(&str, &str), Vec<(&str, usize)>> = BTreeMap::new();
        for ((ma, profile, dn), failed) in &self.failing {
            let Some(all) = runs_of.get(&(ma.as_str(), profile.as_str())) else {
                continue;
            };
            let streak = all
                .iter()
                .rev()
                .take_while(|n| failed.binary_search(n).is_ok())
                .count();
            if streak >= STREAK {
                streaks
                    .entry((ma.as_str(), profile.as_str()))
                    .or_default()
                    .push((dn.as_str(), streak));
            }
        }
        for ((ma, profile), mut objs) in streaks {
            objs.sort();
            let shown: Vec<String> = objs
                .iter()
                .take(SAMPLES)
                .map(|(dn, n)| format!("{dn} (last {n} runs)"))
                .collect();
            st.findings.push(
                finding("doctor-object-every-run", Severity::Warning, format!("{ma}: {} object(s) fail in every one of the last {STREAK} or more {profile} runs", objs.len()))
                    .why("an error that comes back in every run is not transient: retrying will not clear it, and it hides new errors among old ones")
                    .fix("fix these objects (or the rule that fails on them) first; their error types are listed below")
                    .evidence(shown.join("; ")),
            );
        }
    }
}

impl History {
    /// Step 4: each rules-extension exception, grouped by extension, call site and
    /// exception, with a compact stack trace (the extension's own frames first).
    pub fn extension_step(&self, t: &Tables, c: &Collection) -> StepReport {
        let mut st = StepReport::new("extension");
        if c.run_history.is_empty() {
            return st.skipped("no run-history*.xml in the collection");
        }
        let why = t
            .error_type("extension-dll-exception")
            .map(|r| r.meaning.clone())
            .unwrap_or_default();
        for ((name, callsite, head), (g, stack)) in &self.extension {
            st.findings.push(
                finding(
                    "doctor-extension-exception",
                    Severity::Error,
                    format!("{name} threw at {callsite}: {head} ({} time(s), {})", g.count, run_list(&g.runs)),
                )
                .why(why.clone())
                .fix("fix the code at the top frame below, build it (Debug with full PDB for line numbers), copy it to Extensions\\ between runs, and run the profile again")
                .evidence(format!("object(s): {}\n{stack}", g.samples.join("; "))),
            );
        }
        let stopped: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.status == "stopped-extension-dll-exception")
            .collect();
        if self.extension.is_empty() && !stopped.is_empty() {
            st.findings.push(
                finding("doctor-extension-exception", Severity::Error, format!("{} run(s) stopped with stopped-extension-dll-exception, and their details hold no stack trace", stopped.len()))
                    .why("the exception came from the extension's Initialize or a call outside an object's synchronization, so no object carries it")
                    .fix("if the Stack Trace button is disabled, look in the Application Event Log (TechNet wiki 7515)")
                    .evidence(run_list(&stopped.iter().map(|r| r.number).collect::<Vec<_>>())),
            );
        }
        st.summary = if st.findings.is_empty() {
            format!("no extension-dll-exception in {} run(s)", self.rows.len())
        } else {
            format!("{} distinct exception(s)", st.findings.len())
        };
        st.settle()
    }

    /// Step 7: failed-creation-via-web-services (and -modification-) from the FIM Service
    /// MA's exports, with the causes the facts list.
    pub fn web_services_step(&self, c: &Collection) -> StepReport {
        let mut st = StepReport::new("web-services");
        if c.run_history.is_empty() {
            return st.skipped("no run-history*.xml in the collection");
        }
        for (ma, g) in &self.web {
            let uniqueness = g
                .samples
                .iter()
                .any(|s| s.contains("ValueViolatesUniqueness"));
            let mut why = "the MIM Service refused the MA's request. Known cause (TechNet wiki 17242): an object taken out of scope and put back makes a second metaverse object, whose create fails with ValueViolatesUniqueness (its objectSid is already on the first Portal object) while the first fails with failed-modification-via-web-services. Other likely causes (inferred from the error, the Support-Info post's list is not confirmed): uniqueness violations, missing required attributes or bindings, a management policy rule denying the MA's account, invalid values".to_string();
            if uniqueness {
                why.push_str(
                    ". ValueViolatesUniqueness is in these errors: the 17242 cause applies",
                );
            }
            st.findings.push(
                finding("doctor-web-services", Severity::Error, format!("{ma}: {} export error(s) via web services in {}", g.count, run_list(&g.runs)))
                    .why(why)
                    .fix("read the fault in each object's export error (Connector Space Object properties); for ValueViolatesUniqueness correct the join and deprovisioning rules (and the FIM Service MA's import flow) so that one person stays one metaverse object; see Support-Info: failed-creation-via-web-services")
                    .evidence(g.samples.join("\n")),
            );
        }
        st.summary = if st.findings.is_empty() {
            format!("no web-service export error in {} run(s)", self.rows.len())
        } else {
            format!("{} MA(s) with web-service export errors", st.findings.len())
        };
        st.settle()
    }
}
