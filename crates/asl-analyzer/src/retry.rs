//! The retry model, shared by the retry rules, the cost estimate and the editor's hover.
//!
//! A retrier waits `IntervalSeconds × BackoffRate^(n−1)` before its n-th retry, capped by
//! `MaxDelaySeconds`, and retries at most `MaxAttempts` times. Attempt counters are kept per
//! retrier, so in the worst case a state entered once runs `1 + Σ MaxAttempts` times: each
//! retrier can be exhausted by its own errors in turn (spec §4.1). A Map or Parallel retry reruns
//! every iteration or branch, so attempts multiply through nesting.

use asl_syntax::Property;
use asl_syntax::ast::{Machine, Retrier, ScopeKind, State, StateId};

/// `IntervalSeconds` when absent.
pub const DEFAULT_INTERVAL: f64 = 1.0;
/// `MaxAttempts` when absent.
pub const DEFAULT_MAX_ATTEMPTS: u64 = 3;
/// `BackoffRate` when absent.
pub const DEFAULT_BACKOFF: f64 = 2.0;

/// One retrier with its defaults applied. A field whose value is not a number (a JSONata
/// expression, a placeholder, a typo) takes its default: checking values is ASL012's business.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The index of the retrier in `Retry`.
    pub index: usize,
    pub max_attempts: u64,
    pub interval: f64,
    pub backoff: f64,
    pub max_delay: Option<f64>,
    /// `JitterStrategy: FULL`: each wait is drawn from `[0, wait]`.
    pub jitter: bool,
    /// Whether `MaxAttempts` is written as a number (else it is the default or unknown).
    pub attempts_written: bool,
}

fn number(p: Option<&Property>) -> Option<f64> {
    p.and_then(|p| p.value.as_f64()).filter(|n| n.is_finite())
}

impl Policy {
    pub fn of(index: usize, r: &Retrier<'_>) -> Policy {
        let attempts = number(r.fields.max_attempts).filter(|n| *n >= 0.0);
        Policy {
            index,
            // Saturating float-to-int conversion; the field's maximum is 99,999,999.
            max_attempts: attempts.map_or(DEFAULT_MAX_ATTEMPTS, |n| n as u64),
            interval: number(r.fields.interval_seconds)
                .filter(|n| *n >= 0.0)
                .unwrap_or(DEFAULT_INTERVAL),
            backoff: number(r.fields.backoff_rate)
                .filter(|n| *n >= 1.0)
                .unwrap_or(DEFAULT_BACKOFF),
            max_delay: number(r.fields.max_delay_seconds).filter(|n| *n > 0.0),
            jitter: r.fields.jitter_strategy.and_then(|p| p.value.as_str()) == Some("FULL"),
            attempts_written: attempts.is_some(),
        }
    }

    /// Every retrier of a state.
    pub fn all(state: &State<'_>) -> Vec<Policy> {
        state
            .retriers
            .iter()
            .enumerate()
            .map(|(i, r)| Policy::of(i, r))
            .collect()
    }

    /// The wait before retry `n` (1-based), before jitter.
    pub fn wait_before(&self, n: u64) -> f64 {
        let exponent = i32::try_from(n.saturating_sub(1)).unwrap_or(i32::MAX);
        let wait = self.interval * self.backoff.powi(exponent);
        match self.max_delay {
            Some(cap) => wait.min(cap),
            None => wait,
        }
    }

    /// The waits before the first `limit` retries.
    pub fn schedule(&self, limit: u64) -> Vec<f64> {
        (1..=self.max_attempts.min(limit))
            .map(|n| self.wait_before(n))
            .collect()
    }

    /// The longest single wait: the one before the last retry (0 when it never retries).
    pub fn largest_wait(&self) -> f64 {
        if self.max_attempts == 0 {
            0.0
        } else {
            self.wait_before(self.max_attempts)
        }
    }

    /// The sum of every wait when all retries happen (infinite when it overflows).
    pub fn total_wait(&self) -> f64 {
        let m = self.max_attempts as f64;
        let (i, b) = (self.interval, self.backoff);
        if self.max_attempts == 0 || i == 0.0 {
            return 0.0;
        }
        if b == 1.0 {
            return m * self.max_delay.map_or(i, |cap| i.min(cap));
        }
        // The number of retries before the cap is reached: the first k with i·b^k ≥ cap.
        let uncapped = match self.max_delay {
            Some(cap) if cap <= i => 0.0,
            Some(cap) => ((cap / i).ln() / b.ln()).ceil().min(m),
            None => m,
        };
        let geometric = i * (b.powf(uncapped) - 1.0) / (b - 1.0);
        let capped = (m - uncapped) * self.max_delay.unwrap_or(0.0);
        geometric + capped
    }
}

/// How many times a state can run for one entry: `1 + Σ MaxAttempts` over its retriers.
pub fn attempts(state: &State<'_>) -> u64 {
    Policy::all(state)
        .iter()
        .fold(1u64, |acc, p| acc.saturating_add(p.max_attempts))
}

/// One factor of a state's worst-case attempts: the state itself or an enclosing Map/Parallel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factor {
    pub state: StateId,
    /// `1 + Σ MaxAttempts` of that state's retriers.
    pub attempts: u64,
}

/// The worst-case number of times `state` runs per entry of its top-level ancestor: the product
/// of [`attempts`] over the state and every enclosing Map or Parallel (a Map or Parallel retry
/// reruns every iteration or branch). Returns the product (saturating) and the factors above 1,
/// innermost first.
pub fn worst_case(machine: &Machine<'_>, state: &State<'_>) -> (u64, Vec<Factor>) {
    let mut factors = Vec::new();
    let mut product = 1u64;
    let mut current = Some(state);
    while let Some(s) = current {
        let a = attempts(s);
        product = product.saturating_mul(a);
        if a > 1 {
            factors.push(Factor {
                state: s.id,
                attempts: a,
            });
        }
        current = machine
            .scope(s.scope)
            .and_then(|scope| match scope.kind {
                ScopeKind::Root => None,
                ScopeKind::Branch { parent, .. } | ScopeKind::Processor { parent, .. } => {
                    Some(parent)
                }
            })
            .and_then(|parent| machine.state(parent));
    }
    (product, factors)
}

/// One year (365 days), in seconds: the longest a Standard execution runs (spec §9).
const YEAR: f64 = 31_536_000.0;

/// A duration for messages: `90 s`, `2.5 h`, `3.1 days`; anything longer than a year is
/// `over a year` (no execution lasts that long, and `1.7e29 years` tells a reader nothing more).
/// The one helper every message and hover that shows a duration uses.
pub fn human_duration(seconds: f64) -> String {
    if seconds.is_nan() {
        return "an unknown time".to_owned();
    }
    let trim = |v: f64| {
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
    };
    if seconds < 120.0 {
        format!("{} s", trim(seconds.max(0.0) + 0.0))
    } else if seconds < 7200.0 {
        format!("{} min", trim(seconds / 60.0))
    } else if seconds < 172_800.0 {
        format!("{} h", trim(seconds / 3600.0))
    } else if seconds <= YEAR {
        format!("{} days", trim(seconds / 86_400.0))
    } else {
        "over a year".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(attempts: u64, interval: f64, backoff: f64, cap: Option<f64>) -> Policy {
        Policy {
            index: 0,
            max_attempts: attempts,
            interval,
            backoff,
            max_delay: cap,
            jitter: false,
            attempts_written: true,
        }
    }

    fn brute_total(p: &Policy) -> f64 {
        (1..=p.max_attempts).map(|n| p.wait_before(n)).sum()
    }

    #[test]
    fn schedule_follows_the_backoff_and_the_cap() {
        let p = policy(5, 2.0, 3.0, Some(20.0));
        assert_eq!(p.schedule(10), vec![2.0, 6.0, 18.0, 20.0, 20.0]);
        assert_eq!(p.largest_wait(), 20.0);
        assert_eq!(p.total_wait(), 66.0);
        assert_eq!(policy(0, 5.0, 2.0, None).total_wait(), 0.0);
        assert_eq!(policy(0, 5.0, 2.0, None).largest_wait(), 0.0);
    }

    #[test]
    fn closed_form_total_matches_the_sum() {
        for attempts in [1, 2, 3, 7, 20] {
            for interval in [1.0, 3.0, 0.5] {
                for backoff in [1.0, 1.5, 2.0, 3.0] {
                    for cap in [None, Some(0.25), Some(4.0), Some(100.0)] {
                        let p = policy(attempts, interval, backoff, cap);
                        let (a, b) = (p.total_wait(), brute_total(&p));
                        assert!((a - b).abs() <= 1e-6 * b.max(1.0), "{p:?}: {a} vs {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn huge_attempts_do_not_loop_or_overflow() {
        let p = policy(99_999_999, 1.0, 1.0, None);
        assert_eq!(p.total_wait(), 99_999_999.0);
        let p = policy(99_999_999, 1.0, 2.0, None);
        assert!(p.total_wait().is_infinite());
        let p = policy(99_999_999, 1.0, 2.0, Some(60.0));
        assert!((p.total_wait() - (63.0 + (99_999_999.0 - 6.0) * 60.0)).abs() < 1.0);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(45.0), "45 s");
        assert_eq!(human_duration(5400.0), "90 min");
        assert_eq!(human_duration(36_000.0), "10 h");
        assert_eq!(human_duration(864_000.0), "10 days");
        assert_eq!(human_duration(31_536_000.0), "365 days");
        assert_eq!(human_duration(31_536_001.0), "over a year");
        assert_eq!(human_duration(5.0 * 2f64.powi(99)), "over a year");
        assert_eq!(human_duration(f64::INFINITY), "over a year");
        assert_eq!(human_duration(f64::NAN), "an unknown time");
        assert_eq!(human_duration(-0.0), "0 s");
    }

    #[test]
    fn a_backoff_past_a_year_reads_over_a_year() {
        let text = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
  "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}],
  "Retry": [{"ErrorEquals": ["States.BranchFailed"], "IntervalSeconds": 5, "MaxAttempts": 100, "BackoffRate": 2}]}}}"#;
        let found: Vec<_> =
            crate::analyze(text, asl_syntax::Dialect::Json, &crate::Options::default())
                .into_iter()
                .filter(|d| d.code() == "ASL208")
                .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "state `P`: `Retry[0]` waits over a year before its last retry (5 s × 2^99); add `\"MaxDelaySeconds\"` (e.g. 3600) or lower `MaxAttempts` or `BackoffRate`"
        );
    }
}
