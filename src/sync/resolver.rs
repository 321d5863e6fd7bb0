//! The hub's address for the HTTP client, without a thread per request.
//!
//! ureq (3.5) resolves the host before it looks in its pool for a connection, on every
//! request, and with a timeout set (ours are) it resolves on a new thread so that it can stop
//! waiting: one thread made and joined per HTTP request, even when the request then goes out on
//! a kept-alive connection. In the sync benchmark's load phases that thread's `clone3`, stack
//! `mmap`/`munmap` and the TLB shootdowns they send to every core were about a fifth of a load
//! client's CPU time (`perf` over `cargo bench --bench sync -- load`). Here an address written
//! as an IP (`http://127.0.0.1:7878`) needs no lookup at all, and a name is looked up (by
//! ureq's own resolver, with its timeout) once and remembered for `REMEMBERED`.
//!
//! ureq marks its resolver interface as outside semver; Cargo.lock pins the version this is
//! written against.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a name's addresses are used before it is looked up again: short enough that a hub
/// moved to another address is followed within a sync or two, long enough that a sync's burst of
/// requests looks it up once.
const REMEMBERED: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub(super) struct HubResolver<L = DefaultResolver> {
    lookup: L,
    remembered: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

impl HubResolver {
    pub(super) fn new() -> HubResolver {
        HubResolver::default()
    }
}

impl<L: Resolver> HubResolver<L> {
    fn resolve_at(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
        now: Instant,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some(authority) = uri.authority() else { return self.lookup.resolve(uri, config, timeout) };
        let port = authority.port_u16().or_else(|| match uri.scheme_str() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        });
        let Some(port) = port else { return self.lookup.resolve(uri, config, timeout) };
        let host = authority.host();
        if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = format!("{host}:{port}");
        let mut remembered = self.remembered.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((at, addrs)) = remembered.get(&key)
            && now.saturating_duration_since(*at) < REMEMBERED
        {
            return Ok(addrs.clone());
        }
        // Looked up with the lock held: the requests of one client come one after another, and
        // a second caller waiting here would only look the same name up again.
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        remembered.insert(key, (now, addrs.clone()));
        Ok(addrs)
    }
}

impl<L: Resolver> Resolver for HubResolver<L> {
    fn resolve(&self, uri: &Uri, config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.resolve_at(uri, config, timeout, Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, SocketAddrV4};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Answers every name with 192.0.2.7 (or fails, when told to), counting the lookups.
    #[derive(Debug, Default)]
    struct Counting {
        lookups: AtomicUsize,
        fail: bool,
    }

    impl Resolver for Counting {
        fn resolve(&self, uri: &Uri, _: &Config, _: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
            self.lookups.fetch_add(1, Ordering::SeqCst);
            if self.fail {
                return Err(ureq::Error::HostNotFound);
            }
            let mut addrs = self.empty();
            addrs.push(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 7), uri.port_u16().unwrap_or(443))));
            Ok(addrs)
        }
    }

    fn resolve(resolver: &HubResolver<Counting>, url: &str, now: Instant) -> Result<Vec<SocketAddr>, ureq::Error> {
        let uri: Uri = url.parse().expect("a URL");
        Ok(resolver.resolve_at(&uri, &Config::default(), NextTimeout::default(), now)?.to_vec())
    }

    #[test]
    fn an_address_written_as_an_ip_is_used_as_it_is_without_a_lookup() {
        let resolver = HubResolver::<Counting>::default();
        let now = Instant::now();
        assert_eq!(
            resolve(&resolver, "http://127.0.0.1:7878/api/v1/changes", now).unwrap(),
            ["127.0.0.1:7878".parse().unwrap()]
        );
        assert_eq!(resolve(&resolver, "https://[::1]/api/v1/ops", now).unwrap(), ["[::1]:443".parse().unwrap()]);
        assert_eq!(resolve(&resolver, "http://10.1.2.3/", now).unwrap(), ["10.1.2.3:80".parse().unwrap()]);
        assert_eq!(resolver.lookup.lookups.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_name_is_looked_up_once_and_again_once_remembered_too_long() {
        let resolver = HubResolver::<Counting>::default();
        let start = Instant::now();
        let hub: Vec<SocketAddr> = vec!["192.0.2.7:8443".parse().unwrap()];
        for seconds in [0, 1, 29] {
            assert_eq!(
                resolve(
                    &resolver,
                    "https://hub.example.nhs.uk:8443/api/v1/changes",
                    start + Duration::from_secs(seconds)
                )
                .unwrap(),
                hub
            );
        }
        assert_eq!(resolver.lookup.lookups.load(Ordering::SeqCst), 1);
        // Another port of the same name is another address.
        resolve(&resolver, "https://hub.example.nhs.uk/", start).unwrap();
        assert_eq!(resolver.lookup.lookups.load(Ordering::SeqCst), 2);
        assert_eq!(resolve(&resolver, "https://hub.example.nhs.uk:8443/", start + REMEMBERED).unwrap(), hub);
        assert_eq!(resolver.lookup.lookups.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_failed_lookup_is_not_remembered() {
        let resolver = HubResolver { lookup: Counting { fail: true, ..Counting::default() }, ..HubResolver::default() };
        let now = Instant::now();
        for _ in 0..2 {
            assert!(matches!(resolve(&resolver, "https://hub.example.nhs.uk/", now), Err(ureq::Error::HostNotFound)));
        }
        assert_eq!(resolver.lookup.lookups.load(Ordering::SeqCst), 2);
    }
}
