//! The interactive run: load the starting answers, take the terminal, loop over events until
//! the wizard exits, restore the terminal, and say where things were written.
use super::apply::Applier;
use super::check_worker::Checks;
use super::effects::{self, Context};
use super::input;
use super::layout;
use super::options::{Options, WizardError};
use super::pages;
use super::terminal::{Guard, Term};
use super::theme::Theme;
use super::view::view;
use crate::exit::ExitCode;
use crate::profile::{self, draft};
use crate::screens::Screens;
use crate::wizard::{update, Action, Effect, Exit, Model};
use crossterm::event;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs the wizard; what stops it before or outside the terminal is returned, printed by
/// the command line once the terminal is restored.
pub fn run(screens: &'static Screens, args: &Options) -> Result<ExitCode, WizardError> {
    // A review keeps no draft: it has no state folder; nor has the demo.
    let review = args.review.as_deref();
    let demo = args.demo.clone();
    let state = if review.is_some() || demo.is_some() {
        None
    } else {
        draft::state_dir()
    };
    let (start, name) = match (review, &demo) {
        (Some(r), _) => (Some(r.profile.clone()), None),
        (None, Some(d)) => (
            Some(d.env.profile().clone()),
            Some(format!("demo-{}", d.env.scenario.name())),
        ),
        (None, None) => {
            starting_profile(screens, args, state.as_deref()).map_err(WizardError::Start)?
        }
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(WizardError::NoTerminal);
    }
    let recorder = match demo.as_ref().and_then(|d| d.record.as_deref()) {
        Some(file) => {
            let (w, h) = crossterm::terminal::size().map_err(WizardError::Terminal)?;
            Some(super::record::Recorder::start(file, w, h).map_err(WizardError::Start)?)
        }
        None => None,
    };
    let theme = Theme::from_env(args.ascii);
    let mut model = Model::new(
        screens,
        start.as_ref(),
        name.as_deref().unwrap_or("mim-setup"),
    );
    model.quiet_acknowledged = args.quiet_acknowledged;
    model.review = review.map(|r| r.session.clone());
    if let Some(d) = &demo {
        super::demo::attach(&mut model, d);
    }
    // The one layering of check settings, as for `check`: the wizard's command line gives
    // no timeout, DNS server or CA file, so the environment and the defaults decide.
    // A review with `--check` brings the settings of its own command line, layered the same way.
    let settings = match (review.and_then(|r| r.settings.clone()), &demo) {
        (Some(s), _) => s,
        // The demo's own: its address book, DNS server and CA.
        (None, Some(d)) => d.env.settings(),
        (None, None) => crate::check::Settings {
            offline: args.offline,
            ..crate::check::Settings::layered(&crate::check::Given::default())
                .map_err(WizardError::Settings)?
        },
    };
    let mut checks = Workers {
        checks: Checks::new(&mut model, settings),
        apply: Applier::default(),
    };
    let ctx = Context {
        screens,
        out: args.out.clone(),
        state,
        name,
        demo: demo.clone(),
    };
    let stop = Arc::new(AtomicBool::new(false));
    register_signals(&stop);
    tracing::info!(resume = args.resume, profile = ?args.profile, review = review.is_some(), "wizard started");
    let result = match Guard::new(recorder.as_ref().map(|r| r.tap())) {
        Ok(mut guard) => {
            let result = event_loop(
                &mut guard.terminal,
                &mut model,
                &theme,
                &ctx,
                &stop,
                &mut checks,
            );
            // Restored here, every error ignored, and the guard forgotten: ratatui's own
            // drop shows the cursor and, when the terminal is gone (hung up, even after a
            // frame that still went out), prints its failure to a stderr that no longer
            // exists, which panics.
            std::mem::forget(guard);
            super::terminal::restore();
            result
        }
        Err(e) => Err(e),
    };
    // A terminal that was hung up (its window closed) is a stop like SIGHUP: the signal may
    // come after the failed write. The draft is saved and the exit is 143.
    let result = match result {
        Err(e) if hung_up(&e) || stop.load(Ordering::SeqCst) => {
            tracing::warn!("the terminal is gone: {e}");
            dispatch(&mut model, &ctx, &mut checks, Action::Terminate);
            Ok(model.exit.unwrap_or(Exit::Terminated))
        }
        other => other,
    };
    // The guard is dropped here: the terminal is back before anything is printed.
    if let Some(r) = recorder {
        // Failed writes are ignored: the terminal may be gone.
        let _ = match r.finish() {
            Ok(file) => writeln!(std::io::stdout(), "Recording written: {}", file.display()),
            Err(e) => writeln!(std::io::stderr(), "mim-setup demo: {e}"),
        };
    }
    match result {
        Ok(exit) => {
            report(&model, &ctx, exit);
            Ok(exit.into())
        }
        // The terminal may be gone (hung up): the command line writes without panicking.
        Err(e) => Err(WizardError::Terminal(e)),
    }
}

fn starting_profile(
    screens: &Screens,
    args: &Options,
    state: Option<&std::path::Path>,
) -> Result<(Option<profile::Profile>, Option<String>), String> {
    if args.resume {
        let state = state.ok_or_else(|| {
            format!(
                "mim-setup: no per-user state folder to resume from; set {}",
                draft::STATE_DIR_ENV
            )
        })?;
        return match draft::load(state, screens) {
            Ok(Some(p)) => Ok((Some(p), None)),
            Ok(None) => Err(format!(
                "mim-setup: there is no draft to resume in {}; start the wizard without --resume",
                state.display()
            )),
            Err(e) => Err(format!(
                "{e}\nmim-setup: the draft cannot be resumed; start again without --resume"
            )),
        };
    }
    match &args.profile {
        Some(file) => {
            let loaded = profile::load_file(file, screens, false).map_err(|e| e.to_string())?;
            let name = file
                .file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_string);
            Ok((Some(loaded.profile), name))
        }
        None => Ok((None, None)),
    }
}

/// EIO: what reads and writes on a terminal give once it is hung up.
fn hung_up(e: &std::io::Error) -> bool {
    const EIO: i32 = 5;
    cfg!(unix) && e.raw_os_error() == Some(EIO)
}

/// How long the event loop has to act on a signal before the process leaves without it.
/// When the terminal is hung up (its window closed), crossterm 0.28 spins for ever in its
/// tty read loop (a read of 0 bytes or EIO is neither data nor WouldBlock), so the loop
/// never sees the flag; the draft saved at the last screen change is then what is kept.
const SIGNAL_GRACE: Duration = Duration::from_secs(3);

/// SIGINT, SIGTERM and SIGHUP on Unix, console close and Ctrl-Break on Windows: the loop
/// sees the flag within one poll interval, saves the draft and restores the terminal. A
/// watchdog makes sure the process ends even if the loop is stuck in the terminal read.
fn register_signals(stop: &Arc<AtomicBool>) {
    let flag = Arc::clone(stop);
    let handler = move || {
        if !flag.swap(true, Ordering::SeqCst) {
            std::thread::spawn(|| {
                std::thread::sleep(SIGNAL_GRACE);
                tracing::warn!("the event loop did not stop after a signal; leaving without it");
                super::terminal::restore();
                std::process::exit(Exit::Terminated.code());
            });
        }
    };
    if let Err(e) = ctrlc::set_handler(handler) {
        tracing::warn!("cannot watch termination signals: {e}");
    }
}

fn event_loop(
    term: &mut Term,
    m: &mut Model,
    theme: &Theme,
    ctx: &Context,
    stop: &AtomicBool,
    checks: &mut Workers,
) -> std::io::Result<Exit> {
    let mut dirty = true;
    // The size of the last frame. crossterm only watches SIGWINCH from its first poll on,
    // so a resize just after the first frame sends no event: an idle loop compares sizes.
    let mut drawn = ratatui::layout::Size::default();
    loop {
        if let Some(exit) = m.exit {
            return Ok(exit);
        }
        if stop.load(Ordering::SeqCst) {
            dispatch(m, ctx, checks, Action::Terminate);
            continue;
        }
        for a in checks.checks.results(Duration::ZERO) {
            dispatch(m, ctx, checks, a);
            dirty = true;
        }
        let following = m.apply.as_ref().and_then(|a| a.following().cloned());
        for a in checks.apply.poll(following.as_ref()) {
            dispatch(m, ctx, checks, a);
            dirty = true;
        }
        // Only while checks settle or run, or a plan is applied, does time alone change the
        // model (and the elapsed time shown); an idle wizard does nothing between events.
        let applying = m
            .apply
            .as_ref()
            .is_some_and(|a| a.phase == crate::wizard::apply::Phase::Running);
        if m.live.busy() || applying {
            dispatch(m, ctx, checks, Action::Tick(Instant::now()));
            dirty = true;
        }
        // `demo --autoplay`: the walkthrough's next keystroke, when it is due.
        let playing = super::demo::playing(m);
        if let Some(a) = crate::wizard::autoplay::next(m, Instant::now()) {
            dispatch(m, ctx, checks, a);
        }
        dirty |= playing;
        if dirty {
            let area = term.draw(|f| view(m, theme, f))?.area;
            drawn = ratatui::layout::Size::new(area.width, area.height);
        }
        // Both ways on decide whether the next turn draws.
        if !event::poll(super::demo::turn(m, TURN))? {
            dirty = term.size().is_ok_and(|s| s != drawn);
            continue;
        }
        let ev = event::read()?;
        let size = term.size()?;
        let lay = layout::compute(ratatui::layout::Rect::new(0, 0, size.width, size.height), m);
        dirty = true;
        let limit = if layout::has_text_page(m.screen().kind) {
            pages::scroll_max(m, lay.text_area())
        } else {
            0
        };
        if limit != m.scroll_max {
            dispatch(m, ctx, checks, Action::ScrollLimit(limit));
        }
        let width = lay.findings.width.saturating_sub(2) as usize;
        let findings = super::view::findings_max(super::findings::lines(m, width).len(), &lay);
        if findings != m.findings_max {
            dispatch(m, ctx, checks, Action::FindingsLimit(findings));
        }
        if let Some(action) = input::to_action(&ev, m, &lay) {
            if let Some(action) = crate::wizard::autoplay::key(m, action) {
                dispatch(m, ctx, checks, action);
            }
        }
    }
}

/// How long one loop turn waits for an event: how soon a signal or a check result is seen.
const TURN: Duration = Duration::from_millis(100);

/// The loop's background work: the live checks' runner and the apply worker.
struct Workers {
    checks: Checks,
    apply: Applier,
}

/// Runs an action through `update`, then its effects, feeding their results back.
fn dispatch(m: &mut Model, ctx: &Context, workers: &mut Workers, action: Action) {
    let mut queue = vec![action];
    while let Some(a) = queue.pop() {
        for effect in update(m, a) {
            match effect {
                Effect::StartCheck(run) => queue.extend(workers.checks.start(*run)),
                Effect::CancelCheck(key) => workers.checks.cancel(&key),
                Effect::OpenApply(plan) => {
                    queue.push(Action::ApplyOpened(Box::new(super::apply::open(&plan))))
                }
                Effect::StartApply(plan) => workers.apply.start(plan, ctx.screens),
                Effect::SwitchFault(name, on) => queue.push(super::demo::switch(ctx, name, on)),
                other => queue.push(effects::run(ctx, other, &m.live.facts())),
            }
        }
    }
}

fn report(m: &Model, ctx: &Context, exit: Exit) {
    if ctx.demo.is_some() && !matches!(exit, Exit::Finished | Exit::Applied(_)) {
        let _ = writeln!(
            std::io::stderr(),
            "mim-setup demo: ended; nothing was installed, and the demo servers are stopped."
        );
        return;
    }
    if let Some(r) = &m.review {
        // Failed writes are ignored: the terminal may be gone.
        let _ = match &r.written {
            Some(file) => writeln!(std::io::stdout(), "Review written: {}", file.display()),
            None => writeln!(
                std::io::stderr(),
                "mim-setup review: no verdict given; nothing was written."
            ),
        };
        return;
    }
    match (exit, &m.outputs) {
        (Exit::Finished | Exit::Applied(_), Some(o)) => {
            // Failed writes are ignored: the terminal may be gone, the files are written.
            let mut out = std::io::stdout();
            let _ = writeln!(out, "Profile saved: {}", o.profile.display());
            let _ = writeln!(out, "Install plan:  {}", o.plan.display());
        }
        _ => {
            let where_ = ctx
                .state
                .as_ref()
                .map(|s| draft::draft_path(s).display().to_string())
                .unwrap_or_default();
            let why = match exit {
                Exit::Interrupted => "interrupted",
                Exit::Terminated => "stopped by a signal",
                _ => "cancelled",
            };
            let _ = writeln!(
                std::io::stderr(),
                "mim-setup: {why}; nothing was installed. Draft kept at {where_}; continue with `mim-setup --resume`."
            );
        }
    }
}
