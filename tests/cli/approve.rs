//! `mim-setup approve` and `apply --allowed-signers`: SSHSIG approvals, checked both ways
//! with OpenSSH's `ssh-keygen` (Debian `openssh-client`), for ed25519 and RSA keys; every
//! kind of bad approval refused with its reason; N distinct signers; the journal.
use super::apply::{text, Lab};
use mim_setup::approve::{Approval, Verdict, FORMAT};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod agent;
mod gate;

pub const ALICE: &str = "alice@contoso.com";
pub const BOB: &str = "bob@contoso.com";

pub fn ssh_keygen(args: &[&str], dir: &Path) -> Output {
    Command::new("ssh-keygen")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("ssh-keygen runs (install Debian's openssh-client: apt-get install openssh-client)")
}

/// A new key without a passphrase, its comment `comment`; returns the private key's path.
pub fn key(dir: &Path, name: &str, kind: &str, comment: &str) -> PathBuf {
    let path = dir.join(name);
    let mut args = vec!["-q", "-t", kind, "-N", "", "-C", comment, "-f", name];
    if kind == "rsa" {
        args.extend(["-b", "3072"]);
    }
    let o = ssh_keygen(&args, dir);
    assert!(o.status.success(), "ssh-keygen -t {kind}: {}", text(&o));
    path
}

pub fn public(key: &Path) -> String {
    let p = format!("{}.pub", key.display());
    let line = std::fs::read_to_string(p).expect("public key");
    line.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// An allowed_signers file of (principals, key) lines.
pub fn allowed(dir: &Path, lines: &[(&str, &Path)]) -> PathBuf {
    let path = dir.join("allowed_signers");
    let text: String = lines
        .iter()
        .map(|(who, key)| format!("{who} namespaces=\"mim-setup-plan\" {}\n", public(key)))
        .collect();
    std::fs::write(&path, text).expect("allowed_signers");
    path
}

pub fn approve(lab: &Lab, key: &Path, extra: &[&str]) -> Output {
    let key = key.display().to_string();
    let mut args = vec!["approve", "p.plan.toml", "--key", key.as_str()];
    args.extend_from_slice(extra);
    lab.run(&args)
}

/// A dry-run apply with the approval gate.
pub fn gated(lab: &Lab, allowed: &Path, extra: &[&str]) -> Output {
    let allowed = allowed.display().to_string();
    let mut args = vec![
        "apply",
        "p.plan.toml",
        "--allowed-signers",
        allowed.as_str(),
    ];
    args.extend_from_slice(extra);
    lab.run(&args)
}

pub fn plan_hash(lab: &Lab) -> String {
    mim_setup::plan::read::read(&lab.plan())
        .expect("plan")
        .plan
        .content_sha256()
}

/// An approval message written by hand (as a reviewer's own tooling would) and signed by
/// `ssh-keygen -Y sign`, beside the plan.
pub fn signed_by_ssh_keygen(lab: &Lab, key: &Path, a: &Approval, namespace: &str) {
    let file = lab
        .dir
        .path()
        .join(format!("p.plan.toml.approval.{}.toml", a.reviewer));
    std::fs::write(&file, a.to_text()).expect("approval");
    let (k, f) = (key.display().to_string(), file.display().to_string());
    let o = ssh_keygen(
        &["-Y", "sign", "-f", &k, "-n", namespace, &f],
        lab.dir.path(),
    );
    assert!(o.status.success(), "ssh-keygen -Y sign: {}", text(&o));
}

pub fn approval(lab: &Lab, reviewer: &str, signed_ago: i64, valid: i64) -> Approval {
    let now = mim_setup::approve::time::now();
    Approval {
        format: FORMAT.into(),
        plan_sha256: plan_hash(lab),
        plan_file: "p.plan.toml".into(),
        verdict: Verdict::Approved,
        reviewer: reviewer.into(),
        signed_at: mim_setup::approve::time::format(now - signed_ago),
        expires_at: mim_setup::approve::time::format(now - signed_ago + valid),
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn our_approvals_pass_ssh_keygen_verify_and_our_gate() {
    for kind in ["ed25519", "rsa"] {
        let lab = Lab::new("contoso-sync");
        let k = key(lab.outside.path(), "alice", kind, ALICE);
        let o = approve(&lab, &k, &[]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", text(&o));
        let signers = allowed(lab.outside.path(), &[(ALICE, &k)]);
        let msg = lab
            .dir
            .path()
            .join("p.plan.toml.approval.alice@contoso.com.toml");
        let sig = format!("{}.sig", msg.display());
        let v = Command::new("ssh-keygen")
            .args([
                "-Y",
                "verify",
                "-f",
                &signers.display().to_string(),
                "-I",
                ALICE,
                "-n",
                "mim-setup-plan",
                "-s",
                &sig,
            ])
            .stdin(std::fs::File::open(&msg).expect("message"))
            .output()
            .expect("ssh-keygen");
        assert!(
            v.status.success(),
            "{kind}: ssh-keygen -Y verify: {}",
            text(&v)
        );
        assert!(
            stdout(&v).contains("Good \"mim-setup-plan\" signature"),
            "{}",
            text(&v)
        );
        let o = gated(&lab, &signers, &[]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", text(&o));
        let out = stdout(&o);
        let shown = out
            .find("approved by alice@contoso.com")
            .expect("the approval is shown");
        assert!(
            shown < out.find("would run").expect("dry run"),
            "approvals come before the steps: {out}"
        );
    }
}

#[test]
fn ssh_keygen_signatures_pass_our_gate() {
    for kind in ["ed25519", "rsa"] {
        let lab = Lab::new("contoso-sync");
        let k = key(lab.outside.path(), "alice", kind, "laptop");
        signed_by_ssh_keygen(&lab, &k, &approval(&lab, ALICE, 60, 3600), "mim-setup-plan");
        let o = gated(&lab, &allowed(lab.outside.path(), &[(ALICE, &k)]), &[]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", text(&o));
        assert!(
            stdout(&o).contains("approved by alice@contoso.com"),
            "{}",
            text(&o)
        );
    }
}

#[test]
fn approve_refuses_what_it_cannot_sign() {
    let lab = Lab::new("contoso-sync");
    let alice = key(lab.outside.path(), "alice", "ed25519", ALICE);
    let pub_key = PathBuf::from(format!("{}.pub", alice.display()));
    let nameless = key(lab.outside.path(), "nameless", "ed25519", "");
    let cases: [(Vec<String>, &str); 4] = [
        (vec!["--valid-for".into(), "7y".into()], "--valid-for"),
        (
            vec!["--key".into(), pub_key.display().to_string()],
            "not an OpenSSH private key",
        ),
        (
            vec!["--key".into(), nameless.display().to_string()],
            "--reviewer",
        ),
        (
            vec![
                "--key".into(),
                alice.display().to_string(),
                "--valid-for".into(),
                "0m".into(),
            ],
            "--valid-for",
        ),
    ];
    for (args, says) in cases {
        let mut all = vec!["approve", "p.plan.toml"];
        if !args.iter().any(|a| a == "--key") {
            all.extend(["--key", alice.to_str().expect("path")]);
        }
        all.extend(args.iter().map(String::as_str));
        let o = lab.run(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(says),
            "{args:?}: {}",
            text(&o)
        );
    }
    assert!(
        !super::apply::files(lab.dir.path())
            .iter()
            .any(|p| p.to_string_lossy().contains(".approval.")),
        "nothing written"
    );
}
