//! The editing keys and a bracketed paste, typed into the real binary: the custom-setup
//! screen's two folders are erased and retyped with Ctrl-U, Ctrl-W, Alt-Backspace, Ctrl-A,
//! Ctrl-K, Ctrl-E and a paste, and the draft saved on quit holds what the screen showed.
use super::harness::{spawn, Run};
use super::{screens, through_checks, CTRL_Q, CUSTOM, ENTER, LICENCE, SETUP, TAB, WELCOME};
use mim_setup::answers::Value;
use mim_setup::profile::draft;

const CTRL_A: &str = "\x01";
const CTRL_E: &str = "\x05";
const CTRL_K: &str = "\x0b";
const CTRL_U: &str = "\x15";
const CTRL_W: &str = "\x17";
const ALT_BACKSPACE: &str = "\x1b\x7f";
const LEFT: &str = "\x1b[D";
const F1: &str = "\x1bOP";
const ESC: &str = "\x1b";

const MEDIA: &str = "installation media folder";
const FOLDER: &str = "Install folder";

fn paste(text: &str) -> String {
    format!("\x1b[200~{text}\x1b[201~")
}

/// The text in the input box of the field labelled `label` (on its row or the next), as the
/// screen draws it.
fn row_after(screen: &str, label: &str) -> String {
    let Some(at) = screen.find(label) else {
        return String::new();
    };
    let rest = &screen[at + label.len()..];
    let Some(open) = rest.find('[') else {
        return String::new();
    };
    let inside = &rest[open + 1..];
    inside[..inside.find(']').unwrap_or(inside.len())]
        .trim_end()
        .to_string()
}

fn wait_row(r: &Run, label: &str, ok: impl Fn(&str) -> bool) {
    r.wait_until(label, |screen| ok(&row_after(screen, label)));
}

#[test]
fn editing_keys_and_a_bracketed_paste_edit_the_folders() {
    let mut r = spawn(&["profiles/contoso-sync.toml"]).start();
    r.wait_for(SETUP);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(WELCOME);
    r.send(ENTER);
    r.wait_for(LICENCE);
    r.send(ENTER);
    through_checks(&mut r, false);
    r.wait_for(CUSTOM);

    // The media folder: Ctrl-U empties it, a paste types a new one (its line break dropped).
    r.send(CTRL_U);
    wait_row(&r, MEDIA, str::is_empty);
    r.send(&paste("E:\\MIM 2016\r\n"));
    wait_row(&r, MEDIA, |row| row == "E:\\MIM 2016");
    // Ctrl-W erases "2016", Alt-Backspace then "MIM" (up to the backslash).
    r.send(CTRL_W);
    wait_row(&r, MEDIA, |row| row == "E:\\MIM");
    r.send(ALT_BACKSPACE);
    wait_row(&r, MEDIA, |row| row == "E:\\");

    r.send("Media");
    wait_row(&r, MEDIA, |row| row == "E:\\Media");

    // The install folder: Ctrl-A, Ctrl-K clears from the start; typed, then Left, Ctrl-K
    // cuts the last character and Ctrl-E goes back to the end to type it again.
    r.send(TAB);
    r.keys(&[CTRL_A, CTRL_K]);
    wait_row(&r, FOLDER, str::is_empty);
    r.send("C:\\MIMx");
    wait_row(&r, FOLDER, |row| row == "C:\\MIMx");
    r.keys(&[LEFT, CTRL_K, CTRL_E, "\\"]);
    wait_row(&r, FOLDER, |row| {
        row.contains("C:\\MIM\\") && !row.contains('x')
    });

    // F1 lists the keys, F1 again closes them.
    r.send(F1);
    r.wait_for("Help - ");
    r.send(F1);
    r.wait_for("Ctrl-U / Ctrl-K");
    r.wait_for("Alt-Backspace");
    r.send(ESC);
    r.wait_gone("Alt-Backspace");

    r.send(CTRL_Q);
    r.wait_for("[Enter/y] Quit");
    r.send("y");
    assert_eq!(r.wait_exit(), 1);
    let d = draft::load(&r.state(), screens())
        .expect("draft loads")
        .expect("draft");
    assert_eq!(
        d.answers.get("install.media"),
        Some(&Value::Text("E:\\Media".into()))
    );
    assert_eq!(
        d.answers.get("install.folder"),
        Some(&Value::Text("C:\\MIM\\".into()))
    );
}
