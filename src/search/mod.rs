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

pub mod text;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Field weights: name, acronym, offer, description.
const WEIGHTS: [f32; 4] = [10.0, 10.0, 4.0, 1.0];
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// What a word found another way weighs against the word itself (or a word of the same stem).
const PREFIX: f32 = 0.8;
const TYPO: f32 = 0.3;
/// Words indexed for typo tolerance, and query words searched with one typo: this long or more.
const TYPO_MIN_INDEXED: usize = 4;
const TYPO_MIN_QUERY: usize = 5;
/// Query words completed as prefixes: this long or more.
const PREFIX_MIN: usize = 3;
/// The places of a document: commune, intercommunality, département.
pub const LEVELS: usize = 3;

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
    pub offset: usize,
    pub limit: usize,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: i64,
    pub card: Card,
    pub form: String,
    pub commune: i64,
    pub sectors: u64,
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

/// A card in one allocation: slug, name, acronym and excerpt end at `ends`.
struct StoredCard {
    text: Box<str>,
    ends: [u32; 3],
}

impl StoredCard {
    fn new(card: Card) -> Self {
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

    fn card(&self) -> Card {
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
struct Postings {
    slots: Vec<u32>,
    weights: Vec<f32>,
}

/// The index proper; see [`SearchIndex`] for the shared, locked handle.
#[derive(Default)]
pub struct Index {
    // Per slot.
    ids: Vec<i64>,
    /// What filters and facets read, in one cache line's half per slot.
    meta: Vec<Meta>,
    sort_keys: Vec<Box<str>>,
    cards: Vec<Option<StoredCard>>,
    /// The club lists that `Meta::group_of` points into.
    group_lists: Vec<Box<[u32]>>,
    /// Live slots by sort key, then id.
    order: Vec<u32>,
    by_id: HashMap<i64, u32>,
    dead: usize,

    // Vocabulary.
    words: Vec<Box<str>>,
    word_ids: HashMap<Box<str>, u32>,
    /// Word ids in alphabetical order (prefix ranges).
    sorted_words: Vec<u32>,
    stems: HashMap<Box<str>, Vec<u32>>,
    /// Hash of a word or of one of its one-letter deletions → word ids.
    neighbours: HashMap<u64, Vec<u32>>,
    postings: Vec<Postings>,
    /// Words added since `sorted_words` was last put in order.
    unsorted: Vec<u32>,

    // Dictionaries of facet values: dense number ↔ id or text.
    place_ids: [Vec<i64>; LEVELS],
    place_numbers: [HashMap<i64, u32>; LEVELS],
    form_names: Vec<Box<str>>,
    group_ids: Vec<i64>,
    group_numbers: HashMap<i64, u32>,

    /// Slots (live or dead) holding each facet value, in slot order: sector bit, place number
    /// per level, form number, club number; and the live documents per value.
    lists: FacetValues<Vec<u32>>,
    totals: FacetValues<u64>,
    /// Mean length in words of each field, fixed when the index is built.
    mean_lengths: [f32; 4],
    pub labels: Labels,
}

/// The BM25 weight of a word in a document from its term frequency and length in each field.
fn bm25(frequencies: [u32; 4], lengths: [u32; 4], mean_lengths: [f32; 4]) -> f32 {
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
fn order_key(score: f32, rank: u32) -> u64 {
    (u64::from(!score.max(0.0).to_bits()) << 32) | u64::from(rank)
}

/// Builds an index from documents added one by one (read from the database in batches), so
/// that only the index itself stays in memory: weights are computed at the end, once the mean
/// field lengths are known.
#[derive(Default)]
pub struct Builder {
    index: Index,
    lengths: Vec<[u32; 4]>,
}

impl Builder {
    pub fn add(&mut self, document: Document) {
        self.index.add(document, Some(&mut self.lengths));
    }

    pub fn finish(self) -> Index {
        let Builder { mut index, lengths } = self;
        let n = lengths.len().max(1) as f64;
        index.mean_lengths = std::array::from_fn(|field| {
            let sum: f64 = lengths.iter().map(|l| f64::from(l[field])).sum();
            ((sum / n) as f32).max(1.0)
        });
        let means = index.mean_lengths;
        for postings in &mut index.postings {
            for (slot, weight) in postings.slots.iter().zip(postings.weights.iter_mut()) {
                let tfs = weight.to_bits().to_le_bytes().map(u32::from);
                *weight = bm25(tfs, lengths[*slot as usize], means);
            }
        }
        index.finish();
        index
    }
}

/// A slot's facet values and state, together so that a search visiting it touches one line.
#[derive(Clone, Copy, Default)]
struct Meta {
    sectors: u64,
    /// Dense numbers of the commune, intercommunality and département.
    places: [u32; LEVELS],
    /// Position in `Index::order` (`u32::MAX` when dead).
    rank: u32,
    /// 0 for none, or 1 + the index in `Index::group_lists` of its clubs.
    group_of: u32,
    form: u8,
    alive: bool,
    labelled: bool,
}

#[derive(Clone, Copy)]
enum Facet {
    Sectors,
    Place,
    Form,
    Group,
    Label,
}

const FACETS: [Facet; 5] = [
    Facet::Sectors,
    Facet::Place,
    Facet::Form,
    Facet::Group,
    Facet::Label,
];

/// A query's filters as the index's dense numbers (see `Index::dense_filters`).
#[derive(Clone, Copy)]
struct Filters {
    sectors: Option<u64>,
    place: Option<(usize, u32)>,
    form: Option<u8>,
    group: Option<u32>,
    labelled: bool,
}

/// Something per facet value.
#[derive(Default)]
struct FacetValues<T> {
    sectors: Vec<T>,
    places: [Vec<T>; LEVELS],
    forms: Vec<T>,
    groups: Vec<T>,
    labelled: T,
}

fn at<T: Default>(values: &mut Vec<T>, index: usize) -> &mut T {
    if values.len() <= index {
        values.resize_with(index + 1, T::default);
    }
    &mut values[index]
}

/// Per-thread working memory of a search, reused from one search to the next.
#[derive(Default)]
struct Scratch {
    hits: Vec<u8>,
    scores: Vec<f32>,
    touched: Vec<u32>,
    candidates: Vec<u32>,
    /// The text matches of the last search: (slot, score).
    matches: Vec<(u32, f32)>,
    /// The slots of the page's results, in order.
    passing: Vec<u32>,
    /// The best `offset + limit` ranked results so far: (order key, slot), the worst on top.
    best: std::collections::BinaryHeap<(u64, u32)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
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

    /// Adds a document in a new slot. While building (`lengths` given), a posting holds the
    /// word's four term frequencies (packed, see [`Builder::finish`]) and the field lengths are
    /// recorded; afterwards it holds the BM25 weight, from the mean lengths of the build.
    fn add(&mut self, mut document: Document, lengths_of_build: Option<&mut Vec<[u32; 4]>>) {
        let texts = std::mem::take(&mut document.texts).map(|t| text::fold(&t, 100_000));
        let slot = self.ids.len() as u32;
        // Term frequency per word and field, and each field's length.
        let mut frequencies: HashMap<&str, [u16; 4]> = HashMap::new();
        let mut lengths = [0u32; 4];
        for (field, text) in texts.iter().enumerate() {
            for word in text::words(text) {
                lengths[field] += 1;
                let tf = &mut frequencies.entry(word).or_default()[field];
                *tf = tf.saturating_add(1);
            }
        }
        let building = lengths_of_build.is_some();
        if let Some(all) = lengths_of_build {
            all.push(lengths);
        }
        for (word, tfs) in frequencies {
            let weight = if building {
                f32::from_bits(u32::from_le_bytes(tfs.map(|tf| tf.min(255) as u8)))
            } else {
                bm25(tfs.map(u32::from), lengths, self.mean_lengths)
            };
            let word = self.word_id(word) as usize;
            self.postings[word].slots.push(slot);
            self.postings[word].weights.push(weight);
        }
        let places = std::array::from_fn(|level| {
            let id = document.places[level];
            let numbers = &mut self.place_numbers[level];
            let ids = &mut self.place_ids[level];
            *numbers.entry(id).or_insert_with(|| {
                ids.push(id);
                (ids.len() - 1) as u32
            })
        });
        let form = match self.form_names.iter().position(|f| **f == *document.form) {
            Some(position) => position as u8,
            None => {
                self.form_names.push(document.form.into());
                (self.form_names.len() - 1) as u8
            }
        };
        let mut group_of = 0;
        if !document.groups.is_empty() {
            let groups: Box<[u32]> = document
                .groups
                .iter()
                .map(|id| {
                    *self.group_numbers.entry(*id).or_insert_with(|| {
                        self.group_ids.push(*id);
                        (self.group_ids.len() - 1) as u32
                    })
                })
                .collect();
            self.group_lists.push(groups);
            group_of = self.group_lists.len() as u32;
        }
        let mut bits = document.sectors;
        while bits != 0 {
            let bit = bits.trailing_zeros() as usize;
            at(&mut self.lists.sectors, bit).push(slot);
            *at(&mut self.totals.sectors, bit) += 1;
            bits &= bits - 1;
        }
        for (level, number) in places.iter().enumerate() {
            at(&mut self.lists.places[level], *number as usize).push(slot);
            *at(&mut self.totals.places[level], *number as usize) += 1;
        }
        at(&mut self.lists.forms, form as usize).push(slot);
        *at(&mut self.totals.forms, form as usize) += 1;
        if group_of > 0 {
            for g in &self.group_lists[group_of as usize - 1] {
                at(&mut self.lists.groups, *g as usize).push(slot);
                *at(&mut self.totals.groups, *g as usize) += 1;
            }
        }
        if document.labelled {
            self.lists.labelled.push(slot);
            self.totals.labelled += 1;
        }
        self.ids.push(document.id);
        self.meta.push(Meta {
            sectors: document.sectors,
            places,
            rank: u32::MAX,
            group_of,
            form,
            alive: true,
            labelled: document.labelled,
        });
        self.sort_keys.push(document.sort_key.into());
        self.cards.push(Some(StoredCard::new(document.card)));
        self.by_id.insert(document.id, slot);
    }

    fn word_id(&mut self, word: &str) -> u32 {
        if let Some(id) = self.word_ids.get(word) {
            return *id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.into());
        self.word_ids.insert(word.into(), id);
        self.postings.push(Postings::default());
        self.stems
            .entry(text::stem(word).into())
            .or_default()
            .push(id);
        if word.len() >= TYPO_MIN_INDEXED {
            for hash in text::deletions(word).chain([text::hash(word.as_bytes())]) {
                let ids = self.neighbours.entry(hash).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        self.unsorted.push(id);
        id
    }

    /// Puts the alphabetical word list and the sort order back in shape after changes.
    pub fn finish(&mut self) {
        if !self.unsorted.is_empty() {
            let words = &self.words;
            if self.unsorted.len() > 64 {
                self.sorted_words.append(&mut self.unsorted);
                self.sorted_words
                    .sort_unstable_by(|a, b| words[*a as usize].cmp(&words[*b as usize]));
            } else {
                for id in self.unsorted.drain(..) {
                    let at = self
                        .sorted_words
                        .partition_point(|w| words[*w as usize] < words[id as usize]);
                    self.sorted_words.insert(at, id);
                }
            }
        }
        let key = |slot: u32| (&self.sort_keys[slot as usize], self.ids[slot as usize]);
        let mut order: Vec<u32> = std::mem::take(&mut self.order);
        order.retain(|slot| self.meta[*slot as usize].alive);
        let placed = order.len();
        let added: Vec<u32> = (0..self.ids.len() as u32)
            .filter(|slot| {
                self.meta[*slot as usize].alive && self.meta[*slot as usize].rank == u32::MAX
            })
            .collect();
        if added.len() > 64 || placed == 0 {
            order.extend(added);
            order.sort_unstable_by(|a, b| key(*a).cmp(&key(*b)));
        } else {
            for slot in added {
                let at = order.partition_point(|other| key(*other) < key(slot));
                order.insert(at, slot);
            }
        }
        for meta in &mut self.meta {
            meta.rank = u32::MAX;
        }
        for (position, slot) in order.iter().enumerate() {
            // A live slot's rank is never u32::MAX: there are fewer than 2^32 slots.
            self.meta[*slot as usize].rank = position as u32;
        }
        self.order = order;
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
                + self.neighbours.len() * 48,
        }
    }

    /// A query's filters as dense numbers; a value the index has never seen matches nothing.
    fn dense_filters(&self, query: &Query) -> Filters {
        const NOTHING: u32 = u32::MAX - 1;
        Filters {
            sectors: query.sectors,
            place: query.place.map(|(level, id)| {
                let level = level.min(LEVELS - 1);
                (
                    level,
                    *self.place_numbers[level].get(&id).unwrap_or(&NOTHING),
                )
            }),
            form: query.form.map(|f| {
                self.form_names
                    .iter()
                    .position(|name| **name == *f)
                    .map_or(u8::MAX, |p| p as u8)
            }),
            group: query
                .group
                .map(|id| *self.group_numbers.get(&id).unwrap_or(&NOTHING)),
            labelled: query.labelled,
        }
    }

    /// Whether slot `s` passes the filter on `facet` (always, when there is none).
    #[inline(always)]
    fn passes(&self, filters: &Filters, facet: Facet, s: usize) -> bool {
        let meta = &self.meta[s];
        match facet {
            Facet::Sectors => filters.sectors.is_none_or(|m| meta.sectors & m != 0),
            Facet::Place => filters.place.is_none_or(|(l, n)| meta.places[l] == n),
            Facet::Form => filters.form.is_none_or(|f| meta.form == f),
            Facet::Group => filters.group.is_none_or(|g| self.groups_of(s).contains(&g)),
            Facet::Label => !filters.labelled || meta.labelled,
        }
    }

    /// Whether slot `s` passes each filter, in the order of [`FACETS`]. Written out, not
    /// `FACETS.map`, which compiled to a call per facet and document on the search's hot path.
    #[inline(always)]
    fn passes_each(&self, filters: &Filters, s: usize) -> [bool; 5] {
        [
            self.passes(filters, Facet::Sectors, s),
            self.passes(filters, Facet::Place, s),
            self.passes(filters, Facet::Form, s),
            self.passes(filters, Facet::Group, s),
            self.passes(filters, Facet::Label, s),
        ]
    }

    /// The club numbers of slot `s`.
    fn groups_of(&self, s: usize) -> &[u32] {
        match self.meta[s].group_of {
            0 => &[],
            list => &self.group_lists[list as usize - 1],
        }
    }

    /// The words a query word stands for, each with its weight (see the module's comment).
    fn expand(&self, word: &str) -> Vec<(u32, f32)> {
        let mut found: HashMap<u32, f32> = HashMap::new();
        let mut offer = |id: u32, factor: f32| {
            let weight = found.entry(id).or_insert(0.0);
            *weight = weight.max(factor);
        };
        if let Some(id) = self.word_ids.get(word) {
            offer(*id, 1.0);
        }
        if let Some(ids) = self.stems.get(text::stem(word).as_str()) {
            for id in ids {
                offer(*id, 1.0);
            }
        }
        if word.len() >= PREFIX_MIN {
            let words = &self.words;
            let start = self
                .sorted_words
                .partition_point(|w| *words[*w as usize] < *word);
            for id in &self.sorted_words[start..] {
                if !words[*id as usize].starts_with(word) {
                    break;
                }
                offer(*id, PREFIX);
            }
        }
        if word.len() >= TYPO_MIN_QUERY {
            for hash in text::deletions(word).chain([text::hash(word.as_bytes())]) {
                for id in self.neighbours.get(&hash).into_iter().flatten() {
                    if text::within_one_edit(word, &self.words[*id as usize]) {
                        offer(*id, TYPO);
                    }
                }
            }
        }
        found.into_iter().collect()
    }

    fn idf(&self, word: u32) -> f32 {
        let n = self.ids.len() as f32;
        let df = self.postings[word as usize].slots.len() as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The live slots holding every word (each through any of its expansions), with their
    /// scores; `None` when there are no words (everything matches).
    fn text_matches(&self, words: &[String], scratch: &mut Scratch) -> bool {
        let words: Vec<&String> = words.iter().filter(|w| !text::is_stop_word(w)).collect();
        scratch.matches.clear();
        if words.is_empty() {
            return false;
        }
        let mut groups: Vec<(usize, Vec<(u32, f32)>)> = words
            .iter()
            .map(|word| {
                let expansions = self.expand(word);
                let cost = expansions
                    .iter()
                    .map(|(id, _)| self.postings[*id as usize].slots.len())
                    .sum();
                (cost, expansions)
            })
            .collect();
        if groups.iter().any(|(cost, _)| *cost == 0) {
            return true;
        }
        groups.sort_by_key(|(cost, _)| *cost);
        let n = self.ids.len();
        if scratch.hits.len() < n {
            scratch.hits.resize(n, 0);
            scratch.scores.resize(n, 0.0);
        }
        let Scratch {
            hits,
            scores,
            touched,
            candidates,
            matches,
            ..
        } = scratch;
        touched.clear();
        candidates.clear();
        for (round, (cost, expansions)) in groups.iter().enumerate() {
            let round = round as u8;
            let (now, next) = (round, round + 1);
            // Few candidates left: look each one up in the word's posting lists.
            let look_up = round > 0 && candidates.len() * expansions.len() * 24 < *cost;
            for (word, factor) in expansions {
                let postings = &self.postings[*word as usize];
                let weight = self.idf(*word) * factor;
                if look_up {
                    for slot in candidates.iter() {
                        let s = *slot as usize;
                        if (hits[s] == now || hits[s] == next)
                            && let Ok(at) = postings.slots.binary_search(slot)
                        {
                            hits[s] = next;
                            scores[s] += weight * postings.weights[at];
                        }
                    }
                } else {
                    for (slot, w) in postings.slots.iter().zip(&postings.weights) {
                        let s = *slot as usize;
                        if hits[s] == now {
                            if now == 0 {
                                touched.push(*slot);
                            }
                            hits[s] = next;
                            scores[s] += weight * w;
                        } else if hits[s] == next {
                            scores[s] += weight * w;
                        }
                    }
                }
            }
            if round == 0 {
                candidates.clone_from(touched);
            }
            candidates.retain(|slot| hits[*slot as usize] == next);
        }
        matches.extend(
            candidates
                .iter()
                .filter(|slot| self.meta[**slot as usize].alive)
                .map(|slot| (*slot, scores[*slot as usize])),
        );
        for slot in touched.iter() {
            hits[*slot as usize] = 0;
            scores[*slot as usize] = 0.0;
        }
        true
    }

    /// Answers a query (see [`Answer`]).
    pub fn search(&self, query: &Query) -> Answer {
        SCRATCH.with(|scratch| self.search_with(query, &mut scratch.borrow_mut()))
    }

    fn search_with(&self, query: &Query, scratch: &mut Scratch) -> Answer {
        let has_words = self.text_matches(query.words, scratch);
        let mut passing = std::mem::take(&mut scratch.passing);
        passing.clear();
        let mut best = std::mem::take(&mut scratch.best);
        best.clear();
        let matches = has_words.then_some(&scratch.matches);
        let dense = self.dense_filters(query);
        let Filters {
            sectors: _,
            place,
            form,
            group,
            labelled,
        } = dense;

        let mut sector_counts = [0u64; 64];
        let mut place_counts = [
            Vec::new(),
            vec![0u64; self.place_ids[1].len()],
            vec![0u64; self.place_ids[2].len()],
        ];
        let mut form_counts = vec![0u64; self.form_names.len()];
        let mut group_counts = vec![0u64; self.group_ids.len()];
        let mut label_count = 0u64;
        let mut total = 0u64;
        let window = query.offset..query.offset.saturating_add(query.limit);
        // Without words, the documents that miss at most one filter are those of the filters'
        // value lists (see `walk_lists`); without words or filters, every document passes.
        let filters = usize::from(dense.sectors.is_some())
            + usize::from(place.is_some())
            + usize::from(form.is_some())
            + usize::from(group.is_some())
            + usize::from(labelled);
        let ranked = matches.is_some() || filters > 0;

        let mut visit = |slot: u32, score: f32| {
            let s = slot as usize;
            let [in_sectors, in_place, in_form, in_group, in_label] = self.passes_each(&dense, s);
            let groups = self.groups_of(s);
            let misses = u8::from(!in_sectors)
                + u8::from(!in_place)
                + u8::from(!in_form)
                + u8::from(!in_group)
                + u8::from(!in_label);
            if misses > 1 {
                return;
            }
            if in_place && in_form && in_group && in_label {
                let mut bits = self.meta[s].sectors;
                while bits != 0 {
                    sector_counts[bits.trailing_zeros() as usize] += 1;
                    bits &= bits - 1;
                }
            }
            if in_sectors && in_form && in_group && in_label {
                let [_, intercommunality, departement] = self.meta[s].places;
                place_counts[1][intercommunality as usize] += 1;
                place_counts[2][departement as usize] += 1;
            }
            if in_sectors && in_place && in_group && in_label {
                form_counts[self.meta[s].form as usize] += 1;
            }
            if in_sectors && in_place && in_form && in_label {
                for g in groups {
                    group_counts[*g as usize] += 1;
                }
            }
            if in_sectors && in_place && in_form && in_group && self.meta[s].labelled {
                label_count += 1;
            }
            if misses == 0 {
                if ranked {
                    // Only the page's results and those before it are kept: a bounded heap
                    // whose worst key is on top, so most documents cost one comparison.
                    let key = order_key(score, self.meta[s].rank);
                    if best.len() < window.end {
                        best.push((key, slot));
                    } else if let Some(mut worst) = best.peek_mut()
                        && key < worst.0
                    {
                        *worst = (key, slot);
                    }
                } else if window.contains(&(total as usize)) {
                    passing.push(slot);
                }
                total += 1;
            }
        };
        let mut own_totals = None;
        match matches {
            Some(matches) => {
                for (slot, score) in matches {
                    visit(*slot, *score);
                }
            }
            None if filters == 0 => {
                total = self.order.len() as u64;
                for slot in self.order.iter().skip(window.start).take(query.limit) {
                    passing.push(*slot);
                }
            }
            None => {
                // Each filter: whether a slot passes it, and the slots that may.
                use std::borrow::Cow;
                fn list(lists: &[Vec<u32>], number: usize) -> Cow<'_, [u32]> {
                    Cow::Borrowed(lists.get(number).map_or(&[][..], Vec::as_slice))
                }
                let mut lists: Vec<(Facet, Cow<'_, [u32]>)> = Vec::new();
                if let Some(mask) = query.sectors {
                    let mut slots: Vec<u32> = (0..64usize)
                        .filter(|bit| mask & (1u64 << bit) != 0)
                        .flat_map(|bit| self.lists.sectors.get(bit).into_iter().flatten())
                        .copied()
                        .collect();
                    if mask.count_ones() > 1 {
                        slots.sort_unstable();
                        slots.dedup();
                    }
                    lists.push((Facet::Sectors, Cow::Owned(slots)));
                }
                if let Some((level, number)) = place {
                    lists.push((
                        Facet::Place,
                        list(&self.lists.places[level], number as usize),
                    ));
                }
                if let Some(form) = form {
                    lists.push((Facet::Form, list(&self.lists.forms, form as usize)));
                }
                if let Some(group) = group {
                    lists.push((Facet::Group, list(&self.lists.groups, group as usize)));
                }
                if labelled {
                    lists.push((Facet::Label, Cow::Borrowed(&self.lists.labelled[..])));
                }
                lists.sort_by_key(|(_, slots)| slots.len());
                // A document missing at most one filter is in the list of every filter but
                // one: in the first list, or in the second and not the first.
                let (first_facet, first) = &lists[0];
                for slot in first.iter() {
                    if self.meta[*slot as usize].alive {
                        visit(*slot, 0.0);
                    }
                }
                if let Some((_, second)) = lists.get(1) {
                    for slot in second.iter() {
                        let s = *slot as usize;
                        if self.meta[s].alive && !self.passes(&dense, *first_facet, s) {
                            visit(*slot, 0.0);
                        }
                    }
                } else {
                    // One filter: its own facet counts every document.
                    own_totals = Some(*first_facet);
                }
            }
        }
        // Facets counted over every live document: the lone filter's own, or all of them.
        let from_totals: &[Facet] = match own_totals {
            Some(facet) => &[facet][..],
            None if matches.is_none() && filters == 0 => &FACETS,
            None => &[],
        };
        for facet in from_totals {
            match facet {
                Facet::Sectors => {
                    for (bit, count) in self.totals.sectors.iter().enumerate() {
                        sector_counts[bit] = *count;
                    }
                }
                Facet::Place => {
                    for (level, counts) in place_counts.iter_mut().enumerate().skip(1) {
                        *counts = self.totals.places[level].clone();
                        counts.resize(self.place_ids[level].len(), 0);
                    }
                }
                Facet::Form => {
                    form_counts = self.totals.forms.clone();
                    form_counts.resize(self.form_names.len(), 0);
                }
                Facet::Group => {
                    group_counts = self.totals.groups.clone();
                    group_counts.resize(self.group_ids.len(), 0);
                }
                Facet::Label => label_count = self.totals.labelled,
            }
        }
        if ranked {
            // Keys are unique (a rank per live slot), so the order is total.
            let mut sorted = best.into_vec();
            sorted.sort_unstable();
            passing.extend(sorted.drain(..).skip(window.start).map(|(_, slot)| slot));
            best = sorted.into();
        }
        scratch.best = best;
        let hits = passing
            .iter()
            .filter_map(|slot| {
                let s = *slot as usize;
                Some(Hit {
                    id: self.ids[s],
                    card: self.cards[s].as_ref()?.card(),
                    form: self.form_names[self.meta[s].form as usize].to_string(),
                    commune: self.place_ids[0][self.meta[s].places[0] as usize],
                    sectors: self.meta[s].sectors,
                })
            })
            .collect();
        scratch.passing = passing;
        let nonzero = |counts: &[u64], ids: &[i64]| -> Vec<(i64, u64)> {
            counts
                .iter()
                .zip(ids)
                .filter(|(count, id)| **count > 0 && **id != 0)
                .map(|(count, id)| (*id, *count))
                .collect()
        };
        Answer {
            hits,
            total,
            sectors: (0..64u32)
                .filter(|bit| sector_counts[*bit as usize] > 0)
                .map(|bit| (bit, sector_counts[bit as usize]))
                .collect(),
            intercommunalities: nonzero(&place_counts[1], &self.place_ids[1]),
            departements: nonzero(&place_counts[2], &self.place_ids[2]),
            forms: form_counts
                .iter()
                .zip(&self.form_names)
                .filter(|(count, _)| **count > 0)
                .map(|(count, name)| (name.to_string(), *count))
                .collect(),
            groups: nonzero(&group_counts, &self.group_ids),
            labelled: label_count,
        }
    }

    /// The ids of every live document matching the query's words and filters, in sort order
    /// (the exports).
    pub fn matching_ids(&self, query: &Query) -> Vec<i64> {
        let dense = self.dense_filters(query);
        let mut slots: Vec<u32> = SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            if self.text_matches(query.words, &mut scratch) {
                scratch.matches.iter().map(|(slot, _)| *slot).collect()
            } else {
                self.order.clone()
            }
        });
        slots.retain(|slot| self.passes_each(&dense, *slot as usize) == [true; 5]);
        slots.sort_unstable_by_key(|slot| self.meta[*slot as usize].rank);
        slots
            .into_iter()
            .map(|slot| self.ids[slot as usize])
            .collect()
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
}

/// The index shared by the request handlers of one app server, and its state of readiness.
pub struct SearchIndex {
    index: RwLock<Index>,
    ready: tokio::sync::watch::Sender<bool>,
    /// Held by whoever reads the change log, so that two catch-ups never interleave.
    pub follower: tokio::sync::Mutex<Follower>,
}

/// Where an app server stands in the change log (see `features::directory::index`).
#[derive(Debug, Default)]
pub struct Follower {
    /// Every change up to this sequence number is applied.
    pub low: i64,
    /// Changes above `low` already applied, with when they were.
    pub recent: std::collections::BTreeMap<i64, std::time::Instant>,
}

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex {
            index: RwLock::default(),
            ready: tokio::sync::watch::Sender::new(false),
            follower: tokio::sync::Mutex::default(),
        }
    }
}

impl SearchIndex {
    /// Waits until the index has been built once.
    pub async fn ready(&self) {
        let mut receiver = self.ready.subscribe();
        // The sender lives as long as `self`: waiting cannot fail.
        let _ = receiver.wait_for(|ready| *ready).await;
    }

    pub fn is_ready(&self) -> bool {
        *self.ready.borrow()
    }

    /// Replaces the whole index (a build or a rebuild) and marks it ready.
    pub fn replace(&self, index: Index) {
        *self.write() = index;
        self.ready.send_replace(true);
    }

    pub fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.index
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Index> {
        self.index
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(id: i64, name: &str, offer: &str, description: &str) -> Document {
        Document {
            id,
            sort_key: text::fold(name, 100),
            texts: [name.into(), String::new(), offer.into(), description.into()],
            sectors: 1 << (id % 3 + 1),
            places: [100 + id % 2, if id % 4 == 0 { 0 } else { 20 }, 30 + id % 2],
            form: if id % 2 == 0 { "association" } else { "scop" }.into(),
            groups: if id % 5 == 0 { vec![7] } else { vec![] },
            labelled: false,
            card: Card {
                slug: format!("s{id}"),
                name: name.into(),
                ..Card::default()
            },
        }
    }

    fn names(index: &Index, words: &[&str]) -> Vec<String> {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        index
            .search(&Query {
                words: &words,
                limit: 20,
                ..Query::default()
            })
            .hits
            .into_iter()
            .map(|h| h.card.name)
            .collect()
    }

    #[test]
    fn words_stems_prefixes_and_typos_rank_in_that_order() {
        let index = Index::build([
            document(1, "Recyclerie du Port", "", ""),
            document(2, "Atelier Bois", "recyclage de mobilier", ""),
            document(3, "Jardin partagé", "", "le recyclage des déchets verts"),
            document(4, "Les Recycleries réunies", "", ""),
            document(5, "Insertion Plus", "", ""),
        ]);
        assert_eq!(
            names(&index, &["recyclage"]),
            ["Atelier Bois", "Jardin partagé"]
        );
        assert_eq!(names(&index, &["recycleries"]).len(), 2);
        assert_eq!(names(&index, &["recycl"]).len(), 4);
        assert_eq!(
            names(&index, &["recylage"]),
            ["Atelier Bois", "Jardin partagé"]
        );
        assert_eq!(names(&index, &["insersion"]), ["Insertion Plus"]);
        assert!(names(&index, &["ins"]).contains(&"Insertion Plus".to_owned()));
        assert!(names(&index, &["xyzzy"]).is_empty());
        // Every word must match.
        assert_eq!(names(&index, &["recyclage", "mobilier"]), ["Atelier Bois"]);
    }

    #[test]
    fn facets_leave_out_their_own_filter_and_match_the_total() {
        let index =
            Index::build((1..=40).map(|id| document(id, &format!("Structure {id}"), "", "")));
        let all = index.search(&Query {
            limit: 5,
            ..Query::default()
        });
        assert_eq!(all.total, 40);
        assert_eq!(all.hits.len(), 5);
        assert_eq!(all.forms.iter().map(|(_, c)| c).sum::<u64>(), 40);
        let scop = index.search(&Query {
            form: Some("scop"),
            sectors: Some(1 << 1),
            limit: 100,
            ..Query::default()
        });
        assert_eq!(scop.total as usize, scop.hits.len());
        assert!(
            scop.hits
                .iter()
                .all(|h| h.form == "scop" && h.sectors & 2 != 0)
        );
        // The form facet ignores the form filter but keeps the sector one.
        let in_sector = index.search(&Query {
            sectors: Some(1 << 1),
            limit: 100,
            ..Query::default()
        });
        let scop_count = scop.forms.iter().find(|(f, _)| f == "scop").unwrap().1;
        assert_eq!(scop_count, scop.total);
        assert_eq!(
            scop.forms.iter().map(|(_, c)| c).sum::<u64>(),
            in_sector.total
        );
        let unknown = index.search(&Query {
            form: Some("inconnue"),
            limit: 10,
            ..Query::default()
        });
        assert_eq!(unknown.total, 0);
        assert!(!unknown.forms.is_empty());
    }

    #[test]
    fn changes_replace_documents_in_place_of_their_old_slot() {
        let mut index = Index::build([document(1, "Alpha", "", ""), document(2, "Beta", "", "")]);
        index.upsert(document(1, "Gamma", "", ""));
        index.upsert(document(3, "Aaa", "", ""));
        index.remove(2);
        index.finish();
        assert!(names(&index, &["alpha"]).is_empty());
        assert_eq!(names(&index, &["gamma"]), ["Gamma"]);
        assert_eq!(names(&index, &[]), ["Aaa", "Gamma"]);
        assert_eq!(index.stats().documents, 2);
        assert_eq!(index.matching_ids(&Query::default()), [3, 1]);
    }

    #[test]
    fn pages_follow_the_ranking() {
        let index = Index::build((1..=45).map(|id| document(id, &format!("Nom {id:02}"), "", "")));
        let page = |offset| {
            index
                .search(&Query {
                    words: &["nom".to_owned()],
                    offset,
                    limit: 20,
                    ..Query::default()
                })
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect::<Vec<_>>()
        };
        let all: Vec<i64> = [page(0), page(20), page(40)].concat();
        assert_eq!(all, (1..=45).collect::<Vec<_>>());
    }

    /// Every combination of filters, with and without words, against counts made naively.
    #[test]
    fn facet_counts_equal_naive_counts_for_every_filter_combination() {
        let vocabulary = ["recyclage", "jardin", "velo", "culture", "bois"];
        let documents: Vec<Document> = (1..=300)
            .map(|id: i64| {
                let mut d = document(
                    id,
                    &format!("Nom {id}"),
                    vocabulary[(id % 5) as usize],
                    vocabulary[(id * 7 % 5) as usize],
                );
                d.sectors = (1 << (id % 4 + 1)) | if id % 6 == 0 { 1 << 7 } else { 0 };
                d.places = [100 + id % 7, [0, 20, 21][(id % 3) as usize], 30 + id % 2];
                d.groups = [vec![], vec![7], vec![7, 8]][(id % 3) as usize].clone();
                d.labelled = id % 4 == 1;
                d
            })
            .collect();
        let mut index = Index::build(documents.clone());
        // Some changes after the build too.
        index.remove(5);
        index.upsert(Document {
            sectors: 1 << 3,
            ..documents[10].clone()
        });
        // A label lost, one gained.
        index.upsert(Document {
            labelled: false,
            ..documents[0].clone()
        });
        index.upsert(Document {
            labelled: true,
            ..documents[2].clone()
        });
        index.finish();
        let live: Vec<Document> = documents
            .into_iter()
            .filter(|d| d.id != 5)
            .map(|d| match d.id {
                11 => Document {
                    sectors: 1 << 3,
                    ..d
                },
                1 => Document {
                    labelled: false,
                    ..d
                },
                3 => Document {
                    labelled: true,
                    ..d
                },
                _ => d,
            })
            .collect();
        let words_options: [&[String]; 2] = [&[], &["jardin".to_owned()]];
        for words in words_options {
            for sectors in [None, Some(1u64 << 2), Some((1 << 3) | (1 << 7))] {
                for place in [
                    None,
                    Some((1, 20)),
                    Some((2, 31)),
                    Some((0, 103)),
                    Some((1, 99)),
                ] {
                    for form in [None, Some("scop")] {
                        for (group, labelled) in [
                            (None, false),
                            (Some(8), false),
                            (None, true),
                            (Some(8), true),
                        ] {
                            let query = Query {
                                words,
                                sectors,
                                place,
                                form,
                                group,
                                labelled,
                                offset: 0,
                                limit: 1000,
                            };
                            let answer = index.search(&query);
                            let has_word = |d: &Document| {
                                words.is_empty()
                                    || d.texts[2].contains(words[0].as_str())
                                    || d.texts[3].contains(words[0].as_str())
                            };
                            let pass = |d: &Document, skip: usize| {
                                has_word(d)
                                    && (skip == 0 || sectors.is_none_or(|m| d.sectors & m != 0))
                                    && (skip == 1 || place.is_none_or(|(l, id)| d.places[l] == id))
                                    && (skip == 2 || form.is_none_or(|f| d.form == f))
                                    && (skip == 3 || group.is_none_or(|g| d.groups.contains(&g)))
                                    && (skip == 4 || !labelled || d.labelled)
                            };
                            let label = format!(
                                "{words:?} {sectors:?} {place:?} {form:?} {group:?} {labelled}"
                            );
                            assert_eq!(
                                answer.labelled,
                                live.iter().filter(|d| pass(d, 4) && d.labelled).count() as u64,
                                "labelled {label}"
                            );
                            let total = live.iter().filter(|d| pass(d, 9)).count() as u64;
                            assert_eq!(answer.total, total, "{label}");
                            assert_eq!(answer.hits.len() as u64, total, "{label}");
                            for (bit, count) in &answer.sectors {
                                let naive = live
                                    .iter()
                                    .filter(|d| pass(d, 0) && d.sectors & (1 << bit) != 0)
                                    .count() as u64;
                                assert_eq!(*count, naive, "sector {bit} {label}");
                            }
                            let sector_sum: u64 = answer.sectors.iter().map(|(_, c)| c).sum();
                            let naive_sum: u64 = live
                                .iter()
                                .filter(|d| pass(d, 0))
                                .map(|d| u64::from(d.sectors.count_ones()))
                                .sum();
                            assert_eq!(sector_sum, naive_sum, "{label}");
                            for (id, count) in &answer.departements {
                                let naive = live
                                    .iter()
                                    .filter(|d| pass(d, 1) && d.places[2] == *id)
                                    .count();
                                assert_eq!(*count, naive as u64, "département {id} {label}");
                            }
                            for (id, count) in &answer.intercommunalities {
                                let naive = live
                                    .iter()
                                    .filter(|d| pass(d, 1) && d.places[1] == *id)
                                    .count();
                                assert_eq!(*count, naive as u64, "intercommunality {id} {label}");
                            }
                            let forms: u64 = answer.forms.iter().map(|(_, c)| c).sum();
                            assert_eq!(
                                forms,
                                live.iter().filter(|d| pass(d, 2)).count() as u64,
                                "{label}"
                            );
                            for (id, count) in &answer.groups {
                                let naive = live
                                    .iter()
                                    .filter(|d| pass(d, 3) && d.groups.contains(id))
                                    .count();
                                assert_eq!(*count, naive as u64, "club {id} {label}");
                            }
                            // Without words, results come in name order.
                            if words.is_empty() {
                                let ids: Vec<i64> = answer.hits.iter().map(|h| h.id).collect();
                                let mut sorted: Vec<&Document> =
                                    live.iter().filter(|d| pass(d, 9)).collect();
                                sorted
                                    .sort_by(|a, b| (&a.sort_key, a.id).cmp(&(&b.sort_key, b.id)));
                                let expected: Vec<i64> = sorted.iter().map(|d| d.id).collect();
                                assert_eq!(ids, expected, "{label}");
                            }
                        }
                    }
                }
            }
        }
    }
}
