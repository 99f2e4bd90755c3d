//! Every published entry matching a search, streamed from the database cursor for the exports.

use crate::db::sql::{Arg, Sql};
use crate::db::{Backend, Db};
use crate::features::directory::PublicationStatus;
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

/// An export in progress: the ids of the matching entries, in name order (from the search
/// index), and how many were sent.
pub struct ExportQuery {
    ids: Vec<i64>,
    sent: usize,
}

impl ExportQuery {
    pub fn new(ids: Vec<i64>) -> Self {
        ExportQuery { ids, sent: 0 }
    }

    /// Whether every id has been read.
    pub fn is_done(&self) -> bool {
        self.sent >= self.ids.len()
    }

    /// The rows of the next `limit` ids still published, in name order. Each batch is one short
    /// query: no database connection is held between batches, so a client that reads slowly,
    /// or stops reading, holds none.
    pub async fn next_batch(
        &mut self,
        db: &Db,
        limit: usize,
    ) -> Result<Vec<ExportRow>, sqlx::Error> {
        let batch = &self.ids[self.sent..(self.sent + limit).min(self.ids.len())];
        if batch.is_empty() {
            return Ok(Vec::new());
        }
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
        sql.push(" WHERE s.status = ")
            .bind_text(PublicationStatus::Published.as_str())
            .push(" AND s.id IN (")
            .bind_list(batch.iter().map(|id| Arg::Int(*id)))
            .push(") ORDER BY s.sort_key, s.id");
        self.sent += batch.len();
        let rows: Vec<ExportRow> = sqlx::query_as_with(&sql.text, sql.arguments())
            .fetch_all(&db.pool)
            .await?;
        Ok(rows)
    }
}
