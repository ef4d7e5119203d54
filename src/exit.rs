//! Exit codes: what the process tells its caller, one type for every command.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | ok: the profile is valid, the plan or export was written, the wizard finished |
//! | 1 | blocking findings (errors or unacknowledged warnings), a refused or failed `apply` step; in the wizard, cancelled |
//! | 2 | unusable input: missing file, malformed TOML or plan, unknown key, secret in clear, no terminal |
//! | 3 | `check`: nothing was checked (`--offline`, or every live check skipped), so nothing is known to pass |
//! | 130 | the wizard was interrupted (Ctrl-C); the draft is kept |
//! | 143 | the wizard was stopped by a signal (SIGTERM, SIGHUP); the draft is kept |
use crate::wizard::Exit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum ExitCode {
    Ok = 0,
    Blocking = 1,
    Unusable = 2,
    /// `check` ran no live check: offline, or every check skipped. Never 0: a run that saw
    /// nothing says nothing about the environment.
    NothingChecked = 3,
    Interrupted = 130,
    Terminated = 143,
}

impl ExitCode {
    /// The number the process exits with.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The code a number stands for; a number that is none of them is unusable input.
    pub fn from_code(code: i32) -> ExitCode {
        match code {
            0 => ExitCode::Ok,
            1 => ExitCode::Blocking,
            3 => ExitCode::NothingChecked,
            130 => ExitCode::Interrupted,
            143 => ExitCode::Terminated,
            _ => ExitCode::Unusable,
        }
    }

    /// Ok when nothing blocks, else Blocking.
    pub fn blocking_if(blocking: bool) -> ExitCode {
        if blocking {
            ExitCode::Blocking
        } else {
            ExitCode::Ok
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        match exit {
            Exit::Finished => ExitCode::Ok,
            // The apply screen's result: apply stops only with 1 (refused, failed) or 2.
            Exit::Applied(code) => ExitCode::from_code(code),
            Exit::Cancelled => ExitCode::Blocking,
            Exit::Interrupted => ExitCode::Interrupted,
            Exit::Terminated => ExitCode::Terminated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ExitCode;
    use crate::wizard::Exit;

    #[test]
    fn the_numbers_stay_as_documented_and_agree_with_the_wizard() {
        let all = [
            ExitCode::Ok,
            ExitCode::Blocking,
            ExitCode::Unusable,
            ExitCode::NothingChecked,
            ExitCode::Interrupted,
            ExitCode::Terminated,
        ];
        let numbers: Vec<i32> = all.iter().map(|c| c.code()).collect();
        assert_eq!(numbers, [0, 1, 2, 3, 130, 143]);
        for c in all {
            assert_eq!(ExitCode::from_code(c.code()), c);
        }
        assert_eq!(ExitCode::from_code(7), ExitCode::Unusable);
        for e in [
            Exit::Finished,
            Exit::Applied(0),
            Exit::Applied(1),
            Exit::Applied(2),
            Exit::Cancelled,
            Exit::Interrupted,
            Exit::Terminated,
        ] {
            assert_eq!(ExitCode::from(e).code(), e.code());
        }
    }
}
