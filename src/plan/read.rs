//! The one strict reader of a plan file, used by `apply`, `export` and every later reader.
//!
//! It reads TOML (or JSON by extension or first character) into `Plan` with unknown keys
//! refused, checks `schema_version`, and checks the plan's own integrity hash: the hash covers
//! the canonical TOML text (`Plan::content_sha256`), so an edit that changes any value is
//! refused, while a comment or whitespace is not. It guards against accidents and hand edits,
//! not against someone who recomputes the hash.
use super::{Plan, StepKind, PLAN_SCHEMA_VERSION};
use std::path::Path;

/// Why a plan file cannot be used: what is wrong, and how to fix it. Never quotes a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}\n  fix: {fix}")]
pub struct ReadError {
    pub what: String,
    pub fix: String,
}

/// A plan read and checked, with the text it was read from.
#[derive(Debug, Clone)]
pub struct ReadPlan {
    pub plan: Plan,
    pub text: String,
    pub json: bool,
}

/// Reads a plan file strictly: types, schema version, integrity hash.
pub fn read(path: &Path) -> Result<ReadPlan, ReadError> {
    let shown = path.display();
    let remake = format!(
        "make the plan again with `mim-setup plan PROFILE -o {shown}` and review it; never edit a plan by hand"
    );
    let unusable = |what: String, fix: &str| ReadError {
        what,
        fix: fix.to_string(),
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        unusable(
            format!("cannot read the plan {shown}: {e}"),
            "check the path (a plan is what `mim-setup plan PROFILE -o FILE` writes)",
        )
    })?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    let parsed: Result<Plan, String> = if json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        toml::from_str(&text).map_err(|e| e.to_string())
    };
    let plan = parsed.map_err(|e| {
        unusable(
            format!(
                "{shown} is not an install plan this version can read:\n  {}",
                e.trim().replace('\n', "\n  ")
            ),
            &remake,
        )
    })?;
    if plan.schema_version != PLAN_SCHEMA_VERSION {
        return Err(unusable(
            format!(
                "{shown}: plan schema_version {} is not the one this version reads ({PLAN_SCHEMA_VERSION})",
                plan.schema_version
            ),
            &remake,
        ));
    }
    let Some(integrity) = &plan.integrity else {
        return Err(unusable(
            format!(
                "{shown} has no [integrity] hash, so it cannot be told apart from an edited plan"
            ),
            &remake,
        ));
    };
    let now = plan.content_sha256();
    if integrity.sha256 != now {
        return Err(unusable(
            format!(
                "{shown} was changed after it was made: its content no longer matches its integrity hash (recorded {}, content gives {now})",
                integrity.sha256
            ),
            &remake,
        ));
    }
    structure(&plan).map_err(|what| unusable(format!("{shown}: {what}"), &remake))?;
    Ok(ReadPlan { plan, text, json })
}

/// What every reader relies on: unique step ids, runnable steps, every secret placeholder
/// of a step listed under `[secrets]`, and a time of the facts that is one.
fn structure(plan: &Plan) -> Result<(), String> {
    if let Some(t) = &plan.facts_checked_at {
        if crate::approve::time::parse(t).is_none() || plan.facts.is_empty() {
            return Err(format!(
                "facts_checked_at {:?} is not the UTC time (YYYY-MM-DDTHH:MM:SSZ) of the plan's [facts]",
                crate::profile::echo(t)
            ));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for step in &plan.steps {
        if !seen.insert(step.id.as_str()) {
            return Err(format!("step id {:?} appears twice", step.id));
        }
        if step.kind != StepKind::Manual && step.argv.is_empty() {
            return Err(format!("step {:?} has no argv to run", step.id));
        }
        // /i installs a package, /p applies a patch (an update plan's hotfix).
        if step.kind == StepKind::Msiexec
            && !matches!(step.argv.get(1).map(String::as_str), Some("/i" | "/p"))
        {
            return Err(format!(
                "step {:?}: an msiexec step must start `msiexec.exe /i PACKAGE` or `msiexec.exe /p PATCH`",
                step.id
            ));
        }
        for arg in &step.argv {
            for seg in super::placeholder::segments(arg) {
                let super::placeholder::Seg::Secret(name) = seg else {
                    continue;
                };
                if !plan.secrets.contains_key(name) {
                    return Err(format!(
                        "step {:?} uses the secret placeholder {name:?}, which [secrets] does not list",
                        step.id
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sync() -> Plan {
        toml::from_str(include_str!("../../tests/golden/contoso-sync.plan.toml"))
            .expect("golden plan")
    }

    #[test]
    fn the_time_of_the_facts_must_be_a_utc_time_beside_facts() {
        let mut p = sync();
        assert_eq!(structure(&p), Ok(()));
        p.record_facts([("sql.version".to_string(), "15.0.2000.5".to_string())].into());
        let at = p.facts_checked_at.clone().expect("a time with facts");
        assert!(crate::approve::time::parse(&at).is_some(), "{at}");
        assert_eq!(structure(&p), Ok(()));
        for bad in [
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-12-02 09:30",
            "\u{1b}[2J",
        ] {
            p.facts_checked_at = Some(bad.into());
            let e = structure(&p).expect_err(bad);
            assert!(
                e.contains("facts_checked_at") && !e.contains('\u{1b}'),
                "{e}"
            );
        }
        p.record_facts(std::collections::BTreeMap::new());
        assert_eq!(p.facts_checked_at, None, "no facts, no time");
        p.facts_checked_at = Some(at);
        assert!(structure(&p).is_err(), "a time without facts");
    }
}
