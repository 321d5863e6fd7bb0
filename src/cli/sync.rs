//! `accredit login` and `accredit sync`.

use color_eyre::eyre::{Result, WrapErr, bail};

use accredit::paths::DataDir;
use accredit::store::Store;
use accredit::sync::{Credentials, HubClient, SyncError};

pub fn login(data_dir: &DataDir, server: &str, token: &str) -> Result<()> {
    if !(server.starts_with("http://") || server.starts_with("https://")) {
        bail!("--server takes the hub's URL, like https://hub.example.org or http://127.0.0.1:8080");
    }
    let client = HubClient::new(server, token);
    let user = client.me().wrap_err_with(|| format!("cannot log in to {server}"))?;
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
    Credentials { server: client.server().to_string(), token: token.trim().to_string(), user: user.id.clone() }
        .save(&data_dir.credentials())?;
    println!("logged in to {} as {} ({}); run `accredit sync` to fetch your work", client.server(), user.name, user.id);
    Ok(())
}

/// The token, asked for without echo on a terminal, else the first line of standard input, so it
/// need not be on the command line (where other users and the shell history see it).
pub fn read_token() -> Result<String> {
    use std::io::{BufRead, IsTerminal};
    let stdin = std::io::stdin();
    let token = if stdin.is_terminal() {
        prompt_without_echo("token: ").wrap_err("cannot read the token from the terminal")?
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).wrap_err("cannot read the token from standard input")?;
        line
    };
    let token = token.trim().to_string();
    if token.is_empty() {
        bail!(
            "no token given: paste the token the hub's office gave you, or pipe it in (`accredit login --server URL < token.txt`)"
        );
    }
    Ok(token)
}

/// Reads one line from the terminal in raw mode, so what is typed is not shown.
fn prompt_without_echo(prompt: &str) -> Result<String> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal;
    use std::io::Write;
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    terminal::enable_raw_mode()?;
    let read = (|| -> Result<String> {
        let mut text = String::new();
        loop {
            if let Event::Key(key) = event::read()? {
                if key.kind != KeyEventKind::Press {
                    continue;
                }
                match key.code {
                    KeyCode::Enter => return Ok(text),
                    KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => bail!("login cancelled"),
                    KeyCode::Esc => bail!("login cancelled"),
                    KeyCode::Backspace => {
                        text.pop();
                    }
                    KeyCode::Char(c) => text.push(c),
                    _ => {}
                }
            }
        }
    })();
    let _ = terminal::disable_raw_mode();
    eprintln!();
    read
}

/// The hub client for this data folder's credentials.
pub fn client(data_dir: &DataDir) -> Result<(HubClient, Credentials), SyncError> {
    let credentials = Credentials::load(&data_dir.credentials())?.ok_or(SyncError::NotLoggedIn)?;
    Ok((HubClient::new(&credentials.server, &credentials.token), credentials))
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
            Ok(())
        }
        Err(e) => {
            let _ = store.log_sync("error", &e.to_string());
            Err(e.into())
        }
    }
}
