//! Which secrets the checks need (bind password, SQL login password, the Office 365 app's
//! client secret): field paths only. Resolving them is
//! `crate::secret`'s, the one resolver, once per run.
use crate::answers::Answers;
use crate::screens::fields;
use std::collections::BTreeSet;

/// The secret fields this run's checks use: the bind password for the directory, the SQL
/// login's password (present only with SQL authentication), the Office 365 app's secret for
/// options C and H. Only these are resolved, so a prompt is never asked for a secret no check
/// reads. The MIM Service password is not among them: the SMTP check (option D) sends no
/// credential, as the MIM Service signs in there with Integrated Windows Authentication.
pub fn needed(answers: &Answers, only: &BTreeSet<super::Area>) -> Vec<&'static str> {
    use super::Area;
    let on = |a: Area| only.is_empty() || only.contains(&a);
    let option = crate::rules::mail_option(answers).map(|o| o.0);
    let mut out = Vec::new();
    if on(Area::Ad) {
        out.push(fields::checks::BIND_PASSWORD);
    }
    if on(Area::Sql) {
        out.push(fields::checks::SQL_PASSWORD);
    }
    if on(Area::Mail) && matches!(option, Some('C' | 'H')) {
        out.push(fields::mailbox_app::CLIENT_SECRET);
    }
    out
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
        // Option D's SMTP check sends no password: none is resolved for it.
        assert_eq!(needs("contoso-aadp-option-d.toml", &[]), both);
        assert!(needs("contoso-aadp-option-d.toml", &[Area::Mail]).is_empty());
        assert_eq!(needs("contoso-sync.toml", &[]), both);
        assert_eq!(
            needs("contoso-aadp-option-d.toml", &[Area::Sql]),
            ["checks.sql_password"]
        );
        assert!(needs("contoso-aadp-option-d.toml", &[Area::Net]).is_empty());
    }
}
