//! The Service and Portal steps after setup (seeds 002 and 003, install facts §6): each is
//! automated where a command can do it, otherwise a manual step that says exactly what to do.
//! The last checks, as seed 003's last step, that the server's network is a Domain network.
use super::steps::{command_step, manual_step, powershell_step, ps};
use super::{Plan, PlanError};
use crate::profile::Profile;
use crate::screens::fields;

const MPR: &str = "User management: Users can read attributes of their own";

pub(super) fn steps(profile: &Profile, plan: &mut Plan) -> Result<(), PlanError> {
    let a = &profile.answers;
    let on = |f: &str| a.flag(f);
    if on(fields::features::SERVICE) {
        plan.steps.push(command_step(
            "verify-mim-service",
            "Show the state of the FIMService service (the MIM Service); sc.exe fails with 1060 when setup did not create it.".into(),
            vec!["sc.exe".into(), "query".into(), "FIMService".into()],
            vec![],
        ));
        if on(fields::access::FIREWALL) {
            for rule in [
                "Forefront Identity Manager Service (STS)",
                "Forefront Identity Manager Service (Webservice)",
            ] {
                let id = if rule.contains("STS") {
                    "verify-firewall-rule-sts"
                } else {
                    "verify-firewall-rule-webservice"
                };
                plan.steps.push(command_step(
                    id,
                    format!("Check that the inbound firewall rule \"{rule}\" exists (TCP 5725 and 5726); netsh fails when it does not."),
                    vec![
                        "netsh.exe".into(),
                        "advfirewall".into(),
                        "firewall".into(),
                        "show".into(),
                        "rule".into(),
                        format!("name={rule}"),
                    ],
                    vec![],
                ));
            }
        }
    }
    if on(fields::features::PORTAL) {
        let site = a.text(fields::portal::SHAREPOINT_URL).trim_end_matches('/');
        let portal = format!("{site}/identitymanagement");
        plan.steps.push(powershell_step(
            "verify-portal",
            format!("Open the MIM Portal at {portal} as the installing user (Windows authentication) and fail unless it answers 200. The first visit can take a while."),
            &format!(
                "$r = Invoke-WebRequest -Uri {} -UseDefaultCredentials -UseBasicParsing -TimeoutSec 300; if ($r.StatusCode -ne 200) {{ throw \"the portal answered $($r.StatusCode)\" }}",
                ps(fields::portal::SHAREPOINT_URL, &portal)?
            ),
        ));
        let (scheme, host) = split_url(site);
        let (domain, sub) = zone_keys(host);
        let mut key = format!(
            "HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\ZoneMap\\Domains\\{domain}"
        );
        if let Some(sub) = sub {
            key.push('\\');
            key.push_str(sub);
        }
        plan.steps.push(powershell_step(
            "add-portal-to-local-intranet",
            format!("Add {scheme}://{host} to the Local intranet zone (zone 1) for the installing user, so that the browser signs in to the portal with Windows authentication. This is per user: for every user, assign the site to zone 1 with the Group Policy \"Site to Zone Assignment List\"."),
            &format!(
                "New-Item -Path {key} -Force | Out-Null; Set-ItemProperty -Path {key} -Name {} -Value 1 -Type DWord",
                ps(fields::portal::SHAREPOINT_URL, scheme)?,
                key = ps(fields::portal::SHAREPOINT_URL, &key)?,
            ),
        ));
        if profile.edition() == "azure-ad-premium" {
            plan.steps.push(manual_step(
                "untick-intranet-compatibility-view",
                "By hand, in Internet Explorer: Settings, Compatibility View settings, untick \"Display intranet sites in Compatibility View\" and close the dialog (Azure AD Premium walkthrough).".into(),
            ));
        }
        plan.steps.push(manual_step(
            "enable-own-attributes-mpr",
            format!("By hand, in the MIM Portal ({portal}): click Management Policy Rules, search for \"{MPR}\", select it, untick \"Policy is disabled\", click OK, then Submit. Without it users cannot see their own entry. There is no setup option for it."),
        ));
    }
    for (feature, section, name) in [
        (
            fields::features::REGISTRATION,
            "registration",
            "Password Registration",
        ),
        (fields::features::RESET, "reset", "Password Reset"),
    ] {
        if !on(feature) {
            continue;
        }
        let url = format!(
            "http://{}:{}/",
            a.text(&format!("{section}.host")),
            a.text(&format!("{section}.port"))
        );
        plan.steps.push(powershell_step(
            &format!("verify-{section}-portal"),
            format!("Check that the {name} Portal answers at {url} (any HTTP answer, 401 included, means the IIS site runs)."),
            &format!(
                "try {{ Invoke-WebRequest -Uri {} -UseBasicParsing -TimeoutSec 60 | Out-Null }} catch {{ if (-not $_.Exception.Response) {{ throw }} }}",
                ps(&format!("{section}.host"), &url)?
            ),
        ));
    }
    // Seed 003's last check: an active network of this server is a Domain network.
    plan.steps.push(powershell_step(
        "verify-domain-network",
        "Check, as the walkthrough's last step does in Network and Sharing Center, that an active network connection of this server is a Domain network (the domain's network, not Public or Private); fail when none is.".into(),
        "$d = @(Get-NetConnectionProfile | Where-Object { $_.NetworkCategory -eq 'DomainAuthenticated' }); if ($d.Count -eq 0) { throw 'no active network connection is a Domain network' }; $d | Format-Table -AutoSize Name, InterfaceAlias, NetworkCategory",
    ));
    Ok(())
}

/// `http://host:port/path` into the scheme and the host.
fn split_url(url: &str) -> (&str, &str) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    (scheme, host)
}

/// The ZoneMap keys of a host: `contoso.local` with `corpidm` below it for
/// `corpidm.contoso.local`, or just the host for a single label.
fn zone_keys(host: &str) -> (&str, Option<&str>) {
    match host.split_once('.') {
        Some((first, rest)) if rest.contains('.') => (rest, Some(first)),
        _ => (host, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_scheme_and_host() {
        assert_eq!(
            split_url("http://CorpIDM.contoso.local"),
            ("http", "CorpIDM.contoso.local")
        );
        assert_eq!(
            split_url("https://mim.contoso.com:8443/sites/x"),
            ("https", "mim.contoso.com")
        );
        assert_eq!(
            zone_keys("CorpIDM.contoso.local"),
            ("contoso.local", Some("CorpIDM"))
        );
        assert_eq!(zone_keys("mim.contoso.com"), ("contoso.com", Some("mim")));
        assert_eq!(zone_keys("contoso.com"), ("contoso.com", None));
        assert_eq!(zone_keys("CORPIDM"), ("CORPIDM", None));
    }
}
