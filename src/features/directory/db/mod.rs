//! Directory queries, by use: one entry's page (`detail`), changing one (`entry`), adding entries
//! (`insert`, for demo and synthetic data) and the streamed exports (`export`). Searching reads the in-memory index
//! (`super::index`), not these tables.

pub mod detail;
pub mod entry;
pub mod export;
pub mod insert;

pub use detail::find_by_slug;
pub use entry::{EntryFields, save_entry};
pub use export::{ExportQuery, ExportRow};
pub use insert::{InsertContext, NewStructure, insert_context, insert_structures};
