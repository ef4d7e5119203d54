//! How Windows reads a command line, for the quoting tests: msiexec's tokens and
//! `CommandLineToArgvW`'s arguments. Each reading also says whether a quote was left open.

pub struct Read {
    pub parts: Vec<String>,
    pub open_quote: bool,
}

impl Read {
    /// The one part `text` must read as; panics (naming it) if it splits or leaves a quote
    /// open.
    pub fn single(self, text: &str) -> String {
        assert!(!self.open_quote, "{text:?} leaves a quote open");
        assert_eq!(self.parts.len(), 1, "{text:?} splits in two");
        self.parts.into_iter().next().unwrap_or_default()
    }
}

fn blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// msiexec's reading: tokens separated by blanks, `"` toggles quoting, `""` inside quotes
/// is one `"`, backslashes are plain.
pub fn msiexec_tokens(line: &str) -> Read {
    let chars: Vec<char> = line.chars().collect();
    let (mut parts, mut cur, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '"' if quoted && chars.get(i + 1) == Some(&'"') => {
                cur.push('"');
                i += 1;
                any = true;
            }
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if blank(c) && !quoted => {
                if any {
                    parts.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
        i += 1;
    }
    if any {
        parts.push(cur);
    }
    Read {
        parts,
        open_quote: quoted,
    }
}

/// `CommandLineToArgvW`'s reading of the arguments after the program: 2n backslashes
/// before `"` give n and the quote toggles, 2n+1 give n and a literal `"`; other
/// backslashes are plain; `""` inside quotes is a literal `"`.
pub fn command_line_to_argv(line: &str) -> Read {
    let chars: Vec<char> = line.chars().collect();
    let (mut parts, mut i, mut quoted) = (Vec::new(), 0, false);
    loop {
        while i < chars.len() && blank(chars[i]) {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut arg = String::new();
        quoted = false;
        while i < chars.len() && (quoted || !blank(chars[i])) {
            let c = chars[i];
            if c == '\\' {
                let n = chars[i..].iter().take_while(|&&c| c == '\\').count();
                i += n;
                if chars.get(i) == Some(&'"') {
                    arg.push_str(&"\\".repeat(n / 2));
                    if n % 2 == 1 {
                        arg.push('"');
                        i += 1;
                    }
                } else {
                    arg.push_str(&"\\".repeat(n));
                }
                continue;
            }
            if c == '"' {
                if quoted && chars.get(i + 1) == Some(&'"') {
                    arg.push('"');
                    i += 2;
                    continue;
                }
                quoted = !quoted;
            } else {
                arg.push(c);
            }
            i += 1;
        }
        parts.push(arg);
    }
    Read {
        parts,
        open_quote: quoted,
    }
}
