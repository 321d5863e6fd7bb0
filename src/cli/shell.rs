//! `accredit completions SHELL` and `accredit man`: generated from the same clap definition
//! as the parser, so they list exactly the verbs and options there are.

use std::io::Write;

use color_eyre::eyre::{Result, WrapErr};

pub fn completions(shell: clap_complete::Shell, command: &mut clap::Command) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(shell, command, "accredit", &mut out);
    std::io::stdout().write_all(&out).wrap_err("cannot write the completion script")
}

pub fn man(command: clap::Command) -> Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command).render(&mut out).wrap_err("cannot render the manual page")?;
    std::io::stdout().write_all(&out).wrap_err("cannot write the manual page")
}
