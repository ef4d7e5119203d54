//! `mim-setup approve PLAN`: the approval message beside the plan and its SSHSIG, from a
//! private key file or the SSH agent.
use super::agent::Agent;
use super::verify::{fingerprint, sig_path};
use super::{approval_prefix, time, Approval, ApproveArgs, FORMAT, NAMESPACE};
use crate::exit::ExitCode;
use crate::secret::SecretRef;
use ssh_key::private::KeypairData;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, Signature, SshSig};
use std::path::{Path, PathBuf};

/// Why no approval was written: what, and how to fix it. Exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mim-setup approve: {what}\n  fix: {fix}")]
pub struct ApproveError {
    pub what: String,
    pub fix: String,
}

fn error(what: impl Into<String>, fix: &str) -> ApproveError {
    ApproveError {
        what: what.into(),
        fix: fix.into(),
    }
}

/// How the approval is signed.
enum Signing {
    Key(Box<PrivateKey>),
    Agent(Agent, PublicKey),
}

impl Signing {
    fn public(&self) -> PublicKey {
        match self {
            Signing::Key(k) => k.public_key().clone(),
            Signing::Agent(_, p) => p.clone(),
        }
    }

    fn sign(&mut self, message: &[u8]) -> Result<SshSig, String> {
        match self {
            Signing::Key(k) => match k.key_data() {
                KeypairData::Rsa(pair) => {
                    let data = SshSig::signed_data(NAMESPACE, HashAlg::Sha512, message)
                        .map_err(|e| e.to_string())?;
                    let signature = rsa_sign(pair, &data)?;
                    SshSig::new(
                        k.public_key().key_data().clone(),
                        NAMESPACE,
                        HashAlg::Sha512,
                        signature,
                    )
                    .map_err(|e| e.to_string())
                }
                _ => SshSig::sign(&**k, NAMESPACE, HashAlg::Sha512, message)
                    .map_err(|e| e.to_string()),
            },
            Signing::Agent(agent, key) => {
                let data = SshSig::signed_data(NAMESPACE, HashAlg::Sha512, message)
                    .map_err(|e| e.to_string())?;
                let signature = agent.sign(key, &data)?;
                SshSig::new(
                    key.key_data().clone(),
                    NAMESPACE,
                    HashAlg::Sha512,
                    signature,
                )
                .map_err(|e| e.to_string())
            }
        }
    }
}

/// rsa-sha2-512 (PKCS #1 v1.5 with SHA-512), as `ssh-keygen -Y sign` signs with RSA keys.
/// ssh-key 0.6.7's own RSA signing passes the primes as (p, p) and always fails, so the key is
/// built here from its components.
fn rsa_sign(pair: &ssh_key::private::RsaKeypair, data: &[u8]) -> Result<Signature, String> {
    use rsa::signature::{SignatureEncoding as _, Signer as _};
    let big = |m: &ssh_key::Mpint| {
        m.as_positive_bytes()
            .map(rsa::BigUint::from_bytes_be)
            .ok_or_else(|| "the RSA key has a negative component".to_string())
    };
    let key = rsa::RsaPrivateKey::from_components(
        big(&pair.public.n)?,
        big(&pair.public.e)?,
        big(&pair.private.d)?,
        vec![big(&pair.private.p)?, big(&pair.private.q)?],
    )
    .map_err(|e| format!("the RSA key is not valid: {e}"))?;
    let signer = rsa::pkcs1v15::SigningKey::<ssh_key::sha2::Sha512>::new(key);
    let sig = signer
        .try_sign(data)
        .map_err(|e| format!("RSA signing failed: {e}"))?;
    Signature::new(
        Algorithm::Rsa {
            hash: Some(HashAlg::Sha512),
        },
        sig.to_vec(),
    )
    .map_err(|e| e.to_string())
}

pub fn command(args: &ApproveArgs) -> Result<ExitCode, ApproveError> {
    let valid_for = time::parse_duration(&args.valid_for).map_err(|e| {
        let (what, fix) = e
            .split_once("\n  fix: ")
            .unwrap_or((e.as_str(), "write e.g. --valid-for 7d"));
        error(what, fix)
    })?;
    let plan = crate::plan::read::read(&args.plan).map_err(|e| error(e.what, &e.fix))?;
    let hash = plan.plan.content_sha256();
    let mut signing = signing(args)?;
    let public = signing.public();
    let reviewer = match &args.reviewer {
        Some(r) => r.trim().to_string(),
        None => public.comment().trim().to_string(),
    };
    if reviewer.is_empty() || reviewer.chars().any(char::is_control) {
        return Err(error(
            "no reviewer: the key has no comment to name you, and --reviewer was not given (or holds a control character)",
            "give --reviewer NAME, the principal of your key's line in the allowed_signers file",
        ));
    }
    let now = time::now();
    let approval = Approval {
        format: FORMAT.into(),
        plan_sha256: hash,
        plan_file: args
            .plan
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        verdict: args.verdict,
        reviewer: reviewer.clone(),
        signed_at: time::format(now),
        expires_at: time::format(now + valid_for),
    };
    let message = approval.to_text();
    let sig = signing.sign(message.as_bytes()).map_err(|e| {
        error(
            format!("cannot sign: {e}"),
            "check the key (ed25519 or RSA, OpenSSH format) or the agent",
        )
    })?;
    let armored = sig.to_pem(LineEnding::LF).map_err(|e| {
        error(
            format!("cannot encode the signature: {e}"),
            "report this as a bug",
        )
    })?;
    let file = approval_file(&args.plan, &reviewer);
    let sig_file = sig_path(&file);
    let write = |path: &Path, bytes: &[u8]| {
        crate::atomic_file::write(path, bytes).map_err(|e| {
            error(
                format!("cannot write {}: {e}", path.display()),
                "the plan's folder must be writable: approvals go beside the plan",
            )
        })
    };
    write(&file, message.as_bytes())?;
    write(&sig_file, armored.as_bytes())?;
    println!(
        "{} {} as {reviewer} with {} ({}), valid until {}",
        approval.verdict.as_str(),
        args.plan.display(),
        fingerprint(&public),
        public.algorithm(),
        approval.expires_at
    );
    println!("written {} and {}", file.display(), sig_file.display());
    println!(
        "check it with OpenSSH: ssh-keygen -Y verify -f ALLOWED_SIGNERS -I {reviewer:?} -n {NAMESPACE} -s {} < {}",
        sig_file.display(),
        file.display()
    );
    Ok(ExitCode::Ok)
}

/// `PLAN.approval.REVIEWER.toml`, the reviewer's name kept to letters, digits, `.`, `-`,
/// `_` and `@`: one file per reviewer, replaced when the reviewer signs again.
fn approval_file(plan: &Path, reviewer: &str) -> PathBuf {
    let name: String = reviewer
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    plan.with_file_name(format!("{}{name}.toml", approval_prefix(plan)))
}

fn signing(args: &ApproveArgs) -> Result<Signing, ApproveError> {
    if args.agent {
        let mut agent = Agent::connect().map_err(|e| {
            error(
                e,
                "start an agent and add your key (`ssh-add KEY`), or sign with --key FILE",
            )
        })?;
        let keys = agent
            .identities()
            .map_err(|e| error(e, "check the agent (`ssh-add -l`)"))?;
        let chosen = match &args.key {
            Some(path) => {
                let want = read_public(path)?;
                keys.into_iter()
                    .find(|k| k.key_data() == want.key_data())
                    .ok_or_else(|| {
                        error(
                            format!(
                                "the agent does not hold the key {} ({})",
                                path.display(),
                                fingerprint(&want)
                            ),
                            "add it with `ssh-add KEY`",
                        )
                    })?
            }
            None => match keys.len() {
                1 => keys
                    .into_iter()
                    .next()
                    .ok_or_else(|| error("the agent holds no key", "add one with `ssh-add KEY`"))?,
                0 => {
                    return Err(error(
                        "the agent holds no ed25519 or RSA key",
                        "add one with `ssh-add KEY`",
                    ))
                }
                n => {
                    return Err(error(
                        format!("the agent holds {n} keys"),
                        "choose one with --key FILE.pub (its public key)",
                    ))
                }
            },
        };
        if !matches!(
            chosen.key_data(),
            ssh_key::public::KeyData::Ed25519(_) | ssh_key::public::KeyData::Rsa(_)
        ) {
            return Err(error(
                format!(
                    "the agent's key {} is {}, not ed25519 or RSA",
                    fingerprint(&chosen),
                    chosen.algorithm()
                ),
                "use an ed25519 or RSA key",
            ));
        }
        return Ok(Signing::Agent(agent, chosen));
    }
    let Some(path) = &args.key else {
        return Err(error(
            "no key: give --key FILE or --agent",
            "sign with an OpenSSH private key (--key FILE) or the SSH agent (--agent)",
        ));
    };
    let key = PrivateKey::read_openssh_file(path).map_err(|e| {
        error(
            format!("{} is not an OpenSSH private key this version can read: {e}", path.display()),
            "give the private key (e.g. ~/.ssh/id_ed25519, not the .pub); a PEM or PuTTY key converts with `ssh-keygen -p -f KEY` or PuTTYgen's \"Export OpenSSH key\"",
        )
    })?;
    let key = if key.is_encrypted() {
        decrypt(key, args, path)?
    } else {
        key
    };
    if !matches!(
        key.key_data(),
        KeypairData::Ed25519(_) | KeypairData::Rsa(_)
    ) {
        return Err(error(
            format!(
                "{} is a {} key, not ed25519 or RSA",
                path.display(),
                key.algorithm()
            ),
            "make an ed25519 key: `ssh-keygen -t ed25519`",
        ));
    }
    Ok(Signing::Key(Box::new(key)))
}

fn decrypt(key: PrivateKey, args: &ApproveArgs, path: &Path) -> Result<PrivateKey, ApproveError> {
    let reference = match &args.passphrase_env {
        Some(name) => SecretRef::Env(name.clone()),
        None => SecretRef::Prompt,
    };
    let passphrase =
        crate::secret::resolve("key passphrase", &reference, crate::secret::Ask::Terminal)
            .map_err(|e| {
                error(
            format!("{} is protected by a passphrase: {e}", path.display()),
            "give it at the prompt, or name its environment variable with --passphrase-env NAME",
        )
            })?;
    key.decrypt(passphrase.expose().as_bytes()).map_err(|_| {
        error(
            format!("the passphrase does not open {}", path.display()),
            "check the passphrase",
        )
    })
}

fn read_public(path: &Path) -> Result<PublicKey, ApproveError> {
    let fix = "give the public key file (KEY.pub) of the agent's key";
    let text = std::fs::read_to_string(path)
        .map_err(|e| error(format!("cannot read {}: {e}", path.display()), fix))?;
    if let Ok(k) = PublicKey::from_openssh(text.trim()) {
        return Ok(k);
    }
    PrivateKey::from_openssh(&text)
        .map(|k| k.public_key().clone())
        .map_err(|e| {
            error(
                format!("{} is not an OpenSSH key: {e}", path.display()),
                fix,
            )
        })
}
