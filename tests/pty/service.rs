//! The Service and Portal walkthroughs typed by keystrokes: the Volume License Contoso flow
//! (seed 003) and option H of the Azure AD Premium edition (seed 002), each compared with its
//! shipped profile and plan, with canary secrets that must reach no file and no terminal.
use super::harness::{assert_restored, contains, files, spawn, Run};
use super::{bin, load, masked, END, ENTER, SETUP, TAB};
use std::path::Path;

const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";
const SHIFT_TAB: &str = "\x1b[Z";
const CTRL_N: &str = "\x0e";
const BACKSPACE: &str = "\x7f";
const PASSWORD_CANARY: &str = "Svc-Canary-41k";
const SECRET_CANARY: &str = "App-Canary-93q";

fn shipped(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("profiles/{name}.toml"))
}

/// Clears the focused text field and types `text`.
fn retype(r: &mut Run, text: &str) {
    r.send(END);
    // One write: a backspace byte cannot start an escape sequence.
    r.send(&BACKSPACE.repeat(60));
    r.send(text);
    r.wait_for(text);
}

/// Presses Enter `n` times (the next field, or the next screen on the last field).
fn enters(r: &mut Run, n: usize) {
    for _ in 0..n {
        r.send(ENTER);
    }
}

/// Next with a warning: the popup comes, and Enter acknowledges it as setup's OK does.
fn acknowledge(r: &mut Run) {
    r.wait_for("OK, acknowledge");
    r.send(ENTER);
    r.wait_gone("OK, acknowledge");
}

/// The first screens: component Service and Portal, the edition (`down` presses from Volume
/// License), the welcome and the licence.
fn start(r: &mut Run, down: usize) {
    r.wait_for(SETUP);
    r.send(DOWN);
    r.wait_for("(\u{25cf}) Service and Portal");
    r.send(ENTER);
    for _ in 0..down {
        r.send(DOWN);
    }
    r.send(ENTER);
    r.wait_for("Welcome to the MIM Service and Portal setup");
    r.send(ENTER);
    r.wait_for("I accept the terms");
    r.keys(&[TAB, " "]);
    r.wait_for("[x] I accept the terms");
    r.send(ENTER);
    r.wait_for("Customer Experience Improvement Program");
    r.send(ENTER);
}

/// The msiexec step of a written plan and of the plan `mim-setup plan` gives for a profile.
fn install_steps(plan: &Path, profile: &Path) -> (toml::Value, toml::Value) {
    let text = std::fs::read_to_string(plan).expect("plan");
    let written: toml::Value = toml::from_str(&text).expect("plan is TOML");
    let o = bin().arg("plan").arg(profile).output().expect("plan");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let headless: toml::Value =
        toml::from_str(&String::from_utf8_lossy(&o.stdout)).expect("headless plan");
    (written["steps"][0].clone(), headless["steps"][0].clone())
}

/// No file under the run's folder and not the terminal holds the canary, nor a part of it.
fn nowhere(r: &Run, canary: &str) {
    let all = files(r.dir.path());
    assert!(all.contains(&r.log()), "{all:?}");
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
    let half = &canary[..canary.len() / 2];
    assert!(!contains(&raw, half.as_bytes()), "{half} on the terminal");
}

#[test]
fn volume_license_walkthrough_by_keystrokes_writes_the_contoso_profile_and_plan() {
    let mut r = spawn(&["--log-level", "trace"]).start();
    start(&mut r, 0);
    r.wait_for("MIM Service and Portal components");
    enters(&mut r, 8);
    r.wait_for("Configure the MIM database connection");
    enters(&mut r, 3);
    r.wait_for("Configure common services");
    enters(&mut r, 6);
    r.wait_for("Configure the certificate");
    enters(&mut r, 1);
    r.wait_for("Configure the MIM Service account");
    enters(&mut r, 1);
    r.send(PASSWORD_CANARY);
    r.wait_for(&masked(PASSWORD_CANARY));
    enters(&mut r, 3);
    acknowledge(&mut r);
    r.wait_for("Configure the Synchronization Server connection");
    enters(&mut r, 3);
    r.wait_for("Configure the MIM Portal");
    enters(&mut r, 2);
    r.send("http://CorpIDM.contoso.local:8080");
    r.send(ENTER);
    r.send("http://CorpIDM.contoso.local:8088");
    r.wait_for("contoso.local:8088");
    r.send(ENTER);
    r.wait_for("Firewall and portal access");
    enters(&mut r, 2);
    r.wait_for("Configure the MIM Password Registration Portal");
    enters(&mut r, 5);
    acknowledge(&mut r);
    r.wait_for("Password Registration Portal: MIM Service address");
    enters(&mut r, 2);
    r.wait_for("Configure the MIM Password Reset Portal");
    enters(&mut r, 5);
    r.wait_for("Password Reset Portal: MIM Service address");
    enters(&mut r, 2);
    r.wait_for("Ready to install");
    r.wait_for("Install ]");
    r.send(ENTER);
    r.wait_for("Install plan:");
    r.wait_for("mim-service-portal.plan.toml");
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 0, "closing the finish screen");
    assert_restored(&r.raw(), 0);

    // Named after the component, as no profile was given.
    let written = r.out().join("mim-service-portal.toml");
    let plan = r.out().join("mim-service-portal.plan.toml");
    let mut out = files(&r.out());
    out.sort();
    assert_eq!(out, vec![plan.clone(), written.clone()]);
    let shipped = shipped("contoso-service-portal");
    assert_eq!(load(&written), load(&shipped), "the seed 003 answers");
    let (step, headless) = install_steps(&plan, &shipped);
    assert_eq!(step["argv"], headless["argv"]);
    assert_eq!(step["command"], headless["command"]);
    let command = step["command"].as_str().expect("command");
    assert!(command.starts_with("msiexec.exe /i \"Service and Portal.msi\" /qn /L*v "));
    assert!(!r.draft().exists(), "draft kept after finishing");
    nowhere(&r, PASSWORD_CANARY);
}

#[test]
fn option_h_gmsa_with_office_365_application_context_by_keystrokes() {
    let mut r = spawn(&["--log-level", "trace"]).start();
    start(&mut r, 1);
    r.wait_for("Azure cloud instance");
    r.send(ENTER);
    r.wait_for("Azure AD Premium subscription check");
    enters(&mut r, 2);
    r.wait_for("MIM Service and Portal components");
    enters(&mut r, 8);
    r.wait_for("Configure the MIM database connection");
    enters(&mut r, 3);
    r.wait_for("Configure common services");
    // SMTP with a gMSA first: the finding shows at once and Next stays closed.
    r.keys(&[DOWN, DOWN]);
    r.wait_for("(\u{25cf}) SMTP");
    r.keys(&[ENTER, ENTER, " "]);
    r.wait_for("not a combination");
    r.send(CTRL_N);
    r.wait_for("Configure common services");
    assert!(r.screen().contains("not a combination"), "{}", r.screen());
    // Then Office 365 with Application Context Authentication, keeping the gMSA.
    r.keys(&[SHIFT_TAB, SHIFT_TAB, UP]);
    r.wait_for("(\u{25cf}) Office 365");
    r.send(ENTER);
    r.keys(&[DOWN, DOWN]);
    r.wait_for("(\u{25cf}) Application Context Authentication");
    r.wait_gone("not a combination");
    enters(&mut r, 2);
    r.wait_for("Office 365 application context");
    r.send("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    r.send(ENTER);
    r.send("9188040d-6c67-4c5b-b112-36a304b66dad");
    r.send(ENTER);
    r.send(SECRET_CANARY);
    r.wait_for(&masked(SECRET_CANARY));
    r.send(ENTER);
    r.wait_for("Configure the certificate");
    enters(&mut r, 1);
    r.wait_for("Configure the MIM Service account");
    retype(&mut r, "svcMIMService$");
    enters(&mut r, 2);
    retype(&mut r, "MIMService@contoso.onmicrosoft.com");
    r.send(ENTER);
    acknowledge(&mut r);
    r.wait_for("Configure the Synchronization Server connection");
    retype(&mut r, "mim.contoso.com");
    r.send(ENTER);
    retype(&mut r, "contoso\\MIMSyncGMSAsvc$");
    r.send(ENTER);
    retype(&mut r, "contoso\\MIMSyncGMSAsvc$");
    r.send(ENTER);
    r.wait_for("Configure the MIM Portal");
    retype(&mut r, "mim.contoso.com");
    r.send(ENTER);
    retype(&mut r, "http://mim.contoso.com");
    r.send(ENTER);
    r.send("http://mim.contoso.com:8080");
    r.wait_for("mim.contoso.com:8080");
    enters(&mut r, 2);
    r.wait_for("Firewall and portal access");
    enters(&mut r, 2);
    r.wait_for("Configure the MIM Password Registration Portal");
    retype(&mut r, "contoso\\svcMIMSSPR");
    enters(&mut r, 2);
    retype(&mut r, "mim.contoso.com");
    enters(&mut r, 3);
    acknowledge(&mut r);
    r.wait_for("Password Registration Portal: MIM Service address");
    retype(&mut r, "mim.contoso.com");
    enters(&mut r, 2);
    r.wait_for("Configure the MIM Password Reset Portal");
    retype(&mut r, "contoso\\svcMIMSSPRReset");
    enters(&mut r, 2);
    retype(&mut r, "mim.contoso.com");
    enters(&mut r, 3);
    r.wait_for("Password Reset Portal: MIM Service address");
    retype(&mut r, "mim.contoso.com");
    r.send(ENTER);
    r.send(DOWN);
    r.wait_for("(\u{25cf}) Intranet and extranet users");
    r.send(ENTER);
    r.wait_for("Ready to install");
    r.wait_for("Install ]");
    r.send(ENTER);
    r.wait_for("Install plan:");
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 0, "{}", r.screen());

    let written = r.out().join("mim-service-portal.toml");
    let plan = r.out().join("mim-service-portal.plan.toml");
    let shipped = shipped("contoso-aadp-option-h");
    let got = load(&written);
    assert_eq!(got, load(&shipped), "the option H answers");
    assert!(matches!(
        got.answers.get("mailbox_app.client_secret"),
        Some(mim_setup::answers::Value::Secret(_))
    ));
    assert_eq!(
        got.answers.get("mim_service.password"),
        None,
        "a gMSA has none"
    );
    let (step, headless) = install_steps(&plan, &shipped);
    assert_eq!(step["command"], headless["command"]);
    let command = step["command"].as_str().expect("command");
    assert!(
        !command.contains("/qn"),
        "setup asks the app values: {command}"
    );
    let plan_text = std::fs::read_to_string(&plan).expect("plan");
    assert!(plan_text.contains("{{secret:mailbox_app_client_secret}}"));
    nowhere(&r, SECRET_CANARY);
}
