//! Reading a profile: every problem is reported with file, line, column and key, and a
//! secret written in clear is refused without ever echoing it.
use super::error::{LoadError, LoadErrors};
use super::fields::type_name;
use super::shown::echo;
use super::syntax::TOP_KEYS;
use super::{did_you_mean, Profile, COMPONENT_PATH, EDITION_PATH, SCHEMA_VERSION};
use crate::answers::Value;
use crate::screens::{Component, FieldDef, ScreenDef, Screens};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use toml_edit::ImDocument;

/// A profile read from text, with where each answer stands.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub profile: Profile,
    /// Field path (`sql.server`) or section id (`sql`, at its header) to its line, for
    /// located findings.
    pub lines: BTreeMap<String, usize>,
    /// Field path to the column of its key (1-based, in characters), beside `lines`.
    pub columns: BTreeMap<String, usize>,
    /// SHA-256 of the file's bytes, recorded in plans.
    pub sha256: String,
}

/// Reads and checks a profile file.
pub fn load_file(file: &Path, screens: &Screens, allow_draft: bool) -> Result<Loaded, LoadErrors> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| {
        LoadErrors(vec![LoadError {
            file: name.clone(),
            line: 0,
            column: 0,
            key: None,
            message: format!("cannot read the profile: {e}"),
            fix: Some("check the path; the shipped profiles are in profiles/".into()),
        }])
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        // Located at the first invalid byte: the text before it is valid UTF-8.
        let at = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&e.as_bytes()[..at]);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LoadErrors(vec![LoadError {
            file: name.clone(),
            line,
            column,
            key: None,
            message: format!("the profile is not UTF-8 text (invalid byte at offset {at})"),
            fix: Some("save the profile as UTF-8 (without a byte-order mark is best)".into()),
        }])
    })?;
    load_str(&name, &text, screens, allow_draft)
}

/// Checks a profile's text; `file` names it in messages.
pub fn load_str(
    file: &str,
    text: &str,
    screens: &Screens,
    allow_draft: bool,
) -> Result<Loaded, LoadErrors> {
    let mut r = Reader {
        file,
        text,
        screens,
        errors: Vec::new(),
        lines: BTreeMap::new(),
        columns: BTreeMap::new(),
    };
    let mut profile = r.read(allow_draft);
    checks_defaults(screens, &mut profile);
    if !r.errors.is_empty() {
        return Err(LoadErrors(r.errors));
    }
    let sha256 = hex(&Sha256::digest(text.as_bytes()));
    Ok(Loaded {
        profile,
        lines: r.lines,
        columns: r.columns,
        sha256,
    })
}

/// A profile without a `[checks]` section (written before live checks existed, or by
/// hand) gets that screen's defaults and, where none, the walkthrough's examples (as before
/// they became examples): it says how the checks reach the environment, and
/// setup itself never sees it.
fn checks_defaults(screens: &Screens, profile: &mut crate::profile::Profile) {
    let prefix = format!("{}.", crate::profile::CHECKS_SCREEN);
    if profile.answers.iter().any(|(k, _)| k.starts_with(&prefix)) {
        return;
    }
    let Some(screen) = screens
        .all()
        .iter()
        .find(|s| s.id == crate::profile::CHECKS_SCREEN)
    else {
        return;
    };
    // The walkthrough's settings: the defaults, and the examples where there is none.
    for f in &screen.fields {
        let example = f.example.clone().map(crate::answers::Value::Text);
        if let Some(v) = crate::answers::Value::initial(f).or(example) {
            profile
                .answers
                .set(crate::answers::path(&screen.id, &f.id), v);
        }
    }
    // Only the defaults these answers show: a hidden one would be an answer the profile
    // never gave, reported as not used.
    for f in &screen.fields {
        if !profile.answers.field_shown(screen, f) {
            profile
                .answers
                .remove(&crate::answers::path(&screen.id, &f.id));
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) struct Reader<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) screens: &'a Screens,
    pub(super) errors: Vec<LoadError>,
    pub(super) lines: BTreeMap<String, usize>,
    pub(super) columns: BTreeMap<String, usize>,
}

impl Reader<'_> {
    pub(super) fn line_col(&self, span: Option<Range<usize>>) -> (usize, usize) {
        let Some(at) = span.map(|s| s.start.min(self.text.len())) else {
            return (1, 1);
        };
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    pub(super) fn err(
        &mut self,
        span: Option<Range<usize>>,
        key: Option<&str>,
        message: impl Into<String>,
        fix: Option<String>,
    ) {
        let (line, column) = self.line_col(span);
        self.errors.push(LoadError {
            file: self.file.to_string(),
            line,
            column,
            key: key.map(str::to_string),
            message: message.into(),
            fix,
        });
    }

    fn read(&mut self, allow_draft: bool) -> Profile {
        let mut profile = Profile::default();
        let doc = match ImDocument::parse(self.text) {
            Ok(d) => d,
            Err(e) => {
                self.syntax_error(e.message(), e.span());
                return profile;
            }
        };
        let root = doc.as_table();
        // The top-level keys first: component and edition decide which sections exist.
        let version = root.get_key_value("schema_version");
        match version {
            None => self.err(Some(0..0), Some("schema_version"), "the profile has no schema_version", Some(format!("add `schema_version = {SCHEMA_VERSION}` at the top"))),
            Some((k, item)) => match item.as_integer() {
                Some(SCHEMA_VERSION) => {}
                Some(v) => self.err(k.span(), Some("schema_version"), format!("schema_version {v} is not supported; this mim-setup reads version {SCHEMA_VERSION}"), Some("use a profile written by this version, or save it again with the wizard".into())),
                None => self.err(k.span(), Some("schema_version"), format!("schema_version must be an integer, found {}", type_name(item)), Some(format!("write `schema_version = {SCHEMA_VERSION}`"))),
            },
        }
        let component = self.read_top_choice(root, "component", COMPONENT_PATH, &mut profile);
        self.read_top_choice(root, "edition", EDITION_PATH, &mut profile);
        let (acks_span, acks) = self.read_acknowledged(root, &mut profile);
        if let Some((k, item)) = root.get_key_value("draft_screen") {
            match (allow_draft, item.as_str()) {
                (true, Some(s)) => profile.draft_screen = Some(s.to_string()),
                (true, None) => self.err(
                    k.span(),
                    Some("draft_screen"),
                    "draft_screen must be a string",
                    Some("save the draft again with the wizard".into()),
                ),
                (false, _) => self.err(
                    k.span(),
                    Some("draft_screen"),
                    "draft_screen belongs in drafts, not in profiles",
                    Some("remove the line; continue a draft with `mim-setup --resume`".into()),
                ),
            }
        }
        let Some(component) = component else {
            return profile;
        };
        self.check_acknowledged(component, acks_span, &acks);
        let sections: Vec<&ScreenDef> = self
            .screens
            .flow(component)
            .filter(|s| s.id != "setup" && !s.fields.is_empty())
            .collect();
        for (key, item) in root.iter() {
            if TOP_KEYS.contains(&key) {
                continue;
            }
            let span = root.get_key_value(key).and_then(|(k, _)| k.span());
            let Some(screen) = sections.iter().find(|s| s.id == key) else {
                let hint =
                    did_you_mean(key, sections.iter().map(|s| s.id.as_str()).chain(TOP_KEYS));
                let known: Vec<&str> = sections.iter().map(|s| s.id.as_str()).collect();
                let shown = echo(key);
                self.err(
                    span,
                    Some(&shown),
                    format!("unknown key `{shown}` for a {} profile{}", component.as_str(), super::shown::non_ascii_note(key)),
                    Some(match hint {
                        Some(h) => format!("did you mean `{h}`?"),
                        None => format!(
                            "remove it; the top-level keys are schema_version, component, edition and acknowledged, and the sections are: {}",
                            known.join(", ")
                        ),
                    }),
                );
                continue;
            };
            // The section's own place, for findings about a key missing from it.
            let (line, column) = self.line_col(span.clone());
            self.lines.insert(key.to_string(), line);
            self.columns.insert(key.to_string(), column);
            match item.as_table_like() {
                Some(table) => self.read_section(screen, table, &mut profile.answers),
                None => self.err(
                    span,
                    Some(key),
                    format!(
                        "`{key}` must be a table ([{key}]), found {}",
                        type_name(item)
                    ),
                    Some(format!("write the answers under a `[{key}]` header")),
                ),
            }
        }
        profile
    }

    /// `component` or `edition`: a string naming an available option of the setup screen.
    fn read_top_choice(
        &mut self,
        root: &toml_edit::Table,
        key: &str,
        field_path: &str,
        profile: &mut Profile,
    ) -> Option<Component> {
        let (_, field) = self.screens.field(field_path)?;
        let Some((k, item)) = root.get_key_value(key) else {
            let values: Vec<&str> = field
                .options
                .iter()
                .filter(|o| o.available)
                .map(|o| o.value.as_str())
                .collect();
            self.err(
                Some(0..0),
                Some(key),
                format!("the profile has no {key}"),
                Some(format!(
                    "add `{key} = \"{}\"`",
                    values.first().copied().unwrap_or("")
                )),
            );
            return None;
        };
        let Some(v) = item.as_str() else {
            self.err(
                k.span(),
                Some(key),
                format!("{key} must be a string, found {}", type_name(item)),
                Some(format!(
                    "write `{key} = \"{}\"`",
                    field.options.first().map_or("", |o| o.value.as_str())
                )),
            );
            return None;
        };
        if !self.check_choice(field, v, k.span(), key) {
            return None;
        }
        if let Some(opt) = field.option(v).filter(|o| !o.available) {
            let available: Vec<String> = field
                .options
                .iter()
                .filter(|o| o.available)
                .map(|o| format!("{key} = \"{}\"", o.value))
                .collect();
            self.err(
                k.span(),
                Some(key),
                format!("{} is {}", opt.label, opt.note),
                Some(format!(
                    "choose one that this version sets up: {}",
                    available.join(" or ")
                )),
            );
            return None;
        }
        profile.answers.set(field_path, Value::Text(v.to_string()));
        Component::parse(v).or(Some(Component::Sync))
    }

    pub(super) fn check_choice(
        &mut self,
        field: &FieldDef,
        v: &str,
        span: Option<Range<usize>>,
        key: &str,
    ) -> bool {
        if field.option(v).is_some() {
            return true;
        }
        let values: Vec<&str> = field.options.iter().map(|o| o.value.as_str()).collect();
        let fix = match did_you_mean(v, values.iter().copied()) {
            Some(h) => format!(
                "did you mean \"{h}\"? The choices are: {}",
                values.join(", ")
            ),
            None => format!("the choices are: {}", values.join(", ")),
        };
        self.err(
            span,
            Some(key),
            format!(
                "\"{}\" is not one of the choices for \"{}\"",
                echo(v),
                field.label
            ),
            Some(fix),
        );
        false
    }
}
