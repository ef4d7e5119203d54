//! Directory searches for the checks: every filter value escaped (RFC 4515), every search
//! paged (AD returns at most 1,000 entries to an unpaged search) and under the time limit.
use super::super::Ctx;
use super::sd::Sid;
use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::{Ldap, Scope, SearchEntry};

/// Why a search gave no answer.
#[derive(Debug, Clone)]
pub enum DirError {
    Timeout,
    Ldap(String),
}

impl std::fmt::Display for DirError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DirError::Timeout => write!(f, "the domain controller did not answer in time"),
            DirError::Ldap(e) => write!(f, "{e}"),
        }
    }
}

/// A bound connection and the domain's naming contexts.
pub struct Dir<'a> {
    pub ldap: Ldap,
    pub ctx: &'a Ctx,
    /// The domain's DN (`DC=contoso,DC=local`).
    pub base: String,
    /// The configuration partition (`CN=Configuration,...`).
    pub config: String,
    /// The domain that answered (its NetBIOS and DNS names).
    pub domain: super::domain::Domain,
}

const PAGE: i32 = 500;

/// An RFC 4515 assertion value: `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`, `\5c`,
/// `\00`, so a name never widens or breaks a filter.
pub fn escape(value: &str) -> String {
    ldap3::ldap_escape(value).into_owned()
}

/// Account names AD cannot hold: control characters (NUL included) and the characters
/// sAMAccountName forbids. Returns what is wrong, for a finding.
pub fn invalid_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the name is empty".into());
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Some(format!(
            "the name holds a control character (U+{:04X})",
            u32::from(c)
        ));
    }
    const BAD: &[char] = &[
        '"', '/', '\\', '[', ']', ':', ';', '|', '=', ',', '+', '*', '?', '<', '>', '@',
    ];
    if let Some(c) = name.chars().find(|c| BAD.contains(c)) {
        return Some(format!(
            "the name holds `{c}`, which Active Directory does not allow in an account name"
        ));
    }
    if name.chars().count() > 256 {
        return Some("the name is longer than 256 characters".into());
    }
    None
}

/// `(sAMAccountName=<escaped>)`: an indexed equality match.
pub fn sam_filter(sam: &str) -> String {
    format!("(sAMAccountName={})", escape(sam))
}

impl Dir<'_> {
    /// A paged search; continuation references (other partitions) are dropped.
    pub async fn search(
        &mut self,
        base: &str,
        scope: Scope,
        filter: &str,
        attrs: &[&str],
    ) -> Result<Vec<SearchEntry>, DirError> {
        let timeout = self.ctx.settings.timeout;
        let attrs: Vec<String> = attrs.iter().map(|s| s.to_string()).collect();
        let ldap = &mut self.ldap;
        let run = async move {
            let adapters: Vec<Box<dyn Adapter<String, Vec<String>>>> = vec![
                Box::new(EntriesOnly::new()),
                Box::new(PagedResults::new(PAGE)),
            ];
            let mut stream = ldap
                .with_timeout(timeout)
                .streaming_search_with(adapters, base, scope, filter, attrs)
                .await
                .map_err(|e| DirError::Ldap(e.to_string()))?;
            let mut out = Vec::new();
            // Bounded: AD's own size limit applies per page, and a run has a time limit.
            while let Some(entry) = stream
                .next()
                .await
                .map_err(|e| DirError::Ldap(e.to_string()))?
            {
                if !entry.is_ref() {
                    out.push(SearchEntry::construct(entry));
                }
            }
            let res = stream.finish().await;
            match res.rc {
                // Success, or "no such object" for a base that is not there.
                0 => Ok(out),
                32 => Ok(Vec::new()),
                rc => Err(DirError::Ldap(format!(
                    "search failed: rc={rc} {}",
                    res.text
                ))),
            }
        };
        match self.ctx.within(run).await {
            Ok(r) => r,
            Err(_) => Err(DirError::Timeout),
        }
    }

    /// The object with this sAMAccountName, if any.
    pub async fn by_sam(
        &mut self,
        sam: &str,
        attrs: &[&str],
    ) -> Result<Option<SearchEntry>, DirError> {
        let base = self.base.clone();
        let filter = sam_filter(sam);
        let mut found = self.search(&base, Scope::Subtree, &filter, attrs).await?;
        Ok(if found.is_empty() {
            None
        } else {
            Some(found.remove(0))
        })
    }

    /// The object at `dn`, read with a base search.
    pub async fn read(
        &mut self,
        dn: &str,
        attrs: &[&str],
    ) -> Result<Option<SearchEntry>, DirError> {
        let mut found = self
            .search(dn, Scope::Base, "(objectClass=*)", attrs)
            .await?;
        Ok(if found.is_empty() {
            None
        } else {
            Some(found.remove(0))
        })
    }
}

/// The first value of an attribute (names compared without case).
pub fn text<'e>(e: &'e SearchEntry, attr: &str) -> Option<&'e str> {
    e.attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(attr))
        .and_then(|(_, v)| v.first())
        .map(String::as_str)
}

/// Every value of an attribute, as text.
pub fn texts<'e>(e: &'e SearchEntry, attr: &str) -> Vec<&'e str> {
    e.attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(attr))
        .map(|(_, v)| v.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Every value of a binary attribute: ldap3 puts values that are not UTF-8 in `bin_attrs`
/// and those that happen to be in `attrs`.
pub fn binary(e: &SearchEntry, attr: &str) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = e
        .bin_attrs
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(attr))
        .flat_map(|(_, v)| v.iter().cloned())
        .collect();
    out.extend(
        e.attrs
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(attr))
            .flat_map(|(_, v)| v.iter().map(|s| s.as_bytes().to_vec())),
    );
    out
}

/// The objectSid of an entry.
pub fn sid(e: &SearchEntry) -> Option<Sid> {
    binary(e, "objectSid")
        .first()
        .and_then(|b| Sid::from_bytes(b).ok())
}

pub fn number(e: &SearchEntry, attr: &str) -> Option<i64> {
    text(e, attr).and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_are_escaped_per_rfc_4515() {
        assert_eq!(escape("MIMSync"), "MIMSync");
        assert_eq!(escape(r"*()\"), r"\2a\28\29\5c");
        assert_eq!(escape("a\0b"), r"a\00b");
        assert_eq!(
            sam_filter("*)(objectClass=*"),
            r"(sAMAccountName=\2a\29\28objectClass=\2a)"
        );
        // Non-ASCII passes through as UTF-8 (allowed in an assertion value).
        assert_eq!(escape("Jürgen"), "Jürgen");
    }

    #[test]
    fn names_ad_cannot_hold_are_refused_with_the_reason() {
        assert_eq!(invalid_name("MIMSync"), None);
        assert_eq!(invalid_name("MIMSync$"), None);
        let nul = invalid_name("MIM\0Sync").expect("NUL refused");
        assert!(nul.contains("U+0000"), "{nul}");
        for hostile in ["*", "MIM*", r"a\b", "x@y", "a|b"] {
            let why = invalid_name(hostile);
            assert!(why.is_some(), "{hostile} accepted");
        }
        // Parentheses are allowed by AD itself: only the escaping keeps them harmless.
        assert_eq!(invalid_name("Svc (old)"), None);
        assert!(invalid_name("").is_some());
    }
}
