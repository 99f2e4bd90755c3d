//! The home page: what the portal is for, and the sectors and territories it covers.

pub mod data;
pub mod views;

pub use views::HomePage;
