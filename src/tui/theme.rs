//! Colours, borders and marks: Unicode with colour, or ASCII and monochrome (`--ascii`,
//! `NO_COLOR`). The monochrome theme marks focus with reverse video and bold only.
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub ascii: bool,
    pub color: bool,
}

const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    /// `--ascii` gives ASCII and no colour; `NO_COLOR` (any non-empty value) no colour.
    pub fn from_env(ascii: bool) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            ascii,
            color: !ascii && !no_color,
        }
    }

    pub fn border(&self) -> border::Set {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::ROUNDED
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    pub fn focus(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn label(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn mark_current(&self) -> &'static str {
        if self.ascii {
            ">"
        } else {
            "\u{25b6}"
        }
    }
    pub fn mark_done(&self) -> &'static str {
        if self.ascii {
            "+"
        } else {
            "\u{2713}"
        }
    }
    pub fn mark_error(&self) -> &'static str {
        if self.ascii {
            "x"
        } else {
            "\u{2717}"
        }
    }
    pub fn mark_todo(&self) -> &'static str {
        if self.ascii {
            " "
        } else {
            "\u{00b7}"
        }
    }
    /// The mark and style of a findings panel line.
    pub fn tone(&self, tone: super::findings::Tone) -> (&'static str, Style) {
        use super::findings::Tone;
        match tone {
            Tone::Error => (self.mark_error(), self.error()),
            Tone::Warning => (self.mark_warning(), self.warning()),
            Tone::Acknowledged | Tone::Passed => (self.mark_done(), self.dim()),
            Tone::Info => ("i", self.dim()),
            Tone::Pending => (if self.ascii { "." } else { "\u{2026}" }, self.dim()),
            Tone::Skipped => ("-", self.dim()),
            Tone::Dim => ("", self.dim()),
            Tone::Plain => ("", Style::new()),
        }
    }
    pub fn mark_warning(&self) -> &'static str {
        "!"
    }
    pub fn radio(&self, on: bool) -> &'static str {
        match (self.ascii, on) {
            (true, true) => "(*)",
            (true, false) => "( )",
            (false, true) => "(\u{25cf})",
            (false, false) => "( )",
        }
    }
    pub fn checkbox(&self, on: bool) -> &'static str {
        if on {
            "[x]"
        } else {
            "[ ]"
        }
    }
    /// Marks text cut off at the end of a box.
    pub fn ellipsis(&self) -> char {
        if self.ascii {
            '>'
        } else {
            '\u{2026}'
        }
    }
    /// The form box's bottom line when rows are hidden above or below (the form scrolls
    /// with the focus): that more fields follow is seen before Tab gets there.
    pub fn more_rows(&self, (above, below): (usize, usize)) -> Option<&'static str> {
        match (self.ascii, above > 0, below > 0) {
            (_, false, false) => None,
            (true, true, true) => Some(" ^ v more "),
            (true, false, true) => Some(" v more below "),
            (true, true, false) => Some(" ^ more above "),
            (false, true, true) => Some(" \u{25b2} \u{25bc} more "),
            (false, false, true) => Some(" \u{25bc} more below "),
            (false, true, false) => Some(" \u{25b2} more above "),
        }
    }
    pub fn mask(&self) -> char {
        if self.ascii {
            '*'
        } else {
            '\u{2022}'
        }
    }
}
