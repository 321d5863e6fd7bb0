//! The hub's limits over real loopback HTTP, spoken byte by byte so that nothing in a client
//! library hides what the hub answers: failed authentication throttled per client address
//! (429 with `Retry-After`, logged with the address and never the token), request heads too
//! large (431), and a body declared too large refused before it is read (413). Every answer is
//! the contract's JSON error.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};

use crate::support::{DEADLINE, HubProcess, TestHub, demo_hub_db};

/// One answer as it came off the wire.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The `code` of the contract's `{"error": {"code", "message"}}`.
    fn error_code(&self) -> String {
        let json: serde_json::Value = serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("the {} answer is not JSON ({e}): {:?}", self.status, self.body));
        json["error"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {}", self.body)).to_string()
    }
}

/// A connection to `to` from the loopback address `from` (all of 127.0.0.0/8 is this machine),
/// so one test can be several clients.
fn connect_from(from: IpAddr, to: SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build().expect("a runtime to connect");
    let stream = runtime
        .block_on(async {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.bind(SocketAddr::new(from, 0))?;
            socket.connect(to).await?.into_std()
        })
        .unwrap_or_else(|e| panic!("connect from {from} to {to}: {e}"));
    stream.set_nonblocking(false).expect("a blocking stream");
    stream.set_read_timeout(Some(DEADLINE)).expect("a read timeout");
    stream
}

/// Sends `head` (the request line and headers, without the blank line) and `body`, and reads
/// the whole answer (the request asks the hub to close the connection after it).
fn exchange(from: IpAddr, to: SocketAddr, head: &str, body: &[u8]) -> Answer {
    let mut stream = connect_from(from, to);
    stream.write_all(format!("{head}\r\nHost: {to}\r\nConnection: close\r\n\r\n").as_bytes()).expect("send the head");
    stream.write_all(body).expect("send the body");
    let mut raw = Vec::new();
    // The hub may close while a refused body is still unsent; what it answered is all read.
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status in {text:?}"));
    Answer { status, head: head.to_string(), body: body.to_string() }
}

fn me(from: IpAddr, to: SocketAddr, token: &str) -> Answer {
    exchange(from, to, &format!("GET /api/v1/me HTTP/1.1\r\nAuthorization: Bearer {token}"), b"")
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("an address")
}

#[test]
fn failed_authentication_is_throttled_per_address_and_logged_with_the_address_never_the_token() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (db, tokens) = demo_hub_db(dir.path());
    let hub = HubProcess::start(&db, "127.0.0.1:0").expect("start the hub");
    let attacker = ip("127.0.0.2");
    // Well-formed, so that the hub looks it up; a secret as far as the log is concerned.
    let guess = "5ec7e7".repeat(10) + "0bad";
    let burst = accredit::hub::throttle::Policy::default().burst;

    for i in 0..burst {
        let answer = me(attacker, hub.addr, &guess);
        assert_eq!(answer.status, 401, "guess {i} is answered as unknown: {answer:?}");
        assert_eq!(answer.error_code(), "unauthorized");
    }
    let throttled = me(attacker, hub.addr, &guess);
    assert_eq!(throttled.status, 429, "{throttled:?}");
    assert_eq!(throttled.error_code(), "throttled");
    let wait: u64 = throttled
        .header("retry-after")
        .unwrap_or_else(|| panic!("no Retry-After: {throttled:?}"))
        .parse()
        .expect("Retry-After in seconds");
    assert!(wait >= 1, "{wait}");
    // While throttled, the address's tokens are not looked at, good or bad: guessing is no use.
    assert_eq!(me(attacker, hub.addr, &tokens["u-rev1"]).status, 429);

    // Other addresses are not held back: a good token works, a wrong one is only 401.
    let good = me(ip("127.0.0.1"), hub.addr, &tokens["u-rev1"]);
    assert_eq!(good.status, 200, "{good:?}");
    assert!(good.body.contains("u-rev1"), "{}", good.body);
    assert_eq!(me(ip("127.0.0.3"), hub.addr, &guess).status, 401);

    // Many users behind one address (an office's NAT) signing in at once are never throttled:
    // only failures count.
    let office = ip("127.0.0.4");
    let answers: Vec<u16> = std::thread::scope(|scope| {
        let signing_in: Vec<_> = (0..3 * burst)
            .map(|i| {
                let token = &tokens[["u-rev1", "u-rev2", "u-chair"][i as usize % 3]];
                scope.spawn(move || me(office, hub.addr, token).status)
            })
            .collect();
        signing_in.into_iter().map(|t| t.join().expect("a sign-in")).collect()
    });
    assert!(answers.iter().all(|s| *s == 200), "{answers:?}");

    let log = hub.log();
    assert!(log.contains("authentication failed") && log.contains("127.0.0.2"), "the log names the address:\n{log}");
    assert!(log.contains("refused for"), "the log says when the address is throttled:\n{log}");
    assert!(log.contains("WARN"), "failures are warnings:\n{log}");
    for (what, secret) in [("the guessed token", guess.as_str()), ("a real token", tokens["u-rev1"].as_str())] {
        assert!(!log.contains(secret), "the log holds {what}:\n{log}");
    }
}

#[test]
fn a_request_head_over_the_limits_is_answered_431_as_json() {
    let hub = TestHub::demo();
    let token = hub.token("u-rev1").to_string();
    let local = ip("127.0.0.1");
    let auth = format!("GET /api/v1/me HTTP/1.1\r\nAuthorization: Bearer {token}");

    let fine = exchange(local, hub.addr, &auth, b"");
    assert_eq!(fine.status, 200, "{fine:?}");

    let many: String =
        (0..accredit::hub::http::limits::MAX_HEADERS + 1).map(|i| format!("\r\nX-Filler-{i}: x")).collect();
    let answer = exchange(local, hub.addr, &format!("{auth}{many}"), b"");
    assert_eq!(answer.status, 431, "{answer:?}");
    assert_eq!(answer.error_code(), "headers_too_large");

    let long = "v".repeat(accredit::hub::http::limits::MAX_HEADER_BYTES + 1);
    let answer = exchange(local, hub.addr, &format!("{auth}\r\nX-Long: {long}"), b"");
    assert_eq!(answer.status, 431, "{answer:?}");
    assert_eq!(answer.error_code(), "headers_too_large");
    assert!(answer.body.contains("at most"), "the message gives the limits: {}", answer.body);

    // Past hyper's own limits the parser answers before the hub sees the request: still 431.
    let huge = "v".repeat(accredit::hub::http::limits::HYPER_MAX_HEADER_BYTES + 1);
    let answer = exchange(local, hub.addr, &format!("{auth}\r\nX-Huge: {huge}"), b"");
    assert_eq!(answer.status, 431, "{answer:?}");
}

#[test]
fn a_body_declared_over_the_limit_is_refused_413_before_it_is_sent() {
    let hub = TestHub::demo();
    let token = hub.token("u-rev1").to_string();
    let declared = accredit::wire::MAX_BODY_BYTES * 20;
    // Only the head is sent: a hub that waited for the body would answer 408 after its timeout.
    let answer = exchange(
        ip("127.0.0.1"),
        hub.addr,
        &format!(
            "POST /api/v1/ops HTTP/1.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {declared}"
        ),
        b"",
    );
    assert_eq!(answer.status, 413, "{answer:?}");
    assert_eq!(answer.error_code(), "too_large");
    assert!(answer.body.contains(&accredit::wire::MAX_BODY_BYTES.to_string()), "{}", answer.body);
}

/// Behind a TLS proxy (`accredit serve --trusted-proxy`), failed sign-ins are throttled per
/// client as the proxy's `X-Forwarded-For` names it, not for everyone behind the proxy; from an
/// address not trusted, the header changes nothing.
#[test]
fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_allowance() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (db, tokens) = demo_hub_db(dir.path());
    let proxy = ip("127.0.0.5");
    let hub = HubProcess::start_with(&db, "127.0.0.1:0", &["--trusted-proxy".into(), "127.0.0.5".into()])
        .expect("start the hub");
    let guess = "5ec7e7".repeat(10) + "0bad";
    let burst = accredit::hub::throttle::Policy::default().burst;
    let via_proxy = |client: &str, token: &str| {
        exchange(
            proxy,
            hub.addr,
            &format!("GET /api/v1/me HTTP/1.1\r\nAuthorization: Bearer {token}\r\nX-Forwarded-For: {client}"),
            b"",
        )
    };
    for _ in 0..burst {
        assert_eq!(via_proxy("192.0.2.66", &guess).status, 401);
    }
    assert_eq!(via_proxy("192.0.2.66", &guess).status, 429, "the guessing client is held back");
    let colleague = via_proxy("192.0.2.10", &tokens["u-rev1"]);
    assert_eq!(colleague.status, 200, "another client behind the same proxy is not: {colleague:?}");

    // Not from the trusted proxy: the header is the client's own claim and is ignored.
    let liar = ip("127.0.0.6");
    for _ in 0..burst {
        let claim = format!("GET /api/v1/me HTTP/1.1\r\nAuthorization: Bearer {guess}\r\nX-Forwarded-For: 192.0.2.1");
        assert_eq!(exchange(liar, hub.addr, &claim, b"").status, 401);
    }
    let next = format!("GET /api/v1/me HTTP/1.1\r\nAuthorization: Bearer {guess}\r\nX-Forwarded-For: 192.0.2.99");
    assert_eq!(exchange(liar, hub.addr, &next, b"").status, 429, "a new claimed address buys no new allowance");
}
