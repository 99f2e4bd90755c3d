//! One folder per product noun: each keeps its types, server functions, queries and views.

pub mod about;
pub mod accounts;
pub mod admin;
pub mod clubs;
pub mod directory;
pub mod events;
pub mod home;
pub mod label;
pub mod news;
pub mod purchasing;
pub mod reference;
pub mod stewardship;
