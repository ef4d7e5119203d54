//! The demo's servers (`mim_setup::lab`) accepted by independent clients, each server with a
//! certificate of the demo CA and the clients verifying it: FreeTDS `tsql` (TLS login and a
//! query), `swaks` (EHLO, STARTTLS, AUTH PLAIN and LOGIN, a message) and `curl` (Exchange
//! EWS, the token endpoint with its AADSTS error, Office 365 EWS, SharePoint over plain HTTP).
//! They need none of the lab's servers, only Debian's freetds-bin, swaks and curl.
use mim_setup::lab::ca::DemoCa;
use mim_setup::lab::{https, smtp, tds};
use mim_setup::secret::Secret;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Demo-Pass-1";

/// Runs a client with input, bounded by 20 s.
fn client(cmd: &mut Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?} runs: {e}"));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("input");
    let started = Instant::now();
    while child.try_wait().expect("state").is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("{cmd:?} did not finish in 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn text(o: &Output) -> String {
    format!(
        "{}\n--stderr--\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn freetds_tsql_logs_in_over_tls_verified_with_the_demo_ca() {
    let ca = DemoCa::new().expect("ca");
    let cert = ca
        .issue(&["corpsql.contoso.com", "127.0.0.1"])
        .expect("cert");
    let srv = tds::Server::try_start(
        tds::Facts {
            logins: vec![("mimdemo".into(), PASSWORD.into())],
            ..tds::Facts::default()
        },
        tds::Options {
            ip: Some(std::net::Ipv4Addr::LOCALHOST),
            tls: Some(cert.server_config(true, &[]).expect("tls")),
            ..tds::Options::default()
        },
    )
    .expect("starts");
    let tsql = |ca_file: &std::path::Path| {
        let dir = tempfile::tempdir().expect("dir");
        let conf = dir.path().join("freetds.conf");
        std::fs::write(
            &conf,
            format!(
                "[global]\n\tencryption = require\n\tca file = {}\n",
                ca_file.display()
            ),
        )
        .expect("conf");
        client(
            Command::new("tsql")
                .args(["-H", "127.0.0.1", "-p", &srv.port().to_string()])
                .args(["-U", "mimdemo", "-P", PASSWORD, "-o", "q"])
                .env("TDSVER", "7.4")
                .env("FREETDSCONF", &conf)
                .env_remove("TDSDUMP"),
            "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS v\ngo\nexit\n",
        )
    };
    let ca_file = ca.ca_file().expect("ca file");
    let o = tsql(&ca_file);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("15.0.2000.5"), "{}", text(&o));
    let stranger = DemoCa::stranger()
        .expect("stranger")
        .ca_file()
        .expect("file");
    let o = tsql(&stranger);
    assert!(
        !text(&o).contains("15.0.2000.5"),
        "another CA does not verify the server: {}",
        text(&o)
    );
}

fn smtp_server(ca: &DemoCa) -> smtp::Server {
    let cfg = |c: &DemoCa| {
        c.issue(&["mail.contoso.com", "127.0.0.1"])
            .expect("cert")
            .server_config(false, &[])
            .expect("tls")
    };
    smtp::Server::loopback(smtp::Options {
        host: "mail.contoso.com".into(),
        ip: mim_setup::lab::LOOPBACK,
        port: 0,
        tls: cfg(ca),
        untrusted: cfg(&DemoCa::stranger().expect("stranger")),
        logins: vec![("mimservice".into(), PASSWORD.into())],
    })
    .expect("starts")
}

fn swaks(srv: &smtp::Server, ca_file: &std::path::Path, auth: &str, password: &str) -> Output {
    client(
        Command::new("swaks")
            .args([
                "--server",
                "127.0.0.1",
                "--port",
                &srv.addr().port().to_string(),
            ])
            .args(["--ehlo", "corpidm.contoso.local", "--timeout", "10"])
            .args([
                "--from",
                "MIMService@contoso.com",
                "--to",
                "admin@contoso.com",
            ])
            .args(["--tls", "--tls-verify", "--tls-ca-path"])
            .arg(ca_file)
            .args(["--auth", auth, "--auth-user", "mimservice"])
            .args(["--auth-password", password]),
        "",
    )
}

#[test]
fn swaks_sends_with_starttls_and_auth() {
    let ca = DemoCa::new().expect("ca");
    let srv = smtp_server(&ca);
    let ca_file = ca.ca_file().expect("ca file");
    for auth in ["PLAIN", "LOGIN"] {
        let o = swaks(&srv, &ca_file, auth, PASSWORD);
        let t = text(&o);
        assert!(o.status.success(), "{auth}: {t}");
        assert!(t.contains("<-  250 STARTTLS"), "offered before TLS: {t}");
        assert!(
            t.contains("<~  250 AUTH LOGIN PLAIN"),
            "offered after TLS only: {t}"
        );
        assert!(!t.contains("<-  250 AUTH"), "{t}");
        assert!(t.contains("235 2.7.0"), "{t}");
        assert!(t.contains("250 2.6.0"), "the message is taken: {t}");
    }
    let o = swaks(&srv, &ca_file, "PLAIN", "wrong");
    assert!(!o.status.success());
    assert!(text(&o).contains("535 5.7.8"), "{}", text(&o));
}

#[test]
fn curl_reaches_each_web_endpoint_with_the_demo_ca() {
    let ca = DemoCa::new().expect("ca");
    let names = [
        "mail.contoso.com",
        "login.microsoftonline.com",
        "outlook.office365.com",
    ];
    let srv = https::Server::start(https::Options {
        tls: ca
            .issue(&names)
            .expect("cert")
            .server_config(false, &[b"http/1.1"])
            .expect("tls"),
        tenants: vec![https::Tenant {
            id: "9188040d-6c67-4c5b-b112-36a304b66dad".into(),
            app_id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301".into(),
            secret: Secret::new("the-right-secret"),
            mailbox: "MIMService@contoso.onmicrosoft.com".into(),
        }],
        exchange: vec!["mail.contoso.com".into()],
        sharepoint: vec!["mim.contoso.com".into()],
    })
    .expect("starts");
    let ca_file = ca.ca_file().expect("ca file");
    let port = srv.https_addr().port();
    let curl = |host: &str, path: &str, extra: &[&str]| {
        let o = client(
            Command::new("curl")
                .args(["-sS", "-i", "--max-time", "10", "--cacert"])
                .arg(&*ca_file)
                .args(["--resolve", &format!("{host}:{port}:127.0.0.1")])
                .args(extra)
                .arg(format!("https://{host}:{port}{path}")),
            "",
        );
        assert!(o.status.success(), "{host}{path}: {}", text(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let ews = curl("mail.contoso.com", "/EWS/Exchange.asmx", &[]);
    assert!(ews.starts_with("HTTP/1.1 401"), "{ews}");
    assert!(
        ews.to_ascii_lowercase()
            .contains("www-authenticate: negotiate"),
        "{ews}"
    );
    assert!(ews.to_ascii_lowercase().contains("x-feserver:"), "{ews}");
    let token_path = "/9188040d-6c67-4c5b-b112-36a304b66dad/oauth2/v2.0/token";
    let form = |secret: &str| {
        vec![
            "-d".to_string(),
            "grant_type=client_credentials".into(),
            "-d".into(),
            "client_id=3f2504e0-4f89-41d3-9a0c-0305e82c3301".into(),
            "-d".into(),
            format!("client_secret={secret}"),
            "-d".into(),
            "scope=https%3A%2F%2Foutlook.office365.com%2F.default".into(),
        ]
    };
    let f = form("wrong");
    let wrong = curl(
        "login.microsoftonline.com",
        token_path,
        &f.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(wrong.starts_with("HTTP/1.1 401"), "{wrong}");
    assert!(wrong.contains("AADSTS7000215"), "{wrong}");
    let f = form("the-right-secret");
    let ok = curl(
        "login.microsoftonline.com",
        token_path,
        &f.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    let body = ok.split("\r\n\r\n").nth(1).unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(body).expect("JSON");
    let token = v["access_token"].as_str().expect("token");
    let soap = mim_setup::check::mail::soap_get_folder("MIMService@contoso.onmicrosoft.com");
    let auth = format!("Authorization: Bearer {token}");
    let mailbox = curl(
        "outlook.office365.com",
        "/EWS/Exchange.asmx",
        &[
            "-H",
            &auth,
            "-H",
            "Content-Type: text/xml; charset=utf-8",
            "--data-binary",
            &soap,
        ],
    );
    assert!(
        mailbox.contains("<m:ResponseCode>NoError</m:ResponseCode>"),
        "{mailbox}"
    );
    // SharePoint over plain HTTP, as the profiles' http:// URLs reach it.
    let o = client(
        Command::new("curl")
            .args(["-sS", "-i", "--max-time", "10", "--resolve"])
            .arg(format!(
                "mim.contoso.com:{}:127.0.0.1",
                srv.http_addr().port()
            ))
            .arg(format!(
                "http://mim.contoso.com:{}/",
                srv.http_addr().port()
            )),
        "",
    );
    let sp = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(sp.starts_with("HTTP/1.1 401"), "{}", text(&o));
    assert!(
        sp.to_ascii_lowercase()
            .contains("microsoftsharepointteamservices:"),
        "{sp}"
    );
}
