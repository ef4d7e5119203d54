//! The directory's answers to step 5's questions (PCNS event 6025), read live through the
//! check engine's own AD probe (`check::ad::pcns_probes`): the PCNS target's SPN on the
//! Sync service account, in its full and short forms, and the domain controller's clock.
use crate::check::{Facts, Outcome};

/// What the PCNS probe saw.
#[derive(Debug, Clone, Default)]
pub struct AdReadings {
    pub outcomes: Vec<Outcome>,
    pub facts: Facts,
}

/// Runs the PCNS probe of `profile` (a Synchronization Service profile) and waits.
pub fn read(
    profile: &crate::profile::Profile,
    settings: crate::check::Settings,
    secrets: crate::check::Secrets,
) -> Result<AdReadings, String> {
    let probes = crate::check::ad::pcns_probes(profile);
    let report = crate::check::run_probes_blocking(probes, settings, secrets)
        .map_err(|e| format!("cannot start the directory checks: {e}"))?;
    Ok(AdReadings {
        outcomes: report.outcomes,
        facts: report.facts,
    })
}
