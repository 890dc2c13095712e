//! Password guessing on the host's sign-in: failures are counted per client address and per
//! username. After a handful from one client (or many more for one username, from anywhere),
//! further tries wait, longer each time, and are answered 429 with `Retry-After` without checking
//! the password at all; a successful sign-in clears its client's and its username's count. Password
//! checks (argon2id, 19 MiB each) run a few at a time, so a burst cannot take the blocking pool.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failures a client may make before it has to wait.
pub const FREE_PER_CLIENT: u32 = 5;
/// Failures a username may collect (from every client together) before every try waits.
pub const FREE_PER_USERNAME: u32 = 20;
/// The longest wait for a client, and for a username (kept short: its owner waits too).
const MAX_CLIENT_WAIT: Duration = Duration::from_secs(15 * 60);
const MAX_USERNAME_WAIT: Duration = Duration::from_secs(60);
/// Counts not touched for this long are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(3600);
/// Password checks at once.
const CHECKS_AT_ONCE: usize = 2;
/// How long a sign-in waits for its turn to check before the bar says it is busy.
const CHECK_QUEUE_WAIT: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Client(IpAddr),
    Username(String),
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    /// No try is checked before this.
    locked_until: Option<Instant>,
    last: Instant,
}

#[derive(Clone, Debug)]
pub struct SignInGuard {
    failures: Arc<Mutex<HashMap<Key, Failures>>>,
    checks: Arc<tokio::sync::Semaphore>,
}

impl Default for SignInGuard {
    fn default() -> Self {
        SignInGuard {
            failures: Arc::default(),
            checks: Arc::new(tokio::sync::Semaphore::new(CHECKS_AT_ONCE)),
        }
    }
}

/// The wait after `count` failures when `free` are allowed: none, then 1 s, 2 s, 4 s… up to `max`.
fn wait_after(count: u32, free: u32, max: Duration) -> Option<Duration> {
    let over = count.checked_sub(free)?;
    let secs = 1u64.checked_shl(over.min(30)).unwrap_or(u64::MAX);
    Some(Duration::from_secs(secs).min(max))
}

fn username_key(username: &str) -> Key {
    Key::Username(username.trim().to_lowercase())
}

impl SignInGuard {
    /// `Err(wait)` if `client` or `username` must wait before trying again.
    pub fn may_try(&self, client: Option<IpAddr>, username: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let keys = client
            .map(Key::Client)
            .into_iter()
            .chain([username_key(username)]);
        let wait = keys
            .filter_map(|key| failures.get(&key)?.locked_until)
            .filter_map(|until| until.checked_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max();
        wait.map_or(Ok(()), Err)
    }

    /// Counts a failed try; the wait it brings, if any.
    pub fn failed(&self, client: Option<IpAddr>, username: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > 10_000 {
            failures.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
        }
        let mut longest = None;
        let keys = client
            .map(|ip| (Key::Client(ip), FREE_PER_CLIENT, MAX_CLIENT_WAIT))
            .into_iter()
            .chain([(username_key(username), FREE_PER_USERNAME, MAX_USERNAME_WAIT)]);
        for (key, free, max) in keys {
            let entry = failures.entry(key).or_insert(Failures {
                count: 0,
                locked_until: None,
                last: now,
            });
            if now.duration_since(entry.last) >= FORGET_AFTER {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
            if let Some(wait) = wait_after(entry.count, free, max) {
                entry.locked_until = Some(now + wait);
                longest = longest.max(Some(wait));
            }
        }
        longest
    }

    /// A successful sign-in: its client and username start afresh.
    pub fn succeeded(&self, client: Option<IpAddr>, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(ip) = client {
            failures.remove(&Key::Client(ip));
        }
        failures.remove(&username_key(username));
    }

    /// A turn to check a password, or `None` if too many are waiting already.
    pub async fn turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        tokio::time::timeout(CHECK_QUEUE_WAIT, self.checks.clone().acquire_owned())
            .await
            .ok()?
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_the_free_tries_and_double_up_to_a_cap() {
        assert_eq!(
            wait_after(5, 5, MAX_CLIENT_WAIT),
            Some(Duration::from_secs(1))
        );
        assert_eq!(wait_after(4, 5, MAX_CLIENT_WAIT), None);
        assert_eq!(
            wait_after(7, 5, MAX_CLIENT_WAIT),
            Some(Duration::from_secs(4))
        );
        assert_eq!(wait_after(400, 5, MAX_CLIENT_WAIT), Some(MAX_CLIENT_WAIT));
    }

    #[test]
    fn a_client_waits_after_a_handful_of_failures_and_others_do_not() {
        let guard = SignInGuard::default();
        let me: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..FREE_PER_CLIENT - 1 {
            assert!(guard.may_try(Some(me), "host").is_ok());
            assert_eq!(guard.failed(Some(me), "host"), None);
        }
        assert!(guard.failed(Some(me), "Host ").is_some());
        assert!(
            guard.may_try(Some(me), "someone-else").is_err(),
            "per client"
        );
        assert!(
            guard.may_try(Some(other), "host").is_ok(),
            "per client, not per name yet"
        );
        guard.succeeded(Some(me), "host");
        assert!(guard.may_try(Some(me), "host").is_ok());
    }

    #[test]
    fn a_username_tried_from_many_clients_waits_too() {
        let guard = SignInGuard::default();
        for i in 0..FREE_PER_USERNAME {
            let client = IpAddr::from([198, 51, 100, i as u8]);
            guard.failed(Some(client), "host");
        }
        let fresh: IpAddr = "203.0.113.9".parse().unwrap();
        let wait = guard.may_try(Some(fresh), "HOST").unwrap_err();
        assert!(wait <= MAX_USERNAME_WAIT);
        assert!(guard.may_try(Some(fresh), "another").is_ok());
    }
}
