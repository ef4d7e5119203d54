//! SQL Server answers: server fields without a port (the Synchronization Service's host, the
//! MIM Service's host or `host\instance`), instance names, database names.
use super::names::hostname_problem;
use super::{first_bad_char, FieldCtx};
use crate::finding::Finding;

/// The server field holds a host or an alias; `host,port`, `host:port` and `host\instance`
/// belong elsewhere.
pub fn server_no_port(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let port_why = "Setup writes this value into its own connection settings and the Synchronization Service rolls back when the server name carries a port.";
    if let Some(f) = port_or_prefix(ctx.path, v, port_why) {
        return vec![f];
    }
    if let Some((host, instance)) = v.split_once('\\') {
        return vec![Finding::error("sql-server-instance", ctx.path, "The SQL Server field holds an instance name.")
            .why("The Synchronization Service setup asks for the instance in its own field; in the server field it is not found.")
            .fix(format!("Give '{host}' here, choose \"A named instance\" and give '{instance}' as the instance name."))
            .evidence(format!("host '{host}', instance '{instance}'"))];
    }
    vec![]
}

/// A protocol prefix (`tcp:`) or a port (`,1433`, `:1433`) in a server field; `port_why` says
/// what a port does to this setup.
fn port_or_prefix(path: &str, v: &str, port_why: &str) -> Option<Finding> {
    let lower = v.to_ascii_lowercase();
    // Before the port: a prefix has a colon too, and its message says what is really there.
    if ["tcp:", "np:", "lpc:"].iter().any(|p| lower.starts_with(p)) {
        return Some(Finding::error("sql-server-port", path, "The SQL Server field holds a protocol prefix.")
            .why("Setup expects a bare host name or alias here.")
            .fix("Remove the prefix; to force a protocol or port, create a SQL client alias and give the alias here."));
    }
    let (host, port) = v.rsplit_once(',').or_else(|| v.rsplit_once(':'))?;
    Some(Finding::error("sql-server-port", path, "The SQL Server field holds a port.")
        .why(port_why)
        .fix("Create a SQL client alias on this server (cliconfg.exe, or SQL Server Configuration Manager) that maps a name to the host and port, and give the alias here.")
        .evidence(format!("host '{host}', port '{port}'")))
}

/// The MIM Service's SQL server: a host, `host\instance`, a SQL client alias, or an Always On
/// listener or cluster name (all host names to this check); never a port or a protocol.
pub fn server_address(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let port_why = "Setup writes this value into the MIM Service's connection string (SQLSERVER_SERVER); a server name that carries a port makes setup fail and roll back.";
    if let Some(f) = port_or_prefix(ctx.path, v, port_why) {
        return vec![f];
    }
    let why = "Setup and the MIM Service connect to this server by name (through the SQL Browser service for a named instance); a name that cannot exist is never found.";
    let (host, instance) = match v.split_once('\\') {
        Some((h, i)) => (h, Some(i)),
        None => (v, None),
    };
    if let Some(problem) = hostname_problem(host) {
        return vec![Finding::error("hostname", ctx.path, "The server part is not a valid host name.")
            .why(why)
            .fix("Give a host name of letters, digits and hyphens with dots between labels (corpsql.contoso.com), a SQL client alias, or an Always On listener or cluster name; add \\INSTANCE for a named instance.")
            .evidence(format!("'{host}': {problem}"))];
    }
    let Some(instance) = instance else {
        return vec![];
    };
    let err = |message: &str, fix: String, evidence: String| {
        vec![Finding::error("sql-instance-name", ctx.path, message)
            .why(why)
            .fix(fix)
            .evidence(evidence)]
    };
    if instance.is_empty() {
        return err(
            "The instance name after the backslash is empty.",
            format!("Give '{host}' alone for the default instance, or {host}\\INSTANCE for a named one."),
            format!("'{v}'"),
        );
    }
    match instance_problem(instance) {
        None => vec![],
        Some(InstanceProblem::HasServer) => err(
            "The SQL server has more than one backslash.",
            "Give host\\instance, for example corpsql\\MIMSERVICE.".into(),
            format!("'{v}'"),
        ),
        Some(InstanceProblem::Default) => err(
            &format!("{instance} is the default instance, not a named instance."),
            format!("Give '{host}' alone: the default instance needs no name."),
            format!("instance '{instance}'"),
        ),
        Some(InstanceProblem::Invalid(evidence)) => err(
            "This is not a valid SQL Server instance name.",
            "An instance name has at most 16 characters: a letter first, then letters, digits, $ or _.".into(),
            format!("instance '{instance}': {evidence}"),
        ),
    }
}

/// Why a text is not a named instance's name.
enum InstanceProblem {
    /// It holds a backslash, as `server\instance` does.
    HasServer,
    /// `MSSQLSERVER` or `DEFAULT`: the default instance.
    Default,
    /// It breaks the naming rules; the text is the evidence.
    Invalid(String),
}

fn instance_problem(v: &str) -> Option<InstanceProblem> {
    if v.contains('\\') {
        return Some(InstanceProblem::HasServer);
    }
    let upper = v.to_ascii_uppercase();
    if upper == "MSSQLSERVER" || upper == "DEFAULT" {
        return Some(InstanceProblem::Default);
    }
    let bad_first = v
        .chars()
        .next()
        .is_some_and(|c| !(c.is_alphabetic() || c == '_'));
    let bad = first_bad_char(v, |c| !(c.is_alphanumeric() || c == '_' || c == '$'));
    let len = v.chars().count();
    if len > 16 {
        return Some(InstanceProblem::Invalid(format!("{len} characters")));
    }
    if bad_first || bad.is_some() {
        return Some(InstanceProblem::Invalid(
            bad.unwrap_or_else(|| "the first character is not a letter".into()),
        ));
    }
    None
}

/// SQL Server instance names: at most 16 characters, a letter or `_` first, then letters,
/// digits, `$` and `_`; not `DEFAULT` or `MSSQLSERVER`.
pub fn instance_name(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let why = "Setup connects to SERVER\\INSTANCE through the SQL Browser service; a name SQL Server cannot have is never found.";
    match instance_problem(v) {
        None => vec![],
        Some(InstanceProblem::HasServer) => vec![Finding::error("sql-instance-name", ctx.path, "Give only the instance name, without the server.")
            .why(why)
            .fix("Put the server in the server field and only the instance here (MIMSYNC, not corpsql\\MIMSYNC).")],
        Some(InstanceProblem::Default) => vec![Finding::error(
            "sql-instance-name",
            ctx.path,
            format!("{v} is the default instance, not a named instance."),
        )
        .why(why)
        .fix("Choose \"The default instance\" instead.")],
        Some(InstanceProblem::Invalid(evidence)) => vec![Finding::error("sql-instance-name", ctx.path, "This is not a valid SQL Server instance name.")
            .why(why)
            .fix("An instance name has at most 16 characters: a letter first, then letters, digits, $ or _.")
            .evidence(evidence)],
    }
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
