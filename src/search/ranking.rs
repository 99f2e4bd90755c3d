//! Answering a query in one pass: BM25 ranking, the page asked for, the exact total and the
//! facet counts.

use crate::search::Answer;
use crate::search::Index;
use crate::search::Query;
use crate::search::facets::FACETS;
use crate::search::facets::Facet;
use crate::search::facets::Filters;
use crate::search::geo::distance_key;
use crate::search::index::SCRATCH;
use crate::search::index::Scratch;
use crate::search::index::order_key;
/// How a search counts its facets: match by match, or with bit sets (see `bitsets`); `Auto`
/// picks by the number of matches. Both give the same answer (tested).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Counting {
    Auto,
    // Forced by the tests, which compare both ways with naive counts.
    #[cfg_attr(not(test), allow(dead_code))]
    EachMatch,
    #[cfg_attr(not(test), allow(dead_code))]
    Bits,
}

impl Index {
    /// Answers a query (see [`Answer`]).
    pub fn search(&self, query: &Query) -> Answer {
        self.search_counting(query, Counting::Auto)
    }

    pub(super) fn search_counting(&self, query: &Query, counting: Counting) -> Answer {
        SCRATCH.with(|scratch| self.search_with(query, &mut scratch.borrow_mut(), counting))
    }

    pub(super) fn search_with(
        &self,
        query: &Query,
        scratch: &mut Scratch,
        counting: Counting,
    ) -> Answer {
        let words = self.text_matches(query.words, scratch);
        let mut passing = std::mem::take(&mut scratch.passing);
        passing.clear();
        let mut best = std::mem::take(&mut scratch.best);
        best.clear();
        let found = words.view(scratch);
        let matches = found.map(|(matches, _)| matches);
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
        // A box or a point: every live document is visited (no list walk, no bit sets), ranked
        // by distance from the point, or as without them.
        let geo = query.zone.is_some() || query.near.is_some();
        let ranked = matches.is_some() || filters > 0 || geo;
        // The fewest documents a filter keeps, as an estimate of those the lists walk visits.
        let narrowest = [
            dense.sectors.map(|mask| {
                (0..64usize)
                    .filter(|bit| mask & (1u64 << bit) != 0)
                    .map(|bit| self.totals.sectors.get(bit).copied().unwrap_or(0))
                    .sum::<u64>()
            }),
            place.map(|(level, number)| {
                self.totals.places[level]
                    .get(number as usize)
                    .copied()
                    .unwrap_or(0)
            }),
            form.map(|f| self.totals.forms.get(f as usize).copied().unwrap_or(0)),
            group.map(|g| self.totals.groups.get(g as usize).copied().unwrap_or(0)),
            labelled.then_some(self.totals.labelled),
        ]
        .into_iter()
        .flatten()
        .min();
        let visits = match matches {
            Some(matches) => matches.len(),
            None => narrowest.map_or(0, |n| n as usize),
        };
        let with_bits = match counting {
            _ if geo => false,
            Counting::Auto => {
                (filters > 0 || matches.is_some())
                    && visits >= crate::search::bitsets::dense_from(self.meta.len())
            }
            Counting::EachMatch => false,
            Counting::Bits => filters > 0 || matches.is_some(),
        };
        let mut own_totals = None;
        if with_bits {
            let counted = self.count_with_bits(&dense, found, &window, &mut best, &mut passing);
            sector_counts = counted.sectors;
            place_counts = counted.places;
            form_counts = counted.forms;
            group_counts = counted.groups;
            label_count = counted.labelled;
            total = counted.total;
        } else {
            let mut visit = |slot: u32, score: f32| {
                let s = slot as usize;
                if let Some(zone) = query.zone
                    && !self.inside(s, zone)
                {
                    return;
                }
                let [in_sectors, in_place, in_form, in_group, in_label] =
                    self.passes_each(&dense, s);
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
                        let key = match query.near {
                            Some(point) => {
                                distance_key(self.distance_km(s, point), self.meta[s].rank)
                            }
                            None => order_key(score, self.meta[s].rank),
                        };
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
            match matches {
                Some(matches) => {
                    for (slot, score) in matches {
                        visit(*slot, *score);
                    }
                }
                None if geo => {
                    for slot in &self.order {
                        visit(*slot, 0.0);
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
                        if self.bits.alive.get(*slot as usize) {
                            visit(*slot, 0.0);
                        }
                    }
                    if let Some((_, second)) = lists.get(1) {
                        for slot in second.iter() {
                            let s = *slot as usize;
                            if self.bits.alive.get(s) && !self.passes(&dense, *first_facet, s) {
                                visit(*slot, 0.0);
                            }
                        }
                    } else {
                        // One filter: its own facet counts every document.
                        own_totals = Some(*first_facet);
                    }
                }
            }
        }
        // Facets counted over every live document: the lone filter's own, or all of them.
        let from_totals: &[Facet] = match own_totals {
            Some(facet) => &[facet][..],
            None if matches.is_none() && filters == 0 && !geo => &FACETS,
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
        if ranked && !(with_bits && matches.is_none()) {
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
                let mut hit = self.hit(s)?;
                hit.distance_km = query
                    .near
                    .map(|point| self.distance_km(s, point))
                    .filter(|d| d.is_finite());
                Some(hit)
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
            let words = self.text_matches(query.words, &mut scratch);
            match words.view(&scratch) {
                Some((matches, _)) => matches.iter().map(|(slot, _)| *slot).collect(),
                None => self.order.clone(),
            }
        });
        slots.retain(|slot| {
            let s = *slot as usize;
            self.passes_each(&dense, s) == [true; 5] && query.zone.is_none_or(|z| self.inside(s, z))
        });
        slots.sort_unstable_by_key(|slot| self.meta[*slot as usize].rank);
        slots
            .into_iter()
            .map(|slot| self.ids[slot as usize])
            .collect()
    }
}
