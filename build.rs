//! Embeds every file of `screens/` into the binary, so that the wizard needs no data files at
//! run time. The generated module lists `(file name, contents)` pairs in file-name order.
//!
//! It also writes `screen_fields.rs`: one constant per field path (`screen.field`) and one enum
//! per choice field, so that a mistyped path or option value fails to compile. A screen id or a
//! field path defined twice fails the build.
//!
//! And `warning_checks.rs`: the check ids of every warning made in `src/`, and of every
//! error that says only that a server gave no answer (`UNREACHED_CHECKS`): the checks a
//! profile's `acknowledged` may name.
#[path = "build/scan.rs"]
mod scan;
#[path = "build/unreached.rs"]
mod unreached;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    // Read at run time: a build script compiled once may run for another checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("screens");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("screens/ folder")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    names.sort();
    let mut out = String::from("/// Every file of `screens/`, embedded at build time.\npub static SCREEN_FILES: &[(&str, &str)] = &[\n");
    for path in &names {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name");
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let dest = Path::new(&out_dir).join("screen_files.rs");
    std::fs::write(dest, out).expect("write screen_files.rs");
    let fields = field_paths(&names);
    std::fs::write(Path::new(&out_dir).join("screen_fields.rs"), fields)
        .expect("write screen_fields.rs");
    let src = Path::new(&manifest).join("src");
    let files = scan::rs_files(&src);
    let mut ids = BTreeSet::new();
    warning_checks(&files, &mut ids);
    let mut list = String::from("/// Every check id a finding of severity warning is made with, collected from `src/`.\npub static WARNING_CHECKS: &[&str] = &[\n");
    for id in &ids {
        writeln!(list, "    {id:?},").expect("write");
    }
    list.push_str("];\n");
    let mut unreached = BTreeSet::new();
    unreached::checks(&files, &mut unreached);
    list.push_str("/// Every check id an error about a server that gave no answer is made with (acknowledgeable),\n/// collected from `src/`.\npub static UNREACHED_CHECKS: &[&str] = &[\n");
    for id in &unreached {
        writeln!(list, "    {id:?},").expect("write");
    }
    list.push_str("];\n");
    std::fs::write(Path::new(&out_dir).join("warning_checks.rs"), list)
        .expect("write warning_checks.rs");
}

/// The check ids of `Finding::warning("id", ...)` and of `Finding::new("id", ...,
/// Severity::Warning, ...)` in every `.rs` file under `dir`: the warnings a profile may
/// acknowledge. Collected here so that the list never falls behind the rules and checks.
fn warning_checks(files: &[(PathBuf, String)], ids: &mut BTreeSet<String>) {
    for (_, text) in files {
        let consts = scan::str_consts(text);
        for (call, needs_severity) in [("Finding::warning(", false), ("Finding::new(", true)] {
            for (at, _) in text.match_indices(call) {
                let Some((id, args)) = scan::id_at(&text[at + call.len()..], &consts) else {
                    continue;
                };
                let args: String = args.chars().take(160).collect();
                let warns = !needs_severity
                    || args
                        .split("Finding::")
                        .next()
                        .is_some_and(|a| a.contains("Severity::Warning"));
                if warns {
                    ids.insert(id.to_string());
                }
            }
        }
    }
}

/// Fails the build with a message naming the file.
fn fail(file: &Path, what: String) -> ! {
    panic!("screens/{}: {what}", file.display())
}

fn str_of<'a>(file: &Path, table: &'a toml::Table, key: &str, at: &str) -> &'a str {
    match table.get(key).and_then(|v| v.as_str()) {
        Some(s) => s,
        None => fail(file, format!("{at} has no text `{key}`")),
    }
}

/// `instance_name` -> `INSTANCE_NAME`.
fn constant(id: &str) -> String {
    id.replace('-', "_").to_ascii_uppercase()
}

/// `service-portal` / `sql_auth` -> `ServicePortal` / `SqlAuth`.
fn camel(id: &str) -> String {
    id.split(['-', '_', '.'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn rust_ident(file: &Path, id: &str) -> bool {
    let ok = id
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !ok {
        fail(
            file,
            format!("`{id}` cannot name a Rust item: use letters, digits, `_` and `-`"),
        );
    }
    ok
}

/// The `fields` module: a submodule per screen with a constant per field, and an enum per
/// choice field.
fn field_paths(files: &[PathBuf]) -> String {
    let mut out = String::new();
    let mut screens = BTreeSet::new();
    let mut all = Vec::new();
    let mut all_options = Vec::new();
    for file in files {
        if file.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let name = PathBuf::from(file.file_name().expect("file name"));
        let text = std::fs::read_to_string(file).expect("read screen file");
        let doc: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => fail(&name, format!("not valid TOML: {e}")),
        };
        let screen = str_of(&name, &doc, "id", "the screen");
        rust_ident(&name, screen);
        if !screens.insert(screen.to_string()) {
            fail(&name, format!("screen id `{screen}` is defined twice"));
        }
        let fields = match doc.get("fields") {
            None => continue,
            Some(toml::Value::Array(a)) => a.as_slice(),
            Some(_) => fail(&name, "`fields` is not an array of tables".into()),
        };
        if fields.is_empty() {
            continue;
        }
        writeln!(
            out,
            "/// The fields of screen `{screen}` ({}).",
            name.display()
        )
        .expect("write");
        writeln!(out, "pub mod {screen} {{").expect("write");
        let mut consts = BTreeSet::new();
        for field in fields {
            let Some(field) = field.as_table() else {
                fail(&name, "a `[[fields]]` entry is not a table".into());
            };
            let id = str_of(&name, field, "id", "a field");
            rust_ident(&name, id);
            let path = format!("{screen}.{id}");
            let c = constant(id);
            if !consts.insert(c.clone()) {
                fail(&name, format!("field path `{path}` is defined twice"));
            }
            writeln!(out, "    /// `{path}`\n    pub const {c}: &str = {path:?};").expect("write");
            all.push(format!("{screen}::{c}"));
            if str_of(&name, field, "kind", &format!("field `{path}`")) != "choice" {
                continue;
            }
            let options = match field.get("options") {
                Some(toml::Value::Array(a)) => a.as_slice(),
                _ => fail(&name, format!("choice field `{path}` has no `options`")),
            };
            let ty = camel(&format!("{screen}_{id}"));
            let mut variants = Vec::new();
            for o in options {
                let Some(o) = o.as_table() else {
                    fail(&name, format!("an option of `{path}` is not a table"));
                };
                let value = str_of(&name, o, "value", &format!("an option of `{path}`"));
                rust_ident(&name, value);
                let v = camel(value);
                if variants.iter().any(|(w, _): &(String, &str)| *w == v) {
                    fail(
                        &name,
                        format!("option `{value}` of `{path}` is defined twice"),
                    );
                }
                variants.push((v, value));
            }
            writeln!(out, "    /// The options of `{path}`.").expect("write");
            writeln!(
                out,
                "    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]"
            )
            .expect("write");
            writeln!(out, "    pub enum {ty} {{").expect("write");
            for (v, value) in &variants {
                writeln!(out, "        /// `{value}`\n        {v},").expect("write");
            }
            writeln!(out, "    }}\n    impl {ty} {{").expect("write");
            writeln!(out, "        /// The field this enum holds the options of.").expect("write");
            writeln!(out, "        pub const FIELD: &str = {c};").expect("write");
            writeln!(out, "        /// Every option, in screen order.").expect("write");
            let list: Vec<String> = variants.iter().map(|(v, _)| format!("{ty}::{v}")).collect();
            writeln!(
                out,
                "        pub const ALL: &[{ty}] = &[{}];",
                list.join(", ")
            )
            .expect("write");
            writeln!(
                out,
                "        /// The value as the profile and the screen file write it."
            )
            .expect("write");
            writeln!(
                out,
                "        pub fn as_str(self) -> &'static str {{\n            match self {{"
            )
            .expect("write");
            for (v, value) in &variants {
                writeln!(out, "                {ty}::{v} => {value:?},").expect("write");
            }
            writeln!(out, "            }}\n        }}\n    }}").expect("write");
            writeln!(
                out,
                "    impl std::str::FromStr for {ty} {{\n        type Err = super::UnknownOption;"
            )
            .expect("write");
            writeln!(
                out,
                "        fn from_str(s: &str) -> Result<Self, Self::Err> {{"
            )
            .expect("write");
            writeln!(out, "            Self::ALL.iter().copied().find(|o| o.as_str() == s).ok_or_else(|| super::UnknownOption {{ field: {c}, value: s.to_string() }})").expect("write");
            writeln!(out, "        }}\n    }}").expect("write");
            writeln!(out, "    impl std::fmt::Display for {ty} {{").expect("write");
            writeln!(out, "        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n            f.write_str(self.as_str())\n        }}\n    }}").expect("write");
            all_options.push(format!(
                "({screen}::{c}, {screen}::{ty}::ALL.iter().map(|o| o.as_str()).collect())"
            ));
        }
        writeln!(out, "}}").expect("write");
    }
    writeln!(
        out,
        "/// Every field path, in screen-file order.\npub const ALL: &[&str] = &[{}];",
        all.join(", ")
    )
    .expect("write");
    writeln!(
        out,
        "/// Every choice field with the values of its enum, in screen-file order."
    )
    .expect("write");
    writeln!(
        out,
        "pub fn all_options() -> Vec<(&'static str, Vec<&'static str>)> {{\n    vec![{}]\n}}",
        all_options.join(", ")
    )
    .expect("write");
    out
}
