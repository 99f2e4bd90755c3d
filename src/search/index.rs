//! The index's storage: one posting list per distinct word, facet columns side by side, each
//! document's stored card; its life (build, replace a document, remove one) and its size.

use crate::search::Builder;
use crate::search::Card;
use crate::search::Document;
use crate::search::Labels;
use crate::search::Stats;
use crate::search::bitsets::Bits;
use crate::search::facets::FacetValues;
use std::cell::RefCell;
use std::collections::HashMap;

/// Field weights: name, acronym, offer, description.
pub(super) const WEIGHTS: [f32; 4] = [10.0, 10.0, 4.0, 1.0];
pub(super) const K1: f32 = 1.2;
pub(super) const B: f32 = 0.75;
/// What a word found another way weighs against the word itself (or a word of the same stem).
pub(super) const PREFIX: f32 = 0.8;
pub(super) const TYPO: f32 = 0.3;
/// Words indexed for typo tolerance, and query words searched with one typo: this long or more.
pub(super) const TYPO_MIN_INDEXED: usize = 4;
pub(super) const TYPO_MIN_QUERY: usize = 5;
/// Query words completed as prefixes: this long or more.
pub(super) const PREFIX_MIN: usize = 3;
/// The places of a document: commune, intercommunality, département.
pub const LEVELS: usize = 3;

/// A card in one allocation: slug, name, acronym and excerpt end at `ends`.
pub(super) struct StoredCard {
    pub(super) text: Box<str>,
    pub(super) ends: [u32; 3],
}

impl StoredCard {
    pub(super) fn new(card: Card) -> Self {
        let mut text = String::with_capacity(
            card.slug.len() + card.name.len() + card.acronym.len() + card.excerpt.len(),
        );
        let mut ends = [0; 3];
        for (end, part) in ends.iter_mut().zip([&card.slug, &card.name, &card.acronym]) {
            text.push_str(part);
            *end = text.len() as u32;
        }
        text.push_str(&card.excerpt);
        StoredCard {
            text: text.into(),
            ends,
        }
    }

    pub(super) fn card(&self) -> Card {
        let [a, b, c] = self.ends.map(|e| e as usize);
        Card {
            slug: self.text[..a].to_owned(),
            name: self.text[a..b].to_owned(),
            acronym: self.text[b..c].to_owned(),
            excerpt: self.text[c..].to_owned(),
        }
    }
}

#[derive(Default)]
pub(super) struct Postings {
    pub(super) slots: Vec<u32>,
    pub(super) weights: Vec<f32>,
}

/// The index proper; see [`SearchIndex`] for the shared, locked handle.
#[derive(Default)]
pub struct Index {
    // Per slot.
    pub(super) ids: Vec<i64>,
    /// What filters and facets read, in one cache line's half per slot.
    pub(super) meta: Vec<Meta>,
    pub(super) sort_keys: Vec<Box<str>>,
    /// Longitude and latitude (NaN for an entry without a place): what the map and distances
    /// read, apart from `meta` so that text searches do not carry it.
    pub(super) points: Vec<[f32; 2]>,
    /// The live placed slots by small square of the map (rebuilt by [`Index::finish`]).
    pub(super) grid: crate::search::geo::Grid,
    pub(super) cards: Vec<Option<StoredCard>>,
    /// The club lists that `Meta::group_of` points into.
    pub(super) group_lists: Vec<Box<[u32]>>,
    /// Live slots by sort key, then id.
    pub(super) order: Vec<u32>,
    pub(super) by_id: HashMap<i64, u32>,
    pub(super) dead: usize,

    // Vocabulary.
    pub(super) words: Vec<Box<str>>,
    pub(super) word_ids: HashMap<Box<str>, u32>,
    /// Word ids in alphabetical order (prefix ranges).
    pub(super) sorted_words: Vec<u32>,
    pub(super) stems: HashMap<Box<str>, Vec<u32>>,
    /// Hash of a word or of one of its one-letter deletions → word ids.
    pub(super) neighbours: HashMap<u64, Vec<u32>>,
    pub(super) postings: Vec<Postings>,
    /// Words added since `sorted_words` was last put in order.
    pub(super) unsorted: Vec<u32>,

    // Dictionaries of facet values: dense number ↔ id or text.
    pub(super) place_ids: [Vec<i64>; LEVELS],
    pub(super) place_numbers: [HashMap<i64, u32>; LEVELS],
    pub(super) form_names: Vec<Box<str>>,
    pub(super) group_ids: Vec<i64>,
    pub(super) group_numbers: HashMap<i64, u32>,

    /// Slots (live or dead) holding each facet value, in slot order: sector bit, place number
    /// per level, form number, club number; and the live documents per value.
    pub(super) lists: FacetValues<Vec<u32>>,
    pub(super) totals: FacetValues<u64>,
    /// The live slots of each facet value as bit sets (rebuilt by [`Index::finish`]).
    pub(super) bits: crate::search::bitsets::FacetBits,
    /// Each slot's position in `order` (`u32::MAX` when dead), apart from `meta`: the ranking
    /// of many matches reads only this.
    pub(super) ranks: Vec<u32>,
    /// Mean length in words of each field, fixed when the index is built.
    pub(super) mean_lengths: [f32; 4],
    pub labels: Labels,
    /// Dense words' matches, kept until the next change (see `remembered`).
    pub(super) remembered: crate::search::remembered::RememberedWords,
}

/// The BM25 weight of a word in a document from its term frequency and length in each field.
pub(super) fn bm25(frequencies: [u32; 4], lengths: [u32; 4], mean_lengths: [f32; 4]) -> f32 {
    let mut weight = 0.0;
    for field in 0..4 {
        let tf = frequencies[field] as f32;
        if tf > 0.0 {
            let norm = 1.0 - B + B * lengths[field] as f32 / mean_lengths[field];
            weight += WEIGHTS[field] * tf * (K1 + 1.0) / (tf + K1 * norm);
        }
    }
    weight
}

/// A number that sorts results: higher scores first, then by name (`rank`). Scores are never
/// negative, and the bits of a non-negative float sort like its value.
pub(super) fn order_key(score: f32, rank: u32) -> u64 {
    (u64::from(!score.max(0.0).to_bits()) << 32) | u64::from(rank)
}

/// A slot's facet values and state, together so that a search visiting it touches one line.
#[derive(Clone, Copy, Default)]
pub(super) struct Meta {
    pub(super) sectors: u64,
    /// Dense numbers of the commune, intercommunality and département.
    pub(super) places: [u32; LEVELS],
    /// Position in `Index::order` (`u32::MAX` when dead).
    pub(super) rank: u32,
    /// 0 for none, or 1 + the index in `Index::group_lists` of its clubs.
    pub(super) group_of: u32,
    pub(super) form: u8,
    pub(super) alive: bool,
    pub(super) labelled: bool,
}

/// Per-thread working memory of a search, reused from one search to the next.
#[derive(Default)]
pub(super) struct Scratch {
    /// A score per slot, zero outside a search.
    pub(super) scores: Vec<f32>,
    /// The text matches of the last search: (slot, score), in slot order, and as a bit set.
    pub(super) matches: Vec<(u32, f32)>,
    pub(super) found: Bits,
    /// The slots a later word reaches, while a search runs.
    pub(super) next: Bits,
    /// The slots of the page's results, in order.
    pub(super) passing: Vec<u32>,
    /// The best `offset + limit` ranked results so far: (order key, slot), the worst on top.
    pub(super) best: std::collections::BinaryHeap<(u64, u32)>,
}

thread_local! {
    pub(super) static SCRATCH: RefCell<Scratch> = RefCell::default();
}

pub(super) fn at<T: Default>(values: &mut Vec<T>, index: usize) -> &mut T {
    if values.len() <= index {
        values.resize_with(index + 1, T::default);
    }
    &mut values[index]
}

impl Index {
    /// An index of `documents` (see [`Builder`] to add them as they are read).
    pub fn build(documents: impl IntoIterator<Item = Document>) -> Index {
        let mut builder = Builder::default();
        for document in documents {
            builder.add(document);
        }
        builder.finish()
    }

    /// Replaces (or adds) a document; [`Index::finish`] must follow a batch of changes.
    pub fn upsert(&mut self, document: Document) {
        self.remove(document.id);
        self.add(document, None);
    }

    /// Forgets a document (its slot is marked dead); [`Index::finish`] must follow.
    pub fn remove(&mut self, id: i64) {
        if let Some(slot) = self.by_id.remove(&id) {
            let s = slot as usize;
            self.meta[s].alive = false;
            self.cards[s] = None;
            let mut bits = self.meta[s].sectors;
            while bits != 0 {
                self.totals.sectors[bits.trailing_zeros() as usize] -= 1;
                bits &= bits - 1;
            }
            for (level, number) in self.meta[s].places.iter().enumerate() {
                self.totals.places[level][*number as usize] -= 1;
            }
            self.totals.forms[self.meta[s].form as usize] -= 1;
            if self.meta[s].group_of != 0 {
                for g in &self.group_lists[self.meta[s].group_of as usize - 1] {
                    self.totals.groups[*g as usize] -= 1;
                }
                self.group_lists[self.meta[s].group_of as usize - 1] = Box::default();
            }
            if self.meta[s].labelled {
                self.totals.labelled -= 1;
            }
            self.dead += 1;
        }
    }

    pub fn contains(&self, id: i64) -> bool {
        self.by_id.contains_key(&id)
    }

    /// Slots of removed or replaced documents, still taking room until a rebuild.
    pub fn dead(&self) -> usize {
        self.dead
    }

    pub fn dead_share(&self) -> f64 {
        self.dead as f64 / self.ids.len().max(1) as f64
    }

    pub fn stats(&self) -> Stats {
        let postings: usize = self.postings.iter().map(|p| p.slots.len()).sum();
        let cards: usize = self.cards.iter().flatten().map(|c| c.text.len() + 28).sum();
        let words: usize = self.words.iter().map(|w| 2 * w.len() + 64).sum();
        Stats {
            documents: self.order.len(),
            dead: self.dead,
            words: self.words.len(),
            postings,
            bytes: postings * 8
                + self.ids.len() * (8 + 1 + 8 + 12 + 1 + 16 + 4 + 4 + 24)
                + self.sort_keys.iter().map(|k| k.len()).sum::<usize>()
                + cards
                + words
                + self.neighbours.len() * 48
                + self.bits.bytes()
                + self.ranks.len() * 4
                + self.points.len() * 8
                + self.grid.bytes(),
        }
    }
}
