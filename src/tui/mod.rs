//! The terminal user interface: `App` (state + `update`) is pure, `view` draws it, and
//! `Runtime` runs the effects `update` asks for against the store. `terminal` owns the real
//! terminal; tests drive `Runtime` directly and draw into a `TestBackend`.

pub mod app;
pub mod autosave;
mod editing;
pub mod editor_keys;
pub mod finder;
pub mod keymap;
pub mod mouse;
mod overlay_keys;
pub mod palette;
pub mod runtime;
pub mod screens;
pub mod settings;
pub mod terminal;
pub mod theme;
pub mod viewer;
pub mod views;

pub use app::{Action, App, Effect, Overlay};
pub use runtime::Runtime;
pub use screens::ScreenId;
pub use settings::Settings;
