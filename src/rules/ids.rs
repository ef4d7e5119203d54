//! Identifiers copied from elsewhere: GUIDs (the Office 365 application's and tenant's IDs)
//! and certificate thumbprints, with the invisible characters copying tends to bring along.
use super::{first_bad_char, FieldCtx};
use crate::finding::Finding;

/// Why a text is not a GUID, and the corrected value when one can be derived.
pub(super) struct GuidProblem {
    pub evidence: String,
    pub fix: Option<String>,
}

/// `8-4-4-4-12` hexadecimal digits, not all zero. Braces are refused (with the bare GUID as
/// the fix): Azure AD and Create-MIMMailboxApp.ps1 print GUIDs without them, and setup's
/// handling of braces is not documented.
pub(super) fn guid_problem(v: &str) -> Option<GuidProblem> {
    let problem = |evidence: String| {
        Some(GuidProblem {
            evidence,
            fix: None,
        })
    };
    if let Some(inner) = v.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        if guid_problem(inner).is_none() {
            return Some(GuidProblem {
                evidence: "braces around the GUID".into(),
                fix: Some(format!("Remove the braces: {inner}.")),
            });
        }
    }
    if let Some(bad) = first_bad_char(v, |c| !(c.is_ascii_hexdigit() || c == '-')) {
        return problem(bad);
    }
    let groups: Vec<&str> = v.split('-').collect();
    if groups.len() == 1 && v.len() == 32 {
        let dashed = format!(
            "{}-{}-{}-{}-{}",
            &v[..8],
            &v[8..12],
            &v[12..16],
            &v[16..20],
            &v[20..]
        );
        return Some(GuidProblem {
            evidence: "32 hexadecimal digits without hyphens".into(),
            fix: Some(format!("Write it with the hyphens: {dashed}.")),
        });
    }
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    if lengths != [8, 4, 4, 4, 12] {
        let shown: Vec<String> = lengths.iter().map(usize::to_string).collect();
        return problem(format!(
            "groups of {} digits; a GUID has 8-4-4-4-12",
            shown.join("-")
        ));
    }
    if v.chars().all(|c| c == '0' || c == '-') {
        return problem("the all-zero GUID, which names nothing".into());
    }
    None
}

/// The Application ID and the Tenant ID of the Office 365 application context.
pub fn guid(ctx: &FieldCtx) -> Vec<Finding> {
    let Some(problem) = guid_problem(ctx.text()) else {
        return vec![];
    };
    let which = if ctx.path.ends_with("tenant_id") {
        "TenantId"
    } else {
        "ApplicationId"
    };
    let fix = problem.fix.unwrap_or_else(|| {
        format!("Copy the {which} that Create-MIMMailboxApp.ps1 printed (or the value on the application's Overview page in the Azure portal), in the form 3f2504e0-4f89-41d3-9a0c-0305e82c3301.")
    });
    vec![Finding::error("guid", ctx.path, "This is not a GUID.")
        .why("Setup checks the Application ID and the Tenant ID against Azure AD before it goes on, and shows an error when either names no application or tenant.")
        .fix(fix)
        .evidence(problem.evidence)]
}

/// The marks the Windows certificate dialog puts into a copied thumbprint, and their names.
const COPIED_MARKS: &[(char, &str)] = &[
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE"),
];

/// A certificate thumbprint: 40 hexadecimal digits, with spaces or colons between them.
pub fn thumbprint(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let why = "Setup uses the certificate with this thumbprint from Local Computer, Personal for the MIM Service; a thumbprint that matches no certificate stops setup.";
    let mark = v.chars().enumerate().find_map(|(i, c)| {
        COPIED_MARKS
            .iter()
            .find(|(m, _)| *m == c)
            .map(|(m, name)| (i, *m, *name))
    });
    if let Some((i, c, name)) = mark {
        return vec![Finding::error("thumbprint-invisible", ctx.path, "The thumbprint holds an invisible character that copying from the Windows certificate dialog adds.")
            .why(format!("{why} The invisible character is part of the text, so no thumbprint matches it although the digits look right."))
            .fix("Delete the thumbprint and type it, or copy it from PowerShell: Get-ChildItem Cert:\\LocalMachine\\My | Format-List Subject, Thumbprint.")
            .evidence(format!("U+{:04X} {name} at position {}", c as u32, i + 1))];
    }
    let err = |message: &str, evidence: String| {
        vec![Finding::error("thumbprint", ctx.path, message)
            .why(why)
            .fix("Give the certificate's thumbprint as the certificate dialog (Details, Thumbprint) or Get-ChildItem Cert:\\LocalMachine\\My shows it: 40 hexadecimal digits, spaces or colons allowed.")
            .evidence(evidence)]
    };
    if let Some(bad) = first_bad_char(v, |c| !(c.is_ascii_hexdigit() || c == ' ' || c == ':')) {
        return err(
            "The thumbprint has a character that is not a hexadecimal digit.",
            bad,
        );
    }
    let digits = v.chars().filter(char::is_ascii_hexdigit).count();
    if digits != 40 {
        let note = if digits == 64 {
            " (a SHA-256 hash; Windows shows the SHA-1 thumbprint, 40 digits)"
        } else {
            ""
        };
        return err(
            "A thumbprint has 40 hexadecimal digits.",
            format!("{digits} digits{note}"),
        );
    }
    vec![]
}
