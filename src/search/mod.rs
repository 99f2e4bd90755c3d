//! The directory's search index, held in memory by each app server. The database stays the only
//! source of truth: the directory feature builds the index from it at start-up and keeps it
//! current from the change log that every app server follows (`features::directory::index`).
//!
//! What it answers, for any query, in one pass over the matching documents: one page of results
//! ranked by BM25 over four weighted fields (name, acronym, offer, description), the exact total,
//! and the exact count of every facet value (sector, intercommunality, département, legal form,
//! club), each facet counted with every filter but its own. A query word finds the word itself,
//! the words sharing its French stem (« associations » → « association »), the words it begins
//! (« recycl » → « recyclage »), and from five letters the words one typo away (« insersion » →
//! « insertion »), each kind weighing less than the one before.
//!
//! Storage: one posting list per distinct word (document slot and a precomputed BM25 weight),
//! facet columns side by side (struct of arrays) so that counting reads little memory. A changed
//! document gets a new slot at the end and its old slot is marked dead; the owner rebuilds the
//! whole index when dead slots pile up.
//!
//! Its parts: `model` (documents in, cards and hits out), `index` (storage and life),
//! `building` (adding documents), `words` (what a query word finds), `facets` (filters and
//! counts), `ranking` (answering a query), `remembered` (what a dense word found, kept while the index
//! stays the same), `shared` (the server's copy and its follower), and
//! `geo` (boxes, distances and the map's clusters), `text` (French folding and stemming, shared with purchasing's matching).

mod bitsets;
mod building;
mod facets;
mod geo;
mod index;
mod model;
mod ranking;
mod remembered;
mod shared;
pub mod text;
mod words;

#[cfg(test)]
mod tests;

pub use building::Builder;
pub use geo::{Cluster, Clusters};
pub use index::{Index, LEVELS};
pub use model::{Answer, Card, Document, Hit, Label, Labels, Query, Spot, Stats};
pub use shared::{Follower, SearchIndex};
