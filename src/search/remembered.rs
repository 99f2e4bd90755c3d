//! What a dense query word found, kept for the next search of the same word while the index is
//! unchanged.
//!
//! A word in a quarter of the directory (« emploi » at 200,000 structures: 55,000 matches from
//! two posting lists) spent a fifth of its page adding its lists' weights into one score per
//! structure, then reading the matches back off a bit set. Those matches depend only on the word
//! and the index: kept, a search of the word reads them where they lie, and the rest of the search
//! (filters, facet counts, ranking, the page) is still worked out each time. Only a search of
//! one word is answered from here, and only a dense word is kept: a rare word costs less to
//! find again than to keep. [`Index::finish`], which ends every batch of changes, forgets
//! everything (see [`Index::forget_words`]), so an answer is never older than the index it
//! comes from.

use crate::search::Index;
use crate::search::bitsets::Bits;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;

/// At most this many bytes of matches are kept (a word in every structure takes 1.6 MB at
/// 200,000 structures; « emploi » 470 KB).
pub(super) const BUDGET: usize = 16 << 20;

/// One word's matches: (slot, score) in slot order, and the same slots as a bit set.
pub(super) struct WordMatches {
    pub(super) matches: Vec<(u32, f32)>,
    pub(super) found: Bits,
}

impl WordMatches {
    fn bytes(&self) -> usize {
        self.matches.len() * size_of::<(u32, f32)>() + self.found.bytes()
    }
}

/// The kept words, each with when it was last asked for.
#[derive(Default)]
pub(super) struct Remembered {
    words: HashMap<Box<str>, (Arc<WordMatches>, u64)>,
    bytes: usize,
    clock: u64,
}

impl Remembered {
    fn get(&mut self, word: &str) -> Option<Arc<WordMatches>> {
        self.clock += 1;
        let (matches, used) = self.words.get_mut(word)?;
        *used = self.clock;
        Some(Arc::clone(matches))
    }

    /// Keeps `matches` for `word`, forgetting the least recently asked words past the budget.
    fn keep(&mut self, word: &str, matches: Arc<WordMatches>) {
        let bytes = matches.bytes();
        if bytes > BUDGET || self.words.contains_key(word) {
            return;
        }
        while self.bytes + bytes > BUDGET {
            let Some(oldest) = self
                .words
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(word, _)| word.clone())
            else {
                break;
            };
            if let Some((gone, _)) = self.words.remove(&oldest) {
                self.bytes -= gone.bytes();
            }
        }
        self.clock += 1;
        self.bytes += bytes;
        self.words.insert(word.into(), (matches, self.clock));
    }

    pub(super) fn clear(&mut self) {
        self.words.clear();
        self.bytes = 0;
    }

    #[cfg(test)]
    pub(super) fn kept(&self) -> (usize, usize) {
        (self.words.len(), self.bytes)
    }
}

/// The lock around [`Remembered`]: held only to look a word up or to keep one.
#[derive(Default)]
pub(super) struct RememberedWords(Mutex<Remembered>);

impl RememberedWords {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Remembered> {
        // Each entry is whole before it goes in, and the lock only guards a look-up or an
        // insertion: after a panic under it, what is kept is still right to read.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Index {
    /// The kept matches of a one-word search, if any.
    pub(super) fn remembered(&self, word: &str) -> Option<Arc<WordMatches>> {
        self.remembered.lock().get(word)
    }

    /// Keeps a one-word search's matches when they are dense enough to be worth it.
    pub(super) fn remember(&self, word: &str, matches: &[(u32, f32)], found: &Bits) {
        if matches.len() < crate::search::bitsets::dense_from(self.meta.len()) {
            return;
        }
        let kept = Arc::new(WordMatches {
            matches: matches.to_vec(),
            found: found.clone(),
        });
        self.remembered.lock().keep(word, kept);
    }

    /// Forgets every kept word: called by [`Index::finish`] after each batch of changes (and by
    /// the index's benchmark, to time a dense word worked out).
    pub fn forget_words(&mut self) {
        self.remembered
            .0
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(count: usize) -> Arc<WordMatches> {
        Arc::new(WordMatches {
            matches: vec![(0, 1.0); count],
            found: Bits::zeros(0),
        })
    }

    /// Past the budget, the words asked for least recently go first; a word larger than the
    /// budget is not kept at all.
    #[test]
    fn the_budget_forgets_the_least_recently_asked() {
        let quarter = BUDGET / 4 / size_of::<(u32, f32)>();
        let mut kept = Remembered::default();
        for word in ["a", "b", "c", "d"] {
            kept.keep(word, matches(quarter));
        }
        assert_eq!(kept.kept(), (4, BUDGET));
        assert!(kept.get("a").is_some());
        kept.keep("e", matches(quarter));
        assert!(
            kept.get("b").is_none(),
            "« b » was the least recently asked"
        );
        for word in ["a", "c", "d", "e"] {
            assert!(kept.get(word).is_some(), "{word}");
        }
        assert_eq!(kept.kept(), (4, BUDGET));
        kept.keep("big", matches(2 * quarter + 1));
        assert_eq!(
            kept.kept().0,
            2,
            "three words made room for one over twice their size"
        );
        assert!(kept.get("big").is_some() && kept.get("e").is_some());
        kept.keep("huge", matches(BUDGET));
        assert!(kept.get("huge").is_none());
        assert!(kept.kept().1 <= BUDGET);
        kept.clear();
        assert_eq!(kept.kept(), (0, 0));
    }
}
