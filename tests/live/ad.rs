//! Active Directory checks against the lab's Samba AD DC (contoso.local on 127.0.0.2), with
//! its deliberate faults: a disabled, a locked and an expired account, a duplicate SPN, a
//! gMSA that does not allow the computer, a group that is not there.
use super::common::{code_and_stdout, json, lab, outcomes, Lab};
use serde_json::Value;
use std::time::{Duration, Instant};

pub(super) const SYNC: &str = "profiles/contoso-sync.toml";
pub(super) const SYNC_GMSA: &str = "profiles/contoso-sync-gmsa.toml";
pub(super) const SERVICE: &str = "profiles/contoso-service-portal.toml";

/// `mim-setup check PROFILE --json --only ad --set ...` against the lab.
pub(super) fn check(
    lab: &Lab,
    profile: &str,
    sets: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, Value) {
    let mut args = vec!["check", profile, "--json", "--only", "ad"];
    for s in sets {
        args.push("--set");
        args.push(s);
    }
    let mut c = lab.command(&args);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().expect("mim-setup runs");
    (o.status.code(), json(&o))
}

/// The outcome with this id and title.
pub(super) fn one<'a>(r: &'a Value, id: &str, title: &str) -> &'a Value {
    outcomes(r, id)
        .into_iter()
        .find(|o| o["title"] == title)
        .unwrap_or_else(|| panic!("no {id} outcome titled {title:?} in {r:#}"))
}

pub(super) fn finding_ids(o: &Value) -> Vec<String> {
    o["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["check"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every outcome of the AD area is ok (the shipped profiles in the lab).
fn all_ok(r: &Value, allow: &[&str]) {
    let list = r["outcomes"].as_array().expect("outcomes");
    assert!(list.len() > 3, "too few outcomes: {r:#}");
    for o in list {
        let ids = finding_ids(o);
        let allowed = ids.iter().all(|i| allow.contains(&i.as_str()));
        assert!(
            o["state"] == "ok" || (allowed && o["state"] == "warning"),
            "{o:#}"
        );
    }
}

#[test]
fn shipped_sync_profile_passes_with_dn_flags_and_group_scopes() {
    let lab = lab();
    let (code, r) = check(&lab, SYNC, &[], &[]);
    all_ok(&r, &[]);
    assert_eq!(code, Some(0), "{r:#}");
    let acct = one(&r, "ad-account", r"Account contoso\MIMSync");
    assert!(
        acct["summary"]
            .as_str()
            .unwrap_or("")
            .contains("CN=MIMSync,CN=Users,DC=contoso,DC=local"),
        "{acct}"
    );
    assert!(
        acct["evidence"][0]
            .as_str()
            .unwrap_or("")
            .contains("NORMAL_ACCOUNT"),
        "{acct}"
    );
    assert_eq!(outcomes(&r, "ad-group").len(), 5);
    assert_eq!(r["facts"]["ad.group.MIMSyncPasswordReset.scope"], "global");
    assert_eq!(
        r["facts"]["ad.account.MIMSync.dn"],
        "CN=MIMSync,CN=Users,DC=contoso,DC=local"
    );
    assert_eq!(r["facts"]["ad.dc"], "dc1.contoso.local");
    let bind = &outcomes(&r, "ad-bind")[0];
    assert!(
        bind["summary"]
            .as_str()
            .unwrap_or("")
            .contains("LDAPS (port 636), certificate verified"),
        "{bind}"
    );
}

#[test]
fn shipped_gmsa_profile_passes_for_the_sync_server_and_the_descriptor_is_read() {
    let lab = lab();
    let (code, r) = check(&lab, SYNC_GMSA, &["checks.computer=CORPSYNC"], &[]);
    // The KDS root key is readable by Domain Admins only: a warning for miminstall, which
    // blocks until the profile acknowledges it, as an offline warning does.
    all_ok(&r, &["ad-kds-not-visible"]);
    assert_eq!(code, Some(1), "{r:#}");
    let keys: Vec<&str> = r["unacknowledged"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        !keys.is_empty() && keys.iter().all(|k| k.starts_with("ad-kds-not-visible@")),
        "{r:#}"
    );
    let text = std::fs::read_to_string(SYNC_GMSA).expect("profile");
    let added: String = keys.iter().map(|k| format!("  \"{k}\",\n")).collect();
    let acked = text.replacen(
        "acknowledged = [\n",
        &format!("acknowledged = [\n{added}"),
        1,
    );
    assert_ne!(acked, text, "the profile has an acknowledged list");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gmsa-acknowledged.toml");
    std::fs::write(&path, acked).expect("write profile");
    let path = path.display().to_string();
    let (code, again) = check(&lab, &path, &["checks.computer=CORPSYNC"], &[]);
    assert_eq!(code, Some(0), "acknowledged: {again:#}");
    assert_eq!(
        again["acknowledged"].as_array().map(Vec::len),
        Some(keys.len())
    );
    let g = one(&r, "ad-gmsa", r"gMSA contoso\MIMSync$ for CORPSYNC");
    assert!(
        g["summary"]
            .as_str()
            .unwrap_or("")
            .contains("through MIMSyncServers"),
        "{g}"
    );
    assert_eq!(r["facts"]["ad.gmsa.MIMSync$.allowed"], "yes");
    // As a Domain Admin the root key is seen.
    let (_, r) = check(
        &lab,
        SYNC_GMSA,
        &[
            "checks.computer=CORPSYNC",
            r"checks.bind_account=contoso\administrator",
        ],
        &[],
    );
    assert_eq!(outcomes(&r, "ad-kds")[0]["state"], "ok", "{r:#}");
}

#[test]
fn a_gmsa_that_does_not_allow_this_computer_is_blocking() {
    let lab = lab();
    let (code, r) = check(
        &lab,
        SYNC_GMSA,
        &[
            "checks.computer=CORPSYNC",
            "service_account.name=MIMNoAccessGMSA$",
        ],
        &[],
    );
    let g = one(&r, "ad-gmsa", r"gMSA contoso\MIMNoAccessGMSA$ for CORPSYNC");
    assert_eq!(finding_ids(g), ["ad-gmsa-not-allowed"], "{g:#}");
    assert_eq!(code, Some(1));
    // The right gMSA on a computer outside its group: CORPIDM is not in MIMSyncServers.
    let (_, r) = check(&lab, SYNC_GMSA, &["checks.computer=CORPIDM"], &[]);
    let g = one(&r, "ad-gmsa", r"gMSA contoso\MIMSync$ for CORPIDM");
    assert_eq!(finding_ids(g), ["ad-gmsa-not-allowed"], "{g:#}");
    assert!(
        g["findings"][0]["evidence"]
            .as_str()
            .unwrap_or("")
            .contains("MIMSyncServers"),
        "{g:#}"
    );
}

#[test]
fn shipped_service_profile_passes_with_sspr_rights_and_spns() {
    let lab = lab();
    let (code, r) = check(&lab, SERVICE, &["checks.computer=CORPIDM"], &[]);
    all_ok(&r, &[]);
    assert_eq!(code, Some(0), "{r:#}");
    assert_eq!(
        one(&r, "ad-sspr", r"SSPR rights of contoso\MIMService")["summary"],
        "in MIMSyncAdmins"
    );
    assert_eq!(outcomes(&r, "ad-accounts-differ")[0]["state"], "ok");
    let spn = one(&r, "ad-spn", "SPN FIMService/CORPIDM.contoso.local");
    assert_eq!(spn["summary"], r"on contoso\MIMService only");
    // FIMService/CORPIDM.contoso.local, FIMService/CORPIDM, http/ in both forms.
    assert_eq!(outcomes(&r, "ad-spn").len(), 4);
}

#[test]
fn disabled_locked_and_expired_accounts_each_get_their_finding() {
    let lab = lab();
    let (code, r) = check(
        &lab,
        SERVICE,
        &[
            r"sync_link.ma_account=contoso\MIMDisabled",
            r"registration.account=contoso\MIMLocked",
            r"reset.account=contoso\MIMExpired",
        ],
        &[],
    );
    assert_eq!(code, Some(1));
    let d = one(&r, "ad-account", r"Account contoso\MIMDisabled");
    assert_eq!(finding_ids(d), ["ad-account-disabled"]);
    assert!(
        d["findings"][0]["evidence"]
            .as_str()
            .unwrap_or("")
            .contains("0x00000202 (ACCOUNTDISABLE | NORMAL_ACCOUNT)"),
        "{d:#}"
    );
    let l = one(&r, "ad-account", r"Account contoso\MIMLocked");
    assert_eq!(finding_ids(l), ["ad-account-locked"]);
    // pwdLastSet 0: "must change password at next logon", with the fix that clears it.
    let e = one(&r, "ad-account", r"Account contoso\MIMExpired");
    assert_eq!(finding_ids(e), ["ad-account-must-change"]);
    // Binding as them gives AD's sub-codes in plain language.
    for (who, id) in [
        ("MIMDisabled", "ad-bind-disabled"),
        ("MIMLocked", "ad-bind-locked"),
        ("MIMExpired", "ad-bind-must-change"),
    ] {
        let (code, r) = check(
            &lab,
            SYNC,
            &[&format!(r"checks.bind_account=contoso\{who}")],
            &[],
        );
        let b = &outcomes(&r, "ad-bind")[0];
        assert_eq!(finding_ids(b), [id], "{b:#}");
        assert_eq!(code, Some(1));
        assert_eq!(outcomes(&r, "ad-directory")[0]["state"], "skipped");
    }
}

#[test]
fn a_wrong_bind_password_is_ad_code_52e() {
    let lab = lab();
    let canary = "Canary-9f3b-Secret";
    let (code, r) = check(&lab, SYNC, &[], &[("MIM_CHECK_BIND_PASSWORD", canary)]);
    let b = &outcomes(&r, "ad-bind")[0];
    assert_eq!(finding_ids(b), ["ad-bind-bad-password"], "{b:#}");
    assert!(
        b["findings"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("52e"),
        "{b:#}"
    );
    assert!(
        !r.to_string().contains(canary),
        "the password reached the output"
    );
    assert_eq!(code, Some(1));
    // The text report says it too, without the password.
    let o = lab
        .command(&["check", SYNC, "--only", "ad"])
        .env("MIM_CHECK_BIND_PASSWORD", canary)
        .output()
        .expect("mim-setup runs");
    let (code, text) = code_and_stdout(&o);
    assert!(text.contains("AD code 52e"), "{text}");
    assert!(!text.contains(canary) && !String::from_utf8_lossy(&o.stderr).contains(canary));
    assert_eq!(code, 1);
}

#[test]
fn a_duplicate_spn_and_a_missing_group_are_blocking() {
    let lab = lab();
    let (code, r) = check(
        &lab,
        SERVICE,
        &["portal.sharepoint_url=http://dup.contoso.local"],
        &[],
    );
    let s = one(&r, "ad-spn", "SPN http/dup.contoso.local");
    assert_eq!(finding_ids(s), ["ad-spn-duplicate"], "{s:#}");
    assert!(
        s["findings"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("MIMDupSPN, SharePoint"),
        "{s:#}"
    );
    let fix = s["findings"][0]["fix"].as_str().unwrap_or("");
    assert!(
        fix.contains("setspn -D http/dup.contoso.local MIMDupSPN")
            && !fix.contains("-D http/dup.contoso.local SharePoint"),
        "{s:#}"
    );
    assert_eq!(
        r["facts"]["ad.spn.http/dup.contoso.local.owners"],
        "MIMDupSPN, SharePoint"
    );
    assert_eq!(code, Some(1));
    let (code, r) = check(
        &lab,
        SYNC,
        &[r"groups.joiners=contoso\MIMSyncNoSuchGroup"],
        &[],
    );
    let g = one(&r, "ad-group", r"Group contoso\MIMSyncNoSuchGroup");
    assert_eq!(finding_ids(g), ["ad-group-missing"], "{g:#}");
    assert_eq!(r["facts"]["ad.group.MIMSyncNoSuchGroup.scope"], "missing");
    assert_eq!(code, Some(1));
}

#[test]
fn ldaps_and_starttls_verify_with_the_lab_ca_and_refuse_another() {
    let lab = lab();
    let (code, r) = check(&lab, SYNC, &["checks.ldap_security=starttls"], &[]);
    assert_eq!(outcomes(&r, "ad-bind")[0]["state"], "ok", "{r:#}");
    assert_eq!(code, Some(0));
    let other = lab.dir.join("ca/other-ca.pem");
    let other = other.to_str().expect("utf-8 path");
    for security in ["ldaps", "starttls"] {
        let (code, r) = check(
            &lab,
            SYNC,
            &[&format!("checks.ldap_security={security}")],
            &[("MIM_SETUP_CA_FILE", other)],
        );
        let b = &outcomes(&r, "ad-bind")[0];
        assert_eq!(finding_ids(b), ["ad-tls-certificate"], "{security}: {b:#}");
        assert!(
            b["findings"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("UnknownIssuer"),
            "{b:#}"
        );
        assert_eq!(code, Some(1));
    }
    assert!(lab.ca_file().exists());
}

#[test]
fn black_hole_refused_and_nxdomain_finish_within_the_timeout() {
    let lab = lab();
    // Accepts (the kernel completes the handshake) and never answers.
    let _hole = std::net::TcpListener::bind("127.0.0.9:636")
        .expect("bind 127.0.0.9:636 for the black hole");
    let timed = |sets: &[&str]| {
        let t = Instant::now();
        let mut args = vec!["check", SYNC, "--json", "--only", "ad"];
        for s in sets {
            args.extend(["--set", s]);
        }
        args.extend(["--timeout", "1"]);
        let o = lab.command(&args).output().expect("mim-setup runs");
        let took = t.elapsed();
        assert!(took < Duration::from_secs(4), "{sets:?} took {took:?}");
        (o.status.code(), json(&o))
    };
    let (code, r) = timed(&["checks.dc=127.0.0.9"]);
    assert_eq!(
        finding_ids(outcomes(&r, "ad-bind")[0]),
        ["ad-timeout"],
        "{r:#}"
    );
    assert_eq!(code, Some(1));
    let (code, r) = timed(&["checks.dc=127.0.0.10"]);
    assert_eq!(
        finding_ids(outcomes(&r, "ad-bind")[0]),
        ["ad-refused"],
        "{r:#}"
    );
    assert_eq!(code, Some(1));
    let (code, r) = timed(&["checks.domain=nosuch.contoso.local"]);
    let dc = &outcomes(&r, "ad-dc")[0];
    assert_eq!(finding_ids(dc), ["ad-dc-not-found"], "{dc:#}");
    assert!(
        dc["summary"].as_str().unwrap_or("").contains("NXDOMAIN"),
        "{dc:#}"
    );
    assert_eq!(code, Some(1));
}

#[test]
fn hostile_names_match_nothing_and_say_why() {
    let lab = lab();
    // A wildcard is refused before any search; parentheses are escaped and match nothing.
    let (code, r) = check(
        &lab,
        SERVICE,
        &[
            r"sync_link.ma_account=contoso\MIM*",
            r"registration.account=contoso\MIMSSPR)(x",
        ],
        &[],
    );
    let w = one(&r, "ad-account", r"Account contoso\MIM*");
    assert_eq!(finding_ids(w), ["ad-account-name"], "{w:#}");
    let p = one(&r, "ad-account", r"Account contoso\MIMSSPR)(x");
    assert_eq!(finding_ids(p), ["ad-account-missing"], "{p:#}");
    assert_eq!(code, Some(1));
    // NUL and a backslash in a group name, through a profile file: the offline rules refuse
    // the profile before any live check, naming the character.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(SYNC)
        .expect("read the shipped profile")
        .replace(
            r"admins = 'contoso\MIMSyncAdmins'",
            r#"admins = "contoso\\MIM\u0000SyncAdmins""#,
        )
        .replace(
            r"browse = 'contoso\MIMSyncBrowse'",
            r#"browse = "MIMSync\\*()\\Browse""#,
        );
    let path = dir.path().join("hostile.toml");
    std::fs::write(&path, text).expect("write the profile");
    let path = path.to_str().expect("utf-8 path");
    let o = lab
        .command(&["check", path, "--json", "--only", "ad"])
        .output()
        .expect("mim-setup runs");
    let r = json(&o);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(r["live"], false, "{r:#}");
    assert!(outcomes(&r, "ad-group").is_empty(), "{r:#}");
    let errors = r["rules"]["errors"].as_array().expect("rule errors");
    let nul = errors
        .iter()
        .find(|e| e["finding"]["field"] == "groups.admins")
        .expect("the admins group is refused");
    assert!(
        nul["finding"]["evidence"]
            .as_str()
            .unwrap_or("")
            .contains("U+0000"),
        "{nul:#}"
    );
    // The live check itself, given the name for this run only: it matches nothing and says
    // why (a NUL cannot be given on a command line; the wizard checks what is typed).
    let (code, r) = check(&lab, SYNC, &[r"groups.browse=MIMSync\*()\Browse"], &[]);
    let star = outcomes(&r, "ad-group")
        .into_iter()
        .find(|g| g["findings"][0]["field"] == "groups.browse")
        .expect("the browse group is checked");
    assert_eq!(finding_ids(star), ["ad-group-name"], "{star:#}");
    assert_eq!(code, Some(1));
}

#[test]
fn sspr_without_the_sync_groups_and_one_account_for_both_services_are_blocking() {
    let lab = lab();
    // MIMSSPR is in none of MIMSyncAdmins, MIMSyncPasswordReset, MIMSyncBrowse.
    let (code, r) = check(
        &lab,
        SERVICE,
        &[
            "mim_service.name=MIMSSPR",
            r"sync_link.sync_service_account=contoso\MIMSSPR",
        ],
        &[],
    );
    let s = one(&r, "ad-sspr", r"SSPR rights of contoso\MIMSSPR");
    assert_eq!(finding_ids(s), ["ad-sspr-membership"], "{s:#}");
    let d = &outcomes(&r, "ad-accounts-differ")[0];
    assert_eq!(finding_ids(d), ["ad-same-account"], "{d:#}");
    assert_eq!(code, Some(1));
}
