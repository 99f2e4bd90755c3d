//! Charts drawn on the server as SVG: no script, readable when printed. The numbers are also in
//! the table under each chart; the SVG is an image named by the figure's title and reading.
//! Bars are labelled with their value in text, so colour never carries the meaning alone.

use leptos::prelude::*;

use super::model::{Chart, Figure};
use crate::text::check::group_thousands;

/// The drawing's width in SVG units; it scales to the page's width.
const WIDTH: f64 = 400.0;
/// Bars: the label line, then the bar under it.
const ROW: f64 = 40.0;
const BAR: f64 = 12.0;
/// Dark green on white: 7.8:1.
const INK: &str = "#0b5a4a";
const TEXT: &str = "#1c2626";
const GRID: &str = "#8a9a96";

#[component]
pub fn FigureChart(figure: Figure) -> impl IntoView {
    let labelled_by = format!("titre-{key} lecture-{key}", key = figure.key);
    match figure.chart {
        Chart::Bars => bars(&figure, labelled_by).into_any(),
        Chart::Line => line(&figure, labelled_by).into_any(),
        Chart::Stacked => stacked(&figure, labelled_by).into_any(),
    }
}

/// Bars of two parts: « Alimentation : 3 sur 8 », the first part solid, the rest hatched (a
/// texture, not only a colour), under a legend naming both.
fn stacked(figure: &Figure, labelled_by: String) -> impl IntoView {
    const LEGEND: f64 = 30.0;
    let parts = |values: &[i64]| {
        let first = values.first().copied().unwrap_or(0).max(0);
        (first, values.get(1).copied().unwrap_or(0).max(0))
    };
    let max = figure
        .rows
        .iter()
        .map(|row| {
            let (a, b) = parts(&row.values);
            a + b
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = |value: i64| value as f64 / max as f64 * (WIDTH - 2.0);
    let hatch = format!("hachures-{}", figure.key);
    let hatched = format!("url(#{hatch})");
    let name = |i: usize| figure.series.get(i).cloned().unwrap_or_default();
    let rows = figure
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let (first, rest) = parts(&row.values);
            let top = LEGEND + i as f64 * ROW;
            let text = format!(
                "{} : {} sur {}",
                row.label,
                group_thousands(first),
                group_thousands(first + rest)
            );
            let first_width = scale(first);
            let rest_width = scale(rest);
            let hatched = hatched.clone();
            view! {
                <text x="0" y=format!("{:.0}", top + 15.0) font-size="15" fill=TEXT>{text}</text>
                <rect x="0" y=format!("{:.0}", top + 21.0) width=format!("{first_width:.1}") height=BAR.to_string() fill=INK />
                {(rest > 0).then(|| view! {
                    <rect x=format!("{first_width:.1}") y=format!("{:.0}", top + 21.5) width=format!("{:.1}", (rest_width - 1.0).max(1.0))
                        height=(BAR - 1.0).to_string() fill=hatched stroke=INK stroke-width="1" />
                })}
            }
        })
        .collect_view();
    let height = LEGEND + figure.rows.len().max(1) as f64 * ROW;
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height:.0}") role="img" aria-labelledby=labelled_by focusable="false">
            <defs>
                <pattern id=hatch width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width="5" height="5" fill="#ffffff" />
                    <line x1="0" y1="0" x2="0" y2="5" stroke=INK stroke-width="2.5" />
                </pattern>
            </defs>
            <rect x="0" y="4" width="14" height="12" fill=INK />
            <text x="20" y="15" font-size="13" fill=TEXT>{name(0)}</text>
            <rect x="200.5" y="4.5" width="13" height="11" fill=hatched stroke=INK stroke-width="1" />
            <text x="220" y="15" font-size="13" fill=TEXT>{name(1)}</text>
            {rows}
        </svg>
    }
}

fn bars(figure: &Figure, labelled_by: String) -> impl IntoView {
    let max = figure
        .rows
        .iter()
        .filter_map(|row| row.values.first().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = (figure.rows.len().max(1) as f64 * ROW).to_string();
    let view_box = format!("0 0 {WIDTH} {height}");
    let rows = figure
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let value = row.values.first().copied().unwrap_or(0);
            let top = i as f64 * ROW;
            let width = (value.max(0) as f64 / max as f64 * (WIDTH - 2.0)).max(if value > 0 { 2.0 } else { 0.0 });
            let text = format!("{} : {}", row.label, group_thousands(value));
            view! {
                <text x="0" y=format!("{:.0}", top + 15.0) font-size="15" fill=TEXT>{text}</text>
                <rect x="0" y=format!("{:.0}", top + 21.0) width=format!("{width:.1}") height=BAR.to_string() fill=INK />
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=view_box role="img" aria-labelledby=labelled_by focusable="false">
            {rows}
        </svg>
    }
}

fn line(figure: &Figure, labelled_by: String) -> impl IntoView {
    const HEIGHT: f64 = 230.0;
    // Room for a year's label centred under the first point.
    const LEFT: f64 = 24.0;
    const TOP: f64 = 24.0;
    const BOTTOM: f64 = 180.0;
    let values: Vec<i64> = figure
        .rows
        .iter()
        .map(|row| row.values.first().copied().unwrap_or(0))
        .collect();
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let step = (WIDTH - 2.0 * LEFT) / (values.len().max(2) - 1) as f64;
    let point = |i: usize, value: i64| {
        (
            LEFT + i as f64 * step,
            BOTTOM - value.max(0) as f64 / max as f64 * (BOTTOM - TOP),
        )
    };
    let path = values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let (x, y) = point(i, *value);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let marks = figure
        .rows
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (row, value))| {
            let (x, y) = point(i, *value);
            // `2026-T3` → « T3 », with the year under each first quarter and the first point.
            let (year, quarter) = row.label.split_once('-').unwrap_or(("", &row.label));
            let year = (quarter == "T1" || i == 0).then(|| year.to_owned());
            view! {
                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="4" fill=INK />
                <text x=format!("{x:.1}") y=format!("{:.1}", y - 9.0) font-size="13" text-anchor="middle" fill=TEXT>{group_thousands(*value)}</text>
                <text x=format!("{x:.1}") y="198" font-size="12" text-anchor="middle" fill=TEXT>{quarter.to_owned()}</text>
                {year.map(|year| view! { <text x=format!("{x:.1}") y="216" font-size="12" text-anchor="middle" fill=TEXT>{year}</text> })}
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelled_by focusable="false">
            <line x1="0" y1=BOTTOM.to_string() x2=WIDTH.to_string() y2=BOTTOM.to_string() stroke=GRID stroke-width="1" />
            <polyline points=path fill="none" stroke=INK stroke-width="3" />
            {marks}
        </svg>
    }
}
