//! PowerShell string literals for the plan's `powershell.exe -Command` steps.
//!
//! A value goes into a script only as a single-quoted literal: inside one, nothing is
//! expanded (`$`, `` ` ``, `%`, `;`, `&`, `"` and backslashes are plain text) and the only
//! special character is the single quote, written twice. PowerShell also takes the
//! typographic quotes U+2018, U+2019, U+201A and U+201B as single quotes, so each of those
//! is doubled as well (as `EscapeSingleQuotedStringContent` does); otherwise a value holding
//! one would end the literal and run the rest as code. A line break or NUL is refused: a
//! literal could hold it, but it would split the command line a reviewer reads.

/// Characters PowerShell reads as a single quote.
const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: the value cannot be used in a PowerShell command: {reason}")]
pub struct PsQuoteError {
    /// What the value is (a field path or a step), never the value itself.
    pub what: String,
    pub reason: &'static str,
}

/// `value` as a single-quoted PowerShell literal; `what` names it in the error.
pub fn single_quoted(what: &str, value: &str) -> Result<String, PsQuoteError> {
    if value.contains(['\n', '\r']) {
        return Err(PsQuoteError {
            what: what.into(),
            reason: "it contains a line break",
        });
    }
    if value.contains('\0') {
        return Err(PsQuoteError {
            what: what.into(),
            reason: "it contains a NUL character",
        });
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled_and_nothing_else_changes() {
        let cases = [
            ("plain", "'plain'"),
            ("", "''"),
            ("O'Brien", "'O''Brien'"),
            ("it\u{2019}s", "'it\u{2019}\u{2019}s'"),
            (
                "\u{2018}x\u{201A}\u{201B}",
                "'\u{2018}\u{2018}x\u{201A}\u{201A}\u{201B}\u{201B}'",
            ),
            (
                r#"$env:X "y" `z` 100% ; & |"#,
                r#"'$env:X "y" `z` 100% ; & |'"#,
            ),
            (r"C:\dir\", r"'C:\dir\'"),
        ];
        for (value, want) in cases {
            assert_eq!(single_quoted("x", value).as_deref(), Ok(want), "{value:?}");
        }
    }

    #[test]
    fn line_breaks_and_nul_are_refused_without_echoing_the_value() {
        for value in ["a\nb", "a\rb", "secret\0"] {
            let Err(err) = single_quoted("portal.sharepoint_url", value) else {
                panic!("{value:?} was accepted");
            };
            assert!(err.to_string().starts_with("portal.sharepoint_url: "));
            assert!(!err.to_string().contains(value));
        }
    }
}
