//! The yearly report's figures.

use crate::db::Db;
use crate::features::purchasing::ReportRow;

/// The years that have a published need, latest first.
pub async fn report_years(db: &Db) -> Result<Vec<i32>, sqlx::Error> {
    let dates: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT substr(published_at, 1, 4) FROM needs WHERE published_at IS NOT NULL \
         AND visibility = 'public'",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut years: Vec<i32> = dates.iter().filter_map(|y| y.parse().ok()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    Ok(years)
}

/// A year's figures: the needs published that year (by UTC date of publication), the answers
/// of interest they received, the contracts won (outcome « retenu ») and their amount; in total,
/// by the need's sectors (a need of two sectors counts in each) and by its territory (the
/// intercommunality of its commune, or its département).
pub async fn report(
    db: &Db,
    year: i32,
) -> Result<(ReportRow, Vec<ReportRow>, Vec<ReportRow>), sqlx::Error> {
    let from = format!("{year:04}-01-01");
    let to = format!("{:04}-01-01", year + 1);
    let per_need: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT n.id, COALESCE(p.name, c.name) AS territory, \
         (SELECT COUNT(*) FROM need_suppliers a WHERE a.need_id = n.id AND a.answer = 'interested') AS answers, \
         (SELECT COUNT(*) FROM need_suppliers w WHERE w.need_id = n.id AND w.outcome = 'retenu') AS won, \
         (SELECT CAST(COALESCE(SUM(w.amount), 0) AS BIGINT) FROM need_suppliers w WHERE w.need_id = n.id AND w.outcome = 'retenu') AS amount \
         FROM needs n JOIN territories c ON c.id = n.commune_id LEFT JOIN territories p ON p.id = c.parent_id \
         WHERE n.published_at >= $1 AND n.published_at < $2 AND n.visibility = 'public' ORDER BY n.id",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(&db.pool)
    .await?;
    let sectors: Vec<(i64, String)> = sqlx::query_as(
        "SELECT ns.need_id, s.name FROM need_sectors ns JOIN sectors s ON s.id = ns.sector_id \
         JOIN needs n ON n.id = ns.need_id WHERE n.published_at >= $1 AND n.published_at < $2 \
         AND n.visibility = 'public' \
         ORDER BY s.position",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(&db.pool)
    .await?;
    let mut total = ReportRow {
        name: "Total".to_owned(),
        ..ReportRow::default()
    };
    let mut by_sector: Vec<ReportRow> = Vec::new();
    let mut by_territory: Vec<ReportRow> = Vec::new();
    fn add(rows: &mut Vec<ReportRow>, name: &str, figures: (i64, i64, i64)) {
        let index = match rows.iter().position(|r| r.name == name) {
            Some(index) => index,
            None => {
                rows.push(ReportRow {
                    name: name.to_owned(),
                    ..ReportRow::default()
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[index];
        row.needs += 1;
        row.answers += figures.0;
        row.won += figures.1;
        row.amount += figures.2;
    }
    for (need, territory, answers, won, amount) in &per_need {
        let figures = (*answers, *won, *amount);
        total.needs += 1;
        total.answers += answers;
        total.won += won;
        total.amount += amount;
        add(&mut by_territory, territory, figures);
        for (_, sector) in sectors.iter().filter(|(n, _)| n == need) {
            add(&mut by_sector, sector, figures);
        }
    }
    by_territory.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((total, by_sector, by_territory))
}
