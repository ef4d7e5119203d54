//! The Service and Portal walkthroughs typed by keystrokes from a fresh start: the Volume
//! License Contoso flow (seed 003) and option H of the Azure AD Premium edition (seed 002),
//! every answer typed from its shipped profile, the saved profile and the plan compared with
//! the shipped ones, canary secrets that must reach no file and never the terminal in clear;
//! and the names of the written files when no profile names them.
use super::harness::{assert_restored, contains, files, spawn, Run};
use super::walk::{Walk, CTRL_N, DOWN, ENTER, SHIFT_TAB, UP};
use super::{bin, load, screens};
use mim_setup::answers::Value;
use mim_setup::profile::{draft, Profile};
use mim_setup::screens::{ScreenDef, ScreenKind};
use mim_setup::secret::SecretRef;
use std::path::{Path, PathBuf};

const PASSWORD_CANARY: &str = "Svc-Canary-41k";
const SECRET_CANARY: &str = "App-Canary-93q";
const MAIL: &str = "Configure common services";

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("profiles/{name}.toml"))
}

/// The plan as TOML, without its `[profile]` table (the path and hash of the profile it was
/// made from, which differ between the wizard's file and the shipped one) nor its `[integrity]`.
fn plan_without_profile(text: &str) -> toml::Table {
    let mut plan: toml::Table = toml::from_str(text).expect("plan is TOML");
    assert!(plan.remove("profile").is_some(), "{text}");
    // The integrity hash covers the profile's path too.
    assert!(plan.remove("integrity").is_some(), "{text}");
    plan
}

/// The msiexec step of a plan.
fn install_step(plan: &toml::Table) -> &toml::Value {
    let steps = plan["steps"].as_array().expect("steps");
    let mut msiexec = steps
        .iter()
        .filter(|s| s["kind"].as_str() == Some("msiexec"));
    let step = msiexec.next().expect("an msiexec step");
    assert!(msiexec.next().is_none(), "one msiexec step");
    step
}

/// The written plan equals the one `mim-setup plan` makes from the shipped profile: first
/// the install step (the msiexec line), then everything but the profile's path and hash.
fn same_plan_as_headless(plan: &Path, profile: &Path) {
    let written = plan_without_profile(&std::fs::read_to_string(plan).expect("plan"));
    let o = bin().arg("plan").arg(profile).output().expect("plan");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let headless = plan_without_profile(&String::from_utf8_lossy(&o.stdout));
    let (step, want) = (install_step(&written), install_step(&headless));
    assert_eq!(step["command"], want["command"]);
    assert_eq!(step["argv"], want["argv"]);
    assert_eq!(step, want);
    assert_eq!(written, headless);
}

/// No file under the run's folder or in profiles/ holds the canary, and the terminal never
/// got it, nor half of it: only the mask.
fn nowhere(r: &Run, canary: &str) {
    let mut all = files(r.dir.path());
    assert!(all.contains(&r.log()), "{all:?}");
    all.extend(files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles"),
    ));
    for f in all {
        let bytes = std::fs::read(&f).expect("read");
        assert!(
            !contains(&bytes, canary.as_bytes()),
            "canary in {}",
            f.display()
        );
    }
    let raw = r.raw();
    assert!(!contains(&raw, canary.as_bytes()), "canary on the terminal");
    for half in [&canary[..canary.len() / 2], &canary[canary.len() / 2..]] {
        assert!(!contains(&raw, half.as_bytes()), "{half} on the terminal");
    }
    // The walk saw the whole mask on the screen; the terminal got it cell by cell.
    assert!(contains(&raw, "\u{2022}".as_bytes()), "the mask was drawn");
}

/// Right after leaving the screen that took a typed secret, the draft names the screen after
/// it and keeps the reference, never the secret.
fn draft_keeps_the_reference(r: &Run, next: &ScreenDef, field: &str, env: &str, canary: &str) {
    let text = r.wait_file_text(&r.draft(), &format!("draft_screen = \"{}\"", next.id));
    assert!(!text.contains(canary), "{text}");
    let d = draft::load(&r.state(), screens())
        .expect("draft loads")
        .expect("draft");
    assert_eq!(
        d.answers.get(field),
        Some(&Value::Secret(SecretRef::Env(env.into()))),
        "{text}"
    );
}

/// The finish screen names the files; Enter closes it with exit 0 and a restored terminal.
fn finish(r: &mut Run, name: &str) {
    r.wait_for("Install plan:");
    r.wait_for(&format!("{name}.plan.toml"));
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 0, "closing the finish screen");
    assert_restored(&r.raw(), 0);
}

/// The profile and plan the run wrote to --out, and nothing else.
fn written(r: &Run, name: &str) -> (PathBuf, PathBuf) {
    let profile = r.out().join(format!("{name}.toml"));
    let plan = r.out().join(format!("{name}.plan.toml"));
    let mut out = files(&r.out());
    out.sort();
    assert_eq!(out, vec![plan.clone(), profile.clone()]);
    (profile, plan)
}

#[test]
fn volume_license_walkthrough_by_keystrokes_writes_the_contoso_profile_and_plan() {
    let shipped = shipped("contoso-service-portal");
    let mut walk =
        Walk::new(screens(), load(&shipped)).secret("mim_service.password", PASSWORD_CANARY);
    let flow = walk.flow();
    assert_eq!(flow.last().map(|s| s.kind), Some(ScreenKind::Finish));
    let mut r = spawn(&["--log-level", "trace"]).start();
    for (n, s) in flow.iter().enumerate() {
        if s.kind == ScreenKind::Finish {
            break;
        }
        walk.screen(&mut r, s);
        if s.id == "mim_service" {
            let env = "MIM_SERVICE_PASSWORD";
            draft_keeps_the_reference(
                &r,
                flow[n + 1],
                "mim_service.password",
                env,
                PASSWORD_CANARY,
            );
        }
    }
    finish(&mut r, "mim-service-portal");

    // Named after the component, as no profile was given.
    let (profile, plan) = written(&r, "mim-service-portal");
    assert_eq!(load(&profile), load(&shipped), "the seed 003 answers");
    same_plan_as_headless(&plan, &shipped);
    assert!(!r.draft().exists(), "draft kept after finishing");
    let log = std::fs::read_to_string(r.log()).expect("log");
    assert!(log.contains("draft saved") && log.contains("wizard finished"));
    nowhere(&r, PASSWORD_CANARY);
}

/// The mail screen of option H: SMTP with a gMSA first, which the rules refuse at once and
/// Next does not pass; then Office 365 with Application Context Authentication.
fn mail_smtp_refused_then_office_365(r: &mut Run, walk: &mut Walk) {
    r.wait_for(MAIL);
    r.keys(&[DOWN, DOWN]);
    r.wait_for("(\u{25cf}) SMTP");
    r.keys(&[ENTER, ENTER, " "]);
    r.wait_for("[x] Use a group-managed service account");
    // Shown while choosing, before any Next.
    r.wait_for("not a combination");
    r.wait_for("The SMTP server option only works");
    r.send(CTRL_N);
    // The combination, and the SMTP server's name, which a fresh run does not pre-fill.
    r.wait_for("2 error(s) on this screen: fix them before going on.");
    let screen = r.screen();
    assert!(screen.contains(MAIL), "{screen}");
    assert!(!screen.contains("Configure the certificate"), "{screen}");
    assert!(
        !screen.contains("Office 365 application context"),
        "{screen}"
    );
    // Next put the focus on the SMTP server, the field of the first finding: back to the type.
    r.keys(&[SHIFT_TAB, SHIFT_TAB, SHIFT_TAB, UP]);
    r.wait_for("(\u{25cf}) Office 365");
    r.keys(&[ENTER, DOWN, DOWN]);
    r.wait_for("(\u{25cf}) Application Context Authentication");
    r.wait_gone("not a combination");
    r.wait_for("Option H: Group-managed service account + Office 365 application context");
    for (p, v) in [
        ("mail.server_type", Value::Text("office365".into())),
        ("mail.auth", Value::Text("app-context".into())),
        ("mail.gmsa", Value::Bool(true)),
    ] {
        assert_eq!(walk.target.answers.get(p), Some(&v), "{p}");
        walk.now.set(p, v);
    }
    // The gMSA stays ticked: Enter to it, and Enter on it, the last field, goes on.
    r.keys(&[ENTER, ENTER]);
}

#[test]
fn option_h_gmsa_with_office_365_application_context_by_keystrokes() {
    let shipped = shipped("contoso-aadp-option-h");
    let mut walk =
        Walk::new(screens(), load(&shipped)).secret("mailbox_app.client_secret", SECRET_CANARY);
    let flow = walk.flow();
    for id in ["cloud", "tenant", "mailbox_app"] {
        assert!(flow.iter().any(|s| s.id == id), "{id} in the flow");
    }
    let mut r = spawn(&["--log-level", "trace"]).start();
    for (n, s) in flow.iter().enumerate() {
        match (s.kind, s.id.as_str()) {
            (ScreenKind::Finish, _) => break,
            (_, "mail") => mail_smtp_refused_then_office_365(&mut r, &mut walk),
            _ => walk.screen(&mut r, s),
        }
        if s.id == "mailbox_app" {
            let env = "MIM_APP_CLIENT_SECRET";
            draft_keeps_the_reference(
                &r,
                flow[n + 1],
                "mailbox_app.client_secret",
                env,
                SECRET_CANARY,
            );
        }
    }
    finish(&mut r, "mim-service-portal");

    let (profile, plan) = written(&r, "mim-service-portal");
    let got = load(&profile);
    assert_eq!(got, load(&shipped), "the option H answers");
    assert_eq!(
        got.answers.get("mailbox_app.client_secret"),
        Some(&Value::Secret(SecretRef::Env(
            "MIM_APP_CLIENT_SECRET".into()
        )))
    );
    assert_eq!(
        got.answers.get("mim_service.password"),
        None,
        "a gMSA has none"
    );
    same_plan_as_headless(&plan, &shipped);
    let plan_text = std::fs::read_to_string(&plan).expect("plan");
    assert!(plan_text.contains("{{secret:mailbox_app_client_secret}}"));
    assert!(!r.draft().exists(), "draft kept after finishing");
    nowhere(&r, SECRET_CANARY);
}

/// A draft at the summary, as a run of the shipped profile leaves it.
fn draft_at_summary(shipped: &Profile, summary: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    let mut at = shipped.clone();
    at.draft_screen = Some(summary.into());
    draft::save(&dir.path().join("state"), &at, screens()).expect("draft saved");
    dir
}

#[test]
fn a_resumed_draft_writes_files_named_after_its_component() {
    for (name, summary, want) in [
        ("contoso-sync", "summary", "mim-sync"),
        (
            "contoso-service-portal",
            "service_summary",
            "mim-service-portal",
        ),
    ] {
        let shipped = load(&shipped(name));
        let mut r = spawn(&["--resume"])
            .dir(draft_at_summary(&shipped, summary))
            .start();
        r.wait_for("Ready to install");
        r.wait_for("Install ]");
        r.send(ENTER);
        if name == "contoso-sync" {
            // Setup's encryption key message, then its sign-out message (seed 000).
            r.wait_for("back up the encryption key");
            r.send(ENTER);
            r.wait_for("sign out to apply the group membership");
            r.send(ENTER);
            r.wait_gone("sign out to apply the group membership");
        }
        finish(&mut r, want);
        let (profile, _) = written(&r, want);
        assert_eq!(load(&profile), shipped, "{name}");
        assert!(!r.draft().exists(), "{name}: draft kept");
    }
}
