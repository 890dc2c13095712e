//! Rate limits per client IP (the `governor` crate's keyed GCRA limiters): browsing, placing
//! orders and chatting with the bartender each have their own budget. The client IP is the TCP
//! peer; `X-Forwarded-For` is believed only when the peer is a trusted proxy
//! (`BARBACK_TRUSTED_PROXIES`), and then only up to the first address that is not one.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http::HeaderMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
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
    /// Proxies whose `X-Forwarded-For` is believed (`BARBACK_TRUSTED_PROXIES`): IPs or CIDRs.
    pub trusted_proxies: Vec<IpNet>,
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
            trusted_proxies: Vec::new(),
        }
    }
}

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

    fn forget_idle(&self) {
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
}
