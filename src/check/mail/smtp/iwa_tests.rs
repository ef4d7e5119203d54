//! The NTLM exchange against an SMTP server that verifies the NTLMv2 response as a domain
//! controller does (MS-NLMP 3.3.2: NTProofStr = HMAC-MD5(NTOWFv2, ServerChallenge ||
//! temp)), driven by an NTLMv2 client of known credentials where Windows would use SSPI.
use super::*;
use crate::check::{Ctx, Secrets, Settings};
use hmac::{Hmac, Mac};
use md4::{Digest, Md4};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

type HmacMd5 = Hmac<md5::Md5>;

const CHALLENGE: [u8; 8] = *b"\x01\x23\x45\x67\x89\xab\xcd\xef";
const FLAGS: u32 = 1 | 1 << 5 | 1 << 15 | 1 << 16 | 1 << 19 | 1 << 23 | 1 << 29 | 1 << 30;

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn hmac_md5(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = HmacMd5::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

/// CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2): the target name, then target info with the DNS
/// computer name, the NetBIOS domain name and MsvAvEOL; payload at 48 (no version).
fn challenge_message() -> Vec<u8> {
    let mut info = Vec::new();
    for (id, value) in [(3u16, utf16("mail.contoso.com")), (2, utf16("CONTOSO"))] {
        info.extend_from_slice(&id.to_le_bytes());
        info.extend_from_slice(&(value.len() as u16).to_le_bytes());
        info.extend_from_slice(&value);
    }
    info.extend_from_slice(&[0, 0, 0, 0]);
    let name = utf16("CONTOSO");
    let mut m = b"NTLMSSP\0".to_vec();
    m.extend_from_slice(&2u32.to_le_bytes());
    {
        let (n, off) = (name.len(), 48);
        m.extend_from_slice(&(n as u16).to_le_bytes());
        m.extend_from_slice(&(n as u16).to_le_bytes());
        m.extend_from_slice(&(off as u32).to_le_bytes());
    }
    m.extend_from_slice(&FLAGS.to_le_bytes());
    m.extend_from_slice(&CHALLENGE);
    m.extend_from_slice(&[0; 8]);
    let n = info.len() as u16;
    m.extend_from_slice(&n.to_le_bytes());
    m.extend_from_slice(&n.to_le_bytes());
    m.extend_from_slice(&(48 + name.len() as u32).to_le_bytes());
    m.extend_from_slice(&name);
    m.extend_from_slice(&info);
    m
}

/// A field (len, maxlen, offset) of AUTHENTICATE_MESSAGE at `at`.
fn field(m: &[u8], at: usize) -> Option<&[u8]> {
    let len = u16::from_le_bytes(m.get(at..at + 2)?.try_into().ok()?) as usize;
    let off = u32::from_le_bytes(m.get(at + 4..at + 8)?.try_into().ok()?) as usize;
    m.get(off..off + len)
}

fn utf16_text(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// Whether AUTHENTICATE_MESSAGE proves `password` for the user and domain it names.
fn verifies(m: &[u8], password: &str) -> bool {
    if m.get(..12) != Some(b"NTLMSSP\0\x03\0\0\0".as_slice()) {
        return false;
    }
    let (Some(nt), Some(domain), Some(user)) = (field(m, 20), field(m, 28), field(m, 36)) else {
        return false;
    };
    if nt.len() < 16 {
        return false;
    }
    let key = Md4::digest(utf16(password));
    let who = format!("{}{}", utf16_text(user).to_uppercase(), utf16_text(domain));
    let ntowf = hmac_md5(&key, &utf16(&who));
    let mut data = CHALLENGE.to_vec();
    data.extend_from_slice(&nt[16..]);
    hmac_md5(&ntowf, &data) == nt[..16]
}

/// An SMTP server on 127.0.0.1 that takes AUTH NTLM and checks the answer with `password`;
/// it logs each line it receives. One session, then it ends.
async fn server(password: &'static str, log: std::sync::Arc<std::sync::Mutex<Vec<String>>>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = l.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let Ok((s, _)) = l.accept().await else { return };
        let (r, mut w) = s.into_split();
        let mut r = BufReader::new(r);
        let _ = w.write_all(b"220 mail.contoso.com ESMTP\r\n").await;
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut line = String::new();
        for _ in 0..8 {
            line.clear();
            if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let got = line.trim_end().to_string();
            log.lock().expect("log").push(got.clone());
            let reply: Vec<u8> = if got.starts_with("EHLO") {
                b"250-mail.contoso.com\r\n250 AUTH NTLM\r\n".to_vec()
            } else if let Some(first) = got.strip_prefix("AUTH NTLM ") {
                let neg = b64.decode(first).unwrap_or_default();
                if neg.get(..12) != Some(b"NTLMSSP\0\x01\0\0\0".as_slice()) {
                    b"501 5.5.4 not a NEGOTIATE_MESSAGE\r\n".to_vec()
                } else {
                    format!("334 {}\r\n", b64.encode(challenge_message())).into_bytes()
                }
            } else if got.starts_with("QUIT") {
                let _ = w.write_all(b"221 bye\r\n").await;
                return;
            } else {
                match b64.decode(&got) {
                    Ok(m) if verifies(&m, password) => {
                        b"235 2.7.0 Authentication successful\r\n".to_vec()
                    }
                    Ok(_) => b"535 5.7.3 Authentication unsuccessful\r\n".to_vec(),
                    Err(_) => b"500 5.5.2 unrecognised\r\n".to_vec(),
                }
            };
            let _ = w.write_all(&reply).await;
        }
    });
    port
}

async fn sign_in(password_given: &str, password_known: &'static str) -> (Ended, Vec<String>) {
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let port = server(password_known, log.clone()).await;
    let ctx = Ctx::new(Settings::default(), Secrets::default());
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let hello = lettre::transport::smtp::extension::ClientId::Domain("corpservice".into());
    let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello)
        .await
        .expect("greeting and EHLO");
    let mut client = winauth::NtlmV2ClientBuilder::new()
        .target_spn("SMTPSVC/mail.contoso.com")
        .build(Some("CONTOSO"), "MIMService", password_given.to_string());
    let ended = exchange(&ctx, &mut conn, &mut client).await;
    let lines = log.lock().expect("log").clone();
    (ended, lines)
}

#[tokio::test]
async fn the_right_credentials_sign_in_and_no_password_crosses_the_wire() {
    let canary = "Canary-Pa55-IWA-7781";
    let (ended, lines) = sign_in(canary, "Canary-Pa55-IWA-7781").await;
    assert!(matches!(ended, Ended::SignedIn(_)), "{ended:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("AUTH NTLM ")),
        "{lines:?}"
    );
    let b64 = base64::engine::general_purpose::STANDARD;
    for l in &lines {
        assert!(!l.contains(canary), "{l}");
        let raw = b64
            .decode(l.trim_start_matches("AUTH NTLM "))
            .unwrap_or_default();
        assert!(
            !raw.windows(utf16(canary).len()).any(|w| w == utf16(canary)),
            "the password went over the wire in {l}"
        );
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_the_servers_reply() {
    let (ended, _) = sign_in("not-the-password", "Canary-Pa55-IWA-7781").await;
    match ended {
        Ended::Refused(e, step) => {
            assert_eq!(step, "the NTLM answer");
            let r = super::super::replies::Reply::from_error(&e).expect("a reply");
            assert_eq!(r.code, 535, "{r:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn off_windows_there_is_no_logged_on_client() {
    if !cfg!(windows) {
        assert!(logged_on("mail.contoso.com").is_none());
        assert!(logged_on_account().is_none());
    }
}
