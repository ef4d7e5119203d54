//! The doctor's checks, one per step of the seeds' checklist (001 and 004), each reading
//! the one model of inputs (`inputs::Collection`) and giving a `report::StepReport`:
//!
//! ```text
//!   installed.rs   the Parameters key and the three version readings (shared)
//!   build.rs       1 build currency
//!   connectors.rs  2 connector pack, its requirements, event 6947
//!   history/       3 run history, 4 extension-dll-exception, 7 failed-creation-via-web-services
//!                  (mod.rs reads and aggregates, steps.rs reports)
//!   stack.rs       compact .NET stack traces for 4
//!   pcns.rs        5 PCNS event 6025
//!   sql.rs         6 TempDB and the Sync database
//!   configs.rs     8 customised .config files after an upgrade
//! ```
pub mod build;
pub mod configs;
pub mod connectors;
pub mod history;
pub mod installed;
pub mod pcns;
pub mod sql;
mod stack;
