//! `approve --agent`: the SSH agent (OpenSSH's ssh-agent) signs with ed25519 and RSA keys.
use super::{allowed, gated, key, ALICE, BOB};
use crate::apply::{text, Lab};
use std::process::{Command, Stdio};

#[test]
fn the_agent_signs_without_the_key_file() {
    let lab = Lab::new("contoso-sync");
    let alice = key(lab.outside.path(), "alice", "ed25519", ALICE);
    let bob = key(lab.outside.path(), "bob", "rsa", BOB);
    let sock = lab.outside.path().join("agent.sock");
    let mut agent = Command::new("ssh-agent")
        .args(["-D", "-a", &sock.display().to_string()])
        .stdout(Stdio::null())
        .spawn()
        .expect("ssh-agent runs (Debian's openssh-client)");
    for _ in 0..100 {
        if sock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let with_agent = |c: &mut Command| {
        c.env("SSH_AUTH_SOCK", &sock);
    };
    for k in [&alice, &bob] {
        let mut add = Command::new("ssh-add");
        add.arg(k).stdin(Stdio::null());
        with_agent(&mut add);
        let o = add.output().expect("ssh-add");
        assert!(o.status.success(), "ssh-add: {}", text(&o));
    }
    let signers = allowed(lab.outside.path(), &[(ALICE, &alice), (BOB, &bob)]);
    // Two keys in the agent: one must be chosen.
    let mut c = lab.command(&["approve", "p.plan.toml", "--agent"]);
    with_agent(&mut c);
    let two = c.output().expect("runs");
    for k in [&alice, &bob] {
        let pub_key = format!("{}.pub", k.display());
        let mut c = lab.command(&["approve", "p.plan.toml", "--agent", "--key", &pub_key]);
        with_agent(&mut c);
        let o = c.output().expect("runs");
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let _ = agent.kill();
    let _ = agent.wait();
    assert_eq!(two.status.code(), Some(2), "{}", text(&two));
    assert!(
        String::from_utf8_lossy(&two.stderr).contains("holds 2 keys"),
        "{}",
        text(&two)
    );
    let o = gated(&lab, &signers, &["--require-approvals", "2"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "ed25519 and RSA from the agent: {}",
        text(&o)
    );
}
