//! Small components shared by every feature.

pub mod error;
pub mod form;
pub mod menu;
