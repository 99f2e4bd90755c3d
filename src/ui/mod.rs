//! Small components shared by every feature.

pub mod error;
pub mod menu;
