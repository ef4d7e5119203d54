//! The editing keys, table-driven like the rows of `update.rs`: Ctrl-U, Ctrl-K, Ctrl-W,
//! Alt-Backspace and paste at the end, in the middle and at the start of a value, on
//! separators, on text that is not ASCII, in a password, and off a text field.
use super::support::{at, run, typed};
use super::{c, Case, Want, F0, F1, W};
use mim_setup::wizard::Erase as E;
use mim_setup::wizard::{Action::*, Focus};

#[rustfmt::skip]
pub(super) fn cases() -> Vec<Case> {
    use Focus::Next as NextBtn;
    vec![
        // The erasing keys (Ctrl-U, Ctrl-K, Ctrl-W, Alt-Backspace): at the end, in the
        // middle, at the start, on separators, on text that is not ASCII, off a text field.
        c("ctrl-u at the end clears the field", "groups", F0, vec![Erase(E::ToStart)],
            Want { texts: &[("groups.admins", "")], cursor: Some(0), ..W }),
        c("ctrl-u in the middle keeps what follows", "groups", F0,
            [vec![CursorHome], vec![CursorRight; 7], vec![Erase(E::ToStart)]].concat(),
            Want { texts: &[("groups.admins", "\\MIMSyncAdmins")], cursor: Some(0), ..W }),
        c("ctrl-u at the start does nothing", "groups", F0, vec![CursorHome, Erase(E::ToStart)],
            Want { texts: &[("groups.admins", "contoso\\MIMSyncAdmins")], cursor: Some(0), ..W }),
        c("ctrl-u then typing replaces a pre-filled value", "sql", F1,
            [vec![Erase(E::ToStart)], typed("sql01.fabrikam.com")].concat(),
            Want { texts: &[("sql.server", "sql01.fabrikam.com")], cursor: Some(18), ..W }),
        c("ctrl-k at the start clears the field", "groups", F0, vec![CursorHome, Erase(E::ToEnd)],
            Want { texts: &[("groups.admins", "")], cursor: Some(0), ..W }),
        c("ctrl-k in the middle keeps what precedes", "groups", F0,
            [vec![CursorHome], vec![CursorRight; 7], vec![Erase(E::ToEnd)]].concat(),
            Want { texts: &[("groups.admins", "contoso")], cursor: Some(7), ..W }),
        c("ctrl-k at the end does nothing", "groups", F0, vec![Erase(E::ToEnd)],
            Want { texts: &[("groups.admins", "contoso\\MIMSyncAdmins")], cursor: Some(21), ..W }),
        c("ctrl-w erases back to a space: a DOMAIN\\name goes whole", "groups", F0, vec![Erase(E::Word)],
            Want { texts: &[("groups.admins", "")], cursor: Some(0), ..W }),
        c("ctrl-w on a path erases its last spaced word", "install", F1, vec![Erase(E::Word)],
            Want { texts: &[("install.folder", "C:\\Program Files\\Microsoft Forefront Identity ")], cursor: Some(46), ..W }),
        c("ctrl-w takes the spaces before the cursor with the word", "install", F0,
            [vec![Erase(E::ToStart)], typed("corp sql  "), vec![Erase(E::Word)]].concat(),
            Want { texts: &[("install.media", "corp ")], cursor: Some(5), ..W }),
        c("ctrl-w inside a word erases only what precedes the cursor", "install", F1,
            [vec![CursorHome], vec![CursorRight; 10], vec![Erase(E::Word)]].concat(),
            Want { texts: &[("install.folder", " Files\\Microsoft Forefront Identity Manager\\2010\\")], cursor: Some(0), ..W }),
        c("ctrl-w at the start does nothing", "groups", F0, vec![CursorHome, Erase(E::Word)],
            Want { texts: &[("groups.admins", "contoso\\MIMSyncAdmins")], cursor: Some(0), ..W }),
        c("alt-backspace erases back to a backslash", "groups", F0, vec![Erase(E::WordPart)],
            Want { texts: &[("groups.admins", "contoso\\")], cursor: Some(8), ..W }),
        c("alt-backspace twice takes the separator and the part before", "groups", F0,
            vec![Erase(E::WordPart), Erase(E::WordPart)],
            Want { texts: &[("groups.admins", "")], cursor: Some(0), ..W }),
        c("alt-backspace on a path ending in \\ erases its last folder", "install", F1, vec![Erase(E::WordPart)],
            Want { texts: &[("install.folder", "C:\\Program Files\\Microsoft Forefront Identity Manager\\")], cursor: Some(54), ..W }),
        c("alt-backspace stops at dots and hyphens", "sql", F1,
            [vec![Erase(E::ToStart)], typed("corp-sql.contoso"), vec![Erase(E::WordPart), Erase(E::WordPart)]].concat(),
            Want { texts: &[("sql.server", "corp-")], cursor: Some(5), ..W }),
        c("erasing counts characters, not bytes", "install", F0,
            [vec![Erase(E::ToStart)], typed("日本 ßé"), vec![Erase(E::WordPart)]].concat(),
            Want { texts: &[("install.media", "日本 ")], cursor: Some(3), ..W }),
        c("erasing keys on a checkbox change nothing", "security", F0,
            vec![Erase(E::ToStart), Erase(E::ToEnd), Erase(E::Word), Erase(E::WordPart)],
            Want { flags: &[("security.firewall_rpc", true)], ..W }),
        c("erasing keys on a button change nothing", "install", Some(NextBtn),
            vec![Erase(E::ToStart), Erase(E::Word), Erase(E::WordPart)],
            Want { texts: &[("install.media", "D:\\")], focus: Some(NextBtn), ..W }),
        c("paste after ctrl-u replaces the value", "groups", F0,
            vec![Erase(E::ToStart), Paste("fabrikam\\SyncAdmins\r\n".into())],
            Want { texts: &[("groups.admins", "fabrikam\\SyncAdmins")], cursor: Some(19), ..W }),
        c("paste in the middle inserts at the cursor", "groups", F0,
            [vec![CursorHome], vec![CursorRight; 8], vec![Paste("X-".into())]].concat(),
            Want { texts: &[("groups.admins", "contoso\\X-MIMSyncAdmins")], cursor: Some(10), ..W }),
    ]
}

/// A password is edited at its end: the erasing keys work there, as on text.
#[test]
fn erasing_keys_in_a_password() {
    let cases: Vec<(&str, Vec<mim_setup::wizard::Action>, &str)> = vec![
        ("ctrl-w erases the last word", vec![Erase(E::Word)], "Pass "),
        (
            "alt-backspace erases the last part",
            vec![Erase(E::WordPart)],
            "Pass word@",
        ),
        ("ctrl-u clears it", vec![Erase(E::ToStart)], ""),
        (
            "ctrl-k at its end does nothing",
            vec![Erase(E::ToEnd)],
            "Pass word@1",
        ),
        (
            "home does not move into it",
            vec![CursorHome, Erase(E::ToEnd), Input('x')],
            "Pass word@1x",
        ),
    ];
    for (name, actions, want) in cases {
        let mut m = at("service_account");
        run(&mut m, [Focus(Focus::Field(2))]);
        run(&mut m, typed("Pass word@1"));
        run(&mut m, actions);
        let got = m
            .secrets
            .get("service_account.password")
            .map(|s| s.expose().to_string());
        assert_eq!(got.as_deref(), Some(want), "{name}");
        assert_eq!(
            m.cursor,
            want.chars().count(),
            "{name}: the cursor stays at the end"
        );
    }
}
