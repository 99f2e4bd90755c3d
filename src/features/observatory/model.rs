//! What the observatory shows: figures, each a titled set of rows with one or more values.

use serde::{Deserialize, Serialize};

/// How a figure is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Chart {
    /// One bar per row (categories).
    Bars,
    /// A line through the rows in order (quarters).
    Line,
    /// One bar per row made of its first two values, one after the other (a part and the rest
    /// of a whole): the first solid, the second hatched, with a legend.
    Stacked,
}

/// One row: a category or a period, and its values (one per series).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub label: String,
    pub values: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// Its address in the page and in the CSV (`secteurs`, `formes`…).
    pub key: String,
    pub title: String,
    /// One sentence written from the data.
    pub reading: String,
    /// Where the numbers come from, and as of when.
    pub source: String,
    pub chart: Chart,
    /// The names of the values of each row; the chart draws the first.
    pub series: Vec<String>,
    pub rows: Vec<Row>,
}

/// A territory people can choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub slug: String,
    pub name: String,
}

/// The page: the territory shown, the others, and the figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observatory {
    /// `None`: the whole portal.
    pub territory: Option<Place>,
    pub departements: Vec<Place>,
    pub intercommunalities: Vec<Place>,
    /// Published entries in the territory.
    pub structures: i64,
    /// `2026-12-06`.
    pub as_of: String,
    pub figures: Vec<Figure>,
}

/// « 17 % » of `part` in `whole` (0 % for an empty whole).
pub fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "0 %".to_owned();
    }
    format!("{} %", (part as f64 * 100.0 / whole as f64).round() as i64)
}

/// A staff band's bounds: « 10-19 » → (10, Some(19)), « 10000 et plus » → (10000, None).
pub fn band_bounds(band: &str) -> Option<(i64, Option<i64>)> {
    let digits = |text: &str| text.trim().parse::<i64>().ok();
    // « 0 »: no employee.
    if let Some(exact) = digits(band) {
        return Some((exact, Some(exact)));
    }
    if let Some((low, high)) = band.split_once('-') {
        return Some((digits(low)?, Some(digits(high)?)));
    }
    // « 10000 et plus », « 250+ ».
    let low: String = band.chars().take_while(char::is_ascii_digit).collect();
    (band.contains("plus") || band.trim_end().ends_with('+')).then_some(())?;
    Some((digits(&low)?, None))
}

/// `2026-T3` for a month `2026-08`.
pub fn quarter_of(month: &str) -> Option<String> {
    let (year, month) = month.split_once('-')?;
    let month: u32 = month.get(..2)?.parse().ok()?;
    (1..=12)
        .contains(&month)
        .then(|| format!("{year}-T{}", (month - 1) / 3 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_quarters_and_numbers_read_as_people_write_them() {
        assert_eq!(band_bounds("10-19"), Some((10, Some(19))));
        assert_eq!(band_bounds("10000 et plus"), Some((10000, None)));
        assert_eq!(band_bounds("250+"), Some((250, None)));
        assert_eq!(band_bounds("0"), Some((0, Some(0))));
        assert_eq!(band_bounds(""), None);
        assert_eq!(band_bounds("beaucoup"), None);
        assert_eq!(quarter_of("2026-08"), Some("2026-T3".into()));
        assert_eq!(quarter_of("2026-01-15T10:00:00Z"), Some("2026-T1".into()));
        assert_eq!(quarter_of("2026-13"), None);
        assert_eq!(percent(1, 3), "33 %");
        assert_eq!(percent(1, 0), "0 %");
    }
}
