//! For the build script: the ids of the errors that say only that a server gave no
//! answer, collected from the calls that make them (`UNREACHED_CHECKS`).
use std::collections::BTreeSet;
use std::path::PathBuf;

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
pub fn checks(files: &[(PathBuf, String)], ids: &mut BTreeSet<String>) {
    for (_, text) in files {
        let text = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        let consts = super::scan::str_consts(text);
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
                let Some((id, _)) = super::scan::id_at(rest, &consts) else {
                    continue;
                };
                for s in *suffixes {
                    ids.insert(format!("{id}{s}"));
                }
            }
        }
    }
}
