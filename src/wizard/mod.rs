//! The wizard as a pure state machine, the Elm way:
//!
//! ```text
//!   key/mouse -> Action -> update(&mut Model) -> Vec<Effect> -> runtime runs effects
//!                               |                          (save draft, write profile + plan,
//!                               |                           start/cancel a check run)
//!                               +-> view(&Model) draws      results come back as Actions
//! ```
//!
//! Live checks take the same road: `live` holds one single-flight slot per probe key (the
//! only record of what is pending), `Effect::StartCheck` carries a key and generation out,
//! `Action::Checked` brings the outcomes back, and a stale generation is dropped. The time
//! reaches `update` as `Action::Tick`, so it keeps no clock.
//!
//! `update` does no I/O and needs no terminal, so every key path is unit-tested. The wizard
//! only ever produces a profile: the plan is made from the saved profile text by the same
//! code as `mim-setup plan`.
mod ack_popup;
mod action;
pub mod apply;
pub mod autoplay;
pub mod demo;
mod editing;
pub mod live;
mod live_keys;
mod messages;
mod model;
mod review_keys;
mod update;

pub use action::{Action, Effect, Erase, Exit, Outputs};
pub use messages::setup_messages;
pub use model::{Focus, Model, Popup, SetupPopup, Status};
pub use update::update;
