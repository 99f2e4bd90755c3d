//! The home page: what the portal is for, and the sectors and territories it covers.

pub mod data;
#[cfg(feature = "ssr")]
pub mod views;

#[cfg(feature = "ssr")]
pub use views::HomePage;
