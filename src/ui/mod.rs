//! Small components shared by every feature.

#[cfg(feature = "hydrate")]
pub mod browser;
pub mod error;
pub mod form;
pub mod in_place;
pub mod menu;
