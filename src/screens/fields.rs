//! Typed field paths, generated at build time from `screens/*.toml`.
//!
//! One submodule per screen, named by the screen id, holds one constant per field, named by
//! the field id: `fields::sql::SERVER` is `"sql.server"`. Each choice field also gets an enum
//! of its options (`fields::sql::SqlLocation`, with `as_str()` and `FromStr` matching the TOML
//! values). A mistyped path therefore fails to compile instead of reading `""`; a screen id or a
//! field path defined twice fails the build.
//!
//! ```text
//!   screens/*.toml --build.rs--> screen_fields.rs --include!--> crate::screens::fields
//! ```
use std::fmt;

/// A value that is not one of a choice field's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownOption {
    /// The field path.
    pub field: &'static str,
    /// The value read.
    pub value: String,
}

impl fmt::Display for UnknownOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an option of {}", self.value, self.field)
    }
}

impl std::error::Error for UnknownOption {}

include!(concat!(env!("OUT_DIR"), "/screen_fields.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::{FieldKind, Screens};
    use std::collections::BTreeSet;

    #[test]
    fn every_generated_path_is_a_field_of_the_registry() {
        let screens = Screens::embedded().expect("screens");
        for p in ALL {
            assert!(screens.field(p).is_some(), "{p} is not a field");
        }
        let registry: BTreeSet<String> = screens
            .all()
            .iter()
            .flat_map(|s| s.fields.iter().map(move |f| format!("{}.{}", s.id, f.id)))
            .collect();
        let generated: BTreeSet<String> = ALL.iter().map(|p| p.to_string()).collect();
        assert_eq!(generated, registry);
        assert_eq!(ALL.len(), registry.len(), "a path listed twice");
    }

    #[test]
    fn every_option_enum_matches_its_field() {
        let screens = Screens::embedded().expect("screens");
        let options = all_options();
        let choices = screens
            .all()
            .iter()
            .flat_map(|s| s.fields.iter())
            .filter(|f| f.kind == FieldKind::Choice)
            .count();
        assert_eq!(options.len(), choices);
        for (path, values) in options {
            let (_, field) = screens.field(path).expect("field");
            assert_eq!(field.kind, FieldKind::Choice, "{path}");
            let want: Vec<&str> = field.options.iter().map(|o| o.value.as_str()).collect();
            assert_eq!(values, want, "{path}");
        }
    }

    #[test]
    fn option_values_parse_and_print() {
        assert_eq!(sql::LOCATION, "sql.location");
        assert_eq!(sql::SqlLocation::Remote.as_str(), "remote");
        assert_eq!("named".parse(), Ok(sql::SqlInstance::Named));
        assert_eq!(
            setup::SetupComponent::ServicePortal.to_string(),
            "service-portal"
        );
        let err = "remot"
            .parse::<sql::SqlLocation>()
            .expect_err("not an option");
        assert_eq!(err.to_string(), "`remot` is not an option of sql.location");
    }
}
