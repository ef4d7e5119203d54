//! The OAuth 2.0 token endpoint of each cloud instance (client credentials): a token whose
//! `roles` hold `full_access_as_app`, or Entra ID's documented JSON error with its AADSTS
//! code (90002 unknown tenant, 700016 unknown application, 7000215 wrong secret).
use super::{answer, read, Answer, Shared, Tenant};
use base64::Engine;
use hyper::StatusCode;

/// Entra ID's error answer (the documented client-credentials error format).
fn entra_error(status: StatusCode, error: &str, code: u32, text: &str) -> Answer {
    let body = serde_json::json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {text} Trace ID: 00000000-0000-0000-0000-000000000000 Correlation ID: 00000000-0000-0000-0000-000000000000 Timestamp: 2026-01-01 00:00:00Z"),
        "error_codes": [code],
        "timestamp": "2026-01-01 00:00:00Z",
        "trace_id": "00000000-0000-0000-0000-000000000000",
        "correlation_id": "00000000-0000-0000-0000-000000000000",
        "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
    });
    answer(
        status,
        &[("Content-Type", "application/json; charset=utf-8")],
        body.to_string(),
    )
}

pub(super) fn token(shared: &Shared, method: &hyper::Method, path: &str, body: &[u8]) -> Answer {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let [tenant_id, "oauth2", "v2.0", "token"] = segs.as_slice() else {
        return answer(StatusCode::NOT_FOUND, &[], "not found");
    };
    if method != hyper::Method::POST {
        return entra_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request",
            900561,
            "The endpoint only accepts POST requests.",
        );
    }
    let form: Vec<(String, String)> = url_form(body);
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let Some(tenant) = shared
        .tenants
        .iter()
        .find(|t| t.id.eq_ignore_ascii_case(tenant_id))
    else {
        return entra_error(StatusCode::BAD_REQUEST, "invalid_request", 90002, &format!("Tenant '{tenant_id}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
    };
    if get("grant_type") != "client_credentials" {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.",
        );
    }
    if !get("client_id").eq_ignore_ascii_case(&tenant.app_id) {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{}' was not found in the directory '{}'.",
                get("client_id"),
                tenant.id
            ),
        );
    }
    let wrong = read(&shared.faults).wrong_secret;
    if wrong || get("client_secret") != tenant.secret.expose() {
        return entra_error(StatusCode::UNAUTHORIZED, "invalid_client", 7000215, &format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{}'.", tenant.app_id));
    }
    let scope = get("scope");
    let audience = scope.trim_end_matches("/.default");
    let access = jwt(tenant, audience);
    if let Ok(mut issued) = shared.issued.lock() {
        issued.insert((access.clone(), tenant.mailbox.to_ascii_lowercase()));
    }
    let body = serde_json::json!({
        "token_type": "Bearer",
        "expires_in": 3599,
        "ext_expires_in": 3599,
        "access_token": access,
    });
    answer(
        StatusCode::OK,
        &[("Content-Type", "application/json; charset=utf-8")],
        body.to_string(),
    )
}

/// An unsigned JWT (`alg: none`: the demo's token is read for its claims, never trusted
/// elsewhere), unique per request.
fn jwt(tenant: &Tenant, audience: &str) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut nonce = [0u8; 16];
    let _ = rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut nonce);
    let header = serde_json::json!({"typ": "JWT", "alg": "none"});
    let claims = serde_json::json!({
        "aud": audience,
        "iss": format!("https://sts.windows.net/{}/", tenant.id),
        "tid": tenant.id,
        "appid": tenant.app_id,
        "roles": ["full_access_as_app"],
        "iat": now,
        "nbf": now,
        "exp": now + 3599,
        "uti": b64.encode(nonce),
    });
    format!(
        "{}.{}.",
        b64.encode(header.to_string()),
        b64.encode(claims.to_string())
    )
}

fn url_form(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            Some((decode(k), decode(v)))
        })
        .collect()
}

/// application/x-www-form-urlencoded decoding.
pub(super) fn decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 2;
            }
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}
