//! `src/rules/check_settings.rs`: opting out of verified encryption on the live checks screen is a
//! warning the profile records.
use super::*;

/// The live checks screen: opting out of verified encryption is a warning the profile
/// records; the verified choices say nothing.
#[test]
fn encryption_opt_outs_on_the_checks_screen_are_recorded_warnings() {
    check_texts(
        "ldap-plain",
        "checks.ldap_security",
        &[
            ("ldaps", OK),
            ("starttls", OK),
            ("plain", warn("ldap-plain")),
        ],
    );
    check_texts(
        "sql-encryption-opt-out",
        "checks.sql_encryption",
        &[
            ("verify", OK),
            ("trust", warn("sql-encryption-opt-out")),
            ("off", warn("sql-encryption-opt-out")),
        ],
    );
    let f = only("sql-encryption-opt-out", "checks.sql_encryption", "trust");
    assert_eq!(f.ack_key(), "sql-encryption-opt-out@checks.sql_encryption");
    assert!(f.fix.contains("--ca-file"), "{}", f.fix);
}
