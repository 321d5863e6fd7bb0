//! The command line (README "Command line", docs/architecture.md): parsing, and one module per group of verbs.

mod advice;
mod demo;
mod doctor;
mod exchange;
mod history;
mod hub;
mod panel;
mod review;
mod search;
mod settings;
mod shell;
mod sync;

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use color_eyre::eyre::{Result, WrapErr, bail, eyre};

use accredit::paths::DataDir;
use accredit::store::Store;
use accredit::tui::Settings;

#[derive(Debug, Parser)]
#[command(name = "accredit", version = accredit::build_info::VERSION, about = "A keyboard-first workstation for accreditation panels.", long_about = None)]
#[command(
    after_help = "Examples:\n  accredit demo\n  accredit login --server https://hub.example.org\n  accredit judge S-2026-009 mpf1.6 --outcome met --rationale \"Met on E03 p.4.\"\n\nRun `accredit demo` to try it on the built-in demo data; `accredit doctor` checks your set-up."
)]
pub struct Cli {
    /// Keep the cache, config and log in DIR (for tests and for several profiles).
    #[arg(long, global = true, env = "ACCREDIT_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fill a cache with the built-in demo data (no network) and open the TUI.
    #[command(after_help = "Examples:\n  accredit demo\n  accredit --data-dir /tmp/demo demo --reset")]
    Demo {
        /// Start the demo again from scratch, discarding what was done in it.
        #[arg(long)]
        reset: bool,
    },
    /// Show my assignments, progress and unsynced changes.
    #[command(
        after_help = "Examples:\n  accredit status\n  accredit status --plain\n  accredit status --json | jq '.assignments[0]'"
    )]
    Status {
        /// Print stable, documented JSON (format accredit.status.v1).
        #[arg(long, conflicts_with = "plain")]
        json: bool,
        /// One fact per line, without symbols or columns (for screen readers).
        #[arg(long)]
        plain: bool,
    },
    /// Record my judgement of one standard, as the TUI does (a draft until submitted).
    #[command(
        after_help = "Examples:\n  accredit judge S-2026-014 \"MPF 1.6\" --outcome met\n  accredit judge S-2026-014 \"SET-DEMO 4.1\" --outcome partially-met --rationale-file notes.txt"
    )]
    Judge {
        submission: String,
        /// The standard's code, such as \"MPF 1.6\" (case and spacing are forgiven).
        standard: String,
        #[arg(long, value_enum)]
        outcome: OutcomeArg,
        /// The rationale; without it (or --rationale-file) the rationale already written is kept.
        #[arg(long, conflicts_with = "rationale_file")]
        rationale: Option<String>,
        /// Read the rationale from FILE (`-` for standard input).
        #[arg(long, value_name = "FILE")]
        rationale_file: Option<PathBuf>,
    },
    /// Submit all my judgements for a submission (every gap is listed if any remain).
    #[command(after_help = "Example:\n  accredit submit S-2026-014")]
    Submit { submission: String },
    /// Check a token against the hub and keep it (mode 0600) for `accredit sync`.
    ///
    /// Without --token (or ACCREDIT_TOKEN) the token is asked for, not shown as typed, or read
    /// from standard input when that is not a terminal; either way it stays out of the shell's
    /// history and the process list.
    #[command(
        after_help = "Examples:\n  accredit login --server https://hub.example.org            (asks for the token)\n  accredit login --server https://hub.example.org < token.txt\n  accredit login --server https://hub.example.org --token 6f1c…\n  accredit login --server https://hub.office.internal:8443 --ca-cert office-ca.pem   (a private CA)"
    )]
    Login {
        #[arg(long)]
        server: String,
        #[arg(long, env = "ACCREDIT_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Trust the hub's certificate when signed by this certificate authority (PEM): for a
        /// hub with a private CA. Its path is stored with the credentials for later syncs.
        #[arg(long, value_name = "FILE")]
        ca_cert: Option<PathBuf>,
    },
    /// Full-text search across the evidence pages, narratives and standards I may see.
    #[command(
        after_help = "Examples:\n  accredit search mini-CEX\n  accredit search \"supervision log\" --submission S-2026-014 --json"
    )]
    Search {
        /// The words to find (every word must appear; `word*` finds words starting with it).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only this submission.
        #[arg(long)]
        submission: Option<String>,
        /// Print stable JSON (format accredit.search.v1).
        #[arg(long)]
        json: bool,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Push my unsynced changes, then pull what is new; one line says what happened.
    #[command(after_help = "Example:\n  accredit sync")]
    Sync,
    /// Render the panel report (chair): Markdown, self-contained HTML, JSON, or PDF (through
    /// headless Chromium). DRAFT until pushed; FINAL with the hub's version once it is.
    #[command(
        after_help = "Examples:\n  accredit report S-2026-009\n  accredit report S-2026-009 --audience provider --format pdf --output letter.pdf\n  accredit report S-2026-009 --audience panel --format html --output record.html"
    )]
    Report {
        submission: String,
        #[arg(long, default_value = "md", value_parser = ["md", "html", "json", "pdf"])]
        format: String,
        /// provider: the letter to the university, without the internal appendix; panel: the
        /// panel's record, with it.
        #[arg(long, default_value = "panel", value_parser = ["provider", "panel"])]
        audience: String,
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// The chair's consolidation: panel outcomes, conditions, recommendations, the decision.
    #[command(
        after_help = "Examples:\n  accredit panel outcome S-2026-009 mpf1.4 --outcome met --rationale \"Met on E03 p.4.\"\n  accredit panel check S-2026-009\n  accredit panel push S-2026-009\n  accredit panel confirm S-2026-009   (a member)"
    )]
    Panel {
        #[command(subcommand)]
        command: panel::PanelCommand,
    },
    /// Run the hub.
    #[command(
        after_help = "Examples:\n  accredit serve --listen 0.0.0.0:8443 --tls-cert /etc/accredit/hub.crt --tls-key /etc/accredit/hub.key \\\n      --db /srv/accredit/hub.sqlite\n  accredit serve --listen 127.0.0.1:8080   (plain HTTP, this machine only)\n  accredit serve --listen 10.0.0.5:8080 --plain-http   (behind a TLS proxy)"
    )]
    Serve {
        /// The address to listen on (port 0 picks a free port, printed on start).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// The hub's database (default: hub.sqlite in the data folder).
        #[arg(long)]
        db: Option<PathBuf>,
        /// The hub's certificate chain (PEM, the server's certificate first): serve HTTPS.
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM).
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Serve plain HTTP on an address other than loopback, for a hub behind a TLS proxy.
        #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
        plain_http: bool,
        /// A reverse proxy (its address as the hub sees it) whose X-Forwarded-For names the client,
        /// so failed sign-ins are throttled per client and not per proxy. Repeat for several.
        #[arg(long, value_name = "IP")]
        trusted_proxy: Vec<std::net::IpAddr>,
    },
    /// Administer the hub's database: users, imports, panels.
    #[command(
        after_help = "Examples:\n  accredit hub init\n  accredit hub add-user \"Dr Anika Sørensen\" --role reviewer\n  accredit hub set-organisation \"NHS England — Centre for Advancing Practice\""
    )]
    Hub {
        /// The hub's database (default: hub.sqlite in the data folder).
        #[arg(long, global = true)]
        db: Option<PathBuf>,
        #[command(subcommand)]
        command: hub::HubCommand,
    },
    /// Import a submission package (a folder with submission.json and its documents), or a
    /// judgement form filled in with `--form`.
    #[command(
        after_help = "Examples:\n  accredit import ./S-2026-021\n  accredit import --form S-2026-014.form.txt\n  accredit import --form - < S-2026-014.form.txt"
    )]
    Import {
        /// A submission package: a folder holding submission.json and the documents it lists.
        #[arg(value_name = "DIR", required_unless_present = "form", conflicts_with = "form")]
        dir: Option<PathBuf>,
        /// A judgement form made by `accredit export --form` (`-` for standard input).
        #[arg(long, value_name = "FILE")]
        form: Option<PathBuf>,
    },
    /// Write my judgements of a submission as a plain-text form to fill in in any editor.
    #[command(
        after_help = "Examples:\n  accredit export --form S-2026-014 --output S-2026-014.form.txt\n  $EDITOR S-2026-014.form.txt\n  accredit import --form S-2026-014.form.txt"
    )]
    Export {
        /// The submission whose judgements go in the form.
        #[arg(long, value_name = "SUBMISSION")]
        form: String,
        /// Write to FILE instead of standard output (an existing file is not overwritten).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show where config.toml is, check it, or print every setting with its default.
    #[command(
        after_help = "Examples:\n  accredit config\n  accredit config --default > ~/.config/accredit/config.toml\n  $EDITOR \"$(accredit config --path)\""
    )]
    Config {
        /// Print the whole default config: every key, its default and what it does.
        #[arg(long, conflicts_with = "path")]
        default: bool,
        /// Print only the path of config.toml.
        #[arg(long)]
        path: bool,
    },
    /// Who did what when on a submission (or one standard of it), from the hub's audit trail:
    /// my own judgement's drafts and submission, the others' submissions once I may see them,
    /// and for the chair the consolidation and the reports.
    #[command(after_help = "Examples:\n  accredit history S-2026-014\n  accredit history S-2026-014 mpf1.6")]
    History {
        submission: String,
        /// Only this standard (case and spacing are forgiven).
        standard: Option<String>,
    },
    /// Check the set-up: data folder, config, cache, hub login and clock; says what to do.
    #[command(after_help = "Examples:\n  accredit doctor\n  accredit --data-dir /tmp/demo doctor")]
    Doctor,
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  accredit completions bash > ~/.local/share/bash-completion/completions/accredit\n  accredit completions zsh > ~/.zfunc/_accredit\n  accredit completions fish > ~/.config/fish/completions/accredit.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on standard output.
    #[command(after_help = "Examples:\n  accredit man | man -l -\n  accredit man > ~/.local/share/man/man1/accredit.1")]
    Man,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum OutcomeArg {
    Met,
    PartiallyMet,
    NotMet,
}

impl From<OutcomeArg> for accredit::domain::Outcome {
    fn from(arg: OutcomeArg) -> Self {
        match arg {
            OutcomeArg::Met => Self::Met,
            OutcomeArg::PartiallyMet => Self::PartiallyMet,
            OutcomeArg::NotMet => Self::NotMet,
        }
    }
}

pub fn run() -> Result<()> {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // Verbs about accredit itself need no profile.
    match &cli.command {
        Some(Command::Completions { shell }) => return shell::completions(*shell, &mut Cli::command()),
        Some(Command::Man) => return shell::man(Cli::command()),
        _ => {}
    }
    let data_dir = match cli.data_dir {
        Some(dir) => DataDir::new(dir),
        None => DataDir::platform_default()
            .ok_or_else(|| eyre!("cannot find a home folder for the cache; pass --data-dir DIR"))?,
    };
    // Verbs that diagnose the profile change nothing in it.
    match cli.command {
        Some(Command::Doctor) => return doctor::run(&data_dir),
        Some(Command::Config { default, path }) => return settings::run(&data_dir, default, path),
        _ => {}
    }
    data_dir
        .create_private()
        .wrap_err_with(|| format!("cannot create the data folder {}", data_dir.root().display()))?;
    init_logging(&data_dir, matches!(cli.command, Some(Command::Serve { .. })));
    // The verb only: arguments carry tokens (`login --token`) and rationale texts.
    tracing::info!(verb = %verb(&matches), "start");
    let settings = load_settings(&data_dir)?;
    match cli.command {
        None => open_tui(&data_dir, open_cache(&data_dir)?, settings),
        Some(Command::Demo { reset }) => demo::run(&data_dir, reset, settings),
        Some(Command::Status { json, plain }) => {
            let format = match (json, plain) {
                (true, _) => review::StatusFormat::Json,
                (_, true) => review::StatusFormat::Plain,
                _ => review::StatusFormat::Table,
            };
            review::status(&open_cache(&data_dir)?, &today(), format)
        }
        Some(Command::Judge { submission, standard, outcome, rationale, rationale_file }) => {
            let rationale = match (rationale, rationale_file) {
                (Some(text), _) => Some(text),
                (None, Some(file)) => Some(review::read_rationale_file(&file)?),
                (None, None) => None,
            };
            review::judge(&mut open_cache(&data_dir)?, &submission, &standard, outcome.into(), rationale)
        }
        Some(Command::Submit { submission }) => review::submit(&mut open_cache(&data_dir)?, &submission),
        Some(Command::Report { submission, format, audience, output }) => {
            panel::report(&open_cache(&data_dir)?, &submission, &format, &audience, output)
        }
        Some(Command::Panel { command }) => {
            panel::run(&data_dir, &mut open_cache(&data_dir)?, command, settings.max_conditions)
        }
        Some(Command::Search { query, submission, json, limit }) => {
            search::run(&open_cache(&data_dir)?, &query.join(" "), submission.as_deref(), json, limit)
        }
        Some(Command::Login { server, token, ca_cert }) => {
            let token = match token {
                Some(token) => token,
                None => sync::read_token().wrap_err("cannot read the token")?,
            };
            sync::login(&data_dir, &server, &token, ca_cert.as_deref())
        }
        Some(Command::Sync) => sync::sync(&data_dir, &mut open_cache(&data_dir)?),
        Some(Command::Serve { listen, db, tls_cert, tls_key, plain_http, trusted_proxy }) => {
            let tls = tls_cert.zip(tls_key);
            hub::serve(&listen, &db.unwrap_or_else(|| data_dir.hub_db()), tls, plain_http, trusted_proxy)
        }
        Some(Command::Hub { db, command }) => hub::run(&db.unwrap_or_else(|| data_dir.hub_db()), command),
        Some(Command::Import { dir: Some(dir), .. }) => exchange::import_package(&mut open_cache(&data_dir)?, &dir),
        Some(Command::Import { form: Some(file), .. }) => exchange::import_form(&mut open_cache(&data_dir)?, &file),
        Some(Command::Import { .. }) => bail!("name a submission package folder, or a form with --form FILE"),
        Some(Command::Export { form, output }) => {
            exchange::export_form(&open_cache(&data_dir)?, &form, output.as_deref())
        }
        Some(Command::History { submission, standard }) => history::run(&data_dir, &submission, standard.as_deref()),
        Some(Command::Doctor | Command::Config { .. } | Command::Completions { .. } | Command::Man) => Ok(()),
    }
}

/// The settings from config.toml; a bad file stops everything, loudly.
fn load_settings(data_dir: &DataDir) -> Result<Settings> {
    Settings::load_from_env(data_dir.config()).map_err(|error| {
        eyre!(
            "{error}\naccredit does not start with a broken config: fix the file (`accredit config --default` shows every key and its default)"
        )
    })
}

/// Opens the existing cache of this data folder.
fn open_cache(data_dir: &DataDir) -> Result<Store> {
    let path = data_dir.cache();
    if !path.exists() {
        bail!("there is no cache in {} yet; {}", data_dir.root().display(), advice::remake_cache(data_dir));
    }
    let store = Store::open(&path).wrap_err_with(|| format!("cannot open the cache {}", path.display()))?;
    if store.me()?.is_none() {
        bail!("the cache {} is empty or unfinished; {}", path.display(), advice::remake_cache(data_dir));
    }
    Ok(store)
}

/// Opens the TUI, syncing in the background when this cache is connected to a hub.
fn open_tui(data_dir: &DataDir, store: Store, settings: Settings) -> Result<()> {
    require_terminal()?;
    let worker = match sync::client(data_dir) {
        Ok((client, credentials)) => {
            Some(accredit::sync::SyncWorker::start(data_dir.cache(), client, credentials.user))
        }
        Err(accredit::sync::SyncError::NotLoggedIn) => None,
        Err(e) => return Err(e.into()),
    };
    run_tui(data_dir, store, settings, worker)
}

fn run_tui(
    data_dir: &DataDir,
    store: Store,
    settings: Settings,
    worker: Option<accredit::sync::SyncWorker>,
) -> Result<()> {
    accredit::tui::terminal::run(store, today(), data_dir, settings, worker).wrap_err("the TUI stopped")
}

/// The TUI draws on a terminal; started from a pipe or a service it says so and which verbs work
/// without one, before any work is done.
pub(crate) fn require_terminal() -> Result<()> {
    use std::io::IsTerminal;
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        bail!(
            "the TUI needs a terminal, and standard input or output is not one (a pipe, a file or a service). \
             Without a terminal use the command-line verbs: `accredit status`, `judge`, `submit`, `sync`, \
             `export --form` and `import --form`, `report`, `panel` (see `accredit --help`)"
        );
    }
    Ok(())
}

/// The verb as typed, without its arguments: `hub add-user`, `panel outcome`, `sync`.
fn verb(matches: &clap::ArgMatches) -> String {
    let mut words = Vec::new();
    let mut at = matches;
    while let Some((name, sub)) = at.subcommand() {
        words.push(name);
        at = sub;
    }
    if words.is_empty() { "tui".to_string() } else { words.join(" ") }
}

fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// Logs go to a file in the data folder, never to the terminal the TUI owns; the hub, which
/// owns no terminal, logs to stderr as services do.
fn init_logging(data_dir: &DataDir, to_stderr: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ACCREDIT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    if to_stderr {
        let _ = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter).try_init();
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new().create(true).append(true).open(data_dir.log()) else { return };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
}
