//! An LDIF reader (RFC 2849), content records only: what the demo directory's content is
//! written in. `version: 1`, comments, folded lines (a line starting with one space goes on
//! the previous one), `attr: value`, `attr:: base64` and attribute options are read; change
//! records (`changetype:`) and `attr:< URL` are refused with the line that holds them.
use base64::Engine;

/// One entry: its DN and its attributes in file order, each value as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub dn: String,
    pub attrs: Vec<(String, Vec<u8>)>,
}

/// What is wrong with the LDIF, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("LDIF line {line}: {what}")]
pub struct LdifError {
    pub line: usize,
    pub what: String,
}

fn err(line: usize, what: impl Into<String>) -> LdifError {
    LdifError {
        line,
        what: what.into(),
    }
}

/// The logical lines (folding undone) with the number of the line each starts on; a blank
/// line is kept as an empty one (it ends a record), comments are dropped.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut in_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = line.strip_prefix(' ') {
            // A continuation: of a comment (dropped) or of the last line.
            if !in_comment {
                if let Some(last) = out.last_mut().filter(|l| !l.1.is_empty()) {
                    last.1.push_str(rest);
                }
            }
            continue;
        }
        in_comment = line.starts_with('#');
        if !in_comment {
            out.push((i + 1, line.to_string()));
        }
    }
    out
}

/// Parses the records of an LDIF file.
pub fn parse(text: &str) -> Result<Vec<Record>, LdifError> {
    let mut records = Vec::new();
    let mut current: Option<Record> = None;
    let mut first = true;
    for (n, line) in unfold(text) {
        if line.trim().is_empty() {
            records.extend(current.take());
            continue;
        }
        let (name, value) = attr_value(n, &line)?;
        if first && current.is_none() && name.eq_ignore_ascii_case("version") {
            first = false;
            if value != b"1" {
                return Err(err(n, "only LDIF version 1 is read"));
            }
            continue;
        }
        first = false;
        match current.as_mut() {
            None => {
                if !name.eq_ignore_ascii_case("dn") {
                    return Err(err(n, format!("a record starts with `dn:`, not `{name}:`")));
                }
                let dn = String::from_utf8(value).map_err(|_| err(n, "the DN is not UTF-8"))?;
                current = Some(Record {
                    dn,
                    attrs: Vec::new(),
                });
            }
            Some(r) => {
                if name.eq_ignore_ascii_case("changetype") {
                    return Err(err(
                        n,
                        "change records are not read: give the entries as content records",
                    ));
                }
                if name.eq_ignore_ascii_case("dn") {
                    return Err(err(
                        n,
                        "a blank line must end the record before the next `dn:`",
                    ));
                }
                // Options (`attr;lang-en`) are kept out of the name.
                let base = name.split(';').next().unwrap_or(&name).to_string();
                r.attrs.push((base, value));
            }
        }
    }
    records.extend(current.take());
    Ok(records)
}

fn attr_value(n: usize, line: &str) -> Result<(String, Vec<u8>), LdifError> {
    let Some((name, rest)) = line.split_once(':') else {
        return Err(err(n, format!("`{line}` is not `attribute: value`")));
    };
    let name = name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ';' || c == '.')
    {
        return Err(err(n, format!("`{name}` is not an attribute name")));
    }
    let value = if let Some(b64) = rest.strip_prefix(':') {
        base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|e| err(n, format!("the base64 value of {name} is invalid: {e}")))?
    } else if rest.starts_with('<') {
        return Err(err(n, format!("{name}: values from URLs are not read")));
    } else {
        rest.strip_prefix(' ').unwrap_or(rest).as_bytes().to_vec()
    };
    Ok((name.to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_2849_example_forms_are_read() {
        // RFC 2849, example 2 (a folded value) and example 3 (base64), shortened.
        let text = "version: 1\n# a comment\n#  folded comment\ndn: cn=Barbara Jensen, ou=Product Development, dc=airius, dc=com\nobjectclass: top\ndescription: Babs is a big sailing fan, and travels extensively in sea\n rch of perfect sailing conditions.\ncn;lang-en: Babs\n\ndn: cn=Gern Jensen, dc=airius, dc=com\ndescription:: V2hhdCBhIGNhcmVmdWwgcmVhZGVyIHlvdSBhcmUhICBUaGlzIHZhbHVlIGlzIGJhc2UtNjQtZW5jb2RlZCBiZWNhdXNlIGl0IGhhcyBhIGNvbnRyb2wgY2hhcmFjdGVyIGluIGl0IChhIENSKS4NICBCeSB0aGUgd2F5LCB5b3Ugc2hvdWxkIHJlYWxseSBnZXQgb3V0IG1vcmUu\n";
        let r = parse(text).expect("parses");
        assert_eq!(r.len(), 2);
        assert_eq!(
            r[0].dn,
            "cn=Barbara Jensen, ou=Product Development, dc=airius, dc=com"
        );
        assert_eq!(
            r[0].attrs[1].1,
            b"Babs is a big sailing fan, and travels extensively in search of perfect sailing conditions."
        );
        assert_eq!(r[0].attrs[2].0, "cn");
        assert!(r[1].attrs[0]
            .1
            .starts_with(b"What a careful reader you are!"));
        assert!(r[1].attrs[0].1.contains(&b'\r'));
    }

    #[test]
    fn what_is_not_read_is_refused_with_its_line() {
        let e = parse("dn: cn=a\nchangetype: modify\n").expect_err("refused");
        assert_eq!(e.line, 2);
        let e = parse("objectClass: top\n").expect_err("no dn");
        assert!(e.what.contains("dn:"), "{e}");
        let e = parse("dn: cn=a\njpegPhoto:< file:///x\n").expect_err("URL");
        assert_eq!(e.line, 2);
        let e = parse("dn: cn=a\nx:: !!!\n").expect_err("base64");
        assert!(e.to_string().contains("base64"), "{e}");
        let e = parse("dn: cn=a\nno value here\n").expect_err("no colon");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn the_embedded_content_parses() {
        let r = parse(super::super::CONTENT).expect("the demo content is valid LDIF");
        assert!(r.len() > 40);
        assert!(r.iter().all(|e| !e.attrs.is_empty()));
    }
}
