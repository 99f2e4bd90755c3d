//! Directory queries, by use: one entry's page (`detail`), changing one (`entry`), adding entries
//! (`insert`, for demo and synthetic data), revisions (`revisions`: every change of fields, with who and what) and the streamed exports (`export`). Searching reads the in-memory index
//! (`super::index`), not these tables.

pub mod detail;
pub mod duplicates;
pub mod entry;
pub mod export;
pub mod insert;
pub mod revisions;

pub use detail::find_by_slug;
pub use entry::{EntryFields, save_entry};
pub use export::{ExportQuery, ExportRow};
pub use insert::{
    InsertContext, NewStructure, insert_context, insert_structures, insert_with_revisions,
};
pub use revisions::{Author, Snapshot};
