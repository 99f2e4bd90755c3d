//! What a query word finds: the word, its French stem, the words it begins, and from five letters
//! the words one typo away, each kind weighing less than the one before.

use crate::search::Index;
use crate::search::index::PREFIX;
use crate::search::index::PREFIX_MIN;
use crate::search::index::Scratch;
use crate::search::index::TYPO;
use crate::search::index::TYPO_MIN_QUERY;
use crate::search::text;
use std::collections::HashMap;
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
    /// scores; `None` when there are no words (everything matches).
    pub(super) fn text_matches(&self, words: &[String], scratch: &mut Scratch) -> bool {
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
            if groups.len() == 1 {
                // One word: every slot it touched matches, no second list to keep.
                break;
            }
            if round == 0 {
                candidates.clone_from(touched);
            }
            candidates.retain(|slot| hits[*slot as usize] == next);
        }
        // (Merging one word's sorted posting lists with a heap instead, without the scattered
        // scores, was measured slower: 1,390 against 2,053 req/s for `q=emploi` at 200,000.)
        let found = if groups.len() == 1 {
            &*touched
        } else {
            &*candidates
        };
        matches.reserve(found.len());
        matches.extend(
            found
                .iter()
                // The alive bit set, not each slot's meta: 25 KB read instead of a line per
                // match (a quarter of a dense search's time went to that wait).
                .filter(|slot| self.bits.alive.get(**slot as usize))
                .map(|slot| (*slot, scores[*slot as usize])),
        );
        for slot in touched.iter() {
            hits[*slot as usize] = 0;
            scores[*slot as usize] = 0.0;
        }
        true
    }
}
