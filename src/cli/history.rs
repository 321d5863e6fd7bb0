//! `accredit history SUBMISSION [STANDARD]`: who did what when on a submission, read from the
//! hub (the system of record: the cache keeps only the latest state), as much as the permission
//! rules let this member see.

use color_eyre::eyre::{Result, WrapErr};

use accredit::paths::DataDir;

pub fn run(data_dir: &DataDir, submission: &str, standard: Option<&str>) -> Result<()> {
    let (client, _) = super::sync::client(data_dir)?;
    let entries =
        client.history(submission).wrap_err_with(|| format!("cannot read the history of {submission} from the hub"))?;
    let standard = match standard {
        None => None,
        Some(wanted) => {
            let codes: Vec<&str> = entries.iter().filter_map(|e| e.standard.as_deref()).collect();
            match accredit::domain::input::resolve_code(codes.iter().copied(), wanted) {
                Some(code) => Some(code),
                None => {
                    println!("nothing you may see has happened to {wanted} in {submission}");
                    return Ok(());
                }
            }
        }
    };
    let shown: Vec<_> = entries.iter().filter(|e| standard.is_none() || e.standard == standard).collect();
    if shown.is_empty() {
        println!("nothing you may see has happened to {submission} yet");
    }
    for e in shown {
        let when = e.at.get(..19).unwrap_or(&e.at).replace('T', " ");
        let on = e.standard.as_deref().map(|s| format!("  {s}")).unwrap_or_default();
        println!(
            "{when}  {} ({})  {}{on}  #{} {}",
            accredit::text::sanitize(&e.actor_name),
            accredit::text::sanitize(&e.actor),
            e.what,
            e.seq,
            e.digest.get(..12).unwrap_or(&e.digest)
        );
    }
    Ok(())
}
