//! Adding documents: words folded and stemmed, weights precomputed once the index is finished.

use crate::search::Document;
use crate::search::Index;
use crate::search::index::Meta;
use crate::search::index::Postings;
use crate::search::index::StoredCard;
use crate::search::index::TYPO_MIN_INDEXED;
use crate::search::index::at;
use crate::search::index::bm25;
use crate::search::text;
use std::collections::HashMap;
/// Builds an index from documents added one by one (read from the database in batches), so
/// that only the index itself stays in memory: weights are computed at the end, once the mean
/// field lengths are known.
#[derive(Default)]
pub struct Builder {
    pub(super) index: Index,
    pub(super) lengths: Vec<[u32; 4]>,
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

impl Index {
    /// Adds a document in a new slot. While building (`lengths` given), a posting holds the
    /// word's four term frequencies (packed, see [`Builder::finish`]) and the field lengths are
    /// recorded; afterwards it holds the BM25 weight, from the mean lengths of the build.
    pub(super) fn add(
        &mut self,
        mut document: Document,
        lengths_of_build: Option<&mut Vec<[u32; 4]>>,
    ) {
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
        self.points.push(match document.point {
            Some((latitude, longitude)) if latitude.is_finite() && longitude.is_finite() => {
                [longitude as f32, latitude as f32]
            }
            _ => [f32::NAN; 2],
        });
        self.cards.push(Some(StoredCard::new(document.card)));
        self.by_id.insert(document.id, slot);
    }

    pub(super) fn word_id(&mut self, word: &str) -> u32 {
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
        // Every batch of changes ends here, under the same write lock (kept words included).
        self.forget_words();
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
        self.ranks.clear();
        self.ranks.resize(self.meta.len(), u32::MAX);
        for (position, slot) in order.iter().enumerate() {
            // A live slot's rank is never u32::MAX: there are fewer than 2^32 slots.
            self.meta[*slot as usize].rank = position as u32;
            self.ranks[*slot as usize] = position as u32;
        }
        self.order = order;
        self.bits = crate::search::bitsets::FacetBits::of(self);
        self.grid = crate::search::geo::Grid::of(self);
    }
}
