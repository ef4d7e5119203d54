//! The Service and Portal plans: goldens of the ten Contoso profiles, property names only from
//! the install facts, ADDLOCAL from the features, the options A to I, the answers setup takes
//! interactively, secrets as references, and the steps after setup.
use super::{body, golden, plan, property, secret_placeholders, ROOT};
use std::collections::BTreeSet;

const OPTIONS: [char; 9] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];

/// Every property name the install facts (§2) give for `Service and Portal.msi`; any other
/// name in a plan would be invented.
const KNOWN: &[&str] = &[
    "ADDLOCAL",
    "SQLSERVER_SERVER",
    "SQLSERVER_DATABASE",
    "EXISTINGDATABASE",
    "MAIL_SERVER",
    "MAIL_SERVER_USE_SSL",
    "MAIL_SERVER_IS_EXCHANGE",
    "POLL_EXCHANGE_ENABLED",
    "MAIL_SERVER_IS_EXCHANGE_ONLINE",
    "SERVICE_ACCOUNT_NAME",
    "SERVICE_ACCOUNT_PASSWORD",
    "SERVICE_ACCOUNT_DOMAIN",
    "SERVICE_ACCOUNT_EMAIL",
    "SERVICE_ACCOUNT_EMAIL_PASSWORD",
    "USE_MANAGED_ACCOUNT_FOR_SERVICE",
    "SYNCHRONIZATION_SERVER",
    "SYNCHRONIZATION_SERVER_ACCOUNT",
    "SERVICEADDRESS",
    "SERVICE_MANAGER_SERVER",
    "CERTIFICATE_NAME",
    "CERTIFICATE_THUMBPRINT",
    "RMS_PORT",
    "STS_PORT",
    "FIREWALL_CONF",
    "SHAREPOINT_URL",
    "SHAREPOINTUSERS_CONF",
    "REGISTRATION_PORTAL_URL",
    "REGISTRATION_ACCOUNT",
    "REGISTRATION_ACCOUNT_PASSWORD",
    "REGISTRATION_HOSTNAME",
    "REGISTRATION_PORT",
    "REGISTRATION_SERVERNAME",
    "IS_REGISTRATION_EXTRANET",
    "REGISTRATION_FIREWALL_CONF",
    "RESET_ACCOUNT",
    "RESET_ACCOUNT_PASSWORD",
    "RESET_HOSTNAME",
    "RESET_PORT",
    "RESET_SERVERNAME",
    "IS_RESET_EXTRANET",
    "RESET_FIREWALL_CONF",
    "SQMOPTINSETTING",
    "ACCEPT_EULA",
    "INSTALLDIR",
];
/// Names the install facts mark [?]: they must be `confirmed = false`, with a note.
const UNCONFIRMED: &[&str] = &[
    "CERTIFICATE_THUMBPRINT",
    "REGISTRATION_FIREWALL_CONF",
    "RESET_FIREWALL_CONF",
];

fn profile_of(option: char) -> String {
    format!("profiles/contoso-aadp-option-{option}.toml")
}

fn parsed(profile: &str) -> toml::Value {
    toml::from_str(&plan(profile, false)).unwrap()
}

fn answers(profile: &str) -> toml::Value {
    let text = std::fs::read_to_string(std::path::Path::new(ROOT).join(profile)).unwrap();
    toml::from_str(&text).unwrap()
}

fn install(v: &toml::Value) -> &toml::Value {
    let step = &v["steps"][0];
    assert_eq!(step["id"].as_str(), Some("install-service-portal"));
    assert_eq!(step["kind"].as_str(), Some("msiexec"));
    step
}

fn value<'a>(step: &'a toml::Value, name: &str) -> Option<&'a str> {
    property(step, name).map(|p| p["value"].as_str().unwrap())
}

fn interactive_from(v: &toml::Value) -> BTreeSet<String> {
    v.get("interactive")
        .and_then(|i| i.as_array())
        .map(|a| {
            a.iter()
                .map(|e| e["from"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn golden_plans_of_the_ten_contoso_service_profiles() {
    golden(
        "contoso-service-portal.plan.toml",
        &plan("profiles/contoso-service-portal.toml", false),
    );
    golden(
        "contoso-service-portal.plan.json",
        &plan("profiles/contoso-service-portal.toml", true),
    );
    for o in OPTIONS {
        golden(
            &format!("contoso-aadp-option-{o}.plan.toml"),
            &plan(&profile_of(o), false),
        );
    }
}

#[test]
fn property_names_come_only_from_the_install_facts() {
    let mut profiles = vec!["profiles/contoso-service-portal.toml".to_string()];
    profiles.extend(OPTIONS.map(profile_of));
    let mut seen = BTreeSet::new();
    for p in &profiles {
        let v = parsed(p);
        for prop in install(&v)["properties"].as_array().unwrap() {
            let name = prop["name"].as_str().unwrap();
            assert!(
                KNOWN.contains(&name),
                "{p}: {name} is not in the install facts"
            );
            let confirmed = prop["confirmed"].as_bool().unwrap();
            assert_eq!(confirmed, !UNCONFIRMED.contains(&name), "{p}: {name}");
            if !confirmed {
                let note = prop["note"].as_str().unwrap_or("");
                assert!(note.len() > 20, "{p}: {name} needs a note");
                let notes = v["notes"].as_array().unwrap();
                assert!(
                    notes
                        .iter()
                        .any(|n| n.as_str().unwrap().starts_with(&format!("{name}:"))),
                    "{p}: {name} is repeated in the notes"
                );
            }
            seen.insert(name.to_string());
        }
    }
    // The shipped profiles reach every name but the SCSM-less and mail-less ones at least once.
    for name in [
        "CERTIFICATE_THUMBPRINT",
        "SERVICE_MANAGER_SERVER",
        "SERVICE_ACCOUNT_EMAIL_PASSWORD",
        "USE_MANAGED_ACCOUNT_FOR_SERVICE",
        "MAIL_SERVER_IS_EXCHANGE_ONLINE",
    ] {
        assert!(seen.contains(name), "{name} is used by some profile");
    }
}

#[test]
fn addlocal_follows_the_features() {
    let features = [
        ("service", "CommonServices"),
        ("reporting", "FIMReporting"),
        ("portal", "WebPortals"),
        ("registration", "RegistrationPortal"),
        ("reset", "ResetPortal"),
        ("pam", "PAMServices"),
    ];
    let mut profiles = vec!["profiles/contoso-service-portal.toml".to_string()];
    profiles.extend(OPTIONS.map(profile_of));
    for p in &profiles {
        let a = answers(p);
        let want: Vec<&str> = features
            .iter()
            .filter(|(f, _)| a["features"][*f].as_bool().unwrap())
            .map(|(_, name)| *name)
            .collect();
        let v = parsed(p);
        assert_eq!(
            value(install(&v), "ADDLOCAL"),
            Some(want.join(",").as_str()),
            "{p}"
        );
    }
    // Option A installs Reporting, with its SCSM server.
    let v = parsed(&profile_of('a'));
    assert!(value(install(&v), "ADDLOCAL")
        .unwrap()
        .contains("FIMReporting"));
    assert_eq!(
        value(install(&v), "SERVICE_MANAGER_SERVER"),
        Some("scsm.contoso.com")
    );
}

#[test]
fn each_option_gets_its_account_and_mail_properties() {
    for o in OPTIONS {
        let p = profile_of(o);
        let v = parsed(&p);
        let step = install(&v);
        let letter = o.to_ascii_uppercase();
        let option = v["deployment_option"].as_str().unwrap();
        assert!(option.starts_with(&format!("{letter}: ")), "{p}: {option}");
        let gmsa = matches!(o, 'f' | 'g' | 'h' | 'i');
        assert_eq!(
            value(step, "SERVICE_ACCOUNT_PASSWORD").is_some(),
            !gmsa,
            "{p}"
        );
        assert_eq!(
            value(step, "USE_MANAGED_ACCOUNT_FOR_SERVICE"),
            gmsa.then_some("1"),
            "{p}"
        );
        if gmsa {
            assert!(value(step, "SERVICE_ACCOUNT_NAME").unwrap().ends_with('$'));
        }
        // B, F and G need the mailbox's password; only those.
        assert_eq!(
            value(step, "SERVICE_ACCOUNT_EMAIL_PASSWORD"),
            matches!(o, 'b' | 'f' | 'g').then_some("{{secret:mim_service_mailbox_password}}"),
            "{p}"
        );
        let mailless = matches!(o, 'e' | 'i');
        assert_eq!(
            value(step, "SERVICE_ACCOUNT_EMAIL").is_none(),
            mailless,
            "{p}"
        );
        let online = matches!(o, 'b' | 'c' | 'g' | 'h');
        assert_eq!(
            value(step, "MAIL_SERVER_IS_EXCHANGE_ONLINE"),
            Some(if online { "1" } else { "0" }).filter(|_| !mailless),
            "{p}"
        );
        if mailless {
            assert_eq!(value(step, "MAIL_SERVER"), Some("localhost"), "{p}");
            assert_eq!(value(step, "MAIL_SERVER_IS_EXCHANGE"), Some("0"), "{p}");
        }
    }
}

#[test]
fn answers_without_a_known_property_are_listed_for_setup_and_never_named() {
    for o in OPTIONS {
        let p = profile_of(o);
        let v = parsed(&p);
        let from = interactive_from(&v);
        for f in [
            "cloud.instance",
            "tenant.user",
            "mail.server_type",
            "mail.gmsa",
        ] {
            assert!(from.contains(f), "{p}: {f} is answered in setup");
        }
        let app = matches!(o, 'c' | 'h');
        for f in [
            "mailbox_app.application_id",
            "mailbox_app.tenant_id",
            "mailbox_app.client_secret",
        ] {
            assert_eq!(from.contains(f), app, "{p}: {f}");
        }
        let step = install(&v);
        // No property carries the app's values or the cloud: no name was invented for them.
        let a = answers(&p);
        for prop in step["properties"].as_array().unwrap() {
            let val = prop["value"].as_str().unwrap();
            if app {
                assert_ne!(val, a["mailbox_app"]["application_id"].as_str().unwrap());
                assert_ne!(val, a["mailbox_app"]["tenant_id"].as_str().unwrap());
            }
            assert_ne!(val, "global", "{p}");
        }
        if app {
            let secret = v["interactive"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["from"].as_str() == Some("mailbox_app.client_secret"))
                .unwrap();
            assert_eq!(
                secret["value"].as_str(),
                Some("{{secret:mailbox_app_client_secret}}")
            );
            assert_eq!(
                v["secrets"]["mailbox_app_client_secret"]["env"].as_str(),
                Some("MIM_APP_CLIENT_SECRET")
            );
        }
        // Setup has to ask, so it runs with its screens.
        let args: Vec<&str> = step["argv"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(!args.contains(&"/qn"), "{p}");
        assert!(step["description"].as_str().unwrap().contains("no /qn"));
    }
}

#[test]
fn the_volume_license_walkthrough_runs_silently() {
    let v = parsed("profiles/contoso-service-portal.toml");
    let step = install(&v);
    let command = step["command"].as_str().unwrap();
    assert!(
        command.starts_with(
            r#"msiexec.exe /i "Service and Portal.msi" /qn /L*v {{log_dir}}\install-service-portal.log ACCEPT_EULA=1 ADDLOCAL="CommonServices,WebPortals,RegistrationPortal,ResetPortal""#
        ),
        "{command}"
    );
    assert_eq!(step["working_dir"].as_str(), Some(r"D:\Service and Portal"));
    for (name, want) in [
        ("SQLSERVER_DATABASE", "FIMService"),
        ("EXISTINGDATABASE", "0"),
        ("SERVICE_ACCOUNT_NAME", "MIMService"),
        ("SYNCHRONIZATION_SERVER_ACCOUNT", r"contoso\MIMMA"),
        ("SERVICEADDRESS", "CORPIDM"),
        ("SHAREPOINT_URL", "http://CorpIDM.contoso.local"),
        (
            "REGISTRATION_PORTAL_URL",
            "http://CorpIDM.contoso.local:8080",
        ),
        ("REGISTRATION_ACCOUNT", r"contoso\MIMSSPR"),
        ("REGISTRATION_PORT", "8080"),
        ("RESET_ACCOUNT", r"contoso\MIMSSPRService"),
        ("RESET_PORT", "8088"),
        ("CERTIFICATE_NAME", "ForefrontIdentityManager"),
        ("FIREWALL_CONF", "1"),
        ("SHAREPOINTUSERS_CONF", "1"),
    ] {
        assert_eq!(value(step, name), Some(want), "{name}");
    }
    // The reset URL has no known property: listed, optional, and the run stays silent.
    let i = v["interactive"].as_array().unwrap();
    assert_eq!(i.len(), 1);
    assert_eq!(i[0]["from"].as_str(), Some("portal.reset_url"));
    assert_eq!(i[0]["optional"].as_bool(), Some(true));
    assert_eq!(
        v["deployment_option"].as_str(),
        Some("A: Regular service account + Exchange Server")
    );
}

#[test]
fn secrets_are_references_with_their_own_placeholders() {
    let v_text = plan("profiles/contoso-service-portal.toml", false);
    let v: toml::Value = toml::from_str(&v_text).unwrap();
    let used = secret_placeholders(&body(&v_text));
    let declared: BTreeSet<String> = v["secrets"].as_table().unwrap().keys().cloned().collect();
    assert_eq!(used, declared);
    assert_eq!(
        declared,
        [
            "mim_service_password",
            "sspr_registration_password",
            "sspr_reset_password"
        ]
        .map(String::from)
        .into()
    );
    let step = install(&v);
    let step_secrets: BTreeSet<String> = step["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    assert_eq!(step_secrets, declared);
    assert!(step["description"].as_str().unwrap().contains("redacted"));
    for (name, env) in [
        ("mim_service_password", "MIM_SERVICE_PASSWORD"),
        (
            "sspr_registration_password",
            "MIM_SSPR_REGISTRATION_PASSWORD",
        ),
        ("sspr_reset_password", "MIM_SSPR_RESET_PASSWORD"),
    ] {
        assert_eq!(v["secrets"][name]["env"].as_str(), Some(env));
    }
}

#[test]
fn after_setup_the_portal_zone_rule_and_sites_are_steps() {
    let v = parsed("profiles/contoso-service-portal.toml");
    let steps = v["steps"].as_array().unwrap();
    let ids: Vec<&str> = steps.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "install-service-portal",
            "verify-mim-service",
            "verify-firewall-rule-sts",
            "verify-firewall-rule-webservice",
            "verify-portal",
            "add-portal-to-local-intranet",
            "enable-own-attributes-mpr",
            "verify-registration-portal",
            "verify-reset-portal",
            "verify-domain-network",
        ]
    );
    let by_id = |id: &str| steps.iter().find(|s| s["id"].as_str() == Some(id)).unwrap();
    let portal = by_id("verify-portal")["command"].as_str().unwrap();
    assert!(
        portal.contains("'http://CorpIDM.contoso.local/identitymanagement'"),
        "{portal}"
    );
    let zone = by_id("add-portal-to-local-intranet")["command"]
        .as_str()
        .unwrap();
    assert!(
        zone.contains(r"ZoneMap\Domains\contoso.local\CorpIDM'"),
        "{zone}"
    );
    assert!(zone.contains("-Name 'http' -Value 1"), "{zone}");
    let mpr = by_id("enable-own-attributes-mpr");
    assert_eq!(mpr["kind"].as_str(), Some("manual"));
    assert!(mpr["description"]
        .as_str()
        .unwrap()
        .contains("User management: Users can read attributes of their own"));
    assert!(by_id("verify-reset-portal")["command"]
        .as_str()
        .unwrap()
        .contains("'http://CORPIDM:8088/'"));
    // Seed 003's last step: the network is a Domain network; the step fails when none is.
    let network = by_id("verify-domain-network")["command"].as_str().unwrap();
    assert!(network.contains("Get-NetConnectionProfile"), "{network}");
    assert!(network.contains("'DomainAuthenticated'"), "{network}");
    assert!(network.contains("throw"), "{network}");
    // The Azure AD Premium walkthrough adds the Compatibility View step.
    let aadp = parsed(&profile_of('e'));
    assert!(aadp["steps"]
        .as_array()
        .unwrap()
        .iter()
        .any(
            |s| s["id"].as_str() == Some("untick-intranet-compatibility-view")
                && s["kind"].as_str() == Some("manual")
        ));
}
