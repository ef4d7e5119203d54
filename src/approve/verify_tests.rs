//! Verification of one approval at a fixed time, over the rules the command-line tests do
//! not reach: clocks (signed in the future, expiring before signing, the exact expiry), the
//! allowed_signers options (namespaces, valid-after, valid-before, cert-authority), and
//! signed content that is no approval.
use super::allowed::parse;
use super::time;
use super::verify::{check_one, sig_path, Rejection};
use super::{Approval, Verdict, FORMAT, NAMESPACE};
use ssh_key::rand_core::OsRng;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, SshSig};
use std::path::{Path, PathBuf};

const PLAN: &str = "5f0c3d8e2b7a41c6a9e0d4f1b2c3a4e5f60718293a4b5c6d7e8f90a1b2c3d4e5";

fn now() -> time::Unix {
    time::parse("2026-06-01T12:00:00Z").expect("time")
}

fn approval(signed: time::Unix, expires: time::Unix) -> Approval {
    Approval {
        format: FORMAT.into(),
        plan_sha256: PLAN.into(),
        plan_file: "p.plan.toml".into(),
        verdict: Verdict::Approved,
        reviewer: "alice@contoso.com".into(),
        signed_at: time::format(signed),
        expires_at: time::format(expires),
    }
}

fn signed(dir: &Path, text: &str, key: &PrivateKey, namespace: &str) -> PathBuf {
    let file = dir.join("p.plan.toml.approval.alice.toml");
    std::fs::write(&file, text).expect("write");
    let sig = SshSig::sign(key, namespace, HashAlg::Sha512, text.as_bytes()).expect("sign");
    std::fs::write(sig_path(&file), sig.to_pem(LineEnding::LF).expect("pem")).expect("write");
    file
}

#[test]
fn each_rule_gives_its_reason() {
    let key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).expect("key");
    let public = key.public_key().to_openssh().expect("openssh");
    let line = |options: &str| format!("alice@contoso.com {options} {public}\n");
    let n = now();
    let hour = 3600;
    let good = approval(n - hour, n + hour).to_text();
    // (what, allowed_signers, message, namespace, Ok or the reason's beginning)
    type Case<'a> = (&'a str, String, String, &'a str, Result<(), &'a str>);
    let cases: Vec<Case> = vec![
        ("good", line(""), good.clone(), NAMESPACE, Ok(())),
        (
            "a clock 4 minutes ahead",
            line(""),
            approval(n + 240, n + hour).to_text(),
            NAMESPACE,
            Ok(()),
        ),
        (
            "signed an hour from now",
            line(""),
            approval(n + hour, n + 2 * hour).to_text(),
            NAMESPACE,
            Err("not an approval this version can read: it says it was signed at"),
        ),
        (
            "expires before it was signed",
            line(""),
            approval(n - hour, n - 2 * hour).to_text(),
            NAMESPACE,
            Err("not an approval this version can read: it expires"),
        ),
        (
            "expires this second",
            line(""),
            approval(n - hour, n).to_text(),
            NAMESPACE,
            Err("expired: "),
        ),
        (
            "times in another form",
            line(""),
            good.replace("2026-06-01T11:00:00Z", "2026-06-01 11:00"),
            NAMESPACE,
            Err("not an approval this version can read: signed_at"),
        ),
        (
            "another plan",
            line(""),
            good.replace(PLAN, &"0".repeat(64)),
            NAMESPACE,
            Err("an approval of another version of the plan"),
        ),
        (
            "signed text that is no approval",
            line(""),
            "hello\n".into(),
            NAMESPACE,
            Err("not an approval this version can read"),
        ),
        (
            "a key only for git",
            line("namespaces=\"git\""),
            good.clone(),
            NAMESPACE,
            Err("unknown signer: the key SHA256:"),
        ),
        (
            "a key allowed from next year",
            line("valid-after=\"20270101\""),
            good.clone(),
            NAMESPACE,
            Err("unknown signer: the key SHA256:"),
        ),
        (
            "a key allowed until last year",
            line("valid-before=\"20250101Z\""),
            good.clone(),
            NAMESPACE,
            Err("unknown signer: the key SHA256:"),
        ),
        (
            "a key inside its window",
            line("valid-after=\"20260101\",valid-before=\"20270101\""),
            good.clone(),
            NAMESPACE,
            Ok(()),
        ),
        (
            "a certificate authority line",
            line("cert-authority"),
            good.clone(),
            NAMESPACE,
            Err("unknown signer: the key SHA256:"),
        ),
        (
            "another namespace",
            line(""),
            good.clone(),
            "file",
            Err("bad signature: it was signed for the namespace \"file\""),
        ),
    ];
    for (what, allowed, message, namespace, want) in cases {
        let dir = tempfile::tempdir().expect("dir");
        let signers = parse("allowed_signers", &allowed).expect("allowed_signers");
        let file = signed(dir.path(), &message, &key, namespace);
        let got = check_one(&file, PLAN, &signers, n);
        match (want, got) {
            (Ok(()), Ok(a)) => assert_eq!(a.reviewer, "alice@contoso.com", "{what}"),
            (Err(reason), Err(r)) => assert!(r.to_string().starts_with(reason), "{what}: {r}"),
            (want, got) => panic!("{what}: want {want:?}, got {got:?}"),
        }
    }
}

#[test]
fn a_broken_signature_file_is_a_bad_signature() {
    let key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).expect("key");
    let signers = parse(
        "a",
        &format!(
            "alice@contoso.com {}\n",
            key.public_key().to_openssh().expect("k")
        ),
    )
    .expect("parse");
    let dir = tempfile::tempdir().expect("dir");
    let file = signed(
        dir.path(),
        &approval(now() - 60, now() + 60).to_text(),
        &key,
        NAMESPACE,
    );
    for garbage in [
        "",
        "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n",
        "not a signature",
    ] {
        std::fs::write(sig_path(&file), garbage).expect("write");
        let r = check_one(&file, PLAN, &signers, now()).expect_err(garbage);
        assert!(matches!(r, Rejection::BadSignature(_)), "{garbage:?}: {r}");
    }
}
