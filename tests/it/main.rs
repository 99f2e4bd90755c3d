//! Every integration test, in one crate: one binary to compile and link instead of one per
//! feature. Each module is a feature's tests; `common` starts the real application on a fresh
//! database copied from a template (see `common::template`).

#[cfg(feature = "ssr")]
#[macro_use]
mod common;

mod accounts;
mod architecture;
mod calls;
mod cli;
mod clubs;
mod contact;
mod directory;
mod events;
mod foundation;
mod jobs;
mod label;
mod map;
mod matrix;
mod moderation;
mod moderation_matrix;
mod news;
mod newsletter;
mod observatory;
mod opendata;
mod pages;
mod privacy;
mod purchasing;
mod sharing;
mod sirene;
mod stewardship;
mod support;
mod tokens;
