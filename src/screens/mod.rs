//! Screens as data: every wizard screen is a TOML file in `screens/`, embedded at build time.
//!
//! A screen lists its fields (kind, label, help, default, options), when it or a field shows
//! (`when`), when a field is greyed out (`disabled_when`) and which rules apply. The registry
//! checks on load that every reference resolves: conditions name real choice or checkbox
//! fields and real option values, rules exist, licence texts exist.
//!
//! ```text
//!   screens/*.toml --build.rs--> SCREEN_FILES --Screens::embedded()--> Screens (ordered flow)
//! ```
mod def;
pub mod fields;
mod registry;

pub use def::{
    ChoiceOption, Component, CondValue, Condition, DefaultValue, FieldDef, FieldKind, MessageAt,
    ScreenDef, ScreenKind, SetupMessage,
};
pub use registry::{ScreenError, Screens};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/screen_files.rs"));
}
pub use embedded::SCREEN_FILES;
