//! Office 365 EWS: a GetFolder answered with NoError for the tenant's mailbox with a token the
//! token endpoint issued, ErrorNonExistentMailbox for another mailbox, and Exchange Online's
//! 401 with x-ms-diagnostics 2000001 for a token it did not issue.
use super::{answer, Answer, Shared};
use hyper::StatusCode;

const SOAP_NS: &str = r#"xmlns:s="http://schemas.xmlsoap.org/soap/envelope/""#;
const M_T_NS: &str = r#"xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types""#;

fn soap(status: StatusCode, message: &str) -> Answer {
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope {SOAP_NS}><s:Body><m:GetFolderResponse {M_T_NS}><m:ResponseMessages>{message}</m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>"#
    );
    answer(status, &[("Content-Type", "text/xml; charset=utf-8")], body)
}

pub(super) fn online_ews(
    shared: &Shared,
    method: &hyper::Method,
    headers: &hyper::HeaderMap,
    body: &[u8],
) -> Answer {
    if method != hyper::Method::POST {
        return answer(StatusCode::METHOD_NOT_ALLOWED, &[], "");
    }
    let bearer = headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let xml = String::from_utf8_lossy(body);
    let asked = crate::check::mail::soap_element(&xml, "PrimarySmtpAddress").unwrap_or_default();
    let mailbox = shared.issued.lock().ok().and_then(|issued| {
        issued
            .iter()
            .find(|(t, _)| !bearer.is_empty() && t == bearer)
            .map(|(_, m)| m.clone())
    });
    let Some(mailbox) = mailbox else {
        return answer(
            StatusCode::UNAUTHORIZED,
            &[
                (
                    "x-ms-diagnostics",
                    r#"2000001;reason="The token is not valid.";error_category="invalid_token""#,
                ),
                ("WWW-Authenticate", "Bearer"),
            ],
            "",
        );
    };
    if !asked.eq_ignore_ascii_case(&mailbox) {
        return soap(
            StatusCode::OK,
            r#"<m:GetFolderResponseMessage ResponseClass="Error"><m:MessageText>The SMTP address has no mailbox associated with it.</m:MessageText><m:ResponseCode>ErrorNonExistentMailbox</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:GetFolderResponseMessage>"#,
        );
    }
    soap(
        StatusCode::OK,
        r#"<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders><t:Folder><t:FolderId Id="AAMkAGRlbW8taW5ib3g=" ChangeKey="AQAAABYAAAA="/></t:Folder></m:Folders></m:GetFolderResponseMessage>"#,
    )
}
