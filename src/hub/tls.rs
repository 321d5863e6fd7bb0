//! The hub's TLS (rustls with ring: no OpenSSL, no C build beyond ring's own): the certificate
//! chain and key an operator gives `accredit serve --tls-cert FILE --tls-key FILE`, and the
//! rule for when plain HTTP may be served instead.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)")]
    NoCertificate { path: PathBuf },
    #[error("{path} holds no PEM private key (PKCS#8, PKCS#1 or SEC1)")]
    NoKey { path: PathBuf },
    #[error("{path} is not valid PEM: {detail}")]
    BadPem { path: PathBuf, detail: String },
    #[error("the certificate and key cannot be used together: {0}")]
    Rejected(#[from] rustls::Error),
    #[error(
        "plain HTTP is served only on loopback, and {0} is not: give --tls-cert FILE --tls-key FILE, \
         or --plain-http if a TLS proxy in front of the hub terminates TLS"
    )]
    PlainOffLoopback(SocketAddr),
}

/// Whether the hub may listen on `addr` without TLS: on loopback always (nothing leaves the
/// machine), elsewhere only when the operator says a TLS proxy is in front (`--plain-http`).
pub fn check_plain_http(addr: SocketAddr, plain_http: bool) -> Result<(), TlsError> {
    if addr.ip().is_loopback() || plain_http { Ok(()) } else { Err(TlsError::PlainOffLoopback(addr)) }
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read { path: path.to_path_buf(), source })
}

/// The certificates of a PEM file, in order (the server's first, then its chain).
pub fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = read(path)?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::BadPem { path: path.to_path_buf(), detail: e.to_string() })?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate { path: path.to_path_buf() });
    }
    Ok(certs)
}

fn private_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let pem = read(path)?;
    PrivateKeyDer::from_pem_slice(&pem).map_err(|e| match e {
        rustls::pki_types::pem::Error::NoItemsFound => TlsError::NoKey { path: path.to_path_buf() },
        e => TlsError::BadPem { path: path.to_path_buf(), detail: e.to_string() },
    })
}

/// The server side of TLS from a certificate chain and its key, HTTP/1.1 only (the hub speaks
/// nothing else).
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let chain = certificates(cert)?;
    let key = private_key(key)?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_allowed_on_loopback_and_elsewhere_only_when_asked() {
        for addr in ["127.0.0.1:8080", "127.0.0.2:1", "[::1]:8080"] {
            check_plain_http(addr.parse().unwrap(), false).unwrap_or_else(|e| panic!("{addr}: {e}"));
        }
        for addr in ["0.0.0.0:8080", "192.0.2.10:443", "[::]:8080"] {
            let error = check_plain_http(addr.parse().unwrap(), false).expect_err(addr).to_string();
            assert!(error.contains("--tls-cert FILE --tls-key FILE") && error.contains("--plain-http"), "{error}");
            check_plain_http(addr.parse().unwrap(), true).expect("--plain-http allows it");
        }
    }

    #[test]
    fn files_that_are_not_a_certificate_or_key_are_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "nothing here\n").unwrap();
        let error = server_config(&empty, &empty).unwrap_err();
        assert!(matches!(error, TlsError::NoCertificate { .. }), "{error}");
        assert!(error.to_string().contains("empty.pem"), "{error}");
        let missing = dir.path().join("missing.pem");
        let error = server_config(&missing, &missing).unwrap_err();
        assert!(matches!(error, TlsError::Read { .. }), "{error}");
    }
}
