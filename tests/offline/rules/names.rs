//! `src/rules/names.rs`: host names, sAMAccountName, NetBIOS domains, `DOMAIN\Group` and
//! `DOMAIN\account`, one table each: the value a user types and the finding it gives.
use super::*;

#[test]
fn hostname_follows_rfc_1123() {
    let rows = [
        ("corpsql", OK),
        ("corpsql.contoso.com", OK),
        ("corpsql.contoso.com.", OK),
        ("CORPSQL-01", OK),
        ("a", OK),
        // All-digit labels pass: the server field takes an address as SQL clients do.
        ("10.0.0.5", OK),
        ("", err("hostname")),
        (".", err("hostname")),
        ("corpsql.contoso.com..", err("hostname")),
        ("corpsql..contoso.com", err("hostname")),
        (".corpsql", err("hostname")),
        ("-corpsql", err("hostname")),
        ("corpsql-", err("hostname")),
        ("corp-.contoso.com", err("hostname")),
        ("corpsql.-contoso.com", err("hostname")),
        ("corp_sql", err("hostname")),
        ("corp sql", err("hostname")),
        (" corpsql", err("hostname")),
        ("corpsql ", err("hostname")),
        ("corpsql\t", err("hostname")),
        ("cörpsql", err("hostname")),
        ("корпскл", err("hostname")),
        ("corpsql,1433", err("hostname")),
        ("corpsql\\MIMSYNC", err("hostname")),
        ("http://corpsql", err("hostname")),
    ];
    check_texts("hostname", "sql.server", &rows);

    let label = |c: &str, n: usize| c.repeat(n);
    let host_253 = format!(
        "{}.{}.{}.{}",
        label("a", 63),
        label("b", 63),
        label("c", 63),
        label("d", 61)
    );
    assert_eq!(host_253.len(), 253);
    let long_rows = [
        (label("a", 63), OK),
        (format!("{}.contoso.com", label("a", 63)), OK),
        (label("a", 64), err("hostname")),
        (format!("{}.contoso.com", label("a", 64)), err("hostname")),
        (format!("corpsql.{}", label("b", 64)), err("hostname")),
        (host_253.clone(), OK),
        (format!("{host_253}."), OK),
        (format!("{host_253}d"), err("hostname")),
        (format!("{host_253}.e"), err("hostname")),
    ];
    check_texts("hostname", "sql.server", &long_rows);
}

#[test]
fn sam_account_name_follows_active_directory() {
    let p = "service_account.name";
    let rows = [
        ("MIMSync", OK),
        ("MIMSync$", OK),
        ("MIM Sync", OK),
        ("mim.sync", OK),
        ("mim-sync_01", OK),
        ("Mïmsync", OK),
        ("ABCDEFGHIJKLMNOPQRST", OK),
        ("ABCDEFGHIJKLMNO$", OK),
        ("ABCDEFGHIJKLMNOPQRSTU", err("account-name-length")),
        ("ABCDEFGHIJKLMNOPQRST$", err("account-name-length")),
        ("ABCDEFGHIJKLMNOP$", warn("gmsa-name-length")),
        ("contoso\\MIMSync", err("account-name-domain")),
        ("MIMSync@contoso.com", err("account-name-domain")),
        ("MIM\tSync", err("account-name")),
        ("MIMSync.", err("account-name")),
        ("...", err("account-name")),
        ("   ", err("account-name")),
        (". .", err("account-name")),
        ("", err("account-name")),
    ];
    check_texts("sam-account-name", p, &rows);
    // Each character AD refuses, in the middle of a name (\ and @ mean a domain part).
    let forbidden: Vec<(String, Want)> = "\"/[]:;|=,+*?<>"
        .chars()
        .map(|c| (format!("MIM{c}Sync"), err("account-name")))
        .collect();
    check_texts("sam-account-name", p, &forbidden);
    // The limit counts characters, not bytes.
    let long = [
        ("Ä".repeat(20), OK),
        ("Ä".repeat(21), err("account-name-length")),
    ];
    check_texts("sam-account-name", p, &long);
}

#[test]
fn netbios_domain_is_a_netbios_name() {
    let p = "service_account.domain";
    let rows = [
        ("contoso", OK),
        ("CONTOSO", OK),
        ("corp-sync", OK),
        ("CORPSYNC", OK),
        ("ABCDEFGHIJKLMNO", OK),
        ("", OK),
        ("ABCDEFGHIJKLMNOP", err("netbios-domain")),
        ("con toso", err("netbios-domain")),
        (" contoso", err("netbios-domain")),
        ("contoso ", err("netbios-domain")),
        ("con\ttoso", err("netbios-domain")),
        ("contoso.com", warn("netbios-domain-dns")),
        ("corp.contoso.com", warn("netbios-domain-dns")),
    ];
    check_texts("netbios-domain", p, &rows);
    let forbidden: Vec<(String, Want)> = "\\/:*?\"<>|"
        .chars()
        .map(|c| (format!("con{c}toso"), err("netbios-domain")))
        .collect();
    check_texts("netbios-domain", p, &forbidden);
}

#[test]
fn group_name_is_domain_backslash_name() {
    let p = "groups.admins";
    let rows = [
        ("contoso\\MIMSyncAdmins", OK),
        ("CONTOSO\\MIM Sync Admins", OK),
        ("corpsync\\MIMSyncAdmins", OK),
        ("contoso\\Grüppe", OK),
        ("contoso\\MIM.Sync-Admins_1", OK),
        // Without a domain setup creates a local group: allowed, but it needs acknowledging.
        ("MIMSyncAdmins", warn("group-no-domain")),
        ("MIM Sync Admins", warn("group-no-domain")),
        ("\\MIMSyncAdmins", err("group-name")),
        ("contoso\\", err("group-name")),
        ("\\", err("group-name")),
        ("contoso\\sub\\MIMSyncAdmins", err("group-name")),
        ("contoso\\\\MIMSyncAdmins", err("group-name")),
        ("MIMSyncAdmins@contoso.com", err("group-name")),
        ("MIM?Admins", err("group-name")),
        ("con:toso\\MIMSyncAdmins", err("group-name")),
        ("con*toso\\MIMSyncAdmins", err("group-name")),
        ("contoso\\MIM\tAdmins", err("group-name")),
    ];
    check_texts("group-name", p, &rows);
    let forbidden: Vec<(String, Want)> = "\"/[]:;|=,+*?<>@"
        .chars()
        .map(|c| (format!("contoso\\MIM{c}Admins"), err("group-name")))
        .collect();
    check_texts("group-name", p, &forbidden);
}

#[test]
fn domain_account_is_netbios_domain_backslash_sam_account_name() {
    let p = "sync_link.ma_account";
    let rows = [
        ("contoso\\MIMMA", OK),
        ("CONTOSO\\MIMMA", OK),
        ("contoso\\MIMSyncGMSAsvc$", OK),
        ("contoso\\MIM MA", OK),
        ("corp-01\\mim.ma", OK),
        ("contoso\\Mïmma", OK),
        ("MIMMA", err("domain-account")),
        ("MIMMA@contoso.com", err("domain-account")),
        ("contoso\\", err("domain-account")),
        ("\\MIMMA", err("domain-account")),
        ("\\", err("domain-account")),
        ("contoso\\sub\\MIMMA", err("domain-account")),
        ("contoso\\\\MIMMA", err("domain-account")),
        ("", err("domain-account")),
        ("contoso\\MIM?MA", err("account-name")),
        ("contoso\\MIM@MA", err("account-name")),
        ("contoso\\MIM\tMA", err("account-name")),
        ("contoso\\MIMMA.", err("account-name")),
        ("contoso\\...", err("account-name")),
        ("contoso\\ABCDEFGHIJKLMNOPQRSTU", err("account-name-length")),
        ("contoso\\ABCDEFGHIJKLMNOP$", warn("gmsa-name-length")),
        ("con toso\\MIMMA", err("netbios-domain")),
        ("con*toso\\MIMMA", err("netbios-domain")),
        ("ABCDEFGHIJKLMNOP\\MIMMA", err("netbios-domain")),
        ("contoso.com\\MIMMA", warn("netbios-domain-dns")),
    ];
    check_texts("domain-account", p, &rows);
    for path in [
        "sync_link.sync_service_account",
        "registration.account",
        "reset.account",
    ] {
        check_texts(
            "domain-account",
            path,
            &[("contoso\\MIMSSPR", OK), ("MIMSSPR", err("domain-account"))],
        );
    }
    // A DNS domain only warns, so the name is still checked; a bad domain stops there.
    let both: Vec<String> = run_field_rule("domain-account", p, &text("contoso.com\\MIM?MA"))
        .iter()
        .map(|f| f.check.clone())
        .collect();
    assert_eq!(both, ["netbios-domain-dns", "account-name"]);
    let stop = run_field_rule("domain-account", p, &text("con*toso\\MIM?MA"));
    assert_eq!(stop.len(), 1, "{stop:?}");
    // The fixes say what to write, and the evidence which part is wrong.
    let upn = only("domain-account", p, "MIMMA@contoso.com");
    assert!(upn.fix.contains("contoso\\MIMMA"), "{}", upn.fix);
    assert!(only("domain-account", p, "MIMMA")
        .fix
        .contains("contoso\\MIMMA"));
    let part = only("domain-account", p, "contoso\\MIM?MA");
    assert_eq!(
        part.evidence.as_deref(),
        Some("character '?' at position 4 in 'MIM?MA'")
    );
}
