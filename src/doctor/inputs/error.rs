//! The one error of unusable doctor input: which file, which line (when there is one), what
//! is wrong and how to fix it. `mim-setup doctor` exits 2 with it.
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    /// 1-based line of the problem, when the format has lines.
    pub line: Option<usize>,
    pub what: String,
    pub fix: String,
}

impl InputError {
    pub fn new(
        file: &Path,
        line: Option<usize>,
        what: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        InputError {
            file: file.to_path_buf(),
            line,
            what: what.into(),
            fix: fix.into(),
        }
    }

    /// A file that could not be read at all.
    pub fn io(file: &Path, e: &std::io::Error) -> Self {
        InputError::new(
            file,
            None,
            format!("cannot read it: {e}"),
            "check that the file exists and is readable, or collect it again",
        )
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(
                f,
                "{}:{l}: {}; {}",
                self.file.display(),
                self.what,
                self.fix
            ),
            None => write!(f, "{}: {}; {}", self.file.display(), self.what, self.fix),
        }
    }
}

impl std::error::Error for InputError {}
