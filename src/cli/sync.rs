//! `accredit login` and `accredit sync`.

use std::path::Path;

use color_eyre::eyre::{Result, WrapErr, bail};

use accredit::paths::DataDir;
use accredit::store::Store;
use accredit::sync::{Credentials, HubClient, SyncError};

/// `accredit login`: checks the token with the hub (over TLS checked against `ca_cert`, a
/// private CA, when given) and stores the server, the token and the CA's path.
pub fn login(data_dir: &DataDir, server: &str, token: &str, ca_cert: Option<&Path>) -> Result<()> {
    if !(server.starts_with("http://") || server.starts_with("https://")) {
        bail!("--server takes the hub's URL, like https://hub.example.org or http://127.0.0.1:8080");
    }
    // Kept as an absolute path: later syncs may run from another folder.
    let ca_cert = ca_cert
        .map(|path| std::path::absolute(path).wrap_err_with(|| format!("cannot resolve --ca-cert {}", path.display())))
        .transpose()?;
    let client = match &ca_cert {
        Some(ca) => HubClient::with_ca(server, token, ca)?,
        None => HubClient::new(server, token),
    };
    let (user, organisation) = client.me_and_organisation().wrap_err_with(|| format!("cannot log in to {server}"))?;
    let path = data_dir.cache();
    let store = Store::open(&path).wrap_err_with(|| format!("cannot open the cache {}", path.display()))?;
    if store.meta("kind")?.as_deref() == Some("demo") {
        bail!("{} holds the demo; log in with its own --data-dir", data_dir.root().display());
    }
    match store.me()? {
        Some(owner) if owner != user.id => {
            bail!("this cache belongs to {owner}, and the token is {}'s; use another --data-dir for them", user.id)
        }
        Some(_) => {}
        None => store.set_meta("me", &user.id)?,
    }
    if let Some(organisation) = organisation {
        store.set_meta(accredit::store::ORGANISATION_KEY, &organisation)?;
    }
    Credentials {
        server: client.server().to_string(),
        token: token.trim().to_string(),
        user: user.id.clone(),
        ca_cert,
    }
    .save(&data_dir.credentials())?;
    println!("logged in to {} as {} ({}); run `accredit sync` to fetch your work", client.server(), user.name, user.id);
    Ok(())
}

/// The token, asked for on the terminal without echo, or read from standard input's first line.
pub fn read_token() -> Result<String> {
    use std::io::{BufRead, IsTerminal, Read, Write};
    let stdin = std::io::stdin();
    let token = if stdin.is_terminal() {
        eprint!("Token (from your accreditation office; not shown as you type): ");
        std::io::stderr().flush()?;
        let token = read_hidden_line()?;
        eprintln!();
        token
    } else {
        let mut line = String::new();
        stdin.lock().take(4096).read_line(&mut line)?;
        line
    };
    let token = token.trim().to_string();
    if token.is_empty() {
        bail!("no token was given; paste the token the accreditation office sent you");
    }
    Ok(token)
}

/// A line typed on the terminal with echo off (raw mode), restored however it ends.
fn read_hidden_line() -> Result<String> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal;
    struct Restore;
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = terminal::disable_raw_mode();
        }
    }
    terminal::enable_raw_mode()?;
    let _restore = Restore;
    let mut line = String::new();
    loop {
        let Event::Key(key) = event::read()? else { continue };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        match key.code {
            KeyCode::Enter => return Ok(line),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => bail!("cancelled"),
            KeyCode::Esc => bail!("cancelled"),
            KeyCode::Backspace => {
                line.pop();
            }
            KeyCode::Char(c) if line.len() < 4096 => line.push(c),
            _ => {}
        }
    }
}

/// The hub client for this data folder's credentials.
pub fn client(data_dir: &DataDir) -> Result<(HubClient, Credentials), SyncError> {
    let credentials = Credentials::load(&data_dir.credentials())?.ok_or(SyncError::NotLoggedIn)?;
    Ok((credentials.client()?, credentials))
}

pub fn sync(data_dir: &DataDir, store: &mut Store) -> Result<()> {
    let (client, credentials) = client(data_dir)?;
    let me = store.me()?.unwrap_or_default();
    if me != credentials.user {
        bail!("this cache belongs to {me}, but the credentials are {}'s; log in again", credentials.user);
    }
    match accredit::sync::sync(store, &client, &me) {
        Ok(summary) => {
            println!("synced with {}: {summary}", client.server());
            if summary.conflicts + summary.rejected > 0 {
                println!("open `accredit` and the Sync screen (y) to settle them: both texts are kept");
            }
            // After the summary is out: nothing is lost if it cannot (a later commit does it).
            if let Err(e) = store.checkpoint() {
                tracing::warn!(error = %e, "could not checkpoint the cache after a sync");
            }
            Ok(())
        }
        Err(e) => {
            let _ = store.log_sync("error", &e.to_string());
            Err(e.into())
        }
    }
}
