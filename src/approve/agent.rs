//! A minimal SSH agent client (draft-miller-ssh-agent): list the agent's keys and ask it to
//! sign, so that `approve --agent` signs without the private key ever being read here.
//!
//! The agent is `SSH_AUTH_SOCK` (a Unix socket); on Windows, the OpenSSH agent's named pipe
//! `\\.\pipe\openssh-ssh-agent` unless `SSH_AUTH_SOCK` names another pipe.
use ssh_key::{public::KeyData, PublicKey, Signature};
use std::io::{Read, Write};

const REQUEST_IDENTITIES: u8 = 11;
const IDENTITIES_ANSWER: u8 = 12;
const SIGN_REQUEST: u8 = 13;
const SIGN_RESPONSE: u8 = 14;
/// Sign with rsa-sha2-512, as `ssh-keygen -Y sign` does for RSA keys.
const RSA_SHA2_512: u32 = 4;
/// An agent's answer is far below this; a longer length means a broken stream.
const MAX_MESSAGE: usize = 256 * 1024;

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

pub struct Agent {
    stream: Box<dyn Stream>,
}

fn agent_error(what: impl std::fmt::Display) -> String {
    format!("the SSH agent: {what}")
}

impl Agent {
    pub fn connect() -> Result<Agent, String> {
        let sock = std::env::var_os("SSH_AUTH_SOCK").filter(|s| !s.is_empty());
        Ok(Agent {
            stream: open(sock)?,
        })
    }

    fn call(&mut self, body: &[u8]) -> Result<Vec<u8>, String> {
        let len = u32::try_from(body.len()).map_err(|_| agent_error("request too long"))?;
        self.stream
            .write_all(&len.to_be_bytes())
            .and_then(|()| self.stream.write_all(body))
            .and_then(|()| self.stream.flush())
            .map_err(|e| agent_error(format!("cannot write: {e}")))?;
        let mut head = [0u8; 4];
        self.stream
            .read_exact(&mut head)
            .map_err(|e| agent_error(format!("no answer: {e}")))?;
        let len = u32::from_be_bytes(head) as usize;
        if len == 0 || len > MAX_MESSAGE {
            return Err(agent_error(format!(
                "an answer of {len} bytes is not an agent message"
            )));
        }
        let mut answer = vec![0u8; len];
        self.stream
            .read_exact(&mut answer)
            .map_err(|e| agent_error(format!("answer cut short: {e}")))?;
        Ok(answer)
    }

    /// The agent's keys, with their comments.
    pub fn identities(&mut self) -> Result<Vec<PublicKey>, String> {
        let answer = self.call(&[REQUEST_IDENTITIES])?;
        let mut r = Reader(&answer);
        if r.byte()? != IDENTITIES_ANSWER {
            return Err(agent_error("it refused to list its keys"));
        }
        let n = r.u32()?;
        let mut keys = Vec::new();
        for _ in 0..n {
            let blob = r.string()?;
            let comment = String::from_utf8_lossy(r.string()?).into_owned();
            // Keys this crate cannot read (certificates, other algorithms) are passed over.
            if let Ok(k) = PublicKey::from_bytes(blob) {
                keys.push(PublicKey::new(k.key_data().clone(), comment));
            }
        }
        Ok(keys)
    }

    /// The agent's signature of `data` with `key`.
    pub fn sign(&mut self, key: &PublicKey, data: &[u8]) -> Result<Signature, String> {
        let blob = key.to_bytes().map_err(agent_error)?;
        let flags = if matches!(key.key_data(), KeyData::Rsa(_)) {
            RSA_SHA2_512
        } else {
            0
        };
        let mut body = vec![SIGN_REQUEST];
        put_string(&mut body, &blob)?;
        put_string(&mut body, data)?;
        body.extend_from_slice(&flags.to_be_bytes());
        let answer = self.call(&body)?;
        let mut r = Reader(&answer);
        if r.byte()? != SIGN_RESPONSE {
            return Err(agent_error("it refused to sign (a key added with `ssh-add -c` needs a confirmation; check the agent)"));
        }
        Signature::try_from(r.string()?)
            .map_err(|e| agent_error(format!("its signature cannot be read: {e}")))
    }
}

#[cfg(unix)]
fn open(sock: Option<std::ffi::OsString>) -> Result<Box<dyn Stream>, String> {
    let sock = sock.ok_or_else(|| agent_error("SSH_AUTH_SOCK is not set: no agent to ask (start one with `eval $(ssh-agent)` and `ssh-add KEY`, or sign with --key FILE)"))?;
    let s = std::os::unix::net::UnixStream::connect(&sock).map_err(|e| {
        agent_error(format!(
            "cannot connect to {}: {e}",
            std::path::Path::new(&sock).display()
        ))
    })?;
    Ok(Box::new(s))
}

#[cfg(not(unix))]
fn open(sock: Option<std::ffi::OsString>) -> Result<Box<dyn Stream>, String> {
    let pipe = sock.unwrap_or_else(|| r"\\.\pipe\openssh-ssh-agent".into());
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&pipe)
        .map_err(|e| agent_error(format!("cannot open {}: {e} (start the OpenSSH Authentication Agent service, or sign with --key FILE)", std::path::Path::new(&pipe).display())))?;
    Ok(Box::new(f))
}

fn put_string(out: &mut Vec<u8>, s: &[u8]) -> Result<(), String> {
    let len = u32::try_from(s.len()).map_err(|_| agent_error("request too long"))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s);
    Ok(())
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err(agent_error("its answer is cut short"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn string(&mut self) -> Result<&'a [u8], String> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::Reader;

    #[test]
    fn a_short_or_lying_answer_is_an_error_not_a_panic() {
        let cases: &[&[u8]] = &[
            &[],
            &[0, 0, 0],
            &[0, 0, 0, 9, 1, 2],
            &[0xff, 0xff, 0xff, 0xff],
        ];
        for bytes in cases {
            assert!(Reader(bytes).string().is_err(), "{bytes:?}");
        }
        let mut r = Reader(&[0, 0, 0, 2, b'o', b'k', 7]);
        assert_eq!(r.string(), Ok(&b"ok"[..]));
        assert_eq!(r.byte(), Ok(7));
        assert!(r.byte().is_err());
    }
}
