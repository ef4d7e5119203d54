use super::*;
use crate::check::State;
use crate::screens::Component;

fn target() -> Target {
    Target {
        component: Component::ServicePortal,
        screen: "database",
        server_field: "database.server",
        server: "corpsql".into(),
        host: "corpsql".into(),
        instance: None,
        port: None,
        database: "FIMService".into(),
        database_field: "database.database",
        reuse: Some(false),
        mim_service: true,
    }
}

fn healthy() -> Props {
    Props {
        version: Some("15.0.2000.5".into()),
        level: Some("RTM".into()),
        edition: Some("Developer Edition (64-bit)".into()),
        collation: Some("SQL_Latin1_General_CP1_CI_AS".into()),
        hadr: Some(false),
        sysadmin: Some(true),
        fulltext: Some(true),
        login: Some(r"CONTOSO\miminstall".into()),
    }
}

/// (state, first finding's check id or "")
fn verdict(o: &Outcome) -> (State, String) {
    (
        o.state,
        o.findings
            .first()
            .map_or_else(String::new, |f| f.check.clone()),
    )
}

#[test]
fn a_property_that_is_null_or_blank_is_never_a_pass() {
    let t = target();
    type Case = (
        &'static str,
        fn(&mut Props),
        &'static str,
        State,
        &'static str,
    );
    let cases: &[Case] = &[
        ("healthy: version", |_| {}, "version", State::Ok, ""),
        ("healthy: collation", |_| {}, "collation", State::Ok, ""),
        ("healthy: fulltext", |_| {}, "fulltext", State::Ok, ""),
        ("healthy: sysadmin", |_| {}, "sysadmin", State::Ok, ""),
        (
            "version NULL",
            |p| p.version = None,
            "version",
            State::Warning,
            "sql-version-unknown",
        ),
        (
            "version blank",
            |p| p.version = Some("  ".into()),
            "version",
            State::Warning,
            "sql-version-unknown",
        ),
        (
            "level NULL still judged",
            |p| p.level = None,
            "version",
            State::Ok,
            "",
        ),
        (
            "collation NULL",
            |p| p.collation = None,
            "collation",
            State::Warning,
            "sql-collation-unknown",
        ),
        (
            "collation empty",
            |p| p.collation = Some(String::new()),
            "collation",
            State::Warning,
            "sql-collation-unknown",
        ),
        (
            "collation CS",
            |p| p.collation = Some("Latin1_General_CS_AS".into()),
            "collation",
            State::Warning,
            "sql-collation-case-sensitive",
        ),
        (
            "collation BIN",
            |p| p.collation = Some("Latin1_General_BIN2".into()),
            "collation",
            State::Warning,
            "sql-collation-case-sensitive",
        ),
        (
            "fulltext NULL",
            |p| p.fulltext = None,
            "fulltext",
            State::Warning,
            "sql-fulltext-unknown",
        ),
        (
            "fulltext 0",
            |p| p.fulltext = Some(false),
            "fulltext",
            State::Error,
            "sql-fulltext",
        ),
        (
            "sysadmin NULL",
            |p| p.sysadmin = None,
            "sysadmin",
            State::Error,
            "sql-not-sysadmin",
        ),
        (
            "sysadmin 0",
            |p| p.sysadmin = Some(false),
            "sysadmin",
            State::Error,
            "sql-not-sysadmin",
        ),
        (
            "everything NULL: version",
            |p| *p = Props::default(),
            "version",
            State::Warning,
            "sql-version-unknown",
        ),
        (
            "everything NULL: collation",
            |p| *p = Props::default(),
            "collation",
            State::Warning,
            "sql-collation-unknown",
        ),
        (
            "everything NULL: fulltext",
            |p| *p = Props::default(),
            "fulltext",
            State::Warning,
            "sql-fulltext-unknown",
        ),
        (
            "everything NULL: sysadmin",
            |p| *p = Props::default(),
            "sysadmin",
            State::Error,
            "sql-not-sysadmin",
        ),
    ];
    for (what, change, which, state, check) in cases {
        let mut p = healthy();
        change(&mut p);
        let o = match *which {
            "version" => version_outcome(&t, &p),
            "collation" => collation_outcome(&t, &p, None),
            "fulltext" => fulltext_outcome(&t, &p),
            _ => sysadmin_outcome(&t, &p, None),
        };
        assert_eq!(verdict(&o), (*state, check.to_string()), "{what}: {o:?}");
        let text = format!("{o:?}");
        if *state != State::Ok {
            assert!(!text.contains("case-insensitive\""), "{what}: {text}");
            assert!(!o.findings[0].fix.is_empty(), "{what}: a fix");
        }
        if check.ends_with("-unknown") {
            assert!(o.findings[0].message.contains("NULL"), "{what}: {text}");
        }
    }
    // A NULL database collation beside a good server collation is no finding.
    assert_eq!(collation_outcome(&t, &healthy(), None).state, State::Ok);
    let o = collation_outcome(&t, &healthy(), Some("Latin1_General_CS_AS"));
    assert_eq!(o.findings[0].check, "sql-collation-case-sensitive");
}

#[test]
fn the_sysadmin_fix_names_the_login_the_server_saw() {
    let t = target();
    let fix = |p: &Props, sql: Option<&str>| sysadmin_outcome(&t, p, sql).findings[0].fix.clone();
    let mut p = healthy();
    p.sysadmin = Some(false);
    p.login = Some(r"FABRIKAM\setupadmin".into());
    let f = fix(&p, None);
    assert!(f.contains(r"ADD MEMBER [FABRIKAM\setupadmin]"), "{f}");
    assert!(!f.to_ascii_lowercase().contains("contoso"), "{f}");
    // No login from the server: the profile's SQL login.
    p.login = None;
    let f = fix(&p, Some("mimcheck"));
    assert!(f.contains("ADD MEMBER [mimcheck]"), "{f}");
    // A bracket in a login is doubled, as T-SQL quotes it.
    p.login = Some("odd]name".into());
    assert!(fix(&p, None).contains("[odd]]name]"));
    // Nothing known: a placeholder that says so, never a Contoso name.
    p.login = Some(" ".into());
    let f = fix(&p, Some(""));
    assert!(
        f.contains("with its real name") && !f.contains("miminstall"),
        "{f}"
    );
    // The message names the login too.
    p.login = Some("sa".into());
    let o = sysadmin_outcome(&t, &p, None);
    assert!(o.findings[0].message.contains("login sa"), "{o:?}");
}
