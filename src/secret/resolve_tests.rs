//! The resolver's table of tests, on a fake host (variables, terminal, typed answer, store).
use super::*;

/// A host with given variables, terminal, typed answer and credential store.
#[derive(Default)]
struct Fake {
    vars: BTreeMap<&'static str, &'static str>,
    terminal: bool,
    answer: Option<&'static str>,
    store: BTreeMap<(&'static str, &'static str), &'static str>,
    asked: usize,
}

impl Host for Fake {
    fn var(&self, var: &str) -> Option<String> {
        self.vars.get(var).map(|v| v.to_string())
    }
    fn is_terminal(&self) -> bool {
        self.terminal
    }
    fn read_hidden(&mut self, _: &str) -> std::io::Result<String> {
        self.asked += 1;
        self.answer
            .map(str::to_string)
            .ok_or_else(|| std::io::Error::other("the terminal closed"))
    }
    fn keyring(&self, service: &str, user: &str) -> Result<String, keyring::Error> {
        self.store
            .iter()
            .find(|((s, u), _)| *s == service && *u == user)
            .map(|(_, v)| v.to_string())
            .ok_or(keyring::Error::NoEntry)
    }
}

fn host() -> Fake {
    Fake {
        vars: [("SET", "Canary-Env"), ("EMPTY", "")].into(),
        store: [
            (("mim-setup", "sync"), "Canary-Store"),
            (("mim-setup", "empty"), ""),
        ]
        .into(),
        ..Fake::default()
    }
}

/// Every reference form and every error, under every way of asking.
#[test]
fn one_table_for_every_reference_and_every_error() {
    use SecretError as E;
    let n = || "pw".to_string();
    let env = |v: &str| SecretRef::Env(v.into());
    let store = |v: &str| SecretRef::Keyring(v.into());
    let typed: BTreeMap<String, Secret> = [("pw".to_string(), Secret::new("Canary-Typed"))].into();
    let typed_empty: BTreeMap<String, Secret> = [("pw".to_string(), Secret::default())].into();
    let none = BTreeMap::new();
    type Row<'a> = (
        &'a str,
        SecretRef,
        Ask<'a>,
        bool,
        Option<&'static str>,
        Result<&'static str, SecretError>,
    );
    let rows: Vec<Row> = vec![
        (
            "env set",
            env("SET"),
            Ask::Terminal,
            false,
            None,
            Ok("Canary-Env"),
        ),
        (
            "env unset",
            env("UNSET"),
            Ask::Terminal,
            true,
            None,
            Err(E::EnvMissing {
                name: n(),
                var: "UNSET".into(),
            }),
        ),
        (
            "env empty",
            env("EMPTY"),
            Ask::Terminal,
            true,
            None,
            Err(E::EnvEmpty {
                name: n(),
                var: "EMPTY".into(),
            }),
        ),
        (
            "prompt on a terminal",
            SecretRef::Prompt,
            Ask::Terminal,
            true,
            Some("Canary-Prompt"),
            Ok("Canary-Prompt"),
        ),
        (
            "prompt without a terminal",
            SecretRef::Prompt,
            Ask::Terminal,
            false,
            Some("x"),
            Err(E::NoTerminal { name: n() }),
        ),
        (
            "prompt answered empty",
            SecretRef::Prompt,
            Ask::Terminal,
            true,
            Some(""),
            Err(E::PromptEmpty { name: n() }),
        ),
        (
            "prompt, terminal fails",
            SecretRef::Prompt,
            Ask::Terminal,
            true,
            None,
            Err(E::Prompt {
                name: n(),
                reason: "the terminal closed".into(),
            }),
        ),
        (
            "prompt, unattended",
            SecretRef::Prompt,
            Ask::Never,
            true,
            Some("x"),
            Err(E::NotAsked { name: n() }),
        ),
        (
            "prompt, typed in the wizard",
            SecretRef::Prompt,
            Ask::Typed(&typed),
            true,
            Some("x"),
            Ok("Canary-Typed"),
        ),
        (
            "prompt, wizard field empty",
            SecretRef::Prompt,
            Ask::Typed(&typed_empty),
            true,
            Some("x"),
            Err(E::NotTyped { name: n() }),
        ),
        (
            "prompt, wizard field untouched",
            SecretRef::Prompt,
            Ask::Typed(&none),
            true,
            Some("x"),
            Err(E::NotTyped { name: n() }),
        ),
        (
            "typed wins over env",
            env("SET"),
            Ask::Typed(&typed),
            false,
            None,
            Ok("Canary-Typed"),
        ),
        (
            "empty typed falls back to env",
            env("SET"),
            Ask::Typed(&typed_empty),
            false,
            None,
            Ok("Canary-Env"),
        ),
        (
            "keyring present",
            store("mim-setup/sync"),
            Ask::Never,
            false,
            None,
            Ok("Canary-Store"),
        ),
        (
            "keyring missing",
            store("mim-setup/nobody"),
            Ask::Never,
            false,
            None,
            Err(E::Keyring {
                name: n(),
                entry: "mim-setup/nobody".into(),
                reason: keyring::Error::NoEntry.to_string(),
            }),
        ),
        (
            "keyring empty",
            store("mim-setup/empty"),
            Ask::Never,
            false,
            None,
            Err(E::KeyringEmpty {
                name: n(),
                entry: "mim-setup/empty".into(),
            }),
        ),
        (
            "keyring malformed",
            store("no-slash"),
            Ask::Never,
            false,
            None,
            Err(E::KeyringEntry {
                name: n(),
                entry: "no-slash".into(),
            }),
        ),
    ];
    for (what, reference, ask, terminal, answer, want) in rows {
        let mut h = Fake {
            terminal,
            answer,
            ..host()
        };
        let got = resolve_on(&mut h, "pw", &reference, ask);
        let got = got.as_ref().map(Secret::expose).map_err(Clone::clone);
        assert_eq!(got, want, "{what}");
        if let Err(e) = &got {
            let text = e.to_string();
            assert!(text.contains("`pw`"), "{what}: names the secret: {text}");
            assert!(!text.contains("Canary"), "{what}: no value: {text}");
        }
        // The terminal is read only for a prompt on one.
        let read = matches!((&reference, ask), (SecretRef::Prompt, Ask::Terminal)) && terminal;
        assert_eq!(h.asked, usize::from(read), "{what}");
    }
}

#[test]
fn the_real_host_reads_the_environment_and_refuses_malformed_store_entries() {
    let path = std::env::var("PATH").unwrap_or_default();
    let got = resolve("x", &SecretRef::Env("PATH".into()), Ask::Never).expect("PATH is set");
    assert_eq!(got.expose(), path);
    let var = "MIM_SETUP_SECRETS_UNIT_TEST_UNSET_7";
    let err = resolve("x", &SecretRef::Env(var.into()), Ask::Never).expect_err("unset");
    assert!(err.to_string().contains(var), "{err}");
    for entry in ["no-slash", "/user", "service/", " /x"] {
        let err = resolve("x", &SecretRef::Keyring(entry.into()), Ask::Never).expect_err(entry);
        assert!(
            matches!(err, SecretError::KeyringEntry { .. }),
            "{entry}: {err}"
        );
    }
}

#[test]
fn a_set_of_paths_keeps_each_value_or_why_it_is_missing() {
    let mut answers = Answers::default();
    answers.set(
        "checks.bind_password",
        Value::Secret(SecretRef::Env("PATH".into())),
    );
    answers.set("checks.sql_password", Value::Secret(SecretRef::Prompt));
    let paths = [
        "checks.bind_password",
        "checks.sql_password",
        "mim_service.password",
    ];
    let s = Secrets::resolve(&answers, &paths, Ask::Never);
    assert!(s.get("checks.bind_password").is_ok());
    let why = s.get("checks.sql_password").expect_err("not asked");
    assert!(
        why.contains("`checks.sql_password` is to be asked for"),
        "{why}"
    );
    let why = s.get("mim_service.password").expect_err("no reference");
    assert!(why.contains("gives no reference"), "{why}");
    // A path typed in the wizard needs no reference.
    let typed = [("mim_service.password".to_string(), Secret::new("t"))].into();
    let s = Secrets::resolve(&answers, &paths, Ask::Typed(&typed));
    assert_eq!(s.get("mim_service.password").map(Secret::expose), Ok("t"));
}
