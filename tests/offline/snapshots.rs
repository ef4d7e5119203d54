//! What the wizard draws: insta snapshots of `tui::view` on ratatui's `TestBackend`, as plain
//! text, for every screen of the Contoso walkthrough at 80x24 and 120x40, the branches
//! (local/remote SQL, named instance, gMSA, typed password), errors, popups, the too-small
//! message and the ASCII / no-colour themes.
//!
//! Regenerate with `INSTA_UPDATE=always cargo test --test offline snapshots`, then read the changed
//! files under `tests/offline/snapshots/`.
#![allow(clippy::unwrap_used)]

use testkit::wizard as support;

use mim_setup::tui::layout::{compute, Row};
use mim_setup::tui::theme::Theme;
use mim_setup::tui::view;
use mim_setup::wizard::{update, Action, Focus, Model};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Color;
use ratatui::Terminal;
use std::collections::BTreeSet;
use support::{at, at_from, fresh, fresh_from, run, typed, walk};

const COLOUR: Theme = Theme {
    ascii: false,
    color: true,
};
/// `--ascii`: ASCII and no colour.
const ASCII: Theme = Theme {
    ascii: true,
    color: false,
};
/// `NO_COLOR`: Unicode, no colour.
const MONO: Theme = Theme {
    ascii: false,
    color: false,
};

const SMALL: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (120, 40);

fn draw(m: &Model, theme: &Theme, (w, h): (u16, u16)) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    term.draw(|f| view(m, theme, f)).expect("draw");
    term
}

/// The buffer as text: one line per row, trailing blanks trimmed, no styles.
fn text(buf: &Buffer) -> String {
    let a = buf.area;
    (a.y..a.y + a.height)
        .map(|y| {
            let line: String = (a.x..a.x + a.width).map(|x| buf[(x, y)].symbol()).collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Snapshots the view of `m` and checks what holds for every full-size screen: the outer
/// edges of the step list, form and findings boxes are drawn, so nothing overwrote them.
fn snap(name: &str, m: &Model, theme: &Theme, size: (u16, u16)) -> String {
    let term = draw(m, theme, size);
    let buf = term.backend().buffer().clone();
    let shown = text(&buf);
    if size.0 >= 80 && size.1 >= 24 {
        let (v, corner) = if theme.ascii {
            ("|", "+")
        } else {
            ("│", "╭╮╰╯")
        };
        for y in 1..size.1 - 2 {
            for x in [0, size.0 - 1] {
                let s = buf[(x, y)].symbol();
                assert!(
                    s == v || corner.contains(s),
                    "{name}: border broken at ({x},{y}): {s:?}\n{shown}"
                );
            }
        }
        assert!(
            shown
                .lines()
                .nth(size.1 as usize - 2)
                .is_some_and(|l| l.contains("Next")
                    || l.contains("Install")
                    || l.contains("Close")),
            "{name}: the button row\n{shown}"
        );
    }
    insta::assert_snapshot!(name, shown);
    shown
}

fn both(name: &str, m: &Model) {
    snap(&format!("{name}_80x24"), m, &COLOUR, SMALL);
    snap(&format!("{name}_120x40"), m, &COLOUR, LARGE);
}

fn with(id: &str, actions: Vec<Action>) -> Model {
    let mut m = at(id);
    run(&mut m, actions);
    m
}

#[test]
fn every_screen_at_both_sizes() {
    let ids: Vec<String> = fresh().flow().iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), 11, "{ids:?}");
    for (n, id) in ids.iter().enumerate() {
        let m = at(id);
        for size in [SMALL, LARGE] {
            let shown = snap(
                &format!("sync_{id}_{}x{}", size.0, size.1),
                &m,
                &COLOUR,
                size,
            );
            assert!(
                shown
                    .lines()
                    .next()
                    .is_some_and(|l| l.contains(&format!("step {} of 11", n + 1))),
                "{shown}"
            );
            assert!(shown.contains(&m.screen().title), "{id}: title\n{shown}");
            let legend = shown.lines().last().unwrap_or_default();
            assert!(
                legend.contains("F1 help") && legend.contains("Ctrl-Q quit"),
                "{id}: legend\n{shown}"
            );
        }
    }
}

/// Every screen of the Service and Portal flow: the Volume License walkthrough screen by
/// screen, then the screens only other options show (Azure AD Premium, Reporting, the
/// Office 365 application) and the service account screen of options A, B, F and I.
#[test]
fn every_service_and_portal_screen_at_both_sizes() {
    let vl = fresh_from("contoso-service-portal");
    let ids: Vec<String> = vl.flow().iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), 19, "{ids:?}");
    for (n, id) in ids.iter().enumerate() {
        let m = at_from("contoso-service-portal", id);
        for size in [SMALL, LARGE] {
            let shown = snap(
                &format!("service_{id}_{}x{}", size.0, size.1),
                &m,
                &COLOUR,
                size,
            );
            assert!(shown.contains(&m.screen().title), "{id}: title\n{shown}");
            let step = format!("step {} of {}", n + 1, ids.len());
            assert!(
                shown.lines().next().is_some_and(|l| l.contains(&step)),
                "{shown}"
            );
        }
    }
    for (profile, id) in [
        ("contoso-aadp-option-h", "cloud"),
        ("contoso-aadp-option-h", "tenant"),
        ("contoso-aadp-option-h", "mailbox_app"),
        ("contoso-aadp-option-h", "mim_service"),
        ("contoso-aadp-option-a", "reporting"),
        ("contoso-aadp-option-a", "certificate"),
        ("contoso-aadp-option-a", "mim_service"),
        ("contoso-aadp-option-b", "mim_service"),
        ("contoso-aadp-option-f", "mim_service"),
        ("contoso-aadp-option-i", "mim_service"),
    ] {
        let m = at_from(profile, id);
        let option = profile.trim_start_matches("contoso-aadp-");
        both(&format!("service_{option}_{id}"), &m);
    }
}

/// The blocking finding shows while the user chooses: SMTP, then the gMSA box.
#[test]
fn an_impossible_mail_combination_is_shown_while_choosing() {
    let mut m = at_from("contoso-service-portal", "mail");
    let field = |m: &mim_setup::wizard::Model, id: &str| {
        m.screen().fields.iter().position(|f| f.id == id).unwrap()
    };
    let (t, g) = (field(&m, "server_type"), field(&m, "gmsa"));
    run(
        &mut m,
        vec![
            Action::Select {
                field: t,
                option: 2,
            },
            Action::Select {
                field: g,
                option: 0,
            },
        ],
    );
    assert_eq!(m.answers.text("mail.server_type"), "smtp");
    assert!(m.answers.flag("mail.gmsa"));
    assert!(m
        .findings
        .iter()
        .any(|f| f.check == "mail-option" && f.blocks()));
    let shown = snap("service_mail_smtp_gmsa_80x24", &m, &COLOUR, SMALL);
    assert!(shown.contains("not a combination"), "{shown}");
    snap("service_mail_smtp_gmsa_120x40", &m, &COLOUR, LARGE);
    // Next stays closed.
    run(&mut m, vec![Action::Next]);
    assert_eq!(m.current, "mail");
}

/// Port 8080 is a warning on the registration portal's screen: acknowledged as the shipped
/// profile has it, and as a user first meets it, then in the popup Next opens, whose OK
/// records the acknowledgement and goes on.
#[test]
fn the_8080_warning_on_the_registration_screen() {
    const KEY: &str = "sspr-port-8080@registration.port";
    let mut m = at_from("contoso-service-portal", "registration");
    assert!(m.findings.iter().any(|f| f.ack_key() == KEY && !f.blocks()));
    assert!(m.acknowledged.contains(KEY));
    let shown = snap("service_registration_8080_120x40", &m, &COLOUR, LARGE);
    assert!(shown.contains("\u{2713} Port: Port 8080"), "{shown}");

    m.acknowledged.remove(KEY);
    let shown = snap("service_registration_8080_new_80x24", &m, &COLOUR, SMALL);
    assert!(shown.contains("! Port: Port 8080"), "{shown}");
    let shown = snap("service_registration_8080_new_120x40", &m, &COLOUR, LARGE);
    assert!(shown.contains("! Port: Port 8080"), "{shown}");
    run(&mut m, vec![Action::Next]);
    assert_eq!(m.current, "registration", "a warning asks first");
    let shown = snap("service_registration_8080_popup_80x24", &m, &COLOUR, SMALL);
    assert!(shown.contains("OK, acknowledge"), "{shown}");
    run(&mut m, vec![Action::Enter]);
    assert!(m.acknowledged.contains(KEY));
    // Then setup's own warning after the portal's IIS settings (seeds 002 and 003).
    assert_eq!(m.current, "registration");
    let shown = snap(
        "service_registration_setup_message_80x24",
        &m,
        &COLOUR,
        SMALL,
    );
    assert!(
        shown.contains("Registration Portal's IIS settings"),
        "{shown}"
    );
    assert!(shown.contains("REGISTRATION_HOSTNAME"), "{shown}");
    run(&mut m, vec![Action::Enter]);
    assert_eq!(m.current, "registration_site");
}

/// At the smallest size every row of every form of every shipped profile's flow can be
/// brought into view: the form scrolls with the focus, so a row no focus shows (an intro
/// longer than the box on a screen without fields) could never be read. The box says when
/// rows are hidden.
#[test]
fn every_form_row_can_be_seen_at_80x24() {
    let options: Vec<String> = ('a'..='i')
        .map(|c| format!("contoso-aadp-option-{c}"))
        .collect();
    let names = ["contoso-sync", "contoso-service-portal"];
    let (mut checked, mut hidden) = (0, Vec::new());
    for name in names.into_iter().chain(options.iter().map(String::as_str)) {
        let mut at = fresh_from(name);
        let ids: Vec<String> = at.flow().iter().map(|s| s.id.clone()).collect();
        for id in ids {
            walk(&mut at, &id);
            let m = &mut at;
            let before = m.focus;
            let (mut seen, mut offsets) = (BTreeSet::new(), BTreeSet::new());
            let mut rows = 0;
            for focus in m.focusables() {
                m.focus = focus;
                let lay = compute(Rect::new(0, 0, SMALL.0, SMALL.1), m);
                rows = lay.rows.len();
                let end = (lay.row_offset + lay.rows_area.height as usize).min(rows);
                seen.extend(lay.row_offset..end);
                if !offsets.insert(lay.row_offset) {
                    continue;
                }
                // Drawn once per scroll position: the box marks hidden rows below.
                let (above, below) = lay.hidden_rows();
                let shown = text(draw(m, &COLOUR, SMALL).backend().buffer());
                let marked = shown.contains("more below") || shown.contains("\u{25bc} more");
                assert_eq!(marked, below > 0, "{name} {id} {above}/{below}\n{shown}");
            }
            m.focus = before;
            let never: Vec<usize> = (0..rows).filter(|r| !seen.contains(r)).collect();
            if !never.is_empty() {
                hidden.push(format!("{name} {id}: rows {never:?} of {rows}"));
            }
            checked += 1;
        }
    }
    assert!(hidden.is_empty(), "never shown: {hidden:#?}");
    assert!(checked >= 10 + 18 + 9 * 18, "{checked} screens");
}

#[test]
fn sql_branches() {
    snap(
        "sql_local_80x24",
        &with(
            "sql",
            vec![Action::Select {
                field: 0,
                option: 0,
            }],
        ),
        &COLOUR,
        SMALL,
    );
    let named = with(
        "sql",
        vec![
            Action::Select {
                field: 2,
                option: 1,
            },
            Action::FocusNext,
        ],
    );
    assert_eq!(named.focus, Focus::Field(3));
    both("sql_named", &named);
}

#[test]
fn gmsa_account_has_a_disabled_password() {
    let m = with(
        "service_account",
        vec![
            Action::Select {
                field: 0,
                option: 1,
            },
            Action::Focus(Focus::Field(1)),
            Action::CursorEnd,
            Action::Input('$'),
        ],
    );
    assert_eq!(m.answers.text("service_account.name"), "MIMSync$");
    both("service_account_gmsa", &m);
}

const CANARY: &str = "Ƿ§¤Ȣ-Pa55w0rd";

fn typed_password(theme: &Theme, size: (u16, u16)) -> (Model, String, Terminal<TestBackend>) {
    let mut m = with("service_account", vec![Action::Focus(Focus::Field(2))]);
    run(&mut m, typed(CANARY));
    let term = draw(&m, theme, size);
    let shown = text(term.backend().buffer());
    (m, shown, term)
}

/// A typed password is drawn as mask characters only, and the cursor stands after them.
#[test]
fn typed_password_is_masked() {
    for (name, theme, size, mask) in [
        ("service_account_password_80x24", COLOUR, SMALL, '•'),
        ("service_account_password_120x40", COLOUR, LARGE, '•'),
        ("ascii_service_account_password_80x24", ASCII, SMALL, '*'),
    ] {
        let (m, shown, mut term) = typed_password(&theme, size);
        for part in ["Ƿ", "§", "¤", "Ȣ", "Pa55w0rd", "w0rd"] {
            assert!(!shown.contains(part), "{name}: {part:?} is shown\n{shown}");
        }
        let n = CANARY.chars().count();
        let masks = format!("[{}", mask.to_string().repeat(n));
        assert!(
            shown.contains(&masks),
            "{name}: {n} mask characters\n{shown}"
        );
        assert!(!shown.contains(&format!("[{}", mask.to_string().repeat(n + 1))));
        let lay = compute(Rect::new(0, 0, size.0, size.1), &m);
        let i = lay
            .rows
            .iter()
            .position(|r| {
                *r == Row::Input {
                    field: 2,
                    inline_label: true,
                }
            })
            .expect("password row");
        let y = lay.rows_area.y + (i - lay.row_offset) as u16;
        let x = lay.form_inner.x + lay.label_width + 1 + n as u16;
        assert_eq!(
            term.get_cursor_position().expect("cursor"),
            Position::new(x, y),
            "{name}"
        );
        assert_eq!(
            term.backend().buffer()[(x - 1, y)].symbol(),
            mask.to_string()
        );
        snap(name, &m, &theme, size);
    }
}

/// The terminal cursor follows the cursor in the focused text field.
#[test]
fn cursor_is_on_the_focused_field() {
    let mut m = with("install", vec![Action::Focus(Focus::Field(1))]);
    run(
        &mut m,
        [Action::CursorHome, Action::CursorRight, Action::CursorRight],
    );
    for size in [SMALL, LARGE] {
        let mut term = draw(&m, &COLOUR, size);
        let lay = compute(Rect::new(0, 0, size.0, size.1), &m);
        let (i, inline) = lay
            .rows
            .iter()
            .enumerate()
            .find_map(|(i, r)| match r {
                Row::Input {
                    field: 1,
                    inline_label,
                } => Some((i, *inline_label)),
                _ => None,
            })
            .expect("install folder row");
        let y = lay.rows_area.y + (i - lay.row_offset) as u16;
        let start = lay.form_inner.x + if inline { lay.label_width } else { 0 };
        let buf = term.backend().buffer().clone();
        assert_eq!(buf[(start, y)].symbol(), "[", "{size:?}\n{}", text(&buf));
        assert_eq!(buf[(start + 1, y)].symbol(), "C");
        assert_eq!(
            term.get_cursor_position().expect("cursor"),
            Position::new(start + 3, y),
            "{size:?}"
        );
    }
}

#[test]
fn blocking_error_in_the_findings_panel() {
    let mut m = with(
        "sql",
        vec![Action::Focus(Focus::Field(1)), Action::CursorEnd],
    );
    run(&mut m, typed(",1433"));
    run(&mut m, [Action::Focus(Focus::Next), Action::Next]);
    assert_eq!((m.current.as_str(), m.focus), ("sql", Focus::Field(1)));
    let shown = snap("sql_error_80x24", &m, &COLOUR, SMALL);
    assert!(shown.contains("1 error(s) on this screen"), "{shown}");
    assert!(
        shown.contains("✗ Remote machine name: The SQL Server field holds a port."),
        "{shown}"
    );
    snap("sql_error_120x40", &m, &COLOUR, LARGE);
}

#[test]
fn step_list_marks_a_visited_screen_with_errors() {
    let mut m = at("groups");
    run(
        &mut m,
        [
            Action::JumpTo("sql".into()),
            Action::Focus(Focus::Field(1)),
            Action::CursorEnd,
        ],
    );
    run(&mut m, typed(",1433"));
    run(&mut m, [Action::JumpTo("service_account".into())]);
    assert_eq!(m.current, "service_account");
    assert!(m.screens_with_errors.contains("sql"));
    let shown = snap("step_error_80x24", &m, &COLOUR, SMALL);
    assert!(shown.contains("✗ SQL Server"), "{shown}");
    assert!(
        shown.contains("▶ Service account") && shown.contains("✓ Custom setup"),
        "{shown}"
    );
    let shown = snap("ascii_step_error_80x24", &m, &ASCII, SMALL);
    assert!(
        shown.contains("x SQL Server") && shown.contains("> Service account"),
        "{shown}"
    );
}

#[test]
fn warnings_popup_on_install() {
    let mut m = fresh();
    m.acknowledged.clear();
    walk(&mut m, "summary");
    assert!(update(&mut m, Action::Next).is_empty());
    both("summary_warning_popup", &m);
    let shown = text(draw(&m, &COLOUR, SMALL).backend().buffer());
    assert!(
        shown.contains("[Enter] OK, acknowledge") && shown.contains("Reason (optional"),
        "the keys stay visible\n{shown}"
    );
}

#[test]
fn groups_warning_in_the_findings_panel() {
    let mut m = with(
        "groups",
        vec![Action::Focus(Focus::Field(1)), Action::CursorHome],
    );
    for _ in 0.."contoso\\MIMSyncOperators".len() {
        update(&mut m, Action::Delete);
    }
    run(&mut m, [Action::Paste("contoso\\MIMSyncAdmins".into())]);
    let shown = snap("groups_warning_80x24", &m, &COLOUR, SMALL);
    assert!(
        shown.contains("! Operator: The Operator role uses the same group"),
        "{shown}"
    );
}

#[test]
fn help_popup() {
    let m = with("sql", vec![Action::Focus(Focus::Field(1)), Action::Help]);
    both("sql_help_popup", &m);
}

#[test]
fn quit_and_error_popups() {
    snap(
        "install_quit_popup_80x24",
        &with("install", vec![Action::Cancel]),
        &COLOUR,
        SMALL,
    );
    let m = with("summary", vec![
        Action::Next,
        Action::Finished(Err("Cannot save the profile to mim-setup-output/contoso-sync.toml: Permission denied (os error 13)".into())),
    ]);
    snap("summary_error_popup_80x24", &m, &COLOUR, SMALL);
}

/// A status too long for the room beside the buttons takes the legend's line, whole.
#[test]
fn long_status_messages_are_shown_whole() {
    let why = "/home/admin/.local/state/mim-setup/draft.toml: Permission denied (os error 13)";
    let m = with("groups", vec![Action::DraftSaved(Err(why.into()))]);
    let shown = snap("draft_error_status_80x24", &m, &COLOUR, SMALL);
    assert!(
        shown
            .lines()
            .last()
            .is_some_and(|l| l.contains("The draft could not be saved: /home/admin")),
        "{shown}"
    );
    let shown = snap("draft_error_status_120x40", &m, &COLOUR, LARGE);
    assert!(shown.contains("Permission denied (os error 13)"), "{shown}");
}

#[test]
fn pages_are_wrapped_to_the_width() {
    let shown = text(draw(&at("finish"), &COLOUR, SMALL).backend().buffer());
    assert!(
        shown.contains("Review the plan, then run its steps in order on this"),
        "{shown}"
    );
    assert!(shown.contains("│ server."), "{shown}");
    let shown = text(draw(&at("licence"), &COLOUR, SMALL).backend().buffer());
    assert!(
        shown.contains("The Microsoft Software License Terms for Microsoft"),
        "{shown}"
    );
    assert!(
        shown.contains("Identity Manager 2016 come with the installation media:"),
        "reflowed\n{shown}"
    );
}

#[test]
fn too_small_terminals_get_a_message() {
    let m = at("welcome");
    for size in [(79, 24), (80, 23)] {
        let shown = snap(
            &format!("too_small_{}x{}", size.0, size.1),
            &m,
            &COLOUR,
            size,
        );
        assert!(
            shown.contains("at least 80x24") && shown.contains(&format!("{}x{}", size.0, size.1)),
            "{shown}"
        );
        assert!(
            !shown.contains("Next"),
            "no broken screen under the message\n{shown}"
        );
    }
}

#[test]
fn scrolled_text_pages() {
    snap(
        "licence_scrolled_80x24",
        &with("licence", vec![Action::PageDown]),
        &COLOUR,
        SMALL,
    );
    let m = with("summary", vec![Action::PageDown; 6]);
    let shown = snap("summary_scrolled_80x24", &m, &COLOUR, SMALL);
    assert!(
        shown.contains("Acknowledged warnings: 1"),
        "the end of the summary\n{shown}"
    );
}

fn colours(buf: &Buffer) -> usize {
    buf.content
        .iter()
        .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
        .count()
}

#[test]
fn ascii_and_no_colour_themes() {
    for (name, id, theme) in [
        ("ascii_setup_80x24", "setup", ASCII),
        ("ascii_sql_80x24", "sql", ASCII),
        ("ascii_licence_80x24", "licence", ASCII),
        ("ascii_summary_120x40", "summary", ASCII),
        ("no_colour_sql_80x24", "sql", MONO),
        ("no_colour_summary_80x24", "summary", MONO),
    ] {
        let m = at(id);
        let size = if name.ends_with("120x40") {
            LARGE
        } else {
            SMALL
        };
        let shown = snap(name, &m, &theme, size);
        let buf = draw(&m, &theme, size).backend().buffer().clone();
        assert_eq!(colours(&buf), 0, "{name}: no colour");
        if theme.ascii {
            assert!(shown.is_ascii(), "{name}: ASCII only\n{shown}");
        }
        assert!(
            colours(draw(&m, &COLOUR, size).backend().buffer()) > 0,
            "{name}: the colour theme has colour"
        );
    }
    let from_flag = Theme::from_env(true);
    assert!(
        from_flag.ascii && !from_flag.color,
        "--ascii means no colour, whatever NO_COLOR says"
    );
    let mut m = at("sql");
    run(&mut m, [Action::Help]);
    let buf = draw(&m, &ASCII, SMALL).backend().buffer().clone();
    assert_eq!(colours(&buf), 0, "popups too");
    assert!(text(&buf).is_ascii(), "{}", text(&buf));
}

/// Live checks on the SQL screen: one passed with what it saw, one blocking with its finding
/// detailed below (Next stays closed), one skipped with why; and the offline notice.
#[test]
fn live_check_states_on_the_sql_screen() {
    use mim_setup::check::ProbeOutput;
    use mim_setup::check::{Area, Outcome};
    use mim_setup::finding::Finding;
    use mim_setup::wizard::live::{CheckDone, Mode, Run, Slot};
    let mut m = at("sql");
    m.live.mode = Mode::On;
    // Run 1 of the `sql` slot is pending; its result comes back through `update`.
    m.live.slots.insert(
        "sql".into(),
        Slot {
            area: Area::Sql,
            screen: "sql".into(),
            title: "SQL Server".into(),
            waiting: None,
            run: Some(Run {
                generation: 1,
                inputs: String::new(),
                started: std::time::Instant::now(),
                output: None,
            }),
        },
    );
    let outcomes = vec![
        Outcome::ok(
            "sql-version",
            Area::Sql,
            "sql",
            "SQL Server version",
            "SQL Server 2019 (15.0.2000.5)",
        ),
        Outcome::found(
            "sql-sysadmin",
            Area::Sql,
            "sql",
            "Installing login is sysadmin",
            vec![Finding::error(
                "sql-not-sysadmin",
                "sql.server",
                "The login CONTOSO\\miminstall is not a member of the sysadmin role.",
            )
            .evidence("IS_SRVROLEMEMBER('sysadmin') = 0")
            .why("Setup creates the database and its logins.")
            .fix("Add the login to sysadmin for the time of setup.")],
        ),
        Outcome::skipped(
            "sql-agent",
            Area::Sql,
            "sql",
            "SQL Server Agent",
            "only the MIM Service needs it",
        ),
    ];
    let done = |generation, outcomes| {
        Action::Checked(Box::new(CheckDone {
            key: "sql".into(),
            generation,
            output: ProbeOutput {
                outcomes,
                facts: Default::default(),
            },
        }))
    };
    // An older generation's result is dropped.
    let stale = Outcome::ok(
        "sql-version",
        Area::Sql,
        "sql",
        "SQL Server version",
        "stale",
    );
    run(&mut m, vec![done(0, vec![stale])]);
    assert!(m.live.pending(), "a stale result leaves the run pending");
    run(&mut m, vec![done(1, outcomes)]);
    assert!(!m.live.pending());
    assert!(m.has_errors());
    let shown = snap("live_sql_checks_120x40", &m, &COLOUR, LARGE);
    assert!(
        shown.contains("\u{2713} SQL Server version: SQL Server 2019"),
        "{shown}"
    );
    assert!(
        shown.contains("\u{2717} Installing login is sysadmin"),
        "{shown}"
    );
    assert!(
        shown.contains("- SQL Server Agent: not checked: only the MIM Service needs it"),
        "{shown}"
    );
    assert!(shown.contains("seen: IS_SRVROLEMEMBER"), "{shown}");
    run(&mut m, vec![Action::Next]);
    assert_eq!(
        m.current, "sql",
        "a blocking live finding keeps Next closed"
    );

    let mut off = at("sql");
    off.live.mode = Mode::Offline;
    let shown = snap("live_offline_80x24", &off, &COLOUR, SMALL);
    assert!(shown.contains("Live checks are off (--offline)"), "{shown}");
}

/// An acknowledged warning shown once on its screen's first visit says the profile's reason
/// for it, where the profile gives one.
#[test]
fn the_acknowledged_warning_popup_shows_the_profiles_reason() {
    const KEY: &str = "service-account-logon-rights@service_account.name";
    for reason in [Some("denied by GPO MIM-Sync (CHG-42)"), None] {
        let mut m = fresh();
        if let Some(r) = reason {
            m.reasons.insert(KEY.into(), r.into());
        }
        walk(&mut m, "security");
        update(&mut m, Action::Next);
        assert!(
            matches!(m.popup, Some(mim_setup::wizard::Popup::Acknowledged(_))),
            "{:?}",
            m.popup
        );
        let shown = text(draw(&m, &COLOUR, SMALL).backend().buffer());
        assert_eq!(
            shown.contains("The profile's reason: denied by GPO MIM-Sync (CHG-42)"),
            reason.is_some(),
            "{shown}"
        );
        // The summary's end lists it again with its reason.
        update(&mut m, Action::Enter);
        run(&mut m, vec![Action::PageDown; 8]);
        let shown = text(draw(&m, &COLOUR, LARGE).backend().buffer());
        assert!(shown.contains("Acknowledged warnings: 1"), "{shown}");
        assert_eq!(
            shown.contains(&format!("{KEY}: denied by GPO MIM-Sync (CHG-42)")),
            reason.is_some(),
            "{shown}"
        );
    }
}
