//! The offline tier: fast, no network and no processes. The rules, the screen files and the
//! wizard's state machine, what the wizard draws (insta snapshots), profile robustness
//! (proptest) and the live-check engine without servers.
mod bench_tools;
mod check_engine;
mod findings_scroll;
mod placeholders;
mod robustness;
mod rules;
mod screens;
mod snapshots;
mod update;
