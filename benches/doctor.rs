//! `mim-setup doctor` on a large run history (budget: 10,000 runs, 1,000 of them with object
//! errors, analysed in at most 1 s, peak RSS at most 100 MB). The history is generated here
//! in the Sync Service's run-history format (RunHistory.xsd: `<run-history>` with
//! `<run-details>` per run, import errors with `extension-error-info` and a stack trace,
//! export errors with `cd-error`), written to a temporary file and streamed by the one
//! reader. After the measurement the bench prints two lines a script can read:
//!
//! ```text
//! doctor-bench-runs: 10000 (1000 with object errors), report steps: 8
//! doctor-bench-peak-rss-kb: <VmHWM of /proc/self/status, Linux only>
//! ```
//! Run with `cargo bench --bench doctor`.
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use mim_setup::doctor::inputs::Collection;
use mim_setup::doctor::{analyse, Options};
use std::io::Write;

const RUNS: u32 = 10_000;
const WITH_ERRORS: u32 = 1_000;
const ERRORS_PER_RUN: u32 = 3;

const STACK: &str = "System.NullReferenceException: Object reference not set to an instance of an object.\r\n   at Contoso.Mim.MVExtension.MVExtensionObject.ProvisionUser(MVEntry mventry) in C:\\build\\MVExtension.cs:line 118\r\n   at Microsoft.MetadirectoryServices.Impl.ScriptHost.InvokeProvisioning(MVEntry mventry)";

fn counters(out: &mut impl Write, names: &[&str]) -> std::io::Result<()> {
    for n in names {
        write!(out, "<{n} detail=\"true\">0</{n}>")?;
    }
    Ok(())
}

/// Writes the history to `path`, one run at a time (nothing is held in memory).
fn generate(path: &std::path::Path) -> std::io::Result<()> {
    let f = std::fs::File::create(path)?;
    let mut w = std::io::BufWriter::new(f);
    writeln!(
        w,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<run-history>"
    )?;
    let mas = [
        ("{4C2A0E1B-6B7D-4E2B-9A61-1F2E3D4C5B6A}", "Contoso AD"),
        ("{7D9E8F01-2A3B-4C5D-8E9F-0A1B2C3D4E5F}", "MIM Service"),
        ("{1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D}", "HR SQL"),
        ("{9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A}", "OpenLDAP"),
    ];
    let profiles = ["Delta Import", "Delta Sync", "Export", "Full Import"];
    for n in 0..RUNS {
        let (id, ma) = mas[(n % 4) as usize];
        let profile = profiles[((n / 4) % 4) as usize];
        let errors = n % (RUNS / WITH_ERRORS) == 0;
        let status = if errors {
            "completed-sync-errors"
        } else {
            "success"
        };
        let (day, min) = (1 + (n / 1440) % 28, n % 1440);
        let t = format!("2026-11-{day:02} {:02}:{:02}:00.000", min / 60, min % 60);
        write!(w, "<run-details><ma-id>{id}</ma-id><ma-name>{ma}</ma-name><run-number>{}</run-number><run-profile-name>{profile}</run-profile-name><security-id>CONTOSO\\svc-mimsync</security-id>", n / 4 + 1)?;
        write!(w, "<step-details step-number=\"1\" step-id=\"{{8E5B0001-1C2D-4E5F-8A9B-0C1D2E3F4A5B}}\"><start-date>{t}</start-date><end-date>{t}</end-date><step-result>{status}</step-result><step-description><step-type type=\"delta-sync\"/></step-description><current-export-step-counter>0</current-export-step-counter><last-successful-export-step-counter>0</last-successful-export-step-counter><ma-connection><connection-result>success</connection-result><server>dc01.contoso.com</server></ma-connection><ma-discovery-errors/><ma-discovery-counters/><synchronization-errors>")?;
        if errors {
            for e in 0..ERRORS_PER_RUN {
                write!(w, "<import-error dn=\"CN=User {},OU=Staff,DC=contoso,DC=com\" cs-guid=\"{{0B1C2D3E-4F50-4617-8293-{:012X}}}\"><first-occurred>{t}</first-occurred><retry-count>0</retry-count><date-occurred>{t}</date-occurred><error-type>extension-dll-exception</error-type><algorithm-step>provisioning</algorithm-step><extension-error-info><extension-name>Contoso.Mim.MVExtension.dll</extension-name><extension-callsite>provisioning</extension-callsite><extension-context>Provision</extension-context><call-stack>{STACK}</call-stack></extension-error-info></import-error>", (n * 7 + e) % 5000, n * 3 + e)?;
            }
            write!(w, "<export-error dn=\"CN=Group {n},OU=Groups,DC=contoso,DC=com\" cs-guid=\"{{2D3E4F50-6172-4839-A4B5-{n:012X}}}\"><date-occurred>{t}</date-occurred><first-occurred>{t}</first-occurred><retry-count>1</retry-count><error-type>permission-issue</error-type><cd-error><error-code>0x00002098</error-code><error-literal>Insufficient access rights to perform the operation.</error-literal></cd-error></export-error>")?;
        }
        write!(
            w,
            "</synchronization-errors><mv-retry-errors/><staging-counters>"
        )?;
        counters(
            &mut w,
            &[
                "stage-no-change",
                "stage-add",
                "stage-update",
                "stage-rename",
                "stage-delete",
                "stage-delete-add",
                "stage-failure",
            ],
        )?;
        write!(w, "</staging-counters><inbound-flow-counters>")?;
        counters(
            &mut w,
            &["disconnector-filtered", "connector-flow", "flow-failure"],
        )?;
        write!(w, "</inbound-flow-counters><export-counters>")?;
        counters(
            &mut w,
            &[
                "export-add",
                "export-update",
                "export-rename",
                "export-delete",
                "export-delete-add",
                "export-failure",
            ],
        )?;
        writeln!(w, "</export-counters></step-details></run-details>")?;
    }
    writeln!(w, "</run-history>")?;
    w.flush()
}

fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn doctor_history(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("run-history.xml");
    generate(&path).expect("generate the run history");
    let collection = Collection {
        dir: dir.path().to_path_buf(),
        run_history: vec![path],
        ..Collection::default()
    };
    let o = Options::default();
    let mut group = c.benchmark_group("doctor");
    group.sample_size(10);
    group.bench_function("analyse_10000_runs_1000_with_errors", |b| {
        b.iter(|| black_box(analyse(black_box(collection.clone()), &o, "bench").expect("analyse")))
    });
    group.finish();
    let r = analyse(collection.clone(), &o, "bench").expect("analyse");
    println!(
        "doctor-bench-runs: {RUNS} ({WITH_ERRORS} with object errors), report steps: {}",
        r.steps.len()
    );
    match peak_rss_kb() {
        Some(kb) => println!("doctor-bench-peak-rss-kb: {kb}"),
        None => println!("doctor-bench-peak-rss-kb: unknown (no /proc/self/status)"),
    }
}

criterion_group!(benches, doctor_history);
criterion_main!(benches);
