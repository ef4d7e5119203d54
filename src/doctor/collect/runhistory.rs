//! The run history and the events as files, from what WMI and wevtutil give:
//!
//! - `MIIS_RunHistory.RunDetails()` returns one run as `<run-history><run-details>...`;
//!   `RunHistoryWriter` writes every run inside one `<run-history>` root (the format
//!   `inputs::runs` streams), one run at a time, so a long history is never held in memory.
//! - `wevtutil qe LOG /q:XPATH /f:xml` prints `<Event>` elements one after another, no root
//!   element (what `inputs::events` reads); `events_query` builds the XPath.
use std::io::{self, Write};

/// The part of a `RunDetails()` document inside its `<run-history>` root (the
/// `<run-details>` elements); the text itself when it has no such root; "" for an empty
/// `<run-history/>`.
pub fn inner_runs(xml: &str) -> &str {
    let mut s = xml.trim_start_matches('\u{feff}').trim();
    if s.starts_with("<?xml") {
        s = s.find("?>").map_or("", |i| s[i + 2..].trim_start());
    }
    let Some(rest) = s.strip_prefix("<run-history") else {
        return s;
    };
    if !rest.starts_with(['>', ' ', '\t', '\r', '\n', '/']) {
        return s;
    }
    let Some(gt) = rest.find('>') else {
        return "";
    };
    if rest[..gt].ends_with('/') {
        return "";
    }
    let body = &rest[gt + 1..];
    match body.rfind("</run-history>") {
        Some(end) => body[..end].trim(),
        None => body.trim(),
    }
}

/// Writes runs into one `<run-history>` document.
pub struct RunHistoryWriter<W: Write> {
    w: W,
    pub runs: usize,
}

impl<W: Write> RunHistoryWriter<W> {
    pub fn new(mut w: W) -> io::Result<Self> {
        w.write_all(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<run-history>\r\n")?;
        Ok(RunHistoryWriter { w, runs: 0 })
    }

    /// Adds one `RunDetails()` result.
    pub fn add(&mut self, run_details: &str) -> io::Result<()> {
        let inner = inner_runs(run_details);
        if inner.is_empty() {
            return Ok(());
        }
        self.w.write_all(inner.as_bytes())?;
        self.w.write_all(b"\r\n")?;
        self.runs += 1;
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.write_all(b"</run-history>\r\n")?;
        self.w.flush()?;
        Ok(self.w)
    }
}

/// The event providers whose events the checks read: PCNS (on a domain controller, or the
/// Sync server when PCNS runs there) and the Sync service.
pub const PROVIDERS: [&str; 2] = ["PCNSSVC", "FIMSynchronizationService"];

/// wevtutil's XPath for the Application log: the two providers, and with `since`
/// (`yyyy-mm-dd hh:mm:ss`, UTC) only the events at or after it.
pub fn events_query(since: Option<&str>) -> String {
    let providers = PROVIDERS
        .iter()
        .map(|p| format!("@Name='{p}'"))
        .collect::<Vec<_>>()
        .join(" or ");
    match since {
        Some(s) => format!(
            "*[System[Provider[{providers}] and TimeCreated[@SystemTime>='{}.000Z']]]",
            s.replace(' ', "T")
        ),
        None => format!("*[System[Provider[{providers}]]]"),
    }
}

/// WQL for `MIIS_RunHistory` narrowed by `--since` (RunStartTime, UTC) and `--ma`.
pub fn runs_query(since: Option<&str>, ma: Option<&str>) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
    let mut filters = Vec::new();
    if let Some(s) = since {
        filters.push(format!("RunStartTime >= {}", quote(&format!("{s}.000"))));
    }
    if let Some(m) = ma {
        filters.push(format!("MaName = {}", quote(m)));
    }
    let mut q = "SELECT * FROM MIIS_RunHistory".to_string();
    if !filters.is_empty() {
        q.push_str(" WHERE ");
        q.push_str(&filters.join(" AND "));
    }
    q
}

/// wevtutil's output as the collection keeps it: UTF-8 as it is, UTF-16LE (with or without
/// its mark) as UTF-16LE with the mark, anything else (an OEM code page) as UTF-8 with the
/// bytes that are not UTF-8 replaced.
pub fn event_bytes(raw: Vec<u8>) -> Vec<u8> {
    if raw.starts_with(&[0xFF, 0xFE]) {
        return raw;
    }
    if raw.len() >= 2 && raw[0] == b'<' && raw[1] == 0 {
        let mut v = vec![0xFF, 0xFE];
        v.extend_from_slice(&raw);
        return v;
    }
    match String::from_utf8(raw) {
        Ok(s) => s.into_bytes(),
        Err(e) => String::from_utf8_lossy(e.as_bytes())
            .into_owned()
            .into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const RUN: &str = "<run-history>\r\n <run-details><ma-id>{4C2A0E1B-6B7D-4E2B-9A61-1F2E3D4C5B6A}</ma-id><ma-name>Contoso AD MA</ma-name><run-number>N</run-number><run-profile-name>Export</run-profile-name><security-id>CONTOSO\\MIMSync</security-id><step-details step-number=\"1\" step-id=\"{4C2A0E1B-6B7D-4E2B-9A61-1F2E3D4C5B6B}\"><start-date>2026-11-30 01:00:00.000</start-date><end-date>2026-11-30 01:00:01.000</end-date><step-result>success</step-result></step-details></run-details>\r\n</run-history>";

    #[test]
    fn run_details_are_written_into_one_run_history_the_reader_streams() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("run-history.xml");
        let mut w = RunHistoryWriter::new(std::fs::File::create(&f).unwrap()).unwrap();
        w.add(&RUN.replace(">N<", ">1<")).unwrap();
        w.add(&format!(
            "<?xml version=\"1.0\"?>{}",
            RUN.replace(">N<", ">2<")
        ))
        .unwrap();
        w.add("<run-history/>").unwrap();
        w.add("  ").unwrap();
        assert_eq!(w.runs, 2);
        w.finish().unwrap();
        let mut numbers = Vec::new();
        let n = crate::doctor::inputs::read_runs(&f, |r| numbers.push(r.run_number)).unwrap();
        assert_eq!(n, 2);
        assert_eq!(numbers, vec![1, 2]);
        assert_eq!(inner_runs("<run-history-x/>"), "<run-history-x/>");
        assert_eq!(inner_runs("<run-details/>"), "<run-details/>");
    }

    #[test]
    fn the_queries() {
        assert_eq!(
            events_query(None),
            "*[System[Provider[@Name='PCNSSVC' or @Name='FIMSynchronizationService']]]"
        );
        assert_eq!(
            events_query(Some("2026-11-30 01:02:03")),
            "*[System[Provider[@Name='PCNSSVC' or @Name='FIMSynchronizationService'] and TimeCreated[@SystemTime>='2026-11-30T01:02:03.000Z']]]"
        );
        assert_eq!(runs_query(None, None), "SELECT * FROM MIIS_RunHistory");
        assert_eq!(
            runs_query(Some("2026-11-30 00:00:00"), Some("O'Brien \\ MA")),
            "SELECT * FROM MIIS_RunHistory WHERE RunStartTime >= '2026-11-30 00:00:00.000' AND MaName = 'O\\'Brien \\\\ MA'"
        );
    }

    #[test]
    fn event_output_encodings() {
        assert_eq!(event_bytes(b"<Event/>".to_vec()), b"<Event/>");
        let u16: Vec<u8> = "<E/>".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(&event_bytes(u16.clone())[..2], &[0xFF, 0xFE]);
        assert_eq!(&event_bytes(u16.clone())[2..], &u16[..]);
        assert_eq!(
            String::from_utf8(event_bytes(vec![b'<', 0x82, b'>'])).unwrap(),
            "<\u{fffd}>"
        );
    }
}
