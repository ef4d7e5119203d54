//! The local ports MIM listens on (5725, 5726, the SSPR sites): free on the server that gets
//! MIM. A port free on another computer says nothing, so elsewhere the check is skipped.
use super::{Area, Outcome, ProbeOutput};
use crate::finding::Finding;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Each port is bound on every address without listening, so nothing is served. Only true
/// on the server that gets MIM (`target`, `checks.computer`): elsewhere each is skipped.
pub(super) async fn ports_probe(ports: Vec<(u16, String, String)>, target: String) -> ProbeOutput {
    let mut out = ProbeOutput::default();
    let mut seen: BTreeMap<u16, ()> = BTreeMap::new();
    let here = super::host::on_target(&target, super::host::this_computer().as_deref());
    for (port, field, what) in ports {
        if seen.insert(port, ()).is_some() {
            continue;
        }
        let screen = field.split('.').next().unwrap_or("").to_string();
        let title = format!("Port {port} ({what})");
        let key = format!("net.port.{port}");
        let here = match &here {
            Ok(name) => name.clone(),
            Err(why) => {
                out.outcomes.push(Outcome::skipped(
                    "net-port",
                    Area::Net,
                    &screen,
                    title,
                    why.clone(),
                ));
                continue;
            }
        };
        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port);
        let free = tokio::net::TcpSocket::new_v4().and_then(|s| s.bind(addr));
        match free {
            Ok(()) => {
                out.facts.insert(key, "free".into());
                out.outcomes.push(Outcome::ok(
                    "net-port",
                    Area::Net,
                    &screen,
                    title,
                    format!("TCP port {port} is free on {here}"),
                ));
            }
            Err(e) => {
                out.facts.insert(key, "in use".into());
                let f = Finding::error("port-in-use", &field, format!("TCP port {port} is already in use on {here} ({what})."))
                    .evidence(format!("binding 0.0.0.0:{port}: {e}"))
                    .why("The MIM Service or the SSPR site cannot listen on a port another program holds: the service does not start, or the site does not bind.")
                    .fix(format!("Find the holder (Get-NetTCPConnection -LocalPort {port} -State Listen; then Get-Process -Id <OwningProcess>), stop it or choose another port."));
                out.outcomes.push(Outcome::found(
                    "net-port",
                    Area::Net,
                    &screen,
                    title,
                    vec![f],
                ));
            }
        }
    }
    out
}
