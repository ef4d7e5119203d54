//! `mim-setup diff` of the two largest shipped plans (budget ≤ 10 ms): both files read
//! through the strict plan reader (integrity hashes included), compared, and written as text
//! and as JSON. And `mim-setup review --format json` of the option H plan (budget ≤ 10 ms):
//! the plan read strictly, its recorded profile found, hash-checked and loaded, the walk
//! made (rules, setup's messages, destinations) and written as JSON. Run with
//! `cargo bench --bench diff`.
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use mim_setup::diff::{diff_files, render_json, render_text};
use mim_setup::screens::Screens;
use std::path::{Path, PathBuf};

/// The two largest plans in tests/golden/, by size.
fn largest_two() -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut plans: Vec<(u64, PathBuf)> = std::fs::read_dir(&dir)
        .expect("tests/golden")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".plan.toml"))
        .map(|p| (std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0), p))
        .collect();
    plans.sort();
    let b = plans.pop().expect("a plan").1;
    let a = plans.pop().expect("two plans").1;
    (a, b)
}

fn diff_largest(c: &mut Criterion) {
    let screens = Screens::embedded().expect("screens");
    let (a, b) = largest_two();
    c.bench_function("diff_two_largest_plans", |bench| {
        bench.iter(|| {
            let d = diff_files(screens, black_box(&a), black_box(&b)).expect("diff");
            black_box((render_text(&d, screens, true), render_json(&d)))
        })
    });
}

fn review_option_h(c: &mut Criterion) {
    let screens = Screens::embedded().expect("screens");
    let plan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/contoso-aadp-option-h.plan.toml");
    // The plan records its profile relative to the crate root.
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("crate root");
    c.bench_function("review_json_option_h_plan", |bench| {
        bench.iter(|| {
            let r =
                mim_setup::review::build::read(screens, black_box(&plan), None).expect("review");
            black_box(mim_setup::review::render::json(&r.walk))
        })
    });
}

criterion_group!(benches, diff_largest, review_option_h);
criterion_main!(benches);
