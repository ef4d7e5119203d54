//! Benchmarks for the wizard's budgets: start-up to first frame (≤ 20 ms), one frame at
//! 120x40 (≤ 1 ms), and `validate` of a profile (≤ 10 ms). Run with `cargo bench`.
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use mim_setup::profile::load_str;
use mim_setup::screens::{Screens, SCREEN_FILES};
use mim_setup::tui::theme::Theme;
use mim_setup::tui::view;
use mim_setup::validate::check_profile;
use mim_setup::wizard::{update, Action, Model};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const PROFILE: &str = include_str!("../profiles/contoso-sync.toml");
const SERVICE_PROFILE: &str = include_str!("../profiles/contoso-aadp-option-h.toml");

fn screens() -> &'static Screens {
    match Screens::embedded() {
        Ok(s) => s,
        Err(e) => panic!("embedded screens: {e}"),
    }
}

/// Everything the binary does before the first frame is on screen, minus the terminal
/// set-up: parse the screen files, load and check the profile, build the model, draw.
fn startup_to_first_frame(c: &mut Criterion) {
    let theme = Theme {
        ascii: false,
        color: true,
    };
    c.bench_function("startup_to_first_frame_120x40", |b| {
        b.iter(|| {
            let parsed = Screens::from_files(SCREEN_FILES).map(|s| s.all().len());
            black_box(parsed.ok());
            let loaded = load_str("contoso-sync.toml", PROFILE, screens(), false).ok();
            let model = Model::new(
                screens(),
                loaded.as_ref().map(|l| &l.profile),
                "contoso-sync",
            );
            let mut term = Terminal::new(TestBackend::new(120, 40)).ok();
            if let Some(t) = term.as_mut() {
                let _ = t.draw(|f| view(&model, &theme, f));
            }
            black_box(term);
        })
    });
}

fn frame_120x40(c: &mut Criterion) {
    let theme = Theme {
        ascii: false,
        color: true,
    };
    let loaded = load_str("contoso-sync.toml", PROFILE, screens(), false).ok();
    let mut model = Model::new(
        screens(),
        loaded.as_ref().map(|l| &l.profile),
        "contoso-sync",
    );
    for _ in 0..4 {
        update(&mut model, Action::Next);
    }
    let Ok(mut term) = Terminal::new(TestBackend::new(120, 40)) else {
        return;
    };
    c.bench_function("frame_120x40_sql_screen", |b| {
        b.iter(|| {
            let _ = term.draw(|f| view(&model, &theme, f));
        })
    });
}

fn validate(c: &mut Criterion) {
    c.bench_function("validate_contoso_sync", |b| {
        b.iter(|| {
            let loaded = load_str("contoso-sync.toml", black_box(PROFILE), screens(), false);
            black_box(
                loaded
                    .map(|l| check_profile(screens(), &l.profile).ok())
                    .ok(),
            )
        })
    });
    // The largest flow: Service and Portal, Azure AD Premium, option H; then its plan.
    c.bench_function("validate_contoso_aadp_option_h", |b| {
        b.iter(|| {
            let loaded = load_str("h.toml", black_box(SERVICE_PROFILE), screens(), false);
            black_box(
                loaded
                    .map(|l| check_profile(screens(), &l.profile).ok())
                    .ok(),
            )
        })
    });
    c.bench_function("plan_contoso_aadp_option_h", |b| {
        b.iter(|| {
            black_box(
                mim_setup::plan::build_from_text(screens(), black_box(SERVICE_PROFILE), "h.toml")
                    .map(|p| p.steps.len())
                    .ok(),
            )
        })
    });
}

criterion_group!(benches, startup_to_first_frame, frame_120x40, validate);
criterion_main!(benches);
