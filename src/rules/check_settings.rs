//! The live checks screen: opt-outs of verified encryption are warnings the profile records.
use super::FieldCtx;
use crate::finding::Finding;

/// A plain LDAP bind sends the bind password in clear.
pub fn ldap_plain(ctx: &FieldCtx) -> Vec<Finding> {
    if ctx.text() != "plain" {
        return Vec::new();
    }
    vec![Finding::warning(
        "ldap-plain",
        ctx.path,
        "The directory checks bind over plain LDAP: the bind password crosses the network in clear.",
    )
    .why("Anyone on the path between this server and the domain controller can read the password of the account the checks bind as.")
    .fix("Choose LDAPS or StartTLS (the domain controller needs a certificate), or acknowledge for an isolated lab.")]
}

/// Trusting any SQL Server certificate, or not encrypting, is an explicit opt-out.
pub fn sql_encryption_opt_out(ctx: &FieldCtx) -> Vec<Finding> {
    let (what, why) = match ctx.text() {
        "trust" => (
            "The SQL checks trust any server certificate.",
            "A server that is not the SQL Server you named could answer the checks and see the login; the checks would then report on the wrong server.",
        ),
        "off" => (
            "The SQL checks do not encrypt the connection.",
            "With SQL authentication the login's password crosses the network only lightly obfuscated, and the answers can be altered on the way.",
        ),
        _ => return Vec::new(),
    };
    vec![Finding::warning("sql-encryption-opt-out", ctx.path, what)
        .why(why)
        .fix("Choose \"Encrypt, verify the certificate\" (give the issuing CA with --ca-file if it is not trusted by this computer), or acknowledge to record the opt-out.")]
}
