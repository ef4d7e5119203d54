//! Findings for a server that gives no answer in time: a host and port (the black-hole
//! text, naming the host and port when they are known), and a DNS server, named as asked
//! (`--dns`, or this computer's own) with the name asked for and how to test that server.
use super::Settings;
use crate::finding::Finding;
use std::net::IpAddr;
use std::time::Duration;

/// The finding for an operation that got no answer in time.
pub fn timeout_finding(check: &str, field: &str, what: &str, timeout: Duration) -> Finding {
    Finding::unreached(
        check,
        field,
        format!("{what}: no answer within {} s.", timeout.as_secs_f32()),
    )
    .why("A server that accepts a connection and never answers (a black hole: a firewall dropping packets, a hung service) makes setup hang or roll back in the same place.")
    .fix("Check that the server runs and that its port is open from this computer (Test-NetConnection with the server's name and port tests it); raise the limit with --timeout on a slow link.")
}

/// The same finding for an http(s) URL: its host and port, when it has them.
pub fn timeout_finding_url(
    check: &str,
    field: &str,
    what: &str,
    url: &str,
    timeout: Duration,
) -> Finding {
    let at = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| Some((u.host_str()?.to_string(), u.port_or_known_default()?)));
    match at {
        Some((host, port)) => timeout_finding_at(check, field, what, (&host, port), timeout),
        None => timeout_finding(check, field, what, timeout),
    }
}

/// The same finding for a known host and port: the fix names them instead of placeholders.
pub fn timeout_finding_at(
    check: &str,
    field: &str,
    what: &str,
    (host, port): (&str, u16),
    timeout: Duration,
) -> Finding {
    timeout_finding(check, field, what, timeout).fix(format!(
        "Check that the server runs and that the port is open between this server and it (Test-NetConnection {host} -Port {port}); raise the limit with --timeout on a slow link."
    ))
}

/// The finding for a probe the engine gave up on, by its area: each id a literal, so that
/// the build collects it (an acknowledgeable check id).
pub fn overran(area: super::Area, screen: &str, title: &str, limit: Duration) -> Finding {
    use super::Area;
    match area {
        Area::Sql => timeout_finding("sql-timeout", screen, title, limit),
        Area::Ad => timeout_finding("ad-timeout", screen, title, limit),
        Area::Mail => timeout_finding("mail-timeout", screen, title, limit),
        Area::Net => timeout_finding("net-timeout", screen, title, limit),
    }
}

/// Who was asked: the `--dns` server, else this computer's configured DNS servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// `--dns` / `MIM_SETUP_DNS`: address and port.
    Given(std::net::SocketAddr),
    /// This computer's DNS servers (empty when none could be read).
    System(Vec<IpAddr>),
}

impl Asked {
    pub fn of(settings: &Settings) -> Asked {
        match settings.dns_server {
            Some(a) => Asked::Given(a),
            None => {
                let mut ips: Vec<IpAddr> = hickory_resolver::system_conf::read_system_conf()
                    .map(|(c, _)| {
                        c.name_servers()
                            .iter()
                            .map(|n| n.socket_addr.ip())
                            .collect()
                    })
                    .unwrap_or_default();
                ips.dedup();
                Asked::System(ips)
            }
        }
    }

    /// `the DNS server 127.0.0.9 (port 5353, from --dns)`.
    pub fn describe(&self) -> String {
        match self {
            Asked::Given(a) if a.port() == 53 => {
                format!("the DNS server {} (from --dns / MIM_SETUP_DNS)", a.ip())
            }
            Asked::Given(a) => format!(
                "the DNS server {} port {} (from --dns / MIM_SETUP_DNS)",
                a.ip(),
                a.port()
            ),
            Asked::System(ips) if ips.is_empty() => {
                "this computer's DNS servers (none could be read from its configuration)".into()
            }
            Asked::System(ips) => format!(
                "this computer's DNS server{} {}",
                if ips.len() == 1 { "" } else { "s" },
                ips.iter()
                    .map(IpAddr::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// A command that asks the same server the same question.
    fn test_command(&self, name: &str) -> String {
        match self {
            Asked::Given(a) if a.port() == 53 => {
                format!("Resolve-DnsName {name} -Server {}", a.ip())
            }
            Asked::Given(a) => format!("dig @{} -p {} {name}", a.ip(), a.port()),
            Asked::System(ips) => match ips.first() {
                Some(ip) => format!("Resolve-DnsName {name} -Server {ip}"),
                None => format!("Resolve-DnsName {name}"),
            },
        }
    }
}

/// The finding for a DNS question that got no answer in time.
pub fn no_answer(check: &str, field: &str, name: &str, settings: &Settings) -> Finding {
    let asked = Asked::of(settings);
    no_answer_from(check, field, name, &asked, settings.timeout)
}

fn no_answer_from(
    check: &str,
    field: &str,
    name: &str,
    asked: &Asked,
    timeout: Duration,
) -> Finding {
    let who = asked.describe();
    Finding::unreached(
        check,
        field,
        format!(
            "{name} could not be looked up: {who} gave no answer within {} s.",
            timeout.as_secs_f32()
        ),
    )
    .evidence(format!("asked {who} for {name}"))
    .why("Setup and the MIM services find their servers by name through these DNS servers; one that does not answer makes every lookup wait for its time limit, and setup fails or rolls back.")
    .fix(format!(
        "Check that {who} runs and that UDP and TCP port 53 are open to it ({}); or point this computer (or --dns) at a DNS server that answers for the domain; raise --timeout on a slow link.",
        asked.test_command(name)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_server_asked_is_named_in_every_form() {
        let t = Duration::from_secs(2);
        let cases: &[(Asked, &str, &str)] = &[
            (
                Asked::Given("127.0.0.9:53".parse().expect("addr")),
                "the DNS server 127.0.0.9 (from --dns",
                "Resolve-DnsName corpsql.contoso.com -Server 127.0.0.9",
            ),
            (
                Asked::Given("127.0.0.9:5353".parse().expect("addr")),
                "the DNS server 127.0.0.9 port 5353",
                "dig @127.0.0.9 -p 5353 corpsql.contoso.com",
            ),
            (
                Asked::Given("[::1]:53".parse().expect("addr")),
                "the DNS server ::1",
                "-Server ::1",
            ),
            (
                Asked::System(vec![
                    "10.0.0.1".parse().expect("ip"),
                    "10.0.0.2".parse().expect("ip"),
                ]),
                "this computer's DNS servers 10.0.0.1, 10.0.0.2",
                "-Server 10.0.0.1",
            ),
            (
                Asked::System(vec!["10.0.0.1".parse().expect("ip")]),
                "this computer's DNS server 10.0.0.1",
                "-Server 10.0.0.1",
            ),
            (
                Asked::System(Vec::new()),
                "none could be read",
                "(Resolve-DnsName corpsql.contoso.com)",
            ),
        ];
        for (asked, who, command) in cases {
            let f = no_answer_from("dns-timeout", "sql.server", "corpsql.contoso.com", asked, t);
            let all = format!(
                "{} {} {}",
                f.message,
                f.fix,
                f.evidence.clone().unwrap_or_default()
            );
            assert!(f.message.contains(who), "{asked:?}: {}", f.message);
            assert!(
                f.message.contains("corpsql.contoso.com") && f.message.contains("2 s"),
                "{}",
                f.message
            );
            assert!(f.fix.contains(command), "{asked:?}: {}", f.fix);
            for placeholder in ["HOST", "PORT", "-Port"] {
                assert!(!all.contains(placeholder), "{asked:?}: {all}");
            }
        }
    }

    #[test]
    fn the_given_server_wins_over_the_system() {
        let s = Settings {
            dns_server: Some("127.0.0.2:53".parse().expect("addr")),
            ..Settings::default()
        };
        assert_eq!(
            Asked::of(&s),
            Asked::Given("127.0.0.2:53".parse().expect("addr"))
        );
    }

    #[test]
    fn a_known_host_and_port_replace_the_placeholders() {
        let t = Duration::from_secs(1);
        let cases: &[(&str, &str)] = &[
            (
                "https://corpidm.contoso.local/",
                "Test-NetConnection corpidm.contoso.local -Port 443",
            ),
            (
                "http://corpidm:8080/sites/mim",
                "Test-NetConnection corpidm -Port 8080",
            ),
            ("http://10.0.0.6", "Test-NetConnection 10.0.0.6 -Port 80"),
            (
                "not a url",
                "Test-NetConnection with the server's name and port",
            ),
        ];
        for (url, want) in cases {
            let f = timeout_finding_url("x-timeout", "portal.sharepoint_url", "The site", url, t);
            assert!(f.fix.contains(want), "{url}: {}", f.fix);
            assert!(
                !f.fix.contains("HOST") && !f.fix.contains("PORT"),
                "{url}: {}",
                f.fix
            );
            assert!(f.message.contains("no answer within 1 s"), "{}", f.message);
        }
        let f = timeout_finding_at(
            "sql-timeout",
            "database.server",
            "SQL",
            ("corpsql", 1433),
            t,
        );
        assert!(
            f.fix.contains("Test-NetConnection corpsql -Port 1433") && !f.fix.contains("HOST"),
            "{}",
            f.fix
        );
    }
}
