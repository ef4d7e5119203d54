//! The real AD checks (`check::ad`, through the check engine) against the demo directory and
//! DNS: every shipped Contoso profile green, and each fault with its own finding, gone again
//! when the fault is switched off.
use super::super::dns::DnsFault;
use super::test_env::{env, Env};
use super::DirFault;
use crate::check::{run_blocking, Area, Outcome, Report, Settings, State};
use crate::profile::Profile;
use crate::screens::{fields, Screens};
use crate::secret::{Ask, Secret, Secrets};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

fn load(name: &str) -> Profile {
    let screens = Screens::embedded().expect("embedded screens");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("profiles")
        .join(name);
    crate::profile::load_file(&path, screens, false)
        .expect("the shipped profile loads")
        .profile
}

fn run(env: &Env, profile: &Profile, areas: &[Area], password: &Secret) -> Report {
    let settings = Settings {
        timeout: Duration::from_secs(5),
        dns_server: Some(env.dns.addr()),
        ca_file: Some(env.tls.ca_file.path().to_path_buf()),
        only: areas.iter().copied().collect::<BTreeSet<Area>>(),
        ..Settings::default()
    };
    let paths = [fields::checks::BIND_PASSWORD, fields::checks::SQL_PASSWORD];
    let typed: BTreeMap<String, Secret> = paths
        .iter()
        .map(|p| (p.to_string(), password.clone()))
        .collect();
    let secrets = Secrets::resolve(&profile.answers, &paths, Ask::Typed(&typed));
    run_blocking(profile, settings, secrets).expect("the checks run")
}

fn not_green(r: &Report) -> Vec<&Outcome> {
    r.outcomes
        .iter()
        .filter(|o| !matches!(o.state, State::Ok | State::Info))
        .collect()
}

fn describe(o: &[&Outcome]) -> String {
    o.iter()
        .map(|o| {
            format!(
                "{} [{}] {:?}: {} {:?}",
                o.id,
                o.title,
                o.state,
                o.summary,
                o.findings
                    .iter()
                    .map(|f| format!("{} @ {:?}: {}", f.check, f.field, f.message))
                    .collect::<Vec<_>>()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn has(r: &Report, id: &str, field: &str) -> bool {
    r.outcomes
        .iter()
        .flat_map(|o| &o.findings)
        .any(|f| f.check == id && f.field.as_deref() == Some(field))
}

/// Whether the profile's MIM Service account is a gMSA (`Directory::set_gmsa_service`).
fn gmsa_service(p: &Profile) -> bool {
    p.answers.text(fields::mim_service::NAME).ends_with('$')
}

#[test]
fn every_shipped_contoso_profile_is_green() {
    let Some(env) = env() else { return };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("profiles/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("contoso-") && n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let p = load(name);
        env.dir.set_gmsa_service(gmsa_service(&p));
        let r = run(&env, &p, &[Area::Ad], env.dir.password());
        assert!(
            r.outcomes.len() >= 5,
            "{name}: {}",
            describe(&r.outcomes.iter().collect::<Vec<_>>())
        );
        let bad = not_green(&r);
        if !bad.is_empty() {
            failures.push(format!("{name}:\n{}", describe(&bad)));
        }
        // Without the switch, the SPNs' owner is the other account.
        if gmsa_service(&p) {
            env.dir.set_gmsa_service(false);
            let r = run(&env, &p, &[Area::Ad], env.dir.password());
            assert!(
                has(&r, "ad-spn-elsewhere", fields::mim_service::NAME),
                "{name}"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn each_directory_fault_gives_its_finding_and_goes_away() {
    let Some(env) = env() else { return };
    for fault in DirFault::ALL {
        let p = load(fault.profile());
        env.dir.set_fault(fault, true);
        let r = run(&env, &p, &[Area::Ad], env.dir.password());
        assert!(
            has(&r, fault.check_id(), fault.field()),
            "{}: no {} @ {} in\n{}",
            fault.name(),
            fault.check_id(),
            fault.field(),
            describe(&r.outcomes.iter().collect::<Vec<_>>())
        );
        env.dir.set_fault(fault, false);
        let r = run(&env, &p, &[Area::Ad], env.dir.password());
        assert!(
            not_green(&r).is_empty(),
            "{} switched off:\n{}",
            fault.name(),
            describe(&not_green(&r))
        );
    }
}

#[test]
fn faults_combine_and_each_keeps_its_finding() {
    let Some(env) = env() else { return };
    let p = load("contoso-sync.toml");
    for f in [
        DirFault::LockedAccount,
        DirFault::MissingGroup,
        DirFault::DistributionGroup,
    ] {
        env.dir.set_fault(f, true);
    }
    let r = run(&env, &p, &[Area::Ad], env.dir.password());
    for f in [
        DirFault::LockedAccount,
        DirFault::MissingGroup,
        DirFault::DistributionGroup,
    ] {
        assert!(has(&r, f.check_id(), f.field()), "{}", f.name());
    }
    assert_eq!(env.dir.faults().len(), 3);
}

#[test]
fn dns_faults_take_the_name_out_and_put_it_back() {
    let Some(env) = env() else { return };
    let p = load("contoso-sync.toml");
    let f = DnsFault::MissingDcRecord;
    env.dns.set_fault(f, true);
    let r = run(&env, &p, &[Area::Ad], env.dir.password());
    assert!(
        has(&r, f.check_id(), f.field()),
        "{}",
        describe(&r.outcomes.iter().collect::<Vec<_>>())
    );
    env.dns.set_fault(f, false);
    let r = run(&env, &p, &[Area::Ad], env.dir.password());
    assert!(not_green(&r).is_empty(), "{}", describe(&not_green(&r)));

    // A SQL login (Windows authentication is checked only on Windows): the name is
    // resolved before any login.
    let mut p = p;
    for (field, value) in [
        (fields::checks::SQL_AUTH, "sql"),
        (fields::checks::SQL_LOGIN, "mimsql"),
    ] {
        p.answers
            .set(field, crate::answers::Value::Text(value.to_string()));
    }
    let f = DnsFault::MissingSqlServer;
    env.dns.set_fault(f, true);
    let r = run(&env, &p, &[Area::Sql], env.dir.password());
    assert!(
        has(&r, f.check_id(), f.field()),
        "{}",
        describe(&r.outcomes.iter().collect::<Vec<_>>())
    );
    env.dns.set_fault(f, false);
    let r = run(&env, &p, &[Area::Sql], env.dir.password());
    assert!(
        !has(&r, f.check_id(), f.field()),
        "{}",
        describe(&r.outcomes.iter().collect::<Vec<_>>())
    );
}

#[test]
fn starttls_and_plain_ldap_are_checked_too() {
    let Some(env) = env() else { return };
    let mut p = load("contoso-sync.toml");
    for (security, plain_warning) in [("starttls", false), ("plain", true)] {
        p.answers.set(
            fields::checks::LDAP_SECURITY,
            crate::answers::Value::Text(security.to_string()),
        );
        let r = run(&env, &p, &[Area::Ad], env.dir.password());
        let bind = r
            .outcomes
            .iter()
            .find(|o| o.id == "ad-bind")
            .expect("a bind outcome");
        assert!(
            bind.summary
                .contains(if plain_warning { "plain" } else { "StartTLS" }),
            "{}",
            bind.summary
        );
        let others: Vec<&Outcome> = not_green(&r)
            .into_iter()
            .filter(|o| !(plain_warning && o.id == "ad-bind"))
            .collect();
        assert!(others.is_empty(), "{security}: {}", describe(&others));
        assert_eq!(
            has(&r, "ad-plain-ldap", fields::checks::LDAP_SECURITY),
            plain_warning
        );
    }
}

#[test]
fn a_wrong_ca_is_refused() {
    let Some(mut env) = env() else { return };
    // Another CA than the one that signed the directory's certificate.
    env.tls = super::test_env::tls(&["other.example"]);
    let p = load("contoso-sync.toml");
    let r = run(&env, &p, &[Area::Ad], env.dir.password());
    assert!(
        has(&r, "ad-tls-certificate", fields::checks::LDAP_SECURITY),
        "{}",
        describe(&not_green(&r))
    );
}
