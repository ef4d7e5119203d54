//! SQL Server answers: server field without a port, instance names, database names.
use super::{first_bad_char, FieldCtx};
use crate::finding::Finding;

/// The server field holds a host or an alias; `host,port`, `host:port` and `host\instance`
/// belong elsewhere.
pub fn server_no_port(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let lower = v.to_ascii_lowercase();
    // Before the port: a prefix has a colon too, and its message says what is really there.
    if ["tcp:", "np:", "lpc:"].iter().any(|p| lower.starts_with(p)) {
        return vec![Finding::error("sql-server-port", ctx.path, "The SQL Server field holds a protocol prefix.")
            .why("Setup expects a bare host name or alias here.")
            .fix("Remove the prefix; to force a protocol or port, create a SQL client alias and give the alias here.")];
    }
    if let Some((host, port)) = v.rsplit_once(',').or_else(|| v.rsplit_once(':')) {
        return vec![Finding::error("sql-server-port", ctx.path, "The SQL Server field holds a port.")
            .why("Setup writes this value into its own connection settings and the Synchronization Service rolls back when the server name carries a port.")
            .fix("Create a SQL client alias on this server (cliconfg.exe, or SQL Server Configuration Manager) that maps a name to the host and port, and give the alias here.")
            .evidence(format!("host '{host}', port '{port}'"))];
    }
    if let Some((host, instance)) = v.split_once('\\') {
        return vec![Finding::error("sql-server-instance", ctx.path, "The SQL Server field holds an instance name.")
            .why("The Synchronization Service setup asks for the instance in its own field; in the server field it is not found.")
            .fix(format!("Give '{host}' here, choose \"A named instance\" and give '{instance}' as the instance name."))
            .evidence(format!("host '{host}', instance '{instance}'"))];
    }
    vec![]
}

/// SQL Server instance names: at most 16 characters, a letter or `_` first, then letters,
/// digits, `$` and `_`; not `DEFAULT` or `MSSQLSERVER`.
pub fn instance_name(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let why = "Setup connects to SERVER\\INSTANCE through the SQL Browser service; a name SQL Server cannot have is never found.";
    if v.contains('\\') {
        return vec![Finding::error("sql-instance-name", ctx.path, "Give only the instance name, without the server.")
            .why(why)
            .fix("Put the server in the server field and only the instance here (MIMSYNC, not corpsql\\MIMSYNC).")];
    }
    let upper = v.to_ascii_uppercase();
    if upper == "MSSQLSERVER" || upper == "DEFAULT" {
        return vec![Finding::error(
            "sql-instance-name",
            ctx.path,
            format!("{v} is the default instance, not a named instance."),
        )
        .why(why)
        .fix("Choose \"The default instance\" instead.")];
    }
    let bad_first = v
        .chars()
        .next()
        .is_some_and(|c| !(c.is_alphabetic() || c == '_'));
    let bad = first_bad_char(v, |c| !(c.is_alphanumeric() || c == '_' || c == '$'));
    if bad_first || bad.is_some() || v.chars().count() > 16 {
        let evidence = if v.chars().count() > 16 {
            format!("{} characters", v.chars().count())
        } else {
            bad.unwrap_or_else(|| "the first character is not a letter".into())
        };
        return vec![Finding::error("sql-instance-name", ctx.path, "This is not a valid SQL Server instance name.")
            .why(why)
            .fix("An instance name has at most 16 characters: a letter first, then letters, digits, $ or _.")
            .evidence(evidence)];
    }
    vec![]
}

/// Words SQL Server reserves, which a database name as a regular identifier cannot be.
const RESERVED: &[&str] = &[
    "ADD",
    "ALL",
    "ALTER",
    "AND",
    "ANY",
    "AS",
    "BACKUP",
    "BEGIN",
    "BY",
    "CASE",
    "CHECK",
    "COLUMN",
    "COMMIT",
    "CREATE",
    "CROSS",
    "DATABASE",
    "DEFAULT",
    "DELETE",
    "DENY",
    "DROP",
    "ELSE",
    "END",
    "EXEC",
    "EXECUTE",
    "EXISTS",
    "FROM",
    "FULL",
    "GRANT",
    "GROUP",
    "INDEX",
    "INSERT",
    "INTO",
    "IS",
    "JOIN",
    "KEY",
    "LIKE",
    "NOT",
    "NULL",
    "OR",
    "ORDER",
    "PRIMARY",
    "PROCEDURE",
    "PUBLIC",
    "RESTORE",
    "REVOKE",
    "ROLLBACK",
    "SELECT",
    "SET",
    "TABLE",
    "TO",
    "TRAN",
    "TRANSACTION",
    "UNION",
    "UPDATE",
    "USE",
    "USER",
    "VALUES",
    "VIEW",
    "WHERE",
    "WITH",
];
const SYSTEM_DATABASES: &[&str] = &["master", "model", "msdb", "tempdb", "distribution"];

/// A database name that is a regular SQL Server identifier: a letter or `_` first, then
/// letters, digits, `@`, `$`, `#`, `_`; at most 123 characters; not reserved, not a system
/// database.
pub fn database_name(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let why = "Setup checks the name (CheckDatabaseNameFormat) and creates the database with it; an irregular name fails there or needs quoting that setup does not do.";
    let fix = "Use letters, digits and _ (a letter first), at most 123 characters; the default is FIMSynchronizationService.";
    let first_ok = v
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    if !first_ok {
        return vec![Finding::error(
            "sql-database-name",
            ctx.path,
            "A database name must start with a letter or _.",
        )
        .why(why)
        .fix(fix)
        .evidence(format!("starts with '{}'", v.chars().next().unwrap_or(' ')))];
    }
    if let Some(bad) = first_bad_char(v, |c| !(c.is_alphanumeric() || "_@$#".contains(c))) {
        return vec![Finding::error(
            "sql-database-name",
            ctx.path,
            "The database name is not a valid identifier.",
        )
        .why(why)
        .fix(fix)
        .evidence(bad)];
    }
    let len = v.chars().count();
    if len > 123 {
        return vec![Finding::error(
            "sql-database-name",
            ctx.path,
            "The database name is too long.",
        )
        .why(why)
        .fix(fix)
        .evidence(format!("{len} characters"))];
    }
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(v)) {
        return vec![Finding::error(
            "sql-database-name",
            ctx.path,
            format!("{v} is a reserved word in SQL Server."),
        )
        .why(why)
        .fix(fix)];
    }
    if SYSTEM_DATABASES.iter().any(|r| r.eq_ignore_ascii_case(v)) {
        return vec![Finding::error(
            "sql-database-name",
            ctx.path,
            format!("{v} is a SQL Server system database."),
        )
        .why("MIM needs a database of its own; setup would install into a system database.")
        .fix(fix)];
    }
    vec![]
}
