//! The web servers with reqwest as the client, through the demo CA: each host's answer, the
//! token endpoint's AADSTS errors, and a token that opens the mailbox over EWS.
use super::*;
use crate::lab::ca::DemoCa;
use base64::Engine;

const TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";
const APP: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const MAILBOX: &str = "MIMService@contoso.onmicrosoft.com";

struct Fixture {
    srv: Server,
    client: reqwest::Client,
    rt: tokio::runtime::Runtime,
}

fn fixture() -> Fixture {
    let ca = DemoCa::new().expect("ca");
    let (authorities, online) = cloud_hosts();
    let mut names = vec!["mail.contoso.com", "corpidm.contoso.local"];
    names.extend(authorities.iter().map(String::as_str));
    names.extend(online.iter().map(String::as_str));
    let cert = ca.issue(&names).expect("cert");
    let srv = Server::start(Options {
        tls: cert.server_config(false, &[b"http/1.1"]).expect("tls"),
        tenants: vec![Tenant {
            id: TENANT.into(),
            app_id: APP.into(),
            secret: Secret::new("the-right-secret"),
            mailbox: MAILBOX.into(),
        }],
        exchange: vec!["mail.contoso.com".into()],
        sharepoint: vec!["corpidm.contoso.local".into()],
    })
    .expect("starts");
    let mut b = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_der(&ca.der()).expect("der"))
        .timeout(std::time::Duration::from_secs(5))
        .resolve("corpidm.contoso.local", srv.http_addr());
    for n in names {
        if n != "corpidm.contoso.local" {
            b = b.resolve(n, srv.https_addr());
        }
    }
    Fixture {
        client: b.build().expect("client"),
        srv,
        rt: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime"),
    }
}

impl Fixture {
    fn token(&self, secret: &str) -> (u16, serde_json::Value) {
        let url = format!("https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token");
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", secret),
            ("scope", "https://outlook.office365.com/.default"),
        ];
        self.rt.block_on(async {
            let r = self
                .client
                .post(url)
                .form(&form)
                .send()
                .await
                .expect("answer");
            let status = r.status().as_u16();
            (status, r.json().await.expect("JSON"))
        })
    }

    fn ews(&self, token: &str, mailbox: &str) -> (u16, String, String) {
        self.rt.block_on(async {
            let r = self
                .client
                .post("https://outlook.office365.com/EWS/Exchange.asmx")
                .bearer_auth(token)
                .header("Content-Type", "text/xml; charset=utf-8")
                .body(crate::check::mail::soap_get_folder(mailbox))
                .send()
                .await
                .expect("answer");
            let diag = r
                .headers()
                .get("x-ms-diagnostics")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            (
                r.status().as_u16(),
                diag,
                r.text().await.unwrap_or_default(),
            )
        })
    }

    fn get(&self, url: &str) -> reqwest::Response {
        self.rt
            .block_on(async { self.client.get(url).send().await })
            .expect("answer")
    }
}

#[test]
fn a_token_for_the_right_secret_opens_the_mailbox() {
    let f = fixture();
    let (status, body) = f.token("the-right-secret");
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"].as_str().expect("a token");
    let claims = token.split('.').nth(1).expect("claims");
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(claims)
            .expect("base64"),
    )
    .expect("JSON");
    assert_eq!(claims["roles"][0], "full_access_as_app");
    assert_eq!(claims["aud"], "https://outlook.office365.com");
    let (status, _, xml) = f.ews(token, MAILBOX);
    assert_eq!(status, 200);
    assert_eq!(
        crate::check::mail::soap_element(&xml, "ResponseCode").as_deref(),
        Some("NoError")
    );
    let (_, _, xml) = f.ews(token, "nobody@contoso.onmicrosoft.com");
    assert_eq!(
        crate::check::mail::soap_element(&xml, "ResponseCode").as_deref(),
        Some("ErrorNonExistentMailbox")
    );
    let (status, diag, _) = f.ews("not-a-token-of-ours", MAILBOX);
    assert_eq!(status, 401);
    assert!(diag.starts_with("2000001"), "{diag}");
}

#[test]
fn a_wrong_secret_and_the_fault_give_aadsts7000215() {
    let f = fixture();
    let (status, body) = f.token("wrong");
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_codes"][0], 7000215);
    assert!(body["error_description"]
        .as_str()
        .is_some_and(|d| d.starts_with("AADSTS7000215:")));
    f.srv.faults().write().expect("lock").wrong_secret = true;
    assert_eq!(f.token("the-right-secret").0, 401, "the fault refuses it");
    f.srv.faults().write().expect("lock").wrong_secret = false;
    assert_eq!(f.token("the-right-secret").0, 200, "and off again");
}

#[test]
fn exchange_and_sharepoint_ask_for_windows_sign_in() {
    let f = fixture();
    let r = f.get("https://mail.contoso.com/EWS/Exchange.asmx");
    assert_eq!(r.status().as_u16(), 401);
    let auth: Vec<_> = r.headers().get_all("www-authenticate").iter().collect();
    assert_eq!(auth.len(), 2);
    assert!(r.headers().get("x-feserver").is_some());
    let r = f.get("http://corpidm.contoso.local/");
    assert_eq!(r.status().as_u16(), 401);
    let r = f.get("https://mail.contoso.com/elsewhere");
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(entra::decode("a%40b+c%2"), "a@b c%2");
}
