//! Field rules, one table each: the value a user types and the finding it gives.
use super::*;
use mim_setup::answers::Value;
use mim_setup::secret::SecretRef;

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
fn sql_server_has_no_port_protocol_or_instance() {
    let rows = [
        ("corpsql", OK),
        ("corpsql.contoso.com", OK),
        ("10.0.0.5", OK),
        ("MIMSQLALIAS", OK),
        ("", OK),
        ("corpsql,1433", err("sql-server-port")),
        ("corpsql:1433", err("sql-server-port")),
        ("corpsql.contoso.com,1433", err("sql-server-port")),
        ("10.0.0.5,1433", err("sql-server-port")),
        ("10.0.0.5:1433", err("sql-server-port")),
        ("corpsql,", err("sql-server-port")),
        ("corpsql, 1433", err("sql-server-port")),
        ("corpsql\\MIMSYNC,1433", err("sql-server-port")),
        ("tcp:corpsql", err("sql-server-port")),
        ("TCP:corpsql.contoso.com", err("sql-server-port")),
        ("np:corpsql", err("sql-server-port")),
        ("lpc:corpsql", err("sql-server-port")),
        ("tcp:corpsql,1433", err("sql-server-port")),
        ("corpsql\\MIMSYNC", err("sql-server-instance")),
        ("corpsql.contoso.com\\MIMSYNC", err("sql-server-instance")),
    ];
    check_texts("sql-server-no-port", "sql.server", &rows);

    // The message names what is wrong: a port, or a protocol prefix.
    let message = |v: &str| {
        run_field_rule("sql-server-no-port", "sql.server", &text(v))[0]
            .message
            .to_lowercase()
    };
    assert!(message("corpsql,1433").contains("port"));
    for v in [
        "tcp:corpsql",
        "np:corpsql",
        "LPC:corpsql",
        "tcp:corpsql,1433",
    ] {
        assert!(message(v).contains("protocol"), "{v}: {}", message(v));
    }
    assert!(message("corpsql\\MIMSYNC").contains("instance"));
    // The fix for an instance in the server field tells where each part goes.
    let f = &run_field_rule(
        "sql-server-no-port",
        "sql.server",
        &text("corpsql\\MIMSYNC"),
    )[0];
    assert!(
        f.fix.contains("'corpsql'") && f.fix.contains("'MIMSYNC'"),
        "{}",
        f.fix
    );
}

#[test]
fn sql_instance_name_is_a_named_instance_name() {
    let rows = [
        ("MIMSYNC", OK),
        ("mimsync", OK),
        ("_MIM", OK),
        ("MIM$1", OK),
        ("MIM_SYNC_2", OK),
        ("ÉCOLE", OK),
        ("ABCDEFGHIJKLMNOP", OK),
        ("", OK),
        ("ABCDEFGHIJKLMNOPQ", err("sql-instance-name")),
        ("corpsql\\MIMSYNC", err("sql-instance-name")),
        ("MSSQLSERVER", err("sql-instance-name")),
        ("mssqlserver", err("sql-instance-name")),
        ("DEFAULT", err("sql-instance-name")),
        ("default", err("sql-instance-name")),
        ("1MIM", err("sql-instance-name")),
        ("$MIM", err("sql-instance-name")),
        ("MIM-SYNC", err("sql-instance-name")),
        ("MIM SYNC", err("sql-instance-name")),
        (" MIMSYNC", err("sql-instance-name")),
        ("MIMSYNC,1433", err("sql-instance-name")),
    ];
    check_texts("sql-instance-name", "sql.instance_name", &rows);
}

#[test]
fn sql_database_name_is_a_regular_identifier() {
    let rows = [
        ("FIMSynchronizationService", OK),
        ("_db", OK),
        ("MIM_Sync2", OK),
        ("db@1#$", OK),
        ("Datenbänk", OK),
        ("", err("sql-database-name")),
        ("1db", err("sql-database-name")),
        ("@db", err("sql-database-name")),
        ("#temp", err("sql-database-name")),
        ("$db", err("sql-database-name")),
        (" db", err("sql-database-name")),
        ("my-db", err("sql-database-name")),
        ("my db", err("sql-database-name")),
        ("db;DROP", err("sql-database-name")),
        ("[db]", err("sql-database-name")),
        ("SELECT", err("sql-database-name")),
        ("select", err("sql-database-name")),
        ("Database", err("sql-database-name")),
        ("master", err("sql-database-name")),
        ("TempDB", err("sql-database-name")),
        ("msdb", err("sql-database-name")),
    ];
    check_texts("sql-database-name", "sql.database", &rows);
    let long = [
        (format!("D{}", "b".repeat(122)), OK),
        (format!("D{}", "b".repeat(123)), err("sql-database-name")),
    ];
    check_texts("sql-database-name", "sql.database", &long);
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

/// Rows both path rules agree on.
const PATH_ROWS: &[(&str, Want)] = &[
    ("C:\\MIMBackup\\MIMSyncKey.bin", OK),
    ("c:\\mim", OK),
    ("D:\\", OK),
    ("C:\\Program Files (x86)\\MIM\\", OK),
    ("C:\\Sauvegarde\\clé.bin", OK),
    ("C:\\CONFIG\\key.bin", OK),
    ("", err("windows-path")),
    ("C:", err("windows-path")),
    ("C:MIM", err("windows-path")),
    ("1:\\MIM", err("windows-path")),
    ("MIMBackup\\key.bin", err("windows-path")),
    (" C:\\MIM", err("windows-path")),
    ("C:/MIMBackup/key.bin", err("windows-path")),
    ("/var/backup/key.bin", err("windows-path")),
    ("C:\\MIM/Backup", err("windows-path")),
    ("C:\\a<b", err("windows-path")),
    ("C:\\a>b", err("windows-path")),
    ("C:\\a:b", err("windows-path")),
    ("C:\\a\"b", err("windows-path")),
    ("C:\\a|b", err("windows-path")),
    ("C:\\a?b", err("windows-path")),
    ("C:\\a*b", err("windows-path")),
    ("C:\\a\tb", err("windows-path")),
    ("C:\\CON\\key.bin", err("windows-path")),
    ("C:\\MIM\\nul.txt", err("windows-path")),
    ("C:\\MIM\\com1", err("windows-path")),
    ("C:\\MIM\\LPT9.log", err("windows-path")),
    ("C:\\MIM \\key.bin", err("windows-path")),
    ("C:\\MIM.\\key.bin", err("windows-path")),
    ("C:\\MIM\\key.bin ", err("windows-path")),
    ("C:\\MIM\\\\key.bin", err("windows-path")),
    ("C:\\\\MIM", err("windows-path")),
];

#[test]
fn absolute_path_is_a_drive_or_a_share() {
    let p = "security.key_backup";
    check_texts("windows-absolute-path", p, PATH_ROWS);
    let rows = [
        ("\\\\backup01\\keys\\MIMSyncKey.bin", OK),
        ("\\\\backup01\\keys", OK),
        ("\\\\backup01", err("windows-path")),
        ("\\\\backup01\\", err("windows-path")),
        ("\\\\\\keys", err("windows-path")),
        ("\\\\backup01\\keys\\a|b", err("windows-path")),
        ("\\\\backup01\\keys\\\\key.bin", err("windows-path")),
    ];
    check_texts("windows-absolute-path", p, &rows);
    let long = |n: usize| format!("C:\\{}", "a".repeat(n - 3));
    check_texts(
        "windows-absolute-path",
        p,
        &[(long(247), OK), (long(248), err("windows-path"))],
    );
}

#[test]
fn install_folder_is_on_a_local_drive() {
    let p = "install.folder";
    check_texts("windows-local-path", p, PATH_ROWS);
    let rows = [
        (
            "C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\",
            OK,
        ),
        ("E:\\MIM\\Sync", OK),
        ("\\\\fileserver\\share\\MIM", err("windows-path-local")),
        ("\\\\fileserver", err("windows-path-local")),
        ("\\\\?\\C:\\MIM", err("windows-path-local")),
    ];
    check_texts("windows-local-path", p, &rows);
}

#[test]
fn licence_must_be_accepted() {
    let p = "licence.accepted";
    let rows = [
        (Value::Bool(true), OK),
        (Value::Bool(false), err("licence-not-accepted")),
        (text("true"), err("licence-not-accepted")),
        (text("yes"), err("licence-not-accepted")),
        (
            Value::Secret(SecretRef::Prompt),
            err("licence-not-accepted"),
        ),
    ];
    for (value, want) in rows {
        let got = run_field_rule("licence-accepted", p, &value);
        compare(&got, want, p).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    }
}
