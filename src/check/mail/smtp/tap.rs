//! A TCP stream that keeps the first bytes the server sends, so that the SMTP greeting (which
//! lettre reads and drops) can be shown as evidence.
use lettre::transport::smtp::client::AsyncTokioStream;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// How much of the conversation is kept: the greeting and the first EHLO answer.
const KEEP: usize = 4096;

pub type Seen = Arc<Mutex<Vec<u8>>>;

#[derive(Debug)]
pub struct Tap {
    inner: TcpStream,
    seen: Seen,
}

impl Tap {
    pub fn new(inner: TcpStream) -> (Tap, Seen) {
        let seen = Seen::default();
        (
            Tap {
                inner,
                seen: seen.clone(),
            },
            seen,
        )
    }
}

impl AsyncRead for Tap {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &r {
            if let Ok(mut seen) = this.seen.lock() {
                let room = KEEP.saturating_sub(seen.len());
                let new = &buf.filled()[before..];
                seen.extend_from_slice(&new[..new.len().min(room)]);
            }
        }
        r
    }
}

impl AsyncWrite for Tap {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for Tap {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr()
    }
}

/// The complete replies seen, each as one line: `220 mail.contoso.com ESMTP ...` and
/// `250 mail.contoso.com, SIZE 33554432, STARTTLS, ...`. Only the clear-text start of the
/// conversation is read as text; a reply cut off is left out.
pub fn responses(seen: &Seen) -> Vec<String> {
    let bytes = seen.lock().map(|s| s.clone()).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for line in text.split("\r\n") {
        let b = line.as_bytes();
        if b.len() < 4 || !b[..3].iter().all(u8::is_ascii_digit) || !matches!(b[3], b' ' | b'-') {
            break;
        }
        // Bytes 0..4 are ASCII, so 4 is a character boundary.
        let rest: String = line[4..].chars().filter(|c| !c.is_control()).collect();
        if cur.is_empty() {
            cur.push(format!("{} {rest}", &line[..3]));
        } else {
            cur.push(rest);
        }
        if b[3] == b' ' {
            out.push(cur.join(", "));
            cur.clear();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(bytes: &[u8]) -> Seen {
        Arc::new(Mutex::new(bytes.to_vec()))
    }

    #[test]
    fn greeting_and_ehlo_are_read_as_replies() {
        let s = seen(b"220 mail.contoso.com ESMTP\r\n250-mail.contoso.com\r\n250-SIZE 10\r\n250 STARTTLS\r\n");
        assert_eq!(
            responses(&s),
            vec![
                "220 mail.contoso.com ESMTP".to_string(),
                "250 mail.contoso.com, SIZE 10, STARTTLS".to_string()
            ]
        );
    }

    #[test]
    fn cut_off_binary_and_non_ascii_input_neither_panics_nor_invents_replies() {
        assert!(responses(&seen(b"")).is_empty());
        assert!(responses(&seen(b"220-first part only\r\n")).is_empty());
        assert!(responses(&seen(b"22\xc3\xa9 x\r\n")).is_empty());
        assert_eq!(
            responses(&seen("220 h\u{e9}llo\u{7}\r\n\x16\x03\x01".as_bytes())),
            vec!["220 h\u{e9}llo".to_string()]
        );
        assert!(responses(&seen("220\u{e9}x\r\n".as_bytes())).is_empty());
    }
}
