//! Quoting for Windows command lines: msiexec's `NAME=value` properties, and ordinary
//! arguments (the rules `CommandLineToArgvW` reads).
//!
//! msiexec takes `NAME=value`; a value with spaces or special characters is enclosed in
//! double quotes, and a double quote inside it is written twice. A value cannot hold a line
//! break. `%` and `;` are passed as they are (the plan's commands are started directly, not
//! through cmd.exe), but such values are quoted anyway so that a copy into a console keeps
//! them in one piece.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: the value cannot be passed to msiexec: {reason}")]
pub struct MsiQuoteError {
    pub name: String,
    pub reason: &'static str,
}

/// Characters that make msiexec or a console split or rewrite an unquoted value.
const NEEDS_QUOTES: &[char] = &[
    ' ', '\t', '"', '\'', ';', '%', '&', '|', '<', '>', '^', '(', ')', ',', '=',
];

/// `NAME=value`, quoted per msiexec's rules.
pub fn msi_property(name: &str, value: &str) -> Result<String, MsiQuoteError> {
    if value.contains(['\n', '\r']) {
        return Err(MsiQuoteError {
            name: name.into(),
            reason: "it contains a line break",
        });
    }
    if value.contains('\0') {
        return Err(MsiQuoteError {
            name: name.into(),
            reason: "it contains a NUL character",
        });
    }
    if value.is_empty() || value.contains(NEEDS_QUOTES) {
        Ok(format!("{name}=\"{}\"", value.replace('"', "\"\"")))
    } else {
        Ok(format!("{name}={value}"))
    }
}

/// One argument quoted so that `CommandLineToArgvW` gives it back unchanged.
pub fn quote_arg(arg: &str) -> String {
    if !arg.is_empty() && !arg.contains([' ', '\t', '"', '\n']) {
        return arg.to_string();
    }
    let mut out = String::from("\"");
    let mut backslashes = 0;
    for c in arg.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                out.push_str(&"\\".repeat(backslashes * 2 + 1));
                out.push('"');
                backslashes = 0;
            }
            _ => {
                out.push_str(&"\\".repeat(backslashes));
                out.push(c);
                backslashes = 0;
            }
        }
    }
    out.push_str(&"\\".repeat(backslashes * 2));
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msi_values_are_quoted_when_needed() {
        let cases = [
            (
                "SQLDB",
                "FIMSynchronizationService",
                "SQLDB=FIMSynchronizationService",
            ),
            (
                "GROUPADMINS",
                r"contoso\MIMSyncAdmins",
                r"GROUPADMINS=contoso\MIMSyncAdmins",
            ),
            (
                "INSTALLDIR",
                r"C:\Program Files\MIM\",
                r#"INSTALLDIR="C:\Program Files\MIM\""#,
            ),
            ("X", r#"say "hi""#, r#"X="say ""hi""""#),
            ("X", "100%", r#"X="100%""#),
            ("X", "a;b", r#"X="a;b""#),
            ("X", "a&b", r#"X="a&b""#),
            ("X", "", r#"X="""#),
            ("X", r#"""#, r#"X="""""#),
        ];
        for (name, value, want) in cases {
            assert_eq!(msi_property(name, value).as_deref(), Ok(want), "{value:?}");
        }
    }

    #[test]
    fn line_breaks_cannot_be_passed() {
        assert!(msi_property("X", "a\nb").is_err());
        assert!(msi_property("X", "a\rb").is_err());
        assert!(msi_property("X", "a\0b").is_err());
    }

    #[test]
    fn arguments_round_trip_through_windows_rules() {
        let cases = [
            ("plain", "plain"),
            ("two words", "\"two words\""),
            (r"C:\Program Files\x\", r#""C:\Program Files\x\\""#),
            (r#"a"b"#, r#""a\"b""#),
            ("", "\"\""),
        ];
        for (arg, want) in cases {
            assert_eq!(quote_arg(arg), want, "{arg:?}");
        }
    }
}
