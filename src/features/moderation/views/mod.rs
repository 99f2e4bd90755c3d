//! Moderation's pages, one file each.

pub mod entry;
pub mod history;
pub mod import;
pub mod merge;
pub mod moderators;
pub mod propose;
pub mod queue;

pub use entry::EntryAdminPage;
pub use history::HistoryPage;
pub use import::{ImportPage, ImportReportPage};
pub use merge::MergePage;
pub use moderators::ModeratorsPage;
pub use propose::{ConfirmProposalPage, ProposeEntryPage, StillAccuratePage};
pub use queue::{ModerationQueuePage, ProposalReviewPage};
