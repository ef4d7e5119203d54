//! The one builder of an msiexec run's properties, for both components: it walks the
//! component's property table (`table.rs`, data in `screens/msi/`) and gives each property
//! with the profile field it comes from, where its name was seen and whether it is confirmed,
//! and the secrets the run uses.
use super::table::{Answer, Row, Table};
use super::{Plan, PlanError, Property};
use crate::answers::{Answers, Value};

/// The properties of one msiexec run, with the secrets they use.
pub(super) struct Props<'a> {
    pub(super) a: &'a Answers,
    pub(super) list: Vec<Property>,
    pub(super) secrets: Vec<String>,
}

impl<'a> Props<'a> {
    pub(super) fn new(a: &'a Answers) -> Self {
        Props {
            a,
            list: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// Every property of the table whose conditions hold, in the table's order.
    pub(super) fn table(&mut self, plan: &mut Plan, table: &Table) -> Result<(), PlanError> {
        for group in &table.group {
            if !self.a.holds(&group.when) {
                continue;
            }
            for row in &group.property {
                if !self.a.holds(&row.when) {
                    continue;
                }
                if let Some(value) = self.value(plan, row)? {
                    self.list.push(Property {
                        name: row.name.clone(),
                        value,
                        from: row.from.clone(),
                        source: row.source.clone(),
                        confirmed: row.confirmed,
                        note: if row.confirmed {
                            String::new()
                        } else {
                            format!("[?] {}", row.note)
                        },
                    });
                }
            }
        }
        Ok(())
    }

    /// The value a row passes, or `None` when it is left out (no secret reference, or an
    /// empty answer with `only_if_answered`).
    fn value(&mut self, plan: &mut Plan, row: &Row) -> Result<Option<String>, PlanError> {
        let a = self.a;
        if row.only_if_answered && a.text(&row.from).is_empty() {
            return Ok(None);
        }
        if let Some(v) = &row.value {
            return Ok(Some(v.clone()));
        }
        if let Some(choices) = &row.choices {
            let option = a.text(&row.from);
            return match choices.get(option) {
                Some(v) => Ok(Some(v.clone())),
                None => Err(PlanError::Table(super::table::TableError {
                    file: "property table",
                    message: format!("{} has no value for {} = {option:?}", row.name, row.from),
                })),
            };
        }
        Ok(match row.answer {
            Some(Answer::Text) => Some(a.text(&row.from).to_string()),
            Some(Answer::Flag) => Some(if a.flag(&row.from) { "1" } else { "0" }.into()),
            Some(Answer::Thumbprint) => Some(
                a.text(&row.from)
                    .chars()
                    .filter(char::is_ascii_hexdigit)
                    .collect::<String>()
                    .to_ascii_uppercase(),
            ),
            Some(Answer::Features) => Some(super::service_portal::features(a).join(",")),
            Some(Answer::Secret) => match (a.get(&row.from), &row.secret) {
                (Some(Value::Secret(r)), Some(secret)) => {
                    let placeholder = plan.add_secret(secret, r.clone());
                    if !self.secrets.iter().any(|s| s == secret) {
                        self.secrets.push(secret.clone());
                    }
                    Some(placeholder)
                }
                _ => None,
            },
            None => None,
        })
    }
}
