//! `accredit serve` and `accredit hub ...`: running and administering the hub.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use color_eyre::eyre::{Result, WrapErr, bail, eyre};

use accredit::hub::Hub;
use accredit::hub::admin::Assignment;
use accredit::hub::server::Transport;
use accredit::wire::UserRole;

#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Create the hub's database (idempotent).
    #[command(after_help = "Example:\n  accredit hub init --db /srv/accredit/hub.sqlite")]
    Init,
    /// Add a user and print their token, once: only its hash is kept.
    #[command(after_help = "Example:\n  accredit hub add-user \"Dr Anika Sørensen\" --role reviewer --id u-rev2")]
    AddUser {
        name: String,
        #[arg(long, value_parser = ["reviewer", "chair", "admin"])]
        role: String,
        /// The user's id (default: made from the name).
        #[arg(long)]
        id: Option<String>,
    },
    /// Set the organisation's name, which heads every panel report the hub issues.
    #[command(after_help = "Example:\n  accredit hub set-organisation \"NHS England — Centre for Advancing Practice\"")]
    SetOrganisation { name: String },
    /// Mark a document as for everyone on the panel (a lay member limited to some standards
    /// receives it too, beside what their standards cite), or take the mark off.
    #[command(
        after_help = "Examples:\n  accredit hub share S-2026-009 E01      (the programme specification, for every member)\n  accredit hub share S-2026-009 E01 --unshare"
    )]
    Share {
        submission: String,
        document: String,
        /// Take the mark off: the document goes only to those whose standards cite it.
        #[arg(long)]
        unshare: bool,
    },
    /// Move a submission to another stage: the threshold review passed (standards_review), the
    /// panel convened (panel_review), returned at threshold (returned), decided. Audited, and sent
    /// to every replica with the next sync.
    #[command(
        after_help = "Stages: submitted, threshold_review, returned, standards_review, panel_review, decided.\n\nExamples:\n  accredit hub stage S-2026-030 standards_review\n  accredit hub stage S-2026-030 returned --note \"Threshold 3 not met: no placement agreement.\""
    )]
    Stage {
        submission: String,
        #[arg(value_parser = parse_stage)]
        stage: accredit::domain::Stage,
        /// Why, for the panel (shown with the stage).
        #[arg(long)]
        note: Option<String>,
    },
    /// Revoke a user's token: their next request gets 401.
    #[command(after_help = "Example:\n  accredit hub --db hub.sqlite revoke u-rev1")]
    Revoke { user: String },
    /// Give a user a new token (shown once); the old one stops working at once.
    #[command(after_help = "Example:\n  accredit hub --db hub.sqlite rotate-token u-rev1")]
    RotateToken { user: String },
    /// Every account: who, role, added, last seen, revoked.
    #[command(after_help = "Example:\n  accredit hub --db hub.sqlite users")]
    Users,
    /// Import a framework.json (validated as the workstation does).
    #[command(after_help = "Example:\n  accredit hub import-framework fixtures/frameworks/mpf-2017.json")]
    ImportFramework { file: PathBuf },
    /// Import a submission package: a folder with submission.json and its documents.
    #[command(after_help = "Example:\n  accredit hub import-submission fixtures/submissions/S-2026-014")]
    ImportSubmission { dir: PathBuf },
    /// Read a provider's pack (Word mapping document + evidence files) into a draft submission
    /// package, report every problem, and import it when there is none.
    #[command(
        after_help = "Examples:\n  accredit hub intake packs/northmoor --dry-run\n  accredit hub intake packs/northmoor"
    )]
    Intake {
        dir: PathBuf,
        /// Report only: write and import nothing.
        #[arg(long)]
        dry_run: bool,
        /// Where the draft package goes (default: DIR/accredit-draft).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Set a submission's panel.
    #[command(
        after_help = "Example:\n  accredit hub assign S-2026-014 --chair u-chair --reviewers u-rev1,u-rev2 \\\n      --lay \"u-lay=SET-DEMO 1.2,SET-DEMO 5.3\" --due 2026-03-20"
    )]
    Assign {
        submission: String,
        #[arg(long)]
        chair: String,
        /// Reviewers' user ids, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        reviewers: Vec<String>,
        /// A lay member limited to some standards: `USER=CODE,CODE` (repeatable).
        #[arg(long, value_name = "USER=CODES")]
        lay: Vec<String>,
        /// Members recused from this submission (comma-separated).
        #[arg(long, value_delimiter = ',')]
        recused: Vec<String>,
        /// When reviews are due (default: six weeks from today).
        #[arg(long)]
        due: Option<jiff::civil::Date>,
    },
    /// Print the audit trail (every accepted change and administrative act), and check its
    /// hash chain with --verify.
    #[command(
        after_help = "Examples:\n  accredit hub --db hub.sqlite audit --submission S-2026-014\n  accredit hub --db hub.sqlite audit --verify"
    )]
    Audit {
        /// Only the entries of this submission (--verify still checks the whole chain).
        #[arg(long)]
        submission: Option<String>,
        /// Check every entry's hash and link; exits 1 naming the first broken entry.
        #[arg(long)]
        verify: bool,
    },
    /// Copy the hub's database to a new FILE (mode 0600) while the hub serves, and check the copy.
    #[command(
        after_help = "Example:\n  accredit hub --db /srv/accredit/hub.sqlite backup /backups/hub-$(date +%F).sqlite"
    )]
    Backup { file: PathBuf },
    /// Install a backup as the hub's database (the hub must be stopped); the file is checked
    /// first, and the database it replaces is kept beside it.
    #[command(
        after_help = "Example:\n  accredit hub --db /srv/accredit/hub.sqlite restore /backups/hub-2026-12-01.sqlite"
    )]
    Restore { file: PathBuf },
}

pub fn run(db: &Path, command: HubCommand) -> Result<()> {
    // These two work on the file, without opening (and migrating) it as the hub.
    match command {
        HubCommand::Backup { file } => return backup(db, &file),
        HubCommand::Restore { file } => return restore(&file, db),
        _ => {}
    }
    let mut hub = Hub::open(db).wrap_err_with(|| format!("cannot open the hub database {}", db.display()))?;
    match command {
        HubCommand::Init => println!("hub database ready at {}", db.display()),
        HubCommand::Stage { submission, stage, note } => {
            let from = hub.set_stage(&submission, stage, note.as_deref())?;
            println!("{submission}: {} → {}", from.label(), stage.label());
        }
        HubCommand::Share { submission, document, unshare } => {
            hub.share_document(&submission, &document, !unshare)?;
            if unshare {
                println!("{submission} {document}: only for those whose standards cite it");
            } else {
                println!("{submission} {document}: for everyone on the panel");
            }
        }
        HubCommand::SetOrganisation { name } => {
            if name.trim().is_empty() {
                return Err(eyre!("the organisation's name is empty"));
            }
            hub.set_organisation(name.trim())?;
            println!("reports from this hub are issued by {}", name.trim());
        }
        HubCommand::AddUser { name, role, id } => {
            let role = UserRole::parse(&role).ok_or_else(|| eyre!("unknown role {role}"))?;
            let (user, token) = hub.add_user(id.as_deref(), &name, role)?;
            println!("added {} ({}) as {}", user.name, user.id, user.role.as_str());
            println!("token (shown once; give it to them for `accredit login`):");
            println!("{token}");
        }
        HubCommand::Revoke { user } => {
            hub.revoke(&user)?;
            println!("revoked {user}'s token");
        }
        HubCommand::RotateToken { user } => {
            let token = hub.rotate_token(&user)?;
            println!(
                "{user}'s old token no longer works; the new token (shown once; give it to them for `accredit login`):"
            );
            println!("{token}");
        }
        HubCommand::Users => {
            println!("{:<12} {:<28} {:<9} {:<10} {:<17} status", "id", "name", "role", "added", "last seen");
            for a in hub.users()? {
                let day = |t: &str| t.get(..10).unwrap_or(t).to_string();
                let seen =
                    a.last_seen.as_deref().map_or("never".to_string(), |t| t.get(..16).unwrap_or(t).replace('T', " "));
                let name = accredit::text::sanitize(&a.name);
                let status = if a.revoked { "revoked" } else { "active" };
                println!("{:<12} {:<28} {:<9} {:<10} {:<17} {status}", a.id, name, a.role, day(&a.created_at), seen);
            }
        }
        HubCommand::ImportFramework { file } => {
            let framework = hub.import_framework_file(&file)?;
            println!(
                "imported framework {} version {} ({} standards)",
                framework.id,
                framework.version,
                framework.standards().count()
            );
        }
        HubCommand::Intake { dir, dry_run, out } => {
            let frameworks = hub.frameworks()?;
            let report = accredit::intake::pack::read_pack(&dir, &frameworks, jiff::Zoned::now().date());
            for (label, list) in [("note", &report.notes), ("warning", &report.warnings), ("error", &report.errors)] {
                for finding in list {
                    println!("{label}: {finding}");
                }
            }
            if !report.errors.is_empty() {
                bail!("{} error(s) in the pack {}; nothing was written", report.errors.len(), dir.display());
            }
            let Some(draft) = report.draft else { bail!("the pack {} gave no draft", dir.display()) };
            if dry_run {
                println!("dry run: the draft {} was not written", draft.submission.id);
                return Ok(());
            }
            let out = out.unwrap_or_else(|| dir.join("accredit-draft"));
            accredit::intake::pack::write_draft(&draft, &out)
                .map_err(|e| eyre!("cannot write the draft to {}: {e}", out.display()))?;
            println!("wrote the draft package {}", out.display());
            let package = hub.import_submission_dir_reusing(&out, |sha256, x| draft.extraction(sha256, x))?;
            println!("imported submission {} with {} documents", package.submission.id, package.documents.len());
            for (id, original) in &package.originals {
                for note in &original.notes {
                    println!("{id}: {note}");
                }
            }
        }
        HubCommand::ImportSubmission { dir } => {
            let package = hub.import_submission_dir(&dir)?;
            println!("imported submission {} with {} documents", package.submission.id, package.documents.len());
        }
        HubCommand::Assign { submission, chair, reviewers, lay, recused, due } => {
            let lay = lay
                .iter()
                .map(|spec| match spec.split_once('=') {
                    Some((user, codes)) => {
                        Ok((user.trim().to_string(), codes.split(',').map(|c| c.trim().to_string()).collect()))
                    }
                    None => Err(eyre!("--lay takes USER=CODE,CODE, not {spec:?}")),
                })
                .collect::<Result<Vec<_>>>()?;
            let panel = hub.assign(&submission, &Assignment { chair, reviewers, lay, recused, due })?;
            println!(
                "{submission}: chair {}, {} members, reviews due {}",
                panel.chair,
                panel.members.len(),
                panel.reviews_due
            );
        }
        HubCommand::Audit { submission, verify } => audit(&hub, submission.as_deref(), verify)?,
        HubCommand::Backup { .. } | HubCommand::Restore { .. } => {}
    }
    Ok(())
}

fn backup(db: &Path, file: &Path) -> Result<()> {
    let checked = accredit::hub::backup::backup(db, file)
        .wrap_err_with(|| format!("cannot back up {} to {}", db.display(), file.display()))?;
    println!(
        "backed up {} to {} ({} bytes, hub schema {}, integrity ok, audit chain of {} entries verified, head {})",
        db.display(),
        file.display(),
        checked.bytes,
        checked.hub_schema,
        checked.audit_entries,
        checked.audit_head
    );
    Ok(())
}

fn restore(file: &Path, db: &Path) -> Result<()> {
    let restored = accredit::hub::backup::restore(file, db)
        .wrap_err_with(|| format!("cannot restore {} from {}", db.display(), file.display()))?;
    println!(
        "restored {} from {} (integrity ok, audit chain of {} entries verified, head {})",
        db.display(),
        file.display(),
        restored.checked.audit_entries,
        restored.checked.audit_head
    );
    if let Some(kept) = restored.kept {
        println!("the database it replaced is kept as {}", kept.display());
    }
    Ok(())
}

/// `accredit hub audit`: the entries, then (with `verify`) the verdict on the whole chain.
fn audit(hub: &Hub, submission: Option<&str>, verify: bool) -> Result<()> {
    use accredit::hub::audit;
    let conn = hub.store().connection();
    let mut printed = 0usize;
    // One entry at a time: the log of a busy hub is long.
    audit::each_entry(conn, submission, |e| {
        printed += 1;
        let or_dash = |v: &Option<String>| -> String {
            v.as_deref().map_or("-".into(), |s| accredit::text::sanitize(s).into_owned())
        };
        println!(
            "{:>6}  {}  {:<10} {:<18} {:<11} {:<14} op {:<36} digest {}",
            e.seq,
            e.at,
            accredit::text::sanitize(&e.actor),
            e.action,
            or_dash(&e.submission),
            // The standard of a judgement, or the user an account's act was about.
            or_dash(&e.standard.clone().or_else(|| e.subject.clone())),
            or_dash(&e.op_id),
            e.digest.get(..16).unwrap_or(&e.digest)
        );
        true
    })?;
    if printed == 0 {
        println!("no audit entries{}", submission.map(|s| format!(" for {s}")).unwrap_or_default());
    }
    if verify {
        match audit::verify(conn)? {
            Ok(verified) => println!(
                "the audit chain of {} entries verifies; its head is {} (note it elsewhere: a later verify that shows another head for the same entry means the log was rewritten)",
                verified.entries, verified.head
            ),
            Err(broken) => bail!(
                "{broken}; restore the last good backup (`accredit hub restore FILE`) and keep this database for investigation"
            ),
        }
    }
    Ok(())
}

/// `accredit serve`: TLS with `tls` (certificate, key); plain HTTP only on loopback unless
/// `plain_http` (a TLS proxy in front).
pub fn serve(
    listen: &str,
    db: &Path,
    tls: Option<(PathBuf, PathBuf)>,
    plain_http: bool,
    trusted_proxies: Vec<std::net::IpAddr>,
) -> Result<()> {
    let addr: SocketAddr =
        listen.parse().wrap_err_with(|| format!("--listen takes an address like 127.0.0.1:8080, not {listen:?}"))?;
    // Held while serving: `accredit hub restore` (and a second hub) on this database is refused.
    let _serving = accredit::hub::backup::ServingLock::acquire(db)?;
    let transport = match tls {
        Some((cert, key)) => Transport::Tls(
            accredit::hub::tls::server_config(&cert, &key).wrap_err("cannot use --tls-cert and --tls-key")?,
        ),
        None => {
            accredit::hub::tls::check_plain_http(addr, plain_http)?;
            Transport::Plain
        }
    };
    let hub = Hub::open(db).wrap_err_with(|| format!("cannot open the hub database {}", db.display()))?;
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().wrap_err("cannot start the async runtime")?;
    runtime.block_on(async {
        let (listener, local) =
            accredit::hub::http::bind(addr).await.wrap_err_with(|| format!("cannot listen on {addr}"))?;
        // Scripts and tests read the bound address (port 0 picks one) from this line.
        let scheme = transport.scheme();
        println!("accredit hub listening on {scheme}://{local}");
        use std::io::Write;
        std::io::stdout().flush().ok();
        tracing::info!(%local, %scheme, db = %db.display(), "hub listening");
        let state = accredit::hub::http::AppState::new(hub).trusting_proxies(trusted_proxies);
        accredit::hub::http::serve_with(listener, state, transport, accredit::hub::http::stop_signal())
            .await
            .wrap_err("the hub stopped")
    })
}

/// A stage as the command line names it (`standards_review`, or `standards-review`).
fn parse_stage(text: &str) -> Result<accredit::domain::Stage, String> {
    accredit::domain::Stage::parse(&text.trim().replace('-', "_")).ok_or_else(|| {
        let names: Vec<&str> = accredit::domain::Stage::ALL.iter().map(|s| s.as_str()).collect();
        format!("{text:?} is not a stage: one of {}", names.join(", "))
    })
}
