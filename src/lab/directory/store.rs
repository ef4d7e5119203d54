//! The directory's objects: the embedded LDIF turned into entries as Active Directory holds
//! them (binary SIDs and security descriptors, `pwdLastSet -1` as the start time), then the
//! attributes AD computes: `distinguishedName`, the `memberOf` back-link, `tokenGroups`
//! (security groups, nested, and the primary group) and, when read,
//! `msDS-User-Account-Control-Computed` (lockout and password expiry from the domain policy).
//!
//! A view is built from the loaded entries and the faults that are on; each operation of a
//! session reads one view, so a fault switched on applies from the next operation.
use super::ldif;
use super::sddl;
use crate::check::ad::sd::Sid;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Values of one attribute.
pub type Values = Vec<Vec<u8>>;

/// One object: its DN as written and its attributes (names as written, compared without
/// case).
#[derive(Debug, Clone)]
pub struct Entry {
    pub dn: String,
    pub norm: String,
    pub attrs: Vec<(String, Values)>,
}

impl Entry {
    pub fn get(&self, name: &str) -> Option<&Values> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name)
            .and_then(|v| v.first())
            .and_then(|v| std::str::from_utf8(v).ok())
    }

    pub fn number(&self, name: &str) -> Option<i64> {
        self.text(name).and_then(|t| t.trim().parse().ok())
    }

    pub fn set(&mut self, name: &str, values: Values) {
        match self
            .attrs
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            Some((_, v)) => *v = values,
            None => self.attrs.push((name.to_string(), values)),
        }
    }

    pub fn add(&mut self, name: &str, value: Vec<u8>) {
        match self
            .attrs
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            Some((_, v)) => v.push(value),
            None => self.attrs.push((name.to_string(), vec![value])),
        }
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.get("objectClass")
            .is_some_and(|v| v.iter().any(|c| c.eq_ignore_ascii_case(class.as_bytes())))
    }

    pub fn sid(&self) -> Option<Sid> {
        self.get("objectSid")
            .and_then(|v| v.first())
            .and_then(|b| Sid::from_bytes(b).ok())
    }
}

/// A DN compared as AD does: RDNs trimmed, without case. (The content has no escaped
/// commas.)
pub fn norm_dn(dn: &str) -> String {
    dn.split(',')
        .map(|rdn| match rdn.split_once('=') {
            Some((k, v)) => format!("{}={}", k.trim(), v.trim()),
            None => rdn.trim().to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
        .to_ascii_lowercase()
}

/// Windows FILETIME (100 ns since 1601) for a Unix time in seconds.
pub fn filetime(unix_secs: i64) -> i64 {
    (unix_secs + 11_644_473_600).saturating_mul(10_000_000)
}

pub fn now_filetime() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    filetime(secs)
}

/// Attributes whose values are DNs (compared as DNs).
pub const DN_ATTRS: &[&str] = &[
    "distinguishedName",
    "member",
    "memberOf",
    "nCName",
    "msKds-DomainID",
];

/// Turns the LDIF records into entries as AD holds them. `now` is the FILETIME that
/// `pwdLastSet: -1` stands for.
pub fn load(text: &str, now: i64) -> Result<Vec<Entry>, String> {
    let records = ldif::parse(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for r in records {
        let mut e = Entry {
            norm: norm_dn(&r.dn),
            dn: r.dn.clone(),
            attrs: Vec::new(),
        };
        for (name, value) in r.attrs {
            let text = String::from_utf8_lossy(&value).to_string();
            // A directory's own export (ldapsearch) gives both binary, base64 in the LDIF:
            // a SID starts with its revision byte 1, a self-relative descriptor too; the
            // text forms start with `S-` and with an SDDL component (`O:`, `D:`, ...).
            let binary = value.first() == Some(&1);
            let value = if binary
                && (name.eq_ignore_ascii_case("objectSid")
                    || name.eq_ignore_ascii_case("msDS-GroupMSAMembership"))
            {
                value
            } else if name.eq_ignore_ascii_case("objectSid") {
                sddl::sid(&text)
                    .map_err(|w| format!("{}: objectSid: {w}", r.dn))?
                    .to_bytes()
            } else if name.eq_ignore_ascii_case("msDS-GroupMSAMembership") {
                sddl::descriptor(&text)
                    .map_err(|w| format!("{}: msDS-GroupMSAMembership: {w}", r.dn))?
            } else if name.eq_ignore_ascii_case("pwdLastSet") && text.trim() == "-1" {
                now.to_string().into_bytes()
            } else {
                value
            };
            e.add(&name, value);
        }
        e.set("distinguishedName", vec![r.dn.clone().into_bytes()]);
        out.push(e);
    }
    let mut seen = BTreeSet::new();
    for e in &out {
        if !seen.insert(e.norm.clone()) {
            return Err(format!("{}: the DN is there twice", e.dn));
        }
    }
    Ok(out)
}

const SECURITY_GROUP: i64 = 0x8000_0000;

/// One consistent state of the directory.
#[derive(Debug, Clone)]
pub struct View {
    pub entries: Vec<Entry>,
    by_dn: HashMap<String, usize>,
    /// The domain's DN and the configuration partition's, normalised.
    pub domain: String,
    pub config: String,
    /// Accounts whose password is not the demo's (the wrong-password fault), by normalised DN.
    pub other_password: BTreeSet<String>,
    /// Seconds the rootDSE's currentTime is ahead of the real clock (the clock-skew fault).
    pub clock_offset: i64,
}

impl View {
    /// The view of `entries` (faults already applied): back-links and tokens computed.
    pub fn new(mut entries: Vec<Entry>, other_password: BTreeSet<String>) -> View {
        let by_dn: HashMap<String, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.norm.clone(), i))
            .collect();
        // memberOf: the back-link of member.
        let mut member_of: BTreeMap<usize, Values> = BTreeMap::new();
        for e in &entries {
            for m in e.get("member").into_iter().flatten() {
                if let Some(&i) = by_dn.get(&norm_dn(&String::from_utf8_lossy(m))) {
                    member_of
                        .entry(i)
                        .or_default()
                        .push(e.dn.clone().into_bytes());
                }
            }
        }
        for (i, v) in member_of {
            entries[i].set("memberOf", v);
        }
        let domain_entry = entries
            .iter()
            .find(|e| e.has_class("domainDNS"))
            .map(|e| e.norm.clone())
            .unwrap_or_default();
        let mut view = View {
            config: format!("cn=configuration,{domain_entry}"),
            domain: domain_entry,
            entries,
            by_dn,
            other_password,
            clock_offset: 0,
        };
        let tokens: Vec<(usize, Values)> = view
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.has_class("user"))
            .map(|(i, e)| (i, view.token_groups(e)))
            .collect();
        for (i, t) in tokens {
            view.entries[i].set("tokenGroups", t);
        }
        view
    }

    pub fn get(&self, dn: &str) -> Option<&Entry> {
        self.by_dn.get(&norm_dn(dn)).map(|&i| &self.entries[i])
    }

    fn groups_of<'a>(&'a self, e: &'a Entry) -> impl Iterator<Item = &'a Entry> + 'a {
        e.get("memberOf")
            .into_iter()
            .flatten()
            .filter_map(|g| self.get(&String::from_utf8_lossy(g)))
    }

    /// Every group `dn` is in, nested, of any kind (the in-chain matching rule).
    pub fn chain_up(&self, dn: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&Entry> = self.get(dn).into_iter().collect();
        while let Some(e) = todo.pop() {
            for g in self.groups_of(e) {
                if seen.insert(g.norm.clone()) {
                    todo.push(g);
                }
            }
        }
        seen
    }

    /// The SIDs of the security groups in a logon token: the primary group and every
    /// security group, nested through security groups only.
    fn token_groups(&self, e: &Entry) -> Values {
        let mut sids: Vec<Vec<u8>> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&Entry> = vec![e];
        if let (Some(rid), Some(own)) = (e.number("primaryGroupID"), e.sid()) {
            let mut primary = own.clone();
            if let Some(last) = primary.sub.last_mut() {
                *last = rid as u32;
            }
            let bytes = primary.to_bytes();
            if let Some(g) = self.entries.iter().find(|g| {
                g.get("objectSid")
                    .and_then(|v| v.first())
                    .is_some_and(|s| *s == bytes)
            }) {
                if seen.insert(g.norm.clone()) {
                    sids.push(bytes);
                    todo.push(g);
                }
            }
        }
        while let Some(at) = todo.pop() {
            for g in self.groups_of(at) {
                let security = g
                    .number("groupType")
                    .is_some_and(|t| t & SECURITY_GROUP != 0);
                if security && seen.insert(g.norm.clone()) {
                    if let Some(s) = g.get("objectSid").and_then(|v| v.first()) {
                        sids.push(s.clone());
                    }
                    todo.push(g);
                }
            }
        }
        sids
    }

    /// The domain object's policy value (a negative interval of 100 ns), as a positive span.
    fn policy(&self, name: &str) -> Option<i64> {
        self.get(&self.domain)
            .and_then(|d| d.number(name))
            .map(i64::saturating_abs)
    }

    /// msDS-User-Account-Control-Computed at `now`: UF_LOCKOUT while the lockout lasts,
    /// UF_PASSWORD_EXPIRED once the password is older than the maximum age.
    pub fn uac_computed(&self, e: &Entry, now: i64) -> i64 {
        let mut v = 0;
        let locked_at = e.number("lockoutTime").unwrap_or(0);
        if locked_at > 0 {
            let lasts = self.policy("lockoutDuration").unwrap_or(0);
            // A duration of 0 (or none) keeps the account locked until an administrator
            // unlocks it.
            if lasts == 0 || now < locked_at.saturating_add(lasts) {
                v |= 0x10;
            }
        }
        let uac = e.number("userAccountControl").unwrap_or(0);
        let pwd = e.number("pwdLastSet").unwrap_or(0);
        if let Some(max) = self.policy("maxPwdAge").filter(|m| *m > 0) {
            let never = uac & 0x10000 != 0 || uac & 0x1000 != 0;
            if !never && pwd > 0 && now > pwd.saturating_add(max) {
                v |= 0x80_0000;
            }
        }
        v
    }

    /// The naming context an entry belongs to: the configuration partition or the domain.
    pub fn partition_of(&self, norm: &str) -> &str {
        if norm == self.config || norm.ends_with(&format!(",{}", self.config)) {
            &self.config
        } else {
            &self.domain
        }
    }

    /// Whether the account holds the domain's Domain Admins SID in its token.
    pub fn is_domain_admin(&self, norm: &str) -> bool {
        let Some(e) = self.get(norm) else {
            return false;
        };
        let Some(mut admins) = self.get(&self.domain).and_then(Entry::sid) else {
            return false;
        };
        admins.sub.push(512);
        let bytes = admins.to_bytes();
        e.get("tokenGroups").is_some_and(|t| t.contains(&bytes))
    }
}
