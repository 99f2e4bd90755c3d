//! Facet counts over many matches as intersections of bit sets.
//!
//! Counting facet by facet document by document reads every match's [`Meta`](super::index::Meta)
//! (32 bytes a slot, all over the index): a word in a quarter of 200,000 structures read 6 MB
//! per search and spent its time waiting for memory. Past [`DENSE_FROM`] matches, the matches
//! become one bit per slot, each facet value already is one (built by [`Index::finish`]), and a
//! count is the population of an intersection: 3,125 words of 64 bits per value at 200,000
//! slots, read in order.

use std::borrow::Cow;
use std::collections::BinaryHeap;
use std::ops::Range;

use crate::search::Index;
use crate::search::LEVELS;
use crate::search::facets::Filters;
use crate::search::index::order_key;

/// One bit per slot.
#[derive(Clone, Default)]
pub(super) struct Bits(Vec<u64>);

static EMPTY: Bits = Bits(Vec::new());

impl Bits {
    pub(super) fn zeros(slots: usize) -> Self {
        Bits(vec![0; slots.div_ceil(64)])
    }

    #[inline(always)]
    pub(super) fn set(&mut self, slot: usize) {
        self.0[slot / 64] |= 1 << (slot % 64);
    }

    #[inline(always)]
    pub(super) fn get(&self, slot: usize) -> bool {
        self.0
            .get(slot / 64)
            .is_some_and(|word| word & (1 << (slot % 64)) != 0)
    }

    pub(super) fn count(&self) -> u64 {
        self.count_both(self)
    }

    /// Calls `each` with the position and the value of every slot of `slots` and adds to the
    /// set those it says yes to. Slots in increasing order (posting lists are) come in runs
    /// that fall in one word of the set, and a word is written once per run: setting them bit
    /// by bit chained each write to the one before through memory (a word found in a quarter
    /// of the slots has 16 in each word of 64). Any order gives the same set.
    #[inline(always)]
    pub(super) fn add_each(&mut self, slots: &[u32], mut each: impl FnMut(usize, usize) -> bool) {
        let (mut at, mut bits) = (usize::MAX, 0u64);
        for (position, slot) in slots.iter().enumerate() {
            let s = *slot as usize;
            if s / 64 != at {
                if bits != 0 {
                    self.0[at] |= bits;
                }
                (at, bits) = (s / 64, 0);
            }
            if each(position, s) {
                bits |= 1 << (s % 64);
            }
        }
        if bits != 0 {
            self.0[at] |= bits;
        }
    }

    /// Empties the set and makes it hold `slots` slots, keeping its memory.
    pub(super) fn clear_to(&mut self, slots: usize) {
        self.0.clear();
        self.0.resize(slots.div_ceil(64), 0);
    }

    /// The slots in the set, in order.
    pub(super) fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.ones_not_in(&EMPTY)
    }

    /// The slots in the set and not in `other`, in order.
    pub(super) fn ones_not_in<'a>(&'a self, other: &'a Bits) -> impl Iterator<Item = usize> + 'a {
        self.0.iter().enumerate().flat_map(move |(at, word)| {
            let mut bits = word & !other.0.get(at).copied().unwrap_or(0);
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let bit = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    at * 64 + bit
                })
            })
        })
    }

    /// Appends each slot of the set that is also in `alive` to `matches` with its score, resets
    /// the score of every slot of the set to zero, and keeps only the live slots in the set.
    pub(super) fn drain_scores(
        &mut self,
        alive: &Bits,
        scores: &mut [f32],
        matches: &mut Vec<(u32, f32)>,
    ) {
        for (at, word) in self.0.iter_mut().enumerate() {
            let live = *word & alive.0.get(at).copied().unwrap_or(0);
            let mut bits = *word;
            while bits != 0 {
                let slot = at * 64 + bits.trailing_zeros() as usize;
                if live & (bits & bits.wrapping_neg()) != 0 {
                    matches.push((slot as u32, scores[slot]));
                }
                scores[slot] = 0.0;
                bits &= bits - 1;
            }
            *word = live;
        }
    }

    /// How many slots are in both.
    pub(super) fn count_both(&self, other: &Bits) -> u64 {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("popcnt")
        {
            // SAFETY: the processor has just been seen to have both instruction sets.
            return unsafe { count_both_avx2(&self.0, &other.0) };
        }
        count_both_words(&self.0, &other.0)
    }

    /// Keeps only the slots also in `other`.
    pub(super) fn keep_both(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
        let common = other.0.len().min(self.0.len());
        for a in &mut self.0[common..] {
            *a = 0;
        }
    }

    /// Adds the slots of `other`.
    pub(super) fn add_all(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    pub(super) fn bytes(&self) -> usize {
        self.0.len() * 8
    }
}

/// The population of `a & b`. Built for the baseline x86-64 (no `popcnt` instruction), a
/// count is a dozen arithmetic instructions per word: 40 % of a dense search's time went there.
#[inline(always)]
fn count_both_words(a: &[u64], b: &[u64]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(a, b)| u64::from((a & b).count_ones()))
        .sum()
}

/// [`count_both_words`] compiled for processors with AVX2 and `popcnt` (nearly every x86-64
/// server since 2013), chosen at run time so the binary still runs on the others.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
fn count_both_avx2(a: &[u64], b: &[u64]) -> u64 {
    count_both_words(a, b)
}

/// The live slots of each facet value, and of the index. Communes (level 0) are many and never
/// counted: a commune filter makes its set from its list.
#[derive(Default)]
pub(super) struct FacetBits {
    pub(super) alive: Bits,
    pub(super) sectors: Vec<Bits>,
    pub(super) places: [Vec<Bits>; LEVELS],
    pub(super) forms: Vec<Bits>,
    pub(super) groups: Vec<Bits>,
    pub(super) labelled: Bits,
}

impl FacetBits {
    /// The sets of `index` as its slots stand.
    pub(super) fn of(index: &Index) -> Self {
        let slots = index.meta.len();
        let sets = |values: usize| vec![Bits::zeros(slots); values];
        let mut bits = FacetBits {
            alive: Bits::zeros(slots),
            sectors: sets(index.totals.sectors.len()),
            places: std::array::from_fn(|level| {
                if level == 0 {
                    Vec::new()
                } else {
                    sets(index.place_ids[level].len())
                }
            }),
            forms: sets(index.form_names.len()),
            groups: sets(index.group_ids.len()),
            labelled: Bits::zeros(slots),
        };
        for (s, meta) in index.meta.iter().enumerate() {
            if !meta.alive {
                continue;
            }
            bits.alive.set(s);
            let mut sectors = meta.sectors;
            while sectors != 0 {
                let bit = sectors.trailing_zeros() as usize;
                if let Some(set) = bits.sectors.get_mut(bit) {
                    set.set(s);
                }
                sectors &= sectors - 1;
            }
            for level in 1..LEVELS {
                if let Some(set) = bits.places[level].get_mut(meta.places[level] as usize) {
                    set.set(s);
                }
            }
            if let Some(set) = bits.forms.get_mut(meta.form as usize) {
                set.set(s);
            }
            for g in index.groups_of(s) {
                if let Some(set) = bits.groups.get_mut(*g as usize) {
                    set.set(s);
                }
            }
            if meta.labelled {
                bits.labelled.set(s);
            }
        }
        bits
    }

    pub(super) fn bytes(&self) -> usize {
        let all = |sets: &[Bits]| sets.iter().map(Bits::bytes).sum::<usize>();
        self.alive.bytes()
            + all(&self.sectors)
            + self.places.iter().map(|p| all(p)).sum::<usize>()
            + all(&self.forms)
            + all(&self.groups)
            + self.labelled.bytes()
    }
}

/// Every facet's counts and the total of a search counted with bit sets.
pub(super) struct Counted {
    pub(super) sectors: [u64; 64],
    pub(super) places: [Vec<u64>; LEVELS],
    pub(super) forms: Vec<u64>,
    pub(super) groups: Vec<u64>,
    pub(super) labelled: u64,
    pub(super) total: u64,
}

impl Index {
    /// Counts every facet of a search with bit sets, each facet with every filter but its own
    /// (as [`Index::search`] does match by match), and puts its ranked results in `best` (with
    /// words: (order key, slot), the worst on top, at most `window.end`) or, without words,
    /// the window's slots in `passing`, in order.
    pub(super) fn count_with_bits(
        &self,
        dense: &Filters,
        matches: Option<(&[(u32, f32)], &Bits)>,
        window: &Range<usize>,
        best: &mut BinaryHeap<(u64, u32)>,
        passing: &mut Vec<u32>,
    ) -> Counted {
        let slots = self.meta.len();
        let bits = &self.bits;
        // What the query's words (or, without words, the index) hold.
        let base: &Bits = match matches {
            Some((_, found)) => found,
            None => &bits.alive,
        };
        // Each filter's set, in the order of `FACETS`.
        let none = Bits::zeros(0);
        let mut sectors_set = None;
        if let Some(mask) = dense.sectors {
            let mut union = Bits::zeros(slots);
            for (bit, set) in bits.sectors.iter().enumerate() {
                if mask & (1u64 << bit) != 0 {
                    union.add_all(set);
                }
            }
            sectors_set = Some(union);
        }
        let mut commune_set = None;
        let place_set: Option<&Bits> = match dense.place {
            None => None,
            Some((0, number)) => {
                let mut set = Bits::zeros(slots);
                for slot in self.lists.places[0]
                    .get(number as usize)
                    .into_iter()
                    .flatten()
                {
                    set.set(*slot as usize);
                }
                Some(&*commune_set.insert(set))
            }
            Some((level, number)) => Some(bits.places[level].get(number as usize).unwrap_or(&none)),
        };
        let filters: [Option<&Bits>; 5] = [
            sectors_set.as_ref(),
            place_set,
            dense
                .form
                .map(|f| bits.forms.get(f as usize).unwrap_or(&none)),
            dense
                .group
                .map(|g| bits.groups.get(g as usize).unwrap_or(&none)),
            dense.labelled.then_some(&bits.labelled),
        ];
        // What passes every filter but the one left out (`None`: every filter); the words'
        // set itself, not a copy, when no filter applies.
        let passing_all_but = |left_out: Option<usize>| -> Cow<'_, Bits> {
            let mut set = Cow::Borrowed(base);
            for (facet, filter) in filters.iter().enumerate() {
                if Some(facet) != left_out
                    && let Some(filter) = filter
                {
                    set.to_mut().keep_both(filter);
                }
            }
            set
        };
        let all = passing_all_but(None);
        // A facet without a filter of its own counts over what passes every filter.
        let base_of = |facet: usize| filters[facet].map(|_| passing_all_but(Some(facet)));
        let counts = |base: &Bits, sets: &[Bits]| -> Vec<u64> {
            sets.iter().map(|set| base.count_both(set)).collect()
        };
        let own = base_of(0);
        let mut sectors = [0u64; 64];
        for (bit, set) in bits.sectors.iter().enumerate().take(64) {
            sectors[bit] = own.as_ref().unwrap_or(&all).count_both(set);
        }
        let own = base_of(1);
        let places = std::array::from_fn(|level| {
            if level == 0 {
                Vec::new()
            } else {
                counts(own.as_ref().unwrap_or(&all), &bits.places[level])
            }
        });
        let forms = counts(base_of(2).as_ref().unwrap_or(&all), &bits.forms);
        let groups = counts(base_of(3).as_ref().unwrap_or(&all), &bits.groups);
        let labelled = base_of(4)
            .as_ref()
            .unwrap_or(&all)
            .count_both(&bits.labelled);
        let total = all.count();
        match matches {
            Some((matches, _)) => {
                // The score half of the page's worst key so far: a match scoring less cannot
                // enter, and is left without reading its rank (most of them, in a dense search).
                let mut bar = u64::MAX;
                for (slot, score) in matches {
                    let s = *slot as usize;
                    if order_key(*score, 0) > bar || !all.get(s) {
                        continue;
                    }
                    let key = order_key(*score, self.ranks[s]);
                    if best.len() < window.end {
                        best.push((key, *slot));
                    } else if let Some(mut worst) = best.peek_mut()
                        && key < worst.0
                    {
                        *worst = (key, *slot);
                    }
                    if best.len() == window.end
                        && let Some(worst) = best.peek()
                    {
                        bar = worst.0 | u64::from(u32::MAX);
                    }
                }
            }
            None => {
                // In sort order: the window's slots among those passing.
                let mut seen = 0;
                for slot in &self.order {
                    if seen >= window.end {
                        break;
                    }
                    if all.get(*slot as usize) {
                        if seen >= window.start {
                            passing.push(*slot);
                        }
                        seen += 1;
                    }
                }
            }
        }
        Counted {
            sectors,
            places,
            forms,
            groups,
            labelled,
            total,
        }
    }
}

/// From how many matches a search counts with bit sets: about where reading a 25 KB set per
/// facet value costs as much as visiting each match (measured at 200,000 slots), and never
/// for a small index.
pub(super) fn dense_from(slots: usize) -> usize {
    (slots / 64).max(256)
}

#[cfg(test)]
mod tests {
    use super::Bits;

    #[test]
    fn sets_count_and_intersect() {
        let mut a = Bits::zeros(130);
        let mut b = Bits::zeros(130);
        for s in [0, 63, 64, 129] {
            a.set(s);
        }
        for s in [63, 129, 5] {
            b.set(s);
        }
        assert!(a.get(129) && !a.get(5) && !a.get(1000));
        assert_eq!(a.count(), 4);
        assert_eq!(a.count_both(&b), 2);
        let mut both = a.clone();
        both.keep_both(&b);
        assert_eq!(both.count(), 2);
        both.add_all(&b);
        assert_eq!(both.count(), 3);
        // A shorter set (an index that grew since): what it lacks is not in it.
        let mut longer = Bits::zeros(300);
        longer.set(200);
        longer.set(0);
        longer.keep_both(&a);
        assert_eq!(longer.count(), 1);
    }

    #[test]
    fn sets_list_their_slots_and_give_back_scores() {
        let mut a = Bits::zeros(0);
        a.clear_to(200);
        for s in [3, 64, 65, 130, 199] {
            a.set(s);
        }
        assert_eq!(a.ones().collect::<Vec<_>>(), [3, 64, 65, 130, 199]);
        let mut b = Bits::zeros(70);
        b.set(64);
        b.set(3);
        // `b` is shorter: what it lacks is not in it.
        assert_eq!(a.ones_not_in(&b).collect::<Vec<_>>(), [65, 130, 199]);
        let mut alive = Bits::zeros(200);
        for s in [3, 65, 199] {
            alive.set(s);
        }
        let mut scores = vec![0.0f32; 200];
        for s in a.ones() {
            scores[s] = s as f32 + 0.5;
        }
        let mut matches = vec![(0, 9.0)];
        a.drain_scores(&alive, &mut scores, &mut matches);
        assert_eq!(matches, [(0, 9.0), (3, 3.5), (65, 65.5), (199, 199.5)]);
        assert!(
            scores.iter().all(|s| *s == 0.0),
            "every score of the set is reset"
        );
        assert_eq!(a.ones().collect::<Vec<_>>(), [3, 65, 199]);
        // Slots added a run per word, out of order too.
        let mut c = Bits::zeros(300);
        let slots = [1u32, 2, 63, 64, 200, 201, 5, 299];
        c.add_each(&slots, |at, slot| {
            assert_eq!(slots[at] as usize, slot);
            slot != 2
        });
        assert_eq!(c.ones().collect::<Vec<_>>(), [1, 5, 63, 64, 200, 201, 299]);
        a.clear_to(10);
        assert_eq!(a.count(), 0);
        assert_eq!(a.0.len(), 1);
    }

    /// The processor's own count (chosen at run time) and the portable one agree, on sets long
    /// enough for the vector loop and its tail.
    #[test]
    fn both_ways_of_counting_agree() {
        let slots = 64 * 1000 + 37;
        let (mut a, mut b) = (Bits::zeros(slots), Bits::zeros(slots));
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for s in 0..slots {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if seed.is_multiple_of(3) {
                a.set(s);
            }
            if seed % 5 < 2 {
                b.set(s);
            }
        }
        let naive = (0..slots).filter(|s| a.get(*s) && b.get(*s)).count() as u64;
        assert!(naive > 1000);
        assert_eq!(a.count_both(&b), naive);
        assert_eq!(super::count_both_words(&a.0, &b.0), naive);
        assert_eq!(a.count(), (0..slots).filter(|s| a.get(*s)).count() as u64);
    }
}
