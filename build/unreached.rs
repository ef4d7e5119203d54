//! For the build script: the ids of the errors that say only that a server gave no
//! answer, collected from the calls that make them (`UNREACHED_CHECKS`).
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The calls that make an error about a server that gave no answer: the argument that is
/// the id (after how many others), and the suffixes it gets (`request_finding("mail-ews", ...)` reports
/// `mail-ews-timeout` and `mail-ews-refused`).
const UNREACHED_CALLS: &[(&str, usize, &[&str])] = &[
    ("Finding::unreached(", 0, &[""]),
    ("timeout_finding(", 0, &[""]),
    ("timeout_finding_at(", 0, &[""]),
    ("timeout_finding_url(", 0, &[""]),
    ("no_answer(", 0, &[""]),
    ("http_error_finding(", 0, &[""]),
    ("request_finding(", 1, &["-timeout", "-refused"]),
];

/// The check ids of the `UNREACHED_CALLS` in every `.rs` file under `dir` whose id argument
/// is a literal or a `const` of the same file (a definition's parameter is not); a file's
/// unit tests are not read.
pub fn checks(dir: &Path, ids: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            checks(&path, ids);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let text = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        let consts = super::str_consts(text);
        for (call, skip, suffixes) in UNREACHED_CALLS {
            for (at, _) in text.match_indices(call) {
                // `foo_timeout_finding(` is another function.
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                    continue;
                }
                let mut rest = &text[at + call.len()..];
                for _ in 0..*skip {
                    rest = rest.split_once(',').map_or("", |(_, r)| r);
                }
                let rest = rest.trim_start();
                let id = if let Some(lit) = rest.strip_prefix('"') {
                    lit.find('"').map(|end| &lit[..end])
                } else {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    consts
                        .iter()
                        .find(|(n, _)| !name.is_empty() && *n == name)
                        .map(|(_, v)| *v)
                };
                let Some(id) = id else { continue };
                let is_id = !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if is_id {
                    for s in *suffixes {
                        ids.insert(format!("{id}{s}"));
                    }
                }
            }
        }
    }
}
