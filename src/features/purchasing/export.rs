//! The figures of `/achats/bilan` and `GET /achats/bilan.csv?annee=…`: what the portal made
//! happen in a year, the same numbers in the page and in the file.

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{Report, ReportRow};
use crate::error::AppError;
use crate::spreadsheet::formula_safe;
use crate::state::AppState;

/// A year's report; `year` 0 is the latest year that has a need, or this year.
pub async fn report(state: &AppState, year: i32) -> Result<Report, AppError> {
    let years = super::db::report_years(&state.db).await?;
    let this_year = crate::timestamp::Timestamp::now().in_paris().year();
    let year = match year {
        0 => years.first().copied().unwrap_or(this_year),
        year if (2000..=2100).contains(&year) => year,
        _ => return Err(AppError::NotFound),
    };
    let (total, by_sector, by_territory) = super::db::report(&state.db, year).await?;
    Ok(Report {
        year,
        years,
        total,
        by_sector,
        by_territory,
    })
}

/// The CSV of a report: one line per row, with its section.
pub fn csv(report: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record([
        "annee",
        "rubrique",
        "nom",
        "besoins_publies",
        "reponses_interessees",
        "contrats_remportes",
        "montant_euros",
    ])?;
    let year = report.year.to_string();
    let sections: [(&str, &[ReportRow]); 3] = [
        ("total", std::slice::from_ref(&report.total)),
        ("secteur", &report.by_sector),
        ("territoire", &report.by_territory),
    ];
    for (section, rows) in sections {
        for row in rows {
            writer.write_record([
                year.as_str(),
                section,
                &formula_safe(&row.name),
                &row.needs.to_string(),
                &row.answers.to_string(),
                &row.won.to_string(),
                &row.amount.to_string(),
            ])?;
        }
    }
    writer
        .into_inner()
        .map_err(|error| error.into_error().into())
}

pub async fn report_csv(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let year = url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "annee")
        .and_then(|(_, value)| value.trim().parse::<i32>().ok())
        .unwrap_or(0);
    let report = match report(&state, year).await {
        Ok(report) => report,
        Err(error) => return error.into_response(),
    };
    match csv(&report) {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"bilan-achats-{}.csv\"", report.year),
                ),
            ],
            body,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "report csv");
            AppError::Internal.into_response()
        }
    }
}
