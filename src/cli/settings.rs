//! `accredit config [--default | --path]`.

use color_eyre::eyre::{Result, bail};

use accredit::paths::DataDir;
use accredit::tui::Settings;

pub fn run(data_dir: &DataDir, default: bool, path_only: bool) -> Result<()> {
    let path = data_dir.config();
    if default {
        print!("{}", Settings::default_toml());
        return Ok(());
    }
    if path_only {
        println!("{}", path.display());
        return Ok(());
    }
    if !path.exists() {
        println!("{}", path.display());
        println!("There is no config file there: every setting has its default.");
        println!("`accredit config --default` prints every setting; copy the lines you change into that file.");
        return Ok(());
    }
    match Settings::load_from_env(path) {
        Ok(_) => {
            println!("{}", path.display());
            println!("The config is valid.");
            Ok(())
        }
        Err(error) => bail!("{error}"),
    }
}
