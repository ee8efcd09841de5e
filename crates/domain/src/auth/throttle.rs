use jiff::{SignedDuration, Timestamp};

/// Sign-in throttling: after `max_failures` failures within `window`, the
/// key (an account or a client address) is locked for `lock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    /// Failures allowed in a window.
    pub max_failures: u32,
    /// How long failures are counted together.
    pub window: SignedDuration,
    /// How long a key stays locked.
    pub lock: SignedDuration,
}

impl Default for ThrottleRule {
    /// Ten failures in 15 minutes lock for 15 minutes.
    fn default() -> Self {
        Self {
            max_failures: 10,
            window: SignedDuration::from_mins(15),
            lock: SignedDuration::from_mins(15),
        }
    }
}

/// How sign-in failures are counted, so that guessing is slow but nobody
/// can lock someone else out (ADR 0015). Each failure counts under three
/// keys:
/// - the account from this address: a few failures lock that pair only —
///   the guesser, not the owner elsewhere;
/// - the address: many failures (password spraying over accounts) lock the
///   address, but not for a browser that signed in to this account before;
/// - the account: failures from many addresses (a botnet) put the account
///   in a protected mode where only a browser that signed in to it before
///   may try.
///
/// A refused attempt is not counted: an attacker's hundredth try weighs no
/// more than their fifth. A known browser's failures count under its own
/// key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInThrottle {
    /// This account from this address.
    pub pair: ThrottleRule,
    /// This address, whatever the account.
    pub address: ThrottleRule,
    /// This account, whatever the address.
    pub account: ThrottleRule,
    /// This known browser.
    pub device: ThrottleRule,
}

impl Default for SignInThrottle {
    /// 5 for a pair, 100 for an address (a hospital behind one NAT), 20 for
    /// an account, 10 for a known browser, each in 15 minutes, locking 15.
    fn default() -> Self {
        let rule = |max_failures| ThrottleRule {
            max_failures,
            ..ThrottleRule::default()
        };
        Self {
            pair: rule(5),
            address: rule(100),
            account: rule(20),
            device: rule(10),
        }
    }
}

/// The stored state of one key's counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInCounter {
    /// Failures in the current window.
    pub failures: u32,
    /// When the current window began.
    pub window_started_at: Timestamp,
    /// Until when the key is locked, if it is.
    pub locked_until: Option<Timestamp>,
}

impl ThrottleRule {
    /// True when the key may not try now.
    pub fn is_locked(&self, counter: Option<&SignInCounter>, now: Timestamp) -> bool {
        counter
            .and_then(|c| c.locked_until)
            .is_some_and(|until| now < until)
    }

    /// The counter after a failure at `now`.
    pub fn after_failure(&self, counter: Option<&SignInCounter>, now: Timestamp) -> SignInCounter {
        let fresh = SignInCounter {
            failures: 0,
            window_started_at: now,
            locked_until: None,
        };
        let current = match counter {
            Some(c)
                if now.duration_since(c.window_started_at) < self.window
                    && !self.lock_expired(c, now) =>
            {
                *c
            }
            _ => fresh,
        };
        let failures = current.failures + 1;
        SignInCounter {
            failures,
            window_started_at: current.window_started_at,
            locked_until: (failures >= self.max_failures)
                .then(|| now.saturating_add(self.lock).unwrap_or(now))
                .or(current.locked_until),
        }
    }

    fn lock_expired(&self, counter: &SignInCounter, now: Timestamp) -> bool {
        counter.locked_until.is_some_and(|until| now >= until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_lock_for_a_while() {
        let rule = ThrottleRule::default();
        let start: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        let mut counter = None;
        for i in 0..10 {
            assert!(!rule.is_locked(counter.as_ref(), start), "attempt {i}");
            counter =
                Some(rule.after_failure(counter.as_ref(), start + SignedDuration::from_secs(i)));
        }
        assert!(rule.is_locked(counter.as_ref(), start + SignedDuration::from_mins(5)));
        assert!(!rule.is_locked(counter.as_ref(), start + SignedDuration::from_mins(16)));
        let after = rule.after_failure(counter.as_ref(), start + SignedDuration::from_mins(16));
        assert_eq!(after.failures, 1, "a new window after the lock");
    }

    #[test]
    fn failures_spread_out_do_not_lock() {
        let rule = ThrottleRule::default();
        let mut at: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        let mut counter = None;
        for _ in 0..30 {
            counter = Some(rule.after_failure(counter.as_ref(), at));
            at += SignedDuration::from_mins(2);
        }
        assert!(!rule.is_locked(counter.as_ref(), at));
    }
}
