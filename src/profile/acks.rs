//! The `acknowledged` list: each entry must name a warning this profile can get, or a live
//! check that reported a server giving no answer, as `check@field` (or a bare `check` for a
//! warning about no field). An entry that matches no
//! warning would be ignored without a word, so it is an error naming the entry, its line and
//! the nearest real entry: an unknown check id, a field of another component or of no
//! screen, an entry listed twice, and a list longer than any profile can need.
use super::did_you_mean;
use super::load::Reader;
use super::shown::echo;
use crate::answers::path;
use crate::finding::{is_acknowledgeable_check, UNREACHED_CHECKS, WARNING_CHECKS};
use crate::screens::Component;
use std::collections::BTreeMap;
use std::ops::Range;

/// More entries than any profile has warnings: a list this long is not a list of warnings.
pub const MAX_ACKNOWLEDGED: usize = 200;
/// Bad entries reported one by one; the rest are counted in one more error.
const SHOWN: usize = 10;

/// One entry of `acknowledged`, where it stands.
pub(super) struct Entry {
    pub text: String,
    pub span: Option<Range<usize>>,
}

impl Reader<'_> {
    pub(super) fn check_acknowledged(
        &mut self,
        component: Component,
        key_span: Option<Range<usize>>,
        entries: &[Entry],
    ) {
        if entries.len() > MAX_ACKNOWLEDGED {
            self.err(
                key_span,
                Some("acknowledged"),
                format!(
                    "acknowledged has {} entries; a profile has far fewer warnings (at most {MAX_ACKNOWLEDGED} entries are read)",
                    entries.len()
                ),
                Some("keep only the keys that `mim-setup validate` prints after `acknowledge:`".into()),
            );
            return;
        }
        let fields = self.flow_fields(component);
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut bad = Vec::new();
        for e in entries {
            let (line, _) = self.line_col(e.span.clone());
            let problem = match seen.get(e.text.as_str()) {
                Some(first) => Some((
                    format!(
                        "\"{}\" is listed twice (first on line {first})",
                        echo(&e.text)
                    ),
                    "remove this entry".to_string(),
                )),
                None => self.entry_problem(component, &fields, &e.text),
            };
            seen.entry(e.text.as_str()).or_insert(line);
            bad.extend(problem.map(|p| (e.span.clone(), p)));
        }
        let more = bad.len().saturating_sub(SHOWN);
        let first_hidden = bad.get(SHOWN).and_then(|(span, _)| span.clone());
        for (span, (message, fix)) in bad.into_iter().take(SHOWN) {
            self.err(span, Some("acknowledged"), message, Some(fix));
        }
        if more > 0 {
            self.err(
                first_hidden,
                Some("acknowledged"),
                format!("{more} more entries from here on match no warning either (not listed one by one)"),
                Some("keep only the keys that `mim-setup validate` prints after `acknowledge:`".into()),
            );
        }
    }

    /// Every field path of the component's flow, and its sections (a finding about a whole
    /// section stands on the section).
    fn flow_fields(&self, component: Component) -> Vec<String> {
        self.screens
            .flow(component)
            .filter(|s| !s.fields.is_empty())
            .flat_map(|s| {
                std::iter::once(s.id.clone()).chain(s.fields.iter().map(|f| path(&s.id, &f.id)))
            })
            .collect()
    }

    /// Why an entry matches no warning, with the fix; None when it names a known warning on
    /// a field of this component.
    fn entry_problem(
        &self,
        component: Component,
        fields: &[String],
        text: &str,
    ) -> Option<(String, String)> {
        let shown = echo(text);
        let (check, field) = match text.split_once('@') {
            Some((c, f)) => (c, Some(f)),
            None => (text, None),
        };
        if !is_acknowledgeable_check(check) {
            let known = WARNING_CHECKS.iter().chain(UNREACHED_CHECKS).copied();
            let near = did_you_mean(check, known);
            let fix = match (near, field) {
                (Some(n), Some(f)) => format!("did you mean \"{n}@{}\"?", echo(f)),
                (Some(n), None) => format!("did you mean \"{n}\"?"),
                (None, _) => "remove it, or copy the key that `mim-setup validate` prints after `acknowledge:`".into(),
            };
            return Some((
                format!(
                    "\"{shown}\" names no warning: mim-setup has no warning `{}`",
                    echo(check)
                ),
                fix,
            ));
        }
        let field = field?;
        if fields.iter().any(|f| f == field) {
            return None;
        }
        let other = Component::ALL.into_iter().find(|c| {
            *c != component
                && self
                    .screens
                    .flow(*c)
                    .any(|s| s.fields.iter().any(|f| path(&s.id, &f.id) == field))
        });
        let near = did_you_mean(field, fields.iter().map(String::as_str));
        let fix = match near {
            Some(n) => format!("did you mean \"{check}@{n}\"?"),
            None => "remove it; it cannot match a warning of this profile".into(),
        };
        let message = match other {
            Some(c) => format!(
                "\"{shown}\" is a warning of the {} profile, not of this {} one",
                c.as_str(),
                component.as_str()
            ),
            None => format!(
                "\"{shown}\" names no field of a {} profile: `{}`",
                component.as_str(),
                echo(field)
            ),
        };
        Some((message, fix))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::profile::{load_str, LoadError};
    use crate::screens::Screens;

    const SYNC: &str = include_str!("../../profiles/contoso-sync.toml");
    const SHIPPED_ACK: &str = "\"service-account-logon-rights@service_account.name\",";

    /// The shipped Sync profile with its `acknowledged` list replaced by `entries` (one a
    /// line, the first on line 8): the errors it gives.
    fn errors(entries: &[String]) -> Vec<LoadError> {
        let list: String = entries.iter().map(|e| format!("  {e},\n")).collect();
        let text = SYNC.replace(
            &format!("  # Setup shows this warning when Install is clicked; the walkthrough clicks OK.\n  {SHIPPED_ACK}\n"),
            &list,
        );
        assert_ne!(text, SYNC, "the shipped profile's list moved");
        match load_str("p.toml", &text, Screens::embedded().unwrap(), false) {
            Ok(_) => vec![],
            Err(e) => e.0,
        }
    }

    /// `s` as a TOML basic string.
    fn q(s: &str) -> String {
        let body: String = s
            .chars()
            .map(|c| match c {
                '"' | '\\' => format!("\\{c}"),
                c if c.is_control() => format!("\\u{:04X}", c as u32),
                c => c.to_string(),
            })
            .collect();
        format!("\"{body}\"")
    }

    #[test]
    fn every_entry_that_matches_no_warning_is_an_error_with_its_line_and_the_nearest_entry() {
        let ok = "service-account-logon-rights@service_account.name";
        // (entry, the message holds, the fix holds); None: accepted.
        let rows: Vec<(String, Option<(&str, &str)>)> = vec![
            (ok.into(), None),
            ("group-no-domain@groups.admins".into(), None),
            ("netbios-domain-dns@service_account.domain".into(), None),
            // A warning about a whole section stands on the section.
            ("answer-not-used@security".into(), None),
            (
                "answer-not-used@securty".into(),
                Some((
                    "names no field",
                    "did you mean \"answer-not-used@security\"?",
                )),
            ),
            // A live check's warning is a warning too.
            ("sql-collation-case-sensitive@sql.database".into(), None),
            // So is a live check whose server gave no answer (to go on without it).
            ("sql-timeout@sql.server".into(), None),
            ("sql-refused@sql.server".into(), None),
            ("ad-dc-dns-timeout@checks.domain".into(), None),
            (
                "sql-timout@sql.server".into(),
                Some((
                    "has no warning `sql-timout`",
                    "did you mean \"sql-timeout@sql.server\"?",
                )),
            ),
            // A typo in the check id.
            (
                "service-acount-logon-rights@service_account.name".into(),
                Some((
                    "names no warning: mim-setup has no warning `service-acount-logon-rights`",
                    "did you mean \"service-account-logon-rights@service_account.name\"?",
                )),
            ),
            // A check id that never warns (an error cannot be acknowledged).
            (
                "sql-server-port@sql.server".into(),
                Some(("has no warning `sql-server-port`", "")),
            ),
            (
                "banana".into(),
                Some(("has no warning `banana`", "remove it")),
            ),
            // A field of the other component.
            (
                "sspr-port-8080@registration.port".into(),
                Some((
                    "is a warning of the service-portal profile, not of this sync one",
                    "",
                )),
            ),
            // A field of no screen, or mistyped.
            (
                "group-no-domain@groups.admin".into(),
                Some((
                    "names no field of a sync profile: `groups.admin`",
                    "did you mean \"group-no-domain@groups.admins\"?",
                )),
            ),
            (
                "group-no-domain@".into(),
                Some(("names no field", "remove it")),
            ),
            // Never echoed raw: control characters, or in full: a huge entry.
            (
                "gr\u{1b}[31moup@groups.admins".into(),
                Some(("gr\\u001B[31moup", "remove it")),
            ),
            (
                format!("{}@groups.admins", "x".repeat(5000)),
                Some(("(5014 characters, cut)", "copy the key")),
            ),
        ];
        for (entry, want) in rows {
            let got = errors(&[q(&entry)]);
            match want {
                None => assert!(got.is_empty(), "{entry}: {got:?}"),
                Some((message, fix)) => {
                    assert_eq!(got.len(), 1, "{entry}: {got:?}");
                    let e = &got[0];
                    assert_eq!(
                        (e.line, e.column, e.key.as_deref()),
                        (8, 3, Some("acknowledged")),
                        "{entry}"
                    );
                    assert!(e.message.contains(message), "{entry}: {}", e.message);
                    assert!(
                        e.fix.as_deref().unwrap_or_default().contains(fix),
                        "{entry}: {:?}",
                        e.fix
                    );
                    assert!(
                        !e.message.contains('\u{1b}') && e.message.chars().count() < 300,
                        "{}",
                        e.message
                    );
                }
            }
        }
    }

    #[test]
    fn duplicates_long_lists_and_many_bad_entries() {
        let ok = q("service-account-logon-rights@service_account.name");
        let got = errors(&[ok.clone(), q("group-no-domain@groups.admins"), ok.clone()]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].line, 10);
        assert!(
            got[0].message.contains("is listed twice (first on line 8)"),
            "{}",
            got[0].message
        );
        // More entries than any profile has warnings: one error at the key.
        let many: Vec<String> = (0..super::MAX_ACKNOWLEDGED + 1)
            .map(|i| q(&format!("x{i}")))
            .collect();
        let got = errors(&many);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].line, got[0].key.as_deref()),
            (7, Some("acknowledged"))
        );
        assert!(got[0].message.contains("201 entries"), "{}", got[0].message);
        // Ten bad entries are listed, the rest counted in one more error where they start.
        let bad: Vec<String> = (0..15)
            .map(|i| q(&format!("nothing-{i}@sql.server")))
            .collect();
        let got = errors(&bad);
        assert_eq!(got.len(), 11, "{got:?}");
        assert_eq!(got[9].line, 17);
        assert_eq!(got[10].line, 18);
        assert!(
            got[10].message.starts_with("5 more entries"),
            "{}",
            got[10].message
        );
    }
}
