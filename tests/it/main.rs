//! Integration tests, in one binary so they share one build and one link.

mod audit;
mod cli;
mod concurrency;
mod e2e;
mod editor_keys;
mod exchange;
mod formats;
mod hub_http;
mod hub_security;
mod intake;
mod intake_fixtures;
mod intake_property;
mod intake_sync;
mod linear;
mod mouse;
mod panel;
mod report;
mod review_flow;
mod screens;
mod setup;
mod support;
mod sync;
mod sync_e2e;
mod sync_faults;
mod sync_property;
mod themes;
