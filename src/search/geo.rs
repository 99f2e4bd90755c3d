//! Places: whether a document lies in a box, its distance from a point, and the map's clusters
//! — the documents of a query inside the visible box, grouped on a grid whose cells shrink as the
//! map zooms in, so that a browser receives at most a few hundred groups, never every point.

use crate::search::Hit;
use crate::search::Index;
use crate::search::Query;
use crate::search::index::SCRATCH;

/// The most cells a box is cut into: a phone's map shows a few dozen groups, a wide screen a
/// few hundred.
const MAX_CELLS: usize = 32 * 32;
/// Cells per tile side at a zoom level: a tile is 256 pixels, a cell about 64.
const CELLS_PER_TILE: f64 = 4.0;

/// One group of documents in a cell of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub count: u64,
    /// The mean place of its documents: longitude, latitude.
    pub center: [f32; 2],
    /// The box its documents span: west, south, east, north.
    pub bounds: [f32; 4],
    /// The document itself when the group holds one.
    pub single: Option<Hit>,
}

/// The map's answer: the groups of the box and how many documents they hold in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clusters {
    pub total: u64,
    pub clusters: Vec<Cluster>,
}

/// Side of a square of the grid, in degrees: about 700 m by 1.1 km in the north of France.
const SIDE: f64 = 0.01;
/// A grid of more squares than this (entries spread over the world) gets bigger squares.
const MAX_SQUARES: usize = 1 << 18;

/// The live placed slots by square of the map (a column and a row of [`SIDE`] degrees), with
/// each square's count, sums and bounds: a box visits only the squares it overlaps, and a view
/// wider than a square adds whole squares instead of their entries.
#[derive(Default)]
pub(super) struct Grid {
    side: f64,
    /// The first square's column and row: `floor(longitude / side)`, `floor(latitude / side)`.
    origin: [i64; 2],
    columns: usize,
    rows: usize,
    /// Square `i`'s slots, in name order: `slots[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    slots: Vec<u32>,
    squares: Vec<Square>,
}

/// What a square or a map cell holds: how many places, their sums and their bounds.
#[derive(Clone, Copy)]
struct Square {
    count: u64,
    sum: [f64; 2],
    bounds: [f32; 4],
}

const EMPTY: Square = Square {
    count: 0,
    sum: [0.0; 2],
    bounds: [f32::MAX, f32::MAX, f32::MIN, f32::MIN],
};

impl Square {
    fn add(&mut self, count: u64, sum: [f64; 2], [w, s, e, n]: [f32; 4]) {
        self.count += count;
        self.sum[0] += sum[0];
        self.sum[1] += sum[1];
        self.bounds = [
            self.bounds[0].min(w),
            self.bounds[1].min(s),
            self.bounds[2].max(e),
            self.bounds[3].max(n),
        ];
    }
}

impl Grid {
    pub(super) fn of(index: &Index) -> Grid {
        let placed: Vec<u32> = index
            .order
            .iter()
            .copied()
            .filter(|slot| index.points[*slot as usize][0].is_finite())
            .collect();
        let Some(first) = placed.first() else {
            return Grid::default();
        };
        let [mut west, mut south] = index.points[*first as usize];
        let [mut east, mut north] = [west, south];
        for slot in &placed {
            let [x, y] = index.points[*slot as usize];
            (west, east, south, north) = (west.min(x), east.max(x), south.min(y), north.max(y));
        }
        let span = |low: f32, high: f32, side: f64| {
            let first = (f64::from(low) / side).floor() as i64;
            (
                first,
                ((f64::from(high) / side).floor() as i64 - first + 1) as usize,
            )
        };
        let mut side = SIDE;
        while span(west, east, side)
            .1
            .saturating_mul(span(south, north, side).1)
            > MAX_SQUARES
        {
            side *= 2.0;
        }
        let (first_column, columns) = span(west, east, side);
        let (first_row, rows) = span(south, north, side);
        let mut grid = Grid {
            side,
            origin: [first_column, first_row],
            columns,
            rows,
            starts: vec![0; columns * rows + 1],
            slots: vec![0; placed.len()],
            squares: vec![EMPTY; columns * rows],
        };
        // A counting sort: each square's slots stay in name order.
        let squares: Vec<usize> = placed
            .iter()
            .map(|slot| grid.square_of(index.points[*slot as usize]))
            .collect();
        for square in &squares {
            grid.starts[square + 1] += 1;
        }
        for i in 1..grid.starts.len() {
            grid.starts[i] += grid.starts[i - 1];
        }
        let mut next = grid.starts.clone();
        for (slot, square) in placed.iter().zip(&squares) {
            grid.slots[next[*square] as usize] = *slot;
            next[*square] += 1;
            let [x, y] = index.points[*slot as usize];
            grid.squares[*square].add(1, [f64::from(x), f64::from(y)], [x, y, x, y]);
        }
        grid
    }

    fn square_of(&self, [x, y]: [f32; 2]) -> usize {
        let column = ((f64::from(x) / self.side).floor() as i64 - self.origin[0])
            .clamp(0, self.columns as i64 - 1) as usize;
        let row = ((f64::from(y) / self.side).floor() as i64 - self.origin[1])
            .clamp(0, self.rows as i64 - 1) as usize;
        row * self.columns + column
    }

    /// The squares a box overlaps, row by row (none outside the grid).
    fn overlapping(
        &self,
        [west, south, east, north]: [f32; 4],
    ) -> impl Iterator<Item = usize> + '_ {
        let position = |value: f32, first: i64, count: usize| {
            ((f64::from(value) / self.side).floor() as i64 - first).clamp(-1, count as i64)
        };
        let columns = position(west, self.origin[0], self.columns).max(0)
            ..=position(east, self.origin[0], self.columns).min(self.columns as i64 - 1);
        let rows = position(south, self.origin[1], self.rows).max(0)
            ..=position(north, self.origin[1], self.rows).min(self.rows as i64 - 1);
        rows.flat_map(move |row| {
            columns
                .clone()
                .map(move |column| row as usize * self.columns + column as usize)
        })
    }

    pub(super) fn bytes(&self) -> usize {
        self.starts.len() * 4 + self.slots.len() * 4 + self.squares.len() * 40
    }
}

/// Orders by distance (nearest first; NaN, for a document without a place, last), then by
/// name like `index::order_key`.
pub(super) fn distance_key(distance: f32, rank: u32) -> u64 {
    let distance = if distance.is_nan() {
        f32::INFINITY
    } else {
        distance.max(0.0)
    };
    (u64::from(distance.to_bits()) << 32) | u64::from(rank)
}

impl Index {
    /// Whether slot `s` has a place inside `[west, south, east, north]`.
    #[inline(always)]
    pub(super) fn inside(&self, s: usize, [west, south, east, north]: [f32; 4]) -> bool {
        let [x, y] = self.points[s];
        x >= west && x <= east && y >= south && y <= north
    }

    /// Kilometres from slot `s` to `[latitude, longitude]` (NaN without a place): the
    /// equirectangular approximation, within a few metres at a territory's scale.
    pub(super) fn distance_km(&self, s: usize, [latitude, longitude]: [f32; 2]) -> f32 {
        let [x, y] = self.points[s];
        let mean = ((y + latitude) / 2.0).to_radians();
        let dx = (x - longitude).to_radians() * mean.cos();
        let dy = (y - latitude).to_radians();
        6371.0 * (dx * dx + dy * dy).sqrt()
    }

    /// The query's documents inside `query.zone` (required: without it, nothing), grouped on
    /// a grid for map zoom `zoom` (0 the world, 18 a street). The grid is fixed to the world,
    /// not to the box, so that moving the map does not regroup what stays in view.
    pub fn clusters(&self, query: &Query, zoom: u8) -> Clusters {
        let Some(zone @ [west, south, east, north]) = query.zone else {
            return Clusters::default();
        };
        if !(west <= east && south <= north) {
            return Clusters::default();
        }
        // A cell's side in degrees of longitude at this zoom; latitude's side is shorter by
        // the cosine of the box's latitude, so that cells are about square on the screen.
        let mut width = 360.0 / 2f64.powi(i32::from(zoom.min(22))) / CELLS_PER_TILE;
        let squash = f64::from((south + north) / 2.0).to_radians().cos().max(0.1);
        let columns = |width: f64| {
            let first = (f64::from(west) / width).floor() as i64;
            let last = (f64::from(east) / width).floor() as i64;
            (first, (last - first + 1) as usize)
        };
        let rows = |width: f64| {
            let height = width * squash;
            let first = (f64::from(south) / height).floor() as i64;
            let last = (f64::from(north) / height).floor() as i64;
            (first, (last - first + 1) as usize)
        };
        // A box wider than the zoom says (a client's mistake or a hostile one) gets bigger
        // cells, never more of them.
        while columns(width).1.saturating_mul(rows(width).1) > MAX_CELLS {
            width *= 2.0;
        }
        let (first_column, column_count) = columns(width);
        let (first_row, row_count) = rows(width);
        let height = width * squash;
        let mut cells = vec![EMPTY; column_count * row_count];
        // The first by name of each cell, which stands for it when it is alone.
        let mut firsts = vec![u32::MAX; column_count * row_count];
        let cell_of = |[x, y]: [f32; 2]| {
            let column = ((f64::from(x) / width).floor() as i64 - first_column)
                .clamp(0, column_count as i64 - 1) as usize;
            let row = ((f64::from(y) / height).floor() as i64 - first_row)
                .clamp(0, row_count as i64 - 1) as usize;
            row * column_count + column
        };
        let dense = self.dense_filters(query);
        let filtered = dense.sectors.is_some()
            || dense.place.is_some()
            || dense.form.is_some()
            || dense.group.is_some()
            || dense.labelled;
        let mut put = |cell: usize, count: u64, sum: [f64; 2], bounds: [f32; 4], slot: u32| {
            cells[cell].add(count, sum, bounds);
            let first = &mut firsts[cell];
            if *first == u32::MAX || self.meta[slot as usize].rank < self.meta[*first as usize].rank
            {
                *first = slot;
            }
        };
        let add = |slot: u32, put: &mut dyn FnMut(usize, u64, [f64; 2], [f32; 4], u32)| {
            let s = slot as usize;
            if !self.inside(s, zone) || (filtered && self.passes_each(&dense, s) != [true; 5]) {
                return;
            }
            let [x, y] = self.points[s];
            put(
                cell_of([x, y]),
                1,
                [f64::from(x), f64::from(y)],
                [x, y, x, y],
                slot,
            );
        };
        let grid = &self.grid;
        // Whole squares may be added when a cell is much wider than a square: a square's
        // entries then fall in the cell of its mean place, within a square's side of their own.
        let whole_squares = width >= 4.0 * grid.side;
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let words = self.text_matches(query.words, &mut scratch);
            if let Some((matches, _)) = words.view(&scratch) {
                for (slot, _) in matches {
                    add(*slot, &mut put);
                }
                return;
            }
            for square in grid.overlapping(zone) {
                let totals = grid.squares[square];
                if totals.count == 0 {
                    continue;
                }
                let slots =
                    &grid.slots[grid.starts[square] as usize..grid.starts[square + 1] as usize];
                let [w, s, e, n] = totals.bounds;
                let within = w >= west && e <= east && s >= south && n <= north;
                if whole_squares && within && !filtered {
                    let count = totals.count as f64;
                    let mean = [
                        (totals.sum[0] / count) as f32,
                        (totals.sum[1] / count) as f32,
                    ];
                    put(
                        cell_of(mean),
                        totals.count,
                        totals.sum,
                        totals.bounds,
                        slots[0],
                    );
                } else {
                    for slot in slots {
                        add(*slot, &mut put);
                    }
                }
            }
        });
        let mut answer = Clusters::default();
        for (cell, first) in cells
            .into_iter()
            .zip(firsts)
            .filter(|(cell, _)| cell.count > 0)
        {
            answer.total += cell.count;
            let n = cell.count as f64;
            answer.clusters.push(Cluster {
                count: cell.count,
                center: [(cell.sum[0] / n) as f32, (cell.sum[1] / n) as f32],
                bounds: cell.bounds,
                single: (cell.count == 1)
                    .then(|| self.hit(first as usize))
                    .flatten(),
            });
        }
        // Biggest groups first: what a screen reader's list of markers reads first.
        answer.clusters.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.center[0].total_cmp(&b.center[0]))
        });
        answer
    }

    /// Slot `s` as a result (none when dead).
    pub(super) fn hit(&self, s: usize) -> Option<Hit> {
        Some(Hit {
            id: self.ids[s],
            card: self.cards[s].as_ref()?.card(),
            form: self.form_names[self.meta[s].form as usize].to_string(),
            commune: self.place_ids[0][self.meta[s].places[0] as usize],
            sectors: self.meta[s].sectors,
            distance_km: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Document;

    fn placed(id: i64, name: &str, point: Option<(f64, f64)>, form: &str) -> Document {
        Document {
            id,
            sort_key: name.to_lowercase(),
            texts: [name.into(), String::new(), String::new(), String::new()],
            form: form.into(),
            point,
            card: crate::search::Card {
                slug: format!("s{id}"),
                name: name.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// A small random world: clusters against a naive count of the same box and filters.
    #[test]
    fn clusters_hold_exactly_the_documents_of_the_box() {
        let mut seed = 7u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 10_000) as f64 / 10_000.0
        };
        let documents: Vec<Document> = (1..=3_000)
            .map(|id| {
                let point = (id % 17 != 0).then(|| (50.0 + next(), 2.0 + next() * 1.5));
                let form = if id % 3 == 0 { "scop" } else { "association" };
                placed(id, &format!("Structure {id}"), point, form)
            })
            .collect();
        let points = documents.clone();
        let index = Index::build(documents);
        for round in 0..40 {
            let (a, b, c, d) = (next(), next(), next(), next());
            let zone = [
                (2.0 + a.min(b) * 1.5) as f32,
                (50.0 + c.min(d)) as f32,
                (2.0 + a.max(b) * 1.5) as f32,
                (50.0 + c.max(d)) as f32,
            ];
            let form = (round % 2 == 0).then_some("scop");
            let query = Query {
                zone: Some(zone),
                form,
                ..Default::default()
            };
            let zoom = (round % 14) as u8;
            let answer = index.clusters(&query, zoom);
            let naive = points
                .iter()
                .filter(|d| {
                    form.is_none_or(|form| form == d.form)
                        && d.point.is_some_and(|(lat, lon)| {
                            let (x, y) = (lon as f32, lat as f32);
                            x >= zone[0] && x <= zone[2] && y >= zone[1] && y <= zone[3]
                        })
                })
                .count() as u64;
            assert_eq!(answer.total, naive, "round {round}");
            assert_eq!(answer.clusters.iter().map(|c| c.count).sum::<u64>(), naive);
            assert!(
                answer.clusters.len() <= MAX_CELLS,
                "{}",
                answer.clusters.len()
            );
            for cluster in &answer.clusters {
                let [w, s, e, n] = cluster.bounds;
                assert!(w >= zone[0] && e <= zone[2] && s >= zone[1] && n <= zone[3]);
                assert!(cluster.center[0] >= w && cluster.center[0] <= e);
                assert_eq!(cluster.single.is_some(), cluster.count == 1);
            }
            // The same box answers the list with the same total.
            let listed = index.search(&Query {
                zone: Some(zone),
                form,
                limit: 5,
                ..Default::default()
            });
            assert_eq!(listed.total, naive, "round {round}");
        }
        // Zoomed out, few groups; zoomed in, more.
        let whole = Query {
            zone: Some([1.0, 49.0, 4.0, 52.0]),
            ..Default::default()
        };
        let far = index.clusters(&whole, 5).clusters.len();
        let near = index.clusters(&whole, 12).clusters.len();
        assert!(far < near, "{far} groups at zoom 5, {near} at zoom 12");
        // No box, an upside-down box, or a hostile zoom: nothing, or few cells.
        assert_eq!(index.clusters(&Query::default(), 10).total, 0);
        let upside = Query {
            zone: Some([4.0, 52.0, 1.0, 49.0]),
            ..Default::default()
        };
        assert_eq!(index.clusters(&upside, 10).total, 0);
        let world = Query {
            zone: Some([-180.0, -90.0, 180.0, 90.0]),
            ..Default::default()
        };
        let wide = index.clusters(&world, 255);
        assert_eq!(wide.total, 3_000 - 3_000 / 17);
        assert!(wide.clusters.len() <= MAX_CELLS);
    }

    #[test]
    fn near_orders_by_distance_and_puts_the_unplaced_last() {
        let index = Index::build([
            placed(1, "Loin", Some((50.29, 2.78)), "association"), // Arras
            placed(2, "Sans lieu", None, "association"),
            placed(3, "Proche", Some((51.03, 2.37)), "association"), // Dunkerque
            placed(4, "Moyen", Some((50.99, 2.13)), "association"),  // Gravelines
        ]);
        let answer = index.search(&Query {
            near: Some([51.034, 2.377]),
            limit: 10,
            ..Default::default()
        });
        let names: Vec<&str> = answer.hits.iter().map(|h| h.card.name.as_str()).collect();
        assert_eq!(names, ["Proche", "Moyen", "Loin", "Sans lieu"]);
        let km: Vec<Option<f32>> = answer.hits.iter().map(|h| h.distance_km).collect();
        assert!(km[0].unwrap() < 1.0, "{km:?}");
        // Dunkerque to Arras is about 85 km as the crow flies.
        assert!((80.0..90.0).contains(&km[2].unwrap()), "{km:?}");
        assert_eq!(km[3], None);
        assert_eq!(answer.total, 4);
        // The second page goes on from the first.
        let second = index.search(&Query {
            near: Some([51.034, 2.377]),
            offset: 2,
            limit: 2,
            ..Default::default()
        });
        let names: Vec<&str> = second.hits.iter().map(|h| h.card.name.as_str()).collect();
        assert_eq!(names, ["Loin", "Sans lieu"]);
        // Distance keys: nearer first, equal distances by name, no place after any distance.
        assert!(distance_key(1.0, 9) < distance_key(2.0, 0));
        assert!(distance_key(1.0, 0) < distance_key(1.0, 1));
        assert!(distance_key(40_000.0, 0) < distance_key(f32::NAN, 0));
    }
}
