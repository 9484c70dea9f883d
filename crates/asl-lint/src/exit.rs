//! The exit status, decided here and nowhere else.
//!
//! | status | meaning |
//! |---|---|
//! | 0 | no error-level findings (warnings and infos alone exit 0), or `--exit-zero` |
//! | 1 | at least one error-level finding (a file that is not valid JSON is one) |
//! | 2 | a usage error, a path that cannot be read, or an internal error; wins over 1 and over `--exit-zero` |

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// 0: nothing to fail on.
    Success,
    /// 1: error-level findings.
    Failure,
    /// 2: the run itself went wrong (usage, IO, internal error).
    Error,
}

impl ExitStatus {
    /// The status of a `check` run.
    pub fn of_check(error_findings: usize, failures: usize, exit_zero: bool) -> ExitStatus {
        if failures > 0 {
            ExitStatus::Error
        } else if error_findings > 0 && !exit_zero {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    }

    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_win() {
        assert_eq!(ExitStatus::of_check(0, 0, false), ExitStatus::Success);
        assert_eq!(ExitStatus::of_check(3, 0, false), ExitStatus::Failure);
        assert_eq!(ExitStatus::of_check(3, 0, true), ExitStatus::Success);
        assert_eq!(ExitStatus::of_check(3, 1, false), ExitStatus::Error);
        assert_eq!(ExitStatus::of_check(0, 1, true), ExitStatus::Error);
    }
}
