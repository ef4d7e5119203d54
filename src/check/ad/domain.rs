//! Which domain answered, and whether a name in the profile belongs to it. `DOMAIN\name`
//! names a domain by its NetBIOS name and `name@suffix` by a UPN suffix; a profile copied
//! from another domain still says `contoso\MIMService` where the domain is `FABRIKAM`, and the
//! lookup by sAMAccountName alone would find (or miss) an account that is not the one named.
//!
//! ```text
//!   CN=Partitions,<configuration>  crossRef whose nCName is the domain: nETBIOSName, dnsRoot
//!                                  the Partitions container itself: uPNSuffixes (alternatives)
//! ```
use super::dir::{self, escape, Dir, DirError};
use crate::finding::Finding;
use ldap3::Scope;

/// The domain the directory checks are bound to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Domain {
    /// `CONTOSO`; empty when the crossRef could not be read.
    pub netbios: String,
    /// `contoso.local`.
    pub dns: String,
    /// The forest's alternative UPN suffixes.
    pub upn_suffixes: Vec<String>,
}

/// `DC=contoso,DC=local` -> `contoso.local`.
pub fn dns_of_base(base: &str) -> String {
    base.split(',')
        .filter_map(|rdn| {
            let (k, v) = rdn.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("DC")
                .then(|| v.trim().to_string())
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Reads the domain's names from the configuration partition.
pub async fn read(dir: &mut Dir<'_>) -> Result<Domain, DirError> {
    let partitions = format!("CN=Partitions,{}", dir.config);
    let filter = format!("(&(objectClass=crossRef)(nCName={}))", escape(&dir.base));
    let found = dir
        .search(
            &partitions,
            Scope::OneLevel,
            &filter,
            &["nETBIOSName", "dnsRoot"],
        )
        .await?;
    let cross = found.first();
    let netbios = cross
        .and_then(|e| dir::text(e, "nETBIOSName"))
        .unwrap_or("")
        .to_string();
    let dns = cross
        .and_then(|e| dir::text(e, "dnsRoot"))
        .map_or_else(|| dns_of_base(&dir.base), str::to_string);
    let upn_suffixes = dir
        .read(&partitions, &["uPNSuffixes"])
        .await?
        .map(|e| {
            dir::texts(&e, "uPNSuffixes")
                .into_iter()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(Domain {
        netbios,
        dns,
        upn_suffixes,
    })
}

/// The domain part of a name as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part<'a> {
    /// `name`: this domain is meant.
    None,
    /// `DOMAIN\name`.
    Netbios(&'a str),
    /// `name@suffix`.
    Upn(&'a str),
}

pub fn part_of(value: &str) -> Part<'_> {
    let v = value.trim();
    if let Some((d, _)) = v.split_once('\\') {
        return Part::Netbios(d.trim());
    }
    if let Some((_, s)) = v.rsplit_once('@') {
        return Part::Upn(s.trim());
    }
    Part::None
}

impl Domain {
    /// `CONTOSO (contoso.local)`, for evidence.
    pub fn describe(&self) -> String {
        if self.netbios.is_empty() {
            self.dns.clone()
        } else {
            format!("{} ({})", self.netbios, self.dns)
        }
    }

    /// Why `value` names another domain than this one, if it does. `upn` is the account's
    /// own userPrincipalName, which may carry any suffix.
    pub fn mismatch(&self, value: &str, upn: Option<&str>) -> Option<String> {
        match part_of(value) {
            Part::None => None,
            Part::Netbios(".") => Some(format!(
                "`.\\` names an account of this computer, not of the domain {}",
                self.describe()
            )),
            Part::Netbios(d) => {
                let known = d.eq_ignore_ascii_case(&self.dns)
                    || (!self.netbios.is_empty() && d.eq_ignore_ascii_case(&self.netbios));
                // Without the NetBIOS name (crossRef unreadable) only the DNS name can match;
                // nothing is claimed then.
                (!known && !self.netbios.is_empty()).then(|| {
                    format!(
                        "the domain part `{d}` is not the NetBIOS name of the domain that answered, {}",
                        self.describe()
                    )
                })
            }
            Part::Upn(s) => {
                let own = upn.is_some_and(|u| u.trim().eq_ignore_ascii_case(value.trim()));
                let known = s.eq_ignore_ascii_case(&self.dns)
                    || self.upn_suffixes.iter().any(|u| u.eq_ignore_ascii_case(s));
                (!own && !known).then(|| {
                    format!(
                        "the UPN suffix `@{s}` is not one of the domain that answered, {}{}",
                        self.describe(),
                        if self.upn_suffixes.is_empty() {
                            String::new()
                        } else {
                            format!(" (UPN suffixes: {})", self.upn_suffixes.join(", "))
                        }
                    )
                })
            }
        }
    }
}

/// The finding for a name of another domain: `what` is how the name is shown
/// (`The MIM Service account contoso\MIMService`), `why` what `Domain::mismatch` said.
pub fn other_domain(check: &str, field: &str, what: &str, why: &str, d: &Domain) -> Finding {
    Finding::error(
        check,
        field,
        format!("{what} is not in the domain the checks reached: {why}."),
    )
    .evidence(format!(
        "the domain controller answered for {}; nothing was looked up under this name",
        d.describe()
    ))
    .why("Setup and the services look the name up in the domain named; a profile from another domain (or a local account) passes no check here and fails at install or at the first logon.")
    .fix(format!(
        "Give the name in this domain ({}\\name or name@{}), or point the checks at the right domain in the Live checks screen.",
        if d.netbios.is_empty() { &d.dns } else { &d.netbios },
        d.dns
    ))
}

/// `checks.domain` names another domain than the one the domain controller answered for.
pub fn profile_domain_finding(domain: &str, dc: &str, d: &Domain) -> Option<Finding> {
    let named = domain.trim().trim_end_matches('.');
    let same = named.is_empty()
        || named.eq_ignore_ascii_case(&d.dns)
        || (!d.netbios.is_empty() && named.eq_ignore_ascii_case(&d.netbios));
    (!same).then(|| {
        Finding::error(
            "ad-domain-mismatch",
            crate::screens::fields::checks::DOMAIN,
            format!(
                "The domain controller {dc} answered for {}, not for the domain {named} the profile names.",
                d.describe()
            ),
        )
        .evidence(format!("checks.domain = {named}; the domain controller's naming context is {}", d.dns))
        .why("Every account and group is looked up in the domain that answered; the checks would judge names of one domain against another.")
        .fix(format!("Name a domain controller of {named} in the Live checks screen (or leave it empty to find one through DNS), or correct the domain name."))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contoso() -> Domain {
        Domain {
            netbios: "CONTOSO".into(),
            dns: "contoso.local".into(),
            upn_suffixes: vec!["contoso.com".into()],
        }
    }

    #[test]
    fn the_domain_part_of_every_form() {
        assert_eq!(part_of(r"contoso\MIMService"), Part::Netbios("contoso"));
        assert_eq!(
            part_of("MIMService@contoso.local"),
            Part::Upn("contoso.local")
        );
        assert_eq!(part_of(" MIMService "), Part::None);
        assert_eq!(part_of(r".\MIMService"), Part::Netbios("."));
        assert_eq!(dns_of_base("DC=contoso,DC=local"), "contoso.local");
        assert_eq!(
            dns_of_base("dc=corp, dc=fabrikam, dc=com"),
            "corp.fabrikam.com"
        );
        assert_eq!(dns_of_base("CN=x"), "");
    }

    #[test]
    fn names_of_this_domain_pass_and_of_another_are_named() {
        let d = contoso();
        let cases: &[(&str, Option<&str>, bool)] = &[
            (r"contoso\MIMService", None, true),
            (r"CONTOSO\MIMService", None, true),
            (r"contoso.local\MIMService", None, true),
            ("MIMService", None, true),
            ("MIMService@contoso.local", None, true),
            ("MIMService@CONTOSO.LOCAL", None, true),
            ("MIMService@contoso.com", None, true),
            (
                "MIMService@corp.example",
                Some("MIMService@corp.example"),
                true,
            ),
            (r"fabrikam\MIMService", None, false),
            (r"contoso2\MIMService", None, false),
            (r"contoso.com\MIMService", None, false),
            (r".\MIMService", None, false),
            ("MIMService@fabrikam.com", None, false),
            (
                "MIMService@fabrikam.com",
                Some("MIMService@contoso.local"),
                false,
            ),
            ("MIMService@contoso", None, false),
        ];
        for (value, upn, ok) in cases {
            let got = d.mismatch(value, *upn);
            assert_eq!(got.is_none(), *ok, "{value} ({upn:?}): {got:?}");
            if let Some(why) = got {
                assert!(why.contains("CONTOSO (contoso.local)"), "{why}");
            }
        }
        // A crossRef that could not be read: the DNS name still matches, nothing else is
        // claimed for a NetBIOS part.
        let bare = Domain {
            dns: "contoso.local".into(),
            ..Domain::default()
        };
        assert!(bare.mismatch(r"fabrikam\MIMService", None).is_none());
        assert!(bare.mismatch("MIMService@fabrikam.com", None).is_some());
    }

    #[test]
    fn the_fix_names_the_domain_that_answered() {
        let d = Domain {
            netbios: "FABRIKAM".into(),
            dns: "corp.fabrikam.com".into(),
            upn_suffixes: Vec::new(),
        };
        let why = d
            .mismatch(r"contoso\MIMService", None)
            .expect("another domain");
        let f = other_domain(
            "ad-account-other-domain",
            "mim_service.domain",
            r"The MIM Service account contoso\MIMService",
            &why,
            &d,
        );
        assert!(
            f.fix.contains(r"FABRIKAM\name or name@corp.fabrikam.com"),
            "{}",
            f.fix
        );
        assert!(!f.fix.to_ascii_lowercase().contains("contoso"), "{}", f.fix);
        assert!(
            f.message.contains("`contoso`") && f.message.contains("FABRIKAM (corp.fabrikam.com)"),
            "{}",
            f.message
        );
        assert_eq!(f.field.as_deref(), Some("mim_service.domain"));
    }

    #[test]
    fn the_profile_domain_is_the_one_that_answered() {
        let d = contoso();
        for same in [
            "contoso.local",
            "CONTOSO.LOCAL",
            "contoso.local.",
            "contoso",
            "",
        ] {
            assert!(profile_domain_finding(same, "dc1", &d).is_none(), "{same}");
        }
        for other in [
            "fabrikam.local",
            "contoso.com",
            "corp.contoso.local",
            "local",
        ] {
            let f = profile_domain_finding(other, "dc1.contoso.local", &d).expect(other);
            assert!(
                f.message.contains(other) && f.message.contains("CONTOSO (contoso.local)"),
                "{}",
                f.message
            );
            assert!(f.fix.contains(other), "{}", f.fix);
        }
    }
}
