//! Characters a name field must not hold although they look harmless: letters of another
//! script that look Latin (Cyrillic `а`, Greek `Ο`, fullwidth `Ｍ`), characters that take no
//! room (zero-width spaces and joiners, direction marks and overrides, the byte-order mark),
//! a no-break space, and white space before or after the name.
//!
//! Every field whose rules name an account, a group, a domain, a host or an address gets this
//! check before its own rules (`evaluate`), so that the finding says what the character is,
//! where it stands, and that the name will not be found, instead of a generic "not allowed".
use super::FieldCtx;
use crate::finding::Finding;

/// What a name field names, for the sentence saying what fails to find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Account,
    Group,
    Domain,
    Host,
    Sql,
    Address,
}

impl NameKind {
    /// The kind of name a field holds, from the rules the screen file gives it.
    pub fn of_rules(rules: &[String]) -> Option<NameKind> {
        rules.iter().find_map(|r| {
            Some(match r.as_str() {
                "sam-account-name" | "domain-account" | "upn" => NameKind::Account,
                "group-name" => NameKind::Group,
                "netbios-domain" => NameKind::Domain,
                "hostname" | "sql-server-no-port" | "sql-server-address" | "http-url"
                | "sharepoint-url" | "service-address" => NameKind::Host,
                "sql-instance-name" | "sql-database-name" => NameKind::Sql,
                "email-address" | "tenant" => NameKind::Address,
                _ => return None,
            })
        })
    }

    fn not_found(self) -> &'static str {
        match self {
            NameKind::Account => "Active Directory compares names character by character: it will not find the account under this name, so setup fails to find it.",
            NameKind::Group => "Active Directory compares names character by character: it will not find the group under this name, so setup cannot resolve it.",
            NameKind::Domain => "Active Directory compares names character by character: it will not find the domain under this name, so no account in it is found.",
            NameKind::Host => "DNS and Active Directory compare names character by character: they will not find the host under this name, so setup cannot reach it.",
            NameKind::Sql => "SQL Server compares these names character by character: it will not find the instance or the database under this name.",
            NameKind::Address => "Mail servers and Azure AD compare addresses character by character: they will not find the mailbox or the tenant under this address.",
        }
    }
}

/// The field rule for account names that have no rule of their own (the live checks' bind
/// account and computer account, which may be written in several forms): this check alone.
pub fn account_characters(ctx: &FieldCtx) -> Vec<Finding> {
    check(ctx, NameKind::Account).into_iter().collect()
}

/// The first look-alike, invisible or surrounding-space problem of a name, as an error.
pub fn check(ctx: &FieldCtx, kind: NameKind) -> Option<Finding> {
    let value = ctx.text();
    let (check, message, evidence, fix) = problem(value)?;
    Some(
        Finding::error(check, ctx.path, message)
            .why(kind.not_found())
            .fix(fix)
            .evidence(evidence),
    )
}

type Problem = (&'static str, &'static str, String, String);

fn problem(value: &str) -> Option<Problem> {
    let chars: Vec<char> = value.chars().collect();
    let at = |i: usize| format!("at position {} of {}", i + 1, chars.len());
    if let Some((i, c)) = chars.iter().enumerate().find(|(_, c)| hidden(**c)) {
        return Some((
            "name-invisible",
            "The name holds a character that is not shown on screen.",
            format!("{} {}", describe_hidden(*c), at(i)),
            "Delete the name and type it again by hand (copying from a document or a web page brings such characters along).".into(),
        ));
    }
    if let Some(i) = chars.iter().position(|c| *c == '\u{00A0}') {
        return Some((
            "name-invisible",
            "The name holds a no-break space, which looks like a space but is another character.",
            format!("no-break space (U+00A0) {}", at(i)),
            "Replace it with a plain space, or delete the name and type it again by hand.".into(),
        ));
    }
    let latin_letters = chars.iter().any(char::is_ascii_alphabetic);
    let letters: Vec<char> = chars
        .iter()
        .copied()
        .filter(|c| c.is_alphabetic())
        .collect();
    let all_look_latin = letters
        .iter()
        .all(|c| c.is_ascii_alphabetic() || lookalike(*c).is_some());
    for (i, c) in chars.iter().enumerate() {
        let Some((script, latin)) = lookalike(*c) else {
            continue;
        };
        if script == "fullwidth" || latin_letters || all_look_latin {
            let typed: String = chars
                .iter()
                .map(|c| lookalike(*c).map_or(*c, |(_, l)| l))
                .collect();
            return Some((
                "name-lookalike",
                "The name holds a letter of another alphabet that looks like a Latin letter.",
                format!(
                    "{script} '{c}' (U+{:04X}) {}, which looks like the Latin '{latin}'",
                    *c as u32,
                    at(i)
                ),
                format!("Type the name again with a Latin keyboard layout: '{typed}'."),
            ));
        }
    }
    let trimmed = value.trim();
    if trimmed.len() != value.len() && !trimmed.is_empty() {
        let (i, c) = if value.starts_with(char::is_whitespace) {
            (0, chars[0])
        } else {
            let i = chars.len() - 1;
            (i, chars[i])
        };
        let where_ = if i == 0 { "before" } else { "after" };
        return Some((
            "name-spaces",
            "The name has white space before or after it.",
            format!("{} {}", shown_space(c), at(i)),
            format!("Remove the white space {where_} the name: '{trimmed}'."),
        ));
    }
    None
}

/// Characters that take no room on screen, control characters other than white space, and
/// characters Unicode reserves for formatting.
fn hidden(c: char) -> bool {
    super::invisible(c) || (c.is_control() && !c.is_whitespace())
}

fn describe_hidden(c: char) -> String {
    let name = match c {
        '\u{00AD}' => "soft hyphen",
        '\u{034F}' => "combining grapheme joiner",
        '\u{061C}' => "Arabic letter mark",
        '\u{180E}' => "Mongolian vowel separator",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override, which shows the text after it reversed",
        '\u{2060}' => "word joiner",
        '\u{2066}'..='\u{2069}' => "directional isolate",
        '\u{FEFF}' => "byte-order mark (zero-width no-break space)",
        c if c.is_control() => "control character",
        _ => "invisible formatting character",
    };
    format!("{name} (U+{:04X})", c as u32)
}

fn shown_space(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab (U+0009)".into(),
        c => format!("white space U+{:04X}", c as u32),
    }
}

/// A letter of another script (or a fullwidth letter or digit) that looks like a Latin
/// letter or digit: its script and the ASCII character it passes for.
pub fn lookalike(c: char) -> Option<(&'static str, char)> {
    let fullwidth = [
        '\u{FF10}'..='\u{FF19}',
        '\u{FF21}'..='\u{FF3A}',
        '\u{FF41}'..='\u{FF5A}',
    ];
    if fullwidth.iter().any(|r| r.contains(&c)) {
        let ascii = char::from_u32(c as u32 - 0xFEE0)?;
        return Some(("fullwidth", ascii));
    }
    const CYRILLIC: &[(char, char)] = &[
        ('а', 'a'),
        ('в', 'B'),
        ('е', 'e'),
        ('о', 'o'),
        ('р', 'p'),
        ('с', 'c'),
        ('у', 'y'),
        ('х', 'x'),
        ('ѕ', 's'),
        ('і', 'i'),
        ('ј', 'j'),
        ('ԁ', 'd'),
        ('һ', 'h'),
        ('ԛ', 'q'),
        ('ԝ', 'w'),
        ('ӏ', 'l'),
        ('А', 'A'),
        ('В', 'B'),
        ('Е', 'E'),
        ('К', 'K'),
        ('М', 'M'),
        ('Н', 'H'),
        ('О', 'O'),
        ('Р', 'P'),
        ('С', 'C'),
        ('Т', 'T'),
        ('Х', 'X'),
        ('Ѕ', 'S'),
        ('І', 'I'),
        ('Ј', 'J'),
        ('У', 'Y'),
        ('Ү', 'Y'),
        ('Ԛ', 'Q'),
        ('Ԝ', 'W'),
    ];
    const GREEK: &[(char, char)] = &[
        ('Α', 'A'),
        ('Β', 'B'),
        ('Ε', 'E'),
        ('Ζ', 'Z'),
        ('Η', 'H'),
        ('Ι', 'I'),
        ('Κ', 'K'),
        ('Μ', 'M'),
        ('Ν', 'N'),
        ('Ο', 'O'),
        ('Ρ', 'P'),
        ('Τ', 'T'),
        ('Υ', 'Y'),
        ('Χ', 'X'),
        ('α', 'a'),
        ('ι', 'i'),
        ('κ', 'k'),
        ('ν', 'v'),
        ('ο', 'o'),
        ('ρ', 'p'),
        ('υ', 'u'),
    ];
    let find = |table: &[(char, char)]| table.iter().find(|(k, _)| *k == c).map(|(_, l)| *l);
    if let Some(l) = find(CYRILLIC) {
        return Some(("Cyrillic", l));
    }
    if let Some(l) = find(GREEK) {
        return Some(("Greek", l));
    }
    if c == 'ı' {
        return Some(("Turkish dotless", 'i'));
    }
    None
}
