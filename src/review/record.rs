//! The review file: what a reviewer decided about one plan or profile, written beside it as
//! `NAME.review.toml` (`contoso.plan.toml` gives `contoso.plan.review.toml`), atomically.
//!
//! ```toml
//! format = "mim-setup-review/1"
//! file = "contoso.plan.toml"          # the file reviewed (its name)
//! subject = "plan-integrity"          # or "profile-sha256"
//! sha256 = "..."                      # the plan's integrity hash (what `approve` signs)
//! reviewer = "alice@contoso.com"
//! reviewed_at = "2026-12-02T09:30:00Z" # UTC
//! verdict = "approved"                # or "rejected"
//! note = "..."
//! [[comment]]
//! screen = "sql"
//! field = "sql.server"                # absent for a comment on the screen
//! text = "..."
//! ```
//!
//! It holds answers' paths and the reviewer's words, never an answer or a secret.
use crate::approve::Verdict;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "mim-setup-review/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub format: String,
    pub file: String,
    pub subject: String,
    pub sha256: String,
    pub reviewer: String,
    pub reviewed_at: String,
    pub verdict: Verdict,
    pub note: String,
    #[serde(default, rename = "comment", skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    pub screen: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub text: String,
}

impl Record {
    pub fn to_text(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!("# A review by mim-setup (`mim-setup review`). Sign an approval of the plan with `mim-setup approve`.\n{body}")
    }

    pub fn from_text(text: &str) -> Result<Record, String> {
        let r: Record = toml::from_str(text).map_err(|e| e.message().to_string())?;
        if r.format != FORMAT {
            return Err(format!("its format is {:?}, not {FORMAT:?}", r.format));
        }
        Ok(r)
    }
}

/// The review file of `file`: beside it, its name without `.toml` or `.json`, then
/// `.review.toml`.
pub fn path_for(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let stem = [".toml", ".json"]
        .iter()
        .find(|e| lower.ends_with(*e))
        .map_or(name.as_str(), |e| &name[..name.len() - e.len()]);
    file.with_file_name(format!("{stem}.review.toml"))
}

/// Writes the record atomically, stamped with the time now (UTC).
pub fn write(file: &Path, mut record: Record) -> Result<PathBuf, String> {
    record.reviewed_at = crate::approve::time::format(crate::approve::time::now());
    crate::atomic_file::write(file, record.to_text().as_bytes())
        .map_err(|e| format!("cannot write the review to {}: {e}", file.display()))?;
    Ok(file.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_review_file_sits_beside_the_file_and_reads_back() {
        assert_eq!(
            path_for(Path::new("d/contoso.plan.toml")),
            Path::new("d/contoso.plan.review.toml")
        );
        assert_eq!(path_for(Path::new("p.JSON")), Path::new("p.review.toml"));
        assert_eq!(path_for(Path::new("odd")), Path::new("odd.review.toml"));
        let r = Record {
            format: FORMAT.into(),
            file: "a.plan.toml".into(),
            subject: "plan-integrity".into(),
            sha256: "ab".repeat(32),
            reviewer: "alice\"\n = 1".into(),
            reviewed_at: "2026-12-02T09:30:00Z".into(),
            verdict: Verdict::Rejected,
            note: "no: see comments".into(),
            comments: vec![
                Comment {
                    screen: "sql".into(),
                    field: Some("sql.server".into()),
                    text: "why this server?".into(),
                },
                Comment {
                    screen: "sql".into(),
                    field: None,
                    text: "ok".into(),
                },
            ],
        };
        assert_eq!(Record::from_text(&r.to_text()), Ok(r.clone()));
        let other = r.to_text().replace(FORMAT, "mim-setup-review/9");
        assert!(Record::from_text(&other).is_err());
        assert!(Record::from_text(&(r.to_text() + "extra = 1\n")).is_err());
    }
}
