//! The clubs' queries, split by subject; `changes` writes every membership change.

mod changes;
mod editing;
mod invitations;
mod reading;

pub use changes::*;
pub use editing::*;
pub use invitations::*;
pub use reading::*;

/// Why a change that would leave the club without an admin is refused.
pub const LAST_ADMIN: &str = "Le club doit garder au moins un administrateur : nommez d'abord quelqu'un d'une autre structure membre.";
