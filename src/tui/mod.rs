//! The terminal user interface: `App` (state + `update`) is pure, `view` draws it, and
//! `Runtime` runs the effects `update` asks for against the store. `terminal` owns the real
//! terminal; tests drive `Runtime` directly and draw into a `TestBackend`.

pub mod app;
pub mod autosave;
pub mod document;
mod editing;
pub mod editor_keys;
pub mod finder;
pub mod keymap;
pub mod mouse;
mod overlay_keys;
pub mod palette;
pub mod panel;
mod panel_data;
mod panel_keys;
mod report_preview;
pub mod review;
mod review_keys;
pub mod runtime;
pub mod settings;
mod sync_keys;
pub mod sync_view;
pub mod terminal;
pub mod theme;
pub mod views;

pub use app::{Action, App, Effect, Overlay, Screen};
pub use runtime::Runtime;
pub use settings::Settings;
