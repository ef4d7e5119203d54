//! The TCP ports of the SSPR portals: a valid port, not one of the MIM Service's, a warning
//! for 8080 (SharePoint Central Administration), and a port of its own for each portal.
use super::addresses::port_number;
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
