//! Running probes: all at once on one runtime, each under the run's time limit.
use super::{network, Area, Ctx, Facts, Outcome, Probe, ProbeOutput, Settings, State};
use crate::exit::ExitCode;
use crate::finding::Finding;
use crate::profile::Profile;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

/// The outcome of a whole run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// True when `--offline` skipped every live check.
    pub offline: bool,
    /// The profile's acknowledgements (`check@field`): a live warning they name no longer
    /// blocks, exactly as for the offline rules.
    #[serde(skip)]
    pub acknowledged: BTreeSet<String>,
    /// Why, by acknowledgement key, where the profile says.
    #[serde(skip)]
    pub reasons: std::collections::BTreeMap<String, String>,
    pub outcomes: Vec<Outcome>,
    pub facts: Facts,
    pub elapsed_ms: u64,
}

impl Report {
    pub fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.outcomes
            .iter()
            .flat_map(|o| o.findings.iter())
            .filter(|f| f.blocks())
    }

    /// Live warnings the profile has not acknowledged: they block until it does.
    pub fn unacknowledged(&self) -> impl Iterator<Item = &Finding> {
        self.outcomes
            .iter()
            .flat_map(|o| o.findings.iter())
            .filter(|f| f.needs_ack(&self.acknowledged))
    }

    /// Whether the profile acknowledged this finding (a warning, or a server that gave no
    /// answer).
    pub fn is_acknowledged(&self, f: &Finding) -> bool {
        f.is_acknowledged(&self.acknowledged)
    }

    /// A check whose server gave no answer and that the profile acknowledged going on
    /// without: it ran, but checked nothing, and is neither an error nor a pass.
    pub fn acknowledged_unreached(&self, o: &Outcome) -> bool {
        o.state == State::Error
            && o.findings
                .iter()
                .filter(|f| f.severity == crate::finding::Severity::Error)
                .all(|f| f.unreached && self.is_acknowledged(f))
    }

    /// How many checks ran and saw an answer: `ran` without the acknowledged ones whose
    /// server gave none.
    pub fn checked(&self) -> usize {
        self.ran()
            - self
                .outcomes
                .iter()
                .filter(|o| self.acknowledged_unreached(o))
                .count()
    }

    pub fn count(&self, state: State) -> usize {
        self.outcomes.iter().filter(|o| o.state == state).count()
    }

    /// How many checks ran (passed or not): every outcome but the skipped ones.
    pub fn ran(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| !matches!(o.state, State::Skipped | State::Pending))
            .count()
    }

    /// The exit code of `check`: 1 for an error or an unacknowledged warning (or server that
    /// gave no answer); 3 when nothing was checked (offline, every check skipped, or every
    /// one that ran got no answer and was acknowledged), because nothing is known to pass;
    /// else 0.
    pub fn exit_code(&self) -> ExitCode {
        if self.blocking().next().is_some() || self.unacknowledged().next().is_some() {
            ExitCode::Blocking
        } else if self.checked() == 0 {
            ExitCode::NothingChecked
        } else {
            ExitCode::Ok
        }
    }
}

/// Every probe a profile calls for, in a stable order, limited to `settings.only`.
pub fn probes_for(profile: &Profile, settings: &Settings) -> Vec<Probe> {
    let mut all = Vec::new();
    if settings.wants(Area::Sql) {
        all.extend(super::sql::probes(profile));
    }
    if settings.wants(Area::Ad) {
        all.extend(super::ad::probes(profile));
    }
    if settings.wants(Area::Mail) {
        all.extend(super::mail::probes(profile));
    }
    if settings.wants(Area::Net) {
        all.extend(network::probes(profile));
    }
    all
}

/// Runs probes concurrently; a probe that overruns the time limit by a second (its own
/// operations are bounded by the limit) is cancelled and reported as such.
pub async fn run(ctx: Arc<Ctx>, probes: Vec<Probe>) -> Report {
    let started = Instant::now();
    let limit = backstop(ctx.settings.timeout);
    let mut tasks = Vec::new();
    for p in probes {
        let ctx = ctx.clone();
        let (key, area, screen, title) = (p.key.clone(), p.area, p.screen.clone(), p.title.clone());
        let fut = (p.run)(ctx);
        let task = tokio::spawn(async move {
            let t = Instant::now();
            let mut out = match tokio::time::timeout(limit, fut).await {
                Ok(out) => out,
                Err(_) => overran(&key, area, &screen, &title, limit),
            };
            let ms = t.elapsed().as_millis() as u64;
            for o in &mut out.outcomes {
                if o.elapsed_ms == 0 {
                    o.elapsed_ms = ms;
                }
            }
            out
        });
        tasks.push((p.key, p.area, p.screen, p.title, task));
    }
    let mut report = Report::default();
    for (key, area, screen, title, t) in tasks {
        let out = match t.await {
            Ok(out) => out,
            Err(e) => {
                tracing::error!("the check {key} ended abnormally: {e}");
                crashed(&key, area, &screen, &title)
            }
        };
        report.outcomes.extend(out.outcomes);
        report.facts.extend(out.facts);
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report
}

/// When the engine gives up on a probe: each of its network operations is bounded by the
/// time limit, and a probe may take a few steps in a row (connect, TLS, sign-in, query).
pub(super) fn backstop(timeout: std::time::Duration) -> std::time::Duration {
    timeout * 3 + std::time::Duration::from_secs(1)
}

/// A probe that ended abnormally is a failed check, never a missing one.
pub(super) fn crashed(key: &str, area: Area, screen: &str, title: &str) -> ProbeOutput {
    let f = Finding::error(
        &format!("{}-check-failed", area.as_str()),
        screen,
        format!("{title}: the check itself failed, so nothing was checked."),
    )
    .why("A check that cannot run says nothing about the server; setup may still fail here.")
    .fix("Run `mim-setup check` with --log-level debug and read the log for the cause; check this by hand meanwhile.");
    ProbeOutput {
        outcomes: vec![Outcome::found(key, area, screen, title, vec![f])],
        facts: Facts::new(),
    }
}

pub(super) fn overran(
    key: &str,
    area: Area,
    screen: &str,
    title: &str,
    limit: std::time::Duration,
) -> ProbeOutput {
    let f = super::no_answer::overran(area, screen, title, limit);
    ProbeOutput {
        outcomes: vec![Outcome::found(key, area, screen, title, vec![f])],
        facts: Facts::new(),
    }
}

/// A multi-threaded runtime for a blocking caller.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// Runs every probe of a profile and waits (the `check` command), with the profile's
/// acknowledgements in the report. Offline runs nothing and says so.
pub fn run_blocking(
    profile: &Profile,
    settings: Settings,
    secrets: super::Secrets,
) -> std::io::Result<Report> {
    let acknowledged = profile.acknowledged.clone();
    let reasons = profile.reasons.clone();
    if settings.offline {
        return Ok(Report {
            offline: true,
            acknowledged,
            reasons,
            ..Report::default()
        });
    }
    let rt = runtime()?;
    let probes = probes_for(profile, &settings);
    let mut report = rt.block_on(async move {
        let ctx = Arc::new(Ctx::new(settings, secrets));
        run(ctx, probes).await
    });
    report.acknowledged = acknowledged;
    report.reasons = reasons;
    Ok(report)
}

/// Runs these probes and waits (the doctor's PCNS questions, `ad::pcns_probes`).
pub fn run_probes_blocking(
    probes: Vec<Probe>,
    settings: Settings,
    secrets: super::Secrets,
) -> std::io::Result<Report> {
    let rt = runtime()?;
    Ok(rt.block_on(async move {
        let ctx = Arc::new(Ctx::new(settings, secrets));
        run(ctx, probes).await
    }))
}

/// Re-runs the cheap probes and returns the facts among `keys` (drift detection before
/// `apply`). A key missing from the answer was not seen this time.
pub fn collect_facts(
    profile: &Profile,
    settings: &Settings,
    keys: &BTreeSet<String>,
) -> std::io::Result<Facts> {
    let rt = runtime()?;
    let probes: Vec<Probe> = probes_for(profile, settings)
        .into_iter()
        .filter(|p| p.cheap)
        .collect();
    let needed = super::needed(&profile.answers, &settings.only);
    let secrets = super::Secrets::resolve(&profile.answers, &needed, crate::secret::Ask::Never);
    let settings = settings.clone();
    let report =
        rt.block_on(async move { run(Arc::new(Ctx::new(settings, secrets)), probes).await });
    Ok(report
        .facts
        .into_iter()
        .filter(|(k, _)| keys.contains(k))
        .collect())
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
