//! Searches as a domain controller answers them: the rootDSE (base search of ""), base, one
//! level and subtree scope within one naming context (a subtree search from the domain root
//! returns continuation references to the other partitions), a bound account required
//! beyond the rootDSE, KDS root keys visible to Domain Admins only, AD's MaxPageSize (1,000
//! entries to an unpaged search, then `sizeLimitExceeded`) and the paged results control
//! (RFC 2696, 1.2.840.113556.1.4.319). Constructed attributes are returned only when asked
//! for, `tokenGroups` only to a base search.
use super::filter;
use super::session::{result, Session};
use super::store::{norm_dn, now_filetime, Entry, View};
use ldap3_proto::control::LdapControl;
use ldap3_proto::proto::{
    LdapMsg, LdapOp, LdapPartialAttribute, LdapResultCode, LdapSearchRequest,
    LdapSearchResultEntry, LdapSearchResultReference, LdapSearchScope,
};

/// AD's default MaxPageSize.
pub const MAX_PAGE: usize = 1000;

/// The DNS name of the demo's domain controller.
pub const DC_HOST: &str = "corpdc.contoso.local";

const CONSTRUCTED: &[&str] = &["tokenGroups", "msDS-User-Account-Control-Computed"];

/// The account a bind name names: a DN, `DOMAIN\sam` or a UPN (`sam@contoso.local` or the
/// userPrincipalName), as AD accepts them.
pub fn account_of<'v>(view: &'v View, name: &str) -> Option<&'v Entry> {
    let name = name.trim();
    let users = view.entries.iter().filter(|e| e.has_class("user"));
    if let Some((domain, sam)) = name.split_once('\\') {
        let ok =
            domain.eq_ignore_ascii_case("CONTOSO") || domain.eq_ignore_ascii_case("contoso.local");
        return users.filter(|_| ok).find(|e| {
            e.text("sAMAccountName")
                .is_some_and(|s| s.eq_ignore_ascii_case(sam))
        });
    }
    if let Some((sam, suffix)) = name.rsplit_once('@') {
        let mut users = users;
        return users.find(|e| {
            e.text("userPrincipalName")
                .is_some_and(|u| u.eq_ignore_ascii_case(name))
                || (suffix.eq_ignore_ascii_case("contoso.local")
                    && e.text("sAMAccountName")
                        .is_some_and(|s| s.eq_ignore_ascii_case(sam)))
        });
    }
    if name.contains('=') {
        return view.get(name).filter(|e| e.has_class("user"));
    }
    None
}

/// The current time as AD's rootDSE gives it (`20261202040500.0Z`), `offset` seconds ahead.
fn generalized_time_now(offset: i64) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
        + offset;
    let (y, m, d) = crate::civil::civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}.0Z",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

fn root_dse(view: &View) -> Entry {
    let domain = view
        .get(&view.domain)
        .map_or_else(|| view.domain.clone(), |e| e.dn.clone());
    let config = format!("CN=Configuration,{domain}");
    let time = generalized_time_now(view.clock_offset);
    let attrs: Vec<(&str, Vec<String>)> = vec![
        ("currentTime", vec![time]),
        ("dsServiceName", vec![format!("CN=NTDS Settings,CN=CORPDC,CN=Servers,CN=Default-First-Site-Name,CN=Sites,{config}")]),
        ("namingContexts", vec![domain.clone(), config.clone(), format!("CN=Schema,{config}"), format!("DC=DomainDnsZones,{domain}"), format!("DC=ForestDnsZones,{domain}")]),
        ("defaultNamingContext", vec![domain.clone()]),
        ("schemaNamingContext", vec![format!("CN=Schema,{config}")]),
        ("configurationNamingContext", vec![config.clone()]),
        ("rootDomainNamingContext", vec![domain.clone()]),
        ("supportedControl", ["1.2.840.113556.1.4.319", "1.2.840.113556.1.4.801", "1.2.840.113556.1.4.473", "1.2.840.113556.1.4.417", "2.16.840.1.113730.3.4.2"].map(String::from).to_vec()),
        ("supportedLDAPVersion", vec!["3".into(), "2".into()]),
        ("supportedLDAPPolicies", vec!["MaxPageSize".into(), "MaxQueryDuration".into()]),
        ("highestCommittedUSN", vec!["12345".into()]),
        ("supportedSASLMechanisms", Vec::new()),
        ("dnsHostName", vec![DC_HOST.into()]),
        ("ldapServiceName", vec!["contoso.local:corpdc$@CONTOSO.LOCAL".into()]),
        ("serverName", vec![format!("CN=CORPDC,CN=Servers,CN=Default-First-Site-Name,CN=Sites,{config}")]),
        ("supportedCapabilities", vec!["1.2.840.113556.1.4.800".into(), "1.2.840.113556.1.4.1670".into(), "1.2.840.113556.1.4.1791".into()]),
        ("isSynchronized", vec!["TRUE".into()]),
        ("isGlobalCatalogReady", vec!["TRUE".into()]),
        ("domainFunctionality", vec!["7".into()]),
        ("forestFunctionality", vec!["7".into()]),
        ("domainControllerFunctionality", vec!["7".into()]),
        ("supportedExtension", vec!["1.3.6.1.4.1.1466.20037".into(), "1.3.6.1.4.1.4203.1.11.3".into()]),
    ];
    Entry {
        dn: String::new(),
        norm: String::new(),
        attrs: attrs
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| {
                (
                    k.to_string(),
                    v.into_iter().map(String::into_bytes).collect(),
                )
            })
            .collect(),
    }
}

/// The attributes of `e` a request asks for.
fn select(e: &Entry, view: &View, req: &LdapSearchRequest, now: i64) -> Vec<LdapPartialAttribute> {
    let asked = |name: &str| req.attrs.iter().any(|a| a.eq_ignore_ascii_case(name));
    let all = req.attrs.is_empty() || asked("*");
    let none = req.attrs.len() == 1 && req.attrs[0] == "1.1";
    if none {
        return Vec::new();
    }
    let mut out: Vec<LdapPartialAttribute> = e
        .attrs
        .iter()
        .filter(|(k, _)| {
            let constructed = CONSTRUCTED.iter().any(|c| c.eq_ignore_ascii_case(k));
            if constructed {
                asked(k)
                    && (!k.eq_ignore_ascii_case("tokenGroups")
                        || req.scope == LdapSearchScope::Base)
            } else {
                all || asked(k)
            }
        })
        .map(|(k, v)| LdapPartialAttribute {
            atype: k.clone(),
            vals: if req.typesonly { Vec::new() } else { v.clone() },
        })
        .collect();
    if asked("msDS-User-Account-Control-Computed") && e.has_class("user") {
        out.push(LdapPartialAttribute {
            atype: "msDS-User-Account-Control-Computed".into(),
            vals: if req.typesonly {
                Vec::new()
            } else {
                vec![view.uac_computed(e, now).to_string().into_bytes()]
            },
        });
    }
    out
}

fn done(
    id: i32,
    code: LdapResultCode,
    message: &str,
    matched: &str,
    ctrl: Vec<LdapControl>,
) -> LdapMsg {
    let mut res = result(code, message);
    res.matcheddn = matched.to_string();
    LdapMsg::new_with_ctrls(id, LdapOp::SearchResultDone(res), ctrl)
}

fn in_scope(norm: &str, base: &str, scope: &LdapSearchScope) -> bool {
    let below = base.is_empty() || norm.ends_with(&format!(",{base}"));
    match scope {
        LdapSearchScope::Base => norm == base,
        LdapSearchScope::OneLevel => {
            below && {
                let rest = if base.is_empty() {
                    norm
                } else {
                    &norm[..norm.len() - base.len() - 1]
                };
                !rest.contains(',')
            }
        }
        LdapSearchScope::Subtree => norm == base || below,
        LdapSearchScope::Children => below,
    }
}

/// The answers to one search request: entries, references and the final done.
pub fn search(
    view: &View,
    s: &Session,
    id: i32,
    req: &LdapSearchRequest,
    ctrl: &[LdapControl],
) -> Vec<LdapMsg> {
    let now = now_filetime();
    let base = norm_dn(&req.base);
    if base.is_empty() && req.scope == LdapSearchScope::Base {
        let dse = root_dse(view);
        let mut out = Vec::new();
        if filter::matches(&req.filter, &dse, view, now) {
            out.push(LdapMsg::new(
                id,
                LdapOp::SearchResultEntry(LdapSearchResultEntry {
                    dn: String::new(),
                    attributes: select(&dse, view, req, now),
                }),
            ));
        }
        out.push(done(id, LdapResultCode::Success, "", "", Vec::new()));
        return out;
    }
    let Some(bound) = s.bound.as_deref() else {
        return vec![done(id, LdapResultCode::OperationsError, "000004DC: LdapErr: DSID-0C090A71, comment: In order to perform this operation a successful bind must be completed on the connection., data 0, v4563", "", Vec::new())];
    };
    if view.get(&base).is_none() {
        let best = view
            .entries
            .iter()
            .filter(|e| base.ends_with(&format!(",{}", e.norm)))
            .max_by_key(|e| e.norm.len())
            .map_or("", |e| e.dn.as_str());
        return vec![done(
            id,
            LdapResultCode::NoSuchObject,
            &format!("0000208D: NameErr: DSID-03100241, problem 2001 (NO_OBJECT), data 0, best match of:\n\t'{best}'\n"),
            best,
            Vec::new(),
        )];
    }
    let partition = view.partition_of(&base).to_string();
    let admin = view.is_domain_admin(bound);
    let found: Vec<&Entry> = view
        .entries
        .iter()
        .filter(|e| in_scope(&e.norm, &base, &req.scope))
        .filter(|e| view.partition_of(&e.norm) == partition)
        .filter(|e| admin || !e.has_class("msKds-ProvRootKey"))
        .filter(|e| filter::matches(&req.filter, e, view, now))
        .collect();
    let paged = ctrl.iter().find_map(|c| match c {
        LdapControl::SimplePagedResults { size, cookie } => Some((*size, cookie.clone())),
        _ => None,
    });
    let limit = if req.sizelimit > 0 {
        (req.sizelimit as usize).min(MAX_PAGE)
    } else {
        MAX_PAGE
    };
    let (from, to, reply_ctrl, code) = match paged {
        Some((size, cookie)) => {
            let from: usize = std::str::from_utf8(&cookie)
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            let size = (size.max(0) as usize).min(MAX_PAGE);
            let from = from.min(found.len());
            let to = if size == 0 {
                from
            } else {
                (from + size).min(found.len())
            };
            let next = if size == 0 || to >= found.len() {
                Vec::new()
            } else {
                to.to_string().into_bytes()
            };
            (
                from,
                to,
                vec![LdapControl::SimplePagedResults {
                    size: 0,
                    cookie: next,
                }],
                LdapResultCode::Success,
            )
        }
        None if found.len() > limit => (0, limit, Vec::new(), LdapResultCode::SizeLimitExceeded),
        None => (0, found.len(), Vec::new(), LdapResultCode::Success),
    };
    let last_page = match &reply_ctrl[..] {
        [LdapControl::SimplePagedResults { cookie, .. }] => cookie.is_empty(),
        _ => true,
    };
    let mut out: Vec<LdapMsg> = found[from..to]
        .iter()
        .map(|e| {
            LdapMsg::new(
                id,
                LdapOp::SearchResultEntry(LdapSearchResultEntry {
                    dn: e.dn.clone(),
                    attributes: select(e, view, req, now),
                }),
            )
        })
        .collect();
    if last_page && req.scope == LdapSearchScope::Subtree && base == view.domain {
        let domain = view.get(&view.domain).map_or("", |e| e.dn.as_str());
        for uri in [
            format!("ldap://contoso.local/CN=Configuration,{domain}"),
            format!("ldap://DomainDnsZones.contoso.local/DC=DomainDnsZones,{domain}"),
            format!("ldap://ForestDnsZones.contoso.local/DC=ForestDnsZones,{domain}"),
        ] {
            out.push(LdapMsg::new(
                id,
                LdapOp::SearchResultReference(LdapSearchResultReference { uris: vec![uri] }),
            ));
        }
    }
    out.push(done(id, code, "", "", reply_ctrl));
    out
}
