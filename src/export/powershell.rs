//! The plan as a PowerShell script an admin reads, then runs in an elevated console.
//!
//! Each step is a commented block: its description, the plan's command line (with
//! placeholders, so nothing secret), then the exact argument list. Static arguments are
//! quoted here with the plan's own rules (`msi_property` for msiexec properties,
//! `quote_arg` otherwise) and written as single-quoted literals; arguments holding
//! `{{log_dir}}` or a secret are built at run time by `Format-MsiValue` / `Format-WinArg`,
//! which apply the same rules in PowerShell. Programs start with `Start-Process -Wait
//! -PassThru` and one pre-quoted argument string, so Windows PowerShell's own argument
//! passing (which mangles embedded quotes) never touches them.
//!
//! Secrets are read once at the start as SecureString (from the environment variable the
//! plan names, or `Read-Host -AsSecureString`) and turned into clear text only inside the
//! argument list of the step that needs them, which is removed right after. Only secrets a
//! command uses are read; one that only setup's screen takes is named with its source, for
//! the admin to type.
//!
//! The file starts with a UTF-8 byte-order mark, so that Windows PowerShell 5.1 reads it as
//! UTF-8 and not in the ANSI code page. `-LogDir` is made absolute before msiexec sees it,
//! and `-FromStep N` skips the steps before N (the 1618 message names it). No comment line
//! made from plan text starts with `SIG` (see `text::not_a_signature`).
use super::text::{comment, comment_item, ps_expr, segments, Seg};
use crate::plan::{msi_property, quote_arg};
use crate::plan::{Plan, Step, StepKind};
use crate::secret::SecretRef;

const WIDTH: usize = 96;

/// The helper functions every script starts with.
const PRELUDE: &str = r#"$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
# msiexec resolves a relative log path against the package's folder: make it absolute here,
# against PowerShell's current location.
$LogDir = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($LogDir)
New-Item -ItemType Directory -Force -Path $LogDir | Out-Null
$script:RebootNeeded = $false
$Secrets = @{}

# One argument quoted the way CommandLineToArgvW reads it back (mim-setup's quote_arg).
function Format-WinArg([string] $Arg) {
    if ($Arg.Length -gt 0 -and $Arg.IndexOfAny([char[]]@(' ', "`t", '"', "`n")) -lt 0) { return $Arg }
    $sb = New-Object System.Text.StringBuilder
    [void]$sb.Append('"')
    $slashes = 0
    foreach ($c in $Arg.ToCharArray()) {
        if ($c -eq [char]'\') { $slashes++; continue }
        if ($c -eq [char]'"') { [void]$sb.Append('\' * ($slashes * 2 + 1)) } else { [void]$sb.Append('\' * $slashes) }
        [void]$sb.Append($c)
        $slashes = 0
    }
    [void]$sb.Append('\' * ($slashes * 2))
    [void]$sb.Append('"')
    $sb.ToString()
}

# An msiexec property value in double quotes, each " written twice (mim-setup's msi_property).
function Format-MsiValue([string] $Value) {
    if ($Value.IndexOfAny([char[]]@("`r", "`n", [char]0)) -ge 0) {
        throw 'A value holds a line break or NUL: msiexec cannot take it. Fix the secret or the plan.'
    }
    '"' + $Value.Replace('"', '""') + '"'
}

# A secret as SecureString: from the environment variable the plan names (when set and not
# empty), else asked for.
function Read-PlanSecret([string] $Name, [string] $EnvName) {
    if ($EnvName -and (Test-Path -LiteralPath "Env:$EnvName") -and (Get-Item -LiteralPath "Env:$EnvName").Value) {
        $secure = ConvertTo-SecureString -String (Get-Item -LiteralPath "Env:$EnvName").Value -AsPlainText -Force
        Write-Host "Secret $Name read from environment variable $EnvName."
        return $secure
    }
    Read-Host -AsSecureString -Prompt "Secret $Name"
}

# The clear text of a secret, only for the argument list of the step that needs it.
function Get-PlanSecretText([string] $Name) {
    $bstr = [Runtime.InteropServices.Marshal]::SecureStringToBSTR($Secrets[$Name])
    try { [Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr) }
    finally { [Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr) }
}

# Runs one step and checks its exit code. $Shown is the plan's command line, placeholders and all.
function Invoke-PlanStep {
    param([int] $Step, [string] $Id, [string] $FilePath, [string[]] $Arguments, [string] $WorkingDirectory,
          [string] $Shown, [string] $Log, [switch] $Msi)
    Write-Host "==> $Id"
    Write-Host "    $Shown"
    $start = @{ FilePath = $FilePath; Wait = $true; PassThru = $true; NoNewWindow = $true }
    if ($Arguments.Count -gt 0) { $start.ArgumentList = ($Arguments -join ' ') }
    if ($WorkingDirectory) { $start.WorkingDirectory = $WorkingDirectory }
    $code = (Start-Process @start).ExitCode
    if ($code -eq 0) { Write-Host "    $Id done."; return }
    if ($Msi -and ($code -eq 3010 -or $code -eq 1641)) {
        $script:RebootNeeded = $true
        Write-Warning "$Id done; setup asks for a restart (exit code $code). Restart when the script ends."
        return
    }
    if ($Msi -and $code -eq 1618) {
        throw "$Id did not run: another installation is in progress (exit code 1618). Wait for it to finish (or restart the server), then run this script again from this step: -FromStep $Step."
    }
    if ($Msi) {
        throw "$Id failed with exit code $code. Read the log $Log around 'Return value 3'."
    }
    throw "$Id failed with exit code $code."
}
"#;

/// The byte-order mark the script starts with: without it Windows PowerShell 5.1 reads the
/// file in the ANSI code page, where the UTF-8 bytes of common letters (`ł`, `Ñ`, `т`) read
/// as quote marks and end a literal.
pub const BOM: char = '\u{FEFF}';

/// For each secret a step's command uses, the last step (numbered from 1) that uses it.
fn secrets_used(plan: &Plan) -> std::collections::BTreeMap<&str, usize> {
    let mut used = std::collections::BTreeMap::new();
    for (n, step) in plan.steps.iter().enumerate() {
        if step.kind == StepKind::Manual {
            continue;
        }
        let texts = step.argv.iter().chain(&step.working_dir).chain(&step.log);
        for text in texts {
            for seg in segments(text) {
                if let Seg::Secret(name) = seg {
                    used.insert(name, n + 1);
                }
            }
        }
    }
    used
}

/// The script, or the step that cannot be written and why.
pub fn script(plan: &Plan, shown: &str) -> Result<String, (String, String)> {
    let mut out = String::from(BOM);
    out.push_str(&header(plan, shown));
    out.push_str(PRELUDE);
    out.push('\n');
    if !plan.secrets.is_empty() {
        out.push_str(
            "# Secrets, by the references of the plan's [secrets] (never values). Each is read\n\
             # now as SecureString and used in clear only in the arguments of its step.\n",
        );
        let used = secrets_used(plan);
        for name in plan.secrets.keys() {
            let source = plan.secret_ref(name).map_err(|e| (String::new(), e))?;
            out.push_str(&format!("#   {name}: {}\n", source.source_in_plan()));
            let Some(last) = used.get(name.as_str()) else {
                out.push_str("#     (not read: no command uses it; setup's screen asks for it)\n");
                continue;
            };
            let env = match source {
                SecretRef::Env(v) => v.as_str(),
                // A script reads no credential store entry of another machine: it asks.
                SecretRef::Prompt | SecretRef::Keyring(_) => "",
            };
            out.push_str(&format!(
                "if ($FromStep -le {last}) {{ $Secrets[{}] = Read-PlanSecret -Name {} -EnvName {} }}\n",
                ps_expr(name),
                ps_expr(name),
                ps_expr(env)
            ));
        }
        out.push('\n');
    }
    let total = plan.steps.len();
    for (n, step) in plan.steps.iter().enumerate() {
        out.push_str(&step_block(plan, step, n + 1, total).map_err(|e| (step.id.clone(), e))?);
    }
    out.push_str(
        "if ($script:RebootNeeded) {\n    Write-Warning 'Restart the server now: setup asked for a restart.'\n}\nWrite-Host 'All steps of the plan are done.'\n",
    );
    Ok(out)
}

fn header(plan: &Plan, shown: &str) -> String {
    let mut h = String::from("# mim-setup install script, exported from an install plan. Review every step before\n# running it.\n");
    let mut about = format!(
        "Plan: {shown}\nComponent: {} ({})\nProfile: {} (sha256 {})\nPlan written by: {}\nExported by: mim-setup {}",
        plan.component,
        plan.edition,
        plan.profile.path,
        plan.profile.sha256,
        plan.generated_by,
        env!("CARGO_PKG_VERSION")
    );
    if let Some(option) = &plan.deployment_option {
        about.push_str(&format!("\nDeployment option: {option}"));
    }
    h.push_str(&comment("#", &about, WIDTH));
    h.push_str(&comment(
        "#",
        "\nRun it in an elevated Windows PowerShell on the server, from the folder with the script:\n  powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\SCRIPT.ps1 [-LogDir FOLDER] [-FromStep N]\nIt stops at the first step that fails and says why; msiexec logs go to -LogDir (default: mim-setup-logs beside the script). -FromStep N starts at step N, skipping the steps before it.",
        WIDTH,
    ));
    let reasons: Vec<String> = plan
        .acknowledged_reasons
        .iter()
        .map(|(k, r)| format!("{k}: {r}"))
        .collect();
    for (title, list) in [
        ("Acknowledged warnings:", &plan.acknowledged),
        ("Why they are acknowledged:", &reasons),
        ("Notes of the plan:", &plan.notes),
    ] {
        if !list.is_empty() {
            h.push_str(&format!("#\n# {title}\n"));
            for item in list {
                h.push_str(&comment_item("#", item, WIDTH - 6));
            }
        }
    }
    h.push_str("#Requires -RunAsAdministrator\n\n[CmdletBinding()]\nparam(\n    # The plan's {{log_dir}}: the folder for msiexec logs.\n    [string] $LogDir = (Join-Path $PSScriptRoot 'mim-setup-logs'),\n    # Start at this step (see the 1618 message): the steps before it are skipped.\n    [int] $FromStep = 1\n)\n\n");
    h
}

fn step_block(plan: &Plan, step: &Step, n: usize, total: usize) -> Result<String, String> {
    let rule = format!("# {}\n", "-".repeat(WIDTH - 2));
    let mut b = rule.clone();
    let kind = match step.kind {
        StepKind::Msiexec => "msiexec",
        StepKind::Command => "command",
        StepKind::Manual => "by hand",
    };
    b.push_str(&comment(
        "#",
        &format!("Step {n} of {total}: {} ({kind})", step.id),
        WIDTH,
    ));
    b.push_str(&comment("#", &step.description, WIDTH));
    if !step.command.is_empty() {
        b.push_str(&comment(
            "#",
            &format!("Plan command line: {}", step.command),
            WIDTH,
        ));
    }
    b.push_str(&rule);
    b.push_str(&format!(
        "if ($FromStep -gt {n}) {{ Write-Host {} }} else {{\n",
        ps_expr(&format!("==> {} skipped (-FromStep).", step.id))
    ));
    let answers: Vec<_> = plan.interactive_for(&step.id).collect();
    if !answers.is_empty() {
        b.push_str("# Setup asks for these on its screens (no public property name is known):\n");
        b.push_str(&format!(
            "Write-Host {}\n",
            ps_expr(&format!(
                "{}: setup asks for these on its screens:",
                step.id
            ))
        ));
        for a in &answers {
            let value = shown_value(plan, &a.value);
            let optional = if a.optional { " (optional)" } else { "" };
            let line = format!("  {}: {value}{optional}", a.label);
            b.push_str(&comment("#", &line, WIDTH));
            b.push_str(&format!("Write-Host {}\n", ps_expr(&line)));
        }
    }
    if step.kind == StepKind::Manual {
        b.push_str(&format!(
            "Write-Host {}\n",
            ps_expr(&format!("==> {} (by hand): {}", step.id, step.description))
        ));
        b.push_str(
            "Read-Host -Prompt 'Do this by hand, then press Enter to go on' | Out-Null\n}\n\n",
        );
        return Ok(b);
    }
    let msi = step.kind == StepKind::Msiexec;
    b.push_str("$arguments = @(\n");
    for arg in step.argv.iter().skip(1) {
        b.push_str(&format!("    {}\n", argument(step, arg, msi)?));
    }
    b.push_str(")\n");
    let mut call = format!(
        "Invoke-PlanStep -Step {n} -Id {} -FilePath {} -Arguments $arguments",
        ps_expr(&step.id),
        ps_expr(&step.argv[0])
    );
    if let Some(dir) = &step.working_dir {
        call.push_str(&format!(" -WorkingDirectory {}", value_expr(dir)));
    }
    if let Some(log) = &step.log {
        call.push_str(&format!(" -Log {}", value_expr(log)));
    }
    let shown = if step.command.is_empty() {
        step.argv.join(" ")
    } else {
        step.command.clone()
    };
    call.push_str(&format!(" -Shown {}", ps_expr(&shown)));
    if msi {
        call.push_str(" -Msi");
    }
    b.push_str(&call);
    b.push_str("\nRemove-Variable -Name arguments\n}\n\n");
    Ok(b)
}

/// A value for display, as the admin types it into setup's screen: a secret placeholder
/// names the secret and where its value is kept, never the value.
fn shown_value(plan: &Plan, value: &str) -> String {
    segments(value)
        .into_iter()
        .map(|s| match s {
            Seg::Lit(t) => t.to_string(),
            Seg::LogDir => crate::plan::placeholder::LOG_DIR.to_string(),
            Seg::Secret(n) => match plan.secret_ref(n) {
                Ok(source) => format!("the value of the secret {n} ({})", source.source_in_plan()),
                Err(_) => format!("the value of the secret {n}"),
            },
        })
        .collect()
}

/// A PowerShell expression for a plan value with its placeholders filled at run time.
fn value_expr(value: &str) -> String {
    let parts: Vec<String> = segments(value)
        .into_iter()
        .map(|s| match s {
            Seg::Lit(t) => ps_expr(t),
            Seg::LogDir => "$LogDir".to_string(),
            Seg::Secret(n) => format!("(Get-PlanSecretText {})", ps_expr(n)),
        })
        .collect();
    match parts.len() {
        0 => "''".to_string(),
        1 => parts.into_iter().collect(),
        _ => format!("({})", parts.join(" + ")),
    }
}

/// One entry of the argument list: the argument as the program's command line holds it.
fn argument(step: &Step, arg: &str, msi: bool) -> Result<String, String> {
    let placeholder = segments(arg).iter().any(|s| !matches!(s, Seg::Lit(_)));
    if msi {
        if let Some(p) = step.property_of(arg) {
            return if placeholder {
                Ok(format!(
                    "({} + (Format-MsiValue {}))",
                    ps_expr(&format!("{}=", p.name)),
                    value_expr(&p.value)
                ))
            } else {
                msi_property(&p.name, &p.value)
                    .map(|q| ps_expr(&q))
                    .map_err(|e| e.to_string())
            };
        }
    }
    if placeholder {
        Ok(format!("(Format-WinArg {})", value_expr(arg)))
    } else {
        Ok(ps_expr(&quote_arg(arg)))
    }
}
