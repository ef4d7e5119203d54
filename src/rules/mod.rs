//! Rules: offline checks of answers, each returning typed findings.
//!
//! Field rules look at one value and are named in the screen files (`rules = [...]` on a
//! field); screen rules relate several fields and are named on a screen. `evaluate` runs
//! them over the shown fields of a screen or a whole flow, plus the checks every field gets
//! (answered, available option).
//!
//! ```text
//!   names.rs   host names, sAMAccountName, NetBIOS domains, DOMAIN\Group, DOMAIN\account
//!   sql.rs     SQL server fields, instance and database names
//!   paths.rs   Windows paths
//!   addresses.rs  mail addresses, UPNs, tenants, http(s) URLs, the MIM Service address
//!   ids.rs     GUIDs, certificate thumbprints
//!   ports.rs   the SSPR portals' ports
//!   mail.rs    the deployment options A to I and the mail screen's rule
//!   relations.rs  Synchronization Service screen rules, the licence
//!   service_portal.rs  Service and Portal screen rules: components, database, accounts
//!   seed_relations.rs  relations the seeds imply: the MA account of a Sync gMSA, SSPR URLs
//!   check_settings.rs  the live checks screen: encryption opt-outs
//!   unused.rs     answers the flow does not show (whole profiles only)
//!   braces.rs     every text answer: no `{{`/`}}` (only the plan makes placeholders)
//!   characters.rs every name field: no look-alike letters, invisible characters or
//!                 surrounding spaces
//!   hosts.rs      host fields given a URL: setup gets its host (an info finding)
//!   examples.rs   every text answer: no Contoso sample name left when the domain is another
//! ```
mod addresses;
mod braces;
pub mod characters;
mod check_settings;
mod evaluate;
mod examples;
pub mod hosts;
mod ids;
pub mod mail;
mod names;
mod paths;
mod ports;
mod relations;
mod seed_relations;
mod service_portal;
mod sql;
pub mod unused;

pub use braces::CHECK as NO_PLACEHOLDER;
pub use evaluate::{evaluate_flow, evaluate_screen, flow_screens};
pub use examples::{contoso_name, CHECK as CONTOSO_EXAMPLE};
pub use mail::{option_for as mail_option_for, option_of as mail_option, MailOption};

use crate::answers::{Answers, Value};
use crate::finding::Finding;

/// What a field rule sees.
pub struct FieldCtx<'a> {
    /// `screen.field`
    pub path: &'a str,
    pub value: &'a Value,
    pub answers: &'a Answers,
}

impl FieldCtx<'_> {
    pub fn text(&self) -> &str {
        self.value.as_text().unwrap_or("")
    }
}

pub type FieldRule = fn(&FieldCtx) -> Vec<Finding>;
pub type ScreenRule = fn(&Answers) -> Vec<Finding>;

const FIELD_RULES: &[(&str, FieldRule)] = &[
    ("hostname", names::hostname),
    ("sam-account-name", names::sam_account_name),
    ("netbios-domain", names::netbios_domain),
    ("group-name", names::group_name),
    ("sql-server-no-port", sql::server_no_port),
    ("sql-server-address", sql::server_address),
    ("sql-instance-name", sql::instance_name),
    ("sql-database-name", sql::database_name),
    ("windows-absolute-path", paths::absolute_path),
    ("windows-local-path", paths::local_path),
    ("licence-accepted", relations::licence_accepted),
    ("domain-account", names::domain_account),
    ("email-address", addresses::email_address),
    ("upn", addresses::upn),
    ("tenant", addresses::tenant),
    ("http-url", addresses::http_url),
    ("sharepoint-url", addresses::sharepoint_url),
    ("service-address", addresses::service_address),
    ("guid", ids::guid),
    ("thumbprint", ids::thumbprint),
    ("sspr-port", ports::sspr_port),
    ("ldap-plain", check_settings::ldap_plain),
    ("account-characters", characters::account_characters),
    (
        "sql-encryption-opt-out",
        check_settings::sql_encryption_opt_out,
    ),
];

const SCREEN_RULES: &[(&str, ScreenRule)] = &[
    ("service-account-kind", relations::service_account_kind),
    ("groups-distinct", relations::groups_distinct),
    (
        "service-account-logon-rights",
        relations::service_account_logon_rights,
    ),
    ("feature-dependencies", service_portal::feature_dependencies),
    ("database-reuse", service_portal::database_reuse),
    ("mail-option", mail::check_combination),
    ("mim-service-account", service_portal::mim_service_account),
    (
        "mim-service-logon-rights",
        service_portal::mim_service_logon_rights,
    ),
    (
        "service-accounts-distinct",
        service_portal::service_accounts_distinct,
    ),
    ("sspr-ports-differ", ports::sspr_ports_differ),
    (
        "sspr-registration-sharepoint-site",
        ports::registration_sharepoint_site,
    ),
    ("sspr-reset-sharepoint-site", ports::reset_sharepoint_site),
    ("ma-account-gmsa", seed_relations::ma_account_gmsa),
    (
        "registration-url-host",
        seed_relations::registration_url_host,
    ),
    ("reset-url-host", seed_relations::reset_url_host),
];

pub fn field_rule(name: &str) -> Option<FieldRule> {
    FIELD_RULES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, r)| *r)
}

pub fn screen_rule(name: &str) -> Option<ScreenRule> {
    SCREEN_RULES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, r)| *r)
}

pub fn field_rule_exists(name: &str) -> bool {
    field_rule(name).is_some()
}

pub fn screen_rule_exists(name: &str) -> bool {
    screen_rule(name).is_some()
}

/// Describes the first character of `s` that `bad` rejects, for a finding's evidence.
pub(crate) fn first_bad_char(s: &str, bad: impl Fn(char) -> bool) -> Option<String> {
    s.chars()
        .enumerate()
        .find(|(_, c)| bad(*c))
        .map(|(i, c)| format!("character {} at position {}", shown_char(c), i + 1))
}

/// A character as evidence shows it: quoted when it can be seen, else by its code point
/// (control characters, white space other than a plain space, and invisible format marks).
fn shown_char(c: char) -> String {
    if c.is_control() || (c.is_whitespace() && c != ' ') || invisible(c) {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

/// Characters that take no room on screen: soft hyphen, zero-width spaces and joiners,
/// direction marks, embeddings, overrides and isolates, word joiners, the combining grapheme
/// joiner, the Arabic letter mark, the Mongolian vowel separator and the byte-order mark.
pub(crate) fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}
