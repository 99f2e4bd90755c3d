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
pub mod calls;
#[cfg(feature = "ssr")]
pub mod clubs;
#[cfg(feature = "ssr")]
pub mod contact;
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
pub mod newsletter;
#[cfg(feature = "ssr")]
pub mod observatory;
#[cfg(feature = "ssr")]
pub mod opendata;
#[cfg(feature = "ssr")]
pub mod purchasing;
#[cfg(feature = "ssr")]
pub mod reference;
#[cfg(feature = "ssr")]
pub mod sharing;
#[cfg(feature = "ssr")]
pub mod stewardship;
#[cfg(feature = "ssr")]
pub mod support;

/// Every processing of personal data, as each feature declares it (`/donnees-personnelles`).
#[cfg(feature = "ssr")]
pub const PERSONAL_DATA: &[crate::privacy::Processing] = &[
    accounts::PERSONAL_DATA,
    stewardship::PERSONAL_DATA,
    directory::PERSONAL_DATA,
    moderation::PERSONAL_DATA,
    events::PERSONAL_DATA,
    clubs::PERSONAL_DATA,
    news::PERSONAL_DATA,
    label::PERSONAL_DATA,
    purchasing::PERSONAL_DATA,
    newsletter::PERSONAL_DATA,
    sharing::PERSONAL_DATA,
    support::PERSONAL_DATA,
    calls::PERSONAL_DATA,
    crate::rate_limit::PERSONAL_DATA,
];
