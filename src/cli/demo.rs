//! `accredit demo [--reset]`.

use color_eyre::eyre::{Result, WrapErr, bail};

use accredit::paths::DataDir;
use accredit::store::Store;
use accredit::tui::Settings;

pub fn run(data_dir: &DataDir, reset: bool, settings: Settings) -> Result<()> {
    let path = data_dir.cache();
    if path.exists() {
        let store = Store::open(&path).wrap_err_with(|| format!("cannot open the cache {}", path.display()))?;
        match store.meta("kind")?.as_deref() {
            Some("demo") if !reset => return super::open_tui(data_dir, store, settings),
            Some("demo") => {}
            _ if store.me()?.is_some() => bail!(
                "{} holds a real cache, which the demo would overwrite; run the demo in its own folder: `accredit --data-dir DIR demo`",
                data_dir.root().display()
            ),
            _ => {}
        }
        drop(store);
        remove_cache(&path)?;
    }
    // Built aside and renamed into place, so an interrupted fill never leaves half a demo.
    let building = path.with_extension("sqlite.building");
    remove_cache(&building)?;
    {
        let mut store = Store::open(&building)?;
        accredit::demo::install(&mut store).wrap_err("cannot fill the demo cache")?;
    }
    std::fs::rename(&building, &path)
        .wrap_err_with(|| format!("cannot move the demo cache into {}", path.display()))?;
    let store = Store::open(&path)?;
    super::open_tui(data_dir, store, settings)
}

/// Removes a cache file and its WAL companions.
fn remove_cache(path: &std::path::Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).wrap_err_with(|| format!("cannot remove {}", file.display())),
        }
    }
    Ok(())
}
