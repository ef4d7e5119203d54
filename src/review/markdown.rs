//! Markdown pieces for the review's change-ticket output: code spans that hold any text,
//! and prose with Markdown's special characters escaped, so that hostile answers (backticks,
//! asterisks, line breaks, HTML) stay literal text.

/// A Markdown code span that holds any text: a fence longer than any run of backticks in
/// it, padded when it starts or ends with one; line breaks become spaces.
pub fn code(s: &str) -> String {
    let s = s.replace(['\r', '\n'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// Prose with Markdown's special characters escaped, on one line.
pub fn prose(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.replace(['\r', '\n'], " ").chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Prose around code spans made by `code`: the spans stay, the rest is escaped.
pub fn prose_keep_code(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('`') {
        out.push_str(&prose(&rest[..open]));
        let after = &rest[open..];
        let fence_len = after.chars().take_while(|c| *c == '`').count();
        let fence = &after[..fence_len];
        match after[fence_len..].find(fence) {
            Some(close) => {
                let end = fence_len + close + fence_len;
                out.push_str(&after[..end]);
                rest = &after[end..];
            }
            None => {
                out.push_str(&prose(after));
                rest = "";
            }
        }
    }
    out.push_str(&prose(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::{code, prose, prose_keep_code};

    #[test]
    fn hostile_text_stays_literal() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code(""), "`  `");
        assert_eq!(code("one\ntwo"), "`one two`");
        assert_eq!(
            prose("*a* _b_ <i> [l](u) #h |t|"),
            "\\*a\\* \\_b\\_ \\<i\\> \\[l\\](u) \\#h \\|t\\|"
        );
        assert_eq!(prose("x\r\ny"), "x  y");
        let s = format!("see {} and *this*", code("a`b"));
        assert_eq!(prose_keep_code(&s), "see ``a`b`` and \\*this\\*");
        // An unclosed fence is prose.
        assert_eq!(prose_keep_code("a ` b"), "a \\` b");
    }
}
