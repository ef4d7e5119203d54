//! `mim-setup doctor --profile` against the lab: step 5 (PCNS event 6025) asks the real
//! Samba AD DC through the check engine's AD probe, whose rootDSE gives the clock, and the
//! SQL step reads the TDS test server. The lab's directory has no PCNSCLNT SPN (PCNS is not
//! set up there): the doctor names that cause; the clocks agree (same machine).
use super::ad::SYNC;
use super::common::lab;
use super::tds::{Facts, Options, Server};
use serde_json::Value;

#[test]
fn step_5_asks_samba_for_the_pcns_spn_and_its_clock() {
    let lab = lab();
    let srv = Server::start(Facts::default(), Options::default());
    let book = format!("corpsql.contoso.com:1433={}", srv.addr);
    let password = Facts::default().logins[0].1.clone();
    let o = lab
        .command(&[
            "doctor",
            "--profile",
            SYNC,
            "--json",
            "--address-book",
            &book,
            "--set",
            "checks.sql_auth=sql",
            "--set",
            "checks.sql_password={ env = \"MIM_TEST_SQL_PASSWORD\" }",
            "--set",
            "checks.sql_encryption=off",
        ])
        .env("MIM_TEST_SQL_PASSWORD", &password)
        .output()
        .expect("mim-setup runs");
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON ({e}): {out}{err}"));
    let pcns = v["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == "pcns"))
        .unwrap_or_else(|| panic!("no pcns step: {v:#}"));
    let checks: Vec<&str> = pcns["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["check"].as_str())
        .collect();
    assert_eq!(checks, ["doctor-pcns-spn-missing"], "{pcns:#}{err}");
    let seen = pcns["evidence"].to_string();
    for want in [
        "PCNSCLNT/corpsync.contoso.local: registered on no account",
        "PCNSCLNT/corpsync: registered on no account",
        "currentTime 20",
        "this computer's clock differs by",
    ] {
        assert!(seen.contains(want), "{want:?} not in {pcns:#}");
    }
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!out.contains(&password) && !err.contains(&password));
}
