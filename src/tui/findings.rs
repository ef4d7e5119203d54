//! The findings panel's text: what is wrong, and for the finding in focus what was seen, why
//! it matters for MIM and how to fix it, wrapped with hanging indents. The layout sizes the
//! panel from these lines and the view draws them, so both agree on the height.
use super::layout::wrap;
use crate::check::State;
use crate::finding::{Finding, Severity};
use crate::strings;
use crate::wizard::{Focus, Model};

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Error,
    Warning,
    /// An acknowledged warning.
    Acknowledged,
    Info,
    /// Evidence and the "why" line.
    Dim,
    /// A live check that passed.
    Passed,
    /// A live check still running.
    Pending,
    /// A live check that did not run.
    Skipped,
    /// The "fix" line.
    Plain,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingLine {
    pub tone: Tone,
    /// The first line of a finding: the view draws the severity mark before `text`.
    pub marked: bool,
    pub text: String,
}

/// Width of the mark column (`✗ `).
const MARK: usize = 2;
/// Indent of the detail lines (`seen:`, `fix:`, `why:`) and of their continuation lines.
const DETAIL: &str = "  ";
const DETAIL_HANG: &str = "        ";

/// The panel's lines at `width` columns (the panel's inner width).
pub fn lines(m: &Model, width: usize) -> Vec<FindingLine> {
    // A review first says, for the field in focus, its answer and where it goes.
    let mut out = super::review_view::lines(m, width);
    out.extend(findings(m, width));
    out
}

fn findings(m: &Model, width: usize) -> Vec<FindingLine> {
    let mut out = checks(m, width);
    if m.findings.is_empty() {
        if out.is_empty() {
            out.push(FindingLine {
                tone: Tone::Dim,
                marked: false,
                text: strings::NO_FINDINGS.to_string(),
            });
        }
        return out;
    }
    let detailed = detailed(m);
    for (n, f) in m.findings.iter().enumerate() {
        let tone = match f.severity {
            _ if f.is_acknowledged(&m.acknowledged) => Tone::Acknowledged,
            Severity::Error => Tone::Error,
            Severity::Warning => Tone::Warning,
            Severity::Info => Tone::Info,
        };
        let head = match label(m, f) {
            Some(l) => format!("{l}: {}", f.message),
            None => f.message.clone(),
        };
        push_marked(&mut out, tone, &head, width);
        if n != detailed {
            continue;
        }
        let details = [
            (Tone::Dim, "seen:", f.evidence.as_deref()),
            (Tone::Plain, "fix: ", Some(f.fix.as_str())),
            (Tone::Dim, "why: ", Some(f.why.as_str())),
        ];
        for (tone, name, text) in details {
            let Some(text) = text.filter(|t| !t.is_empty()) else {
                continue;
            };
            let first = format!("{DETAIL}{name} ");
            out.extend(
                hang(text, width, &first, DETAIL_HANG)
                    .into_iter()
                    .map(|text| FindingLine {
                        tone,
                        marked: false,
                        text,
                    }),
            );
        }
    }
    out
}

/// The live checks of the screen: pending with their elapsed time, passed with what they
/// saw, skipped with why; failed ones are named here and detailed as findings below.
fn checks(m: &Model, width: usize) -> Vec<FindingLine> {
    let mut out = Vec::new();
    for c in m.live.lines(&m.current, std::time::Instant::now()) {
        let tone = match c.state {
            State::Pending => Tone::Pending,
            State::Ok | State::Info => Tone::Passed,
            State::Warning => Tone::Warning,
            State::Error => Tone::Error,
            State::Skipped => Tone::Skipped,
        };
        push_marked(&mut out, tone, &c.text, width);
    }
    out
}

/// The finding whose details are shown: the first on the focused field, else the first one
/// (so that why and how to fix are always on screen for something).
fn detailed(m: &Model) -> usize {
    let focused = match m.focus {
        Focus::Field(i) => Some(m.field_path(i)),
        _ => None,
    };
    m.findings
        .iter()
        .position(|f| focused.is_some() && f.field == focused)
        .unwrap_or(0)
}

fn label<'a>(m: &'a Model, f: &Finding) -> Option<&'a str> {
    f.field
        .as_deref()
        .and_then(|p| p.split_once('.'))
        .and_then(|(_, id)| m.screen().field(id))
        .map(|fd| fd.label.as_str())
}

/// `text` wrapped to `width`, the first line after `first`, the others after `rest`.
pub(super) fn hang(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let inner = width.saturating_sub(first.chars().count().max(rest.chars().count()));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    wrap(&flat, inner)
        .into_iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}", if i == 0 { first } else { rest }))
        .collect()
}

/// `text` wrapped to `width` after the mark column: the first line marked, the rest
/// indented under it.
pub(super) fn push_marked(out: &mut Vec<FindingLine>, tone: Tone, text: &str, width: usize) {
    for (i, line) in hang(text, width.saturating_sub(MARK), "", "")
        .into_iter()
        .enumerate()
    {
        out.push(FindingLine {
            tone,
            marked: i == 0,
            text: if i == 0 { line } else { format!("  {line}") },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::hang;

    #[test]
    fn hanging_indent_keeps_every_line_within_the_width() {
        let text = "Create a SQL client alias on this server (cliconfg.exe, or SQL Server \
                    Configuration Manager) that maps a name to the host and port.";
        let got = hang(text, 40, "  fix:  ", "        ");
        assert!(got.len() > 2, "{got:?}");
        assert!(got[0].starts_with("  fix:  Create"));
        assert!(got[1..]
            .iter()
            .all(|l| l.starts_with("        ") && l.len() > 8));
        assert!(got.iter().all(|l| l.chars().count() <= 40), "{got:?}");
        assert_eq!(
            got.join(" ").split_whitespace().count(),
            text.split_whitespace().count() + 1
        );
    }
}
