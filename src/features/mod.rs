//! One folder per product noun: each keeps its types, server functions, queries and views.
//!
//! The browser's WebAssembly holds only the islands: every feature but the directory's live
//! search island is compiled for the server alone (pages render there; forms post there).

#[cfg(feature = "ssr")]
pub mod about;
#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod clubs;
pub mod directory;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod home;
#[cfg(feature = "ssr")]
pub mod label;
#[cfg(feature = "ssr")]
pub mod moderation;
#[cfg(feature = "ssr")]
pub mod news;
#[cfg(feature = "ssr")]
pub mod purchasing;
#[cfg(feature = "ssr")]
pub mod reference;
#[cfg(feature = "ssr")]
pub mod stewardship;
