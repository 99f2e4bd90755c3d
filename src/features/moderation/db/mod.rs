//! Moderation's queries: the moderators (`moderators`), the proposals and their decisions
//! (`proposals`). Entries themselves change through the directory's functions.

mod moderators;
mod proposals;

pub use moderators::*;
pub use proposals::*;
