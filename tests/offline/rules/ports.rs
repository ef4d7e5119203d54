//! `src/rules/ports.rs`: the SSPR portals' ports, each one and the two together.
use super::relations::check_screen_rule;
use super::relations::Expect;
use super::*;
use mim_setup::answers::Value;
use mim_setup::finding::Severity::Error as E;

#[test]
fn sspr_port_is_a_port_and_not_the_mim_services() {
    let rows = [
        ("8088", OK),
        ("1", OK),
        ("80", OK),
        ("443", OK),
        ("65535", OK),
        ("8080", warn("sspr-port-8080")),
        ("5725", err("sspr-port-mim-service")),
        ("5726", err("sspr-port-mim-service")),
        ("0", err("sspr-port")),
        ("65536", err("sspr-port")),
        ("99999999999999999999", err("sspr-port")),
        ("", err("sspr-port")),
        (" 8088", err("sspr-port")),
        ("8088 ", err("sspr-port")),
        ("+8088", err("sspr-port")),
        ("-1", err("sspr-port")),
        ("08088", err("sspr-port")),
        ("80.0", err("sspr-port")),
        ("eighty", err("sspr-port")),
        ("８０８８", err("sspr-port")),
        ("8088\u{200E}", err("sspr-port")),
    ];
    for p in ["registration.port", "reset.port"] {
        check_texts("sspr-port", p, &rows);
        let f = only("sspr-port", p, "8080");
        assert_eq!(f.ack_key(), format!("sspr-port-8080@{p}"));
        assert!(
            f.message.contains("Central Administration"),
            "{}",
            f.message
        );
    }
}

#[test]
fn the_two_sspr_portals_need_different_ports() {
    let same = ("sspr-ports-differ", E, "reset.port");
    // registration selected, reset selected, registration port, reset port
    let rows: Vec<(bool, bool, &str, &str, Expect)> = vec![
        (true, true, "8080", "8088", vec![]),
        (true, true, "8088", "8088", vec![same]),
        (true, true, "8080", "8080", vec![same]),
        (true, true, "443", "443", vec![same]),
        (true, true, "eighty", "eighty", vec![same]),
        (true, true, "", "", vec![]),
        (true, true, "8088", "08088", vec![]),
        (true, false, "8088", "8088", vec![]),
        (false, true, "8088", "8088", vec![]),
        (false, false, "8088", "8088", vec![]),
    ];
    for (registration, reset, rp, sp, want) in rows {
        let mut a = sp_answers();
        a.set("features.registration", Value::Bool(registration));
        a.set("features.reset", Value::Bool(reset));
        a.set("registration.port", text(rp));
        a.set("reset.port", text(sp));
        let row = format!("{registration} {reset} {rp:?} {sp:?}");
        check_screen_rule("sspr-ports-differ", &a, &want, &row);
    }
}
