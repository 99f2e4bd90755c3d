//! Changing an entry's fields and sectors (its managers' edits, through stewardship).

use crate::db::Db;
use crate::timestamp::Timestamp;

/// The editable fields of an entry, as its managers send them (already checked).
pub struct EntryFields<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub offer: &'a str,
    pub address: &'a str,
    pub postal_code: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub website: &'a str,
    /// Sector slugs.
    pub sectors: &'a [String],
}

/// Saves an edit and the entry's sectors in one transaction (the full-text index follows through
/// its trigger, the sector bit set is rewritten with the links). The slug stays: links to the
/// entry keep working after a rename. An unknown sector slug is a `RowNotFound`.
pub async fn save_entry(
    db: &Db,
    structure_id: i64,
    edit: &EntryFields<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let mut sector_ids = Vec::with_capacity(edit.sectors.len());
    let mut mask = 0_i64;
    for slug in edit.sectors {
        let id: i64 = sqlx::query_scalar("SELECT id FROM sectors WHERE slug = $1")
            .bind(slug)
            .fetch_one(&mut *tx)
            .await?;
        mask |= crate::features::reference::sector_bit(id)?;
        sector_ids.push(id);
    }
    sqlx::query(
        "UPDATE structures SET name = $1, sort_key = $2, description = $3, offer = $4, address = $5, \
         postal_code = $6, email = $7, phone = $8, website = $9, updated_at = $10, sector_mask = $11 \
         WHERE id = $12",
    )
    .bind(edit.name)
    .bind(crate::slug::slugify(edit.name))
    .bind(edit.description)
    .bind(edit.offer)
    .bind(edit.address)
    .bind(edit.postal_code)
    .bind(edit.email)
    .bind(edit.phone)
    .bind(edit.website)
    .bind(Timestamp::now())
    .bind(mask)
    .bind(structure_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM structure_sectors WHERE structure_id = $1")
        .bind(structure_id)
        .execute(&mut *tx)
        .await?;
    for sector_id in sector_ids {
        sqlx::query("INSERT INTO structure_sectors (structure_id, sector_id) VALUES ($1, $2)")
            .bind(structure_id)
            .bind(sector_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}
