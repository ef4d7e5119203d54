//! `src/rules/sql.rs`: SQL Server answers: the server fields, instance names, database names.
use super::*;

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
fn sql_server_address_is_a_host_or_host_backslash_instance() {
    let rows = [
        ("corpsql", OK),
        ("corpsql.contoso.com", OK),
        ("corpsql\\MIMSERVICE", OK),
        ("corpsql.contoso.com\\MIM_1", OK),
        ("MIMSQLALIAS", OK),
        ("mimag-listener.contoso.com", OK),
        ("sqlcluster01", OK),
        ("10.0.0.5", OK),
        ("10.0.0.5\\MIM", OK),
        ("corpsql,1433", err("sql-server-port")),
        ("corpsql:1433", err("sql-server-port")),
        ("corpsql, 1433", err("sql-server-port")),
        ("corpsql\\MIM,1433", err("sql-server-port")),
        ("tcp:corpsql", err("sql-server-port")),
        ("NP:corpsql", err("sql-server-port")),
        ("lpc:corpsql", err("sql-server-port")),
        ("tcp:corpsql\\MIM", err("sql-server-port")),
        ("corp_sql", err("hostname")),
        ("corp sql\\MIM", err("hostname")),
        ("\\MIM", err("hostname")),
        ("-corpsql\\MIM", err("hostname")),
        (".", err("hostname")),
        ("(local)", err("hostname")),
        ("corpsql\t", err("hostname")),
        ("corpsql\u{200E}", err("hostname")),
        ("", err("hostname")),
        ("corpsql\\", err("sql-instance-name")),
        ("corpsql\\MSSQLSERVER", err("sql-instance-name")),
        ("corpsql\\default", err("sql-instance-name")),
        ("corpsql\\1MIM", err("sql-instance-name")),
        ("corpsql\\MIM-1", err("sql-instance-name")),
        ("corpsql\\MIM SERVICE", err("sql-instance-name")),
        ("corpsql\\ABCDEFGHIJKLMNOPQ", err("sql-instance-name")),
        ("corpsql\\MIM\\X", err("sql-instance-name")),
    ];
    check_texts("sql-server-address", "database.server", &rows);

    let p = "database.server";
    let port = only("sql-server-address", p, "corpsql,1433");
    assert!(port.message.contains("port") && port.fix.contains("SQL client alias"));
    assert!(port.why.contains("SQLSERVER_SERVER"), "{}", port.why);
    assert!(only("sql-server-address", p, "tcp:corpsql")
        .message
        .contains("protocol"));
    let default = only("sql-server-address", p, "corpsql\\MSSQLSERVER");
    assert!(default.fix.contains("'corpsql'"), "{}", default.fix);
    let invisible = only("sql-server-address", p, "corpsql\u{200E}");
    assert!(
        invisible.evidence.as_deref().unwrap().contains("U+200E"),
        "{invisible:?}"
    );
    let instance = only("sql-server-address", p, "corpsql\\MIM-1");
    assert!(instance.evidence.as_deref().unwrap().contains("'MIM-1'"));
}
