//! accredit: a keyboard-first terminal workstation for accreditation panels.
//!
//! Dependency direction: `tui` and `cli` use `store`, `format` and `demo`, which use `domain`.
//! `domain` is pure: no I/O, no terminal, no database.

pub mod build_info;
pub mod config;
pub mod demo;
pub mod digest;
pub mod domain;
pub mod format;
pub mod hub;
pub mod hub_login;
pub mod intake;
pub mod paths;
pub mod report;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
pub mod wire;
