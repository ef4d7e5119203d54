//! Carries out the wizard's effects: the only place the interactive run writes files.
use crate::check::Facts;
use crate::plan;
use crate::profile::{draft, to_toml, Profile};
use crate::screens::Screens;
use crate::wizard::{Action, Effect, Outputs};
use std::path::PathBuf;

pub struct Context {
    pub screens: &'static Screens,
    /// Folder for the finished profile and plan.
    pub out: PathBuf,
    /// Per-user state folder for drafts, if there is one.
    pub state: Option<PathBuf>,
    /// Base name of the written files: the starting profile's; without one, `mim-` and the
    /// component of the run (mim-sync, mim-service-portal).
    pub name: Option<String>,
    /// `mim-setup demo`: the environment whose faults F7 switches.
    pub demo: Option<std::rc::Rc<super::options::DemoStart>>,
}

/// Carries out a file effect; `facts` are what the live checks saw so far, recorded in the
/// plan at the finish as `plan --check` records them. Check effects are the executor's
/// (`checks`), never these.
pub fn run(ctx: &Context, effect: Effect, facts: &Facts) -> Action {
    match effect {
        Effect::SaveDraft(profile) => Action::DraftSaved(save_draft(ctx, &profile)),
        Effect::Finish(profile) => Action::Finished(finish(ctx, &profile, facts)),
        Effect::WriteReview(file, record) => {
            Action::ReviewWritten(crate::review::record::write(&file, *record))
        }
        Effect::StartCheck(_)
        | Effect::CancelCheck(_)
        | Effect::OpenApply(_)
        | Effect::StartApply(_)
        | Effect::SwitchFault(..) => {
            Action::DraftSaved(Err("a worker's effect reached the file effects".into()))
        }
    }
}

fn save_draft(ctx: &Context, profile: &Profile) -> Result<PathBuf, String> {
    let state = ctx
        .state
        .as_ref()
        .ok_or_else(|| format!("no per-user state folder; set {}", draft::STATE_DIR_ENV))?;
    let saved = draft::save(state, profile, ctx.screens)
        .map_err(|e| format!("{}: {e}", draft::draft_path(state).display()))?;
    tracing::info!(draft = %saved.display(), screen = ?profile.draft_screen, "draft saved");
    Ok(saved)
}

/// Saves the profile, then makes the plan from the saved text exactly as `mim-setup plan`
/// does. Both are prepared before either is written, so a failure writes nothing.
fn finish(ctx: &Context, profile: &Profile, facts: &Facts) -> Result<Outputs, String> {
    let name = ctx
        .name
        .clone()
        .unwrap_or_else(|| format!("mim-{}", profile.component().as_str()));
    let profile_file = ctx.out.join(format!("{name}.toml"));
    let plan_file = ctx.out.join(format!("{name}.plan.toml"));
    let text = to_toml(profile, ctx.screens);
    let shown = profile_file.display().to_string();
    let mut plan = plan::build_from_text(ctx.screens, &text, &shown)
        .map_err(|e| format!("No plan could be made, nothing was written: {e}"))?;
    plan.record_facts(facts.clone());
    crate::atomic_file::write(&profile_file, text.as_bytes())
        .map_err(|e| format!("Cannot save the profile to {shown}: {e}"))?;
    crate::atomic_file::write(&plan_file, plan.to_toml().as_bytes()).map_err(|e| {
        format!(
            "The profile was saved to {shown}, but the plan cannot be written to {}: {e}",
            plan_file.display()
        )
    })?;
    if let Some(state) = &ctx.state {
        draft::discard(state);
    }
    tracing::info!(profile = %shown, plan = %plan_file.display(), steps = plan.steps.len(), "wizard finished");
    Ok(Outputs {
        profile: profile_file,
        plan: plan_file,
        steps: plan
            .steps
            .iter()
            .map(|s| format!("{:<32} {:?}", s.id, s.kind).to_lowercase())
            .collect(),
    })
}
