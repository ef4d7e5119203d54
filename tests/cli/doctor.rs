//! `mim-setup doctor --from DIR`: golden reports of the fixtures (tests/doctor/fixtures,
//! written to the documented formats: regedit exports, RunHistory.xsd run history, wevtutil
//! XML, the JSON readings), the exit codes 0/1/2, `--since` and `--ma`, and unusable input
//! (a cut XML file, a file that is not an export, bad JSON, a bad date) with the file, the
//! line and the fix. Regenerate the goldens after a deliberate change with
//! `UPDATE_EXPECTED=1 cargo test --test cli doctor` and review the diff.
use super::run;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const FIXTURES: &str = "tests/doctor/fixtures";

/// The golden file `tests/golden/doctor/REL` (see `super::golden`).
fn golden(rel: &str, got: &str) {
    super::golden(&format!("doctor/{rel}"), got);
}

#[test]
fn the_fixtures_give_the_golden_reports_and_their_exit_codes() {
    for (name, code) in [("sp2-4.6.607.0", 1), ("sp2-4.6.673.0", 0), ("sp3", 0)] {
        let dir = format!("{FIXTURES}/{name}");
        let (c, out, err) = run(&["doctor", "--from", &dir]);
        assert_eq!(c, code, "{name}: {err}\n{out}");
        assert!(err.is_empty(), "{name}: {err}");
        golden(&format!("{name}.txt"), &out);
        let (c, json, _) = run(&["doctor", "--from", &dir, "--json"]);
        assert_eq!(c, code, "{name} --json");
        let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(v["exit_code"], code);
        assert_eq!(v["steps"].as_array().map(Vec::len), Some(8));
        golden(&format!("{name}.json"), &json);
    }
}

#[test]
fn the_faulty_collection_names_each_steps_fault() {
    let (_, out, _) = run(&["doctor", "--from", &format!("{FIXTURES}/sp2-4.6.607.0")]);
    for want in [
        "4.6.607.0 installed; 4.6.673.0 (KB5018333, 2023-10-03) is the newest SP2 build",
        "needs HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Forefront Identity Manager\\2010\\Synchronization Service\\IgnoreMissingObjectTypeForGLDAP = 1",
        "event 6947 on MIMSYNC01.contoso.com",
        "run 110 (Full Import) is still in-progress",
        "Delta Sync was completed-sync-errors in run 106 and is stopped-error-limit since run 108",
        "CN=Jane Doe,OU=Staff,DC=contoso,DC=com (last 4 runs)",
        "Contoso.Mim.MVExtension.dll threw at provisioning: System.NullReferenceException",
        "at Contoso.Mim.MVExtension.MVExtensionObject.ProvisionUser(MVEntry mventry, ConnectedMA adMA) MVExtension.cs:118",
        "PCNSSVC event 6025: 2 time(s) on DC01.contoso.com, DC02.contoso.com",
        "tempdb file tempdev grows by 10%",
        "tempdb has 1 data file(s) for 4 CPU(s)",
        "tempdb's data and log are on the same volume D:",
        "FIMSynchronizationService uses the full recovery model and has no log backup",
        "max server memory is not limited",
        "ValueViolatesUniqueness is in these errors",
        "miiserver.exe.config has no bindingRedirect for Microsoft.MetadirectoryServicesEx",
        "(meaning taken from the status name: Microsoft's description is not confirmed)",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
}

#[test]
fn since_and_ma_narrow_the_run_history() {
    let dir = format!("{FIXTURES}/sp2-4.6.607.0");
    let (_, out, _) = run(&["doctor", "--from", &dir, "--ma", "mim service", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let runs = &v["steps"][2];
    assert_eq!(runs["id"], "runs");
    let seen: Vec<&str> = runs["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(
        seen.iter().all(|e| e.starts_with("MIM Service |")),
        "{seen:?}"
    );
    let (_, out, _) = run(&["doctor", "--from", &dir, "--since", "2026-11-30 02:00"]);
    assert!(out.contains("run 58 | Export | stopped-server"), "{out}");
    assert!(!out.contains("run 57 |"), "{out}");
    assert!(
        out.contains("(17 in the files, narrowed by --since/--ma)"),
        "{out}"
    );
    let (_, out, _) = run(&["doctor", "--from", &dir, "--ma", "Nobody"]);
    assert!(out.contains("no run of MA \"Nobody\" in the history (MAs: Contoso AD, HR SQL, MIM Service, OpenLDAP)"), "{out}");
}

/// A collection's files: (name, bytes).
type Files<'a> = Vec<(&'a str, Vec<u8>)>;

fn temp_collection(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in files {
        let p = d.path().join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }
    d
}

fn utf16(s: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

#[test]
fn a_utf16_run_history_reads_as_its_utf8_original() {
    let src = Path::new(ROOT)
        .join(FIXTURES)
        .join("sp2-4.6.607.0/run-history.xml");
    let text = std::fs::read_to_string(src).expect("fixture");
    let a = temp_collection(&[("run-history.xml", text.as_bytes())]);
    let b = temp_collection(&[("run-history.xml", &utf16(&text))]);
    let report = |d: &tempfile::TempDir| {
        let (c, out, err) = run(&[
            "doctor",
            "--from",
            &d.path().display().to_string(),
            "--json",
        ]);
        assert_eq!(c, 1, "{err}");
        let mut v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        v["from"] = serde_json::Value::Null;
        v
    };
    assert_eq!(report(&a), report(&b));
}

#[test]
fn a_status_outside_the_schema_still_gives_a_finding_with_its_prefix() {
    let xml = "<run-history><run-details><ma-id>{4C2A0E1B-6B7D-4E2B-9A61-1F2E3D4C5B6A}</ma-id><ma-name>X</ma-name><run-number>1</run-number><run-profile-name>Export</run-profile-name><security-id>C\\s</security-id><step-details step-number=\"1\" step-id=\"{4C2A0E1B-6B7D-4E2B-9A61-1F2E3D4C5B6B}\"><start-date>2026-11-30 01:00:00.000</start-date><end-date>2026-11-30 01:00:01.000</end-date><step-result>stopped-brand-new-reason</step-result></step-details></run-details></run-history>";
    let d = temp_collection(&[("run-history.xml", xml.as_bytes())]);
    let (c, out, _) = run(&["doctor", "--from", &d.path().display().to_string()]);
    assert_eq!(c, 1, "{out}");
    assert!(
        out.contains("X: stopped-brand-new-reason in 1 of 1 run(s)"),
        "{out}"
    );
    assert!(out.contains("stopped-brand-new-reason is not in the Sync Service's run-history schema; by its prefix, the step was aborted"), "{out}");
}

#[test]
fn unusable_input_exits_2_naming_the_file_the_line_and_the_fix() {
    let src = Path::new(ROOT)
        .join(FIXTURES)
        .join("sp2-4.6.607.0/run-history.xml");
    let text = std::fs::read_to_string(src).expect("fixture");
    let cut = &text[..text.len() / 2];
    // Cut inside a tag or text: the error is on the cut's last line.
    let cut_at = format!(
        "run-history.xml:{}: not well-formed XML",
        cut.matches('\n').count() + 1
    );
    let cases: Vec<(Files, &str)> = vec![
        (vec![("run-history.xml", cut.as_bytes().to_vec())], &cut_at),
        (vec![("run-history.xml", b"<run-history>\n<run-details>\n</run-detail>\n".to_vec())], "run-history.xml:3: not well-formed XML: ill-formed document: expected `</run-details>`"),
        (vec![("run-history.xml", b"<run-history>\n<run-details>\n".to_vec())], "run-history.xml:3: not well-formed XML: the file ends inside <run-details>"),
        (vec![("run-history.xml", b"<runs>\n<run/>\n</runs>".to_vec())], "run-history.xml:1: not a run-history file: the root element is <runs>"),
        (vec![("run-history.xml", b"<run-history>\n<run-details>\n<run-number>x1</run-number>".to_vec())], "run-history.xml:3: run-number \"x1\" is not a number"),
        (vec![("events.xml", b"<Event><System><EventID>abc</EventID></System></Event>".to_vec())], "EventID \"abc\" is not a number"),
        (vec![("registry.reg", b"REGEDIT5\r\n".to_vec())], "registry.reg:1: not a registry export"),
        (vec![("registry.reg", utf16("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n\"A\"=dword:xyz\r\n"))], "registry.reg:4: value \"A\": dword:xyz"),
        (vec![("sql.json", b"{\n  \"server\": \"s\",\n  \"cpu\": 4\n}".to_vec())], "sql.json:3: not a SQL readings document: unknown field `cpu`"),
        (vec![("file-versions.json", b"{\"files\": [}".to_vec())], "file-versions.json:1: not a file-versions document"),
        (vec![("notes.txt", b"hello".to_vec())], "no doctor input in this folder"),
    ];
    for (files, want) in cases {
        let owned: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let d = temp_collection(&owned);
        let (c, out, err) = run(&["doctor", "--from", &d.path().display().to_string()]);
        assert_eq!(c, 2, "{want}: {out}{err}");
        assert!(out.is_empty(), "{want}: a report was printed: {out}");
        assert!(err.contains(want), "want {want:?} in {err:?}");
        assert!(err.contains("; "), "no fix in {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let (c, _, err) = run(&["doctor", "--from", "tests/doctor/fixtures/nowhere"]);
    assert_eq!(c, 2);
    assert!(err.contains("nowhere: not a folder"), "{err}");
    let (c, _, err) = run(&[
        "doctor",
        "--from",
        &format!("{FIXTURES}/sp3"),
        "--since",
        "30.11.2026",
    ]);
    assert_eq!(c, 2);
    assert!(
        err.contains("--since \"30.11.2026\" is not a date: write YYYY-MM-DD"),
        "{err}"
    );
}

#[test]
fn without_from_or_profile_off_the_sync_server_it_says_what_to_give() {
    let (c, out, err) = run(&["doctor"]);
    assert_eq!(c, 2, "{out}{err}");
    assert!(out.is_empty());
    for want in [
        "give --from DIR",
        "--collect DIR",
        "--profile PROFILE",
        "only do on the Sync server (Windows)",
    ] {
        assert!(err.contains(want), "{want:?} not in {err}");
    }
}
