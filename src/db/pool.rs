//! The pool the features query: sqlx's `AnyPool`, counting for `/metrics` the tasks waiting for
//! a connection and the connections opened since start-up.
//!
//! sqlx 0.8 tells how many connections a pool holds and how many are idle, not who waits for
//! one; every query the features write goes through `&db.pool`, so this type's [`Executor`]
//! counts a task from the moment it asks the pool for a connection until it has one (or gives
//! up), then runs the query as sqlx's own pool would. Everything else of `AnyPool` is reached
//! through `Deref`. The count of connections opened shows a pool that keeps closing and
//! reopening them, which a healthy one does not (a test renders pages and checks it stays put).
//!
//! A connection is taken by a task of its own. sqlx's pool closes a connection whose taker is
//! dropped in the middle of taking it (while it checks an idle one, or while it opens one), and
//! rendering drops such work: `Suspense` polls what its children start once before rendering
//! them, a visitor leaves, a time limit passes. The entry page opened one or two connections a
//! visit that way (PostgreSQL's log: a connection made, three queries, closed). Taken apart, a
//! connection nobody waits for any more goes back to the pool.

use std::borrow::Cow;
use std::future::Future;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use futures::TryStreamExt;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Either, Execute, Executor, Transaction};

/// What the pool's users count.
#[derive(Debug, Default)]
pub struct PoolStats {
    waiting: AtomicUsize,
    opened: AtomicU64,
}

impl PoolStats {
    /// Called by the pool's `after_connect` hook.
    pub fn connection_opened(&self) {
        self.opened.fetch_add(1, Ordering::Relaxed);
    }

    fn wait(&self) -> Waiting<'_> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        Waiting(&self.waiting)
    }
}

/// One task waiting for a connection; the count goes down when it has one, fails, or is
/// dropped while it waits.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[derive(Clone, Debug)]
pub struct Pool {
    inner: AnyPool,
    stats: Arc<PoolStats>,
}

impl Pool {
    pub fn new(inner: AnyPool, stats: Arc<PoolStats>) -> Pool {
        Pool { inner, stats }
    }

    /// Tasks waiting for a connection at this moment.
    pub fn waiting(&self) -> usize {
        self.stats.waiting.load(Ordering::Relaxed)
    }

    /// Connections opened since the pool was made.
    pub fn opened(&self) -> u64 {
        self.stats.opened.load(Ordering::Relaxed)
    }

    pub async fn acquire(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        let pool = self.inner.clone();
        self.apart(async move { pool.acquire().await }).await
    }

    /// A transaction; its wait counts until its `BEGIN` has answered.
    pub async fn begin(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        let pool = self.inner.clone();
        self.apart(async move { pool.begin().await }).await
    }

    /// A transaction opened by `statement` (`BEGIN IMMEDIATE` on SQLite).
    pub async fn begin_with(
        &self,
        statement: impl Into<Cow<'static, str>>,
    ) -> Result<Transaction<'static, Any>, sqlx::Error> {
        let pool = self.inner.clone();
        let statement = statement.into();
        self.apart(async move { pool.begin_with(statement).await })
            .await
    }

    /// Takes a connection (or opens a transaction) in a task of its own, counted as waiting
    /// meanwhile: dropped before it is done, the caller leaves the task to finish, and what it
    /// took goes back to the pool (a transaction rolled back) instead of being closed.
    async fn apart<T: Send + 'static>(
        &self,
        taking: impl Future<Output = Result<T, sqlx::Error>> + Send + 'static,
    ) -> Result<T, sqlx::Error> {
        let _waiting = self.stats.wait();
        match tokio::spawn(taking).await {
            Ok(taken) => taken,
            Err(failed) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
            // The runtime is shutting down.
            Err(_) => Err(sqlx::Error::PoolClosed),
        }
    }
}

impl Deref for Pool {
    type Target = AnyPool;

    fn deref(&self) -> &AnyPool {
        &self.inner
    }
}

impl<'p> Executor<'p> for &'_ Pool {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let pool = self.clone();
        Box::pin(sqlx_core::try_stream! {
            let mut conn = pool.acquire().await?;
            let mut rows = conn.fetch_many(query);
            while let Some(row) = rows.try_next().await? {
                r#yield!(row);
            }
            Ok(())
        })
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let pool = self.clone();
        Box::pin(async move { pool.acquire().await?.fetch_optional(query).await })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>>
    where
        'p: 'e,
    {
        let pool = self.clone();
        Box::pin(async move { pool.acquire().await?.prepare_with(sql, parameters).await })
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> BoxFuture<'e, Result<sqlx_core::describe::Describe<Any>, sqlx::Error>>
    where
        'p: 'e,
    {
        let pool = self.clone();
        Box::pin(async move { pool.acquire().await?.describe(sql).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An in-memory SQLite pool of at most `max` connections, counting as the server's does.
    async fn counted_pool(max: u32) -> Pool {
        sqlx::any::install_default_drivers();
        let stats = Arc::new(PoolStats::default());
        let counted = Arc::clone(&stats);
        let inner = sqlx::any::AnyPoolOptions::new()
            .max_connections(max)
            .after_connect(move |_, _| {
                let counted = Arc::clone(&counted);
                Box::pin(async move {
                    counted.connection_opened();
                    Ok(())
                })
            })
            .connect("sqlite::memory:")
            .await
            .unwrap();
        Pool::new(inner, stats)
    }

    #[tokio::test]
    async fn waiting_tasks_are_counted_until_they_have_a_connection() {
        let pool = counted_pool(1).await;
        let held = pool.acquire().await.unwrap();
        assert_eq!((pool.waiting(), pool.opened()), (0, 1));
        let query = tokio::spawn({
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, i32>("SELECT 2")
                    .fetch_one(&pool)
                    .await
            }
        });
        let transaction = tokio::spawn({
            let pool = pool.clone();
            async move { pool.begin().await.map(|_| ()) }
        });
        for _ in 0..100 {
            if pool.waiting() == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        assert_eq!(pool.waiting(), 2, "the query and the transaction wait");
        drop(held);
        assert_eq!(query.await.unwrap().unwrap(), 2);
        transaction.await.unwrap().unwrap();
        assert_eq!(pool.waiting(), 0);
        // A task that gives up while it waits is not counted any more.
        let held = pool.acquire().await.unwrap();
        let gave_up = tokio::time::timeout(
            std::time::Duration::from_millis(20),
            sqlx::query("SELECT 1").execute(&pool),
        )
        .await;
        assert!(gave_up.is_err());
        assert_eq!(pool.waiting(), 0);
        drop(held);
        let rows = sqlx::query_scalar::<_, i32>("SELECT 3 UNION ALL SELECT 4")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(rows, [3, 4]);
        assert_eq!(pool.opened(), 1, "one connection, taken again and again");
    }
}
