//! The EWS request for the MIM Service mailbox, as an app-only (full_access_as_app) client
//! must make it: the token, ExchangeImpersonation of the mailbox, and X-AnchorMailbox.
use super::{client_for, foreign, header, peer_certificate, request_finding, Steps, MAILBOX_TITLE};
use crate::check::{timeout_finding_url, Area, Ctx, Outcome};
use crate::finding::Finding;
use crate::screens::fields;

const ID: &str = "mail-office365-mailbox";
const SCREEN: &str = "mim_service";
const FIELD: &str = fields::mim_service::EMAIL;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// GetFolder of the mailbox's Inbox, impersonating the mailbox.
pub fn get_folder(email: &str) -> String {
    let e = xml_escape(email);
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
  <soap:Header>
    <t:RequestServerVersion Version="Exchange2013_SP1"/>
    <t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>{e}</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>
  </soap:Header>
  <soap:Body>
    <m:GetFolder>
      <m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>
      <m:FolderIds><t:DistinguishedFolderId Id="inbox"><t:Mailbox><t:EmailAddress>{e}</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId></m:FolderIds>
    </m:GetFolder>
  </soap:Body>
</soap:Envelope>"#
    )
}

/// The text of the first element named `name` (any namespace prefix).
pub fn element(xml: &str, name: &str) -> Option<String> {
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let tag_end = rest.find('>')?;
        let tag = &rest[..tag_end];
        let local = tag.split_whitespace().next().unwrap_or("");
        let local = local.rsplit(':').next().unwrap_or(local);
        if local == name && !tag.starts_with('/') && !tag.ends_with('/') {
            let body = &rest[tag_end + 1..];
            let end = body.find('<').unwrap_or(body.len());
            return Some(body[..end].trim().chars().take(300).collect());
        }
    }
    None
}

/// Exchange Online's 401 for the token, read with what the consent step saw: `granted` is
/// true when the token's roles hold full_access_as_app.
fn refused_token(diag: &str, granted: bool, ews: &str) -> Finding {
    let field = fields::mailbox_app::APPLICATION_ID;
    let no_permission = diag.starts_with("2000008") || diag.contains("contains no permissions");
    let invalid = diag.starts_with("2000001") || diag.contains("token is not valid");
    if no_permission && granted {
        Finding::error("mail-office365-ews-grant-not-effective", field, "Exchange Online finds no permission in the token, although the token holds full_access_as_app.")
            .fix(format!("The grant is there (see the permission check): if it was given or changed recently, Exchange Online may not use it yet, so run the check again later. If it persists, check that {ews} belongs to the tenant's cloud instance, and that the app's permission is Office 365 Exchange Online full_access_as_app (an Application permission, not a Delegated one)."))
    } else if no_permission {
        Finding::error("mail-office365-ews-no-permission", field, "Exchange Online finds no permission in the application's token.")
            .fix("Grant the app Office 365 Exchange Online full_access_as_app (Application permission) with admin consent.")
    } else if invalid {
        Finding::error("mail-office365-ews-token-invalid", field, "Exchange Online does not accept the application's token as valid.")
            .fix(format!("Choose the cloud instance the tenant is hosted in, so that the token is issued for {ews}; check this computer's clock."))
    } else {
        Finding::error("mail-office365-ews-token", field, "Exchange Online refused the application's token.")
            .fix("Read x-ms-diagnostics in the evidence; check that the cloud instance matches the tenant and that the app holds full_access_as_app with admin consent.")
    }
}

pub async fn mailbox(
    ctx: &Ctx,
    email: &str,
    ews: &str,
    token: &str,
    granted: bool,
    steps: &mut Steps,
) {
    let found = |f: Finding| Outcome::found(ID, Area::Mail, SCREEN, MAILBOX_TITLE, vec![f]);
    if email.parse::<lettre::Address>().is_err() {
        steps.push(Outcome::skipped(
            ID,
            Area::Mail,
            SCREEN,
            MAILBOX_TITLE,
            "the mailbox address is not well-formed (see the address check)",
        ));
        return;
    }
    let url = match reqwest::Url::parse(ews) {
        Ok(u) if u.scheme() == "https" => u,
        _ => {
            steps.push(found(Finding::error("mail-office365-ews-url", FIELD, format!("The EWS URL `{ews}` is not an https URL."))
                .why("MIM Service reaches its Exchange Online mailbox at this URL.")
                .fix("Unset MIM_SETUP_EWS_URL, or give an https URL such as https://outlook.office365.com/EWS/Exchange.asmx.")));
            return;
        }
    };
    let client = match client_for(ctx, &url, "mail-office365-ews-dns", FIELD).await {
        Ok(c) => c,
        Err(f) => {
            steps.push(found(f));
            return;
        }
    };
    let req = client
        .post(url.clone())
        .bearer_auth(token)
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("X-AnchorMailbox", email)
        .body(get_folder(email));
    let why = "Setup checks that the application can open the MIM Service mailbox (\"If installer fails to access MIM Service mailbox, another error appears\"); MIM Service sends notifications from it and reads approval answers in it.";
    let resp = match ctx.within(req.send()).await {
        Err(_) => {
            return steps.push(found(timeout_finding_url(
                "mail-office365-ews-timeout",
                FIELD,
                ews,
                ews,
                ctx.settings.timeout,
            )))
        }
        Ok(Err(e)) => {
            return steps.push(found(
                request_finding(ctx, "mail-office365-ews", FIELD, &url, &e)
                    .await
                    .why(why),
            ))
        }
        Ok(Ok(r)) => r,
    };
    let status = resp.status().as_u16();
    let cert = peer_certificate(&resp);
    let diag = resp
        .headers()
        .get("x-ms-diagnostics")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (ctype, server, via) = (
        header(&resp, "content-type"),
        header(&resp, "server"),
        header(&resp, "via"),
    );
    let body = match ctx.within(resp.text()).await {
        Ok(Ok(t)) => t,
        _ => String::new(),
    };
    let stand_in = element(&body, "ResponseCode")
        .is_none()
        .then(|| foreign::stand_in(status, &ctype, &body, &server, &via))
        .flatten();
    if let Some(seen) = stand_in {
        let host = url.host_str().unwrap_or_default();
        return steps.push(found(Finding::error("mail-office365-ews-not-exchange", FIELD, format!("{ews} answered with {seen}, not Exchange Online's SOAP: something between this server and Exchange Online answered instead."))
            .why(why)
            .fix(format!("Let this server reach https://{host} directly, or allow that address through the proxy or firewall whose page this is."))
            .evidence(format!("{ews}: {seen}"))));
    }
    let code = element(&body, "ResponseCode").unwrap_or_default();
    let message = element(&body, "MessageText")
        .or_else(|| element(&body, "faultstring"))
        .unwrap_or_default();
    let mut evidence = format!("{ews}: HTTP {status}");
    if !code.is_empty() {
        evidence.push_str(&format!(", ResponseCode {code}"));
    }
    if !message.is_empty() {
        evidence.push_str(&format!(": {message}"));
    }
    if !diag.is_empty() {
        evidence.push_str(&format!("; x-ms-diagnostics: {diag}"));
    }
    if status == 200 && code == "NoError" {
        steps.fact("mail.office365.mailbox", email.to_string());
        let mut o = Outcome::ok(
            ID,
            Area::Mail,
            SCREEN,
            MAILBOX_TITLE,
            format!("the app opens the Inbox of {email}"),
        )
        .with_evidence(evidence);
        if let Some(c) = cert {
            o = o.with_evidence(c);
        }
        return steps.push(o);
    }
    let f = match (status, code.as_str()) {
        (_, "ErrorNonExistentMailbox") | (_, "ErrorMailboxNotFound") => Finding::error("mail-office365-no-mailbox", FIELD, format!("Exchange Online has no mailbox {email}."))
            .fix("Write the primary SMTP address of the MIM Service mailbox (Get-Mailbox | Select PrimarySmtpAddress), or create the mailbox; seed 002 assumes it exists before setup."),
        (_, "ErrorAccessDenied") | (_, "ErrorImpersonateUserDenied") | (403, _) => Finding::error("mail-office365-mailbox-denied", FIELD, format!("The application may not open the mailbox {email}."))
            .fix("If an application access policy restricts the app, add the MIM Service mailbox to its group (Test-ApplicationAccessPolicy -Identity <mailbox> -AppId <app id>)."),
        (401, _) => refused_token(&diag, granted, ews),
        _ => Finding::error("mail-office365-ews-error", FIELD, format!("Exchange Online did not open the mailbox {email}."))
            .fix("Read the response code in the evidence and correct the mailbox or the application's permissions."),
    };
    steps.push(found(f.why(why).evidence(evidence)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_401_is_read_with_what_the_consent_step_saw() {
        let none = r#"2000008;reason="The token contains no permissions, or permissions can not be understood.";error_category="invalid_grant""#;
        let invalid = r#"2000001;reason="The token is not valid.";error_category="invalid_token""#;
        let cases = [
            (none, true, "mail-office365-ews-grant-not-effective", false),
            (none, false, "mail-office365-ews-no-permission", true),
            (invalid, true, "mail-office365-ews-token-invalid", false),
            (invalid, false, "mail-office365-ews-token-invalid", false),
            ("", true, "mail-office365-ews-token", false),
            ("", false, "mail-office365-ews-token", false),
        ];
        for (diag, granted, check, says_grant) in cases {
            let f = refused_token(
                diag,
                granted,
                "https://outlook.office365.com/EWS/Exchange.asmx",
            );
            assert_eq!(f.check, check, "{diag} {granted}");
            assert_eq!(f.field.as_deref(), Some("mailbox_app.application_id"));
            assert_eq!(
                f.fix.starts_with("Grant the app"),
                says_grant,
                "{check}: {}",
                f.fix
            );
        }
    }

    #[test]
    fn a_hostile_address_stays_text_in_the_request() {
        let x = get_folder("a</t:PrimarySmtpAddress><evil/>&@contoso.com");
        assert!(!x.contains("<evil/>"));
        assert!(x.contains("a&lt;/t:PrimarySmtpAddress&gt;&lt;evil/&gt;&amp;@contoso.com"));
    }

    #[test]
    fn response_codes_are_found_under_any_prefix() {
        let body = r#"<s:Envelope><s:Body><m:GetFolderResponseMessage ResponseClass="Error"><m:MessageText>The SMTP address has no mailbox associated with it.</m:MessageText><m:ResponseCode>ErrorNonExistentMailbox</m:ResponseCode></m:GetFolderResponseMessage></s:Body></s:Envelope>"#;
        assert_eq!(
            element(body, "ResponseCode").as_deref(),
            Some("ErrorNonExistentMailbox")
        );
        assert_eq!(
            element(body, "MessageText").as_deref(),
            Some("The SMTP address has no mailbox associated with it.")
        );
        assert_eq!(element("<a><b/>", "b"), None);
        assert_eq!(element("<ResponseCode", "ResponseCode"), None);
    }
}
