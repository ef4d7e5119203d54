//! The secrets a check needs (bind password, SQL login password, the Office 365 app's client
//! secret), resolved once per run from the profile's references, or typed in the wizard.
use crate::answers::{Answers, Value};
use crate::secret::{Secret, SecretRef};
use std::collections::{BTreeMap, BTreeSet};

/// Secrets by field path (`checks.bind_password`). Memory only.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    values: BTreeMap<String, Secret>,
    /// Why a secret is missing, by field path: shown by the checks that needed it.
    missing: BTreeMap<String, String>,
}

/// The secret fields the checks use.
pub const CHECK_SECRETS: [&str; 4] = [
    "checks.bind_password",
    "checks.sql_password",
    "mailbox_app.client_secret",
    // Option D: SMTP AUTH as the MIM Service account.
    "mim_service.password",
];

/// The secret fields this run's checks use: the bind password for the directory, the SQL
/// login's password (present only with SQL authentication), the Office 365 app's secret for
/// options C and H, the MIM Service password for option D's SMTP AUTH. Only these are
/// resolved, so a prompt is never asked for a secret no check reads.
pub fn needed(answers: &Answers, only: &BTreeSet<super::Area>) -> Vec<&'static str> {
    use super::Area;
    let on = |a: Area| only.is_empty() || only.contains(&a);
    let option = crate::rules::mail_option(answers).map(|o| o.0);
    let mut out = Vec::new();
    if on(Area::Ad) {
        out.push("checks.bind_password");
    }
    if on(Area::Sql) {
        out.push("checks.sql_password");
    }
    if on(Area::Mail) && matches!(option, Some('C' | 'H')) {
        out.push("mailbox_app.client_secret");
    }
    if on(Area::Mail) && option == Some('D') {
        out.push("mim_service.password");
    }
    out
}

impl Secrets {
    /// From what the wizard holds in memory.
    pub fn typed(values: &BTreeMap<String, Secret>) -> Secrets {
        let values = values
            .iter()
            .filter(|(k, v)| CHECK_SECRETS.contains(&k.as_str()) && !v.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Secrets {
            values,
            missing: BTreeMap::new(),
        }
    }

    /// Resolves the references of `paths` in `answers`: environment variables are read, and
    /// a prompt asks on the terminal when there is one. Unresolvable ones are remembered
    /// with the reason, for the checks that need them to say.
    pub fn resolve(answers: &Answers, paths: &[&str], prompt: bool) -> Secrets {
        let mut s = Secrets::default();
        for path in paths {
            let Some(Value::Secret(r)) = answers.get(path) else {
                continue;
            };
            match resolve_one(path, r, prompt) {
                Ok(v) => {
                    s.values.insert(path.to_string(), v);
                }
                Err(why) => {
                    s.missing.insert(path.to_string(), why);
                }
            }
        }
        s
    }

    /// The secret, or why it is not there.
    pub fn get(&self, path: &str) -> Result<&Secret, String> {
        self.values.get(path).ok_or_else(|| {
            self.missing
                .get(path)
                .cloned()
                .unwrap_or_else(|| format!("no value for {path}"))
        })
    }

    pub fn insert(&mut self, path: &str, value: Secret) {
        self.missing.remove(path);
        self.values.insert(path.to_string(), value);
    }

    /// The clear values, for a test that they appear nowhere.
    pub fn count(&self) -> usize {
        self.values.len()
    }
}

fn resolve_one(path: &str, r: &SecretRef, prompt: bool) -> Result<Secret, String> {
    match r {
        SecretRef::Env(name) => match std::env::var(name) {
            Ok(v) if !v.is_empty() => Ok(Secret::new(v)),
            Ok(_) => Err(format!("the environment variable {name} ({path}) is empty: set it to the password")),
            Err(_) => Err(format!("the environment variable {name} ({path}) is not set: set it to the password, or make the reference {{ prompt = true }}")),
        },
        SecretRef::Prompt => {
            if !prompt {
                return Err(format!("{path} is asked for at a prompt, and there is no terminal: use an environment variable reference instead"));
            }
            rpassword::prompt_password(format!("Password for {path}: "))
                .map(Secret::new)
                .map_err(|e| format!("{path}: cannot read the password from the terminal: {e}"))
        }
        SecretRef::Keyring(_) => crate::secrets::resolve(path, r).map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::needed;
    use crate::check::Area;
    use crate::profile::load_file;
    use crate::screens::Screens;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn needs(name: &str, only: &[Area]) -> Vec<&'static str> {
        let screens = Screens::embedded().expect("the embedded screens load");
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("profiles")
            .join(name);
        let p = load_file(&file, screens, false).expect("loads").profile;
        needed(&p.answers, &only.iter().copied().collect::<BTreeSet<_>>())
    }

    #[test]
    fn only_the_secrets_a_check_reads_are_resolved() {
        let both = ["checks.bind_password", "checks.sql_password"];
        assert_eq!(needs("contoso-aadp-option-a.toml", &[]), both);
        assert_eq!(
            needs("contoso-aadp-option-c.toml", &[]),
            [&both[..], &["mailbox_app.client_secret"]].concat()
        );
        assert_eq!(
            needs("contoso-aadp-option-d.toml", &[]),
            [&both[..], &["mim_service.password"]].concat()
        );
        assert_eq!(needs("contoso-sync.toml", &[]), both);
        assert_eq!(
            needs("contoso-aadp-option-d.toml", &[Area::Sql]),
            ["checks.sql_password"]
        );
        assert!(needs("contoso-aadp-option-d.toml", &[Area::Net]).is_empty());
    }
}
