//! Search filters (RFC 4511 4.5.1.7) evaluated against an entry as Active Directory does:
//! attribute names and string values without case, DN values as DNs, numbers as numbers,
//! binary values (objectSid) byte for byte, and the matching rules the AD checks send:
//! LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941) and the bit rules AND (…803) and
//! OR (…804).
use super::store::{norm_dn, Entry, View, DN_ATTRS};
use ldap3_proto::proto::{LdapFilter, LdapMatchingRuleAssertion, LdapSubstringFilter};

const IN_CHAIN: &str = "1.2.840.113556.1.4.1941";
const BIT_AND: &str = "1.2.840.113556.1.4.803";
const BIT_OR: &str = "1.2.840.113556.1.4.804";

/// Attributes compared as raw bytes.
const BINARY: &[&str] = &["objectSid", "tokenGroups", "msDS-GroupMSAMembership"];

fn is(list: &[&str], name: &str) -> bool {
    list.iter().any(|a| a.eq_ignore_ascii_case(name))
}

/// The values a filter sees: stored ones, and the constructed one AD lets filters read.
fn values(e: &Entry, v: &View, attr: &str, now: i64) -> Vec<Vec<u8>> {
    if attr.eq_ignore_ascii_case("msDS-User-Account-Control-Computed") {
        return if e.has_class("user") {
            vec![v.uac_computed(e, now).to_string().into_bytes()]
        } else {
            Vec::new()
        };
    }
    e.get(attr).cloned().unwrap_or_default()
}

fn equal(attr: &str, stored: &[u8], asserted: &str) -> bool {
    if is(BINARY, attr) {
        return stored == super::codec::assertion_bytes(asserted).as_slice();
    }
    let s = String::from_utf8_lossy(stored);
    if is(DN_ATTRS, attr) {
        return norm_dn(&s) == norm_dn(asserted);
    }
    if let (Ok(a), Ok(b)) = (s.trim().parse::<i64>(), asserted.trim().parse::<i64>()) {
        return a == b;
    }
    s.eq_ignore_ascii_case(asserted) || s.to_lowercase() == asserted.to_lowercase()
}

fn order(stored: &[u8], asserted: &str) -> Option<std::cmp::Ordering> {
    let s = String::from_utf8_lossy(stored);
    match (s.trim().parse::<i64>(), asserted.trim().parse::<i64>()) {
        (Ok(a), Ok(b)) => Some(a.cmp(&b)),
        _ => Some(s.to_lowercase().cmp(&asserted.to_lowercase())),
    }
}

fn substring(stored: &[u8], f: &LdapSubstringFilter) -> bool {
    let s = String::from_utf8_lossy(stored).to_lowercase();
    let mut rest: &str = &s;
    if let Some(i) = &f.initial {
        match rest.strip_prefix(i.to_lowercase().as_str()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    for any in &f.any {
        let a = any.to_lowercase();
        match rest.find(&a) {
            Some(at) => rest = &rest[at + a.len()..],
            None => return false,
        }
    }
    match &f.final_ {
        Some(fin) => rest.ends_with(&fin.to_lowercase()),
        None => true,
    }
}

fn extensible(m: &LdapMatchingRuleAssertion, e: &Entry, v: &View, now: i64) -> bool {
    let Some(attr) = m.type_.as_deref() else {
        return false;
    };
    match m.matching_rule.as_deref() {
        Some(IN_CHAIN) => {
            if attr.eq_ignore_ascii_case("member") {
                // Groups that hold the object, nested.
                v.chain_up(&m.match_value).contains(&e.norm)
            } else if attr.eq_ignore_ascii_case("memberOf") {
                // Objects in the group, nested.
                v.chain_up(&e.dn).contains(&norm_dn(&m.match_value))
            } else {
                values(e, v, attr, now)
                    .iter()
                    .any(|s| equal(attr, s, &m.match_value))
            }
        }
        Some(rule @ (BIT_AND | BIT_OR)) => {
            let Ok(bits) = m.match_value.trim().parse::<i64>() else {
                return false;
            };
            values(e, v, attr, now).iter().any(|s| {
                let n = String::from_utf8_lossy(s)
                    .trim()
                    .parse::<i64>()
                    .unwrap_or(0);
                if rule == BIT_AND {
                    n & bits == bits
                } else {
                    n & bits != 0
                }
            })
        }
        Some(_) => false,
        None => values(e, v, attr, now)
            .iter()
            .any(|s| equal(attr, s, &m.match_value)),
    }
}

/// Whether `e` matches `f` at `now`.
pub fn matches(f: &LdapFilter, e: &Entry, v: &View, now: i64) -> bool {
    match f {
        LdapFilter::And(all) => all.iter().all(|g| matches(g, e, v, now)),
        LdapFilter::Or(any) => any.iter().any(|g| matches(g, e, v, now)),
        LdapFilter::Not(g) => !matches(g, e, v, now),
        LdapFilter::Equality(a, val) | LdapFilter::Approx(a, val) => {
            values(e, v, a, now).iter().any(|s| equal(a, s, val))
        }
        LdapFilter::Present(a) => {
            a.eq_ignore_ascii_case("objectClass") || !values(e, v, a, now).is_empty()
        }
        LdapFilter::Substring(a, sub) => values(e, v, a, now).iter().any(|s| substring(s, sub)),
        LdapFilter::GreaterOrEqual(a, val) => values(e, v, a, now)
            .iter()
            .any(|s| order(s, val).is_some_and(|o| o.is_ge())),
        LdapFilter::LessOrEqual(a, val) => values(e, v, a, now)
            .iter()
            .any(|s| order(s, val).is_some_and(|o| o.is_le())),
        LdapFilter::Extensible(m) => extensible(m, e, v, now),
    }
}

#[cfg(test)]
mod tests {
    use super::super::store::{load, View};
    use super::*;
    use ldap3_proto::parse_ldap_filter_str;

    fn view() -> View {
        let entries = load(super::super::CONTENT, 133_000_000_000_000_000).expect("content loads");
        View::new(entries, Default::default())
    }

    fn hits(v: &View, filter: &str) -> Vec<String> {
        let f = parse_ldap_filter_str(filter).expect("a valid filter");
        v.entries
            .iter()
            .filter(|e| matches(&f, e, v, 133_000_000_000_000_000))
            .filter_map(|e| e.text("sAMAccountName").map(str::to_string))
            .collect()
    }

    #[test]
    fn the_filters_of_the_ad_checks() {
        let v = view();
        assert_eq!(hits(&v, "(sAMAccountName=mimsync)"), ["MIMSync"]);
        assert_eq!(hits(&v, "(sAMAccountName=MIMSync$)"), ["MIMSync$"]);
        assert_eq!(
            hits(
                &v,
                "(servicePrincipalName=fimservice/corpidm.contoso.local)"
            ),
            ["MIMService"]
        );
        // Nested: MIMSyncAdmins holds MIMIdentityAdmins, which holds svcMIMService.
        // (the filter parser of ldap3_proto takes no `=` in a value; the wire form does)
        let in_chain = LdapFilter::And(vec![
            LdapFilter::Equality("objectClass".into(), "group".into()),
            LdapFilter::Extensible(LdapMatchingRuleAssertion {
                matching_rule: Some(IN_CHAIN.into()),
                type_: Some("member".into()),
                match_value: "CN=svcMIMService,CN=Users,DC=contoso,DC=local".into(),
                dn_attributes: false,
            }),
        ]);
        let mut chain: Vec<String> = v
            .entries
            .iter()
            .filter(|e| matches(&in_chain, e, &v, 133_000_000_000_000_000))
            .filter_map(|e| e.text("sAMAccountName").map(str::to_string))
            .collect();
        chain.sort();
        assert_eq!(chain, ["MIMIdentityAdmins", "MIMSyncAdmins"]);
        // Security groups by the bit rule; the distribution list is not one.
        let security = hits(
            &v,
            "(&(objectClass=group)(groupType:1.2.840.113556.1.4.803:=2147483648))",
        );
        assert!(security.iter().any(|g| g == "MIMSyncAdmins"));
        assert!(!security.iter().any(|g| g == "MIMSyncBrowseList"));
        assert_eq!(
            hits(&v, "(&(objectClass=user)(sAMAccountName=MIMSS*))").len(),
            2
        );
        assert!(hits(&v, "(!(objectClass=*))").is_empty());
        assert_eq!(
            hits(&v, "(|(sAMAccountName=MIMMA)(sAMAccountName=nobody))"),
            ["MIMMA"]
        );
    }
}
