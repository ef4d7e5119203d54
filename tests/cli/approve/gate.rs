//! The gate of `apply --allowed-signers`: every kind of bad approval refused with its
//! reason, `--require-approvals N` distinct signers, the journal, and the options.
use super::{allowed, approval, approve, gated, key, signed_by_ssh_keygen, stdout, ALICE, BOB};
use crate::apply::{text, Lab};
use std::path::Path;

type Scenario = fn(&Lab, &Path, &Path);

#[test]
fn every_kind_of_bad_approval_is_refused_with_its_reason() {
    let cases: Vec<(&str, Scenario, &str)> = vec![
        ("none at all", |_, _, _| {}, "0 valid approval(s)"),
        ("edited after signing", |lab, alice, _| {
            assert!(approve(lab, alice, &[]).status.success());
            let f = lab.dir.path().join("p.plan.toml.approval.alice@contoso.com.toml");
            let t = std::fs::read_to_string(&f).expect("approval");
            let year = t.find("expires_at = \"").expect("expires_at") + 14;
            std::fs::write(&f, format!("{}2099{}", &t[..year], &t[year + 4..])).expect("edit");
        }, "bad signature: the signature does not match"),
        ("the signature removed", |lab, alice, _| {
            assert!(approve(lab, alice, &[]).status.success());
            std::fs::remove_file(lab.dir.path().join("p.plan.toml.approval.alice@contoso.com.toml.sig")).expect("rm");
        }, "bad signature: no signature"),
        ("another namespace", |lab, alice, _| signed_by_ssh_keygen(lab, alice, &approval(lab, ALICE, 60, 3600), "file"),
            "bad signature: it was signed for the namespace \"file\""),
        ("a key not in allowed_signers", |lab, _, bob| {
            assert!(approve(lab, bob, &[]).status.success());
        }, "unknown signer: the key SHA256:"),
        ("a reviewer the key is not allowed for", |lab, alice, _| {
            assert!(approve(lab, alice, &["--reviewer", BOB]).status.success());
        }, "is allowed for alice@contoso.com (line 1), but the approval names the reviewer \"bob@contoso.com\""),
        ("expired", |lab, alice, _| signed_by_ssh_keygen(lab, alice, &approval(lab, ALICE, 10 * 86_400, 7 * 86_400), "mim-setup-plan"),
            "expired: the approval was valid until"),
        ("of another version of the plan", |lab, alice, _| {
            assert!(approve(lab, alice, &[]).status.success());
            let p = lab.dir.path().join("p.toml");
            let t = std::fs::read_to_string(&p).expect("profile");
            std::fs::write(&p, t.replace("corpsql.contoso.com", "corpsql2.contoso.com")).expect("edit");
            let o = lab.run(&["plan", "p.toml", "-o", "p.plan.toml"]);
            assert!(o.status.success(), "{}", text(&o));
        }, "an approval of another version of the plan: the plan changed after it was approved"),
        ("a valid rejection", |lab, alice, _| {
            assert!(approve(lab, alice, &["--verdict", "rejected"]).status.success());
        }, "alice@contoso.com rejected this plan"),
    ];
    for (what, scenario, reason) in cases {
        let lab = Lab::new("contoso-sync");
        let alice = key(lab.outside.path(), "alice", "ed25519", ALICE);
        let bob = key(lab.outside.path(), "bob", "ed25519", BOB);
        let signers = allowed(lab.outside.path(), &[(ALICE, &alice)]);
        scenario(&lab, &alice, &bob);
        let o = gated(&lab, &signers, &[]);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", text(&o));
        let all = format!("{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
        assert!(
            all.contains(reason),
            "{what}: want {reason:?}\n{}",
            text(&o)
        );
        assert!(!all.contains("would run"), "{what}: nothing runs\n{all}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("fix:"),
            "{what}"
        );
    }
}

#[test]
fn require_approvals_counts_distinct_signers() {
    let lab = Lab::new("contoso-sync");
    let alice = key(lab.outside.path(), "alice", "ed25519", ALICE);
    let bob = key(lab.outside.path(), "bob", "rsa", BOB);
    // One key listed under two names still counts once.
    let signers = allowed(
        lab.outside.path(),
        &[("alice@contoso.com,al@contoso.com", &alice), (BOB, &bob)],
    );
    assert!(approve(&lab, &alice, &[]).status.success());
    assert!(approve(&lab, &alice, &["--reviewer", "al@contoso.com"])
        .status
        .success());
    let o = gated(&lab, &signers, &["--require-approvals", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("1 valid approval(s) from distinct allowed signers, 2 required"),
        "{}",
        text(&o)
    );
    assert!(approve(&lab, &bob, &[]).status.success());
    let o = gated(&lab, &signers, &["--require-approvals", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = gated(&lab, &signers, &["--require-approvals", "3"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}

#[test]
fn the_journal_records_the_approvals_of_the_run() {
    let lab = Lab::new("contoso-sync");
    let alice = key(lab.outside.path(), "alice", "ed25519", ALICE);
    let signers = allowed(lab.outside.path(), &[(ALICE, &alice)]);
    assert!(approve(&lab, &alice, &["--valid-for", "2h"])
        .status
        .success());
    let o = lab.apply(&["--allowed-signers", &signers.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let run: serde_json::Value = lab
        .journal_text()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|v| v["event"] == "run")
        .expect("a run line");
    let a = &run["approvals"][0];
    assert_eq!(a["reviewer"], ALICE, "{run}");
    assert_eq!(a["verdict"], "approved");
    assert!(
        a["key"].as_str().is_some_and(|k| k.starts_with("SHA256:")),
        "{run}"
    );
    assert!(
        a["expires_at"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{run}"
    );
}

#[test]
fn the_gate_options_and_the_environment() {
    let lab = Lab::new("contoso-sync");
    let o = lab.run(&["apply", "p.plan.toml", "--require-approvals", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--allowed-signers"),
        "{}",
        text(&o)
    );
    let alice = key(lab.outside.path(), "alice", "ed25519", ALICE);
    let signers = allowed(lab.outside.path(), &[(ALICE, &alice)]);
    let o = lab
        .command(&["apply", "p.plan.toml"])
        .env("MIM_SETUP_ALLOWED_SIGNERS", &signers)
        .output()
        .expect("runs");
    assert_eq!(
        o.status.code(),
        Some(1),
        "the environment's list applies: {}",
        text(&o)
    );
    // A broken list of signers is unusable input, named by line.
    std::fs::write(&signers, "alice@contoso.com ssh-ed25519\n").expect("write");
    let o = gated(&lab, &signers, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("allowed_signers:1"),
        "{}",
        text(&o)
    );
}
