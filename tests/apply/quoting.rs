//! Hostile secret values (spaces, quotes, `%`, `;`, `&`, backslashes) reach the programs
//! unchanged: in argv as they are, and in the Windows command line apply builds (given to the
//! stand-ins as MIM_SETUP_COMMAND_LINE) quoted so that msiexec, and `CommandLineToArgvW` for
//! other programs, read them back exactly. A line break cannot be passed to msiexec: the
//! step is refused before it starts.
use super::{text, Lab};
use serde_json::Value;

const HOSTILE: &[&str] = &[
    "two words",
    "say \"hi\" twice\"\"",
    "100% %PATH% ;x;",
    "a&b && c | d ^ e",
    "ends with backslash\\",
    "back\\\"slash quote",
    "'single' (paren) <lt> >gt, = eq",
];

/// msiexec's reading of its command line: space-separated tokens, `"` toggles quoting, `""`
/// inside quotes is one `"`.
fn msiexec_tokens(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let (mut out, mut cur, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            if quoted && chars.get(i + 1) == Some(&'"') {
                cur.push('"');
                i += 1;
            } else {
                quoted = !quoted;
            }
            any = true;
        } else if c == ' ' && !quoted {
            if any {
                out.push(std::mem::take(&mut cur));
                any = false;
            }
        } else {
            cur.push(c);
            any = true;
        }
        i += 1;
    }
    if any {
        out.push(cur);
    }
    out
}

/// `CommandLineToArgvW`'s reading (for arguments after the program).
fn windows_argv(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let (mut args, mut i) = (Vec::new(), 0);
    loop {
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        if i >= chars.len() {
            return args;
        }
        let (mut arg, mut quoted) = (String::new(), false);
        while i < chars.len() && (quoted || chars[i] != ' ') {
            if chars[i] == '\\' {
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
            if chars[i] == '"' {
                quoted = !quoted;
            } else {
                arg.push(chars[i]);
            }
            i += 1;
        }
        args.push(arg);
    }
}

fn argv(call: &Value) -> Vec<String> {
    call["argv"]
        .as_array()
        .expect("argv")
        .iter()
        .map(|a| a.as_str().expect("string").to_string())
        .collect()
}

#[test]
fn hostile_secret_values_reach_msiexec_and_miiskmu_unchanged() {
    for value in HOSTILE {
        let mut lab = Lab::new("contoso-sync");
        lab.secret = value.to_string();
        let o = lab.apply(&[]);
        assert_eq!(o.status.code(), Some(0), "{value:?}: {}", text(&o));
        let calls = lab.calls();
        let (msi, key) = (&calls[0], &calls[2]);
        assert_eq!(
            (msi["program"].as_str(), key["program"].as_str()),
            (Some("msiexec"), Some("miiskmu"))
        );
        let want = format!("SERVICEPASSWORD={value}");
        assert!(argv(msi).contains(&want), "{value:?}: {msi}");
        let line = msi["command_line"].as_str().expect("command line");
        let tokens = msiexec_tokens(line);
        assert!(tokens.contains(&want), "{value:?}: {line}\n{tokens:?}");
        assert_eq!(tokens[0], "msiexec.exe");
        assert_eq!(tokens[2], "Synchronization Service.msi");
        // Every property arrives as the plan lists it.
        let n = argv(msi).len();
        assert_eq!(tokens[1..], argv(msi)[..n], "{value:?}: {line}");

        assert_eq!(argv(key)[3], *value, "{value:?}: {key}");
        let line = key["command_line"].as_str().expect("command line");
        let exe = "\"C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\Synchronization Service\\Bin\\miiskmu.exe\" ";
        let rest = line.strip_prefix(exe).expect("program first");
        assert_eq!(windows_argv(rest), argv(key), "{value:?}: {line}");
    }
}

#[test]
fn a_line_break_in_a_secret_cannot_reach_msiexec() {
    let mut lab = Lab::new("contoso-sync");
    lab.secret = "first line\nsecond line".into();
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "SERVICEPASSWORD: the value cannot be passed to msiexec: it contains a line break"
        ),
        "{out}"
    );
    assert!(lab.calls().is_empty(), "msiexec was not started");
    assert!(!out.contains("second line"), "{out}");
}
