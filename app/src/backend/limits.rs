//! Rate limits per client IP (the `governor` crate's keyed GCRA limiters): browsing, placing
//! orders and chatting with the bartender each have their own budget. The client IP is the TCP
//! peer; `X-Forwarded-For` is believed only when the peer is a trusted proxy
//! (`BARBACK_TRUSTED_PROXIES`), and then only up to the first address that is not one.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http::HeaderMap;
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A sustained rate and a burst.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub per_second: u32,
    pub burst: u32,
}

#[derive(Clone, Debug)]
pub struct LimitsConfig {
    /// Every request (pages, files, the API): 100/s, bursts of 200.
    pub browse: Rate,
    /// Order placement: 50/s, bursts of 100.
    pub orders: Rate,
    /// Messages to the bartender: 5/s, bursts of 20 (each also counts against the guest's hourly
    /// budget, which is what keeps model costs down).
    pub chat: Rate,
    /// Tries at joining the party per client address per 10 minutes
    /// (`BARBACK_JOINS_PER_10_MIN`): one invite cannot mint guests from one phone without end.
    pub joins_per_10_min: u32,
    /// Proxies whose `X-Forwarded-For` is believed (`BARBACK_TRUSTED_PROXIES`): IPs or CIDRs.
    pub trusted_proxies: Vec<IpNet>,
    pub connections: ConnectionLimits,
}

pub const DEFAULT_JOINS_PER_10_MIN: u32 = 10;

/// Limits on connections and live streams, so that sockets which never finish a request, or
/// streams nobody reads, cannot use the server up: the rate limits only ever see whole requests.
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    /// Open connections at most (`BARBACK_MAX_CONNECTIONS`); further ones are closed at once.
    pub max_open: usize,
    /// Open connections from one client address (`BARBACK_MAX_CONNECTIONS_PER_CLIENT`). A trusted
    /// proxy is not held to it: it carries many clients.
    pub per_client: usize,
    /// A request's head must arrive within this, and an idle keep-alive connection closes after it.
    pub header_timeout: Duration,
    /// A request must be answered (its head sent) within this; streamed bodies may go on.
    pub request_timeout: Duration,
    /// A photo upload (its body is read before the answer) may take this long.
    pub upload_timeout: Duration,
    /// Live streams (`/events`) one session may keep open at once.
    pub streams_per_session: usize,
    /// How often a live stream checks that its session still holds.
    pub session_check: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_open: 4096,
            per_client: 256,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(300),
            streams_per_session: 8,
            session_check: Duration::from_secs(30),
        }
    }
}

impl ConnectionLimits {
    /// The answer time allowed for a request.
    pub fn time_for(&self, method: &http::Method, path: &str) -> Duration {
        if method == http::Method::PUT && path.starts_with("/uploads/") {
            self.upload_timeout
        } else {
            self.request_timeout
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            browse: Rate {
                per_second: 100,
                burst: 200,
            },
            orders: Rate {
                per_second: 50,
                burst: 100,
            },
            chat: Rate {
                per_second: 5,
                burst: 20,
            },
            joins_per_10_min: DEFAULT_JOINS_PER_10_MIN,
            trusted_proxies: Vec::new(),
            connections: ConnectionLimits::default(),
        }
    }
}

impl LimitsConfig {
    /// Whether the peer `ip` is a trusted proxy.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(ip))
    }
}

/// A wait as whole seconds for `Retry-After`: rounded up, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// The client address a request came from (after `X-Forwarded-For` from trusted proxies), put
/// into the request's extensions by the rate limiter for handlers that count per client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Which budget a request draws from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Browse,
    Order,
    Chat,
}

#[derive(Clone, Debug)]
pub struct Limits {
    browse: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    orders: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    chat: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    joins: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    trusted: Vec<IpNet>,
    checks: Arc<AtomicU64>,
}

fn limiter(rate: Rate) -> Arc<DefaultKeyedRateLimiter<IpAddr>> {
    let per_second = NonZeroU32::new(rate.per_second.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(rate.burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Arc::new(RateLimiter::keyed(
        Quota::per_second(per_second).allow_burst(burst),
    ))
}

impl Limits {
    pub fn new(config: &LimitsConfig) -> Self {
        Limits {
            browse: limiter(config.browse),
            orders: limiter(config.orders),
            chat: limiter(config.chat),
            joins: {
                let per_10_min =
                    NonZeroU32::new(config.joins_per_10_min.max(1)).unwrap_or(NonZeroU32::MIN);
                let period = Duration::from_secs(600) / per_10_min.get();
                let quota = Quota::with_period(period)
                    .unwrap_or(Quota::per_second(NonZeroU32::MIN))
                    .allow_burst(per_10_min);
                Arc::new(RateLimiter::keyed(quota))
            },
            trusted: config.trusted_proxies.clone(),
            checks: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Takes one request from the budgets of `class` (every request also browses). `Err` is how
    /// long to wait.
    pub fn check(&self, ip: IpAddr, class: Class) -> Result<(), Duration> {
        // Now and then, forget clients not seen for a while, so memory stays bounded.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 10_000 == 9_999 {
            self.forget_idle();
        }
        let wait = |limiter: &DefaultKeyedRateLimiter<IpAddr>| {
            limiter.check_key(&ip).map_err(|not_until| {
                not_until.wait_time_from(governor::clock::Clock::now(
                    &governor::clock::DefaultClock::default(),
                ))
            })
        };
        wait(&self.browse)?;
        match class {
            Class::Browse => Ok(()),
            Class::Order => wait(&self.orders),
            Class::Chat => wait(&self.chat),
        }
    }

    /// Takes one try at joining from `ip`'s budget. `Err` is how long to wait.
    pub fn check_join(&self, ip: IpAddr) -> Result<(), Duration> {
        self.joins.check_key(&ip).map_err(|not_until| {
            not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ))
        })
    }

    fn forget_idle(&self) {
        self.joins.retain_recent();
        self.browse.retain_recent();
        self.orders.retain_recent();
        self.chat.retain_recent();
    }

    /// The client's address: the peer, or (behind trusted proxies) the last untrusted address
    /// in `X-Forwarded-For`.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusted.iter().any(|net| net.contains(peer)) {
            return peer;
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|ip| ip.trim().parse().ok())
            .collect();
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !self.trusted.iter().any(|net| net.contains(*ip)))
            .unwrap_or(peer)
    }
}

/// An IP network: `10.0.0.0/8`, `::1/128`, or a single address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("not an IP address: {text:?}"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("bad prefix length in {text:?}"))?,
            None => max,
        };
        Ok(IpNet { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// `BARBACK_TRUSTED_PROXIES`: comma-separated IPs or CIDRs.
pub fn parse_trusted_proxies(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(IpNet::parse)
        .collect()
}

/// Places held per key, each key up to a cap: open connections per client, live streams per
/// session. A place is given back when its `Slot` is dropped.
#[derive(Debug)]
pub struct Slots<K> {
    held: Arc<Mutex<HashMap<K, usize>>>,
}

impl<K> Default for Slots<K> {
    fn default() -> Self {
        Slots {
            held: Arc::default(),
        }
    }
}

impl<K> Clone for Slots<K> {
    fn clone(&self) -> Self {
        Slots {
            held: self.held.clone(),
        }
    }
}

/// One held place.
#[derive(Debug)]
pub struct Slot<K: std::hash::Hash + Eq> {
    key: K,
    held: Arc<Mutex<HashMap<K, usize>>>,
}

impl<K: std::hash::Hash + Eq + Clone> Slots<K> {
    /// A place for `key`, unless it holds `cap` (at least 1) already.
    pub fn take(&self, key: K, cap: usize) -> Option<Slot<K>> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let count = held.entry(key.clone()).or_default();
        if *count >= cap.max(1) {
            return None;
        }
        *count += 1;
        Some(Slot {
            key,
            held: self.held.clone(),
        })
    }

    /// How many places `key` holds.
    pub fn held(&self, key: &K) -> usize {
        let held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.get(key).copied().unwrap_or_default()
    }
}

impl<K: std::hash::Hash + Eq> Drop for Slot<K> {
    fn drop(&mut self) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = held.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                held.remove(&self.key);
            }
        }
    }
}

/// Counts open connections, overall (the key `None`) and per client address.
pub struct Admission {
    max_open: usize,
    per_client: usize,
    open: Slots<Option<IpAddr>>,
    /// When a refusal was last logged (seconds since the server started), so a flood logs little.
    last_warned: AtomicU64,
    started: std::time::Instant,
}

/// One admitted connection: its places are given back when it is dropped.
pub struct Ticket {
    _overall: Slot<Option<IpAddr>>,
    _client: Option<Slot<Option<IpAddr>>>,
}

impl Admission {
    pub fn new(limits: &ConnectionLimits) -> Self {
        Admission {
            max_open: limits.max_open,
            per_client: limits.per_client,
            open: Slots::default(),
            last_warned: AtomicU64::new(u64::MAX),
            started: std::time::Instant::now(),
        }
    }

    /// A ticket for a new connection from `client`, unless a cap is reached. A trusted proxy's
    /// connections count only toward the overall cap.
    pub fn admit(&self, client: IpAddr, trusted_proxy: bool) -> Option<Ticket> {
        let Some(overall) = self.open.take(None, self.max_open) else {
            self.refused(
                client,
                "the server has as many connections open as it allows",
            );
            return None;
        };
        let mine = if trusted_proxy {
            None
        } else {
            let Some(mine) = self.open.take(Some(client), self.per_client) else {
                self.refused(client, "this client has as many connections open as it may");
                return None;
            };
            Some(mine)
        };
        Some(Ticket {
            _overall: overall,
            _client: mine,
        })
    }

    fn refused(&self, client: IpAddr, why: &'static str) {
        let now = self.started.elapsed().as_secs();
        if self.last_warned.swap(now, Ordering::Relaxed) != now {
            tracing::warn!(%client, why, "connection refused");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn networks_contain_their_addresses_only() {
        let net = IpNet::parse("10.1.0.0/16").unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(!net.contains(ip("::1")));
        assert!(IpNet::parse("::1").unwrap().contains(ip("::1")));
        assert!(IpNet::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(IpNet::parse("10.0.0.0/33").is_err());
        assert!(
            parse_trusted_proxies("10.0.0.1, 192.168.0.0/24")
                .unwrap()
                .len()
                == 2
        );
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "1.2.3.4, 6.6.6.6, 10.0.0.2".parse().unwrap(),
        );
        let open = Limits::new(&LimitsConfig::default());
        assert_eq!(
            open.client_ip(ip("10.0.0.1"), &headers),
            ip("10.0.0.1"),
            "no proxy is trusted"
        );
        let behind = Limits::new(&LimitsConfig {
            trusted_proxies: parse_trusted_proxies("10.0.0.0/8").unwrap(),
            ..LimitsConfig::default()
        });
        // The client could have written 1.2.3.4 itself; 6.6.6.6 is what our proxy saw.
        assert_eq!(behind.client_ip(ip("10.0.0.1"), &headers), ip("6.6.6.6"));
        assert_eq!(
            behind.client_ip(ip("8.8.8.8"), &headers),
            ip("8.8.8.8"),
            "not from a proxy"
        );
    }

    #[test]
    fn each_class_has_its_own_budget() {
        let limits = Limits::new(&LimitsConfig {
            chat: Rate {
                per_second: 1,
                burst: 2,
            },
            ..LimitsConfig::default()
        });
        let me = ip("192.0.2.1");
        assert!(limits.check(me, Class::Chat).is_ok());
        assert!(limits.check(me, Class::Chat).is_ok());
        let wait = limits.check(me, Class::Chat).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1));
        assert!(
            limits.check(me, Class::Browse).is_ok(),
            "browsing is a separate budget"
        );
        assert!(
            limits.check(ip("192.0.2.2"), Class::Chat).is_ok(),
            "per client"
        );
    }

    #[test]
    fn connections_are_capped_overall_and_per_client_and_given_back() {
        let admission = Admission::new(&ConnectionLimits {
            max_open: 3,
            per_client: 2,
            ..ConnectionLimits::default()
        });
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        let first = admission.admit(one, false).unwrap();
        let _second = admission.admit(one, false).unwrap();
        assert!(admission.admit(one, false).is_none(), "per client");
        let _other = admission.admit(two, false).unwrap();
        assert!(admission.admit(two, false).is_none(), "overall");
        drop(first);
        assert!(admission.admit(one, true).is_some(), "a place came back");
        assert!(admission.open.held(&Some(one)) == 1);
    }

    #[test]
    fn a_trusted_proxy_is_held_to_the_overall_cap_only() {
        let admission = Admission::new(&ConnectionLimits {
            max_open: 10,
            per_client: 1,
            ..ConnectionLimits::default()
        });
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let tickets: Vec<_> = (0..10).map(|_| admission.admit(proxy, true)).collect();
        assert!(tickets.iter().all(Option::is_some));
        assert!(admission.admit(proxy, true).is_none());
    }

    #[test]
    fn a_session_holds_a_few_streams_and_gets_their_places_back() {
        let streams = Slots::<String>::default();
        let first = streams.take("a".into(), 2).unwrap();
        let _second = streams.take("a".into(), 2).unwrap();
        assert!(streams.take("a".into(), 2).is_none());
        assert!(streams.take("b".into(), 2).is_some(), "per session");
        drop(first);
        assert!(streams.take("a".into(), 2).is_some());
    }
}
