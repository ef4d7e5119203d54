//! Drift: the facts the live checks saw when the plan was made, against what they see now.
//!
//! A plan made with `plan --check` records facts (`net.port.5725 = "free"`, ...). Before it
//! runs anything, `apply` asks a `FactSource` for the same keys and compares: a changed value
//! or a key the checks no longer produce is drift, shown like a stale plan and refused unless
//! `--accept-drift`.
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// Fact key to the value a check saw: the same record `plan --check` writes.
pub use crate::check::Facts;

/// Where the current facts come from: the live checks, or a scripted source in tests.
pub trait FactSource {
    /// Collects the facts for these keys now (blocking), for the plan's profile. Keys it
    /// cannot produce are left out; an error says why no check could run at all.
    fn collect(&self, profile: &Path, keys: &BTreeSet<String>) -> Result<Facts, String>;
}

impl<F: Fn(&Path, &BTreeSet<String>) -> Result<Facts, String>> FactSource for F {
    fn collect(&self, profile: &Path, keys: &BTreeSet<String>) -> Result<Facts, String> {
        self(profile, keys)
    }
}

/// One fact that is not what it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub key: String,
    pub recorded: String,
    /// `None`: the checks no longer produce this fact.
    pub now: Option<String>,
}

/// The recorded facts that differ now, in key order.
pub fn compare(recorded: &Facts, now: &Facts) -> Vec<Change> {
    recorded
        .iter()
        .filter(|(k, v)| now.get(*k) != Some(*v))
        .map(|(k, v)| Change {
            key: k.clone(),
            recorded: v.clone(),
            now: now.get(k).cloned(),
        })
        .collect()
}

/// Collects the recorded keys from `source` and compares.
pub fn detect(
    recorded: &Facts,
    profile: &Path,
    source: &dyn FactSource,
) -> Result<Vec<Change>, String> {
    let keys: BTreeSet<String> = recorded.keys().cloned().collect();
    Ok(compare(recorded, &source.collect(profile, &keys)?))
}

/// The changes as a reviewer reads them, one per line:
/// `  ~ net.port.5725: "free" -> "in use"`, `  - net.dns.x: "10.0.0.4" -> (no longer seen)`.
pub fn render(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        match &c.now {
            Some(now) => out.push_str(&format!("  ~ {}: {:?} -> {:?}\n", c.key, c.recorded, now)),
            None => out.push_str(&format!(
                "  - {}: {:?} -> (no longer seen by the checks)\n",
                c.key, c.recorded
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(pairs: &[(&str, &str)]) -> Facts {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn changed_and_missing_facts_are_drift_and_equal_ones_are_not() {
        let recorded = facts(&[
            ("net.port.5725", "free"),
            ("net.dns.corpsql.contoso.com", "10.0.0.4"),
            ("net.port.80", "in use"),
        ]);
        let source = |_: &Path, keys: &BTreeSet<String>| -> Result<Facts, String> {
            assert_eq!(keys.len(), 3, "asks for every recorded key");
            Ok(facts(&[
                ("net.port.5725", "in use"),
                ("net.port.80", "in use"),
                ("net.port.9999", "free"),
            ]))
        };
        let p = Path::new("p.toml");
        let changes = detect(&recorded, p, &source).expect("collected");
        assert_eq!(
            changes,
            vec![
                Change {
                    key: "net.dns.corpsql.contoso.com".into(),
                    recorded: "10.0.0.4".into(),
                    now: None
                },
                Change {
                    key: "net.port.5725".into(),
                    recorded: "free".into(),
                    now: Some("in use".into())
                },
            ]
        );
        let text = render(&changes);
        assert!(
            text.contains("net.port.5725: \"free\" -> \"in use\""),
            "{text}"
        );
        assert!(text.contains("no longer seen"), "{text}");
        let same = |_: &Path, _: &BTreeSet<String>| Ok(recorded.clone());
        assert_eq!(detect(&recorded, p, &same), Ok(vec![]));
    }
}
