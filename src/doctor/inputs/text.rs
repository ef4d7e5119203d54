//! Text as Windows tools write it: UTF-8 (with or without a byte-order mark) or UTF-16LE
//! with its mark (regedit's "Windows Registry Editor Version 5.00" exports, and XML saved by
//! PowerShell's `Out-File` on Windows PowerShell). `Utf8Reader` turns either into a stream of
//! UTF-8 bytes without reading the whole file, so that the XML inputs stay streamed.
use std::io::{self, BufRead, BufReader, Read};

/// A reader of UTF-8 bytes from a UTF-8 or UTF-16LE (BOM) source; the BOM is dropped.
pub struct Utf8Reader<R: Read> {
    inner: BufReader<R>,
    utf16: bool,
    started: bool,
    /// Encoded bytes of the last decoded character not yet handed out.
    pending: Vec<u8>,
}

impl<R: Read> Utf8Reader<R> {
    pub fn new(inner: R) -> Self {
        Utf8Reader {
            inner: BufReader::with_capacity(64 * 1024, inner),
            utf16: false,
            started: false,
            pending: Vec::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        self.started = true;
        let head = self.inner.fill_buf()?;
        if head.starts_with(&[0xFF, 0xFE]) {
            self.utf16 = true;
            self.inner.consume(2);
        } else if head.starts_with(&[0xFE, 0xFF]) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "UTF-16 big-endian text is not read; save the file as UTF-8 or UTF-16LE",
            ));
        } else if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.inner.consume(3);
        }
        Ok(())
    }

    fn unit(&mut self) -> io::Result<Option<u16>> {
        let mut b = [0u8; 2];
        if self.inner.read(&mut b[..1])? == 0 {
            return Ok(None);
        }
        if self.inner.read(&mut b[1..])? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "UTF-16 text ends in the middle of a character",
            ));
        }
        Ok(Some(u16::from_le_bytes(b)))
    }

    fn next_char(&mut self) -> io::Result<Option<char>> {
        let Some(u) = self.unit()? else {
            return Ok(None);
        };
        let units: Vec<u16> = if (0xD800..0xDC00).contains(&u) {
            match self.unit()? {
                Some(low) => vec![u, low],
                None => vec![u],
            }
        } else {
            vec![u]
        };
        match char::decode_utf16(units).next() {
            Some(Ok(c)) => Ok(Some(c)),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "invalid UTF-16 (an unpaired surrogate)",
            )),
        }
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if !self.started {
            self.start()?;
        }
        if !self.utf16 {
            return self.inner.read(out);
        }
        let mut n = 0;
        while n < out.len() {
            if self.pending.is_empty() {
                let Some(c) = self.next_char()? else { break };
                let mut tmp = [0u8; 4];
                self.pending
                    .extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                self.pending.reverse();
            }
            while n < out.len() {
                let Some(b) = self.pending.pop() else { break };
                out[n] = b;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// A whole small file as text (UTF-8 or UTF-16LE with BOM).
pub fn read_text(path: &std::path::Path) -> Result<String, super::InputError> {
    let f = std::fs::File::open(path).map_err(|e| super::InputError::io(path, &e))?;
    let mut s = String::new();
    Utf8Reader::new(f).read_to_string(&mut s).map_err(|e| {
        super::InputError::new(
            path,
            None,
            format!("not readable as text: {e}"),
            "save it as UTF-8 or as UTF-16LE with a byte-order mark (as regedit and wevtutil write)",
        )
    })?;
    Ok(s)
}

/// The 1-based line of byte `offset` of the decoded text of `path` (for XML errors).
pub fn line_at(path: &std::path::Path, offset: u64) -> Option<usize> {
    let f = std::fs::File::open(path).ok()?;
    let mut r = BufReader::new(Utf8Reader::new(f)).take(offset);
    let mut line = 1;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf).ok()?;
        if n == 0 {
            break;
        }
        if buf.last() == Some(&b'\n') {
            line += 1;
        }
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::Utf8Reader;
    use std::io::Read;

    fn utf16(s: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_le_bytes());
        }
        v
    }

    #[test]
    fn utf16le_with_bom_and_utf8_with_bom_read_the_same() {
        let text = "Windows Registry Editor Version 5.00\r\n\"Path\"=\"C:\\\\Ünïcødé 𝄞\"\r\n";
        let mut a = String::new();
        Utf8Reader::new(&utf16(text)[..])
            .read_to_string(&mut a)
            .unwrap();
        assert_eq!(a, text);
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(text.as_bytes());
        let mut s = String::new();
        Utf8Reader::new(&b[..]).read_to_string(&mut s).unwrap();
        assert_eq!(s, text);
    }

    #[test]
    fn a_cut_utf16_file_is_an_error_not_a_panic() {
        let mut v = utf16("ab");
        v.push(0x41);
        let mut s = String::new();
        assert!(Utf8Reader::new(&v[..]).read_to_string(&mut s).is_err());
        let lone = [0xFF, 0xFE, 0x00, 0xD8];
        assert!(Utf8Reader::new(&lone[..])
            .read_to_string(&mut String::new())
            .is_err());
    }
}
