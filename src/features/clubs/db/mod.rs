//! The clubs' queries, split by subject; `changes` writes every membership change.

mod changes;
mod editing;
mod invitations;
mod reading;

pub use changes::*;
pub use editing::*;
pub use invitations::*;
pub use reading::*;

/// Why a change was not made.
#[derive(Debug)]
pub enum ChangeError {
    /// The state changed meanwhile, or the change makes no sense in it: the French sentence says
    /// what the state is and who made it so.
    Conflict(String),
    /// The change would leave the club without an admin.
    LastAdmin,
    /// The person acting as club admin no longer is one (taken away a moment before).
    NoLongerAdmin,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ChangeError {
    fn from(error: sqlx::Error) -> Self {
        ChangeError::Db(error)
    }
}
