//! The dataset's daily snapshots: the CSV of every published entry as it was that day, kept
//! gzip-compressed in the database (every app server serves the same file), one row per day.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use super::model::KEEP_DAYS;
use super::views::OpenFormat;
use crate::db::Db;
use crate::error::AppError;
use crate::features::directory::db::ExportQuery;
use crate::features::directory::export::RowWriter;
use crate::state::AppState;
use crate::timestamp::Timestamp;

/// One kept snapshot, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct SnapshotInfo {
    /// `2026-12-07` (Paris).
    pub day: String,
    pub row_count: i64,
    /// Bytes of the CSV.
    pub size: i64,
    /// SHA-256 of the CSV, in hexadecimal.
    pub sha256: String,
}

/// Writes the snapshot of `now`'s day unless it exists, then forgets the days older than
/// [`KEEP_DAYS`]. Returns the rows written (0: the day had its snapshot). Written batch by
/// batch into the compressor: memory holds the compressed file, never the whole CSV.
pub async fn take_snapshot(state: &AppState, now: Timestamp) -> Result<u64, AppError> {
    let day = now.iso_date();
    let known: Option<String> =
        sqlx::query_scalar("SELECT day FROM open_data_snapshots WHERE day = $1")
            .bind(&day)
            .fetch_optional(&state.db.pool)
            .await?;
    if known.is_some() {
        return Ok(0);
    }
    let writer = OpenFormat::Csv(state.config.base_url.clone());
    let failed = |error: String| {
        tracing::error!(%error, "open data: snapshot not written");
        AppError::Internal
    };
    let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
    let mut hash = Sha256::new();
    let mut size = 0usize;
    let mut add = |bytes: &[u8]| -> Result<(), String> {
        hash.update(bytes);
        size += bytes.len();
        gzip.write_all(bytes).map_err(|e| e.to_string())
    };
    add(&writer.head().map_err(failed)?).map_err(failed)?;
    // From the database, not the search index: `dessine jobs run` has no index to wait for.
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM structures WHERE status = $1 ORDER BY sort_key, id")
            .bind(crate::features::directory::PublicationStatus::Published.as_str())
            .fetch_all(&state.db.pool)
            .await?;
    let mut query = ExportQuery::new(ids);
    let mut rows = 0u64;
    let mut buffer = Vec::new();
    while !query.is_done() {
        for row in query.next_batch(&state.db, 500).await? {
            writer.row(&mut buffer, &row, rows == 0).map_err(failed)?;
            rows += 1;
        }
        add(&buffer).map_err(failed)?;
        buffer.clear();
    }
    add(writer.tail()).map_err(failed)?;
    let sha256: String = hash
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let gzip = gzip.finish().map_err(|e| failed(e.to_string()))?;
    // Another server may have written the day meanwhile: its file stands.
    sqlx::query(
        "INSERT INTO open_data_snapshots (day, created_at, row_count, size, sha256, gzip) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (day) DO NOTHING",
    )
    .bind(&day)
    .bind(now)
    .bind(rows as i64)
    .bind(size as i64)
    .bind(sha256)
    .bind(gzip)
    .execute(&state.db.pool)
    .await?;
    let oldest = now.plus(time::Duration::days(-KEEP_DAYS)).iso_date();
    sqlx::query("DELETE FROM open_data_snapshots WHERE day < $1")
        .bind(oldest)
        .execute(&state.db.pool)
        .await?;
    Ok(rows)
}

/// The kept snapshots, newest first.
pub async fn snapshots(db: &Db) -> Result<Vec<SnapshotInfo>, sqlx::Error> {
    sqlx::query_as("SELECT day, row_count, size, sha256 FROM open_data_snapshots ORDER BY day DESC")
        .fetch_all(&db.pool)
        .await
}

/// A day's snapshot: its description and the gzip-compressed CSV.
pub async fn snapshot(db: &Db, day: &str) -> Result<Option<(SnapshotInfo, Vec<u8>)>, sqlx::Error> {
    let row: Option<(String, i64, i64, String, Vec<u8>)> = sqlx::query_as(
        "SELECT day, row_count, size, sha256, gzip FROM open_data_snapshots WHERE day = $1",
    )
    .bind(day)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(day, row_count, size, sha256, gzip)| {
        (
            SnapshotInfo {
                day,
                row_count,
                size,
                sha256,
            },
            gzip,
        )
    }))
}

/// The published entries (the dataset's rows).
pub async fn published(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM structures WHERE status = $1")
        .bind(crate::features::directory::PublicationStatus::Published.as_str())
        .fetch_one(&db.pool)
        .await
}

/// The daily job that writes the day's snapshot (the first server to look each day).
pub const SNAPSHOT: crate::jobs::Job = crate::jobs::Job {
    name: "open-data-snapshot",
    every: 24 * 3600,
    run: |state, now| Box::pin(take_snapshot(state, now)),
};
