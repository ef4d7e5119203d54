//! Two profiles compared per screen and field, and their acknowledgements.
//!
//! An answer is a text, a checkbox or a secret's reference (the profile holds no secret
//! value, so none can show). Acknowledgements are `check@field` keys: one added or removed
//! has the key itself as `old`/`new`; its reason, added, changed or removed, is a change of
//! its own with the attribute `reason`.
use super::{Area, Change};
use crate::answers::Value as Answer;
use crate::profile::Profile;
use crate::screens::Screens;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Every change from `a` to `b`: answers by field path (screen, then field), then
/// acknowledgements.
pub fn diff(a: &Profile, b: &Profile) -> Vec<Change> {
    let mut out = Vec::new();
    let paths: BTreeSet<&String> = a
        .answers
        .iter()
        .chain(b.answers.iter())
        .map(|(k, _)| k)
        .collect();
    for path in paths {
        let old = a.answers.get(path).map(value);
        let new = b.answers.get(path).map(value);
        if old == new {
            continue;
        }
        let (screen, field) = path.split_once('.').unwrap_or(("", path.as_str()));
        out.push(Change::new(Area::Answer, field, old, new).scoped(screen));
    }
    let keys: BTreeSet<&String> = a.acknowledged.union(&b.acknowledged).collect();
    for key in keys {
        let old = a.acknowledged.contains(key).then(|| json!(key));
        let new = b.acknowledged.contains(key).then(|| json!(key));
        if old != new {
            out.push(Change::new(Area::Acknowledged, key.clone(), old, new));
        }
        let reason = |p: &Profile| reason_of(&p.reasons, &p.acknowledged, key);
        let (old, new) = (reason(a), reason(b));
        if old != new {
            out.push(Change::new(Area::Acknowledged, key.clone(), old, new).attribute("reason"));
        }
    }
    out
}

/// An acknowledgement's reason, where the profile acknowledges the key and says why.
fn reason_of(
    reasons: &BTreeMap<String, String>,
    acked: &BTreeSet<String>,
    key: &str,
) -> Option<Value> {
    acked
        .contains(key)
        .then(|| reasons.get(key))
        .flatten()
        .map(|r| json!(r))
}

/// The answers' changes in the order the wizard shows them: screens in flow order, fields
/// in screen order; what the screens do not define, after them by path. Acknowledgements
/// stay last.
pub fn in_flow_order(mut changes: Vec<Change>, screens: &Screens) -> Vec<Change> {
    let rank = |c: &Change| -> (usize, usize) {
        let scope = c.scope.as_deref().unwrap_or("");
        let all = screens.all();
        match all.iter().position(|s| s.id == scope) {
            _ if c.area != Area::Answer => (usize::MAX, usize::MAX),
            Some(i) => (
                i,
                all[i]
                    .fields
                    .iter()
                    .position(|f| f.id == c.name)
                    .unwrap_or(usize::MAX - 1),
            ),
            None => (usize::MAX - 1, 0),
        }
    };
    // Stable: equal ranks keep the path order `diff` gave them.
    changes.sort_by_key(rank);
    changes
}

/// An answer as JSON: text, boolean, or a secret's reference as the profile writes it.
fn value(v: &Answer) -> Value {
    match v {
        Answer::Text(s) => json!(s),
        Answer::Bool(b) => json!(b),
        Answer::Secret(r) => json!(r.to_toml_inline()),
    }
}

#[cfg(test)]
mod tests {
    use super::diff;
    use crate::answers::Value as Answer;
    use crate::diff::{Area, Op};
    use crate::profile::Profile;
    use crate::secret::SecretRef;
    use serde_json::json;

    fn profile(answers: &[(&str, Answer)], acks: &[&str]) -> Profile {
        let mut p = Profile::default();
        for (k, v) in answers {
            p.answers.set(*k, v.clone());
        }
        p.acknowledged = acks.iter().map(|s| s.to_string()).collect();
        p
    }

    fn text(s: &str) -> Answer {
        Answer::Text(s.into())
    }

    #[test]
    fn every_field_kind_is_compared_by_its_value() {
        let env = |n: &str| Answer::Secret(SecretRef::Env(n.into()));
        // (field, A, B, op, old, new): text, choice, checkbox, secret references of each kind.
        let cases = [
            (
                "sql.server",
                Some(text("a")),
                Some(text("b")),
                Some(Op::Changed),
            ),
            (
                "sql.instance",
                Some(text("default")),
                Some(text("named")),
                Some(Op::Changed),
            ),
            (
                "security.firewall_rpc",
                Some(Answer::Bool(true)),
                Some(Answer::Bool(false)),
                Some(Op::Changed),
            ),
            (
                "service_account.password",
                Some(env("A")),
                Some(env("B")),
                Some(Op::Changed),
            ),
            (
                "service_account.password",
                Some(env("A")),
                Some(Answer::Secret(SecretRef::Prompt)),
                Some(Op::Changed),
            ),
            (
                "service_account.password",
                Some(Answer::Secret(SecretRef::Keyring("s/u".into()))),
                Some(Answer::Secret(SecretRef::Keyring("s/u".into()))),
                None,
            ),
            (
                "sql.instance_name",
                None,
                Some(text("MIM")),
                Some(Op::Added),
            ),
            (
                "sql.instance_name",
                Some(text("MIM")),
                None,
                Some(Op::Removed),
            ),
            ("sql.server", Some(text("same")), Some(text("same")), None),
            // A text "true" is not the checkbox true.
            (
                "x.y",
                Some(text("true")),
                Some(Answer::Bool(true)),
                Some(Op::Changed),
            ),
        ];
        for (field, a, b, op) in cases {
            let pa = profile(
                &a.iter().map(|v| (field, v.clone())).collect::<Vec<_>>(),
                &[],
            );
            let pb = profile(
                &b.iter().map(|v| (field, v.clone())).collect::<Vec<_>>(),
                &[],
            );
            let changes = diff(&pa, &pb);
            assert_eq!(
                changes.iter().map(|c| c.op).collect::<Vec<_>>(),
                op.into_iter().collect::<Vec<_>>(),
                "{field}: {a:?} -> {b:?}"
            );
            if let Some(c) = changes.first() {
                let (screen, name) = field.split_once('.').expect("path");
                assert_eq!(
                    (c.area, c.scope.as_deref(), c.name.as_str()),
                    (Area::Answer, Some(screen), name)
                );
            }
        }
    }

    #[test]
    fn a_secret_shows_as_its_reference_only() {
        let a = profile(
            &[("s.p", Answer::Secret(SecretRef::Env("OLD_VAR".into())))],
            &[],
        );
        let b = profile(&[("s.p", Answer::Secret(SecretRef::Prompt))], &[]);
        let c = &diff(&a, &b)[0];
        assert_eq!(c.old, Some(json!("{ env = \"OLD_VAR\" }")));
        assert_eq!(c.new, Some(json!("{ prompt = true }")));
    }

    #[test]
    fn answers_come_in_the_wizards_order_and_acknowledgements_last() {
        let screens = crate::screens::Screens::embedded().expect("screens");
        let a = profile(&[], &[]);
        let b = profile(
            &[
                ("service_account.name", text("n")),
                ("zz_unknown.x", text("u")),
                ("sql.server", text("s")),
                ("sql.database", text("d")),
                ("licence.accepted", Answer::Bool(true)),
            ],
            &["w@sql.server"],
        );
        let got: Vec<String> = super::in_flow_order(diff(&a, &b), screens)
            .into_iter()
            .map(|c| format!("{}.{}", c.scope.unwrap_or_default(), c.name))
            .collect();
        let field = |path: &str| {
            let (s, f) = path.split_once('.').expect("path");
            let all = screens.all();
            let i = all.iter().position(|x| x.id == s).expect("screen");
            (
                i,
                all[i].fields.iter().position(|x| x.id == f).expect("field"),
            )
        };
        let mut known = [
            "licence.accepted",
            "sql.server",
            "sql.database",
            "service_account.name",
        ];
        known.sort_by_key(|p| field(p));
        let mut want: Vec<String> = known.iter().map(|s| s.to_string()).collect();
        want.extend(["zz_unknown.x".to_string(), ".w@sql.server".to_string()]);
        assert_eq!(got, want);
        // The Sync walkthrough's own order: licence, then SQL Server, then the account.
        let at = |p: &str| got.iter().position(|g| g == p).expect("present");
        assert!(
            at("licence.accepted") < at("sql.server")
                && at("sql.server") < at("service_account.name")
        );
    }

    #[test]
    fn acknowledgements_added_and_removed() {
        let a = profile(&[], &["w1@a.b", "w2@a.b"]);
        let b = profile(&[], &["w2@a.b", "w3@c.d"]);
        let got: Vec<(String, Op)> = diff(&a, &b).into_iter().map(|c| (c.name, c.op)).collect();
        assert_eq!(
            got,
            vec![("w1@a.b".into(), Op::Removed), ("w3@c.d".into(), Op::Added)]
        );
        assert!(diff(&a, &a).is_empty());
    }

    #[test]
    fn reasons_added_changed_and_removed() {
        let with = |reasons: &[(&str, &str)]| {
            let mut p = profile(&[], &["w1@a.b", "w2@a.b"]);
            p.reasons = reasons
                .iter()
                .map(|(k, r)| (k.to_string(), r.to_string()))
                .collect();
            p
        };
        let plain = with(&[]);
        let why = with(&[("w1@a.b", "off site")]);
        let other = with(&[("w1@a.b", "lab only")]);
        // (A, B, the changes: key, attribute, op, old, new)
        type Row<'a> = (
            &'a Profile,
            &'a Profile,
            Vec<(
                &'a str,
                Option<&'a str>,
                Op,
                Option<&'a str>,
                Option<&'a str>,
            )>,
        );
        let rows: Vec<Row> = vec![
            (&plain, &plain, vec![]),
            (&why, &why, vec![]),
            (
                &plain,
                &why,
                vec![("w1@a.b", Some("reason"), Op::Added, None, Some("off site"))],
            ),
            (
                &why,
                &plain,
                vec![(
                    "w1@a.b",
                    Some("reason"),
                    Op::Removed,
                    Some("off site"),
                    None,
                )],
            ),
            (
                &why,
                &other,
                vec![(
                    "w1@a.b",
                    Some("reason"),
                    Op::Changed,
                    Some("off site"),
                    Some("lab only"),
                )],
            ),
        ];
        for (a, b, want) in rows {
            let got: Vec<_> = diff(a, b)
                .into_iter()
                .map(|c| (c.name, c.attribute, c.op, c.old, c.new))
                .collect();
            let want: Vec<_> = want
                .into_iter()
                .map(|(k, at, op, o, n)| {
                    (
                        k.to_string(),
                        at.map(str::to_string),
                        op,
                        o.map(|v| json!(v)),
                        n.map(|v| json!(v)),
                    )
                })
                .collect();
            assert_eq!(got, want, "{:?} -> {:?}", a.reasons, b.reasons);
        }
        // An acknowledgement added with its reason: the key, then the reason.
        let none = profile(&[], &[]);
        let got: Vec<_> = diff(&none, &why)
            .into_iter()
            .map(|c| (c.name, c.attribute, c.op))
            .collect();
        assert_eq!(
            got,
            vec![
                ("w1@a.b".to_string(), None, Op::Added),
                ("w1@a.b".to_string(), Some("reason".to_string()), Op::Added),
                ("w2@a.b".to_string(), None, Op::Added),
            ]
        );
        // Removed with it: the same, taken away.
        let got: Vec<_> = diff(&why, &none).into_iter().map(|c| c.op).collect();
        assert_eq!(got, vec![Op::Removed; 3]);
    }
}
