//! Running one step as a child process.
//!
//! ```text
//!   step.argv --fill {{log_dir}}, {{secret:NAME}}--> argv --+--> Windows: the program itself
//!                                                          +--> --runner DIR: DIR/<basename>
//! ```
//!
//! On Windows an msiexec step gets its command line as msiexec reads it (`NAME="va lue"`,
//! built by the plan's quoting rules from the filled-in values), other steps get their
//! arguments quoted for `CommandLineToArgvW`. With a runner (stand-in executables, for tests
//! and rehearsals) the program's base name without `.exe` is looked up in DIR and run with
//! the same arguments; it also gets the Windows command line in `MIM_SETUP_COMMAND_LINE`.
//! The child's output goes, with every secret value replaced by `***`, into
//! `LOG_DIR/<step>.output.log`.
//!
//! Exit codes on Unix are 8 bits, Windows Installer's are not (1603, 3010): a stand-in
//! reports its Windows exit code by writing it to the file named in
//! `MIM_SETUP_EXIT_CODE_FILE`, which then wins over its process exit code.
use crate::plan::placeholder::{self, segments, Seg};
use crate::plan::{msi_property, quote_arg, Step, StepKind};
use crate::secret::Secret;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// How long the output of a step is still copied after its program ended.
const COPY_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Where programs come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Print what would run; run nothing (the default off Windows).
    DryRun,
    /// Stand-in executables in this folder.
    Runner(PathBuf),
    /// The real programs (Windows).
    Native,
}

/// Fills `{{log_dir}}` (a following `\` becomes this system's separator) and, when `secrets`
/// holds them, `{{secret:NAME}}`, in one pass over the placeholders the plan made (a filled-in
/// value is never read again for placeholders).
///
/// A secret is filled in only where a plan puts one: as the whole argument, or as the whole
/// value of a `NAME=` property. Anywhere else (inside a URL, a path, a script) it stays a
/// placeholder, so that a value that carried one past the rules cannot pull a password into
/// a command.
pub fn fill(arg: &str, log_dir: &Path, secrets: &BTreeMap<String, Secret>) -> String {
    let dir = log_dir.display().to_string();
    let segs = segments(arg);
    let secret_here = match segs.as_slice() {
        [Seg::Secret(_)] => true,
        [Seg::Lit(p), Seg::Secret(_)] => p.strip_suffix('=').is_some_and(|n| {
            !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }),
        _ => false,
    };
    let mut out = String::new();
    let mut after_log_dir = false;
    for seg in &segs {
        match seg {
            Seg::Lit(t) => match t.strip_prefix('\\').filter(|_| after_log_dir) {
                Some(rest) => {
                    out.push(std::path::MAIN_SEPARATOR);
                    out.push_str(rest);
                }
                None => out.push_str(t),
            },
            Seg::LogDir => out.push_str(&dir),
            Seg::Secret(name) => match secrets.get(*name).filter(|_| secret_here) {
                Some(secret) => out.push_str(secret.expose()),
                None => out.push_str(&placeholder::secret(name)),
            },
        }
        after_log_dir = *seg == Seg::LogDir;
    }
    out
}

/// The command line as shown and logged: the plan's, with the log folder filled in and
/// secrets left as their `{{secret:NAME}}` placeholders.
pub fn shown_command(step: &Step, log_dir: &Path) -> String {
    fill(&step.command, log_dir, &BTreeMap::new())
}

/// The Windows command line for filled-in arguments, by the plan's quoting rules: for an
/// msiexec step the trailing `NAME=value` arguments (one per property) by msiexec's rules,
/// every other argument for `CommandLineToArgvW`.
pub fn windows_command_line(step: &Step, argv: &[String]) -> Result<String, String> {
    let props = if step.kind == StepKind::Msiexec {
        step.properties.len().min(argv.len())
    } else {
        0
    };
    let split = argv.len() - props;
    let mut parts: Vec<String> = argv[..split].iter().map(|a| quote_arg(a)).collect();
    for (arg, prop) in argv[split..].iter().zip(&step.properties) {
        let value = arg
            .strip_prefix(&format!("{}=", prop.name))
            .ok_or_else(|| {
                format!(
                    "argument for {} does not start with {}=",
                    prop.name, prop.name
                )
            })?;
        parts.push(msi_property(&prop.name, value).map_err(|e| e.to_string())?);
    }
    Ok(parts.join(" "))
}

/// The program a runner folder stands in for `program`: base name, without `.exe`.
pub fn stand_in(dir: &Path, program: &str) -> PathBuf {
    let base = program.rsplit(['\\', '/']).next().unwrap_or(program);
    let base = match base.len().checked_sub(4) {
        Some(i) if base.is_char_boundary(i) && base[i..].eq_ignore_ascii_case(".exe") => &base[..i],
        _ => base,
    };
    dir.join(base)
}

/// How a child ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    /// Ended without an exit code (a signal).
    NoCode,
    /// Could not be started.
    NotStarted(String),
}

/// Runs a step's filled-in `argv`; waits; the child's output goes to `output_log`, redacted.
pub fn run(
    mode: &Mode,
    step: &Step,
    argv: &[String],
    secrets: &[Secret],
    output_log: &Path,
    on_start: &mut dyn FnMut(u32),
) -> Exit {
    let Some(program) = argv.first() else {
        return Exit::NotStarted("the step has no program".into());
    };
    let line = match windows_command_line(step, argv) {
        Ok(l) => l,
        Err(e) => return Exit::NotStarted(format!("its command line cannot be built: {e}")),
    };
    let code_file = output_log.with_extension("exit-code");
    let mut cmd = match mode {
        Mode::DryRun => return Exit::NotStarted("dry run".into()),
        Mode::Runner(dir) => {
            let path = stand_in(dir, program);
            if !path.is_file() {
                return Exit::NotStarted(format!(
                    "no stand-in for {program} in {} (looked for {})",
                    dir.display(),
                    path.display()
                ));
            }
            let mut c = Command::new(path);
            let _ = std::fs::remove_file(&code_file);
            c.args(&argv[1..])
                .env("MIM_SETUP_COMMAND_LINE", &line)
                .env("MIM_SETUP_EXIT_CODE_FILE", &code_file);
            if let Some(w) = &step.working_dir {
                c.env("MIM_SETUP_WORKING_DIR", w);
            }
            c
        }
        Mode::Native => native(step, argv, &line),
    };
    let file = match std::fs::File::create(output_log) {
        Ok(f) => Arc::new(Mutex::new(f)),
        Err(e) => return Exit::NotStarted(format!("cannot create {}: {e}", output_log.display())),
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Exit::NotStarted(format!("{program} could not be started: {e}")),
    };
    on_start(child.id());
    let mut copiers = Vec::new();
    let out = child
        .stdout
        .take()
        .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>);
    let err = child
        .stderr
        .take()
        .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>);
    for stream in [out, err].into_iter().flatten() {
        let file = Arc::clone(&file);
        let secrets = secrets.to_vec();
        copiers.push(std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut buf = Vec::new();
            while reader
                .read_until(b'\n', &mut buf)
                .map(|n| n > 0)
                .unwrap_or(false)
            {
                let line = redact(&String::from_utf8_lossy(&buf), &secrets);
                if let Ok(mut f) = file.lock() {
                    let _ = f.write_all(line.as_bytes());
                }
                buf.clear();
            }
        }));
    }
    let status = child.wait();
    // A grandchild that inherited the output pipes (a program left running in the
    // background) keeps them open after the step's program ended: its output is copied for
    // a moment more, then the step goes on without it instead of waiting for it forever.
    let deadline = std::time::Instant::now() + COPY_GRACE;
    for c in copiers {
        while !c.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if c.is_finished() {
            let _ = c.join();
        }
    }
    if let (Mode::Runner(_), Ok(text)) = (mode, std::fs::read_to_string(&code_file)) {
        let _ = std::fs::remove_file(&code_file);
        if let (Ok(_), Ok(code)) = (&status, text.trim().parse::<i32>()) {
            return Exit::Code(code);
        }
    }
    match status {
        Ok(s) => s.code().map_or(Exit::NoCode, Exit::Code),
        Err(e) => Exit::NotStarted(format!("waiting for {program} failed: {e}")),
    }
}

/// Text with every secret value replaced by `***`: as it is, and as a Windows command line
/// quotes it (msiexec doubles a `"`, `CommandLineToArgvW` escapes it), since logs of the
/// programs may echo either.
pub fn redact(text: &str, secrets: &[Secret]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        let v = s.expose();
        let quoted = crate::plan::msiexec::quote_arg(v);
        let inner = quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .unwrap_or(&quoted);
        for form in [v.replace('"', "\"\""), inner.to_string(), v.to_string()] {
            out = out.replace(&form, "***");
        }
    }
    out
}

#[cfg(windows)]
fn native(step: &Step, argv: &[String], line: &str) -> Command {
    use std::os::windows::process::CommandExt;
    let mut c = Command::new(&argv[0]);
    // The arguments exactly as the plan quotes them: msiexec reads its own command line.
    let rest = line
        .get(quote_arg(&argv[0]).len()..)
        .unwrap_or("")
        .trim_start();
    c.raw_arg(rest);
    if let Some(w) = &step.working_dir {
        c.current_dir(w);
    }
    c
}

#[cfg(not(windows))]
fn native(step: &Step, argv: &[String], _line: &str) -> Command {
    let mut c = Command::new(&argv[0]);
    c.args(&argv[1..]);
    if let Some(w) = &step.working_dir {
        c.current_dir(w);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_are_found_by_base_name_without_exe() {
        let d = Path::new("/r");
        assert_eq!(stand_in(d, "msiexec.exe"), d.join("msiexec"));
        assert_eq!(stand_in(d, "SC.EXE"), d.join("SC"));
        assert_eq!(
            stand_in(d, r"C:\Program Files\X\Bin\miiskmu.exe"),
            d.join("miiskmu")
        );
        assert_eq!(stand_in(d, "netsh"), d.join("netsh"));
    }

    #[test]
    fn quoted_forms_of_a_secret_are_redacted_too() {
        let s = [Secret::new(r#"p "a\ss"#)];
        for shown in [
            r#"SERVICEPASSWORD="p ""a\ss""#,
            r#"/p:"p \"a\ss""#,
            r#"Property(C): SERVICEPASSWORD = p "a\ss"#,
        ] {
            let got = redact(shown, &s);
            assert!(
                got.contains("***") && !got.contains("a\\ss"),
                "{shown} -> {got}"
            );
        }
    }

    #[test]
    fn secrets_are_filled_and_redacted() {
        let mut s = BTreeMap::new();
        s.insert("pw".to_string(), Secret::new("p a;ss"));
        let log = Path::new("/tmp/logs");
        let sep = std::path::MAIN_SEPARATOR;
        let got = fill("P={{secret:pw}}", log, &s);
        assert_eq!(got, "P=p a;ss");
        assert_eq!(fill("{{secret:pw}}", log, &s), "p a;ss");
        assert_eq!(redact(&got, &[Secret::new("p a;ss")]), "P=***");
        assert_eq!(
            fill(r"/L*v {{log_dir}}\x.log", log, &s),
            format!("/L*v /tmp/logs{sep}x.log")
        );
    }

    #[test]
    fn a_secret_is_filled_only_where_the_plan_puts_one() {
        let mut s = BTreeMap::new();
        s.insert("pw".to_string(), Secret::new("Canary-pw"));
        let log = Path::new("/tmp/{{secret:pw}}");
        for arg in [
            "URL=http://x/{{secret:pw}}",
            "P={{secret:pw}}{{secret:pw}}",
            "P=a{{secret:pw}}",
            "-Command Invoke-WebRequest {{secret:pw}}",
            "=={{secret:pw}}",
            "{{log_dir}}",
        ] {
            let got = fill(arg, log, &s);
            assert!(!got.contains("Canary-pw"), "{arg} -> {got}");
        }
    }
}
