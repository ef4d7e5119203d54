//! The deployment options A to I of the MIM Service (seed 002): mail server type x
//! authentication method x group-managed service account, and the mail screen's rule that
//! checks the combination.
use crate::answers::Answers;
use crate::finding::{Finding, Severity};
use crate::screens::fields;

/// One of the nine deployment options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MailOption(pub char);

impl MailOption {
    /// The seed's name of the option.
    pub fn title(self) -> &'static str {
        match self.0 {
            'A' => "Regular service account + Exchange Server",
            'B' => "Regular service account + Office 365 basic authentication",
            'C' => "Regular service account + Office 365 application context authentication",
            'D' => "Regular service account + SMTP",
            'E' => "Regular service account + no mail server",
            'F' => "Group-managed service account + Exchange Server",
            'G' => "Group-managed service account + Office 365 basic authentication",
            'H' => "Group-managed service account + Office 365 application context authentication",
            _ => "Group-managed service account + no mail server",
        }
    }
}

/// The option for a combination, or None when setup refuses it. `auth` is ignored without a
/// mail server (the field is not shown then).
pub fn option_for(server_type: &str, auth: &str, gmsa: bool) -> Option<MailOption> {
    let letter = match (server_type, auth, gmsa) {
        ("exchange", "integrated", false) => 'A',
        ("office365", "basic", false) => 'B',
        ("office365", "app-context", false) => 'C',
        ("smtp", "integrated", false) => 'D',
        ("none", _, false) => 'E',
        ("exchange", "integrated", true) => 'F',
        ("office365", "basic", true) => 'G',
        ("office365", "app-context", true) => 'H',
        ("none", _, true) => 'I',
        _ => return None,
    };
    Some(MailOption(letter))
}

/// The option the answers of the mail screen make, if they make one.
pub fn option_of(a: &Answers) -> Option<MailOption> {
    option_for(
        a.text(fields::mail::SERVER_TYPE),
        a.text(fields::mail::AUTH),
        a.flag(fields::mail::GMSA),
    )
}

/// The mail server types the mail screen offers, with the names the messages use.
pub const SERVER_TYPES: [(&str, &str); 4] = [
    ("exchange", "Exchange Server 2013 or later"),
    ("office365", "Office 365"),
    ("smtp", "SMTP"),
    ("none", "no mail server"),
];

/// The authentication methods the mail screen offers, with the names the messages use.
pub const AUTH_METHODS: [(&str, &str); 3] = [
    ("integrated", "Integrated Windows Authentication"),
    ("basic", "Basic Authentication"),
    ("app-context", "Application Context Authentication"),
];

fn label(table: &[(&'static str, &'static str)], value: &str) -> Option<&'static str> {
    table.iter().find(|(v, _)| *v == value).map(|(_, l)| *l)
}

fn account(gmsa: bool) -> &'static str {
    if gmsa {
        "a group-managed service account"
    } else {
        "a regular service account"
    }
}

/// The combinations a server type accepts: (authentication, gMSA, option), one per option
/// (without a mail server the authentication does not count, and the first is given).
pub fn combinations_for(server_type: &str) -> Vec<(&'static str, bool, MailOption)> {
    let mut out: Vec<(&'static str, bool, MailOption)> = Vec::new();
    for (auth, _) in AUTH_METHODS {
        for g in [false, true] {
            if let Some(o) = option_for(server_type, auth, g) {
                if !out.iter().any(|(_, _, seen)| *seen == o) {
                    out.push((auth, g, o));
                }
            }
        }
    }
    out
}

/// Why a server type takes only the combinations it does (seed 002 and the reference §3).
fn server_type_why(server_type: &str) -> &'static str {
    match server_type {
        "smtp" => "The SMTP server option only works with a regular service account and Integrated Windows Authentication, and does not permit the Outlook add-in for approvals.",
        "exchange" => "The MIM Service reaches Exchange Server with Integrated Windows Authentication only, as a regular account or a gMSA.",
        _ => "Exchange Online takes basic authentication (retired) or application context authentication, not Integrated Windows Authentication.",
    }
}

/// What the service account screen asks for with each option (seed 002).
fn option_fields(o: MailOption) -> &'static str {
    match o.0 {
        'A' => "the account name and password, the domain and the mailbox address",
        'B' => "the account name and password, the domain, the Office 365 mailbox address and the mailbox's Azure AD password",
        'C' => "the account name and password, the domain and the Office 365 mailbox address, after the Application ID, Tenant ID and client secret",
        'D' => "the account name and password, the domain and the SMTP address",
        'E' => "the account name and password and the domain",
        'F' => "the gMSA name, the domain, the mailbox address and the mailbox user's password",
        'G' => "the gMSA name, the domain, the Office 365 mailbox address and the Azure AD password",
        'H' => "the gMSA name, the domain and the Office 365 mailbox address, after the Application ID, Tenant ID and client secret",
        _ => "the gMSA name and the domain",
    }
}

/// The mail screen's rule: the combination is one of the options A to I (an error on the
/// field that makes it incompatible otherwise, saying which combinations work), which option
/// it is (info), and a warning for Office 365 basic authentication. Values that are not
/// choices are left to the `not-a-choice` check.
pub fn check_combination(a: &Answers) -> Vec<Finding> {
    let (server_type, auth, gmsa) = (
        a.text(fields::mail::SERVER_TYPE),
        a.text(fields::mail::AUTH),
        a.flag(fields::mail::GMSA),
    );
    let Some(server_label) = label(&SERVER_TYPES, server_type) else {
        return vec![];
    };
    let auth_label = label(&AUTH_METHODS, auth);
    if server_type != "none" && auth_label.is_none() {
        return vec![];
    }
    let Some(option) = option_for(server_type, auth, gmsa) else {
        let works = combinations_for(server_type);
        let auth_works = works.iter().any(|(w, _, _)| *w == auth);
        let field = if auth_works {
            fields::mail::GMSA
        } else {
            fields::mail::AUTH
        };
        let listed: Vec<String> = works
            .iter()
            .map(|(w, g, o)| {
                let w = label(&AUTH_METHODS, w).unwrap_or_default();
                format!("{w} with {} (option {})", account(*g), o.0)
            })
            .collect();
        let mut fix = format!("With {server_label}, choose {}.", listed.join(", or "));
        if !works.iter().any(|(_, g, _)| *g == gmsa) {
            let others: Vec<String> = SERVER_TYPES
                .iter()
                .flat_map(|(st, st_label)| {
                    combinations_for(st)
                        .into_iter()
                        .map(move |(w, g, o)| (*st, *st_label, w, g, o))
                })
                .filter(|(_, _, _, g, _)| *g == gmsa)
                .map(|(st, st_label, w, _, o)| match st {
                    "none" => format!("{} ({st_label})", o.0),
                    _ => format!(
                        "{} ({st_label}, {})",
                        o.0,
                        label(&AUTH_METHODS, w).unwrap_or_default()
                    ),
                })
                .collect();
            fix.push_str(&format!(
                " The options with {} are {}.",
                account(gmsa),
                others.join("; ")
            ));
        }
        let auth_label = auth_label.unwrap_or_default();
        return vec![Finding::error("mail-option", field, format!("{server_label} with {auth_label} and {} is not a combination setup accepts.", account(gmsa)))
            .why(format!("{} Setup shows an error for any combination other than the options A to I when you click Next.", server_type_why(server_type)))
            .fix(fix)
            .evidence(format!("mail server type {server_type}, authentication {auth}, gMSA {}", if gmsa { "yes" } else { "no" }))];
    };
    let mut out = vec![Finding::new(
        "mail-option",
        Some(fields::mail::SERVER_TYPE),
        Severity::Info,
        format!("Option {}: {}.", option.0, option.title()),
    )
    .why("The deployment option decides how the MIM Service reaches its mailbox and which fields the service account screen asks for.")
    .fix(format!(
        "Nothing to change. The service account screen asks for {}.",
        option_fields(option)
    ))];
    if server_type == "office365" && auth == "basic" {
        let app = option_for("office365", "app-context", gmsa).map_or('C', |o| o.0);
        out.push(Finding::warning("office365-basic-retired", fields::mail::AUTH, "Basic authentication to Office 365 is retired.")
            .why("Microsoft announced the end of support for basic authentication on 20 September 2019 and recommends application context authentication; where a tenant no longer allows basic authentication, the MIM Service can neither send notifications nor collect approval responses.")
            .fix(format!("Choose Application Context Authentication (option {app}, MIM build 4.6.421.0 or later), or acknowledge if this tenant still allows basic authentication.")));
    }
    out
}
