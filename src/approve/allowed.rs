//! OpenSSH's allowed_signers file, as `ssh-keygen -Y verify -f` reads it (ssh-keygen(1),
//! "ALLOWED SIGNERS"): one signer a line, `principals [options] keytype base64 [comment]`.
//!
//! - principals: a comma-separated list of patterns (`*`, `?`, `!` negates), optionally in
//!   double quotes;
//! - options: `namespaces="..."` (patterns the signature's namespace must match),
//!   `valid-after="..."` and `valid-before="..."` (`YYYYMMDD[HHMM[SS]][Z]`, read as UTC here),
//!   `cert-authority` (a CA key: certificates are not accepted for approvals, so such a line
//!   never matches a signer);
//! - `#` comments and blank lines.
//!
//! A line that cannot be read is an error naming the file and line: an approval gate
//! with a broken list of signers must not run on what remains of it.
use super::time::{self, Unix};
use ssh_key::PublicKey;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Signer {
    /// 1-based line in the file.
    pub line: usize,
    pub principals: String,
    pub cert_authority: bool,
    pub namespaces: Option<String>,
    pub valid_after: Option<Unix>,
    pub valid_before: Option<Unix>,
    pub key: PublicKey,
}

impl Signer {
    pub fn allows_principal(&self, name: &str) -> bool {
        match_list(name, &self.principals)
    }

    pub fn allows_namespace(&self, ns: &str) -> bool {
        self.namespaces
            .as_deref()
            .is_none_or(|list| match_list(ns, list))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {what}\n  fix: {fix}")]
pub struct AllowedError {
    pub file: String,
    pub line: usize,
    pub what: String,
    pub fix: String,
}

const FORMAT_FIX: &str = "write each signer as `principals [options] keytype base64`, e.g. `alice@contoso.com namespaces=\"mim-setup-plan\" ssh-ed25519 AAAA...` (see ssh-keygen(1), ALLOWED SIGNERS)";

pub fn read(path: &Path) -> Result<Vec<Signer>, AllowedError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| AllowedError {
        file: file.clone(),
        line: 0,
        what: format!("cannot read the allowed signers file: {e}"),
        fix: "check the path given with --allowed-signers (or MIM_SETUP_ALLOWED_SIGNERS)".into(),
    })?;
    parse(&file, &text)
}

pub fn parse(file: &str, text: &str) -> Result<Vec<Signer>, AllowedError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |what: String| AllowedError {
            file: file.to_string(),
            line: i + 1,
            what,
            fix: FORMAT_FIX.into(),
        };
        out.push(parse_line(i + 1, line).map_err(err)?);
    }
    Ok(out)
}

/// The next whitespace-separated token, where double quotes keep spaces inside it.
fn token(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return (&s[..i], &s[i..]),
            _ => {}
        }
    }
    (s, "")
}

fn is_key_type(s: &str) -> bool {
    s.starts_with("ssh-") || s.starts_with("ecdsa-sha2-") || s.starts_with("sk-")
}

fn parse_line(n: usize, line: &str) -> Result<Signer, String> {
    if line.matches('"').count() % 2 == 1 {
        return Err("the line has an unclosed double quote".into());
    }
    let (principals, rest) = token(line);
    let principals = principals.trim_matches('"').to_string();
    if principals.is_empty() {
        return Err("no principals".into());
    }
    let (next, after) = token(rest);
    let (options, rest) = if is_key_type(next) {
        ("", rest)
    } else {
        (next, after)
    };
    let mut signer = Signer {
        line: n,
        principals,
        cert_authority: false,
        namespaces: None,
        valid_after: None,
        valid_before: None,
        key: public_key(rest)?,
    };
    for opt in split_options(options)? {
        let (name, value) = match opt.split_once('=') {
            Some((k, v)) => (k.to_ascii_lowercase(), Some(unquote(v)?)),
            None => (opt.to_ascii_lowercase(), None),
        };
        let when = |v: Option<String>| -> Result<Unix, String> {
            let v =
                v.ok_or_else(|| format!("{name} needs a time: {name}=\"YYYYMMDD[HHMM[SS]]Z\""))?;
            time::parse_openssh(&v).ok_or_else(|| {
                format!("{name}=\"{v}\" is not a time of the form YYYYMMDD[HHMM[SS]][Z]")
            })
        };
        match (name.as_str(), value) {
            ("cert-authority", None) => signer.cert_authority = true,
            ("namespaces", Some(v)) => signer.namespaces = Some(v),
            ("valid-after", v) => signer.valid_after = Some(when(v)?),
            ("valid-before", v) => signer.valid_before = Some(when(v)?),
            (other, _) => return Err(format!("unknown option `{other}` (known: cert-authority, namespaces, valid-after, valid-before)")),
        }
    }
    Ok(signer)
}

fn public_key(rest: &str) -> Result<PublicKey, String> {
    let (kind, rest) = token(rest);
    let (blob, _comment) = token(rest);
    if kind.is_empty() || blob.is_empty() {
        return Err("no public key (keytype and base64) after the principals".into());
    }
    PublicKey::from_openssh(&format!("{kind} {blob}")).map_err(|e| {
        format!(
            "the public key `{kind} {}...` cannot be read: {e}",
            blob.chars().take(12).collect::<String>()
        )
    })
}

/// Options separated by commas outside double quotes.
fn split_options(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let (mut cur, mut quoted) = (String::new(), false);
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    if quoted {
        return Err(format!("the options `{s}` have an unclosed double quote"));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out.into_iter().filter(|o| !o.is_empty()).collect())
}

fn unquote(v: &str) -> Result<String, String> {
    match v.strip_prefix('"') {
        Some(inner) => inner
            .strip_suffix('"')
            .map(str::to_string)
            .ok_or_else(|| format!("the value {v} has an unclosed double quote")),
        None => Ok(v.to_string()),
    }
}

/// OpenSSH's pattern lists: comma-separated patterns with `*` and `?`; a match of a
/// `!pattern` refuses whatever else matches.
pub fn match_list(s: &str, list: &str) -> bool {
    let mut matched = false;
    for p in list.split(',') {
        let p = p.trim();
        if let Some(neg) = p.strip_prefix('!') {
            if glob(s, neg) {
                return false;
            }
        } else if glob(s, p) {
            matched = true;
        }
    }
    matched
}

fn glob(s: &str, p: &str) -> bool {
    let (s, p): (Vec<char>, Vec<char>) = (s.chars().collect(), p.chars().collect());
    // Iterative wildcard match with one backtrack point.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        if j < p.len() && (p[j] == '?' || p[j] == s[i]) {
            i += 1;
            j += 1;
        } else if j < p.len() && p[j] == '*' {
            star = Some((j, i));
            j += 1;
        } else if let Some((sj, si)) = star {
            j = sj + 1;
            i = si + 1;
            star = Some((sj, si + 1));
        } else {
            return false;
        }
    }
    p[j..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::{match_list, parse};

    const ED: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK7CBmdoTi+F6X+QplLjByMqKxK9ca/x5wULhNl/dHcL";

    #[test]
    fn pattern_lists_as_openssh_reads_them() {
        let cases = [
            ("alice@contoso.com", "alice@contoso.com", true),
            ("alice@contoso.com", "bob@contoso.com", false),
            (
                "alice@contoso.com",
                "bob@contoso.com,alice@contoso.com",
                true,
            ),
            ("alice@contoso.com", "*@contoso.com", true),
            ("alice@contoso.com", "*@contoso.com,!alice@*", false),
            ("al@contoso.com", "a?@contoso.com", true),
            ("alice@contoso.com", "a?@contoso.com", false),
            ("mim-setup-plan", "file,mim-setup-*", true),
            ("", "*", true),
            ("x", "", false),
        ];
        for (s, list, want) in cases {
            assert_eq!(match_list(s, list), want, "{s} in {list}");
        }
    }

    #[test]
    fn lines_with_and_without_options_and_comments() {
        let text = format!(
            "# reviewers\n\nalice@contoso.com {ED} alice@laptop\n\"bob@contoso.com,carol@contoso.com\" namespaces=\"mim-setup-plan,file\",valid-after=\"20260101\",valid-before=\"20270101Z\" {ED}\nca@contoso.com cert-authority {ED}\n"
        );
        let s = parse("as", &text).expect("parses");
        assert_eq!(s.len(), 3);
        assert_eq!((s[0].line, s[1].line, s[2].line), (3, 4, 5));
        assert!(s[0].allows_principal("alice@contoso.com") && s[0].allows_namespace("anything"));
        assert!(
            s[1].allows_principal("carol@contoso.com")
                && !s[1].allows_principal("alice@contoso.com")
        );
        assert!(s[1].allows_namespace("mim-setup-plan") && !s[1].allows_namespace("git"));
        assert!(s[1].valid_after.is_some() && s[1].valid_before.is_some());
        assert!(s[2].cert_authority);
    }

    #[test]
    fn a_bad_line_names_its_file_and_line() {
        let cases = [
            ("alice".to_string(), "no public key"),
            (
                format!("alice nosuch=\"x\" {ED}"),
                "unknown option `nosuch`",
            ),
            (format!("alice valid-after=\"2026\" {ED}"), "not a time"),
            (format!("alice namespaces=\"a {ED}"), "unclosed"),
            (
                "alice ssh-ed25519 AAAAnotbase64!!".to_string(),
                "cannot be read",
            ),
        ];
        for (line, want) in &cases {
            let line = line.as_str();
            let e = parse("signers", &format!("# c\n{line}\n")).expect_err(line);
            assert_eq!((e.file.as_str(), e.line), ("signers", 2), "{line}");
            assert!(e.what.contains(want), "{line}: {}", e.what);
            assert!(e.to_string().contains("fix:"));
        }
    }
}
