//! `src/rules/hosts.rs`: a URL in a host field is read as its host, with an info finding;
//! only what setup cannot use is refused. Through `evaluate_screen`, over every host field.
use super::*;
use mim_setup::rules::evaluate_screen;
use mim_setup::rules::hosts::{host_of_url, with_hosts, CHECK};

#[test]
fn the_host_of_a_url() {
    #[rustfmt::skip]
    let rows: &[(&str, Option<&str>)] = &[
        ("http://CorpIDM.contoso.local", Some("CorpIDM.contoso.local")),
        ("https://corpidm.contoso.local/", Some("corpidm.contoso.local")),
        ("http://CorpIDM.contoso.local:5725/ResourceManagementService", Some("CorpIDM.contoso.local")),
        ("HTTP://CORPIDM", Some("CORPIDM")),
        ("http://corpidm.contoso.local.", Some("corpidm.contoso.local")),
        ("  http://corpidm  ", Some("corpidm")),
        // Not a URL: left to the field's rules.
        ("CorpIDM.contoso.local", None),
        ("CorpIDM:5725", None),
        ("", None),
        // URLs setup cannot use: no host, a bad host, a user name, a bad port, no scheme.
        ("http://", None),
        ("http:///identitymanagement", None),
        ("http://corp_idm", None),
        ("http://admin@corpidm", None),
        ("http://corpidm:port", None),
        ("http://corpidm:", None),
        ("://corpidm", None),
        ("1http://corpidm", None),
    ];
    for (v, want) in rows {
        assert_eq!(host_of_url(v), *want, "{v:?}");
    }
}

/// Every host field of every screen: a URL with a good host gives one info finding and no
/// error; one with a bad host is an error.
#[test]
fn every_host_field_takes_a_url_and_says_what_setup_gets() {
    let host_fields: Vec<(String, &ScreenDef, &mim_setup::screens::FieldDef)> = screens()
        .all()
        .iter()
        .flat_map(|s| {
            s.fields
                .iter()
                .filter(|f| mim_setup::rules::hosts::is_host_field(f))
                .map(move |f| (format!("{}.{}", s.id, f.id), s, f))
        })
        .collect();
    for want in [
        "portal.service_address",
        "registration_site.service_address",
        "reset_site.service_address",
        "sql.server",
        "database.server",
    ] {
        assert!(
            host_fields.iter().any(|(p, ..)| p == want),
            "{want} is a host field"
        );
    }
    let mut bad = Vec::new();
    let mut judged = 0;
    for (field, s, f) in &host_fields {
        let mut a = if s.is_for(mim_setup::screens::Component::Sync) {
            valid_answers()
        } else {
            sp_answers()
        };
        // Every optional screen and field shown.
        for feature in ["reporting", "portal", "registration", "reset", "pam"] {
            a.set(format!("features.{feature}"), Value::Bool(true));
        }
        if !a.screen_shown(s) || !a.field_active(s, f) {
            continue;
        }
        judged += 1;
        a.set(field.as_str(), text("http://CorpIDM.contoso.local/"));
        let found: Vec<Finding> = evaluate_screen(s, &a)
            .into_iter()
            .filter(|f| f.field.as_deref() == Some(field.as_str()))
            .collect();
        let info: Vec<&Finding> = found.iter().filter(|f| f.check == CHECK).collect();
        let ok = info.len() == 1
            && info[0].severity == Severity::Info
            && info[0].evidence.as_deref()
                == Some(
                    "typed 'http://CorpIDM.contoso.local/'; setup gets 'CorpIDM.contoso.local'",
                )
            && !found.iter().any(Finding::blocks)
            && well_formed(info[0]).is_ok();
        if !ok {
            bad.push(format!("{field}: {found:?}"));
        }
        a.set(field.as_str(), text("http://corp_idm/"));
        let found = evaluate_screen(s, &a);
        if !found
            .iter()
            .any(|f| f.field.as_deref() == Some(field.as_str()) && f.blocks())
        {
            bad.push(format!(
                "{field}: a URL with a bad host is not refused: {found:?}"
            ));
        }
    }
    assert!(bad.is_empty(), "\n{}", bad.join("\n"));
    assert!(judged >= 8, "only {judged} host fields judged");
}

#[test]
fn the_plan_reads_the_host_the_finding_names() {
    let mut a = sp_answers();
    a.set(
        "registration_site.service_address",
        text("http://CorpIDM.contoso.local"),
    );
    a.set("sql.server", text("corpsql.contoso.com"));
    let (hosts, replaced) = with_hosts(screens(), &a);
    assert_eq!(
        hosts.text("registration_site.service_address"),
        "CorpIDM.contoso.local"
    );
    assert_eq!(hosts.text("sql.server"), "corpsql.contoso.com");
    assert_eq!(
        replaced,
        vec![(
            "registration_site.service_address".to_string(),
            "http://CorpIDM.contoso.local".to_string(),
            "CorpIDM.contoso.local".to_string()
        )]
    );
}
