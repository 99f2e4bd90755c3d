//! Directory queries, by use: searching with facets (`search`), one entry's page (`detail`),
//! adding entries (`insert`, for demo and synthetic data) and the streamed exports (`export`).
//! Filters and facets are the same SQL on both databases; the full-text part differs and is kept
//! side by side in `search`: SQLite FTS5 (`unicode61 remove_diacritics 2`, prefix queries,
//! bm25) and PostgreSQL (`unaccent` + French stemming, GIN index, ts_rank).

pub mod detail;
pub mod export;
pub mod insert;
pub mod search;

pub use detail::find_by_slug;
pub use export::{ExportQuery, ExportRow};
pub use insert::{InsertContext, NewStructure, insert_context, insert_structures};
pub use search::{excerpt, search};
