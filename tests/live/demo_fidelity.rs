//! Fidelity: the demo directory must not drift from a real one. The Samba lab's Contoso
//! content, with every one of its deliberate faults (a disabled, a locked, an expired
//! account, "must change password", a password older than the maximum age, a duplicate and a
//! short-form SPN, a gMSA that does not allow the computer, nested groups, a distribution
//! group, names of another domain, a missing group), is exported with OpenLDAP's `ldapsearch`
//! and loaded into a demo directory. The AD checks then run against both, case by case, and
//! must give the same outcomes: the same check ids and titles, the same states, the same
//! finding ids, and the same evidence keys (each evidence item's labels, its values
//! aside: the two servers' host names and times differ, the rest is the same data).
use super::ad::{SERVICE, SYNC, SYNC_GMSA};
use super::common::{json, lab, Lab};
use mim_setup::lab::ca::DemoCa;
use mim_setup::lab::directory::Directory;
use mim_setup::secret::Secret;
use serde_json::Value;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command;

/// The lab's DC, as its DNS names it.
const LAB_DC: &str = "dc1.contoso.local";
const LAB_LDAPS: &str = "ldaps://127.0.0.2";

/// The cases of the lab's AD tests: a profile and its overrides.
const CASES: &[(&str, &[&str])] = &[
    (SYNC, &[]),
    (SYNC_GMSA, &["checks.computer=CORPSYNC"]),
    (SYNC_GMSA, &["checks.computer=CORPIDM"]),
    (SERVICE, &["checks.computer=CORPIDM"]),
    (
        SERVICE,
        &[
            r"sync_link.ma_account=contoso\MIMDisabled",
            r"registration.account=contoso\MIMLocked",
            r"reset.account=contoso\MIMExpired",
        ],
    ),
    (
        SERVICE,
        &[
            r"sync_link.ma_account=contoso\MIMAccountExpired",
            r"registration.account=contoso\MIMMustChange",
            r"reset.account=contoso\MIMOldPassword",
        ],
    ),
    (SYNC, &[r"groups.joiners=contoso\MIMSyncNoSuchGroup"]),
    (SYNC, &[r"groups.browse=contoso\MIMSyncBrowseList"]),
    (SYNC, &[r"checks.bind_account=contoso\MIMDisabled"]),
    (SYNC, &[r"checks.bind_account=contoso\MIMLocked"]),
    (SYNC, &[r"checks.bind_account=contoso\MIMAccountExpired"]),
    (
        SYNC,
        &[
            "service_account.domain=fabrikam",
            r"groups.admins=fabrikam\MIMSyncAdmins",
            "groups.browse=MIMSyncBrowse@fabrikam.com",
        ],
    ),
    (
        SERVICE,
        &[
            "checks.computer=CORPIDM",
            "portal.service_address=corpservice",
        ],
    ),
    (SERVICE, &["mim_service.name=MIMNested"]),
    (
        SYNC_GMSA,
        &[
            "checks.computer=CORPSYNC",
            "service_account.name=MIMNoAccessGMSA$",
        ],
    ),
    (
        SERVICE,
        &[
            "checks.computer=CORPIDM",
            r"sync_link.sync_service_account=contoso\MIMSSPR",
        ],
    ),
];

/// The lab's directory as LDIF: the domain partition and the parts of the configuration
/// partition the checks read (the partitions' names, the KDS root keys), paged, unwrapped.
fn export(lab: &Lab) -> String {
    let password = lab
        .env
        .get("MIM_CHECK_BIND_PASSWORD")
        .expect("the lab's bind password");
    let mut out = String::from("version: 1\n\n");
    for base in [
        "DC=contoso,DC=local",
        "CN=Partitions,CN=Configuration,DC=contoso,DC=local",
        "CN=Group Key Distribution Service,CN=Services,CN=Configuration,DC=contoso,DC=local",
    ] {
        let o = Command::new("ldapsearch")
            .env("LDAPTLS_CACERT", lab.ca_file())
            .args([
                "-LLL",
                "-x",
                "-H",
                LAB_LDAPS,
                "-D",
                "miminstall@contoso.local",
                "-w",
                password,
                "-o",
                "ldif-wrap=no",
                "-E",
                "pr=500/noprompt",
                "-b",
                base,
                "(objectClass=*)",
                "*",
            ])
            .output()
            .expect("ldapsearch runs (tests/run installs ldap-utils)");
        assert!(
            o.status.success(),
            "ldapsearch -b {base}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = String::from_utf8(o.stdout).expect("LDIF is UTF-8 (binary values are base64)");
        // Paged results print a control line after each page.
        for block in text.split("\n\n") {
            let block = block.trim();
            if block.starts_with("dn:") || block.starts_with("dn::") {
                out.push_str(block);
                out.push_str("\n\n");
            }
        }
    }
    out
}

/// The labels of an evidence item, its values replaced: `userAccountControl 0x00010202
/// (ACCOUNTDISABLE | ...)` and `pwdLastSet 1344...` keep their attribute names.
fn keys(evidence: &str) -> Vec<String> {
    evidence
        .split(';')
        .map(|part| {
            let part = part.trim();
            if part.contains('=') && part.to_ascii_uppercase().contains("DC=") {
                return "<dn>".to_string();
            }
            part.split([' ', ':'])
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_alphabetic() || *c == '-')
                .collect()
        })
        .collect()
}

/// What must agree, one line per outcome, sorted.
fn shape(r: &Value) -> Vec<String> {
    let mut out: Vec<String> = r["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|o| {
            let findings: Vec<String> = o["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| {
                    format!(
                        "{}@{}",
                        f["check"].as_str().unwrap_or(""),
                        f["field"].as_str().unwrap_or("")
                    )
                })
                .collect();
            let evidence: Vec<Vec<String>> = o["evidence"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e.as_str())
                // Where the directory was reached differs by construction.
                .filter(|e| !e.starts_with("connected and bound in"))
                .map(keys)
                .collect();
            format!(
                "{} | {} | {} | {findings:?} | {evidence:?}",
                o["id"].as_str().unwrap_or(""),
                o["title"].as_str().unwrap_or(""),
                o["state"].as_str().unwrap_or("")
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_demo_directory_loaded_with_the_labs_content_answers_the_ad_checks_as_samba_does() {
    let lab = lab();
    let content = export(&lab);
    assert!(
        content.contains("CN=MIMSync,CN=Users,DC=contoso,DC=local"),
        "{content:.2000}"
    );
    let ca = DemoCa::new().expect("a CA");
    let cert = ca.issue(&[LAB_DC, "127.0.0.1"]).expect("a certificate");
    let ca_file = ca.ca_file().expect("the CA file");
    let password = lab
        .env
        .get("MIM_CHECK_BIND_PASSWORD")
        .expect("the lab's bind password")
        .clone();
    let any = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let demo = Directory::start_from(
        cert.server_config(false, &[]).expect("TLS"),
        (any, any),
        Secret::new(password),
        &content,
    )
    .expect("the demo directory loads the lab's export");
    let book = format!(
        "{LAB_DC}:389={},{LAB_DC}:636={}",
        demo.ldap_addr(),
        demo.ldaps_addr()
    );
    let ca_path = ca_file.to_str().expect("path").to_string();
    let mut differ = Vec::new();
    for (profile, sets) in CASES {
        let run = |extra: &[&str]| {
            let mut args = vec!["check", profile, "--json", "--only", "ad"];
            for s in *sets {
                args.extend(["--set", s]);
            }
            args.extend_from_slice(extra);
            let o = lab.command(&args).output().expect("mim-setup runs");
            (o.status.code(), json(&o))
        };
        let (lab_code, samba) = run(&[]);
        let (demo_code, ours) = run(&["--address-book", &book, "--ca-file", &ca_path]);
        let (a, b) = (shape(&samba), shape(&ours));
        if a != b || lab_code != demo_code {
            let only_lab: Vec<_> = a.iter().filter(|l| !b.contains(l)).collect();
            let only_demo: Vec<_> = b.iter().filter(|l| !a.contains(l)).collect();
            differ.push(format!(
                "{profile} {sets:?}: exit {lab_code:?} (Samba) / {demo_code:?} (demo)\n  only Samba: {only_lab:#?}\n  only demo: {only_demo:#?}"
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
