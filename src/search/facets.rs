//! Facets (sector, intercommunality, département, legal form, club): the filters of a query
//! and the counts, each facet counted with every filter but its own.

use crate::search::Index;
use crate::search::LEVELS;
use crate::search::Query;
#[derive(Clone, Copy)]
pub(super) enum Facet {
    Sectors,
    Place,
    Form,
    Group,
    Label,
}

pub(super) const FACETS: [Facet; 5] = [
    Facet::Sectors,
    Facet::Place,
    Facet::Form,
    Facet::Group,
    Facet::Label,
];

/// A query's filters as the index's dense numbers (see `Index::dense_filters`).
#[derive(Clone, Copy)]
pub(super) struct Filters {
    pub(super) sectors: Option<u64>,
    pub(super) place: Option<(usize, u32)>,
    pub(super) form: Option<u8>,
    pub(super) group: Option<u32>,
    pub(super) labelled: bool,
}

/// Something per facet value.
#[derive(Default)]
pub(super) struct FacetValues<T> {
    pub(super) sectors: Vec<T>,
    pub(super) places: [Vec<T>; LEVELS],
    pub(super) forms: Vec<T>,
    pub(super) groups: Vec<T>,
    pub(super) labelled: T,
}

impl Index {
    /// A query's filters as dense numbers; a value the index has never seen matches nothing.
    pub(super) fn dense_filters(&self, query: &Query) -> Filters {
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
    pub(super) fn passes(&self, filters: &Filters, facet: Facet, s: usize) -> bool {
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
    pub(super) fn passes_each(&self, filters: &Filters, s: usize) -> [bool; 5] {
        [
            self.passes(filters, Facet::Sectors, s),
            self.passes(filters, Facet::Place, s),
            self.passes(filters, Facet::Form, s),
            self.passes(filters, Facet::Group, s),
            self.passes(filters, Facet::Label, s),
        ]
    }

    /// The club numbers of slot `s`.
    pub(super) fn groups_of(&self, s: usize) -> &[u32] {
        match self.meta[s].group_of {
            0 => &[],
            list => &self.group_lists[list as usize - 1],
        }
    }
}
