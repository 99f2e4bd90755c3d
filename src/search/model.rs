//! What goes into the index (documents) and what comes out (cards, hits, facet labels).

use crate::search::LEVELS;
use std::collections::HashMap;
/// What the directory shows of a structure in a result list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    pub slug: String,
    pub name: String,
    pub acronym: String,
    pub excerpt: String,
}

/// One structure as the directory hands it to the index.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub id: i64,
    pub sort_key: String,
    /// Name, acronym, offer, description.
    pub texts: [String; 4],
    /// Bit n set for the sector of id n.
    pub sectors: u64,
    /// Commune, intercommunality (0 for none), département ids.
    pub places: [i64; LEVELS],
    pub form: String,
    /// Ids of the clubs the structure is an active member of.
    pub groups: Vec<i64>,
    /// Holds a valid label (« démarche progrès »).
    pub labelled: bool,
    /// Latitude and longitude, when the entry has them.
    pub point: Option<(f64, f64)>,
    pub card: Card,
}

/// A search: folded words (see [`text::fold`]) and filters.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    pub words: &'a [String],
    /// Documents with any of these sector bits.
    pub sectors: Option<u64>,
    /// Documents whose place at this level (0 commune, 1 intercommunality, 2 département) has
    /// this id.
    pub place: Option<(usize, i64)>,
    pub form: Option<&'a str>,
    pub group: Option<i64>,
    /// Only labelled documents.
    pub labelled: bool,
    /// Only documents placed inside this box: west, south, east, north (degrees).
    pub zone: Option<[f32; 4]>,
    /// Results by distance from this point (latitude, longitude), nearest first; documents
    /// without a place come last.
    pub near: Option<[f32; 2]>,
    pub offset: usize,
    pub limit: usize,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub card: Card,
    pub form: String,
    pub commune: i64,
    pub sectors: u64,
    /// From the query's `near` point, in kilometres (none without `near` or a place).
    pub distance_km: Option<f32>,
}

/// One page of results, the total and every facet's counts (values with no match left out).
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub hits: Vec<Hit>,
    pub total: u64,
    /// Count per sector bit.
    pub sectors: Vec<(u32, u64)>,
    /// Counts per intercommunality id, then per département id.
    pub intercommunalities: Vec<(i64, u64)>,
    pub departements: Vec<(i64, u64)>,
    pub forms: Vec<(String, u64)>,
    pub groups: Vec<(i64, u64)>,
    /// Labelled documents.
    pub labelled: u64,
}

/// A facet value's id, slug and name.
#[derive(Debug, Clone, Default)]
pub struct Label {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// The names the directory shows for the ids the index counts, read with the documents.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// In display order; a sector's bit is its id.
    pub sectors: Vec<Label>,
    pub places: HashMap<i64, Label>,
    /// Slug → (level, id).
    pub places_by_slug: HashMap<String, (usize, i64)>,
    pub groups: HashMap<i64, Label>,
    /// « près de… »: a commune's slug or a postal code → where it is.
    pub spots: HashMap<String, Spot>,
}

/// A place people search near: its name as shown, and the mean place of its entries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spot {
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// Figures about the index, for the log and the benchmark.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub documents: usize,
    pub dead: usize,
    pub words: usize,
    pub postings: usize,
    /// Bytes held by the index's own arrays (an estimate, allocator overhead left out).
    pub bytes: usize,
}
