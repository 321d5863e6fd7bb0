//! `accredit doctor`: checks the profile's set-up and says what to do about each problem.
//! It changes nothing: the data folder is not created, the cache is opened read-only.

use std::path::Path;

use color_eyre::eyre::{Result, bail};
use jiff::civil::Date;

use accredit::hub_login::{self, HubLogin};
use accredit::paths::DataDir;
use accredit::store::Store;
use accredit::tui::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    /// Works, but something is missing (such as a hub login).
    Warn,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Check {
    name: &'static str,
    status: Status,
    detail: String,
    fix: Option<String>,
}

impl Check {
    fn ok(name: &'static str, detail: impl Into<String>) -> Check {
        Check { name, status: Status::Ok, detail: detail.into(), fix: None }
    }

    fn warn(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { name, status: Status::Warn, detail: detail.into(), fix: Some(fix.into()) }
    }

    fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { name, status: Status::Fail, detail: detail.into(), fix: Some(fix.into()) }
    }
}

pub fn run(data_dir: &DataDir) -> Result<()> {
    println!("Checking the accredit profile in {}", data_dir.root().display());
    println!();
    let checks = vec![
        data_folder(data_dir.root()),
        config(data_dir.config()),
        cache(&data_dir.cache(), &super::advice::remake_cache(data_dir)),
        hub(hub_login::status(data_dir)),
        pdf_extractor(),
        clock(jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date(), accredit::build_info::build_date()),
    ];
    print!("{}", report(&checks));
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    println!();
    if failed > 0 {
        bail!("{failed} check{} failed; see above for what to do", if failed == 1 { "" } else { "s" });
    }
    println!("Everything accredit needs is in order.");
    Ok(())
}

/// One line per check (`ok`, `warn` or `FAIL`, in words for screen readers), its details
/// indented below it, and what to do.
fn report(checks: &[Check]) -> String {
    let mut out = String::new();
    for check in checks {
        let word = match check.status {
            Status::Ok => "ok  ",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
        };
        let mut lines = check.detail.lines();
        out.push_str(&format!("{word}  {}: {}\n", check.name, lines.next().unwrap_or_default()));
        for more in lines {
            out.push_str(&format!("        {more}\n"));
        }
        if let Some(fix) = &check.fix {
            out.push_str(&format!("      what to do: {fix}\n"));
        }
    }
    out
}

/// Whether `pdftotext` (poppler-utils) is installed: the hub needs it to import PDF evidence;
/// a reviewer's machine does not (pages come extracted).
fn pdf_extractor() -> Check {
    let program = accredit::intake::pdf::program();
    match std::process::Command::new(&program).arg("-v").output() {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
            Check::ok("pdf extractor", text.lines().next().unwrap_or(&program).trim().to_string())
        }
        Err(_) => Check::warn(
            "pdf extractor",
            format!(
                "{program} is not installed: importing PDF evidence (accredit hub intake) will fail; reviewing does not need it"
            ),
            "install poppler-utils (apt install poppler-utils, brew install poppler)",
        ),
    }
}

fn data_folder(root: &Path) -> Check {
    const NAME: &str = "data folder";
    if !root.exists() {
        return Check::fail(
            NAME,
            format!("{} does not exist", root.display()),
            "run `accredit demo` to create it with the demo data, or pass the right --data-dir",
        );
    }
    if !root.is_dir() {
        return Check::fail(
            NAME,
            format!("{} is not a folder", root.display()),
            "move that file aside, or pass another --data-dir",
        );
    }
    let probe = root.join(format!(".doctor-{}", std::process::id()));
    match std::fs::write(&probe, b"probe") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            Check::ok(NAME, format!("{} exists and is writable", root.display()))
        }
        Err(e) => Check::fail(
            NAME,
            format!("{} cannot be written: {e}", root.display()),
            "give your user write permission on it (accredit saves every change there)",
        ),
    }
}

fn config(path: &Path) -> Check {
    const NAME: &str = "config";
    if !path.exists() {
        return Check::ok(NAME, format!("no {} (every setting has its default)", path.display()));
    }
    match Settings::load_from_env(path) {
        Ok(_) => Check::ok(NAME, format!("{} is valid", path.display())),
        Err(error) => Check::fail(
            NAME,
            error.to_string(),
            "fix those lines (`accredit config --default` shows every key and its default), or move the file aside; accredit does not start until then",
        ),
    }
}

fn cache(path: &Path, remake: &str) -> Check {
    const NAME: &str = "cache";
    if !path.exists() {
        return Check::fail(NAME, format!("there is no cache at {}", path.display()), remake);
    }
    let aside = format!("move it aside (keep the copy: it may hold unsynced judgements), then {remake}");
    let health = match Store::inspect(path) {
        Ok(health) => health,
        Err(e) => return Check::fail(NAME, format!("{} cannot be read as a cache: {e}", path.display()), &aside),
    };
    if !health.is_sound() {
        return Check::fail(
            NAME,
            format!("{} is damaged; SQLite's integrity check says:\n{}", path.display(), health.integrity.join("\n")),
            &aside,
        );
    }
    if health.schema > health.latest {
        return Check::fail(
            NAME,
            format!(
                "{} was written by a newer accredit (schema {}, this one knows {})",
                path.display(),
                health.schema,
                health.latest
            ),
            "update accredit",
        );
    }
    if health.owner.is_none() {
        return Check::fail(NAME, format!("{} is empty or unfinished (it has no owner)", path.display()), remake);
    }
    let schema = if health.schema == health.latest {
        format!("schema {}, the latest", health.schema)
    } else {
        format!("schema {}, upgraded to {} when accredit next opens it", health.schema, health.latest)
    };
    Check::ok(NAME, format!("{} is sound ({schema})", path.display()))
}

fn hub(login: HubLogin) -> Check {
    const NAME: &str = "hub";
    match login {
        HubLogin::NotConfigured => Check::warn(
            NAME,
            "not logged in: no hub configured (everything works offline; nothing is synced)",
            "when the accreditation office gives you a hub address and a token, run `accredit login --server URL` and paste the token when it asks",
        ),
        HubLogin::Unreachable { server, error } => Check::fail(
            NAME,
            format!("{server} does not answer: {error}"),
            "check the network and the address; your changes wait safely in the outbox meanwhile",
        ),
        HubLogin::TokenRejected { server } => Check::fail(
            NAME,
            format!("{server} refuses the stored token"),
            "ask the accreditation office for a new token and run `accredit login` again",
        ),
        HubLogin::LoggedIn { server, user } => Check::ok(NAME, format!("logged in to {server} as {user}")),
    }
}

fn clock(today: Date, built: Option<Date>) -> Check {
    const NAME: &str = "clock";
    match built {
        Some(built) if today < built => Check::fail(
            NAME,
            format!("the clock says {today}, before this accredit was built ({built})"),
            "set the computer's date and time: judgements and sync are time-stamped",
        ),
        Some(built) => Check::ok(NAME, format!("{today} (UTC), after this accredit was built ({built})")),
        None => Check::ok(NAME, format!("{today} (UTC)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_clock_before_the_build_date_fails() {
        let check = clock(date(2020, 1, 1), Some(date(2026, 3, 1)));
        assert_eq!(check.status, Status::Fail);
        assert_eq!(check.detail, "the clock says 2020-01-01, before this accredit was built (2026-03-01)");
        assert_eq!(clock(date(2026, 3, 1), Some(date(2026, 3, 1))).status, Status::Ok);
    }

    #[test]
    fn every_hub_state_says_what_to_do() {
        assert_eq!(hub(HubLogin::NotConfigured).status, Status::Warn);
        assert!(hub(HubLogin::NotConfigured).detail.starts_with("not logged in: no hub configured"));
        let unreachable = hub(HubLogin::Unreachable { server: "https://hub".into(), error: "timed out".into() });
        assert_eq!(
            (unreachable.status, unreachable.detail.as_str()),
            (Status::Fail, "https://hub does not answer: timed out")
        );
        assert_eq!(hub(HubLogin::TokenRejected { server: "https://hub".into() }).status, Status::Fail);
        assert_eq!(hub(HubLogin::LoggedIn { server: "h".into(), user: "u".into() }).status, Status::Ok);
    }

    #[test]
    fn the_report_puts_details_and_fixes_under_their_check() {
        let checks = [
            Check::ok("data folder", "/d exists and is writable"),
            Check::fail("config", "c.toml: 2 problems:\n  line 1, a: x\n  line 2, b: y", "fix those lines"),
        ];
        assert_eq!(
            report(&checks),
            "ok    data folder: /d exists and is writable\nFAIL  config: c.toml: 2 problems:\n          line 1, a: x\n          line 2, b: y\n      what to do: fix those lines\n"
        );
    }
}
