//! What this build is: its version, git commit (when built from a clone) and build date.

use jiff::civil::Date;

/// `0.1.0 (commit 1a2b3c4d5e, built 2026-03-01)`, for `--version`.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("ACCREDIT_BUILD_INFO"), ")");

/// The day this binary was built (UTC).
pub fn build_date() -> Option<Date> {
    env!("ACCREDIT_BUILD_DATE").parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_build_date_is_a_date() {
        let date = super::build_date().expect("build.rs writes YYYY-MM-DD");
        assert!(date.year() >= 2025);
        assert!(super::VERSION.starts_with(env!("CARGO_PKG_VERSION")));
        assert!(super::VERSION.contains("built "));
    }
}
