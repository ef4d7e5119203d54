//! No input makes the profile loader, the rules or the plan panic; profiles survive a
//! write-and-read round trip, including text with quotes, backslashes and Unicode.
#![allow(clippy::unwrap_used)]

use mim_setup::answers::Value;
use mim_setup::plan::{build_from_text, Plan};
use mim_setup::profile::{load_str, to_toml};
use mim_setup::screens::Screens;
use mim_setup::validate::check_profile;
use proptest::prelude::*;

const SYNC: &str = include_str!("../profiles/contoso-sync.toml");
const GMSA: &str = include_str!("../profiles/contoso-sync-gmsa.toml");

fn screens() -> &'static Screens {
    Screens::embedded().unwrap()
}

/// Every consumer of a profile's text, as `validate` and `plan` run them.
fn consume(text: &str) {
    if let Ok(loaded) = load_str("p.toml", text, screens(), false) {
        let report = check_profile(screens(), &loaded.profile);
        let _ = report.ok();
    }
    let _ = load_str("p.toml", text, screens(), true);
    let plan: Option<Plan> = build_from_text(screens(), text, "p.toml").ok();
    if let Some(p) = plan {
        let _ = (p.to_toml(), p.to_json());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        consume(&text);
    }

    #[test]
    fn mutated_contoso_profiles_never_panic(
        gmsa in any::<bool>(),
        at in 0usize..2000,
        cut in 0usize..40,
        insert in "[\\PC\\n\\[\\]={}\"'\\\\,.$]{0,12}",
    ) {
        let base = if gmsa { GMSA } else { SYNC };
        let chars: Vec<char> = base.chars().collect();
        let at = at % (chars.len() + 1);
        let end = (at + cut).min(chars.len());
        let text: String = chars[..at]
            .iter()
            .chain(insert.chars().collect::<Vec<_>>().iter())
            .chain(chars[end..].iter())
            .collect();
        consume(&text);
    }

    #[test]
    fn text_values_survive_a_round_trip(value in "[\\PC'\"\\\\]{1,40}") {
        let loaded = load_str("p.toml", SYNC, screens(), false).unwrap();
        let mut profile = loaded.profile;
        profile.answers.set("install.media", Value::Text(value.clone()));
        let text = to_toml(&profile, screens());
        let again = load_str("p.toml", &text, screens(), false)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        prop_assert_eq!(again.profile.answers.get("install.media"), Some(&Value::Text(value)));
        prop_assert_eq!(again.profile, profile);
    }
}

#[test]
fn shipped_profiles_survive_a_round_trip() {
    for text in [SYNC, GMSA] {
        let first = load_str("p.toml", text, screens(), false).unwrap().profile;
        let written = to_toml(&first, screens());
        let second = load_str("p.toml", &written, screens(), false)
            .unwrap()
            .profile;
        assert_eq!(first, second, "{written}");
        assert_eq!(to_toml(&second, screens()), written, "writing is stable");
    }
}
