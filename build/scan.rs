//! For the build script: the `.rs` files under `src/`, and the check id an argument of a call
//! names (a literal, or a `const NAME: &str` of the same file). The warning ids and the
//! no-answer ids are both collected with these.
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir` with its text, sorted by path; each one (and each folder) a
/// reason to run the build script again when it changes.
pub fn rs_files(dir: &Path) -> Vec<(PathBuf, String)> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            out.extend(rs_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            println!("cargo:rerun-if-changed={}", path.display());
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path, text));
            }
        }
    }
    out
}

/// The `const NAME: &str = "value";` items of a source file.
pub fn str_consts(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let l = line
            .trim_start()
            .trim_start_matches("pub ")
            .trim_start_matches("pub(crate) ");
        let Some(rest) = l.strip_prefix("const ") else {
            continue;
        };
        let Some((name, rest)) = rest.split_once(": &str = \"") else {
            continue;
        };
        if let Some((value, _)) = rest.split_once('"') {
            out.push((name.trim(), value));
        }
    }
    out
}

/// The check id `rest` starts with (after spaces): a literal, or a `const` of `consts`; with
/// the text after it. `None` when it is neither, or not an id (lower case, digits, `-`).
pub fn id_at<'a>(rest: &'a str, consts: &[(&'a str, &'a str)]) -> Option<(&'a str, &'a str)> {
    let rest = rest.trim_start();
    let (id, after) = if let Some(lit) = rest.strip_prefix('"') {
        let end = lit.find('"')?;
        (&lit[..end], &lit[end..])
    } else {
        let len = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..len];
        let (_, value) = consts.iter().find(|(n, _)| len > 0 && *n == name)?;
        (*value, &rest[len..])
    };
    let is_id = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    is_id.then_some((id, after))
}
