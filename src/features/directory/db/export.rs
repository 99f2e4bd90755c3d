//! Every published entry matching a search, streamed from the database cursor for the exports.

use super::search::{Facet, push_conditions, resolve_filters};
use crate::db::sql::Sql;
use crate::db::{Backend, Db};
use crate::features::directory::SearchParams;
use crate::timestamp::Timestamp;

/// One line of an export.
#[derive(Debug, sqlx::FromRow)]
pub struct ExportRow {
    pub slug: String,
    pub name: String,
    pub acronym: String,
    pub siret: Option<String>,
    pub legal_form: String,
    pub siae_kind: Option<String>,
    pub sectors: String,
    pub commune: String,
    pub postal_code: String,
    pub intercommunality: Option<String>,
    pub departement: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub staff_band: String,
    pub year_founded: Option<i64>,
    pub offer: String,
    pub description: String,
    pub updated_at: Timestamp,
}

/// Sends every published structure matching `params` (all pages, in name order) to `rows`,
/// straight from the database cursor: memory stays flat. Stops early when the receiver is gone.
pub async fn export_rows(
    db: &Db,
    params: &SearchParams,
    rows: tokio::sync::mpsc::Sender<Result<ExportRow, sqlx::Error>>,
) {
    use futures::StreamExt;
    let backend = db.backend();
    let sectors = match backend {
        Backend::Sqlite => {
            "(SELECT group_concat(name, ' ; ') FROM (SELECT se.name FROM structure_sectors ss \
             JOIN sectors se ON se.id = ss.sector_id WHERE ss.structure_id = s.id ORDER BY se.position))"
        }
        Backend::Postgres => {
            "(SELECT string_agg(se.name, ' ; ' ORDER BY se.position) FROM structure_sectors ss \
             JOIN sectors se ON se.id = ss.sector_id WHERE ss.structure_id = s.id)"
        }
    };
    let filters = match resolve_filters(db, params).await {
        Ok(filters) => filters,
        Err(error) => {
            let _ = rows.send(Err(error)).await;
            return;
        }
    };
    let mut sql = Sql::default();
    sql.push(&format!(
        "SELECT s.slug, s.name, s.acronym, s.siret, s.legal_form, s.siae_kind, COALESCE({sectors}, '') AS sectors, \
         c.name AS commune, s.postal_code, i.name AS intercommunality, d.name AS departement, s.address, \
         s.latitude, s.longitude, s.email, s.phone, s.website, s.staff_band, s.year_founded, s.offer, \
         s.description, s.updated_at \
         FROM structures s JOIN territories c ON c.id = s.commune_id \
         LEFT JOIN territories i ON i.id = s.intercommunality_id JOIN territories d ON d.id = s.departement_id"
    ));
    push_conditions(
        &mut sql,
        backend,
        &params.terms(),
        params,
        &filters,
        Facet::None,
    );
    sql.push(" ORDER BY s.sort_key");
    let mut stream =
        sqlx::query_as_with::<_, ExportRow, _>(&sql.text, sql.arguments()).fetch(&db.pool);
    while let Some(row) = stream.next().await {
        let failed = row.is_err();
        if rows.send(row).await.is_err() || failed {
            return;
        }
    }
}
