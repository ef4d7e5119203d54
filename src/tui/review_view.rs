//! What `mim-setup review` adds to the wizard's screens: the title says it is a read-only
//! review; the findings panel starts with the focused field's answer, where it goes, and the
//! reviewer's comments; a popup takes a comment, the verdict and its note. Everything comes
//! from the one walk (`review::Walk`) the headless formats print.
use super::findings::{hang, push_marked, FindingLine, Tone};
use super::popup::{draw_box, inner_width};
use super::theme::Theme;
use crate::review::{render, Stage};
use crate::wizard::{Focus, Model};
use ratatui::layout::Rect;
use ratatui::Frame;

/// The title's words in a review.
pub fn title(m: &Model) -> Option<String> {
    m.review
        .as_ref()
        .map(|r| format!("review of {} (read-only)", r.walk.file))
}

/// The panel's review lines: the focused field's answer and destinations, the comments on
/// it (or, without a focused field, on the screen), and on the summary the plan's facts.
pub fn lines(m: &Model, width: usize) -> Vec<FindingLine> {
    let Some(r) = &m.review else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let plain = |out: &mut Vec<FindingLine>, tone: Tone, first: &str, text: &str| {
        out.extend(
            hang(text, width, first, "    ")
                .into_iter()
                .map(|text| FindingLine {
                    tone,
                    marked: false,
                    text,
                }),
        );
    };
    let field = match m.focus {
        Focus::Field(i) => Some(m.field_path(i)),
        _ => None,
    };
    if let Some((_, f)) = field.as_deref().and_then(|p| r.walk.field(p)) {
        plain(&mut out, Tone::Plain, "Answer: ", &f.answer);
        let as_is = |s: &str| s.to_string();
        for g in &f.goes {
            plain(
                &mut out,
                Tone::Info,
                "Goes to: ",
                &render::goes_words(g, &as_is),
            );
        }
    }
    for c in r.comments_on(&m.current, field.as_deref()) {
        plain(&mut out, Tone::Dim, "Your comment: ", &c.text);
    }
    if m.screen().kind == crate::screens::ScreenKind::Summary {
        if let Some(facts) = &r.walk.facts {
            plain(
                &mut out,
                Tone::Dim,
                "",
                &format!("Facts the plan recorded, {}:", facts.when),
            );
            for f in &facts.seen {
                plain(
                    &mut out,
                    Tone::Dim,
                    "  ",
                    &format!("{} = {}", f.key, f.value),
                );
            }
        }
        let n = r.comments.len();
        push_marked(
            &mut out,
            Tone::Info,
            &format!("{n} comment(s) so far. Next approves or rejects, with a note."),
            width,
        );
    }
    out
}

/// The review's own popup (a comment, the verdict, the note), if one is open; returns
/// whether it drew one.
pub fn draw_popup(m: &Model, theme: &Theme, frame: &mut Frame, area: Rect) -> bool {
    let Some(r) = &m.review else {
        return false;
    };
    let w = inner_width(area);
    let typed = |label: &str, text: &str| -> Vec<String> {
        let mut body = super::layout::wrap(label, w);
        body.push(String::new());
        let shown = format!("> {text}_");
        body.extend(super::layout::wrap(&shown, w));
        body
    };
    let (title, body, keys) = match &r.stage {
        Stage::Browse | Stage::Writing => return false,
        Stage::Comment { screen, field, text } => {
            let on = field.clone().unwrap_or_else(|| format!("the screen {screen}"));
            (
                format!("Comment on {on}"),
                typed("Your comment, written with the verdict:", text),
                "Enter keep   Esc drop",
            )
        }
        Stage::Verdict => (
            "Verdict".to_string(),
            super::layout::wrap(
                &format!(
                    "Approve or reject the {} {} ({} comment(s)). The review file {} records it with your note; nothing else is written.",
                    r.walk.kind,
                    r.walk.file,
                    r.comments.len(),
                    r.out.display()
                ),
                w,
            ),
            "a approve   r reject   Esc back to the screens",
        ),
        Stage::Note { verdict, text } => (
            format!("Note: {}", verdict.as_str()),
            typed("A note for the verdict (why):", text),
            "Enter write the review   Esc back",
        ),
    };
    draw_box(theme, frame, area, (&title, theme.title()), body, keys);
    true
}
