//! Steps 3, 4 and 7 from one pass over the run history (streamed; only a small row per
//! run is kept): the recent runs of every MA with each status explained from the table of
//! every run status, the object error types, and the patterns (a stuck `in-progress`, the
//! same object failing in every run of a profile, a `completed-*` turned `stopped-*`); the
//! `extension-dll-exception`s with extension, call site, compact stack trace and DN; and
//! the FIM Service MA's `failed-creation-via-web-services` export errors.
//!
//! This file reads and aggregates; `steps.rs` turns the aggregate into the three steps.
mod steps;
use super::stack::compact;
use crate::doctor::inputs::{read_runs, Collection, ErrorKind, InputError, Run};
use crate::doctor::Options;
use std::collections::{BTreeMap, HashMap};

/// How many runs per MA the report lists.
const RECENT: usize = 5;
/// How many objects' DNs a grouped finding names.
const SAMPLES: usize = 3;
/// The most (MA, profile, DN) failures tracked for the "every run" pattern.
const MAX_TRACKED: usize = 200_000;
/// Runs of one profile an object must fail in, in a row up to the newest, to be a pattern.
const STREAK: usize = 3;
/// An in-progress run that started this many hours before the newest run is stuck.
const STUCK_HOURS: i64 = 2;

#[derive(Debug, Clone)]
struct Row {
    ma: String,
    number: u32,
    profile: String,
    status: String,
    start: String,
    end: String,
    errors: usize,
}

#[derive(Default)]
struct Group {
    count: usize,
    runs: Vec<u32>,
    samples: Vec<String>,
}

impl Group {
    fn add(&mut self, run: u32, sample: String) {
        self.count += 1;
        if self.runs.last() != Some(&run) && self.runs.len() < 1000 {
            self.runs.push(run);
        }
        if self.samples.len() < SAMPLES && !self.samples.contains(&sample) {
            self.samples.push(sample);
        }
    }
}

#[derive(Default)]
pub struct History {
    rows: Vec<Row>,
    /// Every MA in the files (also those `--ma` leaves out), with its id.
    mas: BTreeMap<String, String>,
    /// (ma, error phase, error type) -> objects.
    errors: BTreeMap<(String, &'static str, String), Group>,
    /// (extension, callsite, exception line) -> objects, with the first compact stack.
    extension: BTreeMap<(String, String, String), (Group, String)>,
    /// ma -> web-service export errors.
    web: BTreeMap<String, Group>,
    failing: HashMap<(String, String, String), Vec<u32>>,
    tracked_full: bool,
    read: usize,
}

fn phase(k: ErrorKind) -> &'static str {
    match k {
        ErrorKind::Discovery => "discovery",
        ErrorKind::Import => "import",
        ErrorKind::Export => "export",
        ErrorKind::Retry => "metaverse retry",
    }
}

/// `yyyy-mm-dd hh:mm:ss` as minutes since 2000, for the stuck-run rule.
fn minutes(t: &str) -> Option<i64> {
    let n = |a: usize, b: usize| t.get(a..b)?.parse::<i64>().ok();
    let (y, mo, d, h, mi) = (n(0, 4)?, n(5, 7)?, n(8, 10)?, n(11, 13)?, n(14, 16)?);
    let days = crate::civil::days_from_civil(y, mo, d);
    Some((days * 24 + h) * 60 + mi)
}

impl History {
    fn keep(&self, r: &Run, o: &Options) -> bool {
        if let Some(ma) = &o.ma {
            if !r.ma_name.eq_ignore_ascii_case(ma) {
                return false;
            }
        }
        if let Some(since) = &o.since {
            if r.start() < since.as_str() {
                return false;
            }
        }
        true
    }

    fn add(&mut self, r: Run) {
        let mut errors = 0;
        for s in &r.steps {
            for e in &s.errors {
                errors += 1;
                let sample = if e.dn.is_empty() {
                    e.cs_guid.clone()
                } else {
                    e.dn.clone()
                };
                self.errors
                    .entry((r.ma_name.clone(), phase(e.kind), e.error_type.clone()))
                    .or_default()
                    .add(r.run_number, sample.clone());
                if let Some(x) = &e.extension {
                    let (head, stack) = compact(&x.call_stack);
                    let g = self
                        .extension
                        .entry((x.name.clone(), x.callsite.clone(), head))
                        .or_insert_with(|| (Group::default(), stack));
                    g.0.add(r.run_number, format!("{sample} ({})", r.ma_name));
                }
                if e.error_type.ends_with("-via-web-services") {
                    let mut s = format!("{}: {sample}", e.error_type);
                    if let Some(cd) = &e.cd_error {
                        for part in [&cd.code, &cd.literal, &cd.detail] {
                            if !part.is_empty() {
                                s.push_str(&format!(
                                    "; {}",
                                    part.split_whitespace().collect::<Vec<_>>().join(" ")
                                ));
                            }
                        }
                    }
                    self.web
                        .entry(r.ma_name.clone())
                        .or_default()
                        .add(r.run_number, s);
                }
                if !sample.is_empty() {
                    let key = (r.ma_name.clone(), r.profile.clone(), sample);
                    if let Some(v) = self.failing.get_mut(&key) {
                        if v.last() != Some(&r.run_number) {
                            v.push(r.run_number);
                        }
                    } else if self.failing.len() < MAX_TRACKED {
                        self.failing.insert(key, vec![r.run_number]);
                    } else {
                        self.tracked_full = true;
                    }
                }
            }
        }
        self.rows.push(Row {
            ma: r.ma_name.clone(),
            number: r.run_number,
            profile: r.profile.clone(),
            status: r.status().to_string(),
            start: r.start().to_string(),
            end: r.end().to_string(),
            errors,
        });
    }

    /// Reads every run-history file of the collection.
    pub fn read(c: &Collection, o: &Options) -> Result<History, InputError> {
        let mut h = History::default();
        for p in &c.run_history {
            let n = read_runs(p, |r| {
                if !h.mas.contains_key(&r.ma_name) {
                    h.mas.insert(r.ma_name.clone(), r.ma_id.clone());
                }
                if h.keep(&r, o) {
                    h.add(r);
                }
            })?;
            h.read += n;
        }
        h.rows
            .sort_by(|a, b| (a.ma.as_str(), a.number).cmp(&(b.ma.as_str(), b.number)));
        for v in h.failing.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        Ok(h)
    }
}
