//! Relations between answers that the seeds imply, across screens of the Service and Portal:
//!
//! - `ma-account-gmsa` (seed 002): when the Synchronization Service runs as a group-managed
//!   service account (`sync_link.sync_service_account` ends in `$`), the management agent
//!   account is that gMSA, written with its `$` (`contoso\MIMSyncGMSAsvc$`); and an MA
//!   account that ends in `$` is a gMSA, which a Sync service account without `$` is not.
//! - `sspr-url-host` (seed 003): the Password Registration and Reset URLs of the portal
//!   screen send users to the SSPR sites whose host and port the SSPR screens give. A URL
//!   naming another computer, or another port, than its site is a warning that says which
//!   is used where. A short name and its DNS name (CORPIDM, CorpIDM.contoso.local) are the
//!   same computer, as in the seed.
use super::addresses::parse_http_url;
use crate::answers::Answers;
use crate::finding::Finding;

pub const MA_ACCOUNT_GMSA: &str = "ma-account-gmsa";
pub const SSPR_URL_HOST: &str = "sspr-url-host";

/// The Sync service account and the MA account agree on being a gMSA.
pub fn ma_account_gmsa(a: &Answers) -> Vec<Finding> {
    let sync = a.text("sync_link.sync_service_account").trim();
    let ma = a.text("sync_link.ma_account").trim();
    if sync.is_empty() || ma.is_empty() {
        return Vec::new();
    }
    let (sync_gmsa, ma_gmsa) = (sync.ends_with('$'), ma.ends_with('$'));
    if sync_gmsa == ma_gmsa {
        return Vec::new();
    }
    let why = "The MIM Service's management agent connects to the Synchronization Service as this account; seed 002: when the Synchronization Service runs as a group-managed service account, the MA account is that account, with the dollar sign.";
    let f = if sync_gmsa {
        Finding::warning(MA_ACCOUNT_GMSA, "sync_link.ma_account", format!("The Synchronization Service runs as the gMSA {sync}, but the management agent account {ma} has no $."))
            .fix(format!("Give the gMSA with its dollar sign ({sync}), or acknowledge if {ma} is a separate account on purpose."))
    } else {
        Finding::warning(MA_ACCOUNT_GMSA, "sync_link.ma_account", format!("The management agent account {ma} ends in $ (a gMSA), but the Synchronization Service account {sync} is not a gMSA."))
            .fix(format!("Give the account the MA really uses ({sync}, or a regular account such as contoso\\MIMMA), or acknowledge."))
    };
    vec![f.why(why).evidence(format!(
        "sync_link.sync_service_account = '{sync}'; sync_link.ma_account = '{ma}'"
    ))]
}

/// The first DNS label, lower case: the computer a host names.
fn computer(host: &str) -> String {
    host.split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The portal's SSPR URL for `site` (`registration` or `reset`) against that site's host
/// and port.
fn url_matches_site(a: &Answers, site: &str, url_field: &str, name: &str) -> Vec<Finding> {
    let url = a.text(url_field).trim();
    let host = a.text(&format!("{site}.host")).trim();
    let port = a.text(&format!("{site}.port")).trim();
    let Ok(u) = parse_http_url(url) else {
        return Vec::new();
    };
    if host.is_empty() {
        return Vec::new();
    }
    let url_port = u.given_port.map(|p| p.to_string());
    let other_host = computer(u.host) != computer(host);
    let other_port = match (&url_port, port.is_empty()) {
        (Some(p), false) => p != port,
        _ => false,
    };
    if !other_host && !other_port {
        return Vec::new();
    }
    let site_at = if port.is_empty() {
        host.to_string()
    } else {
        format!("{host}:{port}")
    };
    let field = format!("{site}.host");
    vec![Finding::warning(
        SSPR_URL_HOST,
        &field,
        format!("The portal sends users to {url} for the {name}, but the {name}'s site is set up on {site_at}."),
    )
    .why(format!("The portal screen's {name} URL is where the MIM Portal sends users; setup creates the {name}'s IIS site on the host and port of this screen. If they differ, users reach no site, or another one."))
    .fix(format!("Use the same computer and port in both places: the URL on the portal screen ({url_field}) and the host and port here, or acknowledge if a load balancer or DNS alias joins them."))
    .evidence(format!("{url_field} = '{url}'; {site}.host = '{host}'; {site}.port = '{port}'"))]
}

/// The Registration URL against the registration site.
pub fn registration_url_host(a: &Answers) -> Vec<Finding> {
    url_matches_site(
        a,
        "registration",
        "portal.registration_url",
        "Password Registration Portal",
    )
}

/// The Reset URL against the reset site.
pub fn reset_url_host(a: &Answers) -> Vec<Finding> {
    url_matches_site(a, "reset", "portal.reset_url", "Password Reset Portal")
}
