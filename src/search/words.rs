//! What a query word finds: the word, its French stem, the words it begins, and from five letters
//! the words one typo away, each kind weighing less than the one before.

use crate::search::Index;
use crate::search::bitsets::Bits;
use crate::search::index::PREFIX;
use crate::search::index::PREFIX_MIN;
use crate::search::index::Postings;
use crate::search::index::Scratch;
use crate::search::index::TYPO;
use crate::search::index::TYPO_MIN_QUERY;
use crate::search::remembered::WordMatches;
use crate::search::text;
use std::collections::HashMap;
use std::sync::Arc;

/// What a search's words found (see [`Index::text_matches`]).
pub(super) enum Found {
    /// No words (or only stop words): everything matches.
    Everything,
    /// Worked out in the scratch's `matches` and `found`.
    InScratch,
    /// Kept from an earlier search of the same word (see `remembered`).
    Remembered(Arc<WordMatches>),
}

impl Found {
    /// The matches, (slot, score) in slot order, and the same slots as a bit set; `None` when
    /// everything matches.
    pub(super) fn view<'a>(&'a self, scratch: &'a Scratch) -> Option<(&'a [(u32, f32)], &'a Bits)> {
        match self {
            Found::Everything => None,
            Found::InScratch => Some((&scratch.matches, &scratch.found)),
            Found::Remembered(kept) => Some((&kept.matches, &kept.found)),
        }
    }
}
impl Index {
    /// The words a query word stands for, each with its weight (see the module's comment).
    pub(super) fn expand(&self, word: &str) -> Vec<(u32, f32)> {
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

    pub(super) fn idf(&self, word: u32) -> f32 {
        let n = self.ids.len() as f32;
        let df = self.postings[word as usize].slots.len() as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The live slots holding every word (each through any of its expansions), with their
    /// scores (see [`Found`]): a dense word searched alone is kept for the next search of it.
    pub(super) fn text_matches(&self, words: &[String], scratch: &mut Scratch) -> Found {
        let words: Vec<&String> = words.iter().filter(|w| !text::is_stop_word(w)).collect();
        let alone = match words[..] {
            [word] => Some(word.as_str()),
            _ => None,
        };
        if let Some(kept) = alone.and_then(|word| self.remembered(word)) {
            return Found::Remembered(kept);
        }
        if !self.work_out_matches(&words, scratch) {
            return Found::Everything;
        }
        if let Some(word) = alone {
            self.remember(word, &scratch.matches, &scratch.found);
        }
        Found::InScratch
    }

    /// [`Index::text_matches`] worked out, in `scratch.matches`, and as a bit set in
    /// `scratch.found`; false when there are no words (everything matches).
    ///
    /// Each word's postings add into one score per slot and mark a bit set of the slots
    /// reached; a later word keeps only the slots already marked. The matches are then read
    /// off the bit set word by word, so they come in slot order without a sort, already
    /// crossed with the live slots, and each score is reset as it is read. (Before, a list of
    /// touched slots and a byte per slot counting the words found visited each match five
    /// times; with this, `q=emploi` at 200,000 structures went from 1,557 to 1,836 pages a
    /// second, computed each time, in one run of both builds.)
    fn work_out_matches(&self, words: &[&String], scratch: &mut Scratch) -> bool {
        scratch.matches.clear();
        if words.is_empty() {
            return false;
        }
        // Each word: its expansions' posting lists with their weights, worked out once for the
        // whole search, and their total length (what reading them costs).
        let mut groups: Vec<(usize, Vec<(&Postings, f32)>)> = words
            .iter()
            .map(|word| {
                let lists: Vec<(&Postings, f32)> = self
                    .expand(word)
                    .into_iter()
                    .map(|(id, factor)| (&self.postings[id as usize], self.idf(id) * factor))
                    .collect();
                let cost = lists.iter().map(|(postings, _)| postings.slots.len()).sum();
                (cost, lists)
            })
            .collect();
        let n = self.ids.len();
        scratch.found.clear_to(n);
        if groups.iter().any(|(cost, _)| *cost == 0) {
            return true;
        }
        groups.sort_by_key(|(cost, _)| *cost);
        if scratch.scores.len() < n {
            scratch.scores.resize(n, 0.0);
        }
        let Scratch {
            scores,
            found,
            next,
            matches,
            ..
        } = scratch;
        let alive = &self.bits.alive;
        if let [(_, lists)] = &groups[..]
            && let [(postings, weight)] = &lists[..]
        {
            // One word standing for one word: its posting list is the answer.
            let weight = *weight;
            matches.reserve(postings.slots.len());
            found.add_each(&postings.slots, |at, slot| {
                let live = alive.get(slot);
                if live {
                    matches.push((slot as u32, weight * postings.weights[at]));
                }
                live
            });
            return true;
        }
        let (_, first) = &groups[0];
        for (postings, weight) in first {
            let weight = *weight;
            found.add_each(&postings.slots, |at, slot| {
                scores[slot] += weight * postings.weights[at];
                true
            });
        }
        for (cost, lists) in &groups[1..] {
            next.clear_to(n);
            // Few slots left: look each one up in the word's posting lists.
            if found.count() as usize * lists.len() * 24 < *cost {
                for slot in found.ones() {
                    for (postings, weight) in lists {
                        if let Ok(at) = postings.slots.binary_search(&(slot as u32)) {
                            scores[slot] += weight * postings.weights[at];
                            next.set(slot);
                        }
                    }
                }
            } else {
                for (postings, weight) in lists {
                    let weight = *weight;
                    next.add_each(&postings.slots, |at, slot| {
                        let reached = found.get(slot);
                        if reached {
                            scores[slot] += weight * postings.weights[at];
                        }
                        reached
                    });
                }
            }
            // The slots this word did not reach are out: their scores back to zero.
            for slot in found.ones_not_in(next) {
                scores[slot] = 0.0;
            }
            std::mem::swap(found, next);
        }
        found.drain_scores(alive, scores, matches);
        true
    }
}
