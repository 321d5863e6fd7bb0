//! TLS end to end on loopback: `accredit serve --tls-cert --tls-key` with a certificate made at
//! run time by a private CA (rcgen), `accredit login --ca-cert` trusting that CA for later
//! syncs, a client without the CA refusing the hub, plain HTTP refused off loopback on both
//! sides, and nothing sent when it is.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use accredit::sync::{HubClient, SyncError};

use crate::support::{HubProcess, accredit, demo_hub_db, judgement_rows, stderr, stdout};

/// A private CA and a hub certificate it signed for 127.0.0.1 and localhost, as PEM files.
struct Pki {
    _dir: tempfile::TempDir,
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn pki() -> Pki {
    let dir = tempfile::tempdir().expect("temporary folder");
    let ca_key = rcgen::KeyPair::generate().expect("a CA key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "Accreditation office test CA");
    ca_params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
    let ca_cert = ca_params.self_signed(&ca_key).expect("self-sign the CA");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let hub_key = rcgen::KeyPair::generate().expect("a hub key");
    let mut hub_params =
        rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).expect("hub parameters");
    hub_params.distinguished_name.push(rcgen::DnType::CommonName, "accredit hub");
    let hub_cert = hub_params.signed_by(&hub_key, &issuer).expect("sign the hub's certificate");
    let write = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write a PEM file");
        path
    };
    let ca = write("ca.pem", ca_cert.pem());
    let cert = write("hub.crt", hub_cert.pem());
    let key = write("hub.key", hub_key.serialize_pem());
    Pki { _dir: dir, ca, cert, key }
}

fn tls_args(pki: &Pki) -> Vec<OsString> {
    vec!["--tls-cert".into(), pki.cert.clone().into(), "--tls-key".into(), pki.key.clone().into()]
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = accredit(dir, args);
    (output.status.code(), stdout(&output), stderr(&output))
}

#[test]
fn a_sync_over_tls_with_a_private_ca_works_end_to_end() {
    let pki = pki();
    let hub_dir = tempfile::tempdir().expect("temporary folder");
    let (db, tokens) = demo_hub_db(hub_dir.path());
    let hub = HubProcess::start_with(&db, "127.0.0.1:0", &tls_args(&pki)).expect("start the TLS hub");
    assert!(hub.url.starts_with("https://127.0.0.1:"), "{}", hub.url);

    let work = tempfile::tempdir().expect("a data folder");
    let dir = work.path();
    let ca = pki.ca.to_str().unwrap();
    let (code, out, err) = run(dir, &["login", "--server", &hub.url, "--token", &tokens["u-demo"], "--ca-cert", ca]);
    assert_eq!(code, Some(0), "login over TLS:\n{out}\n{err}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("credentials.json")).unwrap()).unwrap();
    assert_eq!(saved["ca_cert"].as_str(), Some(ca), "the CA's path is stored for later syncs: {saved}");

    // Later verbs find the CA in the credentials on their own.
    let (code, out, err) = run(dir, &["sync"]);
    assert_eq!(code, Some(0), "sync over TLS:\n{out}\n{err}");
    assert!(out.starts_with(&format!("synced with {}", hub.url)), "{out}");
    let (code, out, err) =
        run(dir, &["judge", "S-2026-021", "SET-DEMO 2.1", "--outcome", "met", "--rationale", "Met, over TLS."]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    let (code, out, err) = run(dir, &["sync"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.contains("pushed 1 (applied 1)"), "{out}");
    let rows = judgement_rows(&rusqlite::Connection::open(&db).unwrap());
    assert!(rows.iter().any(|r| r.reviewer == "u-demo" && r.rationale == "Met, over TLS."), "{rows:?}");

    // The library client, told of the CA, talks to the hub too.
    let client = HubClient::with_ca(&hub.url, &tokens["u-demo"], &pki.ca).expect("a client trusting the CA");
    assert_eq!(client.me().expect("who am I, over TLS").id, "u-demo");
}

#[test]
fn a_client_without_the_private_ca_refuses_the_hub() {
    let pki = pki();
    let hub_dir = tempfile::tempdir().expect("temporary folder");
    let (db, tokens) = demo_hub_db(hub_dir.path());
    let hub = HubProcess::start_with(&db, "127.0.0.1:0", &tls_args(&pki)).expect("start the TLS hub");

    match HubClient::new(&hub.url, &tokens["u-demo"]).me() {
        Err(e @ SyncError::Untrusted { .. }) => {
            let message = e.to_string();
            assert!(message.contains("--ca-cert"), "the message says what to do: {message}");
            assert!(!e.is_offline(), "an untrusted hub is not an offline one");
        }
        other => panic!("a hub signed by an unknown CA must be refused, got {other:?}"),
    }
    // Through the command line: login fails and stores nothing.
    let work = tempfile::tempdir().expect("a data folder");
    let (code, _, err) = run(work.path(), &["login", "--server", &hub.url, "--token", &tokens["u-demo"]]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("could not be verified") && err.contains("--ca-cert"), "{err}");
    assert!(!work.path().join("credentials.json").exists());
    // A CA file that is no certificate is named in the error.
    let (code, _, err) = run(
        work.path(),
        &["login", "--server", &hub.url, "--token", &tokens["u-demo"], "--ca-cert", pki.key.to_str().unwrap()],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("hub.key") && err.contains("no PEM certificate"), "{err}");
}

#[test]
fn plain_http_to_another_machine_is_refused_before_anything_is_sent() {
    let token = "ab".repeat(32);
    // `.invalid` never resolves (RFC 6761): had the client tried to connect, the error would be
    // "cannot be reached", not this refusal.
    for server in ["http://hub.invalid:8080", "http://hub.invalid"] {
        match HubClient::new(server, &token).me() {
            Err(SyncError::Insecure { reason, .. }) => {
                assert!(reason.contains("https://") && reason.contains("hub.invalid"), "{reason}")
            }
            other => panic!("{server}: plain http off loopback must be refused, got {other:?}"),
        }
    }
    for server in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9", "https://hub.invalid"] {
        assert_eq!(accredit::sync::check_server(server), Ok(()), "{server}");
    }
    for server in ["http://192.0.2.10:8080", "http://[2001:db8::1]:8080", "http://10.0.0.5", "ftp://127.0.0.1"] {
        assert!(accredit::sync::check_server(server).is_err(), "{server}");
    }

    let work = tempfile::tempdir().expect("a data folder");
    let (code, _, err) = run(work.path(), &["login", "--server", "http://hub.invalid:8080", "--token", &token]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("unencrypted") && err.contains("https://"), "{err}");
    assert!(!err.contains(&token), "{err}");
}

#[test]
fn the_hub_serves_plain_http_off_loopback_only_when_told_and_names_the_flags() {
    let hub_dir = tempfile::tempdir().expect("temporary folder");
    let (db, _) = demo_hub_db(hub_dir.path());
    let db = db.to_str().unwrap();
    // Refused before anything is bound or opened.
    let (code, _, err) = run(hub_dir.path(), &["serve", "--listen", "0.0.0.0:0", "--db", db]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("--tls-cert FILE --tls-key FILE") && err.contains("--plain-http"), "{err}");
    // Half a TLS configuration is a usage error.
    let (code, _, err) = run(hub_dir.path(), &["serve", "--listen", "127.0.0.1:0", "--db", db, "--tls-cert", "x.pem"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--tls-key"), "{err}");
    // A certificate file that is not one is named.
    let bogus = hub_dir.path().join("bogus.pem");
    std::fs::write(&bogus, "not a certificate").unwrap();
    let bogus = bogus.to_str().unwrap();
    let (code, _, err) =
        run(hub_dir.path(), &["serve", "--listen", "127.0.0.1:0", "--db", db, "--tls-cert", bogus, "--tls-key", bogus]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("bogus.pem"), "{err}");
}
