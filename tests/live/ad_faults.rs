//! The directory faults a real environment has, against the lab's Samba AD DC: an expired
//! account, "must change password", a password older than the maximum age, a short-form SPN
//! on a computer, names of another domain, a nested group path and a distribution group.
use super::ad::{check, finding_ids, one, SERVICE, SYNC, SYNC_GMSA};
use super::common::{lab, outcomes};
use serde_json::Value;

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

#[test]
fn expired_must_change_and_old_password_accounts_each_get_their_finding() {
    let lab = lab();
    let (code, r) = check(
        &lab,
        SERVICE,
        &[
            r"sync_link.ma_account=contoso\MIMAccountExpired",
            r"registration.account=contoso\MIMMustChange",
            r"reset.account=contoso\MIMOldPassword",
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{r:#}");
    let cases = [
        (
            "MIMAccountExpired",
            "ad-account-expired",
            "2020-01-01",
            "Clear-ADAccountExpiration",
        ),
        (
            "MIMMustChange",
            "ad-account-must-change",
            "next logon",
            "-ChangePasswordAtLogon $false",
        ),
        (
            "MIMOldPassword",
            "ad-account-password-expired",
            "maximum password age",
            "Set-ADAccountPassword",
        ),
    ];
    for (who, id, message, fix) in cases {
        let o = one(&r, "ad-account", &format!(r"Account contoso\{who}"));
        assert_eq!(finding_ids(o), [id], "{who}: {o:#}");
        let f = &o["findings"][0];
        assert!(text(f, "message").contains(message), "{who}: {f:#}");
        assert!(text(f, "fix").contains(fix), "{who}: {f:#}");
        assert!(
            text(f, "evidence").contains("accountExpires"),
            "{who}: {f:#}"
        );
    }
    // A healthy account says its expiry was read.
    let ok = one(&r, "ad-account", r"Account contoso\MIMService");
    assert_eq!(ok["state"], "ok", "{ok:#}");
    assert!(
        ok["evidence"][0]
            .as_str()
            .unwrap_or("")
            .contains("accountExpires never"),
        "{ok:#}"
    );
    // Binding as the expired account: AD's own answer agrees (701).
    let (code, r) = check(
        &lab,
        SYNC,
        &[r"checks.bind_account=contoso\MIMAccountExpired"],
        &[],
    );
    let b = &outcomes(&r, "ad-bind")[0];
    assert_eq!(finding_ids(b), ["ad-bind-account-expired"], "{b:#}");
    assert_eq!(code, Some(1));
}

#[test]
fn the_short_form_spn_is_looked_up_and_every_holder_named() {
    let lab = lab();
    // corpservice: FIMService/corpservice.contoso.local on MIMService only; the short form
    // FIMService/corpservice on MIMService and on the computer CORPIDM.
    let (code, r) = check(
        &lab,
        SERVICE,
        &[
            "checks.computer=CORPIDM",
            "portal.service_address=corpservice",
        ],
        &[],
    );
    let full = one(&r, "ad-spn", "SPN FIMService/corpservice.contoso.local");
    assert_eq!(full["state"], "ok", "{full:#}");
    let short = one(&r, "ad-spn", "SPN FIMService/corpservice");
    assert_eq!(finding_ids(short), ["ad-spn-duplicate"], "{short:#}");
    let f = &short["findings"][0];
    assert!(text(f, "message").contains("CORPIDM$, MIMService"), "{f:#}");
    assert!(
        text(f, "evidence").contains("CN=CORPIDM,CN=Computers"),
        "{f:#}"
    );
    assert!(
        text(f, "fix").contains(r"setspn -D FIMService/corpservice CORPIDM$"),
        "{f:#}"
    );
    assert!(
        !text(f, "fix").contains("-D FIMService/corpservice MIMService"),
        "{f:#}"
    );
    assert_eq!(
        r["facts"]["ad.spn.FIMService/corpservice.owners"],
        "CORPIDM$, MIMService"
    );
    assert_eq!(code, Some(1));
    // An http/ SPN nobody holds is answered through HOST/ on the computer: said so.
    let (_, r) = check(
        &lab,
        SERVICE,
        &["portal.sharepoint_url=http://corpsync.contoso.local"],
        &[],
    );
    let h = one(&r, "ad-spn", "SPN http/corpsync.contoso.local");
    assert_eq!(finding_ids(h), ["ad-spn-missing"], "{h:#}");
    assert!(
        text(&h["findings"][0], "evidence").contains("host/corpsync.contoso.local, on CORPSYNC$"),
        "{h:#}"
    );
    // The walkthrough's host: its short form is on MIMService alone, which passes.
    let (_, r) = check(&lab, SERVICE, &["checks.computer=CORPIDM"], &[]);
    assert_eq!(
        one(&r, "ad-spn", "SPN FIMService/CORPIDM")["state"],
        "ok",
        "{r:#}"
    );
}

#[test]
fn names_of_another_domain_are_errors_whatever_the_directory_holds() {
    let lab = lab();
    // MIMSync and MIMSyncAdmins exist in CONTOSO; the profile says FABRIKAM.
    let (code, r) = check(
        &lab,
        SYNC,
        &[
            "service_account.domain=fabrikam",
            r"groups.admins=fabrikam\MIMSyncAdmins",
            "groups.browse=MIMSyncBrowse@fabrikam.com",
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{r:#}");
    let a = one(&r, "ad-account", r"Account fabrikam\MIMSync");
    assert_eq!(finding_ids(a), ["ad-account-other-domain"], "{a:#}");
    let f = &a["findings"][0];
    assert_eq!(f["field"], "service_account.domain", "{f:#}");
    assert!(
        text(f, "message").contains("CONTOSO (contoso.local)"),
        "{f:#}"
    );
    for (field, title) in [
        ("groups.admins", r"Group fabrikam\MIMSyncAdmins"),
        ("groups.browse", "Group MIMSyncBrowse@fabrikam.com"),
    ] {
        let g = one(&r, "ad-group", title);
        assert_eq!(finding_ids(g), ["ad-group-other-domain"], "{g:#}");
        assert_eq!(g["findings"][0]["field"], field, "{g:#}");
    }
    // The domain's own names in every form pass: NetBIOS in any case, the DNS name, a UPN.
    let (_, r) = check(
        &lab,
        SYNC,
        &[
            "service_account.domain=CONTOSO",
            r"groups.admins=contoso.local\MIMSyncAdmins",
            "groups.browse=MIMSyncBrowse@contoso.local",
        ],
        &[],
    );
    for o in outcomes(&r, "ad-account")
        .into_iter()
        .chain(outcomes(&r, "ad-group"))
    {
        assert_eq!(o["state"], "ok", "{o:#}");
    }
    // A domain controller named by hand that answers for another domain than the profile's.
    let (code, r) = check(
        &lab,
        SYNC,
        &[
            "checks.dc=dc1.contoso.local",
            "checks.domain=fabrikam.local",
        ],
        &[],
    );
    let dc = &outcomes(&r, "ad-dc")[0];
    assert_eq!(finding_ids(dc), ["ad-domain-mismatch"], "{dc:#}");
    assert_eq!(code, Some(1));
    // A gMSA and the MIM Service account too.
    let (_, r) = check(
        &lab,
        SYNC_GMSA,
        &[
            "checks.computer=CORPSYNC",
            "service_account.domain=fabrikam",
        ],
        &[],
    );
    let g = one(&r, "ad-gmsa", r"gMSA fabrikam\MIMSync$ for CORPSYNC");
    assert_eq!(finding_ids(g), ["ad-gmsa-other-domain"], "{g:#}");
    let (_, r) = check(&lab, SERVICE, &["mim_service.domain=fabrikam"], &[]);
    let s = one(&r, "ad-account", r"Account fabrikam\MIMService");
    assert_eq!(finding_ids(s), ["ad-account-other-domain"], "{s:#}");
    // Nothing is claimed for an account that was never looked up: no SSPR verdict on it.
    assert!(outcomes(&r, "ad-sspr").is_empty(), "{r:#}");
}

#[test]
fn nested_membership_shows_its_path_and_a_distribution_group_is_no_group() {
    let lab = lab();
    // (The walkthrough's FIMService SPN stays on MIMService, so the run as a whole blocks.)
    let (_, r) = check(&lab, SERVICE, &["mim_service.name=MIMNested"], &[]);
    let s = one(&r, "ad-sspr", r"SSPR rights of contoso\MIMNested");
    assert_eq!(s["state"], "ok", "{s:#}");
    assert!(
        s["evidence"][0]
            .as_str()
            .unwrap_or("")
            .contains("MIMNested → MIMSSPRAdmins → MIMIdentityAdmins → MIMSyncAdmins"),
        "{s:#}"
    );
    // Direct membership is a path of one step.
    let (_, r) = check(&lab, SERVICE, &[], &[]);
    let s = one(&r, "ad-sspr", r"SSPR rights of contoso\MIMService");
    assert!(
        s["evidence"][0]
            .as_str()
            .unwrap_or("")
            .contains("MIMService → MIMSyncAdmins"),
        "{s:#}"
    );
    // A gMSA: the computer's path to the group its descriptor allows.
    let (_, r) = check(&lab, SYNC_GMSA, &["checks.computer=CORPSYNC"], &[]);
    let g = one(&r, "ad-gmsa", r"gMSA contoso\MIMSync$ for CORPSYNC");
    assert!(
        g["evidence"]
            .to_string()
            .contains("through CORPSYNC$ → MIMSyncServers"),
        "{g:#}"
    );
    // A distribution group named as a Sync group.
    let (code, r) = check(
        &lab,
        SYNC,
        &[r"groups.browse=contoso\MIMSyncBrowseList"],
        &[],
    );
    let g = one(&r, "ad-group", r"Group contoso\MIMSyncBrowseList");
    assert_eq!(finding_ids(g), ["ad-group-not-security"], "{g:#}");
    assert!(
        text(&g["findings"][0], "evidence").contains("distribution"),
        "{g:#}"
    );
    assert_eq!(code, Some(1));
}
