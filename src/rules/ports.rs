//! The TCP ports of the SSPR portals: a valid port, not one of the MIM Service's, a warning
//! for 8080 (SharePoint Central Administration), a port of its own for each portal, and a
//! warning for a portal on the SharePoint site's own host and port.
use super::addresses::{port_number, url_host_port};
use super::FieldCtx;
use crate::answers::Answers;
use crate::finding::Finding;
use crate::screens::fields;

/// The MIM Service's own ports: its web service and its security token service.
const MIM_SERVICE_PORTS: [u16; 2] = [5725, 5726];

/// A portal's port: 1 to 65535, not 5725 or 5726; 8080 needs an acknowledgement.
pub fn sspr_port(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let Some(port) = port_number(v) else {
        return vec![Finding::error("sspr-port", ctx.path, "The port is not a number from 1 to 65535.")
            .why("Setup binds the portal's IIS site to this TCP port and opens it in the firewall; anything but a port number fails there.")
            .fix("Give a port number without spaces or leading zeros, for example 8080 for registration and 8088 for reset as in the walkthrough.")
            .evidence(format!("'{v}'"))];
    };
    if MIM_SERVICE_PORTS.contains(&port) {
        return vec![Finding::error("sspr-port-mim-service", ctx.path, format!("Port {port} belongs to the MIM Service."))
            .why("The MIM Service listens on 5725 (web service) and 5726 (security token service), and the portals reach it there; an IIS site on the same port either fails to start or takes the MIM Service's traffic.")
            .fix("Choose another port, for example 8088.")
            .evidence(format!("port {port}"))];
    }
    if port == 8080 {
        return vec![Finding::warning("sspr-port-8080", ctx.path, "Port 8080 is SharePoint Central Administration's port in many farms.")
            .why("When Central Administration already listens on 8080 on this server, the portal's site cannot bind to the port and does not start, or one of the two sites becomes unreachable.")
            .fix("Check the farm's Central Administration port (Get-SPWebApplication -IncludeCentralAdministration); choose another port if it is 8080, else acknowledge.")
            .evidence("port 8080".to_string())];
    }
    vec![]
}

/// With both portals selected, their sites need different ports.
pub fn sspr_ports_differ(a: &Answers) -> Vec<Finding> {
    if !(a.flag(fields::features::REGISTRATION) && a.flag(fields::features::RESET)) {
        return vec![];
    }
    let (registration, reset) = (
        a.text(fields::registration::PORT),
        a.text(fields::reset::PORT),
    );
    let same = match (port_number(registration), port_number(reset)) {
        (Some(x), Some(y)) => x == y,
        _ => !reset.is_empty() && registration == reset,
    };
    if !same {
        return vec![];
    }
    vec![Finding::error("sspr-ports-differ", fields::reset::PORT, "The Password Reset Portal uses the same port as the Password Registration Portal.")
        .why("Setup creates both portals as IIS sites of this server, each bound to its own port; the second site cannot bind to a port the first one holds, and does not start.")
        .fix("Give each portal its own port, as the walkthrough does: 8080 for registration, 8088 for reset.")
        .evidence(format!("both use port {reset}"))]
}

/// The Password Registration Portal on the SharePoint site's host and port.
pub fn registration_sharepoint_site(a: &Answers) -> Vec<Finding> {
    on_sharepoint_site(a, fields::registration::HOST, fields::registration::PORT)
}

/// The Password Reset Portal on the SharePoint site's host and port.
pub fn reset_sharepoint_site(a: &Answers) -> Vec<Finding> {
    on_sharepoint_site(a, fields::reset::HOST, fields::reset::PORT)
}

fn on_sharepoint_site(a: &Answers, host_path: &str, port_path: &str) -> Vec<Finding> {
    if !a.flag(fields::features::PORTAL) {
        return vec![];
    }
    let Some((sp_host, sp_port)) = url_host_port(a.text(fields::portal::SHAREPOINT_URL)) else {
        return vec![];
    };
    let (host, port) = (a.text(host_path), port_number(a.text(port_path)));
    if port != Some(sp_port) || !same_host(host, sp_host) {
        return vec![];
    }
    vec![Finding::warning("sspr-sharepoint-site", port_path, "The portal's site is on the SharePoint site's host and port.")
        .why("Setup creates the portal as an IIS site bound to this host name and port; the SharePoint web application that holds the MIM Portal already answers there, so one of the two sites does not start or takes the other's requests.")
        .fix("Give the portal a port of its own, as the walkthrough does (8080 for registration, 8088 for reset), or acknowledge if the SharePoint site is bound to another address of this server.")
        .evidence(format!("portal {host}:{sp_port}, SharePoint site {sp_host}:{sp_port}"))]
}

/// One host under two spellings: case aside, a trailing dot aside, and a short name against
/// the full name that starts with it (CORPIDM and CorpIDM.contoso.local).
fn same_host(a: &str, b: &str) -> bool {
    let norm = |h: &str| h.trim_end_matches('.').to_ascii_lowercase();
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let short = |h: &str| h.split('.').next().unwrap_or_default().to_string();
    a == b || (!a.contains('.') && a == short(&b)) || (!b.contains('.') && b == short(&a))
}
