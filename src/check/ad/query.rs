//! What the directory checks read from a profile: the domain and how to reach it, the
//! accounts, the Sync groups, SSPR, and the SPNs in every form clients ask for.
use super::{accounts, gmsa, groups};
use crate::profile::Profile;
use crate::screens::fields;
use crate::screens::Component;
use accounts::Named;

/// Everything the AD probe reads from a profile.
#[derive(Debug, Clone)]
pub(super) struct AdQuery {
    pub(super) domain: String,
    pub(super) dc: String,
    pub(super) security: String,
    pub(super) bind_account: String,
    pub(super) computer: String,
    pub(super) accounts: Vec<Named>,
    /// (field, value, role)
    pub(super) groups: Vec<(String, String, String)>,
    /// Service and Portal: SSPR is installed.
    pub(super) sspr: bool,
    pub(super) spns: Vec<SpnQuery>,
    /// The doctor's PCNS questions (`pcns_probes`): the DC's clock as well.
    pub(super) pcns: bool,
}

/// An SPN to look up, the field it comes from, and the field of the account it belongs on.
#[derive(Debug, Clone)]
pub(super) struct SpnQuery {
    pub(super) spn: String,
    pub(super) field: String,
    pub(super) owner_field: String,
    /// Missing is a finding (a form MIM documents); otherwise only another holder is.
    pub(super) required: bool,
}

pub(super) fn query(profile: &Profile, pcns: bool) -> AdQuery {
    let a = &profile.answers;
    let domain = a.text(fields::checks::DOMAIN).trim().to_string();
    let mut groups = Vec::new();
    let mut spns = Vec::new();
    let fqdn = |host: &str| {
        if host.contains('.') || domain.is_empty() {
            host.to_string()
        } else {
            format!("{host}.{domain}")
        }
    };
    match profile.component() {
        Component::Sync if pcns => {
            // PCNSCLNT/<Sync server's full name> on the Sync service account (the PCNS
            // target); the short form is looked up too: registered alone, it is 6025's
            // "not properly formatted" cause.
            let host = fqdn(&gmsa::this_computer(a.text(fields::checks::COMPUTER)));
            let short = host.split('.').next().unwrap_or(&host).to_string();
            for (h, required) in [(host.clone(), true), (short, false)] {
                let spn = super::pcns_spn(&h);
                if !spns
                    .iter()
                    .any(|s: &SpnQuery| s.spn.eq_ignore_ascii_case(&spn))
                {
                    spns.push(SpnQuery {
                        spn,
                        field: fields::checks::COMPUTER.to_string(),
                        owner_field: fields::service_account::NAME.to_string(),
                        required,
                    });
                }
            }
        }
        Component::Sync => {
            for (field, role) in groups::SYNC_GROUPS {
                let v = a.text(field).trim();
                if !v.is_empty() {
                    groups.push((field.to_string(), v.to_string(), role.to_string()));
                }
            }
        }
        Component::ServicePortal => {
            // Each SPN in the forms clients ask for: the full name and the short one.
            let mut add = |host: &str, class: &str, field: &str, owner: &str, short_required| {
                let full = fqdn(host);
                // An address has no short form.
                let short = match full.parse::<std::net::IpAddr>() {
                    Ok(_) => full.clone(),
                    Err(_) => full.split('.').next().unwrap_or(&full).to_string(),
                };
                for (h, required) in [(full.clone(), true), (short, short_required)] {
                    let spn = format!("{class}/{h}");
                    if !spns
                        .iter()
                        .any(|s: &SpnQuery| s.spn.eq_ignore_ascii_case(&spn))
                    {
                        spns.push(SpnQuery {
                            spn,
                            field: field.to_string(),
                            owner_field: owner.to_string(),
                            required,
                        });
                    }
                }
            };
            let service_host = a.text(fields::portal::SERVICE_ADDRESS).trim();
            if a.flag(fields::features::SERVICE) && !service_host.is_empty() {
                // MIM documents FIMService/<full name>; the short form is looked up so that a
                // holder elsewhere is seen, and is not required.
                add(
                    service_host,
                    "FIMService",
                    fields::mim_service::NAME,
                    fields::mim_service::NAME,
                    false,
                );
            }
            if a.flag(fields::features::PORTAL) {
                if let Some(host) =
                    crate::check::network::url_host(a.text(fields::portal::SHAREPOINT_URL))
                {
                    add(
                        &host,
                        "http",
                        fields::portal::SHAREPOINT_URL,
                        fields::checks::APP_POOL_ACCOUNT,
                        true,
                    );
                }
            }
        }
    }
    AdQuery {
        dc: a.text(fields::checks::DC).trim().to_string(),
        security: a.text(fields::checks::LDAP_SECURITY).to_string(),
        bind_account: a.text(fields::checks::BIND_ACCOUNT).trim().to_string(),
        computer: gmsa::this_computer(a.text(fields::checks::COMPUTER)),
        accounts: accounts::accounts(profile),
        sspr: profile.component() == Component::ServicePortal
            && a.flag(fields::features::SERVICE)
            && (a.flag(fields::features::REGISTRATION) || a.flag(fields::features::RESET)),
        groups,
        spns,
        domain,
        pcns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::Screens;

    fn load(name: &str) -> Profile {
        let screens = Screens::embedded().expect("embedded screens");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("profiles")
            .join(name);
        crate::profile::load_file(&path, screens, false)
            .expect("the shipped profile loads")
            .profile
    }

    #[test]
    fn what_the_shipped_profiles_ask_of_the_directory() {
        let p = query(&load("contoso-service-portal.toml"), false);
        let sams: Vec<&str> = p.accounts.iter().map(|n| n.sam.as_str()).collect();
        assert_eq!(
            sams,
            [
                "MIMService",
                "MIMMA",
                "MIMSync",
                "MIMSSPR",
                "MIMSSPRService",
                "SharePoint",
                "miminstall"
            ]
        );
        let spns: Vec<(&str, bool)> = p
            .spns
            .iter()
            .map(|s| (s.spn.as_str(), s.required))
            .collect();
        assert_eq!(
            spns,
            [
                ("FIMService/CORPIDM.contoso.local", true),
                ("FIMService/CORPIDM", false),
                ("http/corpidm.contoso.local", true),
                ("http/corpidm", true)
            ]
        );
        assert!(p.sspr && p.groups.is_empty());
        let g = query(&load("contoso-sync-gmsa.toml"), false);
        assert!(g.accounts[0].gmsa && g.accounts[0].sam == "MIMSync$");
        assert_eq!(g.groups.len(), 5);
        assert!(!g.sspr && g.spns.is_empty());
        let f = query(&load("contoso-aadp-option-f.toml"), false);
        assert!(f
            .accounts
            .iter()
            .any(|n| n.sam == "svcMIMService$" && n.gmsa));
    }

    #[test]
    fn every_spn_form_is_looked_up_once() {
        use crate::answers::Value;
        /// (service address, SharePoint URL, the SPNs and whether each is required)
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, bool)]);
        let cases: &[Case] = &[
            (
                "corpservice",
                "http://corpidm.contoso.local",
                &[
                    ("FIMService/corpservice.contoso.local", true),
                    ("FIMService/corpservice", false),
                    ("http/corpidm.contoso.local", true),
                    ("http/corpidm", true),
                ],
            ),
            (
                "mim.contoso.com",
                "https://portal.contoso.com:8443/sites/mim",
                &[
                    ("FIMService/mim.contoso.com", true),
                    ("FIMService/mim", false),
                    ("http/portal.contoso.com", true),
                    ("http/portal", true),
                ],
            ),
            (
                // The same host for both: each class keeps its own forms.
                "CORPIDM",
                "http://corpidm",
                &[
                    ("FIMService/CORPIDM.contoso.local", true),
                    ("FIMService/CORPIDM", false),
                    ("http/corpidm.contoso.local", true),
                    ("http/corpidm", true),
                ],
            ),
            (
                "10.0.0.5",
                "http://10.0.0.6",
                &[("FIMService/10.0.0.5", true), ("http/10.0.0.6", true)],
            ),
        ];
        for (service, url, want) in cases {
            let mut p = load("contoso-service-portal.toml");
            p.answers.set(
                fields::portal::SERVICE_ADDRESS,
                Value::Text(service.to_string()),
            );
            p.answers
                .set(fields::portal::SHAREPOINT_URL, Value::Text(url.to_string()));
            let q = query(&p, false);
            let got: Vec<(&str, bool)> = q
                .spns
                .iter()
                .map(|s| (s.spn.as_str(), s.required))
                .collect();
            assert_eq!(got, *want, "{service} {url}");
        }
    }
}
