//! Every published entry matching a search, streamed from the database cursor for the exports.

use super::search::{Facet, Filters, push_conditions, resolve_filters};
use crate::db::sql::{Arg, Sql};
use crate::db::{Backend, Db};
use crate::features::directory::SearchParams;
use crate::timestamp::Timestamp;

/// One line of an export.
#[derive(Debug, sqlx::FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub sort_key: String,
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

/// An export in progress: the search's filters, resolved once, and where the last batch ended.
pub struct ExportQuery {
    params: SearchParams,
    filters: Filters,
    /// (sort key, id) of the last row sent.
    after: Option<(String, i64)>,
}

impl ExportQuery {
    pub async fn new(db: &Db, params: SearchParams) -> Result<Self, sqlx::Error> {
        let filters = resolve_filters(db, &params).await?;
        Ok(ExportQuery {
            params,
            filters,
            after: None,
        })
    }

    /// The next `limit` published structures matching the search, in name order (empty at the
    /// end). Each batch is one short query after the previous batch's last row: no database
    /// connection is held between batches, so a client that reads slowly, or stops reading,
    /// holds none.
    pub async fn next_batch(&mut self, db: &Db, limit: i64) -> Result<Vec<ExportRow>, sqlx::Error> {
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
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT s.id, s.sort_key, s.slug, s.name, s.acronym, s.siret, s.legal_form, s.siae_kind, \
             COALESCE({sectors}, '') AS sectors, c.name AS commune, s.postal_code, \
             i.name AS intercommunality, d.name AS departement, s.address, s.latitude, s.longitude, \
             s.email, s.phone, s.website, s.staff_band, s.year_founded, s.offer, s.description, \
             s.updated_at \
             FROM structures s JOIN territories c ON c.id = s.commune_id \
             LEFT JOIN territories i ON i.id = s.intercommunality_id JOIN territories d ON d.id = s.departement_id"
        ));
        push_conditions(
            &mut sql,
            backend,
            &self.params.terms(),
            &self.params,
            &self.filters,
            Facet::None,
        );
        if let Some((sort_key, id)) = &self.after {
            sql.push(" AND (s.sort_key > ")
                .bind_text(sort_key)
                .push(" OR (s.sort_key = ")
                .bind_text(sort_key)
                .push(" AND s.id > ")
                .bind(Arg::Int(*id))
                .push("))");
        }
        sql.push(" ORDER BY s.sort_key, s.id LIMIT ")
            .bind(Arg::Int(limit));
        let rows: Vec<ExportRow> = sqlx::query_as_with(&sql.text, sql.arguments())
            .fetch_all(&db.pool)
            .await?;
        if let Some(last) = rows.last() {
            self.after = Some((last.sort_key.clone(), last.id));
        }
        Ok(rows)
    }
}
