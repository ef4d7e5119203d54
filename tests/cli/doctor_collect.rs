//! `mim-setup doctor --collect DIR`: the collection reads back with `doctor --from DIR`, holds
//! no secret (a canary SQL password, given through the environment, is in no file, in UTF-8
//! nor UTF-16LE), is never merged into a folder that has files, and on this OS records the
//! Sync server's parts as Windows-only. The file-version reading runs on real PE images
//! (tests/doctor/pe, built by its make.sh).
use super::{run, run_with};
use serde_json::Value;
use std::path::{Path, PathBuf};
use testkit::tds::{Facts, Options, Server};

const CANARY: &str = "Canary-pw-7Qz!x-0451";

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn sql_step(v: &Value) -> Value {
    v["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == "sql"))
        .cloned()
        .unwrap_or_else(|| panic!("no sql step: {v:#}"))
}

#[test]
fn a_collection_with_live_sql_holds_no_secret_and_reads_back() {
    let srv = Server::start(
        Facts {
            logins: vec![("sa".into(), CANARY.into())],
            ..Facts::default()
        },
        Options::default(),
    );
    let book = format!("corpsql.contoso.com:1433={}", srv.addr);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("corpsync-collection");
    let d = dir.display().to_string();
    let args = [
        "doctor",
        "--collect",
        &d,
        "--profile",
        "profiles/contoso-sync.toml",
        "--address-book",
        &book,
        "--timeout",
        "5",
        "--set",
        "checks.sql_auth=sql",
        "--set",
        "checks.sql_password={ env = \"MIM_TEST_SQL_PASSWORD\" }",
        "--set",
        "checks.sql_encryption=off",
    ];
    let (code, out, err) = run_with(&args, &[("MIM_TEST_SQL_PASSWORD", CANARY)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        srv.received()
            .iter()
            .any(|r| matches!(r, testkit::tds::Received::Login { user, .. } if user == "sa")),
        "the server saw the login"
    );
    assert!(out.contains("wrote ") && out.contains("sql.json"), "{out}");
    assert!(
        out.contains(&format!("mim-setup doctor --from {d}")),
        "{out}"
    );
    assert!(!out.contains(CANARY) && !err.contains(CANARY));
    // The canary is in no file, as UTF-8 or UTF-16LE.
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    assert!(files.len() >= 2, "{files:?}");
    let utf16: Vec<u8> = CANARY.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        assert!(
            !contains(&bytes, CANARY.as_bytes()) && !contains(&bytes, &utf16),
            "the canary is in {}",
            f.display()
        );
    }
    // Written whole: no temporary folder beside it.
    let beside: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read_dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        beside,
        vec![std::ffi::OsString::from("corpsync-collection")]
    );
    // The manifest: every part, the Sync server's ones only on Windows.
    let m: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("collect.json")).expect("collect.json"),
    )
    .expect("JSON");
    let parts = m["parts"].as_array().expect("parts");
    let state = |part: &str| -> Vec<String> {
        parts
            .iter()
            .filter(|p| p["part"] == part)
            .map(|p| p["state"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(state("sql"), vec!["written"], "{m:#}");
    if cfg!(not(windows)) {
        for p in [
            "registry",
            "file-versions",
            "config",
            "run-history",
            "events",
        ] {
            assert_eq!(state(p), vec!["windows-only"], "{p}: {m:#}");
        }
        assert!(out.contains("only on the Sync server (Windows)"), "{out}");
    }
    // `--from` reads it back: the SQL step has the live readings.
    let (code, json, err) = run(&["doctor", "--from", &d, "--json"]);
    assert!(code == 0 || code == 1, "{json}{err}");
    let v: Value = serde_json::from_str(&json).expect("JSON");
    let seen = sql_step(&v)["evidence"].to_string();
    assert!(seen.contains("tempdb tempdev (ROWS)"), "{seen}");
    assert!(seen.contains("4 CPU(s)"), "{seen}");
    // Not again into the same folder.
    let (code, out, err) = run_with(&args, &[("MIM_TEST_SQL_PASSWORD", CANARY)]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("the folder exists and is not empty"), "{err}");
}

#[test]
fn a_folder_with_files_is_refused_and_left_as_it_was() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("busy");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "mine").expect("write");
    let d = dir.display().to_string();
    let (code, out, err) = run(&["doctor", "--collect", &d]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains(&format!(
            "{d}: the folder exists and is not empty; give --collect a new folder"
        )),
        "{err}"
    );
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("read_dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("notes.txt")]);
    assert_eq!(
        std::fs::read_dir(tmp.path()).expect("read_dir").count(),
        1,
        "nothing beside it"
    );
    // A file where the folder should be.
    let f = tmp.path().join("busy/notes.txt").display().to_string();
    let (code, _, err) = run(&["doctor", "--collect", &f]);
    assert_eq!(code, 2);
    assert!(err.contains("exists and is not a folder"), "{err}");
    // --collect and --from are two runs.
    let (code, _, err) = run(&["doctor", "--collect", &d, "--from", &d]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}

#[cfg(not(windows))]
#[test]
fn elsewhere_without_a_profile_there_is_nothing_to_collect() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().join("out").display().to_string();
    let (code, out, err) = run(&["doctor", "--collect", &d]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("nothing to collect on this computer"), "{err}");
    assert!(err.contains("give --profile PROFILE"), "{err}");
    assert_eq!(
        std::fs::read_dir(tmp.path()).expect("read_dir").count(),
        0,
        "nothing written"
    );
}

#[test]
fn the_file_versions_of_real_pe_images_read_back_as_the_installed_build() {
    use mim_setup::doctor::collect::file_versions;
    let pe = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/doctor/pe");
    let tmp = tempfile::tempdir().expect("tempdir");
    let sync = tmp.path().join("Synchronization Service");
    std::fs::create_dir_all(sync.join("Bin")).expect("mkdir");
    std::fs::create_dir_all(sync.join("Extensions")).expect("mkdir");
    std::fs::copy(pe.join("miiserver.exe"), sync.join("Bin/miiserver.exe")).expect("copy");
    for n in ["Microsoft.IAM.Connector.GenericLdap.dll", "no-version.dll"] {
        std::fs::copy(pe.join(n), sync.join("Extensions").join(n)).expect("copy");
    }
    let mut parts = Vec::new();
    let f = file_versions(&sync, &mut parts).expect("versions");
    assert_eq!(f.get("Bin\\miiserver.exe"), Some("4.6.673.0"));
    assert_eq!(
        f.get("Extensions\\Microsoft.IAM.Connector.GenericLdap.dll"),
        Some("1.1.2005.0")
    );
    let dir = tmp.path().join("collection");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(
        dir.join("file-versions.json"),
        serde_json::to_string_pretty(&f).expect("JSON"),
    )
    .expect("write");
    let (code, out, err) = run(&["doctor", "--from", &dir.display().to_string()]);
    assert!(code == 0 || code == 1, "{out}{err}");
    assert!(out.contains("4.6.673.0"), "{out}");
    assert!(out.contains("1.1.2005.0"), "{out}");
}
