//! `mim-setup schema`: a JSON Schema (draft 2020-12) of the profile format, generated from the
//! screens registry (`screens/*.toml`), so that an editor (VS Code with Even Better TOML, or
//! taplo) completes and checks a profile with the same names, choices and types the loader
//! reads. The loader stays the judge: the schema carries no rule, only the shape.
//!
//! Shape: the `setup` screen's fields (`component`, `edition`) and `schema_version`,
//! `acknowledged` (strings, or `{ warning, reason }` tables), `draft_screen` at the top; every other screen is a table of its fields.
//! A secret is one of the three reference forms, never a string.
use crate::profile::{MAX_REASON, SCHEMA_VERSION};
use crate::screens::{FieldDef, FieldKind, Screens};
use serde_json::{json, Map, Value};

/// The screen whose fields sit at the top of a profile instead of in a table.
const TOP_SCREEN: &str = "setup";

/// The JSON Schema of a profile for these screens.
pub fn profile_schema(screens: &Screens) -> Value {
    let mut top = Map::new();
    top.insert(
        "schema_version".into(),
        json!({ "const": SCHEMA_VERSION, "description": "The profile format version." }),
    );
    top.insert(
        "acknowledged".into(),
        json!({
            "type": "array",
            "items": {
                "oneOf": [
                    { "type": "string", "minLength": 1, "description": "The acknowledged warning, as rule-id@screen.field." },
                    {
                        "type": "object",
                        "description": "The acknowledged warning with why it is accepted.",
                        "properties": {
                            "warning": { "type": "string", "minLength": 1, "description": "The acknowledged warning, as rule-id@screen.field." },
                            "reason": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": MAX_REASON,
                                "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
                                "description": "Why it is accepted: one line of text."
                            }
                        },
                        "required": ["warning"],
                        "additionalProperties": false
                    }
                ]
            },
            "description": "Warnings acknowledged (and live checks whose server gave no answer, to go on without them), as rule-id@screen.field, or { warning = \"rule-id@screen.field\", reason = \"why\" }."
        }),
    );
    top.insert(
        "draft_screen".into(),
        json!({ "type": "string", "description": "The screen a saved draft continues on." }),
    );
    let mut tables: Map<String, Value> = Map::new();
    for screen in screens.all() {
        if screen.id == TOP_SCREEN {
            for f in &screen.fields {
                top.insert(f.id.clone(), field_schema(f));
            }
            continue;
        }
        if screen.fields.is_empty() {
            continue;
        }
        let table = tables.entry(screen.id.clone()).or_insert_with(|| {
            json!({
                "type": "object",
                "description": screen.title,
                "properties": {},
                "additionalProperties": false
            })
        });
        if let Some(props) = table["properties"].as_object_mut() {
            for f in &screen.fields {
                props.insert(f.id.clone(), field_schema(f));
            }
        }
    }
    top.extend(tables);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "mim-setup profile",
        "description": "A mim-setup profile (TOML): the answers of the wizard, secrets as references only.",
        "type": "object",
        "required": ["schema_version", "component"],
        "properties": top,
        "additionalProperties": false
    })
}

fn field_schema(f: &FieldDef) -> Value {
    let description = if f.help.is_empty() {
        f.label.clone()
    } else {
        format!("{}: {}", f.label, f.help)
    };
    match f.kind {
        FieldKind::Text => json!({ "type": "string", "description": description }),
        FieldKind::Checkbox => json!({ "type": "boolean", "description": description }),
        FieldKind::Choice => {
            let values: Vec<&str> = f.options.iter().map(|o| o.value.as_str()).collect();
            json!({ "type": "string", "enum": values, "description": description })
        }
        FieldKind::Secret => json!({
            "description": format!("{description} (a reference: {{ env = \"NAME\" }}, {{ prompt = true }} or {{ keyring = \"SERVICE/USER\" }}; never the secret itself)"),
            "oneOf": [
                secret_form("env", json!({ "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" })),
                secret_form("prompt", json!({ "const": true })),
                secret_form("keyring", json!({ "type": "string", "pattern": "^[^/]+/.+$" })),
            ]
        }),
    }
}

fn secret_form(key: &str, value: Value) -> Value {
    json!({
        "type": "object",
        "properties": { key: value },
        "required": [key],
        "additionalProperties": false
    })
}
