//! The exit status, decided here and nowhere else.
//!
//! | status | meaning |
//! |---|---|
//! | 0 | no error-level findings (warnings and infos alone exit 0), or `--exit-zero` |
//! | 1 | at least one error-level finding (a file that is not valid JSON is one), or more warnings than `--max-warnings` |
//! | 2 | a usage error, a path that cannot be read, a fixed file that cannot be written, or an internal error; wins over 1 and over `--exit-zero` |
//!
//! `check --diff` exits 1 when a file would change, else 0 (2 as above).

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

/// What the `check` flags say about failing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// `--exit-zero`: findings never fail the run.
    pub exit_zero: bool,
    /// `--max-warnings N`: more than N warnings fail the run.
    pub max_warnings: Option<usize>,
}

/// Whether `warnings` exceeds `--max-warnings`.
pub fn too_many_warnings(warnings: usize, max_warnings: Option<usize>) -> bool {
    max_warnings.is_some_and(|max| warnings > max)
}

impl ExitStatus {
    /// The status of a `check` run: `errors` and `warnings` count findings, `failures` the
    /// paths that could not be read (and internal errors).
    pub fn of_check(
        errors: usize,
        warnings: usize,
        failures: usize,
        policy: &Policy,
    ) -> ExitStatus {
        if failures > 0 {
            ExitStatus::Error
        } else if (errors > 0 || too_many_warnings(warnings, policy.max_warnings))
            && !policy.exit_zero
        {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    }

    /// The status of a `check --diff` run: 1 when a file would change, 2 when a path failed.
    pub fn of_diff(changes: bool, failures: usize) -> ExitStatus {
        if failures > 0 {
            ExitStatus::Error
        } else if changes {
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
        let plain = Policy::default();
        let zero = Policy {
            exit_zero: true,
            ..Policy::default()
        };
        assert_eq!(ExitStatus::of_check(0, 0, 0, &plain), ExitStatus::Success);
        assert_eq!(ExitStatus::of_check(3, 0, 0, &plain), ExitStatus::Failure);
        assert_eq!(ExitStatus::of_check(3, 0, 0, &zero), ExitStatus::Success);
        assert_eq!(ExitStatus::of_check(3, 0, 1, &plain), ExitStatus::Error);
        assert_eq!(ExitStatus::of_check(0, 0, 1, &zero), ExitStatus::Error);
    }

    #[test]
    fn diff() {
        assert_eq!(ExitStatus::of_diff(false, 0), ExitStatus::Success);
        assert_eq!(ExitStatus::of_diff(true, 0), ExitStatus::Failure);
        assert_eq!(ExitStatus::of_diff(true, 1), ExitStatus::Error);
    }

    #[test]
    fn max_warnings() {
        let max = |n| Policy {
            max_warnings: Some(n),
            ..Policy::default()
        };
        assert_eq!(
            ExitStatus::of_check(0, 5, 0, &Policy::default()),
            ExitStatus::Success
        );
        assert_eq!(ExitStatus::of_check(0, 5, 0, &max(5)), ExitStatus::Success);
        assert_eq!(ExitStatus::of_check(0, 6, 0, &max(5)), ExitStatus::Failure);
        assert_eq!(ExitStatus::of_check(0, 1, 0, &max(0)), ExitStatus::Failure);
        let zero = Policy {
            exit_zero: true,
            ..max(0)
        };
        assert_eq!(ExitStatus::of_check(0, 1, 0, &zero), ExitStatus::Success);
    }
}
