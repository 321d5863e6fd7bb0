//! Integration tests, in one binary so they share one build and one link.

mod cli;
mod e2e;
mod formats;
mod hub_http;
mod report;
mod review_flow;
mod screens;
mod support;
mod sync;
mod sync_e2e;
mod sync_faults;
mod sync_property;
