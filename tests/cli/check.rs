//! `mim-setup check` on the command line, without servers: `--offline` runs nothing and says
//! so (exit 3), and unusable input is exit 2 with a clear error. (The engine itself is tested in the
//! offline tier, `tests/offline/check_engine.rs`.)

fn check(args: &[&str]) -> (i32, String, String) {
    super::run(&[&["check"], args].concat())
}

/// `--offline` runs nothing and says so: skipped is never shown as passed, and a run that
/// checked nothing exits 3, never 0 (tests/cli/check_exit.rs has the whole table).
#[test]
fn offline_says_nothing_was_checked() {
    let (code, out, _) = check(&["profiles/contoso-sync.toml", "--offline"]);
    assert_eq!(code, 3);
    assert!(out.contains("offline: no live check was run"), "{out}");
    assert!(!out.contains("[ok]"), "{out}");
    let (code, out, _) = check(&["profiles/contoso-sync.toml", "--offline", "--json"]);
    assert_eq!(code, 3);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["offline"], true);
    assert_eq!(v["outcomes"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["counts"]["ok"], 0);
}

/// Unusable input is exit 2 with what, where and how to fix; nothing is checked.
#[test]
fn unusable_input_exits_2_with_a_clear_error() {
    let cases: &[(&[&str], &str)] = &[
        (&["profiles/no-such.toml"], "no-such.toml"),
        (
            &["profiles/contoso-sync.toml", "--set", "sql.server"],
            "write it as screen.field=value",
        ),
        (
            &["profiles/contoso-sync.toml", "--set", "sql.nope=x"],
            "there is no field `sql.nope`",
        ),
        (
            &[
                "profiles/contoso-sync.toml",
                "--set",
                "portal.sharepoint_url=http://x",
            ],
            "not a field of a sync profile",
        ),
        (
            &[
                "profiles/contoso-sync.toml",
                "--set",
                "checks.sql_auth=kerberos",
            ],
            "choose one of integrated, sql",
        ),
        (
            &[
                "profiles/contoso-sync.toml",
                "--set",
                "checks.bind_password=Secret1",
            ],
            "never given on the command line",
        ),
        (
            &[
                "profiles/contoso-sync.toml",
                "--set",
                "checks.bind_password={ evn = \"MIM_BIND\" }",
            ],
            "unknown key `evn` in the secret reference",
        ),
        (
            &[
                "profiles/contoso-sync.toml",
                "--set",
                "checks.bind_password={ prompt = false }",
            ],
            "`prompt` must be true",
        ),
        (
            &["profiles/contoso-sync.toml", "--timeout", "0"],
            "between 0 and 600",
        ),
        (
            &["profiles/contoso-sync.toml", "--timeout", "nan"],
            "between 0 and 600",
        ),
    ];
    for (args, want) in cases {
        let (code, out, err) = check(args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(
            !err.contains("Secret1"),
            "a password given on the command line is not echoed: {err}"
        );
    }
    let (code, _, err) = check(&["profiles/contoso-sync.toml", "--dns", "not-an-ip"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a DNS server address"), "{err}");
}
