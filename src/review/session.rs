//! A review in the wizard's screens: the walk, the reviewer's comments so far, and what the
//! reviewer is typing (a comment, or the verdict's note). Pure state: `wizard::update` (its
//! review keys) changes it, the TUI draws it, the runtime writes the review file.
use super::model::Walk;
use super::record::{Comment, Record, FORMAT};
use crate::approve::Verdict;
use std::path::PathBuf;

/// The longest comment or note, in characters: a line for a ticket, not a document.
pub const MAX_TEXT: usize = 2000;

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub walk: Walk,
    pub reviewer: String,
    /// Where the review file goes.
    pub out: PathBuf,
    pub comments: Vec<Comment>,
    pub stage: Stage,
    /// The review file, once written.
    pub written: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Walking the screens.
    Browse,
    /// Typing a comment on a screen, or on one of its fields.
    Comment {
        screen: String,
        field: Option<String>,
        text: String,
    },
    /// Approve or reject?
    Verdict,
    /// Typing the verdict's note.
    Note { verdict: Verdict, text: String },
    /// The review file is being written.
    Writing,
}

impl Session {
    pub fn new(walk: Walk, reviewer: String, out: PathBuf) -> Session {
        Session {
            walk,
            reviewer,
            out,
            comments: Vec::new(),
            stage: Stage::Browse,
            written: None,
        }
    }

    /// The review file's content (its time is stamped when it is written).
    pub fn record(&self, verdict: Verdict, note: &str) -> Record {
        let file = std::path::Path::new(&self.walk.file)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| self.walk.file.clone());
        Record {
            format: FORMAT.into(),
            file,
            subject: self.walk.subject.kind.into(),
            sha256: self.walk.subject.sha256.clone(),
            reviewer: self.reviewer.clone(),
            reviewed_at: String::new(),
            verdict,
            note: note.trim().to_string(),
            comments: self.comments.clone(),
        }
    }

    /// The comments on `screen` (`field` None) or on one field.
    pub fn comments_on<'a>(
        &'a self,
        screen: &'a str,
        field: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Comment> {
        self.comments
            .iter()
            .filter(move |c| c.screen == screen && c.field.as_deref() == field)
    }
}
