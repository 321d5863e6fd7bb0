//! Throttled authentication: each client address may fail to authenticate a few times at once
//! and then about once every few seconds; past that it is answered 429 with `Retry-After`
//! until its allowance grows back. Pure bookkeeping: the clock comes in as an argument, so the
//! tests drive time without sleeping.
//!
//! The allowance is a leaky bucket kept as one instant per address (GCRA): `full_at`, when the
//! address's allowance will be whole again. Each failure moves it one `refill` later; a request
//! is refused while the allowance left is under one whole try. Only failures are counted, after
//! the token was checked: many users behind one address (an office's NAT or proxy) signing in
//! at once are never refused for being many. So guesses already in flight when the limit is
//! reached still get their 401, one each: a bounded overshoot, once.
//!
//! A success does not clear earlier failures: otherwise a holder of one valid token could
//! interleave it with guesses at others' and never be throttled.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::time::{Duration, Instant};

/// How much failure an address is allowed, and how many addresses are remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures an address may make at once before it is throttled.
    pub burst: u32,
    /// How long one failure takes to be forgiven (so the sustained rate is one per `refill`).
    pub refill: Duration,
    /// The most addresses remembered; past that the one nearest to being forgiven is forgotten.
    pub capacity: usize,
}

impl Default for Policy {
    /// Ten failures at once, then one every six seconds (ten a minute); 10,000 addresses (about
    /// a megabyte at most).
    fn default() -> Policy {
        Policy { burst: 10, refill: Duration::from_secs(6), capacity: 10_000 }
    }
}

/// Whom an attempt is counted against: a client address, IPv6 by its /64 (one host usually holds
/// a whole /64, so counting each address apart would give it billions of allowances), or one
/// shared bucket for requests that came without an address (in-process tests; a hub behind a
/// proxy that is not told the client's address would also put everyone in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    Address(IpAddr),
    Unknown,
}

impl Client {
    pub fn of(address: Option<IpAddr>) -> Client {
        match address.map(|a| a.to_canonical()) {
            None => Client::Unknown,
            Some(IpAddr::V4(v4)) => Client::Address(IpAddr::V4(v4)),
            Some(IpAddr::V6(v6)) => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                Client::Address(IpAddr::V6(Ipv6Addr::from(prefix)))
            }
        }
    }
}

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Client::Address(IpAddr::V6(v6)) => write!(f, "{v6}/64"),
            Client::Address(v4) => write!(f, "{v4}"),
            Client::Unknown => f.write_str("an unknown address"),
        }
    }
}

/// The failed-authentication allowance of every address seen lately.
#[derive(Debug)]
pub struct Throttle {
    policy: Policy,
    full_at: HashMap<Client, Instant>,
}

impl Throttle {
    pub fn new(policy: Policy) -> Throttle {
        Throttle { policy, full_at: HashMap::new() }
    }

    /// How many addresses are remembered.
    pub fn len(&self) -> usize {
        self.full_at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.full_at.is_empty()
    }

    /// Whether `client` may try to authenticate now, or how long it must wait.
    pub fn check(&self, client: Client, now: Instant) -> Result<(), Duration> {
        self.blocked_for(client, now).map_or(Ok(()), Err)
    }

    /// Counts one failed authentication against `client`.
    pub fn failed(&mut self, client: Client, now: Instant) {
        if !self.full_at.contains_key(&client) && self.full_at.len() >= self.policy.capacity {
            self.make_room(now);
        }
        let full_at = self.full_at.entry(client).or_insert(now);
        *full_at = (*full_at).max(now) + self.policy.refill;
    }

    /// `check`, and when allowed, `failed`: one failed attempt, as the tests drive it.
    #[cfg(test)]
    fn attempt(&mut self, client: Client, now: Instant) -> Result<(), Duration> {
        self.check(client, now)?;
        self.failed(client, now);
        Ok(())
    }

    /// How long `client` must wait before another attempt is allowed, if it must.
    pub fn blocked_for(&self, client: Client, now: Instant) -> Option<Duration> {
        let owed = self.full_at.get(&client)?.saturating_duration_since(now);
        // Allowed while at least one whole try is left: what is owed is at most burst − 1 tries.
        let limit = self.policy.refill * self.policy.burst.saturating_sub(1);
        (owed > limit).then(|| owed - limit)
    }

    /// Tries left to `client` before it is throttled.
    pub fn remaining(&self, client: Client, now: Instant) -> u32 {
        let Some(full_at) = self.full_at.get(&client) else { return self.policy.burst };
        let owed = full_at.saturating_duration_since(now);
        let owed_tries = owed.as_nanos().div_ceil(self.policy.refill.as_nanos().max(1));
        self.policy.burst.saturating_sub(u32::try_from(owed_tries).unwrap_or(u32::MAX))
    }

    /// Forgets every address whose allowance is whole (it carries no information); if none is,
    /// forgets the one nearest to being whole.
    fn make_room(&mut self, now: Instant) {
        self.full_at.retain(|_, full_at| *full_at > now);
        if self.full_at.len() >= self.policy.capacity
            && let Some(nearest) = self.full_at.iter().min_by_key(|(_, full_at)| **full_at).map(|(c, _)| *c)
        {
            self.full_at.remove(&nearest);
        }
    }
}

/// `Retry-After` in whole seconds, rounded up so that a client waiting that long is let in.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    wait.as_nanos().div_ceil(1_000_000_000).max(1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy { burst: 3, refill: Duration::from_secs(10), capacity: 4 }
    }

    fn addr(text: &str) -> Client {
        Client::of(Some(text.parse().unwrap()))
    }

    /// Fails `n` attempts from `client` at `now`.
    fn fail(throttle: &mut Throttle, client: Client, now: Instant, n: u32) {
        for i in 0..n {
            throttle.attempt(client, now).unwrap_or_else(|w| panic!("attempt {i} refused ({w:?})"));
        }
    }

    #[test]
    fn an_address_may_fail_burst_times_and_then_waits_one_refill() {
        let t0 = Instant::now();
        let mut throttle = Throttle::new(policy());
        let a = addr("192.0.2.7");
        assert_eq!(throttle.remaining(a, t0), 3);
        fail(&mut throttle, a, t0, 3);
        assert_eq!(throttle.remaining(a, t0), 0);
        assert_eq!(throttle.attempt(a, t0), Err(Duration::from_secs(10)));
        // Refused attempts are not charged: the wait only shrinks with time.
        assert_eq!(throttle.attempt(a, t0 + Duration::from_secs(4)), Err(Duration::from_secs(6)));
        assert_eq!(throttle.attempt(a, t0 + Duration::from_secs(10)), Ok(()));
        assert!(throttle.attempt(a, t0 + Duration::from_secs(10)).is_err(), "one try came back, and was used");
        // After burst × refill of quiet the whole allowance is back.
        let later = t0 + Duration::from_secs(50);
        assert_eq!(throttle.remaining(a, later), 3);
        fail(&mut throttle, a, later, 3);
    }

    #[test]
    fn the_sustained_rate_is_one_failure_per_refill() {
        let t0 = Instant::now();
        let mut throttle = Throttle::new(policy());
        let a = addr("192.0.2.7");
        let mut allowed = 0;
        // An attacker trying every second for 100 seconds.
        for second in 0..100 {
            if throttle.attempt(a, t0 + Duration::from_secs(second)).is_ok() {
                allowed += 1;
            }
        }
        // The burst, then one per 10 s (at 10, 20, …, 90 once the burst is spent).
        assert_eq!(allowed, 3 + 9, "allowed {allowed}");
    }

    #[test]
    fn other_addresses_are_not_held_back_by_one_address_failing() {
        let t0 = Instant::now();
        let mut throttle = Throttle::new(policy());
        fail(&mut throttle, addr("192.0.2.7"), t0, 3);
        assert!(throttle.attempt(addr("192.0.2.7"), t0).is_err());
        assert_eq!(throttle.attempt(addr("192.0.2.8"), t0), Ok(()));
        assert_eq!(throttle.attempt(Client::Unknown, t0), Ok(()));
    }

    #[test]
    fn checking_costs_nothing_and_successes_forgive_no_failures() {
        let t0 = Instant::now();
        let mut throttle = Throttle::new(policy());
        let a = addr("192.0.2.7");
        // Any number of users behind one address sign in at once: only failures count.
        for _ in 0..1000 {
            throttle.check(a, t0).unwrap();
        }
        assert_eq!(throttle.remaining(a, t0), 3);
        assert!(throttle.is_empty(), "a whole allowance is not remembered");
        // Two failures, a success (a check), then the last failure allowed: nothing was cleared.
        fail(&mut throttle, a, t0, 2);
        throttle.check(a, t0).unwrap();
        fail(&mut throttle, a, t0, 1);
        assert!(throttle.check(a, t0).is_err(), "interleaving a good token does not reset the count");
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_prefix_and_mapped_ipv4_as_ipv4() {
        assert_eq!(addr("2001:db8:1:2::1"), addr("2001:db8:1:2:ffff::9"));
        assert_ne!(addr("2001:db8:1:2::1"), addr("2001:db8:1:3::1"));
        assert_eq!(addr("::ffff:192.0.2.7"), addr("192.0.2.7"));
        assert_eq!(addr("2001:db8:1:2::1").to_string(), "2001:db8:1:2::/64");
        assert_eq!(addr("192.0.2.7").to_string(), "192.0.2.7");
        assert_eq!(Client::of(None), Client::Unknown);
    }

    #[test]
    fn the_table_is_capped_forgetting_whole_allowances_first_then_the_nearest_to_whole() {
        let t0 = Instant::now();
        let mut throttle = Throttle::new(policy());
        let clients: Vec<Client> = (1..=4).map(|i| addr(&format!("192.0.2.{i}"))).collect();
        // .1 failed once long ago (whole again by t0 + 30 s); .2–.4 fail three times at t0 + 30 s.
        fail(&mut throttle, clients[0], t0, 1);
        let now = t0 + Duration::from_secs(30);
        for c in &clients[1..] {
            fail(&mut throttle, *c, now, 3);
        }
        assert_eq!(throttle.len(), 4);
        // A fifth address: the whole one (.1) is forgotten, the throttled ones are kept.
        fail(&mut throttle, addr("192.0.2.5"), now, 1);
        assert_eq!(throttle.len(), 4);
        assert!(clients[1..].iter().all(|c| throttle.blocked_for(*c, now).is_some()));
        // A sixth: nothing is whole, so the nearest to whole (.5, one failure) goes.
        fail(&mut throttle, addr("192.0.2.6"), now, 1);
        assert_eq!(throttle.len(), 4);
        assert_eq!(throttle.remaining(addr("192.0.2.5"), now), 3, "forgotten");
        // Thousands of addresses never grow the table past its cap.
        for i in 0..5000u32 {
            let a = Client::of(Some(IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i))));
            let _ = throttle.attempt(a, now);
        }
        assert_eq!(throttle.len(), 4);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_seconds(Duration::from_secs(6)), 6);
        assert_eq!(retry_after_seconds(Duration::from_millis(6001)), 7);
        assert_eq!(retry_after_seconds(Duration::ZERO), 1);
    }
}
