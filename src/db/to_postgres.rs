//! `dessine copy-to-postgres URL`: the move from one server on SQLite to several on PostgreSQL.
//! Copies every table of the SQLite database (`DATABASE_URL`) into an empty, freshly migrated
//! PostgreSQL database, then reads both again and compares them row by row. The portal must be
//! stopped during the copy (nothing may write to the SQLite database meanwhile).
//!
//! Both databases are migrated by the same binary first, so their tables and columns are the
//! same; a column that only one side has (a PostgreSQL-only generated column, SQLite's own
//! tables) is left out and named in the report.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::any::{AnyRow, AnyTypeInfoKind};
use sqlx::{Row, ValueRef};

use super::Db;

/// One value as SQLite holds it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A PostgreSQL column: its name and type (`information_schema.columns.data_type`).
#[derive(Debug, Clone)]
struct Column {
    name: String,
    pg_type: String,
}

/// Tables that triggers fill as other tables are written: emptied after the copy of the others,
/// then copied as the source has them.
const FILLED_BY_TRIGGERS: &[&str] = &["search_changes"];

/// Rows per `INSERT` (PostgreSQL takes at most 65,535 parameters in one statement).
const BATCH_PARAMETERS: usize = 30_000;

/// What the copy did, table by table.
#[derive(Debug, Default)]
pub struct Report {
    pub tables: Vec<(String, u64)>,
    pub left_out: Vec<String>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows: u64 = self.tables.iter().map(|(_, n)| n).sum();
        writeln!(
            f,
            "{} tables copiées, {rows} lignes, chacune relue et comparée :",
            self.tables.len()
        )?;
        for (table, n) in &self.tables {
            writeln!(f, "  {table} : {n}")?;
        }
        if !self.left_out.is_empty() {
            writeln!(f, "Laissé de côté (propre à une seule des deux bases) :")?;
            for what in &self.left_out {
                writeln!(f, "  {what}")?;
            }
        }
        Ok(())
    }
}

fn failed(what: &str) -> impl Fn(sqlx::Error) -> String + '_ {
    move |error| format!("{what} : {error}")
}

/// Copies `source` (SQLite) into `target` (PostgreSQL, migrated, without accounts or
/// structures), then checks every row.
pub async fn copy(source: &Db, target: &Db) -> Result<Report, String> {
    if *source.backend() != super::Backend::Sqlite {
        return Err("DATABASE_URL doit désigner la base SQLite à copier".into());
    }
    if *target.backend() != super::Backend::Postgres {
        return Err("la destination doit être une adresse postgres://".into());
    }
    same_migrations(source, target).await?;
    for table in ["users", "structures"] {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&target.pool)
            .await
            .map_err(failed("lecture de la destination"))?;
        if rows > 0 {
            return Err(format!(
                "la base PostgreSQL n'est pas vide ({rows} lignes dans {table}) : \
                 la copie ne remplace pas des données"
            ));
        }
    }
    let mut report = Report::default();
    let target_tables = postgres_tables(target).await?;
    let source_tables = sqlite_tables(source).await?;
    let mut plan = Vec::new();
    for (table, columns) in &target_tables {
        let Some(source_columns) = source_tables.get(table) else {
            report
                .left_out
                .push(format!("{table} (PostgreSQL seulement)"));
            continue;
        };
        let kept: Vec<Column> = columns
            .iter()
            .filter(|c| source_columns.contains(&c.name))
            .cloned()
            .collect();
        for c in columns.iter().filter(|c| !source_columns.contains(&c.name)) {
            report
                .left_out
                .push(format!("{table}.{} (PostgreSQL seulement)", c.name));
        }
        for c in source_columns
            .iter()
            .filter(|c| !columns.iter().any(|k| &k.name == *c))
        {
            report
                .left_out
                .push(format!("{table}.{c} (SQLite seulement)"));
        }
        plan.push((table.clone(), kept));
    }
    for table in source_tables.keys() {
        if !target_tables.contains_key(table) {
            report.left_out.push(format!("{table} (SQLite seulement)"));
        }
    }
    let order = dependency_order(target, plan.iter().map(|(t, _)| t.clone()).collect()).await?;
    let columns_of: BTreeMap<String, Vec<Column>> = plan.into_iter().collect();

    let mut tx = target
        .pool
        .begin()
        .await
        .map_err(failed("transaction PostgreSQL"))?;
    // The rows the migrations wrote (reference lists) are replaced by the source's.
    let all: Vec<&str> = order.iter().map(String::as_str).collect();
    sqlx::query(&format!(
        "TRUNCATE {} RESTART IDENTITY CASCADE",
        all.join(", ")
    ))
    .execute(&mut *tx)
    .await
    .map_err(failed("vidage de la destination"))?;
    let (later, first): (Vec<&String>, Vec<&String>) = order
        .iter()
        .partition(|t| FILLED_BY_TRIGGERS.contains(&t.as_str()));
    for table in first.iter().chain(&later) {
        if later.contains(table) {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await
                .map_err(failed(table))?;
        }
        let columns = &columns_of[table.as_str()];
        let rows = copy_table(source, &mut tx, table, columns).await?;
        report.tables.push(((*table).clone(), rows));
    }
    // Identity columns continue after the highest copied id.
    for (table, columns) in &columns_of {
        if columns.iter().any(|c| c.name == "id") {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT max(id) FROM {table}), 0) + 1, false) \
                 WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
            ))
            .execute(&mut *tx)
            .await
            .map_err(failed(table))?;
        }
    }
    tx.commit()
        .await
        .map_err(failed("validation de la copie"))?;
    // Row by row: both sides read again in the same order and compared value by value.
    for (table, _) in &report.tables {
        compare_table(source, target, table, &columns_of[table]).await?;
    }
    target.analyze().await.map_err(failed("ANALYZE"))?;
    Ok(report)
}

async fn same_migrations(source: &Db, target: &Db) -> Result<(), String> {
    for (db, name) in [(source, "SQLite"), (target, "PostgreSQL")] {
        let applied = db
            .migrations_applied()
            .await
            .map_err(|e| format!("migrations {name} : {e}"))?;
        if !applied {
            return Err(format!(
                "la base {name} n'est pas à jour : lancez `dessine migrate`"
            ));
        }
    }
    Ok(())
}

/// Every table of the public schema and its columns, in their order.
async fn postgres_tables(db: &Db) -> Result<BTreeMap<String, Vec<Column>>, String> {
    let rows = sqlx::query(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text \
         FROM information_schema.columns c \
         JOIN information_schema.tables t ON t.table_schema = c.table_schema \
           AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' \
         WHERE c.table_schema = 'public' AND c.table_name <> '_sqlx_migrations' \
           AND c.is_generated = 'NEVER' \
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(failed("tables PostgreSQL"))?;
    let mut tables: BTreeMap<String, Vec<Column>> = BTreeMap::new();
    for row in rows {
        let table: String = row.get(0);
        tables.entry(table).or_default().push(Column {
            name: row.get(1),
            pg_type: row.get(2),
        });
    }
    Ok(tables)
}

/// SQLite's tables (not its own, not the full-text index's) and their column names.
async fn sqlite_tables(db: &Db) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' AND sql NOT LIKE 'CREATE VIRTUAL%'",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(failed("tables SQLite"))?;
    let mut tables = BTreeMap::new();
    for name in names {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                .bind(&name)
                .fetch_all(&db.pool)
                .await
                .map_err(failed("colonnes SQLite"))?;
        tables.insert(name, columns.into_iter().collect());
    }
    Ok(tables)
}

/// `tables` ordered so that each comes after those its foreign keys point to (a table pointing
/// to itself is written in the order of its ids).
async fn dependency_order(db: &Db, tables: Vec<String>) -> Result<Vec<String>, String> {
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c \
         WHERE c.contype = 'f' AND c.conrelid <> c.confrelid",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(failed("clés étrangères"))?;
    let mut ordered: Vec<String> = Vec::new();
    let mut left: BTreeSet<String> = tables.into_iter().collect();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| {
                !edges
                    .iter()
                    .any(|(from, to)| from == *t && left.contains(to))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(format!(
                "clés étrangères circulaires entre : {}",
                left.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        for t in ready {
            left.remove(&t);
            ordered.push(t);
        }
    }
    Ok(ordered)
}

/// The query reading every row of `table`, in the order of its columns' values, the same on
/// both sides: text in byte order (SQLite's BINARY, PostgreSQL's "C") whatever the database's
/// own collation, and empty values first (SQLite's way).
fn select_sql(db: &Db, table: &str, columns: &[Column]) -> String {
    let postgres = *db.backend() == super::Backend::Postgres;
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let order: Vec<String> = columns
        .iter()
        .map(|c| match (postgres, c.pg_type.as_str()) {
            (true, "text") => format!("{} COLLATE \"C\" NULLS FIRST", c.name),
            (true, _) => format!("{} NULLS FIRST", c.name),
            _ => c.name.clone(),
        })
        .collect();
    format!(
        "SELECT {} FROM {table} ORDER BY {}",
        names.join(", "),
        order.join(", ")
    )
}

fn values_of(row: &AnyRow, columns: &[Column]) -> Result<Vec<Value>, sqlx::Error> {
    (0..columns.len())
        .map(|i| value_of(row, i, &columns[i]))
        .collect()
}

/// Streams `table` from `source` into the transaction, in batches: memory stays that of one
/// batch whatever the table's size. Returns the rows copied.
async fn copy_table(
    source: &Db,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &str,
    columns: &[Column],
) -> Result<u64, String> {
    use futures::TryStreamExt;
    if columns.is_empty() {
        return Ok(0);
    }
    let sql = select_sql(source, table, columns);
    let mut rows = sqlx::query(&sql).fetch(&source.pool);
    let per_batch = (BATCH_PARAMETERS / columns.len()).max(1);
    let mut batch = Vec::with_capacity(per_batch);
    let mut copied = 0u64;
    while let Some(row) = rows.try_next().await.map_err(failed(table))? {
        batch.push(values_of(&row, columns).map_err(failed(table))?);
        if batch.len() == per_batch {
            insert_rows(tx, table, columns, &batch).await?;
            copied += batch.len() as u64;
            batch.clear();
        }
    }
    insert_rows(tx, table, columns, &batch).await?;
    Ok(copied + batch.len() as u64)
}

/// Reads `table` on both sides at once, in the same order, and stops at the first row that
/// differs or is missing on one side.
async fn compare_table(
    source: &Db,
    target: &Db,
    table: &str,
    columns: &[Column],
) -> Result<(), String> {
    use futures::TryStreamExt;
    let (original_sql, copied_sql) = (
        select_sql(source, table, columns),
        select_sql(target, table, columns),
    );
    let mut original = sqlx::query(&original_sql).fetch(&source.pool);
    let mut copied = sqlx::query(&copied_sql).fetch(&target.pool);
    let mut n = 0u64;
    loop {
        let a = original.try_next().await.map_err(failed(table))?;
        let b = copied.try_next().await.map_err(failed(table))?;
        n += 1;
        match (a, b) {
            (None, None) => return Ok(()),
            (Some(a), Some(b)) => {
                let (a, b) = (
                    values_of(&a, columns).map_err(failed(table))?,
                    values_of(&b, columns).map_err(failed(table))?,
                );
                if a != b {
                    return Err(format!(
                        "{table} : la ligne {n} diffère après la copie ({a:?} / {b:?})"
                    ));
                }
            }
            (Some(_), None) => {
                return Err(format!(
                    "{table} : PostgreSQL a moins de lignes que SQLite (la ligne {n} manque)"
                ));
            }
            (None, Some(_)) => {
                return Err(format!(
                    "{table} : PostgreSQL a plus de lignes que SQLite (la ligne {n} en trop)"
                ));
            }
        }
    }
}

fn value_of(row: &AnyRow, i: usize, column: &Column) -> Result<Value, sqlx::Error> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().kind();
    Ok(match kind {
        AnyTypeInfoKind::Null => Value::Null,
        AnyTypeInfoKind::Bool => Value::Integer(i64::from(row.try_get::<bool, _>(i)?)),
        AnyTypeInfoKind::SmallInt => Value::Integer(i64::from(row.try_get::<i16, _>(i)?)),
        AnyTypeInfoKind::Integer => Value::Integer(i64::from(row.try_get::<i32, _>(i)?)),
        AnyTypeInfoKind::BigInt => Value::Integer(row.try_get::<i64, _>(i)?),
        AnyTypeInfoKind::Real => Value::Real(f64::from(row.try_get::<f32, _>(i)?)),
        AnyTypeInfoKind::Double => Value::Real(row.try_get::<f64, _>(i)?),
        AnyTypeInfoKind::Text => Value::Text(row.try_get::<String, _>(i)?),
        AnyTypeInfoKind::Blob => Value::Blob(row.try_get::<Vec<u8>, _>(i)?),
    })
    .map(|value| normalise(value, column))
}

/// SQLite keeps what it is given: an integer in a real column reads as an integer. Values are
/// compared as the PostgreSQL column types them.
fn normalise(value: Value, column: &Column) -> Value {
    match (value, column.pg_type.as_str()) {
        (Value::Integer(n), "double precision" | "real") => Value::Real(n as f64),
        (value, _) => value,
    }
}

/// Inserts one batch of rows (at most [`BATCH_PARAMETERS`] values: [`copy_table`] cuts them).
async fn insert_rows(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &str,
    columns: &[Column],
    rows: &[Vec<Value>],
) -> Result<(), String> {
    if rows.is_empty() || columns.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    // An explicit cast: text, numbers and bytes all bind to the column's own type.
    let mut n = 0;
    let tuples: Vec<String> = rows
        .iter()
        .map(|_| {
            let values: Vec<String> = columns
                .iter()
                .map(|column| {
                    n += 1;
                    format!("${n}::{}", column.pg_type)
                })
                .collect();
            format!("({})", values.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) OVERRIDING SYSTEM VALUE VALUES {}",
        names.join(", "),
        tuples.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for row in rows {
        for (value, column) in row.iter().zip(columns) {
            query = bind(query, value, column);
        }
    }
    query.execute(&mut **tx).await.map_err(failed(table))?;
    Ok(())
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind<'q>(query: AnyQuery<'q>, value: &Value, column: &Column) -> AnyQuery<'q> {
    match (value, column.pg_type.as_str()) {
        (Value::Null, "bigint" | "integer" | "smallint") => query.bind(None::<i64>),
        (Value::Null, "double precision" | "real") => query.bind(None::<f64>),
        (Value::Null, "bytea") => query.bind(None::<Vec<u8>>),
        (Value::Null, _) => query.bind(None::<String>),
        (Value::Integer(n), "double precision" | "real") => query.bind(*n as f64),
        (Value::Integer(n), "text") => query.bind(n.to_string()),
        (Value::Integer(n), _) => query.bind(*n),
        (Value::Real(x), _) => query.bind(*x),
        (Value::Text(s), _) => query.bind(s.clone()),
        (Value::Blob(b), _) => query.bind(b.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_real_columns_compare_as_reals() {
        let real = Column {
            name: "lat".into(),
            pg_type: "double precision".into(),
        };
        let text = Column {
            name: "name".into(),
            pg_type: "text".into(),
        };
        assert_eq!(normalise(Value::Integer(3), &real), Value::Real(3.0));
        assert_eq!(normalise(Value::Integer(3), &text), Value::Integer(3));
    }
}
