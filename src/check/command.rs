//! `mim-setup check PROFILE` and `plan --check`: the live checks, headless. The options
//! are in `args.rs`; the results are returned, not printed: the command line (`crate::cli`)
//! prints an error once and exits with its code.
//!
//! Exit codes: 0 nothing blocks, 1 blocking findings (offline or live errors, warnings the
//! profile has not acknowledged), 2 unusable input (the profile, an override, a setting),
//! 3 nothing was checked (`--offline`, or every live check skipped).
use super::args::{CheckArgs, LiveArgs};
use super::{Secrets, Settings};
use crate::answers::Value;
use crate::exit::ExitCode;
use crate::profile::{self, LoadErrors, Profile};
use crate::screens::{FieldKind, Screens};
use crate::secret::{Ask, ReferenceError, SecretRef};
use std::path::Path;

/// Why `check` or `plan --check` stopped. The command line puts `mim-setup check:` (or
/// `plan:`) before what does not say where it comes from (`says_where`).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// A setting (`--timeout`, `MIM_SETUP_DNS`, ...) is unusable.
    #[error("{0}")]
    Settings(String),
    /// The profile cannot be read: its located errors.
    #[error(transparent)]
    Profile(#[from] LoadErrors),
    /// A `--set` override is unusable.
    #[error("{0}")]
    Override(String),
    /// `plan --check` with `--set`.
    #[error("--set is for `check` only: a plan is made from the profile as written; edit the profile instead")]
    SetInPlan,
    /// The check engine could not start.
    #[error("cannot start the checks: {0}")]
    Start(std::io::Error),
    /// `plan --check`: the live checks found blocking problems (the report is included).
    #[error("{report}mim-setup: no plan written: the live checks found blocking problems above.")]
    Blocking { report: String },
}

impl CheckError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CheckError::Blocking { .. } => ExitCode::Blocking,
            _ => ExitCode::Unusable,
        }
    }

    /// Whether the message already says where it comes from (a located profile error, a
    /// report), so that the command line adds no `mim-setup check:` before it.
    pub fn says_where(&self) -> bool {
        matches!(self, CheckError::Profile(_) | CheckError::Blocking { .. })
    }
}

/// Applies `--set` overrides; each must name a field of the profile's component.
pub fn apply_overrides(
    screens: &Screens,
    profile: &mut Profile,
    sets: &[String],
) -> Result<Vec<String>, String> {
    let mut shown = Vec::new();
    let mut touched: Vec<String> = Vec::new();
    for s in sets {
        let Some((path, value)) = s.split_once('=') else {
            return Err(format!(
                "--set {s}: write it as screen.field=value, e.g. --set checks.sql_auth=sql"
            ));
        };
        let path = path.trim();
        let Some((screen, field)) = screens.field(path) else {
            return Err(format!("--set {s}: there is no field `{path}`; fields are named screen.field as in the profile (checks.dc, sql.server)"));
        };
        if !screen.is_for(profile.component()) {
            return Err(format!(
                "--set {s}: `{path}` is not a field of a {} profile",
                profile.component().as_str()
            ));
        }
        let v = match field.kind {
            FieldKind::Checkbox => match value {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    return Err(format!(
                        "--set {s}: `{path}` is a checkbox: give true or false"
                    ))
                }
            },
            FieldKind::Secret => match SecretRef::parse(value) {
                Ok(r) => Value::Secret(r),
                // The value is not echoed: it may be the password itself.
                Err(e) => {
                    let why = match e {
                        ReferenceError::InClear => {
                            "a password is never given on the command line".to_string()
                        }
                        e => e.to_string(),
                    };
                    return Err(format!("--set {path}=...: {why}; write a reference as in a profile: --set '{path}={{ env = \"NAME\" }}', '{{ prompt = true }}' or '{{ keyring = \"SERVICE/USER\" }}'"));
                }
            },
            FieldKind::Choice if field.option(value).is_none() => {
                let opts: Vec<&str> = field.options.iter().map(|o| o.value.as_str()).collect();
                return Err(format!(
                    "--set {s}: `{value}` is not a choice of `{path}`; choose one of {}",
                    opts.join(", ")
                ));
            }
            FieldKind::Choice | FieldKind::Text => Value::Text(value.to_string()),
        };
        shown.push(match &v {
            Value::Secret(r) => format!("{path} = {}", r.describe()),
            _ => format!("{path} = {value}"),
        });
        profile.answers.set(path, v);
        touched.push(screen.id.clone());
    }
    // A field that a `--set` brings into view (checks.sql_login once sql_auth = sql) gets
    // its screen default, as the wizard would show it.
    for screen in screens.all().iter().filter(|s| touched.contains(&s.id)) {
        for f in &screen.fields {
            let path = crate::answers::path(&screen.id, &f.id);
            if profile.answers.get(&path).is_none() && profile.answers.field_active(screen, f) {
                if let Some(v) = Value::initial(f) {
                    profile.answers.set(path, v);
                }
            }
        }
    }
    Ok(shown)
}

/// `check`: the offline rules first, on the profile as written (what `validate` and `plan`
/// judge; `--set` changes only what the live checks reach). An error there stops the run
/// before any live check (exit 1); an unacknowledged warning is listed and blocks too.
pub fn run(screens: &Screens, args: &CheckArgs) -> Result<ExitCode, CheckError> {
    let file = args.profile.display().to_string();
    let settings = args.live.settings().map_err(CheckError::Settings)?;
    let mut loaded = profile::load_file(Path::new(&args.profile), screens, false)?;
    let rules = crate::validate::check_profile(screens, &loaded.profile);
    let rules_text = || {
        if rules.ok() {
            String::new()
        } else {
            crate::validate::to_text(&file, &loaded, &rules, false)
        }
    };
    if !rules.blocking.is_empty() {
        let report = super::Report {
            acknowledged: loaded.profile.acknowledged.clone(),
            ..super::Report::default()
        };
        if args.json {
            println!("{}", super::to_json(&file, &rules, &report, false, &[]));
        } else {
            print!("{}", rules_text());
            println!("{file}: the live checks were not run: the profile breaks the offline rules above (as `mim-setup validate` shows); fix them first");
        }
        return Ok(ExitCode::Blocking);
    }
    let shown_rules = rules_text();
    let overridden = apply_overrides(screens, &mut loaded.profile, &args.live.set)
        .map_err(CheckError::Override)?;
    let report = run_for(&loaded.profile, settings).map_err(CheckError::Start)?;
    if args.json {
        println!(
            "{}",
            super::to_json(&file, &rules, &report, !report.offline, &overridden)
        );
    } else {
        print!("{shown_rules}");
        print!("{}", super::to_text(&file, &report, &overridden));
    }
    Ok(super::report::exit_code(&rules, &report))
}

/// Resolves the secrets the checks need (a prompt only on a terminal) and runs them.
pub fn run_for(profile: &Profile, settings: Settings) -> std::io::Result<super::Report> {
    let secrets = if settings.offline {
        Secrets::default()
    } else {
        Secrets::resolve(
            &profile.answers,
            &super::needed(&profile.answers, &settings.only),
            Ask::Terminal,
        )
    };
    super::run_blocking(profile, settings, secrets)
}

/// `plan --check`: runs the checks; blocking findings stop the plan (exit 1), and the facts
/// seen go into it. `--set` is refused: a plan records the profile as it is.
pub fn facts_for_plan(profile: &Profile, live: &LiveArgs) -> Result<super::Facts, CheckError> {
    if !live.set.is_empty() {
        return Err(CheckError::SetInPlan);
    }
    let settings = live.settings().map_err(CheckError::Settings)?;
    let report = run_for(profile, settings).map_err(CheckError::Start)?;
    if report.offline {
        eprintln!("mim-setup plan: offline: no live check was run, so the plan records no facts and `apply` cannot detect drift");
        return Ok(report.facts);
    }
    let text = super::to_text("live checks", &report, &[]);
    // Errors and unacknowledged live warnings stop the plan, as the offline ones do.
    if report.exit_code() == ExitCode::Blocking {
        return Err(CheckError::Blocking { report: text });
    }
    // The plan goes to standard output without `-o`: what the checks saw goes to standard
    // error, acknowledged warnings and skipped checks included.
    eprint!("{text}");
    if report.ran() == 0 {
        eprintln!("mim-setup plan: no live check ran (every one was skipped, see why above), so the plan records no facts and `apply` cannot detect drift");
    } else if report.checked() == 0 {
        eprintln!("mim-setup plan: no live check got an answer (each one is acknowledged as not checked, see above), so the plan records no facts and `apply` cannot detect drift");
    }
    Ok(report.facts)
}

#[cfg(test)]
mod tests {
    use super::apply_overrides;
    use crate::answers::Value;
    use crate::profile::load_file;
    use crate::screens::Screens;
    use std::path::Path;

    #[test]
    fn a_set_that_reveals_fields_gives_them_their_defaults_and_keeps_what_the_profile_says() {
        let screens = Screens::embedded().expect("the embedded screens load");
        let file =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/contoso-service-portal.toml");
        let mut p = load_file(&file, screens, false).expect("loads").profile;
        assert!(p.answers.get("checks.sql_login").is_none());
        let sets = ["checks.sql_auth=sql".to_string()];
        apply_overrides(screens, &mut p, &sets).expect("applies");
        assert_eq!(p.answers.text("checks.sql_login"), "sa");
        assert!(matches!(
            p.answers.get("checks.sql_password"),
            Some(Value::Secret(_))
        ));
        assert_eq!(p.answers.text("checks.sql_encryption"), "verify");
        // A value the command line gives wins over the default.
        let mut p = load_file(&file, screens, false).expect("loads").profile;
        let sets = [
            "checks.sql_login=mimsetup".into(),
            "checks.sql_auth=sql".into(),
        ];
        apply_overrides(screens, &mut p, &sets).expect("applies");
        assert_eq!(p.answers.text("checks.sql_login"), "mimsetup");
        // A field that stays out of view gets nothing (its secret would be resolved).
        let mut p = load_file(&file, screens, false).expect("loads").profile;
        let sets = ["checks.sql_encryption=trust".to_string()];
        apply_overrides(screens, &mut p, &sets).expect("applies");
        assert!(p.answers.get("checks.sql_login").is_none());
        assert!(p.answers.get("checks.sql_password").is_none());
    }
}
