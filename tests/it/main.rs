//! Integration tests, in one binary so they share one build and one link.

mod cli;
mod e2e;
mod editor_keys;
mod exchange;
mod formats;
mod linear;
mod mouse;
mod review_flow;
mod screens;
mod setup;
mod support;
mod themes;
