//! Reading the `acknowledged` list: each entry is the key of a warning, as a string
//! (`"check@field"`), or an inline table that also says why it is accepted
//! (`{ warning = "check@field", reason = "..." }`). Profiles written before reasons existed
//! hold strings only and load unchanged. A reason is one line of free text: no control or
//! invisible character (it would move the cursor or reverse the text when shown), not empty,
//! at most `MAX_REASON` characters. Which warnings an entry may name is `acks`' business.
use super::acks::Entry;
use super::fields::type_name;
use super::load::Reader;
use super::shown::echo;
use super::{did_you_mean, Profile};
use std::ops::Range;
use toml_edit::{Item, Table, Value};

/// The longest reason kept: a short note, not a change ticket.
pub const MAX_REASON: usize = 200;
/// The keys of a table entry.
const ENTRY_KEYS: [&str; 2] = ["warning", "reason"];
const KEY: &str = "acknowledged";
const ENTRY_FIX: &str = "copy the acknowledgement key that `mim-setup validate` prints";

/// Why a reason cannot be kept, if it cannot: the problem and its fix.
pub fn reason_problem(reason: &str) -> Option<(String, String)> {
    if let Some((i, c)) = reason
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || crate::rules::invisible(*c))
    {
        return Some((
            format!(
                "holds the {} character U+{:04X} at position {}",
                if c.is_control() {
                    "control"
                } else {
                    "invisible"
                },
                c as u32,
                i + 1
            ),
            "write the reason as one line of plain text".into(),
        ));
    }
    let n = reason.chars().count();
    if n > MAX_REASON {
        return Some((
            format!("is {n} characters long; a reason holds at most {MAX_REASON}"),
            "shorten it to a short note; the change ticket can hold the rest".into(),
        ));
    }
    if reason.trim().is_empty() {
        return Some((
            "is empty".into(),
            "write why the warning is accepted, or write the entry as its key alone".into(),
        ));
    }
    None
}

impl Reader<'_> {
    /// The entries of `acknowledged` (with reasons into `profile.reasons`), and where the
    /// key stands; every malformed entry is an error.
    pub(super) fn read_acknowledged(
        &mut self,
        root: &Table,
        profile: &mut Profile,
    ) -> (Option<Range<usize>>, Vec<Entry>) {
        let mut entries = Vec::new();
        let Some((k, item)) = root.get_key_value(KEY) else {
            return (None, entries);
        };
        let Some(arr) = item.as_array() else {
            self.err(
                k.span(),
                Some(KEY),
                format!(
                    "acknowledged must be an array of strings, found {}",
                    type_name(item)
                ),
                Some("write `acknowledged = [\"check@field\"]`".into()),
            );
            return (k.span(), entries);
        };
        for v in arr.iter() {
            let read = match v {
                Value::InlineTable(t) => self.table_entry(t, v.span()),
                _ => match v.as_str() {
                    Some(s) if !s.trim().is_empty() => Some((s.to_string(), v.span(), None)),
                    _ => {
                        self.not_a_key(v.span());
                        None
                    }
                },
            };
            if let Some((text, span, reason)) = read {
                profile.acknowledged.insert(text.clone());
                if let Some(r) = reason {
                    profile.reasons.insert(text.clone(), r);
                }
                entries.push(Entry { text, span });
            }
        }
        (k.span(), entries)
    }

    fn not_a_key(&mut self, span: Option<Range<usize>>) {
        self.err(
            span,
            Some(KEY),
            "each acknowledgement is a non-empty string `check@field`",
            Some(format!("{ENTRY_FIX}; with a reason, write {{ warning = \"check@field\", reason = \"why\" }}")),
        );
    }

    /// `{ warning = "check@field", reason = "..." }`: the key, where it stands, the reason.
    #[allow(clippy::type_complexity)]
    fn table_entry(
        &mut self,
        t: &toml_edit::InlineTable,
        span: Option<Range<usize>>,
    ) -> Option<(String, Option<Range<usize>>, Option<String>)> {
        let mut ok = true;
        for (key, _) in t.iter() {
            if ENTRY_KEYS.contains(&key) {
                continue;
            }
            let at = t.key(key).and_then(|k| k.span());
            let shown = echo(key);
            let fix = match did_you_mean(key, ENTRY_KEYS) {
                Some(h) => format!("did you mean `{h}`? An entry has `warning` and `reason`"),
                None => "remove it; an entry has `warning` and `reason` only".into(),
            };
            self.err(
                at,
                Some(KEY),
                format!("unknown key `{shown}` in an acknowledgement"),
                Some(fix),
            );
            ok = false;
        }
        let warning = match t.get("warning") {
            None => {
                self.err(
                    span.clone(),
                    Some(KEY),
                    "this acknowledgement has no `warning`: a table entry is { warning = \"check@field\", reason = \"why\" }",
                    Some(format!("add warning = \"check@field\"; {ENTRY_FIX}")),
                );
                None
            }
            Some(w) => match w.as_str() {
                Some(s) if !s.trim().is_empty() => Some((s.to_string(), w.span())),
                _ => {
                    self.not_a_key(w.span());
                    None
                }
            },
        };
        let reason = match t.get("reason") {
            None => None,
            Some(r) => match r.as_str() {
                None => {
                    self.err(
                        r.span(),
                        Some(KEY),
                        format!(
                            "a reason must be a string, found {}",
                            type_name(&Item::Value(r.clone()))
                        ),
                        Some("write reason = \"why the warning is accepted\"".into()),
                    );
                    ok = false;
                    None
                }
                Some(s) => match reason_problem(s) {
                    Some((problem, fix)) => {
                        let of = warning
                            .as_ref()
                            .map(|(w, _)| format!(" of \"{}\"", echo(w)))
                            .unwrap_or_default();
                        self.err(
                            r.span(),
                            Some(KEY),
                            format!("the reason{of} {problem}"),
                            Some(fix),
                        );
                        ok = false;
                        None
                    }
                    None => Some(s.trim().to_string()),
                },
            },
        };
        let (text, at) = warning?;
        ok.then_some((text, at, reason))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::profile::{load_str, to_toml, LoadError, Loaded};
    use crate::screens::Screens;

    const SYNC: &str = include_str!("../../profiles/contoso-sync.toml");
    const KEY: &str = "service-account-logon-rights@service_account.name";

    /// The shipped Sync profile with its one acknowledgement (line 9) written as `entry`.
    fn load(entry: &str) -> Result<Loaded, Vec<LoadError>> {
        let text = SYNC.replacen(&format!("  \"{KEY}\",\n"), &format!("  {entry},\n"), 1);
        assert!(
            text.contains(&format!("\n  {entry},\n")),
            "the shipped profile's entry moved"
        );
        load_str("p.toml", &text, Screens::embedded().unwrap(), false).map_err(|e| e.0)
    }

    #[test]
    fn an_entry_is_a_string_or_a_table_with_a_reason_and_old_profiles_load_unchanged() {
        let old = load_str("p.toml", SYNC, Screens::embedded().unwrap(), false).unwrap();
        assert!(old.profile.acknowledged.contains(KEY));
        assert!(old.profile.reasons.is_empty());
        let plain = load(&format!("\"{KEY}\"")).unwrap();
        assert_eq!(plain.profile, old.profile);
        // A table without a reason is the string.
        let table = load(&format!("{{ warning = \"{KEY}\" }}")).unwrap();
        assert_eq!(table.profile, old.profile);
        let why = load(&format!(
            "{{ warning = \"{KEY}\", reason = \"  setup shows it; OK as seed 000 does \" }}"
        ))
        .unwrap();
        assert!(why.profile.acknowledged.contains(KEY));
        assert_eq!(
            why.profile.reasons.get(KEY).map(String::as_str),
            Some("setup shows it; OK as seed 000 does")
        );
        // Written back beside its acknowledgement, and read again the same.
        let screens = Screens::embedded().unwrap();
        for p in [&old.profile, &why.profile] {
            let text = to_toml(p, screens);
            let again = load_str("w.toml", &text, screens, false).unwrap();
            assert_eq!(&again.profile, p, "{text}");
        }
        let text = to_toml(&why.profile, screens);
        assert!(
            text.contains(&format!(
                "{{ warning = \"{KEY}\", reason = \"setup shows it; OK as seed 000 does\" }},"
            )),
            "{text}"
        );
        // A reason with quotes and backslashes survives the round trip.
        let mut odd = why.profile.clone();
        odd.reasons
            .insert(KEY.into(), r#"ticket "CHG-1" on \\corpfs\share 'x'"#.into());
        let again = load_str("w.toml", &to_toml(&odd, screens), screens, false).unwrap();
        assert_eq!(again.profile, odd);
    }

    #[test]
    fn a_bad_entry_is_an_error_at_its_line_with_the_fix() {
        let long = "r".repeat(super::MAX_REASON + 1);
        let huge = "h".repeat(100_000);
        let empty = format!("the reason of \"{KEY}\" is empty");
        let near = format!("did you mean \"{KEY}\"?");
        // (entry, column, the message holds, the fix holds)
        let rows: Vec<(String, usize, &str, &str)> = vec![
            (
                "{ reason = \"why\" }".into(),
                3,
                "this acknowledgement has no `warning`",
                "add warning = \"check@field\"",
            ),
            (
                format!("{{ warning = \"{KEY}\", resaon = \"why\" }}"),
                68,
                "unknown key `resaon` in an acknowledgement",
                "did you mean `reason`?",
            ),
            (
                format!("{{ warning = \"{KEY}\", colour = 1 }}"),
                68,
                "unknown key `colour`",
                "an entry has `warning` and `reason` only",
            ),
            (
                "{ warning = \"\" }".into(),
                15,
                "each acknowledgement is a non-empty string",
                "reason = \"why\"",
            ),
            (
                "{ warning = 7 }".into(),
                15,
                "each acknowledgement is a non-empty string",
                "",
            ),
            (
                "42".into(),
                3,
                "each acknowledgement is a non-empty string",
                "with a reason, write { warning = \"check@field\", reason = \"why\" }",
            ),
            (
                format!("{{ warning = \"{KEY}\", reason = 3 }}"),
                77,
                "a reason must be a string, found an integer",
                "",
            ),
            (
                format!("{{ warning = \"{KEY}\", reason = \"\" }}"),
                77,
                &empty,
                "write the entry as its key alone",
            ),
            (
                format!("{{ warning = \"{KEY}\", reason = \"two\\nlines\" }}"),
                77,
                "holds the control character U+000A at position 4",
                "one line of plain text",
            ),
            (
                format!("{{ warning = \"{KEY}\", reason = \"red \\u001B[31m\" }}"),
                77,
                "holds the control character U+001B at position 5",
                "",
            ),
            (
                format!("{{ warning = \"{KEY}\", reason = \"abc\\u202Edef\" }}"),
                77,
                "holds the invisible character U+202E at position 4",
                "",
            ),
            (
                format!("{{ warning = \"{KEY}\", reason = \"{long}\" }}"),
                77,
                "is 201 characters long; a reason holds at most 200",
                "shorten it",
            ),
            (
                format!("{{ warning = \"{KEY}\", reason = \"{huge}\" }}"),
                77,
                "is 100000 characters long",
                "",
            ),
            // The warning itself is judged as a string entry is: the nearest real one.
            (
                "{ warning = \"service-acount-logon-rights@service_account.name\", reason = \"x\" }".into(),
                15,
                "names no warning",
                &near,
            ),
        ];
        for (entry, column, message, fix) in rows {
            let shown: String = entry.chars().take(80).collect();
            let got = load(&entry).err().unwrap_or_default();
            assert_eq!(got.len(), 1, "{shown}: {got:?}");
            let e = &got[0];
            assert_eq!(
                (e.line, e.column, e.key.as_deref()),
                (9, column, Some("acknowledged")),
                "{shown}: {e}"
            );
            assert!(e.message.contains(message), "{shown}: {}", e.message);
            assert!(
                e.fix.as_deref().unwrap_or_default().contains(fix),
                "{shown}: {:?}",
                e.fix
            );
            // Never the reason itself, raw or whole.
            assert!(
                !e.message.contains('\u{1b}') && !e.message.contains('\u{202e}'),
                "{shown}: {}",
                e.message
            );
            assert!(e.message.chars().count() < 200, "{shown}: {}", e.message);
        }
    }
}
