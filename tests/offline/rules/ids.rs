//! `src/rules/ids.rs`: GUIDs and certificate thumbprints, one table each.
use super::*;

#[test]
fn guid_is_8_4_4_4_12_hex_digits_without_braces() {
    let good = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    let rows = [
        (good.to_string(), OK),
        (good.to_uppercase(), OK),
        ("00000000-0000-0000-0000-000000000001".into(), OK),
        ("00000000-0000-0000-0000-000000000000".into(), err("guid")),
        (format!("{{{good}}}"), err("guid")),
        (good.replace('-', ""), err("guid")),
        ("3f2504e0-4f89-41d3-9a0c-0305e82c330".into(), err("guid")),
        ("3f2504e0-4f89-41d3-9a0c-0305e82c33011".into(), err("guid")),
        ("3f2504e0-4f89-41d3-9a0c-0305e82c330g".into(), err("guid")),
        ("3f2504e04f89-41d3-9a0c-0305e82c3301-".into(), err("guid")),
        ("3f2504e0--4f89-41d3-9a0c0305e82c3301".into(), err("guid")),
        ("3f2504e0_4f89_41d3_9a0c_0305e82c3301".into(), err("guid")),
        (format!(" {good}"), err("guid")),
        (format!("{good}\u{200E}"), err("guid")),
        (format!("{{{good}"), err("guid")),
        ("".into(), err("guid")),
        ("-".into(), err("guid")),
    ];
    for p in ["mailbox_app.application_id", "mailbox_app.tenant_id"] {
        check_texts("guid", p, &rows);
    }
    let braces = only("guid", "mailbox_app.application_id", &format!("{{{good}}}"));
    assert_eq!(braces.fix, format!("Remove the braces: {good}."));
    let bare = only("guid", "mailbox_app.application_id", &good.replace('-', ""));
    assert!(bare.fix.contains(good), "{}", bare.fix);
    let zero = only(
        "guid",
        "mailbox_app.tenant_id",
        "00000000-0000-0000-0000-000000000000",
    );
    assert!(zero.evidence.unwrap().contains("all-zero"));
    assert!(zero.fix.contains("TenantId"), "{}", zero.fix);
    let app = only("guid", "mailbox_app.application_id", "x");
    assert!(app.fix.contains("ApplicationId"), "{}", app.fix);
}

#[test]
fn thumbprint_is_40_hex_digits_without_invisible_marks() {
    let p = "certificate.thumbprint";
    let t = "3B8F2A1C9D0E4F5A6B7C8D9E0F1A2B3C4D5E6F70";
    let spaced: Vec<String> = t
        .as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect();
    let rows = [
        (t.to_string(), OK),
        (t.to_lowercase(), OK),
        (spaced.join(" "), OK),
        (spaced.join(":"), OK),
        (format!("{t} "), OK),
        (format!("\u{200E}{t}"), err("thumbprint-invisible")),
        (
            format!("\u{200E}{}", spaced.join(" ")),
            err("thumbprint-invisible"),
        ),
        (
            format!("{}\u{200F}{}", &t[..20], &t[20..]),
            err("thumbprint-invisible"),
        ),
        (format!("{t}\u{FEFF}"), err("thumbprint-invisible")),
        (t[..39].to_string(), err("thumbprint")),
        (format!("{t}0"), err("thumbprint")),
        (format!("{t}{}", &t[..24]), err("thumbprint")),
        (format!("{}G", &t[..39]), err("thumbprint")),
        (format!("0x{t}"), err("thumbprint")),
        (format!("{t}\t"), err("thumbprint")),
        (
            format!("{}\u{200B}{}", &t[..20], &t[20..]),
            err("thumbprint"),
        ),
        ("".into(), err("thumbprint")),
    ];
    check_texts("thumbprint", p, &rows);
    let mark = only("thumbprint", p, &format!("\u{200E}{t}"));
    assert_eq!(
        mark.message,
        "The thumbprint holds an invisible character that copying from the Windows certificate dialog adds."
    );
    assert_eq!(
        mark.evidence.as_deref(),
        Some("U+200E LEFT-TO-RIGHT MARK at position 1")
    );
    let sha256 = only("thumbprint", p, &format!("{t}{}", &t[..24]));
    assert!(sha256.evidence.unwrap().contains("SHA-256"));
    let zero_width = only(
        "thumbprint",
        p,
        &format!("{}\u{200B}{}", &t[..20], &t[20..]),
    );
    assert_eq!(
        zero_width.evidence.as_deref(),
        Some("character U+200B at position 21")
    );
}
