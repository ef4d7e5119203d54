//! The terminal side of the wizard: drawing (`view`), input mapping, the terminal guard, and
//! the runtime loop that feeds actions to `wizard::update` and runs its effects.
mod apply;
mod apply_view;
mod checks;
mod effects;
mod findings;
pub mod input;
pub mod layout;
mod pages;
mod popup;
mod runtime;
mod terminal;
pub mod theme;
mod view;

pub use effects::Context;
pub use runtime::run;
pub use view::view;
