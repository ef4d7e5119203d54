//! Every user-facing string of the wizard that is not in the screen files.
pub const APP: &str = "mim-setup";
pub const SAVING: &str = "Saving the profile and writing the install plan...";
pub const LEGEND: &[(&str, &str)] = &[
    ("Tab", "next field"),
    ("Shift-Tab", "previous"),
    ("Space", "select"),
    ("Enter", "next"),
    ("Esc", "back"),
    ("F1", "help, keys"),
    ("F2", "secret source"),
    ("Ctrl-U", "clear"),
    ("Ctrl-Q", "quit"),
];
/// The legend of `mim-setup demo`: the wizard's keys and the trainer's.
pub const LEGEND_DEMO: &[(&str, &str)] = &[
    ("Tab", "next field"),
    ("Enter", "next"),
    ("Esc", "back"),
    ("F1", "help, keys"),
    ("F6", "narration"),
    ("F7", "faults"),
    ("F8", "autoplay"),
    ("Ctrl-Q", "quit"),
];
/// The legend of `mim-setup review`: moving about and commenting; nothing edits.
pub const LEGEND_REVIEW: &[(&str, &str)] = &[
    ("Tab", "next field"),
    ("Enter", "next"),
    ("Esc", "back"),
    ("c", "comment"),
    ("F1", "help, keys"),
    ("Ctrl-Q", "quit"),
];
/// Every key, for the F1 popup: `(keys, what they do)`.
pub const KEYS: &[(&str, &str)] = &[
    ("Tab / Shift-Tab", "next / previous field or button"),
    ("Enter / Ctrl-N", "next field / next screen"),
    ("Esc", "back one screen, or close a popup"),
    (
        "Space / Up / Down",
        "tick, or choose an option; scroll a text",
    ),
    (
        "Ctrl-Up / Ctrl-Down",
        "scroll the findings panel (also Alt, or the wheel)",
    ),
    ("Left / Right", "move in the text"),
    (
        "Home / End, Ctrl-A / Ctrl-E",
        "to the start / end of the text",
    ),
    ("Backspace / Delete", "erase before / at the cursor"),
    ("Ctrl-U / Ctrl-K", "erase to the start / to the end"),
    ("Ctrl-W", "erase the word before the cursor"),
    (
        "Alt-Backspace",
        "erase its last part (up to \\ . - or space)",
    ),
    ("Paste", "types the pasted text (line breaks dropped)"),
    ("F2", "password: variable or prompt at install time"),
    ("Ctrl-R", "check this screen against the servers again"),
    ("Ctrl-O", "turn the live checks off for this run"),
    (
        "F6 (demo)",
        "narration: the walkthrough's step, what was asked",
    ),
    (
        "F7 (demo)",
        "faults: switch a demo server's fault on or off",
    ),
    (
        "F8 (demo)",
        "autoplay from here; Space pauses, Ctrl-N next step",
    ),
    (
        "Ctrl-Q / Ctrl-C",
        "quit (asks first) / quit now; the draft is kept",
    ),
];
pub const KEYS_TITLE: &str = "Keys";
/// On the finish screen Enter and Esc close the wizard.
pub const LEGEND_FINISH: &[(&str, &str)] = &[
    ("Up/Down", "scroll"),
    ("Enter", "close"),
    ("A", "apply"),
    ("Esc", "close"),
    ("F1", "help"),
    ("Ctrl-Q", "quit"),
];
pub const BACK: &str = "Back";
pub const NEXT: &str = "Next";
pub const INSTALL: &str = "Install";
pub const CLOSE: &str = "Close";
pub const CANCEL: &str = "Cancel";
pub const STEPS: &str = "Steps";
pub const FINDINGS: &str = "Findings";
pub const NO_FINDINGS: &str = "No findings on this screen.";
/// The findings panel's bottom border when lines are hidden: (above, below).
pub fn findings_more(above: bool, below: bool) -> String {
    match (above, below) {
        (true, true) => " Ctrl-Up/Ctrl-Down: more ".into(),
        (false, true) => " Ctrl-Down: more ".into(),
        (true, false) => " Ctrl-Up: more ".into(),
        (false, false) => String::new(),
    }
}
pub const NOT_AVAILABLE: &str = "not available yet";
pub const HELP_TITLE: &str = "Help";
pub const QUIT_TITLE: &str = "Quit setup?";
pub const QUIT_TEXT: &str = "Really quit? Nothing is installed. Your answers are kept as a draft; continue later with `mim-setup --resume`.";
pub const QUIT_KEYS: &str = "[Enter/y] Quit   [Esc/n] Stay";
pub const WARNINGS_TITLE: &str = "Warning";
pub const WARNINGS_KEYS: &str = "[Enter] OK, acknowledge   [Esc] Go back   type a reason";
/// The same popup's keys when it holds a check whose server gave no answer.
pub const UNREACHED_KEYS: &str =
    "[Enter] OK, acknowledge   [Esc] Back (Ctrl-R retry, Ctrl-O checks off)";
/// The reason field of the acknowledgement popup, before what is typed.
pub const REASON_LABEL: &str = "Reason (optional, saved in the profile):";
/// Said in the acknowledgement popup under a check that could not reach its server.
pub const UNREACHED_ACK: &str = "Not checked: Enter goes on without this check, recorded in the profile and the plan as not checked, never as passed. Or Esc, then Ctrl-R checks again, Ctrl-O turns the live checks off for this run.";
pub const ACKNOWLEDGED_TITLE: &str = "Warning (acknowledged)";
pub const ACKNOWLEDGED_TEXT: &str =
    "Setup shows this warning here; the profile acknowledged it already, so it does not stop you.";
pub const ACKNOWLEDGED_KEYS: &str = "[Enter/Esc] OK";
/// Before the reason the profile gives for an acknowledged warning.
pub const ACKNOWLEDGED_REASON: &str = "The profile's reason:";
pub const SETUP_MEANS: &str = "What it means:";
pub const SETUP_PLAN: &str = "mim-setup's plan:";
pub const SETUP_NEXT_KEYS: &str = "[Enter] OK, go on   [Esc] Stay on this screen";
pub const ERROR_TITLE: &str = "Error";
pub const CLOSE_KEYS: &str = "[Enter/Esc] Close";
pub const HELP_KEYS: &str = "[F1] All keys   [Enter/Esc] Close";
pub const GMSA_NO_PASSWORD: &str = "disabled: a gMSA has no password";
pub const SECRET_NEVER_STORED: &str = "never stored; saved as";

/// What an empty text field shows: the walkthrough's value, dimmed; focused, the key that
/// takes it.
pub fn example(value: &str, focused: bool) -> String {
    if focused {
        format!("e.g. {value}  (Right takes it)")
    } else {
        format!("e.g. {value}")
    }
}

pub fn too_small(w: u16, h: u16) -> String {
    format!("mim-setup needs a terminal of at least 80x24; this one is {w}x{h}.\nEnlarge the window: your answers are kept.")
}

pub const CHECKS_OFF: &str =
    "Live checks are off for this run: the screens say that nothing was checked.";
pub const CHECKS_OFF_LINE: &str =
    "Live checks are off for this run (Ctrl-O): nothing on this screen was checked.";

pub const LIVE_KEYS_HINT: &str = "Ctrl-R: check again; Ctrl-O: live checks off for this run.";

pub fn checks_again(n: usize) -> String {
    if n == 0 {
        "No finished check on this screen to run again.".into()
    } else {
        format!("Checking again: {n} check(s) of this screen.")
    }
}

pub fn fix_errors_first(n: usize) -> String {
    format!("{n} error(s) on this screen: fix them before going on.")
}

pub fn draft_failed(e: &str) -> String {
    format!("The draft could not be saved: {e}")
}

pub fn finished(profile: &str, plan: &str) -> Vec<String> {
    vec![
        format!("Profile saved:  {profile}"),
        format!("Install plan:   {plan}"),
        String::new(),
        "Review the plan, then run its steps in order on this server.".into(),
        "Secrets are not in either file: only references to them.".into(),
        String::new(),
        "Plan steps:".into(),
    ]
}
