//! Hostile values (spaces, both quotes and the typographic ones, `%`, `;`, `&`, `$`,
//! backtick, `|`, line breaks) round-trip through the exported PowerShell script.
//!
//! No PowerShell runs here (none can be installed on this machine: Debian has no package and
//! the npm one downloads a release at install time), so the test reads the script with a
//! hand-written reading of the PowerShell subset the exporter writes:
//!
//! ```text
//!   expr := term { '+' term }
//!   term := '(' expr ')' | '(' FUNC expr ')' | '$LogDir' | single | escape
//!   single := "'" { char | q q } "'"      q: ' U+2018 U+2019 U+201A U+201B (PowerShell's
//!                                            single quotes; two in a row stand for one)
//!   escape := '"`n"' | '"`r"' | '"`0"'
//!   FUNC := Get-PlanSecretText | Format-WinArg | Format-MsiValue   (as the script defines)
//! ```
//!
//! Anything else fails the test. The value read is then taken apart again the way the
//! program reads its command line (msiexec for `NAME=value` properties, CommandLineToArgvW
//! otherwise) and must equal the plan's argument with its placeholders filled in.
use super::mim_setup;
use crate::windows::{command_line_to_argv, msiexec_tokens};
use mim_setup::plan::quote_arg;

const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
const HOSTILE: &str = "a b\"c'd\u{2018}e\u{2019}f\u{201A}g\u{201B}h%i%;j&k$l`m|n^o(p)q,r=s\\t\\";
const LOG_DIR: &str = "C:\\mim logs 'x' $y\\";
const SECRET: &str = "p\"w d'$`n%;&\u{2019}";

struct Reader<'a> {
    s: &'a [char],
    i: usize,
}

impl Reader<'_> {
    fn eat(&mut self, lit: &str) -> bool {
        let chars: Vec<char> = lit.chars().collect();
        if self.s[self.i..].starts_with(&chars) {
            self.i += chars.len();
            true
        } else {
            false
        }
    }

    fn spaces(&mut self) {
        while self.s.get(self.i) == Some(&' ') {
            self.i += 1;
        }
    }

    fn expr(&mut self) -> String {
        let mut v = self.term();
        loop {
            let save = self.i;
            self.spaces();
            if self.eat("+") {
                self.spaces();
                v.push_str(&self.term());
            } else {
                self.i = save;
                return v;
            }
        }
    }

    fn term(&mut self) -> String {
        if self.eat("$LogDir") {
            return LOG_DIR.to_string();
        }
        for (esc, c) in [("\"`n\"", "\n"), ("\"`r\"", "\r"), ("\"`0\"", "\0")] {
            if self.eat(esc) {
                return c.to_string();
            }
        }
        if self.eat("(") {
            let v = if self.eat("Get-PlanSecretText ") {
                let name = self.expr();
                assert_eq!(name, "pw", "only the plan's secret is read");
                SECRET.to_string()
            } else if self.eat("Format-WinArg ") {
                quote_arg(&self.expr())
            } else if self.eat("Format-MsiValue ") {
                let v = self.expr();
                assert!(!v.contains(['\r', '\n', '\0']));
                format!("\"{}\"", v.replace('"', "\"\""))
            } else {
                self.expr()
            };
            assert!(self.eat(")"), "unclosed ( at {}", self.i);
            return v;
        }
        assert!(
            SINGLE_QUOTES.contains(&self.s[self.i]),
            "not an expression of the exporter's subset at {}: {:?}",
            self.i,
            self.s[self.i..].iter().collect::<String>()
        );
        self.i += 1;
        let mut v = String::new();
        loop {
            let c = *self.s.get(self.i).expect("unterminated literal");
            if SINGLE_QUOTES.contains(&c) {
                match self.s.get(self.i + 1) {
                    Some(n) if SINGLE_QUOTES.contains(n) => {
                        v.push(*n);
                        self.i += 2;
                    }
                    _ => {
                        self.i += 1;
                        return v;
                    }
                }
            } else {
                assert!(c != '\n' && c != '\r', "a line break inside a literal");
                v.push(c);
                self.i += 1;
            }
        }
    }
}

/// The value of a whole PowerShell expression; it must use up `line`.
fn eval(line: &str) -> String {
    let chars: Vec<char> = line.trim().chars().collect();
    let mut r = Reader { s: &chars, i: 0 };
    let v = r.expr();
    assert_eq!(r.i, chars.len(), "trailing text in {line:?}");
    v
}

/// The hostile plan shared with `tests/ansible-check.sh` (`tests/export/hostile.plan.json`).
fn hostile_plan() -> serde_json::Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export/hostile.plan.json");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON");
    assert_eq!(
        plan["steps"][0]["properties"][0]["value"], HOSTILE,
        "the fixture holds HOSTILE"
    );
    plan
}

/// The argument entries of step `id` in the script, one expression per line.
fn argument_lines<'a>(script: &'a str, id: &str) -> (Vec<&'a str>, &'a str) {
    let call = format!(" -Id '{id}' ");
    let found = script.find(&call).expect("the step's call");
    let call_at = script[..found].rfind('\n').map_or(0, |i| i + 1);
    let open = script[..call_at]
        .rfind("$arguments = @(\n")
        .expect("argument list");
    let body = &script[open + "$arguments = @(\n".len()..call_at];
    let body = body.strip_suffix(")\n").expect("closing )");
    let call_line = script[call_at..].lines().next().expect("line");
    (body.lines().collect(), call_line)
}

/// The fixture carries its own integrity hash, so that `tests/ansible-check.sh` exports it as
/// it is (export refuses a plan without one, as apply does). After editing the fixture,
/// `MIM_SETUP_RESEAL=1 cargo test --test cli sealed` writes the hash back.
#[test]
fn the_hostile_fixture_is_sealed() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export/hostile.plan.json");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let sealed = format!("{}\n", super::seal(&hostile_plan()));
    if text != sealed && std::env::var_os("MIM_SETUP_RESEAL").is_some() {
        std::fs::write(&path, &sealed).expect("reseal the fixture");
        return;
    }
    assert_eq!(
        text, sealed,
        "tests/export/hostile.plan.json is not sealed: run MIM_SETUP_RESEAL=1 cargo test --test cli sealed"
    );
}

#[test]
fn hostile_values_round_trip_through_the_powershell_script() {
    let plan = hostile_plan();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hostile.plan.json");
    std::fs::write(&path, super::seal(&plan)).expect("write");
    let o = mim_setup(&[
        "export",
        path.to_str().expect("utf-8"),
        "--format",
        "powershell",
    ]);
    let script = String::from_utf8(o.stdout).expect("utf-8");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    for step in plan["steps"].as_array().expect("steps").iter().take(3) {
        let id = step["id"].as_str().expect("id");
        let argv: Vec<&str> = step["argv"]
            .as_array()
            .expect("argv")
            .iter()
            .map(|a| a.as_str().expect("str"))
            .collect();
        let (lines, call) = argument_lines(&script, id);
        assert_eq!(lines.len(), argv.len() - 1, "{id}: one entry per argument");
        for (line, want) in lines.iter().zip(&argv[1..]) {
            let want = want
                .replace("{{log_dir}}", LOG_DIR)
                .replace("{{secret:pw}}", SECRET);
            let quoted = eval(line);
            let got = if id == "install" && want.starts_with("P") && want.contains('=') {
                msiexec_tokens(&quoted).single(&quoted)
            } else {
                command_line_to_argv(&quoted).single(&quoted)
            };
            assert_eq!(got, want, "{id}: {line}");
        }
        let program = call.split(" -FilePath ").nth(1).expect("-FilePath");
        let end = program.find(" -Arguments").expect("-Arguments");
        assert_eq!(eval(&program[..end]), argv[0]);
        if id == "install" {
            let wd = call
                .split(" -WorkingDirectory ")
                .nth(1)
                .expect("-WorkingDirectory");
            let wd = &wd[..wd.find(" -Log ").expect("-Log")];
            assert_eq!(eval(wd), "D:\\Media 'x' $y\u{2019}");
            let log = call.split(" -Log ").nth(1).expect("-Log");
            assert_eq!(
                eval(&log[..log.find(" -Shown ").expect("-Shown")]),
                format!("{LOG_DIR}\\install.log")
            );
        }
    }
    // Text from the plan stays in comments or in literals: no line runs it as code.
    for line in script.lines() {
        if line.contains("$(evil") {
            let code = line.starts_with('#') || line.starts_with("Write-Host ");
            assert!(code, "{line}");
            if let Some(expr) = line.strip_prefix("Write-Host ") {
                eval(expr);
            }
        }
    }
    let manual = script
        .lines()
        .find(|l| l.starts_with("Write-Host ") && l.contains("==> manual"))
        .expect("manual step");
    assert_eq!(
        eval(manual.strip_prefix("Write-Host ").expect("prefix")),
        "==> manual (by hand): do\nthis 'x' $(evil-manual) {{ 7*7 }}"
    );
    assert!(!script.contains(SECRET));
}

#[test]
fn a_line_break_in_an_msiexec_property_is_refused_without_echoing_it() {
    let mut plan = hostile_plan();
    let secret_like = "Canary-Value-In-Break\nsecond line";
    plan["steps"][0]["argv"][6] = format!("P1={secret_like}").into();
    plan["steps"][0]["properties"][0]["value"] = secret_like.into();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.plan.json");
    std::fs::write(&path, super::seal(&plan)).expect("write");
    for format in ["powershell", "ansible"] {
        let o = mim_setup(&["export", path.to_str().expect("utf-8"), "--format", format]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{format}: {stderr}");
        assert!(
            stderr.contains("step \"install\"") && stderr.contains("line break"),
            "{stderr}"
        );
        assert!(!stderr.contains("Canary-Value"), "{stderr}");
    }
}

#[test]
fn the_reader_refuses_what_powershell_would_run() {
    for bad in ["'a' ; Remove-Item x", "\"$env:X\"", "'a'b'", "$x"] {
        let r = std::panic::catch_unwind(|| eval(bad));
        assert!(r.is_err(), "{bad:?} was accepted");
    }
    assert_eq!(
        eval("('a' + \"`n\" + 'b''\u{2019}\u{2019}')"),
        "a\nb'\u{2019}"
    );
}

/// Windows-1252, the ANSI code page of a western Windows, in which Windows PowerShell 5.1
/// reads a script file that has no byte-order mark: 0x80..=0x9F as the code page maps them
/// (the five unmapped bytes as their C1 controls, as Windows does), every other byte as
/// Latin-1.
fn cp1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// The script's text as Windows PowerShell 5.1 reads the file: UTF-8 after a UTF-8
/// byte-order mark, else the ANSI code page.
fn read_as_windows_powershell(bytes: &[u8]) -> String {
    match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => String::from_utf8(rest.to_vec()).expect("UTF-8 after the BOM"),
        None => cp1252(bytes),
    }
}

/// Letters whose UTF-8 bytes hold 0x82, 0x91, 0x92 (quote marks in the ANSI code page) or
/// other bytes 5.1 would misread, and an install folder that `validate` accepts.
const NON_ASCII: [&str; 5] = ["Müller", "contoso\\Michał", "Ñ", "т", "ё"];
const FOLDER: &str = "C:\\Program Files\\ł; calc; #\\";

/// The hostile plan's install step with the non-ASCII values as properties and working folder.
fn non_ascii_plan() -> serde_json::Value {
    let mut plan = hostile_plan();
    let step = &mut plan["steps"][0];
    for (i, v) in NON_ASCII.iter().chain([&FOLDER]).enumerate() {
        let name = format!("U{i}");
        step["argv"]
            .as_array_mut()
            .expect("argv")
            .push(format!("{name}={v}").into());
        step["properties"]
            .as_array_mut()
            .expect("properties")
            .push(serde_json::json!({"name": name, "value": v, "from": "a.b", "source": "doc", "confirmed": true}));
    }
    step["working_dir"] = FOLDER.into();
    plan
}

/// Whether every argument of the install step and its working folder read back as the plan
/// has them, from the script as `text`.
fn install_step_round_trips(plan: &serde_json::Value, text: &str) -> bool {
    let argv: Vec<&str> = plan["steps"][0]["argv"]
        .as_array()
        .expect("argv")
        .iter()
        .map(|a| a.as_str().expect("str"))
        .collect();
    std::panic::catch_unwind(|| {
        let (lines, call) = argument_lines(text, "install");
        let args_ok = lines.iter().zip(&argv[1..]).all(|(line, want)| {
            let want = want
                .replace("{{log_dir}}", LOG_DIR)
                .replace("{{secret:pw}}", SECRET);
            let quoted = eval(line);
            let got = if want.starts_with('P') || want.starts_with('U') {
                msiexec_tokens(&quoted).single(&quoted)
            } else {
                command_line_to_argv(&quoted).single(&quoted)
            };
            got == want
        });
        let wd = call
            .split(" -WorkingDirectory ")
            .nth(1)
            .expect("-WorkingDirectory");
        let wd = &wd[..wd.find(" -Log ").expect("-Log")];
        args_ok && lines.len() == argv.len() - 1 && eval(wd) == FOLDER
    })
    .unwrap_or(false)
}

#[test]
fn non_ascii_values_round_trip_as_windows_powershell_reads_the_file() {
    let plan = non_ascii_plan();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("non-ascii.plan.json");
    std::fs::write(&path, super::seal(&plan)).expect("write");
    let out = dir.path().join("non-ascii.ps1");
    let o = mim_setup(&[
        "export",
        path.to_str().expect("utf-8"),
        "--format",
        "powershell",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&out).expect("the script");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the script starts with a UTF-8 BOM"
    );
    let read = read_as_windows_powershell(&bytes);
    assert!(
        install_step_round_trips(&plan, &read),
        "with the BOM, 5.1 reads every value back"
    );
    for v in NON_ASCII.iter().chain([&FOLDER]) {
        assert!(read.contains(v), "{v}");
    }
    // The same bytes without the BOM: 5.1 reads `Müller` as `MÃ¼ller`, and `ł` (C5 82) as
    // `Å‚`, where `‚` ends a single-quoted literal. The BOM is what keeps them text.
    let without = read_as_windows_powershell(&bytes[3..]);
    assert!(without.contains("MÃ¼ller"));
    assert!(!install_step_round_trips(&plan, &without));
}
