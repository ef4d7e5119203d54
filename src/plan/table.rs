//! The MSI property tables: one per component, as data beside the screens
//! (`screens/msi/sync.toml`, `screens/msi/service-portal.toml`), embedded in the binary.
//!
//! ```text
//! [[group]]                         when = [...]   (optional; holds for every property below)
//! [[group.property]]
//! name      the MSI property
//! from      the profile field it comes from ("" for a fixed value)
//! when      the conditions under which it goes on the command line (as the screens' `when`)
//! source    where the name was seen: doc, script, log, or "unconfirmed"
//! confirmed false when no public source confirms it; `note` then says why
//! one of:   value = "1"                      a fixed value
//!           answer = "text" | "flag"         the answer of `from` (a checkbox gives 0/1)
//!           answer = "secret", secret = NAME the placeholder of the secret NAME
//!           answer = "thumbprint"            the hex digits of `from`, upper case
//!           answer = "features"              ADDLOCAL from the component checkboxes
//!           choices = { option = "value" }   the value for the option `from` holds
//! only_if_answered  leave the property out while `from` is empty
//! ```
//!
//! The builder (`Props::table`) is the only reader; a test checks that every `from` and every
//! condition names a real field and option.
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::screens::Condition;

/// The tables as they are embedded: `(file, text)`.
pub const FILES: [(&str, &str); 2] = [
    (
        "screens/msi/sync.toml",
        include_str!("../../screens/msi/sync.toml"),
    ),
    (
        "screens/msi/service-portal.toml",
        include_str!("../../screens/msi/service-portal.toml"),
    ),
];

/// The properties of one msiexec run, in command-line order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub group: Vec<Group>,
}

/// Properties that share conditions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    #[serde(default)]
    pub when: Vec<Condition>,
    pub property: Vec<Row>,
}

/// One MSI property and where its value comes from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub name: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub when: Vec<Condition>,
    pub source: String,
    #[serde(default = "yes")]
    pub confirmed: bool,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub answer: Option<Answer>,
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub choices: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub only_if_answered: bool,
}

/// How a property's value is read from its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    Text,
    Flag,
    Secret,
    Thumbprint,
    Features,
}

fn yes() -> bool {
    true
}

/// Which component's table.
#[derive(Debug, Clone, Copy)]
pub enum Component {
    Sync,
    ServicePortal,
}

/// A table that cannot be read: a defect of the build, reported instead of a panic.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct TableError {
    pub file: &'static str,
    pub message: String,
}

/// The table of a component, read once.
pub fn of(component: Component) -> Result<&'static Table, TableError> {
    static TABLES: [OnceLock<Result<Table, TableError>>; 2] = [OnceLock::new(), OnceLock::new()];
    let i = component as usize;
    let (file, text) = FILES[i];
    TABLES[i]
        .get_or_init(|| parse(file, text))
        .as_ref()
        .map_err(|e| TableError {
            file: e.file,
            message: e.message.clone(),
        })
}

/// Reads a table and checks that each row says exactly one way to get its value.
pub fn parse(file: &'static str, text: &str) -> Result<Table, TableError> {
    let err = |message: String| TableError { file, message };
    let table: Table = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    for row in table.group.iter().flat_map(|g| &g.property) {
        let ways = [
            row.value.is_some(),
            row.answer.is_some(),
            row.choices.is_some(),
        ];
        if ways.iter().filter(|w| **w).count() != 1 {
            return Err(err(format!(
                "property {} needs exactly one of `value`, `answer` or `choices`",
                row.name
            )));
        }
        if (row.answer == Some(Answer::Secret)) != row.secret.is_some() {
            return Err(err(format!(
                "property {}: `secret = NAME` goes with `answer = \"secret\"`, and only there",
                row.name
            )));
        }
        if row.confirmed != row.note.is_empty() {
            return Err(err(format!(
                "property {}: an unconfirmed property needs a note saying why, and only it has one",
                row.name
            )));
        }
    }
    Ok(table)
}

/// Every `from` names a field (or, for `features`, a screen), every condition a real field and
/// option, and every `choices` key an option of its field.
pub fn check(screens: &crate::screens::Screens, table: &Table) -> Result<(), String> {
    let err = |m: String| crate::screens::ScreenError::Reference {
        file: "property table".into(),
        message: m,
    };
    for group in &table.group {
        screens
            .check_conditions(&group.when, &err)
            .map_err(|e| e.to_string())?;
        for row in &group.property {
            screens
                .check_conditions(&row.when, &err)
                .map_err(|e| format!("{}: {e}", row.name))?;
            let field = screens.field(&row.from).map(|(_, f)| f);
            match (row.answer, field) {
                (Some(Answer::Features), _) if screens.screen(&row.from).is_some() => {}
                (Some(_), None) => {
                    return Err(format!("{}: unknown field `{}`", row.name, row.from))
                }
                (None, None) if !row.from.is_empty() => {
                    return Err(format!("{}: unknown field `{}`", row.name, row.from))
                }
                _ => {}
            }
            if let Some(choices) = &row.choices {
                let Some(f) = field else {
                    return Err(format!("{}: `choices` needs a choice field", row.name));
                };
                for k in choices.keys() {
                    if f.option(k).is_none() {
                        return Err(format!(
                            "{}: `{k}` is not an option of `{}`",
                            row.name, row.from
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tables_read_and_name_real_fields_and_options() {
        let screens = crate::screens::Screens::embedded().expect("screens");
        for c in [Component::Sync, Component::ServicePortal] {
            let t = of(c).expect("table");
            check(screens, t).expect("references");
        }
    }

    #[test]
    fn a_row_must_say_one_way_to_its_value_and_why_it_is_unconfirmed() {
        for (text, wanted) in [
            (
                "[[group]]\n[[group.property]]\nname='A'\nsource='x'\n",
                "exactly one",
            ),
            (
                "[[group]]\n[[group.property]]\nname='A'\nvalue='1'\nanswer='text'\nsource='x'\n",
                "exactly one",
            ),
            (
                "[[group]]\n[[group.property]]\nname='A'\nanswer='secret'\nsource='x'\n",
                "secret = NAME",
            ),
            (
                "[[group]]\n[[group.property]]\nname='A'\nvalue='1'\nsecret='s'\nsource='x'\n",
                "secret = NAME",
            ),
            (
                "[[group]]\n[[group.property]]\nname='A'\nvalue='1'\nconfirmed=false\nsource='x'\n",
                "note",
            ),
            (
                "[[group]]\n[[group.property]]\nname='A'\nvalue='1'\nnote='n'\nsource='x'\n",
                "note",
            ),
            (
                "[[group]]\n[[group.property]]\nname='A'\nvalue='1'\nsorce='x'\n",
                "unknown field",
            ),
        ] {
            let e = parse("t.toml", text).expect_err(text);
            assert!(e.to_string().contains(wanted), "{text}: {e}");
        }
    }

    #[test]
    fn a_reference_to_a_missing_field_or_option_is_found() {
        let screens = crate::screens::Screens::embedded().expect("screens");
        for (text, wanted) in [
            ("[[group]]\n[[group.property]]\nname='A'\nanswer='text'\nfrom='sql.nope'\nsource='x'\n", "unknown field `sql.nope`"),
            ("[[group]]\n[[group.property]]\nname='A'\nchoices={ nowhere = '1' }\nfrom='sql.location'\nsource='x'\n", "not an option"),
            ("[[group]]\nwhen=[{ field = 'sql.location', is = 'moon' }]\n[[group.property]]\nname='A'\nvalue='1'\nsource='x'\n", "moon"),
        ] {
            let t = parse("t.toml", text).expect(text);
            let e = check(screens, &t).expect_err(text);
            assert!(e.contains(wanted), "{text}: {e}");
        }
    }
}
