//! `mim-setup check PROFILE`: the live checks, headless.
//!
//! Exit codes: 0 nothing blocks, 1 blocking findings, 2 unusable input (the profile, an
//! override, a setting).
use super::{Area, Secrets, Settings};
use crate::answers::Value;
use crate::cli::{EXIT_BLOCKING, EXIT_OK, EXIT_UNUSABLE};
use crate::profile::{self, Profile};
use crate::screens::{FieldKind, Screens};
use crate::secret::{Ask, ReferenceError, SecretRef};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    pub profile: PathBuf,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub live: LiveArgs,
}

/// How the live checks run: shared by `check` and `plan --check`.
#[derive(Debug, Clone, clap::Args)]
pub struct LiveArgs {
    /// Time limit of each check, in seconds.
    #[arg(long, value_name = "S", default_value = "5")]
    pub timeout: f64,
    /// Only these areas (repeat, or separate with commas).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<Area>,
    /// Run no live check; say so.
    #[arg(long)]
    pub offline: bool,
    /// A DNS server to ask instead of this computer's (also MIM_SETUP_DNS).
    #[arg(long, value_name = "ADDR", value_parser = super::parse_dns)]
    pub dns: Option<SocketAddr>,
    /// More trusted CA certificates, PEM (also MIM_SETUP_CA_FILE).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Override an answer for this run only: screen.field=value (a secret as a reference, as in
    /// a profile: '{ env = "NAME" }', '{ prompt = true }' or '{ keyring = "SERVICE/USER" }').
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
}

impl LiveArgs {
    pub fn settings(&self) -> Result<Settings, String> {
        Ok(Settings {
            offline: self.offline,
            only: self.only.iter().copied().collect(),
            ..Settings::layered(&self.given())?
        })
    }

    /// What this command line gives for the settings `apply` layers the same way.
    pub fn given(&self) -> super::Given {
        super::Given {
            timeout: Some(self.timeout),
            dns_server: self.dns,
            ca_file: self.ca_file.clone(),
        }
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

pub fn run(screens: &Screens, args: &CheckArgs) -> i32 {
    let file = args.profile.display().to_string();
    let settings = match args.live.settings() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mim-setup check: {e}");
            return EXIT_UNUSABLE;
        }
    };
    let mut loaded = match profile::load_file(Path::new(&args.profile), screens, false) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_UNUSABLE;
        }
    };
    let overridden = match apply_overrides(screens, &mut loaded.profile, &args.live.set) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("mim-setup check: {e}");
            return EXIT_UNUSABLE;
        }
    };
    let report = match run_for(screens, &loaded.profile, settings) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mim-setup check: cannot start the checks: {e}");
            return EXIT_UNUSABLE;
        }
    };
    if args.json {
        println!("{}", super::to_json(&file, &report, &overridden));
    } else {
        print!("{}", super::to_text(&file, &report, &overridden));
    }
    if report.blocking().next().is_some() {
        EXIT_BLOCKING
    } else {
        EXIT_OK
    }
}

/// Resolves the secrets the checks need (a prompt only on a terminal) and runs them.
pub fn run_for(
    screens: &Screens,
    profile: &Profile,
    settings: Settings,
) -> std::io::Result<super::Report> {
    let secrets = if settings.offline {
        Secrets::default()
    } else {
        Secrets::resolve(
            &profile.answers,
            &super::needed(&profile.answers, &settings.only),
            Ask::Terminal,
        )
    };
    super::run_blocking(screens, profile, settings, secrets)
}

/// `plan --check`: runs the checks; blocking findings stop the plan (exit 1), and the facts
/// seen go into it. `--set` is refused: a plan records the profile as it is.
pub fn facts_for_plan(
    screens: &Screens,
    profile: &Profile,
    live: &LiveArgs,
) -> Result<super::Facts, i32> {
    if !live.set.is_empty() {
        eprintln!("mim-setup plan: --set is for `check` only: a plan is made from the profile as written; edit the profile instead");
        return Err(EXIT_UNUSABLE);
    }
    let settings = live.settings().map_err(|e| {
        eprintln!("mim-setup plan: {e}");
        EXIT_UNUSABLE
    })?;
    let report = run_for(screens, profile, settings).map_err(|e| {
        eprintln!("mim-setup plan: cannot start the checks: {e}");
        EXIT_UNUSABLE
    })?;
    if report.offline {
        eprintln!("mim-setup plan: offline: no live check was run, so the plan records no facts and `apply` cannot detect drift");
    }
    if report.blocking().next().is_some() {
        eprint!("{}", super::to_text("live checks", &report, &[]));
        eprintln!("mim-setup: no plan written: the live checks found blocking problems above.");
        return Err(EXIT_BLOCKING);
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
