//! placeholder
pub fn run(_s: &crate::screens::Screens, _a: &crate::cli::WizardArgs) -> i32 {
    0
}
