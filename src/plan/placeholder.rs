//! The plan's placeholders, formatted and parsed here and nowhere else.
//!
//! ```text
//!   {{secret:NAME}}  a secret, filled in from the plan's [secrets] at install time
//!   {{log_dir}}      the log folder (beside the plan, or the script's -LogDir)
//! ```
//!
//! Only the plan makes them: a profile value holding `{{` or `}}` is refused by the rules
//! (`rules::NO_PLACEHOLDER`). `plan` formats them with [`secret`] and [`in_log_dir`]; `apply`
//! fills them and the exports translate them through [`segments`].

const LOG_DIR_NAME: &str = "log_dir";
const SECRET_PREFIX: &str = "secret:";

/// `{{log_dir}}`.
pub const LOG_DIR: &str = "{{log_dir}}";

/// The placeholder for the secret `name`: `{{secret:NAME}}`.
pub fn secret(name: &str) -> String {
    format!("{{{{{SECRET_PREFIX}{name}}}}}")
}

/// A file in the log folder: `{{log_dir}}\FILE`.
pub fn in_log_dir(file: &str) -> String {
    format!("{LOG_DIR}\\{file}")
}

/// A piece of a plan argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg<'a> {
    Lit(&'a str),
    /// `{{log_dir}}`: the log folder.
    LogDir,
    /// `{{secret:NAME}}`.
    Secret(&'a str),
}

/// Splits `arg` at the plan's placeholders.
pub fn segments(arg: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    let (mut lit_start, mut i) = (0, 0);
    while let Some(found) = arg[i..].find("{{") {
        let start = i + found;
        let Some(len) = arg[start + 2..].find("}}") else {
            break;
        };
        let inner = &arg[start + 2..start + 2 + len];
        let seg = if inner == LOG_DIR_NAME {
            Some(Seg::LogDir)
        } else {
            inner
                .strip_prefix(SECRET_PREFIX)
                .filter(|n| {
                    !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                })
                .map(Seg::Secret)
        };
        match seg {
            Some(seg) => {
                if start > lit_start {
                    out.push(Seg::Lit(&arg[lit_start..start]));
                }
                out.push(seg);
                i = start + 2 + len + 2;
                lit_start = i;
            }
            // Not a placeholder: the braces are text.
            None => i = start + 2,
        }
    }
    if lit_start < arg.len() {
        out.push(Seg::Lit(&arg[lit_start..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_back() {
        assert_eq!(secret("pw_1"), "{{secret:pw_1}}");
        assert_eq!(segments(&secret("pw_1")), vec![Seg::Secret("pw_1")]);
        assert_eq!(in_log_dir("a.log"), r"{{log_dir}}\a.log");
        assert_eq!(
            segments(&in_log_dir("a.log")),
            vec![Seg::LogDir, Seg::Lit(r"\a.log")]
        );
    }

    #[test]
    fn only_well_formed_placeholders_are_placeholders() {
        for text in [
            "{{secret:}}",
            "{{other}}",
            "{{secret:a-b}}",
            "{{log_dir",
            "}}",
        ] {
            assert_eq!(segments(text), vec![Seg::Lit(text)], "{text}");
        }
    }
}
